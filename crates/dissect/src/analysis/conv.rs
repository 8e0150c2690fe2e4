//! Conversation keys that are the same in both directions (gopacket's flow-key idea).

use crate::packet::NetAddr;
use crate::hash::HashMap;

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

impl ConvKey {
    /// Both addresses IPv4: the key in 12 bytes (addresses, then ports).
    fn packed_v4(&self) -> Option<[u32; 3]> {
        if self.a.v6 || self.b.v6 {
            return None;
        }
        let word = |b: &[u8; 16]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        Some([word(&self.a.bytes), word(&self.b.bytes), (self.port_a as u32) << 16 | self.port_b as u32])
    }
}

/// A map by conversation that keeps IPv4 keys in 12 bytes rather than 38: most conversations
/// are IPv4, and a capture can hold millions of them (the 5M benchmark: 700k UDP, 233k TCP).
pub struct ConvMap<V> {
    v4: HashMap<[u32; 3], V>,
    other: HashMap<ConvKey, V>,
}

impl<V> Default for ConvMap<V> {
    fn default() -> Self {
        ConvMap { v4: HashMap::default(), other: HashMap::default() }
    }
}

impl<V> ConvMap<V> {
    pub fn get(&self, key: &ConvKey) -> Option<&V> {
        match key.packed_v4() {
            Some(k) => self.v4.get(&k),
            None => self.other.get(key),
        }
    }

    pub fn insert(&mut self, key: ConvKey, value: V) {
        match key.packed_v4() {
            Some(k) => self.v4.insert(k, value),
            None => self.other.insert(key, value),
        };
    }

    /// The value of `key`, made by `make` when there is none.
    pub fn get_or_insert_with(&mut self, key: ConvKey, make: impl FnOnce() -> V) -> &mut V {
        match key.packed_v4() {
            Some(k) => self.v4.entry(k).or_insert_with(make),
            None => self.other.entry(key).or_insert_with(make),
        }
    }

    pub fn len(&self) -> usize {
        self.v4.len() + self.other.len()
    }

    /// Keeps the entries whose value passes `keep`, and gives back the room of the others.
    pub fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        self.v4.retain(|_, v| keep(v));
        self.other.retain(|_, v| keep(v));
        self.v4.shrink_to_fit();
        self.other.shrink_to_fit();
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Approximate heap bytes (entries and control bytes).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.v4.capacity() * (size_of::<([u32; 3], V)>() + 1) + self.other.capacity() * (size_of::<(ConvKey, V)>() + 1)
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

    #[test]
    fn a_conv_map_tells_apart_ports_directions_and_families() {
        let mut m = ConvMap::default();
        let (x, y) = (NetAddr::v4([10, 0, 0, 1]), NetAddr::v4([10, 0, 0, 2]));
        let mut six = NetAddr::v4([10, 0, 0, 1]);
        six.v6 = true;
        m.insert(ConvKey::new(x, 40000, y, 80).0, 1);
        m.insert(ConvKey::new(x, 80, y, 40000).0, 2);
        m.insert(ConvKey::new(six, 40000, y, 80).0, 3);
        assert_eq!(m.get(&ConvKey::new(y, 80, x, 40000).0), Some(&1));
        assert_eq!(m.get(&ConvKey::new(y, 40000, x, 80).0), Some(&2));
        assert_eq!(m.get(&ConvKey::new(y, 80, six, 40000).0), Some(&3));
        assert_eq!(*m.get_or_insert_with(ConvKey::new(x, 1, y, 2).0, || 4), 4);
        assert_eq!(m.len(), 4);
    }
}
