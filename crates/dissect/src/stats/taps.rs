//! What tshark's eth/ip/ipv6/tcp/udp taps would queue for one frame, read from its tree: one
//! entry per instance of the protocol (tunnels give several), in dissection order. Fields are
//! found by their filter names, so the statistics depend on no protocol file's internals.
//!
//! Only top-level layers count: headers quoted inside an ICMP error are nested under it, and
//! tshark's taps skip them too (they are marked as coming from an error packet).

use crate::field::{FieldDef, FieldType};
use crate::packet::NetAddr;
use crate::tree::{Node, Tree, Value, NO_NODE};
use std::fmt::Write;

/// An endpoint address of a conversation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Address {
    Ether([u8; 6]),
    Ip(NetAddr),
}

impl Address {
    /// As tshark prints it with name resolution off.
    pub fn write(&self, out: &mut String) {
        match self {
            Address::Ether(a) => crate::addr::write_ether(out, a),
            Address::Ip(a) if a.v6 => crate::addr::write_ipv6(out, &a.bytes),
            Address::Ip(a) => crate::addr::write_ipv4(out, [a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]]),
        }
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    pub fn is_v6(&self) -> bool {
        matches!(self, Address::Ip(a) if a.v6)
    }
}

/// `host:port`, with brackets around IPv6 hosts when `bracket_v6`.
pub fn write_host_port(out: &mut String, a: &Address, port: u16, bracket_v6: bool) {
    if bracket_v6 && a.is_v6() {
        out.push('[');
        a.write(out);
        out.push(']');
    } else {
        a.write(out);
    }
    let _ = write!(out, ":{}", port);
}

/// The conversation and endpoint table types Reef has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Eth,
    Ip,
    Ipv6,
    Tcp,
    Udp,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "eth" => Kind::Eth,
            "ip" => Kind::Ip,
            "ipv6" => Kind::Ipv6,
            "tcp" => Kind::Tcp,
            "udp" => Kind::Udp,
            _ => return None,
        })
    }

    /// The protocol's short name, which titles tshark's tables.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Eth => "Ethernet",
            Kind::Ip => "IPv4",
            Kind::Ipv6 => "IPv6",
            Kind::Tcp => "TCP",
            Kind::Udp => "UDP",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Eth => "eth",
            Kind::Ip => "ip",
            Kind::Ipv6 => "ipv6",
            Kind::Tcp => "tcp",
            Kind::Udp => "udp",
        }
    }

    pub fn has_ports(self) -> bool {
        matches!(self, Kind::Tcp | Kind::Udp)
    }
}

/// One TCP header as the tcp and follow taps see it.
#[derive(Clone, Copy, Debug)]
pub struct TcpTap<'a> {
    pub src: NetAddr,
    pub dst: NetAddr,
    pub sport: u16,
    pub dport: u16,
    pub stream: u32,
    /// Relative sequence and acknowledgment numbers (tshark's default), and the raw ones.
    pub seq: u32,
    pub ack: u32,
    pub seq_raw: u32,
    pub ack_raw: u32,
    pub flags: u16,
    /// Payload length the headers announce (`tcp.len`).
    pub seglen: u32,
    /// The captured part of the payload.
    pub payload: &'a [u8],
    /// The TCP protocol node, for the analysis items under it.
    pub node: u32,
}

/// One UDP header as the udp and follow taps see it.
#[derive(Clone, Copy, Debug)]
pub struct UdpTap<'a> {
    pub src: NetAddr,
    pub dst: NetAddr,
    pub sport: u16,
    pub dport: u16,
    pub stream: u32,
    /// The header's length field (header included).
    pub length: u16,
    pub payload: &'a [u8],
}

