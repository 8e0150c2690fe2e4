//! `arp`: ARP and RARP (RFC 826, RFC 903) for any hardware/protocol address sizes, with
//! Wireshark's Info texts (who-has, is-at, gratuitous, announcement, probe) and its duplicate
//! IPv4 address detection (state in `analysis::arp`).

use crate::addr;
use crate::analysis::arp::Duplicate;
use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::vals;
use crate::tree::{Group, Severity, Value, NO_NODE};
use std::fmt::Write;

mod field {
    pub const HRD: usize = 0;
    pub const PRO: usize = 2;
    pub const HLN: usize = 4;
    pub const PLN: usize = 5;
    pub const OP: usize = 6;
    pub const ADDRESSES: usize = 8;
}

mod op {
    pub const REQUEST: u16 = 1;
    pub const REPLY: u16 = 2;
    pub const RREQUEST: u16 = 3;
    pub const RREPLY: u16 = 4;
    pub const DRARP_REQUEST: u16 = 5;
    pub const DRARP_REPLY: u16 = 6;
    pub const DRARP_ERROR: u16 = 7;
    pub const IREQUEST: u16 = 8;
    pub const IREPLY: u16 = 9;
    pub const ATMARP_NAK: u16 = 10;
    pub const MAPOS_UNARP: u16 = 23;
    pub const EXP1: u16 = 24;
    pub const EXP2: u16 = 25;
}
const HRD_ETHER: u16 = 1;
const HRD_IEEE802: u16 = 6;
const PRO_IPV4: u16 = 0x0800;
/// AX.25's code for IPv4, which Wireshark also accepts as an IPv4 protocol type.
const PRO_AX25_IP: u16 = 0xcc;

static OPCODES: ValueStrings = &[
    (1, "request"),
    (2, "reply"),
    (3, "reverse request"),
    (4, "reverse reply"),
    (5, "drarp request"),
    (6, "drarp reply"),
    (7, "drarp error"),
    (8, "inverse request"),
    (9, "inverse reply"),
    (10, "arp nak"),
    (11, "mars request"),
    (12, "mars multi"),
    (13, "mars mserv"),
    (14, "mars join"),
    (15, "mars leave"),
    (16, "mars nak"),
    (17, "mars unserv"),
    (18, "mars sjoin"),
    (19, "mars sleave"),
    (20, "mars grouplist request"),
    (21, "mars grouplist reply"),
    (22, "mars redirect map"),
    (23, "mapos unarp"),
    (24, "experimental 1"),
    (25, "experimental 2"),
    (0, "reserved"),
    (65535, "reserved"),
];

/// Names of the MARS opcodes (11-22) as they start the Info column.
static MARS_INFO: &[(u16, &str)] = &[
    (11, "MARS request"),
    (12, "MARS MULTI request"),
    (13, "MARS MSERV request"),
    (14, "MARS JOIN request"),
    (15, "MARS LEAVE"),
    (16, "MARS NAK"),
    (17, "MARS UNSERV request"),
    (18, "MARS SJOIN request"),
    (19, "MARS SLEAVE"),
    (20, "MARS grouplist request"),
    (21, "MARS grouplist reply"),
    (22, "MARS redirect map"),
];

