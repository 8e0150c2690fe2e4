//! `icmpv6`: ICMPv6 (RFC 4443): errors with the quoted packet, echo with request/reply
//! matching (`analysis::icmp`), Neighbor Discovery messages (RFC 4861; their options are in
//! `icmpv6_opt`), and Multicast Listener Discovery v1/v2 (RFC 2710, RFC 3810; in `icmpv6_mld`).

use crate::addr;
use crate::analysis::icmp::{Echo, EchoMatch, Family};
use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::cksum::{self, Verdict};
use crate::proto::{data, icmpv6_mld, icmpv6_opt, quoted};
use crate::tree::{Group, Severity, Value};
use std::fmt::Write;

mod field {
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: usize = 2;
    pub const BODY: usize = 4;
    pub const ECHO_ID: usize = 4;
    pub const ECHO_SEQ: usize = 6;
    /// Errors: the quoted packet. Neighbor Discovery: the target address.
    pub const QUOTE: usize = 8;
    pub const TARGET: usize = 8;
    pub const REDIRECT_DEST: usize = 24;
    pub const RA_REACHABLE: usize = 8;
    pub const RA_RETRANS: usize = 12;
}
const IPV6_HEADER_LEN: usize = 40;

const DST_UNREACH: u8 = 1;
const PACKET_TOO_BIG: u8 = 2;
const TIME_EXCEEDED: u8 = 3;
const PARAM_PROBLEM: u8 = 4;
const ECHO_REQUEST: u8 = 128;
const ECHO_REPLY: u8 = 129;
const MLD_QUERY: u8 = 130;
const MLD_REPORT: u8 = 131;
const MLD_DONE: u8 = 132;
const ROUTER_SOLICIT: u8 = 133;
const ROUTER_ADVERT: u8 = 134;
const NEIGHBOR_SOLICIT: u8 = 135;
const NEIGHBOR_ADVERT: u8 = 136;
const REDIRECT: u8 = 137;
const IND_SOLICIT: u8 = 141;
const IND_ADVERT: u8 = 142;
const MLDV2_REPORT: u8 = 143;

