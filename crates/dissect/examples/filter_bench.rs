//! Times dissection and filtering over a pcap: cargo run --release --example filter_bench FILE FILTER
use reef_dissect::filter::Filter;
use reef_dissect::{FrameMeta, Session};

#[path = "common/pcap.rs"]
mod pcap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("read");
    let frames = pcap::frames(&data);
    for mode in ["columns", "tree", "filter", "interest"] {
        let mut s = Session::new();
        let mut f = Filter::compile(args.get(2).map_or("tcp", |s| s.as_str())).expect("filter");
        if mode == "interest" {
            s.set_display_filter(args.get(2).map_or("tcp", |s| s.as_str())).expect("filter");
        }
        let t = Instant::now();
        let mut n = 0;
        for (m, b) in &frames {
            let meta = FrameMeta { number: 0, ..*m };
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
