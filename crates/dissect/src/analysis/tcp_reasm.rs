//! TCP payload reassembly state (Wireshark's multi-segment PDUs): per direction, the PDUs that
//! started in one segment and need more; the reassembled PDUs; and, per segment, the steps its
//! dissection took, so a re-dissected frame shows exactly what the first pass showed.
//!
//! Sequence numbers here are relative (as Wireshark reassembles with them).

use std::collections::BTreeMap;

/// Wireshark does not start reassembling a PDU that needs more than this.
pub const MAX_PDU_START: u32 = 1024 * 1024;
/// Where a reassemble-until-FIN PDU is said to end (far, but less than half the sequence space).
pub const UNTIL_FIN_SPAN: u32 = 0x4000_0000;

fn lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// One segment's part of a PDU.
#[derive(Clone, Debug)]
struct Fragment {
    offset: u32,
    frame: u32,
    data: Vec<u8>,
    /// Where `data` starts in the frame's own bytes, when it is a slice of them (not of
    /// reassembled IP data): the PDU can then be rebuilt from the frames.
    src: Option<u32>,
}

/// A PDU that started in one segment and continues in later ones.
#[derive(Clone, Debug)]
pub struct Msp {
    pub seq: u32,
    /// Sequence number just past the PDU, as far as the protocol above has said.
    pub nxtpdu: u32,
    pub first_frame: u32,
    pub last_frame: u32,
    /// The protocol above wants the whole next segment, whatever its length.
    pub entire_segment: bool,
    fragments: Vec<Fragment>,
    /// Length once a fragment said it was the last one.
    total: Option<u32>,
    /// Frame where the PDU was reassembled (0: not yet), and its index in `pdus`.
    pub reassembled_in: u32,
    pub pdu: u32,
}

impl Msp {
    pub fn new(seq: u32, nxtpdu: u32, frame: u32) -> Msp {
        Msp { seq, nxtpdu, first_frame: frame, last_frame: frame, entire_segment: false, fragments: Vec::new(), total: None, reassembled_in: 0, pdu: 0 }
    }
}

/// A reassembled PDU: its bytes and where they came from.
#[derive(Clone, Debug, Default)]
pub struct Pdu {
    /// Empty once let go when `srcs` can rebuild it (`Reassembly::frames_kept_by_host`).
    pub data: Vec<u8>,
    /// (frame, offset in the PDU, length), by offset.
    pub segments: Vec<(u32, u32, u32)>,
    /// Indexes in `segments` of the ones that overlap bytes an earlier one brought.
    pub overlaps: Vec<u32>,
    /// Per segment, where its bytes start in its frame (empty when they cannot be rebuilt).
    pub srcs: Vec<u32>,
}

impl Pdu {
    /// The PDU's length (its segments cover it without holes).
    pub fn len(&self) -> usize {
        self.segments.iter().map(|&(_, o, l)| (o + l) as usize).max().unwrap_or(0)
    }

    /// Rebuilds the bytes from the segments' frames, placing them as `add_fragment` did (bytes
    /// placed first win). `frame` puts a frame's bytes in the buffer it is given, or returns
    /// false when it cannot; then so does this (None).
    pub fn rebuild(&self, mut frame: impl FnMut(u32, &mut Vec<u8>) -> bool) -> Option<Vec<u8>> {
        let mut data = vec![0; self.len()];
        // Room for a usual frame, so the host is not asked twice for the first one.
        let mut bytes = Vec::with_capacity(2048);
        let mut filled = 0u32;
        for (&(number, offset, len), &src) in self.segments.iter().zip(&self.srcs) {
            let end = offset + len;
            if end <= filled {
                continue;
            }
            let from = filled.max(offset);
            if !frame(number, &mut bytes) {
                return None;
            }
            let at = (src + from - offset) as usize;
            data[from as usize..end as usize].copy_from_slice(bytes.get(at..at + (end - from) as usize)?);
            filled = end;
        }
        Some(data)
    }
}

