//! `dhcp`: BOOTP (RFC 951) and DHCP (RFC 2131/2132) on UDP ports 67 and 68. The fixed header,
//! then the options after the magic cookie. Option names and value kinds are in `dhcp_opt.rs`.
//! A message without a DHCP Message Type option is plain BOOTP (Protocol column `BOOTP`).

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::dhcp_opt::{self, Kind};
use crate::tree::{bit_string, Value};
use std::fmt::Write;

mod field {
    pub const OP: usize = 0;
    pub const HTYPE: usize = 1;
    pub const HLEN: usize = 2;
    pub const HOPS: usize = 3;
    pub const XID: usize = 4;
    pub const SECS: usize = 8;
    pub const FLAGS: usize = 10;
    pub const CIADDR: usize = 12;
    pub const YIADDR: usize = 16;
    pub const SIADDR: usize = 20;
    pub const GIADDR: usize = 24;
    pub const CHADDR: usize = 28;
    pub const SNAME: usize = 44;
    pub const FILE: usize = 108;
    pub const COOKIE: usize = 236;
    pub const OPTIONS: usize = 240;
}
const CHADDR_LEN: usize = 16;
const SNAME_LEN: usize = 64;
const FILE_LEN: usize = 128;
const MAGIC_COOKIE: u32 = 0x6382_5363;
const OPT_PAD: u8 = 0;
const OPT_VENDOR_SPECIFIC: u8 = 43;
const OPT_MESSAGE_TYPE: u8 = 53;
const OPT_PARAMETER_LIST: u8 = 55;
const OPT_VENDOR_CLASS: u8 = 60;
const OPT_CLIENT_ID: u8 = 61;
const OPT_END: u8 = 255;
const BOOT_REQUEST: u8 = 1;
const HW_ETHERNET: u8 = 1;

pub static DHCP: FieldDef = FieldDef::protocol("Dynamic Host Configuration Protocol", "dhcp");
pub static TYPE: FieldDef = FieldDef::new("Message type", "dhcp.type", FieldType::Uint8).strings(&[(1, "Boot Request"), (2, "Boot Reply")]);
pub static HW_TYPE: FieldDef = FieldDef::new("Hardware type", "dhcp.hw.type", FieldType::Uint8).base(Base::Hex).strings(dhcp_opt::HW_TYPES);
pub static HW_LEN: FieldDef = FieldDef::new("Hardware address length", "dhcp.hw.len", FieldType::Uint8);
pub static HOPS: FieldDef = FieldDef::new("Hops", "dhcp.hops", FieldType::Uint8);
pub static ID: FieldDef = FieldDef::new("Transaction ID", "dhcp.id", FieldType::Uint32).base(Base::Hex);
pub static SECS: FieldDef = FieldDef::new("Seconds elapsed", "dhcp.secs", FieldType::Uint16);
pub static FLAGS: FieldDef = FieldDef::new("Bootp flags", "dhcp.flags", FieldType::Uint16).base(Base::Hex);
pub static FLAGS_BC: FieldDef = FieldDef::new("Broadcast flag", "dhcp.flags.bc", FieldType::Bool).bits(16, 0x8000);
pub static FLAGS_RESERVED: FieldDef = FieldDef::new("Reserved flags", "dhcp.flags.reserved", FieldType::Uint16).base(Base::Hex).bits(16, 0x7fff);
pub static IP_CLIENT: FieldDef = FieldDef::new("Client IP address", "dhcp.ip.client", FieldType::Ipv4);
pub static IP_YOUR: FieldDef = FieldDef::new("Your (client) IP address", "dhcp.ip.your", FieldType::Ipv4);
pub static IP_SERVER: FieldDef = FieldDef::new("Next server IP address", "dhcp.ip.server", FieldType::Ipv4);
pub static IP_RELAY: FieldDef = FieldDef::new("Relay agent IP address", "dhcp.ip.relay", FieldType::Ipv4);
pub static HW_ADDR: FieldDef = FieldDef::new("Client hardware address", "dhcp.hw.addr", FieldType::Bytes);
pub static HW_ADDR_PADDING: FieldDef = FieldDef::new("Client hardware address padding", "dhcp.hw.addr_padding", FieldType::Bytes);
pub static HW_MAC_ADDR: FieldDef = FieldDef::new("Client MAC address", "dhcp.hw.mac_addr", FieldType::Ether);
pub static SERVER: FieldDef = FieldDef::new("Server host name", "dhcp.server", FieldType::String);
pub static FILE: FieldDef = FieldDef::new("Boot file name", "dhcp.file", FieldType::String);
pub static COOKIE: FieldDef = FieldDef::new("Magic cookie", "dhcp.cookie", FieldType::Ipv4);
pub static OPTION_TYPE: FieldDef = FieldDef::new("Option", "dhcp.option.type", FieldType::Uint8);
pub static OPTION_LENGTH: FieldDef = FieldDef::new("Length", "dhcp.option.length", FieldType::Uint8);
pub static OPTION_VALUE: FieldDef = FieldDef::new("Value", "dhcp.option.value", FieldType::Bytes);
pub static OPTION_PADDING: FieldDef = FieldDef::new("Padding", "dhcp.option.padding", FieldType::Bytes);
pub static OPTION_DHCP: FieldDef = FieldDef::new("DHCP", "dhcp.option.dhcp", FieldType::Uint8).strings(MESSAGE_TYPES);
pub static OPTION_REQUEST_LIST_ITEM: FieldDef = FieldDef::new("Parameter Request List Item", "dhcp.option.request_list_item", FieldType::Uint8);
pub static OPTION_VENDOR_CLASS_ID: FieldDef = FieldDef::new("Vendor class identifier", "dhcp.option.vendor_class_id", FieldType::String);
pub static OPTION_END: FieldDef = FieldDef::new("Option End", "dhcp.option.end", FieldType::Uint8);
pub static CLIENT_ID_TYPE: FieldDef = FieldDef::new("Type", "dhcp.client_id.type", FieldType::Uint8);
pub static CLIENT_ID_UNDEF: FieldDef = FieldDef::new("Client Identifier", "dhcp.client_id.undef", FieldType::String);
pub static ARUBA_CONTROLLER_IP: FieldDef =
    FieldDef::new("Aruba Controller IP", "dhcp.option.vendor.arubaap.controllerip", FieldType::String);

