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
use reef_dissect::field::{find_field, FieldType};
use reef_dissect::filter::prejudge::ADDED_BY_OTHER_PROTOCOLS;
use reef_dissect::filter::Filter;
use reef_dissect::tree::Value;
use reef_dissect::{FrameMeta, Session};
use std::collections::BTreeSet;

fn meta(f: &capture::Frame, number: u32) -> FrameMeta {
    FrameMeta { number, linktype: f.linktype, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() }
}

fn loaded(frames: &[capture::Frame]) -> Session {
    let mut s = Session::new();
    for f in frames {
        s.ingest(meta(f, 0), &f.data, false);
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
];

#[test]
fn what_the_first_pass_records_is_what_a_re_dissection_shows() {
    let files = common::all_captures();
    assert!(files.len() >= 10, "fixtures not found");
    let (mut frames_checked, mut total) = (0usize, 0usize);
    for path in files {
        let frames = capture::read(&path);
        let mut s = loaded(&frames);
        let mut seen = BTreeSet::new();
        for (i, f) in frames.iter().enumerate() {
            let n = i as u32 + 1;
            assert!(s.revisit(meta(f, n), &f.data, true));
            let tree = s.tree();
            let items: BTreeSet<&str> = tree.nodes.iter().filter(|x| x.field.ftype == FieldType::Protocol).map(|x| x.field.abbrev).collect();
            // `_ws` items (expert info, malformed) are added by any layer: never judged.
            for p in items.iter().filter(|p| !p.starts_with("_ws")) {
                let def = find_field(p).unwrap();
                assert_eq!(s.frame_holds_protocol(n, def), Some(true), "{} frame {}: {} shown, not recorded", path.display(), n, p);
            }
            for x in &tree.nodes {
                let owner = x.field.protocol_abbrev();
                if owner != "_ws" && find_field(owner).map_or(false, |d| d.ftype == FieldType::Protocol) {
                    let elsewhere = ADDED_BY_OTHER_PROTOCOLS.contains(&x.field.abbrev);
                    assert!(elsewhere || items.contains(owner), "{} frame {}: {} without a {} item", path.display(), n, x.field.abbrev, owner);
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
                assert!(recorded.contains(&v), "{} frame {}: {} {} not among {:?}", path.display(), n, x.field.abbrev, v, recorded);
            }
            seen.extend(items.iter().filter(|p| !p.starts_with("_ws")).map(|p| p.to_string()));
        }
        // Recorded but never shown: checked from the other side, per protocol.
        for p in &seen {
            let def = find_field(p).unwrap();
            for (i, f) in frames.iter().enumerate() {
                let n = i as u32 + 1;
                if s.frame_holds_protocol(n, def) == Some(true) {
                    assert!(s.revisit(meta(f, n), &f.data, true));
                    assert!(s.tree().nodes.iter().any(|x| std::ptr::eq(x.field, def)), "{} frame {}: {} recorded, not shown", path.display(), n, p);
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
                assert_eq!(judged, Some(full), "{} frame {}: filter {:?}", path.display(), i + 1, text);
            }
            total += frames.len();
        }
        frames_checked += frames.len();
    }
    eprintln!("{} frames, {} judged against a full dissection", frames_checked, total);
    assert!(frames_checked > 1000, "only {} frames checked", frames_checked);
}
