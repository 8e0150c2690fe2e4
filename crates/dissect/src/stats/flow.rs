//! The TCP flow graph (`-z flow,tcp,standard|network`): every TCP segment as an arrow between
//! its endpoints' columns, drawn as tshark's sequence-analysis text dump draws it.

use super::taps::{Address, Tap, Taps};
use super::FrameView;
use crate::json;
use std::fmt::Write;

/// tshark's `MAX_NUM_NODES`: addresses beyond it are drawn off the right edge.
const MAX_NODES: usize = 40;
const NODE_WIDTH: usize = 20;

struct Item {
    frame: u32,
    time: String,
    src: Address,
    dst: Address,
    sport: u16,
    dport: u16,
    flags: u16,
    seglen: u32,
    seq: u32,
    ack: u32,
    /// tshark keeps the stream index as a 16-bit conversation number.
    conv: u16,
}

/// Both address modes draw TCP over IP alike (its packet addresses are its IP addresses).
pub struct FlowGraph {
    items: Vec<Item>,
}

/// `SYN, ACK`: flag names from FIN up, `Reserved` for the three reserved bits, `<None>`.
pub fn write_flags(out: &mut String, flags: u16) {
    const NAMES: [&str; 9] = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"];
    let start = out.len();
    for (i, name) in NAMES.iter().enumerate() {
        if flags & (1 << i) != 0 {
            if out.len() > start {
                out.push_str(", ");
            }
            out.push_str(name);
        }
    }
    if flags & 0x0e00 != 0 {
        if out.len() > start {
            out.push_str(", ");
        }
        out.push_str("Reserved");
    }
    if out.len() == start {
        out.push_str("<None>");
    }
}

impl Item {
    fn label(&self) -> String {
        let mut s = String::new();
        write_flags(&mut s, self.flags);
        if self.seglen != 0 {
            let _ = write!(s, " - Len: {}", self.seglen);
        }
        s
    }

    fn comment(&self) -> String {
        if self.flags & 0x010 != 0 {
            format!("Seq = {} Ack = {}", self.seq, self.ack)
        } else {
            format!("Seq = {}", self.seq)
        }
    }
}

/// tshark's `overwrite`: replaces the text between two positions with (the start of) `text`.
fn overwrite(s: &mut Vec<u8>, text: &[u8], p1: usize, p2: usize) {
    if p1 == p2 {
        return;
    }
    let (pos, len) = if p1 > p2 { (p2, p1 - p2) } else { (p1, p2 - p1) };
    let text = &text[..len.min(text.len())];
    let len = text.len();
    let pos = pos.min(s.len());
    // Like g_string_erase, nothing is erased when the range runs past the end.
    if pos + len <= s.len() {
        s.drain(pos..pos + len);
    }
    s.splice(pos..pos, text.iter().copied());
}

fn pad(s: &mut String, width: usize) {
    while s.len() < width {
        s.push(' ');
    }
}

impl FlowGraph {
    pub fn new() -> FlowGraph {
        FlowGraph { items: Vec::new() }
    }

    pub fn feed(&mut self, f: &FrameView, taps: &Taps) {
        for tap in taps.iter() {
            if let Tap::Tcp(t) = tap {
                self.items.push(Item {
                    frame: f.number,
                    time: f.time_column.to_string(),
                    src: Address::Ip(t.src),
                    dst: Address::Ip(t.dst),
                    sport: t.sport,
                    dport: t.dport,
                    flags: t.flags,
                    seglen: t.seglen,
                    seq: t.seq,
                    ack: t.ack,
                    conv: t.stream as u16,
                });
            }
        }
    }

    /// Node addresses in order of first appearance (source, then destination).
    fn nodes(&self) -> (Vec<Address>, Vec<(usize, usize)>) {
        let mut nodes: Vec<Address> = Vec::new();
        let index = |a: &Address, nodes: &mut Vec<Address>| match nodes.iter().position(|n| n == a) {
            Some(i) => i,
            None if nodes.len() < MAX_NODES => {
                nodes.push(*a);
                nodes.len() - 1
            }
            None => MAX_NODES + 1,
        };
        let ends = self.items.iter().map(|it| (index(&it.src, &mut nodes), index(&it.dst, &mut nodes))).collect();
        (nodes, ends)
    }

