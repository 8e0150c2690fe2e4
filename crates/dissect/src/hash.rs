//! The hasher of the core's maps (conversations, streams, transactions, fragments), which
//! are looked up several times per frame. std's default, SipHash-1-3, was 2-3% of a pass in
//! wasm; this one is a multiply-rotate over whole words (FxHash's step) with a finishing
//! fold, so the low 32 bits that hashbrown uses on wasm32 carry the whole key.
//!
//! Like std's hasher on wasm32-unknown-unknown (which has no randomness and uses fixed
//! keys), it is not keyed per process: a crafted capture can make one map's lookups slow,
//! not wrong.

use std::hash::{BuildHasherDefault, Hasher};

pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;
pub type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<WordHasher>>;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[derive(Default, Clone, Copy)]
pub struct WordHasher {
    h: u64,
}

impl WordHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.h = (self.h.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ (rest.len() as u64) << 59);
        }
    }
    #[inline]
    fn write_u8(&mut self, x: u8) {
        self.add(x as u64);
    }
    #[inline]
    fn write_u16(&mut self, x: u16) {
        self.add(x as u64);
    }
    #[inline]
    fn write_u32(&mut self, x: u32) {
        self.add(x as u64);
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    #[inline]
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // Folded down before the multiply too: a multiply only carries bits upward, and keys
        // that differ only in their high bits must still differ in the low ones.
        let h = (self.h ^ (self.h >> 32)).wrapping_mul(K);
        h ^ (h >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash<T: Hash>(x: T) -> u64 {
        let mut h = WordHasher::default();
        x.hash(&mut h);
        h.finish()
    }

    #[test]
    fn nearby_keys_differ_in_the_low_bits_hashbrown_uses() {
        // Addresses and ports of one subnet: the low 7 bits (a small table's slot) and bits
        // 25-31 (hashbrown's tag on wasm32, where it uses the low 32 bits) must both spread.
        let mut slots = HashSet::default();
        let mut tags = HashSet::default();
        for i in 0..256u32 {
            let h = hash([0x0a00_0000 | i, 0x0a00_0001, 80 << 16 | 40000]);
            slots.insert(h & 0x7f);
            tags.insert((h as u32) >> 25);
        }
        assert!(slots.len() > 100, "{} slots", slots.len());
        assert!(tags.len() > 100, "{} tags", tags.len());
    }

    #[test]
    fn keys_differing_only_in_high_bits_spread_over_the_low_bits() {
        let slots: HashSet<u64> = (0..256u64).map(|i| hash(i << 40) & 0xff).collect();
        assert!(slots.len() > 128, "{} slots", slots.len());
    }

    #[test]
    fn byte_strings_of_different_lengths_differ() {
        assert_ne!(hash(&[0u8; 3][..]), hash(&[0u8; 4][..]));
        assert_ne!(hash("ab"), hash("ab\0"));
    }
}
