//! `tcp`: TCP (RFC 9293) header, flags, and the hand-off of its payload by port. Options are in
//! `tcp_opt`, the analysis output in `tcp_analysis`; cross-segment state lives in
//! `analysis::tcp`, and this file only reads its results.

use crate::analysis::tcp::{completeness_label, Segment, TcpFrameInfo, TcpTimes, FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN, SCALE_NONE, SCALE_UNKNOWN};
use crate::analysis::tcp_seq::RefTimes;
use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer, NetAddr};
use crate::proto::tcp_reasm::{self, SegmentRef};
use crate::proto::{quoted, tcp_analysis, tcp_opt};
use crate::stats::taps::{Tap, TcpTap};
use crate::text::push_uint;
use crate::tree::{bit_string, Value, NO_NODE};
use std::fmt::Write;

mod field_at {
    pub const SRC_PORT: usize = 0;
    pub const DST_PORT: usize = 2;
    pub const SEQ: usize = 4;
    pub const ACK: usize = 8;
    pub const HLEN_FLAGS: usize = 12;
    pub const WINDOW: usize = 14;
    pub const CHECKSUM: usize = 16;
    pub const URGENT: usize = 18;
}
const MIN_HEADER_LEN: usize = 20;
const FLAG_URG: u16 = 0x020;

/// Flag names in bit order from FIN up, as Wireshark lists them in `[SYN, ACK]`.
const FLAG_NAMES: [&str; 9] = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"];

pub static TCP: FieldDef = FieldDef::protocol("Transmission Control Protocol", "tcp");
pub static SRCPORT: FieldDef = FieldDef::new("Source Port", "tcp.srcport", FieldType::Uint16);
pub static DSTPORT: FieldDef = FieldDef::new("Destination Port", "tcp.dstport", FieldType::Uint16);
pub static PORT: FieldDef = FieldDef::new("Source or Destination Port", "tcp.port", FieldType::Uint16);
pub static STREAM: FieldDef = FieldDef::new("Stream index", "tcp.stream", FieldType::Uint32);
pub static COMPLETENESS: FieldDef = FieldDef::new("Conversation completeness", "tcp.completeness", FieldType::Uint8);
pub static LEN: FieldDef = FieldDef::new("TCP Segment Len", "tcp.len", FieldType::Uint32);
pub static SEQ: FieldDef = FieldDef::new("Sequence Number", "tcp.seq", FieldType::Uint32);
pub static SEQ_RAW: FieldDef = FieldDef::new("Sequence Number (raw)", "tcp.seq_raw", FieldType::Uint32);
pub static NXTSEQ: FieldDef = FieldDef::new("Next Sequence Number", "tcp.nxtseq", FieldType::Uint32);
pub static ACK: FieldDef = FieldDef::new("Acknowledgment Number", "tcp.ack", FieldType::Uint32);
pub static ACK_RAW: FieldDef = FieldDef::new("Acknowledgment number (raw)", "tcp.ack_raw", FieldType::Uint32);
pub static HDR_LEN: FieldDef = FieldDef::new("Header Length", "tcp.hdr_len", FieldType::Uint8).bits(8, 0xf0);
pub static FLAGS: FieldDef = FieldDef::new("Flags", "tcp.flags", FieldType::Uint16).base(Base::Hex).bits(16, 0x0fff);
pub static FLAGS_RES: FieldDef = FieldDef::new("Reserved", "tcp.flags.res", FieldType::Bool).bits(12, 0xe00);
pub static FLAGS_AE: FieldDef = FieldDef::new("Accurate ECN", "tcp.flags.ae", FieldType::Bool).bits(12, 0x100);
pub static FLAGS_CWR: FieldDef = FieldDef::new("Congestion Window Reduced", "tcp.flags.cwr", FieldType::Bool).bits(12, 0x080);
pub static FLAGS_ECE: FieldDef = FieldDef::new("ECN-Echo", "tcp.flags.ece", FieldType::Bool).bits(12, 0x040);
pub static FLAGS_URG: FieldDef = FieldDef::new("Urgent", "tcp.flags.urg", FieldType::Bool).bits(12, 0x020);
pub static FLAGS_ACK: FieldDef = FieldDef::new("Acknowledgment", "tcp.flags.ack", FieldType::Bool).bits(12, 0x010);
pub static FLAGS_PUSH: FieldDef = FieldDef::new("Push", "tcp.flags.push", FieldType::Bool).bits(12, 0x008);
pub static FLAGS_RESET: FieldDef = FieldDef::new("Reset", "tcp.flags.reset", FieldType::Bool).bits(12, 0x004);
pub static FLAGS_SYN: FieldDef = FieldDef::new("Syn", "tcp.flags.syn", FieldType::Bool).bits(12, 0x002);
pub static FLAGS_FIN: FieldDef = FieldDef::new("Fin", "tcp.flags.fin", FieldType::Bool).bits(12, 0x001);
pub static FLAGS_STR: FieldDef = FieldDef::new("TCP Flags", "tcp.flags.str", FieldType::String);
pub static WINDOW_SIZE_VALUE: FieldDef = FieldDef::new("Window", "tcp.window_size_value", FieldType::Uint16);
pub static WINDOW_SIZE: FieldDef = FieldDef::new("Calculated window size", "tcp.window_size", FieldType::Uint32);
pub static WINDOW_SCALEFACTOR: FieldDef =
    FieldDef::new("Window size scaling factor", "tcp.window_size_scalefactor", FieldType::Int32);
