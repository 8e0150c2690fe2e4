//! `ip`: IPv4 (RFC 791): every header field, the options (in `ip_opt`), and fragments, which are
//! reassembled in the first pass (`analysis::reassembly`) and whose datagram is dissected in the
//! frame that completed it, as Wireshark does.

use crate::addr;
use crate::analysis::reassembly::{self, FragFields, FragKey};
use crate::dispatch::{self, Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, DissectError, Layer, NetAddr};
use crate::proto::{ip_opt, vals};
use crate::stats::taps::Tap;
use crate::tree::{bit_string, Group, Severity, Value};
use std::fmt::Write;

mod field {
    pub const VER_IHL: usize = 0;
    pub const DSFIELD: usize = 1;
    pub const LEN: usize = 2;
    pub const ID: usize = 4;
    pub const FLAGS_FRAG: usize = 6;
    pub const TTL: usize = 8;
    pub const PROTO: usize = 9;
    pub const CHECKSUM: usize = 10;
    pub const SRC: usize = 12;
    pub const DST: usize = 16;
    pub const OPTIONS: usize = 20;
}
const MIN_HEADER_LEN: usize = 20;

pub static IP: FieldDef = FieldDef::protocol("Internet Protocol Version 4", "ip");
pub static IP_VERSION: FieldDef = FieldDef::new("Version", "ip.version", FieldType::Uint8).bits(8, 0xf0);
pub static IP_HDR_LEN: FieldDef = FieldDef::new("Header Length", "ip.hdr_len", FieldType::Uint8).bits(8, 0x0f);
pub static IP_DSFIELD: FieldDef = FieldDef::new("Differentiated Services Field", "ip.dsfield", FieldType::Uint8).base(Base::Hex);
pub static IP_DSCP: FieldDef =
    FieldDef::new("Differentiated Services Codepoint", "ip.dsfield.dscp", FieldType::Uint8).bits(8, 0xfc).strings(vals::DSCP);
pub static IP_ECN: FieldDef =
    FieldDef::new("Explicit Congestion Notification", "ip.dsfield.ecn", FieldType::Uint8).bits(8, 0x03).strings(vals::ECN);
pub static IP_LEN: FieldDef = FieldDef::new("Total Length", "ip.len", FieldType::Uint16);
pub static IP_ID: FieldDef = FieldDef::new("Identification", "ip.id", FieldType::Uint16).base(Base::HexDec);
pub static IP_FLAGS: FieldDef = FieldDef::new("Flags", "ip.flags", FieldType::Uint8).base(Base::Hex).bits(8, 0xe0);
pub static IP_FLAGS_RB: FieldDef = FieldDef::new("Reserved bit", "ip.flags.rb", FieldType::Bool).bits(8, 0x80);
pub static IP_FLAGS_DF: FieldDef = FieldDef::new("Don't fragment", "ip.flags.df", FieldType::Bool).bits(8, 0x40);
pub static IP_FLAGS_MF: FieldDef = FieldDef::new("More fragments", "ip.flags.mf", FieldType::Bool).bits(8, 0x20);
pub static IP_FRAG_OFFSET: FieldDef = FieldDef::new("Fragment Offset", "ip.frag_offset", FieldType::Uint16).bits(16, 0x1fff);
pub static IP_TTL: FieldDef = FieldDef::new("Time to Live", "ip.ttl", FieldType::Uint8);
pub static IP_PROTO: FieldDef = FieldDef::new("Protocol", "ip.proto", FieldType::Uint8).strings(vals::IP_PROTOCOLS);
pub static IP_CHECKSUM: FieldDef = FieldDef::new("Header Checksum", "ip.checksum", FieldType::Uint16).base(Base::Hex);
pub static IP_CHECKSUM_STATUS: FieldDef =
    FieldDef::new("Header checksum status", "ip.checksum.status", FieldType::Uint8).strings(vals::CHECKSUM_STATUS);
