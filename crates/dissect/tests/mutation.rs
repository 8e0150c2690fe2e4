//! Mutated frames from real captures through the dissector: no panic (a panic here is a trap
//! in wasm), and work bounded by the frame's length. Deterministic (fixed seed).
//!
//! The normal test run mutates ~20k frames; `scripts/mutation.sh` runs the full million
//! (`REEF_MUTATION_FRAMES=1000000`). Sources: the project's fixtures and, when present, the
//! public corpus's pcap files next to the repository.

use reef_dissect::{FrameMeta, Session};
use std::path::{Path, PathBuf};

/// Frames of a pcap in either byte order, with its link type; `None` for other formats.
fn read_pcap(path: &Path) -> Option<(u32, Vec<Vec<u8>>)> {
    let b = std::fs::read(path).ok()?;
    let magic = b.get(0..4)?;
    let le = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => true,
        [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => false,
        _ => return None,
    };
    let word = |at: usize| {
        let w = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if le { u32::from_le_bytes(w) } else { u32::from_be_bytes(w) }
    };
    let linktype = word(20) & 0x0fff_ffff;
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= b.len() {
        let caplen = word(at + 8) as usize;
        if caplen > 262_144 || at + 16 + caplen > b.len() {
            break;
        }
        frames.push(b[at + 16..at + 16 + caplen].to_vec());
        at += 16 + caplen;
    }
    if frames.is_empty() {
        None
    } else {
        Some((linktype, frames))
    }
}

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [root.join("test-fixtures/captures"), root.join("../shared/captures/public")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().map_or(false, |e| e == "pcap")));
        }
    }
    files.sort();
    files
}

/// xorshift64*: small, deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, frame: &[u8]) -> Vec<u8> {
    let mut f = frame.to_vec();
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(f.len());
                f[i] ^= 1 << rng.below(8);
            }
        }
        1 => f.truncate(rng.below(f.len() + 1)),
        2 => {
            // A length-ish field set to an extreme.
            let i = rng.below(f.len().saturating_sub(1));
            let v: [u8; 2] = if rng.below(2) == 0 { [0xff, 0xff] } else { [0, 0] };
            f[i..i + 2].copy_from_slice(&v);
        }
        _ => {
            let i = rng.below(f.len());
            f[i] = rng.next() as u8;
        }
    }
    f
}

/// Whether printing in every text mode works too (fields, tree, hex).
const MODES: [&str; 3] = ["mode fields\nfield ip.src\nfield tcp.flags\nfield _ws.col.Info\n", "mode verbose\nhex 1\n", "mode summary\n"];

#[test]
fn mutated_frames_never_panic_and_work_is_bounded() {
    let wanted: usize = std::env::var("REEF_MUTATION_FRAMES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let captures: Vec<(u32, Vec<Vec<u8>>)> = sources().iter().filter_map(|p| read_pcap(p)).collect();
    assert!(!captures.is_empty(), "no captures found");
    let per_capture = (wanted + captures.len() - 1) / captures.len();
    let mut rng = Rng(0x5eed_2026);
    let (mut total, mut malformed) = (0usize, 0usize);
    for (k, (linktype, frames)) in captures.iter().enumerate() {
        let mut session = Session::new();
        session.configure(MODES[k % MODES.len()]).unwrap();
        for round in 0..per_capture {
            let frame = mutate(&mut rng, &frames[round % frames.len()]);
            let meta = FrameMeta { linktype: *linktype, caplen: frame.len() as u32, origlen: frame.len() as u32 + (round % 3) as u32, ts_digits: 6, ts_ns: round as i64, ..Default::default() };
            session.ingest_and_print(meta, &frame);
            session.out.clear();
            let again = FrameMeta { number: session.frame_count(), ..meta };
            assert!(session.revisit(again, &frame, true));
            // Bounded work: the tree grows at most linearly with the frame's length.
            let nodes = session.tree().nodes.len();
            assert!(nodes <= 200 + 16 * frame.len(), "{} nodes for a {}-byte frame", nodes, frame.len());
            if session.columns().info.contains("[Malformed Packet]") || session.columns().info.contains("[Packet size limited") {
                malformed += 1;
            }
            total += 1;
        }
    }
    println!("mutated {} frames from {} captures; {} marked malformed or cut short", total, captures.len(), malformed);
    assert!(total >= wanted);
    assert!(malformed > 0, "mutations that break length fields must be marked");
}
