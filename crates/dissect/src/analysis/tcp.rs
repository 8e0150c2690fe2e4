//! TCP conversations, in frame order: stream indexes (a new one when a SYN reuses the ports
//! with another ISN), conversation completeness, per-stream timestamps, window scaling and the
//! sequence analysis of `tcp_seq`. Each TCP layer's results are stored in a compact record so
//! re-dissecting a frame gives the same answers without replaying the stream.

use super::conv::{ConvKey, ConvMap};
pub use super::tcp_seq::{Acked, FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN, SCALE_NONE, SCALE_UNKNOWN};
use super::tcp_conv::{Conv, Convs};
use super::tcp_seq::{self as seq, RefTimes, SegmentFacts, A_REUSED_PORTS};
use crate::packet::NetAddr;

/// `tcp.completeness` bits.
pub const COMPLETE_SYN: u8 = 1;
pub const COMPLETE_SYNACK: u8 = 2;
pub const COMPLETE_ACK: u8 = 4;
pub const COMPLETE_DATA: u8 = 8;
pub const COMPLETE_FIN: u8 = 16;
pub const COMPLETE_RST: u8 = 32;

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
    /// The raw window field.
    pub window: u16,
    /// Payload length; `None` when the header claims more than the segment has.
    pub seglen: Option<u32>,
    /// A header length under 20: Wireshark analyses the numbers, then stops.
    pub bogus_header: bool,
    /// Shift from a window-scale option, when the segment carries one.
    pub ws_shift: Option<u8>,
    /// SACK blocks (raw left and right edges), at most the first three.
    pub sack: [(u32, u32); 3],
    pub sack_count: usize,
}

/// The stored result for one TCP layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpFrameInfo {
    pub frame: u32,
    pub stream: u32,
    /// Subtracted from this direction's sequence numbers.
    pub base_seq: u32,
    /// Subtracted from acknowledgment numbers (the peer's base).
    pub base_ack: u32,
    /// Previous frame of the same stream (0 for the first), for `tcp.time_delta`.
    pub prev_frame: u32,
    /// This direction's window scale when the segment was dissected.
    pub win_scale: i8,
    /// `tcp.completeness` as shown in this frame (before the frame itself counts).
    pub completeness: u8,
    /// Whether the sequence analysis ran (the segment length was known).
    pub analyzed: bool,
    /// A FIN after the peer's FIN ("undergoes the connection closing").
    pub fin_passive: bool,
    pub ta: Option<Acked>,
    /// The direction within the stream (0 or 1), and the record's index (for reassembly).
    pub dir: u8,
    pub index: u32,
}

impl TcpFrameInfo {
    /// The record of a segment the analysis never saw (no network addresses).
    pub fn unknown() -> TcpFrameInfo {
        TcpFrameInfo {
            frame: 0,
            stream: 0,
            base_seq: 0,
            base_ack: 0,
            prev_frame: 0,
            win_scale: SCALE_UNKNOWN,
            completeness: 0,
            analyzed: false,
            fin_passive: false,
            ta: None,
            dir: 0,
            index: u32::MAX,
        }
    }

    pub fn flags(&self) -> u16 {
        self.ta.map_or(0, |t| t.flags)
    }
}

#[derive(Default)]
pub struct TcpAnalysis {
    by_key: ConvMap<usize>,
    /// Indexed by stream number (every conversation gets the next one).
    convs: Convs,
    records: Vec<Record>,
    /// Payload reassembly, driven by `proto::tcp_reasm`.
    pub reasm: super::tcp_reasm::Reassembly,
    /// Duplicate-ACK and RTO details, rare enough to live apart: (record index, details).
    rare: Vec<(u32, Rare)>,
    /// Re-dissection shows what the whole capture established (tshark's second pass, `-2`):
    /// the final completeness and the initial RTT in every frame of a stream.
    pub final_view: bool,
    /// No frame will be re-dissected: only the current frame's records are kept.
    single_pass: bool,
    /// TCP layers analysed so far (the next record's index, kept or not).
    layers: u32,
    /// The times of the earlier frames the last analysed segment refers to.
    last_times: TcpTimes,
    /// Single pass: finished conversations (stream, time of its last segment when queued), to
    /// retire once idle for `RETIRE_AFTER_NS`.
    finished: std::collections::VecDeque<(u32, i64)>,
    /// Where the last re-dissection's record was (`first_record`).
    lookup_hint: std::cell::Cell<usize>,
}

