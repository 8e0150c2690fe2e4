//! TLS records that span TCP segments, on crafted segments: TLS dissects the complete records
//! of a segment and asks TCP for the bytes the last one lacks (Wireshark's
//! `desegment_ssl_records`). The expected columns and trees are tshark 4.0.17's for the same
//! frames written to a pcap.

use reef_dissect::{FrameMeta, Session};

const SERVER: ([u8; 4], u16) = ([10, 0, 0, 2], 443);
const CLIENT: ([u8; 4], u16) = ([10, 0, 0, 1], 50000);

fn record(content_type: u8, body: &[u8]) -> Vec<u8> {
    let mut r = vec![content_type, 3, 3];
    r.extend_from_slice(&(body.len() as u16).to_be_bytes());
    r.extend_from_slice(body);
    r
}

/// A TLS 1.2 ServerHello (no extensions) in its record: it fixes the connection's version.
fn server_hello() -> Vec<u8> {
    let mut body = vec![2, 0, 0, 38, 3, 3];
    body.extend((0..32).map(|i| i as u8));
    body.extend_from_slice(&[0, 0xc0, 0x2f, 0]);
    record(22, &body)
}

/// Ethernet/IPv4/TCP with PSH, ACK (checksums zero: Wireshark does not check them).
fn segment(from_server: bool, seq: u32, ack: u32, payload: &[u8]) -> Vec<u8> {
    let ((src, sport), (dst, dport)) = if from_server { (SERVER, CLIENT) } else { (CLIENT, SERVER) };
    let mut f = vec![0u8; 12];
    f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
    f.extend_from_slice(&((40 + payload.len()) as u16).to_be_bytes());
    f.extend_from_slice(&[0, 1, 0, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&seq.to_be_bytes());
    f.extend_from_slice(&ack.to_be_bytes());
    f.extend_from_slice(&[0x50, 0x18, 0x03, 0xe8, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    f
}

/// The server's payloads, cut the way the segments below cut them, and the frames.
struct Exchange {
    frames: Vec<Vec<u8>>,
}

/// 1: ServerHello + the first 100 bytes of a 305-byte record; 2: 150 bytes of its middle;
/// 3: its last 55 bytes, a whole 25-byte record and 3 bytes of the next header; 4: the rest of
/// that record; 5 (client): the first 30 bytes of a 55-byte record; 6: its rest.
fn exchange() -> Exchange {
    let (hello, a, b, c, d) = (server_hello(), record(23, &[0xaa; 300]), record(23, &[0xbb; 20]), record(23, &[0xcc; 10]), record(23, &[0xdd; 50]));
    let server = [[&hello[..], &a[..100]].concat(), a[100..250].to_vec(), [&a[250..], &b[..], &c[..3]].concat(), c[3..].to_vec()];
    let client = [d[..30].to_vec(), d[30..].to_vec()];
    let (mut seq, mut frames) = (1000u32, Vec::new());
    for p in &server {
        frames.push(segment(true, seq, 5000, p));
        seq += p.len() as u32;
    }
    let mut cseq = 5000u32;
    for p in &client {
        frames.push(segment(false, cseq, seq, p));
        cseq += p.len() as u32;
    }
    Exchange { frames }
}

fn meta(i: usize, f: &[u8]) -> FrameMeta {
    FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ts_ns: i as i64 * 1_000_000, ..Default::default() }
}

/// (Protocol, Info, frame.protocols) of every frame, first pass.
fn first_pass(s: &mut Session, frames: &[Vec<u8>]) -> Vec<(String, String, String)> {
    frames
        .iter()
        .enumerate()
        .map(|(i, f)| {
            s.ingest(meta(i, f), f, true);
            (s.columns().protocol.clone(), s.columns().info.clone(), s.protocols().to_string())
        })
        .collect()
}

fn row(p: &str, i: &str, protocols: &str) -> (String, String, String) {
    (p.to_string(), i.to_string(), protocols.to_string())
}

/// Labels of the tree's items in the order `tshark -V` prints them (depth first), without
/// indentation.
fn labels(s: &Session) -> Vec<String> {
    let t = s.tree();
    let n = t.nodes.len();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n + 1];
    for (i, node) in t.nodes.iter().enumerate() {
        let parent = if (node.parent as usize) < n { node.parent as usize } else { n };
        children[parent].push(i as u32);
    }
    let mut out = Vec::new();
    let mut stack: Vec<u32> = children[n].iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        if !t.nodes[i as usize].hidden {
            out.push(t.label(i));
        }
        stack.extend(children[i as usize].iter().rev());
    }
    out
}

