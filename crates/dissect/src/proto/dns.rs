//! `dns`: DNS (RFC 1035) over UDP and TCP (2-byte length prefix, RFC 7766), and mDNS
//! (RFC 6762) and LLMNR (RFC 4795), which share its message format. The header and sections
//! live here; names in `dns_name.rs`; record data by type in `dns_rr.rs`. Request/response matching is
//! in `analysis::dns`, and what the tree shows of it in `dns_match.rs`.
//!
//! Over TCP each complete message in the segment is dissected; a message that continues past
//! the segment is left to TCP reassembly (the segment stays TCP, as in tshark). A reassembled
//! buffer handed in through the same `TcpPort` registration is dissected the same way.

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Desegment, Layer};
use crate::proto::dns_name::{Name, Names};
use crate::proto::dns_match::{add_match, match_message};
use crate::proto::dns_rr;
use crate::text;
use crate::tree::{bit_string, Group, Severity, Value, NO_NODE};
use std::fmt::Write;

pub(super) mod field {
    pub const ID: usize = 0;
    pub const FLAGS: usize = 2;
    pub const QDCOUNT: usize = 4;
    pub const ANCOUNT: usize = 6;
    pub const NSCOUNT: usize = 8;
    pub const ARCOUNT: usize = 10;
}
pub const HEADER_LEN: usize = 12;
const TCP_LENGTH_LEN: usize = 2;

const F_RESPONSE: u16 = 0x8000;
const F_OPCODE: u16 = 0x7800;
const F_AUTHENTIC: u16 = 0x0020;
const F_RCODE: u16 = 0x000f;
const OPCODE_UPDATE: u16 = 5;
/// mDNS: the class's top bit is "unicast response" in questions, "cache flush" in records.
const C_TOP_BIT: u16 = 0x8000;

pub const T_OPT: u16 = 41;
pub(super) const T_IXFR: u16 = 251;
pub(super) const T_AXFR: u16 = 252;

/// Longest name Wireshark expands (MAX_DNAME_LEN), and the most pointers it follows.
pub(super) const MAX_DNAME_LEN: i32 = 255;
pub(super) const MIN_DNAME_LEN: usize = 2;
pub const LOOP_NAME: &str = "<Name contains a pointer that loops>";

pub static DNS: FieldDef = FieldDef::protocol("Domain Name System", "dns");
pub static MDNS: FieldDef = FieldDef::protocol("Multicast Domain Name System", "mdns");
pub static LLMNR: FieldDef = FieldDef::protocol("Link-local Multicast Name Resolution", "llmnr");
pub static LENGTH: FieldDef = FieldDef::new("Length", "dns.length", FieldType::Uint16);
pub static ID: FieldDef = FieldDef::new("Transaction ID", "dns.id", FieldType::Uint16).base(Base::Hex);
pub static FLAGS: FieldDef = FieldDef::new("Flags", "dns.flags", FieldType::Uint16).base(Base::Hex);
pub static FLAGS_RESPONSE: FieldDef = FieldDef::new("Response", "dns.flags.response", FieldType::Bool).bits(16, 0x8000);
pub static FLAGS_OPCODE: FieldDef =
    FieldDef::new("Opcode", "dns.flags.opcode", FieldType::Uint16).bits(16, 0x7800).strings(OPCODES);
pub static FLAGS_AUTHORITATIVE: FieldDef =
    FieldDef::new("Authoritative", "dns.flags.authoritative", FieldType::Bool).bits(16, 0x0400);
pub static FLAGS_CONFLICT: FieldDef = FieldDef::new("Conflict", "dns.flags.conflict", FieldType::Bool).bits(16, 0x0400);
pub static FLAGS_TRUNCATED: FieldDef = FieldDef::new("Truncated", "dns.flags.truncated", FieldType::Bool).bits(16, 0x0200);
pub static FLAGS_RECDESIRED: FieldDef =
    FieldDef::new("Recursion desired", "dns.flags.recdesired", FieldType::Bool).bits(16, 0x0100);
pub static FLAGS_TENTATIVE: FieldDef = FieldDef::new("Tentative", "dns.flags.tentative", FieldType::Bool).bits(16, 0x0100);
pub static FLAGS_RECAVAIL: FieldDef =
    FieldDef::new("Recursion available", "dns.flags.recavail", FieldType::Bool).bits(16, 0x0080);
pub static FLAGS_Z: FieldDef = FieldDef::new("Z", "dns.flags.z", FieldType::Bool).bits(16, 0x0040);
pub static FLAGS_AUTHENTICATED: FieldDef =
    FieldDef::new("Answer authenticated", "dns.flags.authenticated", FieldType::Bool).bits(16, 0x0020);
