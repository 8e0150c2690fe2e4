//! `passes` judges a display filter from what the first pass recorded about a frame (its
//! protocol items, its TCP and UDP stream numbers) and dissects only what that leaves open
//! (`filter::prejudge`). The rules hold only if what was recorded is what a re-dissection
//! shows, so this checks, on every frame of every capture the tests know:
//! - the protocol items recorded are exactly the ones the frame's tree holds;
//! - no field appears without its protocol's item;
//! - `tcp.stream` and `udp.stream` take only the recorded stream numbers;
//! - for a list of filters, and for each protocol seen, the judged answer (from a dissection
//!   that records only the filter's fields, and may stop at TCP) is the filter's answer over
//!   the whole tree.

mod common;

use common::capture;
use reef_dissect::field::find_field;
use reef_dissect::filter::prejudge::{is_recorded, owners_of};
use reef_dissect::filter::Filter;
use reef_dissect::tree::Value;
use reef_dissect::{FrameMeta, Session};
use std::collections::BTreeSet;

fn meta(f: &capture::Frame, number: u32) -> FrameMeta {
    FrameMeta { number, linktype: f.linktype, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() }
}

/// Loaded as the TUI loads (no columns in the first pass).
fn loaded(frames: &[capture::Frame]) -> Session {
    let mut s = Session::new();
    for f in frames {
        s.ingest_without_columns(meta(f, 0), &f.data);
    }
    s
}

/// Filters touching each kind of rule: protocol presence, fields of absent protocols under
/// every operator, stream numbers, negation, functions, `_ws` items and layer ranges.
const FILTERS: &[&str] = &[
    "dns || tcp.flags.reset == 1",
    "tcp.stream eq 3",
    "tcp.stream in {1, 2}",
    "tcp.stream > 1 && tcp.flags.syn == 1",
    "udp.stream == 1",
    "udp.stream != 2",
    "!(tcp.stream == 0) && http",
    "http && tcp.port == 80",
    "!tls",
    "tls.handshake.type == 1 || icmp",
    "ip.src == 127.0.0.1 && !http",
    "tcp.len > 0 && !tcp.analysis.flags",
    "frame.len > 100 xor udp",
    "http.request.method == \"GET\" or dns.qry.name contains \"a\"",
    "dns.qry.name matches \"^[a-m]\"",
    "tcp.srcport == 443 ^^ tls",
    "_ws.malformed || _ws.expert",
    "count(tcp.port) == 0",
    "len(http.request.uri) > 3",
    "not ip and not ipv6",
    "arp || icmpv6 || quic",
    "tcp.reassembled_in || tcp.segments",
    "tcp.payload[0:2] == 47:45",
    "ip.src#2 || ipv6.src#2",
    "eth.addr && !data",
    "frame.protocols contains \"json\"",
    "tcp contains \"HTTP\"",
    "http.response.code >= 400 || dns.flags.rcode != 0",
    "ip.version == 6 || eth.padding",
    "ip.version == 4 && !ip",
    "tcp.options.mss_val == 1460 || tcp.time_delta > 0.1",
    "tcp.analysis.ack_rtt > 0.01 || tcp.connection.syn",
    "tcp.options.timestamp.tsval && udp.length > 100",
    "frame.time_delta > 0.5 && ip.ttl < 64",
    "eth.trailer || eth.fcs || eth contains 00:00",
    "tcp matches \"</html>\" || ip contains 0d:0a",
    "tls.record.length > 100 && !tls.handshake",
    "tcp.seq == 1",
    "tcp.nxtseq == 1 || tcp.ack_raw == 1",
    "tcp.completeness == 31 && tcp.len > 0",
];