#[derive(Clone, Copy, Debug)]
pub enum Tap<'a> {
    Eth { src: [u8; 6], dst: [u8; 6] },
    Ip { src: NetAddr, dst: NetAddr },
    Tcp(TcpTap<'a>),
    Udp(UdpTap<'a>),
}

/// A tap entry a dissector queued as it went (Wireshark's `tap_queue_packet`), so header
/// tables need no tree. `protocols_at`: how many protocol items the frame had then (IPv6's
/// rule on fragments looks at the layer after it).
#[derive(Clone, Copy, Debug)]
pub struct Queued {
    pub tap: Tap<'static>,
    pub protocols_at: u32,
}

/// The queue of one frame's dissection (held by its `Tree`); `on` when a session reads it.
#[derive(Default)]
pub struct TapQueue {
    pub on: bool,
    pub list: Vec<Queued>,
}

/// The fields `Taps::of` reads under the tapped headers. A dissection recording only these and
/// the protocol items (`Stats::interest`) gives the taps what a whole tree gives them.
pub const FIELDS: &[&str] = &[
    "eth.src", "eth.dst", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ipv6.fraghdr", "tcp.stream", "tcp.hdr_len", "tcp.len",
    "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.ack", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "udp.length", "udp.srcport",
    "udp.dstport", "udp.stream",
];

/// Indices into `FIELDS` (a test checks they name the same fields).
mod slot {
    pub const ETH_SRC: usize = 0;
    pub const ETH_DST: usize = 1;
    pub const IP_SRC: usize = 2;
    pub const IP_DST: usize = 3;
    pub const IPV6_SRC: usize = 4;
    pub const IPV6_DST: usize = 5;
    pub const IPV6_FRAGHDR: usize = 6;
    pub const TCP_STREAM: usize = 7;
    pub const TCP_HDR_LEN: usize = 8;
    pub const TCP_LEN: usize = 9;
    pub const TCP_SRCPORT: usize = 10;
    pub const TCP_DSTPORT: usize = 11;
    pub const TCP_SEQ: usize = 12;
    pub const TCP_ACK: usize = 13;
    pub const TCP_SEQ_RAW: usize = 14;
    pub const TCP_ACK_RAW: usize = 15;
    pub const TCP_FLAGS: usize = 16;
    pub const UDP_LENGTH: usize = 17;
    pub const UDP_SRCPORT: usize = 18;
    pub const UDP_DSTPORT: usize = 19;
    pub const UDP_STREAM: usize = 20;
}

/// Every tap entry of one frame, in dissection order: read from a tree into `list`, or
/// borrowed from the frame's queue.
pub struct Taps<'a> {
    list: Vec<Tap<'a>>,
    queued: &'a [Queued],
}

impl<'a> Taps<'a> {
    pub fn iter(&self) -> impl Iterator<Item = &Tap<'a>> + '_ {
        self.list.iter().chain(self.queued.iter().map(|q| -> &Tap<'a> { &q.tap }))
    }

    pub fn of(tree: &'a Tree, frame: &'a [u8]) -> Taps<'a> {
        let mut list = Vec::new();
        // Transport headers take their addresses from the IP header dissected before them.
        let mut net: Option<(NetAddr, NetAddr)> = None;
        for (i, node) in tree.nodes.iter().enumerate() {
            if node.parent != NO_NODE || node.field.ftype != FieldType::Protocol {
                continue;
            }
            let i = i as u32;
            match node.field.abbrev {
                "eth" => {
                    let k = Kids::of(tree, i);
                    if let (Some(Value::Ether(src)), Some(Value::Ether(dst))) = (k.get(slot::ETH_SRC), k.get(slot::ETH_DST)) {
                        list.push(Tap::Eth { src: *src, dst: *dst });
                    }
                }
                "ip" => {
                    let k = Kids::of(tree, i);
                    // A source route's last address is ip.dst, under the option that holds it.
                    let dst = k.get(slot::IP_DST).or_else(|| descendant(tree, i, slot::IP_DST));
                    if let (Some(Value::Ipv4(s)), Some(Value::Ipv4(d))) = (k.get(slot::IP_SRC), dst) {
                        let pair = (NetAddr::v4(*s), NetAddr::v4(*d));
                        net = Some(pair);
                        list.push(Tap::Ip { src: pair.0, dst: pair.1 });
                    }
                }
                "ipv6" => {
                    let k = Kids::of(tree, i);
                    // tshark taps IPv6 once its payload is whole: not for a fragment left unreassembled.
                    if k.get(slot::IPV6_FRAGHDR).is_some() && next_layer(tree, i).map_or(true, |n| n == "data") {
                        continue;
                    }
                    if let (Some(Value::Ipv6(s)), Some(Value::Ipv6(d))) = (k.get(slot::IPV6_SRC), k.get(slot::IPV6_DST)) {
                        let pair = (NetAddr::v6(*s), NetAddr::v6(*d));
                        net = Some(pair);
                        list.push(Tap::Ip { src: pair.0, dst: pair.1 });
                    }
                }
                "tcp" => {
                    if let (Some((src, dst)), Some(t)) = (net, tcp_tap(&Kids::of(tree, i), tree, frame, i, node)) {
                        list.push(Tap::Tcp(TcpTap { src, dst, ..t }));
                    }
                }
                "udp" => {
                    if let (Some((src, dst)), Some(u)) = (net, udp_tap(&Kids::of(tree, i), tree, frame, node)) {
                        list.push(Tap::Udp(UdpTap { src, dst, ..u }));
                    }
                }
                _ => {}
            }
        }
        Taps { list, queued: &[] }
    }
}

impl<'q> Taps<'q> {
    /// What `Taps::of` reads from a whole tree, from the entries the dissectors queued (the
    /// transport ones already carry their IP addresses: `Ctx::tap`). The queue is borrowed as
    /// it is unless an IPv6 header shows an unreassembled fragment, which tshark does not tap.
    pub fn from_queue(queue: &'q [Queued], protocols: &[&'static FieldDef]) -> Taps<'q> {
        let skipped = |q: &Queued| match q.tap {
            Tap::Ip { src, .. } => src.v6 && unreassembled_fragment(&protocols[(q.protocols_at as usize).min(protocols.len())..]),
            _ => false,
        };
        if !queue.iter().any(skipped) {
            return Taps { list: Vec::new(), queued: queue };
        }
        Taps { list: queue.iter().filter(|q| !skipped(q)).map(|q| q.tap).collect(), queued: &[] }
    }
}

