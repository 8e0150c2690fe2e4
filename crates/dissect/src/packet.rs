//! What a dissector works with: the frame's bytes through a bounds-checked `Layer` view,
//! the tree, the columns, and the session's analysis state.

use crate::analysis::State;
use crate::field::FieldDef;
use crate::tree::{Tree, Value, NO_NODE};

/// Per-frame facts from the capture layer.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrameMeta {
    pub number: u32,
    pub ts_ns: i64,
    pub caplen: u32,
    pub origlen: u32,
    pub linktype: u32,
    pub iface: u32,
    /// Timestamp precision of the source, in decimal digits (6 = usec, 9 = nsec).
    pub ts_digits: u8,
}

/// Why a layer stopped. Lax parsing: the layers before it are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DissectError {
    /// The layer needs bytes beyond the captured length (snaplen cut the frame).
    Truncated { layer: &'static str, offset: usize, needed: usize, available: usize },
    /// The layer's own length fields contradict the data.
    Malformed { layer: &'static str, offset: usize, reason: &'static str },
}

impl DissectError {
    pub fn layer(&self) -> &'static str {
        match self {
            DissectError::Truncated { layer, .. } | DissectError::Malformed { layer, .. } => layer,
        }
    }
}

pub type DResult<T> = Result<T, DissectError>;

/// A bounds-checked view of one layer's bytes. After `need(n)` succeeds, accessors below `n`
/// cannot fail; accessors never panic in any case (out-of-range reads yield 0).
#[derive(Clone, Copy)]
pub struct Layer<'a> {
    /// The captured bytes of the frame (not just this layer), for offsets.
    frame: &'a [u8],
    /// Offset of this layer in the frame.
    pub start: usize,
    /// Captured bytes available to this layer.
    pub len: usize,
    /// Bytes the lower layer says this layer has (can exceed `len` when snaplen cut it).
    pub reported: usize,
    pub name: &'static str,
}

impl<'a> Layer<'a> {
    pub fn new(frame: &'a [u8], start: usize, reported: usize, name: &'static str) -> Layer<'a> {
        let start = start.min(frame.len());
        let len = (frame.len() - start).min(reported);
        Layer { frame, start, len, reported, name }
    }

    /// The rest of this layer from `at` on, as the payload of `name`.
    pub fn sub(&self, at: usize, name: &'static str) -> Layer<'a> {
        let reported = self.reported.saturating_sub(at);
        Layer::new(self.frame, self.start + at.min(self.len), reported, name)
    }

    /// Limits the layer to `reported` bytes (an inner length field, e.g. IP total length).
    pub fn limit(&self, reported: usize) -> Layer<'a> {
        Layer { len: self.len.min(reported), reported, ..*self }
    }

    /// Fails unless `n` bytes are there: truncated if snaplen cut them, malformed if the layer is
    /// genuinely shorter.
    pub fn need(&self, n: usize) -> DResult<()> {
        if n <= self.len {
            Ok(())
        } else if n <= self.reported {
            Err(DissectError::Truncated { layer: self.name, offset: self.start + self.len, needed: n, available: self.len })
        } else {
            Err(DissectError::Malformed { layer: self.name, offset: self.start + self.len, reason: "length exceeds the packet" })
        }
    }

    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        &self.frame[self.start..self.start + self.len]
    }

    /// Where `slice(at, ..)` starts in `frame`, when this layer's bytes are that frame's own
    /// (not reassembled ones).
    pub fn start_in(&self, frame: &[u8], at: usize) -> Option<u32> {
        std::ptr::eq(self.frame, frame).then(|| (self.start + at.min(self.len)) as u32)
    }

    #[inline]
    pub fn slice(&self, at: usize, n: usize) -> &'a [u8] {
        let b = self.bytes();
        let s = at.min(b.len());
        &b[s..(s + n).min(b.len())]
    }

    #[inline]
    pub fn u8(&self, at: usize) -> u8 {
        self.bytes().get(at).copied().unwrap_or(0)
    }
    #[inline]
    pub fn u16(&self, at: usize) -> u16 {
        u16::from_be_bytes(self.array(at))
    }
    pub fn u16_le(&self, at: usize) -> u16 {
        u16::from_le_bytes([self.u8(at), self.u8(at + 1)])
    }
    #[inline]
    pub fn u32(&self, at: usize) -> u32 {
        u32::from_be_bytes(self.array(at))
    }
    pub fn u32_le(&self, at: usize) -> u32 {
        u32::from_le_bytes([self.u8(at), self.u8(at + 1), self.u8(at + 2), self.u8(at + 3)])
    }
    #[inline]
    pub fn array<const N: usize>(&self, at: usize) -> [u8; N] {
        let s = self.slice(at, N);
        // Whole: a copy of a known size (the general copy below is a memmove call).
        if let Ok(a) = <[u8; N]>::try_from(s) {
            return a;
        }
        let mut a = [0u8; N];
        a[..s.len()].copy_from_slice(s);
        a
    }

    /// Absolute frame offset of `at`, for tree items.
    #[inline]
    pub fn abs(&self, at: usize) -> usize {
        self.start + at
    }
}

