//! `dns` record data by type (the part of `dns.rs` that grows with every RR type): A, AAAA,
//! NS, CNAME, PTR, DNAME, MX, TXT, SOA, SRV, OPT/EDNS (incl. cookies and client subnet),
//! SVCB/HTTPS; other types are shown raw (`dns.data`) with the Info text Wireshark gives them.

use super::dns::{add_bytes, add_flag, name_or_unknown, secs_to_str, Flavor, T_OPT};
use super::dns_name::{Name, Names};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::tree::{bit_string, Group, Severity, Value};
use std::fmt::Write;

const T_A: u16 = 1;
const T_NS: u16 = 2;
const T_CNAME: u16 = 5;
const T_SOA: u16 = 6;
const T_PTR: u16 = 12;
const T_HINFO: u16 = 13;
const T_MX: u16 = 15;
const T_TXT: u16 = 16;
const T_AAAA: u16 = 28;
const T_NXT: u16 = 30;
pub const T_SRV: u16 = 33;
const T_DNAME: u16 = 39;
const T_NSEC: u16 = 47;
const T_SVCB: u16 = 64;
const T_HTTPS: u16 = 65;

const O_CLIENT_SUBNET: u16 = 8;
const O_CLIENT_SUBNET_EXP: u16 = 0x50fa;
const O_COOKIE: u16 = 10;
const O_TCP_KEEPALIVE: u16 = 11;
const O_PADDING: u16 = 12;
const O_EXT_ERROR: u16 = 15;

pub static A: FieldDef = FieldDef::new("Address", "dns.a", FieldType::Ipv4);
pub static AAAA: FieldDef = FieldDef::new("AAAA Address", "dns.aaaa", FieldType::Ipv6);
pub static NS: FieldDef = FieldDef::new("Name Server", "dns.ns", FieldType::String);
pub static CNAME: FieldDef = FieldDef::new("CNAME", "dns.cname", FieldType::String);
pub static PTR_DOMAIN_NAME: FieldDef = FieldDef::new("Domain Name", "dns.ptr.domain_name", FieldType::String);
pub static DNAME: FieldDef = FieldDef::new("Dname", "dns.dname", FieldType::String);
pub static MX_PREFERENCE: FieldDef = FieldDef::new("Preference", "dns.mx.preference", FieldType::Uint16);
pub static MX_MAIL_EXCHANGE: FieldDef = FieldDef::new("Mail Exchange", "dns.mx.mail_exchange", FieldType::String);
pub static TXT_LENGTH: FieldDef = FieldDef::new("TXT Length", "dns.txt.length", FieldType::Uint8);
pub static TXT: FieldDef = FieldDef::new("TXT", "dns.txt", FieldType::String);
pub static SOA_MNAME: FieldDef = FieldDef::new("Primary name server", "dns.soa.mname", FieldType::String);
pub static SOA_RNAME: FieldDef = FieldDef::new("Responsible authority's mailbox", "dns.soa.rname", FieldType::String);
pub static SOA_SERIAL: FieldDef = FieldDef::new("Serial Number", "dns.soa.serial_number", FieldType::Uint32);
pub static SOA_REFRESH: FieldDef = FieldDef::new("Refresh Interval", "dns.soa.refresh_interval", FieldType::Uint32);
pub static SOA_RETRY: FieldDef = FieldDef::new("Retry Interval", "dns.soa.retry_interval", FieldType::Uint32);
pub static SOA_EXPIRE: FieldDef = FieldDef::new("Expire limit", "dns.soa.expire_limit", FieldType::Uint32);
pub static SOA_MINIMUM: FieldDef = FieldDef::new("Minimum TTL", "dns.soa.minimum_ttl", FieldType::Uint32);
pub static SRV_PRIORITY: FieldDef = FieldDef::new("Priority", "dns.srv.priority", FieldType::Uint16);
pub static SRV_WEIGHT: FieldDef = FieldDef::new("Weight", "dns.srv.weight", FieldType::Uint16);
pub static SRV_PORT: FieldDef = FieldDef::new("Port", "dns.srv.port", FieldType::Uint16);
pub static SRV_TARGET: FieldDef = FieldDef::new("Target", "dns.srv.target", FieldType::String);
pub static HINFO_CPU_LENGTH: FieldDef = FieldDef::new("CPU Length", "dns.hinfo.cpu_length", FieldType::Uint8);
pub static HINFO_CPU: FieldDef = FieldDef::new("CPU", "dns.hinfo.cpu", FieldType::String);
pub static HINFO_OS_LENGTH: FieldDef = FieldDef::new("OS Length", "dns.hinfo.os_length", FieldType::Uint8);
pub static HINFO_OS: FieldDef = FieldDef::new("OS", "dns.hinfo.os", FieldType::String);
pub static NSEC_NEXT: FieldDef = FieldDef::new("Next Domain Name", "dns.nsec.next_domain_name", FieldType::String);
pub static UDP_PAYLOAD_SIZE: FieldDef = FieldDef::new("UDP payload size", "dns.rr.udp_payload_size", FieldType::Uint16);
pub static EXT_RCODE: FieldDef = FieldDef::new("Higher bits in extended RCODE", "dns.resp.ext_rcode", FieldType::Uint8).base(Base::Hex);
pub static EDNS0_VERSION: FieldDef = FieldDef::new("EDNS0 version", "dns.resp.edns0_version", FieldType::Uint8);
pub static Z: FieldDef = FieldDef::new("Z", "dns.resp.z", FieldType::Uint16).base(Base::Hex);
pub static Z_DO: FieldDef = FieldDef::new("DO bit", "dns.resp.z.do", FieldType::Bool).bits(16, 0x8000);
pub static Z_RESERVED: FieldDef = FieldDef::new("Reserved", "dns.resp.z.reserved", FieldType::Uint16).base(Base::Hex).bits(16, 0x7fff);
pub static OPT: FieldDef = FieldDef::new("Option", "dns.opt", FieldType::None);
pub static OPT_CODE: FieldDef = FieldDef::new("Option Code", "dns.opt.code", FieldType::Uint16).strings(OPT_CODES);
pub static OPT_LEN: FieldDef = FieldDef::new("Option Length", "dns.opt.len", FieldType::Uint16);
pub static OPT_DATA: FieldDef = FieldDef::new("Option Data", "dns.opt.data", FieldType::Bytes);
pub static OPT_CLIENT_FAMILY: FieldDef =
    FieldDef::new("Family", "dns.opt.client.family", FieldType::Uint16).strings(&[(1, "IPv4"), (2, "IPv6")]);
