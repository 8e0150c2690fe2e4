//! `udp`: UDP (RFC 768) and the hand-off of its payload by port.

use crate::dispatch::{self, Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, DissectError, Layer, NetAddr};
use crate::stats::taps::{Tap, UdpTap};
use crate::proto::quoted;
use crate::tree::{Group, Severity, Value};
use crate::text;

mod field {
    pub const SRC_PORT: usize = 0;
    pub const DST_PORT: usize = 2;
    pub const LENGTH: usize = 4;
    pub const CHECKSUM: usize = 6;
}
const HEADER_LEN: usize = 8;

pub static UDP: FieldDef = FieldDef::protocol("User Datagram Protocol", "udp");
pub static SRCPORT: FieldDef = FieldDef::new("Source Port", "udp.srcport", FieldType::Uint16);
pub static DSTPORT: FieldDef = FieldDef::new("Destination Port", "udp.dstport", FieldType::Uint16);
pub static PORT: FieldDef = FieldDef::new("Source or Destination Port", "udp.port", FieldType::Uint16);
pub static LENGTH: FieldDef = FieldDef::new("Length", "udp.length", FieldType::Uint16);
pub static CHECKSUM: FieldDef = FieldDef::new("Checksum", "udp.checksum", FieldType::Uint16).base(Base::Hex);
pub static CHECKSUM_STATUS: FieldDef =
    FieldDef::new("Checksum Status", "udp.checksum.status", FieldType::Uint8).strings(crate::proto::vals::CHECKSUM_STATUS);
/// The expert item of a zero checksum where one is required (Wireshark's ei_udp_checksum_zero).
pub static CHECKSUM_ZERO: FieldDef = FieldDef::new("Illegal checksum value (0)", "udp.checksum.zero", FieldType::None);
pub static STREAM: FieldDef = FieldDef::new("Stream index", "udp.stream", FieldType::Uint32);
pub static PAYLOAD: FieldDef = FieldDef::new("Payload", "udp.payload", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] =
    &[&UDP, &SRCPORT, &DSTPORT, &PORT, &LENGTH, &CHECKSUM, &CHECKSUM_STATUS, &CHECKSUM_ZERO, &STREAM, &PAYLOAD];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::IpProto, 17, "udp", dissect)];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(HEADER_LEN)?;
    let sport = layer.u16(field::SRC_PORT);
    let dport = layer.u16(field::DST_PORT);
    let length = layer.u16(field::LENGTH) as usize;
    let ordinal = ctx.udp_layers;
    ctx.udp_layers += 1;
    let stream = if ctx.scope.skip_udp_flows {
        0
    } else if ctx.revisit {
        ctx.state.udp.stored(ctx.meta.number, ordinal).unwrap_or(0)
    } else {
        match (ctx.net_src, ctx.net_dst) {
            (Some(s), Some(d)) => ctx.state.udp.assign(ctx.meta.number, s, sport, d, dport),
            _ => 0,
        }
    };
    ctx.cols.set_protocol("UDP");
    ctx.cols.info.clear();
    if !ctx.cols.off {
        let info = &mut ctx.cols.info;
        text::push_uint(info, sport as u64);
        info.push_str(" \u{2192} ");
        text::push_uint(info, dport as u64);
        info.push_str(" Len=");
        text::push_uint(info, length.saturating_sub(HEADER_LEN) as u64);
    }
    let top = ctx.add_protocol(parent, &UDP, &layer.limit(HEADER_LEN));
    // A zero checksum means "none" over IPv4 (and in a quoted packet); over IPv6 it is illegal.
    let checksum = layer.u16(field::CHECKSUM);
    let zero = match checksum {
        0 if ctx.net_src.map_or(false, |a| !a.v6) || quoted::in_error(ctx) => Some(true),
        0 => Some(false),
        _ => None,
    };
    if zero == Some(false) && !ctx.cols.off {
        ctx.cols.info.push_str(" [ILLEGAL CHECKSUM (0)]");
    }
    if length >= HEADER_LEN {
        let (src, dst) = (NetAddr::default(), NetAddr::default());
        ctx.tap(Tap::Udp(UdpTap { src, dst, sport, dport, stream, length: length as u16, payload: &[] }));
    }
    if ctx.tree.wants_protocol(&["udp"]) {
        crate::set_label!(ctx.tree, top, "User Datagram Protocol, Src Port: {}, Dst Port: {}", sport, dport);
        ctx.add_uint(top, &SRCPORT, &layer, field::SRC_PORT, 2, sport as u64);
        ctx.add_uint(top, &DSTPORT, &layer, field::DST_PORT, 2, dport as u64);
        for (at, p) in [(field::SRC_PORT, sport), (field::DST_PORT, dport)] {
            let n = ctx.add_uint(top, &PORT, &layer, at, 2, p as u64);
            ctx.tree.set_hidden(n);
        }
        ctx.add_uint(top, &LENGTH, &layer, field::LENGTH, 2, length as u64);
        let c = ctx.add_uint(top, &CHECKSUM, &layer, field::CHECKSUM, 2, checksum as u64);
        // Status values of proto_checksum_enum_e: 2 unverified, 3 not present, 4 illegal.
        let (note, status_parent, status) = match zero {
            Some(true) => (" [zero-value ignored]", c, 3),
            Some(false) => (" [zero-value illegal]", c, 4),
            None => (" [unverified]", top, 2),
        };
        ctx.tree.append_text(c, note);
        if zero == Some(false) {
            crate::expert::add(ctx.tree, c, &CHECKSUM_ZERO, Severity::Error, Group::Checksum, CHECKSUM_ZERO.name);
        }
        let cs = ctx.tree.add_generated(status_parent, &CHECKSUM_STATUS, Value::Uint(status));
        crate::set_label!(ctx.tree, cs, "[Checksum Status: {}]", CHECKSUM_STATUS.value_name(status).unwrap_or(""));
        ctx.tree.add_generated(top, &STREAM, Value::Uint(stream as u64));
    }
    if length < HEADER_LEN || length > layer.reported {
        return Err(DissectError::Malformed { layer: "UDP", offset: layer.abs(field::LENGTH), reason: "bad UDP length" });
    }
    let payload = layer.limit(length).sub(HEADER_LEN, "udp payload");
    if payload.reported == 0 {
        return Ok(length);
    }
    if ctx.tree.wants_protocol(&["udp"]) {
        let p = ctx.add(top, &PAYLOAD, &layer, HEADER_LEN, payload.len, Value::Bytes);
        crate::set_label!(ctx.tree, p, "UDP payload ({} byte{})", payload.reported, if payload.reported == 1 { "" } else { "s" });
    }
    if ctx.scope.transport_only {
        return Ok(length);
    }
    dispatch::call_ports(ctx, Table::UdpPort, Table::UdpHeuristic, sport, dport, payload).map(|_| length)
}

