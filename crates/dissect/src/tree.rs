//! The result of a dissection: a flat arena of field instances with parent links, each
//! carrying its byte range so the hex pane can highlight it.
//!
//! When a caller only needs columns (the batch summary path), the tree is disabled and every
//! `add_*` is a cheap no-op, like Wireshark dissecting with a NULL tree.

use crate::addr;
use crate::field::{Base, FieldDef, FieldType};
use crate::stats::taps::TapQueue;
use interest::Interest;

mod interest;
mod order;
use std::fmt::Write;


/// `set_label!(ctx.tree, node, "fmt", args..)`: sets a node's label, formatting it only when
/// labels are shown and the node was recorded (see `Tree::wants_label`).
#[macro_export]
macro_rules! set_label {
    ($tree:expr, $n:expr, $($fmt:tt)+) => {{
        let node = $n;
        if $tree.wants_label(node) {
            $tree.set_label(node, format!($($fmt)+));
        }
    }};
}

/// `append_label!(ctx.tree, node, "fmt", args..)`: Wireshark's proto_item_append_text, formatted
/// only when the label will be shown.
#[macro_export]
macro_rules! append_label {
    ($tree:expr, $n:expr, $($fmt:tt)+) => {{
        let node = $n;
        if $tree.wants_label(node) {
            $tree.append_text(node, &format!($($fmt)+));
        }
    }};
}

