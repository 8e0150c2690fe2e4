//! `icmp`: ICMP for IPv4 (RFC 792; RFC 1191 MTU, RFC 1256 router discovery, RFC 4884 lengths):
//! types and codes with Wireshark's names, checksum verification, echo identifier and sequence
//! number in both byte orders, echo request/reply matching (`analysis::icmp`), the timestamp
//! ping puts in its data, and the IP packet quoted by error messages.

use crate::analysis::icmp::{Echo, EchoMatch, Family};
use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer, NetAddr};
use crate::proto::cksum::{self, Verdict};
use crate::proto::{data, quoted};
use crate::tree::{Group, Severity, Value};
use std::fmt::Write;

mod field {
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: usize = 2;
    /// Echo, timestamp, information and address mask messages.
    pub const IDENT: usize = 4;
    pub const SEQ: usize = 6;
    /// Byte 5 of errors: RFC 4884 length of the quoted datagram, in 32-bit words.
    pub const LENGTH: usize = 5;
    pub const MTU: usize = 6;
    pub const POINTER: usize = 4;
    pub const GATEWAY: usize = 4;
    pub const NUM_ADDRS: usize = 4;
    pub const ENTRY_SIZE: usize = 5;
    pub const LIFETIME: usize = 6;
    pub const BODY: usize = 8;
    pub const ORIGINATE: usize = 8;
    pub const RECEIVE: usize = 12;
    pub const TRANSMIT: usize = 16;
    pub const MASK: usize = 8;
}
const HEADER_LEN: usize = 8;
const IPV4_HEADER_LEN: usize = 20;

const ECHO_REPLY: u8 = 0;
const UNREACH: u8 = 3;
const SOURCE_QUENCH: u8 = 4;
const REDIRECT: u8 = 5;
const ALT_HOST: u8 = 6;
const ECHO: u8 = 8;
const ROUTER_ADVERT: u8 = 9;
const TIME_EXCEEDED: u8 = 11;
const PARAM_PROBLEM: u8 = 12;
const TIMESTAMP: u8 = 13;
const TIMESTAMP_REPLY: u8 = 14;
const MASK_REQUEST: u8 = 17;
const MASK_REPLY: u8 = 18;
const FRAG_NEEDED: u8 = 4;
const MS_PER_DAY: u32 = 86_400_000;

pub static ICMP: FieldDef = FieldDef::protocol("Internet Control Message Protocol", "icmp");
pub static TYPE: FieldDef = FieldDef::new("Type", "icmp.type", FieldType::Uint8);
pub static CODE: FieldDef = FieldDef::new("Code", "icmp.code", FieldType::Uint8);
pub static CHECKSUM: FieldDef = FieldDef::new("Checksum", "icmp.checksum", FieldType::Uint16).base(Base::Hex);
pub static CHECKSUM_STATUS: FieldDef =
    FieldDef::new("Checksum Status", "icmp.checksum.status", FieldType::Uint8).strings(crate::proto::vals::CHECKSUM_STATUS);
pub static UNUSED: FieldDef = FieldDef::new("Unused", "icmp.unused", FieldType::Bytes);
pub static IDENT: FieldDef = FieldDef::new("Identifier (BE)", "icmp.ident", FieldType::Uint16)
    .base(Base::DecHex)
    .blurb("Identifier (big endian representation)");
pub static IDENT_LE: FieldDef = FieldDef::new("Identifier (LE)", "icmp.ident_le", FieldType::Uint16)
    .base(Base::DecHex)
    .blurb("Identifier (little endian representation)");
pub static SEQ: FieldDef = FieldDef::new("Sequence Number (BE)", "icmp.seq", FieldType::Uint16)
    .base(Base::DecHex)
    .blurb("Sequence Number (big endian representation)");
pub static SEQ_LE: FieldDef = FieldDef::new("Sequence Number (LE)", "icmp.seq_le", FieldType::Uint16)
    .base(Base::DecHex)
    .blurb("Sequence Number (little endian representation)");
