//! Literal values, converted to the type of the field they are compared with, the way
//! Wireshark 4.0's ftypes read them (`fvalue_from_literal`, `fvalue_from_string`,
//! `fvalue_from_charconst`), with the same error texts.

use super::value::Val;
use crate::field::{FieldDef, FieldType};
use std::borrow::Cow;

/// What a literal is converted to: a type, and the field whose value strings may name it.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub ftype: FieldType,
    pub field: Option<&'a FieldDef>,
    /// `contains` accepts partial values (a few bytes of a MAC address).
    pub partial: bool,
    /// The local zone, for absolute times written without one (UTC when none).
    pub zone: Option<&'a crate::addr::Zone>,
}

/// Wireshark's description of a type (`tshark -G ftypes`), used in messages.
pub fn pretty_name(ft: FieldType) -> &'static str {
    match ft {
        FieldType::Protocol => "Protocol",
        FieldType::None => "Label",
        FieldType::Uint8 => "Unsigned integer (1 byte)",
        FieldType::Uint16 => "Unsigned integer (2 bytes)",
        FieldType::Uint24 => "Unsigned integer (3 bytes)",
        FieldType::Uint32 => "Unsigned integer (4 bytes)",
        FieldType::Uint64 => "Unsigned integer (8 bytes)",
        FieldType::Int32 => "Signed integer (4 bytes)",
        FieldType::Bool => "Boolean",
        FieldType::Ipv4 => "IPv4 address",
        FieldType::Ipv6 => "IPv6 address",
        FieldType::Ether => "Ethernet or other MAC address",
        FieldType::Bytes => "Byte sequence",
        FieldType::String => "Character string",
        FieldType::Double => "Floating point (double-precision)",
        FieldType::AbsTime => "Date and time",
        FieldType::RelTime => "Time offset",
        FieldType::FrameNum => "Frame number",
    }
}

/// Whether the type holds an integer (booleans excluded).
pub fn is_integer(ft: FieldType) -> bool {
    ft.is_unsigned() || ft == FieldType::Int32
}

fn max_of(ft: FieldType) -> u64 {
    match ft {
        FieldType::Uint8 => 0xff,
        FieldType::Uint16 => 0xffff,
        FieldType::Uint24 => 0xff_ffff,
        FieldType::Uint32 | FieldType::FrameNum => 0xffff_ffff,
        FieldType::Int32 => i32::MAX as u64,
        _ => u64::MAX,
    }
}

