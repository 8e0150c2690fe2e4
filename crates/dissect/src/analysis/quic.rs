//! QUIC connection state, in frame order: which UDP conversations a heuristic made QUIC, each
//! side's connection ID (a short header carries only the destination's, with no length), the
//! client's first Destination Connection ID (it keys the Initial packet protection), and the
//! largest packet number seen per side and space (to expand truncated packet numbers).
//! As for TLS, the state each QUIC layer started from is stored for re-dissection.

use crate::hash::HashMap;

/// A connection ID (at most 20 bytes, RFC 9000 section 17.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cid {
    pub len: u8,
    pub bytes: [u8; 20],
}

impl Cid {
    pub fn new(b: &[u8]) -> Cid {
        let mut c = Cid { len: b.len().min(20) as u8, bytes: [0; 20] };
        c.bytes[..c.len as usize].copy_from_slice(&b[..c.len as usize]);
        c
    }
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuicConn {
    /// `quic.connection.number`: connections in order of appearance.
    pub number: u32,
    /// Whether a client Initial was seen (the fields below are then known).
    pub has_client: bool,
    pub client_cid: Cid,
    pub server_cid: Cid,
    pub has_server_cid: bool,
    /// DCID of the client's first Initial: the Initial keys derive from it.
    pub original_dcid: Cid,
    /// Largest packet number per side (client, server) and space (Initial, Handshake, 1-RTT).
    pub largest_pn: [[Option<u64>; 3]; 2],
    /// Whether a short header was seen: Wireshark tries (and fails) to make 1-RTT keys once,
    /// and says so only on that packet.
    pub one_rtt_tried: bool,
    /// First frame from which the conversation is QUIC (0 = not claimed).
    pub claimed_from: u32,
}

#[derive(Default)]
pub struct QuicConnections {
    by_stream: HashMap<u32, QuicConn>,
    starts: Vec<(u32, u32, QuicConn)>,
    /// Nothing is re-dissected: `starts` is not kept.
    pub single_pass: bool,
}

impl QuicConnections {
    /// The state a QUIC layer starts from: current (and recorded) on the first pass, the
    /// recorded one on a revisit. A new conversation gets the next connection number.
    pub fn begin(&mut self, frame: u32, ordinal: u32, stream: u32, revisit: bool) -> QuicConn {
        if revisit {
            let at = self.starts.partition_point(|s| s.0 < frame);
            return self.starts[at..].iter().take_while(|s| s.0 == frame).find(|s| s.1 == ordinal).map(|s| s.2).unwrap_or_default();
        }
        let next = self.by_stream.len() as u32;
        let conn = *self.by_stream.entry(stream).or_insert(QuicConn { number: next, ..Default::default() });
        if !self.single_pass {
            self.starts.push((frame, ordinal, conn));
        }
        conn
    }

    pub fn commit(&mut self, stream: u32, conn: QuicConn) {
        self.by_stream.insert(stream, conn);
    }

    /// Whether an earlier datagram made this UDP conversation QUIC.
    pub fn claimed_before(&self, stream: u32, frame: u32) -> bool {
        self.by_stream.get(&stream).map_or(false, |c| c.claimed_from != 0 && c.claimed_from < frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_numbered_and_replayed() {
        let mut q = QuicConnections::default();
        let a = q.begin(1, 0, 5, false);
        q.commit(5, QuicConn { claimed_from: 1, client_cid: Cid::new(&[1, 2]), ..a });
        let b = q.begin(2, 0, 9, false);
        assert_eq!((a.number, b.number), (0, 1));
        assert!(q.claimed_before(5, 2) && !q.claimed_before(5, 1) && !q.claimed_before(9, 3));
        assert_eq!(q.begin(1, 0, 5, true).client_cid.len, 0, "frame 1 started before its own Initial");
        assert_eq!(Cid::new(&[7; 30]).len, 20);
    }
}