pub static FLAGS_CHECKDISABLE: FieldDef =
    FieldDef::new("Non-authenticated data", "dns.flags.checkdisable", FieldType::Bool).bits(16, 0x0010);
pub static FLAGS_RCODE: FieldDef = FieldDef::new("Reply code", "dns.flags.rcode", FieldType::Uint16).bits(16, 0x000f).strings(RCODES);
pub static COUNT_QUERIES: FieldDef = FieldDef::new("Questions", "dns.count.queries", FieldType::Uint16);
pub static COUNT_ZONES: FieldDef = FieldDef::new("Zones", "dns.count.zones", FieldType::Uint16);
pub static COUNT_ANSWERS: FieldDef = FieldDef::new("Answer RRs", "dns.count.answers", FieldType::Uint16);
pub static COUNT_PREREQUISITES: FieldDef = FieldDef::new("Prerequisites", "dns.count.prerequisites", FieldType::Uint16);
pub static COUNT_AUTH_RR: FieldDef = FieldDef::new("Authority RRs", "dns.count.auth_rr", FieldType::Uint16);
pub static COUNT_UPDATES: FieldDef = FieldDef::new("Updates", "dns.count.updates", FieldType::Uint16);
pub static COUNT_ADD_RR: FieldDef = FieldDef::new("Additional RRs", "dns.count.add_rr", FieldType::Uint16);
pub static QRY_NAME: FieldDef = FieldDef::new("Name", "dns.qry.name", FieldType::String);
pub static QRY_NAME_LEN: FieldDef = FieldDef::new("Name Length", "dns.qry.name.len", FieldType::Uint16);
pub static COUNT_LABELS: FieldDef = FieldDef::new("Label Count", "dns.count.labels", FieldType::Uint16);
pub static QRY_TYPE: FieldDef = FieldDef::new("Type", "dns.qry.type", FieldType::Uint16).strings(dns_rr::TYPES);
pub static QRY_CLASS: FieldDef = FieldDef::new("Class", "dns.qry.class", FieldType::Uint16).base(Base::Hex).strings(CLASSES);
pub static QRY_QU: FieldDef = FieldDef::new("\"QU\" question", "dns.qry.qu", FieldType::Bool).bits(16, 0x8000);
pub static RESP_NAME: FieldDef = FieldDef::new("Name", "dns.resp.name", FieldType::String);
pub static RESP_TYPE: FieldDef = FieldDef::new("Type", "dns.resp.type", FieldType::Uint16).strings(dns_rr::TYPES);
pub static RESP_CLASS: FieldDef = FieldDef::new("Class", "dns.resp.class", FieldType::Uint16).base(Base::Hex).strings(CLASSES);
pub static RESP_CACHE_FLUSH: FieldDef = FieldDef::new("Cache flush", "dns.resp.cache_flush", FieldType::Bool).bits(16, 0x8000);
pub static RESP_TTL: FieldDef = FieldDef::new("Time to live", "dns.resp.ttl", FieldType::Uint32);
pub static RESP_LEN: FieldDef = FieldDef::new("Data length", "dns.resp.len", FieldType::Uint16);
pub static SRV_SERVICE: FieldDef = FieldDef::new("Service", "dns.srv.service", FieldType::String);
pub static SRV_PROTO: FieldDef = FieldDef::new("Protocol", "dns.srv.proto", FieldType::String);
pub static SRV_NAME: FieldDef = FieldDef::new("Name", "dns.srv.name", FieldType::String);
pub static RESPONSE_IN: FieldDef = FieldDef::new("Response In", "dns.response_in", FieldType::FrameNum);
pub static RESPONSE_TO: FieldDef = FieldDef::new("Request In", "dns.response_to", FieldType::FrameNum);
pub static RETRANSMISSION: FieldDef = FieldDef::new("Retransmission", "dns.retransmission", FieldType::Bool);
pub static RETRANSMIT_REQUEST_IN: FieldDef =
    FieldDef::new("Retransmitted request. Original request in", "dns.retransmit_request_in", FieldType::FrameNum);
pub static RETRANSMIT_RESPONSE_IN: FieldDef =
    FieldDef::new("Retransmitted response. Original response in", "dns.retransmit_response_in", FieldType::FrameNum);
