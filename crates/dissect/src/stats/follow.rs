//! Follow stream (`-z follow,tcp|udp,MODE,STREAM`): the payload of one stream in order, per
//! direction, each chunk with the frame it came from, printed as tshark prints it.
//!
//! TCP is put in order the way tshark's follow tap does it, from each segment's relative
//! sequence number and payload: bytes already seen (retransmissions, overlaps) are dropped,
//! segments that arrive early wait in a per-direction list until the gap before them fills,
//! and when the peer acknowledges bytes that were never captured, a
//! `[N bytes missing in capture file]` marker takes their place. Only the followed stream's
//! bytes are kept.

use super::taps::{write_host_port, Address, Tap, Taps};
use super::{FrameView, Transport};
use crate::json;
use crate::packet::NetAddr;
use std::fmt::Write;

const RULE: &str = "===================================================================\n";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Ascii,
    Hex,
    Raw,
    Yaml,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Ascii => "ascii",
            Mode::Hex => "hex",
            Mode::Raw => "raw",
            Mode::Yaml => "yaml",
        }
    }
}

/// Which packets belong to the followed stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Selector {
    Index(u32),
    /// Both endpoints, as `follow,tcp,ascii,10.0.0.1:80,10.0.0.2:4000`.
    Endpoints([(NetAddr, u16); 2]),
}

/// One piece of followed payload.
#[derive(Clone, Debug)]
pub struct Chunk {
    pub frame: u32,
    /// Absolute time of the frame (0 for a missing-bytes marker, as tshark).
    pub ts_ns: i64,
    /// 0: from the first packet's sender (tshark's node 0, the client), 1: from the other side.
    pub dir: u8,
    /// Sequence number of its first byte (TCP, relative).
    seq: u32,
    pub data: Vec<u8>,
}

pub struct Follow {
    transport: Transport,
    mode: Mode,
    selector: Selector,
    /// Chunks printed, 1-based, inclusive.
    chunk_min: u32,
    chunk_max: u32,
    /// The client is the source of the stream's first packet.
    client: Option<(NetAddr, u16)>,
    server: Option<(NetAddr, u16)>,
    /// The stream's payload in order.
    pub chunks: Vec<Chunk>,
    /// TCP: next expected sequence number and bytes taken, per direction.
    next_seq: [u32; 2],
    taken: [u64; 2],
    /// TCP: segments that came before the bytes preceding them, per direction.
    pending: [Vec<Chunk>; 2],
}

fn lt_seq(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

fn gt_seq(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

/// Parses `host:port` or `[v6host]:port` (numeric addresses only: Reef resolves no names).
fn parse_endpoint(s: &str) -> Result<(NetAddr, u16), &'static str> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find("]:").ok_or("Invalid address.")?;
        (&rest[..end], &rest[end + 2..])
    } else {
        s.rsplit_once(':').ok_or("Invalid address.")?
    };
    let port: u32 = port.parse().map_err(|_| "Invalid port.")?;
    if port == 0 || port > 65535 {
        return Err("Invalid port.");
    }
    // The filter's address parsers, not std::net's (which would add ~4 KB of wasm).
    let addr = if let Some(v4) = crate::filter::literal::parse_ipv4(host) {
        NetAddr::v4(v4.to_be_bytes())
    } else if let Some(v6) = crate::filter::literal::parse_ipv6(host) {
        NetAddr::v6(v6)
    } else {
        return Err("Can't get IP address");
    };
    Ok((addr, port as u16))
}

