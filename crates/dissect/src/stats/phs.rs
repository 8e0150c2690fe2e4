//! Protocol hierarchy statistics (`-z io,phs`): frames and bytes under each chain of top-level
//! tree items, as tshark counts them. The frame item heads every chain and is not printed;
//! every later top-level item (protocols, but also `tcp.segments` or `_ws.malformed`) nests
//! under the one before it.
//!
//! Wireshark moves the `[N Reassembled TCP Segments]` item up behind the TCP header only in a
//! tree it displays; the tree tshark's statistics walk keeps it where it was added, after the
//! layers dissected from the reassembled bytes. Reef's tree is the displayed one, so the item
//! is counted back in that place.

use super::FrameView;
use crate::json;
use crate::tree::NO_NODE;
use std::fmt::Write;

const RULE: &str = "===================================================================\n";
/// tshark's line buffer: indentation stops growing at this depth.
const MAX_INDENT: usize = 16;
const MAX_LINE: usize = 80;

struct Level {
    name: &'static str,
    frames: u64,
    bytes: u64,
    children: Vec<usize>,
}

pub struct Hierarchy {
    filter: Option<String>,
    /// tshark's tree has the frame item only when the tap has a filter to run on it.
    with_frame: bool,
    /// Arena of levels; children in order of first appearance.
    levels: Vec<Level>,
    roots: Vec<usize>,
}

/// Top-level items in the order Wireshark added them (see the module comment).
fn undisplayed_order(f: &FrameView) -> Vec<&'static str> {
    let top: Vec<(&'static str, u16)> = f.tree.nodes.iter().filter(|n| n.parent == NO_NODE).map(|n| (n.field.abbrev, n.source)).collect();
    let mut order: Vec<&'static str> = Vec::with_capacity(top.len());
    let mut i = 0;
    while i < top.len() {
        let (name, source) = top[i];
        if name == "tcp.segments" && source != 0 {
            // The PDU's layers point into its data source or into ones made from it (a
            // de-chunked body), all added after it; the item follows them.
            let mut end = i + 1;
            while end < top.len() && top[end].1 >= source && top[end].0 != "tcp.segments" {
                order.push(top[end].0);
                end += 1;
            }
            order.push(name);
            i = end;
        } else {
            order.push(name);
            i += 1;
        }
    }
    order
}

impl Hierarchy {
    pub fn new(filter: Option<String>) -> Hierarchy {
        let with_frame = filter.as_deref().map_or(false, |f| !f.trim().is_empty());
        Hierarchy { filter, with_frame, levels: Vec::new(), roots: Vec::new() }
    }

    pub fn feed(&mut self, f: &FrameView) {
        let mut parent: Option<usize> = None;
        for name in undisplayed_order(f).into_iter().filter(|n| self.with_frame || *n != "frame") {
            let siblings = match parent {
                Some(p) => &self.levels[p].children,
                None => &self.roots,
            };
            let idx = match siblings.iter().copied().find(|&i| self.levels[i].name == name) {
                Some(i) => i,
                None => {
                    self.levels.push(Level { name, frames: 0, bytes: 0, children: Vec::new() });
                    let i = self.levels.len() - 1;
                    match parent {
                        Some(p) => self.levels[p].children.push(i),
                        None => self.roots.push(i),
                    }
                    i
                }
            };
            self.levels[idx].frames += 1;
            self.levels[idx].bytes += f.origlen as u64;
            parent = Some(idx);
        }
    }

    fn write_level(&self, out: &mut String, idx: usize, depth: usize) {
        let l = &self.levels[idx];
        let mut name = String::new();
        for i in 0..depth {
            if i >= MAX_INDENT {
                name.push_str("...");
                break;
            }
            name.push_str("  ");
        }
        name.push_str(l.name);
        // tshark builds the name in an 80-byte buffer.
        if name.len() > MAX_LINE - 1 {
            let mut end = MAX_LINE - 1;
            while !name.is_char_boundary(end) {
                end -= 1;
            }
            name.truncate(end);
        }
        let _ = writeln!(out, "{:<40} frames:{} bytes:{}", name, l.frames, l.bytes);
        for &c in &l.children {
            self.write_level(out, c, depth + 1);
        }
    }

    pub fn write_text(&self, out: &mut String) {
        out.push('\n');
        out.push_str(RULE);
        out.push_str("Protocol Hierarchy Statistics\n");
        let _ = writeln!(out, "Filter: {}\n", self.filter.as_deref().unwrap_or(""));
        for &r in &self.roots {
            self.write_level(out, r, 0);
        }
        out.push_str(RULE);
    }

    fn write_json_level(&self, out: &mut String, idx: usize) {
        let l = &self.levels[idx];
        out.push_str("{\"protocol\":");
        json::write_str(out, l.name);
        let _ = write!(out, ",\"frames\":{},\"bytes\":{},\"children\":[", l.frames, l.bytes);
        for (i, &c) in l.children.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.write_json_level(out, c);
        }
        out.push_str("]}");
    }

    /// `[{protocol, frames, bytes, children: [...]}]`.
    pub fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, &r) in self.roots.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.write_json_level(out, r);
        }
        out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FieldDef;
    use crate::tree::{Tree, Value};

    static FRAME: FieldDef = FieldDef::protocol("Frame", "frame");
    static ETH: FieldDef = FieldDef::protocol("Ethernet II", "eth");
    static IP: FieldDef = FieldDef::protocol("IPv4", "ip");
    static UDP: FieldDef = FieldDef::protocol("UDP", "udp");
    static DATA: FieldDef = FieldDef::protocol("Data", "data");

    fn feed(h: &mut Hierarchy, layers: &[&'static FieldDef], len: u32) {
        let mut t = Tree::new(true);
        for l in layers {
            t.add(NO_NODE, l, 0, 0, Value::None);
        }
        h.feed(&FrameView { number: 1, ts_ns: 0, rel_ns: 0, origlen: len, data: &[], tree: &t, time_column: "" });
    }

    #[test]
    fn nests_each_item_under_the_previous_one() {
        let mut h = Hierarchy::new(None);
        feed(&mut h, &[&FRAME, &ETH, &IP, &UDP, &DATA], 100);
        feed(&mut h, &[&FRAME, &ETH, &IP, &DATA], 60);
        let mut out = String::new();
        h.write_text(&mut out);
        assert_eq!(
            out,
            "\n===================================================================\nProtocol Hierarchy Statistics\nFilter: \n\n\
             eth                                      frames:2 bytes:160\n  ip                                     frames:2 bytes:160\n    udp                                  frames:1 bytes:100\n      data                               frames:1 bytes:100\n    data                                 frames:1 bytes:60\n\
             ===================================================================\n"
        );
    }
}