/// A single pass lets go of a finished conversation's working state (unacknowledged segments,
/// reassembly, the application's matching) once it has been quiet this long (twice Linux's
/// TIME_WAIT). Its stream number and sequence bases stay, so a straggler still joins it.
pub const RETIRE_AFTER_NS: i64 = 120_000_000_000;

/// Timestamps of the earlier frames a segment's tree shows times since: the stream's previous
/// segment (`tcp.time_delta`), the segment it ACKs and the one a retransmission's RTO counts from.
#[derive(Clone, Copy, Debug, Default)]
pub struct TcpTimes {
    pub prev: i64,
    pub refs: RefTimes,
}

/// A `TcpFrameInfo` as stored (40 bytes); the rarely set parts live in `TcpAnalysis::rare`.
#[derive(Clone, Copy)]
struct Record {
    frame: u32,
    stream: u32,
    base_seq: u32,
    base_ack: u32,
    prev_frame: u32,
    frame_acked: u32,
    bytes_in_flight: u32,
    push_bytes_sent: u32,
    flags: u16,
    win_scale: i8,
    completeness: u8,
    bits: u8,
    dir: u8,
}

#[derive(Clone, Copy)]
struct Rare {
    dupack_num: u32,
    dupack_frame: u32,
    rto_frame: u32,
}

const BIT_ANALYZED: u8 = 1;
const BIT_FIN_PASSIVE: u8 = 2;
const BIT_TA: u8 = 4;
const BIT_RARE: u8 = 8;

