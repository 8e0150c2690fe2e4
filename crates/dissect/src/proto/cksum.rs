//! The Internet checksum (RFC 1071), shared by the protocols that verify theirs (ICMP, ICMPv6),
//! and the checksum items Wireshark shows for it.

use crate::field::FieldDef;
use crate::packet::{Ctx, Layer};
use crate::tree::{Group, Severity, Value};

/// One's-complement sum of `data` as big-endian 16-bit words (an odd last byte is padded),
/// folded to 16 bits, added to `sum`.
pub fn add(sum: u16, data: &[u8]) -> u16 {
    let mut acc = sum as u64;
    let mut chunks = data.chunks_exact(2);
    for w in &mut chunks {
        acc += u16::from_be_bytes([w[0], w[1]]) as u64;
    }
    if let [last] = chunks.remainder() {
        acc += (*last as u64) << 8;
    }
    while acc >> 16 != 0 {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    acc as u16
}

/// The checksum over `parts` as Wireshark's `in_cksum` computes it: 0 when data that includes
/// its checksum field is intact.
pub fn compute(parts: &[&[u8]]) -> u16 {
    !parts.iter().fold(0, |s, p| add(s, p))
}

/// The value the checksum field should have held, from the field and `compute` over the data
/// including it (Wireshark's `in_cksum_shouldbe`).
pub fn should_be(field: u16, computed: u16) -> u16 {
    add(field, &computed.to_be_bytes())
}

/// What could be said about a checksum.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
    /// `compute` over the data including the field (0 when intact).
    Computed(u16),
    /// Not verified: the data is quoted inside an ICMP error.
    InErrorPacket,
    /// Not verified: the data is cut short (Wireshark says "fragmented datagram" for both).
    Incomplete,
}

/// Adds the 2-byte checksum at `at` and its generated status item, labelled as Wireshark's
/// `proto_tree_add_checksum` labels them.
pub fn add_items(ctx: &mut Ctx, parent: u32, layer: &Layer, at: usize, fields: [&'static FieldDef; 3], verdict: Verdict) {
    let [field, status, bad] = fields;
    if !ctx.tree.enabled() {
        return;
    }
    let value = layer.u16(at);
    let n = ctx.add_uint(parent, field, layer, at, 2, value as u64);
    let (code, state) = match verdict {
        Verdict::Computed(0) => {
            crate::set_label!(ctx.tree, n, "{}: 0x{:04x} [correct]", field.name, value);
            (1, "Good")
        }
        Verdict::Computed(c) => {
            let right = should_be(value, c);
            crate::set_label!(ctx.tree, n, "{}: 0x{:04x} incorrect, should be 0x{:04x}", field.name, value, right);
            crate::expert::attach(&mut ctx.tree, n, bad, Severity::Warn, Group::Checksum, &format!("Bad checksum [should be 0x{:04x}]", right));
            (0, "Bad")
        }
        Verdict::InErrorPacket | Verdict::Incomplete => {
            let why = if verdict == Verdict::InErrorPacket { "in ICMP error packet" } else { "fragmented datagram" };
            crate::set_label!(ctx.tree, n, "{}: 0x{:04x} [unverified] [{}]", field.name, value, why);
            (2, "Unverified")
        }
    };
    let s = ctx.tree.add_generated(parent, status, Value::Uint(code));
    crate::set_label!(ctx.tree, s, "[{}: {}]", status.name, state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_and_corrects_like_wireshark() {
        // An ICMP echo request (id 1, seq 5, "xyz") whose checksum field was overwritten with
        // 0x1234; tshark reports "incorrect, should be 0x0580".
        let mut m = [8u8, 0, 0x12, 0x34, 0, 1, 0, 5, b'x', b'y', b'z'];
        let c = compute(&[&m]);
        assert_ne!(c, 0);
        assert_eq!(should_be(0x1234, c), 0x0580);
        m[2..4].copy_from_slice(&0x0580u16.to_be_bytes());
        assert_eq!(compute(&[&m]), 0);
        assert_eq!(compute(&[&m[..4], &m[4..]]), 0, "parts split on a word boundary sum as one");
    }
}