pub static IP_SRC: FieldDef = FieldDef::new("Source Address", "ip.src", FieldType::Ipv4);
pub static IP_DST: FieldDef = FieldDef::new("Destination Address", "ip.dst", FieldType::Ipv4);
pub static IP_ADDR: FieldDef = FieldDef::new("Source or Destination Address", "ip.addr", FieldType::Ipv4);
pub static IP_CUR_RT: FieldDef = FieldDef::new("Current Route", "ip.cur_rt", FieldType::Ipv4);
pub static IP_CUR_RT_HOST: FieldDef = FieldDef::new("Current Route Host", "ip.cur_rt_host", FieldType::String);
pub static IP_SRC_HOST: FieldDef = FieldDef::new("Source Host", "ip.src_host", FieldType::String);
pub static IP_DST_HOST: FieldDef = FieldDef::new("Destination Host", "ip.dst_host", FieldType::String);
pub static IP_HOST: FieldDef = FieldDef::new("Source or Destination Host", "ip.host", FieldType::String);
pub static IP_OPTIONS: FieldDef = FieldDef::new("Options", "ip.options", FieldType::Bytes);
pub static IP_FRAGMENT: FieldDef = FieldDef::new("IPv4 Fragment", "ip.fragment", FieldType::FrameNum);
pub static IP_FRAGMENTS: FieldDef = FieldDef::new("IPv4 Fragments", "ip.fragments", FieldType::Bytes);
pub static IP_FRAGMENT_ERROR: FieldDef = FieldDef::new("Defragmentation error", "ip.fragment.error", FieldType::FrameNum);
pub static IP_FRAGMENT_OVERLAP: FieldDef = FieldDef::new("Fragment overlap", "ip.fragment.overlap", FieldType::Bool);
pub static IP_FRAGMENT_OVERLAP_CONFLICT: FieldDef =
    FieldDef::new("Conflicting data in fragment overlap", "ip.fragment.overlap.conflict", FieldType::Bool);
pub static IP_FRAGMENT_MULTIPLE_TAILS: FieldDef =
    FieldDef::new("Multiple tail fragments found", "ip.fragment.multipletails", FieldType::Bool);
pub static IP_FRAGMENT_TOO_LONG: FieldDef = FieldDef::new("Fragment too long", "ip.fragment.toolongfragment", FieldType::Bool);
pub static IP_FRAGMENT_COUNT: FieldDef = FieldDef::new("Fragment count", "ip.fragment.count", FieldType::Uint32);
pub static IP_REASSEMBLED_IN: FieldDef = FieldDef::new("Reassembled IPv4 in frame", "ip.reassembled_in", FieldType::FrameNum);
pub static IP_REASSEMBLED_LENGTH: FieldDef = FieldDef::new("Reassembled IPv4 length", "ip.reassembled.length", FieldType::Uint32);
pub static IP_REASSEMBLED_DATA: FieldDef = FieldDef::new("Reassembled IPv4 data", "ip.reassembled.data", FieldType::Bytes);

pub static TTL_LNCB: FieldDef = FieldDef::new("Time To Live", "ip.ttl.lncb", FieldType::None);
pub static TTL_TOO_SMALL: FieldDef = FieldDef::new("Time To Live", "ip.ttl.too_small", FieldType::None);
pub static BOGUS_IP_LENGTH: FieldDef = FieldDef::new("Bogus IP length", "ip.bogus_ip_length", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &IP, &IP_VERSION, &IP_HDR_LEN, &IP_DSFIELD, &IP_DSCP, &IP_ECN, &IP_LEN, &IP_ID, &IP_FLAGS, &IP_FLAGS_RB, &IP_FLAGS_DF,
    &IP_FLAGS_MF, &IP_FRAG_OFFSET, &IP_TTL, &IP_PROTO, &IP_CHECKSUM, &IP_CHECKSUM_STATUS, &IP_SRC, &IP_DST, &IP_ADDR,
    &IP_CUR_RT, &IP_CUR_RT_HOST,
    &IP_SRC_HOST, &IP_DST_HOST, &IP_HOST, &IP_OPTIONS, &IP_FRAGMENT, &IP_FRAGMENTS, &IP_FRAGMENT_ERROR,
    &IP_FRAGMENT_OVERLAP, &IP_FRAGMENT_OVERLAP_CONFLICT, &IP_FRAGMENT_MULTIPLE_TAILS, &IP_FRAGMENT_TOO_LONG,
    &IP_FRAGMENT_COUNT, &IP_REASSEMBLED_IN, &IP_REASSEMBLED_LENGTH, &IP_REASSEMBLED_DATA, &BOGUS_IP_LENGTH, &TTL_LNCB, &TTL_TOO_SMALL,
];

