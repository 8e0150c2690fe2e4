//! `syslog`: BSD syslog over UDP 514: the `<PRI>` facility and level, the message, and the
//! header fields tshark 4.0 reads from it (RFC 3164 timestamp, hostname, "process id" and
//! "message id"; RFC 5424 version, timestamp, hostname, app name, process id, message id).
//! Those header fields are parsed only while the tree is built, as Wireshark's `if (tree)`
//! does, so their malformed-packet exceptions show in `-V` and filtered runs only.

use crate::dispatch::{Registration, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::text;
use crate::tree::Value;

/// At most this many PRI digits are read (Wireshark's MAX_DIGITS: offsets 1..=3).
const PRI_LAST_DIGIT: usize = 3;
const FACILITY_MASK: u64 = 0x3f8;
/// Wireshark declares the facility as an 8-bit field with mask 0x3f8, so its label shows the
/// low eight bits of that mask: the registry keeps those.
const FACILITY_SHOWN_MASK: u64 = 0xf8;
const LEVEL_MASK: u64 = 0x07;
/// `Mmm dd hh:mm:ss` and the space after it.
const RFC3164_TIMESTAMP: usize = 15;
/// The "process id" of an RFC 3164 header is the run of alphanumerics, looked for this far.
const PROCID_SCAN: usize = 32;
const UTF8_BOM: u32 = 0xef_bb_bf;

pub static SYSLOG: FieldDef = FieldDef::protocol("Syslog message", "syslog");
pub static FACILITY: FieldDef =
    FieldDef::new("Facility", "syslog.facility", FieldType::Uint8).bits(8, FACILITY_SHOWN_MASK).strings(FACILITIES);
pub static LEVEL: FieldDef = FieldDef::new("Level", "syslog.level", FieldType::Uint8).bits(8, LEVEL_MASK).strings(LEVELS);
pub static MSG: FieldDef = FieldDef::new("Message", "syslog.msg", FieldType::String);
/// Set by Wireshark when a LOCAL0.DEBUG message carries a Cisco ITP `msu=` dump (not decoded
/// here: MTP3 is not dissected); registered so filters on it are valid.
pub static MSU_PRESENT: FieldDef = FieldDef::new("SS7 MSU present", "syslog.msu_present", FieldType::Bool);
pub static VERSION: FieldDef = FieldDef::new("Syslog version", "syslog.version", FieldType::String);
pub static TIMESTAMP: FieldDef = FieldDef::new("Syslog timestamp", "syslog.timestamp", FieldType::AbsTime).base(Base::TimeUtc);
pub static TIMESTAMP_RFC3164: FieldDef = FieldDef::new("Syslog timestamp (RFC3164)", "syslog.timestamp_rfc3164", FieldType::String);
pub static HOSTNAME: FieldDef = FieldDef::new("Syslog hostname", "syslog.hostname", FieldType::String);
pub static APPNAME: FieldDef = FieldDef::new("Syslog app name", "syslog.appname", FieldType::String);
pub static PROCID: FieldDef = FieldDef::new("Syslog process id", "syslog.procid", FieldType::String);
pub static MSGID: FieldDef = FieldDef::new("Syslog message id", "syslog.msgid", FieldType::String);
pub static MSGID_BOM: FieldDef = FieldDef::new("Syslog BOM", "syslog.msgid.bom", FieldType::Uint24).base(Base::Hex);

pub static FIELDS: &[&FieldDef] = &[
    &SYSLOG, &FACILITY, &LEVEL, &MSG, &MSU_PRESENT, &VERSION, &TIMESTAMP, &TIMESTAMP_RFC3164, &HOSTNAME, &APPNAME, &PROCID,
    &MSGID, &MSGID_BOM,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::UdpPort, 514, "syslog", dissect)];