pub static FIELDS: &[&FieldDef] = &[
    &DHCP, &TYPE, &HW_TYPE, &HW_LEN, &HOPS, &ID, &SECS, &FLAGS, &FLAGS_BC, &FLAGS_RESERVED, &IP_CLIENT, &IP_YOUR,
    &IP_SERVER, &IP_RELAY, &HW_ADDR, &HW_ADDR_PADDING, &HW_MAC_ADDR, &SERVER, &FILE, &COOKIE, &OPTION_TYPE,
    &OPTION_LENGTH, &OPTION_VALUE, &OPTION_PADDING, &OPTION_DHCP, &OPTION_REQUEST_LIST_ITEM, &OPTION_VENDOR_CLASS_ID,
    &OPTION_END, &CLIENT_ID_TYPE, &CLIENT_ID_UNDEF, &ARUBA_CONTROLLER_IP,
];

pub static HANDOFFS: &[Registration] =
    &[crate::handoff!(Table::UdpPort, 67, "dhcp", dissect), crate::handoff!(Table::UdpPort, 68, "dhcp", dissect)];

static MESSAGE_TYPES: &[(u64, &str)] = &[
    (1, "Discover"),
    (2, "Offer"),
    (3, "Request"),
    (4, "Decline"),
    (5, "ACK"),
    (6, "NAK"),
    (7, "Release"),
    (8, "Inform"),
    (9, "Force Renew"),
    (10, "Lease query"),
    (11, "Lease Unassigned"),
    (12, "Lease Unknown"),
    (13, "Lease Active"),
    (14, "Bulk Lease Query"),
    (15, "Lease Query Done"),
    (16, "Active LeaseQuery"),
    (17, "Lease Query Status"),
    (18, "TLS"),
];

fn message_type_name(t: u8) -> String {
    match MESSAGE_TYPES.iter().find(|(k, _)| *k == t as u64) {
        Some((_, s)) => s.to_string(),
        None => format!("Unknown Message Type (0x{:02x})", t),
    }
}

/// What the first walk over the options finds (Wireshark reads these before the tree).
#[derive(Default)]
struct Scan {
    message_type: Option<u8>,
    vendor_class: Vec<u8>,
}

