//! Mutated frames from the project's fixtures through the dissector: no panic, and the work is
//! bounded. Deterministic (fixed seed). This is the reduced run; the full million-frame run
//! belongs to the dissection-core issue's separate script.

use reef_dissect::{FrameMeta, Session};
use std::path::Path;

/// Frames of a little-endian pcap (microsecond or nanosecond), with its link type.
fn read_pcap(path: &Path) -> (u32, Vec<Vec<u8>>) {
    let b = std::fs::read(path).unwrap();
    let linktype = u32::from_le_bytes([b[20], b[21], b[22], b[23]]);
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= b.len() {
        let caplen = u32::from_le_bytes([b[at + 8], b[at + 9], b[at + 10], b[at + 11]]) as usize;
        frames.push(b[at + 16..at + 16 + caplen].to_vec());
        at += 16 + caplen;
    }
    (linktype, frames)
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

#[test]
fn mutated_fixture_frames_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-fixtures/captures");
    let mut rng = Rng(0x5eed_2026);
    let mut total = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().map_or(true, |e| e != "pcap") {
            continue;
        }
        let (linktype, frames) = read_pcap(&path);
        let mut session = Session::new();
        for round in 0..2000 {
            let frame = mutate(&mut rng, &frames[round % frames.len()]);
            let meta = FrameMeta { linktype, caplen: frame.len() as u32, origlen: frame.len() as u32 + (round % 3) as u32, ts_digits: 6, ts_ns: round as i64, ..Default::default() };
            session.ingest(meta, &frame, round % 2 == 0);
            session.write_summary(&FrameMeta { number: session.frame_count(), ..meta });
            session.out.clear();
            assert!(session.revisit(FrameMeta { number: session.frame_count(), ..meta }, &frame, true));
            total += 1;
        }
    }
    assert!(total >= 10_000, "only {} mutated frames", total);
}