pub static MTU: FieldDef = FieldDef::new("MTU of next hop", "icmp.mtu", FieldType::Uint16);
pub static NUM_ADDRS: FieldDef = FieldDef::new("Number of addresses", "icmp.num_addrs", FieldType::Uint8);
pub static ADDR_ENTRY_SIZE: FieldDef = FieldDef::new("Address entry size", "icmp.addr_entry_size", FieldType::Uint8);
pub static LIFETIME: FieldDef = FieldDef::new("Lifetime", "icmp.lifetime", FieldType::Uint16);
pub static POINTER: FieldDef = FieldDef::new("Pointer", "icmp.pointer", FieldType::Uint32);
pub static ROUTER_ADDRESS: FieldDef = FieldDef::new("Router address", "icmp.router_address", FieldType::Ipv4);
pub static PREF_LEVEL: FieldDef = FieldDef::new("Preference level", "icmp.pref_level", FieldType::Int32);
pub static ORIGINATE_TIMESTAMP: FieldDef = FieldDef::new("Originate Timestamp", "icmp.originate_timestamp", FieldType::Uint32);
pub static RECEIVE_TIMESTAMP: FieldDef = FieldDef::new("Receive Timestamp", "icmp.receive_timestamp", FieldType::Uint32);
pub static TRANSMIT_TIMESTAMP: FieldDef = FieldDef::new("Transmit Timestamp", "icmp.transmit_timestamp", FieldType::Uint32);
pub static ADDRESS_MASK: FieldDef = FieldDef::new("Address Mask", "icmp.address_mask", FieldType::Ipv4);
pub static REDIR_GW: FieldDef = FieldDef::new("Gateway Address", "icmp.redir_gw", FieldType::Ipv4);
pub static RESP_IN: FieldDef = FieldDef::new("Response frame", "icmp.resp_in", FieldType::FrameNum)
    .blurb("The frame number of the corresponding response");
pub static NO_RESP: FieldDef =
    FieldDef::new("No response seen", "icmp.no_resp", FieldType::None).blurb("No corresponding response frame was seen");
pub static RESP_TO: FieldDef = FieldDef::new("Request frame", "icmp.resp_to", FieldType::FrameNum)
    .blurb("The frame number of the corresponding request");
pub static RESPTIME: FieldDef = FieldDef::new("Response time", "icmp.resptime", FieldType::Double)
    .blurb("The time between the request and the response, in ms.");
pub static DATA_TIME: FieldDef = FieldDef::new("Timestamp from icmp data", "icmp.data_time", FieldType::AbsTime)
    .blurb("The timestamp in the first 8 bytes of the icmp data");
pub static DATA_TIME_RELATIVE: FieldDef =
    FieldDef::new("Timestamp from icmp data (relative)", "icmp.data_time_relative", FieldType::RelTime)
        .blurb("The timestamp of the packet, relative to the timestamp in the first 8 bytes of the icmp data");
pub static LENGTH: FieldDef =
    FieldDef::new("Length", "icmp.length", FieldType::Uint8).blurb("The length of the original datagram");
pub static LENGTH_ORIGINAL: FieldDef = FieldDef::new("Length of original datagram", "icmp.length.original_datagram", FieldType::Uint8)
    .blurb("The length of the original datagram (length * 4)");

pub static FIELDS: &[&FieldDef] = &[
    &ICMP, &TYPE, &CODE, &CHECKSUM, &CHECKSUM_STATUS, &UNUSED, &IDENT, &IDENT_LE, &SEQ, &SEQ_LE, &MTU, &NUM_ADDRS,
    &ADDR_ENTRY_SIZE, &LIFETIME, &POINTER, &ROUTER_ADDRESS, &PREF_LEVEL, &ORIGINATE_TIMESTAMP, &RECEIVE_TIMESTAMP,
    &TRANSMIT_TIMESTAMP, &ADDRESS_MASK, &REDIR_GW, &RESP_IN, &NO_RESP, &RESP_TO, &RESPTIME, &DATA_TIME,
    &DATA_TIME_RELATIVE, &LENGTH, &LENGTH_ORIGINAL,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::IpProto, 1, "icmp", dissect)];