/// The summary columns Wireshark fills while dissecting.
#[derive(Default, Clone, Debug)]
pub struct Columns {
    pub protocol: String,
    pub info: String,
    pub src: String,
    pub dst: String,
    /// Whether src/dst came from a network layer (which outranks the link layer).
    pub net_addresses: bool,
    /// Link-layer addresses waiting to become src/dst if no network layer sets them: a MAC is
    /// formatted only for the frames that show it (`finish`).
    pub link_addresses: Option<([u8; 6], Option<[u8; 6]>)>,
    /// Info up to here was written for an earlier PDU of the segment (Wireshark's column
    /// fence): clearing Info keeps it.
    pub info_fence: usize,
    /// Nobody reads this dissection's columns (a display filter's or coloring pass): the
    /// layers every frame has (addresses, TCP, UDP) skip formatting them.
    pub off: bool,
}

impl Columns {
    pub fn clear(&mut self) {
        self.protocol.clear();
        self.info.clear();
        self.src.clear();
        self.dst.clear();
        self.net_addresses = false;
        self.link_addresses = None;
        self.info_fence = 0;
    }

    /// The link layer's addresses (`dst` None: the column stays empty), unless a network
    /// layer already set the columns.
    pub fn set_link_addresses(&mut self, src: [u8; 6], dst: Option<[u8; 6]>) {
        if !self.net_addresses {
            self.link_addresses = Some((src, dst));
        }
    }

    /// A network layer's addresses, which outrank the link layer's.
    pub fn set_net_addresses(&mut self, write: impl Fn(&mut String, bool)) {
        self.net_addresses = true;
        if self.off {
            return;
        }
        self.src.clear();
        self.dst.clear();
        write(&mut self.src, true);
        write(&mut self.dst, false);
        self.net_addresses = true;
        self.link_addresses = None;
    }

    /// Formats pending link-layer addresses; called once the frame is dissected.
    pub fn finish(&mut self) {
        if self.off {
            self.link_addresses = None;
            return;
        }
        if let Some((src, dst)) = self.link_addresses.take() {
            self.src.clear();
            self.dst.clear();
            crate::addr::write_ether(&mut self.src, &src);
            if let Some(d) = dst {
                crate::addr::write_ether(&mut self.dst, &d);
            }
        }
    }
    pub fn set_protocol(&mut self, p: &str) {
        self.protocol.clear();
        self.protocol.push_str(p);
    }
    /// Clears Info back to the fence (`col_clear`).
    pub fn clear_info(&mut self) {
        let fence = self.info_fence.min(self.info.len());
        if self.info.is_char_boundary(fence) {
            self.info.truncate(fence);
        } else {
            self.info.clear();
        }
    }
    pub fn set_info(&mut self, s: &str) {
        self.info.clear();
        self.info.push_str(s);
    }
}

/// Network-layer endpoints of the innermost IP header, for transport conversations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NetAddr {
    pub v6: bool,
    pub bytes: [u8; 16],
}

impl NetAddr {
    pub fn v4(a: [u8; 4]) -> NetAddr {
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&a);
        NetAddr { v6: false, bytes }
    }
    pub fn v6(a: [u8; 16]) -> NetAddr {
        NetAddr { v6: true, bytes: a }
    }
}

/// How much more data a protocol above TCP needs before it can dissect a PDU (Wireshark's
/// `desegment_len`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Desegment {
    /// This many bytes beyond the end of the data it was given.
    Bytes(u32),
    /// An unknown amount: at least the next segment.
    OneMoreSegment,
    /// Everything until the sender's FIN.
    UntilFin,
}

/// Everything one dissection of one frame reads and writes.
pub struct Ctx<'a> {
    pub data: &'a [u8],
    pub meta: FrameMeta,
    pub tree: &'a mut Tree,
    pub cols: &'a mut Columns,
    pub state: &'a mut State,
    /// Re-dissecting a frame already seen in the first pass: read stored analysis, change nothing.
    pub revisit: bool,
    /// Layer names for `frame.protocols`.
    pub protocols: Vec<&'static str>,
    pub net_src: Option<NetAddr>,
    pub net_dst: Option<NetAddr>,
    /// Ordinal of the TCP/UDP layer within this frame (tunnels can carry several).
    pub tcp_layers: u32,
    pub udp_layers: u32,
    /// Set by TCP while a protocol above it runs: that protocol may ask for more data by
    /// setting `desegment` (the offset in its layer where the unfinished PDU starts, and what
    /// it needs) instead of dissecting a partial PDU.
    pub can_desegment: bool,
    pub desegment: Option<(usize, Desegment)>,
    /// Application messages dissected so far in this frame (several can share a segment, or
    /// a segment and a reassembled PDU): the key of per-message analysis records.
    pub app_messages: u32,
    /// `tcp.stream` of the segment whose payload is being dissected (for matching above TCP).
    pub tcp_stream: Option<u32>,
    /// Source and destination ports of that segment.
    pub tcp_ports: (u16, u16),
    /// That segment's TCP tree item, where length-prefixed protocols show each message's size.
    pub tcp_tree: u32,
    /// Set while HTTP hands a CONNECT tunnel's payload on: an HTTP found inside the tunnel
    /// starts afresh instead of tunnelling again.
    pub in_http_tunnel: bool,
    /// The MIME type (lower case, no parameters) of the body a carrier hands to a
    /// `MediaType` dissector (Wireshark's `match_string` / media content info).
    pub media_type: String,
    /// How much of the frame is dissected (`session/scope.rs`).
    pub scope: Scope,
}