/// Whether the protocols after an IPv6 header show it as a fragment left unreassembled: a
/// fragment header among its extension headers, then data or nothing (`Taps::of`'s rule).
fn unreassembled_fragment(after: &[&'static FieldDef]) -> bool {
    let mut fragment = false;
    for p in after {
        if !p.abbrev.starts_with("ipv6.") {
            return fragment && p.abbrev == "data";
        }
        fragment |= p.abbrev == "ipv6.fraghdr";
    }
    fragment
}

thread_local! {
    /// `FIELDS` resolved in the registry, where each name is declared once: children are
    /// matched by address, not by comparing names (per frame, for every child).
    static DEFS: [Option<&'static FieldDef>; FIELDS.len()] = {
        let mut defs = [None; FIELDS.len()];
        for (d, name) in defs.iter_mut().zip(FIELDS) {
            *d = crate::field::find_field(name);
        }
        defs
    };
}

/// The first child of each of `FIELDS` under one tapped header, gathered in one walk of the
/// nodes after it (children come after their parent), without allocating.
struct Kids<'t> {
    found: [Option<&'t Value>; FIELDS.len()],
}

impl<'t> Kids<'t> {
    fn of(tree: &'t Tree, parent: u32) -> Kids<'t> {
        let mut found = [None; FIELDS.len()];
        DEFS.with(|defs| {
            for n in &tree.nodes[parent as usize + 1..] {
                if n.parent != parent {
                    continue;
                }
                if let Some(slot) = defs.iter().position(|d| d.map_or(false, |d| std::ptr::eq(d, n.field))) {
                    found[slot].get_or_insert(&n.value);
                }
            }
        });
        Kids { found }
    }

    /// The child named `FIELDS[slot]`.
    fn get(&self, slot: usize) -> Option<&'t Value> {
        self.found[slot]
    }

    fn uint(&self, slot: usize) -> Option<u64> {
        match self.get(slot) {
            Some(Value::Uint(v)) => Some(*v),
            _ => None,
        }
    }
}

/// The value of the first `FIELDS[slot]` anywhere under node `i`.
fn descendant(tree: &Tree, i: u32, slot: usize) -> Option<&Value> {
    let def = DEFS.with(|defs| defs[slot])?;
    let nodes = &tree.nodes;
    for (k, n) in nodes.iter().enumerate().skip(i as usize + 1) {
        if n.parent == NO_NODE {
            break;
        }
        if std::ptr::eq(n.field, def) {
            // Parents come before their children: climb until `i` or the top.
            let mut p = n.parent;
            while p != NO_NODE && p > i && (p as usize) < k {
                p = nodes[p as usize].parent;
            }
            if p == i {
                return Some(&n.value);
            }
        }
    }
    None
}

/// The filter name of the top-level item after node `i`.
fn next_layer(tree: &Tree, i: u32) -> Option<&'static str> {
    tree.nodes.get(i as usize + 1..)?.iter().find(|n| n.parent == NO_NODE).map(|n| n.field.abbrev)
}

