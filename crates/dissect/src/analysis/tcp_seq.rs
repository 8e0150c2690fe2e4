//! TCP sequence-number analysis of one segment against the state of its two directions, in
//! Wireshark 4.0's order of checks (`tcp_analyze_sequence_number`): zero-window probe, zero
//! window, lost segment, keep-alive, window update, window full, keep-alive ACK, zero-window
//! probe ACK, duplicate ACK, ACKed unseen segment, then the retransmission family; finally the
//! bookkeeping (unacked segments, next sequence number, RTT, bytes in flight).
//!
//! Sequence numbers are raw. Like Wireshark, a `nextseq`, `lastack` or `maxseqtobeacked` of 0
//! means "not seen yet" (and a real 0 is treated the same way, which tshark's results reflect).

/// Analysis flags, with Wireshark's `TCP_A_*` values.
pub const A_RETRANSMISSION: u16 = 0x0001;
pub const A_LOST_PACKET: u16 = 0x0002;
pub const A_ACK_LOST_PACKET: u16 = 0x0004;
pub const A_KEEP_ALIVE: u16 = 0x0008;
pub const A_DUPLICATE_ACK: u16 = 0x0010;
pub const A_ZERO_WINDOW: u16 = 0x0020;
pub const A_ZERO_WINDOW_PROBE: u16 = 0x0040;
pub const A_ZERO_WINDOW_PROBE_ACK: u16 = 0x0080;
pub const A_KEEP_ALIVE_ACK: u16 = 0x0100;
pub const A_OUT_OF_ORDER: u16 = 0x0200;
pub const A_FAST_RETRANSMISSION: u16 = 0x0400;
pub const A_WINDOW_UPDATE: u16 = 0x0800;
pub const A_WINDOW_FULL: u16 = 0x1000;
pub const A_REUSED_PORTS: u16 = 0x2000;
pub const A_SPURIOUS_RETRANSMISSION: u16 = 0x4000;

pub const FLAG_FIN: u16 = 0x001;
pub const FLAG_SYN: u16 = 0x002;
pub const FLAG_RST: u16 = 0x004;
pub const FLAG_PSH: u16 = 0x008;
pub const FLAG_ACK: u16 = 0x010;

/// Window scale state, as Wireshark's `win_scale`: a shift, or one of these.
pub const SCALE_UNKNOWN: i8 = -1;
pub const SCALE_NONE: i8 = -2;

/// Wireshark stops recording unacked segments beyond this many per direction.
const MAX_UNACKED_SEGMENTS: usize = 1000;
/// Wireshark keeps at most this many SACK blocks of a segment for bytes in flight.
const MAX_SACK_BLOCKS: usize = 3;
/// A retransmission within this long of the last duplicate ACK is a fast retransmission.
const FAST_RETRANSMISSION_NS: u64 = 20_000_000;
/// Without an initial RTT, a segment this close to the highest one is out of order.
const OUT_OF_ORDER_DEFAULT_NS: u64 = 3_000_000;

fn gt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}
fn lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}
fn le(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) <= 0
}

/// A segment sent but not yet acknowledged.
#[derive(Clone, Copy, Debug)]
struct Unacked {
    frame: u32,
    ts: i64,
    seq: u32,
    nextseq: u32,
}

/// One direction of a connection (Wireshark's `tcp_flow_t` with its analysis info).
#[derive(Clone, Debug)]
pub struct Flow {
    pub base_seq: Option<u32>,
    pub win_scale: i8,
    /// Last raw window (u32::MAX before any segment).
    pub window: u32,
    /// Set by a SYN, cleared by the first pure ACK: Window Full ignores scaling until then.
    pub is_first_ack: bool,
    nextseq: u32,
    nextseq_frame: u32,
    nextseq_time: i64,
    maxseqtobeacked: u32,
    lastack: u32,
    lastack_time: i64,
    lastnondupack: u32,
    dupacknum: i32,
    /// Oldest first (Wireshark's list is newest first; loops below walk it backwards).
    segments: Vec<Unacked>,
    lastsegmentflags: u16,
    valid_bif: bool,
    push_bytes_sent: u32,
    push_set_last: bool,
    /// Sizes of the SACK blocks of this direction's last segment.
    sack_sizes: [u32; MAX_SACK_BLOCKS],
    num_sack: usize,
}

