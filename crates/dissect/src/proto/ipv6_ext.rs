//! IPv6 extension headers (RFC 8200): hop-by-hop and destination options with their TLV
//! options, routing headers (type 0 source routes, type 2, others as data) and the fragment
//! header, each a subtree of the IPv6 tree as Wireshark shows them.

use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, Layer};
use crate::proto::vals;
use crate::tree::{bit_string, Group, Severity, Value};

pub const HOPOPTS: u8 = 0;
pub const ROUTING: u8 = 43;
pub const FRAGMENT: u8 = 44;
pub const DSTOPTS: u8 = 60;

static OPTION_TYPES: ValueStrings = &[
    (0x00, "Pad1"), (0x01, "PadN"), (0x04, "Tunnel Encapsulation Limit"), (0x05, "Router Alert"), (0x07, "CALIPSO"),
    (0x08, "SMF_DPD"), (0x0f, "Performance and Diagnostic Metrics"), (0x1e, "Experimental (0x1E)"),
    (0x26, "Quick-Start"), (0x30, "Path MTU Option"), (0x31, "IOAM Option"), (0x3e, "Experimental (0x3E)"),
    (0x41, "Tunnel Payload Forwarding (TPF) Information"), (0x5e, "Experimental (0x5E)"), (0x63, "RPL Option"),
    (0x6d, "MPL Option"), (0x7e, "Experimental (0x7E)"), (0x8a, "Endpoint Identification"), (0x8b, "ILNP Nonce"),
    (0x8c, "Line-Identification Option"), (0x9e, "Experimental (0x9E)"), (0xbe, "Experimental (0xBE)"),
    (0xc2, "Jumbo Payload"), (0xc9, "Home Address"), (0xde, "Experimental (0xDE)"), (0xee, "IP_DFF"),
    (0xfe, "Experimental (0xFE)"),
];
static ACTIONS: ValueStrings = &[
    (0, "Skip and continue"), (1, "Discard"), (2, "Discard and send ICMP Parameter Problem"),
    (3, "Discard and send ICMP if not multicast"),
];
static ROUTER_ALERTS: ValueStrings = &[(0, "MLD"), (1, "RSVP"), (2, "Active Network")];
static ROUTING_TYPES: ValueStrings = &[
    (0, "Source Route"), (1, "Nimrod"), (2, "Type 2 Routing"), (3, "RPL Source Route"), (4, "Segment Routing"),
    (5, "Compact Routing Header 16"), (6, "Compact Routing Header 32"), (253, "Experiment 1"), (254, "Experiment 2"),
];

/// The fields of one options header (hop-by-hop or destination options).
struct OptionsHeader {
    proto: &'static FieldDef,
    nxt: &'static FieldDef,
    len: &'static FieldDef,
    len_oct: &'static FieldDef,
}

