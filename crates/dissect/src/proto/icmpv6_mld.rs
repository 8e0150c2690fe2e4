//! `icmpv6.mld`, `icmpv6.mldr`: Multicast Listener Discovery messages carried by ICMPv6:
//! MLDv1 queries, reports and dones (RFC 2710), MLDv2 queries and reports (RFC 3810).

use crate::addr;
use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::icmpv6::{name_of, RESERVED};
use crate::tree::Value;
use std::fmt::Write;

/// Offsets within the ICMPv6 message.
mod field {
    pub const MLD_ADDR: usize = 8;
    pub const MLD_FLAGS: usize = 24;
    pub const MLD_QQI: usize = 25;
    pub const MLD_NB_SOURCES: usize = 26;
    pub const MLD_SOURCES: usize = 28;
    pub const MLDR_NB_RECORDS: usize = 6;
    pub const MLDR_RECORDS: usize = 8;
}
const BODY: usize = 4;
/// The shortest MLD query that is MLDv2.
const MLDV2_QUERY_MIN: usize = 28;

pub static MLD_MRD: FieldDef = FieldDef::new("Maximum Response Delay [ms]", "icmpv6.mld.maximum_response_delay", FieldType::Uint16).blurb("Specifies the maximum allowed delay before sending a responding Report, in units of milliseconds");
pub static MLD_MRC: FieldDef = FieldDef::new("Maximum Response Code", "icmpv6.mld.maximum_response_code", FieldType::Uint16).blurb("Specifies the maximum allowed delay before sending a responding Report");
pub static MLD_MADDR: FieldDef = FieldDef::new("Multicast Address", "icmpv6.mld.multicast_address", FieldType::Ipv6).blurb("Specific IPv6 multicast address");
pub static MLD_FLAG: FieldDef = FieldDef::new("Flags", "icmpv6.mld.flag", FieldType::Uint8).base(Base::Hex);
pub static MLD_FLAG_S: FieldDef = FieldDef::new("Suppress Router-Side Processing", "icmpv6.mld.flag.s", FieldType::Bool).bits(8, 0x8).blurb("Indicates to any receiving multicast routers that they have to suppress the normal timer updates they perform upon hearing a Query");
pub static MLD_FLAG_QRV: FieldDef = FieldDef::new("QRV (Querier's Robustness Variable)", "icmpv6.mld.flag.qrv", FieldType::Uint8).bits(8, 0x7).blurb("Contains the RV (Robustness Variable) value used by the Querier");
pub static MLD_FLAG_RSV: FieldDef = FieldDef::new("Reserved", "icmpv6.mld.flag.reserved", FieldType::Uint8).bits(8, 0xf0).blurb("Must Be Zero");
pub static MLD_QQI: FieldDef = FieldDef::new("QQIC (Querier's Query Interval Code)", "icmpv6.mld.qqi", FieldType::Uint8).blurb("Specifies the QI (Query Interval) used by the Querier");
pub static MLD_NB_SOURCES: FieldDef = FieldDef::new("Number of Sources", "icmpv6.mld.nb_sources", FieldType::Uint16).blurb("Specifies how many source addresses are present in the Query");
pub static MLD_SOURCE: FieldDef = FieldDef::new("Source Address", "icmpv6.mld.source_address", FieldType::Ipv6).blurb("The Source Address fields are a vector of unicast addresses");
pub static MLDR_NB_RECORDS: FieldDef = FieldDef::new("Number of Multicast Address Records", "icmpv6.mldr.nb_mcast_records", FieldType::Uint16).blurb("Specifies how many Multicast Address Records are present in this Report");
pub static MLDR_MAR: FieldDef = FieldDef::new("Multicast Address Record", "icmpv6.mldr.mar", FieldType::None).blurb("Each Multicast Address Record is a block of fields that contain information on the sender listening to a single multicast address on the interface from which the Report is sent");
pub static MLDR_TYPE: FieldDef = FieldDef::new("Record Type", "icmpv6.mldr.mar.record_type", FieldType::Uint8).strings(MLDR_RECORD_TYPES).blurb("It specifies the type of the Multicast Address Record");
pub static MLDR_AUX_LEN: FieldDef = FieldDef::new("Aux Data Len", "icmpv6.mldr.mar.aux_data_len", FieldType::Uint8).blurb("The Aux Data Len field contains the length (in units of 32-bit words) of the Auxiliary Data Field in this Multicast Address Record");
pub static MLDR_NB_SOURCES: FieldDef = FieldDef::new("Number of Sources", "icmpv6.mldr.mar.nb_sources", FieldType::Uint16).blurb("The Number of Sources field specifies how many source addresses are present in this Multicast Address Record");
pub static MLDR_MADDR: FieldDef = FieldDef::new("Multicast Address", "icmpv6.mldr.mar.multicast_address", FieldType::Ipv6).blurb("The Multicast Address field contains the multicast address to which this Multicast Address Record pertains");
pub static MLDR_SOURCE: FieldDef = FieldDef::new("Source Address", "icmpv6.mldr.mar.source_address", FieldType::Ipv6).blurb("The Source Address fields are a vector of unicast addresses");
pub static MLDR_AUX: FieldDef = FieldDef::new("Auxiliary Data", "icmpv6.mldr.mar.auxiliary_data", FieldType::Bytes).blurb("Contains additional information that pertain to this Multicast Address Record");

