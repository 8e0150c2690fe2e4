//! `eth`: Ethernet II, and IEEE 802.3 length frames handed to 802.2 LLC. What follows the payload
//! (padding, trailer, FCS) is split in `ethertype::add_trailer`.

use crate::addr;
use crate::dispatch::{self, Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::ethertype::{self, Fcs, Trailer};
use crate::proto::vals;
use crate::stats::taps::Tap;
use crate::tree::{bit_string, Group, Severity, Value};

const DST: usize = 0;
const SRC: usize = 6;
const TYPE: usize = 12;
const HEADER_LEN: usize = 14;
/// Type values up to this are 802.3 lengths.
const MAX_802_3_LEN: u16 = 1500;

pub static ETH: FieldDef = FieldDef::protocol("Ethernet II", "eth");
pub static ETH_DST: FieldDef = FieldDef::new("Destination", "eth.dst", FieldType::Ether);
pub static ETH_SRC: FieldDef = FieldDef::new("Source", "eth.src", FieldType::Ether);
pub static ETH_ADDR: FieldDef = FieldDef::new("Address", "eth.addr", FieldType::Ether);
pub static ETH_LG: FieldDef = FieldDef::new("LG bit", "eth.lg", FieldType::Bool).bits(24, 0x020000);
pub static ETH_IG: FieldDef = FieldDef::new("IG bit", "eth.ig", FieldType::Bool).bits(24, 0x010000);
pub static ETH_DST_LG: FieldDef = FieldDef::new("LG bit", "eth.dst.lg", FieldType::Bool).bits(24, 0x020000);
pub static ETH_DST_IG: FieldDef = FieldDef::new("IG bit", "eth.dst.ig", FieldType::Bool).bits(24, 0x010000);
pub static ETH_SRC_LG: FieldDef = FieldDef::new("LG bit", "eth.src.lg", FieldType::Bool).bits(24, 0x020000);
pub static ETH_SRC_IG: FieldDef = FieldDef::new("IG bit", "eth.src.ig", FieldType::Bool).bits(24, 0x010000);
pub static ETH_TYPE: FieldDef = FieldDef::new("Type", "eth.type", FieldType::Uint16).base(Base::Hex).strings(vals::ETHERTYPES);
pub static ETH_LEN: FieldDef = FieldDef::new("Length", "eth.len", FieldType::Uint16);
pub static ETH_PADDING: FieldDef = FieldDef::new("Padding", "eth.padding", FieldType::Bytes);
pub static ETH_TRAILER: FieldDef = FieldDef::new("Trailer", "eth.trailer", FieldType::Bytes);
pub static ETH_FCS: FieldDef = FieldDef::new("Frame check sequence", "eth.fcs", FieldType::Uint32).base(Base::Hex);
pub static ETH_FCS_STATUS: FieldDef = FieldDef::new("FCS Status", "eth.fcs.status", FieldType::Uint8).strings(vals::CHECKSUM_STATUS);

pub static LEN_PAST_END: FieldDef = FieldDef::new("Length field value goes past the end of the payload", "eth.len.past_end", FieldType::None);
pub static PADDING_BAD: FieldDef = FieldDef::new("Padding identification may be inaccurate and impact trailer dissector", "eth.padding_bad", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &ETH, &ETH_DST, &ETH_SRC, &ETH_ADDR, &ETH_LG, &ETH_IG, &ETH_DST_LG, &ETH_DST_IG, &ETH_SRC_LG, &ETH_SRC_IG, &ETH_TYPE,
    &ETH_LEN, &ETH_PADDING, &ETH_TRAILER, &ETH_FCS, &ETH_FCS_STATUS, &LEN_PAST_END, &PADDING_BAD,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::LinkType, 1, "eth", dissect)];