static FACILITIES: &[(u64, &str)] = &[
    (0, "KERN - kernel messages"),
    (1, "USER - random user-level messages"),
    (2, "MAIL - mail system"),
    (3, "DAEMON - system daemons"),
    (4, "AUTH - security/authorization messages"),
    (5, "SYSLOG - messages generated internally by syslogd"),
    (6, "LPR - line printer subsystem"),
    (7, "NEWS - network news subsystem"),
    (8, "UUCP - UUCP subsystem"),
    (9, "CRON - clock daemon (BSD, Linux)"),
    (10, "AUTHPRIV - security/authorization messages (private)"),
    (11, "FTP - ftp daemon"),
    (12, "NTP - ntp subsystem"),
    (13, "LOGAUDIT - log audit"),
    (14, "LOGALERT - log alert"),
    (15, "CRON - clock daemon (Solaris)"),
    (16, "LOCAL0 - reserved for local use"),
    (17, "LOCAL1 - reserved for local use"),
    (18, "LOCAL2 - reserved for local use"),
    (19, "LOCAL3 - reserved for local use"),
    (20, "LOCAL4 - reserved for local use"),
    (21, "LOCAL5 - reserved for local use"),
    (22, "LOCAL6 - reserved for local use"),
    (23, "LOCAL7 - reserved for local use"),
];
static LEVELS: &[(u64, &str)] = &[
    (0, "EMERG - system is unusable"),
    (1, "ALERT - action must be taken immediately"),
    (2, "CRIT - critical conditions"),
    (3, "ERR - error conditions"),
    (4, "WARNING - warning conditions"),
    (5, "NOTICE - normal but significant condition"),
    (6, "INFO - informational"),
    (7, "DEBUG - debug-level messages"),
];

/// The short name in Info: the long name up to its ` - `.
fn short_name(table: &'static [(u64, &'static str)], v: u64) -> &'static str {
    match table.iter().find(|(k, _)| *k == v) {
        Some((_, name)) => name.split(" - ").next().unwrap_or(name),
        None => "UNKNOWN",
    }
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    let layer = layer.sub(0, "Syslog");
    ctx.cols.set_protocol("Syslog");
    ctx.cols.clear_info();
    // The layer is listed even when the PRI parse fails before its tree item is added.
    ctx.protocols.push(SYSLOG.abbrev);
    layer.need(1)?;
    let b = layer.bytes();
    let mut msg_off = 0;
    let mut pri = None;
    if b[0] == b'<' {
        msg_off = 1;
        let mut value = 0u64;
        while msg_off <= PRI_LAST_DIGIT && b.get(msg_off).map_or(false, u8::is_ascii_digit) {
            value = value * 10 + (b[msg_off] - b'0') as u64;
            msg_off += 1;
        }
        layer.need(msg_off + 1)?;
        if b[msg_off] == b'>' {
            msg_off += 1;
        }
        pri = Some(value);
    }
    // An empty message is an exception in Wireshark (the text is read with an "ensure").
    layer.need(msg_off + 1)?;
    let msg = &b[msg_off..];
    let start = ctx.cols.info.len();
    if let Some(p) = pri {
        let (fac, lev) = ((p & FACILITY_MASK) >> 3, p & LEVEL_MASK);
        ctx.cols.info.push_str(short_name(FACILITIES, fac));
        ctx.cols.info.push('.');
        ctx.cols.info.push_str(short_name(LEVELS, lev));
        ctx.cols.info.push_str(": ");
    }
    text::write_escaped(&mut ctx.cols.info, msg);
    let top = ctx.tree.add(parent, &SYSLOG, layer.start, layer.len, Value::None);
    if !ctx.tree.enabled() {
        return Ok(layer.reported);
    }
    let unknown = if pri.is_some() { "" } else { "(unknown): " };
    crate::set_label!(ctx.tree, top, "Syslog message: {}{}", unknown, &ctx.cols.info[start..]);
    if let Some(p) = pri {
        ctx.add_uint(top, &FACILITY, &layer, 0, msg_off, (p & FACILITY_MASK) >> 3);
        ctx.add_uint(top, &LEVEL, &layer, 0, msg_off, p & LEVEL_MASK);
    }
    let m = ctx.add(top, &MSG, &layer, msg_off, msg.len(), Value::Str(text::lossy(msg)));
    if msg.len() > 2 && msg.starts_with(b"1 ") {
        rfc5424_header(ctx, m, &layer, msg_off)?;
    } else if msg.len() > RFC3164_TIMESTAMP {
        rfc3164_header(ctx, m, &layer, msg_off)?;
    }
    Ok(layer.reported)
}