pub static FIELDS: &[&FieldDef] = &[
    &MLD_MRD, &MLD_MRC, &MLD_MADDR, &MLD_FLAG, &MLD_FLAG_S, &MLD_FLAG_QRV, &MLD_FLAG_RSV, &MLD_QQI, &MLD_NB_SOURCES, &MLD_SOURCE, &MLDR_NB_RECORDS, &MLDR_MAR, &MLDR_TYPE, &MLDR_AUX_LEN, &MLDR_NB_SOURCES, &MLDR_MADDR, &MLDR_SOURCE, &MLDR_AUX,
];

pub static MLDR_RECORD_TYPES: ValueStrings = &[
    (1, "Include"),
    (2, "Exclude"),
    (3, "Changed to include"),
    (4, "Changed to exclude"),
    (5, "Allow new sources"),
    (6, "Block old sources"),
];

/// MLDv1 messages, and MLDv2 queries (told apart by their length).
pub fn dissect_v1_or_query(ctx: &mut Ctx, top: u32, l: &Layer, query: bool) -> DResult<()> {
    if query && l.len >= MLDV2_QUERY_MIN {
        let raw = l.u16(BODY) as u64;
        // Codes of 32768 and up are floating point (RFC 3810 section 5.1.3).
        let mrc = if raw >= 0x8000 { ((raw & 0x0fff) | 0x1000) << (((raw & 0x7000) >> 12) + 3) } else { raw };
        ctx.add_uint(top, &MLD_MRC, l, BODY, 2, mrc);
        ctx.add(top, &RESERVED, l, 6, 2, Value::Bytes);
        ctx.add(top, &MLD_MADDR, l, field::MLD_ADDR, 16, Value::Ipv6(l.array(field::MLD_ADDR)));
        let flags = l.u8(field::MLD_FLAGS) as u64;
        let f = ctx.add_uint(top, &MLD_FLAG, l, field::MLD_FLAGS, 1, flags);
        let s = ctx.add(f, &MLD_FLAG_S, l, field::MLD_FLAGS, 1, Value::Bool(flags & 0x08 != 0));
        crate::set_label!(ctx.tree, s, "{} = {}: {}", crate::tree::bit_string(8, 0x08, flags), MLD_FLAG_S.name, if flags & 0x08 != 0 { "True" } else { "False" });
        if flags & 0x08 != 0 {
            crate::append_label!(ctx.tree, f, ", {}", MLD_FLAG_S.name);
        }
        ctx.add_uint(f, &MLD_FLAG_QRV, l, field::MLD_FLAGS, 1, flags & 0x07);
        ctx.add_uint(f, &MLD_FLAG_RSV, l, field::MLD_FLAGS, 1, flags >> 4);
        let raw = l.u8(field::MLD_QQI) as u64;
        let qqi = if raw >= 0x80 { ((raw & 0x0f) | 0x10) << (((raw & 0x70) >> 4) + 3) } else { raw };
        ctx.add_uint(top, &MLD_QQI, l, field::MLD_QQI, 1, qqi);
        let count = l.u16(field::MLD_NB_SOURCES) as usize;
        ctx.add_uint(top, &MLD_NB_SOURCES, l, field::MLD_NB_SOURCES, 2, count as u64);
        for i in 0..count {
            let at = field::MLD_SOURCES + 16 * i;
            l.need(at + 16)?;
            ctx.add(top, &MLD_SOURCE, l, at, 16, Value::Ipv6(l.array(at)));
        }
    } else {
        l.need(field::MLD_ADDR + 16)?;
        ctx.add_uint(top, &MLD_MRD, l, BODY, 2, l.u16(BODY) as u64);
        ctx.add(top, &RESERVED, l, 6, 2, Value::Bytes);
        ctx.add(top, &MLD_MADDR, l, field::MLD_ADDR, 16, Value::Ipv6(l.array(field::MLD_ADDR)));
    }
    Ok(())
}

