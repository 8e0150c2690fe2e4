//! `ipv6`: IPv6 (RFC 8200) and the walk over its extension headers. The extension headers are
//! named in `frame.protocols` as Wireshark does; their options and fragment reassembly come
//! with the protocol-breadth work.

use crate::addr;
use crate::dispatch::{self, Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, DissectError, Layer, NetAddr};
use crate::proto::vals;
use crate::tree::Value;

mod field {
    pub const VER_TC_FLOW: usize = 0;
    pub const PLEN: usize = 4;
    pub const NXT: usize = 6;
    pub const HLIM: usize = 7;
    pub const SRC: usize = 8;
    pub const DST: usize = 24;
}
const HEADER_LEN: usize = 40;

pub static IPV6: FieldDef = FieldDef::protocol("Internet Protocol Version 6", "ipv6");
pub static IPV6_VERSION: FieldDef = FieldDef::new("Version", "ipv6.version", FieldType::Uint8).bits(8, 0xf0);
pub static IPV6_TCLASS: FieldDef = FieldDef::new("Traffic Class", "ipv6.tclass", FieldType::Uint32).base(Base::Hex).bits(32, 0x0ff0_0000);
pub static IPV6_TCLASS_DSCP: FieldDef =
    FieldDef::new("Differentiated Services Codepoint", "ipv6.tclass.dscp", FieldType::Uint32).bits(32, 0x0fc0_0000).strings(vals::DSCP);
pub static IPV6_TCLASS_ECN: FieldDef =
    FieldDef::new("Explicit Congestion Notification", "ipv6.tclass.ecn", FieldType::Uint32).bits(32, 0x0030_0000).strings(vals::ECN);
