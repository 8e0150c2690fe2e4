//! `igmp`: IGMP v1 (RFC 1112), v2 (RFC 2236) and v3 (RFC 3376): queries, reports with group
//! records, leaves. The version follows Wireshark's rules (type, and for queries the message
//! length and Max Resp Time); the checksum is verified, as Wireshark does by default.

use crate::addr;
use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::vals;
use crate::tree::{bit_string, Group, Severity, Value};
use std::fmt::Write;

mod field {
    pub const TYPE: usize = 0;
    pub const MAX_RESP: usize = 1;
    pub const CHECKSUM: usize = 2;
    pub const GROUP: usize = 4;
    /// v3 queries.
    pub const S_QRV: usize = 8;
    pub const QQIC: usize = 9;
    pub const NUM_SRC: usize = 10;
    pub const SOURCES: usize = 12;
    /// v3 reports.
    pub const REPORT_RESERVED: usize = 4;
    pub const NUM_RECORDS: usize = 6;
    pub const RECORDS: usize = 8;
}
const MIN_LEN: usize = 8;
const V3_QUERY_MIN_LEN: usize = 12;

const QUERY: u8 = 0x11;
const V1_REPORT: u8 = 0x12;
const V2_REPORT: u8 = 0x16;
const V2_LEAVE: u8 = 0x17;
const V3_REPORT: u8 = 0x22;

static TYPES: ValueStrings = &[
    (0x01, "Create Group Request"), (0x02, "Create Group Reply"), (0x03, "Join Group Request"), (0x04, "Join Group Reply"),
    (0x05, "Leave Group Request"), (0x06, "Leave Group Reply"), (0x07, "Confirm Group Request"),
    (0x08, "Confirm Group Reply"), (0x11, "Membership Query"), (0x12, "Membership Report"), (0x13, "DVMRP Protocol"),
    (0x14, "PIM Routing Message"), (0x16, "Membership Report"), (0x17, "Leave Group"), (0x1e, "Traceroute Response"),
    (0x1f, "Traceroute Query or Request"), (0x22, "Membership Report"),
];
static RECORD_TYPES: ValueStrings = &[
    (1, "Mode Is Include"), (2, "Mode Is Exclude"), (3, "Change To Include Mode"), (4, "Change To Exclude Mode"),
    (5, "Allow New Sources"), (6, "Block Old Sources"),
];

pub static IGMP: FieldDef = FieldDef::protocol("Internet Group Management Protocol", "igmp");
pub static VERSION: FieldDef = FieldDef::new("IGMP Version", "igmp.version", FieldType::Uint8);
pub static TYPE: FieldDef = FieldDef::new("Type", "igmp.type", FieldType::Uint8).base(Base::Hex).strings(TYPES);
pub static RESERVED: FieldDef = FieldDef::new("Reserved", "igmp.reserved", FieldType::Bytes);
pub static MAX_RESP: FieldDef = FieldDef::new("Max Resp Time", "igmp.max_resp", FieldType::Uint8);
pub static CHECKSUM: FieldDef = FieldDef::new("Checksum", "igmp.checksum", FieldType::Uint16).base(Base::Hex);
pub static CHECKSUM_STATUS: FieldDef =
    FieldDef::new("Checksum Status", "igmp.checksum.status", FieldType::Uint8).strings(vals::CHECKSUM_STATUS);
