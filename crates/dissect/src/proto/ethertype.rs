//! `ethertype`: the shared dispatch on an EtherType value (used by Ethernet, Linux SLL and
//! VLAN tags), recorded in `frame.protocols` as Wireshark does, and the padding / trailer /
//! FCS that follow the payload of an Ethernet-like frame (Wireshark's `add_ethernet_trailer`).

use crate::dispatch::{self, Table};
use crate::field::FieldDef;
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::{eth, vals};
use crate::tree::{Group, Severity, Value};

/// Ethernet's minimum frame length without the FCS: shorter frames are padded to it.
const MIN_FRAME_LEN: usize = 60;
const FCS_LEN: usize = 4;

/// Whether the bytes after the payload may end with a frame check sequence.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fcs {
    /// The layer never carries one (VLAN tags, 802.1ad: Wireshark passes fcs_len 0).
    Absent,
    /// Unknown (pcap Ethernet): assumed when the frame is 64 bytes or more and 4 bytes remain.
    Maybe,
}

/// Where the layer that carried the EtherType shows what follows its payload.
#[derive(Clone, Copy)]
pub struct Trailer<'a> {
    /// The link layer's node (the padding and trailer become its children).
    pub node: u32,
    /// The link layer's bytes (for offsets and the FCS heuristic).
    pub link: Layer<'a>,
    /// The field for undecoded trailing bytes (`eth.trailer`, `vlan.trailer`, ...).
    pub field: &'static FieldDef,
    pub fcs: Fcs,
}

pub fn dissect(ctx: &mut Ctx, parent: u32, etype: u16, payload: Layer) -> DResult<usize> {
    ctx.protocols.push("ethertype");
    match dispatch::try_call(ctx, Table::EtherType, etype as u32, parent, payload) {
        Some(r) => r,
        None => {
            ctx.cols.set_protocol(&format!("0x{:04x}", etype));
            // Wireshark names a known but undissected EtherType in the Info column.
            if let Some((_, name)) = vals::ETHERTYPES.iter().find(|(v, _)| *v == etype as u64) {
                ctx.cols.set_info(name);
            }
            crate::proto::data::dissect(ctx, parent, payload)
        }
    }
}

/// Dissects the payload, then shows the bytes it did not claim as padding / trailer / FCS under
/// the link layer. Returns the whole payload as used.
pub fn dissect_with_trailer(ctx: &mut Ctx, parent: u32, etype: u16, payload: Layer, t: Trailer) -> DResult<usize> {
    let used = dissect(ctx, parent, etype, payload)?;
    let after = payload.sub(used.min(payload.reported), "trailer");
    add_trailer(ctx, &t, after);
    Ok(payload.reported)
}

/// Splits `after` (the bytes after a payload) into zero padding up to the 60-byte minimum, an
/// undecoded trailer and, when `t.fcs` allows it, a 4-byte FCS, as Wireshark 4.0 does.
pub fn add_trailer(ctx: &mut Ctx, t: &Trailer, after: Layer) {
    if after.reported == 0 {
        return;
    }
    let frame_len = ctx.meta.origlen as usize;
    let mut captured = after.len;
    let mut reported = after.reported;
    let maybe_padded = frame_len >= MIN_FRAME_LEN && frame_len.saturating_sub(reported) < MIN_FRAME_LEN;
    let mut padding = 0;
    if maybe_padded {
        padding = MIN_FRAME_LEN - (frame_len - reported);
        // Padding must be zeros; anything else is all trailer.
        if after.slice(0, padding).iter().any(|b| *b != 0) || padding > captured {
            padding = 0;
        }
        if padding > 0 {
            let at = after.start - t.link.start;
            ctx.add(t.node, &eth::ETH_PADDING, &t.link, at, padding, Value::Bytes);
            captured -= padding;
            reported -= padding;
        }
    }
    let has_fcs = t.fcs == Fcs::Maybe && t.link.reported >= 64 && reported >= FCS_LEN;
    if has_fcs {
        reported -= FCS_LEN;
        captured = captured.min(reported);
    }
    let trailer_at = after.start - t.link.start + padding;
    if captured > 0 {
        let n = ctx.add(t.node, t.field, &t.link, trailer_at, captured, Value::Bytes);
        if maybe_padded && padding == 0 {
            crate::expert::attach(
                &mut ctx.tree,
                n,
                &super::eth::PADDING_BAD,
                Severity::Note,
                Group::Protocol,
                "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
            );
        }
    }
    if has_fcs {
        let at = trailer_at + reported;
        let fcs = t.link.u32(at);
        if ctx.tree.enabled() {
            let n = ctx.add(t.node, &eth::ETH_FCS, &t.link, at, FCS_LEN.min(t.link.len.saturating_sub(at)), Value::Uint(fcs as u64));
            ctx.tree.append_text(n, " [unverified]");
            let s = ctx.tree.add_generated(t.node, &eth::ETH_FCS_STATUS, Value::Uint(2));
            crate::set_label!(ctx.tree, s, "[FCS Status: Unverified]");
        }
    }
}
