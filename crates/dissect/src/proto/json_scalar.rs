//! JSON's scalar tokens: the string and number matchers of `json.rs`'s tvbparse mirror, and
//! string unescaping as tshark 4.0's JSON dissector does it (`json_string_unescape`), quirks
//! included: an escape that ends the string adds nothing, a lone surrogate becomes U+FFFD and
//! eats the character after it, code points that are not printable are dropped, and the text
//! is a C string (it ends at a NUL).

use crate::packet::Ctx;
use crate::proto::json::{ByteSet, Parser, Tok};

const DIGITS: &ByteSet = &ByteSet::of(b"0123456789");
const NONZERO_DIGITS: &ByteSet = &ByteSet::of(b"123456789");
const HEX_DIGITS: &ByteSet = &ByteSet::of(b"0123456789abcdefABCDEF");
/// What ends a run of plain string characters.
const QUOTE_OR_BACKSLASH: &ByteSet = &ByteSet::of(b"\"\\");
const ESCAPED: &ByteSet = &ByteSet::of(b"\"\\/bfnrt");
const MINUS: &ByteSet = &ByteSet::of(b"-");
const SIGNS: &ByteSet = &ByteSet::of(b"-+");

impl<'a> Parser<'a> {
    /// `"` chars `"`, a chars being anything but `"` and `\`, or an escape.
    pub(crate) fn string(&mut self, ctx: &mut Ctx, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let ok = self.step(at, &mut off, &mut len, self.ch(at, b"\"")).and_then(|_| {
            let r = self.repeat(ctx, off, Self::string_part);
            self.step(at, &mut off, &mut len, r)?;
            self.step_ch(at, &mut off, &mut len, b"\"")
        });
        self.leave();
        ok.map(|_| (off - at, len))
    }

    fn string_part(&mut self, ctx: &mut Ctx, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let r = self.chars(at, QUOTE_OR_BACKSLASH, true, 1, usize::MAX).or_else(|| self.escape(ctx, at));
        self.leave();
        r
    }

    /// `\` then one of `"\/bfnrt`, or `u` and four hex digits.
    fn escape(&mut self, _ctx: &mut Ctx, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let ok = self.step(at, &mut off, &mut len, self.ch(at, b"\\")).and_then(|_| {
            let r = self.escaped_char(off);
            self.step(at, &mut off, &mut len, r)
        });
        self.leave();
        ok.map(|_| (off - at, len))
    }

    fn escaped_char(&mut self, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let r = self.chars(at, ESCAPED, false, 1, 1).or_else(|| {
            if !self.enter(at) {
                return None;
            }
            let (mut off, mut len) = (at, 0);
            let ok = self.step(at, &mut off, &mut len, self.ch(at, b"u")).and_then(|_| {
                self.step_chars(at, &mut off, &mut len, HEX_DIGITS, false, 4, 4)
            });
            self.leave();
            ok.map(|_| (off - at, len))
        });
        self.leave();
        r
    }

    /// `[-] int [. digits] [e|E [-|+] digits]`, whitespace allowed between the parts.
    pub(crate) fn number(&mut self, ctx: &mut Ctx, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let ok = (|| {
            let r = self.optional(ctx, off, |p, _, a| p.chars(a, MINUS, false, 1, 1));
            self.step(at, &mut off, &mut len, r)?;
            let r = self.int(ctx, off);
            self.step(at, &mut off, &mut len, r)?;
            let r = self.optional(ctx, off, Self::fraction);
            self.step(at, &mut off, &mut len, r)?;
            let r = self.optional(ctx, off, Self::exponent);
            self.step(at, &mut off, &mut len, r)
        })();
        self.leave();
        ok.map(|_| (off - at, len))
    }

    /// `0`, or a digit 1-9 and any digits.
    fn int(&mut self, ctx: &mut Ctx, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let r = self.ch(at, b"0").or_else(|| {
            if !self.enter(at) {
                return None;
            }
            let (mut off, mut len) = (at, 0);
            let ok = self.step(at, &mut off, &mut len, self.chars(at, NONZERO_DIGITS, false, 1, 1)).and_then(|_| {
                let r = self.optional(ctx, off, |p, _, a| p.chars(a, DIGITS, false, 1, usize::MAX));
                self.step(at, &mut off, &mut len, r)
            });
            self.leave();
            ok.map(|_| (off - at, len))
        });
        self.leave();
        r
    }

    fn fraction(&mut self, _ctx: &mut Ctx, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let ok = self
            .step(at, &mut off, &mut len, self.ch(at, b"."))
            .and_then(|_| self.step_chars(at, &mut off, &mut len, DIGITS, false, 1, usize::MAX));
        self.leave();
        ok.map(|_| (off - at, len))
    }