/// An unsigned number as strtoull with base 0 reads it, plus `0b` binary.
pub fn parse_number(text: &str) -> Option<u64> {
    let (digits, radix) = if let Some(h) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(b) = text.strip_prefix("0b").or_else(|| text.strip_prefix("0B")) {
        (b, 2)
    } else if text.len() > 1 && text.starts_with('0') {
        (&text[1..], 8)
    } else {
        (text, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Overflow saturates (strtoull's ERANGE) and is then reported as too big.
    Some(u64::from_str_radix(digits, radix).unwrap_or(u64::MAX))
}

fn lookup_value_string(field: &FieldDef, s: &str) -> Option<u64> {
    field.strings.and_then(|vs| vs.iter().find(|(_, name)| name.eq_ignore_ascii_case(s)).map(|(v, _)| *v))
}

/// The true/false strings a boolean field shows (bit flags show Set / Not set).
fn bool_strings(field: Option<&FieldDef>) -> (&'static str, &'static str) {
    match field {
        Some(f) if f.bitmask != 0 => ("Set", "Not set"),
        _ => ("True", "False"),
    }
}

fn not_found(s: &str, field: Option<&FieldDef>) -> String {
    format!("\"{}\" cannot be found among the possible values for {}.", s, field.map_or("", |f| f.abbrev))
}

fn int_val(ft: FieldType, v: u64) -> Val<'static> {
    if ft == FieldType::Int32 {
        Val::Int(v as i64)
    } else {
        Val::Uint(v)
    }
}

/// An unquoted literal (`80`, `TCP`, `10.0.0.0/8`, `00:11:22:33:44:55`) as a value of `t`.
pub fn from_literal(t: &Target, text: &str) -> Result<Val<'static>, String> {
    let ft = t.ftype;
    match ft {
        _ if is_integer(ft) => match parse_number(text) {
            Some(v) if v > max_of(ft) => Err(format!("\"{}\" too big for this field, maximum {}.", text, max_of(ft))),
            Some(v) => Ok(int_val(ft, v)),
            None => match t.field.filter(|f| f.strings.is_some()) {
                Some(f) => lookup_value_string(f, text).map(|v| int_val(ft, v)).ok_or_else(|| not_found(text, t.field)),
                None => Err(format!("\"{}\" is not a valid number.", text)),
            },
        },
        FieldType::Bool => {
            if let Some(v) = parse_number(text) {
                return Ok(Val::Uint((v != 0) as u64));
            }
            match text {
                "True" | "TRUE" => return Ok(Val::Uint(1)),
                "False" | "FALSE" => return Ok(Val::Uint(0)),
                _ => {}
            }
            bool_from_strings(t, text)
        }
        FieldType::Ipv4 => parse_ipv4_cidr(text),
        FieldType::Ipv6 => parse_ipv6_prefix(text),
        FieldType::Ether => {
            let bytes = hex_bytes(text.strip_prefix(':').unwrap_or(text))
                .ok_or_else(|| format!("\"{}\" is not a valid hostname or Ethernet address.", text))?;
            if bytes.len() > 6 {
                Err(format!("\"{}\" contains too many bytes to be a valid Ethernet address.", text))
            } else if bytes.len() < 6 && !t.partial {
                Err(format!("\"{}\" contains too few bytes to be a valid Ethernet address.", text))
            } else if bytes.len() == 6 {
                let mut a = [0u8; 6];
                a.copy_from_slice(&bytes);
                Ok(Val::Ether(a))
            } else {
                Ok(Val::Bytes(Cow::Owned(bytes)))
            }
        }
        FieldType::Bytes | FieldType::Protocol | FieldType::None => bytes_from_literal(text).map(|b| Val::Bytes(Cow::Owned(b))),
        FieldType::String => Ok(Val::Str(Cow::Owned(text.as_bytes().to_vec()))),
        FieldType::Double => parse_double(text).map(Val::Double).ok_or_else(|| format!("\"{}\" is not a valid number.", text)),
        FieldType::AbsTime => {
            parse_epoch(text).or_else(|| parse_date(text, t.zone)).map(Val::Time).ok_or_else(|| abs_time_error(text))
        }
        FieldType::RelTime => parse_seconds(text).map(Val::Time).ok_or_else(|| format!("\"{}\" is not a valid time.", text)),
        _ => Err(format!("\"{}\" is not a valid number.", text)),
    }
}

fn bool_from_strings(t: &Target, s: &str) -> Result<Val<'static>, String> {
    let (yes, no) = bool_strings(t.field);
    if s.eq_ignore_ascii_case(yes) {
        Ok(Val::Uint(1))
    } else if s.eq_ignore_ascii_case(no) {
        Ok(Val::Uint(0))
    } else {
        Err(not_found(s, t.field))
    }
}

fn abs_time_error(s: &str) -> String {
    format!("\"{}\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\"", s)
}

/// A double-quoted string as a value of `t`; `shown` is the token as written (with quotes).
pub fn from_string(t: &Target, s: &[u8], shown: &str) -> Result<Val<'static>, String> {
    let text = String::from_utf8_lossy(s);
    let cannot = || format!("{} cannot be converted from a string ({}).", pretty_name(t.ftype), shown);
    match t.ftype {
        FieldType::String => Ok(Val::Str(Cow::Owned(s.to_vec()))),
        FieldType::Bytes | FieldType::Protocol | FieldType::None => Ok(Val::Bytes(Cow::Owned(s.to_vec()))),
        FieldType::AbsTime => parse_date(&text, t.zone).map(Val::Time).ok_or_else(|| abs_time_error(&text)),
        FieldType::Bool => bool_from_strings(t, &text),
        ft if is_integer(ft) => match t.field.filter(|f| f.strings.is_some()) {
            Some(f) => lookup_value_string(f, &text).map(|v| int_val(ft, v)).ok_or_else(|| not_found(&text, t.field)),
            None => Err(cannot()),
        },
        _ => Err(cannot()),
    }
}

/// A character constant (`'a'`) as a value of `t`.
pub fn from_char(t: &Target, v: u64, shown: &str) -> Result<Val<'static>, String> {
    let cannot = || format!("Character constant {} (0x{:02x}) cannot be converted to {}.", shown, v, pretty_name(t.ftype));
    match t.ftype {
        ft if is_integer(ft) => {
            if v > max_of(ft) {
                Err(format!("Character constant {} (0x{:02x}) too big for this field, maximum {}.", shown, v, max_of(ft)))
            } else {
                Ok(int_val(ft, v))
            }
        }
        FieldType::Bool => Ok(Val::Uint((v != 0) as u64)),
        FieldType::Bytes | FieldType::Protocol | FieldType::None if v <= 0xff => Ok(Val::Bytes(Cow::Owned(vec![v as u8]))),
        FieldType::String if v <= 0xff => Ok(Val::Str(Cow::Owned(vec![v as u8]))),
        _ => Err(cannot()),
    }
}