impl Follow {
    /// Parses what follows `follow,`: `tcp|udp,MODE,STREAM|EP,EP[,CHUNK[-CHUNK]]`.
    pub fn parse(args: &str) -> Result<Follow, String> {
        let parts: Vec<&str> = args.split(',').collect();
        let transport = match parts.first().copied() {
            Some("tcp") => Transport::Tcp,
            Some("udp") => Transport::Udp,
            _ => return Err("Reef follows tcp and udp streams".to_string()),
        };
        let mode = match parts.get(1).copied() {
            Some("ascii") => Mode::Ascii,
            Some("hex") => Mode::Hex,
            Some("raw") => Mode::Raw,
            Some("yaml") => Mode::Yaml,
            _ => return Err("Invalid display mode.".to_string()),
        };
        let (selector, rest) = match parts.get(2).and_then(|s| s.parse::<u32>().ok()) {
            Some(n) => (Selector::Index(n), &parts[3.min(parts.len())..]),
            None => {
                let a = parse_endpoint(parts.get(2).unwrap_or(&""))?;
                let b = parse_endpoint(parts.get(3).unwrap_or(&""))?;
                if a.0.v6 != b.0.v6 {
                    return Err("Mismatched IP address types.".to_string());
                }
                (Selector::Endpoints([a, b]), &parts[4.min(parts.len())..])
            }
        };
        let (chunk_min, chunk_max) = match rest {
            [] => (1, u32::MAX),
            [range] => {
                let (lo, hi) = range.split_once('-').unwrap_or((range, range));
                match (lo.parse::<u32>(), hi.parse::<u32>()) {
                    (Ok(lo), Ok(hi)) if lo >= 1 && lo <= hi => (lo, hi),
                    (Ok(_), Ok(_)) => return Err("Invalid range value.".to_string()),
                    _ => return Err("Invalid range.".to_string()),
                }
            }
            _ => return Err("Invalid parameter.".to_string()),
        };
        Ok(Follow {
            transport,
            mode,
            selector,
            chunk_min,
            chunk_max,
            client: None,
            server: None,
            chunks: Vec::new(),
            next_seq: [0; 2],
            taken: [0; 2],
            pending: [Vec::new(), Vec::new()],
        })
    }

    pub fn stream_scope(&self) -> Option<(Transport, u32)> {
        match self.selector {
            Selector::Index(n) => Some((self.transport, n)),
            Selector::Endpoints(_) => None,
        }
    }

    fn selects(&self, stream: u32, src: (NetAddr, u16), dst: (NetAddr, u16)) -> bool {
        match self.selector {
            Selector::Index(n) => n == stream,
            Selector::Endpoints([a, b]) => (src == a && dst == b) || (src == b && dst == a),
        }
    }

    /// Direction of a packet from `src`, fixing the client on the stream's first packet.
    fn direction(&mut self, src: (NetAddr, u16), dst: (NetAddr, u16)) -> usize {
        if self.client.is_none() {
            self.client = Some(src);
            self.server = Some(dst);
        }
        (self.client != Some(src)) as usize
    }