pub static OPT_CLIENT_NETMASK: FieldDef = FieldDef::new("Source Netmask", "dns.opt.client.netmask", FieldType::Uint8);
pub static OPT_CLIENT_SCOPE: FieldDef = FieldDef::new("Scope Netmask", "dns.opt.client.scope", FieldType::Uint8);
pub static OPT_CLIENT_ADDR: FieldDef = FieldDef::new("Client Subnet", "dns.opt.client.addr", FieldType::Bytes);
pub static OPT_CLIENT_ADDR4: FieldDef = FieldDef::new("Client Subnet", "dns.opt.client.addr4", FieldType::Ipv4);
pub static OPT_CLIENT_ADDR6: FieldDef = FieldDef::new("Client Subnet", "dns.opt.client.addr6", FieldType::Ipv6);
pub static OPT_COOKIE_CLIENT: FieldDef = FieldDef::new("Client Cookie", "dns.opt.cookie.client", FieldType::Bytes);
pub static OPT_COOKIE_SERVER: FieldDef = FieldDef::new("Server Cookie", "dns.opt.cookie.server", FieldType::Bytes);
pub static OPT_KEEPALIVE_TIMEOUT: FieldDef = FieldDef::new("Timeout", "dns.opt.edns_tcp_keepalive.timeout", FieldType::Uint16);
pub static OPT_PADDING: FieldDef = FieldDef::new("Padding", "dns.opt.padding", FieldType::Bytes);
pub static OPT_EXT_ERROR_CODE: FieldDef = FieldDef::new("Info Code", "dns.opt.ext_error.info_code", FieldType::Uint16);
pub static OPT_EXT_ERROR_TEXT: FieldDef = FieldDef::new("Extra Text", "dns.opt.ext_error.extra_text", FieldType::String);
pub static SVCB_PRIORITY: FieldDef = FieldDef::new("SvcPriority", "dns.svcb.svcpriority", FieldType::Uint16);
pub static SVCB_TARGET: FieldDef = FieldDef::new("TargetName", "dns.svcb.targetname", FieldType::String);
pub static SVCB_PARAM: FieldDef = FieldDef::new("SvcParam", "dns.svcb.svcparam", FieldType::None);
pub static SVCB_PARAM_KEY: FieldDef = FieldDef::new("SvcParamKey", "dns.svcb.svcparam.key", FieldType::Uint16).strings(SVC_KEYS);
pub static SVCB_PARAM_LENGTH: FieldDef = FieldDef::new("SvcParamValue length", "dns.svcb.svcparam.value.length", FieldType::Uint16);
pub static SVCB_PARAM_VALUE: FieldDef = FieldDef::new("SvcParamValue", "dns.svcb.svcparam.value", FieldType::Bytes);
pub static SVCB_MANDATORY_KEY: FieldDef =
    FieldDef::new("Mandatory key", "dns.svcb.svcparam.mandatory.key", FieldType::Uint16).strings(SVC_KEYS);