/// Wireshark's hex_str_to_bytes without forced separators: pairs (or quads) of hex digits,
/// optionally separated by `:` `.` `-`; a lone digit is one byte.
pub fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let hex = |i: usize| b.get(i).map_or(false, |c| c.is_ascii_hexdigit());
    let sep = |i: usize| matches!(b.get(i), Some(b':') | Some(b'.') | Some(b'-'));
    let val = |i: usize| (b[i] as char).to_digit(16).unwrap_or(0) as u8;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if hex(i) && hex(i + 1) && hex(i + 2) && hex(i + 3) {
            out.push(val(i) << 4 | val(i + 1));
            out.push(val(i + 2) << 4 | val(i + 3));
            i += 4;
        } else if hex(i) && hex(i + 1) {
            out.push(val(i) << 4 | val(i + 1));
            i += 2;
        } else if hex(i) && (sep(i + 1) || i + 1 == b.len()) {
            out.push(val(i));
            i += 1;
        } else {
            return None;
        }
        if i < b.len() && sep(i) {
            i += 1;
        }
    }
    Some(out)
}

/// A byte string literal; a one-byte hex number (`0x47`) also stands for a byte.
fn bytes_from_literal(text: &str) -> Result<Vec<u8>, String> {
    let s = text.strip_prefix(':').unwrap_or(text);
    let s = if s.len() == 4 && (s.starts_with("0x") || s.starts_with("0X")) { &s[2..] } else { s };
    hex_bytes(s).filter(|b| !b.is_empty()).ok_or_else(|| format!("\"{}\" is not a valid byte string.", text))
}

pub fn parse_ipv4(text: &str) -> Option<u32> {
    let mut parts = text.split('.');
    let mut v = 0u32;
    for _ in 0..4 {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        v = v << 8 | n;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(v)
}

fn parse_ipv4_cidr(text: &str) -> Result<Val<'static>, String> {
    let (addr, bits) = match text.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let a = parse_ipv4(addr).ok_or_else(|| format!("\"{}\" is not a valid hostname or IPv4 address.", addr))?;
    let bits = match bits {
        None => 32,
        Some(b) => {
            let n: u32 = b.parse().map_err(|_| format!("\"{}\" is not a valid number.", b))?;
            if n > 32 {
                return Err(format!("Netmask bits in a CIDR IPv4 address should be <= 32, not {}", n));
            }
            n as u8
        }
    };
    Ok(Val::Ipv4(a, bits))
}

fn parse_ipv6_prefix(text: &str) -> Result<Val<'static>, String> {
    let (addr, bits) = match text.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let a = parse_ipv6(addr).ok_or_else(|| format!("\"{}\" is not a valid hostname or IPv6 address.", addr))?;
    let bits = match bits {
        None => 128,
        Some(b) => {
            let n: u32 = b.parse().map_err(|_| format!("\"{}\" is not a valid number.", b))?;
            if n > 128 {
                return Err(format!("Prefix in a IPv6 address should be <= 128, not {}", n));
            }
            n as u8
        }
    };
    Ok(Val::Ipv6(a, bits))
}

/// RFC 4291 text (`::1`, `fe80::1:2`, `::ffff:1.2.3.4`).
pub fn parse_ipv6(text: &str) -> Option<[u8; 16]> {
    if text.is_empty() || text.len() > 45 {
        return None;
    }
    let (head, tail) = match text.find("::") {
        Some(i) => (&text[..i], Some(&text[i + 2..])),
        None => (text, None),
    };
    let groups = |s: &str, allow_v4: bool| -> Option<Vec<u16>> {
        let mut out = Vec::new();
        if s.is_empty() {
            return Some(out);
        }
        let parts: Vec<&str> = s.split(':').collect();
        for (i, p) in parts.iter().enumerate() {
            if allow_v4 && i == parts.len() - 1 && p.contains('.') {
                let v = parse_ipv4(p)?;
                out.push((v >> 16) as u16);
                out.push(v as u16);
            } else if !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_hexdigit()) {
                out.push(u16::from_str_radix(p, 16).ok()?);
            } else {
                return None;
            }
        }
        Some(out)
    };
    let words = match tail {
        None => {
            let g = groups(head, true)?;
            if g.len() != 8 {
                return None;
            }
            g
        }
        Some(t) => {
            if t.contains("::") {
                return None;
            }
            let h = groups(head, false)?;
            let t = groups(t, true)?;
            if h.len() + t.len() > 7 {
                return None;
            }
            let mut w = h;
            w.resize(8 - t.len(), 0);
            w.extend(t);
            w
        }
    };
    let mut a = [0u8; 16];
    for (i, w) in words.iter().enumerate() {
        a[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
    }
    Some(a)
}

