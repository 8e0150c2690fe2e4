//! Times dissection and filtering over a pcap: cargo run --release --example filter_bench FILE FILTER
use reef_dissect::filter::Filter;
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
    for mode in ["columns", "tree", "filter", "interest"] {
        let mut s = Session::new();
        let mut f = Filter::compile(args.get(2).map_or("tcp", |s| s.as_str())).expect("filter");
        if mode == "interest" {
            s.set_display_filter(args.get(2).map_or("tcp", |s| s.as_str())).expect("filter");
        }
        let t = Instant::now();
        let mut n = 0;
        for (ts, b) in &frames {
            let meta = FrameMeta { linktype: 1, caplen: b.len() as u32, origlen: b.len() as u32, ts_ns: *ts, ts_digits: 6, ..Default::default() };
            if mode == "interest" {
                let m = FrameMeta { number: 0, ..meta };
                s.ingest_and_print(m, b);
                s.out.clear();
                continue;
            }
            s.ingest(meta, b, mode != "columns");
            if mode == "filter" && f.matches(s.tree(), b) {
                n += 1;
            }
        }
        let e = t.elapsed();
        println!("{:8} {:6.3} s  {:6.2} us/frame  matches {}", mode, e.as_secs_f64(), e.as_secs_f64() * 1e6 / frames.len() as f64, n);
    }
}