pub static ICMPV6: FieldDef = FieldDef::protocol("Internet Control Message Protocol v6", "icmpv6");
pub static TYPE: FieldDef = FieldDef::new("Type", "icmpv6.type", FieldType::Uint8).strings(TYPES).blurb("Indicates the type of the message");
pub static CODE: FieldDef = FieldDef::new("Code", "icmpv6.code", FieldType::Uint8).blurb("Depends on the message type.  It is used to create an additional level of message granularity");
pub static CHECKSUM: FieldDef = FieldDef::new("Checksum", "icmpv6.checksum", FieldType::Uint16).base(Base::Hex).blurb("Used to detect data corruption in the ICMPv6 message and parts of the IPv6 header");
pub static CHECKSUM_STATUS: FieldDef = FieldDef::new("Checksum Status", "icmpv6.checksum.status", FieldType::Uint8).strings(crate::proto::vals::CHECKSUM_STATUS);
pub static RESERVED: FieldDef = FieldDef::new("Reserved", "icmpv6.reserved", FieldType::Bytes).blurb("Must be Zero");
pub static DATA: FieldDef = FieldDef::new("Data", "icmpv6.data", FieldType::Bytes);
pub static MTU: FieldDef = FieldDef::new("MTU", "icmpv6.mtu", FieldType::Uint32).blurb("The Maximum Transmission Unit of the next-hop link");
pub static POINTER: FieldDef = FieldDef::new("Pointer", "icmpv6.pointer", FieldType::Uint32).blurb("Identifies the octet offset within the invoking packet where the error was detected");
pub static ECHO_ID: FieldDef = FieldDef::new("Identifier", "icmpv6.echo.identifier", FieldType::Uint16).base(Base::Hex).blurb("An identifier to aid in matching with Request and Reply");
pub static ECHO_SEQ: FieldDef = FieldDef::new("Sequence", "icmpv6.echo.sequence_number", FieldType::Uint16).blurb("A sequence number to aid in matching Echo Replies to this Echo Request");
pub static LENGTH: FieldDef = FieldDef::new("Length of original datagram", "icmpv6.length", FieldType::Uint8).blurb("The length of the original datagram");
pub static RA_HOP_LIMIT: FieldDef = FieldDef::new("Cur hop limit", "icmpv6.nd.ra.cur_hop_limit", FieldType::Uint8).blurb("The default value that should be placed in the Hop Count field of the IP header for outgoing IP packets");
pub static RA_FLAG: FieldDef = FieldDef::new("Flags", "icmpv6.nd.ra.flag", FieldType::Uint8).base(Base::Hex);
pub static RA_FLAG_M: FieldDef = FieldDef::new("Managed address configuration", "icmpv6.nd.ra.flag.m", FieldType::Bool).bits(8, 0x80).blurb("When set, it indicates that addresses are available via DHCPv6");
pub static RA_FLAG_O: FieldDef = FieldDef::new("Other configuration", "icmpv6.nd.ra.flag.o", FieldType::Bool).bits(8, 0x40).blurb("When set, it indicates that other configuration information is available via DHCPv6");
pub static RA_FLAG_H: FieldDef = FieldDef::new("Home Agent", "icmpv6.nd.ra.flag.h", FieldType::Bool).bits(8, 0x20).blurb("When set, it indicate that the router sending this Router Advertisement is also functioning as a Mobile IPv6 home agent on this link");
pub static RA_FLAG_PRF: FieldDef = FieldDef::new("Prf (Default Router Preference)", "icmpv6.nd.ra.flag.prf", FieldType::Uint8).bits(8, 0x18).strings(ROUTER_PREFERENCE).blurb("Indicates whether to prefer this router over other default routers");
pub static RA_FLAG_P: FieldDef = FieldDef::new("Proxy", "icmpv6.nd.ra.flag.p", FieldType::Bool).bits(8, 0x4);
pub static RA_FLAG_RSV: FieldDef = FieldDef::new("Reserved", "icmpv6.nd.ra.flag.rsv", FieldType::Uint8).bits(8, 0x3).blurb("Must be Zero");
pub static RA_ROUTER_LIFETIME: FieldDef = FieldDef::new("Router lifetime (s)", "icmpv6.nd.ra.router_lifetime", FieldType::Uint16).blurb("The lifetime associated with the default router");
pub static RA_REACHABLE: FieldDef = FieldDef::new("Reachable time (ms)", "icmpv6.nd.ra.reachable_time", FieldType::Uint32).blurb("The time that a node assumes a neighbor is reachable after having received a reachability confirmation");
pub static RA_RETRANS: FieldDef = FieldDef::new("Retrans timer (ms)", "icmpv6.nd.ra.retrans_timer", FieldType::Uint32).blurb("The time between retransmitted Neighbor Solicitation messages");
pub static NS_TARGET: FieldDef = FieldDef::new("Target Address", "icmpv6.nd.ns.target_address", FieldType::Ipv6).blurb("The IP address of the target of the solicitation");
pub static NA_FLAG: FieldDef = FieldDef::new("Flags", "icmpv6.nd.na.flag", FieldType::Uint32).base(Base::Hex);
pub static NA_FLAG_R: FieldDef = FieldDef::new("Router", "icmpv6.nd.na.flag.r", FieldType::Bool).bits(32, 0x80000000).blurb("When set, it indicates that the sender is a router");
pub static NA_FLAG_S: FieldDef = FieldDef::new("Solicited", "icmpv6.nd.na.flag.s", FieldType::Bool).bits(32, 0x40000000).blurb("When set, it indicates that the advertisement was sent in response to a Neighbor Solicitation from the Destination address");
pub static NA_FLAG_O: FieldDef = FieldDef::new("Override", "icmpv6.nd.na.flag.o", FieldType::Bool).bits(32, 0x20000000).blurb("When set, it indicates that the advertisement should override an existing cache entry and update the cached link-layer address");
pub static NA_FLAG_RSV: FieldDef = FieldDef::new("Reserved", "icmpv6.nd.na.flag.rsv", FieldType::Uint32).bits(32, 0x1fffffff).blurb("Must be Zero");
pub static NA_TARGET: FieldDef = FieldDef::new("Target Address", "icmpv6.nd.na.target_address", FieldType::Ipv6).blurb("the Target Address field in the Neighbor Solicitation message that prompted this advertisement");
pub static RD_TARGET: FieldDef = FieldDef::new("Target Address", "icmpv6.nd.rd.target_address", FieldType::Ipv6).blurb("An IP address that is a better first hop to use for the ICMP Destination Address");
pub static RD_DESTINATION: FieldDef = FieldDef::new("Destination Address", "icmpv6.rd.na.destination_address", FieldType::Ipv6).blurb("The IP address of the destination that is redirected to the target");
pub static RESP_IN: FieldDef = FieldDef::new("Response In", "icmpv6.resp_in", FieldType::FrameNum).blurb("The response to this request is in this frame");
pub static NO_RESP: FieldDef = FieldDef::new("No response seen", "icmpv6.no_resp", FieldType::None).blurb("No corresponding response frame was seen");
pub static RESP_TO: FieldDef = FieldDef::new("Response To", "icmpv6.resp_to", FieldType::FrameNum).blurb("This is the response to the request in this frame");
pub static RESPTIME: FieldDef = FieldDef::new("Response Time", "icmpv6.resptime", FieldType::Double).blurb("The time between the request and the response, in ms.");

pub static RESP_NOT_FOUND: FieldDef = FieldDef::new("Response not found", "icmpv6.resp_not_found", FieldType::None);
pub static UNDECODED_TYPE: FieldDef = FieldDef::new("Undecoded type", "icmpv6.undecoded.type", FieldType::None);
pub static CHECKSUM_BAD: FieldDef = FieldDef::new("Bad checksum", "icmpv6.checksum_bad.expert", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &ICMPV6, &TYPE, &CODE, &CHECKSUM, &CHECKSUM_STATUS, &RESERVED, &DATA, &MTU, &POINTER, &ECHO_ID, &ECHO_SEQ, &LENGTH,
    &RA_HOP_LIMIT, &RA_FLAG, &RA_FLAG_M, &RA_FLAG_O, &RA_FLAG_H, &RA_FLAG_PRF, &RA_FLAG_P, &RA_FLAG_RSV,
    &RA_ROUTER_LIFETIME, &RA_REACHABLE, &RA_RETRANS, &NS_TARGET, &NA_FLAG, &NA_FLAG_R, &NA_FLAG_S, &NA_FLAG_O,
    &NA_FLAG_RSV, &NA_TARGET, &RD_TARGET, &RD_DESTINATION, &RESP_IN, &NO_RESP, &RESP_TO, &RESPTIME, &RESP_NOT_FOUND, &UNDECODED_TYPE, &CHECKSUM_BAD,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::IpProto, 58, "icmpv6", dissect)];