#[test]
fn records_spanning_segments_are_dissected_where_they_complete() {
    let ex = exchange();
    let mut s = Session::new();
    let rows = first_pass(&mut s, &ex.frames);
    let tls = "eth:ethertype:ip:tcp:tls";
    assert_eq!(rows[0], row("TLSv1.2", "Server Hello", tls), "the cut record waits, no mark");
    assert_eq!(
        rows[1],
        row("TCP", "443 \u{2192} 50000 [PSH, ACK] Seq=148 Ack=1 Win=1000 Len=150 [TCP segment of a reassembled PDU]", "eth:ethertype:ip:tcp")
    );
    assert_eq!(rows[2], row("TLSv1.2", "Application Data, Application Data", "eth:ethertype:ip:tcp:tls:tls"));
    assert_eq!(rows[3], row("TLSv1.2", "Application Data", tls), "a record whose header was cut");
    assert_eq!(rows[4], row("TCP", "[TCP segment of a reassembled PDU]", tls), "TLS cleared Info and keeps its empty layer");
    assert_eq!(rows[5], row("TLSv1.2", "Application Data", tls));
}

#[test]
fn the_completing_frame_shows_the_reassembled_record_and_its_segments() {
    let ex = exchange();
    let mut s = Session::new();
    first_pass(&mut s, &ex.frames[..2]);
    s.ingest(meta(2, &ex.frames[2]), &ex.frames[2], true);
    let l = labels(&s);
    let at = |want: &str| l.iter().position(|x| x == want).unwrap_or_else(|| panic!("no {:?} in {:#?}", want, l));
    let seg_data = at("TCP segment data (55 bytes)");
    assert_eq!(l[seg_data + 1], "TCP segment data (3 bytes)", "the start of the next record, asked for");
    let segments = at("[3 Reassembled TCP Segments (305 bytes): #1(100), #2(150), #3(55)]");
    assert!(segments > seg_data);
    assert_eq!(l[segments + 1], "[Frame: 1, payload: 0-99 (100 bytes)]");
    assert_eq!(l[segments + 3], "[Frame: 3, payload: 250-304 (55 bytes)]");
    assert_eq!(l[segments + 5], "[Reassembled TCP length: 305]");
    assert_eq!(l[segments + 7], "Transport Layer Security");
    assert_eq!(l[segments + 8], "TLSv1.2 Record Layer: Application Data Protocol: Hypertext Transfer Protocol");
    assert_eq!(l[segments + 10], "Version: TLS 1.2 (0x0303)");
    assert_eq!(l[segments + 11], "Length: 300");
    assert!(l[segments + 14..].contains(&"Length: 20".to_string()), "the whole record after it, in the frame's bytes");
    let sources: Vec<(&str, usize)> = s.tree().sources.iter().map(|d| (d.name.as_str(), d.data.len())).collect();
    assert_eq!(sources, vec![("Reassembled TCP", 305)]);
}

#[test]
fn a_revisited_frame_shows_what_the_first_pass_showed() {
    let ex = exchange();
    let mut s = Session::new();
    let (mut rows, mut trees) = (Vec::new(), Vec::new());
    for (i, f) in ex.frames.iter().enumerate() {
        s.ingest(meta(i, f), f, true);
        rows.push((s.columns().protocol.clone(), s.columns().info.clone(), s.protocols().to_string()));
        trees.push(labels(&s));
    }
    // Backwards, so no frame can lean on state its predecessor left behind.
    for (i, f) in ex.frames.iter().enumerate().rev() {
        assert!(s.revisit(FrameMeta { number: i as u32 + 1, ..meta(i, f) }, f, true));
        let got = (s.columns().protocol.clone(), s.columns().info.clone(), s.protocols().to_string());
        assert_eq!(got, rows[i], "frame {}", i + 1);
        // Plus where a segment's PDU was finished, known only later (as tshark -2 shows it).
        let later: Vec<String> = labels(&s).into_iter().filter(|l| !l.starts_with("[Reassembled PDU in frame: ")).collect();
        assert_eq!(later, trees[i], "tree of frame {}", i + 1);
    }
}

