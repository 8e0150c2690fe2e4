//! `icmp`: ICMP for IPv4 (RFC 792; RFC 1191 MTU, RFC 1256 router discovery, RFC 4884 lengths):
//! types and codes with Wireshark's names, checksum verification, echo identifier and sequence
//! number in both byte orders, echo request/reply matching (`analysis::icmp`, via `icmp_echo`), the timestamp
//! ping puts in its data, and the IP packet quoted by error messages.

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::cksum::{self, Verdict};
use crate::proto::icmp_echo::{add_timestamps, dissect_echo_data, enclosing_ttl, match_echo, write_duration};
use crate::proto::{data, quoted};
use crate::tree::Value;
use std::fmt::Write;

pub(super) mod field {
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
pub(super) const IPV4_HEADER_LEN: usize = 20;

const ECHO_REPLY: u8 = 0;
const UNREACH: u8 = 3;
const SOURCE_QUENCH: u8 = 4;
const REDIRECT: u8 = 5;
const ALT_HOST: u8 = 6;
pub(super) const ECHO: u8 = 8;
const ROUTER_ADVERT: u8 = 9;
const TIME_EXCEEDED: u8 = 11;
const PARAM_PROBLEM: u8 = 12;
const TIMESTAMP: u8 = 13;
const TIMESTAMP_REPLY: u8 = 14;
const MASK_REQUEST: u8 = 17;
const MASK_REPLY: u8 = 18;
const FRAG_NEEDED: u8 = 4;
pub(super) const MS_PER_DAY: u32 = 86_400_000;

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

pub static RESP_NOT_FOUND: FieldDef = FieldDef::new("Response not found", "icmp.resp_not_found", FieldType::None);
pub static CHECKSUM_BAD: FieldDef = FieldDef::new("Bad checksum", "icmp.checksum_bad", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &ICMP, &TYPE, &CODE, &CHECKSUM, &CHECKSUM_STATUS, &UNUSED, &IDENT, &IDENT_LE, &SEQ, &SEQ_LE, &MTU, &NUM_ADDRS,
    &ADDR_ENTRY_SIZE, &LIFETIME, &POINTER, &ROUTER_ADDRESS, &PREF_LEVEL, &ORIGINATE_TIMESTAMP, &RECEIVE_TIMESTAMP,
    &TRANSMIT_TIMESTAMP, &ADDRESS_MASK, &REDIR_GW, &RESP_IN, &NO_RESP, &RESP_TO, &RESPTIME, &DATA_TIME,
    &DATA_TIME_RELATIVE, &LENGTH, &LENGTH_ORIGINAL, &RESP_NOT_FOUND, &CHECKSUM_BAD,
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
    // The layer counts in frame.protocols even if it is too short for its first reads.
    ctx.protocols.push(ICMP.abbrev);
    // Wireshark reads type, code and the RFC 4884 length byte before anything else.
    layer.need(6)?;
    let typ = layer.u8(field::TYPE);
    let code = layer.u8(field::CODE);
    let orig_words = if typ == ALT_HOST { 0 } else { layer.u8(field::LENGTH) as usize };
    let in_error = quoted::in_error(ctx);
    let info = &mut ctx.cols.info;
    let _ = write!(info, "{:<20}", type_name(typ, code));
    write_code(info, typ, code);

    let top = ctx.tree.add(parent, &ICMP, layer.start, layer.len, Value::None);
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
    cksum::add_items(ctx, top, &layer, field::CHECKSUM, [&CHECKSUM, &CHECKSUM_STATUS, &CHECKSUM_BAD], verdict);

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
    crate::append_label!(ctx.tree, t, " ({})", type_name(typ, code));
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
    quoted::dissect(ctx, top, 0x0800, quote);
    Ok(())
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::packet::{Columns, FrameMeta};
    use crate::session::tests::summary_of;
    use crate::session::Session;

    pub const ECHO_REQUEST: [u8; 98] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x45, 0x00,
        0x00, 0x54, 0x77, 0x46, 0x40, 0x00, 0x40, 0x01, 0xc5, 0x60, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00,
        0x00, 0x01, 0x08, 0x00, 0x34, 0x14, 0x79, 0x9e, 0x00, 0x01, 0xbc, 0x29, 0x06, 0x6b, 0x00, 0x00,
        0x00, 0x00, 0xc8, 0xe4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
        0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
        0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
        0x36, 0x37,
    ];
    pub const PORT_UNREACHABLE: [u8; 77] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x45, 0xc0,
        0x00, 0x3f, 0x77, 0x9a, 0x00, 0x00, 0x40, 0x01, 0x04, 0x62, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00,
        0x00, 0x01, 0x03, 0x03, 0xa3, 0x5a, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x23, 0x2c, 0xf3,
        0x40, 0x00, 0x40, 0x11, 0x0f, 0xd5, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, 0xe4, 0x22,
        0x00, 0x09, 0x00, 0x0f, 0xfe, 0x22, 0x63, 0x6c, 0x6f, 0x73, 0x65, 0x64, 0x3f,
    ];

    /// The frames of a classic little-endian pcap (the project's fixtures).
    pub fn pcap_frames(file: &[u8]) -> Vec<(FrameMeta, Vec<u8>)> {
        let u32_at = |at: usize| u32::from_le_bytes([file[at], file[at + 1], file[at + 2], file[at + 3]]);
        let linktype = u32_at(20);
        let mut frames = Vec::new();
        let mut at = 24;
        while at + 16 <= file.len() {
            let (secs, usecs, caplen, origlen) = (u32_at(at), u32_at(at + 4), u32_at(at + 8), u32_at(at + 12));
            let data = file[at + 16..at + 16 + caplen as usize].to_vec();
            let ts_ns = secs as i64 * 1_000_000_000 + usecs as i64 * 1000;
            let number = frames.len() as u32 + 1;
            frames.push((FrameMeta { number, linktype, caplen, origlen, ts_ns, ts_digits: 6, ..Default::default() }, data));
            at += 16 + caplen as usize;
        }
        frames
    }

    /// Info of every frame after the first pass (tshark -n -r) and on a revisit (tshark -2).
    pub fn infos(frames: &[(FrameMeta, Vec<u8>)]) -> (Vec<String>, Vec<String>) {
        let mut s = Session::new();
        let first = frames
            .iter()
            .map(|(m, d)| {
                s.ingest(*m, d, false);
                s.columns().info.clone()
            })
            .collect();
        let second = frames
            .iter()
            .map(|(m, d)| {
                s.revisit(*m, d, false);
                s.columns().info.clone()
            })
            .collect();
        (first, second)
    }

    /// An Ethernet frame carrying `icmp` (checksum filled in) from `src` to `dst`, TTL 64.
    pub fn ipv4_frame(src: [u8; 4], dst: [u8; 4], icmp: &[u8]) -> (FrameMeta, Vec<u8>) {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0]);
        f[16..18].copy_from_slice(&(20 + icmp.len() as u16).to_be_bytes());
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        let at = f.len();
        f.extend_from_slice(icmp);
        f[at + 2..at + 4].copy_from_slice(&[0, 0]);
        let c = cksum::compute(&[&f[at..]]);
        f[at + 2..at + 4].copy_from_slice(&c.to_be_bytes());
        let n = f.len() as u32;
        (FrameMeta { linktype: 1, caplen: n, origlen: n, ts_digits: 6, ..Default::default() }, f)
    }

    fn numbered(frames: Vec<(FrameMeta, Vec<u8>)>) -> Vec<(FrameMeta, Vec<u8>)> {
        frames.into_iter().enumerate().map(|(i, (m, d))| (FrameMeta { number: i as u32 + 1, ts_ns: i as i64 * 1_000_000, ..m }, d)).collect()
    }

    fn tree_value(s: &Session, abbrev: &str) -> Option<Value> {
        s.tree().nodes.iter().find(|n| n.field.abbrev == abbrev).map(|n| n.value.clone())
    }

    #[test]
    fn a_ping_request_reads_as_tshark_shows_it() {
        let (cols, protos) = summary_of(1, &ECHO_REQUEST);
        assert_eq!(cols.protocol, "ICMP");
        assert_eq!(cols.info, "Echo (ping) request  id=0x799e, seq=1/256, ttl=64");
        assert_eq!(protos, "eth:ethertype:ip:icmp:data");
        let mut s = Session::new();
        s.ingest(FrameMeta { linktype: 1, caplen: 98, origlen: 98, ts_ns: 1_795_566_100_000_000_000, ts_digits: 6, ..Default::default() }, &ECHO_REQUEST, true);
        assert_eq!(tree_value(&s, "icmp.checksum.status"), Some(Value::Uint(1)), "checksum verified good");
        assert_eq!(tree_value(&s, "icmp.ident"), Some(Value::Uint(0x799e)));
        assert_eq!(tree_value(&s, "icmp.ident_le"), Some(Value::Uint(0x9e79)));
        assert_eq!(tree_value(&s, "icmp.seq_le"), Some(Value::Uint(256)));
        // Linux ping's 64-bit timeval, read as Wireshark 4.0 does: 32-bit seconds, then the
        // high half of the seconds as microseconds (0).
        assert_eq!(tree_value(&s, "icmp.data_time"), Some(Value::Time(1_795_566_012 * 1_000_000_000)));
        assert_eq!(tree_value(&s, "data.len"), Some(Value::Int(48)));
    }

    #[test]
    fn the_ping_fixture_matches_tshark_in_both_passes() {
        let frames = pcap_frames(include_bytes!("../../../../test-fixtures/captures/icmp-ping.pcap"));
        let (first, second) = infos(&frames);
        let request = |seq: u32, more: &str| format!("Echo (ping) request  id=0x799e, seq={}/{}, ttl=64{}", seq, seq * 256, more);
        let reply = |seq: u32, req: u32| format!("Echo (ping) reply    id=0x799e, seq={}/{}, ttl=64 (request in {})", seq, seq * 256, req);
        assert_eq!(first[..6], [request(1, ""), reply(1, 1), request(2, ""), reply(2, 3), request(3, ""), reply(3, 5)]);
        assert_eq!(first[13], "Destination unreachable (Port unreachable)");
        // tshark -2 knows the replies when it shows the requests; a revisit does too.
        let with_reply = |seq: u32, r: u32| request(seq, &format!(" (reply in {})", r));
        assert_eq!(second[..6], [with_reply(1, 2), reply(1, 1), with_reply(2, 4), reply(2, 3), with_reply(3, 6), reply(3, 5)]);
        assert_eq!(second[13], first[13]);
    }

    #[test]
    fn the_routed_fixture_matches_tshark_in_both_passes() {
        let frames = pcap_frames(include_bytes!("../../../../test-fixtures/captures/icmp-routed.pcap"));
        let (first, second) = infos(&frames);
        assert_eq!(first[6], "Echo (ping) reply    id=0x161e, seq=1/256, ttl=63 (request in 6)");
        assert_eq!(first[15], "Echo (ping) request  id=0x1641, seq=1/256, ttl=1");
        assert_eq!(first[16], "Time-to-live exceeded (Time to live exceeded in transit)");
        assert_eq!(first[21], "Destination unreachable (Host unreachable)");
        assert_eq!(second[5], "Echo (ping) request  id=0x161e, seq=1/256, ttl=64 (reply in 7)");
        // The request that only drew an error has no reply: tshark -2 says so.
        assert_eq!(second[15], "Echo (ping) request  id=0x1641, seq=1/256, ttl=1 (no response found!)");
        assert_eq!(second[19], "Echo (ping) request  id=0x164b, seq=1/256, ttl=64 (no response found!)");
    }

    #[test]
    fn a_request_to_broadcast_or_multicast_is_not_reported_unanswered() {
        let echo = [8, 0, 0, 0, 0x12, 0x34, 0, 2, b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h'];
        let frames = numbered(vec![
            ipv4_frame([10, 0, 0, 1], [255, 255, 255, 255], &echo),
            ipv4_frame([10, 0, 0, 1], [224, 0, 0, 1], &echo),
            ipv4_frame([10, 0, 0, 1], [10, 0, 0, 2], &echo),
        ]);
        let (first, second) = infos(&frames);
        assert_eq!(first[0], "Echo (ping) request  id=0x1234, seq=2/512, ttl=64");
        assert_eq!(second[0], "Echo (ping) request  id=0x1234, seq=2/512, ttl=64 (broadcast)");
        assert!(second[1].ends_with(" (multicast)"));
        assert!(second[2].ends_with(" (no response found!)"));
        let mut s = Session::new();
        for (m, d) in &frames {
            s.ingest(*m, d, false);
        }
        s.revisit(frames[2].0, &frames[2].1, true);
        // The item with its expert subtree: the expert's own field, then the message.
        let t = s.tree();
        let n = t.nodes.iter().position(|n| n.field.abbrev == "icmp.no_resp").expect("icmp.no_resp") as u32;
        let e = t.nodes.iter().position(|x| x.parent == n && x.field.abbrev == "_ws.expert").expect("_ws.expert") as u32;
        assert_eq!(t.nodes[e as usize].expert.as_ref().map(|e| e.message.as_str()), Some("No response seen to ICMP request"));
        let own: Vec<&str> = t.nodes.iter().filter(|x| x.parent == e).map(|x| x.field.abbrev).collect();
        assert_eq!(own[..2], ["icmp.resp_not_found", "_ws.expert.message"]);
    }

    #[test]
    fn only_the_first_reply_is_matched_and_timed() {
        let request = [8, 0, 0, 0, 0xbe, 0xef, 0, 1, b'p', b'i', b'n', b'g'];
        let mut reply = request;
        reply[0] = 0;
        let frames = numbered(vec![
            ipv4_frame([10, 1, 0, 1], [10, 1, 0, 2], &request),
            ipv4_frame([10, 1, 0, 2], [10, 1, 0, 1], &reply),
            ipv4_frame([10, 1, 0, 2], [10, 1, 0, 1], &reply),
            ipv4_frame([10, 1, 0, 3], [10, 1, 0, 1], &reply),
        ]);
        let (first, second) = infos(&frames);
        assert!(first[1].ends_with("ttl=64 (request in 1)"));
        assert!(first[2].ends_with("ttl=64"), "a duplicate reply: {}", first[2]);
        assert!(first[3].ends_with("ttl=64"), "a reply from a stranger: {}", first[3]);
        assert_eq!(first[1..], second[1..]);
        let mut s = Session::new();
        s.ingest(frames[0].0, &frames[0].1, false);
        s.ingest(frames[1].0, &frames[1].1, true);
        assert_eq!(tree_value(&s, "icmp.resp_to"), Some(Value::Uint(1)));
        assert_eq!(tree_value(&s, "icmp.resptime"), Some(Value::Double(1.0)));
    }

    #[test]
    fn an_error_quotes_the_datagram_without_touching_the_columns() {
        let (cols, protos) = summary_of(1, &PORT_UNREACHABLE);
        let Columns { protocol, info, src, dst, .. } = cols;
        assert_eq!((protocol.as_str(), info.as_str()), ("ICMP", "Destination unreachable (Port unreachable)"));
        assert_eq!((src.as_str(), dst.as_str()), ("127.0.0.1", "127.0.0.1"));
        assert_eq!(protos, "eth:ethertype:ip:icmp:ip:udp:data");
        let mut s = Session::new();
        s.ingest(FrameMeta { linktype: 1, caplen: 77, origlen: 77, ts_digits: 6, ..Default::default() }, &PORT_UNREACHABLE, true);
        let t = s.tree();
        let icmp = t.nodes.iter().position(|n| n.field.abbrev == "icmp").unwrap() as u32;
        let inner_ip = t.nodes.iter().rposition(|n| n.field.abbrev == "ip").unwrap();
        assert_eq!(t.nodes[inner_ip].parent, icmp, "the quoted IP header sits under ICMP");
        assert_eq!(t.nodes.iter().filter(|n| n.field.abbrev == "ip.src").count(), 2);
    }

    #[test]
    fn a_quote_cut_inside_the_transport_header_is_not_malformed() {
        // A router's port unreachable quoting the IP header and 8 bytes of a 40-byte UDP datagram.
        let mut quote = vec![0x45, 0, 0, 60, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 8, 8, 8, 8];
        quote.extend_from_slice(&[0x14, 0xe9, 0, 53, 0, 40, 0, 0]);
        let mut msg = vec![3, 1, 0, 0, 0, 0, 0, 0];
        msg.extend_from_slice(&quote);
        let (m, f) = ipv4_frame([10, 0, 0, 254], [10, 0, 0, 1], &msg);
        let (cols, protos) = summary_of(m.linktype, &f);
        assert_eq!(cols.info, "Destination unreachable (Host unreachable)");
        assert_eq!(protos, "eth:ethertype:ip:icmp:ip:udp");
        // Nor is a quote too short for an IP header: Wireshark never marks a frame for its quote.
        let (m, f) = ipv4_frame([10, 0, 0, 254], [10, 0, 0, 1], &msg[..8 + 12]);
        assert_eq!(summary_of(m.linktype, &f).0.info, "Destination unreachable (Host unreachable)");
    }

    #[test]
    fn a_bad_checksum_is_reported_with_the_value_it_should_have() {
        let mut f = ECHO_REQUEST;
        f[36] ^= 0xff;
        let mut s = Session::new();
        s.ingest(FrameMeta { linktype: 1, caplen: 98, origlen: 98, ts_digits: 6, ..Default::default() }, &f, true);
        assert_eq!(s.columns().info, "Echo (ping) request  id=0x799e, seq=1/256, ttl=64", "Info does not change");
        let t = s.tree();
        let c = t.nodes.iter().position(|n| n.field.abbrev == "icmp.checksum").unwrap() as u32;
        let right = u16::from_be_bytes([ECHO_REQUEST[36], ECHO_REQUEST[37]]);
        assert_eq!(t.label(c), format!("Checksum: 0x{:04x} incorrect, should be 0x{:04x}", u16::from_be_bytes([f[36], f[37]]), right));
        assert_eq!(tree_value(&s, "icmp.checksum.status"), Some(Value::Uint(0)));
    }

    #[test]
    fn every_truncation_and_a_short_header_are_handled() {
        for frame in [&ECHO_REQUEST[..], &PORT_UNREACHABLE[..]] {
            for n in 0..frame.len() {
                let (cols, _) = summary_of(1, &frame[..n]);
                assert!(n < 38 || cols.protocol == "ICMP", "{}: {:?}", n, cols);
            }
        }
        // Five bytes of ICMP: too short for the RFC 4884 length byte Wireshark reads first.
        let (m, f) = ipv4_frame([10, 0, 0, 1], [10, 0, 0, 2], &[8, 0, 0, 0, 0]);
        let (cols, protos) = summary_of(m.linktype, &f);
        assert_eq!(cols.info, "[Malformed Packet]");
        assert!(protos.starts_with("eth:ethertype:ip:icmp"), "the layer still counts: {}", protos);
    }
}