pub static CHECKSUM: FieldDef = FieldDef::new("Checksum", "tcp.checksum", FieldType::Uint16).base(Base::Hex);
pub static CHECKSUM_STATUS: FieldDef =
    FieldDef::new("Checksum Status", "tcp.checksum.status", FieldType::Uint8).strings(crate::proto::vals::CHECKSUM_STATUS);
pub static URGENT_POINTER: FieldDef = FieldDef::new("Urgent Pointer", "tcp.urgent_pointer", FieldType::Uint16);
pub static TIME_RELATIVE: FieldDef =
    FieldDef::new("Time since first frame in this TCP stream", "tcp.time_relative", FieldType::RelTime);
pub static TIME_DELTA: FieldDef =
    FieldDef::new("Time since previous frame in this TCP stream", "tcp.time_delta", FieldType::RelTime);
pub static PAYLOAD: FieldDef = FieldDef::new("TCP payload", "tcp.payload", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] = &[
    &TCP, &SRCPORT, &DSTPORT, &PORT, &STREAM, &COMPLETENESS, &LEN, &SEQ, &SEQ_RAW, &NXTSEQ, &ACK, &ACK_RAW, &HDR_LEN,
    &FLAGS, &FLAGS_RES, &FLAGS_AE, &FLAGS_CWR, &FLAGS_ECE, &FLAGS_URG, &FLAGS_ACK, &FLAGS_PUSH, &FLAGS_RESET,
    &FLAGS_SYN, &FLAGS_FIN, &FLAGS_STR, &WINDOW_SIZE_VALUE, &WINDOW_SIZE, &WINDOW_SCALEFACTOR, &CHECKSUM,
    &CHECKSUM_STATUS, &URGENT_POINTER, &TIME_RELATIVE, &TIME_DELTA, &PAYLOAD,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::IpProto, 6, "tcp", dissect)];

/// The fixed header, read once after its length was checked.
struct Header {
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    hlen: usize,
    flags: u16,
    window: u16,
    urgent: u16,
}

impl Header {
    fn read(l: &Layer) -> Header {
        let hf = l.u16(field_at::HLEN_FLAGS);
        Header {
            sport: l.u16(field_at::SRC_PORT),
            dport: l.u16(field_at::DST_PORT),
            seq: l.u32(field_at::SEQ),
            ack: l.u32(field_at::ACK),
            hlen: ((hf >> 12) as usize) * 4,
            flags: hf & 0x0fff,
            window: l.u16(field_at::WINDOW),
            urgent: l.u16(field_at::URGENT),
        }
    }
}