static FRAG_FIELDS: FragFields = FragFields {
    fragment: &IP_FRAGMENT,
    fragments: &IP_FRAGMENTS,
    error: &IP_FRAGMENT_ERROR,
    overlap: &IP_FRAGMENT_OVERLAP,
    overlap_conflict: &IP_FRAGMENT_OVERLAP_CONFLICT,
    multiple_tails: &IP_FRAGMENT_MULTIPLE_TAILS,
    too_long: &IP_FRAGMENT_TOO_LONG,
    count: &IP_FRAGMENT_COUNT,
    length: &IP_REASSEMBLED_LENGTH,
    data: &IP_REASSEMBLED_DATA,
};

pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::EtherType, 0x0800, "ip", dissect),
    crate::handoff!(Table::NullFamily, 2, "ip", dissect),
    crate::handoff!(Table::IpProto, 4, "ip", dissect),
];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(MIN_HEADER_LEN)?;
    let ver_ihl = layer.u8(field::VER_IHL);
    let hlen = ((ver_ihl & 0x0f) as usize) * 4;
    let total = layer.u16(field::LEN) as usize;
    let src: [u8; 4] = layer.array(field::SRC);
    let hdr_dst: [u8; 4] = layer.array(field::DST);
    // A source route's last address is where the datagram is going (Wireshark's destination).
    let via = ip_opt::source_route_destination(&layer, field::OPTIONS, hlen.min(layer.len));
    let dst = via.unwrap_or(hdr_dst);
    let proto = layer.u8(field::PROTO);
    let flags_frag = layer.u16(field::FLAGS_FRAG);
    // A zero total length is TCP segmentation offload: trust the frame instead.
    let total = if total == 0 { layer.reported } else { total };
    let top = ctx.add_protocol(parent, &IP, &layer.limit(hlen.max(MIN_HEADER_LEN)));
    ctx.cols.set_protocol("IPv4");
    ctx.cols.info.clear();
    ctx.cols.set_net_addresses(|out, is_src| addr::write_ipv4(out, if is_src { src } else { dst }));
    ctx.net_src = Some(NetAddr::v4(src));
    ctx.net_dst = Some(NetAddr::v4(dst));
    let len_node = if ctx.tree.wants_protocol(&["ip"]) { add_header_fields(ctx, top, &layer, hlen, src, hdr_dst, via) } else { crate::tree::NO_NODE };
    if ver_ihl >> 4 != 4 {
        return Err(DissectError::Malformed { layer: "IPv4", offset: layer.start, reason: "bogus IP version" });
    }
    if hlen < MIN_HEADER_LEN {
        return Err(DissectError::Malformed { layer: "IPv4", offset: layer.start, reason: "bogus IP header length" });
    }
    layer.need(hlen)?;
    if ip_opt::malformed(&layer, field::OPTIONS, hlen) {
        return Err(DissectError::Malformed { layer: "IPv4", offset: layer.abs(field::OPTIONS), reason: "IP option too short for its fields" });
    }
    if total < hlen {
        return Err(DissectError::Malformed { layer: "IPv4", offset: layer.abs(field::LEN), reason: "bogus IP length" });
    }
    // Only a header that passed those checks reaches tshark's tap; with a source route, its
    // destination is the route's last address.
    ctx.tap(Tap::Ip { src: NetAddr::v4(src), dst: NetAddr::v4(dst) });
    // A datagram longer than the frame is still dissected as far as it goes (the layer above
    // then ends malformed); inside an ICMP error the quote is short by design and not flagged.
    if total > layer.reported && !crate::proto::quoted::in_error(ctx) {
        let msg = format!("IPv4 total length exceeds packet length ({} bytes)", layer.reported);
        crate::expert::attach(&mut ctx.tree, len_node, &BOGUS_IP_LENGTH, Severity::Error, Group::Protocol, &msg);
    }
    let packet = layer.limit(total.min(layer.reported));
    let payload = packet.sub(hlen, "ip payload");
    let more_fragments = flags_frag & 0x2000 != 0;
    let offset = (flags_frag & 0x1fff) as usize * 8;
    if more_fragments || offset != 0 {
        let f = Fragment { top, proto, id: layer.u16(field::ID), offset, more: more_fragments, src, dst };
        fragment(ctx, parent, &payload, &f)?;
        return Ok(packet.reported);
    }
    // Wireshark hands an empty payload to no one.
    if payload.reported > 0 {
        dispatch::call_or_data(ctx, Table::IpProto, proto as u32, parent, payload)?;
    }
    Ok(packet.reported)
}

