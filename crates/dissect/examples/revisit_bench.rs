//! Times the TUI's passes over ingested frames natively: cargo run --release --example revisit_bench FILE [FILTER] [host]
//! First pass, then the display filter's pass (`passes`), a re-dissection with columns only, and coloring.
//! `host`: as the TUI does, reassembled PDUs are rebuilt from frames the host hands back.
use reef_dissect::Session;

#[path = "common/pcap.rs"]
mod pcap;
use std::time::Instant;

struct Frames(Vec<Vec<u8>>);

impl reef_dissect::analysis::FrameSource for Frames {
    fn frame(&mut self, number: u32, out: &mut Vec<u8>) -> bool {
        out.clear();
        self.0.get(number as usize - 1).map(|b| out.extend_from_slice(b)).is_some()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("read");
    let filter = args.get(2).map_or("dns || tcp.flags.reset == 1", |s| s.as_str());
    let frames = pcap::frames(&data);
    let n = frames.len() as f64;
    let mut s = Session::new();
    if args.get(3).map_or(false, |a| a == "host") {
        let copy: Vec<Vec<u8>> = frames.iter().map(|(_, b)| b.to_vec()).collect();
        s.set_frame_source(Some(Box::new(Frames(copy))));
    }
    let report = |what: &str, t: Instant| println!("{:28} {:6.2} us/frame", what, t.elapsed().as_secs_f64() * 1e6 / n);
    let t = Instant::now();
    for (m, b) in &frames {
        s.ingest(*m, b, false);
    }
    report("first pass (no tree)", t);
    s.set_display_filter(filter).expect("filter");
    // ONLY_FILTER=N: the filter's pass N times and nothing after it, for profiling it alone.
    let only_filter: Option<u32> = std::env::var("ONLY_FILTER").ok().and_then(|n| n.parse().ok());
    for _ in 0..only_filter.unwrap_or(1) {
        let t = Instant::now();
        let mut pass = 0;
        for (m, b) in &frames {
            pass += s.passes(*m, b).unwrap() as u32;
        }
        report(&format!("filter ({} pass)", pass), t);
    }
    if only_filter.is_some() {
        return;
    }
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