pub static BAD_CHECKSUM: FieldDef = FieldDef::new("Bad checksum", "igmp.bad_checksum", FieldType::None);
pub static MADDR: FieldDef = FieldDef::new("Multicast Address", "igmp.maddr", FieldType::Ipv4);
pub static S: FieldDef = FieldDef::new("S", "igmp.s", FieldType::Bool).bits(8, 0x08);
pub static QRV: FieldDef = FieldDef::new("QRV", "igmp.qrv", FieldType::Uint8).bits(8, 0x07);
pub static QQIC: FieldDef = FieldDef::new("QQIC", "igmp.qqic", FieldType::Uint8);
pub static NUM_SRC: FieldDef = FieldDef::new("Num Src", "igmp.num_src", FieldType::Uint16);
pub static SADDR: FieldDef = FieldDef::new("Source Address", "igmp.saddr", FieldType::Ipv4);
pub static NUM_GRP_RECS: FieldDef = FieldDef::new("Num Group Records", "igmp.num_grp_recs", FieldType::Uint16);
pub static RECORD_TYPE: FieldDef = FieldDef::new("Record Type", "igmp.record_type", FieldType::Uint8).strings(RECORD_TYPES);
pub static AUX_DATA_LEN: FieldDef = FieldDef::new("Aux Data Len", "igmp.aux_data_len", FieldType::Uint8);
pub static AUX_DATA: FieldDef = FieldDef::new("Aux Data", "igmp.aux_data", FieldType::Bytes);
pub static DATA: FieldDef = FieldDef::new("Data", "igmp.data", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] = &[
    &IGMP, &VERSION, &TYPE, &RESERVED, &MAX_RESP, &CHECKSUM, &CHECKSUM_STATUS, &BAD_CHECKSUM, &MADDR, &S, &QRV, &QQIC,
    &NUM_SRC, &SADDR, &NUM_GRP_RECS, &RECORD_TYPE, &AUX_DATA_LEN, &AUX_DATA, &DATA,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::IpProto, 2, "igmp", dissect)];

/// The Internet checksum of `b` (0 when it verifies).
fn checksum(b: &[u8]) -> u16 {
    let mut sum = 0u32;
    for pair in b.chunks(2) {
        sum += (pair[0] as u32) << 8 | pair.get(1).copied().unwrap_or(0) as u32;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// RFC 3376's 8-bit time code: values from 128 on are a mantissa and exponent.
fn decode_code(v: u8) -> u32 {
    if v < 128 {
        v as u32
    } else {
        ((v as u32 & 0x0f) | 0x10) << (((v >> 4) & 0x07) + 3)
    }
}

fn version(kind: u8, len: usize, max_resp: u8) -> u8 {
    match kind {
        QUERY if len >= V3_QUERY_MIN_LEN => 3,
        QUERY if max_resp == 0 => 1,
        QUERY => 2,
        V1_REPORT => 1,
        V2_REPORT | V2_LEAVE => 2,
        V3_REPORT => 3,
        _ => 0,
    }
}

/// `{a}` / `{a, b}` for a list of source addresses.
fn source_set(layer: &Layer, at: usize, n: usize) -> String {
    let mut s = String::from("{");
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&addr::ipv4_string(layer.array(at + 4 * i)));
    }
    s.push('}');
    s
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("IGMP");
    ctx.cols.info.clear();
    let top = ctx.add_protocol(parent, &IGMP, &layer);
    layer.need(1)?;
    let kind = layer.u8(field::TYPE);
    let max_resp = layer.u8(field::MAX_RESP);
    let v = version(kind, layer.reported, max_resp);
    if v == 0 {
        let _ = write!(ctx.cols.info, "Unknown Type:0x{:02x}", kind);
        ctx.add_uint(top, &TYPE, &layer, field::TYPE, 1, kind as u64);
        if layer.reported > 1 {
            ctx.add(top, &DATA, &layer, 1, layer.len - 1, Value::Bytes);
        }
        return Ok(layer.reported);
    }
    // Wireshark hands each known message type to a version-specific dissector, which is listed
    // in `frame.protocols` as `igmp` again.
    ctx.protocols.push("igmp");
    ctx.cols.set_protocol(["IGMP", "IGMPv1", "IGMPv2", "IGMPv3"][v as usize]);
    let name = TYPE.value_name(kind as u64).unwrap_or("");
    ctx.cols.set_info(name);
    if ctx.tree.enabled() {
        let n = ctx.tree.add_generated(top, &VERSION, Value::Uint(v as u64));
        crate::set_label!(ctx.tree, n, "[IGMP Version: {}]", v);
        ctx.add_uint(top, &TYPE, &layer, field::TYPE, 1, kind as u64);
    }
    layer.need(MIN_LEN)?;
    let group: [u8; 4] = layer.array(field::GROUP);
    match (v, kind) {
        (3, QUERY) => return query_v3(ctx, top, &layer, group),
        (3, _) => return report_v3(ctx, top, &layer),
        (2, QUERY) if group == [0; 4] => ctx.cols.info.push_str(", general"),
        (2, QUERY) => {
            let _ = write!(ctx.cols.info, ", specific for group {}", addr::ipv4_string(group));
        }
        (2, _) => {
            let _ = write!(ctx.cols.info, " group {}", addr::ipv4_string(group));
            if kind == V2_LEAVE {
                ctx.cols.set_info(&format!("Leave Group {}", addr::ipv4_string(group)));
            }
        }
        _ => {}
    }
    if ctx.tree.enabled() {
        if v == 1 {
            ctx.add(top, &RESERVED, &layer, field::MAX_RESP, 1, Value::Bytes);
        } else {
            add_max_resp(ctx, top, &layer, max_resp, false);
        }
        add_checksum(ctx, top, &layer);
        ctx.add(top, &MADDR, &layer, field::GROUP, 4, Value::Ipv4(group));
    }
    Ok(MIN_LEN)
}

