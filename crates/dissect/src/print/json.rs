//! `-T json` and `-T jsonraw` as tshark 4.0 writes them (epan/print.c with json_dumper): one
//! pretty-printed object per packet in a top-level array, each node keyed by its filter name
//! (text items by their label), a node with both a value and children printed twice (`key`
//! and `key_tree`), duplicate keys for repeated fields unless `--no-duplicate-keys` groups
//! them into arrays, `_raw` twins with `-x` (and only those with jsonraw), and `-e` fields
//! as arrays of `-T fields` values.

use super::fields::{ColumnText, FieldsSpec, Target};
use super::nodes::{self, Kids};
use crate::tree::{Tree, NO_NODE};
use std::fmt::Write;

/// A json_dumper: members and elements with tshark's separators, pretty or compact.
pub struct JsonOut<'a> {
    pub out: &'a mut String,
    pretty: bool,
    /// EK replaces dots in member names by underscores.
    dots_to_underscores: bool,
    /// Per open container: whether it has an element yet.
    open: Vec<bool>,
    /// A member name was just written; the next value follows it on the same line.
    after_key: bool,
}

impl<'a> JsonOut<'a> {
    /// `depth` open containers are assumed around the first value (the packet array).
    pub fn new(out: &'a mut String, pretty: bool, depth: usize) -> JsonOut<'a> {
        JsonOut { out, pretty, dots_to_underscores: false, open: vec![false; depth], after_key: false }
    }

    pub fn with_underscores(mut self) -> Self {
        self.dots_to_underscores = true;
        self
    }

    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.open.len() {
                self.out.push_str("  ");
            }
        }
    }

    /// Separator and indentation before a member name or an array element.
    fn element(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if let Some(has) = self.open.last_mut() {
            let had = *has;
            *has = true;
            if had {
                self.out.push(',');
            }
            self.newline();
        }
    }

    /// Continues an object the caller opened and wrote members into.
    pub fn begin_continued(&mut self) {
        self.open.push(true);
    }

    pub fn key(&mut self, name: &str) {
        self.element();
        if self.dots_to_underscores {
            let name = name.replace('.', "_");
            nodes::write_json_str(self.out, &name);
        } else {
            nodes::write_json_str(self.out, name);
        }
        self.out.push_str(if self.pretty { ": " } else { ":" });
        self.after_key = true;
    }

    pub fn begin(&mut self, c: char) {
        self.element();
        self.out.push(c);
        self.open.push(false);
    }

    pub fn end(&mut self, c: char) {
        if self.open.pop() == Some(true) {
            self.newline();
        }
        self.out.push(c);
    }

    pub fn string(&mut self, s: &str) {
        self.element();
        nodes::write_json_str(self.out, s);
    }

    /// A value written as is (numbers, null, true).
    pub fn raw(&mut self, s: &str) {
        self.element();
        self.out.push_str(s);
    }
}

/// What a JSON packet shows.
#[derive(Clone, Copy)]
pub struct JsonOpts {
    /// Values (false for jsonraw).
    pub text: bool,
    /// `_raw` members (-x, jsonraw).
    pub hex: bool,
    /// `--no-duplicate-keys`: repeated keys of an object become one array.
    pub group_keys: bool,
}

/// The `_index` of a packet: `packets-YYYY-MM-DD` in local time.
pub fn write_index_name(out: &mut String, ts_ns: i64, zone_offset_s: i64) {
    let secs = ts_ns.div_euclid(1_000_000_000).saturating_add(zone_offset_s);
    let (y, m, d) = crate::addr::civil_from_days(secs.div_euclid(86_400));
    let _ = write!(out, "packets-{}-{:02}-{:02}", y, m, d);
}

/// Appends one packet (after `,` or `[` written by the caller's framing).
pub fn write_packet(j: &mut JsonOut, tree: &Tree, frame: &[u8], kids: &Kids, ts_ns: i64, opts: JsonOpts, zone_offset_s: i64) {
    j.begin('{');
    let mut index = String::new();
    write_index_name(&mut index, ts_ns, zone_offset_s);
    j.key("_index");
    j.string(&index);
    j.key("_type");
    j.string("doc");
    j.key("_score");
    j.raw("null");
    j.key("_source");
    j.begin('{');
    j.key("layers");
    write_children(j, tree, frame, kids, NO_NODE, opts, 0);
    j.end('}');
    j.end('}');
}