    fn exponent(&mut self, ctx: &mut Ctx, at: usize) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let ok = self.step(at, &mut off, &mut len, self.ch(at, b"eE")).and_then(|_| {
            let r = self.optional(ctx, off, |p, _, a| p.chars(a, SIGNS, false, 1, 1));
            self.step(at, &mut off, &mut len, r)?;
            self.step_chars(at, &mut off, &mut len, DIGITS, false, 1, usize::MAX)
        });
        self.leave();
        ok.map(|_| (off - at, len))
    }
}

/// The text of a token (without its quotes), unescaped.
pub fn unescape(s: &[u8]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' {
            // A UTF-8 lead byte copies its whole sequence (ws_utf8_char_len); 0xfe and 0xff end it.
            let n = match c {
                0xfe..=0xff => break,
                0xfc..=0xfd => 6,
                0xf8..=0xfb => 5,
                0xf0..=0xf7 => 4,
                0xe0..=0xef => 3,
                0xc0..=0xdf => 2,
                _ => 1,
            };
            let end = (i + n).min(s.len());
            out.extend_from_slice(&s[i..end]);
            i = end;
            continue;
        }
        i += 1;
        let e = match s.get(i) {
            Some(&e) => e,
            None => break,
        };
        let simple = match e {
            b'"' | b'\\' | b'/' => Some(e),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(v) = simple {
            out.push(v);
            i += 1;
            continue;
        }
        if e != b'u' {
            // The grammar lets only a whitespace-separated escape through (`\ n`); Wireshark
            // asserts there. Stop the text.
            break;
        }
        i += 1;
        let (mut cp, mut valid) = hex4(s, &mut i);
        if (0xd800..0xdc00).contains(&cp) {
            match s.get(i) {
                None => break,
                Some(b'\\') => {
                    i += 1;
                    match s.get(i) {
                        None => break,
                        Some(b'u') => {
                            i += 1;
                            let (trail, ok) = hex4(s, &mut i);
                            if ok && (0xdc00..0xe000).contains(&trail) {
                                cp = 0x10000 + ((cp - 0xd800) << 10) + (trail - 0xdc00);
                            } else {
                                valid = false;
                            }
                        }
                        Some(_) => {
                            i += 1;
                            valid = false;
                        }
                    }
                }
                Some(_) => {
                    i += 1;
                    valid = false;
                }
            }
        } else if (0xdc00..0xe000).contains(&cp) {
            valid = false;
        }
        if !valid {
            out.extend_from_slice("\u{fffd}".as_bytes());
        } else if let Some(ch) = char::from_u32(cp).filter(|&ch| is_print(ch)) {
            // Appended only while the escape is not the last thing in the string.
            if i < s.len() {
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    if let Some(nul) = out.iter().position(|&c| c == 0) {
        out.truncate(nul);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Four hex digits from `*i` (fewer when the string ends or a digit is not hex: invalid).
fn hex4(s: &[u8], i: &mut usize) -> (u32, bool) {
    let mut v = 0u32;
    for _ in 0..4 {
        let d = match s.get(*i) {
            Some(&c) => {
                *i += 1;
                (c as char).to_digit(16)
            }
            None => return (v, false),
        };
        match d {
            Some(d) => v = v << 4 | d,
            None => return (v, false),
        }
    }
    (v, true)
}

/// GLib's g_unichar_isprint without its Unicode tables: controls, format characters and
/// noncharacters are not printable (other unassigned code points are taken as printable).
fn is_print(c: char) -> bool {
    let c = c as u32;
    let control = c < 0x20 || (0x7f..0xa0).contains(&c);
    let format = matches!(c,
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2 | 0x180e | 0x200b..=0x200f | 0x202a..=0x202e
        | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff | 0xfff9..=0xfffb | 0x110bd | 0x110cd | 0x13430..=0x13438
        | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f);
    let noncharacter = (0xfdd0..=0xfdef).contains(&c) || c & 0xfffe == 0xfffe;
    !(control || format || noncharacter)
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn escapes_as_tshark_shows_them() {
        assert_eq!(unescape(br#"a\"b\\c\/d\n"#), "a\"b\\c/d\n");
        assert_eq!(unescape(br"\u00e9y"), "\u{e9}y");
        // An escape at the very end adds nothing (tshark shows `x` for "x\u00e9").
        assert_eq!(unescape(br"x\u00e9"), "x");
        assert_eq!(unescape(br"\ud83d\ude00!"), "\u{1f600}!");
        // A lone surrogate: U+FFFD, and the next character is lost.
        assert_eq!(unescape(br"\ud83dab"), "\u{fffd}b");
        assert_eq!(unescape(br"\udc00ab"), "\u{fffd}ab");
        // Not printable: dropped; a NUL ends the C string.
        assert_eq!(unescape(br"a\u0001b"), "ab");
        assert_eq!(unescape(b"a\0b"), "a");
        assert_eq!(unescape(b"a\xffb"), "a");
    }
}