pub static ARP: FieldDef = FieldDef::protocol("Address Resolution Protocol", "arp");
pub static HW_TYPE: FieldDef = FieldDef::new("Hardware type", "arp.hw.type", FieldType::Uint16).strings(vals::ARP_HARDWARE_TYPES);
pub static PROTO_TYPE: FieldDef = FieldDef::new("Protocol type", "arp.proto.type", FieldType::Uint16).base(Base::Hex).strings(vals::ETHERTYPES);
pub static HW_SIZE: FieldDef = FieldDef::new("Hardware size", "arp.hw.size", FieldType::Uint8);
pub static PROTO_SIZE: FieldDef = FieldDef::new("Protocol size", "arp.proto.size", FieldType::Uint8);
pub static OPCODE: FieldDef = FieldDef::new("Opcode", "arp.opcode", FieldType::Uint16).strings(OPCODES);
pub static IS_GRATUITOUS: FieldDef = FieldDef::new("Is gratuitous", "arp.isgratuitous", FieldType::Bool);
pub static IS_PROBE: FieldDef = FieldDef::new("Is probe", "arp.isprobe", FieldType::Bool);
pub static IS_ANNOUNCEMENT: FieldDef = FieldDef::new("Is announcement", "arp.isannouncement", FieldType::Bool);
pub static SRC_HW: FieldDef = FieldDef::new("Sender hardware address", "arp.src.hw", FieldType::Bytes);
pub static SRC_HW_MAC: FieldDef = FieldDef::new("Sender MAC address", "arp.src.hw_mac", FieldType::Ether);
pub static SRC_PROTO: FieldDef = FieldDef::new("Sender protocol address", "arp.src.proto", FieldType::Bytes);
pub static SRC_PROTO_IPV4: FieldDef = FieldDef::new("Sender IP address", "arp.src.proto_ipv4", FieldType::Ipv4);
pub static DST_HW: FieldDef = FieldDef::new("Target hardware address", "arp.dst.hw", FieldType::Bytes);
pub static DST_HW_MAC: FieldDef = FieldDef::new("Target MAC address", "arp.dst.hw_mac", FieldType::Ether);
pub static DST_PROTO: FieldDef = FieldDef::new("Target protocol address", "arp.dst.proto", FieldType::Bytes);
pub static DST_PROTO_IPV4: FieldDef = FieldDef::new("Target IP address", "arp.dst.proto_ipv4", FieldType::Ipv4);
pub static DRARP_ERROR_STATUS: FieldDef = FieldDef::new("DRARP error status", "arp.dst.drarp_error_status", FieldType::Uint16);
pub static DUPLICATE_FRAME: FieldDef =
    FieldDef::new("Frame showing earlier use of IP address", "arp.duplicate-address-frame", FieldType::FrameNum);
pub static DUPLICATE_SECONDS: FieldDef =
    FieldDef::new("Seconds since earlier frame seen", "arp.seconds-since-duplicate-address-frame", FieldType::Uint32);
pub static DUPLICATE_DETECTED: FieldDef =
    FieldDef::new("Duplicate IP address configured", "arp.duplicate-address-detected", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &ARP, &HW_TYPE, &PROTO_TYPE, &HW_SIZE, &PROTO_SIZE, &OPCODE, &IS_GRATUITOUS, &IS_PROBE, &IS_ANNOUNCEMENT, &SRC_HW,
    &SRC_HW_MAC, &SRC_PROTO, &SRC_PROTO_IPV4, &DST_HW, &DST_HW_MAC, &DST_PROTO, &DST_PROTO_IPV4, &DRARP_ERROR_STATUS,
    &DUPLICATE_FRAME, &DUPLICATE_SECONDS, &DUPLICATE_DETECTED,
];

pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::EtherType, 0x0806, "arp", dissect),
    crate::handoff!(Table::EtherType, 0x8035, "arp", dissect),
];

/// The parsed fixed header and where the four addresses are.
struct Header {
    hrd: u16,
    pro: u16,
    hln: usize,
    pln: usize,
    op: u16,
    sha: usize,
    spa: usize,
    tha: usize,
    tpa: usize,
}

impl Header {
    fn hw_is_ether(&self) -> bool {
        (self.hrd == HRD_ETHER || self.hrd == HRD_IEEE802) && self.hln == 6
    }
    fn pro_is_ipv4(&self) -> bool {
        (self.pro == PRO_IPV4 || self.pro == PRO_AX25_IP) && self.pln == 4
    }
    fn total_len(&self) -> usize {
        field::ADDRESSES + 2 * self.hln + 2 * self.pln
    }
}

