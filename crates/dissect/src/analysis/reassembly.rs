//! Offset-based datagram reassembly for IPv4 and IPv6 fragments, as Wireshark's
//! `fragment_add_check` does it: fragments are kept sorted by offset, the datagram is complete
//! once the last fragment (no "more fragments") fixed its length and the fragments cover it, and
//! overlaps, conflicting overlaps, fragments past the end and several tails are flagged.
//!
//! It runs in the first pass. A completed datagram is stored with the frame that completed it,
//! and every frame that contributed remembers it, so re-dissecting any frame gives the same
//! answer (and a fragment can point at the frame it was reassembled in).

use crate::field::FieldDef;
use crate::packet::Ctx;
use crate::tree::Value;
use crate::hash::HashMap;

/// Fragment flags, as Wireshark's `FD_*` (shown under each fragment of the tree).
pub const OVERLAP: u8 = 1;
pub const OVERLAP_CONFLICT: u8 = 2;
pub const MULTIPLE_TAILS: u8 = 4;
pub const TOO_LONG: u8 = 8;
/// Flags that make a fragment an error (`*.fragment.error` instead of `*.fragment`).
pub const ERROR_FLAGS: u8 = OVERLAP_CONFLICT | MULTIPLE_TAILS | TOO_LONG;

/// Identifies one datagram being reassembled: addresses and identification (and, for IPv4,
/// the protocol, which Wireshark folds into its key).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct FragKey {
    pub v6: bool,
    pub src: [u8; 16],
    pub dst: [u8; 16],
    pub id: u32,
    pub proto: u8,
}

/// One fragment of a completed datagram, for the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FragInfo {
    pub frame: u32,
    pub offset: u32,
    pub len: u32,
    pub flags: u8,
}

/// A completed datagram.
#[derive(Clone, Debug)]
pub struct Datagram {
    /// The frame whose fragment completed it (where its payload is dissected).
    pub frame: u32,
    /// Fragments sorted by offset (equal offsets in arrival order).
    pub fragments: Vec<FragInfo>,
    pub data: Vec<u8>,
    pub flags: u8,
}

struct Pending {
    fragments: Vec<FragInfo>,
    /// Each fragment's bytes, parallel to `fragments`.
    payloads: Vec<Vec<u8>>,
    /// The datagram length, once a fragment without "more fragments" arrived.
    datalen: Option<u32>,
    flags: u8,
}

#[derive(Default)]
pub struct Reassembly {
    pending: HashMap<FragKey, Pending>,
    done: Vec<Datagram>,
    /// (frame, v6) -> index in `done`, for every frame that contributed, in frame order.
    by_frame: Vec<(u32, bool, usize)>,
    /// Nothing is re-dissected: completed datagrams are kept only while their frame is dissected.
    pub single_pass: bool,
}

/// Upper bound for a reassembled datagram: an IPv6 jumbogram aside, nothing legitimate is
/// larger, and it keeps a hostile capture from growing one buffer without limit.
const MAX_DATAGRAM: u32 = 1 << 20;

impl Reassembly {
    /// First pass: adds a fragment. Returns the completed datagram when this fragment completed it.
    pub fn add(&mut self, key: FragKey, frame: u32, offset: u32, data: &[u8], more: bool) -> Option<&Datagram> {
        let len = data.len() as u32;
        if offset.saturating_add(len) > MAX_DATAGRAM {
            return None;
        }
        let p = self.pending.entry(key).or_insert_with(|| Pending { fragments: Vec::new(), payloads: Vec::new(), datalen: None, flags: 0 });
        let mut fi = FragInfo { frame, offset, len, flags: 0 };
        if !more {
            let end = offset + len;
            match p.datalen {
                Some(d) if d != end => {
                    fi.flags |= MULTIPLE_TAILS;
                    p.flags |= MULTIPLE_TAILS;
                }
                Some(_) => {}
                None => p.datalen = Some(end),
            }
        }
        // After every fragment with an offset not above this one (Wireshark's LINK_FRAG).
        let at = p.fragments.partition_point(|f| f.offset <= offset);
        p.fragments.insert(at, fi);
        p.payloads.insert(at, data.to_vec());
        let datalen = p.datalen?;
        let mut max = 0u32;
        for f in &p.fragments {
            if f.offset <= max && f.offset + f.len > max {
                max = f.offset + f.len;
            }
        }
        if max < datalen {
            return None;
        }
        let p = self.pending.remove(&key)?;
        let d = defragment(p, datalen, frame);
        if self.single_pass {
            self.done.clear();
            self.by_frame.clear();
        }
        let idx = self.done.len();
        for f in &d.fragments {
            // Sorted by frame for lookups; fragments can come from earlier frames, but mostly
            // recent ones, so the insertion point is near the end.
            let at = self.by_frame.partition_point(|&(g, v6, _)| (g, v6) <= (f.frame, key.v6));
            self.by_frame.insert(at, (f.frame, key.v6, idx));
        }
        self.done.push(d);
        self.done.last()
    }

