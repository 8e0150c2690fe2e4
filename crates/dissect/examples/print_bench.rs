//! Profiles the batch path natively: cargo run --release --example print_bench FILE CONFIG [FILTER] [STATS]
//! CONFIG is print::Config text with `;` for newlines, e.g. "mode=fields;field=ip.src".
use reef_dissect::{FrameMeta, Session};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("read");
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= data.len() {
        let caplen = u32::from_le_bytes([data[at + 8], data[at + 9], data[at + 10], data[at + 11]]) as usize;
        let sec = u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as i64;
        let usec = u32::from_le_bytes([data[at + 4], data[at + 5], data[at + 6], data[at + 7]]) as i64;
        frames.push((sec * 1_000_000_000 + usec * 1000, &data[at + 16..at + 16 + caplen]));
        at += 16 + caplen;
    }
    let mut s = Session::new();
    s.configure(&args[2].replace(';', "\n")).expect("config");
    if let Some(f) = args.get(3).filter(|f| !f.is_empty()) {
        s.set_display_filter(f).expect("filter");
    }
    if let Some(z) = args.get(4) {
        s.start_stats(z).expect("stats");
    }
    let t = Instant::now();
    let mut bytes = 0;
    for (ts, b) in &frames {
        let meta = FrameMeta { linktype: 1, caplen: b.len() as u32, origlen: b.len() as u32, ts_ns: *ts, ts_digits: 6, ..Default::default() };
        s.ingest_and_print(meta, b);
        bytes += s.out.len();
        s.out.clear();
    }
    if args.get(4).is_some() {
        s.write_stats_text();
        bytes += s.out.len();
    }
    let e = t.elapsed();
    eprintln!("{:6.3} s  {:6.2} us/frame  {} bytes out", e.as_secs_f64(), e.as_secs_f64() * 1e6 / frames.len() as f64, bytes);
}