#[test]
fn a_revisited_segment_names_the_frame_that_finished_its_pdu() {
    let ex = exchange();
    let mut s = Session::new();
    for (i, f) in ex.frames.iter().enumerate() {
        s.ingest(meta(i, f), f, false);
    }
    let shown: Vec<(usize, String)> = ex
        .frames
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            assert!(s.revisit(FrameMeta { number: i as u32 + 1, ..meta(i, f) }, f, true));
            labels(&s).into_iter().filter(|l| l.starts_with("[Reassembled PDU in frame: ")).map(move |l| (i + 1, l))
        })
        .collect();
    assert!(!shown.is_empty(), "no segment names where its PDU was reassembled");
    for (frame, label) in shown {
        let at: usize = label.trim_start_matches("[Reassembled PDU in frame: ").trim_end_matches(']').parse().unwrap();
        assert!(at > frame, "frame {} names frame {}", frame, at);
    }
}

#[test]
fn the_frame_that_finished_a_pdu_is_named_before_the_part_of_the_segment_it_took() {
    // Frame 3 ends record a, holds record b and starts record c, which frame 4 finishes: the
    // link sits with c's 3 bytes (after the fence), not with a's tail, as tshark -2 shows it.
    let ex = exchange();
    let mut s = Session::new();
    for (i, f) in ex.frames.iter().enumerate() {
        s.ingest(meta(i, f), f, false);
    }
    let f = &ex.frames[2];
    assert!(s.revisit(FrameMeta { number: 3, ..meta(2, f) }, f, true));
    let shown = labels(&s);
    let link = shown.iter().position(|l| l == "[Reassembled PDU in frame: 4]").expect("the link to frame 4");
    assert_eq!(shown.get(link + 1).map(|l| l.as_str()), Some("TCP segment data (3 bytes)"), "{:#?}", shown);
    assert_eq!(shown.iter().filter(|l| l.starts_with("[Reassembled PDU in frame: ")).count(), 1);
}

struct NoFrames;

impl reef_dissect::analysis::FrameSource for NoFrames {
    fn frame(&mut self, _: u32, _: &mut Vec<u8>) -> bool {
        false
    }
}

#[test]
fn a_pdu_that_cannot_be_rebuilt_leaves_out_what_followed_it_in_the_segment() {
    // Frame 3 finishes record a (reassembled from frames 1-3), then holds record b whole. If
    // the host cannot hand frames 1-2 back, a is left out; b must not be shown in its place
    // (with a's record number and state): it is left out too.
    let ex = exchange();
    let mut whole = Session::new();
    let mut lost = Session::new();
    lost.set_frame_source(Some(Box::new(NoFrames)));
    for (i, f) in ex.frames.iter().enumerate() {
        whole.ingest(meta(i, f), f, false);
        lost.ingest(meta(i, f), f, false);
    }
    let f = &ex.frames[2];
    assert!(whole.revisit(FrameMeta { number: 3, ..meta(2, f) }, f, true));
    assert!(lost.revisit(FrameMeta { number: 3, ..meta(2, f) }, f, true));
    let all = labels(&whole);
    let shown = labels(&lost);
    assert!(all.iter().any(|l| l.contains("Application Data")), "{:#?}", all);
    let wrong: Vec<&String> = shown.iter().filter(|l| !all.contains(l) && !l.starts_with("[Protocols in frame: ")).collect();
    assert!(wrong.is_empty(), "{:?}", wrong);
    assert!(!shown.iter().any(|l| l.starts_with("Transport Layer Security")), "{:#?}", shown);
}

#[test]
fn without_the_whole_segment_tls_skips_the_cut_record() {
    // A segment cut by the capture length cannot be reassembled: the partial record is
    // skipped silently, as tshark does when TCP cannot desegment.
    let ex = exchange();
    let f = &ex.frames[0];
    let cut = &f[..f.len() - 20];
    let mut s = Session::new();
    s.ingest(FrameMeta { origlen: f.len() as u32, ..meta(0, cut) }, cut, true);
    assert_eq!((s.columns().protocol.as_str(), s.columns().info.as_str()), ("TLSv1.2", "Server Hello"));
}