/// Wireshark's names for ICMP types (`icmp_type_str`).
static TYPES: &[(u8, &str)] = &[
    (0, "Echo (ping) reply"),
    (1, "Reserved"),
    (2, "Reserved"),
    (3, "Destination unreachable"),
    (4, "Source quench (flow control)"),
    (5, "Redirect"),
    (6, "Alternate host address"),
    (8, "Echo (ping) request"),
    (9, "Router advertisement"),
    (10, "Router solicitation"),
    (11, "Time-to-live exceeded"),
    (12, "Parameter problem"),
    (13, "Timestamp request"),
    (14, "Timestamp reply"),
    (15, "Information request"),
    (16, "Information reply"),
    (17, "Address mask request"),
    (18, "Address mask reply"),
    (19, "Reserved (for security)"),
    (30, "Traceroute"),
    (31, "Datagram Conversion Error"),
    (32, "Mobile Host Redirect"),
    (33, "IPv6 Where-Are-You"),
    (34, "IPv6 I-Am-Here"),
    (35, "Mobile Registration Request"),
    (36, "Mobile Registration Reply"),
    (37, "Domain Name Request"),
    (38, "Domain Name Reply"),
    (39, "SKIP"),
    (40, "Photuris"),
    (41, "Experimental mobility protocols"),
    (42, "Extended Echo request"),
    (43, "Extended Echo reply"),
];

static UNREACH_CODES: &[(u8, &str)] = &[
    (0, "Network unreachable"),
    (1, "Host unreachable"),
    (2, "Protocol unreachable"),
    (3, "Port unreachable"),
    (4, "Fragmentation needed"),
    (5, "Source route failed"),
    (6, "Destination network unknown"),
    (7, "Destination host unknown"),
    (8, "Source host isolated"),
    (9, "Network administratively prohibited"),
    (10, "Host administratively prohibited"),
    (11, "Network unreachable for TOS"),
    (12, "Host unreachable for TOS"),
    (13, "Communication administratively filtered"),
    (14, "Host precedence violation"),
    (15, "Precedence cutoff in effect"),
];
static REDIRECT_CODES: &[(u8, &str)] =
    &[(0, "Redirect for network"), (1, "Redirect for host"), (2, "Redirect for TOS and network"), (3, "Redirect for TOS and host")];
static ALT_HOST_CODES: &[(u8, &str)] = &[(0, "Alternate address for host")];
static ROUTER_ADVERT_CODES: &[(u8, &str)] = &[(0, "Normal router advertisement"), (16, "Does not route common traffic")];
static TIME_EXCEEDED_CODES: &[(u8, &str)] = &[(0, "Time to live exceeded in transit"), (1, "Fragment reassembly time exceeded")];
static PARAM_PROBLEM_CODES: &[(u8, &str)] = &[(0, "Pointer indicates the error"), (1, "Required option missing"), (2, "Bad length")];
static PHOTURIS_CODES: &[(u8, &str)] = &[
    (0, "Bad SPI"),
    (1, "Authentication Failed"),
    (2, "Decompression Failed"),
    (3, "Decryption Failed"),
    (4, "Need Authentication"),
    (5, "Need Authorization"),
];
static EXT_ECHO_REQUEST_CODES: &[(u8, &str)] = &[(0, "No error")];
static EXT_ECHO_REPLY_CODES: &[(u8, &str)] = &[
    (0, "No error"),
    (1, "Malformed Query"),
    (2, "No Such Interface"),
    (3, "No Such Table Entry"),
    (4, "Multiple Interfaces Satisfy Query"),
];

