//! Every public capture with TCP through the core, compared field by field with tshark 4.0.17's
//! dump (`shared/captures/public/oracle/*.fields.tsv`): the TCP columns, including the analysis
//! flags and `tcp.completeness`, and the Info column. Skipped when the corpus is absent.
//!
//! `REEF_ORACLE_VERBOSE=1` prints every differing cell.

mod common;

use common::capture;
use reef_dissect::field::{Base, FieldType};
use reef_dissect::tree::{Tree, Value};
use reef_dissect::{FrameMeta, Session};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The TCP columns of the oracle that must match on every frame.
const TCP_COLUMNS: &[&str] = &[
    "tcp.stream",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq",
    "tcp.seq_raw",
    "tcp.ack",
    "tcp.nxtseq",
    "tcp.len",
    "tcp.flags",
    "tcp.window_size",
    "tcp.analysis.flags",
    "tcp.analysis.retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.duplicate_ack",
    "tcp.analysis.lost_segment",
    "tcp.analysis.zero_window",
    "tcp.completeness",
];

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures/public");
    let dir = if dir.is_dir() { dir } else { PathBuf::from("/work/shared/captures/public") };
    dir.join("oracle").is_dir().then(|| dir)
}

/// A field value as `tshark -T fields` prints it.
fn field_text(tree: &Tree, n: usize) -> String {
    let node = &tree.nodes[n];
    let f = node.field;
    match &node.value {
        Value::Uint(v) if f.base == Base::Hex => {
            let w = match f.ftype {
                FieldType::Uint8 => 2,
                FieldType::Uint16 => 4,
                FieldType::Uint24 => 6,
                FieldType::Uint32 => 8,
                _ => 16,
            };
            format!("0x{:0w$x}", v, w = w)
        }
        Value::Uint(v) => v.to_string(),
        Value::Int(v) => v.to_string(),
        Value::Bool(b) => (*b as u8).to_string(),
        Value::Str(s) => s.clone(),
        Value::Time(ns) => format!("{}.{:09}", ns / 1_000_000_000, (ns % 1_000_000_000).abs()),
        Value::None => "1".to_string(),
        _ => String::new(),
    }
}

fn fields_of(tree: &Tree) -> HashMap<&'static str, String> {
    let mut out: HashMap<&'static str, String> = HashMap::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        if !node.field.abbrev.starts_with("tcp") {
            continue;
        }
        let text = field_text(tree, i);
        out.entry(node.field.abbrev).and_modify(|s| {
            s.push(',');
            s.push_str(&text);
        }).or_insert(text);
    }
    out
}

#[derive(Default)]
struct Score {
    cells: usize,
    matched: usize,
    info_rows: usize,
    info_matched: usize,
    info_diff_tcp: usize,
    protocols_matched: usize,
}

/// Splits `[TCP ...] ` prefixes off an Info string.
fn split_prefixes(info: &str) -> (&str, &str) {
    let mut at = 0;
    while info[at..].starts_with("[TCP ") || info[at..].starts_with("[Continuation") {
        match info[at..].find("] ") {
            Some(i) => at += i + 2,
            None => break,
        }
    }
    (&info[..at], &info[at..])
}

/// A TCP-made Info line (ports, flags, numbers), as opposed to one a payload protocol wrote.
fn is_tcp_line(s: &str) -> bool {
    s.contains(" \u{2192} ") && s.contains("] Seq=")
}

/// Whether an Info difference is in TCP's own part (prefixes or the TCP line).
fn info_differs_in_tcp(ours: &str, theirs: &str) -> bool {
    let (p1, r1) = split_prefixes(ours);
    let (p2, r2) = split_prefixes(theirs);
    if p1 != p2 {
        return true;
    }
    let tcp1 = if is_tcp_line(r1) { r1.split(" [TCP segment").next().unwrap_or(r1) } else { "" };
    let tcp2 = if is_tcp_line(r2) { r2.split(" [TCP segment").next().unwrap_or(r2) } else { "" };
    !tcp1.is_empty() && !tcp2.is_empty() && tcp1 != tcp2
}

