//! `-T pdml` (the details tree as XML), `-T psml` (the summary columns as XML) and `-T tabs`
//! (the summary line with tab separators), as tshark 4.0 writes them (epan/print.c).

use super::nodes::{self, Kids};
use crate::expert;
use crate::field::FieldType;
use crate::packet::{Columns, FrameMeta};
use crate::tree::{Tree, NO_NODE};
use std::fmt::Write;

const COLUMN_TITLES: [&str; 7] = ["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"];

/// tshark's print_escaped_xml: the five XML entities, `\xNN` for ASCII control characters.
pub fn write_xml(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

pub fn write_pdml_preamble(out: &mut String, file: &str, now: &str) {
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"pdml2html.xsl\"?>\n");
    out.push_str("<!-- You can find pdml2html.xsl in /usr/share/wireshark or at https://gitlab.com/wireshark/wireshark/-/raw/master/pdml2html.xsl. -->\n");
    let _ = write!(out, "<pdml version=\"0\" creator=\"wireshark/4.0.17\" time=\"{}\" capture_file=\"", now);
    write_xml(out, file);
    out.push_str("\">\n");
}

pub fn write_psml_preamble(out: &mut String) {
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<psml version=\"0\" creator=\"wireshark/4.0.17\">\n<structure>\n");
    for t in COLUMN_TITLES {
        let _ = writeln!(out, "<section>{}</section>", t);
    }
    out.push_str("</structure>\n\n");
}

/// One packet's columns as PSML sections.
pub fn write_psml_packet(out: &mut String, meta: &FrameMeta, time: &str, cols: &Columns) {
    out.push_str("<packet>\n");
    let number = meta.number.to_string();
    let length = meta.origlen.to_string();
    for v in [&number[..], time, &cols.src, &cols.dst, &cols.protocol, &length, &cols.info] {
        out.push_str("<section>");
        write_xml(out, v);
        out.push_str("</section>\n");
    }
    out.push_str("</packet>\n\n");
}

/// `-T tabs`: the default line's padded columns joined by tabs, the arrow a column of its own.
pub fn write_tabs_line(out: &mut String, meta: &FrameMeta, time: &str, cols: &Columns) {
    let _ = writeln!(
        out,
        "{:>5}\t{:>10}\t{:>12}\t\u{2192}\t{:<12}\t{}\t{}\t{}",
        meta.number, time, cols.src, cols.dst, cols.protocol, meta.origlen, cols.info
    );
}

