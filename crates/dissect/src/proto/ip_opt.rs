//! IPv4 header options (RFC 791 and later), as Wireshark's `dissect_ipopt_*` show them: each
//! option a subtree `IP Option - <name> (<n> bytes)` with its type split into copy/class/number,
//! its length and its own fields; the names of the options follow `Options: (N bytes)`.

use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, Layer};
use crate::tree::{bit_string, Group, Severity, Value};
use std::fmt::Write;

const EOL: u8 = 0;
const NOP: u8 = 1;

static CLASSES: ValueStrings =
    &[(0, "Control"), (1, "Reserved for future use"), (2, "Debugging and measurement"), (3, "Reserved for future use")];

/// Option numbers (the low 5 bits of the type), `tshark -G values` for `ip.opt.type.number`.
static NUMBERS: ValueStrings = &[
    (0, "End of Option List (EOL)"), (1, "No-Operation (NOP)"), (2, "Security"), (3, "Loose source route"),
    (4, "Time stamp"), (5, "Extended security"), (6, "Commercial IP security option"), (7, "Record route"),
    (8, "Stream identifier"), (9, "Strict source route"), (10, "Experimental Measurement"), (11, "MTU probe"),
    (12, "MTU Reply"), (13, "Experimental Flow Control"), (14, "Experimental Access Control"), (15, "Ask Estrin"),
    (16, "IMI Traffic Descriptor"), (17, "Extended Internet Protocol"), (18, "Traceroute"), (19, "Address Extension"),
    (20, "Router Alert"), (21, "Selective Directed Broadcast"), (22, "Unassigned"), (23, "Dynamic Packet State"),
    (24, "Upstream Multicast Packet"), (25, "Quick-Start"), (30, "RFC 3692-style experiment"),
];

/// How Wireshark names each option type it decodes, in subtree labels and the options summary.
static OPTION_NAMES: &[(u8, &str)] = &[
    (0x00, "End of Options List (EOL)"),
    (0x01, "No-Operation (NOP)"),
    (0x82, "Security"),
    (0x83, "Loose Source Route"),
    (0x44, "Time Stamp"),
    (0x85, "Extended Security"),
    (0x86, "Commercial Security"),
    (0x07, "Record Route"),
    (0x88, "Stream ID"),
    (0x89, "Strict Source Route"),
    (0x0b, "MTU Probe"),
    (0x0c, "MTU Reply"),
    (0x52, "Traceroute"),
    (0x94, "Router Alert"),
    (0x19, "Quick-Start"),
];

static ROUTER_ALERT: ValueStrings = &[(0, "Router shall examine packet")];
static TS_FLAGS: ValueStrings =
    &[(0, "Time stamps only"), (1, "Time stamp and address"), (3, "Time stamps for prespecified addresses")];

pub static OPT_TYPE: FieldDef = FieldDef::new("Type", "ip.opt.type", FieldType::Uint8);
pub static OPT_TYPE_COPY: FieldDef = FieldDef::new("Copy on fragmentation", "ip.opt.type.copy", FieldType::Bool).bits(8, 0x80);
pub static OPT_TYPE_CLASS: FieldDef = FieldDef::new("Class", "ip.opt.type.class", FieldType::Uint8).bits(8, 0x60).strings(CLASSES);
pub static OPT_TYPE_NUMBER: FieldDef = FieldDef::new("Number", "ip.opt.type.number", FieldType::Uint8).bits(8, 0x1f).strings(NUMBERS);
pub static OPT_LEN: FieldDef = FieldDef::new("Length", "ip.opt.len", FieldType::Uint8);
pub static OPT_PTR: FieldDef = FieldDef::new("Pointer", "ip.opt.ptr", FieldType::Uint8);
pub static OPT_SID: FieldDef = FieldDef::new("Stream Identifier", "ip.opt.sid", FieldType::Uint16);
pub static OPT_MTU: FieldDef = FieldDef::new("MTU", "ip.opt.mtu", FieldType::Uint16);
pub static OPT_RA: FieldDef = FieldDef::new("Router Alert", "ip.opt.ra", FieldType::Uint16).strings(ROUTER_ALERT);
pub static OPT_OVERFLOW: FieldDef = FieldDef::new("Overflow", "ip.opt.overflow", FieldType::Uint8).bits(8, 0xf0);
pub static OPT_FLAG: FieldDef = FieldDef::new("Flag", "ip.opt.flag", FieldType::Uint8).base(Base::Hex).bits(8, 0x0f).strings(TS_FLAGS);
pub static OPT_TIME_STAMP: FieldDef = FieldDef::new("Time stamp", "ip.opt.time_stamp", FieldType::Uint32);
pub static OPT_TIME_STAMP_ADDR: FieldDef = FieldDef::new("Address", "ip.opt.time_stamp_addr", FieldType::Ipv4);
pub static REC_RT: FieldDef = FieldDef::new("Recorded Route", "ip.rec_rt", FieldType::Ipv4);
pub static EMPTY_RT: FieldDef = FieldDef::new("Empty Route", "ip.empty_rt", FieldType::Ipv4);
pub static SRC_RT: FieldDef = FieldDef::new("Source Route", "ip.src_rt", FieldType::Ipv4);
pub static REC_RT_HOST: FieldDef = FieldDef::new("Recorded Route Host", "ip.rec_rt_host", FieldType::String);
pub static EMPTY_RT_HOST: FieldDef = FieldDef::new("Empty Route Host", "ip.empty_rt_host", FieldType::String);
pub static SRC_RT_HOST: FieldDef = FieldDef::new("Source Route Host", "ip.src_rt_host", FieldType::String);
pub static OPT_PADDING: FieldDef = FieldDef::new("Padding", "ip.opt.padding", FieldType::Bytes);