pub static TIME: FieldDef = FieldDef::new("Time", "dns.time", FieldType::RelTime);
pub static UNSOLICITED: FieldDef = FieldDef::new("Unsolicited", "dns.unsolicited", FieldType::Bool);
pub static EXTRANEOUS_DATA: FieldDef = FieldDef::new("Extraneous Data Bytes", "dns.extraneous.data", FieldType::Bytes);
pub static EXTRANEOUS_LENGTH: FieldDef = FieldDef::new("Extraneous Data Length", "dns.extraneous.length", FieldType::Int32);
/// Section headings and other text-only items (Wireshark's subtrees without a field).
pub static TEXT: FieldDef = FieldDef::new("Text", "", FieldType::None);

pub static TTL_HIGH_BIT_SET: FieldDef = FieldDef::new("The uppermost bit of the TTL is set (RFC 2181, section 8)", "dns.ttl.high_bit_set", FieldType::None);
pub static RETRANSMIT_REQUEST: FieldDef = FieldDef::new("DNS query retransmission", "dns.retransmit_request", FieldType::None);
pub static RETRANSMIT_RESPONSE: FieldDef = FieldDef::new("DNS response retransmission", "dns.retransmit_response", FieldType::None);
pub static UNDECODED_TYPE: FieldDef = FieldDef::new("Undecoded option", "dns.undecoded.type", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &DNS, &MDNS, &LLMNR, &LENGTH, &ID, &FLAGS, &FLAGS_RESPONSE, &FLAGS_OPCODE, &FLAGS_AUTHORITATIVE, &FLAGS_CONFLICT,
    &FLAGS_TRUNCATED, &FLAGS_RECDESIRED, &FLAGS_TENTATIVE, &FLAGS_RECAVAIL, &FLAGS_Z, &FLAGS_AUTHENTICATED,
    &FLAGS_CHECKDISABLE, &FLAGS_RCODE, &COUNT_QUERIES, &COUNT_ZONES, &COUNT_ANSWERS, &COUNT_PREREQUISITES,
    &COUNT_AUTH_RR, &COUNT_UPDATES, &COUNT_ADD_RR, &QRY_NAME, &QRY_NAME_LEN, &COUNT_LABELS, &QRY_TYPE, &QRY_CLASS,
    &QRY_QU, &RESP_NAME, &RESP_TYPE, &RESP_CLASS, &RESP_CACHE_FLUSH, &RESP_TTL, &RESP_LEN, &SRV_SERVICE, &SRV_PROTO,
    &SRV_NAME, &RESPONSE_IN, &RESPONSE_TO, &RETRANSMISSION, &RETRANSMIT_REQUEST_IN, &RETRANSMIT_RESPONSE_IN, &TIME,
    &UNSOLICITED, &EXTRANEOUS_DATA, &EXTRANEOUS_LENGTH, &TTL_HIGH_BIT_SET, &RETRANSMIT_REQUEST, &RETRANSMIT_RESPONSE, &UNDECODED_TYPE,
];

pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::UdpPort, 53, "dns", dissect_udp),
    crate::handoff!(Table::TcpPort, 53, "dns", dissect_tcp),
    crate::handoff!(Table::UdpPort, 5353, "mdns", dissect_mdns),
    crate::handoff!(Table::TcpPort, 5353, "mdns", dissect_tcp),
    crate::handoff!(Table::UdpPort, 5355, "llmnr", dissect_llmnr),
];

static OPCODES: &[(u64, &str)] = &[
    (0, "Standard query"),
    (1, "Inverse query"),
    (2, "Server status request"),
    (4, "Zone change notification"),
    (5, "Dynamic update"),
    (6, "DNS Stateful operations (DSO)"),
];

static RCODES: &[(u64, &str)] = &[
    (0, "No error"),
    (1, "Format error"),
    (2, "Server failure"),
    (3, "No such name"),
    (4, "Not implemented"),
    (5, "Refused"),
    (6, "Name exists"),
    (7, "RRset exists"),
    (8, "RRset does not exist"),
    (9, "Not authoritative"),
    (10, "Name out of zone"),
    (11, "DSO-Type not implemented"),
    (16, "Bad OPT Version or TSIG Signature Failure"),
    (17, "Key not recognized"),
    (18, "Signature out of time window"),
    (19, "Bad TKEY Mode"),
    (20, "Duplicate key name"),
    (21, "Algorithm not supported"),
    (22, "Bad Truncation"),
    (23, "Bad/missing Server Cookie"),
];

pub static CLASSES: &[(u64, &str)] = &[(1, "IN"), (2, "CS"), (3, "CH"), (4, "HS"), (0xfe, "NONE"), (0xff, "ANY")];

/// Which of the three protocols that share this format a message belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Flavor {
    Dns,
    Mdns,
    Llmnr,
}