fn parse_double(text: &str) -> Option<f64> {
    if text.bytes().any(|c| c.is_ascii_alphabetic() && c != b'e' && c != b'E') {
        return None;
    }
    text.parse::<f64>().ok()
}

/// `[-]S[.fraction]` seconds as nanoseconds. Like Wireshark 4.0, whatever follows the
/// fraction is ignored (`1.0e-3` reads as one second), but not what follows bare seconds.
fn parse_seconds(text: &str) -> Option<i64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let int_len = t.bytes().take_while(|c| c.is_ascii_digit()).count();
    let (int, rest) = t.split_at(int_len);
    let frac = match rest.strip_prefix('.') {
        Some(f) => &f[..f.bytes().take_while(|c| c.is_ascii_digit()).count()],
        None if rest.is_empty() => "",
        None => return None,
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let secs: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut ns = 0i64;
    for (i, c) in frac.bytes().take(9).enumerate() {
        ns += (c - b'0') as i64 * 10i64.pow(8 - i as u32);
    }
    let v = secs.checked_mul(1_000_000_000)?.checked_add(ns)?;
    Some(if neg { -v } else { v })
}

/// Epoch seconds (`1700000000.5`) as an absolute time.
fn parse_epoch(text: &str) -> Option<i64> {
    if text.starts_with('-') {
        return None;
    }
    parse_seconds(text)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `HH:MM[:SS[.frac]]` as nanoseconds since midnight.
fn parse_clock(s: &str) -> Option<i64> {
    let mut it = s.splitn(3, ':');
    let h: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let sec_ns = match it.next() {
        Some(sec) => parse_seconds(sec).filter(|_| !sec.starts_with('-'))?,
        None => 0,
    };
    if h > 23 || m > 59 || sec_ns >= 61_000_000_000 {
        return None;
    }
    Some((h * 3600 + m * 60) * 1_000_000_000 + sec_ns)
}

/// ISO 8601 (`2020-07-04T12:34:56`, `2020-07-04 12:34`, `2020-07-04`) or Wireshark's own
/// `Sep 26, 2004 23:18:04.954975`; local time unless `Z` or ` UTC` ends it, in the offset of
/// its own date as `mktime` takes it (the offset at the local time read as UTC, then at the
/// UTC time that gives).
pub fn parse_date(text: &str, zone: Option<&crate::addr::Zone>) -> Option<i64> {
    let t = text.trim();
    let (t, utc) = if let Some(r) = t.strip_suffix('Z') {
        (r, true)
    } else if let Some(r) = t.strip_suffix(" UTC") {
        (r.trim_end(), true)
    } else {
        (t, false)
    };
    let (days, clock) = if t.len() >= 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
        let y: i64 = t[..4].parse().ok()?;
        let m: u32 = t[5..7].parse().ok()?;
        let d: u32 = t[8..10].parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let rest = &t[10..];
        let clock = if rest.is_empty() {
            0
        } else if rest.starts_with('T') || rest.starts_with(' ') {
            parse_clock(rest[1..].trim())?
        } else {
            return None;
        };
        (days_from_civil(y, m, d), clock)
    } else {
        let mut words = t.split_whitespace();
        let mon = words.next()?;
        let m = MONTHS.iter().position(|x| x.eq_ignore_ascii_case(mon))? as u32 + 1;
        let d: u32 = words.next()?.strip_suffix(',')?.parse().ok()?;
        let y: i64 = words.next()?.parse().ok()?;
        let clock = match words.next() {
            Some(c) => parse_clock(c)?,
            None => 0,
        };
        if words.next().is_some() || !(1..=31).contains(&d) {
            return None;
        }
        (days_from_civil(y, m, d), clock)
    };
    let local = days * 86_400_000_000_000 + clock;
    let offset_ns = |ns: i64| zone.map_or(0, |z| z.at(ns).0) * 1_000_000_000;
    Some(if utc { local } else { local - offset_ns(local - offset_ns(local)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(ftype: FieldType) -> Target<'static> {
        Target { ftype, field: None, partial: false, zone: None }
    }

    #[test]
    fn numbers_in_every_base() {
        assert_eq!(parse_number("0x1f90"), Some(8080));
        assert_eq!(parse_number("017620"), Some(8080));
        assert_eq!(parse_number("0b1111110010000"), Some(8080));
        assert_eq!(parse_number("09"), None);
        assert_eq!(from_literal(&target(FieldType::Uint16), "70000").unwrap_err(), "\"70000\" too big for this field, maximum 65535.");
        assert_eq!(from_literal(&target(FieldType::Uint16), "1.5").unwrap_err(), "\"1.5\" is not a valid number.");
    }

    #[test]
    fn byte_strings_as_wireshark_reads_them() {
        assert_eq!(hex_bytes("08:00"), Some(vec![8, 0]));
        assert_eq!(hex_bytes("0800"), Some(vec![8, 0]));
        assert_eq!(hex_bytes("000"), Some(vec![0, 0]));
        assert_eq!(hex_bytes("abc"), Some(vec![0xab, 0x0c]));
        assert_eq!(hex_bytes("0.1.0.d"), Some(vec![0, 1, 0, 0xd]));
        assert_eq!(bytes_from_literal("0x08"), Ok(vec![8]));
        assert!(bytes_from_literal("0x8").is_err());
        assert_eq!(
            from_literal(&target(FieldType::Ether), "00:11").unwrap_err(),
            "\"00:11\" contains too few bytes to be a valid Ethernet address."
        );
        assert_eq!(from_literal(&target(FieldType::Ether), "0000.0000.0000"), Ok(Val::Ether([0; 6])));
    }

    #[test]
    fn addresses_with_prefixes() {
        assert_eq!(from_literal(&target(FieldType::Ipv4), "10.0.0.0/8"), Ok(Val::Ipv4(0x0a00_0000, 8)));
        assert!(from_literal(&target(FieldType::Ipv4), "127.1").is_err());
        assert_eq!(
            from_literal(&target(FieldType::Ipv4), "1.2.3.4/33").unwrap_err(),
            "Netmask bits in a CIDR IPv4 address should be <= 32, not 33"
        );
        let mut lo = [0u8; 16];
        lo[15] = 1;
        assert_eq!(parse_ipv6("::1"), Some(lo));
        assert_eq!(parse_ipv6("0:0:0:0:0:0:0:1"), Some(lo));
        assert!(parse_ipv6("1:2:3").is_none());
        assert!(parse_ipv6("00:11:22:33:44:55").is_none());
        assert_eq!(parse_ipv6("::ffff:1.2.3.4").map(|a| a[12..].to_vec()), Some(vec![1, 2, 3, 4]));
    }

    #[test]
    fn times() {
        assert_eq!(parse_date("1970-01-02", None), Some(86_400_000_000_000));
        assert_eq!(parse_date("Jan  2, 1970 00:00:01.5", None), Some(86_401_500_000_000));
        let cet = crate::addr::Zone { offset_s: 3600, name: "CET".into(), changes: Vec::new() };
        assert_eq!(parse_date("1970-01-02T01:00:00", Some(&cet)), Some(86_400_000_000_000));
        assert_eq!(parse_date("1970-01-02T01:00:00Z", Some(&cet)), Some(90_000_000_000_000));
        // London in December: a July literal is BST (+1), a November one GMT, as mktime reads them.
        let london = crate::addr::Zone {
            offset_s: 0,
            name: "GMT".into(),
            changes: vec![(1_774_746_000, 3600, "BST".into()), (1_792_890_000, 0, "GMT".into())],
        };
        assert_eq!(parse_date("2026-07-02 14:46:40", Some(&london)), Some(1_783_000_000_000_000_000));
        assert_eq!(parse_date("2026-11-25 00:22:32", Some(&london)), Some(1_795_566_152_000_000_000));
        assert_eq!(parse_seconds("0.000494"), Some(494_000));
        assert_eq!(parse_seconds("-1"), Some(-1_000_000_000));
        assert_eq!(parse_seconds("2.5e-3"), Some(2_500_000_000));
        assert_eq!(parse_seconds("1e-3"), None);
    }
}