/// What Wireshark calls a protocol address in text: dotted IPv4, else plain hex.
fn proto_addr(layer: &Layer, h: &Header, at: usize) -> String {
    if h.pln == 0 {
        "<No address>".to_string()
    } else if h.pro_is_ipv4() {
        addr::ipv4_string(layer.array(at))
    } else {
        hex(layer.slice(at, h.pln))
    }
}

fn hw_addr(layer: &Layer, h: &Header, at: usize) -> String {
    if h.hln == 0 {
        "<No address>".to_string()
    } else if h.hw_is_ether() {
        addr::ether_string(&layer.array(at))
    } else {
        hex(layer.slice(at, h.hln))
    }
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{:02x}", x);
    }
    s
}

/// Gratuitous (sender and target protocol addresses equal), announcement (a gratuitous request
/// with an all-zero target MAC) and probe (a request from 0.0.0.0 with an all-zero target MAC).
#[derive(Default)]
struct Kind {
    gratuitous: bool,
    announcement: bool,
    probe: bool,
}

fn kind(layer: &Layer, h: &Header) -> Kind {
    let mut k = Kind::default();
    if h.op != op::REQUEST && h.op != op::REPLY {
        return k;
    }
    let zero_tha = layer.slice(h.tha, 6) == [0u8; 6];
    if layer.slice(h.spa, h.pln) == layer.slice(h.tpa, h.pln) {
        k.gratuitous = true;
        k.announcement = h.op == op::REQUEST && zero_tha;
    } else {
        k.probe = h.op == op::REQUEST && zero_tha && layer.u32(h.spa) == 0;
    }
    k
}

fn protocol_name(op: u16) -> &'static str {
    match op {
        op::RREQUEST | op::RREPLY => "RARP",
        op::DRARP_REQUEST | op::DRARP_REPLY | op::DRARP_ERROR => "DRARP",
        op::IREQUEST | op::IREPLY => "Inverse ARP",
        11..=22 => "MARS",
        op::MAPOS_UNARP => "MAPOS",
        _ => "ARP",
    }
}

/// The Info column, built in one place.
fn info(layer: &Layer, h: &Header, k: &Kind) -> String {
    let spa = || proto_addr(layer, h, h.spa);
    let tpa = || proto_addr(layer, h, h.tpa);
    let sha = || hw_addr(layer, h, h.sha);
    let tha = || hw_addr(layer, h, h.tha);
    match h.op {
        op::REQUEST if k.announcement => format!("ARP Announcement for {}", tpa()),
        op::REQUEST if k.gratuitous => format!("Gratuitous ARP for {} (Request)", tpa()),
        op::REQUEST if k.probe => format!("Who has {}? (ARP Probe)", tpa()),
        op::REQUEST => format!("Who has {}? Tell {}", tpa(), spa()),
        op::REPLY if k.gratuitous => format!("Gratuitous ARP for {} (Reply)", spa()),
        op::REPLY => format!("{} is at {}", spa(), sha()),
        op::RREQUEST | op::IREQUEST | op::DRARP_REQUEST => format!("Who is {}? Tell {}", tha(), sha()),
        op::RREPLY | op::DRARP_REPLY => format!("{} is at {}", tha(), tpa()),
        op::DRARP_ERROR => "DRARP Error".to_string(),
        op::IREPLY => format!("{} is at {}", sha(), spa()),
        op::ATMARP_NAK => "ARP NAK".to_string(),
        op::MAPOS_UNARP => format!("MAPOS UNARP request from {} at {}", sha(), spa()),
        op::EXP1 => format!("Experimental 1 ( opcode {} )", h.op),
        op::EXP2 => format!("Experimental 2 ( opcode {} )", h.op),
        0 | 0xffff => format!("Reserved opcode {}", h.op),
        o => match MARS_INFO.iter().find(|(v, _)| *v == o) {
            Some((_, text)) => format!("{} from {} at {}", text, sha(), spa()),
            None => format!("Unknown ARP opcode 0x{:04x}", o),
        },
    }
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("ARP");
    ctx.cols.info.clear();
    layer.need(field::ADDRESSES)?;
    let hln = layer.u8(field::HLN) as usize;
    let pln = layer.u8(field::PLN) as usize;
    let sha = field::ADDRESSES;
    let h = Header {
        hrd: layer.u16(field::HRD),
        pro: layer.u16(field::PRO),
        hln,
        pln,
        op: layer.u16(field::OP),
        sha,
        spa: sha + hln,
        tha: sha + hln + pln,
        tpa: sha + 2 * hln + pln,
    };
    // Only the ARP message is ARP: the rest of the frame is the link layer's padding or trailer.
    let layer = layer.limit(h.total_len().min(layer.reported));
    ctx.cols.set_protocol(protocol_name(h.op));
    let top = ctx.add_protocol(parent, &ARP, &layer);
    layer.need(h.total_len())?;
    let duplicate = check_duplicates(ctx, &layer, &h);
    let k = kind(&layer, &h);
    ctx.cols.set_info(&info(&layer, &h, &k));
    if ctx.tree.enabled() {
        add_tree(ctx, top, &layer, &h, &k);
    }
    if let Some((ip, _)) = duplicate.last {
        let _ = write!(ctx.cols.info, " (duplicate use of {} detected!)", addr::ipv4_string(ip));
    }
    for (ip, mac, d) in duplicate.all {
        add_duplicate(ctx, &layer, ip, mac, &d);
    }
    Ok(h.total_len())
}