fn lookup(table: &[(u8, &'static str)], v: u8) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, s)| *s)
}

fn type_name(typ: u8, code: u8) -> &'static str {
    match (typ, code) {
        // Wireshark names router advertisements by their Mobile IP use.
        (ROUTER_ADVERT, 0) | (ROUTER_ADVERT, 16) => "Mobile IP Advertisement",
        _ => lookup(TYPES, typ).unwrap_or("Unknown ICMP (obsolete or malformed?)"),
    }
}

/// The code's table, for the types whose codes Wireshark names.
fn code_table(typ: u8) -> Option<&'static [(u8, &'static str)]> {
    Some(match typ {
        UNREACH => UNREACH_CODES,
        REDIRECT => REDIRECT_CODES,
        ALT_HOST => ALT_HOST_CODES,
        ROUTER_ADVERT => ROUTER_ADVERT_CODES,
        TIME_EXCEEDED => TIME_EXCEEDED_CODES,
        PARAM_PROBLEM => PARAM_PROBLEM_CODES,
        40 => PHOTURIS_CODES,
        42 => EXT_ECHO_REQUEST_CODES,
        43 => EXT_ECHO_REPLY_CODES,
        _ => return None,
    })
}

/// Appends ` (code name)` (or ` (Unknown code: N)`) for types whose codes have names.
fn write_code(out: &mut String, typ: u8, code: u8) {
    if let Some(table) = code_table(typ) {
        match lookup(table, code) {
            Some(name) => {
                let _ = write!(out, " ({})", name);
            }
            None => {
                let _ = write!(out, " (Unknown code: {})", code);
            }
        }
    }
}

/// Messages that carry an identifier and sequence number.
fn has_ident(typ: u8) -> bool {
    matches!(typ, ECHO_REPLY | ECHO | TIMESTAMP | TIMESTAMP_REPLY | 15 | 16 | MASK_REQUEST | MASK_REPLY)
}

/// Error messages, which quote the offending datagram.
fn is_error(typ: u8) -> bool {
    matches!(typ, UNREACH | TIME_EXCEEDED | PARAM_PROBLEM | SOURCE_QUENCH | REDIRECT)
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("ICMP");
    ctx.cols.info.clear();
    // Wireshark reads type, code and the RFC 4884 length byte before anything else.
    layer.need(6)?;
    let typ = layer.u8(field::TYPE);
    let code = layer.u8(field::CODE);
    let orig_words = if typ == ALT_HOST { 0 } else { layer.u8(field::LENGTH) as usize };
    let in_error = quoted::in_error(ctx);
    let info = &mut ctx.cols.info;
    let _ = write!(info, "{:<20}", type_name(typ, code));
    write_code(info, typ, code);

    let top = ctx.add_protocol(parent, &ICMP, &layer);
    if ctx.tree.enabled() {
        add_type_and_code(ctx, top, &layer, typ, code);
    }
    let verdict = if in_error {
        Verdict::InErrorPacket
    } else if layer.len < layer.reported {
        Verdict::Incomplete
    } else {
        Verdict::Computed(cksum::compute(&[layer.bytes()]))
    };
    cksum::add_items(ctx, top, &layer, field::CHECKSUM, &CHECKSUM, &CHECKSUM_STATUS, verdict);

    if has_ident(typ) {
        layer.need(HEADER_LEN)?;
        let _ = write!(ctx.cols.info, " id=0x{:04x}, seq={}/{}", layer.u16(field::IDENT), layer.u16(field::SEQ), layer.u16_le(field::SEQ));
        if let Some(ttl) = enclosing_ttl(ctx, &layer) {
            let _ = write!(ctx.cols.info, ", ttl={}", ttl);
        }
    }
    if ctx.tree.enabled() {
        add_second_word(ctx, top, &layer, typ, code, orig_words);
    }

    match typ {
        t if is_error(t) => dissect_quote(ctx, top, &layer, typ, orig_words)?,
        ECHO | ECHO_REPLY => {
            if !in_error {
                match_echo(ctx, top, &layer, typ);
            }
            dissect_echo_data(ctx, top, &layer)?;
        }
        ROUTER_ADVERT => {
            let (count, size) = (layer.u8(field::NUM_ADDRS) as usize, layer.u8(field::ENTRY_SIZE));
            if size == 2 {
                // Mobile IP extensions that may follow the entries are not decoded.
                for i in 0..count {
                    let at = field::BODY + i * 8;
                    layer.need(at + 8)?;
                    ctx.add(top, &ROUTER_ADDRESS, &layer, at, 4, Value::Ipv4(layer.array(at)));
                    ctx.add(top, &PREF_LEVEL, &layer, at + 4, 4, Value::Int(layer.u32(at + 4) as i32 as i64));
                }
            } else {
                data::dissect(ctx, top, layer.sub(field::BODY, "data"))?;
            }
        }
        TIMESTAMP | TIMESTAMP_REPLY => {
            layer.need(field::TRANSMIT + 4)?;
            if ctx.tree.enabled() {
                add_timestamps(ctx, top, &layer);
            }
        }
        MASK_REQUEST | MASK_REPLY => {
            layer.need(field::MASK + 4)?;
            ctx.add(top, &ADDRESS_MASK, &layer, field::MASK, 4, Value::Ipv4(layer.array(field::MASK)));
        }
        _ => {}
    }
    Ok(layer.reported)
}

