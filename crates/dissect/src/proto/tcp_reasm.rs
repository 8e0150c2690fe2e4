//! `tcp` payload hand-off with reassembly (Wireshark's `desegment_tcp`): a protocol above TCP
//! that needs more than a segment sets `ctx.desegment`; the segments of that PDU then show as
//! `[TCP segment of a reassembled PDU]`, and the one that completes it hands the reassembled
//! bytes up. The first pass records each segment's steps in `analysis::tcp_reasm`, and a
//! re-dissection replays them.

use crate::analysis::tcp::TcpFrameInfo;
use crate::analysis::tcp_reasm::{contains, Msp, Pdu, Step, MAX_PDU_START, UNTIL_FIN_SPAN};
use crate::analysis::tcp_seq::{A_KEEP_ALIVE, A_OUT_OF_ORDER, A_RETRANSMISSION, A_SPURIOUS_RETRANSMISSION};
use crate::dispatch::{self, Table};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Desegment, Layer};
use crate::tree::{Value, NO_NODE};
use std::fmt::Write;

pub static SEGMENT_DATA: FieldDef = FieldDef::new("TCP segment data", "tcp.segment_data", FieldType::Bytes);
pub static SEGMENTS: FieldDef = FieldDef::new("Reassembled TCP Segments", "tcp.segments", FieldType::None);
pub static SEGMENT: FieldDef = FieldDef::new("TCP Segment", "tcp.segment", FieldType::FrameNum);
pub static SEGMENT_OVERLAP: FieldDef = FieldDef::new("Segment overlap", "tcp.segment.overlap", FieldType::Bool);
pub static SEGMENT_COUNT: FieldDef = FieldDef::new("Segment count", "tcp.segment.count", FieldType::Uint32);
pub static REASSEMBLED_IN: FieldDef = FieldDef::new("Reassembled PDU in frame", "tcp.reassembled_in", FieldType::FrameNum);
pub static REASSEMBLED_LENGTH: FieldDef = FieldDef::new("Reassembled TCP length", "tcp.reassembled.length", FieldType::Uint32);
pub static REASSEMBLED_DATA: FieldDef = FieldDef::new("Reassembled TCP Data", "tcp.reassembled.data", FieldType::Bytes);
pub static RESET_CAUSE: FieldDef = FieldDef::new("Reset cause", "tcp.reset_cause", FieldType::String);
pub static FIN_RETRANSMISSION: FieldDef =
    FieldDef::new("Retransmission of FIN from frame", "tcp.fin_retransmission", FieldType::FrameNum);

pub static FIELDS: &[&FieldDef] = &[
    &SEGMENT_DATA, &SEGMENTS, &SEGMENT, &SEGMENT_OVERLAP, &SEGMENT_COUNT, &REASSEMBLED_IN, &REASSEMBLED_LENGTH, &REASSEMBLED_DATA,
    &RESET_CAUSE, &FIN_RETRANSMISSION,
];

/// What a segment's payload dissection needs to know about the segment.
pub struct SegmentRef<'a> {
    pub top: u32,
    pub payload: Layer<'a>,
    pub info: TcpFrameInfo,
    /// Relative sequence number of the payload's first byte.
    pub seq: u32,
    pub sport: u16,
    pub dport: u16,
}

/// Column state while a segment's PDUs are handed up: after a fence, the protocol above may
/// only append to Info and cannot change Protocol.
#[derive(Default)]
struct Columns {
    fenced: bool,
    /// Re-dissection: a reassembled PDU's bytes could not be had (the host could not hand a
    /// frame back).
    pdu_missing: bool,
}