/// Wireshark's names for ICMPv6 types (`icmpv6_type_val`).
pub static TYPES: ValueStrings = &[
    (1, "Destination Unreachable"),
    (2, "Packet Too Big"),
    (3, "Time Exceeded"),
    (4, "Parameter Problem"),
    (100, "Private experimentation"),
    (101, "Private experimentation"),
    (127, "Reserved for expansion of ICMPv6 error messages"),
    (128, "Echo (ping) request"),
    (129, "Echo (ping) reply"),
    (130, "Multicast Listener Query"),
    (131, "Multicast Listener Report"),
    (132, "Multicast Listener Done"),
    (133, "Router Solicitation"),
    (134, "Router Advertisement"),
    (135, "Neighbor Solicitation"),
    (136, "Neighbor Advertisement"),
    (137, "Redirect"),
    (138, "Router Renumbering"),
    (139, "Node Information Query"),
    (140, "Node Information Reply"),
    (141, "Inverse Neighbor Discovery Solicitation"),
    (142, "Inverse Neighbor Discovery Advertisement"),
    (143, "Multicast Listener Report Message v2"),
    (144, "Home Agent Address Discovery Request"),
    (145, "Home Agent Address Discovery Reply"),
    (146, "Mobile Prefix Solicitation"),
    (147, "Mobile Prefix Advertisement"),
    (148, "Certification Path Solicitation"),
    (149, "Certification Path Advertisement"),
    (150, "Experimental Mobility"),
    (151, "Multicast Router Advertisement"),
    (152, "Multicast Router Solicitation"),
    (153, "Multicast Router Termination"),
    (154, "FMIPv6"),
    (155, "RPL Control"),
    (156, "Locator Update"),
    (157, "Duplicate Address Request"),
    (158, "Duplicate Address Confirmation"),
    (159, "MPL Control Message"),
    (160, "Extended Echo request"),
    (161, "Extended Echo reply"),
    (200, "Private experimentation"),
    (201, "Private experimentation"),
    (255, "Reserved for expansion of ICMPv6 informational messages"),
];

pub static ROUTER_PREFERENCE: ValueStrings = &[(0, "Medium"), (1, "High"), (2, "Reserved"), (3, "Low")];
static UNREACH_CODES: ValueStrings = &[
    (0, "no route to destination"),
    (1, "Administratively prohibited"),
    (2, "Beyond scope of source address"),
    (3, "Address unreachable"),
    (4, "Port unreachable"),
    (5, "Source address failed ingress/egress policy"),
    (6, "Reject route to destination"),
    (7, "Error in Source Routing Header"),
];
static TIME_EXCEEDED_CODES: ValueStrings = &[(0, "hop limit exceeded in transit"), (1, "fragment reassembly time exceeded")];
static PARAM_PROBLEM_CODES: ValueStrings = &[
    (0, "erroneous header field encountered"),
    (1, "unrecognized Next Header type encountered"),
    (2, "unrecognized IPv6 option encountered"),
    (3, "IPv6 First Fragment has incomplete IPv6 Header Chain"),
];
static RENUMBERING_CODES: ValueStrings = &[(0, "Command"), (1, "Result"), (255, "Sequence number reset")];
static NI_QUERY_CODES: ValueStrings =
    &[(0, "Query subject = IPv6 addresses"), (1, "Query subject = DNS name or empty"), (2, "Query subject = IPv4 addresses")];
static NI_REPLY_CODES: ValueStrings = &[(0, "Successful"), (1, "Refused"), (2, "Unknown query type")];
static RPL_CODES: ValueStrings = &[
    (0x00, "DODAG Information Solicitation"),
    (0x01, "DODAG Information Object"),
    (0x02, "Destination Advertisement Object"),
    (0x03, "Destination Advertisement Object Acknowledgment"),
    (0x80, "Secure DODAG Information Solicitation"),
    (0x81, "Secure DODAG Information Object"),
    (0x82, "Secure Destination Advertisement Object"),
    (0x83, "Secure Destination Advertisement Object Acknowledgment"),
    (0x8a, "Consistency Check"),
    (0x04, "P2P Discovery Reply Object"),
    (0x84, "P2P Secure Discovery Reply Object"),
    (0x05, "P2P Discovery Reply Object Acknowledgement"),
    (0x85, "P2P Secure Discovery Reply Object Acknowledgement"),
];
static EXT_ECHO_REQUEST_CODES: ValueStrings = &[(0, "No error")];
static EXT_ECHO_REPLY_CODES: ValueStrings = &[
    (0, "No error"),
    (1, "Malformed Query"),
    (2, "No Such Interface"),
    (3, "No Such Table Entry"),
    (4, "Multiple Interfaces Satisfy Query"),
];