pub static SVCB_ALPN_LENGTH: FieldDef = FieldDef::new("ALPN length", "dns.svcb.svcparam.alpn.length", FieldType::Uint8);
pub static SVCB_ALPN: FieldDef = FieldDef::new("ALPN", "dns.svcb.svcparam.alpn", FieldType::String);
pub static SVCB_PORT: FieldDef = FieldDef::new("Port", "dns.svcb.svcparam.port", FieldType::Uint16);
pub static SVCB_IPV4HINT: FieldDef = FieldDef::new("IP", "dns.svcb.svcparam.ipv4hint.ip", FieldType::Ipv4);
pub static SVCB_ECHCONFIG: FieldDef = FieldDef::new("ECHConfig", "dns.svcb.svcparam.echconfig", FieldType::Bytes);
pub static SVCB_IPV6HINT: FieldDef = FieldDef::new("IP", "dns.svcb.svcparam.ipv6hint.ip", FieldType::Ipv6);
pub static SVCB_ODOHCONFIG: FieldDef = FieldDef::new("ODoHConfig", "dns.svcb.svcparam.odohconfig", FieldType::Bytes);
pub static MD: FieldDef = FieldDef::new("Mail Destination", "dns.md", FieldType::String);
pub static MF: FieldDef = FieldDef::new("Mail Forwarder", "dns.mf", FieldType::String);
pub static MB: FieldDef = FieldDef::new("MailBox Domaine", "dns.mb", FieldType::String);
pub static MG: FieldDef = FieldDef::new("Mail Group member", "dns.mg", FieldType::String);
pub static MR: FieldDef = FieldDef::new("Mail Rename domaine", "dns.mr", FieldType::String);
pub static DATA: FieldDef = FieldDef::new("Data", "dns.data", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] = &[
    &A, &AAAA, &NS, &CNAME, &PTR_DOMAIN_NAME, &DNAME, &MX_PREFERENCE, &MX_MAIL_EXCHANGE, &TXT_LENGTH, &TXT, &SOA_MNAME,
    &SOA_RNAME, &SOA_SERIAL, &SOA_REFRESH, &SOA_RETRY, &SOA_EXPIRE, &SOA_MINIMUM, &SRV_PRIORITY, &SRV_WEIGHT, &SRV_PORT,
    &SRV_TARGET, &HINFO_CPU_LENGTH, &HINFO_CPU, &HINFO_OS_LENGTH, &HINFO_OS, &NSEC_NEXT, &UDP_PAYLOAD_SIZE, &EXT_RCODE,
    &EDNS0_VERSION, &Z, &Z_DO, &Z_RESERVED, &OPT, &OPT_CODE, &OPT_LEN, &OPT_DATA, &OPT_CLIENT_FAMILY, &OPT_CLIENT_NETMASK,
    &OPT_CLIENT_SCOPE, &OPT_CLIENT_ADDR, &OPT_CLIENT_ADDR4, &OPT_CLIENT_ADDR6, &OPT_COOKIE_CLIENT, &OPT_COOKIE_SERVER,
    &OPT_KEEPALIVE_TIMEOUT, &OPT_PADDING, &OPT_EXT_ERROR_CODE, &OPT_EXT_ERROR_TEXT, &SVCB_PRIORITY, &SVCB_TARGET,
    &SVCB_PARAM, &SVCB_PARAM_KEY, &SVCB_PARAM_LENGTH, &SVCB_PARAM_VALUE, &SVCB_MANDATORY_KEY, &SVCB_ALPN_LENGTH,
    &SVCB_ALPN, &SVCB_PORT, &SVCB_IPV4HINT, &SVCB_ECHCONFIG, &SVCB_IPV6HINT, &SVCB_ODOHCONFIG, &MD, &MF, &MB, &MG, &MR, &DATA,
];

static OPT_CODES: &[(u64, &str)] = &[
    (0, "Reserved"),
    (1, "LLQ - Long-lived query"),
    (2, "UL - Update lease"),
    (3, "NSID - Name Server Identifier"),
    (4, "Owner (reserved)"),
    (5, "DAU - DNSSEC Algorithm Understood (RFC6975)"),
    (6, "DHU - DS Hash Understood (RFC6975)"),
    (7, "N3U - NSEC3 Hash Understood (RFC6975)"),
    (20730, "Experimental - CSUBNET - Client subnet"),
    (8, "CSUBNET - Client subnet"),
    (9, "EDNS EXPIRE (RFC7314)"),
    (10, "COOKIE"),
    (11, "EDNS TCP Keepalive"),
    (12, "PADDING"),
    (13, "CHAIN"),
    (15, "Extended DNS Error"),
];

/// Extended DNS Error info codes (RFC 8914), 0 up.
static EXT_ERRORS: &[&str] = &[
    "Other Error", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer", "Forged Answer",
    "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired", "Signature Not Yet Valid", "DNSKEY Missing",
    "RRSIGs Missing", "No Zone Key Bit Set", "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored",
    "Filtered", "Prohibited", "Stale NXDomain Answer", "Not Authoritative", "Not Supported", "No Reachable Authority",
    "Network Error", "Invalid Data",
];