/// What dissecting a segment's payload did, in order (replayed on re-dissection).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The protocol above got the payload from `offset`.
    Payload { offset: u32 },
    /// The protocol above got reassembled PDU `pdu`.
    Pdu { pdu: u32 },
    /// `len` payload bytes from `offset` shown as TCP segment data.
    SegmentData { offset: u32, len: u32, retransmitted: bool },
    /// Protocol column back to TCP and, if `append`, Info gets `[TCP segment of a reassembled PDU]`.
    Mark { append: bool },
    /// The PDU this segment belongs to was reassembled in another frame.
    ReassembledIn { frame: u32 },
    /// Another PDU follows in the segment: what the protocol above writes next may only append.
    Fence,
    /// A FIN repeated after the one that ended a reassemble-until-FIN stream.
    FinRetransmission { frame: u32 },
    /// This FIN ended a reassemble-until-FIN stream; the steps that follow show its PDU.
    EndOfStream,
}

/// One direction's reassembly state.
#[derive(Default)]
pub struct FlowReasm {
    pub msps: BTreeMap<u32, Msp>,
    pub until_fin: bool,
    pub fin_frame: u32,
}

impl FlowReasm {
    /// The start of the PDU beginning exactly at `seq`.
    pub fn exact(&self, seq: u32) -> Option<u32> {
        self.msps.contains_key(&seq).then(|| seq)
    }

    /// The start of the PDU beginning at or before `seq` (Wireshark's `lookup32_le`).
    pub fn at_or_before(&self, seq: u32) -> Option<u32> {
        self.msps.range(..=seq).next_back().map(|(k, _)| *k)
    }

    pub fn get(&self, key: u32) -> Option<&Msp> {
        self.msps.get(&key)
    }

    /// Takes a PDU out to work on it; `put` returns it.
    pub fn take(&mut self, key: u32) -> Option<Msp> {
        self.msps.remove(&key)
    }

    pub fn put(&mut self, msp: Msp) {
        self.msps.insert(msp.seq, msp);
    }
}

#[derive(Default)]
pub struct Reassembly {
    /// Per stream, per direction.
    /// Per stream, per direction; made on first use, let go when a single pass retires the stream.
    flows: Vec<Option<Box<[FlowReasm; 2]>>>,
    /// PDU `released + i` at `i`.
    pdus: std::collections::VecDeque<Pdu>,
    /// PDUs a single pass has let go from the front.
    released: u32,
    /// (TCP record index, step), in record order.
    steps: Vec<(u32, Step)>,
    /// Whether reassembled bytes are kept for re-dissection. A single pass (reef-cli without
    /// -2) frees them once the frame that completed the PDU is done, so memory does not grow
    /// with the TCP payload of the file.
    pub single_pass: bool,
    /// (frame, frame) of segments whose PDU was reassembled in a later frame, by segment frame:
    /// a re-dissection shows `[Reassembled PDU in frame: N]` on them, as Wireshark's second
    /// pass does (not kept by a single pass, which shows what tshark's single pass shows).
    reassembled_later: Vec<(u32, u32)>,
    /// Entries appended to `reassembled_later` since it was last sorted (sorted on lookup:
    /// a PDU's fragments can be older than entries other streams added since).
    later_unsorted: bool,
    /// PDUs completed in the current frame (`release_before` frees them in a single pass).
    completed: Vec<(u32, u32)>,
    /// The host keeps every frame and hands any back (the TUI reads them from the file): a
    /// PDU whose segments are all slices of their frames keeps only where they are, and its
    /// bytes are rebuilt when a re-dissection needs them.
    pub frames_kept_by_host: bool,
}

