//! `icmpv6.opt`: Neighbor Discovery options (RFC 4861 and later: link-layer addresses, prefix
//! information, redirected header, MTU, route information, RDNSS, DNSSL, ...), which also put
//! the link-layer address in Info (` from 00:11:22:33:44:55`, ` is at ...`).

use crate::addr;
use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::icmpv6::{add_flags, dissect_redirected, name_of, DATA, ROUTER_PREFERENCE};
use crate::tree::{Group, Severity, Value};
use std::fmt::Write;

/// Offsets within one option.
mod field {
    pub const TYPE: usize = 0;
    pub const LENGTH: usize = 1;
    pub const BODY: usize = 2;
}

pub static OPT: FieldDef = FieldDef::new("ICMPv6 Option", "icmpv6.opt", FieldType::None).blurb("Option");
pub static OPT_TYPE: FieldDef = FieldDef::new("Type", "icmpv6.opt.type", FieldType::Uint8).strings(OPTION_NAMES).blurb("Options type");
pub static OPT_LENGTH: FieldDef = FieldDef::new("Length", "icmpv6.opt.length", FieldType::Uint8).blurb("The length (in units of 8 bytes) of the option (including the Type and Length fields)");
pub static OPT_RESERVED: FieldDef = FieldDef::new("Reserved", "icmpv6.opt.reserved", FieldType::None).blurb("Reserved (Must be 0)");
pub static OPT_PADDING: FieldDef = FieldDef::new("Padding", "icmpv6.opt.padding", FieldType::None).blurb("Padding (Must be 0)");
/// Wireshark registers these three twice, as FT_ETHER for MAC addresses and FT_BYTES for other
/// lengths; Reef declares each once, as an Ethernet address, and gives other lengths as bytes.
pub static OPT_LINKADDR: FieldDef = FieldDef::new("Link-layer address", "icmpv6.opt.linkaddr", FieldType::Ether);
pub static OPT_SRC_LINKADDR: FieldDef = FieldDef::new("Source Link-layer address", "icmpv6.opt.src_linkaddr", FieldType::Ether);
pub static OPT_TARGET_LINKADDR: FieldDef = FieldDef::new("Target Link-layer address", "icmpv6.opt.target_linkaddr", FieldType::Ether);
pub static OPT_LINKADDR_EUI64: FieldDef = FieldDef::new("Link-layer address", "icmpv6.opt.linkaddr_eui64", FieldType::Bytes);
pub static OPT_PREFIX_LEN: FieldDef = FieldDef::new("Prefix Length", "icmpv6.opt.prefix.length", FieldType::Uint8).blurb("The number of leading bits in the Prefix that are valid");
pub static OPT_PREFIX_FLAG: FieldDef = FieldDef::new("Flag", "icmpv6.opt.prefix.flag", FieldType::Uint8).base(Base::Hex);
pub static OPT_PREFIX_FLAG_L: FieldDef = FieldDef::new("On-link flag(L)", "icmpv6.opt.prefix.flag.l", FieldType::Bool).bits(8, 0x80).blurb("When set, indicates that this prefix can be used for on-link determination");
pub static OPT_PREFIX_FLAG_A: FieldDef = FieldDef::new("Autonomous address-configuration flag(A)", "icmpv6.opt.prefix.flag.a", FieldType::Bool).bits(8, 0x40).blurb("When set indicates that this prefix can be used for stateless address configuration");
pub static OPT_PREFIX_FLAG_R: FieldDef = FieldDef::new("Router address flag(R)", "icmpv6.opt.prefix.flag.r", FieldType::Bool).bits(8, 0x20).blurb("When set indicates that the Prefix field contains a complete IP address assigned to the sending router");
pub static OPT_PREFIX_FLAG_RSV: FieldDef = FieldDef::new("Reserved", "icmpv6.opt.prefix.flag.reserved", FieldType::Uint8).bits(8, 0x1f);
pub static OPT_PREFIX_VALID: FieldDef = FieldDef::new("Valid Lifetime", "icmpv6.opt.prefix.valid_lifetime", FieldType::Uint32).special_vals(INFINITY).blurb("The length of time in seconds that the prefix is valid for the purpose of on-link determination");
pub static OPT_PREFIX_PREFERRED: FieldDef = FieldDef::new("Preferred Lifetime", "icmpv6.opt.prefix.preferred_lifetime", FieldType::Uint32).special_vals(INFINITY).blurb("The length of time in seconds that addresses generated from the prefix via stateless address autoconfiguration remain preferred");
pub static OPT_PREFIX: FieldDef = FieldDef::new("Prefix", "icmpv6.opt.prefix", FieldType::Ipv6).blurb("An IP address or a prefix of an IP address");
pub static OPT_REDIRECTED: FieldDef = FieldDef::new("Redirected Packet", "icmpv6.opt.redirected_packet", FieldType::None);
pub static OPT_MTU: FieldDef = FieldDef::new("MTU", "icmpv6.opt.mtu", FieldType::Uint32).blurb("The recommended MTU for the link");
pub static OPT_ADV_INTERVAL: FieldDef = FieldDef::new("Advertisement Interval", "icmpv6.opt.advertisement_interval", FieldType::Uint32).blurb("The maximum time (in milliseconds) between successive unsolicited Router Advertisement messages sent by this router on this network interface");
pub static OPT_NONCE: FieldDef = FieldDef::new("Nonce", "icmpv6.opt.nonce", FieldType::Bytes).blurb("A field containing a random number selected by the sender of the solicitation message");
pub static OPT_ROUTE_FLAG: FieldDef = FieldDef::new("Flag", "icmpv6.opt.route_info.flag", FieldType::Uint8).base(Base::Hex);
pub static OPT_ROUTE_PREF: FieldDef = FieldDef::new("Route Preference", "icmpv6.opt.route_info.flag.route_preference", FieldType::Uint8).bits(8, 0x18).strings(ROUTER_PREFERENCE).blurb("The Route Preference indicates whether to prefer the router associated with this prefix over others");
pub static OPT_ROUTE_RSV: FieldDef = FieldDef::new("Reserved", "icmpv6.opt.route_info.flag.reserved", FieldType::Uint8).bits(8, 0xe7).blurb("Must be 0");
pub static OPT_ROUTE_LIFETIME: FieldDef = FieldDef::new("Route Lifetime", "icmpv6.opt.route_lifetime", FieldType::Uint32).special_vals(INFINITY).blurb("The length of time in seconds that the prefix is valid for the purpose of route determination");
pub static OPT_RDNSS_LIFETIME: FieldDef = FieldDef::new("Lifetime", "icmpv6.opt.rdnss.lifetime", FieldType::Uint32).special_vals(RDNSS_LIFETIME);
pub static OPT_RDNSS: FieldDef = FieldDef::new("Recursive DNS Servers", "icmpv6.opt.rdnss", FieldType::Ipv6);
pub static OPT_DNSSL_LIFETIME: FieldDef = FieldDef::new("Lifetime", "icmpv6.opt.dnssl.lifetime", FieldType::Uint32).special_vals(DNSSL_LIFETIME);
pub static OPT_DNSSL: FieldDef = FieldDef::new("Domain Names", "icmpv6.opt.dnssl", FieldType::String);
pub static OPT_CAPTIVE_PORTAL: FieldDef = FieldDef::new("Captive Portal", "icmpv6.opt.captive_portal", FieldType::String).blurb("The contact URI for the captive portal that the user should connect to");
pub static UNKNOWN_DATA: FieldDef = FieldDef::new("Unknown Data", "icmpv6.unknown_data", FieldType::Bytes).blurb("Not interpreted Data");