pub static OPT_LEN_INVALID: FieldDef = FieldDef::new("Invalid length for option", "ip.opt.len.invalid", FieldType::None);
pub static PTR_BEFORE_ADDRESS: FieldDef = FieldDef::new("Pointer points before first address", "ip.opt.ptr.before_address", FieldType::None);
pub static PTR_MIDDLE_ADDRESS: FieldDef = FieldDef::new("Pointer points to middle of address", "ip.opt.ptr.middle_address", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &OPT_TYPE, &OPT_TYPE_COPY, &OPT_TYPE_CLASS, &OPT_TYPE_NUMBER, &OPT_LEN, &OPT_PTR, &OPT_SID, &OPT_MTU, &OPT_RA,
    &OPT_OVERFLOW, &OPT_FLAG, &OPT_TIME_STAMP, &OPT_TIME_STAMP_ADDR, &REC_RT, &EMPTY_RT, &SRC_RT, &REC_RT_HOST, &EMPTY_RT_HOST, &SRC_RT_HOST,
    &OPT_PADDING, &OPT_LEN_INVALID, &PTR_BEFORE_ADDRESS, &PTR_MIDDLE_ADDRESS,
];

/// The final destination named by a loose or strict source route option, if the options have
/// one: Wireshark makes it the datagram's destination (`ip.dst`, the Destination column).
pub fn source_route_destination(layer: &Layer, start: usize, end: usize) -> Option<[u8; 4]> {
    let mut at = start;
    while at < end.min(layer.len) {
        let kind = layer.u8(at);
        if kind == EOL {
            return None;
        }
        if kind == NOP {
            at += 1;
            continue;
        }
        let len = layer.u8(at + 1) as usize;
        if len < 2 || at + len > end {
            return None;
        }
        if (kind == 0x83 || kind == 0x89) && len >= 7 {
            // A route already run to its end, or a pointer that is not a slot, leaves the
            // header's destination (Wireshark's get_dst_offset).
            let ptr = layer.u8(at + 2) as usize;
            return (pointer_problem(ptr).is_none() && ptr <= len).then(|| layer.array(at + len - 4));
        }
        at += len;
    }
    None
}

fn option_name(kind: u8) -> Option<&'static str> {
    OPTION_NAMES.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n)
}

/// Options that carry a pointer (routes, time stamps) need it and, for time stamps, the
/// overflow/flag byte: shorter ones make Wireshark's option dissector throw (a malformed datagram).
fn too_short(kind: u8, len: usize) -> bool {
    match kind {
        0x07 | 0x83 | 0x89 => len < 3,
        0x44 => len < 4,
        _ => false,
    }
}