static SVC_KEYS: &[(u64, &str)] = &[
    (0, "mandatory"),
    (1, "alpn"),
    (2, "no-default-alpn"),
    (3, "port"),
    (4, "ipv4hint"),
    (5, "echconfig"),
    (6, "ipv6hint"),
    (32769, "odohconfig"),
    (65535, "key65535"),
];

/// RR types with Wireshark's descriptions (the `Type` field); Info uses the first word.
pub static TYPES: &[(u64, &str)] = &[
    (0, "Unused"),
    (1, "A (Host Address)"),
    (2, "NS (authoritative Name Server)"),
    (3, "MD (Mail Destination)"),
    (4, "MF (Mail Forwarder)"),
    (5, "CNAME (Canonical NAME for an alias)"),
    (6, "SOA (Start Of a zone of Authority)"),
    (7, "MB (MailBox domain name)"),
    (8, "MG (Mail Group member)"),
    (9, "MR (Mail Rename domain)"),
    (10, "NULL RR"),
    (11, "WKS (Well Known Service)"),
    (12, "PTR (domain name PoinTeR)"),
    (13, "HINFO (host information)"),
    (14, "MINFO (Mailbox or mail list information)"),
    (15, "MX (Mail eXchange)"),
    (16, "TXT (Text strings)"),
    (17, "RP (Responsible Person)"),
    (18, "AFSDB (AFS Data Base location)"),
    (19, "X25 (XX.25 PSDN address)"),
    (20, "ISDN (ISDN address)"),
    (21, "RT (Route Through)"),
    (22, "NSAP (NSAP address)"),
    (23, "NSAP-PTR (NSAP domain name pointer)"),
    (24, "SIG (security signature)"),
    (25, "KEY (security key)"),
    (26, "PX (X.400 mail mapping information)"),
    (27, "GPOS (Geographical Position)"),
    (28, "AAAA (IPv6 Address)"),
    (29, "LOC (Location Information)"),
    (30, "NXT (Next Domain)"),
    (31, "EID (Endpoint Identifier)"),
    (32, "NIMLOC (Nimrod Locator)"),
    (33, "SRV (Server Selection)"),
    (34, "ATMA (ATM Address)"),
    (35, "NAPTR (Naming Authority Pointer)"),
    (36, "KX (Key Exchanger)"),
    (37, "CERT"),
    (38, "A6 (OBSOLETE - use AAAA)"),
    (39, "DNAME"),
    (40, "SINK"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS (Delegation Signer)"),
    (44, "SSHFP (SSH Key Fingerprint)"),
    (45, "IPSECKEY"),
    (46, "RRSIG (Resource Record Signature)"),
    (47, "NSEC (Next Secure)"),
    (48, "DNSKEY (DNS Public Key)"),
    (49, "DHCID"),
    (50, "NSEC3"),
    (51, "NSEC3PARAM"),
    (52, "TLSA"),
    (55, "HIP (Host Identity Protocol)"),
    (57, "RKEY"),
    (58, "TALINK (Trust Anchor LINK)"),
    (59, "CDS (Child DS)"),
    (60, "CDNSKEY (DNSKEY(s) the Child wants reflected in DS)"),
    (61, "OPENPGPKEY (OpenPGP Key)"),
    (62, "CSYNC (Child-to-Parent Synchronization)"),
    (63, "ZONEMD"),
    (64, "SVCB (General Purpose Service Endpoints)"),
    (65, "HTTPS (HTTPS Specific Service Endpoints)"),
    (99, "SPF"),
    (100, "UINFO"),
    (101, "UID"),
    (102, "GID"),
    (103, "UNSPEC"),
    (104, "NID (NodeID)"),
    (105, "L32 (Locator32)"),
    (106, "L64 (Locator64)"),
    (107, "LP (Locator FQDN)"),
    (108, "EUI48"),
    (109, "EUI64"),
    (249, "TKEY (Transaction Key)"),
    (250, "TSIG (Transaction Signature)"),
    (251, "IXFR (incremental transfer)"),
    (252, "AXFR (transfer of an entire zone)"),
    (253, "MAILB (mailbox-related RRs)"),
    (254, "MAILA (mail agent RRs)"),
    (255, "* (A request for all records the server/cache has available)"),
    (256, "URI"),
    (257, "CAA (Certification Authority Restriction)"),
    (32768, "TA (DNSSEC Trust Authorities)"),
    (32769, "DLV (DNSSEC Lookaside Validation)"),
    (65281, "WINS"),
    (65282, "WINS-R"),
    (65422, "XPF"),
];

/// Types Wireshark dissects (so it adds no "not implemented" note) but which Reef shows raw,
/// and whether their Info text is the owner name.
static RAW_KNOWN: &[(u16, bool)] = &[
    (3, true), (4, true), (7, true), (8, true), (9, true), (10, true), (11, false), (14, true), (17, true), (18, true),
    (19, true), (20, true), (21, true), (22, true), (23, true), (24, false), (25, false), (26, true), (27, true),
    (29, false), (35, false), (36, false), (37, false), (38, false), (42, true), (43, false), (44, false), (45, false),
    (46, false), (48, false), (49, true), (50, false), (51, true), (52, true), (55, true), (59, false), (60, false),
    (61, false), (62, false), (63, false), (99, false), (104, false), (105, false), (106, false), (107, false),
    (108, false), (109, false), (249, false), (250, false), (257, false), (32769, false), (65281, false),
    (65282, false), (65422, false),
];

/// The short type name shown in Info and subtree labels (`A`, `AAAA`, `ANY`, `Unknown (99)`).
pub fn type_short(t: u16) -> std::borrow::Cow<'static, str> {
    if t == 255 {
        return "ANY".into();
    }
    // The types nearly every message has, without a walk through the table.
    let common = match t {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        41 => "OPT",
        65 => "HTTPS",
        _ => "",
    };
    if !common.is_empty() {
        return common.into();
    }
    match TYPES.iter().find(|(k, _)| *k == t as u64) {
        Some((_, d)) => d.split(' ').next().unwrap_or(d).into(),
        None => format!("Unknown ({})", t).into(),
    }
}