/// A string item of the ASCII header fields: each byte above 0x7f is one U+FFFD, as
/// Wireshark's ENC_ASCII shows it.
fn add_ascii(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, layer: &Layer, at: usize, len: usize) -> u32 {
    let s: String = layer.slice(at, len).iter().map(|&c| if c < 0x80 { c as char } else { '\u{fffd}' }).collect();
    ctx.add(parent, f, layer, at, len, Value::Str(s))
}

/// The field up to the next space from `*at` (none: `false`), then `*at` moves past the space.
fn space_field(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, layer: &Layer, at: &mut usize) -> bool {
    let b = layer.bytes();
    match b.get(*at..).and_then(|r| r.iter().position(|&c| c == b' ')) {
        Some(n) => {
            add_ascii(ctx, parent, f, layer, *at, n);
            *at += n + 1;
            true
        }
        None => false,
    }
}

/// `Mmm dd hh:mm:ss host tag[pid]: text`: Wireshark's "process id" is the tag (the
/// alphanumerics after the hostname) and its "message id" everything after it.
fn rfc3164_header(ctx: &mut Ctx, parent: u32, layer: &Layer, mut at: usize) -> DResult<()> {
    let b = layer.bytes();
    let punct = [(3, b' '), (6, b' '), (9, b':'), (12, b':'), (15, b' ')];
    if !punct.iter().all(|&(i, c)| b.get(at + i) == Some(&c)) {
        return Ok(());
    }
    add_ascii(ctx, parent, &TIMESTAMP_RFC3164, layer, at, RFC3164_TIMESTAMP);
    at += RFC3164_TIMESTAMP + 1;
    if !space_field(ctx, parent, &HOSTNAME, layer, &mut at) {
        return Ok(());
    }
    for i in at..at + PROCID_SCAN {
        // Wireshark reads each byte with an exception past the end.
        layer.need(i + 1)?;
        if !b[i].is_ascii_alphanumeric() {
            add_ascii(ctx, parent, &PROCID, layer, at, i - at);
            at = i;
            break;
        }
    }
    let rest = layer.reported.saturating_sub(at);
    layer.need(at + rest)?;
    add_ascii(ctx, parent, &MSGID, layer, at, rest);
    Ok(())
}

/// `1 TIMESTAMP HOST APP PROCID MSGID...`: the rest after the process id is the message id,
/// in UTF-8 after a byte-order mark.
fn rfc5424_header(ctx: &mut Ctx, parent: u32, layer: &Layer, mut at: usize) -> DResult<()> {
    let b = layer.bytes();
    if !space_field(ctx, parent, &VERSION, layer, &mut at) {
        return Ok(());
    }
    let end = match b.get(at..).and_then(|r| r.iter().position(|&c| c == b' ')) {
        Some(n) => at + n,
        None => return Ok(()),
    };
    if end != at {
        match iso8601(&b[at..end]) {
            Some(ns) => {
                ctx.add(parent, &TIMESTAMP, layer, at, end - at, Value::Time(ns));
            }
            None => {
                // An unparsable time is zero, shown without fraction digits.
                let n = ctx.add(parent, &TIMESTAMP, layer, at, end - at, Value::Time(0));
                crate::set_label!(ctx.tree, n, "Syslog timestamp: Jan  1, 1970 00:00:00 UTC");
            }
        }
    }
    at = end + 1;
    for f in [&HOSTNAME, &APPNAME, &PROCID] {
        if !space_field(ctx, parent, f, layer, &mut at) {
            return Ok(());
        }
    }
    layer.need(at + 3)?;
    let rest = layer.reported.saturating_sub(at);
    if u32::from_be_bytes([0, b[at], b[at + 1], b[at + 2]]) == UTF8_BOM {
        ctx.add_uint(parent, &MSGID_BOM, layer, at, 3, UTF8_BOM as u64);
        layer.need(at + rest)?;
        let s = text::lossy(layer.slice(at + 3, rest - 3));
        ctx.add(parent, &MSGID, layer, at + 3, rest - 3, Value::Str(s));
    } else {
        layer.need(at + rest)?;
        add_ascii(ctx, parent, &MSGID, layer, at, rest);
    }
    Ok(())
}