/// The bytes `start..start+len` of the node's data source, clamped to what was captured.
fn bytes_from<'a>(tree: &'a Tree, frame: &'a [u8], node: &Node, start: usize, len: usize) -> &'a [u8] {
    let src = tree.source_bytes(node.source, frame);
    let s = start.min(src.len());
    &src[s..s.saturating_add(len).min(src.len())]
}

fn tcp_tap<'a>(kids: &Kids, tree: &'a Tree, frame: &'a [u8], i: u32, node: &Node) -> Option<TcpTap<'a>> {
    // tshark taps TCP only once the whole header was read (its stream is known by then).
    let stream = kids.uint(slot::TCP_STREAM)? as u32;
    let hlen = kids.uint(slot::TCP_HDR_LEN)? as usize;
    let seglen = kids.uint(slot::TCP_LEN).unwrap_or(0) as u32;
    Some(TcpTap {
        src: NetAddr::default(),
        dst: NetAddr::default(),
        sport: kids.uint(slot::TCP_SRCPORT)? as u16,
        dport: kids.uint(slot::TCP_DSTPORT)? as u16,
        stream,
        seq: kids.uint(slot::TCP_SEQ).unwrap_or(0) as u32,
        ack: kids.uint(slot::TCP_ACK).unwrap_or(0) as u32,
        seq_raw: kids.uint(slot::TCP_SEQ_RAW).unwrap_or(0) as u32,
        ack_raw: kids.uint(slot::TCP_ACK_RAW).unwrap_or(0) as u32,
        flags: kids.uint(slot::TCP_FLAGS).unwrap_or(0) as u16,
        seglen,
        payload: bytes_from(tree, frame, node, node.start as usize + hlen, seglen as usize),
        node: i,
    })
}