    /// The completed datagram frame `frame`'s fragment (IPv4 or IPv6) belongs to, if any.
    pub fn lookup(&self, frame: u32, v6: bool) -> Option<&Datagram> {
        let start = self.by_frame.partition_point(|(f, v, _)| (*f, *v) < (frame, v6));
        match self.by_frame.get(start) {
            Some((f, v, idx)) if *f == frame && *v == v6 => self.done.get(*idx),
            _ => None,
        }
    }
}

/// Copies the fragments into one buffer in offset order, each contributing only bytes beyond
/// what earlier ones covered, and flags overlaps (comparing the overlapped bytes) and data past
/// the datagram's end.
fn defragment(p: Pending, datalen: u32, frame: u32) -> Datagram {
    let mut data = vec![0u8; datalen as usize];
    let mut flags = p.flags;
    let mut fragments = p.fragments;
    let mut dfpos = 0u32;
    for (f, bytes) in fragments.iter_mut().zip(p.payloads.iter()) {
        if f.len == 0 {
            continue;
        }
        let end = f.offset + f.len;
        if end > dfpos {
            if f.offset >= datalen || end > datalen {
                f.flags |= TOO_LONG;
            }
            if f.offset < dfpos {
                let cmp = (dfpos - f.offset).min(f.len) as usize;
                let lo = f.offset as usize;
                f.flags |= OVERLAP;
                if data.get(lo..lo + cmp) != bytes.get(..cmp) {
                    f.flags |= OVERLAP_CONFLICT;
                }
            }
            if f.offset < datalen {
                let copy_end = end.min(datalen);
                let from = (dfpos.max(f.offset) - f.offset) as usize;
                let to = (copy_end - f.offset) as usize;
                let at = dfpos.max(f.offset) as usize;
                if from < to {
                    data[at..at + (to - from)].copy_from_slice(&bytes[from..to]);
                }
            }
        } else {
            let lo = f.offset as usize;
            let n = f.len as usize;
            f.flags |= OVERLAP;
            if data.get(lo..lo + n) != Some(&bytes[..]) {
                f.flags |= OVERLAP_CONFLICT;
            }
        }
        flags |= f.flags;
        dfpos = dfpos.max(end);
    }
    Datagram { frame, fragments, data, flags }
}

/// The fields a protocol shows its fragments with (Wireshark's `fragment_items`).
pub struct FragFields {
    /// "IPv4 Fragment", "IPv6 Fragment": the singular name, for one-fragment datagrams.
    pub fragment: &'static FieldDef,
    pub fragments: &'static FieldDef,
    pub error: &'static FieldDef,
    pub overlap: &'static FieldDef,
    pub overlap_conflict: &'static FieldDef,
    pub multiple_tails: &'static FieldDef,
    pub too_long: &'static FieldDef,
    pub count: &'static FieldDef,
    pub length: &'static FieldDef,
    pub data: &'static FieldDef,
}