/// An address with its subtree; `bits` are the (lg, ig) fields of this address (`eth.dst.lg`,
/// ...), each followed by the hidden address-neutral one (`eth.lg`) as Wireshark adds them.
fn add_address(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, bits: [&'static FieldDef; 2], layer: &Layer, at: usize, a: [u8; 6]) {
    let n = ctx.add(parent, f, layer, at, 6, Value::Ether(a));
    if !ctx.tree.wants_protocol(&["eth"]) {
        return;
    }
    ctx.add(n, &ETH_ADDR, layer, at, 6, Value::Ether(a));
    // Wireshark names the values of these two bits instead of Set/Not set.
    let lg_text = if a[0] & 2 != 0 { "Locally administered address (this is NOT the factory default)" } else { "Globally unique address (factory default)" };
    let ig_text = if a[0] & 1 != 0 { "Group address (multicast/broadcast)" } else { "Individual address (unicast)" };
    let oui = (a[0] as u64) << 16;
    for (visible, any, set, text) in [(bits[0], &ETH_LG, a[0] & 2 != 0, lg_text), (bits[1], &ETH_IG, a[0] & 1 != 0, ig_text)] {
        let v = ctx.add(n, visible, layer, at, 3, Value::Bool(set));
        let h = ctx.add(n, any, layer, at, 3, Value::Bool(set));
        if ctx.tree.wants_label(v) || ctx.tree.wants_label(h) {
            let label = format!("{} = {}: {}", bit_string(24, visible.bitmask, oui), visible.name, text);
            ctx.tree.set_label(v, label.clone());
            ctx.tree.set_label(h, label);
        }
        ctx.tree.set_hidden(h);
    }
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(HEADER_LEN)?;
    let dst: [u8; 6] = layer.array(DST);
    let src: [u8; 6] = layer.array(SRC);
    let etype = layer.u16(TYPE);
    let top = ctx.add_protocol(parent, &ETH, &layer.limit(HEADER_LEN));
    ctx.cols.set_protocol("ETHER");
    ctx.cols.set_link_addresses(src, Some(dst));
    let is_802_3 = etype <= MAX_802_3_LEN;
    if ctx.tree.wants_label(top) {
        let label = if is_802_3 {
            // Wireshark's format leaves a space for "Raw " (Novell raw 802.3).
            format!("IEEE 802.3 Ethernet {}", if layer.u16(HEADER_LEN) == 0xffff { "Raw " } else { "" })
        } else {
            format!("Ethernet II, Src: {}, Dst: {}", addr::ether_string(&src), addr::ether_string(&dst))
        };
        ctx.tree.set_label(top, label);
    }
    add_address(ctx, top, &ETH_DST, [&ETH_DST_LG, &ETH_DST_IG], &layer, DST, dst);
    add_address(ctx, top, &ETH_SRC, [&ETH_SRC_LG, &ETH_SRC_IG], &layer, SRC, src);
    ctx.tap(Tap::Eth { src, dst });
    let trailer = Trailer { node: top, link: layer, field: &ETH_TRAILER, fcs: Fcs::Maybe };
    if is_802_3 {
        return dissect_802_3(ctx, parent, &layer, top, TYPE, &ETH_LEN, trailer);
    }
    ctx.add_uint(top, &ETH_TYPE, &layer, TYPE, 2, etype as u64);
    let payload = layer.sub(HEADER_LEN, "ethertype");
    ethertype::dissect_with_trailer(ctx, parent, etype, payload, trailer)?;
    Ok(layer.reported)
}

/// An 802.3 length field at `len_at` of `link`, then 802.2 LLC over that many bytes and the rest
/// as trailer (also used by VLAN tags that carry a length). Like Wireshark, the trailer is shown
/// even when the LLC payload is malformed.
pub fn dissect_802_3(ctx: &mut Ctx, parent: u32, link: &Layer, node: u32, len_at: usize, len_field: &'static FieldDef, t: Trailer) -> DResult<usize> {
    let length = link.u16(len_at) as usize;
    let after = len_at + 2;
    let l = ctx.add_uint(node, len_field, link, len_at, 2, length as u64);
    let available = link.reported.saturating_sub(after);
    let length = if length > available {
        crate::expert::attach(&mut ctx.tree, l, &LEN_PAST_END, Severity::Error, Group::Malformed, "Length field value goes past the end of the payload");
        available
    } else {
        length
    };
    let payload = link.sub(after, "llc").limit(length);
    ctx.cols.set_protocol("LLC");
    let r = dispatch::call_or_data(ctx, Table::Llc, 0, parent, payload);
    ethertype::add_trailer(ctx, &t, link.sub(after + length, "trailer"));
    r.map(|_| link.reported)
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    #[test]
    fn unknown_ethertype_lists_as_ether_with_data() {
        let mut f = vec![0xffu8; 6];
        f.extend_from_slice(&[0x02, 0, 0, 0, 0, 1, 0x88, 0xb5, 1, 2, 3]);
        let (cols, protos) = summary_of(1, &f);
        assert_eq!(cols.src, "02:00:00:00:00:01");
        assert_eq!(cols.dst, "ff:ff:ff:ff:ff:ff");
        assert_eq!(protos, "eth:ethertype:data");
    }

    #[test]
    fn short_header_is_malformed_not_a_panic() {
        let (cols, _) = summary_of(1, &[0u8; 9]);
        assert!(cols.info.contains("[Malformed Packet]"), "{}", cols.info);
    }
}
