//! DNS names (RFC 1035 section 4.1.4) as Wireshark expands them: labels, compression
//! pointers with its loop and length rules (`<Name contains a pointer that loops>`,
//! `<Name too long>`), and a per-message budget so pointer chains cannot make a frame slow.

use super::dns::{LOOP_NAME, MAX_DNAME_LEN, MIN_DNAME_LEN};
use crate::field::FieldDef;
use crate::packet::{Ctx, DResult, DissectError, Layer};
use crate::text;
use crate::tree::Value;
use std::fmt::Write;

/// A name as Wireshark expands it: the text, its length in the packet, and the byte count
/// `name_len` that feeds `dns.qry.name.len` and the label count.
pub struct Name {
    pub raw: Vec<u8>,
    /// Bytes the name occupies where it was read (pointers count 2).
    pub used: usize,
}

impl Name {
    /// The name as shown in labels and Info (control characters escaped).
    pub fn display(&self) -> String {
        let mut s = String::with_capacity(self.raw.len());
        self.push_display(&mut s);
        s
    }

    /// Appends the name as shown (`display`) without a String of its own: Info takes every
    /// question's name.
    pub fn push_display(&self, out: &mut String) {
        // Nearly every name is printable ASCII without a backslash: nothing to escape.
        if self.raw.iter().all(|&b| (0x20..0x7f).contains(&b) && b != b'\\') {
            out.push_str(std::str::from_utf8(&self.raw).unwrap_or_default());
            return;
        }
        // tshark's format_text escapes control characters but leaves backslashes alone.
        out.push_str(&text::escaped(&self.raw).replace("\\\\", "\\"));
    }
    fn value(&self) -> Value {
        Value::Str(String::from_utf8_lossy(&self.raw).into_owned())
    }

    /// Adds the name as string field `f`, labelled as tshark shows names.
    pub fn add(&self, ctx: &mut Ctx, parent: u32, f: &'static FieldDef, l: &Layer, at: usize) -> u32 {
        let n = ctx.add(parent, f, l, at, self.used, self.value());
        if ctx.tree.enabled() && self.raw.contains(&b'\\') {
            crate::set_label!(ctx.tree, n, "{}: {}", f.name, self.display());
        }
        n
    }
}

/// Reads names of one message. `budget` caps the bytes all its names may walk through
/// compression pointers, so a message of pointer loops costs time linear in its length.
pub struct Names {
    budget: usize,
}

impl Names {
    pub fn new(msg: &Layer) -> Names {
        Names { budget: msg.len.saturating_mul(64).saturating_add(1 << 16) }
    }

    /// Wireshark's get_dns_name: expands the name at `at` (`<Root>` for the empty name).
    pub fn read(&mut self, msg: &Layer, at: usize) -> DResult<Name> {
        let mut name = self.expand(msg, at)?;
        if name.raw.is_empty() && name.used <= MIN_DNAME_LEN {
            name.raw = b"<Root>".to_vec();
        } else if name.used < MIN_DNAME_LEN || (name.used > MIN_DNAME_LEN && name.raw.is_empty()) {
            return Err(malformed(msg, at, "bad DNS name"));
        }
        Ok(name)
    }

    pub(super) fn expand(&mut self, msg: &Layer, start: usize) -> DResult<Name> {
        // Most names fit: one allocation instead of growing byte by byte.
        let mut out = Vec::with_capacity(64);
        let mut at = start;
        let mut used: Option<usize> = None;
        let mut pointers = 0;
        let mut room = MAX_DNAME_LEN;
        loop {
            msg.need(at + 1)?;
            let c = msg.u8(at) as usize;
            at += 1;
            if c == 0 {
                break;
            }
            match c & 0xc0 {
                0x00 => {
                    if !out.is_empty() {
                        if room > 0 {
                            out.push(b'.');
                            room -= 1;
                        }
                    } else {
                        room -= 1;
                    }
                    msg.need(at + c)?;
                    if self.budget < c {
                        return Ok(Name { raw: LOOP_NAME.as_bytes().to_vec(), used: used.unwrap_or_else(|| at - start) });
                    }
                    self.budget -= c;
                    let label = msg.slice(at, c);
                    let take = label.len().min(room.max(0) as usize);
                    out.extend_from_slice(&label[..take]);
                    room -= take as i32;
                    at += c;
                }
                0x40 if c & 0x3f == 1 => {
                    // RFC 2673 bit-string label, shown as \[x<hex>/<bits>].
                    msg.need(at + 1)?;
                    let bits = msg.u8(at) as usize;
                    at += 1;
                    let n = if bits == 0 { 1 } else { (bits - 1) / 8 + 1 };
                    msg.need(at + n)?;
                    let mut s = String::from("\\[x");
                    for b in msg.slice(at, n) {
                        let _ = write!(s, "{:02x}", b);
                    }
                    let _ = write!(s, "/{}]", bits);
                    for b in s.bytes() {
                        if room > 0 {
                            out.push(b);
                            room -= 1;
                        }
                    }
                    at += n;
                }
                0x40 => {
                    // Wireshark measures from the start even after a jump; a jump backwards
                    // makes that length negative, which it reports as malformed.
                    if at <= start {
                        return Err(malformed(msg, at - 1, "bad DNS label type"));
                    }
                    return Ok(Name { raw: b"<Unknown extended label>".to_vec(), used: at - start });
                }
                0x80 => return Err(malformed(msg, at - 1, "bad DNS label type")),
                _ => {
                    msg.need(at + 1)?;
                    let target = ((c & 0x3f) << 8) | msg.u8(at) as usize;
                    at += 1;
                    pointers += 1;
                    let used_now = *used.get_or_insert_with(|| at - start);
                    // Wireshark's own tests: a pointer to itself (as it computes it) or too many.
                    if target == at + 2 || pointers > MAX_DNAME_LEN || self.budget == 0 {
                        return Ok(Name { raw: LOOP_NAME.as_bytes().to_vec(), used: used_now });
                    }
                    self.budget -= 1;
                    at = target;
                }
            }
        }
        if room <= 0 {
            out = b"<Name too long>".to_vec();
        }
        Ok(Name { raw: out, used: used.unwrap_or_else(|| at - start) })
    }
}

fn malformed(msg: &Layer, at: usize, reason: &'static str) -> DissectError {
    DissectError::Malformed { layer: "DNS", offset: msg.abs(at), reason }
}