impl Default for Flow {
    fn default() -> Flow {
        Flow {
            base_seq: None,
            win_scale: SCALE_UNKNOWN,
            window: u32::MAX,
            is_first_ack: false,
            nextseq: 0,
            nextseq_frame: 0,
            nextseq_time: 0,
            maxseqtobeacked: 0,
            lastack: 0,
            lastack_time: 0,
            lastnondupack: 0,
            dupacknum: 0,
            segments: Vec::new(),
            lastsegmentflags: 0,
            valid_bif: true,
            push_bytes_sent: 0,
            push_set_last: false,
            sack_sizes: [0; MAX_SACK_BLOCKS],
            num_sack: 0,
        }
    }
}

impl Flow {
    /// Heap bytes held by the unacknowledged-segment list (memory reports).
    pub fn heap_bytes(&self) -> usize {
        self.segments.capacity() * std::mem::size_of::<Unacked>()
    }

    /// Records the SACK blocks of this direction's current segment (after the analysis, as
    /// Wireshark reads options after it); they reduce the peer's bytes in flight.
    pub fn set_sack_blocks(&mut self, blocks: &[(u32, u32)]) {
        self.num_sack = blocks.len().min(MAX_SACK_BLOCKS);
        for (i, (left, right)) in blocks.iter().take(MAX_SACK_BLOCKS).enumerate() {
            self.sack_sizes[i] = right.wrapping_sub(*left);
        }
    }

    /// A retired conversation's unacknowledged segments are let go (single pass).
    pub fn forget_segments(&mut self) {
        self.segments = Vec::new();
    }

    pub fn clear_sack_blocks(&mut self) {
        self.num_sack = 0;
    }
}

/// What the analysis found for one segment (Wireshark's `tcp_acked`); `None` when it found
/// nothing to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Acked {
    pub flags: u16,
    pub dupack_num: u32,
    pub dupack_frame: u32,
    /// The segment this one ACKs exactly (its frame), for `acks_frame` and `ack_rtt`.
    pub frame_acked: u32,
    /// The frame a retransmission's RTO is measured from (0: none).
    pub rto_frame: u32,
    pub bytes_in_flight: u32,
    pub push_bytes_sent: u32,
}

/// Timestamps of the earlier frames an `Acked` names, kept in the flow state so a single pass
/// needs no table of every frame's time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefTimes {
    /// Of `frame_acked`.
    pub acked: i64,
    /// Of `rto_frame`.
    pub rto: i64,
}

/// The raw facts of one segment.
#[derive(Clone, Copy, Debug)]
pub struct SegmentFacts {
    pub frame: u32,
    pub ts: i64,
    pub seq: u32,
    pub ack: u32,
    pub seglen: u32,
    pub flags: u16,
    /// The raw (unscaled) window.
    pub window: u32,
}

fn elapsed(now: i64, then: i64) -> u64 {
    // Wireshark subtracts in unsigned 64-bit arithmetic: time going backwards is "long ago".
    now.wrapping_sub(then) as u64
}

/// The sequence bases the first segments seen in each direction set.
pub fn set_bases(fwd: &mut Flow, rev: &mut Flow, seq: u32, ack: u32, flags: u16) {
    if fwd.base_seq.is_none() {
        // Without the SYN, the first segment seen counts as sequence number 1.
        fwd.base_seq = Some(if flags & FLAG_SYN != 0 { seq } else { seq.wrapping_sub(1) });
    }
    if rev.base_seq.is_none() && flags & FLAG_ACK != 0 {
        rev.base_seq = Some(ack.wrapping_sub(1));
    }
}

/// Analyses `s` sent in direction `fwd`. `first_rtt` is the connection's initial RTT (0 when
/// unknown); `ta` may already hold flags (reused ports) and receives the results.
pub fn analyze(fwd: &mut Flow, rev: &mut Flow, first_rtt: i64, s: &SegmentFacts, ta: &mut Option<Acked>) -> RefTimes {
    let mut times = RefTimes::default();
    let (seq, ack, flags) = (s.seq, s.ack, s.flags);
    set_bases(fwd, rev, seq, ack, flags);
    if flags & FLAG_ACK != 0 {
        rev.valid_bif = true;
    }
    forward_checks(fwd, rev, s, ta);

    if ack != fwd.lastack {
        fwd.lastnondupack = s.frame;
        fwd.dupacknum = 0;
    }

    if rev.maxseqtobeacked != 0 && gt(ack, rev.maxseqtobeacked) && flags & FLAG_ACK != 0 {
        let t = ta.get_or_insert_with(Acked::default);
        // Plain comparison, as Wireshark's.
        if rev.maxseqtobeacked > rev.nextseq {
            rev.maxseqtobeacked = rev.nextseq;
            t.flags |= A_ACK_LOST_PACKET;
        } else {
            // One report per hole, even when the peer only sends pure ACKs.
            if rev.dupacknum == 0 {
                t.flags |= A_ACK_LOST_PACKET;
            }
            rev.dupacknum = -1;
        }
    }

    if s.seglen > 0 || flags & (FLAG_SYN | FLAG_FIN) != 0 {
        retransmission_family(fwd, rev, first_rtt, s, ta, &mut times);
    }

    record_segment(fwd, s, ta);
    acknowledge(rev, s, ta, &mut times);
    bytes_in_flight(fwd, rev, s, ta);
    times
}

