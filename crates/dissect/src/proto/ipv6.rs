//! `ipv6`: IPv6 (RFC 8200) and the walk over its extension headers (`ipv6_ext`). Fragments are
//! reassembled in the first pass (`analysis::reassembly`, shared with IPv4) and the datagram is
//! dissected in the frame that completed it, as Wireshark does.

use crate::addr;
use crate::analysis::reassembly::{self, FragFields, FragKey};
use crate::dispatch::{self, Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, DissectError, Layer, NetAddr};
use crate::proto::{ipv6_ext, vals};
use crate::stats::taps::Tap;
use crate::tree::Value;
use std::fmt::Write;
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
pub static IPV6_FLOW: FieldDef = FieldDef::new("Flow Label", "ipv6.flow", FieldType::Uint24).base(Base::Hex).bits(24, 0x0f_ffff);
pub static IPV6_PLEN: FieldDef = FieldDef::new("Payload Length", "ipv6.plen", FieldType::Uint16);
pub static IPV6_NXT: FieldDef = FieldDef::new("Next Header", "ipv6.nxt", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static IPV6_HLIM: FieldDef = FieldDef::new("Hop Limit", "ipv6.hlim", FieldType::Uint8);
pub static IPV6_SRC: FieldDef = FieldDef::new("Source Address", "ipv6.src", FieldType::Ipv6);
pub static IPV6_DST: FieldDef = FieldDef::new("Destination Address", "ipv6.dst", FieldType::Ipv6);
pub static IPV6_ADDR: FieldDef = FieldDef::new("Source or Destination Address", "ipv6.addr", FieldType::Ipv6);
pub static IPV6_SRC_HOST: FieldDef = FieldDef::new("Source Host", "ipv6.src_host", FieldType::String);
pub static IPV6_DST_HOST: FieldDef = FieldDef::new("Destination Host", "ipv6.dst_host", FieldType::String);
pub static IPV6_HOST: FieldDef = FieldDef::new("Source or Destination Host", "ipv6.host", FieldType::String);
pub static IPV6_SRC_SLAAC_MAC: FieldDef = FieldDef::new("Source SLAAC MAC", "ipv6.src_slaac_mac", FieldType::Ether);
pub static IPV6_DST_SLAAC_MAC: FieldDef = FieldDef::new("Destination SLAAC MAC", "ipv6.dst_slaac_mac", FieldType::Ether);
pub static IPV6_SLAAC_MAC: FieldDef = FieldDef::new("SLAAC MAC", "ipv6.slaac_mac", FieldType::Ether);
pub static IPV6_FRAGMENT: FieldDef = FieldDef::new("IPv6 Fragment", "ipv6.fragment", FieldType::FrameNum);
pub static IPV6_FRAGMENTS: FieldDef = FieldDef::new("IPv6 Fragments", "ipv6.fragments", FieldType::Bytes);
pub static IPV6_FRAGMENT_ERROR: FieldDef = FieldDef::new("Defragmentation error", "ipv6.fragment.error", FieldType::FrameNum);
pub static IPV6_FRAGMENT_OVERLAP: FieldDef = FieldDef::new("Fragment overlap", "ipv6.fragment.overlap", FieldType::Bool);
pub static IPV6_FRAGMENT_OVERLAP_CONFLICT: FieldDef =
    FieldDef::new("Conflicting data in fragment overlap", "ipv6.fragment.overlap.conflict", FieldType::Bool);
pub static IPV6_FRAGMENT_MULTIPLE_TAILS: FieldDef =
    FieldDef::new("Multiple tail fragments found", "ipv6.fragment.multipletails", FieldType::Bool);
pub static IPV6_FRAGMENT_TOO_LONG: FieldDef =
    FieldDef::new("Fragment too long", "ipv6.fragment.toolongfragment", FieldType::Bool);
pub static IPV6_FRAGMENT_COUNT: FieldDef = FieldDef::new("Fragment count", "ipv6.fragment.count", FieldType::Uint32);
pub static IPV6_REASSEMBLED_IN: FieldDef = FieldDef::new("Reassembled IPv6 in frame", "ipv6.reassembled.in", FieldType::FrameNum);
pub static IPV6_REASSEMBLED_LENGTH: FieldDef =
    FieldDef::new("Reassembled IPv6 length", "ipv6.reassembled.length", FieldType::Uint32);
pub static IPV6_REASSEMBLED_DATA: FieldDef = FieldDef::new("Reassembled IPv6 data", "ipv6.reassembled.data", FieldType::Bytes);
/// The hidden `ip.version` Wireshark adds so that `ip.version == 6` matches IPv6 too.
pub static IP_VERSION_6: FieldDef = FieldDef::new("Version", "ip.version", FieldType::Uint8).bits(8, 0xf0);

pub static FIELDS: &[&FieldDef] = &[
    &IPV6, &IPV6_VERSION, &IPV6_TCLASS, &IPV6_TCLASS_DSCP, &IPV6_TCLASS_ECN, &IPV6_FLOW, &IPV6_PLEN, &IPV6_NXT,
    &IPV6_HLIM, &IPV6_SRC, &IPV6_DST, &IPV6_ADDR, &IPV6_SRC_HOST, &IPV6_DST_HOST, &IPV6_HOST, &IPV6_SRC_SLAAC_MAC,
    &IPV6_DST_SLAAC_MAC, &IPV6_SLAAC_MAC, &IPV6_FRAGMENT, &IPV6_FRAGMENTS, &IPV6_FRAGMENT_ERROR, &IPV6_FRAGMENT_OVERLAP,
    &IPV6_FRAGMENT_OVERLAP_CONFLICT, &IPV6_FRAGMENT_MULTIPLE_TAILS, &IPV6_FRAGMENT_TOO_LONG, &IPV6_FRAGMENT_COUNT,
    &IPV6_REASSEMBLED_IN, &IPV6_REASSEMBLED_LENGTH, &IPV6_REASSEMBLED_DATA,
];

static FRAG_FIELDS: FragFields = FragFields {
    fragment: &IPV6_FRAGMENT,
    fragments: &IPV6_FRAGMENTS,
    error: &IPV6_FRAGMENT_ERROR,
    overlap: &IPV6_FRAGMENT_OVERLAP,
    overlap_conflict: &IPV6_FRAGMENT_OVERLAP_CONFLICT,
    multiple_tails: &IPV6_FRAGMENT_MULTIPLE_TAILS,
    too_long: &IPV6_FRAGMENT_TOO_LONG,
    count: &IPV6_FRAGMENT_COUNT,
    length: &IPV6_REASSEMBLED_LENGTH,
    data: &IPV6_REASSEMBLED_DATA,
};

pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::EtherType, 0x86dd, "ipv6", dissect),
    crate::handoff!(Table::NullFamily, 24, "ipv6", dissect),
    crate::handoff!(Table::NullFamily, 28, "ipv6", dissect),
    crate::handoff!(Table::NullFamily, 30, "ipv6", dissect),
    crate::handoff!(Table::IpProto, 41, "ipv6", dissect),
];