/// One record's data, with what its dissection needs from the record.
pub struct Rdata<'a, 'b> {
    pub rr: u32,
    pub msg: &'a Layer<'b>,
    pub names: &'a mut Names,
    pub at: usize,
    pub len: usize,
    pub rtype: u16,
    pub owner: &'a Name,
    pub flavor: Flavor,
}

/// Adds the name at `at` as field `f`, appends it to Info and (as `, {what} name`) to the
/// record's label; returns its length in the packet.
fn name_field(ctx: &mut Ctx, d: &mut Rdata, at: usize, f: &'static FieldDef, info: &mut String, what: Option<&str>) -> DResult<usize> {
    let n = d.names.read(d.msg, at)?;
    if let Some(w) = what {
        info.push(' ');
        let start = info.len();
        n.push_display(info);
        if ctx.tree.enabled() {
            crate::append_label!(ctx.tree, d.rr, ", {}{}", w, &info[start..]);
        }
    }
    n.add(ctx, d.rr, f, d.msg, at);
    Ok(n.used)
}

fn add_secs(ctx: &mut Ctx, rr: u32, f: &'static FieldDef, msg: &Layer, at: usize) {
    let v = msg.u32(at);
    let n = ctx.add_uint(rr, f, msg, at, 4, v as u64);
    if ctx.tree.enabled() {
        crate::append_label!(ctx.tree, n, " ({})", secs_to_str(v));
    }
}

/// Characters of an ASCII string as Wireshark shows them (bytes above 0x7f become U+FFFD).
fn ascii(b: &[u8]) -> String {
    b.iter().map(|&c| if c < 0x80 { c as char } else { '\u{fffd}' }).collect()
}

