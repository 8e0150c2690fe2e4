//! Length-prefixed messages over TCP (part of `tcp`): Wireshark's `tcp_dissect_pdus`, which
//! protocols whose messages carry their own length use to split a payload into messages, ask
//! TCP for the rest of a cut one, and show each message's size in the TCP tree.

use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Desegment, DissectError, Layer};
use crate::tree::{Value, NO_NODE};

pub static PDU_SIZE: FieldDef = FieldDef::new("PDU Size", "tcp.pdu.size", FieldType::Uint32);

pub static FIELDS: &[&FieldDef] = &[&PDU_SIZE];

/// Walks the messages of `layer`: the first `fixed` bytes of each tell its whole length
/// (`pdu_len`, given the layer and the message's offset); a complete message goes to
/// `dissect`, a cut one asks TCP for what it lacks when TCP can reassemble. Each message moves
/// the walk forward by at least `fixed` bytes (a shorter length is malformed), so it ends.
pub fn dissect_pdus(
    ctx: &mut Ctx,
    layer: &Layer,
    fixed: usize,
    pdu_len: fn(&Layer, usize) -> usize,
    dissect: &mut dyn FnMut(&mut Ctx, Layer) -> DResult<()>,
) -> DResult<()> {
    let mut offset = 0;
    while offset < layer.reported {
        let captured = layer.len.saturating_sub(offset);
        // A length field cut by the segment: ask for the next one, not a count, so that asking
        // again once the length is known does not upset TCP's reassembly.
        if ctx.can_desegment && captured < fixed {
            ctx.desegment = Some((offset, Desegment::OneMoreSegment));
            return Ok(());
        }
        layer.need(offset + fixed)?;
        let plen = pdu_len(layer, offset);
        if plen < fixed {
            return Err(DissectError::Malformed { layer: layer.name, offset, reason: "message length shorter than its header" });
        }
        if ctx.can_desegment && captured < plen {
            ctx.desegment = Some((offset, Desegment::Bytes((plen - captured) as u32)));
            return Ok(());
        }
        if ctx.tree.enabled() && ctx.tcp_tree != NO_NODE {
            let n = ctx.add(ctx.tcp_tree, &PDU_SIZE, layer, offset, plen.min(captured), Value::Uint(plen as u64));
            if let Some(node) = ctx.tree.node_mut(n) {
                node.generated = true;
            }
        }
        dissect(ctx, layer.sub(offset, layer.name).limit(plen))?;
        offset += plen;
    }
    Ok(())
}
