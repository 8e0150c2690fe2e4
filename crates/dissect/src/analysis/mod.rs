//! Stateful analysis that runs once, in frame order (Wireshark's first pass). Its per-frame
//! results are stored compactly so any frame can be re-dissected later with the same answers.

pub mod arp;
pub mod conv;
pub mod quic;
pub mod reassembly;
pub mod http;
pub mod dns;
pub mod icmp;
pub mod modbus;
pub mod tcp;
pub mod tls;
pub mod tcp_reasm;
pub mod tcp_conv;
pub mod tcp_seq;
pub mod udp;

/// All cross-frame state of a session.
#[derive(Default)]
pub struct State {
    /// Timestamps of the frames ingested so far.
    pub frame_ts: Timeline,
    pub tcp: tcp::TcpAnalysis,
    pub udp: udp::UdpStreams,
    pub tls: tls::TlsConversations,
    pub quic: quic::QuicConnections,
    pub arp: arp::ArpAnalysis,
    /// IPv4 and IPv6 fragment reassembly.
    pub frags: reassembly::Reassembly,
    pub http: http::HttpMatching,
    pub dns: dns::DnsTransactions,
    pub icmp: icmp::IcmpAnalysis,
    pub modbus: modbus::ModbusMatching,
    /// First frame in which HTTP saw a request or response line, by TCP stream: later data
    /// that is not one is a continuation rather than some other protocol.
    pub http_streams: crate::hash::HashMap<u32, u32>,
    /// The host's copy of every frame, when it keeps one (`Session::set_frame_source`).
    pub frame_source: Option<Box<dyn FrameSource>>,
}

/// Hands back the bytes of an ingested frame (the TUI reads them from the capture file), so
/// the core need not keep copies of what reassembly built from them.
pub trait FrameSource {
    /// Puts frame `number`'s bytes in `out` (cleared first); false if it cannot.
    fn frame(&mut self, number: u32, out: &mut Vec<u8>) -> bool;
}

impl State {
    /// Approximate heap bytes of the largest per-frame structures, by name (for the memory
    /// report of `examples/memory_report.rs`; capacities, not lengths).
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        let mut out = vec![("frame_ts", self.frame_ts.heap_bytes())];
        out.extend(self.tcp.footprint());
        out.push(("udp.frames", self.udp.footprint()));
        out.push(("dns", self.dns.footprint()));
        out.extend(self.http.footprint());
        out
    }

    /// Reassembled TCP PDU `id` with its bytes, rebuilt from the host's frames if they were let
    /// go; `current` and `data` are the frame being dissected.
    pub fn tcp_pdu(&mut self, id: u32, current: u32, data: &[u8]) -> Option<tcp_reasm::Pdu> {
        let pdu = self.tcp.reasm.pdu(id)?;
        if !pdu.data.is_empty() || pdu.srcs.is_empty() {
            return Some(pdu.clone());
        }
        let source = self.frame_source.as_mut()?;
        let bytes = pdu.rebuild(|n, out| {
            if n == current {
                out.clear();
                out.extend_from_slice(data);
                true
            } else {
                source.frame(n, out)
            }
        })?;
        Some(tcp_reasm::Pdu { data: bytes, ..pdu.clone() })
    }

    pub fn ts_of(&self, frame: u32) -> Option<i64> {
        self.frame_ts.get(frame)
    }

    /// Single pass, before frame `frame` (at `ts`): lets go of what no later frame reads.
    pub fn release_before(&mut self, frame: u32, ts: i64) {
        self.tcp.reasm.release_before(frame);
        self.dns.forget_before(ts);
        let (http, http_streams) = (&mut self.http, &mut self.http_streams);
        self.tcp.retire_idle(ts, |stream| {
            http.forget_stream(stream);
            http_streams.remove(&stream);
        });
    }

    /// A single pass (reef-cli without -2): no frame is re-dissected, so nothing is kept for
    /// that, and state of finished conversations and transactions is let go.
    pub fn set_single_pass(&mut self, on: bool) {
        self.frame_ts.recent_only = on;
        self.tcp.set_single_pass(on);
        self.udp.single_pass = on;
        self.dns.single_pass = on;
        self.http.single_pass = on;
        self.tls.single_pass = on;
        self.quic.single_pass = on;
        self.frags.single_pass = on;
    }
}

/// Frame timestamps (ns since the epoch), by frame number. A re-dissection may ask for any
/// frame's, so all are kept, unless `recent_only` (a single pass): then the two newest, which
/// is what a frame's own dissection reads (its own and the previous frame's); TCP keeps the
/// times it needs from older frames in its own state.
#[derive(Default)]
pub struct Timeline {
    all: Vec<i64>,
    pub recent_only: bool,
    count: u32,
    first: Option<i64>,
    /// The previous and the newest frame's.
    recent: [i64; 2],
    max: i64,
}

impl Timeline {
    pub fn push(&mut self, ts: i64) {
        if !self.recent_only {
            self.all.push(ts);
        }
        self.count += 1;
        self.first.get_or_insert(ts);
        self.recent = [self.recent[1], ts];
        self.max = if self.count == 1 { ts } else { self.max.max(ts) };
    }

    pub fn len(&self) -> u32 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn first(&self) -> Option<i64> {
        self.first
    }

    /// The latest timestamp (frames need not be in time order).
    pub fn max(&self) -> Option<i64> {
        self.first.map(|_| self.max)
    }

    pub fn get(&self, frame: u32) -> Option<i64> {
        if frame == 0 || frame > self.count {
            return None;
        }
        if !self.recent_only {
            return self.all.get(frame as usize - 1).copied();
        }
        match self.count - frame {
            0 => Some(self.recent[1]),
            1 => Some(self.recent[0]),
            _ => None,
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.all.capacity() * 8
    }
}