/// What the header means once the analysis has spoken: relative numbers, scaled window.
struct Numbers {
    rel_seq: u32,
    rel_ack: u32,
    window: u32,
    /// Payload length, when the header fits in the segment.
    seglen: Option<u32>,
}

impl Numbers {
    fn new(h: &Header, info: &TcpFrameInfo, seglen: Option<u32>) -> Numbers {
        // Without the analysis (no segment length) Wireshark shows the raw numbers.
        let (base_seq, base_ack) = if info.analyzed { (info.base_seq, info.base_ack) } else { (0, 0) };
        Numbers {
            rel_seq: h.seq.wrapping_sub(base_seq),
            rel_ack: if h.flags & FLAG_ACK != 0 { h.ack.wrapping_sub(base_ack) } else { h.ack },
            window: match info.win_scale {
                s if s >= 0 && h.flags & FLAG_SYN == 0 => (h.window as u32) << s,
                _ => h.window as u32,
            },
            seglen,
        }
    }
}

/// Appends `SYN, ACK`-style flag names (or `<None>`) without allocating.
pub fn write_flag_names(out: &mut String, flags: u16) {
    let start = out.len();
    for (i, name) in FLAG_NAMES.iter().enumerate() {
        if flags & (1 << i) != 0 {
            if out.len() > start {
                out.push_str(", ");
            }
            out.push_str(name);
        }
    }
    if out.len() == start {
        out.push_str("<None>");
    }
}

pub fn flag_names(flags: u16) -> String {
    let mut s = String::new();
    write_flag_names(&mut s, flags);
    s
}

/// Wireshark's 12-character flag summary, `·······A·R··`.
fn flags_str(flags: u16) -> String {
    const LETTERS: &[u8; 12] = b"RRRACEUAPRSF";
    (0..12).map(|i| if flags & (1 << (11 - i)) != 0 { LETTERS[i] as char } else { '\u{b7}' }).collect()
}