pub fn name_of(table: ValueStrings, v: u64) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, s)| *s)
}

/// Appends ` (code name)` for the types whose codes Wireshark names. Unknown codes of
/// Destination Unreachable are plain "Unknown", the others "Unknown (N)".
fn write_code(out: &mut String, typ: u8, code: u8) {
    let table = match typ {
        DST_UNREACH => UNREACH_CODES,
        TIME_EXCEEDED => TIME_EXCEEDED_CODES,
        PARAM_PROBLEM => PARAM_PROBLEM_CODES,
        138 => RENUMBERING_CODES,
        139 => NI_QUERY_CODES,
        140 => NI_REPLY_CODES,
        155 => RPL_CODES,
        160 => EXT_ECHO_REQUEST_CODES,
        161 => EXT_ECHO_REPLY_CODES,
        _ => return,
    };
    let _ = match name_of(table, code as u64) {
        Some(name) => write!(out, " ({})", name),
        None if typ == DST_UNREACH => write!(out, " (Unknown)"),
        None => write!(out, " (Unknown ({}))", code),
    };
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("ICMPv6");
    ctx.cols.info.clear();
    let top = ctx.add_protocol(parent, &ICMPV6, &layer);
    layer.need(1)?;
    let typ = layer.u8(field::TYPE);
    match name_of(TYPES, typ as u64) {
        Some(name) => ctx.cols.info.push_str(name),
        None => {
            let _ = write!(ctx.cols.info, "Unknown ({})", typ);
        }
    }
    let t = ctx.add_uint(top, &TYPE, &layer, field::TYPE, 1, typ as u64);
    if name_of(TYPES, typ as u64).is_none() {
        crate::set_label!(ctx.tree, t, "Type: Unknown ({})", typ);
    }
    layer.need(2)?;
    let code = layer.u8(field::CODE);
    write_code(&mut ctx.cols.info, typ, code);
    if ctx.tree.enabled() {
        let c = ctx.add_uint(top, &CODE, &layer, field::CODE, 1, code as u64);
        let mut name = String::new();
        write_code(&mut name, typ, code);
        ctx.tree.append_text(c, &name);
    }
    layer.need(field::BODY)?;
    let in_error = quoted::in_error(ctx);
    let verdict = if in_error {
        Verdict::InErrorPacket
    } else if layer.len < layer.reported {
        Verdict::Incomplete
    } else {
        let (src, dst) = pseudo_addresses(ctx);
        let lengths = [(layer.reported as u32).to_be_bytes(), 58u32.to_be_bytes()].concat();
        Verdict::Computed(cksum::compute(&[src, dst, &lengths, layer.bytes()]))
    };
    cksum::add_items(ctx, top, &layer, field::CHECKSUM, [&CHECKSUM, &CHECKSUM_STATUS, &CHECKSUM_BAD], verdict);

    match typ {
        DST_UNREACH | TIME_EXCEEDED => {
            layer.need(field::BODY + 1)?;
            let orig_words = layer.u8(field::BODY);
            if orig_words > 0 {
                ctx.add_uint(top, &LENGTH, &layer, field::BODY, 1, orig_words as u64);
                ctx.add(top, &RESERVED, &layer, field::BODY + 1, 3, Value::Bytes);
            } else {
                ctx.add(top, &RESERVED, &layer, field::BODY, 4, Value::Bytes);
            }
            // RFC 4884 extension objects after the quote are not decoded.
            dissect_quote(ctx, top, &layer)?;
        }
        PACKET_TOO_BIG | PARAM_PROBLEM => {
            layer.need(field::QUOTE)?;
            let f = if typ == PACKET_TOO_BIG { &MTU } else { &POINTER };
            ctx.add_uint(top, f, &layer, field::BODY, 4, layer.u32(field::BODY) as u64);
            dissect_quote(ctx, top, &layer)?;
        }
        ECHO_REQUEST | ECHO_REPLY => {
            layer.need(field::QUOTE)?;
            let (id, seq) = (layer.u16(field::ECHO_ID), layer.u16(field::ECHO_SEQ));
            ctx.add_uint(top, &ECHO_ID, &layer, field::ECHO_ID, 2, id as u64);
            ctx.add_uint(top, &ECHO_SEQ, &layer, field::ECHO_SEQ, 2, seq as u64);
            let _ = write!(ctx.cols.info, " id=0x{:04x}, seq={}", id, seq);
            if let Some(hop_limit) = enclosing_hop_limit(ctx, &layer) {
                let _ = write!(ctx.cols.info, ", hop limit={}", hop_limit);
            }
            if !in_error {
                match_echo(ctx, top, &layer, typ);
            }
            data::dissect(ctx, top, layer.sub(field::QUOTE, "data"))?;
        }
        MLD_QUERY | MLD_REPORT | MLD_DONE => icmpv6_mld::dissect_v1_or_query(ctx, top, &layer, typ == MLD_QUERY)?,
        ROUTER_SOLICIT | IND_SOLICIT | IND_ADVERT => {
            layer.need(field::QUOTE)?;
            ctx.add(top, &RESERVED, &layer, field::BODY, 4, Value::Bytes);
            icmpv6_opt::dissect(ctx, top, &layer, field::QUOTE)?;
        }
        ROUTER_ADVERT => {
            layer.need(16)?;
            if ctx.tree.enabled() {
                add_router_advert(ctx, top, &layer);
            }
            icmpv6_opt::dissect(ctx, top, &layer, 16)?;
        }
        NEIGHBOR_SOLICIT | NEIGHBOR_ADVERT => {
            layer.need(field::TARGET + 16)?;
            let target: [u8; 16] = layer.array(field::TARGET);
            if typ == NEIGHBOR_SOLICIT {
                ctx.add(top, &RESERVED, &layer, field::BODY, 4, Value::Bytes);
                ctx.add(top, &NS_TARGET, &layer, field::TARGET, 16, Value::Ipv6(target));
                ctx.cols.info.push_str(" for ");
                addr::write_ipv6(&mut ctx.cols.info, &target);
            } else {
                let flags = layer.u32(field::BODY);
                if ctx.tree.enabled() {
                    add_flags(ctx, top, &layer, field::BODY, 4, &NA_FLAG, &[&NA_FLAG_R, &NA_FLAG_S, &NA_FLAG_O, &NA_FLAG_RSV], flags as u64);
                }
                ctx.add(top, &NA_TARGET, &layer, field::TARGET, 16, Value::Ipv6(target));
                write_na_info(&mut ctx.cols.info, &target, flags);
            }
            icmpv6_opt::dissect(ctx, top, &layer, field::TARGET + 16)?;
        }
        REDIRECT => {
            layer.need(field::REDIRECT_DEST + 16)?;
            ctx.add(top, &RESERVED, &layer, field::BODY, 4, Value::Bytes);
            ctx.add(top, &RD_TARGET, &layer, field::TARGET, 16, Value::Ipv6(layer.array(field::TARGET)));
            ctx.add(top, &RD_DESTINATION, &layer, field::REDIRECT_DEST, 16, Value::Ipv6(layer.array(field::REDIRECT_DEST)));
            icmpv6_opt::dissect(ctx, top, &layer, field::REDIRECT_DEST + 16)?;
        }
        MLDV2_REPORT => icmpv6_mld::dissect_v2_report(ctx, top, &layer)?,
        _ => {
            // Wireshark decodes the other assigned types (138-161) in detail; Reef shows their
            // body as data. Types Wireshark does not know get its "not implemented" note.
            if !matches!(typ, 138..=161) {
                let msg = format!("Dissector for ICMPv6 Type ({}) code not implemented, Contact Wireshark developers if you want this supported", typ);
                crate::expert::attach(&mut ctx.tree, top, &UNDECODED_TYPE, Severity::Note, Group::Undecoded, &msg);
            }
            if layer.len > field::BODY {
                ctx.add(top, &DATA, &layer, field::BODY, layer.len - field::BODY, Value::Bytes);
            }
        }
    }
    Ok(layer.reported)
}

