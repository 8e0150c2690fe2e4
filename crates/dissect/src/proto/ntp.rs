//! `ntp`: NTP (RFC 5905) time packets: flags, stratum, poll, precision, root delay and
//! dispersion, reference ID and the four timestamps, then an optional key ID and MAC.
//! Control (mode 6) and private (mode 7) messages are named but not decoded further.

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::tree::Value;
use std::fmt::Write;

mod field {
    pub const FLAGS: usize = 0;
    pub const STRATUM: usize = 1;
    pub const PPOLL: usize = 2;
    pub const PRECISION: usize = 3;
    pub const ROOT_DELAY: usize = 4;
    pub const ROOT_DISPERSION: usize = 8;
    pub const REFID: usize = 12;
    pub const REFTIME: usize = 16;
    pub const ORG: usize = 24;
    pub const REC: usize = 32;
    pub const XMT: usize = 40;
    pub const END: usize = 48;
}

/// Seconds from the NTP epoch (1900) to the Unix epoch.
const NTP_UNIX_OFFSET: i64 = 2_208_988_800;
const MODE_CONTROL: u8 = 6;
const MODE_PRIVATE: u8 = 7;

pub static NTP: FieldDef = FieldDef::protocol("Network Time Protocol", "ntp");
pub static FLAGS: FieldDef = FieldDef::new("Flags", "ntp.flags", FieldType::Uint8).base(Base::Hex);
pub static FLAGS_LI: FieldDef = FieldDef::new("Leap Indicator", "ntp.flags.li", FieldType::Uint8).bits(8, 0xc0).strings(LEAP);
pub static FLAGS_VN: FieldDef = FieldDef::new("Version number", "ntp.flags.vn", FieldType::Uint8).bits(8, 0x38).strings(VERSIONS);
pub static FLAGS_MODE: FieldDef = FieldDef::new("Mode", "ntp.flags.mode", FieldType::Uint8).bits(8, 0x07).strings(MODES);
pub static STRATUM: FieldDef = FieldDef::new("Peer Clock Stratum", "ntp.stratum", FieldType::Uint8);
pub static PPOLL: FieldDef = FieldDef::new("Peer Polling Interval", "ntp.ppoll", FieldType::Uint8);
pub static PRECISION: FieldDef = FieldDef::new("Peer Clock Precision", "ntp.precision", FieldType::Uint8);
pub static ROOTDELAY: FieldDef = FieldDef::new("Root Delay", "ntp.rootdelay", FieldType::Uint32);
pub static ROOTDISPERSION: FieldDef = FieldDef::new("Root Dispersion", "ntp.rootdispersion", FieldType::Uint32);
pub static REFID: FieldDef = FieldDef::new("Reference ID", "ntp.refid", FieldType::Bytes);
pub static REFTIME: FieldDef = FieldDef::new("Reference Timestamp", "ntp.reftime", FieldType::AbsTime).base(Base::TimeUtc);
pub static ORG: FieldDef = FieldDef::new("Origin Timestamp", "ntp.org", FieldType::AbsTime).base(Base::TimeUtc);
pub static REC: FieldDef = FieldDef::new("Receive Timestamp", "ntp.rec", FieldType::AbsTime).base(Base::TimeUtc);
pub static XMT: FieldDef = FieldDef::new("Transmit Timestamp", "ntp.xmt", FieldType::AbsTime).base(Base::TimeUtc);
pub static KEYID: FieldDef = FieldDef::new("Key ID", "ntp.keyid", FieldType::Bytes);
pub static MAC: FieldDef = FieldDef::new("Message Authentication Code", "ntp.mac", FieldType::Bytes);

pub static FIELDS: &[&FieldDef] = &[
    &NTP, &FLAGS, &FLAGS_LI, &FLAGS_VN, &FLAGS_MODE, &STRATUM, &PPOLL, &PRECISION, &ROOTDELAY, &ROOTDISPERSION, &REFID,
    &REFTIME, &ORG, &REC, &XMT, &KEYID, &MAC,
];