impl TcpAnalysis {
    /// (name, approximate heap bytes) of the per-frame and per-stream records.
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let mut v = vec![
            ("tcp.records", self.records.capacity() * size_of::<Record>()),
            ("tcp.convs", self.convs.heap_bytes() + self.by_key.heap_bytes()),
            ("tcp.rare", self.rare.capacity() * size_of::<(u32, Rare)>()),
            ("tcp.unacked", self.convs.live().map(|c| c.flows[0].heap_bytes() + c.flows[1].heap_bytes()).sum()),
        ];
        v.extend(self.reasm.footprint());
        v
    }

    pub fn set_single_pass(&mut self, on: bool) {
        self.single_pass = on;
        self.reasm.single_pass = on;
    }

    /// Single pass: retires the finished conversations quiet since `RETIRE_AFTER_NS` before
    /// `now`, passing each one's stream to `forget` (for the state other layers keep per stream).
    pub fn retire_idle(&mut self, now: i64, mut forget: impl FnMut(u32)) {
        while let Some(&(stream, queued_ts)) = self.finished.front() {
            if now - queued_ts <= RETIRE_AFTER_NS {
                break;
            }
            self.finished.pop_front();
            let last_ts = match self.convs.get(stream as usize) {
                Some(c) => c.last_ts,
                None => continue,
            };
            if now - last_ts <= RETIRE_AFTER_NS {
                // Still talking: check again later.
                self.finished.push_back((stream, last_ts));
                continue;
            }
            self.convs.retire(stream as usize);
            self.reasm.forget_stream(stream);
            forget(stream);
        }
    }

    /// First pass: the times the last `analyze` found for its segment's references.
    pub fn last_times(&self) -> TcpTimes {
        self.last_times
    }

    /// First pass: updates the conversation with this segment and records its results.
    pub fn analyze(&mut self, s: &Segment) -> TcpFrameInfo {
        let (key, dir) = ConvKey::new(s.src, s.sport, s.dst, s.dport);
        let (idx, conv_is_new, mut ta) = self.stream_for(s, key, dir);
        let conv = &mut self.convs[idx];
        let shown_completeness = conv.completeness;
        let prev_frame = conv.last_frame;
        let prev_ts = conv.last_ts;
        conv.last_frame = s.frame;
        conv.last_ts = s.ts;
        let mut refs = RefTimes::default();
        let win_scale_shown = conv.flows[dir].win_scale;
        conv.flows[dir].clear_sack_blocks();

        let mut analyzed = false;
        if let Some(seglen) = s.seglen {
            let facts = SegmentFacts { frame: s.frame, ts: s.ts, seq: s.seq, ack: s.ack, seglen, flags: s.flags, window: s.window as u32 };
            let first_rtt = conv.first_rtt;
            let (fwd, rev) = conv.split(dir);
            refs = seq::analyze(fwd, rev, first_rtt, &facts, &mut ta);
            analyzed = true;
        }
        let (base_seq, base_ack) = (conv.flows[dir].base_seq.unwrap_or(0), conv.flows[1 - dir].base_seq.unwrap_or(0));
        let mut fin_passive = false;
        if !s.bogus_header {
            conv.completeness = next_completeness(conv.completeness, conv_is_new, s);
            fin_passive = self.after_analysis(idx, dir, s);
            self.note_finished(idx, s, fin_passive);
        }
        let info = TcpFrameInfo {
            frame: s.frame,
            stream: idx as u32,
            base_seq,
            base_ack,
            prev_frame,
            win_scale: win_scale_shown,
            completeness: shown_completeness,
            analyzed,
            fin_passive,
            ta,
            dir: dir as u8,
            index: self.layers,
        };
        self.layers += 1;
        self.last_times = TcpTimes { prev: prev_ts, refs };
        if self.single_pass && self.records.last().map_or(false, |r| r.frame != s.frame) {
            // Only the current frame's records are read (by the layers above TCP).
            self.records.clear();
            self.rare.clear();
        }
        self.store(&info);
        info
    }

    /// The conversation `s` belongs to (a new one for a new connection), whether it is new, and
    /// the reused-ports flag when a SYN or SYN-ACK brings another ISN.
    fn stream_for(&mut self, s: &Segment, key: ConvKey, dir: usize) -> (usize, bool, Option<Acked>) {
        let syn_ack = s.flags & (FLAG_SYN | FLAG_ACK);
        let mut conv_is_new = false;
        let mut ta: Option<Acked> = None;
        let mut idx = match self.by_key.get(&key) {
            Some(&i) => i,
            None => {
                conv_is_new = true;
                self.new_conv(key, s.ts)
            }
        };
        if self.convs.wake(idx) {
            // A straggler after retirement: retire it again once quiet.
            self.finished.push_back((idx as u32, s.ts));
        }
        if syn_ack == FLAG_SYN {
            // Another ISN on known ports: a new connection (and stream). The same ISN is a
            // retransmitted SYN (tshark 4.0 does not call that port reuse).
            if self.convs[idx].flows[dir].base_seq.map_or(false, |b| b != s.seq) {
                idx = self.new_conv(key, s.ts);
                self.convs[idx].completeness = COMPLETE_SYN;
                ta.get_or_insert_with(Acked::default).flags |= A_REUSED_PORTS;
            }
        } else if syn_ack == FLAG_SYN | FLAG_ACK {
            let fwd = &mut self.convs[idx].flows[dir];
            if fwd.base_seq.map_or(false, |b| b != s.seq) {
                fwd.base_seq = Some(s.seq);
                ta.get_or_insert_with(Acked::default).flags |= A_REUSED_PORTS;
            }
        }
        (idx, conv_is_new, ta)
    }

    /// First pass, when only stream numbers are read (a single pass counting TCP conversations,
    /// `Scope::tcp_streams_only`): the stream and the sequence bases that tell a new connection
    /// on the same ports, without the sequence analysis. Nothing is recorded for re-dissection.
    pub fn stream_only(&mut self, s: &Segment) -> TcpFrameInfo {
        let (key, dir) = ConvKey::new(s.src, s.sport, s.dst, s.dport);
        let (idx, _, _) = self.stream_for(s, key, dir);
        let conv = &mut self.convs[idx];
        conv.last_frame = s.frame;
        conv.last_ts = s.ts;
        let (fwd, rev) = conv.split(dir);
        if s.seglen.is_some() {
            seq::set_bases(fwd, rev, s.seq, s.ack, s.flags);
        }
        let (base_seq, base_ack) = (fwd.base_seq.unwrap_or(0), rev.base_seq.unwrap_or(0));
        if !s.bogus_header {
            let fin_passive = note_fin(conv, dir, s.flags);
            self.note_finished(idx, s, fin_passive);
        }
        let index = self.layers;
        self.layers += 1;
        TcpFrameInfo { frame: s.frame, stream: idx as u32, base_seq, base_ack, dir: dir as u8, index, ..TcpFrameInfo::unknown() }
    }

    /// Single pass: a reset, or a FIN after the peer's, queues the conversation for retirement.
    fn note_finished(&mut self, idx: usize, s: &Segment, fin_passive: bool) {
        let conv = &mut self.convs[idx];
        if self.single_pass && !conv.finished && (s.flags & FLAG_RST != 0 || (s.flags & FLAG_FIN != 0 && fin_passive)) {
            conv.finished = true;
            self.finished.push_back((idx as u32, s.ts));
        }
    }

    /// What Wireshark does after the numbers are analysed: handshake timing, the options'
    /// window scale and SACK blocks, and the check that both sides scale. Returns whether a
    /// FIN follows the peer's.
    fn after_analysis(&mut self, idx: usize, dir: usize, s: &Segment) -> bool {
        let conv = &mut self.convs[idx];
        let fin_passive = note_fin(conv, dir, s.flags);
        let syn_ack = s.flags & (FLAG_SYN | FLAG_ACK);
        if s.flags & FLAG_SYN != 0 {
            if s.flags & FLAG_ACK != 0 {
                conv.server_port = s.sport;
            } else {
                conv.server_port = s.dport;
                conv.mru_syn = Some(s.ts);
            }
            conv.flows[dir].is_first_ack = true;
        }
        if syn_ack == FLAG_ACK {
            if let Some(syn_ts) = conv.mru_syn {
                if conv.first_rtt == 0 {
                    conv.first_rtt = s.ts - syn_ts;
                    conv.first_rtt_frame = s.frame;
                }
            }
            conv.flows[dir].is_first_ack = false;
        }
        let (fwd, rev) = conv.split(dir);
        if let Some(shift) = s.ws_shift {
            fwd.win_scale = shift.min(14) as i8;
        }
        if s.sack_count > 0 {
            fwd.set_sack_blocks(&s.sack[..s.sack_count.min(3)]);
        }
        if s.flags & FLAG_SYN != 0 {
            // Scaling is in force only if both SYN and SYN-ACK offer it.
            if fwd.win_scale == SCALE_UNKNOWN {
                fwd.win_scale = SCALE_NONE;
                rev.win_scale = SCALE_NONE;
            } else if s.flags & FLAG_ACK != 0 && rev.win_scale == SCALE_NONE {
                fwd.win_scale = SCALE_NONE;
            }
        }
        fin_passive
    }

    fn new_conv(&mut self, key: ConvKey, ts: i64) -> usize {
        let idx = self.convs.push(Conv::new(ts));
        self.by_key.insert(key, idx);
        idx
    }

    fn store(&mut self, info: &TcpFrameInfo) {
        let ta = info.ta.unwrap_or_default();
        let rare = ta.dupack_num != 0 || ta.rto_frame != 0;
        if rare {
            let r = Rare { dupack_num: ta.dupack_num, dupack_frame: ta.dupack_frame, rto_frame: ta.rto_frame };
            self.rare.push((self.records.len() as u32, r));
        }
        let bits = if info.analyzed { BIT_ANALYZED } else { 0 }
            | if info.fin_passive { BIT_FIN_PASSIVE } else { 0 }
            | if info.ta.is_some() { BIT_TA } else { 0 }
            | if rare { BIT_RARE } else { 0 };
        self.records.push(Record {
            frame: info.frame,
            stream: info.stream,
            base_seq: info.base_seq,
            base_ack: info.base_ack,
            prev_frame: info.prev_frame,
            frame_acked: ta.frame_acked,
            bytes_in_flight: ta.bytes_in_flight,
            push_bytes_sent: ta.push_bytes_sent,
            flags: ta.flags,
            win_scale: info.win_scale,
            completeness: info.completeness,
            bits,
            dir: info.dir,
        });
    }

    /// The streams of `frame`'s analysed TCP layers, into `out`.
    pub fn streams_of(&self, frame: u32, out: &mut Vec<u32>) {
        out.clear();
        let start = self.first_record(frame);
        out.extend(self.records[start..].iter().take_while(|r| r.frame == frame).map(|r| r.stream));
    }

    /// The index of `frame`'s first record (or where it would be). Passes over the whole
    /// capture ask in frame order, so the records just after the last answer are tried first.
    fn first_record(&self, frame: u32) -> usize {
        let hint = self.lookup_hint.get().min(self.records.len());
        if hint == 0 || self.records[hint - 1].frame < frame {
            let near = &self.records[hint..(hint + 4).min(self.records.len())];
            if let Some(i) = near.iter().position(|r| r.frame >= frame) {
                self.lookup_hint.set(hint + i);
                return hint + i;
            }
        }
        let i = self.records.partition_point(|r| r.frame < frame);
        self.lookup_hint.set(i);
        i
    }

    /// Re-dissection: the record stored for the `ordinal`-th TCP layer of `frame`.
    pub fn stored(&self, frame: u32, ordinal: u32) -> Option<TcpFrameInfo> {
        let start = self.first_record(frame);
        let index = start + ordinal as usize;
        let r = self.records.get(index).filter(|r| r.frame == frame)?;
        let mut ta = Acked {
            flags: r.flags,
            frame_acked: r.frame_acked,
            bytes_in_flight: r.bytes_in_flight,
            push_bytes_sent: r.push_bytes_sent,
            ..Acked::default()
        };
        if r.bits & BIT_RARE != 0 {
            let at = self.rare.partition_point(|(i, _)| (*i as usize) < index);
            if let Some((_, x)) = self.rare.get(at) {
                ta.dupack_num = x.dupack_num;
                ta.dupack_frame = x.dupack_frame;
                ta.rto_frame = x.rto_frame;
            }
        }
        Some(TcpFrameInfo {
            frame: r.frame,
            stream: r.stream,
            base_seq: r.base_seq,
            base_ack: r.base_ack,
            prev_frame: r.prev_frame,
            win_scale: r.win_scale,
            completeness: r.completeness,
            analyzed: r.bits & BIT_ANALYZED != 0,
            fin_passive: r.bits & BIT_FIN_PASSIVE != 0,
            ta: if r.bits & BIT_TA != 0 { Some(ta) } else { None },
            dir: r.dir,
            index: index as u32,
        })
    }

    /// Bytes of stored state per TCP layer, for the record (analysis state of open
    /// conversations comes on top).
    pub const RECORD_BYTES: usize = std::mem::size_of::<Record>();

    pub fn stream_first_ts(&self, stream: u32) -> Option<i64> {
        self.convs.get(stream as usize).map(|c| c.first_ts)
    }

    /// The initial RTT as known when `frame` was dissected.
    pub fn initial_rtt(&self, stream: u32, frame: u32) -> Option<i64> {
        let seen = |c: &&Conv| self.final_view || frame >= c.first_rtt_frame;
        self.convs.get(stream as usize).filter(|c| c.first_rtt != 0).filter(seen).map(|c| c.first_rtt)
    }

    /// The completeness a frame of `stream` shows: as it was then, or (final view) at the end.
    pub fn shown_completeness(&self, info: &TcpFrameInfo) -> u8 {
        match self.convs.get(info.stream as usize) {
            Some(c) if self.final_view => c.completeness,
            _ => info.completeness,
        }
    }

    /// The server port named by the stream's SYN or SYN-ACK, if one was seen.
    pub fn server_port(&self, stream: u32) -> Option<u16> {
        self.convs.get(stream as usize).map(|c| c.server_port).filter(|p| *p != 0)
    }

    pub fn stream_count(&self) -> usize {
        self.convs.len()
    }
}

