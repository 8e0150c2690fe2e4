//! JSON for the interactive paths (one frame's tree, a few visible rows). Batch paths never
//! use it.

use crate::packet::Columns;
use crate::tree::{Tree, NO_NODE};
use std::fmt::Write;

pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn write_columns(out: &mut String, c: &Columns) {
    out.push_str("{\"protocol\":");
    write_str(out, &c.protocol);
    out.push_str(",\"info\":");
    write_str(out, &c.info);
    out.push_str(",\"src\":");
    write_str(out, &c.src);
    out.push_str(",\"dst\":");
    write_str(out, &c.dst);
    out.push('}');
}

/// The visible tree as nested JSON: `[{label, field, start, len, generated?, expert?, children?}]`.
pub fn write_tree(out: &mut String, tree: &Tree) {
    let n = tree.nodes.len();
    // Siblings keep insertion order; parents always precede their children.
    let mut first_child = vec![NO_NODE; n];
    let mut next_sibling = vec![NO_NODE; n];
    let mut last_child = vec![NO_NODE; n];
    let mut roots = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        if node.hidden {
            continue;
        }
        let i = i as u32;
        if node.parent == NO_NODE {
            roots.push(i);
            continue;
        }
        let p = node.parent as usize;
        if p >= n || tree.nodes[p].hidden {
            continue;
        }
        if last_child[p] == NO_NODE {
            first_child[p] = i;
        } else {
            next_sibling[last_child[p] as usize] = i;
        }
        last_child[p] = i;
    }
    out.push('[');
    for (k, r) in roots.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        write_node(out, tree, *r, &first_child, &next_sibling, 0);
    }
    out.push(']');
}

fn write_node(out: &mut String, tree: &Tree, i: u32, first: &[u32], next: &[u32], depth: usize) {
    let node = &tree.nodes[i as usize];
    out.push_str("{\"label\":");
    write_str(out, &tree.display_label(i));
    out.push_str(",\"field\":");
    write_str(out, node.field.abbrev);
    let _ = write!(out, ",\"start\":{},\"len\":{}", node.start, node.len);
    if node.source != 0 {
        let _ = write!(out, ",\"source\":{}", node.source);
    }
    if node.generated {
        out.push_str(",\"generated\":true");
    }
    if let Some(e) = &node.expert {
        out.push_str(",\"expert\":{\"severity\":");
        write_str(out, e.severity.name());
        out.push_str(",\"group\":");
        write_str(out, e.group.name());
        out.push_str(",\"message\":");
        write_str(out, &e.message);
        out.push('}');
    }
    let mut c = first[i as usize];
    // Trees are shallow; the depth cap only guards against a corrupt parent chain.
    if c != NO_NODE && depth < 64 {
        out.push_str(",\"children\":[");
        let mut k = 0;
        while c != NO_NODE {
            if k > 0 {
                out.push(',');
            }
            write_node(out, tree, c, first, next, depth + 1);
            c = next[c as usize];
            k += 1;
        }
        out.push(']');
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_valid_json_whatever_the_bytes() {
        let mut s = String::new();
        write_str(&mut s, "a\"b\\c\u{1b}d\u{2028}");
        assert_eq!(s, "\"a\\\"b\\\\c\\u001bd\\u2028\"");
    }
}