/// The checks that look at this direction's last segment; some end the series early.
fn forward_checks(fwd: &mut Flow, rev: &Flow, s: &SegmentFacts, ta: &mut Option<Acked>) {
    let (seq, ack, seglen, flags, window) = (s.seq, s.ack, s.seglen, s.flags, s.window);
    let syn_fin_rst = flags & (FLAG_SYN | FLAG_FIN | FLAG_RST) != 0;
    if seglen == 1 && seq == fwd.nextseq && rev.window == 0 {
        mark(ta, A_ZERO_WINDOW_PROBE);
        return;
    }
    if window == 0 && !syn_fin_rst {
        mark(ta, A_ZERO_WINDOW);
    }
    if fwd.nextseq != 0 && gt(seq, fwd.nextseq) && flags & FLAG_RST == 0 {
        mark(ta, A_LOST_PACKET);
        fwd.valid_bif = false;
    }
    if seglen <= 1 && seq == fwd.nextseq.wrapping_sub(1) && !syn_fin_rst {
        mark(ta, A_KEEP_ALIVE);
    }
    let same_seq_ack = seglen == 0 && seq == fwd.nextseq && ack == fwd.lastack && !syn_fin_rst;
    if same_seq_ack && window != 0 && window != fwd.window {
        mark(ta, A_WINDOW_UPDATE);
    }
    if seglen > 0 && rev.win_scale != SCALE_UNKNOWN && !syn_fin_rst {
        let shift = if rev.is_first_ack || rev.win_scale == SCALE_NONE { 0 } else { rev.win_scale as u32 };
        let edge = rev.lastack.wrapping_add(((rev.window as u64) << shift) as u32);
        if seq.wrapping_add(seglen) == edge {
            mark(ta, A_WINDOW_FULL);
        }
    }
    if same_seq_ack && window != 0 && window == fwd.window && rev.lastsegmentflags & A_KEEP_ALIVE != 0 {
        mark(ta, A_KEEP_ALIVE_ACK);
        return;
    }
    if same_seq_ack && window == 0 && window == fwd.window && rev.lastsegmentflags & A_ZERO_WINDOW_PROBE != 0 {
        mark(ta, A_ZERO_WINDOW_PROBE_ACK);
        return;
    }
    if same_seq_ack && window != 0 && window == fwd.window {
        // A -1 left by "ACKed unseen segment" restarts the count.
        fwd.dupacknum = if fwd.dupacknum == -1 { 1 } else { fwd.dupacknum + 1 };
        let t = mark(ta, A_DUPLICATE_ACK);
        t.dupack_num = fwd.dupacknum as u32;
        t.dupack_frame = fwd.lastnondupack;
    }
}

/// Sets `flag`, creating the record (Wireshark's `tcp_analyze_get_acked_struct`).
fn mark(ta: &mut Option<Acked>, flag: u16) -> &mut Acked {
    let t = ta.get_or_insert_with(Acked::default);
    t.flags |= flag;
    t
}

fn retransmission_family(fwd: &Flow, rev: &Flow, first_rtt: i64, s: &SegmentFacts, ta: &mut Option<Acked>, times: &mut RefTimes) {
    let (seq, seglen, flags) = (s.seq, s.seglen, s.flags);
    if ta.map_or(false, |t| t.flags & A_KEEP_ALIVE != 0) {
        return;
    }
    let mut seq_not_advanced = fwd.nextseq != 0 && lt(seq, fwd.nextseq);
    // New data after a zero-window probe byte is not a retransmission.
    if seglen > 1 && fwd.nextseq.wrapping_sub(1) == seq {
        seq_not_advanced = false;
    }
    if seglen > 0 && rev.lastack != 0 && le(seq.wrapping_add(seglen), rev.lastack) {
        mark(ta, A_SPURIOUS_RETRANSMISSION);
        return;
    }
    if seq_not_advanced && rev.dupacknum >= 2 && rev.lastack == seq && elapsed(s.ts, rev.lastack_time) < FAST_RETRANSMISSION_NS {
        mark(ta, A_FAST_RETRANSMISSION);
        return;
    }
    let threshold = if first_rtt == 0 { OUT_OF_ORDER_DEFAULT_NS } else { first_rtt as u64 };
    let syn_fin = (flags & (FLAG_SYN | FLAG_FIN) != 0) as u32;
    if seq_not_advanced
        && elapsed(s.ts, fwd.nextseq_time) < threshold
        && fwd.nextseq != seq.wrapping_add(seglen).wrapping_add(syn_fin)
    {
        mark(ta, A_OUT_OF_ORDER);
        return;
    }
    if seq_not_advanced {
        let t = mark(ta, A_RETRANSMISSION);
        // Measured from the oldest unacked segment, or the highest one when none is listed.
        (t.rto_frame, times.rto) = fwd.segments.first().map_or((fwd.nextseq_frame, fwd.nextseq_time), |u| (u.frame, u.ts));
    }
}