pub const NO_NODE: u32 = u32::MAX;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    None,
    Uint(u64),
    Int(i64),
    Bool(bool),
    Ipv4([u8; 4]),
    Ipv6([u8; 16]),
    Ether([u8; 6]),
    /// The node's own byte range in the frame.
    Bytes,
    /// Raw text (`text::lossy`); escaping happens when it is shown, never before.
    Str(String),
    Double(f64),
    /// Nanoseconds (absolute since the epoch, or relative, by the field's type).
    Time(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Chat,
    Note,
    Warn,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Chat => "Chat",
            Severity::Note => "Note",
            Severity::Warn => "Warning",
            Severity::Error => "Error",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Checksum,
    Sequence,
    Malformed,
    Protocol,
    Undecoded,
    Reassemble,
    Deprecated,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Checksum => "Checksum",
            Group::Sequence => "Sequence",
            Group::Malformed => "Malformed",
            Group::Protocol => "Protocol",
            Group::Undecoded => "Undecoded",
            Group::Reassemble => "Reassemble",
            Group::Deprecated => "Deprecated",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Expert {
    pub severity: Severity,
    pub group: Group,
    /// As shown (packet text escaped).
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub field: &'static FieldDef,
    pub parent: u32,
    pub start: u32,
    pub len: u32,
    pub value: Value,
    /// A complete label replacing the one rendered from field and value.
    pub label: Option<String>,
    pub generated: bool,
    pub hidden: bool,
    pub expert: Option<Expert>,
    /// Which bytes `start`/`len` refer to: 0 = the frame, k = `Tree::sources[k - 1]`.
    pub source: u16,
}

/// Bytes a dissection made that are not in the frame (reassembled or de-chunked data), which
/// Wireshark shows as extra tabs of the bytes pane and `-x` prints after the frame.
#[derive(Clone, Debug)]
pub struct DataSource {
    pub name: String,
    pub data: Vec<u8>,
}

pub struct Tree {
    pub nodes: Vec<Node>,
    pub sources: Vec<DataSource>,
    /// Source of the nodes being added (see `Node::source`).
    current_source: u16,
    /// A copy of the frame while the tree is enabled with labels, so byte fields can render them.
    frame: Vec<u8>,
    enabled: bool,
    /// Whether labels will be shown (-V, JSON, the TUI's details). Filters, `-T fields` and
    /// most statistics read values only, so dissectors skip formatting labels for them.
    labels: bool,
    /// The fields recorded when not all are (`interest.rs`).
    interest: Interest,
    /// Local time zone for absolute-time labels.
    pub zone: addr::Zone,
    /// The protocols this dissection added an item for, recorded even when the tree is off:
    /// the first pass keeps them per frame so a display filter can be judged before
    /// dissecting (`filter::prejudge`).
    pub protocols_added: Vec<&'static FieldDef>,
    /// Tap entries queued as the dissection went (`Ctx::tap`), when the header tables read
    /// those instead of the tree. Taken back with the nodes by `rollback`.
    pub taps: TapQueue,
}

/// A point in a dissection's tree (`Tree::mark`).
#[derive(Clone, Copy)]
pub struct TreeMark {
    nodes: usize,
    protocols: usize,
    taps: usize,
}

impl Tree {
    pub fn new(enabled: bool) -> Tree {
        Tree {
            nodes: Vec::new(),
            sources: Vec::new(),
            current_source: 0,
            frame: Vec::new(),
            enabled,
            labels: true,
            interest: Interest::new(),
            zone: addr::Zone::default(),
            protocols_added: Vec::new(),
            taps: TapQueue::default(),
        }
    }

    /// Starts a new dissection; an enabled tree keeps a copy of the frame for labels.
    pub fn reset_for(&mut self, enabled: bool, frame: &[u8]) {
        self.reset(enabled);
        if enabled && self.labels {
            self.frame.extend_from_slice(frame);
        }
    }

    pub fn reset(&mut self, enabled: bool) {
        self.frame.clear();
        self.nodes.clear();
        self.sources.clear();
        self.current_source = 0;
        self.enabled = enabled;
        self.protocols_added.clear();
        self.taps.list.clear();
    }

    /// Registers bytes that are not in the frame (e.g. a reassembled PDU) and makes them the
    /// source of the nodes added next. Dissect the copy the caller keeps with a `Layer` over
    /// it, then `leave_source` with the returned previous source. A disabled tree copies
    /// nothing.
    pub fn enter_source(&mut self, name: &str, data: &[u8]) -> u16 {
        let prev = self.current_source;
        if self.enabled && self.sources.len() < u16::MAX as usize - 1 {
            self.sources.push(DataSource { name: name.to_string(), data: data.to_vec() });
            self.current_source = self.sources.len() as u16;
        }
        prev
    }

    pub fn leave_source(&mut self, prev: u16) {
        self.current_source = prev;
    }

    /// The bytes of source `k` (0 = the frame, which the caller passes).
    pub fn source_bytes<'a>(&'a self, k: u16, frame: &'a [u8]) -> &'a [u8] {
        if k == 0 {
            frame
        } else {
            self.sources.get(k as usize - 1).map_or(&[][..], |s| &s.data[..])
        }
    }

    #[inline]
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Whether labels are formatted from now on (they are by default).
    pub fn set_labels(&mut self, on: bool) {
        self.labels = on;
    }

    /// Whether labels are being formatted (the tree is enabled and will be shown).
    pub fn labels(&self) -> bool {
        self.enabled && self.labels
    }

    /// Whether node `n` exists and its label will be shown: `set_label!`/`append_label!` format
    /// only then, so a tree built for a filter costs no text.
    pub fn wants_label(&self, n: u32) -> bool {
        self.labels && (n as usize) < self.nodes.len()
    }

    /// Whether an instance of `field` added now would be recorded: lets a dissector skip
    /// computing an expensive value (a formatted address, a decoded string) nobody reads.
    #[inline]
    pub fn wants(&self, field: &'static FieldDef) -> bool {
        self.enabled && self.interesting(field)
    }

    /// Records only instances of `fields` from now on (`None`: everything).
    pub fn set_interest(&mut self, fields: Option<&[&'static FieldDef]>) {
        self.interest.set(fields);
    }

    /// Whether a field of any of `protos` (filter names) may be recorded: a protocol that
    /// carries no other can then be dissected without a tree (`Ctx::leaf`).
    pub fn wants_protocol(&self, protos: &[&str]) -> bool {
        self.enabled && self.interest.names_protocol(protos)
    }

    /// Whether a field whose filter name starts with one of `prefixes` may be recorded (any
    /// field when an `_ws` item is of interest: expert items go with every layer's fields).
    pub fn wants_prefixes(&self, prefixes: &[&str]) -> bool {
        self.enabled && self.interest.names_prefix(prefixes)
    }

    /// Stops recording until `resume` (returns what `resume` must be given).
    pub fn suspend(&mut self) -> bool {
        std::mem::replace(&mut self.enabled, false)
    }

    pub fn resume(&mut self, enabled: bool) {
        self.enabled = enabled;
    }

    #[inline]
    fn interesting(&self, field: &'static FieldDef) -> bool {
        self.interest.contains(field)
    }

    /// Where the tree is now, for `rollback`.
    pub fn mark(&self) -> TreeMark {
        TreeMark { nodes: self.nodes.len(), protocols: self.protocols_added.len(), taps: self.taps.list.len() }
    }

    /// Takes back what was added since `mark` (a dissector's attempt that did not stand).
    pub fn rollback(&mut self, mark: TreeMark) {
        self.nodes.truncate(mark.nodes);
        self.protocols_added.truncate(mark.protocols);
        self.taps.list.truncate(mark.taps);
    }

    /// Adds a field instance under `parent` (NO_NODE for a top-level item).
    pub fn add(&mut self, parent: u32, field: &'static FieldDef, start: usize, len: usize, value: Value) -> u32 {
        if field.ftype == FieldType::Protocol {
            self.protocols_added.push(field);
        }
        if !self.enabled {
            return NO_NODE;
        }
        if !self.interesting(field) {
            return NO_NODE;
        }
        self.nodes.push(Node {
            field,
            parent,
            start: start as u32,
            len: len as u32,
            value,
            label: None,
            generated: false,
            hidden: false,
            expert: None,
            source: self.current_source,
        });
        (self.nodes.len() - 1) as u32
    }

    pub fn add_uint(&mut self, parent: u32, field: &'static FieldDef, start: usize, len: usize, v: u64) -> u32 {
        self.add(parent, field, start, len, Value::Uint(v))
    }

    /// A field computed by Reef rather than read from the bytes (shown in [brackets]).
    pub fn add_generated(&mut self, parent: u32, field: &'static FieldDef, value: Value) -> u32 {
        let n = self.add(parent, field, 0, 0, value);
        if let Some(node) = self.node_mut(n) {
            node.generated = true;
        }
        n
    }

    pub fn node(&self, n: u32) -> Option<&Node> {
        self.nodes.get(n as usize)
    }

    pub fn node_mut(&mut self, n: u32) -> Option<&mut Node> {
        self.nodes.get_mut(n as usize)
    }

    pub fn set_label(&mut self, n: u32, label: String) {
        if !self.labels {
            return;
        }
        if let Some(node) = self.node_mut(n) {
            node.label = Some(label);
        }
    }

    /// Appends text to a node's label (Wireshark's proto_item_append_text).
    pub fn append_text(&mut self, n: u32, text: &str) {
        if !self.wants_label(n) {
            return;
        }
        let mut label = self.label(n);
        label.push_str(text);
        self.set_label(n, label);
    }

    pub fn set_len(&mut self, n: u32, len: usize) {
        if let Some(node) = self.node_mut(n) {
            node.len = len as u32;
        }
    }

    pub fn set_hidden(&mut self, n: u32) {
        if let Some(node) = self.node_mut(n) {
            node.hidden = true;
        }
    }

    /// Marks `_ws.expert` node `n` with its expert, which colouring, `-z expert` and the TUI
    /// read. Dissectors add experts with `expert::add` or `expert::attach`.
    pub(crate) fn mark_expert(&mut self, n: u32, severity: Severity, group: Group, message: &str) {
        if let Some(node) = self.node_mut(n) {
            node.expert = Some(Expert { severity, group, message: message.to_string() });
        }
    }

    /// The text shown for node `n` in the details tree.
    pub fn label(&self, n: u32) -> String {
        match self.node(n) {
            Some(node) => match &node.label {
                Some(l) => l.clone(),
                None => {
                    let bytes = self.source_bytes(node.source, &self.frame);
                    let (s, e) = (node.start as usize, node.start as usize + node.len as usize);
                    render_label(node, &self.zone, bytes.get(s..e.min(bytes.len())))
                }
            },
            None => String::new(),
        }
    }

    /// The label as Wireshark displays it: cut to its 240-byte label buffer, with
    /// ` [truncated]` inserted where the value starts (at the front for text items).
    pub fn display_label(&self, n: u32) -> String {
        let label = self.label(n);
        if label.len() < LABEL_LIMIT {
            return label;
        }
        let name_pos = match self.node(n) {
            Some(node) if node.label.is_none() && node.field.bitmask == 0 => node.field.name.len() + node.generated as usize,
            _ => 0,
        };
        let name_pos = if label.is_char_boundary(name_pos) { name_pos } else { 0 };
        let mut out = String::with_capacity(LABEL_LIMIT);
        out.push_str(&label[..name_pos]);
        out.push_str(" [truncated]");
        let mut end = TRUNCATED_LEN.saturating_sub(out.len()) + name_pos;
        while end > name_pos && !label.is_char_boundary(end.min(label.len())) {
            end -= 1;
        }
        out.push_str(&label[name_pos..end.min(label.len())]);
        out
    }

    /// Whether any node (or a protocol) with this field exists.
    pub fn has(&self, field: &'static FieldDef) -> bool {
        self.nodes.iter().any(|n| std::ptr::eq(n.field, field))
    }
}

/// Wireshark's ITEM_LABEL_LENGTH (bytes, with its terminator) and what a cut label keeps.
const LABEL_LIMIT: usize = 240;
const TRUNCATED_LEN: usize = 238;

/// Wireshark's bit-field prefix (`.... ..1. ....`): the bits of `value` under `mask` in an
/// integer `width` bits wide, dots elsewhere.
pub fn bit_string(width: u32, mask: u64, value: u64) -> String {
    let mut s = String::with_capacity(width as usize * 5 / 4);
    for i in (0..width).rev() {
        let bit = 1u64 << i;
        s.push(if mask & bit == 0 { '.' } else if value & bit != 0 { '1' } else { '0' });
        if i % 4 == 0 && i != 0 {
            s.push(' ');
        }
    }
    s
}

/// Hex digits of an integer type.
pub fn hex_width(ftype: FieldType) -> usize {
    match ftype {
        FieldType::Uint8 => 2,
        FieldType::Uint16 => 4,
        FieldType::Uint24 => 6,
        FieldType::Uint32 | FieldType::Int32 => 8,
        _ => 16,
    }
}

/// Writes an integer the way the field's base says.
pub fn write_uint(out: &mut String, f: &FieldDef, v: u64) {
    // A bit field's hex width follows its mask, not its container.
    let w = if f.bitmask != 0 { ((64 - (f.bitmask >> f.bitmask.trailing_zeros()).leading_zeros() + 3) / 4) as usize } else { hex_width(f.ftype) };
    let _ = match f.base {
        Base::Hex => write!(out, "0x{:0w$x}", v, w = w),
        Base::DecHex => write!(out, "{} (0x{:0w$x})", v, v, w = w),
        Base::HexDec => write!(out, "0x{:0w$x} ({})", v, v, w = w),
        _ => write!(out, "{}", v),
    };
}

/// The value part of a label (what follows `Name: `).
pub fn write_value(out: &mut String, f: &FieldDef, value: &Value, bytes: Option<&[u8]>, zone: &addr::Zone) {
    match value {
        Value::Uint(v) => {
            // A value its field has no name for is "Unknown", as Wireshark labels it.
            match f.value_name(*v).or_else(|| f.strings.filter(|_| !f.special_vals).map(|_| "Unknown")) {
                Some(name) => {
                    out.push_str(name);
                    out.push_str(" (");
                    write_uint(out, f, *v);
                    out.push(')');
                }
                None => write_uint(out, f, *v),
            }
        }
        Value::Int(v) => match f.value_name(*v as u64).filter(|_| *v >= 0) {
            Some(name) => {
                let _ = write!(out, "{} ({})", name, v);
            }
            None => {
                let _ = write!(out, "{}", v);
            }
        },
        // A field's own names for true and false (Wireshark's true_false_string) come first.
        Value::Bool(b) => out.push_str(f.value_name(*b as u64).unwrap_or(if *b {
            if f.bitmask != 0 {
                "Set"
            } else {
                "True"
            }
        } else if f.bitmask != 0 {
            "Not set"
        } else {
            "False"
        })),
        Value::Ipv4(a) => addr::write_ipv4(out, *a),
        Value::Ipv6(a) => addr::write_ipv6(out, a),
        Value::Ether(a) => addr::write_ether(out, a),
        Value::Bytes => {
            // Wireshark shows at most 36 bytes of a byte field, then an ellipsis.
            let b = bytes.unwrap_or(&[]);
            for x in &b[..b.len().min(36)] {
                let _ = write!(out, "{:02x}", x);
            }
            if b.len() > 36 {
                out.push('\u{2026}');
            }
        }
        // An expert's message is display text already (`expert::build`).
        Value::Str(s) if std::ptr::eq(f, &crate::expert::MESSAGE) => out.push_str(s),
        Value::Str(s) => crate::text::write_escaped(out, s.as_bytes()),
        Value::Double(d) => {
            let _ = write!(out, "{}", d);
        }
        Value::Time(ns) => match f.ftype {
            FieldType::AbsTime => match f.base {
                Base::TimeUnix => {
                    addr::write_seconds(out, *ns, 9);
                    out.push_str(" seconds");
                }
                Base::TimeUtc => addr::write_abs_time(out, *ns, &addr::Zone::default()),
                _ => addr::write_abs_time(out, *ns, zone),
            },
            _ => {
                addr::write_seconds(out, *ns, 9);
                out.push_str(" seconds");
            }
        },
        Value::None => {}
    }
}

fn render_label(node: &Node, zone: &addr::Zone, bytes: Option<&[u8]>) -> String {
    let f = node.field;
    let mut out = String::new();
    if f.bitmask != 0 {
        let v = match node.value {
            Value::Uint(v) => v,
            Value::Bool(b) => b as u64,
            _ => 0,
        };
        out.push_str(&bit_string(f.bitwidth as u32, f.bitmask, v << f.bitmask.trailing_zeros()));
        out.push_str(" = ");
    }
    if node.generated {
        out.push('[');
    }
    out.push_str(f.name);
    match node.value {
        Value::None => {}
        _ if f.ftype == FieldType::Protocol => {}
        _ => {
            out.push_str(": ");
            write_value(&mut out, f, &node.value, bytes, zone);
        }
    }
    if node.generated {
        out.push(']');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static PORT: FieldDef = FieldDef::new("Source Port", "test.port", FieldType::Uint16);
    static TYPE: FieldDef = FieldDef::new("Type", "test.type", FieldType::Uint16).base(Base::Hex).strings(&[(0x0800, "IPv4")]);
    static SYN: FieldDef = FieldDef::new("Syn", "test.syn", FieldType::Bool).bits(12, 0x002);
    static HLEN: FieldDef = FieldDef::new("Header Length", "test.hlen", FieldType::Uint8).bits(8, 0x0f);

    #[test]
    fn labels_follow_wireshark() {
        let mut t = Tree::new(true);
        let a = t.add_uint(NO_NODE, &PORT, 0, 2, 8080);
        let b = t.add_uint(NO_NODE, &TYPE, 0, 2, 0x0800);
        let c = t.add(NO_NODE, &SYN, 0, 2, Value::Bool(true));
        let d = t.add_uint(NO_NODE, &HLEN, 0, 1, 5);
        assert_eq!(t.label(a), "Source Port: 8080");
        assert_eq!(t.label(b), "Type: IPv4 (0x0800)");
        assert_eq!(t.label(c), ".... .... ..1. = Syn: Set");
        assert_eq!(t.label(d), ".... 0101 = Header Length: 5");
        t.append_text(a, " (http)");
        assert_eq!(t.label(a), "Source Port: 8080 (http)");
    }

    #[test]
    fn disabled_tree_records_nothing() {
        let mut t = Tree::new(false);
        assert_eq!(t.add_uint(NO_NODE, &PORT, 0, 2, 1), NO_NODE);
        t.append_text(NO_NODE, "x");
        assert!(t.nodes.is_empty());
    }
}
