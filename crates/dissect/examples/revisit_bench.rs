//! Times the TUI's passes over ingested frames natively: cargo run --release --example revisit_bench FILE [FILTER]
//! First pass, then the display filter's pass (`passes`), a re-dissection with columns only, and coloring.
use reef_dissect::{FrameMeta, Session};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("read");
    let filter = args.get(2).map_or("dns || tcp.flags.reset == 1", |s| s.as_str());
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= data.len() {
        let word = |k: usize| u32::from_le_bytes([data[at + k], data[at + k + 1], data[at + k + 2], data[at + k + 3]]);
        let caplen = word(8) as usize;
        let meta = FrameMeta { number: frames.len() as u32 + 1, linktype: 1, caplen: caplen as u32, origlen: word(12), ts_ns: word(0) as i64 * 1_000_000_000 + word(4) as i64 * 1000, ts_digits: 6, ..Default::default() };
        frames.push((meta, &data[at + 16..at + 16 + caplen]));
        at += 16 + caplen;
    }
    let n = frames.len() as f64;
    let mut s = Session::new();
    let report = |what: &str, t: Instant| println!("{:28} {:6.2} us/frame", what, t.elapsed().as_secs_f64() * 1e6 / n);
    let t = Instant::now();
    for (m, b) in &frames {
        s.ingest(*m, b, false);
    }
    report("first pass (no tree)", t);
    s.set_display_filter(filter).expect("filter");
    let t = Instant::now();
    let mut pass = 0;
    for (m, b) in &frames {
        pass += s.passes(*m, b).unwrap() as u32;
    }
    report(&format!("filter ({} pass)", pass), t);
    let t = Instant::now();
    for (m, b) in &frames {
        s.revisit(*m, b, false);
    }
    report("revisit, columns only", t);
    let t = Instant::now();
    for (m, b) in &frames {
        s.color_of(*m, b);
    }
    report("color", t);
}