/// Hands the payload up, reassembling across segments when the protocol above asks for it.
pub fn dissect_payload(ctx: &mut Ctx, s: &SegmentRef) -> DResult<()> {
    if s.info.frame == 0 || !ctx.can_desegment {
        return call_above(ctx, s, &s.payload).map(|_| ());
    }
    if ctx.revisit {
        let reasm = &mut ctx.state.tcp.reasm;
        let mut steps: Vec<Step> = reasm.steps_of(s.info.index).collect();
        // Where the PDU begun here was finished is known now: shown before the segment's data
        // for it. A PDU still open after a segment is the segment's last part: after any fence.
        if let Some(frame) = reasm.reassembled_later(s.info.frame) {
            let last = steps.iter().rposition(|st| matches!(st, Step::Fence)).map_or(0, |f| f + 1);
            let known = steps[last..].iter().any(|st| matches!(st, Step::ReassembledIn { .. }));
            let at = steps[last..].iter().position(|st| matches!(st, Step::Mark { .. } | Step::SegmentData { retransmitted: false, .. }));
            if let (false, Some(at)) = (known, at) {
                steps.insert(last + at, Step::ReassembledIn { frame });
            }
        }
        let mut cols = Columns::default();
        for step in steps.into_iter().filter(|st| !matches!(st, Step::FinRetransmission { .. })) {
            run(ctx, s, step, &mut cols)?;
            if cols.pdu_missing {
                // What followed that PDU in the first pass cannot be told apart without it
                // (messages are numbered in order): it is left out too, rather than shown wrong.
                break;
            }
        }
        return Ok(());
    }
    desegment(ctx, s)
}

/// The FIN that ends a reassemble-until-FIN stream completes its PDU. Returns whether it did
/// (and the payload was handled).
pub fn fin_ends_stream(ctx: &mut Ctx, s: &SegmentRef) -> DResult<bool> {
    if s.info.frame == 0 {
        return Ok(false);
    }
    if ctx.revisit {
        let steps: Vec<Step> = ctx.state.tcp.reasm.steps_of(s.info.index).collect();
        let mut cols = Columns::default();
        return match steps.first() {
            Some(Step::EndOfStream) => {
                let can = std::mem::replace(&mut ctx.can_desegment, false);
                let r = steps[1..].iter().try_for_each(|st| run(ctx, s, *st, &mut cols).map(|_| ()));
                ctx.can_desegment = can;
                r.map(|_| true)
            }
            Some(st @ Step::FinRetransmission { .. }) => run(ctx, s, *st, &mut cols).map(|_| false),
            _ => Ok(false),
        };
    }
    let (frame, index) = (s.info.frame, s.info.index);
    let flow = ctx.state.tcp.reasm.flow(s.info.stream, s.info.dir as usize);
    if !flow.until_fin {
        return Ok(false);
    }
    if flow.fin_frame != 0 && flow.fin_frame != frame {
        let first = flow.fin_frame;
        ctx.state.tcp.reasm.record(index, Step::FinRetransmission { frame: first });
        run(ctx, s, Step::FinRetransmission { frame: first }, &mut Columns::default())?;
        return Ok(false);
    }
    flow.fin_frame = frame;
    let key = match flow.at_or_before(s.seq.wrapping_sub(1)) {
        Some(k) => k,
        None => return Ok(false),
    };
    let mut msp = match flow.take(key) {
        Some(m) => m,
        None => return Ok(false),
    };
    let data = s.payload.bytes();
    let at = s.seq.wrapping_sub(msp.seq);
    let src = s.payload.start_in(ctx.data, 0);
    let done = ctx.state.tcp.reasm.add_fragment(&mut msp, frame, at, data, src, true);
    ctx.state.tcp.reasm.flow(s.info.stream, s.info.dir as usize).put(msp);
    match done {
        Some(pdu) => {
            ctx.state.tcp.reasm.record(index, Step::EndOfStream);
            ctx.state.tcp.reasm.record(index, Step::Pdu { pdu });
            let mut cols = Columns::default();
            let can = std::mem::replace(&mut ctx.can_desegment, false);
            let r = run(ctx, s, Step::Pdu { pdu }, &mut cols);
            ctx.can_desegment = can;
            r.map(|_| true)
        }
        None => Ok(false),
    }
}

fn remaining(l: &Layer, offset: u32) -> u32 {
    (l.reported as u32).saturating_sub(offset)
}

/// Records and runs one step (first pass).
fn step(ctx: &mut Ctx, s: &SegmentRef, st: Step, cols: &mut Columns) -> DResult<Option<(usize, Desegment)>> {
    ctx.state.tcp.reasm.record(s.info.index, st);
    run(ctx, s, st, cols)
}

