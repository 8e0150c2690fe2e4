//! What the structured formats (JSON, EK, PDML) share: the tree's child lists in insertion
//! order, a field's value as Wireshark's `FTREPR_DISPLAY` string, and JSON strings escaped as
//! tshark's json_dumper escapes them.

use crate::field::{FieldDef, FieldType};
use crate::tree::{Node, Tree, Value, NO_NODE};
use std::fmt::Write;

/// Children of every node in insertion order, rebuilt per frame into reused vectors.
#[derive(Default)]
pub struct Kids {
    pub first: Vec<u32>,
    pub next: Vec<u32>,
    last: Vec<u32>,
    pub roots: Vec<u32>,
}

impl Kids {
    pub fn build(&mut self, tree: &Tree) {
        let n = tree.nodes.len();
        for v in [&mut self.first, &mut self.next, &mut self.last] {
            v.clear();
            v.resize(n, NO_NODE);
        }
        self.roots.clear();
        for (i, node) in tree.nodes.iter().enumerate() {
            let i = i as u32;
            let p = node.parent as usize;
            // Parents precede children; anything else is treated as a root, never a cycle.
            if node.parent == NO_NODE || p >= i as usize {
                self.roots.push(i);
            } else {
                if self.last[p] == NO_NODE {
                    self.first[p] = i;
                } else {
                    self.next[self.last[p] as usize] = i;
                }
                self.last[p] = i;
            }
        }
    }

    /// The children of `i` (NO_NODE: the roots), in order.
    pub fn children<'a>(&'a self, i: u32) -> impl Iterator<Item = u32> + 'a {
        let mut c = if i == NO_NODE { NO_NODE } else { self.first[i as usize] };
        let mut r = 0;
        std::iter::from_fn(move || {
            if i == NO_NODE {
                let v = self.roots.get(r).copied();
                r += 1;
                return v;
            }
            if c == NO_NODE {
                return None;
            }
            let v = c;
            c = self.next[c as usize];
            Some(v)
        })
    }

    pub fn has_children(&self, i: u32) -> bool {
        self.first.get(i as usize).map_or(false, |&c| c != NO_NODE)
    }
}

/// The type the formats see. TCP's options are Wireshark "protocols in name only" whose
/// values are their bytes (`tcp.options.mss: 02:04:ff:d7`); Reef declares them as protocols
/// or valueless fields, which the other outputs (`-G`, `-V`) need.
pub fn ftype(f: &FieldDef) -> FieldType {
    if matches!(f.ftype, FieldType::Protocol | FieldType::None) && f.abbrev.starts_with("tcp.options.") {
        FieldType::Bytes
    } else {
        f.ftype
    }
}

/// A protocol in name only (see `ftype`): named without its parent protocol in EK.
pub fn name_only_protocol(f: &FieldDef) -> bool {
    f.ftype != ftype(f)
}

/// Wireshark's text-only items (`proto_tree_add_text`), which have no filter name.
pub fn is_text(f: &FieldDef) -> bool {
    f.ftype == FieldType::None && (f.abbrev == "text" || f.abbrev.is_empty())
}

/// The bytes a node covers (in its data source), cut to what exists.
pub fn node_bytes<'a>(tree: &'a Tree, node: &Node, frame: &'a [u8]) -> &'a [u8] {
    let bytes = tree.source_bytes(node.source, frame);
    let (s, e) = (node.start as usize, node.start as usize + node.len as usize);
    bytes.get(s.min(bytes.len())..e.min(bytes.len())).unwrap_or(&[])
}

/// Appends the node's value as Wireshark's `fvalue_to_string_repr(FTREPR_DISPLAY)` renders
/// it (the `show` of PDML, the value of JSON): raw numbers, hex in hex bases, colon-separated
/// bytes, raw text. Returns false for nodes without a value (protocols, FT_NONE).
pub fn write_display(out: &mut String, tree: &Tree, n: u32, frame: &[u8]) -> bool {
    let node = match tree.node(n) {
        Some(x) => x,
        None => return false,
    };
    let f = node.field;
    match (&node.value, ftype(f)) {
        (_, FieldType::Protocol) | (_, FieldType::None) => return false,
        (Value::Bytes, _) | (Value::None, FieldType::Bytes) => {
            for (k, b) in node_bytes(tree, node, frame).iter().enumerate() {
                if k > 0 {
                    out.push(':');
                }
                let _ = write!(out, "{:02x}", b);
            }
        }
        (Value::Str(s), _) => out.push_str(s),
        (Value::None, _) => return false,
        _ => super::fields::write_value(out, tree, n, frame, &tree.zone),
    }
    true
}

/// Wireshark's ftype enum value (4.0), which `-x` JSON reports with each raw value.
pub fn ftype_number(f: &FieldDef) -> u32 {
    match ftype(f) {
        FieldType::None => 0,
        FieldType::Protocol => 1,
        FieldType::Bool => 2,
        FieldType::Uint8 => 4,
        FieldType::Uint16 => 5,
        FieldType::Uint24 => 6,
        FieldType::Uint32 => 7,
        FieldType::Uint64 => 11,
        FieldType::Int32 => 15,
        FieldType::Double => 23,
        FieldType::AbsTime => 24,
        FieldType::RelTime => 25,
        FieldType::String => 26,
        FieldType::Ether => 29,
        FieldType::Bytes => 30,
        FieldType::Ipv4 => 32,
        FieldType::Ipv6 => 33,
        FieldType::FrameNum => 35,
    }
}

/// The value of a bit field as `-x` JSON and PDML print it (`%X` of the masked value).
pub fn write_masked_hex(out: &mut String, node: &Node) {
    let v = match node.value {
        Value::Uint(v) => v,
        Value::Int(v) => v as u32 as u64,
        Value::Bool(b) => b as u64,
        _ => 0,
    };
    let _ = write!(out, "{:X}", v);
}

/// Plain lower-case hex of a node's bytes (`-x` JSON, PDML `value`).
pub fn write_hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        let _ = write!(out, "{:02x}", b);
    }
}

/// A JSON string as tshark's json_dumper writes it: `\"`, `\\`, the short escapes, `\u00XX`
/// for other control characters; everything else (UTF-8) as is. Valid JSON whatever the bytes,
/// since Reef's strings are valid UTF-8 (`text::lossy`).
pub fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\x08' => Some("\\b"),
            b'\x0c' => Some("\\f"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => Some(""),
            _ => None,
        };
        if let Some(e) = esc {
            out.push_str(&s[plain..i]);
            if e.is_empty() {
                let _ = write!(out, "\\u{:04x}", b);
            } else {
                out.push_str(e);
            }
            plain = i + 1;
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_controls_like_tshark() {
        let mut s = String::new();
        write_json_str(&mut s, "a\"b\\c\r\n\u{1b}[31m\u{7f}é");
        assert_eq!(s, "\"a\\\"b\\\\c\\r\\n\\u001b[31m\u{7f}é\"");
    }
}
