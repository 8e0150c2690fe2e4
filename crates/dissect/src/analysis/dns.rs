//! DNS request/response matching, as Wireshark's DNS dissector does it: per conversation and
//! transaction ID, a query opens a transaction, the first response closes it, and repeats within
//! the retransmission window are retransmissions. Runs in the first pass; each message's result
//! is stored so a re-dissection (which also sees responses that came later) gives the answers.

use super::conv::{ConvKey, ConvMap};
use crate::packet::NetAddr;
use crate::hash::HashMap;

/// Wireshark's `dns.retransmission_timer` default: a query repeated within 5 s is a retransmission.
const RETRANSMISSION_NS: i64 = 5_000_000_000;
/// A single pass forgets transactions opened this long before the newest message: a response
/// arriving later still would be unsolicited (Wireshark would match it at any distance).
const SINGLE_PASS_WINDOW_NS: i64 = 120_000_000_000;

/// What matching needs from one DNS message.
pub struct Message {
    pub frame: u32,
    /// Where the message starts in the frame (tells apart several messages in one TCP segment).
    pub start: u32,
    pub ts: i64,
    pub src: Option<NetAddr>,
    pub dst: Option<NetAddr>,
    pub tcp: bool,
    pub id: u16,
    pub response: bool,
    /// The question asks for a zone transfer (AXFR/IXFR), which has several responses.
    pub multiple_responds: bool,
}

#[derive(Clone, Copy, Debug)]
struct Transaction {
    req_frame: u32,
    rep_frame: u32,
    req_ts: i64,
    multiple_responds: bool,
}

/// What the tree shows about a message's transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// A query whose response (if any) is not known yet.
    Request,
    /// A query answered in `response_in`.
    Answered { response_in: u32 },
    /// A query repeated before its answer; the original is in `original`.
    RetransmittedRequest { original: u32 },
    /// A response to the query in `request_in`, `time` ns after it.
    Response { request_in: u32, time: i64 },
    /// A repeated response; the first one is in `original`.
    RetransmittedResponse { original: u32 },
    /// A response without a query.
    Unsolicited,
}

/// One message's result, as kept for re-dissection (its time is its frame's).
#[derive(Clone, Copy)]
struct Stored {
    frame: u32,
    start: u32,
    /// The transaction, or NONE.
    trans: u32,
    retransmission: bool,
    response: bool,
}

const NONE: u32 = u32::MAX;

/// (address pair, over TCP, ID): the pair as its index in `pairs`, so a key is 8 bytes.
type Key = u64;

fn key(pair: u32, tcp: bool, id: u16) -> Key {
    (pair as u64) << 17 | (tcp as u64) << 16 | id as u64
}

#[derive(Default)]
pub struct DnsTransactions {
    /// The latest transaction per (transport, address pair, ID).
    by_key: HashMap<Key, u32>,
    /// Address pairs seen, numbered (far fewer than transactions); the next number.
    pairs: ConvMap<u32>,
    next_pair: u32,
    /// Transaction `forgotten + i` at `i`.
    transactions: std::collections::VecDeque<Transaction>,
    /// Transactions let go by a single pass, oldest first.
    forgotten: u32,
    /// One record per DNS message, in first-pass order (not kept by a single pass).
    messages: Vec<Stored>,
    /// Nothing is re-dissected: keep no message records, forget old transactions.
    pub single_pass: bool,
}

impl DnsTransactions {
    pub fn footprint(&self) -> usize {
        use std::mem::size_of;
        // A hash table entry is its key and value plus a control byte.
        self.messages.capacity() * size_of::<Stored>()
            + self.transactions.capacity() * size_of::<Transaction>()
            + self.by_key.capacity() * (size_of::<Key>() + 5)
            + self.pairs.heap_bytes()
    }

    fn get(&self, t: u32) -> Option<&Transaction> {
        self.transactions.get(t.checked_sub(self.forgotten)? as usize)
    }

    fn get_mut(&mut self, t: u32) -> Option<&mut Transaction> {
        self.transactions.get_mut(t.checked_sub(self.forgotten)? as usize)
    }

    /// Single pass: forgets the transactions opened more than the window before `now`, and
    /// from time to time the keys that only named those.
    pub fn forget_before(&mut self, now: i64) {
        let mut dropped = false;
        while self.transactions.front().map_or(false, |t| now - t.req_ts > SINGLE_PASS_WINDOW_NS) {
            self.transactions.pop_front();
            self.forgotten += 1;
            dropped = true;
        }
        if dropped && self.by_key.len() > 2 * self.transactions.len() + 4096 {
            let first = self.forgotten;
            self.by_key.retain(|_, t| *t >= first);
            self.by_key.shrink_to_fit();
            // And the address pairs only those keys named (numbers are never reused).
            let named: crate::hash::HashSet<u32> = self.by_key.keys().map(|k| (k >> 17) as u32).collect();
            self.pairs.retain(|pair| named.contains(pair));
        }
    }

