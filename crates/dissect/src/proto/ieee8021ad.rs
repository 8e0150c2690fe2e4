//! `ieee8021ad`: IEEE 802.1ad provider bridge (S-)tags, EtherType 0x88a8, the outer tag of
//! QinQ. Wireshark dissects it apart from 802.1Q: plain numbers for priority and DEI, and its
//! EtherType field belongs to 802.1ah.

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::ethertype::{self, Fcs, Trailer};
use crate::proto::vals;

mod field {
    pub const TCI: usize = 0;
    pub const ETYPE: usize = 2;
}
const HEADER_LEN: usize = 4;

pub static IEEE8021AD: FieldDef = FieldDef::protocol("IEEE 802.1ad", "ieee8021ad");
pub static PRIORITY: FieldDef = FieldDef::new("Priority", "ieee8021ad.priority", FieldType::Uint16).bits(16, 0xe000);
pub static DEI: FieldDef = FieldDef::new("DEI", "ieee8021ad.dei", FieldType::Uint16).bits(16, 0x1000);
pub static ID: FieldDef = FieldDef::new("ID", "ieee8021ad.id", FieldType::Uint16).bits(16, 0x0fff);
pub static ETYPE: FieldDef = FieldDef::new("Type", "ieee8021ah.etype", FieldType::Uint16).base(Base::Hex).strings(vals::ETHERTYPES);
pub static TRAILER: FieldDef = FieldDef::new("Trailer", "ieee8021ah.trailer", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] = &[&IEEE8021AD, &PRIORITY, &DEI, &ID, &ETYPE, &TRAILER];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::EtherType, 0x88a8, "ieee8021ad", dissect)];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("802.1ad");
    ctx.cols.info.clear();
    let top = ctx.add_protocol(parent, &IEEE8021AD, &layer.limit(HEADER_LEN));
    layer.need(HEADER_LEN)?;
    let tci = layer.u16(field::TCI);
    let etype = layer.u16(field::ETYPE);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, top, "IEEE 802.1ad, ID: {}", tci & 0xfff);
        // Wireshark reads priority and DEI from the first byte only.
        ctx.add_uint(top, &PRIORITY, &layer, field::TCI, 1, (tci >> 13) as u64);
        ctx.add_uint(top, &DEI, &layer, field::TCI, 1, ((tci >> 12) & 1) as u64);
        ctx.add_uint(top, &ID, &layer, field::TCI, 2, (tci & 0xfff) as u64);
        ctx.add_uint(top, &ETYPE, &layer, field::ETYPE, 2, etype as u64);
    }
    let trailer = Trailer { node: top, link: layer, field: &TRAILER, fcs: Fcs::Absent };
    ethertype::dissect_with_trailer(ctx, parent, etype, layer.sub(HEADER_LEN, "802.1ad payload"), trailer)?;
    Ok(layer.reported)
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    #[test]
    fn s_tag_then_c_tag() {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0, 0x16, 0x3c, 0xe6, 0xe8, 0xb2, 0x88, 0xa8, 0x20, 0x0d, 0x81, 0x00, 0x00, 0x0a, 0x88, 0xb5, 1]);
        let (cols, protos) = summary_of(1, &f);
        assert_eq!(protos, "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:data");
        assert_eq!(cols.protocol, "0x88b5");
        for n in 0..f.len() {
            let _ = summary_of(1, &f[..n]);
        }
    }
}