fn udp_tap<'a>(kids: &Kids, tree: &'a Tree, frame: &'a [u8], node: &Node) -> Option<UdpTap<'a>> {
    const HEADER_LEN: usize = 8;
    let length = kids.uint(slot::UDP_LENGTH)? as usize;
    // A length shorter than the header stops tshark before its tap.
    if length < HEADER_LEN {
        return None;
    }
    Some(UdpTap {
        src: NetAddr::default(),
        dst: NetAddr::default(),
        sport: kids.uint(slot::UDP_SRCPORT)? as u16,
        dport: kids.uint(slot::UDP_DSTPORT)? as u16,
        stream: kids.uint(slot::UDP_STREAM).unwrap_or(0) as u32,
        length: length as u16,
        payload: bytes_from(tree, frame, node, node.start as usize + HEADER_LEN, length.saturating_sub(HEADER_LEN)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::FrameMeta;
    use crate::session::Session;

    #[test]
    fn slots_name_the_fields_they_index() {
        let named = [
            (slot::ETH_SRC, "eth.src"), (slot::ETH_DST, "eth.dst"), (slot::IP_SRC, "ip.src"), (slot::IP_DST, "ip.dst"),
            (slot::IPV6_SRC, "ipv6.src"), (slot::IPV6_DST, "ipv6.dst"), (slot::IPV6_FRAGHDR, "ipv6.fraghdr"),
            (slot::TCP_STREAM, "tcp.stream"), (slot::TCP_HDR_LEN, "tcp.hdr_len"), (slot::TCP_LEN, "tcp.len"),
            (slot::TCP_SRCPORT, "tcp.srcport"), (slot::TCP_DSTPORT, "tcp.dstport"), (slot::TCP_SEQ, "tcp.seq"),
            (slot::TCP_ACK, "tcp.ack"), (slot::TCP_SEQ_RAW, "tcp.seq_raw"), (slot::TCP_ACK_RAW, "tcp.ack_raw"),
            (slot::TCP_FLAGS, "tcp.flags"), (slot::UDP_LENGTH, "udp.length"), (slot::UDP_SRCPORT, "udp.srcport"),
            (slot::UDP_DSTPORT, "udp.dstport"), (slot::UDP_STREAM, "udp.stream"),
        ];
        assert_eq!(named.len(), FIELDS.len());
        for (i, name) in named {
            assert_eq!(FIELDS[i], name);
            assert!(crate::field::find_field(name).is_some(), "{} is registered", name);
        }
    }

    /// A loose source route's last address is the destination tshark's ip and udp taps count
    /// while the pointer is at a slot of the route (the tree shows that ip.dst under the
    /// option); a route run to its end or a bad pointer leaves the header's. The same from
    /// queued taps and from the tree (tshark 4.0.17 on these frames).
    #[test]
    fn a_source_route_counts_its_final_destination() {
        for (ptr, dst) in [(4, "10.0.0.7"), (8, "10.0.0.7"), (12, "10.0.0.2"), (3, "10.0.0.2"), (5, "10.0.0.2"), (0, "10.0.0.2")] {
            let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
            f.extend_from_slice(&[0x48, 0, 0, 44, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
            f.extend_from_slice(&[0x83, 11, ptr, 10, 0, 0, 9, 10, 0, 0, 7, 0]);
            f.extend_from_slice(&[0x04, 0xd2, 0, 53, 0, 12, 0, 0, b'a', b'b', b'c', b'd']);
            for extra in ["", "\nio,phs"] {
                let mut s = Session::new();
                s.configure("mode quiet\nsingle_pass 1\n").unwrap();
                s.start_stats(&format!("conv,ip\nconv,udp{}", extra)).unwrap();
                s.ingest_and_print(FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() }, &f);
                s.out.clear();
                s.write_stats_text();
                assert!(s.out.contains(&format!("10.0.0.1             <-> {:<20}", dst)), "pointer {}{}: {}", ptr, extra, s.out);
                assert!(s.out.contains(&format!("10.0.0.1:1234              <-> {:<26}", format!("{}:53", dst))), "pointer {}{}: {}", ptr, extra, s.out);
            }
        }
    }

    /// An IPv4 header tshark rejects (bad version, header length under 20, total length under
    /// the header's, a malformed option) never reaches its ip tap: only the good datagram is
    /// in the tables (queued taps; tshark 4.0.17 on the same frames).
    #[test]
    fn rejected_ipv4_headers_are_not_counted() {
        let udp = [0x04, 0xd2, 0, 53, 0, 12, 0, 0, b'a', b'b', b'c', b'd'];
        let frame = |vihl: u8, total: u8, opt: &[u8]| {
            let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00, vihl, 0, 0, total, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
            f.extend_from_slice(opt);
            f.extend_from_slice(&udp);
            f
        };
        let frames = [frame(0x55, 32, &[]), frame(0x44, 32, &[]), frame(0x45, 10, &[]), frame(0x46, 36, &[0x44, 3, 5, 0]), frame(0x45, 32, &[])];
        let mut s = Session::new();
        s.configure("mode quiet\nsingle_pass 1\n").unwrap();
        s.start_stats("conv,ip\nconv,udp").unwrap();
        for f in &frames {
            s.ingest_and_print(FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() }, f);
        }
        s.out.clear();
        s.write_stats_text();
        let rows: Vec<&str> = s.out.lines().filter(|l| l.contains("<->")).collect();
        assert_eq!(rows.len(), 2, "{}", s.out);
        assert!(rows.iter().all(|r| r.contains(" 1 46 bytes ")), "{}", s.out);
    }

    #[test]
    fn reads_every_layer_of_a_tcp_segment() {
        let syn = crate::proto::tcp::tests::SYN;
        let mut s = Session::new();
        s.ingest(FrameMeta { linktype: 1, caplen: 74, origlen: 74, ts_digits: 6, ..Default::default() }, &syn, true);
        let taps = Taps::of(s.tree(), &syn);
        let list: Vec<_> = taps.iter().collect();
        assert_eq!(list.len(), 3, "eth, ip, tcp");
        match list[2] {
            Tap::Tcp(t) => {
                assert_eq!((t.sport, t.dport, t.stream, t.seq, t.flags, t.seglen), (50000, 8080, 0, 0, 0x002, 0));
                assert_eq!(Address::Ip(t.src).text(), "127.0.0.1");
                assert!(t.payload.is_empty());
            }
            other => panic!("{:?}", other),
        }
    }
}