/// How far a single pass dissects, from what it prints, filters and counts
/// (`session/scope.rs`). The default is everything.
#[derive(Clone, Copy, Default)]
pub struct Scope {
    /// Nothing read is above TCP and UDP: their payloads are not handed up.
    pub transport_only: bool,
    /// Nor needs TCP's flow analysis (streams, sequence analysis): it is not run.
    pub skip_tcp_flows: bool,
    /// Nor UDP's (streams).
    pub skip_udp_flows: bool,
    /// Of TCP's analysis only the stream numbers are read (TCP conversation and endpoint
    /// tables): the sequence analysis is not run.
    pub tcp_streams_only: bool,
    /// Only the columns are read (a single pass printing summary lines, or nothing, without a
    /// tree): work that feeds only the tree and `frame.protocols` may be skipped.
    pub columns_only: bool,
}

impl<'a> Ctx<'a> {
    /// Queues a tap entry for the header tables when they read the queue instead of a tree
    /// (`stats::taps::Queued`); not for a header an ICMP error quotes, which tshark's taps skip.
    /// A TCP or UDP entry takes the addresses of the IP entry before it, and without one is
    /// not tapped (as `Taps::of` does from a tree).
    #[inline]
    pub fn tap(&mut self, mut tap: crate::stats::taps::Tap<'static>) {
        use crate::stats::taps::Tap;
        if !self.tree.taps.on || self.state.icmp.error_depth != 0 {
            return;
        }
        let list = &mut self.tree.taps.list;
        if let Tap::Tcp(crate::stats::taps::TcpTap { src, dst, .. }) | Tap::Udp(crate::stats::taps::UdpTap { src, dst, .. }) = &mut tap {
            match list.iter().rev().find_map(|q| match q.tap {
                Tap::Ip { src, dst } => Some((src, dst)),
                _ => None,
            }) {
                Some(net) => (*src, *dst) = net,
                None => return,
            }
        }
        let protocols_at = self.tree.protocols_added.len() as u32;
        list.push(crate::stats::taps::Queued { tap, protocols_at });
    }

    /// Adds a protocol node covering `layer` and records it in `frame.protocols`.
    /// Runs the dissection of a protocol that carries no other protocol (JSON, DNS) without a
    /// tree when no field of it is of interest: what it computes only for tree items (keys,
    /// names, values) is then skipped, and the columns and analysis are the same.
    pub fn leaf<T>(&mut self, protos: &[&str], f: impl FnOnce(&mut Self) -> T) -> T {
        if !self.tree.enabled() || self.tree.wants_protocol(protos) {
            return f(self);
        }
        let was = self.tree.suspend();
        let r = f(self);
        self.tree.resume(was);
        r
    }

    pub fn add_protocol(&mut self, parent: u32, proto: &'static FieldDef, layer: &Layer) -> u32 {
        self.protocols.push(proto.abbrev);
        self.tree.add(parent, proto, layer.start, layer.len, Value::None)
    }

    /// Adds a field whose value is an unsigned integer read from the layer.
    pub fn add_uint(&mut self, parent: u32, f: &'static FieldDef, layer: &Layer, at: usize, len: usize, v: u64) -> u32 {
        self.tree.add(parent, f, layer.abs(at), len, Value::Uint(v))
    }

    pub fn add(&mut self, parent: u32, f: &'static FieldDef, layer: &Layer, at: usize, len: usize, v: Value) -> u32 {
        self.tree.add(parent, f, layer.abs(at), len, v)
    }

    pub fn root() -> u32 {
        NO_NODE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_classifies_short_data() {
        let frame = [1u8, 2, 3, 4];
        let l = Layer::new(&frame, 1, 10, "test");
        assert_eq!(l.len, 3);
        assert!(l.need(3).is_ok());
        assert!(matches!(l.need(5), Err(DissectError::Truncated { needed: 5, available: 3, .. })));
        assert!(matches!(l.need(11), Err(DissectError::Malformed { .. })));
        assert_eq!(l.u16(0), 0x0203);
        assert_eq!(l.u32(2), 0x0400_0000, "reads past the end yield zeros, never panic");
        let inner = l.sub(2, "inner");
        assert_eq!((inner.start, inner.len, inner.reported), (3, 1, 8));
        assert_eq!(l.limit(2).len, 2);
    }
}