/// Walks the captured options without failing: each step moves forward.
fn scan_options(l: &Layer) -> Scan {
    let mut s = Scan::default();
    if l.len < field::OPTIONS || l.u32(field::COOKIE) != MAGIC_COOKIE {
        return s;
    }
    let mut at = field::OPTIONS;
    while at < l.len {
        let code = l.u8(at);
        if code == OPT_END {
            break;
        }
        if code == OPT_PAD {
            at += 1;
            continue;
        }
        let len = l.u8(at + 1) as usize;
        if at + 2 + len > l.len {
            break;
        }
        match code {
            OPT_MESSAGE_TYPE if len >= 1 => s.message_type = Some(l.u8(at + 2)),
            OPT_VENDOR_CLASS => s.vendor_class = l.slice(at + 2, len).to_vec(),
            _ => {}
        }
        at += 2 + len;
    }
    s
}

/// Wireshark's unsigned_time_secs_to_str.
fn secs_to_str(secs: u32) -> String {
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

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{:02x}", x);
    }
    s
}

/// A NUL-terminated string as shown in labels.
fn stringz(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn add_labeled(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, l: &Layer, at: usize, len: usize, v: Value, label: String) -> u32 {
    let n = ctx.add(parent, f, l, at, len, v);
    if ctx.tree.enabled() {
        ctx.tree.set_label(n, label);
    }
    n
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("BOOTP");
    let top = ctx.add_protocol(parent, &DHCP, &layer);
    layer.need(field::CHADDR)?;
    let op = layer.u8(field::OP);
    let htype = layer.u8(field::HTYPE);
    let hlen = layer.u8(field::HLEN) as usize;
    let xid = layer.u32(field::XID);
    let ethernet = htype == HW_ETHERNET && hlen == 6;
    ctx.cols.info.clear();
    if op == BOOT_REQUEST {
        layer.need(field::CHADDR + hlen.min(CHADDR_LEN))?;
        if ethernet {
            let mac = crate::addr::ether_string(&layer.array::<6>(field::CHADDR));
            let _ = write!(ctx.cols.info, "Boot Request from {} ({})", mac, mac);
        } else {
            let _ = write!(ctx.cols.info, "Boot Request from {}", hex(layer.slice(field::CHADDR, hlen.min(CHADDR_LEN))));
        }
    } else {
        ctx.cols.info.push_str("Boot Reply");
    }
    let scan = scan_options(&layer);
    if let Some(t) = scan.message_type {
        ctx.cols.set_protocol("DHCP");
        ctx.cols.info.clear();
        let _ = write!(ctx.cols.info, "DHCP {:<8} - Transaction ID 0x{:x}", message_type_name(t), xid);
        if ctx.tree.enabled() {
            crate::set_label!(ctx.tree, top, "{} ({})", DHCP.name, message_type_name(t));
        }
    }
    ctx.add_uint(top, &TYPE, &layer, field::OP, 1, op as u64);
    ctx.add_uint(top, &HW_TYPE, &layer, field::HTYPE, 1, htype as u64);
    ctx.add_uint(top, &HW_LEN, &layer, field::HLEN, 1, hlen as u64);
    ctx.add_uint(top, &HOPS, &layer, field::HOPS, 1, layer.u8(field::HOPS) as u64);
    ctx.add_uint(top, &ID, &layer, field::XID, 4, xid as u64);
    ctx.add_uint(top, &SECS, &layer, field::SECS, 2, layer.u16(field::SECS) as u64);
    let flags = layer.u16(field::FLAGS);
    let broadcast = flags & 0x8000 != 0;
    let f = ctx.add_uint(top, &FLAGS, &layer, field::FLAGS, 2, flags as u64);
    if ctx.tree.enabled() {
        let text = if broadcast { ", Broadcast flag (Broadcast)" } else { " (Unicast)" };
        crate::set_label!(ctx.tree, f, "Bootp flags: 0x{:04x}{}", flags, text);
        let b = ctx.add(f, &FLAGS_BC, &layer, field::FLAGS, 2, Value::Bool(broadcast));
        let state = if broadcast { "Broadcast" } else { "Unicast" };
        crate::set_label!(ctx.tree, b, "{} = Broadcast flag: {}", bit_string(16, 0x8000, flags as u64), state);
        ctx.add_uint(f, &FLAGS_RESERVED, &layer, field::FLAGS, 2, (flags & 0x7fff) as u64);
    }
    let addrs: [(usize, &'static FieldDef); 4] =
        [(field::CIADDR, &IP_CLIENT), (field::YIADDR, &IP_YOUR), (field::SIADDR, &IP_SERVER), (field::GIADDR, &IP_RELAY)];
    for (at, fd) in addrs {
        ctx.add(top, fd, &layer, at, 4, Value::Ipv4(layer.array::<4>(at)));
    }
    layer.need(field::SNAME)?;
    add_chaddr(ctx, top, &layer, ethernet, hlen);
    for (at, len, fd) in [(field::SNAME, SNAME_LEN, &SERVER), (field::FILE, FILE_LEN, &FILE)] {
        layer.need(at + len)?;
        let text = stringz(layer.slice(at, len));
        let label = if text.is_empty() { format!("{} not given", fd.name) } else { format!("{}: {}", fd.name, crate::text::escaped(text.as_bytes())) };
        add_labeled(ctx, top, fd, &layer, at, len, Value::Str(text), label);
    }
    layer.need(field::OPTIONS)?;
    let cookie = layer.u32(field::COOKIE);
    let c = ctx.add(top, &COOKIE, &layer, field::COOKIE, 4, Value::Ipv4(cookie.to_be_bytes()));
    if cookie == MAGIC_COOKIE {
        crate::set_label!(ctx.tree, c, "Magic cookie: DHCP");
    } else {
        return Ok(layer.reported);
    }
    dissect_options(ctx, top, &layer, &scan)?;
    Ok(layer.reported)
}

fn add_chaddr(ctx: &mut Ctx, top: u32, l: &Layer, ethernet: bool, hlen: usize) {
    if ethernet {
        ctx.add(top, &HW_MAC_ADDR, l, field::CHADDR, 6, Value::Ether(l.array::<6>(field::CHADDR)));
        let label = format!("{}: {}", HW_ADDR_PADDING.name, hex(l.slice(field::CHADDR + 6, CHADDR_LEN - 6)));
        add_labeled(ctx, top, &HW_ADDR_PADDING, l, field::CHADDR + 6, CHADDR_LEN - 6, Value::Bytes, label);
    } else if hlen > 0 && hlen <= CHADDR_LEN {
        let label = format!("{}: {}", HW_ADDR.name, hex(l.slice(field::CHADDR, hlen)));
        add_labeled(ctx, top, &HW_ADDR, l, field::CHADDR, hlen, Value::Bytes, label);
        if hlen < CHADDR_LEN {
            let label = format!("{}: {}", HW_ADDR_PADDING.name, hex(l.slice(field::CHADDR + hlen, CHADDR_LEN - hlen)));
            add_labeled(ctx, top, &HW_ADDR_PADDING, l, field::CHADDR + hlen, CHADDR_LEN - hlen, Value::Bytes, label);
        }
    } else {
        let label = format!("{}: {}", HW_ADDR.name, hex(l.slice(field::CHADDR, CHADDR_LEN)));
        add_labeled(ctx, top, &HW_ADDR, l, field::CHADDR, CHADDR_LEN, Value::Bytes, label);
    }
}

/// The options, in order, until End. Every step moves forward, so the walk is bounded.
fn dissect_options(ctx: &mut Ctx, top: u32, l: &Layer, scan: &Scan) -> DResult<()> {
    let mut at = field::OPTIONS;
    while at < l.reported {
        l.need(at + 1)?;
        let code = l.u8(at);
        if code == OPT_PAD {
            let run = l.bytes().get(at..).map_or(0, |b| b.iter().take_while(|&&c| c == 0).count()).max(1);
            let o = add_labeled(ctx, top, &OPTION_TYPE, l, at, run, Value::Uint(0), "Option: (0) Padding".to_string());
            let label = format!("Padding: {}", hex(l.slice(at, run)));
            add_labeled(ctx, o, &OPTION_PADDING, l, at, run, Value::Bytes, label);
            at += run;
            continue;
        }
        if code == OPT_END {
            let o = add_labeled(ctx, top, &OPTION_TYPE, l, at, 1, Value::Uint(255), "Option: (255) End".to_string());
            ctx.add_uint(o, &OPTION_END, l, at, 1, 255);
            at += 1;
            let rest = l.reported.saturating_sub(at);
            if rest > 0 {
                let shown = l.slice(at, rest);
                let label = format!("Padding: {}", hex(shown));
                add_labeled(ctx, top, &OPTION_PADDING, l, at, shown.len(), Value::Bytes, label);
            }
            return Ok(());
        }
        l.need(at + 2)?;
        let len = l.u8(at + 1) as usize;
        let o = add_labeled(ctx, top, &OPTION_TYPE, l, at, 2 + len, Value::Uint(code as u64), format!("Option: ({}) {}", code, dhcp_opt::name(code)));
        ctx.add_uint(o, &OPTION_LENGTH, l, at + 1, 1, len as u64);
        l.need(at + 2 + len)?;
        if ctx.tree.enabled() {
            option_value(ctx, o, l, code, at + 2, len, scan);
        }
        at += 2 + len;
    }
    Ok(())
}

/// The value items of one option (its bytes are all present).
fn option_value(ctx: &mut Ctx, o: u32, l: &Layer, code: u8, v: usize, len: usize, scan: &Scan) {
    let (kind, fd) = dhcp_opt::opt(code);
    let fd = match fd {
        Some(fd) => fd,
        None => return special_value(ctx, o, l, code, v, len, scan),
    };
    match kind {
        Kind::Ipv4 if len >= 4 => {
            let a = l.array::<4>(v);
            ctx.add(o, fd, l, v, 4, Value::Ipv4(a));
            crate::append_label!(ctx.tree, o, " ({})", crate::addr::ipv4_string(a));
        }
        Kind::Ipv4List => {
            for i in 0..len / 4 {
                ctx.add(o, fd, l, v + 4 * i, 4, Value::Ipv4(l.array::<4>(v + 4 * i)));
            }
        }
        Kind::Str => {
            let text = stringz(l.slice(v, len));
            let label = format!("{}: {}", fd.name, crate::text::escaped(text.as_bytes()));
            add_labeled(ctx, o, fd, l, v, len, Value::Str(text), label);
        }
        Kind::U8 if len >= 1 => {
            ctx.add_uint(o, fd, l, v, 1, l.u8(v) as u64);
        }
        Kind::U16 if len >= 2 => {
            ctx.add_uint(o, fd, l, v, 2, l.u16(v) as u64);
        }
        Kind::Secs if len >= 4 => {
            let s = l.u32(v);
            let text = if s == u32::MAX { "infinity".to_string() } else { secs_to_str(s) };
            add_labeled(ctx, o, fd, l, v, 4, Value::Uint(s as u64), format!("{}: ({}s) {}", fd.name, s, text));
        }
        Kind::SignedSecs if len >= 4 => {
            let s = l.u32(v) as i32;
            let text = if s < 0 { format!("-{}", secs_to_str(s.unsigned_abs())) } else { secs_to_str(s as u32) };
            add_labeled(ctx, o, fd, l, v, 4, Value::Int(s as i64), format!("{}: ({}s) {}", fd.name, s, text));
        }
        Kind::Toggle if len >= 1 => {
            let on = l.u8(v) != 0;
            add_labeled(ctx, o, fd, l, v, 1, Value::Bool(on), format!("{}: {}", fd.name, if on { "Enabled" } else { "Disabled" }));
        }
        _ => raw_value(ctx, o, l, v, len),
    }
}

fn raw_value(ctx: &mut Ctx, o: u32, l: &Layer, v: usize, len: usize) {
    let label = format!("Value: {}", hex(l.slice(v, len)));
    add_labeled(ctx, o, &OPTION_VALUE, l, v, len, Value::Bytes, label);
}

/// Options the table marks special: message type, parameter list, client ID, vendor class
/// and vendor-specific information (Aruba); the rest as raw bytes.
fn special_value(ctx: &mut Ctx, o: u32, l: &Layer, code: u8, v: usize, len: usize, scan: &Scan) {
    match code {
        OPT_MESSAGE_TYPE if len >= 1 => {
            let t = l.u8(v);
            crate::append_label!(ctx.tree, o, " ({})", message_type_name(t));
            let n = ctx.add_uint(o, &OPTION_DHCP, l, v, 1, t as u64);
            if OPTION_DHCP.value_name(t as u64).is_none() {
                crate::set_label!(ctx.tree, n, "DHCP: Unknown ({})", t);
            }
        }
        OPT_PARAMETER_LIST => {
            for i in 0..len {
                let p = l.u8(v + i);
                let label = format!("Parameter Request List Item: ({}) {}", p, dhcp_opt::name(p));
                add_labeled(ctx, o, &OPTION_REQUEST_LIST_ITEM, l, v + i, 1, Value::Uint(p as u64), label);
            }
        }
        OPT_CLIENT_ID if len == 7 && l.u8(v) == HW_ETHERNET => {
            ctx.add_uint(o, &HW_TYPE, l, v, 1, HW_ETHERNET as u64);
            ctx.add(o, &HW_MAC_ADDR, l, v + 1, 6, Value::Ether(l.array::<6>(v + 1)));
        }
        OPT_CLIENT_ID if len >= 1 && l.u8(v) == 0 => {
            ctx.add_uint(o, &CLIENT_ID_TYPE, l, v, 1, 0);
            let text = String::from_utf8_lossy(l.slice(v + 1, len - 1)).into_owned();
            let label = format!("{}: {}", CLIENT_ID_UNDEF.name, crate::text::escaped(text.as_bytes()));
            add_labeled(ctx, o, &CLIENT_ID_UNDEF, l, v + 1, len - 1, Value::Str(text), label);
        }
        OPT_VENDOR_CLASS => {
            let text = stringz(l.slice(v, len));
            let label = format!("{}: {}", OPTION_VENDOR_CLASS_ID.name, crate::text::escaped(text.as_bytes()));
            add_labeled(ctx, o, &OPTION_VENDOR_CLASS_ID, l, v, len, Value::Str(text), label);
        }
        OPT_VENDOR_SPECIFIC if scan.vendor_class.starts_with(b"ArubaAP") => {
            // Wireshark hands this to its vendor dissector, which lists as a second `dhcp`.
            ctx.protocols.push(DHCP.abbrev);
            ctx.tree.append_text(o, " (Aruba AP)");
            let text = String::from_utf8_lossy(l.slice(v, len)).into_owned();
            let label = format!("{}: {}", ARUBA_CONTROLLER_IP.name, crate::text::escaped(text.as_bytes()));
            add_labeled(ctx, o, &ARUBA_CONTROLLER_IP, l, v, len, Value::Str(text), label);
        }
        _ => raw_value(ctx, o, l, v, len),
    }
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    /// An Ethernet/IPv4/UDP 68 -> 67 frame carrying `options` after a BOOTP request header.
    fn frame(options: &[u8]) -> Vec<u8> {
        let mut bootp = vec![1u8, 1, 6, 0, 0x69, 0x6d, 0xdc, 0x66];
        bootp.resize(28, 0);
        bootp.extend_from_slice(&[0x00, 0x0c, 0x29, 0x59, 0xfd, 0x21]);
        bootp.resize(236, 0);
        bootp.extend_from_slice(&[0x63, 0x82, 0x53, 0x63]);
        bootp.extend_from_slice(options);
        let udp_len = 8 + bootp.len();
        let ip_len = 20 + udp_len;
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0x00, 0x0c, 0x29, 0x59, 0xfd, 0x21, 0x08, 0x00]);
        f.extend_from_slice(&[0x45, 0, (ip_len >> 8) as u8, ip_len as u8, 0, 0, 0, 0, 64, 17, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255]);
        f.extend_from_slice(&[0, 68, 0, 67, (udp_len >> 8) as u8, udp_len as u8, 0, 0]);
        f.extend_from_slice(&bootp);
        f
    }

    #[test]
    fn discover_info_pads_the_message_type() {
        let (cols, protos) = summary_of(1, &frame(&[53, 1, 1, 50, 4, 192, 168, 100, 129, 255]));
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("DHCP", "DHCP Discover - Transaction ID 0x696ddc66"));
        assert_eq!(protos, "eth:ethertype:ip:udp:dhcp");
        let (cols, _) = summary_of(1, &frame(&[53, 1, 5, 255]));
        assert_eq!(cols.info, "DHCP ACK      - Transaction ID 0x696ddc66");
        let (cols, _) = summary_of(1, &frame(&[53, 1, 99, 255]));
        assert_eq!(cols.info, "DHCP Unknown Message Type (0x63) - Transaction ID 0x696ddc66");
    }

    #[test]
    fn without_a_message_type_it_is_bootp() {
        let (cols, _) = summary_of(1, &frame(&[255]));
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("BOOTP", "Boot Request from 00:0c:29:59:fd:21 (00:0c:29:59:fd:21)"));
    }

    #[test]
    fn a_cut_option_is_malformed_and_a_length_loop_ends() {
        let (cols, _) = summary_of(1, &frame(&[53, 1, 3, 1, 4, 255, 255]));
        assert_eq!(cols.info, "DHCP Request  - Transaction ID 0x696ddc66[Malformed Packet]");
        // Option lengths of zero still move forward.
        let (cols, _) = summary_of(1, &frame(&[53, 1, 1, 7, 0, 7, 0, 7, 0]));
        assert_eq!(cols.info, "DHCP Discover - Transaction ID 0x696ddc66");
    }
}
