//! `-V`: the details tree as indented text, as tshark prints it (four spaces per level,
//! hidden items left out, expert items as their own small subtree, the bytes of each `data`
//! item dumped after it unless `-x` dumps the whole frame).

use crate::print::hexdump::write_hex;
use crate::proto::data::DATA;
use crate::tree::{Tree, NO_NODE};

/// Reused between frames so printing allocates nothing per node beyond labels.
#[derive(Default)]
pub struct Scratch {
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    last_child: Vec<u32>,
    roots: Vec<u32>,
    stack: Vec<(u32, usize)>,
}

/// Appends the tree of one frame; children print in the order they were added. `frame` is
/// given when the bytes of `data` items are to be dumped (tshark's `print_hex_for_data`).
/// `only` (-O) lists the protocols whose details print; the others print their line only.
pub fn write_tree(out: &mut String, tree: &Tree, s: &mut Scratch, frame: Option<&[u8]>, only: &[String]) {
    let n = tree.nodes.len();
    s.first_child.clear();
    s.first_child.resize(n, NO_NODE);
    s.next_sibling.clear();
    s.next_sibling.resize(n, NO_NODE);
    s.last_child.clear();
    s.last_child.resize(n, NO_NODE);
    s.roots.clear();
    for (i, node) in tree.nodes.iter().enumerate() {
        let i = i as u32;
        let p = node.parent as usize;
        if node.parent == NO_NODE || p >= n {
            s.roots.push(i);
        } else if s.last_child[p] == NO_NODE {
            s.first_child[p] = i;
            s.last_child[p] = i;
        } else {
            s.next_sibling[s.last_child[p] as usize] = i;
            s.last_child[p] = i;
        }
    }
    for r in 0..s.roots.len() {
        s.stack.clear();
        s.stack.push((s.roots[r], 0));
        while let Some((i, depth)) = s.stack.pop() {
            let node = &tree.nodes[i as usize];
            if node.hidden {
                continue;
            }
            indent(out, depth);
            out.push_str(&tree.display_label(i));
            out.push('\n');
            // tshark checks -O on the top level only: a shown protocol shows its whole subtree.
            if depth == 0 && !only.is_empty() && !only.iter().any(|p| p == node.field.abbrev) {
                continue;
            }
            if let Some(f) = frame.filter(|_| std::ptr::eq(node.field, &DATA)) {
                let bytes = tree.source_bytes(node.source, f);
                let (start, end) = (node.start as usize, node.start as usize + node.len as usize);
                out.push('\n');
                write_hex(out, bytes.get(start..end.min(bytes.len())).unwrap_or(&[]));
            }
            // Push children in reverse so the first child prints first.
            let mark = s.stack.len();
            let mut c = s.first_child[i as usize];
            while c != NO_NODE {
                s.stack.push((c, depth + 1));
                c = s.next_sibling[c as usize];
            }
            s.stack[mark..].reverse();
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}
