//! `eth`: Ethernet II (and 802.3 frames named as such).

use crate::addr;
use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::{ethertype, vals};
use crate::tree::{bit_string, Value};

const DST: usize = 0;
const SRC: usize = 6;
const TYPE: usize = 12;
const HEADER_LEN: usize = 14;

pub static ETH: FieldDef = FieldDef::protocol("Ethernet II", "eth");
pub static ETH_DST: FieldDef = FieldDef::new("Destination", "eth.dst", FieldType::Ether);
pub static ETH_SRC: FieldDef = FieldDef::new("Source", "eth.src", FieldType::Ether);
pub static ETH_ADDR: FieldDef = FieldDef::new("Address", "eth.addr", FieldType::Ether);
pub static ETH_LG: FieldDef = FieldDef::new("LG bit", "eth.lg", FieldType::Bool).bits(24, 0x020000);
pub static ETH_IG: FieldDef = FieldDef::new("IG bit", "eth.ig", FieldType::Bool).bits(24, 0x010000);
pub static ETH_TYPE: FieldDef = FieldDef::new("Type", "eth.type", FieldType::Uint16).base(Base::Hex).strings(vals::ETHERTYPES);
pub static ETH_LEN: FieldDef = FieldDef::new("Length", "eth.len", FieldType::Uint16);
pub static ETH_PADDING: FieldDef = FieldDef::new("Padding", "eth.padding", FieldType::Bytes);
pub static ETH_TRAILER: FieldDef = FieldDef::new("Trailer", "eth.trailer", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] =
    &[&ETH, &ETH_DST, &ETH_SRC, &ETH_ADDR, &ETH_LG, &ETH_IG, &ETH_TYPE, &ETH_LEN, &ETH_PADDING, &ETH_TRAILER];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::LinkType, 1, "eth", dissect)];

fn add_address(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, layer: &Layer, at: usize, a: [u8; 6]) {
    let n = ctx.add(parent, f, layer, at, 6, Value::Ether(a));
    if !ctx.tree.enabled() {
        return;
    }
    ctx.add(n, &ETH_ADDR, layer, at, 6, Value::Ether(a));
    let lg = ctx.add(n, &ETH_LG, layer, at, 3, Value::Bool(a[0] & 2 != 0));
    let ig = ctx.add(n, &ETH_IG, layer, at, 3, Value::Bool(a[0] & 1 != 0));
    // Wireshark names the values of these two bits instead of Set/Not set.
    let lg_text = if a[0] & 2 != 0 { "Locally administered address (this is NOT the factory default)" } else { "Globally unique address (factory default)" };
    let ig_text = if a[0] & 1 != 0 { "Group address (multicast/broadcast)" } else { "Individual address (unicast)" };
    let oui = (a[0] as u64) << 16;
    ctx.tree.set_label(lg, format!("{} = LG bit: {}", bit_string(24, ETH_LG.bitmask, oui), lg_text));
    ctx.tree.set_label(ig, format!("{} = IG bit: {}", bit_string(24, ETH_IG.bitmask, oui), ig_text));
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(HEADER_LEN)?;
    let dst: [u8; 6] = layer.array(DST);
    let src: [u8; 6] = layer.array(SRC);
    let etype = layer.u16(TYPE);
    let top = ctx.add_protocol(parent, &ETH, &layer.limit(HEADER_LEN));
    ctx.cols.set_protocol("ETHER");
    if !ctx.cols.net_addresses {
        ctx.cols.src = addr::ether_string(&src);
        ctx.cols.dst = addr::ether_string(&dst);
    }
    if ctx.tree.enabled() {
        ctx.tree.set_label(top, format!("Ethernet II, Src: {}, Dst: {}", addr::ether_string(&src), addr::ether_string(&dst)));
    }
    add_address(ctx, top, &ETH_DST, &layer, DST, dst);
    add_address(ctx, top, &ETH_SRC, &layer, SRC, src);
    if ctx.tree.enabled() {
        let a = ctx.add(top, &ETH_ADDR, &layer, DST, 6, Value::Ether(dst));
        ctx.tree.set_hidden(a);
        let a = ctx.add(top, &ETH_ADDR, &layer, SRC, 6, Value::Ether(src));
        ctx.tree.set_hidden(a);
    }
    if etype < 0x0600 {
        // 802.3 length field; LLC dissection comes with the link-layer breadth work.
        if let Some(n) = ctx.tree.node_mut(top) {
            n.label = Some(format!("IEEE 802.3 Ethernet, Src: {}, Dst: {}", addr::ether_string(&src), addr::ether_string(&dst)));
        }
        ctx.add_uint(top, &ETH_LEN, &layer, TYPE, 2, etype as u64);
        ctx.cols.set_protocol("LLC");
        ctx.cols.set_info("IEEE 802.3 frame");
        let payload = layer.sub(HEADER_LEN, "llc");
        return crate::proto::data::dissect(ctx, top, payload).map(|n| n + HEADER_LEN);
    }
    ctx.add_uint(top, &ETH_TYPE, &layer, TYPE, 2, etype as u64);
    let payload = layer.sub(HEADER_LEN, "ethertype");
    let used = ethertype::dissect(ctx, parent, etype, payload)?;
    let rest = payload.reported.saturating_sub(used);
    if rest > 0 {
        // Frames shorter than Ethernet's 60-byte minimum are padded; anything else is a trailer.
        let f = if (HEADER_LEN + used) < 60 { &ETH_PADDING } else { &ETH_TRAILER };
        let at = HEADER_LEN + used;
        ctx.add(top, f, &layer, at, rest.min(layer.len.saturating_sub(at)), Value::Bytes);
    }
    Ok(layer.reported)
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