    pub fn feed(&mut self, f: &FrameView, taps: &Taps) {
        for tap in taps.iter() {
            match (self.transport, tap) {
                (Transport::Tcp, Tap::Tcp(t)) if self.selects(t.stream, (t.src, t.sport), (t.dst, t.dport)) => {
                    let dir = self.direction((t.src, t.sport), (t.dst, t.dport));
                    self.tcp_segment(f, dir, t.seq, t.ack, t.flags, t.seglen, t.payload);
                }
                // tshark hands no empty datagram to its follow tap.
                (Transport::Udp, Tap::Udp(u)) if u.length > 8 && self.selects(u.stream, (u.src, u.sport), (u.dst, u.dport)) => {
                    let dir = self.direction((u.src, u.sport), (u.dst, u.dport));
                    self.chunks.push(Chunk { frame: f.number, ts_ns: f.ts_ns, dir: dir as u8, seq: 0, data: u.payload.to_vec() });
                }
                _ => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn tcp_segment(&mut self, f: &FrameView, dir: usize, seq: u32, ack: u32, flags: u16, seglen: u32, payload: &[u8]) {
        const SYN: u16 = 0x002;
        let mut sequence = if flags & SYN != 0 { seq.wrapping_add(1) } else { seq };
        let mut length = seglen;
        let mut data = payload;
        // This packet may acknowledge bytes of the other direction that were never captured.
        while self.apply_pending(1 - dir, ack, f.number, true) {}
        if self.taken[dir] == 0 && self.next_seq[dir] == 0 {
            self.next_seq[dir] = sequence;
        }
        if lt_seq(sequence, self.next_seq[dir]) {
            let next = sequence.wrapping_add(length);
            if gt_seq(next, self.next_seq[dir]) {
                // A retransmission carrying more than was seen: keep only the new bytes.
                let skip = self.next_seq[dir].wrapping_sub(sequence) as usize;
                data = data.get(skip..).unwrap_or(&[]);
                sequence = self.next_seq[dir];
                length = next.wrapping_sub(self.next_seq[dir]);
            }
        }
        if data.is_empty() || lt_seq(sequence, self.next_seq[dir]) {
            return;
        }
        let chunk = Chunk { frame: f.number, ts_ns: f.ts_ns, dir: dir as u8, seq: sequence, data: data.to_vec() };
        if sequence == self.next_seq[dir] {
            self.next_seq[dir] = self.next_seq[dir].wrapping_add(length);
            self.taken[dir] += chunk.data.len() as u64;
            self.chunks.push(chunk);
            while self.apply_pending(dir, 0, f.number, false) {}
        } else {
            self.pending[dir].push(chunk);
        }
    }

    /// Moves one waiting segment of `dir` into the stream if it now fits (or, with `use_ack`,
    /// marks bytes the peer acknowledged as missing). Returns whether anything changed.
    fn apply_pending(&mut self, dir: usize, acked: u32, frame: u32, use_ack: bool) -> bool {
        let mut lowest = match self.pending[dir].first() {
            Some(first) => first.seq,
            None => return false,
        };
        for i in 0..self.pending[dir].len() {
            let seq = self.pending[dir][i].seq;
            if gt_seq(lowest, seq) {
                lowest = seq;
            }
            if lt_seq(seq, self.next_seq[dir]) {
                let frag = self.pending[dir].remove(i);
                let end = frag.seq.wrapping_add(frag.data.len() as u32);
                if gt_seq(end, self.next_seq[dir]) {
                    let skip = self.next_seq[dir].wrapping_sub(frag.seq) as usize;
                    if frag.data.len() > skip {
                        let rest = frag.data[skip..].to_vec();
                        self.next_seq[dir] = self.next_seq[dir].wrapping_add(rest.len() as u32);
                        self.chunks.push(Chunk { data: rest, ..frag });
                    }
                }
                return true;
            }
            if seq == self.next_seq[dir] {
                let frag = self.pending[dir].remove(i);
                self.next_seq[dir] = self.next_seq[dir].wrapping_add(frag.data.len() as u32);
                if !frag.data.is_empty() {
                    self.chunks.push(frag);
                }
                return true;
            }
        }
        if use_ack && gt_seq(acked, lowest) {
            let marker = format!("[{} bytes missing in capture file]", lowest.wrapping_sub(self.next_seq[dir]) as i32);
            let mut data = marker.into_bytes();
            // tshark keeps the C string's terminator.
            data.push(0);
            self.chunks.push(Chunk { frame, ts_ns: 0, dir: dir as u8, seq: lowest, data });
            self.next_seq[dir] = lowest;
            return true;
        }
        false
    }

    fn filter_text(&self) -> String {
        let p = match self.transport {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        };
        match self.selector {
            Selector::Index(n) => format!("{}.stream eq {}", p, n),
            Selector::Endpoints([(a, pa), (b, pb)]) => {
                let v = if a.v6 { "v6" } else { "" };
                let (a, b) = (Address::Ip(a).text(), Address::Ip(b).text());
                format!(
                    "((ip{v}.src eq {a} and {p}.srcport eq {pa}) and (ip{v}.dst eq {b} and {p}.dstport eq {pb})) or ((ip{v}.src eq {b} and {p}.srcport eq {pb}) and (ip{v}.dst eq {a} and {p}.dstport eq {pa}))",
                    v = v,
                    a = a,
                    b = b,
                    p = p,
                    pa = pa,
                    pb = pb
                )
            }
        }
    }

    fn node_text(&self, out: &mut String, node: Option<(NetAddr, u16)>, bracket_v6: bool) {
        match node {
            Some((a, port)) => write_host_port(out, &Address::Ip(a), port, bracket_v6),
            // No packet of the stream: tshark prints an empty address and port 0.
            None => out.push_str(":0"),
        }
    }

    pub fn write_text(&self, out: &mut String) {
        if self.mode == Mode::Yaml {
            return self.write_yaml(out);
        }
        out.push('\n');
        out.push_str(RULE);
        let _ = writeln!(out, "Follow: {},{}", if self.transport == Transport::Tcp { "tcp" } else { "udp" }, self.mode.name());
        let _ = writeln!(out, "Filter: {}", self.filter_text());
        out.push_str("Node 0: ");
        self.node_text(out, self.client, true);
        out.push_str("\nNode 1: ");
        self.node_text(out, self.server, true);
        out.push('\n');
        let mut pos = [0u32; 2];
        for (i, c) in self.chunks.iter().enumerate() {
            let number = i as u64 + 1;
            let dir = c.dir as usize;
            if number < self.chunk_min as u64 || number > self.chunk_max as u64 {
                pos[dir] = pos[dir].wrapping_add(c.data.len() as u32);
                continue;
            }
            let indent = if dir == 1 { "\t" } else { "" };
            match self.mode {
                Mode::Ascii => {
                    let _ = writeln!(out, "{}{}", indent, c.data.len());
                    for &b in &c.data {
                        out.push(if b == b'\r' || b == b'\n' || (0x20..0x7f).contains(&b) { b as char } else { '.' });
                    }
                    out.push('\n');
                }
                Mode::Hex => {
                    write_hex(out, indent, pos[dir], &c.data);
                    pos[dir] = pos[dir].wrapping_add(c.data.len() as u32);
                }
                Mode::Raw => {
                    out.push_str(indent);
                    for &b in &c.data {
                        let _ = write!(out, "{:02x}", b);
                    }
                    out.push('\n');
                }
                Mode::Yaml => {}
            }
        }
        out.push_str(RULE);
    }

    fn write_yaml(&self, out: &mut String) {
        out.push_str("peers:\n");
        for (i, node) in [self.client, self.server].iter().enumerate() {
            let _ = writeln!(out, "  - peer: {}", i);
            let (host, port) = node.map_or((String::new(), 0), |(a, p)| (Address::Ip(a).text(), p));
            let _ = writeln!(out, "    host: {}\n    port: {}", host, port);
        }
        out.push_str("packets:\n");
        for (i, c) in self.chunks.iter().enumerate() {
            let number = i as u64 + 1;
            if number < self.chunk_min as u64 || number > self.chunk_max as u64 {
                continue;
            }
            let _ = writeln!(out, "  - packet: {}\n    peer: {}", c.frame, c.dir);
            let _ = writeln!(out, "    timestamp: {:.9}", super::ns_to_sec(c.ts_ns));
            out.push_str("    data: !!binary |\n");
            // 57 raw bytes encode to 76 characters, the common RFC line.
            for line in c.data.chunks(57) {
                out.push_str("      ");
                write_base64(out, line);
                out.push('\n');
            }
        }
    }

    /// `{nodes: [host:port, host:port], chunks: [{frame, dir, hex}]}`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"nodes\":[");
        for (i, node) in [self.client, self.server].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut s = String::new();
            if node.is_some() {
                self.node_text(&mut s, *node, true);
            }
            json::write_str(out, &s);
        }
        out.push_str("],\"chunks\":[");
        for (i, c) in self.chunks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"frame\":{},\"dir\":{},\"hex\":\"", c.frame, c.dir);
            for b in &c.data {
                let _ = write!(out, "{:02x}", b);
            }
            out.push_str("\"}");
        }
        out.push_str("]}");
    }
}