/// The MAC address a stateless autoconfigured (EUI-64) interface identifier was made from, as
/// Wireshark shows it: for addresses that are neither link-local nor multicast.
fn slaac_mac(a: &[u8; 16]) -> Option<[u8; 6]> {
    let link_local = a[0] == 0xfe && a[1] & 0xc0 == 0x80;
    if link_local || a[0] == 0xff || a[11] != 0xff || a[12] != 0xfe {
        return None;
    }
    Some([a[8] ^ 0x02, a[9], a[10], a[13], a[14], a[15]])
}

fn add_addresses(ctx: &mut Ctx, top: u32, layer: &Layer, src: [u8; 16], dst: [u8; 16]) {
    for (at, a, f, host) in [(field::SRC, src, &IPV6_SRC, &IPV6_SRC_HOST), (field::DST, dst, &IPV6_DST, &IPV6_DST_HOST)] {
        ctx.add(top, f, layer, at, 16, Value::Ipv6(a));
        for (hf, as_text) in [(&IPV6_ADDR, false), (host, true), (&IPV6_HOST, true)] {
            if !ctx.tree.wants(hf) {
                continue;
            }
            let v = if as_text { Value::Str(addr::ipv6_string(&a)) } else { Value::Ipv6(a) };
            let n = ctx.add(top, hf, layer, at, 16, v);
            ctx.tree.set_hidden(n);
        }
    }
    for (at, a, f) in [(field::SRC, src, &IPV6_SRC_SLAAC_MAC), (field::DST, dst, &IPV6_DST_SLAAC_MAC)] {
        if let Some(mac) = slaac_mac(&a) {
            let g = ctx.add(top, f, layer, at + 8, 8, Value::Ether(mac));
            if let Some(node) = ctx.tree.node_mut(g) {
                node.generated = true;
            }
            let n = ctx.add(top, &IPV6_SLAAC_MAC, layer, at + 8, 8, Value::Ether(mac));
            ctx.tree.set_hidden(n);
        }
    }
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(HEADER_LEN)?;
    let vtf = layer.u32(field::VER_TC_FLOW);
    let plen = layer.u16(field::PLEN) as usize;
    let src: [u8; 16] = layer.array(field::SRC);
    let dst: [u8; 16] = layer.array(field::DST);
    let top = ctx.add_protocol(parent, &IPV6, &layer.limit(HEADER_LEN));
    ctx.cols.set_protocol("IPv6");
    ctx.cols.info.clear();
    ctx.cols.set_net_addresses(|out, is_src| addr::write_ipv6(out, if is_src { &src } else { &dst }));
    ctx.net_src = Some(NetAddr::v6(src));
    ctx.net_dst = Some(NetAddr::v6(dst));
    ctx.tap(Tap::Ip { src: NetAddr::v6(src), dst: NetAddr::v6(dst) });
    if ctx.tree.wants_protocol(&["ipv6", "ip"]) {
        crate::set_label!(ctx.tree, top, "Internet Protocol Version 6, Src: {}, Dst: {}", addr::ipv6_string(&src), addr::ipv6_string(&dst));
        ctx.add_uint(top, &IPV6_VERSION, &layer, 0, 1, (vtf >> 28) as u64);
        let v = ctx.add_uint(top, &IP_VERSION_6, &layer, 0, 1, (vtf >> 28) as u64);
        ctx.tree.append_text(v, " [This field makes the filter match on \"ip.version == 6\" possible]");
        ctx.tree.set_hidden(v);
        let tc = ctx.add_uint(top, &IPV6_TCLASS, &layer, 0, 4, ((vtf >> 20) & 0xff) as u64);
        let tcv = ((vtf >> 20) & 0xff) as u8;
        crate::append_label!(ctx.tree, tc, " (DSCP: {}, ECN: {})", vals::dscp_short(tcv >> 2), vals::ecn_short(tcv));
        ctx.add_uint(tc, &IPV6_TCLASS_DSCP, &layer, 0, 4, (tcv >> 2) as u64);
        ctx.add_uint(tc, &IPV6_TCLASS_ECN, &layer, 0, 4, (tcv & 3) as u64);
        ctx.add_uint(top, &IPV6_FLOW, &layer, 1, 3, (vtf & 0xfffff) as u64);
        ctx.add_uint(top, &IPV6_PLEN, &layer, field::PLEN, 2, plen as u64);
        ctx.add_uint(top, &IPV6_NXT, &layer, field::NXT, 1, layer.u8(field::NXT) as u64);
        ctx.add_uint(top, &IPV6_HLIM, &layer, field::HLIM, 1, layer.u8(field::HLIM) as u64);
        add_addresses(ctx, top, &layer, src, dst);
    }
    if vtf >> 28 != 6 {
        return Err(DissectError::Malformed { layer: "IPv6", offset: layer.start, reason: "bogus IP version" });
    }
    // A zero payload length with data after it is a jumbogram or offload: use what is there.
    let plen = if plen == 0 { layer.reported.saturating_sub(HEADER_LEN) } else { plen };
    let packet = layer.limit((HEADER_LEN + plen).min(layer.reported));
    let mut next = layer.u8(field::NXT);
    let mut at = HEADER_LEN;
    // Each header is at least 8 bytes, so the walk ends with the datagram.
    while matches!(next, ipv6_ext::HOPOPTS | ipv6_ext::ROUTING | ipv6_ext::FRAGMENT | ipv6_ext::DSTOPTS) {
        packet.need(at + 8)?;
        let kind = next;
        packet.need(at + ipv6_ext::header_len(&packet, kind, at))?;
        let ext = ipv6_ext::dissect(ctx, top, &packet, kind, at);
        if let Some(final_dst) = ext.final_dst {
            ctx.cols.dst = addr::ipv6_string(&final_dst);
            ctx.net_dst = Some(NetAddr::v6(final_dst));
        }
        let header_at = at;
        at += ext.len;
        next = ext.next;
        ctx.tree.set_len(top, at);
        if kind == ipv6_ext::FRAGMENT {
            let off_m = packet.u16(header_at + 2);
            if off_m & 0xfff8 != 0 || off_m & 1 != 0 {
                let f = Fragment { top, next, id: packet.u32(header_at + 4), offset: (off_m >> 3) as usize * 8, more: off_m & 1 != 0, src, dst };
                fragment(ctx, parent, &packet.sub(at, "ipv6 fragment"), &f)?;
                return Ok(packet.reported);
            }
        }
    }
    let payload = packet.sub(at, "ipv6 payload");
    dispatch::call_or_data(ctx, Table::IpProto, next as u32, parent, payload)?;
    Ok(packet.reported)
}