pub static IPV6_FLOW: FieldDef = FieldDef::new("Flow Label", "ipv6.flow", FieldType::Uint32).base(Base::Hex).bits(32, 0x000f_ffff);
pub static IPV6_PLEN: FieldDef = FieldDef::new("Payload Length", "ipv6.plen", FieldType::Uint16);
pub static IPV6_NXT: FieldDef = FieldDef::new("Next Header", "ipv6.nxt", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static IPV6_HLIM: FieldDef = FieldDef::new("Hop Limit", "ipv6.hlim", FieldType::Uint8);
pub static IPV6_SRC: FieldDef = FieldDef::new("Source Address", "ipv6.src", FieldType::Ipv6);
pub static IPV6_DST: FieldDef = FieldDef::new("Destination Address", "ipv6.dst", FieldType::Ipv6);
pub static IPV6_ADDR: FieldDef = FieldDef::new("Source or Destination Address", "ipv6.addr", FieldType::Ipv6);
pub static IPV6_HOPOPTS: FieldDef = FieldDef::protocol("IPv6 Hop-by-Hop Option", "ipv6.hopopts");
pub static IPV6_ROUTING: FieldDef = FieldDef::protocol("Routing Header for IPv6", "ipv6.routing");
pub static IPV6_FRAGHDR: FieldDef = FieldDef::protocol("Fragment Header for IPv6", "ipv6.fraghdr");
pub static IPV6_DSTOPTS: FieldDef = FieldDef::protocol("Destination Options for IPv6", "ipv6.dstopts");
pub static IPV6_EXT_NXT: FieldDef = FieldDef::new("Next Header", "ipv6.ext.nxt", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static IPV6_EXT_LEN: FieldDef = FieldDef::new("Length", "ipv6.ext.len", FieldType::Uint8);

pub static FIELDS: &[&FieldDef] = &[
    &IPV6, &IPV6_VERSION, &IPV6_TCLASS, &IPV6_TCLASS_DSCP, &IPV6_TCLASS_ECN, &IPV6_FLOW, &IPV6_PLEN, &IPV6_NXT,
    &IPV6_HLIM, &IPV6_SRC, &IPV6_DST, &IPV6_ADDR, &IPV6_HOPOPTS, &IPV6_ROUTING, &IPV6_FRAGHDR, &IPV6_DSTOPTS,
    &IPV6_EXT_NXT, &IPV6_EXT_LEN,
];

pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::EtherType, 0x86dd, "ipv6", dissect),
    crate::handoff!(Table::NullFamily, 24, "ipv6", dissect),
    crate::handoff!(Table::NullFamily, 28, "ipv6", dissect),
    crate::handoff!(Table::NullFamily, 30, "ipv6", dissect),
    crate::handoff!(Table::IpProto, 41, "ipv6", dissect),
];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(HEADER_LEN)?;
    let vtf = layer.u32(field::VER_TC_FLOW);
    let plen = layer.u16(field::PLEN) as usize;
    let src: [u8; 16] = layer.array(field::SRC);
    let dst: [u8; 16] = layer.array(field::DST);
    let top = ctx.add_protocol(parent, &IPV6, &layer.limit(HEADER_LEN));
    ctx.cols.set_protocol("IPv6");
    ctx.cols.src = addr::ipv6_string(&src);
    ctx.cols.dst = addr::ipv6_string(&dst);
    ctx.cols.net_addresses = true;
    ctx.net_src = Some(NetAddr::v6(src));
    ctx.net_dst = Some(NetAddr::v6(dst));
    if ctx.tree.enabled() {
        ctx.tree.set_label(top, format!("Internet Protocol Version 6, Src: {}, Dst: {}", addr::ipv6_string(&src), addr::ipv6_string(&dst)));
        ctx.add_uint(top, &IPV6_VERSION, &layer, 0, 1, (vtf >> 28) as u64);
        let tc = ctx.add_uint(top, &IPV6_TCLASS, &layer, 0, 4, ((vtf >> 20) & 0xff) as u64);
        let tcv = ((vtf >> 20) & 0xff) as u8;
        ctx.tree.append_text(tc, &format!(" (DSCP: {}, ECN: {})", vals::dscp_short(tcv >> 2), vals::ecn_short(tcv)));
        ctx.add_uint(tc, &IPV6_TCLASS_DSCP, &layer, 0, 4, (tcv >> 2) as u64);
        ctx.add_uint(tc, &IPV6_TCLASS_ECN, &layer, 0, 4, (tcv & 3) as u64);
        ctx.add_uint(top, &IPV6_FLOW, &layer, 0, 4, (vtf & 0xfffff) as u64);
        ctx.add_uint(top, &IPV6_PLEN, &layer, field::PLEN, 2, plen as u64);
        ctx.add_uint(top, &IPV6_NXT, &layer, field::NXT, 1, layer.u8(field::NXT) as u64);
        ctx.add_uint(top, &IPV6_HLIM, &layer, field::HLIM, 1, layer.u8(field::HLIM) as u64);
        ctx.add(top, &IPV6_SRC, &layer, field::SRC, 16, Value::Ipv6(src));
        let a = ctx.add(top, &IPV6_ADDR, &layer, field::SRC, 16, Value::Ipv6(src));
        ctx.tree.set_hidden(a);
        ctx.add(top, &IPV6_DST, &layer, field::DST, 16, Value::Ipv6(dst));
        let a = ctx.add(top, &IPV6_ADDR, &layer, field::DST, 16, Value::Ipv6(dst));
        ctx.tree.set_hidden(a);
    }
    if vtf >> 28 != 6 {
        return Err(DissectError::Malformed { layer: "IPv6", offset: layer.start, reason: "bogus IP version" });
    }
    // A zero payload length with data after it is a jumbogram or offload: use what is there.
    let plen = if plen == 0 { layer.reported.saturating_sub(HEADER_LEN) } else { plen };
    let packet = layer.limit((HEADER_LEN + plen).min(layer.reported));
    let mut next = layer.u8(field::NXT);
    let mut at = HEADER_LEN;
    loop {
        let ext: &'static FieldDef = match next {
            0 => &IPV6_HOPOPTS,
            43 => &IPV6_ROUTING,
            44 => &IPV6_FRAGHDR,
            60 => &IPV6_DSTOPTS,
            _ => break,
        };
        packet.need(at + 8)?;
        let len = if next == 44 { 8 } else { (packet.u8(at + 1) as usize + 1) * 8 };
        let h = packet.sub(at, ext.abbrev).limit(len);
        let e = ctx.add_protocol(top, ext, &h);
        ctx.add_uint(e, &IPV6_EXT_NXT, &packet, at, 1, packet.u8(at) as u64);
        if next != 44 {
            ctx.add_uint(e, &IPV6_EXT_LEN, &packet, at + 1, 1, packet.u8(at + 1) as u64);
        }
        if next == 44 {
            let off_m = packet.u16(at + 2);
            if off_m & 0xfff8 != 0 || off_m & 1 != 0 {
                ctx.cols.set_info(&format!("IPv6 fragment (off={} more={} ident=0x{:08x} nxt={})", (off_m >> 3) as usize * 8, if off_m & 1 != 0 { "y" } else { "n" }, packet.u32(at + 4), packet.u8(at)));
                crate::proto::data::dissect(ctx, parent, packet.sub(at + 8, "ipv6 fragment"))?;
                return Ok(packet.reported);
            }
        }
        next = packet.u8(at);
        at += len;
    }
    let payload = packet.sub(at, "ipv6 payload");
    dispatch::call_or_data(ctx, Table::IpProto, next as u32, parent, payload)?;
    Ok(packet.reported)
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    /// Ethernet + IPv6 (::1 -> ::1) + a hop-by-hop header + UDP with 2 bytes of payload.
    fn frame() -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0, 0, 18, 0, 64]);
        let mut one = [0u8; 16];
        one[15] = 1;
        f.extend_from_slice(&one);
        f.extend_from_slice(&one);
        f.extend_from_slice(&[17, 0, 1, 4, 0, 0, 0, 0]); // hop-by-hop: next = UDP, PadN
        f.extend_from_slice(&[0x30, 0x39, 0x00, 0x09, 0, 10, 0, 0, b'h', b'i']);
        f
    }

    #[test]
    fn extension_headers_are_walked_to_the_transport() {
        let (cols, protos) = summary_of(1, &frame());
        assert_eq!((cols.src.as_str(), cols.protocol.as_str()), ("::1", "UDP"));
        assert_eq!(cols.info, "12345 \u{2192} 9 Len=2");
        assert_eq!(protos, "eth:ethertype:ipv6:ipv6.hopopts:udp:data");
    }

    #[test]
    fn a_cut_extension_header_does_not_panic() {
        let f = frame();
        for n in 0..f.len() {
            let _ = summary_of(1, &f[..n]);
        }
    }
}
