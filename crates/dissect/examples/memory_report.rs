//! What the first pass keeps per frame: cargo run --release --example memory_report FILE [single|host]
//! Ingests a pcap as the TUI does (no printing; `single`: as reef-cli's single pass does,
//! keeping nothing for re-dissection; `host`: as the TUI on a capture file does, the host
//! handing frames back so reassembled bytes are not kept) and prints the live heap per frame, measured
//! by a counting allocator, with the analysis state's largest structures. Native pointers are
//! 8 bytes where wasm's are 4, so wasm keeps somewhat less.
use reef_dissect::Session;

#[path = "common/pcap.rs"]
mod pcap;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let now = LIVE.fetch_add(new, Ordering::Relaxed) + new;
        PEAK.fetch_max(now, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        System.realloc(p, l, new)
    }
}

struct NoFrames;

impl reef_dissect::analysis::FrameSource for NoFrames {
    fn frame(&mut self, _: u32, _: &mut Vec<u8>) -> bool {
        false
    }
}

#[global_allocator]
static A: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("read");
    let frames = pcap::frames(&data);
    let n = frames.len() as u32;
    let base = LIVE.load(Ordering::Relaxed);
    let mut s = Session::new();
    match args.get(2).map(|a| a.as_str()) {
        Some("single") => s.configure("single_pass 1\n").expect("config"),
        // Nothing is re-dissected here, so the source is never asked.
        Some("host") => s.set_frame_source(Some(Box::new(NoFrames))),
        _ => {}
    }
    for (meta, bytes) in &frames {
        s.ingest(*meta, bytes, false);
    }
    let live = LIVE.load(Ordering::Relaxed) - base;
    let per = |b: usize| b as f64 / n as f64;
    println!("{} frames: live heap {:.1} MB = {:.1} B/frame (peak {:.1} MB)", n, live as f64 / 1e6, per(live), (PEAK.load(Ordering::Relaxed) - base) as f64 / 1e6);
    for (name, bytes) in s.footprint() {
        println!("  {:24} {:8.1} MB {:7.1} B/frame", name, bytes as f64 / 1e6, per(bytes));
    }
}
