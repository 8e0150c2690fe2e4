//! reef-cli's single pass keeps no per-frame state and retires finished conversations, so its
//! memory does not grow with the file. What it prints must not change for that: every capture
//! (the project's fixtures, and the public corpus when present) printed with `-V` and as
//! summary lines in a single pass gives exactly the text of a session that keeps everything.

mod common;

use common::capture;
use reef_dissect::{FrameMeta, Session};
use std::path::PathBuf;

fn captures() -> Vec<PathBuf> {
    common::all_captures()
}

fn print(frames: &[capture::Frame], mode: &str, single_pass: bool) -> Vec<String> {
    let mut s = Session::new();
    let config = format!("mode {}\n{}", mode, if single_pass { "single_pass 1\n" } else { "" });
    s.configure(&config).expect("config");
    frames
        .iter()
        .map(|f| {
            let meta = FrameMeta {
                linktype: f.linktype,
                caplen: f.data.len() as u32,
                origlen: f.origlen,
                ts_ns: f.ts_ns,
                ts_digits: 6,
                ..Default::default()
            };
            s.ingest_and_print(meta, &f.data);
            std::mem::take(&mut s.out)
        })
        .collect()
}

#[test]
fn a_single_pass_prints_what_a_full_session_prints() {
    let files = captures();
    assert!(files.len() >= 10, "fixtures not found");
    let mut checked = 0;
    for path in files {
        let frames = capture::read(&path);
        for mode in ["verbose", "summary", "summary\nhex 1"] {
            let full = print(&frames, mode, false);
            let single = print(&frames, mode, true);
            for (i, (a, b)) in full.iter().zip(&single).enumerate() {
                assert_eq!(a, b, "{}: frame {} ({} mode) differs in a single pass", path.display(), i + 1, mode);
            }
        }
        checked += frames.len();
    }
    assert!(checked > 1000, "only {} frames checked", checked);
}

