//! `sll`: Linux "cooked" capture, v1 (LINKTYPE_LINUX_SLL, 113) and v2 (LINKTYPE_LINUX_SLL2,
//! 276), what `tcpdump -i any` writes.

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::ethertype::{self, Fcs, Trailer};
use crate::proto::vals;
use crate::tree::Value;

mod v1 {
    pub const PKTTYPE: usize = 0;
    pub const HATYPE: usize = 2;
    pub const HALEN: usize = 4;
    pub const ADDR: usize = 6;
    pub const PROTOCOL: usize = 14;
    pub const HEADER_LEN: usize = 16;
}

mod v2 {
    pub const PROTOCOL: usize = 0;
    pub const IFINDEX: usize = 4;
    pub const HATYPE: usize = 8;
    pub const PKTTYPE: usize = 10;
    pub const HALEN: usize = 11;
    pub const ADDR: usize = 12;
    pub const HEADER_LEN: usize = 20;
}

static PACKET_TYPES: &[(u64, &str)] = &[
    (0, "Unicast to us"),
    (1, "Broadcast"),
    (2, "Multicast"),
    (3, "Unicast to another host"),
    (4, "Sent by us"),
];


pub static SLL: FieldDef = FieldDef::protocol("Linux cooked capture", "sll");
pub static SLL_PKTTYPE: FieldDef = FieldDef::new("Packet type", "sll.pkttype", FieldType::Uint16).strings(PACKET_TYPES);
pub static SLL_HATYPE: FieldDef = FieldDef::new("Link-layer address type", "sll.hatype", FieldType::Uint16).strings(vals::ARP_HARDWARE_TYPES);
pub static SLL_HALEN: FieldDef = FieldDef::new("Link-layer address length", "sll.halen", FieldType::Uint8);
pub static SLL_SRC_ETH: FieldDef = FieldDef::new("Source", "sll.src.eth", FieldType::Ether);
pub static SLL_SRC_OTHER: FieldDef = FieldDef::new("Source", "sll.src.other", FieldType::Bytes);
pub static SLL_UNUSED: FieldDef = FieldDef::new("Unused", "sll.unused", FieldType::Bytes);
pub static SLL_ETYPE: FieldDef = FieldDef::new("Protocol", "sll.etype", FieldType::Uint16).base(Base::Hex).strings(vals::ETHERTYPES);
pub static SLL_IFINDEX: FieldDef = FieldDef::new("Interface index", "sll.ifindex", FieldType::Uint32);
pub static SLL_TRAILER: FieldDef = FieldDef::new("Trailer", "sll.trailer", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] = &[
    &SLL, &SLL_PKTTYPE, &SLL_HATYPE, &SLL_HALEN, &SLL_SRC_ETH, &SLL_SRC_OTHER, &SLL_UNUSED, &SLL_ETYPE,
    &SLL_IFINDEX, &SLL_TRAILER,
];

pub static HANDOFFS: &[Registration] =
    &[crate::handoff!(Table::LinkType, 113, "sll", dissect_v1), crate::handoff!(Table::LinkType, 276, "sll", dissect_v2)];

struct Header {
    pkttype: (usize, usize, u16),
    hatype: (usize, usize, u16),
    halen: (usize, u8),
    addr: usize,
    protocol: (usize, u16),
    len: usize,
}

