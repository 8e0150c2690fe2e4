//! Profiles the batch path natively: cargo run --release --example print_bench FILE CONFIG [FILTER] [STATS]
//! CONFIG is print::Config text with `;` for newlines, e.g. "mode=fields;field=ip.src".
use reef_dissect::{FrameMeta, Session};

#[path = "common/pcap.rs"]
mod pcap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("read");
    let frames = pcap::frames(&data);
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
    for (m, b) in &frames {
        let meta = FrameMeta { number: 0, ..*m };
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
