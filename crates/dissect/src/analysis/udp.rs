//! `udp.stream`: an index per UDP conversation, in order of first appearance.

use super::conv::{ConvKey, ConvMap};
use crate::packet::NetAddr;

#[derive(Default)]
pub struct UdpStreams {
    by_key: ConvMap<u32>,
    /// Stream index per UDP layer, in frame order (first pass), for re-dissection.
    frames: Vec<(u32, u32)>,
    /// Nothing is re-dissected: `frames` keeps the current frame's only.
    pub single_pass: bool,
}

impl UdpStreams {
    pub fn footprint(&self) -> usize {
        self.frames.capacity() * 8 + self.by_key.heap_bytes()
    }

    /// First pass: the stream of this datagram, creating it when new.
    pub fn assign(&mut self, frame: u32, src: NetAddr, sport: u16, dst: NetAddr, dport: u16) -> u32 {
        let (key, _) = ConvKey::new(src, sport, dst, dport);
        let next = self.by_key.len() as u32;
        let stream = *self.by_key.get_or_insert_with(key, || next);
        if self.single_pass && self.frames.last().map_or(false, |&(f, _)| f != frame) {
            // Only the current frame's are read (by the layers above UDP).
            self.frames.clear();
        }
        self.frames.push((frame, stream));
        stream
    }

    /// Re-dissection: the stream stored for the `ordinal`-th UDP layer of `frame`.
    pub fn stored(&self, frame: u32, ordinal: u32) -> Option<u32> {
        let start = self.frames.partition_point(|(f, _)| *f < frame);
        self.frames.get(start + ordinal as usize).filter(|(f, _)| *f == frame).map(|(_, s)| *s)
    }

    /// The streams of `frame`'s UDP layers, into `out`.
    pub fn streams_of(&self, frame: u32, out: &mut Vec<u32>) {
        out.clear();
        let start = self.frames.partition_point(|(f, _)| *f < frame);
        out.extend(self.frames[start..].iter().take_while(|(f, _)| *f == frame).map(|(_, s)| *s));
    }

    pub fn count(&self) -> usize {
        self.by_key.len()
    }
}