/// The pseudo-header addresses: those of the IP header that carries the message.
fn pseudo_addresses<'a>(ctx: &'a Ctx) -> (&'a [u8], &'a [u8]) {
    match (&ctx.net_src, &ctx.net_dst) {
        (Some(s), Some(d)) => {
            let n = if s.v6 { 16 } else { 4 };
            (&s.bytes[..n], &d.bytes[..n])
        }
        _ => (&[], &[]),
    }
}

/// The packet an error quotes: IPv6 when it looks like IPv6, data otherwise.
fn dissect_quote(ctx: &mut Ctx, top: u32, layer: &Layer) -> DResult<()> {
    layer.need(field::QUOTE + 1)?;
    let quote = layer.sub(field::QUOTE, "icmpv6 quote");
    if layer.u8(field::QUOTE) & 0xf0 == 0x60 {
        quoted::dissect(ctx, top, 0x86dd, quote);
    } else {
        data::dissect(ctx, top, quote)?;
    }
    Ok(())
}

/// The packet a Redirect's Redirected Header option carries (called by `icmpv6_opt`).
pub(crate) fn dissect_redirected(ctx: &mut Ctx, parent: u32, packet: Layer) -> DResult<()> {
    packet.need(1)?;
    if packet.u8(0) & 0xf0 == 0x60 {
        quoted::dissect(ctx, parent, 0x86dd, packet);
    } else {
        data::dissect(ctx, parent, packet)?;
    }
    Ok(())
}