fn record_segment(fwd: &mut Flow, s: &SegmentFacts, ta: &mut Option<Acked>) {
    let (seq, seglen, flags) = (s.seq, s.seglen, s.flags);
    let zwp = ta.map_or(false, |t| t.flags & A_ZERO_WINDOW_PROBE != 0);
    let mut nextseq = seq.wrapping_add(seglen);
    if seglen > 0 || flags & (FLAG_SYN | FLAG_FIN) != 0 {
        if flags & (FLAG_SYN | FLAG_FIN) != 0 {
            nextseq = nextseq.wrapping_add(1);
        }
        if fwd.segments.len() < MAX_UNACKED_SEGMENTS {
            fwd.segments.push(Unacked { frame: s.frame, ts: s.ts, seq, nextseq });
        }
    }
    if (gt(nextseq, fwd.nextseq) || fwd.nextseq == 0) && !zwp {
        fwd.nextseq = nextseq;
        fwd.nextseq_frame = s.frame;
        fwd.nextseq_time = s.ts;
    }
    if (seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0) && !zwp {
        fwd.maxseqtobeacked = fwd.nextseq;
    }
    fwd.window = s.window;
    fwd.lastack = s.ack;
    fwd.lastack_time = s.ts;
    fwd.lastsegmentflags = ta.map_or(0, |t| t.flags);
}

/// Removes the peer's segments this ACK covers; an exact match gives `acks_frame`.
fn acknowledge(rev: &mut Flow, s: &SegmentFacts, ta: &mut Option<Acked>, times: &mut RefTimes) {
    let ack = s.ack;
    // Newest first, as Wireshark walks its list: the oldest exact match wins.
    let mut i = rev.segments.len();
    while i > 0 {
        i -= 1;
        let u = &mut rev.segments[i];
        if ack == u.nextseq {
            ta.get_or_insert_with(Acked::default).frame_acked = u.frame;
            times.acked = u.ts;
        } else if gt(ack, u.seq) && le(ack, u.nextseq) {
            u.seq = ack;
            continue;
        } else if gt(u.nextseq, ack) {
            continue;
        }
        rev.segments.remove(i);
    }
}

fn bytes_in_flight(fwd: &mut Flow, rev: &Flow, s: &SegmentFacts, ta: &mut Option<Acked>) {
    if s.seglen == 0 || fwd.segments.is_empty() || !fwd.valid_bif {
        return;
    }
    let base = fwd.base_seq.unwrap_or(0);
    let newest = fwd.segments[fwd.segments.len() - 1];
    let (mut first, mut last) = (newest.seq.wrapping_sub(base), newest.nextseq.wrapping_sub(base));
    for u in &fwd.segments {
        last = last.max(u.nextseq.wrapping_sub(base));
        first = first.min(u.seq.wrapping_sub(base));
    }
    let mut in_flight = last.wrapping_sub(first);
    for size in &rev.sack_sizes[..rev.num_sack] {
        in_flight = in_flight.wrapping_sub(*size);
    }
    let t = ta.get_or_insert_with(Acked::default);
    if in_flight > 0 && in_flight < 2_000_000_000 {
        t.bytes_in_flight = in_flight;
        if s.flags & (FLAG_SYN | FLAG_FIN) != 0 {
            t.bytes_in_flight -= 1;
        }
    }
    let push = s.flags & FLAG_PSH != 0;
    if push && !fwd.push_set_last {
        fwd.push_bytes_sent = fwd.push_bytes_sent.wrapping_add(s.seglen);
    } else if push || fwd.push_set_last {
        fwd.push_bytes_sent = s.seglen;
    } else {
        fwd.push_bytes_sent = fwd.push_bytes_sent.wrapping_add(s.seglen);
    }
    fwd.push_set_last = push;
    t.push_bytes_sent = fwd.push_bytes_sent;
}