    pub fn write_text(&self, out: &mut String) {
        if self.items.is_empty() {
            return;
        }
        let (nodes, ends) = self.nodes();
        let first_conv = self.items[0].conv;
        let several = self.items.iter().any(|it| it.conv != first_conv);
        let (empty_header, header_len) = if several {
            out.push_str("Conv.| Time    ");
            ("     |         ", 16)
        } else {
            out.push_str("|Time     ");
            ("|         ", 10)
        };
        let mut empty_line = String::new();
        let mut label = String::new();
        for node in nodes.iter().step_by(2) {
            label.clear();
            label.push_str("| ");
            node.write(&mut label);
            pad(&mut label, NODE_WIDTH * 2);
            out.push_str(&label);
            empty_line.push_str("| ");
            empty_line.push_str(&" ".repeat(NODE_WIDTH - 2));
        }
        out.push_str("|\n");
        out.push_str(empty_header);
        label.clear();
        label.push_str("| ");
        pad(&mut label, NODE_WIDTH);
        out.push_str(&label);
        for node in nodes.iter().skip(1).step_by(2) {
            label.clear();
            label.push_str("| ");
            node.write(&mut label);
            if label.len() < NODE_WIDTH {
                pad(&mut label, NODE_WIDTH);
                label.push_str("| ");
            }
            pad(&mut label, NODE_WIDTH * 2);
            out.push_str(&label);
            empty_line.push_str("| ");
            empty_line.push_str(&" ".repeat(NODE_WIDTH - 2));
        }
        out.push('\n');
        empty_line.push('|');
        let separator = "-".repeat(empty_line.len() + header_len);

        let mut conv = first_conv;
        for (it, &(src_node, dst_node)) in self.items.iter().zip(&ends) {
            let start = src_node * NODE_WIDTH + NODE_WIDTH / 2;
            let mut end = dst_node * NODE_WIDTH + NODE_WIDTH / 2;
            let width = if start > end {
                start - end
            } else if start < end {
                end - start
            } else {
                end = start + NODE_WIDTH;
                NODE_WIDTH
            };
            if it.conv != conv {
                out.push_str(&separator);
                out.push('\n');
                conv = it.conv;
            }
            if several {
                label.clear();
                let _ = write!(label, "{}", it.conv);
                pad(&mut label, 5);
                out.push_str(&label);
            }
            label.clear();
            label.push('|');
            label.push_str(&it.time);
            pad(&mut label, 10);
            out.push_str(&label);

            let mut line = empty_line.clone().into_bytes();
            overwrite(&mut line, it.label().as_bytes(), start, end);
            out.push_str(&String::from_utf8_lossy(&line));
            out.push_str(&it.comment());
            out.push('\n');

            out.push_str(empty_header);
            let mut line = empty_line.clone().into_bytes();
            let arrow = if start < end {
                let mut a = "-".repeat(width - 2);
                a.push('>');
                a
            } else {
                let mut a = String::from("<");
                a.push_str(&"-".repeat(width - 2));
                a
            };
            overwrite(&mut line, arrow.as_bytes(), start, end);
            let (sp, dp) = (format!("({})", it.sport), format!("({})", it.dport));
            if start < end {
                overwrite(&mut line, sp.as_bytes(), start - 9, start - 1);
                overwrite(&mut line, dp.as_bytes(), end + 1, end + 9);
            } else {
                overwrite(&mut line, sp.as_bytes(), start + 1, start + 9);
                overwrite(&mut line, dp.as_bytes(), end - 9, end + 1);
            }
            out.push_str(&String::from_utf8_lossy(&line));
            out.push('\n');
        }
    }

    /// `[{frame, time, src, dst, srcPort, dstPort, label, comment, stream}]`.
    pub fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, it) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"frame\":{},\"time\":", it.frame);
            json::write_str(out, &it.time);
            out.push_str(",\"src\":");
            json::write_str(out, &it.src.text());
            out.push_str(",\"dst\":");
            json::write_str(out, &it.dst.text());
            let _ = write!(out, ",\"srcPort\":{},\"dstPort\":{},\"label\":", it.sport, it.dport);
            json::write_str(out, &it.label());
            out.push_str(",\"comment\":");
            json::write_str(out, &it.comment());
            let _ = write!(out, ",\"stream\":{}}}", it.conv);
        }
        out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_names_as_tshark() {
        let mut s = String::new();
        write_flags(&mut s, 0x0c12);
        assert_eq!(s, "SYN, ACK, Reserved");
        s.clear();
        write_flags(&mut s, 0);
        assert_eq!(s, "<None>");
    }

    #[test]
    fn overwrite_clips_and_appends_past_the_end() {
        let mut s = b"|         |".to_vec();
        overwrite(&mut s, b"ABCDEFGHIJKLMNOP", 2, 6);
        assert_eq!(s, b"| ABCD    |");
        let mut s = b"ab".to_vec();
        overwrite(&mut s, b"XYZ", 10, 20);
        assert_eq!(s, b"abXYZ");
    }
}