/// Ethernet + IPv4 + TCP without payload, checksums zero.
fn segment(client_to_server: bool, sport: u16, seq: u32, ack: u32, flags: u8) -> Vec<u8> {
    let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let (src, dst, p_src, p_dst) = if client_to_server { (c, s, sport, 80) } else { (s, c, 80, sport) };
    let mut f = vec![0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00];
    f.extend_from_slice(&[0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&p_src.to_be_bytes());
    f.extend_from_slice(&p_dst.to_be_bytes());
    f.extend_from_slice(&seq.to_be_bytes());
    f.extend_from_slice(&ack.to_be_bytes());
    f.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    f
}

#[test]
fn a_straggler_after_retirement_keeps_its_stream_and_relative_numbers() {
    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    const FIN_ACK: u8 = 0x11;
    let s = 1_000_000_000i64;
    let frames: Vec<capture::Frame> = [
        (0, segment(true, 40000, 1000, 0, SYN)),
        (1, segment(false, 40000, 5000, 1001, SYN | ACK)),
        (2, segment(true, 40000, 1001, 5001, ACK)),
        (3, segment(true, 40000, 1001, 5001, FIN_ACK)),
        (4, segment(false, 40000, 5001, 1002, FIN_ACK)),
        (5, segment(true, 40000, 1002, 5002, ACK)),
        // Long after the close (past the retirement window): another connection, then a
        // straggler of the first, then the first ports reused with a new ISN.
        (200 * s, segment(true, 40001, 7000, 0, SYN)),
        (201 * s, segment(false, 40000, 5002, 1002, ACK)),
        (202 * s, segment(true, 40000, 9000, 0, SYN)),
        (203 * s, segment(false, 40000, 3000, 9001, SYN | ACK)),
    ]
    .into_iter()
    .map(|(ts, data)| capture::Frame { linktype: 1, ts_ns: ts, origlen: data.len() as u32, data })
    .collect();
    let fields = "mode fields\nfield tcp.stream\nfield tcp.seq\nfield tcp.ack\nfield tcp.time_relative\nfield tcp.completeness\n";
    let run = |single: bool| {
        let mut sess = Session::new();
        sess.configure(&format!("{}{}", fields, if single { "single_pass 1\n" } else { "" })).unwrap();
        let mut out = Vec::new();
        for f in &frames {
            let meta = FrameMeta { linktype: 1, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() };
            sess.ingest_and_print(meta, &f.data);
            out.push(std::mem::take(&mut sess.out));
        }
        out
    };
    let (full, single) = (run(false), run(true));
    assert_eq!(single, full);
    assert_eq!(single[7], "0\t2\t2\t201.000000000\t23\n", "the straggler joins stream 0");
    assert_eq!(single[8].split('\t').next(), Some("2"), "a new ISN on the old ports is a new stream");
}

const UPPER_FILTERS: &[&str] = &[
    "http.request",
    "http.response.code == 200 || json",
    "dns",
    "dns.qry.name contains \"a\" || json.key == \"id\"",
    "mdns || llmnr || dhcp",
    "frame.protocols contains \"json\"",
    "tls.handshake.type == 1 || http.host",
];

/// The TUI's filter pass re-dissects each frame; a filter on lower layers only stops at TCP
/// and UDP. It must pass exactly the frames a whole dissection passes: the same filter with an
/// always-false clause on an upper layer (which forces the whole dissection) is the reference.
#[test]
fn a_lower_layer_filter_passes_the_frames_a_whole_dissection_passes() {
    let filters = [
        "tcp.port == 80 || udp.port == 53",
        "tcp.stream eq 1",
        "tcp.flags.reset == 1 || tcp.analysis.retransmission",
        "ip.addr == 10.0.0.1 || ipv6.addr == ::1 || tcp.len > 100",
        "udp.stream eq 0 && frame.len > 60",
    ];
    let mut checked = 0;
    for path in captures() {
        let frames = capture::read(&path);
        let mut s = Session::new();
        let metas: Vec<FrameMeta> = frames
            .iter()
            .enumerate()
            .map(|(i, f)| FrameMeta { number: i as u32 + 1, linktype: f.linktype, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() })
            .collect();
        for (m, f) in metas.iter().zip(&frames) {
            s.ingest(*m, &f.data, false);
        }
        let pass = |s: &mut Session, text: &str| -> Vec<bool> {
            s.set_display_filter(text).unwrap();
            metas.iter().zip(&frames).map(|(m, f)| s.passes(*m, &f.data).unwrap()).collect()
        };
        for filter in filters {
            let lower = pass(&mut s, filter);
            let whole = pass(&mut s, &format!("({}) || frame.protocols contains \"no such protocol\"", filter));
            assert_eq!(lower, whole, "{}: {}", path.display(), filter);
            checked += frames.len();
        }
        // Filters above: JSON and DNS run without a tree unless the filter names them, which
        // an always-false `_ws` clause (any layer may add those) turns off.
        for filter in UPPER_FILTERS {
            let gated = pass(&mut s, filter);
            let whole = pass(&mut s, &format!("({}) || _ws.expert.message == \"no such message\"", filter));
            assert_eq!(gated, whole, "{}: {}", path.display(), filter);
        }
    }
    assert!(checked > 1000);
}

/// `-T fields` of header fields only (`session/scope.rs`: TCP's and UDP's flow analyses are
/// skipped then) prints what a session that runs them prints, on every capture.
#[test]
fn header_fields_need_no_flow_analysis() {
    let fields = [
        "frame.number", "ip.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "tcp.port", "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len",
        "tcp.flags", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.reset", "tcp.flags.str", "tcp.window_size_value", "tcp.checksum",
        "tcp.checksum.status", "tcp.urgent_pointer", "udp.srcport", "udp.dstport", "udp.port", "udp.length", "udp.checksum",
        "udp.checksum.status",
    ];
    let mode = format!("fields\n{}", fields.iter().map(|f| format!("field {}\n", f)).collect::<String>());
    let mut checked = 0;
    for path in captures() {
        let frames = capture::read(&path);
        let full = print(&frames, &mode, false);
        let single = print(&frames, &mode, true);
        for (i, (a, b)) in full.iter().zip(&single).enumerate() {
            assert_eq!(a, b, "{}: frame {} differs without the flow analyses", path.display(), i + 1);
        }
        checked += frames.len();
    }
    assert!(checked > 1000, "only {} frames checked", checked);
}

/// Conversation and endpoint tables of a single pass that stops at TCP and UDP (their taps read
/// stream numbers the flow analyses give) are a full session's, on every capture.
#[test]
fn tables_of_a_single_pass_are_a_full_sessions() {
    // With a TCP table (UDP's analysis is skipped), and without (TCP's is skipped too).
    for (tables, path) in ["conv,tcp\nconv,udp\nendpoints,tcp\nconv,ip", "conv,udp\nendpoints,udp\nconv,ip\nendpoints,eth"]
        .iter()
        .flat_map(|t| captures().into_iter().map(move |p| (*t, p)))
    {
        let frames = capture::read(&path);
        let mut texts = Vec::new();
        for single_pass in [false, true] {
            let mut s = Session::new();
            s.configure(&format!("mode quiet\n{}", if single_pass { "single_pass 1\n" } else { "" })).expect("config");
            s.start_stats(tables).expect("stats");
            for f in &frames {
                let meta = FrameMeta { linktype: f.linktype, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() };
                s.ingest_and_print(meta, &f.data);
                s.out.clear();
            }
            s.write_stats_text();
            texts.push(std::mem::take(&mut s.out));
        }
        assert_eq!(texts[0], texts[1], "{}: tables differ in a single pass", path.display());
    }
}

/// Header tables alone read the taps the dissectors queue, without a tree; next to another
/// statistic they read them from the tree. Both give the same tables, on every capture, for
/// every table type (and for tables with filters, which read a tree for the filter only).
#[test]
fn tables_from_queued_taps_are_those_from_the_tree() {
    let tables = [
        "conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp", "endpoints,eth", "endpoints,ip", "endpoints,ipv6", "endpoints,tcp",
        "endpoints,udp", "conv,tcp,tcp.port == 80 || tcp.port == 443", "endpoints,udp,dns",
    ];
    let mut checked = 0;
    for path in captures() {
        let frames = capture::read(&path);
        let mut json = Vec::new();
        for extra in ["", "\nio,phs"] {
            let mut s = Session::new();
            s.configure("mode quiet\nsingle_pass 1\n").expect("config");
            s.start_stats(&format!("{}{}", tables.join("\n"), extra)).expect("stats");
            for f in &frames {
                let meta = FrameMeta { linktype: f.linktype, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() };
                s.ingest_and_print(meta, &f.data);
                s.out.clear();
            }
            let mut all = Vec::new();
            for i in 0..tables.len() {
                assert!(s.write_stats_json(i));
                all.push(std::mem::take(&mut s.out));
            }
            json.push(all);
        }
        for (i, t) in tables.iter().enumerate() {
            assert_eq!(json[0][i], json[1][i], "{}: {} from queued taps differs from the tree's", path.display(), t);
        }
        checked += frames.len();
    }
    assert!(checked > 1000, "only {} frames checked", checked);
}