/// The analysis record: computed on the first pass, read back on re-dissection; with the
/// times of the earlier frames it refers to.
fn analysis_record(ctx: &mut Ctx, l: &Layer, h: &Header, seglen: Option<u32>) -> (TcpFrameInfo, TcpTimes) {
    let ordinal = ctx.tcp_layers;
    ctx.tcp_layers += 1;
    if ctx.scope.skip_tcp_flows {
        return (TcpFrameInfo::unknown(), TcpTimes::default());
    }
    if ctx.revisit {
        let info = ctx.state.tcp.stored(ctx.meta.number, ordinal).unwrap_or_else(TcpFrameInfo::unknown);
        let ts = |frame: u32| ctx.state.ts_of(frame).unwrap_or(ctx.meta.ts_ns);
        let ta = info.ta.unwrap_or_default();
        let times = TcpTimes { prev: ts(info.prev_frame), refs: RefTimes { acked: ts(ta.frame_acked), rto: ts(ta.rto_frame) } };
        return (info, times);
    }
    let (src, dst) = match (ctx.net_src, ctx.net_dst) {
        (Some(src), Some(dst)) => (src, dst),
        _ => return (TcpFrameInfo::unknown(), TcpTimes::default()),
    };
    let mut segment = Segment {
        frame: ctx.meta.number,
        ts: ctx.meta.ts_ns,
        src,
        dst,
        sport: h.sport,
        dport: h.dport,
        seq: h.seq,
        ack: h.ack,
        flags: h.flags,
        window: h.window,
        seglen,
        bogus_header: h.hlen < MIN_HEADER_LEN,
        ws_shift: None,
        sack: [(0, 0); 3],
        sack_count: 0,
    };
    if ctx.scope.tcp_streams_only {
        return (ctx.state.tcp.stream_only(&segment), TcpTimes::default());
    }
    let opts = tcp_opt::scan(l, h.hlen);
    segment.ws_shift = opts.ws_shift;
    segment.sack = opts.sack;
    segment.sack_count = opts.sack_count;
    let info = ctx.state.tcp.analyze(&segment);
    (info, ctx.state.tcp.last_times())
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    // Like Wireshark, the ports reach the Info column and the tree before the rest of the
    // header is read.
    layer.need(field_at::SEQ)?;
    let (sport, dport) = (layer.u16(field_at::SRC_PORT), layer.u16(field_at::DST_PORT));
    ctx.cols.set_protocol("TCP");
    ctx.cols.info.clear();
    let cols = !ctx.cols.off;
    if cols {
        let info = &mut ctx.cols.info;
        push_uint(info, sport as u64);
        info.push_str(" \u{2192} ");
        push_uint(info, dport as u64);
    }
    let top = ctx.add_protocol(parent, &TCP, &layer);
    // A header an ICMP error quotes: its length says nothing about the segment (Wireshark's
    // in_error_pkt), and an IPv4 quote shows the raw sequence number up front because routers
    // often quote only 8 bytes.
    let quoted = quoted::in_error(ctx);
    if ctx.tree.wants_protocol(&["tcp"]) {
        crate::set_label!(ctx.tree, top, "Transmission Control Protocol, Src Port: {}, Dst Port: {}", sport, dport);
        ctx.add_uint(top, &SRCPORT, &layer, field_at::SRC_PORT, 2, sport as u64);
        ctx.add_uint(top, &DSTPORT, &layer, field_at::DST_PORT, 2, dport as u64);
        for at in [field_at::SRC_PORT, field_at::DST_PORT] {
            let p = ctx.add_uint(top, &PORT, &layer, at, 2, layer.u16(at) as u64);
            ctx.tree.set_hidden(p);
        }
    }
    let early_seq = quoted && !ctx.net_src.map_or(false, |a| a.v6);
    if early_seq {
        layer.need(field_at::ACK)?;
        ctx.add_uint(top, &SEQ, &layer, field_at::SEQ, 4, layer.u32(field_at::SEQ) as u64);
    }
    layer.need(MIN_HEADER_LEN)?;
    let h = Header::read(&layer);
    let seglen = (layer.reported >= h.hlen && !quoted).then(|| (layer.reported - h.hlen) as u32);
    let (info, times) = analysis_record(ctx, &layer, &h, seglen);
    let n = Numbers::new(&h, &info, seglen);

    if cols {
        let info_col = &mut ctx.cols.info;
        info_col.push_str(" [");
        write_flag_names(info_col, h.flags);
        info_col.push_str("] Seq=");
        push_uint(info_col, n.rel_seq as u64);
        if h.flags & FLAG_ACK != 0 {
            info_col.push_str(" Ack=");
            push_uint(info_col, n.rel_ack as u64);
        }
        info_col.push_str(" Win=");
        push_uint(info_col, n.window as u64);
    }
    if ctx.tree.wants_protocol(&["tcp"]) {
        crate::append_label!(ctx.tree, top, ", Seq: {}", n.rel_seq);
    }
    if ctx.tree.wants_prefixes(&["tcp.stream", "tcp.completeness", "tcp.len", "tcp.seq", "tcp.nxtseq", "tcp.ack"]) {
        add_head_fields(ctx, top, &layer, &h, &info, &n, early_seq);
    }
    if h.hlen < MIN_HEADER_LEN {
        // Wireshark reports this in Info and stops, without an exception.
        let _ = write!(ctx.cols.info, ", bogus TCP header length ({}, must be at least {})", h.hlen, MIN_HEADER_LEN);
        return Ok(layer.reported);
    }
    if info.frame != 0 {
        let (src, dst) = (NetAddr::default(), NetAddr::default());
        let (seq, ack, seglen) = (n.rel_seq, n.rel_ack, n.seglen.unwrap_or(0));
        let t = TcpTap { src, dst, sport, dport, stream: info.stream, seq, ack, seq_raw: h.seq, ack_raw: h.ack, flags: h.flags, seglen, payload: &[], node: NO_NODE };
        ctx.tap(Tap::Tcp(t));
    }
    if h.flags & FLAG_URG != 0 && cols {
        let _ = write!(ctx.cols.info, " Urg={}", h.urgent);
    }
    if let (Some(len), true) = (seglen, cols) {
        ctx.cols.info.push_str(" Len=");
        push_uint(&mut ctx.cols.info, len as u64);
    }
    if ctx.tree.wants_protocol(&["tcp"]) {
        if ctx.tree.wants_label(top) {
            let mut label = String::new();
            if h.flags & FLAG_ACK != 0 {
                let _ = write!(label, ", Ack: {}", n.rel_ack);
            }
            if let Some(len) = seglen {
                let _ = write!(label, ", Len: {}", len);
            }
            ctx.tree.append_text(top, &label);
        }
        ctx.tree.set_len(top, h.hlen);
        add_header_fields(ctx, top, &layer, &h, &info, &n);
    }
    layer.need(h.hlen)?;
    // The options, timestamps and analysis are most of a segment's items: a filter that
    // reads none of them (`tcp.flags.reset == 1`) skips them.
    if !ctx.cols.off || ctx.tree.wants_prefixes(&["tcp.option"]) {
        tcp_opt::dissect(ctx, top, &layer, h.hlen, info.base_ack);
    }
    if ctx.tree.wants_prefixes(&["tcp.time"]) {
        add_timestamps(ctx, top, &info, &times);
    }
    if ctx.tree.wants_prefixes(&["tcp.analysis", "tcp.connection"]) {
        tcp_analysis::add_tree(ctx, top, &info, &times);
    }
    let mut prefixes = String::new();
    if let (Some(ta), true) = (&info.ta, cols) {
        tcp_analysis::write_prefixes(&mut prefixes, ta);
    }
    let result = dissect_payload(ctx, top, &layer, &h, &info, &n);
    // Wireshark fences these prefixes in before the payload's dissector may rewrite Info.
    if !prefixes.is_empty() {
        ctx.cols.info.insert_str(0, &prefixes);
    }
    result.map(|_| layer.reported)
}