fn compare(path: &Path, tsv: &Path, verbose: bool) -> Score {
    let text = std::fs::read_to_string(tsv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let frames = capture::read(path);
    let mut session = Session::new();
    let mut score = Score::default();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut first_pass: Vec<(FrameMeta, String, HashMap<&'static str, String>)> = Vec::new();
    for (i, line) in lines.enumerate() {
        let row: Vec<&str> = line.split('\t').collect();
        let f = match frames.get(i) {
            Some(f) => f,
            None => break,
        };
        let meta = FrameMeta {
            linktype: f.linktype,
            ts_ns: f.ts_ns,
            caplen: f.data.len() as u32,
            origlen: f.origlen,
            ts_digits: 9,
            ..Default::default()
        };
        session.ingest(meta, &f.data, true);
        first_pass.push((meta, session.columns().info.clone(), fields_of(session.tree())));
        if row[col("tcp.stream")].is_empty() && !session.tree().nodes.iter().any(|n| n.field.abbrev == "tcp") {
            continue;
        }
        let ours = fields_of(session.tree());
        for c in TCP_COLUMNS {
            let theirs = row[col(c)];
            let mine = ours.get(c).map(|s| s.as_str()).unwrap_or("");
            score.cells += 1;
            if mine == theirs {
                score.matched += 1;
            } else if verbose {
                println!("{} #{} {}: ours {:?} tshark {:?}", name, i + 1, c, mine, theirs);
            }
        }
        if session.protocols() == row[col("frame.protocols")] {
            score.protocols_matched += 1;
        } else if verbose {
            println!("{} #{} frame.protocols: ours {:?} tshark {:?}", name, i + 1, session.protocols(), row[col("frame.protocols")]);
        }
        let info = &session.columns().info;
        let theirs = row[col("_ws.col.Info")];
        score.info_rows += 1;
        if info == theirs {
            score.info_matched += 1;
        } else {
            if info_differs_in_tcp(info, theirs) {
                score.info_diff_tcp += 1;
            }
            if verbose {
                println!("{} #{} Info:\n   ours   {}\n   tshark {}", name, i + 1, info, theirs);
            }
        }
    }
    // Any frame re-dissected alone gives the first pass's answers.
    for (i, (meta, info, fields)) in first_pass.iter().enumerate() {
        let meta = FrameMeta { number: i as u32 + 1, ..*meta };
        assert!(session.revisit(meta, &frames[i].data, true));
        // Other protocols may add what only a later frame told (as tshark -2 does); TCP's
        // own lines must not change.
        if session.columns().protocol == "TCP" {
            assert_eq!(&session.columns().info, info, "{} #{} Info on revisit", name, i + 1);
        }
        // Except where a segment's PDU was finished: known only later, shown as tshark -2 does.
        let mut revisited = fields_of(session.tree());
        if !fields.contains_key("tcp.reassembled_in") {
            revisited.remove("tcp.reassembled_in");
        }
        assert_eq!(&revisited, fields, "{} #{} fields on revisit", name, i + 1);
    }
    score
}

#[test]
fn tcp_fields_match_tshark_on_the_public_captures() {
    let dir = match corpus() {
        Some(d) => d,
        None => {
            println!("public captures absent: skipped");
            return;
        }
    };
    let verbose = std::env::var("REEF_ORACLE_VERBOSE").is_ok();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let mut total = Score::default();
    let mut failures = Vec::new();
    for path in names.iter().filter(|p| p.is_file() && !p.extension().map_or(false, |e| e == "md")) {
        let tsv = dir.join("oracle").join(format!("{}.fields.tsv", path.file_name().unwrap().to_string_lossy()));
        if !tsv.exists() {
            continue;
        }
        let s = compare(path, &tsv, verbose);
        if s.info_rows == 0 {
            continue;
        }
        println!(
            "{:40} TCP cells {:5}/{:5} ({:6.2}%)  Info {:4}/{:4} (differing in the TCP part: {})  protocols {:4}/{:4}",
            path.file_name().unwrap().to_string_lossy(),
            s.matched,
            s.cells,
            100.0 * s.matched as f64 / s.cells as f64,
            s.info_matched,
            s.info_rows,
            s.info_diff_tcp,
            s.protocols_matched,
            s.info_rows
        );
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        // VLAN tags are not dissected yet, so that capture has no TCP layer at all.
        if s.matched != s.cells && name != "zeek_http-vlan-0.pcap" {
            failures.push(format!("{}: {} TCP cells differ", name, s.cells - s.matched));
        }
        if s.info_diff_tcp != 0 {
            failures.push(format!("{}: {} Info columns differ in the TCP part", name, s.info_diff_tcp));
        }
        total.cells += s.cells;
        total.matched += s.matched;
        total.info_rows += s.info_rows;
        total.info_matched += s.info_matched;
        total.info_diff_tcp += s.info_diff_tcp;
        total.protocols_matched += s.protocols_matched;
    }
    let pct = 100.0 * total.matched as f64 / total.cells.max(1) as f64;
    println!(
        "TOTAL TCP cells {}/{} ({:.2}%), Info {}/{} ({:.2}%), Info rows differing in the TCP part: {}, frame.protocols {}/{}",
        total.matched,
        total.cells,
        pct,
        total.info_matched,
        total.info_rows,
        100.0 * total.info_matched as f64 / total.info_rows.max(1) as f64,
        total.info_diff_tcp,
        total.protocols_matched,
        total.info_rows
    );
    assert!(failures.is_empty(), "differences from tshark (REEF_ORACLE_VERBOSE=1 lists them):\n{}", failures.join("\n"));
}