/// Max Resp Time in tenths of a second: a plain number in v2, a time code in v3.
fn add_max_resp(ctx: &mut Ctx, top: u32, layer: &Layer, code: u8, v3: bool) {
    let tenths = if v3 { decode_code(code) } else { code as u32 };
    let n = ctx.add_uint(top, &MAX_RESP, layer, field::MAX_RESP, 1, code as u64);
    crate::set_label!(ctx.tree, n, "Max Resp Time: {}.{} sec (0x{:02x})", tenths / 10, tenths % 10, code);
}

fn add_checksum(ctx: &mut Ctx, top: u32, layer: &Layer) {
    let sent = layer.u16(field::CHECKSUM);
    let n = ctx.add_uint(top, &CHECKSUM, layer, field::CHECKSUM, 2, sent as u64);
    // Verified only over a complete message (Wireshark skips it for cut frames).
    if layer.len < layer.reported {
        ctx.tree.append_text(n, " [unverified]");
        let s = ctx.tree.add_generated(top, &CHECKSUM_STATUS, Value::Uint(2));
        crate::set_label!(ctx.tree, s, "[Checksum Status: Unverified]");
        return;
    }
    if checksum(layer.bytes()) == 0 {
        ctx.tree.append_text(n, " [correct]");
        let s = ctx.tree.add_generated(top, &CHECKSUM_STATUS, Value::Uint(1));
        crate::set_label!(ctx.tree, s, "[Checksum Status: Good]");
    } else {
        let mut copy = layer.bytes().to_vec();
        copy[field::CHECKSUM] = 0;
        copy[field::CHECKSUM + 1] = 0;
        let expected = checksum(&copy);
        crate::set_label!(ctx.tree, n, "Checksum: 0x{:04x} incorrect, should be 0x{:04x}", sent, expected);
        crate::expert::attach(&mut ctx.tree, n, &BAD_CHECKSUM, Severity::Error, Group::Checksum, &format!("Bad checksum [should be 0x{:04x}]", expected));
        let s = ctx.tree.add_generated(top, &CHECKSUM_STATUS, Value::Uint(0));
        crate::set_label!(ctx.tree, s, "[Checksum Status: Bad]");
    }
}

fn query_v3(ctx: &mut Ctx, top: u32, layer: &Layer, group: [u8; 4]) -> DResult<usize> {
    layer.need(V3_QUERY_MIN_LEN)?;
    let num = layer.u16(field::NUM_SRC) as usize;
    if group == [0; 4] {
        ctx.cols.info.push_str(", general");
    } else {
        let _ = write!(ctx.cols.info, ", specific for group {}", addr::ipv4_string(group));
    }
    let sources = field::SOURCES + 4 * num;
    layer.need(sources)?;
    if num > 0 {
        let _ = write!(ctx.cols.info, ", source{} {}", if num == 1 { "" } else { "s" }, source_set(layer, field::SOURCES, num));
    }
    if ctx.tree.enabled() {
        add_max_resp(ctx, top, layer, layer.u8(field::MAX_RESP), true);
        add_checksum(ctx, top, layer);
        ctx.add(top, &MADDR, layer, field::GROUP, 4, Value::Ipv4(group));
        let sq = layer.u8(field::S_QRV) as u64;
        let s = ctx.add(top, &S, layer, field::S_QRV, 1, Value::Bool(sq & 8 != 0));
        let text = if sq & 8 != 0 { "SUPPRESS router side processing" } else { "Do not suppress router side processing" };
        crate::set_label!(ctx.tree, s, "{} = S: {}", bit_string(8, 0x08, sq), text);
        ctx.add_uint(top, &QRV, layer, field::S_QRV, 1, sq & 7);
        let q = layer.u8(field::QQIC);
        let n = ctx.add_uint(top, &QQIC, layer, field::QQIC, 1, q as u64);
        if q >= 128 {
            crate::set_label!(ctx.tree, n, "QQIC: {}", decode_code(q));
        }
        ctx.add_uint(top, &NUM_SRC, layer, field::NUM_SRC, 2, num as u64);
        for i in 0..num {
            let at = field::SOURCES + 4 * i;
            ctx.add(top, &SADDR, layer, at, 4, Value::Ipv4(layer.array(at)));
        }
    }
    Ok(sources)
}