fn dissect_payload(ctx: &mut Ctx, top: u32, layer: &Layer, h: &Header, info: &TcpFrameInfo, n: &Numbers) -> DResult<()> {
    let seglen = n.seglen.unwrap_or(0) as usize;
    let payload = layer.sub(h.hlen, "tcp payload");
    let seg = SegmentRef { top, payload, info: *info, seq: n.rel_seq, sport: h.sport, dport: h.dport };
    ctx.tcp_stream = (info.frame != 0).then(|| info.stream);
    ctx.tcp_ports = (h.sport, h.dport);
    ctx.tcp_tree = top;
    // Only a segment captured whole can join a reassembly.
    ctx.can_desegment = payload.len == payload.reported;
    if !ctx.scope.transport_only && n.seglen.is_some() && h.flags & FLAG_FIN != 0 && tcp_reasm::fin_ends_stream(ctx, &seg)? {
        return Ok(());
    }
    if seglen == 0 {
        return Ok(());
    }
    if h.flags & FLAG_RST != 0 {
        // RFC 1122 lets an RST carry text explaining it; Wireshark shows it as such.
        let text = crate::text::escaped(payload.bytes());
        let r = ctx.add(top, &tcp_reasm::RESET_CAUSE, layer, h.hlen, payload.len, Value::Str(text.clone()));
        crate::set_label!(ctx.tree, r, "Reset cause: {}", text);
        return Ok(());
    }
    if ctx.tree.wants_protocol(&["tcp"]) {
        let p = ctx.add(top, &PAYLOAD, layer, h.hlen, payload.len, Value::Bytes);
        crate::set_label!(ctx.tree, p, "TCP payload ({} byte{})", seglen, if seglen == 1 { "" } else { "s" });
    }
    if ctx.scope.transport_only {
        return Ok(());
    }
    tcp_reasm::dissect_payload(ctx, &seg)
}

