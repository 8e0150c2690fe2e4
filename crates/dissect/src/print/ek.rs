//! `-T ek`: Elasticsearch bulk format as tshark 4.0 writes it, two lines per packet: the
//! index action, then the document. A protocol's fields are flattened into its object (named
//! `PROTO_FIELD` with dots turned into underscores), repeated ones grouped into arrays;
//! protocols nest as objects.

use super::fields::{ColumnText, FieldsSpec};
use super::json::{self, JsonOut};
use super::nodes::{self, Kids};
use crate::field::{FieldDef, FieldType};
use crate::tree::{Tree, Value, NO_NODE};
use std::fmt::Write;

/// One packet: `{"index":...}` and the document, each on its own line.
#[allow(clippy::too_many_arguments)]
pub fn write_packet(out: &mut String, tree: &Tree, frame: &[u8], kids: &Kids, ts_ns: i64, zone_offset_s: i64, hex: bool, fields: Option<(&FieldsSpec, &ColumnText)>) {
    out.push_str("{\"index\":{\"_index\":\"");
    json::write_index_name(out, ts_ns, zone_offset_s);
    out.push_str("\",\"_type\":\"doc\"}}\n");
    let (secs, ms) = (ts_ns.div_euclid(1_000_000_000), ts_ns.rem_euclid(1_000_000_000) / 1_000_000);
    let _ = write!(out, "{{\"timestamp\":\"{}{:03}\"", secs, ms);
    let mut j = JsonOut::new(out, false, 0).with_underscores();
    // The caller opened the document object.
    j.begin_continued();
    match fields {
        Some((spec, cols)) => json::write_packet_fields(&mut j, tree, frame, ts_ns, spec, cols, zone_offset_s, true),
        None => {
            j.key("layers");
            j.begin('{');
            write_object(&mut j, tree, frame, kids, NO_NODE, hex, 0);
            j.end('}');
        }
    }
    j.end('}');
    out.push('\n');
}

/// The name of a field's member: `PROTO_FIELD` for a protocol's field, the protocol's own
/// name for a protocol.
fn member_name(f: &FieldDef) -> String {
    if nodes::is_text(f) {
        return "text".to_string();
    }
    if f.ftype == FieldType::Protocol || nodes::name_only_protocol(f) {
        return f.abbrev.to_string();
    }
    let proto = if f.abbrev.starts_with("_ws.expert.") { "_ws.expert" } else { f.protocol_abbrev() };
    format!("{}_{}", proto, f.abbrev)
}

/// Fields under `parent` (descending into fields with children), grouped by parent and
/// name in first-seen order, then written; protocols become nested objects.
fn write_object(j: &mut JsonOut, tree: &Tree, frame: &[u8], kids: &Kids, parent: u32, hex: bool, depth: usize) {
    let mut attrs: Vec<(String, Vec<u32>)> = Vec::new();
    collect(tree, kids, parent, &mut attrs, depth);
    for (_, instances) in &attrs {
        let first = &tree.nodes[instances[0] as usize];
        if hex && first.len > 0 && !nodes::is_text(first.field) {
            j.key(&format!("{}_raw", member_name(first.field)));
            list(j, instances.len(), |j| {
                for &n in instances {
                    let node = &tree.nodes[n as usize];
                    let mut s = String::new();
                    if node.field.bitmask != 0 {
                        nodes::write_masked_hex(&mut s, node);
                    } else {
                        nodes::write_hex(&mut s, nodes::node_bytes(tree, node, frame));
                    }
                    j.string(&s);
                }
            });
        }
        j.key(&member_name(first.field));
        list(j, instances.len(), |j| {
            for &n in instances {
                if nodes::ftype(tree.nodes[n as usize].field) == FieldType::Protocol {
                    j.begin('{');
                    if depth < 64 {
                        write_object(j, tree, frame, kids, n, hex, depth + 1);
                    }
                    j.end('}');
                } else {
                    write_value(j, tree, frame, n);
                }
            }
        });
    }
}

fn list(j: &mut JsonOut, count: usize, f: impl FnOnce(&mut JsonOut)) {
    if count > 1 {
        j.begin('[');
    }
    f(j);
    if count > 1 {
        j.end(']');
    }
}

fn collect(tree: &Tree, kids: &Kids, parent: u32, attrs: &mut Vec<(String, Vec<u32>)>, depth: usize) {
    let parent_name = tree.node(parent).map(|p| p.field.abbrev);
    for c in kids.children(parent) {
        let f = tree.nodes[c as usize].field;
        let key = match parent_name {
            Some(p) => format!("{}_{}", p, f.abbrev),
            None => f.abbrev.to_string(),
        };
        match attrs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(c),
            None => attrs.push((key, vec![c])),
        }
        if nodes::ftype(f) != FieldType::Protocol && kids.has_children(c) && depth < 64 {
            collect(tree, kids, c, attrs, depth + 1);
        }
    }
}

fn write_value(j: &mut JsonOut, tree: &Tree, frame: &[u8], n: u32) {
    let node = &tree.nodes[n as usize];
    if nodes::is_text(node.field) {
        j.string(&super::pdml::showname(tree, n));
        return;
    }
    match (nodes::ftype(node.field), &node.value) {
        (FieldType::None, _) => j.raw("null"),
        (FieldType::Bool, v) => j.raw(if matches!(v, Value::Bool(true) | Value::Uint(1..)) { "true" } else { "false" }),
        (FieldType::AbsTime, Value::Time(ns)) if node.field.base != crate::field::Base::TimeUnix => {
            let (secs, frac) = (ns.div_euclid(1_000_000_000), ns.rem_euclid(1_000_000_000));
            let (y, m, d) = crate::addr::civil_from_days(secs.div_euclid(86_400));
            let sod = secs.rem_euclid(86_400);
            let s = format!("{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", y, m, d, sod / 3600, sod % 3600 / 60, sod % 60, frac);
            j.string(&s);
        }
        _ => {
            let mut s = String::new();
            if nodes::write_display(&mut s, tree, n, frame) {
                j.string(&s);
            }
        }
    }
}

