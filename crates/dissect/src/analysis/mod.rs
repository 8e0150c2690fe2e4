//! Stateful analysis that runs once, in frame order (Wireshark's first pass). Its per-frame
//! results are stored compactly so any frame can be re-dissected later with the same answers.

pub mod conv;
pub mod http;
pub mod dns;
pub mod tcp;
pub mod udp;

/// All cross-frame state of a session.
#[derive(Default)]
pub struct State {
    /// Timestamp (ns since the epoch) of every frame ingested so far, by frame number - 1.
    pub frame_ts: Vec<i64>,
    pub tcp: tcp::TcpAnalysis,
    pub udp: udp::UdpStreams,
    pub http: http::HttpMatching,
    pub dns: dns::DnsTransactions,
}

impl State {
    pub fn ts_of(&self, frame: u32) -> Option<i64> {
        self.frame_ts.get((frame as usize).wrapping_sub(1)).copied()
    }
}