/// Wireshark's `desegment_tcp`, with out-of-order reassembly off (its default).
fn desegment(ctx: &mut Ctx, s: &SegmentRef) -> DResult<()> {
    let (frame, stream, dir) = (s.info.frame, s.info.stream, s.info.dir as usize);
    let flags = s.info.flags();
    let nxtseq = s.seq.wrapping_add(s.payload.reported as u32);
    let mut offset = 0u32;
    let mut seq = s.seq;
    let mut first_pdu = true;
    let mut cols = Columns::default();
    // Each pass handles one PDU boundary and moves forward by at least a byte, so this ends
    // within the segment; the bound only guards that reasoning.
    for _ in 0..=s.payload.len + 1 {
        let mut last_fragment_len = 0u32;
        let mut called = false;
        let mut another = 0u32;
        let mut deseg: Option<(usize, Desegment)> = None;
        let mut deseg_offset = offset;
        let mut reassembled: Option<(u32, u32)> = None; // (pdu, frame reassembled in)
        let mut must_desegment = false;
        let mut used_key: Option<u32> = None;

        let flow = ctx.state.tcp.reasm.flow(stream, dir);
        if let Some(m) = flow.exact(seq).and_then(|k| flow.get(k)) {
            if !lt(m.nxtpdu, nxtseq) && m.last_frame != frame {
                // A segment starting a PDU seen before: a retransmission.
                let ours = m.first_frame == frame;
                if ours && first_pdu {
                    step(ctx, s, Step::Mark { append: true }, &mut cols)?;
                }
                let len = remaining(&s.payload, offset);
                step(ctx, s, Step::SegmentData { offset, len, retransmitted: !ours }, &mut cols)?;
                return Ok(());
            }
        }
        if flags & A_SPURIOUS_RETRANSMISSION != 0 {
            return Ok(());
        }
        if flags & A_RETRANSMISSION != 0 {
            let len = remaining(&s.payload, offset);
            step(ctx, s, Step::SegmentData { offset, len, retransmitted: true }, &mut cols)?;
            return Ok(());
        }
        let key = flow.at_or_before(seq.wrapping_sub(1)).filter(|k| flow.get(*k).map_or(false, |m| contains(m, seq)));
        if let Some(key) = key {
            let mut msp = flow.take(key).expect("found above");
            used_key = Some(key);
            msp.last_frame = frame;
            let len = if msp.entire_segment {
                (s.payload.len as u32).saturating_sub(offset)
            } else {
                nxtseq.wrapping_sub(seq).min(msp.nxtpdu.wrapping_sub(seq))
            };
            last_fragment_len = len;
            let from = offset as usize;
            let data = s.payload.slice(from, len as usize).to_vec();
            let src = s.payload.start_in(ctx.data, from);
            let last = !lt(nxtseq, msp.nxtpdu);
            let at = seq.wrapping_sub(msp.seq);
            let done = ctx.state.tcp.reasm.add_fragment(&mut msp, frame, at, &data, src, last);
            if msp.entire_segment {
                msp.entire_segment = false;
                if lt(msp.nxtpdu, nxtseq) {
                    msp.nxtpdu = nxtseq;
                }
            }
            if lt(msp.nxtpdu, nxtseq) && !lt(msp.nxtpdu, seq) && len > 0 {
                another = msp.nxtpdu.wrapping_sub(seq);
            }
            if let Some(pdu) = done {
                reassembled = Some((pdu, frame));
            } else if msp.reassembled_in != 0 {
                reassembled = Some((msp.pdu, msp.reassembled_in));
            }
            ctx.state.tcp.reasm.flow(stream, dir).put(msp);
        } else {
            let r = step(ctx, s, Step::Payload { offset }, &mut cols)?;
            called = true;
            if let Some((o, need)) = r {
                must_desegment = true;
                deseg = Some((o, need));
                deseg_offset = offset + o as u32;
            }
        }

        if let Some((pdu, _)) = reassembled.filter(|(_, f)| *f == frame) {
            let r = step(ctx, s, Step::Pdu { pdu }, &mut cols)?;
            called = true;
            if let Some((o, need)) = r {
                let flow = ctx.state.tcp.reasm.flow(stream, dir);
                if let Some(mut msp) = used_key.and_then(|k| flow.take(k)) {
                    let reasm = &mut ctx.state.tcp.reasm;
                    if o == 0 || !lt(seq, msp.seq.wrapping_add(o as u32)) {
                        reasm.reopen(&mut msp);
                    } else {
                        let rest = reasm.split(&mut msp, o as u32);
                        reasm.flow(stream, dir).put(msp);
                        msp = rest;
                    }
                    match need {
                        Desegment::OneMoreSegment => {
                            let end = seq.wrapping_add(remaining(&s.payload, offset));
                            msp.nxtpdu = if lt(end, msp.nxtpdu) { msp.nxtpdu } else { end }.wrapping_add(1);
                            msp.entire_segment = true;
                        }
                        Desegment::UntilFin => {
                            reasm.flow(stream, dir).until_fin = true;
                            msp.nxtpdu = msp.seq.wrapping_add(UNTIL_FIN_SPAN);
                        }
                        Desegment::Bytes(n) => {
                            if !lt(seq.wrapping_add(last_fragment_len), msp.nxtpdu) {
                                msp.nxtpdu = seq.wrapping_add(last_fragment_len).wrapping_add(n);
                            } else {
                                msp.nxtpdu = msp.nxtpdu.wrapping_add(n);
                            }
                        }
                    }
                    reasm.flow(stream, dir).put(msp);
                }
                deseg = Some((o, need));
                another = 0;
                offset += last_fragment_len;
                seq = seq.wrapping_add(last_fragment_len);
                if remaining(&s.payload, offset) > 0 && (offset as usize) < s.payload.len {
                    continue;
                }
            } else {
                let len = if another > 0 { another } else { remaining(&s.payload, offset) };
                step(ctx, s, Step::SegmentData { offset, len, retransmitted: false }, &mut cols)?;
            }
        }

        if let (true, Some((_, need))) = (must_desegment, deseg) {
            let deseg_seq = seq.wrapping_add(deseg_offset - offset);
            if nxtseq.wrapping_sub(deseg_seq) <= MAX_PDU_START {
                let reasm = &mut ctx.state.tcp.reasm;
                let (nxtpdu, entire) = match need {
                    Desegment::OneMoreSegment => (nxtseq.wrapping_add(1), true),
                    Desegment::UntilFin => {
                        reasm.flow(stream, dir).until_fin = true;
                        (nxtseq.wrapping_add(UNTIL_FIN_SPAN), false)
                    }
                    Desegment::Bytes(n) => (nxtseq.wrapping_add(n), false),
                };
                let mut msp = Msp::new(deseg_seq, nxtpdu, frame);
                msp.entire_segment = entire;
                let data = s.payload.slice(deseg_offset as usize, nxtseq.wrapping_sub(deseg_seq) as usize).to_vec();
                let src = s.payload.start_in(ctx.data, deseg_offset as usize);
                let last = !lt(nxtseq, nxtpdu);
                reasm.add_fragment(&mut msp, frame, 0, &data, src, last);
                reasm.flow(stream, dir).put(msp);
            }
        }

        if !called || deseg.is_some() {
            if let Some((_, f)) = reassembled.filter(|(_, f)| *f != frame) {
                step(ctx, s, Step::ReassembledIn { frame: f }, &mut cols)?;
            }
            if deseg.map_or(true, |(o, _)| o == 0) {
                step(ctx, s, Step::Mark { append: first_pdu }, &mut cols)?;
            }
            let len = if another > 0 { another } else { remaining(&s.payload, deseg_offset) };
            step(ctx, s, Step::SegmentData { offset: deseg_offset, len, retransmitted: false }, &mut cols)?;
        }
        if another > 0 {
            step(ctx, s, Step::Fence, &mut cols)?;
            first_pdu = false;
            offset += another;
            seq = seq.wrapping_add(another);
            continue;
        }
        return Ok(());
    }
    Ok(())
}