struct Fragment {
    top: u32,
    next: u8,
    id: u32,
    offset: usize,
    more: bool,
    src: [u8; 16],
    dst: [u8; 16],
}

/// A fragment: added to its datagram in the first pass; the frame that completes the datagram
/// dissects it (from a new data source), the others show their bytes as data and, once known
/// (re-dissection), the frame it was reassembled in.
fn fragment(ctx: &mut Ctx, parent: u32, payload: &Layer, f: &Fragment) -> DResult<()> {
    let frame = ctx.meta.number;
    let key = FragKey { v6: true, src: f.src, dst: f.dst, id: f.id, proto: 0 };
    let usable = payload.reported > 0 && payload.len == payload.reported;
    let datagram = if !usable {
        None
    } else if ctx.revisit {
        ctx.state.frags.lookup(frame, true)
    } else {
        ctx.state.frags.add(key, frame, f.offset as u32, payload.bytes(), f.more)
    };
    let reassembled_in = datagram.map(|d| d.frame);
    if let Some(d) = datagram.filter(|d| d.frame == frame) {
        // A copy: the datagram stays in the session's state while its payload is dissected.
        let d = d.clone();
        let previous = ctx.tree.enter_source("Reassembled IPv6", &d.data);
        if reassembly::add_fragment_tree(ctx, f.top, &FRAG_FIELDS, &d) {
            ctx.cols.set_info("[Illegal IPv6 fragments]");
        }
        let whole = Layer::new(&d.data, 0, d.data.len(), "reassembled ipv6 payload");
        let r = dispatch::call_or_data(ctx, Table::IpProto, f.next as u32, parent, whole);
        ctx.tree.leave_source(previous);
        return r.map(|_| ());
    }
    ctx.cols.info.clear();
    let _ = write!(
        ctx.cols.info,
        "IPv6 fragment (off={} more={} ident=0x{:08x} nxt={})",
        f.offset,
        if f.more { "y" } else { "n" },
        f.id,
        f.next
    );
    if let Some(n) = reassembled_in {
        let r = ctx.tree.add_generated(f.top, &IPV6_REASSEMBLED_IN, Value::Uint(n as u64));
        crate::set_label!(ctx.tree, r, "[Reassembled IPv6 in frame: {}]", n);
    }
    crate::proto::data::dissect(ctx, parent, *payload).map(|_| ())
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
        f.extend_from_slice(&[0x30, 0x39, 0x00, 0x09, 0, 10, 0x12, 0x34, b'h', b'i']); // checksum 0 is illegal over IPv6
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