pub static INVALID_OPTION_LENGTH: FieldDef = FieldDef::new("Invalid Option Length", "icmpv6.invalid_option_length", FieldType::None);
pub static UNKNOWN_DATA_EXPERT: FieldDef = FieldDef::new("Unknown Data (not interpreted)", "icmpv6.unknown_data.expert", FieldType::None);
pub static UNDECODED_OPTION: FieldDef = FieldDef::new("Undecoded option", "icmpv6.undecoded.option", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &OPT, &OPT_TYPE, &OPT_LENGTH, &OPT_RESERVED, &OPT_PADDING, &OPT_LINKADDR, &OPT_SRC_LINKADDR, &OPT_TARGET_LINKADDR,
    &OPT_LINKADDR_EUI64, &OPT_PREFIX_LEN, &OPT_PREFIX_FLAG, &OPT_PREFIX_FLAG_L, &OPT_PREFIX_FLAG_A, &OPT_PREFIX_FLAG_R,
    &OPT_PREFIX_FLAG_RSV, &OPT_PREFIX_VALID, &OPT_PREFIX_PREFERRED, &OPT_PREFIX, &OPT_REDIRECTED, &OPT_MTU,
    &OPT_ADV_INTERVAL, &OPT_NONCE, &OPT_ROUTE_FLAG, &OPT_ROUTE_PREF, &OPT_ROUTE_RSV, &OPT_ROUTE_LIFETIME,
    &OPT_RDNSS_LIFETIME, &OPT_RDNSS, &OPT_DNSSL_LIFETIME, &OPT_DNSSL, &OPT_CAPTIVE_PORTAL, &UNKNOWN_DATA, &INVALID_OPTION_LENGTH, &UNKNOWN_DATA_EXPERT, &UNDECODED_OPTION,
];