/// Duplicates found for the sender and the target binding, and the result of the last check
/// (Wireshark's Info column only reflects the last one, as its code overwrites the flag).
#[derive(Default)]
struct Duplicates {
    all: Vec<([u8; 4], [u8; 6], Duplicate)>,
    last: Option<([u8; 4], Duplicate)>,
}

fn check_duplicates(ctx: &mut Ctx, layer: &Layer, h: &Header) -> Duplicates {
    let mut out = Duplicates::default();
    if !(h.op == op::REQUEST || h.op == op::REPLY) || !h.hw_is_ether() || !h.pro_is_ipv4() {
        return out;
    }
    let usable = |mac: [u8; 6], ip: [u8; 4]| mac[0] & 1 == 0 && mac != [0; 6] && ip != [0; 4];
    let check = |ctx: &mut Ctx, ip: [u8; 4], mac: [u8; 6], out: &mut Duplicates| {
        let frame = ctx.meta.number;
        let d = if ctx.revisit { ctx.state.arp.stored(frame, ip) } else { ctx.state.arp.check(frame, ctx.meta.ts_ns, ip, mac) };
        out.last = d.map(|d| (ip, d));
        if let Some(d) = d {
            out.all.push((ip, mac, d));
        }
    };
    let (smac, sip): ([u8; 6], [u8; 4]) = (layer.array(h.sha), layer.array(h.spa));
    if usable(smac, sip) {
        check(ctx, sip, smac, &mut out);
    }
    let (tmac, tip): ([u8; 6], [u8; 4]) = (layer.array(h.tha), layer.array(h.tpa));
    // Targets of requests mean nothing; a gratuitous ARP is not reported twice for one address.
    let reported_sender = out.all.first().map(|(ip, _, _)| *ip) == Some(tip);
    if usable(tmac, tip) && h.op != op::REQUEST && !reported_sender {
        check(ctx, tip, tmac, &mut out);
    }
    out
}