/// Whether an option is too short for its own fields (see `too_short`): the datagram is then
/// malformed after its header.
pub fn malformed(layer: &Layer, start: usize, end: usize) -> bool {
    let mut at = start;
    while at < end.min(layer.len) {
        let kind = layer.u8(at);
        if kind == EOL {
            return false;
        }
        if kind == NOP {
            at += 1;
            continue;
        }
        let len = layer.u8(at + 1) as usize;
        if len < 2 || at + len > end {
            return false;
        }
        if too_short(kind, len) {
            return true;
        }
        at += len;
    }
    false
}

/// The names Wireshark appends to `Options: (N bytes)`: every decoded option but NOP and EOL,
/// up to the first malformed one.
pub fn summary(layer: &Layer, start: usize, end: usize) -> String {
    let mut s = String::new();
    let mut at = start;
    while at < end {
        let kind = layer.u8(at);
        if kind == EOL {
            break;
        }
        if kind == NOP {
            at += 1;
            continue;
        }
        let len = layer.u8(at + 1) as usize;
        if len < 2 || at + len > end || too_short(kind, len) {
            break;
        }
        if let Some(name) = option_name(kind) {
            s.push_str(", ");
            s.push_str(name);
        }
        at += len;
    }
    s
}

/// Adds one subtree per option under `parent` for the option bytes `start..end` of `layer`.
/// Work is bounded: every step consumes at least one byte.
pub fn dissect(ctx: &mut Ctx, parent: u32, layer: &Layer, start: usize, end: usize) {
    let mut at = start;
    while at < end.min(layer.len) {
        let kind = layer.u8(at);
        let name = option_name(kind);
        if kind == EOL || kind == NOP {
            let o = ctx.tree.add(parent, &crate::proto::frame::TEXT, layer.abs(at), 1, Value::None);
            crate::set_label!(ctx.tree, o, "IP Option - {}", name.unwrap_or(""));
            add_type(ctx, o, layer, at, kind);
            if kind == EOL {
                return;
            }
            at += 1;
            continue;
        }
        let len = layer.u8(at + 1) as usize;
        if at + 1 >= end || len < 2 || at + len > end {
            let o = ctx.tree.add(parent, &crate::proto::frame::TEXT, layer.abs(at), (end - at).min(2), Value::None);
            let what = name.map(String::from).unwrap_or_else(|| format!("Unknown (0x{:02x})", kind));
            let text = if len < 2 {
                format!("{} (with too-short option length = {} byte{})", what, len, if len == 1 { "" } else { "s" })
            } else {
                format!("{} (option length = {} bytes says option goes past end of options)", what, len)
            };
            ctx.tree.set_label(o, text.clone());
            crate::expert::attach(&mut ctx.tree, o, &OPT_LEN_INVALID, Severity::Warn, Group::Protocol, &text);
            return;
        }
        let name = match name {
            Some(n) => n,
            None => {
                let o = ctx.tree.add(parent, &crate::proto::frame::TEXT, layer.abs(at), len, Value::None);
                crate::set_label!(ctx.tree, o, "Unknown (0x{:02x}) ({} bytes)", kind, len);
                at += len;
                continue;
            }
        };
        let o = ctx.tree.add(parent, &crate::proto::frame::TEXT, layer.abs(at), len, Value::None);
        let mut label = format!("IP Option - {} ({} bytes)", name, len);
        add_type(ctx, o, layer, at, kind);
        ctx.add_uint(o, &OPT_LEN, layer, at + 1, 1, len as u64);
        let body = at + 2;
        if too_short(kind, len) {
            ctx.tree.set_label(o, label);
            return;
        }
        match kind {
            0x94 if len >= 4 => {
                let v = layer.u16(body) as u64;
                ctx.add_uint(o, &OPT_RA, layer, body, 2, v);
                let _ = write!(label, ": {} ({})", OPT_RA.value_name(v).unwrap_or("Unknown"), v);
            }
            0x88 if len >= 4 => {
                ctx.add_uint(o, &OPT_SID, layer, body, 2, layer.u16(body) as u64);
            }
            0x0b | 0x0c if len >= 4 => {
                ctx.add_uint(o, &OPT_MTU, layer, body, 2, layer.u16(body) as u64);
            }
            0x07 | 0x83 | 0x89 if len >= 3 => add_route(ctx, o, layer, at, len, kind == 0x07),
            0x44 if len >= 4 => add_timestamps(ctx, o, layer, at, len),
            _ => {}
        }
        ctx.tree.set_label(o, label);
        at += len;
    }
}

