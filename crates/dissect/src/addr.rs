//! Text forms of addresses and times, as Wireshark prints them (no name resolution).

use std::fmt::Write;

pub fn write_ipv4(out: &mut String, a: [u8; 4]) {
    out.reserve(15);
    for (i, b) in a.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        crate::text::push_u8(out, *b);
    }
}

/// RFC 5952 text, with glibc's embedded-IPv4 forms (`::ffff:1.2.3.4`), as Wireshark shows it.
pub fn write_ipv6(out: &mut String, a: &[u8; 16]) {
    let mut words = [0u16; 8];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    }
    // Longest run of zero words (at least two), first one on ties.
    let (mut best_start, mut best_len) = (usize::MAX, 0usize);
    let mut i = 0;
    while i < 8 {
        if words[i] == 0 {
            let start = i;
            while i < 8 && words[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_start = usize::MAX;
    }
    let embedded_v4 = best_start == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff));
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        if embedded_v4 && i == 6 {
            write_ipv4(out, [a[12], a[13], a[14], a[15]]);
            break;
        }
        crate::text::push_hex(out, words[i] as u64, 1);
        if i < 7 {
            out.push(':');
        }
        i += 1;
    }
}

pub fn write_ether(out: &mut String, a: &[u8; 6]) {
    for (i, b) in a.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        crate::text::push_hex(out, *b as u64, 2);
    }
}

pub fn ipv4_string(a: [u8; 4]) -> String {
    let mut s = String::with_capacity(15);
    write_ipv4(&mut s, a);
    s
}

pub fn ipv6_string(a: &[u8; 16]) -> String {
    let mut s = String::with_capacity(39);
    write_ipv6(&mut s, a);
    s
}

pub fn ether_string(a: &[u8; 6]) -> String {
    let mut s = String::with_capacity(17);
    write_ether(&mut s, a);
    s
}

/// Days since 1970-01-01 to (year, month 1-12, day 1-31), proleptic Gregorian.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The local time zone as the host sees it. The core has no time-zone database: the host
/// passes the UTC offset and abbreviation that tshark would take from the system's
/// `localtime()`, and where they change (daylight saving time), so that a frame shows the
/// offset of its own date, not the one of the day it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    /// The offset now: for absolute times in display filters, and for all times when
    /// `changes` is empty.
    pub offset_s: i64,
    pub name: String,
    /// (UTC second it starts at, offset, abbreviation), ascending; the first also holds for
    /// the times before it.
    pub changes: Vec<(i64, i64, String)>,
}

impl Default for Zone {
    fn default() -> Zone {
        Zone { offset_s: 0, name: "UTC".to_string(), changes: Vec::new() }
    }
}

impl Zone {
    /// The offset and abbreviation in force at `ns` (UTC nanoseconds).
    pub fn at(&self, ns: i64) -> (i64, &str) {
        let secs = ns.div_euclid(1_000_000_000);
        let after = self.changes.partition_point(|c| c.0 <= secs);
        match self.changes.get(after.saturating_sub(1)) {
            Some(c) => (c.1, &c.2),
            None => (self.offset_s, &self.name),
        }
    }

    /// `ns` (UTC) as local nanoseconds.
    pub fn local(&self, ns: i64) -> i64 {
        ns.saturating_add(self.at(ns).0.saturating_mul(1_000_000_000))
    }
}

/// `Nov 24, 2026 23:23:00.123456789 UTC`: Wireshark's absolute time in `zone`.
pub fn write_abs_time(out: &mut String, ns: i64, zone: &Zone) {
    let local = zone.local(ns);
    let secs = local.div_euclid(1_000_000_000);
    let frac = local.rem_euclid(1_000_000_000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let _ = write!(
        out,
        "{} {:2}, {} {:02}:{:02}:{:02}.{:09} {}",
        MONTHS[(m - 1) as usize],
        d,
        y,
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        frac,
        zone.at(ns).1
    );
}

/// Seconds with `digits` decimals, truncated toward zero as Wireshark's nstime_to_str does.
pub fn write_seconds(out: &mut String, ns: i64, digits: u32) {
    // u64 arithmetic: i128 division is a library call in wasm, and this runs for every frame.
    let abs = ns.unsigned_abs();
    let secs = abs / 1_000_000_000;
    let frac = abs % 1_000_000_000;
    if ns < 0 {
        out.push('-');
    }
    crate::text::push_uint(out, secs);
    if digits == 0 {
        return;
    }
    let digits = digits.min(9);
    out.push('.');
    crate::text::push_uint_zeros(out, frac / 10u64.pow(9 - digits), digits as usize);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_is_dotted_decimal() {
        for b in 0..=255u8 {
            for a in [[b, 0, 9, 255], [10, b, 100, 99], [255, 1, 10, b]] {
                assert_eq!(ipv4_string(a), std::net::Ipv4Addr::from(a).to_string());
            }
        }
    }

    fn v6(s: [u16; 8]) -> String {
        let mut b = [0u8; 16];
        for (i, w) in s.iter().enumerate() {
            b[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
        }
        ipv6_string(&b)
    }

    #[test]
    fn ipv6_text_forms() {
        assert_eq!(v6([0, 0, 0, 0, 0, 0, 0, 1]), "::1");
        assert_eq!(v6([0; 8]), "::");
        assert_eq!(v6([0xfe80, 0, 0, 0, 0x8c36, 0x6ff, 0xfe44, 0xacaf]), "fe80::8c36:6ff:fe44:acaf");
        assert_eq!(v6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), "2001:db8::1:0:0:1");
        assert_eq!(v6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]), "2001:db8:0:1:1:1:1:1");
        assert_eq!(v6([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]), "::ffff:1.2.3.4");
        assert_eq!(v6([0x2620, 0xfe, 0, 0, 0, 0, 0, 9]), "2620:fe::9");
    }

    #[test]
    fn times() {
        let mut s = String::new();
        write_abs_time(&mut s, 1_362_692_526_869_344_000, &Zone::default());
        assert_eq!(s, "Mar  7, 2013 21:42:06.869344000 UTC");
        s.clear();
        write_seconds(&mut s, 69_740_123, 6);
        assert_eq!(s, "0.069740");
        s.clear();
        write_seconds(&mut s, -1_500_000_000, 6);
        assert_eq!(s, "-1.500000");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