fn add_type_and_code(ctx: &mut Ctx, top: u32, layer: &Layer, typ: u8, code: u8) {
    let t = ctx.add_uint(top, &TYPE, layer, field::TYPE, 1, typ as u64);
    ctx.tree.append_text(t, &format!(" ({})", type_name(typ, code)));
    let c = ctx.add_uint(top, &CODE, layer, field::CODE, 1, code as u64);
    let mut name = String::new();
    write_code(&mut name, typ, code);
    ctx.tree.append_text(c, &name);
}

/// Bytes 4-7, whose meaning depends on the type (errors: unused, RFC 4884 length, MTU).
fn add_second_word(ctx: &mut Ctx, top: u32, l: &Layer, typ: u8, code: u8, orig_words: usize) {
    let add_length = |ctx: &mut Ctx| {
        ctx.add_uint(top, &LENGTH, l, field::LENGTH, 1, orig_words as u64);
        let n = ctx.add_uint(top, &LENGTH_ORIGINAL, l, field::LENGTH, 1, (orig_words * 4) as u64);
        if let Some(node) = ctx.tree.node_mut(n) {
            node.generated = true;
        }
    };
    match typ {
        t if has_ident(t) => {
            ctx.add_uint(top, &IDENT, l, field::IDENT, 2, l.u16(field::IDENT) as u64);
            ctx.add_uint(top, &IDENT_LE, l, field::IDENT, 2, l.u16_le(field::IDENT) as u64);
            ctx.add_uint(top, &SEQ, l, field::SEQ, 2, l.u16(field::SEQ) as u64);
            ctx.add_uint(top, &SEQ_LE, l, field::SEQ, 2, l.u16_le(field::SEQ) as u64);
        }
        UNREACH | TIME_EXCEEDED if orig_words > 0 => {
            ctx.add(top, &UNUSED, l, 4, 1, Value::Bytes);
            add_length(ctx);
            if typ == UNREACH && code == FRAG_NEEDED {
                ctx.add_uint(top, &MTU, l, field::MTU, 2, l.u16(field::MTU) as u64);
            } else {
                ctx.add(top, &UNUSED, l, 6, 2, Value::Bytes);
            }
        }
        UNREACH if code == FRAG_NEEDED => {
            ctx.add(top, &UNUSED, l, 4, 2, Value::Bytes);
            ctx.add_uint(top, &MTU, l, field::MTU, 2, l.u16(field::MTU) as u64);
        }
        UNREACH | TIME_EXCEEDED => {
            ctx.add(top, &UNUSED, l, 4, 4, Value::Bytes);
        }
        PARAM_PROBLEM => {
            ctx.add_uint(top, &POINTER, l, field::POINTER, 1, l.u8(field::POINTER) as u64);
            if orig_words > 0 {
                add_length(ctx);
                ctx.add(top, &UNUSED, l, 6, 2, Value::Bytes);
            } else {
                ctx.add(top, &UNUSED, l, 5, 3, Value::Bytes);
            }
        }
        REDIRECT => {
            ctx.add(top, &REDIR_GW, l, field::GATEWAY, 4, Value::Ipv4(l.array(field::GATEWAY)));
        }
        ROUTER_ADVERT => {
            ctx.add_uint(top, &NUM_ADDRS, l, field::NUM_ADDRS, 1, l.u8(field::NUM_ADDRS) as u64);
            ctx.add_uint(top, &ADDR_ENTRY_SIZE, l, field::ENTRY_SIZE, 1, l.u8(field::ENTRY_SIZE) as u64);
            let lifetime = l.u16(field::LIFETIME);
            let n = ctx.add_uint(top, &LIFETIME, l, field::LIFETIME, 2, lifetime as u64);
            let mut text = String::from(" (");
            write_duration(&mut text, lifetime as u32, 0);
            text.push(')');
            ctx.tree.append_text(n, &text);
        }
        _ => {}
    }
}