static INFINITY: ValueStrings = &[(0xffff_ffff, "Infinity")];
static RDNSS_LIFETIME: ValueStrings = &[(0, "RDNSS address MUST no longer be used"), (0xffff_ffff, "Infinity")];
static DNSSL_LIFETIME: ValueStrings = &[(0, "DNSSL domain name MUST no longer be used"), (0xffff_ffff, "Infinity")];

/// Wireshark's option names (`option_vals`).
pub static OPTION_NAMES: ValueStrings = &[
    (1, "Source link-layer address"),
    (2, "Target link-layer address"),
    (3, "Prefix information"),
    (4, "Redirected header"),
    (5, "MTU"),
    (6, "NBMA Shortcut Limit Option"),
    (7, "Advertisement Interval"),
    (8, "Home Agent Information"),
    (9, "Source Address List"),
    (10, "Target Address List"),
    (11, "CGA"),
    (12, "RSA Signature"),
    (13, "Timestamp"),
    (14, "Nonce"),
    (15, "Trust Anchor"),
    (16, "Certificate"),
    (17, "IP Address/Prefix Option"),
    (18, "New Router Prefix Information"),
    (19, "Link-layer Address"),
    (20, "Neighbor Advertisement Acknowledgment"),
    (23, "MAP"),
    (24, "Route Information"),
    (25, "Recursive DNS Server"),
    (26, "RA Flags Extension"),
    (27, "Handover Key Request"),
    (28, "Handover Key Reply"),
    (29, "Handover Assist Information"),
    (30, "Mobile Node Identifier Option"),
    (31, "DNS Search List Option"),
    (32, "Proxy Signature (PS)"),
    (33, "Address Registration Option"),
    (34, "6LoWPAN Context Option"),
    (35, "Authoritative Border Router"),
    (36, "6LoWPAN Capability Indication Option"),
    (37, "DHCP Captive-Portal"),
    (38, "PREF64 Option"),
    (138, "CARD Request"),
    (139, "CARD Reply"),
    (253, "RFC3692-style Experiment 1"),
    (254, "RFC3692-style Experiment 2"),
];

const SOURCE_LINKADDR: u8 = 1;
const TARGET_LINKADDR: u8 = 2;
const PREFIX_INFORMATION: u8 = 3;
const REDIRECTED_HEADER: u8 = 4;
const MTU: u8 = 5;
const ADV_INTERVAL: u8 = 7;
const NONCE: u8 = 14;
const ROUTE_INFO: u8 = 24;
const RDNSS: u8 = 25;
const DNSSL: u8 = 31;
const CAPTIVE_PORTAL: u8 = 37;

