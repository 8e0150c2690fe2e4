//! The examples' pcap reader: little-endian classic pcap with microsecond timestamps (what
//! bench/generate-capture.mjs writes), frames numbered from 1. Examples only; the product
//! reads captures with @reef/capture.
use reef_dissect::FrameMeta;

pub fn frames(data: &[u8]) -> Vec<(FrameMeta, &[u8])> {
    let mut out = Vec::new();
    let mut at = 24;
    while at + 16 <= data.len() {
        let word = |o: usize| u32::from_le_bytes([data[at + o], data[at + o + 1], data[at + o + 2], data[at + o + 3]]);
        let caplen = word(8) as usize;
        if at + 16 + caplen > data.len() {
            break;
        }
        let ts_ns = word(0) as i64 * 1_000_000_000 + word(4) as i64 * 1000;
        let meta = FrameMeta { number: out.len() as u32 + 1, linktype: 1, caplen: caplen as u32, origlen: word(12), ts_ns, ts_digits: 6, ..Default::default() };
        out.push((meta, &data[at + 16..at + 16 + caplen]));
        at += 16 + caplen;
    }
    out
}