/// The datagram an error quotes, dissected as IPv4 under the ICMP tree.
fn dissect_quote(ctx: &mut Ctx, top: u32, layer: &Layer, typ: u8, orig_words: usize) -> DResult<()> {
    layer.need(field::BODY)?;
    let mut quote = layer.sub(field::BODY, "icmp quote");
    if typ == REDIRECT {
        // A redirect quotes the IP header and 64 bits of data, and has no RFC 4884 length.
        layer.need(field::BODY + 1)?;
        let n = (layer.u8(field::BODY) & 0x0f) as usize * 4 + 8;
        quote = quote.limit(n.min(quote.reported));
    } else if orig_words > 0 && layer.reported > field::BODY + orig_words * 4 {
        layer.need(field::BODY + 4)?;
        if layer.u16(field::BODY + 2) as usize > orig_words * 4 {
            let n = ((layer.u8(field::BODY) & 0x0f) as usize + orig_words) * 4;
            quote = quote.limit(n.min(quote.reported));
        }
    }
    // RFC 4884 / MPLS extension objects after the quote are not decoded.
    quoted::dissect(ctx, top, 0x0800, IPV4_HEADER_LEN, quote).map(|_| ())
}

/// The TTL of the IPv4 header carrying this layer, which Info shows for echo-like messages.
/// The IP layer hands over only its payload, so the header is found in the frame just before
/// it: the one whose header length ends exactly here and whose addresses are the ones it set.
fn enclosing_ttl(ctx: &Ctx, layer: &Layer) -> Option<u8> {
    let (src, dst) = (ctx.net_src?, ctx.net_dst?);
    if src.v6 || dst.v6 {
        return None;
    }
    (IPV4_HEADER_LEN..=60).step_by(4).find_map(|hlen| {
        let h = ctx.data.get(layer.start.checked_sub(hlen)?..layer.start)?;
        let fits = h[0] == 0x40 | (hlen / 4) as u8 && h[9] == 1 && h[12..16] == src.bytes[..4] && h[16..20] == dst.bytes[..4];
        if fits {
            Some(h[8])
        } else {
            None
        }
    })
}