/// `dns.qry.name.len` and `dns.count.labels` as Wireshark computes them.
fn name_len_and_labels(raw: &[u8]) -> (u64, u64) {
    if raw.len() > 1 {
        (raw.len() as u64, raw.iter().filter(|&&b| b == b'.').count() as u64 + 1)
    } else {
        (0, 0)
    }
}

/// Wireshark's unsigned_time_secs_to_str: `1 day, 2 hours, 3 minutes, 4 seconds`.
pub fn secs_to_str(secs: u32) -> String {
    if secs == 0 {
        return "0 seconds".to_string();
    }
    let parts = [(secs / 86400, "day"), (secs / 3600 % 24, "hour"), (secs / 60 % 60, "minute"), (secs % 60, "second")];
    let mut s = String::new();
    for (n, unit) in parts {
        if n > 0 {
            if !s.is_empty() {
                s.push_str(", ");
            }
            let _ = write!(s, "{} {}{}", n, unit, if n == 1 { "" } else { "s" });
        }
    }
    s
}

/// The name for `v` in `vs`, or Wireshark's `Unknown (v)`.
pub fn name_or_unknown(vs: &[(u64, &'static str)], v: u64) -> String {
    match vs.iter().find(|(k, _)| *k == v) {
        Some((_, s)) => s.to_string(),
        None => format!("Unknown ({})", v),
    }
}

/// Adds a bit of the flags word with Wireshark's true/false strings.
pub fn add_flag(ctx: &mut Ctx, parent: u32, l: &Layer, at: usize, f: &'static FieldDef, word: u64, tf: (&str, &str)) {
    let set = word & f.bitmask != 0;
    let n = ctx.add(parent, f, l, at, (f.bitwidth / 8) as usize, Value::Bool(set));
    crate::set_label!(ctx.tree, n, "{} = {}: {}", bit_string(f.bitwidth as u32, f.bitmask, word), f.name, if set { tf.0 } else { tf.1 });
}

/// Adds a text-only item (a section heading or a summary line).
pub fn add_text(ctx: &mut Ctx, parent: u32, l: &Layer, at: usize, len: usize, label: String) -> u32 {
    let n = ctx.add(parent, &TEXT, l, at, len, Value::None);
    ctx.tree.set_label(n, label);
    n
}

/// `add_text` with a fixed label, which is copied only when labels show.
fn add_section(ctx: &mut Ctx, parent: u32, l: &Layer, at: usize, label: &str) -> u32 {
    let n = ctx.add(parent, &TEXT, l, at, 0, Value::None);
    if ctx.tree.labels() {
        ctx.tree.set_label(n, label.to_string());
    }
    n
}

/// Wireshark's FT_BYTES label: hex, cut after 36 bytes with an ellipsis; `<MISSING>` if empty.
pub fn bytes_label(name: &str, b: &[u8]) -> String {
    let mut s = format!("{}: ", name);
    if b.is_empty() {
        s.push_str("<MISSING>");
    }
    for x in b.iter().take(36) {
        let _ = write!(s, "{:02x}", x);
    }
    if b.len() > 36 {
        s.push('\u{2026}');
    }
    s
}

pub fn add_bytes(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, l: &Layer, at: usize, len: usize) -> u32 {
    let n = ctx.add(parent, f, l, at, len, Value::Bytes);
    if ctx.tree.enabled() {
        ctx.tree.set_label(n, bytes_label(f.name, l.slice(at, len)));
    }
    n
}

pub fn dissect_udp(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    dissect_message(ctx, parent, layer, Flavor::Dns, false, None, true).map(|_| layer.reported)
}

pub fn dissect_mdns(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    dissect_message(ctx, parent, layer, Flavor::Mdns, false, None, true).map(|_| layer.reported)
}

pub fn dissect_llmnr(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    dissect_message(ctx, parent, layer, Flavor::Llmnr, false, None, true).map(|_| layer.reported)
}

/// DNS over TCP: every complete length-prefixed message in the segment, in order. Returns the
/// bytes claimed (complete messages only); the rest waits for reassembly.
pub fn dissect_tcp(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    let mut at = 0;
    while at < layer.reported {
        // A message cut by the segment's end: ask TCP for the rest (tcp_dissect_pdus).
        if at + TCP_LENGTH_LEN > layer.reported {
            if ctx.can_desegment {
                ctx.desegment = Some((at, Desegment::OneMoreSegment));
                return Ok(layer.reported);
            }
            break;
        }
        layer.need(at + TCP_LENGTH_LEN)?;
        let len = layer.u16(at) as usize;
        if at + TCP_LENGTH_LEN + len > layer.reported {
            if ctx.can_desegment {
                let missing = at + TCP_LENGTH_LEN + len - layer.reported;
                ctx.desegment = Some((at, Desegment::Bytes(missing as u32)));
                return Ok(layer.reported);
            }
            break;
        }
        let pdu = layer.sub(at, "DNS").limit(TCP_LENGTH_LEN + len);
        let msg = pdu.sub(TCP_LENGTH_LEN, "DNS");
        dissect_message(ctx, parent, msg, Flavor::Dns, true, Some((pdu, len)), at == 0)?;
        at += TCP_LENGTH_LEN + len;
    }
    Ok(at)
}

/// One DNS message. `tcp_len` is the TCP length prefix (its layer and value) when there is one;
/// `first` is false for the later messages of a TCP segment, which frame.protocols lists once.
fn dissect_message(ctx: &mut Ctx, parent: u32, msg: Layer, flavor: Flavor, tcp: bool, tcp_len: Option<(Layer, usize)>, first: bool) -> DResult<()> {
    ctx.leaf(&["dns", "mdns", "llmnr"], |ctx| dissect_one(ctx, parent, msg, flavor, tcp, tcp_len, first))
}

fn dissect_one(ctx: &mut Ctx, parent: u32, msg: Layer, flavor: Flavor, tcp: bool, tcp_len: Option<(Layer, usize)>, first: bool) -> DResult<()> {
    let (proto, col) = match flavor {
        Flavor::Dns => (&DNS, "DNS"),
        Flavor::Mdns => (&MDNS, "MDNS"),
        Flavor::Llmnr => (&LLMNR, "LLMNR"),
    };
    ctx.cols.set_protocol(col);
    let whole = tcp_len.map(|(l, _)| l).unwrap_or(msg);
    // Wireshark clears Info per message: the last message of a segment is the one shown.
    // Written in the column's own buffer, put back whatever the body did with the column.
    let mut info = std::mem::take(&mut ctx.cols.info);
    info.clear();
    let result = dissect_body(ctx, parent, msg, whole, flavor, tcp, tcp_len.map(|(_, n)| n), (proto, first), &mut info);
    ctx.cols.info = info;
    result
}

#[allow(clippy::too_many_arguments)]
fn dissect_body(
    ctx: &mut Ctx,
    parent: u32,
    msg: Layer,
    whole: Layer,
    flavor: Flavor,
    tcp: bool,
    tcp_len: Option<usize>,
    (proto, first): (&'static FieldDef, bool),
    info: &mut String,
) -> DResult<()> {
    if let Err(e) = msg.need(field::FLAGS + 2) {
        // The layer is listed in frame.protocols even when its header is cut short.
        if first {
            ctx.protocols.push(proto.abbrev);
        }
        return Err(e);
    }
    let id = msg.u16(field::ID);
    let flags = msg.u16(field::FLAGS);
    let opcode = (flags & F_OPCODE) >> 11;
    let rcode = flags & F_RCODE;
    let response = flags & F_RESPONSE != 0;
    match OPCODES.iter().find(|(k, _)| *k == opcode as u64) {
        Some((_, s)) => info.push_str(s),
        None => {
            let _ = write!(info, "Unknown operation ({})", opcode);
        }
    }
    info.push_str(if response { " response 0x" } else { " 0x" });
    text::push_hex(info, id as u64, 4);
    if response && rcode != 0 {
        info.push(' ');
        match RCODES.iter().find(|(k, _)| *k == rcode as u64) {
            Some((_, s)) => info.push_str(s),
            None => {
                let _ = write!(info, "Unknown error ({})", rcode);
            }
        }
    }
    let top = if first { ctx.add_protocol(parent, proto, &whole) } else { ctx.tree.add(parent, proto, whole.start, whole.len, Value::None) };
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, top, "{} ({})", proto.name, if response { "response" } else { "query" });
    }
    let matched = match_message(ctx, &msg, id, response, tcp);
    if let Some(n) = tcp_len {
        ctx.add_uint(top, &LENGTH, &whole, 0, TCP_LENGTH_LEN, n as u64);
    }
    let id_node = ctx.add_uint(top, &ID, &msg, field::ID, 2, id as u64);
    if ctx.tree.enabled() {
        add_flags(ctx, top, &msg, flags, flavor);
    }
    msg.need(HEADER_LEN)?;
    let update = opcode == OPCODE_UPDATE;
    let quest = msg.u16(field::QDCOUNT) as usize;
    let ans = msg.u16(field::ANCOUNT) as usize;
    let auth = msg.u16(field::NSCOUNT) as usize;
    let add = msg.u16(field::ARCOUNT) as usize;
    let counts: [(&'static FieldDef, usize, usize); 4] = [
        (if update { &COUNT_ZONES } else { &COUNT_QUERIES }, field::QDCOUNT, quest),
        (if update { &COUNT_PREREQUISITES } else { &COUNT_ANSWERS }, field::ANCOUNT, ans),
        (if update { &COUNT_UPDATES } else { &COUNT_AUTH_RR }, field::NSCOUNT, auth),
        (&COUNT_ADD_RR, field::ARCOUNT, add),
    ];
    for (f, at, v) in counts {
        ctx.add_uint(top, f, &msg, at, 2, v as u64);
    }
    let mut names = Names::new(&msg);
    let mut at = HEADER_LEN;
    if quest > 0 {
        let sec = add_section(ctx, top, &msg, at, if update { "Zone" } else { "Queries" });
        let start = at;
        for _ in 0..quest {
            at += dissect_query(ctx, sec, &msg, &mut names, at, flavor, info)?;
        }
        ctx.tree.set_len(sec, at - start);
    }
    let sections = [
        (ans, if update { "Prerequisites" } else { "Answers" }),
        (auth, if update { "Updates" } else { "Authoritative nameservers" }),
        (add, "Additional records"),
    ];
    for (count, title) in sections {
        if count == 0 {
            continue;
        }
        let sec = add_section(ctx, top, &msg, at, title);
        let start = at;
        for _ in 0..count {
            at += dissect_rr(ctx, sec, &msg, &mut names, at, flavor, info)?;
        }
        ctx.tree.set_len(sec, at - start);
    }
    if ctx.tree.enabled() {
        add_match(ctx, top, id_node, matched);
        let extra = msg.reported.saturating_sub(at);
        if extra > 0 {
            let e = add_text(ctx, top, &msg, at, extra, format!("Extraneous Data ({} bytes)", extra));
            add_bytes(ctx, e, &EXTRANEOUS_DATA, &msg, at, extra.min(msg.len.saturating_sub(at)));
            let n = ctx.tree.add_generated(e, &EXTRANEOUS_LENGTH, Value::Int(extra as i64));
            crate::set_label!(ctx.tree, n, "[Extraneous Data Length: {}]", extra);
        }
    }
    Ok(())
}

fn add_flags(ctx: &mut Ctx, top: u32, msg: &Layer, flags: u16, flavor: Flavor) {
    let response = flags & F_RESPONSE != 0;
    let opcode = ((flags & F_OPCODE) >> 11) as u64;
    let rcode = (flags & F_RCODE) as u64;
    let f = ctx.add_uint(top, &FLAGS, msg, field::FLAGS, 2, flags as u64);
    if ctx.tree.wants_label(f) {
        let mut label = format!("Flags: 0x{:04x} {}", flags, OPCODES.iter().find(|(k, _)| *k == opcode).map_or("Unknown operation", |(_, s)| s));
        if response {
            let _ = write!(label, " response, {}", RCODES.iter().find(|(k, _)| *k == rcode).map_or("Unknown error", |(_, s)| s));
        }
        ctx.tree.set_label(f, label);
    }
    let w = flags as u64;
    let at = field::FLAGS;
    add_flag(ctx, f, msg, at, &FLAGS_RESPONSE, w, ("Message is a response", "Message is a query"));
    let o = ctx.add_uint(f, &FLAGS_OPCODE, msg, at, 2, opcode);
    if FLAGS_OPCODE.value_name(opcode).is_none() {
        crate::set_label!(ctx.tree, o, "{} = Opcode: Unknown ({})", bit_string(16, F_OPCODE as u64, w), opcode);
    }
    if flavor == Flavor::Llmnr {
        if response {
            add_flag(ctx, f, msg, at, &FLAGS_CONFLICT, w, ("The name is not considered unique", "The name is considered unique"));
        } else {
            add_flag(ctx, f, msg, at, &FLAGS_CONFLICT, w, ("The sender received multiple responses", "None"));
        }
        add_flag(ctx, f, msg, at, &FLAGS_TRUNCATED, w, ("Message is truncated", "Message is not truncated"));
        add_flag(ctx, f, msg, at, &FLAGS_TENTATIVE, w, ("Tentative", "Not tentative"));
        if response {
            ctx.add_uint(f, &FLAGS_RCODE, msg, at, 2, rcode);
        }
        return;
    }
    if response {
        add_flag(ctx, f, msg, at, &FLAGS_AUTHORITATIVE, w, ("Server is an authority for domain", "Server is not an authority for domain"));
    }
    add_flag(ctx, f, msg, at, &FLAGS_TRUNCATED, w, ("Message is truncated", "Message is not truncated"));
    add_flag(ctx, f, msg, at, &FLAGS_RECDESIRED, w, ("Do query recursively", "Don't do query recursively"));
    if response {
        add_flag(ctx, f, msg, at, &FLAGS_RECAVAIL, w, ("Server can do recursive queries", "Server can't do recursive queries"));
    }
    add_flag(ctx, f, msg, at, &FLAGS_Z, w, ("reserved - incorrect!", "reserved (0)"));
    if response {
        add_flag(
            ctx,
            f,
            msg,
            at,
            &FLAGS_AUTHENTICATED,
            w,
            ("Answer/authority portion was authenticated by the server", "Answer/authority portion was not authenticated by the server"),
        );
    } else if flags & F_AUTHENTIC != 0 {
        // Queries use the bit as "AD bit" (RFC 6840), shown only when set.
        let n = ctx.add(f, &FLAGS_AUTHENTICATED, msg, at, 2, Value::Bool(true));
        crate::set_label!(ctx.tree, n, "{} = AD bit: Set", bit_string(16, F_AUTHENTIC as u64, w));
    }
    add_flag(ctx, f, msg, at, &FLAGS_CHECKDISABLE, w, ("Acceptable", "Unacceptable"));
    if response {
        ctx.add_uint(f, &FLAGS_RCODE, msg, at, 2, rcode);
    }
}

/// A class with the mDNS top bit split off: (class, top bit).
fn split_class(class: u16, flavor: Flavor) -> (u16, bool) {
    if flavor == Flavor::Mdns {
        (class & !C_TOP_BIT, class & C_TOP_BIT != 0)
    } else {
        (class, false)
    }
}

fn class_name(class: u16) -> &'static str {
    CLASSES.iter().find(|(k, _)| *k == class as u64).map_or("Unknown", |(_, s)| s)
}

/// Adds the class field (mDNS: the 15-bit class and its top-bit flag).
fn add_class(ctx: &mut Ctx, parent: u32, msg: &Layer, at: usize, class_field: &'static FieldDef, flag: (&'static FieldDef, u16), flavor: Flavor) {
    let (class, top) = split_class(flag.1, flavor);
    let n = ctx.add_uint(parent, class_field, msg, at, 2, class as u64);
    if !ctx.tree.enabled() {
        return;
    }
    let value = match CLASSES.iter().find(|(k, _)| *k == class as u64) {
        Some((_, s)) => format!("{} (0x{:04x})", s, class),
        None => format!("Unknown (0x{:04x})", class),
    };
    if flavor == Flavor::Mdns {
        crate::set_label!(ctx.tree, n, "{} = Class: {}", bit_string(16, 0x7fff, flag.1 as u64), value);
        let b = ctx.add(parent, flag.0, msg, at, 2, Value::Bool(top));
        crate::set_label!(ctx.tree, b, "{} = {}: {}", bit_string(16, 0x8000, flag.1 as u64), flag.0.name, if top { "True" } else { "False" });
    } else {
        crate::set_label!(ctx.tree, n, "Class: {}", value);
    }
}