impl Reassembly {
    /// (name, approximate heap bytes): reassembled PDUs (their bytes apart), steps, flows.
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let data: usize = self.pdus.iter().map(|p| p.data.capacity()).sum();
        let lists: usize = self.pdus.iter().map(|p| p.segments.capacity() * 12 + p.overlaps.capacity() * 4 + p.srcs.capacity() * 4).sum();
        let open: usize = self
            .flows
            .iter()
            .flatten()
            .flat_map(|f| f.iter())
            .flat_map(|f| f.msps.values())
            .map(|m| size_of::<Msp>() + m.fragments.iter().map(|g| size_of::<Fragment>() + g.data.capacity()).sum::<usize>())
            .sum();
        vec![
            ("tcp.reasm.pdu_bytes", data),
            ("tcp.reasm.pdu_lists", lists + self.pdus.capacity() * size_of::<Pdu>()),
            ("tcp.reasm.steps", self.steps.capacity() * size_of::<(u32, Step)>() + self.reassembled_later.capacity() * size_of::<(u32, u32)>()),
            ("tcp.reasm.flows", self.flows.capacity() * size_of::<usize>() + self.flows.iter().flatten().count() * size_of::<[FlowReasm; 2]>() + open),
        ]
    }

    pub fn flow(&mut self, stream: u32, dir: usize) -> &mut FlowReasm {
        if self.flows.len() <= stream as usize {
            self.flows.resize_with(stream as usize + 1, || None);
        }
        &mut self.flows[stream as usize].get_or_insert_with(Default::default)[dir & 1]
    }

    /// A retired conversation's PDUs in progress are let go (single pass).
    pub fn forget_stream(&mut self, stream: u32) {
        if let Some(f) = self.flows.get_mut(stream as usize) {
            *f = None;
        }
    }

    pub fn record(&mut self, index: u32, step: Step) {
        if !self.single_pass {
            self.steps.push((index, step));
        }
    }

    /// The steps recorded for TCP record `index`.
    pub fn steps_of(&self, index: u32) -> impl Iterator<Item = Step> + '_ {
        let start = self.steps.partition_point(|(i, _)| *i < index);
        self.steps[start..].iter().take_while(move |(i, _)| *i == index).map(|(_, s)| *s)
    }

    /// The later frame that reassembled the PDU a segment in `frame` began or continued.
    pub fn reassembled_later(&mut self, frame: u32) -> Option<u32> {
        if self.later_unsorted {
            // A PDU reopened and completed again later: the last completion is the one shown.
            self.reassembled_later.sort_unstable();
            self.reassembled_later.dedup_by(|later, earlier| {
                let same = later.0 == earlier.0;
                if same {
                    earlier.1 = earlier.1.max(later.1);
                }
                same
            });
            self.later_unsorted = false;
        }
        let at = self.reassembled_later.binary_search_by_key(&frame, |e| e.0).ok()?;
        Some(self.reassembled_later[at].1)
    }

    pub fn pdu(&self, id: u32) -> Option<&Pdu> {
        self.pdus.get(id.checked_sub(self.released)? as usize)
    }

    /// Adds `data` at `offset` of `msp` (Wireshark's `fragment_add`); `last` says it ends the
    /// PDU. Returns the reassembled PDU's index when the PDU is complete now.
    pub fn add_fragment(&mut self, msp: &mut Msp, frame: u32, offset: u32, data: &[u8], src: Option<u32>, last: bool) -> Option<u32> {
        if msp.reassembled_in != 0 {
            // Already complete: a repeat of bytes we have.
            return None;
        }
        if last {
            msp.total = Some(offset.saturating_add(data.len() as u32));
        }
        msp.fragments.push(Fragment { offset, frame, data: data.to_vec(), src });
        let total = msp.total?;
        let mut frags: Vec<&Fragment> = msp.fragments.iter().collect();
        frags.sort_by_key(|f| f.offset);
        let mut covered = 0u32;
        for f in &frags {
            if f.offset > covered {
                return None;
            }
            covered = covered.max(f.offset + f.data.len() as u32);
        }
        if covered < total {
            return None;
        }
        let mut pdu = Pdu { data: vec![0; total as usize], ..Pdu::default() };
        let rebuildable = self.frames_kept_by_host && !self.single_pass && frags.iter().all(|f| f.src.is_some());
        let mut filled = 0u32;
        // Every fragment is listed, repeats included, by offset (the sort is stable, so equal
        // offsets keep arrival order), as Wireshark lists a reassembly's segments.
        for f in frags {
            let end = (f.offset + f.data.len() as u32).min(total);
            if end <= f.offset {
                continue;
            }
            if f.offset < filled {
                pdu.overlaps.push(pdu.segments.len() as u32);
            }
            pdu.segments.push((f.frame, f.offset, end - f.offset));
            if rebuildable {
                pdu.srcs.push(f.src.unwrap_or(0));
            }
            if end > filled {
                // Bytes already placed win, as in Wireshark's reassembly.
                let from = filled.max(f.offset);
                pdu.data[from as usize..end as usize].copy_from_slice(&f.data[(from - f.offset) as usize..(end - f.offset) as usize]);
                filled = end;
            }
        }
        msp.reassembled_in = frame;
        if !self.single_pass {
            for f in msp.fragments.iter().filter(|f| f.frame != frame) {
                if self.reassembled_later.last().map_or(false, |&(last, _)| last >= f.frame) {
                    self.later_unsorted = true;
                }
                self.reassembled_later.push((f.frame, frame));
            }
        }
        msp.pdu = self.released + self.pdus.len() as u32;
        self.pdus.push_back(pdu);
        // The PDU holds the bytes now: keeping the fragments' copies too would double the
        // memory reassembly takes (`reopen` rebuilds them from the PDU).
        msp.fragments = Vec::new();
        if self.single_pass || rebuildable {
            self.completed.push((msp.pdu, frame));
        }
        Some(msp.pdu)
    }

    /// Before frame `frame`: frees the bytes of PDUs completed earlier. A single pass drops
    /// them (nothing re-dissects them); with `frames_kept_by_host` they can be rebuilt.
    pub fn release_before(&mut self, frame: u32) {
        if self.completed.is_empty() && self.pdus.is_empty() {
            // Every frame asks; most passes (and all that stop at TCP) reassemble nothing.
            return;
        }
        let (pdus, released, single) = (&mut self.pdus, self.released, self.single_pass);
        self.completed.retain(|&(id, done_in)| {
            if done_in >= frame {
                return true;
            }
            if let Some(p) = id.checked_sub(released).and_then(|i| pdus.get_mut(i as usize)) {
                if single {
                    *p = Pdu::default();
                } else {
                    p.data = Vec::new();
                }
            }
            false
        });
        if !single {
            return;
        }
        // Freed PDUs at the front go (later ones may still be open in `completed`).
        let in_use = |p: &Pdu| p.data.capacity() != 0 || !p.segments.is_empty();
        while self.pdus.front().map_or(false, |p| !in_use(p)) && self.completed.iter().all(|&(id, _)| id != self.released) {
            self.pdus.pop_front();
            self.released += 1;
        }
    }

    /// The protocol above needed more after all: the PDU is open again (Wireshark's partial
    /// reassembly), with the fragments it had.
    pub fn reopen(&mut self, msp: &mut Msp) {
        if msp.reassembled_in != 0 && msp.fragments.is_empty() {
            if let Some(pdu) = self.pdu(msp.pdu) {
                for (i, &(frame, offset, len)) in pdu.segments.iter().enumerate() {
                    // Where fragments overlapped, the bytes placed first won: the PDU has those.
                    let data = pdu.data.get(offset as usize..(offset + len) as usize).unwrap_or(&[]).to_vec();
                    let src = if pdu.overlaps.is_empty() { pdu.srcs.get(i).copied() } else { None };
                    msp.fragments.push(Fragment { offset, frame, data, src });
                }
            }
        }
        msp.reassembled_in = 0;
        msp.total = None;
    }

    /// The protocol above used the first `used` bytes of a reassembled PDU: the rest becomes a
    /// new PDU (Wireshark's `split_msp`). Returns the new one's start.
    pub fn split(&mut self, msp: &mut Msp, used: u32) -> Msp {
        let pdu = self.pdu(msp.pdu).cloned().unwrap_or_default();
        let mut rest = Msp::new(msp.seq.wrapping_add(used), msp.nxtpdu, msp.first_frame);
        for (i, (frame, offset, len)) in pdu.segments.iter().copied().enumerate() {
            let end = offset + len;
            if end > used {
                let from = offset.max(used);
                rest.first_frame = if rest.fragments.is_empty() { frame } else { rest.first_frame.min(frame) };
                let data = pdu.data.get(from as usize..end as usize).unwrap_or(&[]).to_vec();
                let src = if pdu.overlaps.is_empty() { pdu.srcs.get(i).map(|s| s + from - offset) } else { None };
                rest.fragments.push(Fragment { offset: from - used, frame, data, src });
            }
        }
        msp.nxtpdu = msp.seq.wrapping_add(used);
        rest
    }
}