#[cfg(test)]
mod tests {
    use crate::packet::FrameMeta;
    use crate::session::tests::summary_of;
    use crate::session::Session;

    /// A zero checksum is "none" over IPv4 and illegal over IPv6 (Info, tree and expert as
    /// tshark 4.0.17 shows them).
    #[test]
    fn zero_checksums() {
        let udp = [0x9c, 0x40, 0x27, 0x0f, 0, 12, 0, 0, b'a', b'b', b'c', b'd'];
        let mut v4 = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00, 0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
        v4.extend_from_slice(&udp);
        let mut v6 = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 12, 17, 64];
        v6.extend_from_slice(&[0; 15]);
        v6.push(1);
        v6.extend_from_slice(&[0; 15]);
        v6.push(2);
        v6.extend_from_slice(&udp);
        let verbose = |f: &[u8]| {
            let mut s = Session::new();
            s.configure("mode verbose\n").unwrap();
            s.ingest_and_print(FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() }, f);
            std::mem::take(&mut s.out)
        };
        assert_eq!(summary_of(1, &v4).0.info, "40000 \u{2192} 9999 Len=4");
        assert!(verbose(&v4).contains("    Checksum: 0x0000 [zero-value ignored]\n        [Checksum Status: Not present]\n"));
        assert_eq!(summary_of(1, &v6).0.info, "40000 \u{2192} 9999 Len=4 [ILLEGAL CHECKSUM (0)]");
        assert!(verbose(&v6).contains(
            "    Checksum: 0x0000 [zero-value illegal]\n        [Expert Info (Error/Checksum): Illegal checksum value (0)]\n            [Illegal checksum value (0)]\n            [Severity level: Error]\n            [Group: Checksum]\n        [Checksum Status: Illegal]\n"
        ));
        // -T fields shows an expert item without the tree's brackets.
        let mut s = Session::new();
        s.configure("mode fields\nfield _ws.expert\nfield udp.checksum.status\nfield udp.checksum.zero\n").unwrap();
        s.ingest_and_print(FrameMeta { linktype: 1, caplen: v6.len() as u32, origlen: v6.len() as u32, ts_digits: 6, ..Default::default() }, &v6);
        assert_eq!(s.out, "Expert Info (Error/Checksum): Illegal checksum value (0)\t4\t1\n");
    }

    #[test]
    fn datagram_info_and_bad_length() {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        f.extend_from_slice(&[0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend_from_slice(&[0xd4, 0x31, 0x30, 0x39, 0, 12, 0, 0, b'p', b'i', b'n', b'g']);
        let (cols, protos) = summary_of(1, &f);
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("UDP", "54321 \u{2192} 12345 Len=4"));
        assert_eq!(protos, "eth:ethertype:ip:udp:data");
        f[39] = 200; // UDP length beyond the datagram
        let (cols, _) = summary_of(1, &f);
        assert!(cols.info.ends_with("[Malformed Packet]"), "{}", cols.info);
    }
}