fn dissect_common(ctx: &mut Ctx, parent: u32, layer: Layer, h: Header, v2: bool) -> DResult<usize> {
    let top = ctx.add_protocol(parent, &SLL, &layer.limit(h.len));
    ctx.cols.set_protocol("SLL");
    let addr_len = (h.halen.1 as usize).min(8);
    let is_eth = h.hatype.2 == 1 && addr_len == 6;
    // Wireshark shows a 6-byte address of these link types as a MAC address.
    let mac_like = matches!(h.hatype.2, 1 | 6 | 772) && addr_len == 6;
    if is_eth {
        ctx.cols.set_link_addresses(layer.array(h.addr), None);
    }
    if ctx.tree.enabled() {
        let label = if v2 { "Linux cooked capture v2" } else { "Linux cooked capture v1" };
        ctx.tree.set_label(top, label.to_string());
        // Wireshark's order: v2 leads with the protocol and interface (its reserved field is not
        // shown) and puts the address type first; v1 leads with the packet type.
        if v2 {
            ctx.add_uint(top, &SLL_ETYPE, &layer, h.protocol.0, 2, h.protocol.1 as u64);
            ctx.add_uint(top, &SLL_IFINDEX, &layer, v2::IFINDEX, 4, layer.u32(v2::IFINDEX) as u64);
            ctx.add_uint(top, &SLL_HATYPE, &layer, h.hatype.0, h.hatype.1, h.hatype.2 as u64);
            ctx.add_uint(top, &SLL_PKTTYPE, &layer, h.pkttype.0, h.pkttype.1, h.pkttype.2 as u64);
        } else {
            ctx.add_uint(top, &SLL_PKTTYPE, &layer, h.pkttype.0, h.pkttype.1, h.pkttype.2 as u64);
            ctx.add_uint(top, &SLL_HATYPE, &layer, h.hatype.0, h.hatype.1, h.hatype.2 as u64);
        }
        ctx.add_uint(top, &SLL_HALEN, &layer, h.halen.0, if v2 { 1 } else { 2 }, h.halen.1 as u64);
        if mac_like {
            ctx.add(top, &SLL_SRC_ETH, &layer, h.addr, 6, Value::Ether(layer.array(h.addr)));
        } else if addr_len > 0 {
            ctx.add(top, &SLL_SRC_OTHER, &layer, h.addr, addr_len, Value::Bytes);
        }
        if 8 > addr_len {
            ctx.add(top, &SLL_UNUSED, &layer, h.addr + addr_len, 8 - addr_len, Value::Bytes);
        }
        if !v2 {
            ctx.add_uint(top, &SLL_ETYPE, &layer, h.protocol.0, 2, h.protocol.1 as u64);
        }
    }
    let payload = layer.sub(h.len, "sll payload");
    let trailer = Trailer { node: top, link: layer, field: &SLL_TRAILER, fcs: Fcs::Absent };
    ethertype::dissect_with_trailer(ctx, parent, h.protocol.1, payload, trailer)?;
    Ok(layer.reported)
}

pub fn dissect_v1(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(v1::HEADER_LEN)?;
    let h = Header {
        pkttype: (v1::PKTTYPE, 2, layer.u16(v1::PKTTYPE)),
        hatype: (v1::HATYPE, 2, layer.u16(v1::HATYPE)),
        halen: (v1::HALEN, layer.u16(v1::HALEN).min(255) as u8),
        addr: v1::ADDR,
        protocol: (v1::PROTOCOL, layer.u16(v1::PROTOCOL)),
        len: v1::HEADER_LEN,
    };
    dissect_common(ctx, parent, layer, h, false)
}

pub fn dissect_v2(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(v2::HEADER_LEN)?;
    let h = Header {
        pkttype: (v2::PKTTYPE, 1, layer.u8(v2::PKTTYPE) as u16),
        hatype: (v2::HATYPE, 2, layer.u16(v2::HATYPE)),
        halen: (v2::HALEN, layer.u8(v2::HALEN)),
        addr: v2::ADDR,
        protocol: (v2::PROTOCOL, layer.u16(v2::PROTOCOL)),
        len: v2::HEADER_LEN,
    };
    dissect_common(ctx, parent, layer, h, true)
}

#[cfg(test)]
mod tests {
    use crate::proto::tcp::tests::SYN;
    use crate::session::tests::summary_of;

    #[test]
    fn v1_and_v2_carry_ip() {
        let ip = &SYN[14..];
        let mut v1 = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00];
        v1.extend_from_slice(ip);
        let (cols, protos) = summary_of(113, &v1);
        assert_eq!((cols.src.as_str(), protos.as_str()), ("127.0.0.1", "sll:ethertype:ip:tcp"));
        let mut v2 = vec![0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
        v2.extend_from_slice(ip);
        assert_eq!(summary_of(276, &v2).1, "sll:ethertype:ip:tcp");
    }

    #[test]
    fn non_ip_shows_the_link_address() {
        let f = [0u8, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x88, 0xb5, 1, 2];
        let (cols, _) = summary_of(113, &f);
        assert_eq!((cols.src.as_str(), cols.dst.as_str()), ("02:00:00:00:00:01", ""));
    }
}
