//! Values a filter compares: field values loaded from the tree (borrowing the tree and the
//! frame bytes) and constants from the filter text. Booleans are `Uint(0|1)`.

use std::borrow::Cow;
use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq)]
pub enum Val<'a> {
    Uint(u64),
    Int(i64),
    Double(f64),
    /// Address and prefix length (32 for a single address).
    Ipv4(u32, u8),
    /// Address and prefix length (128 for a single address).
    Ipv6([u8; 16], u8),
    Ether([u8; 6]),
    Bytes(Cow<'a, [u8]>),
    Str(Cow<'a, [u8]>),
    /// Nanoseconds (absolute or relative, by the field's type).
    Time(i64),
}

impl<'a> Val<'a> {
    /// A copy borrowing from `self` (no allocation for byte and string constants).
    pub fn borrowed(&self) -> Val<'_> {
        match self {
            Val::Bytes(b) => Val::Bytes(Cow::Borrowed(b)),
            Val::Str(s) => Val::Str(Cow::Borrowed(s)),
            Val::Uint(v) => Val::Uint(*v),
            Val::Int(v) => Val::Int(*v),
            Val::Double(v) => Val::Double(*v),
            Val::Ipv4(a, m) => Val::Ipv4(*a, *m),
            Val::Ipv6(a, m) => Val::Ipv6(*a, *m),
            Val::Ether(a) => Val::Ether(*a),
            Val::Time(t) => Val::Time(*t),
        }
    }

    /// The value as a byte sequence (slices, `contains`, `matches`, byte comparisons).
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Val::Bytes(b) | Val::Str(b) => Cow::Borrowed(b),
            Val::Ether(a) => Cow::Borrowed(&a[..]),
            Val::Ipv4(a, _) => Cow::Owned(a.to_be_bytes().to_vec()),
            Val::Ipv6(a, _) => Cow::Borrowed(&a[..]),
            Val::Uint(v) => Cow::Owned(v.to_be_bytes().to_vec()),
            Val::Int(v) => Cow::Owned(v.to_be_bytes().to_vec()),
            Val::Double(v) => Cow::Owned(v.to_be_bytes().to_vec()),
            Val::Time(v) => Cow::Owned(v.to_be_bytes().to_vec()),
        }
    }

    /// Whether the value is non-zero (a bare arithmetic test such as `tcp.flags & 0x02`).
    pub fn is_nonzero(&self) -> bool {
        match self {
            Val::Uint(v) => *v != 0,
            Val::Int(v) => *v != 0,
            Val::Double(v) => *v != 0.0,
            Val::Time(v) => *v != 0,
            Val::Ipv4(a, _) => *a != 0,
            _ => self.bytes().iter().any(|b| *b != 0),
        }
    }

    pub fn into_owned(self) -> Val<'static> {
        match self {
            Val::Bytes(b) => Val::Bytes(Cow::Owned(b.into_owned())),
            Val::Str(s) => Val::Str(Cow::Owned(s.into_owned())),
            Val::Uint(v) => Val::Uint(v),
            Val::Int(v) => Val::Int(v),
            Val::Double(v) => Val::Double(v),
            Val::Ipv4(a, m) => Val::Ipv4(a, m),
            Val::Ipv6(a, m) => Val::Ipv6(a, m),
            Val::Ether(a) => Val::Ether(a),
            Val::Time(t) => Val::Time(t),
        }
    }
}

fn v6_masked(a: &[u8; 16], bits: u8) -> u128 {
    let v = u128::from_be_bytes(*a);
    if bits >= 128 {
        v
    } else if bits == 0 {
        0
    } else {
        v & (!0u128 << (128 - bits))
    }
}

fn v4_masked(a: u32, bits: u8) -> u32 {
    if bits >= 32 {
        a
    } else if bits == 0 {
        0
    } else {
        a & (!0u32 << (32 - bits))
    }
}

/// Orders two values of compatible types; `None` when they cannot be compared. Addresses
/// compare under the shorter of the two prefixes (`ip.src == 10.0.0.0/8`); byte strings
/// compare as memcmp, then by length.
pub fn compare(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Uint(x), Val::Uint(y)) => Some(x.cmp(y)),
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Uint(x), Val::Int(y)) => Some((*x as i128).cmp(&(*y as i128))),
        (Val::Int(x), Val::Uint(y)) => Some((*x as i128).cmp(&(*y as i128))),
        (Val::Double(x), Val::Double(y)) => x.partial_cmp(y),
        (Val::Time(x), Val::Time(y)) => Some(x.cmp(y)),
        (Val::Ipv4(x, m), Val::Ipv4(y, n)) => {
            let bits = (*m).min(*n);
            Some(v4_masked(*x, bits).cmp(&v4_masked(*y, bits)))
        }
        (Val::Ipv6(x, m), Val::Ipv6(y, n)) => {
            let bits = (*m).min(*n);
            Some(v6_masked(x, bits).cmp(&v6_masked(y, bits)))
        }
        (Val::Str(x), Val::Str(y)) => Some(x.as_ref().cmp(y.as_ref())),
        _ => {
            let (x, y) = (a.bytes(), b.bytes());
            let n = x.len().min(y.len());
            Some(x[..n].cmp(&y[..n]).then(x.len().cmp(&y.len())))
        }
    }
}

/// Whether `needle` occurs in `hay` (an empty needle always does).
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.len() > hay.len() {
        return false;
    }
    let first = needle[0];
    let last = hay.len() - needle.len();
    let mut i = 0;
    while i <= last {
        match hay[i..=last].iter().position(|b| *b == first) {
            Some(k) => {
                i += k;
                if &hay[i..i + needle.len()] == needle {
                    return true;
                }
                i += 1;
            }
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_compares_under_the_shorter_prefix() {
        let host = Val::Ipv4(0x0a01_0203, 32);
        assert_eq!(compare(&host, &Val::Ipv4(0x0a00_0000, 8)), Some(Ordering::Equal));
        assert_ne!(compare(&host, &Val::Ipv4(0x0b00_0000, 8)), Some(Ordering::Equal));
        let mut ff = [0u8; 16];
        ff[0] = 0xff;
        ff[1] = 0x02;
        let mut net = [0u8; 16];
        net[0] = 0xff;
        assert_eq!(compare(&Val::Ipv6(ff, 128), &Val::Ipv6(net, 8)), Some(Ordering::Equal));
    }

    #[test]
    fn bytes_order_as_memcmp_then_length() {
        let a = Val::Bytes(Cow::Borrowed(&[1, 2][..]));
        let b = Val::Bytes(Cow::Borrowed(&[1, 2, 0][..]));
        assert_eq!(compare(&a, &b), Some(Ordering::Less));
        assert_eq!(compare(&Val::Ether([0; 6]), &Val::Bytes(Cow::Owned(vec![0; 6]))), Some(Ordering::Equal));
        assert_eq!(compare(&Val::Uint(3), &Val::Int(-1)), Some(Ordering::Greater));
    }

    #[test]
    fn substring_search() {
        assert!(contains(b"GET / HTTP", b"HTTP"));
        assert!(!contains(b"GE", b"GET"));
        assert!(contains(b"", b""));
    }
}