/// A FIN closes its side; returns whether it follows the peer's (the passive close).
fn note_fin(conv: &mut super::tcp_conv::Conv, dir: usize, flags: u16) -> bool {
    if flags & FLAG_FIN == 0 {
        return false;
    }
    let passive = conv.closing[1 - dir];
    if !passive {
        conv.closing[dir] = true;
    }
    passive
}

/// Wireshark's completeness update: a pure SYN counts only in a new conversation; an ACK
/// counts as data or as a pure ACK by its length.
fn next_completeness(current: u8, conv_is_new: bool, s: &Segment) -> u8 {
    let syn_ack = s.flags & (FLAG_SYN | FLAG_ACK);
    if conv_is_new {
        let mut c = 0;
        if syn_ack == FLAG_SYN {
            c |= COMPLETE_SYN;
            if s.seglen.unwrap_or(0) > 0 {
                c |= COMPLETE_DATA;
            }
        }
        return c;
    }
    let mut c = current;
    if syn_ack == FLAG_SYN | FLAG_ACK {
        c |= COMPLETE_SYNACK;
    }
    if syn_ack == FLAG_ACK {
        c |= if s.seglen.unwrap_or(0) > 0 { COMPLETE_DATA } else { COMPLETE_ACK };
    }
    if s.flags & (FLAG_FIN | FLAG_ACK) == FLAG_FIN | FLAG_ACK {
        c |= COMPLETE_FIN;
    }
    if s.flags & FLAG_RST != 0 {
        c |= COMPLETE_RST;
    }
    c
}

