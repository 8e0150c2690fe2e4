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
pub mod tcp_seq;
pub mod udp;

/// All cross-frame state of a session.
#[derive(Default)]
pub struct State {
    /// Timestamp (ns since the epoch) of every frame ingested so far, by frame number - 1.
    pub frame_ts: Vec<i64>,
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
    pub http_streams: std::collections::HashMap<u32, u32>,
}

impl State {
    /// Approximate heap bytes of the largest per-frame structures, by name (for the memory
    /// report of `examples/memory_report.rs`; capacities, not lengths).
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        let mut out = vec![("frame_ts", self.frame_ts.capacity() * 8)];
        out.extend(self.tcp.footprint());
        out.push(("udp.frames", self.udp.footprint()));
        out.push(("dns", self.dns.footprint()));
        out.push(("http", self.http.footprint()));
        out
    }

    pub fn ts_of(&self, frame: u32) -> Option<i64> {
        self.frame_ts.get((frame as usize).wrapping_sub(1)).copied()
    }
}