fn report_v3(ctx: &mut Ctx, top: u32, layer: &Layer) -> DResult<usize> {
    let records = layer.u16(field::NUM_RECORDS) as usize;
    if ctx.tree.enabled() {
        ctx.add(top, &RESERVED, layer, field::MAX_RESP, 1, Value::Bytes);
        add_checksum(ctx, top, layer);
        ctx.add(top, &RESERVED, layer, field::REPORT_RESERVED, 2, Value::Bytes);
        ctx.add_uint(top, &NUM_GRP_RECS, layer, field::NUM_RECORDS, 2, records as u64);
    }
    let mut at = field::RECORDS;
    // Each record takes at least 8 bytes, so the loop ends with the message.
    for _ in 0..records {
        layer.need(at + 8)?;
        let rtype = layer.u8(at);
        let aux = layer.u8(at + 1) as usize * 4;
        let num = layer.u16(at + 2) as usize;
        let group: [u8; 4] = layer.array(at + 4);
        let len = 8 + 4 * num + aux;
        let g = addr::ipv4_string(group);
        let info = &mut ctx.cols.info;
        let set = source_set(layer, at + 8, num.min(layer.len.saturating_sub(at + 8) / 4));
        let plural = num != 1;
        let _ = match (rtype, num) {
            (1 | 3, 0) => write!(info, " / Leave group {}", g),
            (2 | 4, 0) => write!(info, " / Join group {} for any sources", g),
            (5, 0) => write!(info, " / Group {}, ALLOW_NEW_SOURCES but no source specified (?)", g),
            (6, 0) => write!(info, " / Group {}, BLOCK_OLD_SOURCES but no source specified (?)", g),
            (1 | 3, _) => write!(info, " / Join group {} for source{} {}", g, if plural { "s in" } else { "" }, set),
            (2 | 4, _) => write!(info, " / Join group {}, for source{} {}", g, if plural { "s not in" } else { " not" }, set),
            (5, _) => write!(info, " / Group {}, new source{} {}", g, if plural { "s" } else { "" }, set),
            (6, _) => write!(info, " / Group {}, block source{} {}", g, if plural { "s" } else { "" }, set),
            _ => write!(info, " / Group {}, unknown record type (?)", g),
        };
        let mut r = crate::tree::NO_NODE;
        if ctx.tree.enabled() {
            r = ctx.tree.add(top, &crate::proto::frame::TEXT, layer.abs(at), len.min(layer.len.saturating_sub(at)), Value::None);
            crate::set_label!(ctx.tree, r, "Group Record : {}  {}", g, RECORD_TYPE.value_name(rtype as u64).unwrap_or(""));
            ctx.add_uint(r, &RECORD_TYPE, layer, at, 1, rtype as u64);
            ctx.add_uint(r, &AUX_DATA_LEN, layer, at + 1, 1, (aux / 4) as u64);
            ctx.add_uint(r, &NUM_SRC, layer, at + 2, 2, num as u64);
            ctx.add(r, &MADDR, layer, at + 4, 4, Value::Ipv4(group));
        }
        layer.need(at + 8 + 4 * num)?;
        if ctx.tree.enabled() {
            for i in 0..num {
                let s = at + 8 + 4 * i;
                ctx.add(r, &SADDR, layer, s, 4, Value::Ipv4(layer.array(s)));
            }
            if aux > 0 {
                ctx.add(r, &AUX_DATA, layer, at + 8 + 4 * num, aux, Value::Bytes);
            }
        }
        at += len;
    }
    Ok(at.min(layer.reported))
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    /// Ethernet + IPv4 (hdr 24 with Router Alert) + the IGMP message (checksum filled in).
    fn frame(igmp: &[u8]) -> Vec<u8> {
        let mut m = igmp.to_vec();
        let c = super::checksum(&m);
        m[2] = (c >> 8) as u8;
        m[3] = c as u8;
        let mut f = vec![1, 0, 0x5e, 0, 0, 1, 0, 0x16, 0x3c, 0xe6, 0xe8, 0xb2, 8, 0];
        let tot = (24 + m.len()) as u16;
        f.extend_from_slice(&[0x46, 0xc0, (tot >> 8) as u8, tot as u8, 0, 1, 0, 0, 1, 2, 0, 0, 10, 0, 0, 1, 224, 0, 0, 1, 0x94, 4, 0, 0]);
        f.extend_from_slice(&m);
        f
    }

    #[test]
    fn versions_and_info_follow_wireshark() {
        let cases: &[(&[u8], &str, &str)] = &[
            (&[0x11, 0, 0, 0, 0, 0, 0, 0], "IGMPv1", "Membership Query"),
            (&[0x12, 0, 0, 0, 224, 0, 0, 5], "IGMPv1", "Membership Report"),
            (&[0x11, 100, 0, 0, 0, 0, 0, 0], "IGMPv2", "Membership Query, general"),
            (&[0x11, 100, 0, 0, 225, 1, 1, 3], "IGMPv2", "Membership Query, specific for group 225.1.1.3"),
            (&[0x16, 0, 0, 0, 239, 255, 255, 250], "IGMPv2", "Membership Report group 239.255.255.250"),
            (&[0x17, 0, 0, 0, 225, 1, 1, 3], "IGMPv2", "Leave Group 225.1.1.3"),
            (&[0x11, 100, 0, 0, 0, 0, 0, 0, 2, 125, 0, 2, 10, 0, 0, 1, 10, 0, 0, 2], "IGMPv3", "Membership Query, general, sources {10.0.0.1, 10.0.0.2}"),
            (&[0x11, 100, 0, 0, 224, 0, 0, 5, 10, 125, 0, 1, 10, 0, 0, 1], "IGMPv3", "Membership Query, specific for group 224.0.0.5, source {10.0.0.1}"),
            (&[0x13, 0, 0, 0, 0, 0, 0, 0], "IGMP", "Unknown Type:0x13"),
        ];
        for (m, proto, info) in cases {
            let (cols, protos) = summary_of(1, &frame(m));
            assert_eq!((cols.protocol.as_str(), cols.info.as_str()), (*proto, *info));
            let layers = if *proto == "IGMP" { "eth:ethertype:ip:igmp" } else { "eth:ethertype:ip:igmp:igmp" };
            assert_eq!(protos, layers);
        }
    }

    #[test]
    fn v3_report_records() {
        let m = [
            0x22, 0, 0, 0, 0, 0, 0, 4, // 4 records
            4, 0, 0, 0, 224, 0, 0, 251, // to-exclude, no sources
            1, 0, 0, 2, 224, 0, 0, 6, 10, 0, 0, 1, 10, 0, 0, 2, // include two sources
            2, 0, 0, 1, 224, 0, 0, 2, 10, 0, 0, 1, // exclude one source
            3, 0, 0, 0, 224, 0, 0, 7, // to-include, none: leave
        ];
        let (cols, _) = summary_of(1, &frame(&m));
        assert_eq!(
            cols.info,
            "Membership Report / Join group 224.0.0.251 for any sources / Join group 224.0.0.6 for sources in {10.0.0.1, 10.0.0.2} / Join group 224.0.0.2, for source not {10.0.0.1} / Leave group 224.0.0.7"
        );
        let f = frame(&m);
        for n in 0..f.len() {
            let _ = summary_of(1, &f[..n]);
        }
    }
}