fn add_duplicate(ctx: &mut Ctx, layer: &Layer, ip: [u8; 4], mac: [u8; 6], d: &Duplicate) {
    if !ctx.tree.enabled() {
        return;
    }
    let t = ctx.tree.add(NO_NODE, &crate::proto::frame::TEXT, layer.start, 0, Value::None);
    ctx.tree.set_label(
        t,
        format!(
            "[Duplicate IP address detected for {} ({}) - also in use by {} (frame {})]",
            addr::ipv4_string(ip),
            addr::ether_string(&mac),
            addr::ether_string(&d.earlier_mac),
            d.earlier_frame
        ),
    );
    if let Some(n) = ctx.tree.node_mut(t) {
        n.generated = true;
    }
    let f = ctx.tree.add_generated(t, &DUPLICATE_FRAME, Value::Uint(d.earlier_frame as u64));
    crate::expert::attach(&mut ctx.tree, f, &DUPLICATE_DETECTED, Severity::Warn, Group::Sequence, &format!("Duplicate IP address configured ({})", addr::ipv4_string(ip)));
    ctx.tree.add_generated(t, &DUPLICATE_SECONDS, Value::Uint(d.seconds as u64));
}

fn add_tree(ctx: &mut Ctx, top: u32, layer: &Layer, h: &Header, k: &Kind) {
    let op_name = OPCODES.iter().find(|(v, _)| *v == h.op as u64).map(|(_, s)| *s);
    let label = match op_name {
        Some(_) if k.announcement => "Address Resolution Protocol (ARP Announcement)".to_string(),
        Some(_) if k.probe => "Address Resolution Protocol (ARP Probe)".to_string(),
        Some(_) if k.gratuitous && h.op == op::REQUEST => "Address Resolution Protocol (request/gratuitous ARP)".to_string(),
        Some(_) if k.gratuitous => "Address Resolution Protocol (reply/gratuitous ARP)".to_string(),
        Some(name) => format!("Address Resolution Protocol ({})", name),
        None => format!("Address Resolution Protocol (opcode 0x{:04x})", h.op),
    };
    ctx.tree.set_label(top, label);
    ctx.add_uint(top, &HW_TYPE, layer, field::HRD, 2, h.hrd as u64);
    ctx.add_uint(top, &PROTO_TYPE, layer, field::PRO, 2, h.pro as u64);
    ctx.add_uint(top, &HW_SIZE, layer, field::HLN, 1, h.hln as u64);
    ctx.add_uint(top, &PROTO_SIZE, layer, field::PLN, 1, h.pln as u64);
    ctx.add_uint(top, &OPCODE, layer, field::OP, 2, h.op as u64);
    for (flag, f) in [(k.gratuitous, &IS_GRATUITOUS), (k.probe, &IS_PROBE), (k.announcement, &IS_ANNOUNCEMENT)] {
        if flag {
            ctx.tree.add_generated(top, f, Value::Bool(true));
        }
    }
    let hw = |ctx: &mut Ctx, mac: &'static FieldDef, raw: &'static FieldDef, at: usize| {
        if h.hln == 0 {
            return;
        }
        if h.hw_is_ether() {
            ctx.add(top, mac, layer, at, 6, Value::Ether(layer.array(at)));
        } else {
            ctx.add(top, raw, layer, at, h.hln, Value::Bytes);
        }
    };
    let proto = |ctx: &mut Ctx, ipv4: &'static FieldDef, raw: &'static FieldDef, at: usize| {
        if h.pln == 0 {
            return;
        }
        if h.pro_is_ipv4() {
            ctx.add(top, ipv4, layer, at, 4, Value::Ipv4(layer.array(at)));
        } else {
            ctx.add(top, raw, layer, at, h.pln, Value::Bytes);
        }
    };
    hw(ctx, &SRC_HW_MAC, &SRC_HW, h.sha);
    proto(ctx, &SRC_PROTO_IPV4, &SRC_PROTO, h.spa);
    hw(ctx, &DST_HW_MAC, &DST_HW, h.tha);
    if h.op == op::DRARP_ERROR && h.pln != 0 {
        // The first byte of the target protocol address carries the error status.
        ctx.add_uint(top, &DRARP_ERROR_STATUS, layer, h.tpa, 1, layer.u8(h.tpa) as u64);
    } else {
        proto(ctx, &DST_PROTO_IPV4, &DST_PROTO, h.tpa);
    }
}