/// One packet: the `geninfo` pseudo-protocol, then every node (hidden ones marked).
pub fn write_pdml_packet(out: &mut String, tree: &Tree, frame: &[u8], kids: &Kids, meta: &FrameMeta) {
    out.push_str("<packet>\n");
    let len = tree.nodes.first().map_or(0, |n| n.len);
    let _ = writeln!(out, "  <proto name=\"geninfo\" pos=\"0\" showname=\"General information\" size=\"{}\">", len);
    let _ = writeln!(out, "    <field name=\"num\" pos=\"0\" show=\"{0}\" showname=\"Number\" value=\"{0:x}\" size=\"{1}\"/>", meta.number, len);
    let _ = writeln!(out, "    <field name=\"len\" pos=\"0\" show=\"{0}\" showname=\"Frame Length\" value=\"{0:x}\" size=\"{1}\"/>", meta.origlen, len);
    let _ = writeln!(out, "    <field name=\"caplen\" pos=\"0\" show=\"{0}\" showname=\"Captured Length\" value=\"{0:x}\" size=\"{1}\"/>", meta.caplen, len);
    let mut when = String::new();
    crate::addr::write_abs_time(&mut when, meta.ts_ns, &tree.zone);
    let (secs, frac) = (meta.ts_ns.div_euclid(1_000_000_000), meta.ts_ns.rem_euclid(1_000_000_000));
    let _ = writeln!(
        out,
        "    <field name=\"timestamp\" pos=\"0\" show=\"{}\" showname=\"Captured Time\" value=\"{}.{:09}\" size=\"{}\"/>",
        when, secs, frac, len
    );
    out.push_str("  </proto>\n");
    for r in kids.children(NO_NODE) {
        write_node(out, tree, frame, kids, r, 0);
    }
    out.push_str("</packet>\n\n");
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Wireshark's expert items have no bytes: the subtree sits at its parent's offset, its
/// children at 0.
fn is_expert_part(tree: &Tree, n: u32) -> bool {
    let node = &tree.nodes[n as usize];
    std::ptr::eq(node.field, &expert::EXPERT) || tree.node(node.parent).map_or(false, |p| std::ptr::eq(p.field, &expert::EXPERT))
}

/// A label as Wireshark stores it (generated items get their brackets when printed).
pub fn showname(tree: &Tree, n: u32) -> String {
    let label = tree.display_label(n);
    let node = &tree.nodes[n as usize];
    if node.generated && label.starts_with('[') && label.ends_with(']') && label.len() >= 2 {
        label[1..label.len() - 1].to_string()
    } else {
        label
    }
}

fn write_node(out: &mut String, tree: &Tree, frame: &[u8], kids: &Kids, n: u32, level: usize) {
    let node = &tree.nodes[n as usize];
    let f = node.field;
    let ftype = nodes::ftype(f);
    let is_data = f.abbrev == "data" && ftype == FieldType::Protocol;
    let has_children = kids.has_children(n);
    let wrap = (ftype != FieldType::Protocol || is_data) && level == 0;
    let mut level = level;
    indent(out, level + 1);
    if wrap {
        out.push_str("<proto name=\"fake-field-wrapper\">\n");
        level += 1;
        indent(out, level + 1);
    }
    let bytes = nodes::node_bytes(tree, node, frame);
    let (size, pos) = if is_expert_part(tree, n) {
        (0, if std::ptr::eq(f, &expert::EXPERT) { node.start } else { 0 })
    } else {
        let parent_start = tree.node(node.parent).map(|p| p.start);
        (node.len, match parent_start {
            Some(ps) if node.start < ps => ps + node.start,
            _ => node.start,
        })
    };
    if nodes::is_text(f) {
        out.push_str("<field name=\"\" show=\"");
        write_xml(out, &showname(tree, n));
        let _ = write!(out, "\" size=\"{}\" pos=\"{}", size, pos);
        if size > 0 {
            out.push_str("\" value=\"");
            nodes::write_hex(out, bytes);
        }
        out.push_str(if has_children { "\">\n" } else { "\"/>\n" });
    } else if is_data {
        out.push_str("<field name=\"data\" value=\"");
        nodes::write_hex(out, bytes);
        out.push_str("\">\n");
    } else {
        let tag = if ftype == FieldType::Protocol && !std::ptr::eq(f, &expert::EXPERT) { "proto" } else { "field" };
        let _ = write!(out, "<{} name=\"", tag);
        write_xml(out, f.abbrev);
        out.push_str("\" showname=\"");
        write_xml(out, &showname(tree, n));
        if node.hidden {
            out.push_str("\" hide=\"yes");
        }
        let _ = write!(out, "\" size=\"{}\" pos=\"{}", size, pos);
        match ftype {
            FieldType::Protocol => {}
            FieldType::None => out.push_str("\" show=\"\" value=\""),
            _ => {
                let mut show = String::new();
                if nodes::write_display(&mut show, tree, n, frame) {
                    out.push_str("\" show=\"");
                    write_xml(out, &show);
                }
                if size > 0 {
                    out.push_str("\" value=\"");
                    if f.bitmask != 0 {
                        nodes::write_masked_hex(out, node);
                        out.push_str("\" unmaskedvalue=\"");
                    }
                    nodes::write_hex(out, bytes);
                }
            }
        }
        out.push_str(if has_children { "\">\n" } else { "\"/>\n" });
    }
    if has_children && level < 64 {
        for c in kids.children(n) {
            write_node(out, tree, frame, kids, c, level + 1);
        }
    }
    if wrap {
        level -= 1;
    }
    if has_children || is_data {
        indent(out, level + 1);
        out.push_str(if ftype == FieldType::Protocol && !is_data && !std::ptr::eq(f, &expert::EXPERT) { "</proto>\n" } else { "</field>\n" });
    }
    if wrap {
        indent(out, level + 1);
        out.push_str("</proto>\n");
    }
}

