//! The fields a dissection records when not all of them are read (a display filter's, the
//! printed fields', the statistics'), as Wireshark primes a filter's "interesting fields":
//! filtering then needs no full tree. `Tree::add` asks for every item, so the test is a bit
//! in a small bitmap, then a probe of an open-addressing set.

use crate::field::FieldDef;

const BITS: usize = 4096;

/// A field's bit in `Interest::bits`: fields are statics of several words, so their
/// addresses in 8-byte units spread well over the bits.
#[inline]
fn bit_of(key: usize) -> usize {
    (key >> 3) & (BITS - 1)
}

/// Where a field's address starts probing in `Interest::table` (Fibonacci hashing).
fn slot_of(key: usize, mask: usize) -> usize {
    ((key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
}

pub(super) struct Interest {
    /// When set, only instances of these fields are recorded (field addresses, sorted).
    keys: Option<Vec<usize>>,
    /// `keys` as an open-addressing hash set of field addresses (0: empty slot), a power of
    /// two at least four times as large: one probe or two per item added, where a search of
    /// the sorted keys costs several unpredictable branches (statistics name 40 fields).
    table: Vec<usize>,
    /// One bit per `bit_of` of each key: most fields a dissector adds are not of interest,
    /// and one bit test turns them away without probing the table.
    bits: [u64; BITS / 64],
    /// The filter names of the fields of interest.
    names: Vec<&'static str>,
    /// The last list given to `set`, its sorted keys, and the protocols (filter-name
    /// prefixes) its fields belong to (`None` when every protocol may matter: `_ws.*` items,
    /// which any layer adds). Hosts set the same list for every frame, which then costs a
    /// comparison instead of a sort.
    cache: (Vec<usize>, Vec<usize>, Option<Vec<&'static str>>),
}

impl Interest {
    pub(super) fn new() -> Interest {
        Interest { keys: None, table: Vec::new(), bits: [0; BITS / 64], names: Vec::new(), cache: (Vec::new(), Vec::new(), None) }
    }

    /// Only `fields` from now on (`None`: everything).
    pub(super) fn set(&mut self, fields: Option<&[&'static FieldDef]>) {
        let f = match fields {
            Some(f) => f,
            None => {
                if let Some(keys) = self.keys.take() {
                    self.cache.1 = keys;
                }
                return;
            }
        };
        let addr = |d: &&'static FieldDef| *d as *const FieldDef as usize;
        let (given, sorted, _) = &mut self.cache;
        let mut keys = self.keys.take().unwrap_or_else(|| std::mem::take(sorted));
        if given.len() != f.len() || !given.iter().zip(f).all(|(g, d)| *g == addr(d)) {
            given.clear();
            given.extend(f.iter().map(addr));
            keys.clear();
            keys.extend_from_slice(given);
            keys.sort_unstable();
            keys.dedup();
            self.names.clear();
            self.names.extend(f.iter().map(|d| d.abbrev));
            let mut protos: Vec<&'static str> = f.iter().map(|d| d.abbrev.split('.').next().unwrap_or("")).collect();
            protos.sort_unstable();
            protos.dedup();
            self.cache.2 = if protos.contains(&"_ws") { None } else { Some(protos) };
            let size = (keys.len() * 4).next_power_of_two().max(8);
            self.table.clear();
            self.table.resize(size, 0);
            self.bits = [0; BITS / 64];
            for k in keys.iter() {
                self.bits[bit_of(*k) / 64] |= 1 << (bit_of(*k) % 64);
                let mut i = slot_of(*k, size - 1);
                while self.table[i] != 0 {
                    i = (i + 1) & (size - 1);
                }
                self.table[i] = *k;
            }
        }
        self.keys = Some(keys);
    }

    /// Whether instances of `field` are recorded.
    #[inline]
    pub(super) fn contains(&self, field: &'static FieldDef) -> bool {
        let key = field as *const FieldDef as usize;
        if self.keys.is_none() {
            return true;
        }
        if self.bits[bit_of(key) / 64] >> (bit_of(key) % 64) & 1 == 0 {
            return false;
        }
        let mask = self.table.len().wrapping_sub(1);
        let mut i = slot_of(key, mask);
        loop {
            match self.table[i] {
                0 => return false,
                k if k == key => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Whether a field of any of `protos` (filter names) may be recorded.
    pub(super) fn names_protocol(&self, protos: &[&str]) -> bool {
        match (&self.keys, &self.cache.2) {
            // Names compared byte by byte: `==` on `str` calls memcmp, which costs more here.
            (Some(_), Some(p)) => protos.iter().any(|x| p.iter().any(|q| q.as_bytes().iter().eq(x.as_bytes().iter()))),
            _ => true,
        }
    }

    /// Whether a field whose filter name starts with one of `prefixes` may be recorded.
    pub(super) fn names_prefix(&self, prefixes: &[&str]) -> bool {
        match (&self.keys, &self.cache.2) {
            (Some(_), Some(_)) => self.names.iter().any(|n| prefixes.iter().any(|p| n.starts_with(p))),
            _ => true,
        }
    }
}