/// An MLDv2 report: its multicast address records.
pub fn dissect_v2_report(ctx: &mut Ctx, top: u32, l: &Layer) -> DResult<()> {
    l.need(field::MLDR_RECORDS)?;
    ctx.add(top, &RESERVED, l, BODY, 2, Value::Bytes);
    let count = l.u16(field::MLDR_NB_RECORDS) as usize;
    ctx.add_uint(top, &MLDR_NB_RECORDS, l, field::MLDR_NB_RECORDS, 2, count as u64);
    let mut at = field::MLDR_RECORDS;
    for _ in 0..count {
        l.need(at + 20)?;
        let rtype = l.u8(at) as u64;
        let aux = l.u8(at + 1) as usize * 4;
        let sources = l.u16(at + 2) as usize;
        let len = 20 + 16 * sources + aux;
        let maddr: [u8; 16] = l.array(at + 4);
        let r = ctx.add(top, &MLDR_MAR, l, at, len.min(l.len.saturating_sub(at)), Value::None);
        if ctx.tree.enabled() {
            let mut label = String::from("Multicast Address Record ");
            match name_of(MLDR_RECORD_TYPES, rtype) {
                Some(name) => label.push_str(name),
                None => {
                    let _ = write!(label, "Unknown ({})", rtype);
                }
            }
            label.push_str(": ");
            addr::write_ipv6(&mut label, &maddr);
            ctx.tree.set_label(r, label);
        }
        ctx.add_uint(r, &MLDR_TYPE, l, at, 1, rtype);
        ctx.add_uint(r, &MLDR_AUX_LEN, l, at + 1, 1, (aux / 4) as u64);
        ctx.add_uint(r, &MLDR_NB_SOURCES, l, at + 2, 2, sources as u64);
        ctx.add(r, &MLDR_MADDR, l, at + 4, 16, Value::Ipv6(maddr));
        for i in 0..sources {
            let s = at + 20 + 16 * i;
            l.need(s + 16)?;
            ctx.add(r, &MLDR_SOURCE, l, s, 16, Value::Ipv6(l.array(s)));
        }
        if aux > 0 {
            l.need(at + len)?;
            ctx.add(r, &MLDR_AUX, l, at + len - aux, aux, Value::Bytes);
        }
        at += len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::proto::icmpv6::tests::{ipv6_frame, labels_under, tree_of};
    use crate::session::tests::summary_of;

    const MLDV2_REPORT: [u8; 64] = [
        0x8f, 0x00, 0x14, 0xdc, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x01, 0xff, 0x05, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00,
        0xff, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
    ];

    #[test]
    fn an_mldv2_report_lists_its_records() {
        let frame = ipv6_frame("2001:db8::1", "ff02::16", 1, &MLDV2_REPORT);
        assert_eq!(summary_of(1, &frame.1).0.info, "Multicast Listener Report Message v2");
        let labels = labels_under(&tree_of(&frame), "icmpv6");
        assert_eq!(labels[6..], [
            "  Number of Multicast Address Records: 2",
            "  Multicast Address Record Include: ff05::2",
            "    Record Type: Include (1)",
            "    Aux Data Len: 0",
            "    Number of Sources: 1",
            "    Multicast Address: ff05::2",
            "    Source Address: 2001:db8::9",
            "  Multicast Address Record Exclude: ff05::3",
            "    Record Type: Exclude (2)",
            "    Aux Data Len: 0",
            "    Number of Sources: 0",
            "    Multicast Address: ff05::3",
        ]);
    }
}
