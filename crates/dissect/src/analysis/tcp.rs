//! TCP conversation tracking, in frame order: stream indexes, the bases that make sequence
//! numbers relative, and window scaling. Each TCP layer's results are stored in a compact
//! record so re-dissecting a frame gives the same answers without replaying the stream.

use super::conv::{ConvKey, Dir};
use crate::packet::NetAddr;
use std::collections::HashMap;

pub const FLAG_FIN: u16 = 0x001;
pub const FLAG_SYN: u16 = 0x002;
pub const FLAG_RST: u16 = 0x004;
pub const FLAG_ACK: u16 = 0x010;

/// Window scale state, as Wireshark's `win_scale`: a shift, or one of these.
pub const SCALE_UNKNOWN: i8 = -1;
pub const SCALE_NONE: i8 = -2;

/// What the analysis needs from one segment.
pub struct Segment {
    pub frame: u32,
    pub ts: i64,
    pub src: NetAddr,
    pub dst: NetAddr,
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    pub flags: u16,
    /// Shift from a window-scale option, when the segment carries one.
    pub ws_shift: Option<u8>,
}

/// The stored result for one TCP layer (20 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpFrameInfo {
    pub frame: u32,
    pub stream: u32,
    /// Subtracted from this direction's sequence numbers.
    pub base_seq: u32,
    /// Subtracted from acknowledgment numbers (the peer's base).
    pub base_ack: u32,
    /// Previous frame of the same stream (0 for the first).
    pub prev_frame: u32,
    pub win_scale: i8,
}

#[derive(Clone, Copy)]
struct Flow {
    base_seq: Option<u32>,
    win_scale: i8,
}

impl Flow {
    fn new() -> Flow {
        Flow { base_seq: None, win_scale: SCALE_UNKNOWN }
    }
}

struct Conv {
    stream: u32,
    flows: [Flow; 2],
    last_frame: u32,
}

#[derive(Default)]
pub struct TcpAnalysis {
    by_key: HashMap<ConvKey, usize>,
    convs: Vec<Conv>,
    /// Timestamp of each stream's first frame, by stream index.
    stream_first_ts: Vec<i64>,
    frames: Vec<TcpFrameInfo>,
}

impl TcpAnalysis {
    /// First pass: updates the conversation with this segment and records its results.
    pub fn analyze(&mut self, s: &Segment) -> TcpFrameInfo {
        let (key, dir) = ConvKey::new(s.src, s.sport, s.dst, s.dport);
        let syn_only = s.flags & (FLAG_SYN | FLAG_ACK) == FLAG_SYN;
        let idx = match self.by_key.get(&key) {
            // A SYN with another ISN on known ports is a new connection (ports reused).
            Some(&i) if syn_only && self.convs[i].flows[dir].base_seq.map_or(false, |b| b != s.seq) => self.new_conv(key, s.ts),
            Some(&i) => i,
            None => self.new_conv(key, s.ts),
        };
        let conv = &mut self.convs[idx];
        let rev: Dir = 1 - dir;
        if conv.flows[dir].base_seq.is_none() {
            // Without the SYN, the first segment seen counts as sequence number 1.
            conv.flows[dir].base_seq = Some(if s.flags & FLAG_SYN != 0 { s.seq } else { s.seq.wrapping_sub(1) });
        }
        if s.flags & FLAG_ACK != 0 && conv.flows[rev].base_seq.is_none() {
            conv.flows[rev].base_seq = Some(s.ack.wrapping_sub(1));
        }
        if s.flags & FLAG_SYN != 0 {
            // SYN and SYN-ACK announce scaling; it is in force only if both sides offer it.
            conv.flows[dir].win_scale = match s.ws_shift {
                Some(shift) => shift.min(14) as i8,
                None => SCALE_NONE,
            };
            if s.flags & FLAG_ACK != 0 && (conv.flows[dir].win_scale == SCALE_NONE || conv.flows[rev].win_scale == SCALE_NONE) {
                conv.flows[dir].win_scale = SCALE_NONE;
                conv.flows[rev].win_scale = SCALE_NONE;
            }
        }
        let info = TcpFrameInfo {
            frame: s.frame,
            stream: conv.stream,
            base_seq: conv.flows[dir].base_seq.unwrap_or(0),
            base_ack: conv.flows[rev].base_seq.unwrap_or(0),
            prev_frame: conv.last_frame,
            win_scale: conv.flows[dir].win_scale,
        };
        conv.last_frame = s.frame;
        self.frames.push(info);
        info
    }