/// Dissects the options from `at` to the end of the message under `parent`.
pub fn dissect(ctx: &mut Ctx, parent: u32, l: &Layer, mut at: usize) -> DResult<()> {
    // Each option is at least 8 bytes long (a zero length ends the walk), so this is bounded.
    while at < l.reported {
        l.need(at + 2)?;
        let typ = l.u8(at + field::TYPE);
        let len = l.u8(at + field::LENGTH) as usize * 8;
        let o = ctx.add(parent, &OPT, l, at, len.min(l.len - at), Value::None);
        let mut label = String::new();
        if ctx.tree.enabled() {
            label.push_str("ICMPv6 Option (");
            match name_of(OPTION_NAMES, typ as u64) {
                Some(name) => label.push_str(name),
                None => {
                    let _ = write!(label, "Unknown {}", typ);
                }
            }
            let t = ctx.add_uint(o, &OPT_TYPE, l, at + field::TYPE, 1, typ as u64);
            if name_of(OPTION_NAMES, typ as u64).is_none() {
                crate::set_label!(ctx.tree, t, "Type: Unknown ({})", typ);
            }
        }
        let n = ctx.add_uint(o, &OPT_LENGTH, l, at + field::LENGTH, 1, (len / 8) as u64);
        crate::append_label!(ctx.tree, n, " ({} bytes)", len);
        if len == 0 {
            // Wireshark stops here, leaving the option's label unclosed.
            crate::expert::attach(&mut ctx.tree, n, &INVALID_OPTION_LENGTH, Severity::Error, Group::Malformed, "Invalid option length (Zero)");
            ctx.tree.set_label(o, label);
            return Ok(());
        }
        l.need(at + len)?;
        let used = dissect_one(ctx, o, l, at, typ, len, &mut label)?;
        if used < len {
            let u = ctx.add(o, &UNKNOWN_DATA, l, at + used, len - used, Value::Bytes);
            crate::expert::attach(&mut ctx.tree, u, &UNKNOWN_DATA_EXPERT, Severity::Error, Group::Malformed, "Unknown Data (not interpreted)");
        }
        if ctx.tree.enabled() {
            label.push(')');
            ctx.tree.set_label(o, label);
        }
        at += len;
    }
    Ok(())
}

