//! Handshake messages split over several records (part of the `tls` protocol), as
//! Wireshark's `dissect_tls_handshake` reassembles them: per direction, in frame order, each
//! record's part remembered so a re-dissected frame shows the same thing.

use crate::analysis::tls::{HsFragment, Pending, RecordKey};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, Layer};
use crate::proto::tls::Session;
use crate::tree::Value;

pub static FRAGMENTS: FieldDef = FieldDef::new("Reassembled Handshake Fragments", "tls.handshake.fragments", FieldType::None);
pub static FRAGMENT: FieldDef = FieldDef::new("Handshake Fragment", "tls.handshake.fragment", FieldType::FrameNum);
pub static FRAGMENT_COUNT: FieldDef = FieldDef::new("Handshake Fragment count", "tls.handshake.fragment.count", FieldType::Uint32);

pub static FIELDS: &[&FieldDef] = &[&FRAGMENTS, &FRAGMENT, &FRAGMENT_COUNT];

/// Whether a handshake message continues in this record, and what the record adds to it.
/// First pass: extends the direction's pending message; revisit: the stored answer.
pub fn continuation(ctx: &mut Ctx, l: &Layer, s: &mut Session) -> Option<HsFragment> {
    let key: RecordKey = (s.frame, s.ordinal, l.start);
    if ctx.revisit {
        return ctx.state.tls.fragment(key).cloned();
    }
    let mut p = s.pending.take()?;
    // The message length may itself be split: read it across the parts.
    let mut head: Vec<u8> = p.data.iter().take(4).copied().collect();
    if head.len() < 4 {
        head.extend_from_slice(l.slice(0, 4 - head.len()));
    }
    let msg_len = if head.len() >= 4 { 4 + ((head[1] as usize) << 16 | (head[2] as usize) << 8 | head[3] as usize) } else { 0 };
    let mut len = l.reported;
    if msg_len > p.data.len() {
        len = len.min(msg_len - p.data.len());
    }
    if l.len < len {
        // Bytes missing from the capture: the message cannot be completed.
        return None;
    }
    p.data.extend_from_slice(l.slice(0, len));
    p.parts.push((s.frame, len));
    let is_last = msg_len != 0 && p.data.len() >= msg_len;
    let frag = HsFragment {
        msg_type: p.msg_type,
        len,
        is_last,
        message: if is_last { Some((std::mem::take(&mut p.data), std::mem::take(&mut p.parts))) } else { None },
    };
    if !is_last {
        s.pending = Some(p);
    }
    ctx.state.tls.record_fragment(key, frag.clone());
    Some(frag)
}

/// Starts a reassembly with the rest of this record (first pass only).
pub fn start(ctx: &Ctx, l: &Layer, at: usize, s: &mut Session) {
    if !ctx.revisit {
        let data = l.slice(at, l.len - at.min(l.len)).to_vec();
        let parts = vec![(s.frame, data.len())];
        s.pending = Some(Pending { msg_type: l.u8(at), data, parts });
    }
}

/// `[3 Reassembled Handshake Fragments (1313 bytes): #6(512), #6(512), #6(289)]` and its items.
pub fn show_fragments(ctx: &mut Ctx, parent: u32, l: &Layer, parts: &[(u32, usize)]) {
    if !ctx.tree.enabled() {
        return;
    }
    let total: usize = parts.iter().map(|p| p.1).sum();
    let list: Vec<String> = parts.iter().map(|(f, n)| format!("#{}({})", f, n)).collect();
    let node = ctx.add(parent, &FRAGMENTS, l, 0, total, Value::None);
    crate::set_label!(ctx.tree, node, "[{} Reassembled Handshake Fragments ({} bytes): {}]", parts.len(), total, list.join(", "));
    let mut at = 0;
    for (frame, n) in parts {
        let f = ctx.add(node, &FRAGMENT, l, at, *n, Value::Uint(*frame as u64));
        let end = (at + n).saturating_sub(1);
        crate::set_label!(ctx.tree, f, "[Frame: {}, payload: {}-{} ({} bytes)]", frame, at, end, n);
        at += n;
    }
    let c = ctx.add(node, &FRAGMENT_COUNT, l, 0, 0, Value::Uint(parts.len() as u64));
    crate::set_label!(ctx.tree, c, "[Handshake Fragment count: {}]", parts.len());
}