pub static HANDOFFS: &[Registration] =
    &[crate::handoff!(Table::UdpPort, 123, "ntp", dissect), crate::handoff!(Table::TcpPort, 123, "ntp", dissect)];

static LEAP: &[(u64, &str)] = &[
    (0, "no warning"),
    (1, "last minute of the day has 61 seconds"),
    (2, "last minute of the day has 59 seconds"),
    (3, "unknown (clock unsynchronized)"),
];
static VERSIONS: &[(u64, &str)] = &[
    (0, "reserved"),
    (1, "NTP Version 1"),
    (2, "NTP Version 2"),
    (3, "NTP Version 3"),
    (4, "NTP Version 4"),
    (5, "reserved"),
    (6, "reserved"),
    (7, "reserved"),
];
static MODES: &[(u64, &str)] = &[
    (0, "reserved"),
    (1, "symmetric active"),
    (2, "symmetric passive"),
    (3, "client"),
    (4, "server"),
    (5, "broadcast"),
    (6, "reserved for NTP control message"),
    (7, "reserved for private use"),
];
/// Mode names in the Info column.
const INFO_MODES: [&str; 8] = ["reserved", "symmetric active", "symmetric passive", "client", "server", "broadcast", "control", "private"];

/// Reference IDs of primary (stratum 0/1) sources, RFC 5905 section 7.3.
static PRIMARY_SOURCES: &[(&[u8; 4], &str)] = &[
    (b"GOES", "Geostationary Orbit Environment Satellite"),
    (b"GPS\0", "Global Position System"),
    (b"GAL\0", "Galileo Positioning System"),
    (b"PPS\0", "Generic pulse-per-second"),
    (b"IRIG", "Inter-Range Instrumentation Group"),
    (b"WWVB", "LF Radio WWVB Ft. Collins, CO 60 kHz"),
    (b"DCF\0", "LF Radio DCF77 Mainflingen, DE 77.5 kHz"),
    (b"HBG\0", "LF Radio HBG Prangins, HB 75 kHz"),
    (b"MSF\0", "LF Radio MSF Anthorn, UK 60 kHz"),
    (b"JJY\0", "LF Radio JJY Fukushima, JP 40 kHz, Saga, JP 60 kHz"),
    (b"LORC", "MF Radio LORAN C station, 100 kHz"),
    (b"TDF\0", "MF Radio Allouis, FR 162 kHz"),
    (b"CHU\0", "HF Radio CHU Ottawa, Ontario"),
    (b"WWV\0", "HF Radio WWV Ft. Collins, CO"),
    (b"WWVH", "HF Radio WWVH Kauai, HI"),
    (b"NIST", "NIST telephone modem"),
    (b"ACTS", "NIST telephone modem"),
    (b"USNO", "USNO telephone modem"),
    (b"PTB\0", "European telephone modem"),
    (b"LOCL", "uncalibrated local clock"),
    (b"CESM", "calibrated Cesium clock"),
    (b"RBDM", "calibrated Rubidium clock"),
];

fn stratum_name(s: u8) -> &'static str {
    match s {
        0 => "unspecified or invalid",
        1 => "primary reference",
        2..=15 => "secondary reference",
        16 => "unsynchronized",
        _ => "reserved",
    }
}

/// An NTP timestamp (seconds since 1900, RFC 4330 eras) as ns since the Unix epoch; None for 0.
fn ntp_time(l: &Layer, at: usize) -> Option<i64> {
    let (secs, frac) = (l.u32(at), l.u32(at + 4));
    if secs == 0 && frac == 0 {
        return None;
    }
    // Era 0 when the top bit is set (1968-2036), era 1 otherwise.
    let unix = if secs & 0x8000_0000 != 0 { secs as i64 - NTP_UNIX_OFFSET } else { secs as i64 + (1i64 << 32) - NTP_UNIX_OFFSET };
    Some(unix * 1_000_000_000 + ((frac as u64 * 1_000_000_000) >> 32) as i64)
}