/// Whether `seq` is inside `msp` (`msp.seq <= seq < msp.nxtpdu`).
pub fn contains(msp: &Msp, seq: u32) -> bool {
    !lt(seq, msp.seq) && lt(seq, msp.nxtpdu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_complete_a_pdu_in_any_order_once() {
        let mut r = Reassembly::default();
        let mut m = Msp::new(100, 110, 1);
        assert_eq!(r.add_fragment(&mut m, 1, 0, b"abc", None, false), None);
        assert_eq!(r.add_fragment(&mut m, 3, 6, b"ghij", None, true), None, "a hole remains");
        assert_eq!(r.add_fragment(&mut m, 2, 3, b"def", None, false), Some(0));
        let pdu = r.pdu(0).unwrap();
        assert_eq!(pdu.data, b"abcdefghij");
        assert_eq!(pdu.segments, vec![(1, 0, 3), (2, 3, 3), (3, 6, 4)]);
        assert_eq!(m.reassembled_in, 2);
        assert_eq!(r.add_fragment(&mut m, 4, 6, b"ghij", None, true), None, "a retransmission adds nothing");
    }

    #[test]
    fn a_pdu_let_go_is_rebuilt_from_its_frames_with_first_bytes_winning() {
        let mut r = Reassembly { frames_kept_by_host: true, ..Reassembly::default() };
        let frames: Vec<&[u8]> = vec![b"..abcd", b"xCDEF", b"_efgh"];
        let mut m = Msp::new(0, 8, 1);
        r.add_fragment(&mut m, 1, 0, &frames[0][2..], Some(2), false);
        r.add_fragment(&mut m, 2, 2, &frames[1][1..], Some(1), false);
        let id = r.add_fragment(&mut m, 3, 4, &frames[2][1..], Some(1), true).unwrap();
        assert_eq!(r.pdu(id).unwrap().data, b"abcdEFgh");
        r.release_before(4);
        let pdu = r.pdu(id).unwrap();
        assert!(pdu.data.is_empty(), "the bytes are let go once the frame is done");
        let rebuilt = pdu.rebuild(|n, out| {
            out.clear();
            out.extend_from_slice(frames[n as usize - 1]);
            true
        });
        assert_eq!(rebuilt.as_deref(), Some(&b"abcdEFgh"[..]));
        assert_eq!(pdu.rebuild(|_, _| false), None);
    }

    #[test]
    fn a_split_keeps_the_unused_tail_as_a_new_pdu() {
        let mut r = Reassembly::default();
        let mut m = Msp::new(0, 8, 1);
        r.add_fragment(&mut m, 1, 0, b"abcd", None, false);
        r.add_fragment(&mut m, 2, 4, b"efgh", None, true);
        let rest = r.split(&mut m, 6);
        assert_eq!((m.nxtpdu, rest.seq, rest.first_frame), (6, 6, 2));
    }

    #[test]
    fn lookups_find_the_pdu_a_sequence_number_falls_in() {
        let mut f = FlowReasm::default();
        f.put(Msp::new(10, 20, 1));
        assert!(f.at_or_before(15).and_then(|k| f.get(k)).map_or(false, |m| contains(m, 15)));
        assert!(f.at_or_before(9).is_none());
        assert!(!contains(f.get(f.at_or_before(25).unwrap()).unwrap(), 25));
        assert_eq!((f.exact(10), f.exact(11)), (Some(10), None));
    }
}
