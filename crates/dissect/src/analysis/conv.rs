//! Conversation keys that are the same in both directions (gopacket's flow-key idea).

use crate::packet::NetAddr;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ConvKey {
    a: NetAddr,
    b: NetAddr,
    port_a: u16,
    port_b: u16,
}

/// The direction of a packet within its conversation: 0 from endpoint A, 1 from endpoint B.
pub type Dir = usize;

impl ConvKey {
    /// The key for a packet from (src, sport) to (dst, dport), and the packet's direction.
    pub fn new(src: NetAddr, sport: u16, dst: NetAddr, dport: u16) -> (ConvKey, Dir) {
        let forward = (src.v6, src.bytes, sport) <= (dst.v6, dst.bytes, dport);
        if forward {
            (ConvKey { a: src, b: dst, port_a: sport, port_b: dport }, 0)
        } else {
            (ConvKey { a: dst, b: src, port_a: dport, port_b: sport }, 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_both_ways() {
        let x = NetAddr::v4([10, 0, 0, 1]);
        let y = NetAddr::v4([10, 0, 0, 2]);
        let (k1, d1) = ConvKey::new(x, 40000, y, 80);
        let (k2, d2) = ConvKey::new(y, 80, x, 40000);
        assert_eq!(k1, k2);
        assert_ne!(d1, d2);
        let (k3, _) = ConvKey::new(x, 80, y, 40000);
        assert_ne!(k1, k3);
    }
}
