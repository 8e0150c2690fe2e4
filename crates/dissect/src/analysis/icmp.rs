//! ICMP and ICMPv6 echo request/reply matching, as Wireshark's `transaction_start` /
//! `transaction_end`: a request opens a transaction keyed by the two addresses and
//! (expected reply checksum, identifier, sequence number); the first reply with that key
//! closes it. Matching runs once in frame order; each echo layer's transaction is stored under
//! (frame, offset of the layer) so a revisit reads the final answer (Wireshark's second pass)
//! without replaying the capture.

use crate::packet::NetAddr;
use crate::hash::HashMap;

/// The protocol doing the matching (ICMP and ICMPv6 keep separate tables, as in Wireshark).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Family {
    V4,
    V6,
}

/// Everything that identifies one echo exchange. The addresses are kept in a fixed order so a
/// request and its reply (addresses swapped) find the same entry.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Key {
    family: Family,
    a: NetAddr,
    b: NetAddr,
    /// The reply's checksum (derived from the request's) and `identifier << 16 | sequence`.
    words: [u32; 2],
}

impl Key {
    fn new(family: Family, src: NetAddr, dst: NetAddr, words: [u32; 2]) -> Key {
        let (a, b) = if (src.v6, src.bytes) <= (dst.v6, dst.bytes) { (src, dst) } else { (dst, src) };
        Key { family, a, b, words }
    }
}

/// One echo exchange. `reply` is 0 until a reply is seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transaction {
    pub request: u32,
    pub reply: u32,
    pub request_ts: i64,
}

/// What one echo layer needs from the analysis.
pub struct Echo {
    pub family: Family,
    pub frame: u32,
    /// Offset of the ICMP layer in the frame: tells echo layers of one frame apart.
    pub offset: u32,
    pub ts: i64,
    pub src: NetAddr,
    pub dst: NetAddr,
    pub words: [u32; 2],
}

/// The answer for one echo layer: the transaction it belongs to, if any (a request always has
/// one; a reply only when it closed a transaction).
pub type EchoMatch = Option<Transaction>;

const NONE: u32 = u32::MAX;

#[derive(Default)]
pub struct IcmpAnalysis {
    /// Open transactions by key; a repeated request replaces the older one, as in Wireshark.
    unmatched: HashMap<Key, u32>,
    transactions: Vec<Transaction>,
    /// (frame, layer offset, transaction index or NONE) for every echo layer, in frame order.
    frames: Vec<(u32, u32, u32)>,
    /// How many ICMP error packets enclose the layer being dissected (Wireshark's
    /// `in_error_pkt`): quoted packets are not matched and their checksums not verified.
    pub error_depth: u32,
}

impl IcmpAnalysis {
    /// First pass, request: opens a transaction. What the request knows now (no reply yet).
    pub fn request(&mut self, e: &Echo) -> EchoMatch {
        let idx = self.transactions.len() as u32;
        let t = Transaction { request: e.frame, reply: 0, request_ts: e.ts };
        self.transactions.push(t);
        self.unmatched.insert(Key::new(e.family, e.src, e.dst, e.words), idx);
        self.frames.push((e.frame, e.offset, idx));
        Some(t)
    }

    /// First pass, reply: closes the open transaction with this key unless a reply already
    /// closed it (duplicates are not matched).
    pub fn reply(&mut self, e: &Echo) -> EchoMatch {
        let found = self.unmatched.get(&Key::new(e.family, e.src, e.dst, e.words)).copied();
        let idx = match found {
            Some(i) if self.transactions[i as usize].reply == 0 => i,
            _ => {
                self.frames.push((e.frame, e.offset, NONE));
                return None;
            }
        };
        self.transactions[idx as usize].reply = e.frame;
        self.frames.push((e.frame, e.offset, idx));
        Some(self.transactions[idx as usize])
    }

    /// Revisit: the transaction of the echo layer at `offset` in `frame`, as it stands after
    /// every frame ingested so far.
    pub fn stored(&self, frame: u32, offset: u32) -> EchoMatch {
        let at = self.frames.partition_point(|(f, o, _)| (*f, *o) < (frame, offset));
        match self.frames.get(at) {
            Some(&(f, o, idx)) if f == frame && o == offset && idx != NONE => self.transactions.get(idx as usize).copied(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(frame: u32, from_a: bool, seq: u32) -> Echo {
        let a = NetAddr::v4([10, 0, 0, 1]);
        let b = NetAddr::v4([10, 0, 0, 2]);
        let (src, dst) = if from_a { (a, b) } else { (b, a) };
        Echo { family: Family::V4, frame, offset: 34, ts: frame as i64 * 1_000_000, src, dst, words: [0xf7ff, 0x1234_0000 | seq] }
    }

    #[test]
    fn a_reply_closes_the_request_and_both_remember_it() {
        let mut m = IcmpAnalysis::default();
        assert_eq!(m.request(&echo(1, true, 1)).map(|t| t.reply), Some(0), "the first pass knows no reply yet");
        let r = m.reply(&echo(2, false, 1)).unwrap();
        assert_eq!((r.request, r.reply, r.request_ts), (1, 2, 1_000_000));
        assert_eq!(m.stored(1, 34).map(|t| t.reply), Some(2), "a revisit of the request sees its reply");
        assert_eq!(m.stored(2, 34).map(|t| t.request), Some(1));
    }

    #[test]
    fn duplicates_and_strangers_are_not_matched() {
        let mut m = IcmpAnalysis::default();
        m.request(&echo(1, true, 1));
        m.reply(&echo(2, false, 1));
        assert_eq!(m.reply(&echo(3, false, 1)), None, "a second reply to the same request");
        assert_eq!(m.reply(&echo(4, false, 9)), None, "a reply to no request");
        assert_eq!((m.stored(3, 34), m.stored(4, 34)), (None, None));
        assert_eq!(m.stored(2, 62), None, "another layer of the frame");
    }

    #[test]
    fn a_repeated_request_takes_over_the_key() {
        let mut m = IcmpAnalysis::default();
        m.request(&echo(1, true, 1));
        m.request(&echo(2, true, 1));
        m.reply(&echo(3, false, 1));
        assert_eq!(m.stored(1, 34).map(|t| t.reply), Some(0), "the first request stays unanswered");
        assert_eq!(m.stored(2, 34).map(|t| t.reply), Some(3));
    }
}
