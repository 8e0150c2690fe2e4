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
    for c in s.chars() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_pass_raw() {
        assert_eq!(escaped(b"GET /\x1b[31mred\r\n"), "GET /\\x1b[31mred\\r\\n");
        assert_eq!(escaped(b"caf\xc3\xa9"), "café");
        assert_eq!(escaped(b"a\xffb"), "a\u{fffd}b");
        assert_eq!(escaped("\u{9b}2J".as_bytes()), "\\x9b2J");
    }
}
