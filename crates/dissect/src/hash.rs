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

/// Hashes `key` with the core's hasher.
pub fn hash_of<T: std::hash::Hash + ?Sized>(key: &T) -> u64 {
    let mut h = WordHasher::default();
    key.hash(&mut h);
    h.finish()
}

/// Rows of a table found by key without storing the keys a second time: each slot holds a row
/// number and 32 bits of its key's hash, probed linearly from the hash; the caller compares
/// keys against its own rows. 8 bytes a slot, at most half full, where a `HashMap` of the
/// keys took 60-70 bytes a row in the conversation tables (a million UDP conversations).
#[derive(Default)]
pub struct RowIndex {
    /// (tag, row); `EMPTY_SLOT` row when free. The length is a power of two (or zero).
    slots: Vec<(u32, u32)>,
    len: usize,
}

const EMPTY_SLOT: u32 = u32::MAX;

impl RowIndex {
    fn tag(hash: u64) -> u32 {
        (hash >> 32) as u32
    }

    /// The row whose key hashes to `hash` and for which `is_key(row)` holds.
    #[inline]
    pub fn find(&self, hash: u64, mut is_key: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let tag = Self::tag(hash);
        let mut i = hash as usize & mask;
        loop {
            let (t, row) = self.slots[i];
            if row == EMPTY_SLOT {
                return None;
            }
            if t == tag && is_key(row) {
                return Some(row);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `row` (whose key is not in the index yet) under `hash`; `hash_of_row` gives the
    /// hashes of the rows already in, to move them when the index grows.
    pub fn insert(&mut self, hash: u64, row: u32, mut hash_of_row: impl FnMut(u32) -> u64) {
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(16);
            let old = std::mem::replace(&mut self.slots, vec![(0, EMPTY_SLOT); size]);
            for (_, r) in old.into_iter().filter(|&(_, r)| r != EMPTY_SLOT) {
                self.place(hash_of_row(r), r);
            }
        }
        self.place(hash, row);
        self.len += 1;
    }

    fn place(&mut self, hash: u64, row: u32) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i].1 != EMPTY_SLOT {
            i = (i + 1) & mask;
        }
        self.slots[i] = (Self::tag(hash), row);
    }

    pub fn clear(&mut self) {
        self.slots = Vec::new();
        self.len = 0;
    }

    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<(u32, u32)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash<T: Hash>(x: T) -> u64 {
        hash_of(&x)
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
    fn row_index_finds_every_row_across_growth() {
        // Keys whose hashes collide in the low bits too: a constant hash puts them all in one run.
        let keys: Vec<u64> = (0..5000u64).map(|i| i * 7919).collect();
        for constant in [false, true] {
            let h = |k: u64| if constant { 42 } else { hash_of(&k) };
            let mut index = RowIndex::default();
            for (row, &k) in keys.iter().enumerate().take(if constant { 300 } else { keys.len() }) {
                assert_eq!(index.find(h(k), |r| keys[r as usize] == k), None);
                index.insert(h(k), row as u32, |r| h(keys[r as usize]));
            }
            let n = if constant { 300 } else { keys.len() };
            for (row, &k) in keys.iter().enumerate().take(n) {
                assert_eq!(index.find(h(k), |r| keys[r as usize] == k), Some(row as u32));
            }
            assert_eq!(index.find(h(1), |r| keys[r as usize] == 1), None);
            assert!(index.heap_bytes() <= 4 * 8 * n.max(8));
        }
    }

    #[test]
    fn byte_strings_of_different_lengths_differ() {
        assert_ne!(hash(&[0u8; 3][..]), hash(&[0u8; 4][..]));
        assert_ne!(hash("ab"), hash("ab\0"));
    }
}