/// Wireshark's `show_fragment_tree`: the fragments of datagram `d` under `parent`, their flags,
/// count and the reassembled length and data. Byte ranges refer to the reassembled data, so
/// call it with that data source current. Returns whether the fragments were illegal (the Info
/// column then says so until the payload's dissector replaces it).
pub fn add_fragment_tree(ctx: &mut Ctx, parent: u32, f: &FragFields, d: &Datagram) -> bool {
    let illegal = d.flags & ERROR_FLAGS != 0;
    if !ctx.tree.enabled() {
        return illegal;
    }
    let total = d.data.len();
    let name = if d.fragments.len() == 1 { f.fragment.name } else { f.fragments.name };
    let mut label = format!("[{} {} ({} byte{}): ", d.fragments.len(), name, total, if total == 1 { "" } else { "s" });
    for (i, fr) in d.fragments.iter().enumerate() {
        if i > 0 {
            label.push_str(", ");
        }
        label.push_str(&format!("#{}({})", fr.frame, fr.len));
    }
    label.push(']');
    let top = ctx.tree.add(parent, f.fragments, 0, total, Value::Bytes);
    ctx.tree.set_label(top, label);
    if let Some(n) = ctx.tree.node_mut(top) {
        n.generated = true;
    }
    for fr in &d.fragments {
        let field = if fr.flags & ERROR_FLAGS != 0 { f.error } else { f.fragment };
        let n = ctx.tree.add(top, field, fr.offset as usize, fr.len as usize, Value::Uint(fr.frame as u64));
        let text = if fr.len == 0 {
            format!("[Frame: {} (no data)]", fr.frame)
        } else {
            format!(
                "[Frame: {}, payload: {}-{} ({} byte{})]",
                fr.frame,
                fr.offset,
                fr.offset + fr.len - 1,
                fr.len,
                if fr.len == 1 { "" } else { "s" }
            )
        };
        ctx.tree.set_label(n, text);
        if let Some(node) = ctx.tree.node_mut(n) {
            node.generated = true;
        }
        for (flag, flag_field) in
            [(OVERLAP, f.overlap), (OVERLAP_CONFLICT, f.overlap_conflict), (MULTIPLE_TAILS, f.multiple_tails), (TOO_LONG, f.too_long)]
        {
            if fr.flags & flag != 0 {
                ctx.tree.add_generated(n, flag_field, Value::Bool(true));
            }
        }
    }
    ctx.tree.add_generated(top, f.count, Value::Uint(d.fragments.len() as u64));
    ctx.tree.add_generated(top, f.length, Value::Uint(total as u64));
    let data = ctx.tree.add(top, f.data, 0, total, Value::Bytes);
    if let Some(n) = ctx.tree.node_mut(data) {
        n.generated = true;
    }
    illegal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> FragKey {
        FragKey { v6: false, src: [1; 16], dst: [2; 16], id: 0xf2, proto: 17 }
    }

    #[test]
    fn in_order_fragments_complete_on_the_last() {
        let mut r = Reassembly::default();
        assert!(r.add(key(), 1, 0, &[1, 2, 3, 4], true).is_none());
        let d = r.add(key(), 2, 4, &[5, 6], false).unwrap();
        assert_eq!((d.frame, d.data.as_slice(), d.flags), (2, &[1, 2, 3, 4, 5, 6][..], 0));
        assert_eq!(r.lookup(1, false).unwrap().frame, 2);
        assert!(r.lookup(1, true).is_none());
        // The same identification afterwards is a new datagram.
        assert!(r.add(key(), 3, 0, &[9], true).is_none());
    }

    #[test]
    fn overlapping_fragments_are_flagged_like_wireshark() {
        // zeek's ipv4/fragmented-1.pcap: #1 (0, 18 bytes), #2 (48, 116, last), #3 (0, 304).
        let mut r = Reassembly::default();
        let one: Vec<u8> = (0..18).collect();
        let two = vec![0x58u8; 116];
        let mut three = vec![0x58u8; 304];
        three[..8].copy_from_slice(&[0, 1, 2, 3, 9, 9, 9, 9]);
        assert!(r.add(key(), 1, 0, &one, true).is_none());
        assert!(r.add(key(), 2, 48, &two, false).is_none());
        let d = r.add(key(), 3, 0, &three, true).unwrap();
        let order: Vec<u32> = d.fragments.iter().map(|f| f.frame).collect();
        assert_eq!(order, vec![1, 3, 2]);
        assert_eq!(d.fragments[0].flags, 0);
        assert_eq!(d.fragments[1].flags, OVERLAP | OVERLAP_CONFLICT | TOO_LONG);
        assert_eq!(d.fragments[2].flags, OVERLAP);
        assert_eq!(d.data.len(), 164);
        assert_eq!(&d.data[..18], &one[..]);
        assert_eq!(d.data[18], 0x58);
    }

    #[test]
    fn a_second_tail_with_another_length_is_flagged() {
        let mut r = Reassembly::default();
        assert!(r.add(key(), 1, 8, &[0; 8], false).is_none());
        let d = r.add(key(), 2, 0, &[0; 20], false).unwrap();
        assert_ne!(d.flags & MULTIPLE_TAILS, 0);
    }
}