/// tshark's follow hex dump: offset, 16 bytes in two groups of 8, printable ASCII.
fn write_hex(out: &mut String, indent: &str, mut offset: u32, data: &[u8]) {
    for line in data.chunks(16) {
        let _ = write!(out, "{}{:08X}  ", indent, offset);
        for i in 0..16 {
            match line.get(i) {
                Some(b) => {
                    let _ = write!(out, "{:02x} ", b);
                }
                None => out.push_str("   "),
            }
            if i == 7 {
                out.push(' ');
            }
        }
        out.push(' ');
        for (i, &b) in line.iter().enumerate() {
            out.push(if (0x20..0x7f).contains(&b) { b as char } else { '.' });
            if i == 7 {
                out.push(' ');
            }
        }
        // tshark drops one trailing blank, the group gap or a space byte alike.
        if out.ends_with(' ') {
            out.pop();
        }
        out.push('\n');
        offset = offset.wrapping_add(16);
    }
}

fn write_base64(out: &mut String, data: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for group in data.chunks(3) {
        let b = [group[0], group.get(1).copied().unwrap_or(0), group.get(2).copied().unwrap_or(0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Tree;

    fn view(tree: &Tree, number: u32) -> FrameView<'_> {
        FrameView { number, ts_ns: number as i64, rel_ns: 0, origlen: 0, data: &[], tree, time_column: "" }
    }

    /// Feeds segments `(frame, dir, seq, ack, payload)` of stream 0, client first.
    fn follow(segments: &[(u32, usize, u32, u32, &[u8])]) -> Follow {
        let mut f = Follow::parse("tcp,ascii,0").unwrap();
        let tree = Tree::new(false);
        f.client = Some((NetAddr::v4([10, 0, 0, 1]), 1000));
        for &(frame, dir, seq, ack, data) in segments {
            f.tcp_segment(&view(&tree, frame), dir, seq, ack, 0x018, data.len() as u32, data);
        }
        f
    }

    fn text(f: &Follow) -> Vec<(u32, u8, String)> {
        f.chunks.iter().map(|c| (c.frame, c.dir, String::from_utf8_lossy(&c.data).into_owned())).collect()
    }

    #[test]
    fn retransmissions_and_overlaps_keep_new_bytes_only() {
        let f = follow(&[(1, 0, 1, 1, b"abcd"), (2, 0, 1, 1, b"abcd"), (3, 0, 3, 1, b"cdef"), (4, 1, 1, 7, b"ok")]);
        assert_eq!(text(&f), vec![(1, 0, "abcd".into()), (3, 0, "ef".into()), (4, 1, "ok".into())]);
    }

    #[test]
    fn early_segments_wait_for_the_gap() {
        let f = follow(&[(1, 0, 1, 1, b"ab"), (2, 0, 5, 1, b"ef"), (3, 0, 3, 1, b"cd")]);
        assert_eq!(text(&f), vec![(1, 0, "ab".into()), (3, 0, "cd".into()), (2, 0, "ef".into())]);
    }

    #[test]
    fn acknowledged_bytes_never_captured_become_a_marker() {
        let f = follow(&[(1, 0, 1, 1, b"ab"), (2, 0, 7, 1, b"gh"), (3, 1, 1, 9, b"")]);
        assert_eq!(
            text(&f),
            vec![(1, 0, "ab".into()), (3, 0, "[4 bytes missing in capture file]\0".into()), (2, 0, "gh".into())]
        );
    }

    #[test]
    fn hex_lines_as_tshark() {
        let mut out = String::new();
        write_hex(&mut out, "\t", 0x10, b"0123456789abcdefXY");
        assert_eq!(
            out,
            "\t00000010  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  01234567 89abcdef\n\t00000020  58 59                                             XY\n"
        );
    }

    #[test]
    fn base64_pads() {
        let mut out = String::new();
        write_base64(&mut out, b"pong!");
        assert_eq!(out, "cG9uZyE=");
    }

    #[test]
    fn parses_endpoints_and_ranges() {
        let f = Follow::parse("tcp,raw,[::1]:80,[::1]:4000,2-3").unwrap();
        assert_eq!((f.chunk_min, f.chunk_max, f.stream_scope()), (2, 3, None));
        assert!(Follow::parse("udp,hex,1.2.3.4:0,1.2.3.4:5").is_err());
        assert!(Follow::parse("sctp,hex,0").is_err());
    }
}