/// Matches an echo request or reply and shows the result (Wireshark's transaction_start/end).
fn match_echo(ctx: &mut Ctx, top: u32, layer: &Layer, typ: u8) {
    let (src, dst) = match (ctx.net_src, ctx.net_dst) {
        (Some(s), Some(d)) => (s, d),
        _ => return,
    };
    let checksum = layer.u16(field::CHECKSUM);
    let ident_seq = (layer.u16(field::IDENT) as u32) << 16 | layer.u16(field::SEQ) as u32;
    // A reply's checksum differs from its request's by the type byte (8 -> 0); the request
    // keys on the checksum its reply will carry, with 0xffff and 0 being the same sum.
    let reply_checksum = if typ == ECHO { !cksum::add(!checksum, &(!0x0800u16).to_be_bytes()) } else { checksum };
    let key = if reply_checksum == 0xffff { 0 } else { reply_checksum as u32 };
    let echo = Echo { family: Family::V4, frame: ctx.meta.number, offset: layer.start as u32, ts: ctx.meta.ts_ns, src, dst, words: [key, ident_seq] };
    let found: EchoMatch = if ctx.revisit {
        ctx.state.icmp.stored(echo.frame, echo.offset)
    } else if typ == ECHO {
        ctx.state.icmp.request(&echo)
    } else {
        ctx.state.icmp.reply(&echo)
    };
    if typ == ECHO {
        match found {
            Some(t) if t.reply != 0 => {
                let _ = write!(ctx.cols.info, " (reply in {})", t.reply);
                ctx.tree.add_generated(top, &RESP_IN, Value::Uint(t.reply as u64));
            }
            // The first pass cannot know yet; Wireshark decides on its second pass.
            Some(_) if !ctx.revisit => {}
            _ if is_broadcast_or_multicast(dst) => {
                let b = dst.bytes[..4] == [255; 4];
                ctx.cols.info.push_str(if b { " (broadcast)" } else { " (multicast)" });
            }
            _ => {
                ctx.cols.info.push_str(" (no response found!)");
                let n = ctx.tree.add_generated(top, &NO_RESP, Value::None);
                ctx.tree.set_expert(n, Severity::Warn, Group::Sequence, "No response seen to ICMP request");
            }
        }
    } else if let Some(t) = found {
        let _ = write!(ctx.cols.info, " (request in {})", t.request);
        ctx.tree.add_generated(top, &RESP_TO, Value::Uint(t.request as u64));
        let ms = (ctx.meta.ts_ns - t.request_ts) as f64 / 1e6;
        let n = ctx.tree.add_generated(top, &RESPTIME, Value::Double(ms));
        ctx.tree.set_label(n, format!("[Response time: {:.3} ms]", ms));
    }
}

fn is_broadcast_or_multicast(a: NetAddr) -> bool {
    !a.v6 && (a.bytes[0] & 0xf0 == 0xe0 || a.bytes[..4] == [255; 4])
}

/// Echo data: a `struct timeval` ping put first, when it looks like one, then the rest as data.
fn dissect_echo_data(ctx: &mut Ctx, top: u32, layer: &Layer) -> DResult<()> {
    let captured = layer.len.saturating_sub(field::BODY);
    if captured < 8 {
        if captured > 0 {
            data::dissect(ctx, top, layer.sub(field::BODY, "data"))?;
        }
        return Ok(());
    }
    let frame_secs = ctx.meta.ts_ns.div_euclid(1_000_000_000);
    // Within a day of the frame, with a valid microsecond count: big-endian first, as Wireshark.
    let plausible = |secs: u32, usecs: u32| ((secs as i64).wrapping_sub(frame_secs) as i32).wrapping_abs() < 86_400 && usecs < 1_000_000;
    let at = field::BODY;
    let (be, le) = ((layer.u32(at), layer.u32(at + 4)), (layer.u32_le(at), layer.u32_le(at + 4)));
    let stamp = if plausible(be.0, be.1) {
        Some(be)
    } else if plausible(le.0, le.1) {
        Some(le)
    } else {
        None
    };
    match stamp {
        Some((secs, usecs)) => {
            let ts = secs as i64 * 1_000_000_000 + usecs as i64 * 1000;
            ctx.add(top, &DATA_TIME, layer, at, 8, Value::Time(ts));
            let n = ctx.add(top, &DATA_TIME_RELATIVE, layer, at, 8, Value::Time(ctx.meta.ts_ns - ts));
            if let Some(node) = ctx.tree.node_mut(n) {
                node.generated = true;
            }
            data::dissect(ctx, top, layer.sub(at + 8, "data"))?;
        }
        None => {
            data::dissect(ctx, top, layer.sub(at, "data"))?;
        }
    }
    Ok(())
}