pub static HOPOPTS_PROTO: FieldDef = FieldDef::protocol("IPv6 Hop-by-Hop Option", "ipv6.hopopts");
pub static HOPOPTS_NXT: FieldDef = FieldDef::new("Next Header", "ipv6.hopopts.nxt", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static HOPOPTS_LEN: FieldDef = FieldDef::new("Length", "ipv6.hopopts.len", FieldType::Uint8);
pub static HOPOPTS_LEN_OCT: FieldDef = FieldDef::new("Length", "ipv6.hopopts.len_oct", FieldType::Uint16);
pub static DSTOPTS_PROTO: FieldDef = FieldDef::protocol("Destination Options for IPv6", "ipv6.dstopts");
pub static DSTOPTS_NXT: FieldDef = FieldDef::new("Next Header", "ipv6.dstopts.nxt", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static DSTOPTS_LEN: FieldDef = FieldDef::new("Length", "ipv6.dstopts.len", FieldType::Uint8);
pub static DSTOPTS_LEN_OCT: FieldDef = FieldDef::new("Length", "ipv6.dstopts.len_oct", FieldType::Uint16);
pub static OPT: FieldDef = FieldDef::new("IPv6 Option", "ipv6.opt", FieldType::None);
pub static OPT_TYPE: FieldDef = FieldDef::new("Type", "ipv6.opt.type", FieldType::Uint8).base(Base::Hex).strings(OPTION_TYPES);
pub static OPT_TYPE_ACTION: FieldDef = FieldDef::new("Action", "ipv6.opt.type.action", FieldType::Uint8).bits(8, 0xc0).strings(ACTIONS);
pub static OPT_TYPE_CHANGE: FieldDef = FieldDef::new("May Change", "ipv6.opt.type.change", FieldType::Bool).bits(8, 0x20);
pub static OPT_TYPE_REST: FieldDef = FieldDef::new("Low-Order Bits", "ipv6.opt.type.rest", FieldType::Uint8).base(Base::Hex).bits(8, 0x1f);
pub static OPT_LENGTH: FieldDef = FieldDef::new("Length", "ipv6.opt.length", FieldType::Uint8);
pub static OPT_PAD1: FieldDef = FieldDef::new("Pad1", "ipv6.opt.pad1", FieldType::None);
pub static OPT_PADN: FieldDef = FieldDef::new("PadN", "ipv6.opt.padn", FieldType::Bytes);
pub static OPT_ROUTER_ALERT: FieldDef = FieldDef::new("Router Alert", "ipv6.opt.router_alert", FieldType::Uint16).strings(ROUTER_ALERTS);
pub static OPT_TEL: FieldDef = FieldDef::new("Tunnel Encapsulation Limit", "ipv6.opt.tel", FieldType::Uint8);
pub static OPT_JUMBO: FieldDef = FieldDef::new("Payload Length", "ipv6.opt.jumbo", FieldType::Uint32);
pub static OPT_UNKNOWN: FieldDef = FieldDef::new("Unknown Option Payload", "ipv6.opt.unknown", FieldType::Bytes);
pub static ROUTING_PROTO: FieldDef = FieldDef::protocol("Routing Header for IPv6", "ipv6.routing");
pub static ROUTING_NXT: FieldDef = FieldDef::new("Next Header", "ipv6.routing.nxt", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static ROUTING_LEN: FieldDef = FieldDef::new("Length", "ipv6.routing.len", FieldType::Uint8);
pub static ROUTING_LEN_OCT: FieldDef = FieldDef::new("Length", "ipv6.routing.len_oct", FieldType::Uint16);
pub static ROUTING_TYPE: FieldDef = FieldDef::new("Type", "ipv6.routing.type", FieldType::Uint8).strings(ROUTING_TYPES);
pub static ROUTING_SEGLEFT: FieldDef = FieldDef::new("Segments Left", "ipv6.routing.segleft", FieldType::Uint8);
pub static ROUTING_UNKNOWN: FieldDef = FieldDef::new("Type-Specific Data", "ipv6.routing.unknown_data", FieldType::Bytes);
pub static ROUTING_SRC_RESERVED: FieldDef = FieldDef::new("Reserved", "ipv6.routing.src.reserved", FieldType::Bytes);
pub static ROUTING_SRC_ADDR: FieldDef = FieldDef::new("Address", "ipv6.routing.src.addr", FieldType::Ipv6);
pub static ROUTING_DEPRECATED: FieldDef = FieldDef::new("Routing header type is deprecated", "ipv6.routing.deprecated", FieldType::None);
pub static ROUTING_MIPV6_RESERVED: FieldDef = FieldDef::new("Reserved", "ipv6.routing.mipv6.reserved", FieldType::Bytes);
pub static ROUTING_MIPV6_HOME_ADDRESS: FieldDef =
    FieldDef::new("Home Address", "ipv6.routing.mipv6.home_address", FieldType::Ipv6);
pub static FRAGHDR_PROTO: FieldDef = FieldDef::protocol("Fragment Header for IPv6", "ipv6.fraghdr");
pub static FRAGHDR_NXT: FieldDef = FieldDef::new("Next header", "ipv6.fraghdr.nxt", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static FRAGHDR_RESERVED_OCTET: FieldDef = FieldDef::new("Reserved octet", "ipv6.fraghdr.reserved_octet", FieldType::Uint8).base(Base::Hex);
pub static FRAGHDR_OFFSET: FieldDef = FieldDef::new("Offset", "ipv6.fraghdr.offset", FieldType::Uint16).bits(16, 0xfff8);
pub static FRAGHDR_RESERVED_BITS: FieldDef = FieldDef::new("Reserved bits", "ipv6.fraghdr.reserved_bits", FieldType::Uint16).bits(16, 0x0006);
pub static FRAGHDR_MORE: FieldDef = FieldDef::new("More Fragments", "ipv6.fraghdr.more", FieldType::Bool).bits(16, 0x0001);
pub static FRAGHDR_IDENT: FieldDef = FieldDef::new("Identification", "ipv6.fraghdr.ident", FieldType::Uint32).base(Base::Hex);

pub static FIELDS: &[&FieldDef] = &[
    &HOPOPTS_PROTO, &HOPOPTS_NXT, &HOPOPTS_LEN, &HOPOPTS_LEN_OCT, &DSTOPTS_PROTO, &DSTOPTS_NXT, &DSTOPTS_LEN,
    &DSTOPTS_LEN_OCT, &OPT, &OPT_TYPE, &OPT_TYPE_ACTION, &OPT_TYPE_CHANGE, &OPT_TYPE_REST, &OPT_LENGTH, &OPT_PAD1,
    &OPT_PADN, &OPT_ROUTER_ALERT, &OPT_TEL, &OPT_JUMBO, &OPT_UNKNOWN, &ROUTING_PROTO, &ROUTING_NXT, &ROUTING_LEN,
    &ROUTING_LEN_OCT, &ROUTING_TYPE, &ROUTING_SEGLEFT, &ROUTING_UNKNOWN, &ROUTING_SRC_RESERVED, &ROUTING_SRC_ADDR,
    &ROUTING_DEPRECATED, &ROUTING_MIPV6_RESERVED, &ROUTING_MIPV6_HOME_ADDRESS, &FRAGHDR_PROTO, &FRAGHDR_NXT,
    &FRAGHDR_RESERVED_OCTET, &FRAGHDR_OFFSET, &FRAGHDR_RESERVED_BITS, &FRAGHDR_MORE, &FRAGHDR_IDENT,
];

static HOPOPTS_FIELDS: OptionsHeader = OptionsHeader { proto: &HOPOPTS_PROTO, nxt: &HOPOPTS_NXT, len: &HOPOPTS_LEN, len_oct: &HOPOPTS_LEN_OCT };
static DSTOPTS_FIELDS: OptionsHeader = OptionsHeader { proto: &DSTOPTS_PROTO, nxt: &DSTOPTS_NXT, len: &DSTOPTS_LEN, len_oct: &DSTOPTS_LEN_OCT };

/// What one extension header tells the IPv6 walk.
pub struct Ext {
    /// Header length in bytes.
    pub len: usize,
    pub next: u8,
    /// A type 0 routing header with segments left: the datagram's final destination.
    pub final_dst: Option<[u8; 16]>,
}

/// Length of the extension header of type `kind` at `at` (8 for the fragment header).
pub fn header_len(packet: &Layer, kind: u8, at: usize) -> usize {
    if kind == FRAGMENT {
        8
    } else {
        (packet.u8(at + 1) as usize + 1) * 8
    }
}

/// Adds the subtree of the extension header of type `kind` at `at` of `packet` under `parent`
/// (its 8 first bytes and its whole length must be there).
pub fn dissect(ctx: &mut Ctx, parent: u32, packet: &Layer, kind: u8, at: usize) -> Ext {
    let len = header_len(packet, kind, at);
    let next = packet.u8(at);
    let h = packet.sub(at, "ipv6 extension header").limit(len);
    let mut ext = Ext { len, next, final_dst: None };
    match kind {
        HOPOPTS | DSTOPTS => {
            let f = if kind == HOPOPTS { &HOPOPTS_FIELDS } else { &DSTOPTS_FIELDS };
            let n = ctx.add_protocol(parent, f.proto, &h);
            if ctx.tree.enabled() {
                header_start(ctx, n, &h, f.nxt, f.len, f.len_oct);
                options(ctx, n, &h, 2, len);
            }
        }
        ROUTING => {
            let n = ctx.add_protocol(parent, &ROUTING_PROTO, &h);
            ext.final_dst = routing(ctx, n, &h, len);
        }
        _ => {
            let n = ctx.add_protocol(parent, &FRAGHDR_PROTO, &h);
            if ctx.tree.enabled() {
                fragment_header(ctx, n, &h);
            }
        }
    }
    ext
}

fn header_start(ctx: &mut Ctx, n: u32, h: &Layer, nxt: &'static FieldDef, len: &'static FieldDef, len_oct: &'static FieldDef) {
    ctx.add_uint(n, nxt, h, 0, 1, h.u8(0) as u64);
    ctx.add_uint(n, len, h, 1, 1, h.u8(1) as u64);
    let octets = (h.u8(1) as u64 + 1) * 8;
    let l = ctx.add_uint(n, len_oct, h, 1, 1, octets);
    crate::set_label!(ctx.tree, l, "[Length: {} bytes]", octets);
    if let Some(node) = ctx.tree.node_mut(l) {
        node.generated = true;
    }
}

/// The TLV options of a hop-by-hop or destination options header (`start..end` of `h`).
fn options(ctx: &mut Ctx, parent: u32, h: &Layer, start: usize, end: usize) {
    let mut at = start;
    while at < end.min(h.len) {
        let kind = h.u8(at);
        let name = OPT_TYPE.value_name(kind as u64).map(String::from).unwrap_or_else(|| format!("Unknown IPv6 Option (0x{:02x})", kind));
        let olen = if kind == 0 { 0 } else { h.u8(at + 1) as usize };
        let total = if kind == 0 { 1 } else { 2 + olen };
        let o = ctx.add(parent, &OPT, h, at, total.min(end - at), Value::None);
        ctx.tree.set_label(o, name);
        let t = ctx.add_uint(o, &OPT_TYPE, h, at, 1, kind as u64);
        let k = kind as u64;
        ctx.add_uint(t, &OPT_TYPE_ACTION, h, at, 1, k >> 6);
        let c = ctx.add(t, &OPT_TYPE_CHANGE, h, at, 1, Value::Bool(k & 0x20 != 0));
        crate::set_label!(ctx.tree, c, "{} = May Change: {}", bit_string(8, 0x20, k), if k & 0x20 != 0 { "Yes" } else { "No" });
        ctx.add_uint(t, &OPT_TYPE_REST, h, at, 1, k & 0x1f);
        if kind == 0 {
            at += 1;
            continue;
        }
        if at + total > end {
            // The option runs past its header: show what is there and stop.
            return;
        }
        ctx.add_uint(o, &OPT_LENGTH, h, at + 1, 1, olen as u64);
        let body = at + 2;
        match kind {
            0x01 if olen > 0 => {
                ctx.add(o, &OPT_PADN, h, body, olen, Value::Bytes);
            }
            0x05 if olen == 2 => {
                ctx.add_uint(o, &OPT_ROUTER_ALERT, h, body, 2, h.u16(body) as u64);
            }
            0x04 if olen == 1 => {
                ctx.add_uint(o, &OPT_TEL, h, body, 1, h.u8(body) as u64);
            }
            0xc2 if olen == 4 => {
                ctx.add_uint(o, &OPT_JUMBO, h, body, 4, h.u32(body) as u64);
            }
            0x01 => {}
            _ if olen > 0 => {
                ctx.add(o, &OPT_UNKNOWN, h, body, olen, Value::Bytes);
            }
            _ => {}
        }
        at += total;
    }
}

/// A routing header; returns the final destination of a type 0 route with segments left
/// (Wireshark makes it the Destination column).
fn routing(ctx: &mut Ctx, n: u32, h: &Layer, len: usize) -> Option<[u8; 16]> {
    let rtype = h.u8(2);
    let segleft = h.u8(3);
    let addresses = if rtype == 0 { (h.u8(1) as usize) / 2 } else { 0 };
    let last = if addresses > 0 { Some(h.array::<16>(8 + 16 * (addresses - 1))) } else { None };
    if ctx.tree.enabled() {
        if let Some(name) = ROUTING_TYPE.value_name(rtype as u64) {
            crate::set_label!(ctx.tree, n, "Routing Header for IPv6 ({})", name);
        }
        header_start(ctx, n, h, &ROUTING_NXT, &ROUTING_LEN, &ROUTING_LEN_OCT);
        let t = ctx.add_uint(n, &ROUTING_TYPE, h, 2, 1, rtype as u64);
        if rtype == 0 {
            crate::expert::attach(&mut ctx.tree, t, &ROUTING_DEPRECATED, Severity::Note, Group::Deprecated, "Routing header type is deprecated");
        }
        ctx.add_uint(n, &ROUTING_SEGLEFT, h, 3, 1, segleft as u64);
        match rtype {
            0 => {
                ctx.add(n, &ROUTING_SRC_RESERVED, h, 4, 4, Value::Bytes);
                for i in 0..addresses {
                    let at = 8 + 16 * i;
                    let a = ctx.add(n, &ROUTING_SRC_ADDR, h, at, 16, Value::Ipv6(h.array(at)));
                    crate::set_label!(ctx.tree, a, "Address[{}]: {}", i + 1, crate::addr::ipv6_string(&h.array(at)));
                }
            }
            2 if len >= 24 => {
                ctx.add(n, &ROUTING_MIPV6_RESERVED, h, 4, 4, Value::Bytes);
                ctx.add(n, &ROUTING_MIPV6_HOME_ADDRESS, h, 8, 16, Value::Ipv6(h.array(8)));
            }
            _ if len > 4 => {
                ctx.add(n, &ROUTING_UNKNOWN, h, 4, len - 4, Value::Bytes);
            }
            _ => {}
        }
    }
    last.filter(|_| segleft > 0)
}

fn fragment_header(ctx: &mut Ctx, n: u32, h: &Layer) {
    ctx.add_uint(n, &FRAGHDR_NXT, h, 0, 1, h.u8(0) as u64);
    ctx.add_uint(n, &FRAGHDR_RESERVED_OCTET, h, 1, 1, h.u8(1) as u64);
    let om = h.u16(2) as u64;
    let o = ctx.add_uint(n, &FRAGHDR_OFFSET, h, 2, 2, om >> 3);
    crate::set_label!(ctx.tree, o, "{} = Offset: {} ({} bytes)", bit_string(16, 0xfff8, om), om >> 3, (om >> 3) * 8);
    ctx.add_uint(n, &FRAGHDR_RESERVED_BITS, h, 2, 2, (om >> 1) & 3);
    let m = ctx.add(n, &FRAGHDR_MORE, h, 2, 2, Value::Bool(om & 1 != 0));
    crate::set_label!(ctx.tree, m, "{} = More Fragments: {}", bit_string(16, 1, om), if om & 1 != 0 { "Yes" } else { "No" });
    ctx.add_uint(n, &FRAGHDR_IDENT, h, 4, 4, h.u32(4) as u64);
}