/// `-T json -e FIELD...`: `layers` holds one array of values per field that occurs.
pub fn write_packet_fields(j: &mut JsonOut, tree: &Tree, frame: &[u8], ts_ns: i64, spec: &FieldsSpec, cols: &ColumnText, zone_offset_s: i64, ek: bool) {
    if !ek {
        j.begin('{');
        let mut index = String::new();
        write_index_name(&mut index, ts_ns, zone_offset_s);
        j.key("_index");
        j.string(&index);
        j.key("_type");
        j.string("doc");
        j.key("_score");
        j.raw("null");
        j.key("_source");
        j.begin('{');
    }
    j.key("layers");
    j.begin('{');
    let mut text = String::new();
    for (name, target) in spec.names.iter().zip(&spec.targets) {
        match target {
            Target::Column(c) => {
                j.key(name);
                j.begin('[');
                text.clear();
                super::fields::write_column_text(&mut text, *c, cols);
                j.string(&text);
                j.end(']');
            }
            Target::Field(f) => {
                let mut any = false;
                for (i, node) in tree.nodes.iter().enumerate() {
                    if !std::ptr::eq(node.field, *f) {
                        continue;
                    }
                    if !any {
                        j.key(name);
                        j.begin('[');
                        any = true;
                    }
                    text.clear();
                    super::fields::write_value(&mut text, tree, i as u32, frame, &tree.zone);
                    j.string(&text);
                }
                if any {
                    j.end(']');
                }
            }
        }
    }
    j.end('}');
    if !ek {
        j.end('}');
        j.end('}');
    }
}

/// The member name of a node: its filter name, or a text item's label.
fn key_of(tree: &Tree, n: u32) -> String {
    let node = &tree.nodes[n as usize];
    if nodes::is_text(node.field) {
        super::pdml::showname(tree, n)
    } else {
        node.field.abbrev.to_string()
    }
}

fn write_children(j: &mut JsonOut, tree: &Tree, frame: &[u8], kids: &Kids, parent: u32, opts: JsonOpts, depth: usize) {
    j.begin('{');
    // Groups of children sharing a key, in first-seen order (singletons without grouping).
    let children: Vec<u32> = kids.children(parent).collect();
    let keys: Vec<String> = children.iter().map(|&c| key_of(tree, c)).collect();
    let mut done = vec![false; children.len()];
    let mut group = Vec::new();
    for i in 0..children.len() {
        if done[i] {
            continue;
        }
        group.clear();
        group.push(children[i]);
        if opts.group_keys {
            for k in i + 1..children.len() {
                if !done[k] && keys[k] == keys[i] {
                    done[k] = true;
                    group.push(children[k]);
                }
            }
        }
        write_group(j, tree, frame, kids, &group, &keys[i], opts, depth);
    }
    j.end('}');
}

fn write_group(j: &mut JsonOut, tree: &Tree, frame: &[u8], kids: &Kids, group: &[u32], key: &str, opts: JsonOpts, depth: usize) {
    let first = group[0];
    let node = &tree.nodes[first as usize];
    let mut probe = String::new();
    let has_value = nodes::write_display(&mut probe, tree, first, frame);
    let has_children = kids.has_children(first);
    let is_text = nodes::is_text(node.field);
    let list = |j: &mut JsonOut, f: &mut dyn FnMut(&mut JsonOut, u32)| {
        if group.len() > 1 {
            j.begin('[');
        }
        for &n in group {
            f(j, n);
        }
        if group.len() > 1 {
            j.end(']');
        }
    };
    if opts.hex && (!opts.text || node.len > 0) && !is_text {
        j.key(&format!("{}_raw", key));
        list(j, &mut |j, n| write_raw(j, tree, frame, n));
    }
    if opts.text && has_value {
        j.key(key);
        list(j, &mut |j, n| {
            let mut v = String::new();
            nodes::write_display(&mut v, tree, n, frame);
            j.string(&v);
        });
    }
    // Trees are shallow; the cap only guards the output against a corrupt parent chain.
    if has_children && depth < 64 {
        j.key(&if has_value { format!("{}_tree", key) } else { key.to_string() });
        list(j, &mut |j, n| write_children(j, tree, frame, kids, n, opts, depth + 1));
    }
    if !has_value && !has_children && (opts.text || (opts.hex && is_text)) {
        j.key(key);
        list(j, &mut |j, n| {
            let node = &tree.nodes[n as usize];
            if nodes::ftype(node.field) == crate::field::FieldType::Protocol {
                j.string(&super::pdml::showname(tree, n));
            } else {
                j.string("");
            }
        });
    }
}

/// `[hex, start, length, bitmask, ftype]`; items without bytes (experts) have no hex.
fn write_raw(j: &mut JsonOut, tree: &Tree, frame: &[u8], n: u32) {
    let node = &tree.nodes[n as usize];
    let f = node.field;
    j.begin('[');
    let mut s = String::new();
    if f.bitmask != 0 {
        nodes::write_masked_hex(&mut s, node);
        j.string(&s);
    } else if !f.abbrev.starts_with("_ws.expert") {
        let src = tree.source_bytes(node.source, frame);
        if node.start as usize + node.len as usize > src.len() {
            j.string("field length invalid!");
        } else {
            nodes::write_hex(&mut s, nodes::node_bytes(tree, node, frame));
            j.string(&s);
        }
    }
    for v in [node.start as u64, node.len as u64, f.bitmask, nodes::ftype_number(f) as u64] {
        s.clear();
        let _ = write!(s, "{}", v);
        j.raw(&s);
    }
    j.end(']');
}