fn lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// Shows one step. Payload and PDU steps return what the protocol above asked for.
fn run(ctx: &mut Ctx, s: &SegmentRef, st: Step, cols: &mut Columns) -> DResult<Option<(usize, Desegment)>> {
    match st {
        Step::Payload { offset } => {
            let layer = s.payload.sub(offset as usize, "tcp payload");
            hand_up(ctx, s, &layer, cols)
        }
        Step::Pdu { pdu } => {
            let data = match ctx.state.tcp_pdu(pdu, ctx.meta.number, ctx.data) {
                Some(p) => p,
                None => {
                    cols.pdu_missing = true;
                    return Ok(None);
                }
            };
            let (mark, sources) = (ctx.tree.mark(), ctx.tree.sources.len());
            // The PDU's items point into its own bytes (Wireshark's "Reassembled TCP" tab).
            let prev = ctx.tree.enter_source("Reassembled TCP", &data.data);
            add_segments_tree(ctx, &data);
            let layer = Layer::new(&data.data, 0, data.data.len(), "reassembled tcp");
            let r = hand_up(ctx, s, &layer, cols);
            ctx.tree.leave_source(prev);
            let r = r?;
            if r.map_or(false, |(o, _)| o == 0) {
                ctx.tree.rollback(mark);
                ctx.tree.sources.truncate(sources);
            }
            Ok(r)
        }
        Step::SegmentData { offset, len, retransmitted } => {
            if ctx.tree.enabled() {
                let n = ctx.add(s.top, &SEGMENT_DATA, &s.payload, offset as usize, len as usize, Value::Bytes);
                crate::set_label!(ctx.tree, n, "{}TCP segment data ({} byte{})", if retransmitted { "Retransmitted " } else { "" }, len, if len == 1 { "" } else { "s" });
            }
            Ok(None)
        }
        Step::Mark { append } => {
            if !cols.fenced {
                ctx.cols.set_protocol("TCP");
            }
            if append {
                // `col_append_sep_str` with " ": no separator in an empty column (TLS clears
                // Info before it finds its first record cut).
                if !ctx.cols.info.is_empty() {
                    ctx.cols.info.push(' ');
                }
                ctx.cols.info.push_str("[TCP segment of a reassembled PDU]");
            }
            Ok(None)
        }
        Step::ReassembledIn { frame } => {
            ctx.tree.add_generated(s.top, &REASSEMBLED_IN, Value::Uint(frame as u64));
            Ok(None)
        }
        Step::Fence => {
            cols.fenced = true;
            Ok(None)
        }
        Step::FinRetransmission { frame } => {
            ctx.add(s.top, &FIN_RETRANSMISSION, &s.payload, 0, 0, Value::Uint(frame as u64));
            Ok(None)
        }
        Step::EndOfStream => Ok(None),
    }
}