/// `YYYY-MM-DDThh:mm[:ss[.frac]][Z|+hh:mm|-hh:mm]` as ns since the epoch (UTC when no zone
/// is given); a fraction of more than 9 digits counts as none, as Wireshark reads it.
fn iso8601(s: &[u8]) -> Option<i64> {
    let num = |r: &[u8]| -> Option<i64> {
        if r.is_empty() || !r.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(r.iter().fold(0i64, |a, &c| a * 10 + (c - b'0') as i64))
    };
    if s.len() < 16 || s[4] != b'-' || s[7] != b'-' || s[10] != b'T' || s[13] != b':' {
        return None;
    }
    let (y, mo, d) = (num(&s[0..4])?, num(&s[5..7])?, num(&s[8..10])?);
    let (h, mi) = (num(&s[11..13])?, num(&s[14..16])?);
    let mut rest = &s[16..];
    let mut sec = 0;
    let mut frac_ns = 0;
    if rest.first() == Some(&b':') {
        sec = num(rest.get(1..3)?)?;
        rest = &rest[3..];
        if rest.first() == Some(&b'.') {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits <= 9 {
                frac_ns = num(&rest[1..1 + digits])? * 10i64.pow(9 - digits as u32);
            }
            rest = &rest[1 + digits..];
        }
    }
    let offset_s = match rest {
        b"" | b"Z" => 0,
        [sign @ (b'+' | b'-'), zone @ ..] => {
            let (zh, zm) = match zone {
                [a, b] => (num(&[*a, *b])?, 0),
                [a, b, b':', c, d] => (num(&[*a, *b])?, num(&[*c, *d])?),
                _ => return None,
            };
            let o = zh * 3600 + zm * 60;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = crate::print::time::days_from_civil(y, mo as u32, d as u32);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_s;
    // Years past 2262 do not fit in nanoseconds.
    secs.checked_mul(1_000_000_000)?.checked_add(frac_ns)
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    /// An Ethernet/IPv4/UDP frame to port 514 carrying `msg`.
    fn frame(msg: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let total = 20 + 8 + msg.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 1, 48, 10, 1, 0, 10]);
        let ulen = 8 + msg.len();
        f.extend_from_slice(&[0x8c, 0x46, 0x02, 0x02, (ulen >> 8) as u8, ulen as u8, 0, 0]);
        f.extend_from_slice(msg);
        f
    }

    #[test]
    fn bsd_message_info_names_facility_and_level() {
        // Frame 9 of the benchmark capture.
        let msg = b"<134>Nov 14 22:13:20 host1-48 nginx[4507]: 10.1.1.64 - - \"GET /status HTTP/1.1\" 200 447";
        let (cols, protos) = summary_of(1, &frame(msg));
        assert_eq!(cols.protocol, "Syslog");
        assert_eq!(cols.info, "LOCAL0.INFO: Nov 14 22:13:20 host1-48 nginx[4507]: 10.1.1.64 - - \"GET /status HTTP/1.1\" 200 447");
        assert_eq!(protos, "eth:ethertype:ip:udp:syslog");
    }

    #[test]
    fn odd_priorities_and_missing_ones() {
        assert_eq!(summary_of(1, &frame(b"hello world")).0.info, "hello world");
        assert_eq!(summary_of(1, &frame(b"<999>x")).0.info, "UNKNOWN.DEBUG: x");
        // At most three digits; a missing '>' leaves the rest in the message.
        assert_eq!(summary_of(1, &frame(b"<0123>abc")).0.info, "USER.WARNING: 3>abc");
        assert_eq!(summary_of(1, &frame(b"<1x>abc")).0.info, "KERN.ALERT: x>abc");
        assert_eq!(summary_of(1, &frame(b"<13>a\x1b[2J")).0.info, "USER.NOTICE: a\\x1b[2J");
    }

    #[test]
    fn a_priority_without_message_is_malformed() {
        for msg in [&b"<12"[..], b"<", b"<12>"] {
            let (cols, _) = summary_of(1, &frame(msg));
            assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("Syslog", "[Malformed Packet]"));
        }
    }

    /// Labels under the first `syslog` item of a frame dissected with its tree.
    fn syslog_labels(meta: crate::packet::FrameMeta, frame: &[u8]) -> (String, Vec<String>) {
        let mut s = crate::session::Session::new();
        s.ingest(meta, frame, true);
        let t = s.tree();
        let top = t.nodes.iter().position(|n| n.field.abbrev == "syslog").expect("a syslog item") as u32;
        let depth = |mut i: u32| {
            let mut d = 0;
            while i != top && i != u32::MAX {
                i = t.nodes[i as usize].parent;
                d += 1;
            }
            (i == top).then(|| d)
        };
        let labels = (0..t.nodes.len() as u32).filter_map(|i| depth(i).map(|d| format!("{}{}", "  ".repeat(d), t.label(i)))).collect();
        (s.columns().info.clone(), labels)
    }

    #[test]
    fn logger_messages_read_as_tshark_shows_them() {
        // test-fixtures/captures/syslog-json.pcap: `logger --rfc3164` and `--rfc5424` to UDP 514.
        let frames = crate::proto::icmp::tests::pcap_frames(include_bytes!("../../../../test-fixtures/captures/syslog-json.pcap"));
        let (info, labels) = syslog_labels(frames[0].0, &frames[0].1);
        assert_eq!(info, "LOCAL0.INFO: Nov 25 03:38:20 vm nginx: GET /status HTTP/1.1 200 447");
        assert_eq!(
            labels[1..],
            [
                "  1000 0... = Facility: LOCAL0 - reserved for local use (16)",
                "  .... .110 = Level: INFO - informational (6)",
                "  Message: Nov 25 03:38:20 vm nginx: GET /status HTTP/1.1 200 447",
                "    Syslog timestamp (RFC3164): Nov 25 03:38:20",
                "    Syslog hostname: vm",
                "    Syslog process id: nginx",
                "    Syslog message id: : GET /status HTTP/1.1 200 447",
            ]
        );
        let (info, labels) = syslog_labels(frames[2].0, &frames[2].1);
        assert!(info.starts_with("DAEMON.ERR: 1 2026-11-25T03:38:21.013204+00:00 vm reef - ID47"));
        assert_eq!(
            labels[4..],
            [
                "    Syslog version: 1",
                "    Syslog timestamp: Nov 25, 2026 03:38:21.013204000 UTC",
                "    Syslog hostname: vm",
                "    Syslog app name: reef",
                "    Syslog process id: -",
                "    Syslog message id: ID47 [timeQuality tzKnown=\"1\" isSynced=\"0\"] disk 93% full",
            ]
        );
    }

    #[test]
    fn a_header_cut_inside_its_tag_is_malformed_only_with_a_tree() {
        // Wireshark reads the tag with an exception past the end, inside `if (tree)`.
        let f = frame(b"<34>Nov 14 22:13:20 host1 abc");
        let meta = crate::packet::FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ..Default::default() };
        let (info, labels) = syslog_labels(meta, &f);
        assert_eq!(info, "AUTH.CRIT: Nov 14 22:13:20 host1 abc[Malformed Packet]");
        assert_eq!(labels.last().map(String::as_str), Some("    Syslog hostname: host1"));
        let mut s = crate::session::Session::new();
        s.ingest(meta, &f, false);
        assert_eq!(s.columns().info, "AUTH.CRIT: Nov 14 22:13:20 host1 abc");
    }

    #[test]
    fn rfc5424_timestamps() {
        assert_eq!(super::iso8601(b"2003-10-11T22:14:15.003Z"), Some(1_065_910_455_003_000_000));
        assert_eq!(super::iso8601(b"2003-10-11T22:14:15+02:00"), Some(1_065_903_255_000_000_000));
        assert_eq!(super::iso8601(b"2003-10-11T22:14Z"), Some(1_065_910_440_000_000_000));
        assert_eq!(super::iso8601(b"2003-10-11T22:14:15.123456789012Z"), Some(1_065_910_455_000_000_000));
        assert_eq!(super::iso8601(b"-"), None);
        assert_eq!(super::iso8601(b"9999-12-31T23:59:59Z"), None);
        assert_eq!(super::iso8601(b"2003-13-11T22:14:15Z"), None);
    }
}