    /// First pass: matches the message and records the result.
    pub fn analyze(&mut self, m: &Message) -> Match {
        // Ports are not known to application layers yet: the conversation is the address pair.
        let any = NetAddr::default();
        let (conv, _) = ConvKey::new(m.src.unwrap_or(any), 0, m.dst.unwrap_or(any), 0);
        let next = &mut self.next_pair;
        let pair = *self.pairs.get_or_insert_with(conv, || {
            *next += 1;
            *next - 1
        });
        let key = key(pair, m.tcp, m.id);
        let latest = self.by_key.get(&key).copied().filter(|&t| t >= self.forgotten);
        let mut retransmission = false;
        let trans = if !m.response {
            let repeat = latest.filter(|&t| self.get(t).map_or(false, |t| t.rep_frame == 0 && m.ts - t.req_ts < RETRANSMISSION_NS));
            match repeat {
                Some(t) => {
                    retransmission = true;
                    Some(t)
                }
                None => {
                    let idx = self.forgotten + self.transactions.len() as u32;
                    self.transactions.push_back(Transaction { req_frame: m.frame, rep_frame: 0, req_ts: m.ts, multiple_responds: false });
                    // Only the latest is ever looked up again.
                    self.by_key.insert(key, idx);
                    Some(idx)
                }
            }
        } else {
            if let Some(t) = latest.and_then(|t| self.get_mut(t)) {
                if t.rep_frame == 0 {
                    t.rep_frame = m.frame;
                } else if !t.multiple_responds {
                    retransmission = true;
                }
            }
            latest
        };
        if let Some(t) = trans.and_then(|t| self.get_mut(t)) {
            t.multiple_responds = m.multiple_responds;
        }
        let stored = Stored { frame: m.frame, start: m.start, trans: trans.unwrap_or(NONE), retransmission, response: m.response };
        if !self.single_pass {
            self.messages.push(stored);
        }
        self.describe(&stored, m.ts, false)
    }

    /// Re-dissection: the match of the message at `start` in `frame` (at `ts`), with what is
    /// known now.
    pub fn stored(&self, frame: u32, start: u32, ts: i64) -> Option<Match> {
        let first = self.messages.partition_point(|s| s.frame < frame);
        self.messages[first..]
            .iter()
            .take_while(|s| s.frame == frame)
            .find(|s| s.start == start)
            .map(|s| self.describe(s, ts, true))
    }

    fn describe(&self, s: &Stored, ts: i64, later_known: bool) -> Match {
        let t = match Some(s.trans).filter(|&t| t != NONE).and_then(|t| self.get(t)) {
            Some(t) => *t,
            None => return Match::Unsolicited,
        };
        match (s.response, s.retransmission) {
            (false, true) => Match::RetransmittedRequest { original: t.req_frame },
            // In the first pass the answer is still ahead (tshark's single pass shows none).
            (false, false) if later_known && t.rep_frame != 0 => Match::Answered { response_in: t.rep_frame },
            (false, false) => Match::Request,
            (true, true) => Match::RetransmittedResponse { original: t.rep_frame },
            (true, false) => Match::Response { request_in: t.req_frame, time: ts - t.req_ts },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(frame: u32, ts_s: i64, response: bool, id: u16) -> Message {
        let (a, b) = (NetAddr::v4([10, 0, 0, 1]), NetAddr::v4([10, 0, 0, 2]));
        let (src, dst) = if response { (b, a) } else { (a, b) };
        Message { frame, start: 42, ts: ts_s * 1_000_000_000, src: Some(src), dst: Some(dst), tcp: false, id, response, multiple_responds: false }
    }

    #[test]
    fn query_response_retransmissions_and_unsolicited() {
        let mut d = DnsTransactions::default();
        assert_eq!(d.analyze(&msg(1, 0, false, 7)), Match::Request);
        assert_eq!(d.analyze(&msg(2, 1, false, 7)), Match::RetransmittedRequest { original: 1 });
        assert_eq!(d.analyze(&msg(3, 2, true, 7)), Match::Response { request_in: 1, time: 2_000_000_000 });
        assert_eq!(d.analyze(&msg(4, 3, true, 7)), Match::RetransmittedResponse { original: 3 });
        assert_eq!(d.analyze(&msg(5, 3, true, 8)), Match::Unsolicited);
        // A query after the answer, or after the timer, opens a new transaction.
        assert_eq!(d.analyze(&msg(6, 4, false, 7)), Match::Request);
        assert_eq!(d.analyze(&msg(7, 10, false, 7)), Match::Request);
        assert_eq!(d.stored(1, 42, 0), Some(Match::Answered { response_in: 3 }));
        assert_eq!(d.stored(2, 42, 1), Some(Match::RetransmittedRequest { original: 1 }));
        assert_eq!(d.stored(3, 42, 2_000_000_000), Some(Match::Response { request_in: 1, time: 2_000_000_000 }));
        assert_eq!(d.stored(6, 42, 4), Some(Match::Request));
        assert_eq!(d.stored(6, 43, 4), None);
    }
}