/// `[4 Reassembled TCP Segments (5007 bytes): #6(1448), #7(1448), ...]` and its items.
fn add_segments_tree(ctx: &mut Ctx, pdu: &Pdu) {
    if !ctx.tree.enabled() {
        return;
    }
    let (segments, data) = (&pdu.segments[..], &pdu.data[..]);
    let top = ctx.tree.add_generated(NO_NODE, &SEGMENTS, Value::None);
    if ctx.tree.wants_label(top) {
        let mut label = format!("[{} Reassembled TCP Segments ({} bytes): ", segments.len(), data.len());
        for (i, (frame, _, len)) in segments.iter().enumerate() {
            let _ = write!(label, "{}#{}({})", if i > 0 { ", " } else { "" }, frame, len);
        }
        label.push(']');
        ctx.tree.set_label(top, label);
    }
    for (i, (frame, offset, len)) in segments.iter().enumerate() {
        let n = ctx.tree.add_generated(top, &SEGMENT, Value::Uint(*frame as u64));
        let end = (offset + len).saturating_sub(1);
        crate::set_label!(ctx.tree, n, "[Frame: {}, payload: {}-{} ({} bytes)]", frame, offset, end, len);
        if pdu.overlaps.contains(&(i as u32)) {
            let o = ctx.tree.add_generated(n, &SEGMENT_OVERLAP, Value::Bool(true));
            crate::set_label!(ctx.tree, o, "[Segment overlap: True]");
        }
    }
    let c = ctx.tree.add_generated(top, &SEGMENT_COUNT, Value::Uint(segments.len() as u64));
    crate::set_label!(ctx.tree, c, "[Segment count: {}]", segments.len());
    let l = ctx.tree.add_generated(top, &REASSEMBLED_LENGTH, Value::Uint(data.len() as u64));
    crate::set_label!(ctx.tree, l, "[Reassembled TCP length: {}]", data.len());
    if !ctx.tree.wants(&REASSEMBLED_DATA) {
        return;
    }
    let mut hex = String::new();
    for b in data.iter().take(36) {
        let _ = write!(hex, "{:02x}", b);
    }
    if data.len() > 36 {
        hex.push('\u{2026}');
    }
    let d = ctx.tree.add_generated(top, &REASSEMBLED_DATA, Value::Str(hex.clone()));
    crate::set_label!(ctx.tree, d, "[Reassembled TCP Data: {}]", hex);
}