/// The items before the header length: ports, stream, completeness, length, sequence number.
fn add_head_fields(ctx: &mut Ctx, top: u32, l: &Layer, h: &Header, info: &TcpFrameInfo, n: &Numbers, seq_shown: bool) {
    if info.frame != 0 {
        ctx.tree.add_generated(top, &STREAM, Value::Uint(info.stream as u64));
        let completeness = ctx.state.tcp.shown_completeness(info);
        let c = ctx.tree.add_generated(top, &COMPLETENESS, Value::Uint(completeness as u64));
        crate::set_label!(ctx.tree, c, "[Conversation completeness: {} ({})]", completeness_label(completeness), completeness);
    }
    if let Some(len) = n.seglen {
        ctx.tree.add_generated(top, &LEN, Value::Uint(len as u64));
    }
    if seq_shown {
        return;
    }
    let s = ctx.add_uint(top, &SEQ, l, field_at::SEQ, 4, n.rel_seq as u64);
    ctx.tree.append_text(s, "    (relative sequence number)");
    ctx.add_uint(top, &SEQ_RAW, l, field_at::SEQ, 4, h.seq as u64);
}

fn add_header_fields(ctx: &mut Ctx, top: u32, l: &Layer, h: &Header, info: &TcpFrameInfo, n: &Numbers) {
    let t = &mut *ctx;
    if let Some(len) = n.seglen {
        let syn_fin = (h.flags & (FLAG_SYN | FLAG_FIN) != 0) as u32;
        let v = n.rel_seq.wrapping_add(len).wrapping_add(syn_fin);
        let x = t.tree.add_generated(top, &NXTSEQ, Value::Uint(v as u64));
        crate::set_label!(t.tree, x, "[Next Sequence Number: {}    (relative sequence number)]", v);
    }
    let a = t.add_uint(top, &ACK, l, field_at::ACK, 4, n.rel_ack as u64);
    if h.flags & FLAG_ACK != 0 {
        t.tree.append_text(a, "    (relative ack number)");
    }
    t.add_uint(top, &ACK_RAW, l, field_at::ACK, 4, h.ack as u64);
    let hl = t.add_uint(top, &HDR_LEN, l, field_at::HLEN_FLAGS, 1, h.hlen as u64);
    crate::set_label!(t.tree, hl, "{:04b} .... = Header Length: {} bytes ({})", h.hlen / 4, h.hlen, h.hlen / 4);
    let f = t.add_uint(top, &FLAGS, l, field_at::HLEN_FLAGS, 2, h.flags as u64);
    crate::set_label!(t.tree, f, "Flags: 0x{:03x} ({})", h.flags, flag_names(h.flags));
    let bits: [(&'static FieldDef, u16); 10] = [
        (&FLAGS_RES, 0xe00),
        (&FLAGS_AE, 0x100),
        (&FLAGS_CWR, 0x080),
        (&FLAGS_ECE, 0x040),
        (&FLAGS_URG, 0x020),
        (&FLAGS_ACK, 0x010),
        (&FLAGS_PUSH, 0x008),
        (&FLAGS_RESET, 0x004),
        (&FLAGS_SYN, 0x002),
        (&FLAGS_FIN, 0x001),
    ];
    let mut nodes = [NO_NODE; 10];
    // Ten items nobody reads when no flag is of interest (`-Y tcp.port==8080`).
    let flag_bits = if t.tree.wants_prefixes(&["tcp.flags."]) { &bits[..] } else { &[] };
    for (i, (fd, mask)) in flag_bits.iter().enumerate() {
        let b = t.add(f, fd, l, field_at::HLEN_FLAGS, 2, Value::Bool(h.flags & mask != 0));
        let state = if h.flags & mask != 0 { "Set" } else { "Not set" };
        crate::set_label!(t.tree, b, "{} = {}: {}", bit_string(12, *mask as u64, h.flags as u64), fd.name, state);
        nodes[i] = b;
    }
    let fs = if t.tree.wants(&FLAGS_STR) { t.tree.add_generated(f, &FLAGS_STR, Value::Str(flags_str(h.flags))) } else { NO_NODE };
    crate::set_label!(t.tree, fs, "[TCP Flags: {}]", flags_str(h.flags));
    if info.frame != 0 {
        tcp_analysis::add_connection_experts(t, [nodes[8], nodes[9], nodes[7], fs], h.flags, h.sport, h.dport, info.fin_passive);
    }
    t.add_uint(top, &WINDOW_SIZE_VALUE, l, field_at::WINDOW, 2, h.window as u64);
    t.tree.add_generated(top, &WINDOW_SIZE, Value::Uint(n.window as u64));
    if h.flags & FLAG_SYN == 0 && info.frame != 0 {
        let (factor, note) = match info.win_scale {
            SCALE_UNKNOWN => (-1, " (unknown)"),
            SCALE_NONE => (-2, " (no window scaling used)"),
            s => (1i64 << s, ""),
        };
        let x = t.tree.add_generated(top, &WINDOW_SCALEFACTOR, Value::Int(factor));
        crate::set_label!(t.tree, x, "[Window size scaling factor: {}{}]", factor, note);
    }
    let c = t.add_uint(top, &CHECKSUM, l, field_at::CHECKSUM, 2, l.u16(field_at::CHECKSUM) as u64);
    crate::append_label!(t.tree, c, " [unverified]");
    let cs = t.tree.add_generated(top, &CHECKSUM_STATUS, Value::Uint(2));
    crate::set_label!(t.tree, cs, "[Checksum Status: Unverified]");
    t.add_uint(top, &URGENT_POINTER, l, field_at::URGENT, 2, h.urgent as u64);
}

fn add_timestamps(ctx: &mut Ctx, top: u32, info: &TcpFrameInfo, times: &TcpTimes) {
    if info.frame == 0 {
        return;
    }
    let now = ctx.meta.ts_ns;
    let first = ctx.state.tcp.stream_first_ts(info.stream).unwrap_or(now);
    let prev = if info.prev_frame == 0 { now } else { times.prev };
    let t = ctx.tree.add_generated(top, &crate::proto::frame::TEXT, Value::None);
    crate::set_label!(ctx.tree, t, "[Timestamps]");
    ctx.tree.add_generated(t, &TIME_RELATIVE, Value::Time(now - first));
    ctx.tree.add_generated(t, &TIME_DELTA, Value::Time(now - prev));
}

#[cfg(test)]
pub mod tests {
    use crate::session::tests::summary_of;

    /// A loopback SYN as Linux sends it: MSS, SACK_PERM, timestamps, NOP, WS.
    pub const SYN: [u8; 74] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00, // eth
        0x45, 0, 0, 0x3c, 0x12, 0x34, 0x40, 0, 0x40, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1, // ip
        0xc3, 0x50, 0x1f, 0x90, 0xf8, 0xdc, 0x6c, 0x27, 0, 0, 0, 0, 0xa0, 0x02, 0xff, 0xd7, 0, 0, 0, 0, // tcp
        2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
    ];

    #[test]
    fn syn_info_matches_wireshark() {
        let (cols, protos) = summary_of(1, &SYN);
        assert_eq!(cols.protocol, "TCP");
        assert_eq!(cols.info, "50000 \u{2192} 8080 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1 TSecr=0 WS=128");
        assert_eq!(protos, "eth:ethertype:ip:tcp");
    }

    #[test]
    fn truncated_options_are_reported_not_panicked() {
        let (cols, _) = summary_of(1, &SYN[..60]);
        assert!(cols.info.contains("[Malformed Packet]") || cols.info.contains("limited"), "{}", cols.info);
    }

    #[test]
    fn bogus_header_length_is_reported_in_info() {
        let mut f = SYN;
        f[46] = 0x20; // data offset 2 words
        let (cols, _) = summary_of(1, &f);
        assert_eq!(cols.info, "50000 \u{2192} 8080 [SYN] Seq=0 Win=65495, bogus TCP header length (8, must be at least 20)");
    }

    #[test]
    fn a_header_cut_by_the_ip_length_is_malformed_after_the_ports() {
        let mut f = SYN;
        f[16..18].copy_from_slice(&30u16.to_be_bytes()); // IP total length leaves 10 TCP bytes
        let (cols, _) = summary_of(1, &f);
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("TCP", "50000 \u{2192} 8080[Malformed Packet]"));
    }

    /// Ethernet/IPv4 frame around `l4` with protocol `proto`, from `src` to `dst`.
    fn ipv4(proto: u8, src: [u8; 4], dst: [u8; 4], l4: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
        f.extend_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 1, 0, 0, 64, proto, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(l4);
        f
    }

    fn tcp_segment(seq: u32, ack: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
        let mut t = vec![0x9c, 0x40, 0, 80];
        t.extend_from_slice(&seq.to_be_bytes());
        t.extend_from_slice(&ack.to_be_bytes());
        t.extend_from_slice(&[0x50, flags, 0x03, 0xe8, 0, 0, 0, 0]);
        t.extend_from_slice(payload);
        t
    }

    #[test]
    fn a_tcp_header_quoted_by_an_icmp_error_is_not_a_segment() {
        use crate::packet::FrameMeta;
        use crate::session::Session;
        let (client, server) = ([10, 0, 0, 1], [10, 0, 0, 2]);
        let req = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        let data = ipv4(6, client, server, &tcp_segment(5000, 1000, 0x18, req));
        let quoted = ipv4(6, client, server, &tcp_segment(5000, 1000, 0x18, b"hello"));
        let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
        icmp.extend_from_slice(&quoted[14..14 + 28]); // IP header and 8 bytes of TCP, as routers quote
        let error = ipv4(1, server, client, &icmp);
        let ack = ipv4(6, client, server, &tcp_segment(5000 + req.len() as u32, 1000, 0x10, b""));
        let mut s = Session::new();
        let mut infos = Vec::new();
        for (i, f) in [data, error, ack].iter().enumerate() {
            let meta = FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_ns: i as i64 * 1_000_000_000, ts_digits: 6, ..Default::default() };
            s.ingest(meta, f, true);
            infos.push(s.columns().info.clone());
            if i == 1 {
                let labels: Vec<String> = (0..s.tree().nodes.len() as u32).map(|n| s.tree().label(n)).collect();
                // tshark 4.0.17: the ports and the raw sequence number, and nothing after them.
                let tcp = labels.iter().position(|l| l.starts_with("Transmission Control Protocol")).expect("quoted TCP");
                assert_eq!(labels[tcp], "Transmission Control Protocol, Src Port: 40000, Dst Port: 80");
                assert_eq!(labels[tcp + 5], "Sequence Number: 5000");
                assert!(!labels[tcp..].iter().any(|l| l.starts_with("Acknowledgment") || l.starts_with("[Stream")));
                assert_eq!(s.protocols(), "eth:ethertype:ip:icmp:ip:tcp");
            }
        }
        // The quote did not disturb the connection's analysis (tshark shows the same line).
        assert_eq!(infos[2], "[TCP Dup ACK 1#1] 40000 \u{2192} 80 [ACK] Seq=28 Ack=1 Win=1000 Len=0");
    }
}
