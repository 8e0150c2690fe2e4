//! `vlan`: IEEE 802.1Q VLAN tags (EtherType 0x8100), including stacked tags (QinQ with an inner
//! 0x8100). The tag's payload is an EtherType, or an 802.3 length followed by LLC; what follows
//! the payload is shown as padding / `vlan.trailer` (never an FCS: Wireshark passes fcs_len 0).

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::ethertype::{self, Fcs, Trailer};
use crate::proto::{eth, vals};
use crate::tree::{bit_string, Value};

mod field {
    pub const TCI: usize = 0;
    pub const ETYPE: usize = 2;
}
const HEADER_LEN: usize = 4;
const MAX_802_3_LEN: u16 = 1500;

/// Priority names of IEEE 802.1Q-2005 (Wireshark's default table).
static PRIORITIES: ValueStrings = &[
    (0, "Best Effort (default)"),
    (1, "Background"),
    (2, "Excellent Effort"),
    (3, "Critical Applications"),
    (4, "Video, < 100ms latency and jitter"),
    (5, "Voice, < 10ms latency and jitter"),
    (6, "Internetwork Control"),
    (7, "Network Control"),
];

pub static VLAN: FieldDef = FieldDef::protocol("802.1Q Virtual LAN", "vlan");
pub static PRIORITY: FieldDef = FieldDef::new("Priority", "vlan.priority", FieldType::Uint16).bits(16, 0xe000).strings(PRIORITIES);
pub static DEI: FieldDef = FieldDef::new("DEI", "vlan.dei", FieldType::Bool).bits(16, 0x1000);
pub static ID: FieldDef = FieldDef::new("ID", "vlan.id", FieldType::Uint16).bits(16, 0x0fff);
pub static ETYPE: FieldDef = FieldDef::new("Type", "vlan.etype", FieldType::Uint16).base(Base::Hex).strings(vals::ETHERTYPES);
pub static LEN: FieldDef = FieldDef::new("Length", "vlan.len", FieldType::Uint16);
pub static TRAILER: FieldDef = FieldDef::new("Trailer", "vlan.trailer", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] = &[&VLAN, &PRIORITY, &DEI, &ID, &ETYPE, &LEN, &TRAILER];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::EtherType, 0x8100, "vlan", dissect)];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("VLAN");
    ctx.cols.info.clear();
    let top = ctx.add_protocol(parent, &VLAN, &layer.limit(HEADER_LEN));
    layer.need(field::TCI + 2)?;
    let tci = layer.u16(field::TCI);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, top, "802.1Q Virtual LAN, PRI: {}, DEI: {}, ID: {}", tci >> 13, (tci >> 12) & 1, tci & 0xfff);
        ctx.add_uint(top, &PRIORITY, &layer, field::TCI, 2, (tci >> 13) as u64);
        let d = ctx.add(top, &DEI, &layer, field::TCI, 2, Value::Bool(tci & 0x1000 != 0));
        let dei = if tci & 0x1000 != 0 { "Eligible" } else { "Ineligible" };
        crate::set_label!(ctx.tree, d, "{} = DEI: {}", bit_string(16, 0x1000, tci as u64), dei);
        ctx.add_uint(top, &ID, &layer, field::TCI, 2, (tci & 0xfff) as u64);
    }
    layer.need(HEADER_LEN)?;
    let etype = layer.u16(field::ETYPE);
    let trailer = Trailer { node: top, link: layer, field: &TRAILER, fcs: Fcs::Absent };
    if etype <= MAX_802_3_LEN {
        return eth::dissect_802_3(ctx, parent, &layer, top, field::ETYPE, &LEN, trailer);
    }
    ctx.add_uint(top, &ETYPE, &layer, field::ETYPE, 2, etype as u64);
    ethertype::dissect_with_trailer(ctx, parent, etype, layer.sub(HEADER_LEN, "vlan payload"), trailer)?;
    Ok(layer.reported)
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    const ARP: [u8; 28] = [
        0, 1, 8, 0, 6, 4, 0, 1, 0xe0, 0xcb, 0x4e, 0x5e, 0x1a, 0x0e, 128, 2, 46, 227, 0, 0, 0, 0, 0, 0, 128, 2, 46, 148,
    ];

    /// The last frame of zeek's q-in-q.pcap: two 802.1Q tags around an ARP request, padded to 68.
    fn qinq_arp() -> Vec<u8> {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0xe0, 0xcb, 0x4e, 0x5e, 0x1a, 0x0e, 0x81, 0x00, 0x00, 0x0d, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x06]);
        f.extend_from_slice(&ARP);
        f.resize(68, 0);
        f
    }

    #[test]
    fn stacked_tags_reach_arp_and_keep_padding_and_trailer_in_the_inner_tag() {
        let (cols, protos) = summary_of(1, &qinq_arp());
        assert_eq!(protos, "eth:ethertype:vlan:ethertype:vlan:ethertype:arp");
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("ARP", "Who has 128.2.46.148? Tell 128.2.46.227"));
        let mut s = crate::session::Session::new();
        let f = qinq_arp();
        let meta = crate::packet::FrameMeta { linktype: 1, caplen: 68, origlen: 68, ..Default::default() };
        s.ingest(meta, &f, true);
        let t = s.tree();
        let label = |abbrev: &str| t.nodes.iter().enumerate().filter(|(_, n)| n.field.abbrev == abbrev).map(|(i, n)| (t.label(i as u32), n.start, n.len, n.parent)).collect::<Vec<_>>();
        assert_eq!(label("vlan")[0].0, "802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 13");
        assert_eq!(label("vlan.priority")[0].0, "000. .... .... .... = Priority: Best Effort (default) (0)");
        assert_eq!(label("vlan.dei")[0].0, "...0 .... .... .... = DEI: Ineligible");
        assert_eq!(label("vlan.id")[1].0, ".... 0000 0000 1010 = ID: 10");
        let inner = t.nodes.iter().position(|n| n.field.abbrev == "vlan" && n.start == 18).unwrap() as u32;
        let pad = label("eth.padding");
        assert_eq!((pad[0].1, pad[0].2, pad[0].3), (50, 10, inner));
        let tr = label("vlan.trailer");
        assert_eq!((tr[0].1, tr[0].2, tr[0].3), (60, 8, inner));
        assert!(label("eth.trailer").is_empty() && label("eth.fcs").is_empty());
    }

    #[test]
    fn a_length_instead_of_an_ethertype_goes_to_llc() {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0, 0x16, 0x3c, 0xe6, 0xe8, 0xb2, 0x81, 0x00, 0xe0, 0x0d, 0x00, 0x05, 0xf0, 0xf0, 0x03, 1, 2]);
        let (cols, protos) = summary_of(1, &f);
        assert_eq!(protos, "eth:ethertype:vlan:llc:data");
        assert_eq!(cols.protocol, "LLC");
    }

    #[test]
    fn unknown_payload_is_named_by_its_ethertype() {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0, 0x16, 0x3c, 0xe6, 0xe8, 0xb2, 0x81, 0x00, 0xa0, 0x0d, 0x88, 0xb5, 1, 2, 3]);
        let (cols, protos) = summary_of(1, &f);
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("0x88b5", "Local Experimental Ethertype 1"));
        assert_eq!(protos, "eth:ethertype:vlan:ethertype:data");
        for n in 0..f.len() {
            let _ = summary_of(1, &f[..n]);
        }
    }
}