/// One option's body; returns how many bytes of the option it decoded.
fn dissect_one(ctx: &mut Ctx, o: u32, l: &Layer, at: usize, typ: u8, len: usize, label: &mut String) -> DResult<usize> {
    let body = at + field::BODY;
    let used = match typ {
        SOURCE_LINKADDR | TARGET_LINKADDR => {
            let (hidden, info) = if typ == SOURCE_LINKADDR { (&OPT_SRC_LINKADDR, " from ") } else { (&OPT_TARGET_LINKADDR, " is at ") };
            if len == 8 {
                let mac: [u8; 6] = l.array(body);
                ctx.add(o, &OPT_LINKADDR, l, body, 6, Value::Ether(mac));
                let h = ctx.add(o, hidden, l, body, 6, Value::Ether(mac));
                ctx.tree.set_hidden(h);
                ctx.cols.info.push_str(info);
                addr::write_ether(&mut ctx.cols.info, &mac);
                label.push_str(" : ");
                addr::write_ether(label, &mac);
            } else if len == 16 && l.u32(body + 8) == 0 && l.u16(body + 12) == 0 {
                // An EUI-64 and 6 bytes of padding; Wireshark writes " from " for both types.
                let mut eui = String::new();
                for (i, b) in l.slice(body, 8).iter().enumerate() {
                    let _ = write!(eui, "{}{:02x}", if i == 0 { "" } else { ":" }, b);
                }
                let n = ctx.add(o, &OPT_LINKADDR_EUI64, l, body, 8, Value::Bytes);
                crate::set_label!(ctx.tree, n, "Link-layer address: {}", eui);
                ctx.add(o, &OPT_PADDING, l, body + 8, 6, Value::None);
                let _ = write!(ctx.cols.info, " from {}", eui);
                let _ = write!(label, " : {}", eui);
            } else {
                ctx.add(o, &OPT_LINKADDR, l, body, len - 2, Value::Bytes);
                let h = ctx.add(o, hidden, l, body, len - 2, Value::Bytes);
                ctx.tree.set_hidden(h);
            }
            len
        }
        PREFIX_INFORMATION => {
            l.need(at + 32)?;
            let plen = l.u8(body);
            ctx.add_uint(o, &OPT_PREFIX_LEN, l, body, 1, plen as u64);
            let bits: [&'static FieldDef; 4] = [&OPT_PREFIX_FLAG_L, &OPT_PREFIX_FLAG_A, &OPT_PREFIX_FLAG_R, &OPT_PREFIX_FLAG_RSV];
            add_flags(ctx, o, l, at + 3, 1, &OPT_PREFIX_FLAG, &bits, l.u8(at + 3) as u64);
            ctx.add_uint(o, &OPT_PREFIX_VALID, l, at + 4, 4, l.u32(at + 4) as u64);
            ctx.add_uint(o, &OPT_PREFIX_PREFERRED, l, at + 8, 4, l.u32(at + 8) as u64);
            ctx.add(o, &OPT_RESERVED, l, at + 12, 4, Value::None);
            let prefix: [u8; 16] = l.array(at + 16);
            ctx.add(o, &OPT_PREFIX, l, at + 16, 16, Value::Ipv6(prefix));
            label.push_str(" : ");
            addr::write_ipv6(label, &prefix);
            let _ = write!(label, "/{}", plen);
            32
        }
        REDIRECTED_HEADER => {
            ctx.add(o, &OPT_RESERVED, l, body, 6, Value::None);
            if len > 8 {
                ctx.add(o, &OPT_REDIRECTED, l, at + 8, len - 8, Value::None);
                dissect_redirected(ctx, o, l.sub(at + 8, "redirected packet").limit(len - 8))?;
            }
            len
        }
        MTU | ADV_INTERVAL => {
            ctx.add(o, &OPT_RESERVED, l, body, 2, Value::None);
            let f = if typ == MTU { &OPT_MTU } else { &OPT_ADV_INTERVAL };
            ctx.add_uint(o, f, l, at + 4, 4, l.u32(at + 4) as u64);
            let _ = write!(label, " : {}", l.u32(at + 4));
            8
        }
        NONCE => {
            ctx.add(o, &OPT_NONCE, l, body, len - 2, Value::Bytes);
            len
        }
        ROUTE_INFO => {
            let plen = l.u8(body);
            ctx.add_uint(o, &OPT_PREFIX_LEN, l, body, 1, plen as u64);
            let flags = l.u8(at + 3);
            let bits: [&'static FieldDef; 2] = [&OPT_ROUTE_PREF, &OPT_ROUTE_RSV];
            add_flags(ctx, o, l, at + 3, 1, &OPT_ROUTE_FLAG, &bits, flags as u64);
            if let Some(name) = name_of(ROUTER_PREFERENCE, ((flags & 0x18) >> 3) as u64) {
                let _ = write!(label, " : {}", name);
            }
            ctx.add_uint(o, &OPT_ROUTE_LIFETIME, l, at + 4, 4, l.u32(at + 4) as u64);
            // The prefix field is 0, 8 or 16 bytes long.
            let mut prefix = [0u8; 16];
            let n = len - 8;
            if n == 8 || n == 16 {
                prefix[..n].copy_from_slice(l.slice(at + 8, n));
                ctx.add(o, &OPT_PREFIX, l, at + 8, n, Value::Ipv6(prefix));
            }
            if n <= 16 {
                label.push(' ');
                addr::write_ipv6(label, &prefix);
                let _ = write!(label, "/{}", plen);
            }
            len.min(24)
        }
        RDNSS => {
            ctx.add(o, &OPT_RESERVED, l, body, 2, Value::None);
            ctx.add_uint(o, &OPT_RDNSS_LIFETIME, l, at + 4, 4, l.u32(at + 4) as u64);
            let mut p = at + 8;
            while p < at + len {
                l.need(p + 16)?;
                let a: [u8; 16] = l.array(p);
                ctx.add(o, &OPT_RDNSS, l, p, 16, Value::Ipv6(a));
                label.push(' ');
                addr::write_ipv6(label, &a);
                p += 16;
            }
            p - at
        }
        DNSSL => {
            ctx.add(o, &OPT_RESERVED, l, body, 2, Value::None);
            ctx.add_uint(o, &OPT_DNSSL_LIFETIME, l, at + 4, 4, l.u32(at + 4) as u64);
            let end = at + len;
            let mut p = at + 8;
            while p < end {
                if l.u8(p) == 0 {
                    ctx.add(o, &OPT_PADDING, l, p, end - p, Value::None);
                    p = end;
                    break;
                }
                let (name, used) = domain_name(l, p, end);
                label.push(' ');
                crate::text::write_escaped(label, name.as_bytes());
                ctx.add(o, &OPT_DNSSL, l, p, used, Value::Str(name));
                p += used;
            }
            p - at
        }
        CAPTIVE_PORTAL => {
            let uri = String::from_utf8_lossy(l.slice(body, len - 2)).into_owned();
            ctx.add(o, &OPT_CAPTIVE_PORTAL, l, body, len - 2, Value::Str(uri));
            len
        }
        _ => {
            // Types Wireshark decodes but Reef does not are shown as data without its
            // "not implemented" note, which it gives only to types it does not know.
            if name_of(OPTION_NAMES, typ as u64).is_none() || typ >= 138 {
                let msg = format!("Dissector for ICMPv6 Option ({}) code not implemented, Contact Wireshark developers if you want this supported", typ);
                crate::expert::attach(&mut ctx.tree, o, &UNDECODED_OPTION, Severity::Note, Group::Undecoded, &msg);
            }
            ctx.add(o, &DATA, l, body, len - 2, Value::Bytes);
            len
        }
    };
    Ok(used)
}

/// A DNS name in label format without compression, within `p..end`: its text and the bytes it
/// takes (terminating zero included). A compression pointer ends it.
fn domain_name(l: &Layer, mut p: usize, end: usize) -> (String, usize) {
    let start = p;
    let mut name = String::new();
    while p < end {
        let n = l.u8(p) as usize;
        if n == 0 {
            p += 1;
            break;
        }
        if n >= 0xc0 {
            p += 2;
            break;
        }
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(&String::from_utf8_lossy(l.slice(p + 1, n.min(end.saturating_sub(p + 1)))));
        p += 1 + n;
    }
    (name, p.min(end) - start)
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::packet::FrameMeta;
    use crate::proto::icmpv6::tests::{ipv6_frame, labels_under, tree_of};
    use crate::session::tests::summary_of;

    pub(crate) const NEIGHBOR_SOLICIT: [u8; 86] = [
        0x33, 0x33, 0xff, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x86, 0xdd, 0x60, 0x00,
        0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x01, 0xff, 0x00, 0x00, 0x01, 0x87, 0x00, 0x1c, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x20, 0x01,
        0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01,
        0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
    ];
    const ROUTER_ADVERT: [u8; 120] = [
        0x86, 0x00, 0xc9, 0x23, 0x40, 0xc8, 0x02, 0x58, 0x00, 0x00, 0x75, 0x30, 0x00, 0x00, 0x03, 0xe8,
        0x01, 0x01, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc8,
        0x19, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x54, 0x1f, 0x04, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
        0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x03, 0x6c, 0x61,
        0x6e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x18, 0x02, 0x30, 0x08, 0x00, 0x00, 0x07, 0x08,
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0xaa, 0x00, 0x00,
    ];
    const REDIRECT: [u8; 112] = [
        0x89, 0x00, 0x63, 0x37, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x01, 0xa0, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0,
        0x04, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11, 0x40,
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x13, 0x88, 0x00, 0x35, 0x00, 0x10, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    ];

    #[test]
    fn a_neighbor_solicitation_names_its_target_and_link_address() {
        let (cols, protos) = summary_of(1, &NEIGHBOR_SOLICIT);
        assert_eq!(cols.info, "Neighbor Solicitation for 2001:db8:1::1 from 02:00:00:00:00:0a");
        assert_eq!(protos, "eth:ethertype:ipv6:icmpv6");
        let s = tree_of(&(FrameMeta { linktype: 1, caplen: 86, origlen: 86, ts_digits: 6, ..Default::default() }, NEIGHBOR_SOLICIT.to_vec()));
        let labels = labels_under(&s, "icmpv6");
        assert_eq!(labels[6..], [
            "  Target Address: 2001:db8:1::1",
            "  ICMPv6 Option (Source link-layer address : 02:00:00:00:00:0a)",
            "    Type: Source link-layer address (1)",
            "    Length: 1 (8 bytes)",
            "    Link-layer address: 02:00:00:00:00:0a",
        ]);
        assert!(s.tree().nodes.iter().any(|n| n.field.abbrev == "icmpv6.opt.src_linkaddr" && n.hidden));
    }

    #[test]
    fn a_router_advertisement_shows_its_options_as_tshark() {
        let frame = ipv6_frame("fe80::1", "ff02::1", 255, &ROUTER_ADVERT);
        assert_eq!(summary_of(1, &frame.1).0.info, "Router Advertisement from 0a:0b:0c:0d:0e:0f");
        let labels = labels_under(&tree_of(&frame), "icmpv6");
        let expect = [
            "  Cur hop limit: 64",
            "  Flags: 0xc8, Managed address configuration, Other configuration, Prf (Default Router Preference): High",
            "    1... .... = Managed address configuration: Set",
            "    .1.. .... = Other configuration: Set",
            "    ..0. .... = Home Agent: Not set",
            "    ...0 1... = Prf (Default Router Preference): High (1)",
            "    .... .0.. = Proxy: Not set",
            "    .... ..00 = Reserved: 0",
            "  Router lifetime (s): 600",
            "  Reachable time (ms): 30000",
            "  Retrans timer (ms): 1000",
            "  ICMPv6 Option (Source link-layer address : 0a:0b:0c:0d:0e:0f)",
        ];
        assert_eq!(labels[5..17], expect);
        for l in [
            "  ICMPv6 Option (MTU : 1480)",
            "  ICMPv6 Option (Recursive DNS Server 2001:db8::53 2001:db8::54)",
            "    Recursive DNS Servers: 2001:db8::54",
            "  ICMPv6 Option (DNS Search List Option example.com lan)",
            "    Lifetime: Infinity (4294967295)",
            "    Domain Names: lan",
            "    Padding",
            "  ICMPv6 Option (Route Information : High 2001:db8:aa::/48)",
            "    Flag: 0x08, Route Preference: High",
            "      ...0 1... = Route Preference: High (1)",
            "      000. .000 = Reserved: 0",
            "    Prefix: 2001:db8:aa::",
        ] {
            assert!(labels.iter().any(|x| x == l), "missing {:?} in {:#?}", l, labels);
        }
    }

    #[test]
    fn a_redirect_carries_the_redirected_packet() {
        let frame = ipv6_frame("fe80::1", "2001:db8::1", 255, &REDIRECT);
        let (cols, protos) = summary_of(1, &frame.1);
        assert_eq!(cols.info, "Redirect is at a0:b0:c0:d0:e0:f0");
        // The redirected datagram goes to port 53: tshark hands its 8 bytes to DNS too.
        assert_eq!(protos, "eth:ethertype:ipv6:icmpv6:ipv6:udp:dns");
        let labels = labels_under(&tree_of(&frame), "icmpv6");
        assert!(labels.contains(&"    Redirected Packet".to_string()));
        assert!(labels.contains(&"    Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8:1::1".to_string()), "{:#?}", labels);
    }
}