/// Dissects the data of one record (its whole length is in the message).
pub fn dissect(ctx: &mut Ctx, mut d: Rdata, info: &mut String) -> DResult<()> {
    let (msg, at) = (d.msg, d.at);
    match d.rtype {
        T_A => {
            msg.need(at + 4)?;
            let a = msg.array::<4>(at);
            info.push(' ');
            let start = info.len();
            crate::addr::write_ipv4(info, a);
            crate::append_label!(ctx.tree, d.rr, ", addr {}", &info[start..]);
            ctx.add(d.rr, &A, msg, at, 4, Value::Ipv4(a));
        }
        T_AAAA => {
            msg.need(at + 16)?;
            let a = msg.array::<16>(at);
            info.push(' ');
            let start = info.len();
            crate::addr::write_ipv6(info, &a);
            crate::append_label!(ctx.tree, d.rr, ", addr {}", &info[start..]);
            ctx.add(d.rr, &AAAA, msg, at, 16, Value::Ipv6(a));
        }
        T_NS => {
            name_field(ctx, &mut d, at, &NS, info, Some("ns "))?;
        }
        T_CNAME => {
            name_field(ctx, &mut d, at, &CNAME, info, Some("cname "))?;
        }
        T_PTR => {
            name_field(ctx, &mut d, at, &PTR_DOMAIN_NAME, info, Some(""))?;
        }
        T_DNAME => {
            name_field(ctx, &mut d, at, &DNAME, info, Some("dname "))?;
        }
        T_NSEC | T_NXT => {
            name_field(ctx, &mut d, at, &NSEC_NEXT, info, Some("next domain name "))?;
        }
        T_SOA => {
            let mut at = at + name_field(ctx, &mut d, at, &SOA_MNAME, info, Some("mname "))?;
            at += name_field(ctx, &mut d, at, &SOA_RNAME, info, None)?;
            msg.need(at + 20)?;
            ctx.add_uint(d.rr, &SOA_SERIAL, msg, at, 4, msg.u32(at) as u64);
            let timers: [&'static FieldDef; 4] = [&SOA_REFRESH, &SOA_RETRY, &SOA_EXPIRE, &SOA_MINIMUM];
            for (i, f) in timers.iter().enumerate() {
                add_secs(ctx, d.rr, f, msg, at + 4 + 4 * i);
            }
        }
        T_MX => {
            msg.need(at + 2)?;
            let pref = msg.u16(at);
            let n = d.names.read(msg, at + 2)?;
            let shown = n.display();
            let _ = write!(info, " {} {}", pref, shown);
            crate::append_label!(ctx.tree, d.rr, ", preference {}, mx {}", pref, shown);
            ctx.add_uint(d.rr, &MX_PREFERENCE, msg, at, 2, pref as u64);
            n.add(ctx, d.rr, &MX_MAIL_EXCHANGE, msg, at + 2);
        }
        T_TXT => {
            // Wireshark walks strings until the count reaches exactly zero; a bad length runs
            // on into the following bytes until the message ends.
            let mut left = d.len as i64;
            let mut p = at;
            while left != 0 {
                msg.need(p + 1)?;
                let n = msg.u8(p) as usize;
                ctx.add_uint(d.rr, &TXT_LENGTH, msg, p, 1, n as u64);
                msg.need(p + 1 + n)?;
                let bytes = msg.slice(p + 1, n);
                let s = if d.flavor == Flavor::Mdns { String::from_utf8_lossy(bytes).into_owned() } else { ascii(bytes) };
                ctx.add(d.rr, &TXT, msg, p + 1, n, Value::Str(s));
                p += 1 + n;
                left -= 1 + n as i64;
            }
        }
        T_SRV => {
            msg.need(at + 6)?;
            let (pri, weight, port) = (msg.u16(at), msg.u16(at + 2), msg.u16(at + 4));
            ctx.add_uint(d.rr, &SRV_PRIORITY, msg, at, 2, pri as u64);
            ctx.add_uint(d.rr, &SRV_WEIGHT, msg, at + 2, 2, weight as u64);
            ctx.add_uint(d.rr, &SRV_PORT, msg, at + 4, 2, port as u64);
            let n = d.names.read(msg, at + 6)?;
            let shown = n.display();
            n.add(ctx, d.rr, &SRV_TARGET, msg, at + 6);
            let _ = write!(info, " {} {} {} {}", pri, weight, port, shown);
            crate::append_label!(ctx.tree, d.rr, ", priority {}, weight {}, port {}, target {}", pri, weight, port, shown);
        }
        T_HINFO => {
            msg.need(at + 1)?;
            let cl = msg.u8(at) as usize;
            msg.need(at + 2 + cl)?;
            let ol = msg.u8(at + 1 + cl) as usize;
            msg.need(at + 2 + cl + ol)?;
            let cpu = ascii(msg.slice(at + 1, cl));
            let os = ascii(msg.slice(at + 2 + cl, ol));
            let _ = write!(info, " {} {}", cpu, os);
            crate::append_label!(ctx.tree, d.rr, ", CPU {}, OS {}", cpu, os);
            ctx.add_uint(d.rr, &HINFO_CPU_LENGTH, msg, at, 1, cl as u64);
            ctx.add(d.rr, &HINFO_CPU, msg, at + 1, cl, Value::Str(cpu));
            ctx.add_uint(d.rr, &HINFO_OS_LENGTH, msg, at + 1 + cl, 1, ol as u64);
            ctx.add(d.rr, &HINFO_OS, msg, at + 2 + cl, ol, Value::Str(os));
        }
        3 | 4 | 7 | 8 | 9 => {
            // Obsolete mail types: Info shows the owner, the tree the name in the data.
            info.push(' ');
            info.push_str(&d.owner.display());
            let f = match d.rtype {
                3 => &MD,
                4 => &MF,
                7 => &MB,
                8 => &MG,
                _ => &MR,
            };
            name_field(ctx, &mut d, at, f, info, None)?;
        }
        T_OPT => dissect_opt_options(ctx, &d)?,
        T_SVCB | T_HTTPS => dissect_svcb(ctx, &mut d)?,
        t => {
            match RAW_KNOWN.iter().find(|(k, _)| *k == t) {
                Some((_, true)) => {
                    info.push(' ');
                    info.push_str(&d.owner.display());
                }
                Some((_, false)) => {}
                None => {
                    crate::expert::attach(
                        &mut ctx.tree,
                        d.rr,
                        &super::dns::UNDECODED_TYPE,
                        Severity::Note,
                        Group::Undecoded,
                        &format!("Dissector for DNS Type ({}) code not implemented, Contact Wireshark developers if you want this supported", t),
                    );
                }
            }
            add_bytes(ctx, d.rr, &DATA, msg, at, d.len);
        }
    }
    Ok(())
}

/// The OPT pseudo-record's header fields, which reuse the class and TTL slots (RFC 6891).
pub fn add_opt_header(ctx: &mut Ctx, rr: u32, msg: &Layer, at: usize, mdns: bool) {
    let size = msg.u16(at);
    if mdns {
        // mDNS splits the cache-flush bit off the class slot here too.
        let n = ctx.add_uint(rr, &UDP_PAYLOAD_SIZE, msg, at, 2, (size & 0x7fff) as u64);
        crate::set_label!(ctx.tree, n, "{} = UDP payload size: 0x{:04x}", bit_string(16, 0x7fff, size as u64), size & 0x7fff);
        add_flag(ctx, rr, msg, at, &super::dns::RESP_CACHE_FLUSH, size as u64, ("True", "False"));
    } else {
        ctx.add_uint(rr, &UDP_PAYLOAD_SIZE, msg, at, 2, size as u64);
    }
    ctx.add_uint(rr, &EXT_RCODE, msg, at + 2, 1, msg.u8(at + 2) as u64);
    ctx.add_uint(rr, &EDNS0_VERSION, msg, at + 3, 1, msg.u8(at + 3) as u64);
    let z = msg.u16(at + 4) as u64;
    let zn = ctx.add_uint(rr, &Z, msg, at + 4, 2, z);
    add_flag(ctx, zn, msg, at + 4, &Z_DO, z, ("Accepts DNSSEC security RRs", "Cannot handle DNSSEC security RRs"));
    ctx.add_uint(zn, &Z_RESERVED, msg, at + 4, 2, z & 0x7fff);
}

fn dissect_opt_options(ctx: &mut Ctx, d: &Rdata) -> DResult<()> {
    let msg = d.msg;
    let mut left = d.len as i64;
    let mut p = d.at;
    while left > 0 {
        msg.need(p + 4)?;
        let code = msg.u16(p);
        let len = msg.u16(p + 2) as usize;
        left -= 4;
        msg.need(p + 4 + len)?;
        let o = ctx.add(d.rr, &OPT, msg, p, 4 + len, Value::None);
        if ctx.tree.enabled() {
            crate::set_label!(ctx.tree, o, "Option: {}", name_or_unknown(OPT_CODES, code as u64));
        }
        let c = ctx.add_uint(o, &OPT_CODE, msg, p, 2, code as u64);
        if ctx.tree.enabled() && OPT_CODE.value_name(code as u64).is_none() {
            crate::set_label!(ctx.tree, c, "Option Code: Unknown ({})", code);
        }
        ctx.add_uint(o, &OPT_LEN, msg, p + 2, 2, len as u64);
        let v = p + 4;
        add_bytes(ctx, o, &OPT_DATA, msg, v, len);
        match code {
            O_COOKIE => {
                msg.need(v + 8)?;
                add_bytes(ctx, o, &OPT_COOKIE_CLIENT, msg, v, 8);
                add_bytes(ctx, o, &OPT_COOKIE_SERVER, msg, v + 8, len.saturating_sub(8));
            }
            O_CLIENT_SUBNET | O_CLIENT_SUBNET_EXP if len >= 4 => {
                let family = msg.u16(v);
                ctx.add_uint(o, &OPT_CLIENT_FAMILY, msg, v, 2, family as u64);
                ctx.add_uint(o, &OPT_CLIENT_NETMASK, msg, v + 2, 1, msg.u8(v + 2) as u64);
                ctx.add_uint(o, &OPT_CLIENT_SCOPE, msg, v + 3, 1, msg.u8(v + 3) as u64);
                let alen = len - 4;
                let mut addr = [0u8; 16];
                let n = alen.min(16);
                addr[..n].copy_from_slice(msg.slice(v + 4, n));
                match family {
                    1 => {
                        ctx.add(o, &OPT_CLIENT_ADDR4, msg, v + 4, n, Value::Ipv4([addr[0], addr[1], addr[2], addr[3]]));
                    }
                    2 => {
                        ctx.add(o, &OPT_CLIENT_ADDR6, msg, v + 4, n, Value::Ipv6(addr));
                    }
                    _ => {
                        add_bytes(ctx, o, &OPT_CLIENT_ADDR, msg, v + 4, alen);
                    }
                }
            }
            O_TCP_KEEPALIVE if len == 2 => {
                ctx.add_uint(o, &OPT_KEEPALIVE_TIMEOUT, msg, v, 2, msg.u16(v) as u64);
            }
            O_PADDING => {
                add_bytes(ctx, o, &OPT_PADDING, msg, v, len);
            }
            O_EXT_ERROR if len >= 2 => {
                let code = msg.u16(v);
                let n = ctx.add_uint(o, &OPT_EXT_ERROR_CODE, msg, v, 2, code as u64);
                let name = match code as usize {
                    c if c < EXT_ERRORS.len() => EXT_ERRORS[c],
                    c if c < 49152 => "Unassigned",
                    _ => "Reserved for Private Use",
                };
                crate::set_label!(ctx.tree, n, "Info Code: {} ({})", name, code);
                if len > 2 {
                    let text = String::from_utf8_lossy(msg.slice(v + 2, len - 2)).into_owned();
                    ctx.add(o, &OPT_EXT_ERROR_TEXT, msg, v + 2, len - 2, Value::Str(text));
                }
            }
            _ => {}
        }
        p = v + len;
        left -= len as i64;
    }
    Ok(())
}

fn key_name(k: u16) -> String {
    match SVC_KEYS.iter().find(|(v, _)| *v == k as u64) {
        Some((_, s)) => s.to_string(),
        None => format!("key{}", k),
    }
}

/// SVCB/HTTPS (RFC 9460): priority, target, then key=value parameters.
fn dissect_svcb(ctx: &mut Ctx, d: &mut Rdata) -> DResult<()> {
    let msg = d.msg;
    let start = d.at;
    msg.need(start + 2)?;
    ctx.add_uint(d.rr, &SVCB_PRIORITY, msg, start, 2, msg.u16(start) as u64);
    let mut p = start + 2;
    p += name_field(ctx, d, p, &SVCB_TARGET, &mut String::new(), None)?;
    while d.len > p - start {
        msg.need(p + 4)?;
        let key = msg.u16(p);
        let len = msg.u16(p + 2) as usize;
        let param = ctx.add(d.rr, &SVCB_PARAM, msg, p, 4 + len, Value::None);
        let mut label = format!("SvcParam: {}", key_name(key));
        let k = ctx.add_uint(param, &SVCB_PARAM_KEY, msg, p, 2, key as u64);
        if ctx.tree.enabled() && SVCB_PARAM_KEY.value_name(key as u64).is_none() {
            crate::set_label!(ctx.tree, k, "SvcParamKey: Unknown ({})", key);
        }
        ctx.add_uint(param, &SVCB_PARAM_LENGTH, msg, p + 2, 2, len as u64);
        p += 4;
        let mut sep = '=';
        match key {
            0 => {
                let mut off = 0;
                while off < len {
                    msg.need(p + 2)?;
                    let mk = msg.u16(p);
                    ctx.add_uint(param, &SVCB_MANDATORY_KEY, msg, p, 2, mk as u64);
                    let _ = write!(label, "{}{}", sep, key_name(mk));
                    sep = ',';
                    p += 2;
                    off += 2;
                }
            }
            1 => {
                let mut off = 0;
                while off < len {
                    msg.need(p + 1)?;
                    let n = msg.u8(p) as usize;
                    ctx.add_uint(param, &SVCB_ALPN_LENGTH, msg, p, 1, n as u64);
                    msg.need(p + 1 + n)?;
                    let alpn = ascii(msg.slice(p + 1, n));
                    let _ = write!(label, "{}{}", sep, alpn);
                    sep = ',';
                    ctx.add(param, &SVCB_ALPN, msg, p + 1, n, Value::Str(alpn));
                    p += 1 + n;
                    off += 1 + n;
                }
            }
            2 => {}
            3 => {
                msg.need(p + 2)?;
                let port = msg.u16(p);
                ctx.add_uint(param, &SVCB_PORT, msg, p, 2, port as u64);
                let _ = write!(label, "={}", port);
                p += 2;
            }
            4 | 6 => {
                let width = if key == 4 { 4 } else { 16 };
                let mut off = 0;
                while off < len {
                    msg.need(p + width)?;
                    let mut s = String::new();
                    if width == 4 {
                        let a = msg.array::<4>(p);
                        crate::addr::write_ipv4(&mut s, a);
                        ctx.add(param, &SVCB_IPV4HINT, msg, p, 4, Value::Ipv4(a));
                    } else {
                        let a = msg.array::<16>(p);
                        crate::addr::write_ipv6(&mut s, &a);
                        ctx.add(param, &SVCB_IPV6HINT, msg, p, 16, Value::Ipv6(a));
                    }
                    let _ = write!(label, "{}{}", sep, s);
                    sep = ',';
                    p += width;
                    off += width;
                }
            }
            5 | 32769 => {
                msg.need(p + len)?;
                let b64 = base64(msg.slice(p, len));
                let f = if key == 5 { &SVCB_ECHCONFIG } else { &SVCB_ODOHCONFIG };
                let n = ctx.add(param, f, msg, p, len, Value::Bytes);
                crate::set_label!(ctx.tree, n, "{}: {}", f.name, b64);
                let _ = write!(label, "={}", b64);
                p += len;
            }
            _ if len > 0 => {
                msg.need(p + len)?;
                add_bytes(ctx, param, &SVCB_PARAM_VALUE, msg, p, len);
                let _ = write!(label, "={}", crate::text::escaped(msg.slice(p, len)));
                p += len;
            }
            _ => {}
        }
        ctx.tree.set_label(param, label);
    }
    Ok(())
}

fn base64(b: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity((b.len() + 2) / 3 * 4);
    for chunk in b.chunks(3) {
        let v = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(ALPHABET[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