struct Fragment {
    top: u32,
    proto: u8,
    id: u16,
    offset: usize,
    more: bool,
    src: [u8; 4],
    dst: [u8; 4],
}

/// A fragment: added to its datagram in the first pass; the frame that completes the datagram
/// dissects it (from a new data source), the others show their bytes as data and, once the
/// datagram is known to be complete (re-dissection), the frame it was reassembled in.
fn fragment(ctx: &mut Ctx, parent: u32, payload: &Layer, f: &Fragment) -> DResult<()> {
    let frame = ctx.meta.number;
    let mut key = FragKey { v6: false, src: [0; 16], dst: [0; 16], id: f.id as u32, proto: f.proto };
    key.src[..4].copy_from_slice(&f.src);
    key.dst[..4].copy_from_slice(&f.dst);
    // Only whole, non-empty fragments take part (Wireshark: tvb_bytes_exist and ip_len > hlen).
    let usable = payload.reported > 0 && payload.len == payload.reported;
    let datagram = if !usable {
        None
    } else if ctx.revisit {
        ctx.state.frags.lookup(frame, false)
    } else {
        ctx.state.frags.add(key, frame, f.offset as u32, payload.bytes(), f.more)
    };
    let reassembled_in = datagram.map(|d| d.frame);
    if let Some(d) = datagram.filter(|d| d.frame == frame) {
        // A copy: the datagram stays in the session's state while its payload is dissected.
        let d = d.clone();
        let previous = ctx.tree.enter_source("Reassembled IPv4", &d.data);
        if reassembly::add_fragment_tree(ctx, f.top, &FRAG_FIELDS, &d) {
            ctx.cols.set_info("[Illegal IPv4 fragments]");
        }
        let whole = Layer::new(&d.data, 0, d.data.len(), "reassembled ip payload");
        let r = dispatch::call_or_data(ctx, Table::IpProto, f.proto as u32, parent, whole);
        ctx.tree.leave_source(previous);
        return r.map(|_| ());
    }
    let name = vals::IP_PROTOCOLS.iter().find(|(v, _)| *v == f.proto as u64).map(|(_, s)| *s).unwrap_or("Unknown");
    ctx.cols.info.clear();
    let _ = write!(ctx.cols.info, "Fragmented IP protocol (proto={} {}, off={}, ID={:04x})", name, f.proto, f.offset, f.id);
    if let Some(n) = reassembled_in {
        let _ = write!(ctx.cols.info, " [Reassembled in #{}]", n);
        let r = ctx.tree.add_generated(f.top, &IP_REASSEMBLED_IN, Value::Uint(n as u64));
        crate::set_label!(ctx.tree, r, "[Reassembled IPv4 in frame: {}]", n);
    }
    crate::proto::data::dissect(ctx, parent, *payload).map(|_| ())
}