/// Originate, receive and transmit timestamps, in milliseconds after midnight UTC (or not).
fn add_timestamps(ctx: &mut Ctx, top: u32, layer: &Layer) {
    let ns = ctx.meta.ts_ns;
    let frame_ms = (ns.div_euclid(1_000_000_000) * 1000 + ns.rem_euclid(1_000_000_000) / 1_000_000).rem_euclid(MS_PER_DAY as i64) as u32;
    for (f, at) in [(&ORIGINATE_TIMESTAMP, field::ORIGINATE), (&RECEIVE_TIMESTAMP, field::RECEIVE), (&TRANSMIT_TIMESTAMP, field::TRANSMIT)] {
        let n = ctx.add_uint(top, f, layer, at, 4, layer.u32(at) as u64);
        let ms = best_guess_ms_of_day(layer.u32(at), layer.u32_le(at), frame_ms);
        let mut text = String::from(" (");
        write_duration(&mut text, ms / 1000, ms % 1000);
        text.push_str(" after midnight UTC)");
        ctx.tree.append_text(n, &text);
    }
}

/// Which byte order makes a timestamp milliseconds of the day, closest to the frame's
/// (Wireshark's get_best_guess_mstimeofday; the top bit marks non-standard values).
fn best_guess_ms_of_day(be: u32, le: u32, frame_ms: u32) -> u32 {
    let (mut be, mut le) = (be & 0x7fff_ffff, le & 0x7fff_ffff);
    if be < MS_PER_DAY && le >= MS_PER_DAY {
        return be;
    }
    if le < MS_PER_DAY && be >= MS_PER_DAY {
        return le;
    }
    if be < MS_PER_DAY && le < MS_PER_DAY {
        let (saved_be, saved_le) = (be, le);
        let rollover = |t: u32| t < frame_ms && t <= MS_PER_DAY / 4 && frame_ms >= MS_PER_DAY - MS_PER_DAY / 4;
        if rollover(be) {
            be += MS_PER_DAY;
        }
        if rollover(le) {
            le += MS_PER_DAY;
        }
        return if be.wrapping_sub(frame_ms) < le.wrapping_sub(frame_ms) { saved_be } else { saved_le };
    }
    if be.wrapping_sub(frame_ms) < le.wrapping_sub(frame_ms) {
        be
    } else {
        le
    }
}

/// Wireshark's duration text: `1 day, 2 hours, 3 minutes, 4.005 seconds`, `0 seconds`.
fn write_duration(out: &mut String, secs: u32, ms: u32) {
    if secs == 0 && ms == 0 {
        out.push_str("0 seconds");
        return;
    }
    let parts = [(secs / 86_400, "day"), (secs / 3600 % 24, "hour"), (secs / 60 % 60, "minute")];
    let mut first = true;
    for (n, unit) in parts {
        if n != 0 {
            let _ = write!(out, "{}{} {}{}", if first { "" } else { ", " }, n, unit, if n == 1 { "" } else { "s" });
            first = false;
        }
    }
    let s = secs % 60;
    if s != 0 || ms != 0 {
        let sep = if first { "" } else { ", " };
        let _ = if ms != 0 {
            write!(out, "{}{}.{:03} seconds", sep, s, ms)
        } else {
            write!(out, "{}{} second{}", sep, s, if s == 1 { "" } else { "s" })
        };
    }
}