fn add_type(ctx: &mut Ctx, o: u32, layer: &Layer, at: usize, kind: u8) {
    let t = ctx.add_uint(o, &OPT_TYPE, layer, at, 1, kind as u64);
    let k = kind as u64;
    let c = ctx.add(t, &OPT_TYPE_COPY, layer, at, 1, Value::Bool(kind & 0x80 != 0));
    crate::set_label!(ctx.tree, c, "{} = Copy on fragmentation: {}", bit_string(8, 0x80, k), if kind & 0x80 != 0 { "Yes" } else { "No" });
    ctx.add_uint(t, &OPT_TYPE_CLASS, layer, at, 1, (k >> 5) & 3);
    ctx.add_uint(t, &OPT_TYPE_NUMBER, layer, at, 1, k & 0x1f);
}

/// Pointer and addresses: slots before the pointer are recorded; for Record Route the others are
/// empty, for source routes they are the route still to go, whose last address is the
/// datagram's destination (`ip.dst`). The pointer's slot is marked `<- (next)`.
fn add_route(ctx: &mut Ctx, o: u32, layer: &Layer, at: usize, len: usize, record: bool) {
    let ptr = layer.u8(at + 2) as usize;
    let p = ctx.add_uint(o, &OPT_PTR, layer, at + 2, 1, ptr as u64);
    if let Some(problem) = pointer_problem(ptr) {
        // Wireshark shows no address then.
        crate::expert::attach(&mut ctx.tree, p, problem, Severity::Warn, Group::Protocol, problem.name);
        return;
    }
    let mut slot = 3;
    while slot + 4 <= len {
        let a: [u8; 4] = layer.array(at + slot);
        let last = slot + 4 + 4 > len;
        let (f, host): (&'static FieldDef, &'static FieldDef) = if slot + 1 < ptr {
            (&REC_RT, &REC_RT_HOST)
        } else if record {
            (&EMPTY_RT, &EMPTY_RT_HOST)
        } else if last {
            (&crate::proto::ip::IP_DST, &crate::proto::ip::IP_DST_HOST)
        } else {
            (&SRC_RT, &SRC_RT_HOST)
        };
        let n = ctx.add(o, f, layer, at + slot, 4, Value::Ipv4(a));
        if slot + 1 == ptr && !(last && !record) {
            ctx.tree.append_text(n, " <- (next)");
        }
        if std::ptr::eq(f, &crate::proto::ip::IP_DST) {
            let h = ctx.add(o, &crate::proto::ip::IP_ADDR, layer, at + slot, 4, Value::Ipv4(a));
            ctx.tree.set_hidden(h);
        }
        let h = ctx.add(o, host, layer, at + slot, 4, Value::Str(crate::addr::ipv4_string(a)));
        ctx.tree.set_hidden(h);
        slot += 4;
    }
}

/// What is wrong with a route option's pointer, if it does not point at an address slot.
fn pointer_problem(ptr: usize) -> Option<&'static FieldDef> {
    if ptr < 4 {
        Some(&PTR_BEFORE_ADDRESS)
    } else if ptr % 4 != 0 {
        Some(&PTR_MIDDLE_ADDRESS)
    } else {
        None
    }
}

fn add_timestamps(ctx: &mut Ctx, o: u32, layer: &Layer, at: usize, len: usize) {
    ctx.add_uint(o, &OPT_PTR, layer, at + 2, 1, layer.u8(at + 2) as u64);
    let of = layer.u8(at + 3);
    ctx.add_uint(o, &OPT_OVERFLOW, layer, at + 3, 1, (of >> 4) as u64);
    let flag = of & 0x0f;
    ctx.add_uint(o, &OPT_FLAG, layer, at + 3, 1, flag as u64);
    let mut p = 4;
    while p + 4 <= len {
        if flag == 1 || flag == 3 {
            if p + 8 > len {
                break;
            }
            ctx.add(o, &OPT_TIME_STAMP_ADDR, layer, at + p, 4, Value::Ipv4(layer.array(at + p)));
            p += 4;
        }
        ctx.add_uint(o, &OPT_TIME_STAMP, layer, at + p, 4, layer.u32(at + p) as u64);
        p += 4;
    }
}