/// The hop limit of the IPv6 header carrying this layer, which Info shows for echo messages.
/// The header sits before this layer in the frame (extension headers may come between): the
/// nearest one whose addresses are the ones the IPv6 layer set.
fn enclosing_hop_limit(ctx: &Ctx, layer: &Layer) -> Option<u8> {
    let (src, dst) = (ctx.net_src?, ctx.net_dst?);
    if !src.v6 {
        return None;
    }
    let before = ctx.data.get(..layer.start)?;
    (0..=before.len().checked_sub(IPV6_HEADER_LEN)?).rev().find_map(|p| {
        let h = &before[p..p + IPV6_HEADER_LEN];
        if h[0] >> 4 == 6 && h[8..24] == src.bytes && h[24..40] == dst.bytes {
            Some(h[7])
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
    let ident_seq = (layer.u16(field::ECHO_ID) as u32) << 16 | layer.u16(field::ECHO_SEQ) as u32;
    // The key is the request's checksum; a reply's differs by the type byte (128 -> 129).
    let request_checksum = if typ == ECHO_REQUEST { checksum } else { !cksum::add(!checksum, &(!0x0100u16).to_be_bytes()) };
    let key = if request_checksum == 0xffff { 0 } else { request_checksum as u32 };
    let echo = Echo { family: Family::V6, frame: ctx.meta.number, offset: layer.start as u32, ts: ctx.meta.ts_ns, src, dst, words: [key, ident_seq] };
    let found: EchoMatch = if ctx.revisit {
        ctx.state.icmp.stored(echo.frame, echo.offset)
    } else if typ == ECHO_REQUEST {
        ctx.state.icmp.request(&echo)
    } else {
        ctx.state.icmp.reply(&echo)
    };
    if typ == ECHO_REQUEST {
        match found {
            Some(t) if t.reply != 0 => {
                let _ = write!(ctx.cols.info, " (reply in {})", t.reply);
                ctx.tree.add_generated(top, &RESP_IN, Value::Uint(t.reply as u64));
            }
            // The first pass cannot know yet; Wireshark decides on its second pass.
            Some(_) if !ctx.revisit => {}
            _ if dst.v6 && dst.bytes[0] == 0xff => ctx.cols.info.push_str(" (multicast)"),
            _ => {
                ctx.cols.info.push_str(" (no response found!)");
                let n = ctx.tree.add_generated(top, &NO_RESP, Value::None);
                let msg = format!("No response seen to ICMPv6 request in frame {}", ctx.meta.number);
                crate::expert::attach(&mut ctx.tree, n, &RESP_NOT_FOUND, Severity::Warn, Group::Sequence, &msg);
            }
        }
    } else if let Some(t) = found {
        let _ = write!(ctx.cols.info, " (request in {})", t.request);
        ctx.tree.add_generated(top, &RESP_TO, Value::Uint(t.request as u64));
        let ms = (ctx.meta.ts_ns - t.request_ts) as f64 / 1e6;
        let n = ctx.tree.add_generated(top, &RESPTIME, Value::Double(ms));
        crate::set_label!(ctx.tree, n, "[Response Time: {:.3} ms]", ms);
    }
}

/// ` <target> (rtr, sol, ovr)` of a Neighbor Advertisement.
fn write_na_info(out: &mut String, target: &[u8; 16], flags: u32) {
    out.push(' ');
    addr::write_ipv6(out, target);
    out.push_str(" (");
    let start = out.len();
    for (bit, name) in [(0x8000_0000u32, "rtr"), (0x4000_0000, "sol"), (0x2000_0000, "ovr")] {
        if flags & bit != 0 {
            if out.len() > start {
                out.push_str(", ");
            }
            out.push_str(name);
        }
    }
    if out.len() == start {
        out.push_str("none");
    }
    out.push(')');
}

/// A flags field and its bit fields, labelled as Wireshark's `proto_tree_add_bitmask`: the
/// names of set flags and named values of multi-bit fields are appended to the parent.
pub(crate) fn add_flags(ctx: &mut Ctx, parent: u32, l: &Layer, at: usize, len: usize, f: &'static FieldDef, bits: &[&'static FieldDef], v: u64) -> u32 {
    let n = ctx.add_uint(parent, f, l, at, len, v);
    let mut text = String::new();
    for b in bits {
        let x = (v & b.bitmask) >> b.bitmask.trailing_zeros();
        if b.ftype == FieldType::Bool {
            ctx.add(n, b, l, at, len, Value::Bool(x != 0));
            if x != 0 {
                let _ = write!(text, ", {}", b.name);
            }
        } else {
            ctx.add_uint(n, b, l, at, len, x);
            if let Some(name) = b.value_name(x) {
                let _ = write!(text, ", {}: {}", b.name, name);
            }
        }
    }
    ctx.tree.append_text(n, &text);
    n
}

fn add_router_advert(ctx: &mut Ctx, top: u32, l: &Layer) {
    ctx.add_uint(top, &RA_HOP_LIMIT, l, 4, 1, l.u8(4) as u64);
    let bits: [&'static FieldDef; 6] = [&RA_FLAG_M, &RA_FLAG_O, &RA_FLAG_H, &RA_FLAG_PRF, &RA_FLAG_P, &RA_FLAG_RSV];
    add_flags(ctx, top, l, 5, 1, &RA_FLAG, &bits, l.u8(5) as u64);
    ctx.add_uint(top, &RA_ROUTER_LIFETIME, l, 6, 2, l.u16(6) as u64);
    ctx.add_uint(top, &RA_REACHABLE, l, field::RA_REACHABLE, 4, l.u32(field::RA_REACHABLE) as u64);
    ctx.add_uint(top, &RA_RETRANS, l, field::RA_RETRANS, 4, l.u32(field::RA_RETRANS) as u64);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::packet::FrameMeta;
    use crate::proto::icmp::tests::{infos, pcap_frames};
    use crate::session::tests::summary_of;
    use crate::session::Session;

    pub(crate) const ECHO_REQUEST6: [u8; 118] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x86, 0xdd, 0x60, 0x04,
        0x71, 0x15, 0x00, 0x40, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0xb1, 0x59, 0x79, 0xa3, 0x00, 0x01, 0xbc, 0x29,
        0x06, 0x6b, 0x00, 0x00, 0x00, 0x00, 0xcc, 0x1d, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11,
        0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21,
        0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31,
        0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
    ];
    const PORT_UNREACHABLE6: [u8; 117] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x86, 0xdd, 0x60, 0x00,
        0x83, 0x87, 0x00, 0x3f, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x04, 0x9c, 0x61, 0x00, 0x00, 0x00, 0x00, 0x60, 0x04,
        0x95, 0x76, 0x00, 0x0f, 0x11, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xe3, 0xd4, 0x00, 0x09, 0x00, 0x0f, 0x00, 0x22, 0x63, 0x6c,
        0x6f, 0x73, 0x65, 0x64, 0x3f,
    ];

    pub(crate) fn v6(s: &str) -> [u8; 16] {
        let mut a = [0u8; 16];
        let (head, tail) = s.split_once("::").unwrap_or((s, ""));
        let words = |p: &str| p.split(':').filter(|w| !w.is_empty()).map(|w| u16::from_str_radix(w, 16).unwrap()).collect::<Vec<_>>();
        let (h, t) = (words(head), words(tail));
        for (i, w) in h.iter().enumerate() {
            a[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
        }
        for (i, w) in t.iter().enumerate() {
            let j = 8 - t.len() + i;
            a[2 * j..2 * j + 2].copy_from_slice(&w.to_be_bytes());
        }
        a
    }

    /// An Ethernet frame carrying the ICMPv6 message `msg` (checksum filled in).
    pub(crate) fn ipv6_frame(src: &str, dst: &str, hop_limit: u8, msg: &[u8]) -> (FrameMeta, Vec<u8>) {
        let (s, d) = (v6(src), v6(dst));
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0]);
        f.extend_from_slice(&(msg.len() as u16).to_be_bytes());
        f.extend_from_slice(&[58, hop_limit]);
        f.extend_from_slice(&s);
        f.extend_from_slice(&d);
        let at = f.len();
        f.extend_from_slice(msg);
        f[at + 2..at + 4].copy_from_slice(&[0, 0]);
        let lengths = [(msg.len() as u32).to_be_bytes(), 58u32.to_be_bytes()].concat();
        let c = cksum::compute(&[&s, &d, &lengths, &f[at..]]);
        f[at + 2..at + 4].copy_from_slice(&c.to_be_bytes());
        let n = f.len() as u32;
        (FrameMeta { linktype: 1, caplen: n, origlen: n, ts_digits: 6, ..Default::default() }, f)
    }

    /// The labels of the visible tree under the first node of `abbrev`, depth-first, indented.
    pub(crate) fn labels_under(s: &Session, abbrev: &str) -> Vec<String> {
        let t = s.tree();
        let top = t.nodes.iter().position(|n| n.field.abbrev == abbrev).unwrap() as u32;
        let depth = |mut i: u32| {
            let mut d = 0;
            while i != top {
                i = t.nodes[i as usize].parent;
                d += 1;
            }
            d
        };
        let under = |mut i: u32| loop {
            if i == top {
                return true;
            }
            if i == u32::MAX {
                return false;
            }
            i = t.nodes[i as usize].parent;
        };
        (0..t.nodes.len() as u32).filter(|&i| under(i) && !t.nodes[i as usize].hidden).map(|i| format!("{}{}", "  ".repeat(depth(i)), t.label(i))).collect()
    }

    pub(crate) fn tree_of(frame: &(FrameMeta, Vec<u8>)) -> Session {
        let mut s = Session::new();
        s.ingest(frame.0, &frame.1, true);
        s
    }

    #[test]
    fn a_ping6_request_reads_as_tshark_shows_it() {
        let (cols, protos) = summary_of(1, &ECHO_REQUEST6);
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("ICMPv6", "Echo (ping) request id=0x79a3, seq=1, hop limit=64"));
        assert_eq!(protos, "eth:ethertype:ipv6:icmpv6:data");
        let s = tree_of(&(FrameMeta { linktype: 1, caplen: 118, origlen: 118, ts_digits: 6, ..Default::default() }, ECHO_REQUEST6.to_vec()));
        let labels = labels_under(&s, "icmpv6");
        assert_eq!(labels[1..8], ["  Type: Echo (ping) request (128)", "  Code: 0", "  Checksum: 0xb159 [correct]", "  [Checksum Status: Good]", "  Identifier: 0x79a3", "  Sequence: 1", "  Data (56 bytes)"]);
    }

    #[test]
    fn the_fixtures_match_tshark_in_both_passes() {
        let frames = pcap_frames(include_bytes!("../../../../test-fixtures/captures/icmp-ping.pcap"));
        let (first, second) = infos(&frames);
        assert_eq!(first[6], "Echo (ping) request id=0x79a3, seq=1, hop limit=64");
        assert_eq!(first[7], "Echo (ping) reply id=0x79a3, seq=1, hop limit=64 (request in 7)");
        assert_eq!(second[6], "Echo (ping) request id=0x79a3, seq=1, hop limit=64 (reply in 8)");
        assert_eq!(first[15], "Destination Unreachable (Port unreachable)");
        let frames = pcap_frames(include_bytes!("../../../../test-fixtures/captures/icmp-routed.pcap"));
        let (first, second) = infos(&frames);
        let expected = [
            (0, "Neighbor Solicitation for fe80::ff:fe00:a"),
            (4, "Router Solicitation from 02:00:00:00:00:0a"),
            (9, "Neighbor Solicitation for 2001:db8:1::1 from 02:00:00:00:00:0a"),
            (10, "Neighbor Advertisement 2001:db8:1::1 (rtr, sol, ovr) is at 02:00:00:00:00:01"),
            (12, "Echo (ping) reply id=0x162c, seq=1, hop limit=63 (request in 12)"),
            (18, "Time Exceeded (hop limit exceeded in transit)"),
            (24, "Neighbor Advertisement 2001:db8:1::2 (sol)"),
            (25, "Destination Unreachable (Address unreachable)"),
        ];
        for (i, info) in expected {
            assert_eq!(first[i], info, "frame {}", i + 1);
            assert_eq!(second[i], info, "frame {} revisited", i + 1);
        }
        assert_eq!(second[17], "Echo (ping) request id=0x1645, seq=1, hop limit=1 (no response found!)");
    }

    #[test]
    fn an_error_quotes_the_packet_without_touching_the_columns() {
        let (cols, protos) = summary_of(1, &PORT_UNREACHABLE6);
        assert_eq!((cols.protocol.as_str(), cols.src.as_str(), cols.dst.as_str()), ("ICMPv6", "::1", "::1"));
        assert_eq!(cols.info, "Destination Unreachable (Port unreachable)");
        assert_eq!(protos, "eth:ethertype:ipv6:icmpv6:ipv6:udp:data");
        // Not IPv6 after the header: shown as data under ICMPv6.
        let (m, f) = ipv6_frame("fe80::1", "2001:db8::1", 64, &[1, 9, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 0]);
        let (cols, protos) = summary_of(m.linktype, &f);
        assert_eq!((cols.info.as_str(), protos.as_str()), ("Destination Unreachable (Unknown)", "eth:ethertype:ipv6:icmpv6:data"));
    }

    #[test]
    fn neighbor_advertisement_flags_and_bad_options() {
        let target = v6("2001:db8::2");
        let mut na = vec![136, 0, 0, 0, 0, 0, 0, 0];
        na.extend_from_slice(&target);
        let (_, f) = ipv6_frame("2001:db8::2", "2001:db8::1", 255, &na);
        assert_eq!(summary_of(1, &f).0.info, "Neighbor Advertisement 2001:db8::2 (none)");
        // A zero option length ends the options, as in Wireshark; not malformed.
        let mut ns = vec![135, 0, 0, 0, 0, 0, 0, 0];
        ns.extend_from_slice(&target);
        ns.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]);
        let (_, f) = ipv6_frame("2001:db8::1", "2001:db8::2", 255, &ns);
        assert_eq!(summary_of(1, &f).0.info, "Neighbor Solicitation for 2001:db8::2");
        // An option that runs past the end of the message is malformed.
        let n = ns.len();
        ns[n - 7] = 2;
        let (_, f) = ipv6_frame("2001:db8::1", "2001:db8::2", 255, &ns);
        assert!(summary_of(1, &f).0.info.ends_with("[Malformed Packet]"));
    }

    #[test]
    fn an_echo_to_a_multicast_group_is_not_reported_unanswered() {
        let echo = [128, 0, 0, 0, 0, 0x10, 0, 2, b'a', b'b'];
        let frames: Vec<_> = [ipv6_frame("2001:db8::1", "ff02::1", 64, &echo), ipv6_frame("2001:db8::1", "2001:db8::2", 64, &echo)]
            .iter()
            .enumerate()
            .map(|(i, (m, d))| (FrameMeta { number: i as u32 + 1, ..*m }, d.clone()))
            .collect();
        let (first, second) = infos(&frames);
        assert_eq!(first[0], "Echo (ping) request id=0x0010, seq=2, hop limit=64");
        assert_eq!(second[0], "Echo (ping) request id=0x0010, seq=2, hop limit=64 (multicast)");
        assert_eq!(second[1], "Echo (ping) request id=0x0010, seq=2, hop limit=64 (no response found!)");
    }

    #[test]
    fn every_truncation_is_handled_and_unknown_types_are_named() {
        for frame in [&ECHO_REQUEST6[..], &PORT_UNREACHABLE6[..], &crate::proto::icmpv6_opt::tests::NEIGHBOR_SOLICIT[..]] {
            for n in 0..frame.len() {
                let _ = summary_of(1, &frame[..n]);
            }
        }
        let (_, f) = ipv6_frame("2001:db8::1", "2001:db8::2", 64, &[250, 7, 0, 0, 1, 2, 3, 4]);
        assert_eq!(summary_of(1, &f).0.info, "Unknown (250)");
        let (_, f) = ipv6_frame("2001:db8::1", "2001:db8::2", 64, &[200, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(summary_of(1, &f).0.info, "Private experimentation");
    }
}