/// The header's fields; returns the Total Length node (for an expert item about it).
/// `via` is a source route's final destination, which then replaces the header's destination.
fn add_header_fields(ctx: &mut Ctx, top: u32, layer: &Layer, hlen: usize, src: [u8; 4], dst: [u8; 4], via: Option<[u8; 4]>) -> u32 {
    let ver_ihl = layer.u8(field::VER_IHL);
    let ds = layer.u8(field::DSFIELD);
    let flags_frag = layer.u16(field::FLAGS_FRAG);
    if ctx.tree.wants_label(top) {
        let label = match via {
            Some(v) => format!("Internet Protocol Version 4, Src: {}, Dst: {}, Via: {}", addr::ipv4_string(src), addr::ipv4_string(v), addr::ipv4_string(dst)),
            None => format!("Internet Protocol Version 4, Src: {}, Dst: {}", addr::ipv4_string(src), addr::ipv4_string(dst)),
        };
        ctx.tree.set_label(top, label);
    }
    ctx.add_uint(top, &IP_VERSION, layer, field::VER_IHL, 1, (ver_ihl >> 4) as u64);
    let h = ctx.add_uint(top, &IP_HDR_LEN, layer, field::VER_IHL, 1, hlen as u64);
    crate::set_label!(ctx.tree, h, ".... {:04b} = Header Length: {} bytes ({})", ver_ihl & 0x0f, hlen, ver_ihl & 0x0f);
    let d = ctx.add_uint(top, &IP_DSFIELD, layer, field::DSFIELD, 1, ds as u64);
    crate::append_label!(ctx.tree, d, " (DSCP: {}, ECN: {})", vals::dscp_short(ds >> 2), vals::ecn_short(ds));
    ctx.add_uint(d, &IP_DSCP, layer, field::DSFIELD, 1, (ds >> 2) as u64);
    ctx.add_uint(d, &IP_ECN, layer, field::DSFIELD, 1, (ds & 3) as u64);
    let len_node = ctx.add_uint(top, &IP_LEN, layer, field::LEN, 2, layer.u16(field::LEN) as u64);
    ctx.add_uint(top, &IP_ID, layer, field::ID, 2, layer.u16(field::ID) as u64);
    let flags = (flags_frag >> 13) as u64;
    let f = ctx.add_uint(top, &IP_FLAGS, layer, field::FLAGS_FRAG, 1, flags);
    let mut names = Vec::new();
    if flags & 4 != 0 {
        names.push("Reserved");
    }
    if flags & 2 != 0 {
        names.push("Don't fragment");
    }
    if flags & 1 != 0 {
        names.push("More fragments");
    }
    if !names.is_empty() {
        crate::append_label!(ctx.tree, f, ", {}", names.join(", "));
    }
    ctx.add(f, &IP_FLAGS_RB, layer, field::FLAGS_FRAG, 1, Value::Bool(flags & 4 != 0));
    ctx.add(f, &IP_FLAGS_DF, layer, field::FLAGS_FRAG, 1, Value::Bool(flags & 2 != 0));
    ctx.add(f, &IP_FLAGS_MF, layer, field::FLAGS_FRAG, 1, Value::Bool(flags & 1 != 0));
    let fo = ctx.add_uint(top, &IP_FRAG_OFFSET, layer, field::FLAGS_FRAG, 2, (flags_frag & 0x1fff) as u64);
    crate::set_label!(ctx.tree, fo, "{} = Fragment Offset: {}", bit_string(16, 0x1fff, flags_frag as u64), (flags_frag & 0x1fff) as u64 * 8);
    let ttl = layer.u8(field::TTL);
    let t = ctx.add_uint(top, &IP_TTL, layer, field::TTL, 1, ttl as u64);
    ttl_expert(ctx, t, ttl, via.unwrap_or(dst), layer.u8(field::PROTO));
    ctx.add_uint(top, &IP_PROTO, layer, field::PROTO, 1, layer.u8(field::PROTO) as u64);
    let c = ctx.add_uint(top, &IP_CHECKSUM, layer, field::CHECKSUM, 2, layer.u16(field::CHECKSUM) as u64);
    ctx.tree.append_text(c, " [validation disabled]");
    let cs = ctx.tree.add_generated(top, &IP_CHECKSUM_STATUS, Value::Uint(2));
    crate::set_label!(ctx.tree, cs, "[Header checksum status: Unverified]");
    // Each address with its hidden address-neutral and host twins, in Wireshark's order.
    let header_dst: [(&'static FieldDef, bool); 4] = match via {
        Some(_) => [(&IP_CUR_RT, false), (&IP_CUR_RT_HOST, true), (&IP_CUR_RT_HOST, true), (&IP_CUR_RT_HOST, true)],
        None => [(&IP_DST, false), (&IP_ADDR, false), (&IP_DST_HOST, true), (&IP_HOST, true)],
    };
    let src_fields: [(&'static FieldDef, bool); 4] = [(&IP_SRC, false), (&IP_ADDR, false), (&IP_SRC_HOST, true), (&IP_HOST, true)];
    for (at, a, fields) in [(field::SRC, src, src_fields), (field::DST, dst, header_dst)] {
        for (i, (f, host)) in fields.iter().enumerate() {
            if i > 0 && std::ptr::eq(*f, fields[i - 1].0) {
                continue;
            }
            if !ctx.tree.wants(f) {
                continue;
            }
            let v = if *host { Value::Str(addr::ipv4_string(a)) } else { Value::Ipv4(a) };
            let n = ctx.add(top, f, layer, at, 4, v);
            if i > 0 {
                ctx.tree.set_hidden(n);
            }
        }
    }
    if hlen > MIN_HEADER_LEN {
        let end = hlen.min(layer.len);
        let o = ctx.add(top, &IP_OPTIONS, layer, field::OPTIONS, hlen - MIN_HEADER_LEN, Value::Bytes);
        let names = ip_opt::summary(layer, field::OPTIONS, end);
        crate::set_label!(ctx.tree, o, "Options: ({} bytes){}", hlen - MIN_HEADER_LEN, names);
        ip_opt::dissect(ctx, o, layer, field::OPTIONS, end);
    }
    len_node
}

/// Wireshark's TTL notes: the Local Network Control Block (224.0.0.0/24) wants TTL 1 (255 for
/// VRRP, GLBP and mDNS; anything for LLMNR); other unicast traffic under 5 hops gets a note
/// (not PIM or OSPF).
fn ttl_expert(ctx: &mut Ctx, item: u32, ttl: u8, dst: [u8; 4], proto: u8) {
    let d = u32::from_be_bytes(dst);
    if d & 0xffff_ff00 == 0xe000_0000 {
        let want: Option<u8> = match d {
            0xe000_0012 | 0xe000_0066 | 0xe000_00fb => Some(255),
            0xe000_00fc => None,
            _ => Some(1),
        };
        if let Some(want) = want.filter(|w| *w != ttl) {
            let msg = format!("\"Time To Live\" != {} for a packet sent to the Local Network Control Block (see RFC 3171)", want);
            crate::expert::attach(&mut ctx.tree, item, &TTL_LNCB, Severity::Note, Group::Sequence, &msg);
        }
    } else if d & 0xf000_0000 != 0xe000_0000 && ttl < 5 && proto != 103 && proto != 89 {
        crate::expert::attach(&mut ctx.tree, item, &TTL_TOO_SMALL, Severity::Note, Group::Sequence, &format!("\"Time To Live\" only {}", ttl));
    }
}

#[cfg(test)]
mod tests {
    use crate::proto::tcp::tests::SYN;
    use crate::session::tests::summary_of;

    #[test]
    fn addresses_and_hand_off_to_tcp() {
        let (cols, protos) = summary_of(1, &SYN);
        assert_eq!((cols.src.as_str(), cols.dst.as_str()), ("127.0.0.1", "127.0.0.1"));
        assert_eq!(protos, "eth:ethertype:ip:tcp");
    }

    #[test]
    fn fragments_are_named_not_handed_up() {
        let mut f = SYN;
        f[20] = 0x20; // more fragments
        let (cols, protos) = summary_of(1, &f);
        assert_eq!(cols.protocol, "IPv4");
        assert_eq!(cols.info, "Fragmented IP protocol (proto=TCP 6, off=0, ID=1234)");
        assert_eq!(protos, "eth:ethertype:ip:data");
    }

    #[test]
    fn bad_version_and_header_length_are_malformed() {
        let mut f = SYN;
        f[14] = 0x55;
        assert!(summary_of(1, &f).0.info.ends_with("[Malformed Packet]"));
        let mut f = SYN;
        f[14] = 0x43;
        assert!(summary_of(1, &f).0.info.ends_with("[Malformed Packet]"));
    }
}
