//! Packet bytes are attacker-controlled: nothing from a packet reaches a terminal raw.
//! Every string taken from packet data goes through `write_escaped`, which renders control
//! characters the way tshark's format_text does (`\r`, `\n`, `\x1b`, ...) and replaces
//! invalid UTF-8 with U+FFFD.

use std::fmt::Write;

pub fn write_escaped(out: &mut String, bytes: &[u8]) {
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                push_escaped_str(out, s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                // valid_up_to guarantees `good` is valid UTF-8.
                push_escaped_str(out, std::str::from_utf8(good).unwrap_or(""));
                out.push('\u{fffd}');
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                rest = &bad[skip.min(bad.len())..];
            }
        }
    }
}

fn push_escaped_str(out: &mut String, s: &str) {
    // The plain-ASCII start (usually all of it) in one copy; `clean` is a char boundary.
    let clean = s.bytes().position(|b| b < 0x20 || b == b'\\' || b >= 0x7f).unwrap_or(s.len());
    out.push_str(&s[..clean]);
    for c in s[clean..].chars() {
        match c {
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f || (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Packet bytes as a string value (escaping happens when it is shown).
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn escaped(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    write_escaped(&mut s, bytes);
    s
}

/// Appends `v` in decimal: what `write!(out, "{}", v)` gives, without the formatting
/// machinery (the summary line, addresses and TCP's Info are formatted for every frame).
pub fn push_uint(out: &mut String, v: u64) {
    let mut buf = [b'0'; 20];
    let start = uint_digits(&mut buf, v);
    // A few ASCII digits: pushed one by one, which beats a checked copy of so few bytes.
    out.reserve(buf.len() - start);
    for &d in &buf[start..] {
        out.push(d as char);
    }
}

/// `push_uint` for a byte (an IPv4 address's octets): no buffer, no loop.
pub fn push_u8(out: &mut String, v: u8) {
    if v >= 10 {
        if v >= 100 {
            out.push((b'0' + v / 100) as char);
        }
        let pair = (v % 100) as usize * 2;
        out.push(DIGIT_PAIRS[pair] as char);
        out.push(DIGIT_PAIRS[pair + 1] as char);
    } else {
        out.push((b'0' + v) as char);
    }
}

/// Appends `v` in lowercase hex, zero-padded to at least `width` digits (`{:0width$x}`).
pub fn push_hex(out: &mut String, v: u64, width: usize) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [b'0'; 16];
    let mut i = buf.len();
    let mut v = v;
    while v != 0 {
        i -= 1;
        buf[i] = DIGITS[(v & 0xf) as usize];
        v >>= 4;
    }
    let start = i.min(buf.len() - width.clamp(1, 16));
    for &d in &buf[start..] {
        out.push(d as char);
    }
}

/// "00", "01", ... "99": two digits per step halves the divisions.
static DIGIT_PAIRS: [u8; 200] = digit_pairs();

const fn digit_pairs() -> [u8; 200] {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
}

/// Writes `v`'s digits at the end of `buf` (filled with '0'); returns where they start. Works in u32 where it
/// can: wasm has no 64-bit multiply-high, so a u64 division by a constant stays a real
/// division (tens of cycles), while a u32 one becomes a multiply and a shift.
fn uint_digits(buf: &mut [u8; 20], v: u64) -> usize {
    let mut end = buf.len();
    let mut v = v;
    // At most twice: u64::MAX has 20 digits.
    while v > u32::MAX as u64 {
        let low = (v % 1_000_000_000) as u32;
        v /= 1_000_000_000;
        // Nine digits, its leading zeros being the buffer's '0's.
        u32_digits(buf, end, low);
        end -= 9;
    }
    u32_digits(buf, end, v as u32)
}

/// `v`'s digits ending at `buf[end]`; returns where they start.
fn u32_digits(buf: &mut [u8; 20], end: usize, v: u32) -> usize {
    let mut i = end;
    let mut v = v;
    while v >= 100 {
        let pair = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        buf[i] = DIGIT_PAIRS[pair];
        buf[i + 1] = DIGIT_PAIRS[pair + 1];
    }
    if v >= 10 {
        let pair = v as usize * 2;
        i -= 2;
        buf[i] = DIGIT_PAIRS[pair];
        buf[i + 1] = DIGIT_PAIRS[pair + 1];
    } else {
        i -= 1;
        buf[i] = b'0' + v as u8;
    }
    i
}

/// `push_uint` padded with zeros to at least `width` digits (`{:0width$}`).
pub fn push_uint_zeros(out: &mut String, v: u64, width: usize) {
    let digits = decimal_digits(v);
    for _ in digits..width {
        out.push('0');
    }
    push_uint(out, v);
}

/// How many decimal digits `v` has.
pub fn decimal_digits(v: u64) -> usize {
    let mut n = 1;
    let mut limit = 10u64;
    while n < 20 && v >= limit {
        n += 1;
        limit = limit.wrapping_mul(10);
    }
    n
}

/// `s` padded with spaces to `width` characters, on the left (`{:>width$}`) or the right.
pub fn push_padded(out: &mut String, s: &str, width: usize, right_align: bool) {
    let chars = if s.is_ascii() { s.len() } else { s.chars().count() };
    let pad = width.saturating_sub(chars);
    if right_align {
        push_spaces(out, pad);
        out.push_str(s);
    } else {
        out.push_str(s);
        push_spaces(out, pad);
    }
}

/// `n` spaces: one copy from a run of them (a char at a time cost more than the column).
pub fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut left = n;
    while left > 0 {
        let k = left.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        left -= k;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn padding_is_format_padding_at_any_width() {
        for width in [0, 1, 12, 31, 32, 33, 70] {
            for text in ["", "ARP", "10.0.0.1", "f\u{e9}e"] {
                let (mut right, mut left) = (String::from(">"), String::new());
                super::push_padded(&mut right, text, width, true);
                super::push_padded(&mut left, text, width, false);
                assert_eq!(right, format!(">{:>w$}", text, w = width));
                assert_eq!(left, format!("{:<w$}", text, w = width));
            }
        }
    }

    #[test]
    fn numbers_print_as_format_prints_them() {
        for v in [0u64, 1, 7, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 99999, 100000, 999999999, 1000000000, 4294967295, 4294967296, 12345678901, 10000000000000000000, u64::MAX] {
            let mut s = String::new();
            super::push_uint(&mut s, v);
            assert_eq!(s, format!("{}", v));
            s.clear();
            super::push_uint_zeros(&mut s, v, 6);
            assert_eq!(s, format!("{:06}", v));
        }
        let mut s = String::new();
        super::push_padded(&mut s, "\u{2192}ab", 5, true);
        super::push_padded(&mut s, "cd", 4, false);
        super::push_padded(&mut s, "toolong", 3, true);
        assert_eq!(s, format!("{:>5}{:<4}{:>3}", "\u{2192}ab", "cd", "toolong"));
        s.clear();
        crate::addr::write_seconds(&mut s, -1_500_000_000, 6);
        crate::addr::write_seconds(&mut s, 12_000_000_042, 9);
        crate::addr::write_ipv4(&mut s, [10, 0, 255, 1]);
        assert_eq!(s, "-1.50000012.00000004210.0.255.1");
    }

    #[test]
    fn every_digit_count_and_random_values_print_as_format_prints_them() {
        let mut cases = vec![];
        let mut p = 1u64;
        for _ in 0..20 {
            cases.extend([p - 1, p, p + 1, p.wrapping_mul(5)]);
            p = p.wrapping_mul(10);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Every magnitude, not just 20-digit values.
            cases.push(x >> (x % 64));
        }
        let mut s = String::new();
        for v in cases {
            s.clear();
            super::push_uint(&mut s, v);
            assert_eq!(s, v.to_string());
            assert_eq!(super::decimal_digits(v), s.len());
            s.clear();
            super::push_uint_zeros(&mut s, v, 12);
            assert_eq!(s, format!("{:012}", v));
        }
    }

    #[test]
    fn hex_prints_as_format_prints_it() {
        let mut s = String::new();
        for v in [0u64, 1, 9, 10, 15, 16, 255, 256, 0xabcd, 0xffff, 0x1_0000, u32::MAX as u64, u64::MAX] {
            for w in [0, 1, 2, 4, 8] {
                s.clear();
                super::push_hex(&mut s, v, w);
                assert_eq!(s, format!("{:0w$x}", v, w = w));
            }
        }
    }

    use super::*;

    #[test]
    fn control_characters_never_pass_raw() {
        assert_eq!(escaped(b"GET /\x1b[31mred\r\n"), "GET /\\x1b[31mred\\r\\n");
        assert_eq!(escaped(b"caf\xc3\xa9"), "café");
        assert_eq!(escaped(b"a\xffb"), "a\u{fffd}b");
        assert_eq!(escaped("\u{9b}2J".as_bytes()), "\\x9b2J");
    }
}