/// The label of the reference ID: a source name for stratum 0/1, else an IPv4 address.
fn refid_text(l: &Layer, stratum: u8) -> String {
    let id = l.array::<4>(field::REFID);
    if stratum <= 1 {
        match PRIMARY_SOURCES.iter().find(|(k, _)| **k == id) {
            Some((_, name)) => name.to_string(),
            None => {
                let shown: Vec<u8> = id.iter().copied().take_while(|&b| b != 0).collect();
                format!("Unidentified reference source '{}'", crate::text::escaped(&shown))
            }
        }
    } else {
        crate::addr::ipv4_string(id)
    }
}

/// 16.16 fixed-point seconds, as Wireshark prints root delay and dispersion.
fn fixed_16_16(v: u32) -> String {
    format!("{:.6} seconds", (v >> 16) as f64 + (v & 0xffff) as f64 / 65536.0)
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("NTP");
    let top = ctx.add_protocol(parent, &NTP, &layer);
    layer.need(1)?;
    let flags = layer.u8(field::FLAGS);
    let (li, vn, mode) = (flags >> 6, (flags >> 3) & 7, flags & 7);
    let version = VERSIONS[vn as usize].1;
    ctx.cols.info.clear();
    let _ = write!(ctx.cols.info, "{}, {}", version, INFO_MODES[mode as usize]);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, top, "Network Time Protocol ({}, {})", version, INFO_MODES[mode as usize]);
        let f = ctx.add_uint(top, &FLAGS, &layer, field::FLAGS, 1, flags as u64);
        let label = format!(
            "Flags: 0x{:02x}, Leap Indicator: {}, Version number: {}, Mode: {}",
            flags, LEAP[li as usize].1, version, MODES[mode as usize].1
        );
        ctx.tree.set_label(f, label);
        ctx.add_uint(f, &FLAGS_LI, &layer, field::FLAGS, 1, li as u64);
        ctx.add_uint(f, &FLAGS_VN, &layer, field::FLAGS, 1, vn as u64);
        ctx.add_uint(f, &FLAGS_MODE, &layer, field::FLAGS, 1, mode as u64);
    }
    if mode == MODE_CONTROL || mode == MODE_PRIVATE {
        return Ok(layer.reported);
    }
    layer.need(field::STRATUM + 1)?;
    let stratum = layer.u8(field::STRATUM);
    let n = ctx.add_uint(top, &STRATUM, &layer, field::STRATUM, 1, stratum as u64);
    crate::set_label!(ctx.tree, n, "Peer Clock Stratum: {} ({})", stratum_name(stratum), stratum);
    layer.need(field::PPOLL + 1)?;
    let ppoll = layer.u8(field::PPOLL);
    let n = ctx.add_uint(top, &PPOLL, &layer, field::PPOLL, 1, ppoll as u64);
    if ctx.tree.enabled() {
        let text = if (4..=17).contains(&ppoll) { format!("{} ({} seconds)", ppoll, 1u64 << ppoll) } else { format!("invalid ({})", ppoll) };
        crate::set_label!(ctx.tree, n, "Peer Polling Interval: {}", text);
    }
    layer.need(field::PRECISION + 1)?;
    let precision = layer.u8(field::PRECISION);
    let n = ctx.add_uint(top, &PRECISION, &layer, field::PRECISION, 1, precision as u64);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, n, "Peer Clock Precision: {:.6} seconds", 2f64.powi(precision as i8 as i32));
    }
    for (at, f) in [(field::ROOT_DELAY, &ROOTDELAY), (field::ROOT_DISPERSION, &ROOTDISPERSION)] {
        layer.need(at + 4)?;
        let v = layer.u32(at);
        let n = ctx.add_uint(top, f, &layer, at, 4, v as u64);
        if ctx.tree.enabled() {
            crate::set_label!(ctx.tree, n, "{}: {}", f.name, fixed_16_16(v));
        }
    }
    layer.need(field::REFID + 4)?;
    let n = ctx.add(top, &REFID, &layer, field::REFID, 4, Value::Bytes);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, n, "Reference ID: {}", refid_text(&layer, stratum));
    }
    let stamps: [(usize, &'static FieldDef); 4] = [(field::REFTIME, &REFTIME), (field::ORG, &ORG), (field::REC, &REC), (field::XMT, &XMT)];
    for (at, f) in stamps {
        layer.need(at + 8)?;
        match ntp_time(&layer, at) {
            Some(ns) => {
                ctx.add(top, f, &layer, at, 8, Value::Time(ns));
            }
            None => {
                let n = ctx.add(top, f, &layer, at, 8, Value::Time(0));
                crate::set_label!(ctx.tree, n, "{}: NULL", f.name);
            }
        }
    }
    let rest = layer.reported.saturating_sub(field::END);
    if rest >= 4 {
        layer.need(field::END + 4)?;
        let n = ctx.add(top, &KEYID, &layer, field::END, 4, Value::Bytes);
        crate::set_label!(ctx.tree, n, "Key ID: {}", hex(layer.slice(field::END, 4)));
        if rest > 4 {
            layer.need(layer.reported)?;
            let n = ctx.add(top, &MAC, &layer, field::END + 4, rest - 4, Value::Bytes);
            crate::set_label!(ctx.tree, n, "Message Authentication Code: {}", hex(layer.slice(field::END + 4, rest - 4)));
        }
    }
    Ok(layer.reported)
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{:02x}", x);
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    /// Frame 1 of zeek_ntp.pcap (client, version 4), as `tshark -x` shows it.
    const CLIENT: [u8; 90] = [
        0x88, 0x75, 0x98, 0x49, 0x97, 0x09, 0x9c, 0xb6, 0xd0, 0x09, 0x17, 0x1d, 0x08, 0x00, 0x45, 0xb8, 0x00, 0x4c, 0x49,
        0x4d, 0x40, 0x00, 0x40, 0x11, 0x7f, 0x3d, 0xc0, 0xa8, 0x2b, 0x76, 0x50, 0xd3, 0x34, 0x6d, 0x00, 0x7b, 0x00, 0x7b,
        0x00, 0x38, 0x71, 0xa8, 0x23, 0x02, 0x06, 0xea, 0x00, 0x00, 0x0b, 0xd9, 0x00, 0x00, 0x06, 0x30, 0x55, 0xc7, 0xd6,
        0x63, 0xe0, 0x9a, 0xb5, 0x5c, 0x12, 0xdc, 0xc9, 0x14, 0xe0, 0x9a, 0xb5, 0x54, 0x0c, 0x60, 0xc2, 0x3b, 0xe0, 0x9a,
        0xb5, 0x54, 0x13, 0xa6, 0x4a, 0x3b, 0xe0, 0x9a, 0xb5, 0x96, 0x07, 0x05, 0x0b, 0xaa,
    ];

    #[test]
    fn client_info_and_timestamps_match_tshark() {
        let (cols, protos) = summary_of(1, &CLIENT);
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("NTP", "NTP Version 4, client"));
        assert_eq!(protos, "eth:ethertype:ip:udp:ntp");
        let l = crate::packet::Layer::new(&CLIENT, 42, 48, "ntp");
        let mut s = String::new();
        crate::addr::write_abs_time(&mut s, super::ntp_time(&l, super::field::REFTIME).unwrap(), &crate::addr::Zone::default());
        assert_eq!(s, "May 30, 2019 20:02:36.073681418 UTC");
        assert_eq!(super::fixed_16_16(3033), "0.046280 seconds");
        assert_eq!(super::refid_text(&l, 2), "85.199.214.99");
    }

    #[test]
    fn a_short_packet_is_malformed_after_the_flags() {
        let mut f = CLIENT[..43].to_vec();
        f[16..18].copy_from_slice(&29u16.to_be_bytes()); // IP total length: 1 byte of NTP
        f[38..40].copy_from_slice(&9u16.to_be_bytes()); // UDP length
        f[42] = 0xe3;
        let (cols, _) = summary_of(1, &f);
        assert_eq!(cols.info, "NTP Version 4, client[Malformed Packet]");
    }
}