/// Checks one capture: the record frame by frame, then every filter of `FILTERS` and one per
/// protocol seen, judged, against the whole tree. Returns the frames x filters compared.
fn check(name: &str, frames: &[capture::Frame]) -> usize {
    let mut s = loaded(frames);
    let mut seen = BTreeSet::new();
    for (i, f) in frames.iter().enumerate() {
        let n = i as u32 + 1;
        assert!(s.revisit(meta(f, n), &f.data, true));
        let tree = s.tree();
        let items: BTreeSet<&str> = tree.nodes.iter().filter(|x| is_recorded(x.field)).map(|x| x.field.abbrev).collect();
        for p in &items {
            let def = find_field(p).unwrap();
            assert_eq!(s.frame_holds_protocol(n, def), Some(true), "{} frame {}: {} shown, not recorded", name, n, p);
        }
        for x in &tree.nodes {
            let owners = owners_of(x.field);
            if !is_recorded(x.field) && !owners.is_empty() {
                assert!(owners.iter().any(|o| items.contains(o.abbrev)), "{} frame {}: {} without a {} item", name, n, x.field.abbrev, owners[0].abbrev);
            }
        }
        let (tcp, udp) = s.recorded_streams(n);
        for x in &tree.nodes {
            let recorded = match x.field.abbrev {
                "tcp.stream" => &tcp,
                "udp.stream" => &udp,
                _ => continue,
            };
            let v = match x.value {
                Value::Uint(v) => v as u32,
                _ => panic!("stream value"),
            };
            assert!(recorded.contains(&v), "{} frame {}: {} {} not among {:?}", name, n, x.field.abbrev, v, recorded);
        }
        seen.extend(items.iter().map(|p| p.to_string()));
    }
    // Recorded but never shown: checked from the other side, per protocol.
    for p in &seen {
        let def = find_field(p).unwrap();
        for (i, f) in frames.iter().enumerate() {
            let n = i as u32 + 1;
            if s.frame_holds_protocol(n, def) == Some(true) {
                assert!(s.revisit(meta(f, n), &f.data, true));
                assert!(s.tree().nodes.iter().any(|x| std::ptr::eq(x.field, def)), "{} frame {}: {} recorded, not shown", name, n, p);
            }
        }
    }
    let filters: Vec<String> = FILTERS.iter().map(|f| f.to_string()).chain(seen.iter().cloned()).collect();
    for text in &filters {
        s.set_display_filter(text).unwrap_or_else(|e| panic!("{}: {}", text, e.message));
        let mut reference = Filter::compile(text).unwrap();
        for (i, f) in frames.iter().enumerate() {
            let m = meta(f, i as u32 + 1);
            let judged = s.passes(m, &f.data);
            // The reference: the filter over the whole tree, dissected without any shortcut.
            assert!(s.revisit(m, &f.data, true));
            let full = reference.matches(s.tree(), &f.data);
            assert_eq!(judged, Some(full), "{} frame {}: filter {:?}", name, i + 1, text);
        }
    }
    frames.len() * filters.len()
}

#[test]
fn what_the_first_pass_records_is_what_a_re_dissection_shows() {
    let files = common::all_captures();
    assert!(files.len() >= 10, "fixtures not found");
    let (mut frames_checked, mut total) = (0usize, 0usize);
    for path in files {
        let frames = capture::read(&path);
        total += check(&path.display().to_string(), &frames);
        frames_checked += frames.len();
    }
    eprintln!("{} frames, {} judged against a whole tree", frames_checked, total);
    assert!(frames_checked > 1000, "only {} frames checked", frames_checked);
}

/// An Ethernet/IPv4/UDP frame from 10.0.0.1:`sport` to 10.0.0.2:`dport`, padded to 60 bytes.
fn udp_frame(sport: u16, dport: u16, payload: &[u8]) -> capture::Frame {
    let mut f = vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00];
    let ip_len = 20 + 8 + payload.len() as u16;
    f.extend_from_slice(&[0x45, 0, (ip_len >> 8) as u8, ip_len as u8, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    let udp_len = 8 + payload.len() as u16;
    f.extend_from_slice(&[(sport >> 8) as u8, sport as u8, (dport >> 8) as u8, dport as u8, (udp_len >> 8) as u8, udp_len as u8, 0, 0]);
    f.extend_from_slice(payload);
    f.resize(f.len().max(60), 0);
    capture::Frame { linktype: 1, ts_ns: 1_000_000_000, origlen: f.len() as u32, data: f }
}

/// A DNS query for `wpad.local` (type A).
fn query() -> Vec<u8> {
    let mut q = vec![0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    q.extend_from_slice(b"\x04wpad\x05local\x00\x00\x01\x00\x01");
    q
}

#[test]
fn cases_the_corpus_lacks() {
    // DNS's fields under mDNS and LLMNR items; a DNS header cut short, whose malformed layer
    // takes the Ethernet padding away (a tree cut at UDP would show it).
    let frames = vec![udp_frame(5353, 5353, &query()), udp_frame(40000, 5355, &query()), udp_frame(40000, 53, &query()), udp_frame(40000, 53, &[1, 2, 3, 4])];
    let mut s = loaded(&frames);
    let holds = |s: &Session, n: u32, p: &str| s.frame_holds_protocol(n, find_field(p).unwrap());
    assert_eq!((holds(&s, 1, "mdns"), holds(&s, 2, "llmnr"), holds(&s, 3, "dns")), (Some(true), Some(true), Some(true)));
    for (text, want) in [
        ("dns.qry.name contains \"wpad\"", [true, true, true]),
        ("dns.flags.response == 0", [true, true, true]),
        ("!dns.flags.response", [false, false, false]),
        ("dns", [false, false, true]),
        ("eth.padding", [false, false, false]),
    ] {
        s.set_display_filter(text).unwrap();
        let got: Vec<bool> = frames[..3].iter().enumerate().map(|(i, f)| s.passes(meta(f, i as u32 + 1), &f.data).unwrap()).collect();
        assert_eq!(got, want, "{}", text);
    }
    // The cut-short header too, against the whole tree (FILTERS has `eth.padding`).
    check("crafted", &frames);
}
