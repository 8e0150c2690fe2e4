//! `tcp`: TCP (RFC 9293) header, flags, options, and the hand-off of its payload by port.
//! Cross-segment state lives in `analysis::tcp`; this file only reads its results.

use crate::analysis::tcp::{Segment, TcpFrameInfo, FLAG_ACK, FLAG_SYN, SCALE_NONE, SCALE_UNKNOWN};
use crate::dispatch::{self, Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::tree::{bit_string, Value};
use std::fmt::Write;

mod field {
    pub const SRC_PORT: usize = 0;
    pub const DST_PORT: usize = 2;
    pub const SEQ: usize = 4;
    pub const ACK: usize = 8;
    pub const HLEN_FLAGS: usize = 12;
    pub const WINDOW: usize = 14;
    pub const CHECKSUM: usize = 16;
    pub const URGENT: usize = 18;
    pub const OPTIONS: usize = 20;
}
const MIN_HEADER_LEN: usize = 20;

/// Flag names in bit order from FIN up, as Wireshark lists them in `[SYN, ACK]`.
const FLAG_NAMES: [&str; 9] = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"];

pub static TCP: FieldDef = FieldDef::protocol("Transmission Control Protocol", "tcp");
pub static SRCPORT: FieldDef = FieldDef::new("Source Port", "tcp.srcport", FieldType::Uint16);
pub static DSTPORT: FieldDef = FieldDef::new("Destination Port", "tcp.dstport", FieldType::Uint16);
pub static PORT: FieldDef = FieldDef::new("Source or Destination Port", "tcp.port", FieldType::Uint16);
pub static STREAM: FieldDef = FieldDef::new("Stream index", "tcp.stream", FieldType::Uint32);
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
pub static OPTIONS: FieldDef = FieldDef::new("TCP Options", "tcp.options", FieldType::Bytes);
pub static OPTION_KIND: FieldDef = FieldDef::new("Kind", "tcp.option_kind", FieldType::Uint8).strings(OPTION_KINDS);
pub static OPTION_LEN: FieldDef = FieldDef::new("Length", "tcp.option_len", FieldType::Uint8);
pub static OPT_NOP: FieldDef = FieldDef::new("TCP Option - No-Operation (NOP)", "tcp.options.nop", FieldType::Bytes);
pub static OPT_EOL: FieldDef = FieldDef::new("TCP Option - End of Option List (EOL)", "tcp.options.eol", FieldType::Bytes);
pub static OPT_MSS: FieldDef = FieldDef::new("TCP Option - Maximum segment size", "tcp.options.mss", FieldType::None);
pub static OPT_MSS_VAL: FieldDef = FieldDef::new("MSS Value", "tcp.options.mss_val", FieldType::Uint16);
pub static OPT_WSCALE: FieldDef = FieldDef::new("TCP Option - Window scale", "tcp.options.wscale", FieldType::None);
pub static OPT_WSCALE_SHIFT: FieldDef = FieldDef::new("Shift count", "tcp.options.wscale.shift", FieldType::Uint8);
pub static OPT_WSCALE_MULT: FieldDef = FieldDef::new("Multiplier", "tcp.options.wscale.multiplier", FieldType::Uint16);
pub static OPT_SACK_PERM: FieldDef = FieldDef::new("TCP Option - SACK permitted", "tcp.options.sack_perm", FieldType::None);
pub static OPT_SACK: FieldDef = FieldDef::new("TCP Option - SACK", "tcp.options.sack", FieldType::None);
pub static OPT_SACK_LE: FieldDef = FieldDef::new("left edge", "tcp.options.sack_le", FieldType::Uint32);
pub static OPT_SACK_RE: FieldDef = FieldDef::new("right edge", "tcp.options.sack_re", FieldType::Uint32);
pub static OPT_TIMESTAMP: FieldDef = FieldDef::new("TCP Option - Timestamps", "tcp.options.timestamp", FieldType::None);
pub static OPT_TSVAL: FieldDef = FieldDef::new("Timestamp value", "tcp.options.timestamp.tsval", FieldType::Uint32);
pub static OPT_TSECR: FieldDef = FieldDef::new("Timestamp echo reply", "tcp.options.timestamp.tsecr", FieldType::Uint32);
pub static OPT_TFO: FieldDef = FieldDef::new("TCP Option - TCP Fast Open", "tcp.options.tfo", FieldType::None);
pub static OPT_UNKNOWN: FieldDef = FieldDef::new("TCP Option - Unknown", "tcp.options.unknown", FieldType::Bytes);
pub static TIME_RELATIVE: FieldDef =
    FieldDef::new("Time since first frame in this TCP stream", "tcp.time_relative", FieldType::RelTime);
pub static TIME_DELTA: FieldDef =
    FieldDef::new("Time since previous frame in this TCP stream", "tcp.time_delta", FieldType::RelTime);
pub static PAYLOAD: FieldDef = FieldDef::new("TCP payload", "tcp.payload", FieldType::Bytes);

static OPTION_KINDS: &[(u64, &str)] = &[
    (0, "End of Option List"),
    (1, "No-Operation"),
    (2, "Maximum Segment Size"),
    (3, "Window Scale"),
    (4, "SACK Permitted"),
    (5, "SACK"),
    (8, "Time Stamp Option"),
    (34, "TCP Fast Open Cookie"),
];

pub static FIELDS: &[&FieldDef] = &[
    &TCP, &SRCPORT, &DSTPORT, &PORT, &STREAM, &LEN, &SEQ, &SEQ_RAW, &NXTSEQ, &ACK, &ACK_RAW, &HDR_LEN, &FLAGS, &FLAGS_RES,
    &FLAGS_AE, &FLAGS_CWR, &FLAGS_ECE, &FLAGS_URG, &FLAGS_ACK, &FLAGS_PUSH, &FLAGS_RESET, &FLAGS_SYN, &FLAGS_FIN,
    &FLAGS_STR, &WINDOW_SIZE_VALUE, &WINDOW_SIZE, &WINDOW_SCALEFACTOR, &CHECKSUM, &CHECKSUM_STATUS, &URGENT_POINTER,
    &OPTIONS, &OPTION_KIND, &OPTION_LEN, &OPT_NOP, &OPT_EOL, &OPT_MSS, &OPT_MSS_VAL, &OPT_WSCALE, &OPT_WSCALE_SHIFT,
    &OPT_WSCALE_MULT, &OPT_SACK_PERM, &OPT_SACK, &OPT_SACK_LE, &OPT_SACK_RE, &OPT_TIMESTAMP, &OPT_TSVAL, &OPT_TSECR,
    &OPT_TFO, &OPT_UNKNOWN, &TIME_RELATIVE, &TIME_DELTA, &PAYLOAD,
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
        let hf = l.u16(field::HLEN_FLAGS);
        Header {
            sport: l.u16(field::SRC_PORT),
            dport: l.u16(field::DST_PORT),
            seq: l.u32(field::SEQ),
            ack: l.u32(field::ACK),
            hlen: ((hf >> 12) as usize) * 4,
            flags: hf & 0x0fff,
            window: l.u16(field::WINDOW),
            urgent: l.u16(field::URGENT),
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

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    // Like Wireshark, the ports reach the Info column before the rest of the header is read.
    layer.need(field::SEQ)?;
    ctx.cols.set_protocol("TCP");
    ctx.cols.info.clear();
    let _ = write!(ctx.cols.info, "{} \u{2192} {}", layer.u16(field::SRC_PORT), layer.u16(field::DST_PORT));
    layer.need(MIN_HEADER_LEN)?;
    let h = Header::read(&layer);
    let seglen = layer.reported.saturating_sub(h.hlen);
    let ws_shift = find_ws_shift(&layer, h.hlen);
    let ordinal = ctx.tcp_layers;
    ctx.tcp_layers += 1;
    let info = if ctx.revisit {
        ctx.state.tcp.stored(ctx.meta.number, ordinal)
    } else {
        match (ctx.net_src, ctx.net_dst) {
            (Some(src), Some(dst)) => Some(ctx.state.tcp.analyze(&Segment {
                frame: ctx.meta.number,
                ts: ctx.meta.ts_ns,
                src,
                dst,
                sport: h.sport,
                dport: h.dport,
                seq: h.seq,
                ack: h.ack,
                flags: h.flags,
                ws_shift,
            })),
            _ => None,
        }
    };
    let info = info.unwrap_or(TcpFrameInfo { frame: 0, stream: 0, base_seq: 0, base_ack: 0, prev_frame: 0, win_scale: SCALE_UNKNOWN });
    let rel_seq = h.seq.wrapping_sub(info.base_seq);
    let rel_ack = if h.flags & FLAG_ACK != 0 { h.ack.wrapping_sub(info.base_ack) } else { 0 };
    let window = match info.win_scale {
        s if s >= 0 && h.flags & FLAG_SYN == 0 => (h.window as u32) << s,
        _ => h.window as u32,
    };

    let info_col = &mut ctx.cols.info;
    info_col.push_str(" [");
    write_flag_names(info_col, h.flags);
    let _ = write!(info_col, "] Seq={}", rel_seq);
    if h.flags & FLAG_ACK != 0 {
        let _ = write!(info_col, " Ack={}", rel_ack);
    }
    let _ = write!(info_col, " Win={}", window);
    if h.hlen < MIN_HEADER_LEN {
        // Wireshark reports this in Info and stops, without an exception.
        let _ = write!(info_col, ", bogus TCP header length ({}, must be at least {})", h.hlen, MIN_HEADER_LEN);
        ctx.add_protocol(parent, &TCP, &layer);
        return Ok(layer.reported);
    }
    if h.flags & 0x020 != 0 {
        let _ = write!(info_col, " Urg={}", h.urgent);
    }
    let _ = write!(info_col, " Len={}", seglen);

    let top = ctx.add_protocol(parent, &TCP, &layer);
    if ctx.tree.enabled() {
        let mut label = format!("Transmission Control Protocol, Src Port: {}, Dst Port: {}, Seq: {}", h.sport, h.dport, rel_seq);
        if h.flags & FLAG_ACK != 0 {
            let _ = write!(label, ", Ack: {}", rel_ack);
        }
        let _ = write!(label, ", Len: {}", seglen);
        ctx.tree.set_label(top, label);
        add_header_fields(ctx, top, &layer, &h, &info, seglen, window);
    }
    layer.need(h.hlen)?;
    dissect_options(ctx, top, &layer, h.hlen, info.base_ack);
    if ctx.tree.enabled() {
        add_timestamps(ctx, top, &info);
    }
    if seglen == 0 {
        return Ok(layer.reported);
    }
    let payload = layer.sub(h.hlen, "tcp payload");
    if ctx.tree.enabled() {
        let p = ctx.add(top, &PAYLOAD, &layer, h.hlen, payload.len, Value::Bytes);
        ctx.tree.set_label(p, format!("TCP payload ({} byte{})", seglen, if seglen == 1 { "" } else { "s" }));
    }
    ctx.tcp_stream = Some(info.stream);
    let result = dispatch::call_ports(ctx, Table::TcpPort, Table::TcpHeuristic, h.sport, h.dport, payload);
    result.map(|_| layer.reported)
}

fn add_header_fields(ctx: &mut Ctx, top: u32, l: &Layer, h: &Header, info: &TcpFrameInfo, seglen: usize, window: u32) {
    let t = &mut *ctx;
    t.add_uint(top, &SRCPORT, l, field::SRC_PORT, 2, h.sport as u64);
    t.add_uint(top, &DSTPORT, l, field::DST_PORT, 2, h.dport as u64);
    let p = t.add_uint(top, &PORT, l, field::SRC_PORT, 2, h.sport as u64);
    t.tree.set_hidden(p);
    let p = t.add_uint(top, &PORT, l, field::DST_PORT, 2, h.dport as u64);
    t.tree.set_hidden(p);
    t.tree.add_generated(top, &STREAM, Value::Uint(info.stream as u64));
    t.tree.add_generated(top, &LEN, Value::Uint(seglen as u64));
    let rel_seq = h.seq.wrapping_sub(info.base_seq);
    let s = t.add_uint(top, &SEQ, l, field::SEQ, 4, rel_seq as u64);
    t.tree.append_text(s, "    (relative sequence number)");
    t.add_uint(top, &SEQ_RAW, l, field::SEQ, 4, h.seq as u64);
    let syn_fin = (h.flags & 0x003 != 0) as u32;
    if seglen > 0 || syn_fin != 0 {
        let n = t.tree.add_generated(top, &NXTSEQ, Value::Uint(rel_seq.wrapping_add(seglen as u32).wrapping_add(syn_fin) as u64));
        let v = rel_seq.wrapping_add(seglen as u32).wrapping_add(syn_fin);
        t.tree.set_label(n, format!("[Next Sequence Number: {}    (relative sequence number)]", v));
    }
    let rel_ack = if h.flags & FLAG_ACK != 0 { h.ack.wrapping_sub(info.base_ack) } else { 0 };
    let a = t.add_uint(top, &ACK, l, field::ACK, 4, rel_ack as u64);
    if h.flags & FLAG_ACK != 0 {
        t.tree.append_text(a, "    (relative ack number)");
    }
    t.add_uint(top, &ACK_RAW, l, field::ACK, 4, h.ack as u64);
    let hl = t.add_uint(top, &HDR_LEN, l, field::HLEN_FLAGS, 1, h.hlen as u64);
    t.tree.set_label(hl, format!("{:04b} .... = Header Length: {} bytes ({})", h.hlen / 4, h.hlen, h.hlen / 4));
    let f = t.add_uint(top, &FLAGS, l, field::HLEN_FLAGS, 2, h.flags as u64);
    t.tree.set_label(f, format!("Flags: 0x{:03x} ({})", h.flags, flag_names(h.flags)));
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
    for (fd, mask) in bits {
        let n = t.add(f, fd, l, field::HLEN_FLAGS, 2, Value::Bool(h.flags & mask != 0));
        let state = if h.flags & mask != 0 { "Set" } else { "Not set" };
        t.tree.set_label(n, format!("{} = {}: {}", bit_string(12, mask as u64, h.flags as u64), fd.name, state));
    }
    let fs = t.tree.add_generated(f, &FLAGS_STR, Value::Str(flags_str(h.flags)));
    t.tree.set_label(fs, format!("[TCP Flags: {}]", flags_str(h.flags)));
    t.add_uint(top, &WINDOW_SIZE_VALUE, l, field::WINDOW, 2, h.window as u64);
    t.tree.add_generated(top, &WINDOW_SIZE, Value::Uint(window as u64));
    if h.flags & FLAG_SYN == 0 {
        let sf = match info.win_scale {
            SCALE_UNKNOWN => (-1, "-1 (unknown)".to_string()),
            SCALE_NONE => (-2, "-2 (no window scaling used)".to_string()),
            s => (1i64 << s, format!("{}", 1i64 << s)),
        };
        let n = t.tree.add_generated(top, &WINDOW_SCALEFACTOR, Value::Int(sf.0));
        t.tree.set_label(n, format!("[Window size scaling factor: {}]", sf.1));
    }
    let c = t.add_uint(top, &CHECKSUM, l, field::CHECKSUM, 2, l.u16(field::CHECKSUM) as u64);
    t.tree.append_text(c, " [unverified]");
    let cs = t.tree.add_generated(top, &CHECKSUM_STATUS, Value::Uint(2));
    t.tree.set_label(cs, "[Checksum Status: Unverified]".to_string());
    t.add_uint(top, &URGENT_POINTER, l, field::URGENT, 2, h.urgent as u64);
}

fn add_timestamps(ctx: &mut Ctx, top: u32, info: &TcpFrameInfo) {
    let first = ctx.state.tcp.stream_first_ts(info.stream).unwrap_or(ctx.meta.ts_ns);
    let prev = if info.prev_frame == 0 { ctx.meta.ts_ns } else { ctx.state.ts_of(info.prev_frame).unwrap_or(ctx.meta.ts_ns) };
    ctx.tree.add_generated(top, &TIME_RELATIVE, Value::Time(ctx.meta.ts_ns - first));
    ctx.tree.add_generated(top, &TIME_DELTA, Value::Time(ctx.meta.ts_ns - prev));
}

/// The window-scale shift, if the options carry one (needed before the analysis runs).
fn find_ws_shift(l: &Layer, hlen: usize) -> Option<u8> {
    let end = hlen.min(l.len);
    let mut at = field::OPTIONS;
    while at < end {
        match l.u8(at) {
            0 => return None,
            1 => at += 1,
            kind => {
                let len = l.u8(at + 1) as usize;
                if len < 2 || at + len > end {
                    return None;
                }
                if kind == 3 && len == 3 {
                    return Some(l.u8(at + 2));
                }
                at += len;
            }
        }
    }
    None
}

/// Options in wire order: tree items, and the Info tokens (`MSS=`, `WS=`, `SACK_PERM`, ...).
fn dissect_options(ctx: &mut Ctx, top: u32, l: &Layer, hlen: usize, peer_base: u32) {
    if hlen <= MIN_HEADER_LEN {
        return;
    }
    let opts = ctx.add(top, &OPTIONS, l, field::OPTIONS, hlen - MIN_HEADER_LEN, Value::Bytes);
    let tree = ctx.tree.enabled();
    let mut names = String::new();
    let mut at = field::OPTIONS;
    while at < hlen {
        let kind = l.u8(at);
        let len = match kind {
            0 | 1 => 1,
            _ => l.u8(at + 1) as usize,
        };
        if kind > 1 && (len < 2 || at + len > hlen) {
            // A bogus option length ends option parsing, as in Wireshark.
            break;
        }
        let (item, name) = match kind {
            0 => (&OPT_EOL, "End of Option List (EOL)"),
            1 => (&OPT_NOP, "No-Operation (NOP)"),
            2 => (&OPT_MSS, "Maximum segment size"),
            3 => (&OPT_WSCALE, "Window scale"),
            4 => (&OPT_SACK_PERM, "SACK permitted"),
            5 => (&OPT_SACK, "SACK"),
            8 => (&OPT_TIMESTAMP, "Timestamps"),
            34 => (&OPT_TFO, "TCP Fast Open"),
            _ => (&OPT_UNKNOWN, "Unknown"),
        };
        if tree {
            if !names.is_empty() {
                names.push_str(", ");
            }
            names.push_str(name);
        }
        let o = ctx.add(opts, item, l, at, len, if item.ftype == FieldType::Bytes { Value::Bytes } else { Value::None });
        ctx.add_uint(o, &OPTION_KIND, l, at, 1, kind as u64);
        if kind > 1 {
            ctx.add_uint(o, &OPTION_LEN, l, at + 1, 1, len as u64);
        }
        match (kind, len) {
            (2, 4) => {
                let mss = l.u16(at + 2);
                let _ = write!(ctx.cols.info, " MSS={}", mss);
                ctx.add_uint(o, &OPT_MSS_VAL, l, at + 2, 2, mss as u64);
                ctx.tree.append_text(o, &format!(": {} bytes", mss));
            }
            (3, 3) => {
                let shift = l.u8(at + 2);
                let mult = 1u32 << shift.min(14);
                let _ = write!(ctx.cols.info, " WS={}", mult);
                ctx.add_uint(o, &OPT_WSCALE_SHIFT, l, at + 2, 1, shift as u64);
                ctx.add_uint(o, &OPT_WSCALE_MULT, l, at + 2, 1, mult as u64);
                ctx.tree.append_text(o, &format!(": {} (multiply by {})", shift, mult));
            }
            (4, 2) => ctx.cols.info.push_str(" SACK_PERM"),
            (5, _) => {
                let mut b = at + 2;
                while b + 8 <= at + len {
                    let le = l.u32(b).wrapping_sub(peer_base);
                    let re = l.u32(b + 4).wrapping_sub(peer_base);
                    let _ = write!(ctx.cols.info, " SLE={} SRE={}", le, re);
                    ctx.add_uint(o, &OPT_SACK_LE, l, b, 4, le as u64);
                    ctx.add_uint(o, &OPT_SACK_RE, l, b + 4, 4, re as u64);
                    b += 8;
                }
            }
            (8, 10) => {
                let (tsval, tsecr) = (l.u32(at + 2), l.u32(at + 6));
                let _ = write!(ctx.cols.info, " TSval={} TSecr={}", tsval, tsecr);
                ctx.add_uint(o, &OPT_TSVAL, l, at + 2, 4, tsval as u64);
                ctx.add_uint(o, &OPT_TSECR, l, at + 6, 4, tsecr as u64);
                ctx.tree.append_text(o, &format!(": TSval {}, TSecr {}", tsval, tsecr));
            }
            (34, 2) => ctx.cols.info.push_str(" TFO=R"),
            (34, _) => ctx.cols.info.push_str(" TFO=C"),
            _ => {}
        }
        if kind == 0 {
            break;
        }
        at += len;
    }
    if ctx.tree.enabled() {
        ctx.tree.set_label(opts, format!("Options: ({} bytes), {}", hlen - MIN_HEADER_LEN, names));
    }
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
}