/// The words tshark puts before a completeness value.
pub fn completeness_label(value: u8) -> &'static str {
    const HANDSHAKE: u8 = COMPLETE_SYN | COMPLETE_SYNACK | COMPLETE_ACK;
    match value {
        COMPLETE_SYN => "Incomplete, SYN_SENT",
        v if v == COMPLETE_SYN | COMPLETE_SYNACK => "Incomplete, CLIENT_ESTABLISHED",
        HANDSHAKE => "Incomplete, ESTABLISHED",
        v if v == HANDSHAKE | COMPLETE_DATA => "Incomplete, DATA",
        v if v & HANDSHAKE == HANDSHAKE && v & (COMPLETE_FIN | COMPLETE_RST) != 0 => {
            if v & COMPLETE_DATA != 0 {
                "Complete, WITH_DATA"
            } else {
                "Complete, NO_DATA"
            }
        }
        _ => "Incomplete",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tcp_seq::*;

    fn seg(frame: u32, from_client: bool, seq: u32, ack: u32, flags: u16, len: u32) -> Segment {
        let c = NetAddr::v4([127, 0, 0, 1]);
        let s = NetAddr::v4([127, 0, 0, 2]);
        let (src, dst, sport, dport) = if from_client { (c, s, 40000, 8080) } else { (s, c, 8080, 40000) };
        Segment {
            frame,
            ts: frame as i64 * 1_000_000_000,
            src,
            dst,
            sport,
            dport,
            seq,
            ack,
            flags,
            window: 1000,
            seglen: Some(len),
            bogus_header: false,
            ws_shift: None,
            sack: [(0, 0); 3],
            sack_count: 0,
        }
    }

    fn with_ws(mut s: Segment, shift: u8) -> Segment {
        s.ws_shift = Some(shift);
        s
    }

    #[test]
    fn handshake_bases_scaling_and_completeness() {
        let mut t = TcpAnalysis::default();
        let syn = t.analyze(&with_ws(seg(1, true, 1000, 0, FLAG_SYN, 0), 7));
        assert_eq!((syn.stream, syn.base_seq, syn.completeness), (0, 1000, 0));
        let synack = t.analyze(&with_ws(seg(2, false, 5000, 1001, FLAG_SYN | FLAG_ACK, 0), 8));
        assert_eq!((synack.base_seq, synack.base_ack, synack.prev_frame, synack.completeness), (5000, 1000, 1, 1));
        assert_eq!(synack.ta.map(|t| t.frame_acked), Some(1));
        let ack = t.analyze(&seg(3, true, 1001, 5001, FLAG_ACK, 0));
        assert_eq!((ack.base_seq, ack.base_ack, ack.win_scale, ack.completeness), (1000, 5000, 7, 3));
        assert_eq!(t.initial_rtt(0, 3), Some(2_000_000_000));
        assert_eq!(t.initial_rtt(0, 2), None);
        let data = t.analyze(&seg(4, true, 1001, 5001, FLAG_ACK | FLAG_PSH, 100));
        assert_eq!(data.completeness, 7);
        assert_eq!(data.ta.map(|t| (t.bytes_in_flight, t.push_bytes_sent)), Some((100, 100)));
        assert_eq!(t.stored(3, 0), Some(ack));
        assert_eq!(t.stored(3, 1), None);
        assert_eq!(t.stored(4, 0), Some(data));
        assert_eq!(TcpAnalysis::RECORD_BYTES, 40);
        assert_eq!(completeness_label(31), "Complete, WITH_DATA");
        assert_eq!(completeness_label(8), "Incomplete");
    }

    #[test]
    fn scaling_off_when_one_side_does_not_offer_it() {
        let mut t = TcpAnalysis::default();
        t.analyze(&with_ws(seg(1, true, 1000, 0, FLAG_SYN, 0), 7));
        t.analyze(&seg(2, false, 5000, 1001, FLAG_SYN | FLAG_ACK, 0));
        assert_eq!(t.analyze(&seg(3, true, 1001, 5001, FLAG_ACK, 0)).win_scale, SCALE_NONE);
    }

    #[test]
    fn midstream_start_counts_from_one() {
        let mut t = TcpAnalysis::default();
        let first = t.analyze(&seg(1, false, 777, 3000, FLAG_ACK, 0));
        assert_eq!((first.base_seq, first.base_ack, first.win_scale), (776, 2999, SCALE_UNKNOWN));
    }

    #[test]
    fn syn_with_new_isn_on_same_ports_is_a_new_stream() {
        let mut t = TcpAnalysis::default();
        assert_eq!(t.analyze(&seg(1, true, 1000, 0, FLAG_SYN, 0)).stream, 0);
        let again = t.analyze(&seg(2, true, 1000, 0, FLAG_SYN, 0));
        assert_eq!((again.stream, again.flags()), (0, A_RETRANSMISSION), "a retransmitted SYN stays");
        let reused = t.analyze(&seg(3, true, 9000, 0, FLAG_SYN, 0));
        assert_eq!((reused.stream, reused.prev_frame, reused.completeness), (1, 0, 1));
        assert_ne!(reused.flags() & A_REUSED_PORTS, 0);
        assert_eq!(t.stream_count(), 2);
    }

    #[test]
    fn duplicate_acks_then_fast_retransmission() {
        let mut t = TcpAnalysis::default();
        t.analyze(&seg(1, false, 100, 500, FLAG_ACK, 1000));
        t.analyze(&seg(2, false, 1100, 500, FLAG_ACK, 1000)); // the receiver misses this one
        t.analyze(&seg(3, true, 500, 1100, FLAG_ACK, 0));
        let mut dup = seg(4, true, 500, 1100, FLAG_ACK, 0);
        dup.ts = 3_000_000_001;
        let d1_info = t.analyze(&dup);
        assert_eq!(t.stored(4, 0), Some(d1_info), "rare details come back");
        let d1 = d1_info.ta.unwrap();
        assert_eq!((d1.flags & A_DUPLICATE_ACK, d1.dupack_num, d1.dupack_frame), (A_DUPLICATE_ACK, 1, 3));
        dup.frame = 5;
        dup.ts = 3_000_000_002;
        assert_eq!(t.analyze(&dup).ta.unwrap().dupack_num, 2);
        let mut re = seg(6, false, 1100, 500, FLAG_ACK, 1000);
        re.ts = 3_000_000_003;
        assert_eq!(t.analyze(&re).flags(), A_FAST_RETRANSMISSION);
        let mut late = seg(7, false, 1100, 500, FLAG_ACK, 1000);
        late.ts = 9_000_000_000;
        let late = t.analyze(&late).ta.unwrap();
        assert_eq!((late.flags, late.rto_frame), (A_RETRANSMISSION, 2));
    }

    #[test]
    fn zero_window_then_update_and_lost_segment() {
        let mut t = TcpAnalysis::default();
        t.analyze(&seg(1, true, 1, 100, FLAG_ACK, 0));
        let mut zero = seg(2, true, 1, 100, FLAG_ACK, 0);
        zero.window = 0;
        assert_eq!(t.analyze(&zero).flags(), A_ZERO_WINDOW);
        assert_eq!(t.analyze(&seg(3, true, 1, 100, FLAG_ACK, 0)).flags(), A_WINDOW_UPDATE);
        t.analyze(&seg(4, false, 100, 1, FLAG_ACK, 10));
        assert_eq!(t.analyze(&seg(5, false, 200, 1, FLAG_ACK, 10)).flags(), A_LOST_PACKET);
        let ka = t.analyze(&seg(6, false, 209, 1, FLAG_ACK, 1));
        assert_ne!(ka.flags() & A_KEEP_ALIVE, 0);
    }
}