fn add_type(ctx: &mut Ctx, parent: u32, msg: &Layer, at: usize, f: &'static FieldDef, t: u16) {
    let n = ctx.add_uint(parent, f, msg, at, 2, t as u64);
    if ctx.tree.enabled() && f.value_name(t as u64).is_none() {
        crate::set_label!(ctx.tree, n, "Type: Unknown ({})", t);
    }
}

fn dissect_query(ctx: &mut Ctx, sec: u32, msg: &Layer, names: &mut Names, at: usize, flavor: Flavor, info: &mut String) -> DResult<usize> {
    let name = names.read(msg, at)?;
    let tat = at + name.used;
    msg.need(tat + 4)?;
    let qtype = msg.u16(tat);
    let raw_class = msg.u16(tat + 2);
    let (class, qu) = split_class(raw_class, flavor);
    let tname = dns_rr::type_short(qtype);
    info.push(' ');
    info.push_str(&tname);
    info.push(' ');
    name.push_display(info);
    if flavor == Flavor::Mdns {
        let _ = write!(info, ", \"{}\" question", if qu { "QU" } else { "QM" });
    }
    let used = name.used + 4;
    if ctx.tree.enabled() {
        let mut label = String::new();
        if ctx.tree.labels() {
            let _ = write!(label, "{}: type {}, class {}", name.display(), tname, class_name(class));
            if flavor == Flavor::Mdns {
                let _ = write!(label, ", \"{}\" question", if qu { "QU" } else { "QM" });
            }
        }
        let q = add_text(ctx, sec, msg, at, used, label);
        name.add(ctx, q, &QRY_NAME, msg, at);
        let (len, labels) = name_len_and_labels(&name.raw);
        let n = ctx.add(q, &QRY_NAME_LEN, msg, at, name.used, Value::Uint(len));
        mark_generated(ctx, n);
        let n = ctx.add(q, &COUNT_LABELS, msg, at, name.used, Value::Uint(labels));
        mark_generated(ctx, n);
        add_type(ctx, q, msg, tat, &QRY_TYPE, qtype);
        add_class(ctx, q, msg, tat + 2, &QRY_CLASS, (&QRY_QU, raw_class), flavor);
    }
    Ok(used)
}