/// Calls the protocol above on `layer` within the column rules of `cols`. What a protocol that
/// consumed nothing and asked for more added to the tree stays, as in Wireshark (TLS adds its
/// layer before it finds the record cut; HTTP and DNS ask before adding anything).
fn hand_up(ctx: &mut Ctx, s: &SegmentRef, layer: &Layer, cols: &mut Columns) -> DResult<Option<(usize, Desegment)>> {
    let saved_info = if cols.fenced { Some(ctx.cols.info.clone()) } else { None };
    let saved_protocol = if cols.fenced { Some(ctx.cols.protocol.clone()) } else { None };
    let fence = std::mem::replace(&mut ctx.cols.info_fence, if cols.fenced { ctx.cols.info.len() } else { 0 });
    ctx.desegment = None;
    let r = call_above(ctx, s, layer);
    ctx.cols.info_fence = fence;
    let want = ctx.desegment.take();
    if let Some(info) = saved_info {
        if !ctx.cols.info.starts_with(&info) {
            ctx.cols.info.insert_str(0, &info);
        }
    }
    if let Some(p) = saved_protocol {
        ctx.cols.protocol = p;
    }
    r?;
    Ok(want)
}

/// Wireshark's `decode_tcp_ports`: keep-alive bytes are data; retransmitted and out-of-order
/// data is not handed up; otherwise the server port from the handshake, then the lower port,
/// then the higher one, then the heuristic dissectors.
fn call_above(ctx: &mut Ctx, s: &SegmentRef, layer: &Layer) -> DResult<usize> {
    let flags = s.info.flags();
    if flags & A_KEEP_ALIVE != 0 {
        return dispatch::call_data(ctx, NO_NODE, *layer);
    }
    if flags & (A_RETRANSMISSION | A_OUT_OF_ORDER) != 0 {
        return Ok(0);
    }
    let (low, high) = if s.sport <= s.dport { (s.sport, s.dport) } else { (s.dport, s.sport) };
    let server = ctx.state.tcp.server_port(s.info.stream).filter(|_| s.info.frame != 0);
    // A protocol that claims nothing rejected the data (Wireshark's heuristic "not mine").
    for port in [server, Some(low), Some(high)].iter().flatten() {
        if let Some(r) = dispatch::try_call(ctx, Table::TcpPort, *port as u32, NO_NODE, *layer) {
            if !matches!(r, Ok(0)) || layer.reported == 0 {
                return r;
            }
        }
    }
    match dispatch::try_heuristics(ctx, Table::TcpHeuristic, NO_NODE, *layer) {
        Some(r) => r,
        None => dispatch::call_data(ctx, NO_NODE, *layer),
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::FrameMeta;
    use crate::session::Session;

    const CLIENT: [u8; 4] = [10, 0, 0, 1];
    const SERVER: [u8; 4] = [10, 0, 0, 2];
    const ACK: u8 = 0x10;
    const PSH_ACK: u8 = 0x18;
    const FIN_ACK: u8 = 0x11;

    /// An Ethernet/IPv4/TCP frame (checksums left zero: Wireshark does not check them).
    fn segment(from_client: bool, seq: u32, ack: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
        let (src, dst, sport, dport) = if from_client { (CLIENT, SERVER, 40000u16, 80u16) } else { (SERVER, CLIENT, 80, 40000) };
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let total = (40 + payload.len()) as u16;
        f.extend_from_slice(&[0x45, 0]);
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 1, 0, 0, 64, 6, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&ack.to_be_bytes());
        f.extend_from_slice(&[0x50, flags, 0x03, 0xe8, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    /// Protocol and Info of every frame, first pass; then checks each re-dissects the same.
    fn summaries(frames: &[Vec<u8>]) -> Vec<(String, String)> {
        let mut s = Session::new();
        let mut out = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            let meta = FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_ns: i as i64 * 1_000_000_000, ts_digits: 6, ..Default::default() };
            s.ingest(meta, f, true);
            out.push((s.columns().protocol.clone(), s.columns().info.clone()));
        }
        for (i, f) in frames.iter().enumerate() {
            let meta = FrameMeta { number: i as u32 + 1, linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_ns: i as i64 * 1_000_000_000, ts_digits: 6, ..Default::default() };
            assert!(s.revisit(meta, f, true));
            assert_eq!((s.columns().protocol.clone(), s.columns().info.clone()), out[i], "frame {} on revisit", i + 1);
        }
        out
    }

    fn pair(p: &str, i: &str) -> (String, String) {
        (p.to_string(), i.to_string())
    }

    const REQ: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    // The expected lines below are tshark 4.0.17's output for the same frames.

    #[test]
    fn headers_split_over_two_segments() {
        let (h1, h2) = (&b"HTTP/1.1 200 OK\r\nContent-Ty"[..], &b"pe: text/plain\r\nContent-Length: 3\r\n\r\nabc"[..]);
        let s = summaries(&[
            segment(true, 5000, 1000, PSH_ACK, REQ),
            segment(false, 1000, 5027, PSH_ACK, h1),
            segment(false, 1000 + h1.len() as u32, 5027, PSH_ACK, h2),
        ]);
        assert_eq!(s[0], pair("HTTP", "GET / HTTP/1.1 "));
        assert_eq!(s[1], pair("TCP", "HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]"));
        assert_eq!(s[2], pair("HTTP", "HTTP/1.1 200 OK  (text/plain)"));
    }

    #[test]
    fn a_second_message_completes_in_the_next_segment() {
        let two = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nxy";
        let req2 = [REQ, REQ].concat();
        let s = summaries(&[
            segment(true, 5000, 1000, PSH_ACK, &req2),
            segment(false, 1000, 5054, PSH_ACK, two),
            segment(false, 1000 + two.len() as u32, 5054, PSH_ACK, b"zw"),
        ]);
        assert_eq!(s[0], pair("HTTP", "GET / HTTP/1.1 GET / HTTP/1.1 "));
        assert_eq!(s[1], pair("HTTP", "HTTP/1.1 200 OK HTTP/1.1 404 Not Found "));
        assert_eq!(s[2], pair("HTTP", "HTTP/1.1 404 Not Found "));
    }

    #[test]
    fn a_response_without_length_ends_at_the_fin() {
        let r1 = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nabc";
        let base = 1000 + r1.len() as u32;
        let s = summaries(&[
            segment(true, 5000, 1000, PSH_ACK, REQ),
            segment(false, 1000, 5027, PSH_ACK, r1),
            segment(false, base, 5027, PSH_ACK, b"defgh"),
            segment(false, base + 5, 5027, FIN_ACK, b""),
        ]);
        assert_eq!(s[1], pair("TCP", "HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]"));
        assert_eq!(s[2], pair("TCP", "80 \u{2192} 40000 [PSH, ACK] Seq=49 Ack=28 Win=1000 Len=5 [TCP segment of a reassembled PDU]"));
        assert_eq!(s[3], pair("HTTP", "HTTP/1.1 200 OK  (text/plain)"));
    }

    #[test]
    fn a_chunked_body_is_reassembled_to_its_last_chunk() {
        let c1 = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n5\r\nhello\r\n";
        let s = summaries(&[
            segment(true, 5000, 1000, PSH_ACK, REQ),
            segment(false, 1000, 5027, PSH_ACK, c1),
            segment(false, 1000 + c1.len() as u32, 5027, PSH_ACK, b"3\r\nabc\r\n0\r\n\r\n"),
        ]);
        assert_eq!(s[1], pair("TCP", "HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]"));
        assert_eq!(s[2], pair("HTTP", "HTTP/1.1 200 OK  (text/html)"));
    }

    #[test]
    fn text_that_is_not_http_is_data_until_http_was_seen() {
        let text = b"hello there\r\nsecond\r\n";
        let alone = summaries(&[segment(false, 1000, 5000, PSH_ACK, text)]);
        assert_eq!(alone[0], pair("TCP", "80 \u{2192} 40000 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=21"));
        let after = summaries(&[segment(true, 5000, 1000, PSH_ACK, REQ), segment(false, 1000, 5027, PSH_ACK, text)]);
        assert_eq!(after[1], pair("HTTP", "Continuation"));
        let no_eol = summaries(&[segment(false, 1000, 5000, PSH_ACK, b"some text without end of line")]);
        assert_eq!(no_eol[0].1, "80 \u{2192} 40000 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=29 [TCP segment of a reassembled PDU]");
    }

    #[test]
    fn a_retransmitted_segment_is_not_handed_up_again() {
        let body = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234";
        let s = summaries(&[
            segment(true, 5000, 1000, PSH_ACK, REQ),
            segment(false, 1000, 5027, PSH_ACK, body),
            segment(false, 1000, 5027, PSH_ACK, body),
            segment(false, 1000 + body.len() as u32, 5027, ACK, b"56789"),
        ]);
        assert_eq!(s[2].1, "[TCP Retransmission] 80 \u{2192} 40000 [PSH, ACK] Seq=1 Ack=28 Win=1000 Len=44");
        assert_eq!(s[3], pair("HTTP", "HTTP/1.1 200 OK "));
    }
}