    fn new_conv(&mut self, key: ConvKey, ts: i64) -> usize {
        let stream = self.stream_first_ts.len() as u32;
        self.stream_first_ts.push(ts);
        self.convs.push(Conv { stream, flows: [Flow::new(), Flow::new()], last_frame: 0 });
        let idx = self.convs.len() - 1;
        self.by_key.insert(key, idx);
        idx
    }

    /// Re-dissection: the record stored for the `ordinal`-th TCP layer of `frame`.
    pub fn stored(&self, frame: u32, ordinal: u32) -> Option<TcpFrameInfo> {
        let start = self.frames.partition_point(|f| f.frame < frame);
        self.frames.get(start + ordinal as usize).filter(|f| f.frame == frame).copied()
    }

    pub fn stream_first_ts(&self, stream: u32) -> Option<i64> {
        self.stream_first_ts.get(stream as usize).copied()
    }

    pub fn stream_count(&self) -> usize {
        self.stream_first_ts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(frame: u32, from_client: bool, seq: u32, ack: u32, flags: u16, ws: Option<u8>) -> Segment {
        let c = NetAddr::v4([127, 0, 0, 1]);
        let s = NetAddr::v4([127, 0, 0, 2]);
        let (src, dst, sport, dport) = if from_client { (c, s, 40000, 8080) } else { (s, c, 8080, 40000) };
        Segment { frame, ts: frame as i64 * 1000, src, dst, sport, dport, seq, ack, flags, ws_shift: ws }
    }

    #[test]
    fn handshake_bases_and_scaling() {
        let mut t = TcpAnalysis::default();
        let syn = t.analyze(&seg(1, true, 1000, 0, FLAG_SYN, Some(7)));
        assert_eq!((syn.stream, syn.base_seq, syn.win_scale), (0, 1000, 7));
        let synack = t.analyze(&seg(2, false, 5000, 1001, FLAG_SYN | FLAG_ACK, Some(8)));
        assert_eq!((synack.base_seq, synack.base_ack, synack.prev_frame), (5000, 1000, 1));
        let ack = t.analyze(&seg(3, true, 1001, 5001, FLAG_ACK, None));
        assert_eq!((ack.base_seq, ack.base_ack, ack.win_scale), (1000, 5000, 7));
        assert_eq!(t.stored(3, 0), Some(ack));
        assert_eq!(t.stored(3, 1), None);
    }

    #[test]
    fn scaling_off_when_one_side_does_not_offer_it() {
        let mut t = TcpAnalysis::default();
        t.analyze(&seg(1, true, 1000, 0, FLAG_SYN, Some(7)));
        t.analyze(&seg(2, false, 5000, 1001, FLAG_SYN | FLAG_ACK, None));
        assert_eq!(t.analyze(&seg(3, true, 1001, 5001, FLAG_ACK, None)).win_scale, SCALE_NONE);
    }

    #[test]
    fn midstream_start_counts_from_one() {
        let mut t = TcpAnalysis::default();
        let first = t.analyze(&seg(1, false, 777, 3000, FLAG_ACK, None));
        assert_eq!((first.base_seq, first.base_ack, first.win_scale), (776, 2999, SCALE_UNKNOWN));
    }

    #[test]
    fn syn_with_new_isn_on_same_ports_is_a_new_stream() {
        let mut t = TcpAnalysis::default();
        assert_eq!(t.analyze(&seg(1, true, 1000, 0, FLAG_SYN, None)).stream, 0);
        assert_eq!(t.analyze(&seg(2, true, 1000, 0, FLAG_SYN, None)).stream, 0, "a retransmitted SYN stays");
        let again = t.analyze(&seg(3, true, 9000, 0, FLAG_SYN, None));
        assert_eq!((again.stream, again.prev_frame), (1, 0));
        assert_eq!(t.stream_count(), 2);
    }
}