fn mark_generated(ctx: &mut Ctx, n: u32) {
    if let Some(node) = ctx.tree.node_mut(n) {
        node.generated = true;
    }
}

/// A resource record: owner, type, class, TTL, length, then the data by type.
fn dissect_rr(ctx: &mut Ctx, sec: u32, msg: &Layer, names: &mut Names, at: usize, flavor: Flavor, info: &mut String) -> DResult<usize> {
    let name = names.read(msg, at)?;
    let tat = at + name.used;
    msg.need(tat + 10)?;
    let rtype = msg.u16(tat);
    let raw_class = msg.u16(tat + 2);
    let (class, flush) = split_class(raw_class, flavor);
    let ttl = msg.u32(tat + 4);
    let data_len = msg.u16(tat + 8) as usize;
    let data_at = tat + 10;
    let tname = dns_rr::type_short(rtype);
    info.push(' ');
    info.push_str(&tname);
    if flush {
        info.push_str(", cache flush");
    }
    let total = data_at - at + data_len;
    let mut rr = NO_NODE;
    if ctx.tree.enabled() {
        let mut label = if !ctx.tree.labels() {
            String::new()
        } else if rtype == T_OPT {
            format!("{}: type {}", name.display(), tname)
        } else {
            format!("{}: type {}, class {}", name.display(), tname, class_name(class))
        };
        if flush && ctx.tree.labels() {
            label.push_str(", cache flush");
        }
        msg.need(at + total)?;
        rr = add_text(ctx, sec, msg, at, total, label);
        if rtype == T_OPT {
            name.add(ctx, rr, &RESP_NAME, msg, at);
            add_type(ctx, rr, msg, tat, &RESP_TYPE, rtype);
            dns_rr::add_opt_header(ctx, rr, msg, tat + 2, flavor == Flavor::Mdns);
        } else {
            add_owner(ctx, rr, msg, at, &name, rtype);
            add_type(ctx, rr, msg, tat, &RESP_TYPE, rtype);
            add_class(ctx, rr, msg, tat + 2, &RESP_CLASS, (&RESP_CACHE_FLUSH, raw_class), flavor);
            let t = ctx.add_uint(rr, &RESP_TTL, msg, tat + 4, 4, ttl as u64);
            crate::append_label!(ctx.tree, t, " ({})", secs_to_str(ttl));
            if ttl & 0x8000_0000 != 0 {
                crate::expert::attach(&mut ctx.tree, t, &TTL_HIGH_BIT_SET, Severity::Warn, Group::Protocol, "The uppermost bit of the TTL is set (RFC 2181, section 8)");
            }
        }
        ctx.add_uint(rr, &RESP_LEN, msg, tat + 8, 2, data_len as u64);
    }
    if data_len == 0 {
        return Ok(data_at - at);
    }
    msg.need(at + total)?;
    let rd = dns_rr::Rdata { rr, msg, names, at: data_at, len: data_len, rtype, owner: &name, flavor };
    dns_rr::dissect(ctx, rd, info)?;
    Ok(total)
}

/// The owner name; SRV owners (`_service._proto.name`) are shown split in three.
fn add_owner(ctx: &mut Ctx, rr: u32, msg: &Layer, at: usize, name: &Name, rtype: u16) {
    if rtype == dns_rr::T_SRV && !name.raw.is_empty() {
        let text = String::from_utf8_lossy(&name.raw).into_owned();
        let mut parts = text.splitn(3, '.');
        let fields: [&'static FieldDef; 3] = [&SRV_SERVICE, &SRV_PROTO, &SRV_NAME];
        for f in fields {
            match parts.next() {
                Some(p) => {
                    ctx.add(rr, f, msg, at, name.used, Value::Str(p.to_string()));
                }
                None => break,
            }
        }
    } else {
        name.add(ctx, rr, &RESP_NAME, msg, at);
    }
}


#[cfg(test)]
#[path = "dns_tests.rs"]
mod tests;
