//! The handshake ladder of one TCP stream (Reef's flow view): every segment from SYN to FIN or
//! RST with its flags, relative and raw numbers, length and analysis notes, and the state of
//! both endpoints' TCP state machines (RFC 9293 section 3.3.2) after it.
//!
//! The capture point sees a segment once, between sender and receiver. The model applies the
//! sender's transition for sending it and the receiver's for receiving it, as if it arrived;
//! except that a SYN leaves its receiver in LISTEN until it answers, since a closed port
//! answers with RST instead of SYN-ACK.

use super::taps::{write_host_port, Address, Tap, Taps};
use super::{ns_to_sec, FrameView};
use crate::json;
use crate::tree::{Tree, NO_NODE};
use std::fmt::Write;

const FIN: u16 = 0x001;
const SYN: u16 = 0x002;
const RST: u16 = 0x004;
const ACK: u16 = 0x010;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Closed => "CLOSED",
            State::Listen => "LISTEN",
            State::SynSent => "SYN_SENT",
            State::SynReceived => "SYN_RECEIVED",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN_WAIT_1",
            State::FinWait2 => "FIN_WAIT_2",
            State::CloseWait => "CLOSE_WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST_ACK",
            State::TimeWait => "TIME_WAIT",
        }
    }
}

fn seq_ge(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) >= 0
}

/// One endpoint's state machine.
#[derive(Clone, Copy, Debug)]
struct Peer {
    state: State,
    /// Sequence number just past our FIN, once sent (what the peer must acknowledge).
    fin_end: Option<u32>,
}

/// Both state machines of a connection; side 0 is the sender of the first segment seen.
#[derive(Clone, Copy, Debug)]
pub struct Connection {
    peers: [Peer; 2],
    started: bool,
}

impl Default for Connection {
    fn default() -> Connection {
        let p = Peer { state: State::Closed, fin_end: None };
        Connection { peers: [p, p], started: false }
    }
}

impl Connection {
    pub fn states(&self) -> [State; 2] {
        [self.peers[0].state, self.peers[1].state]
    }

    /// Applies one segment sent by `from` (relative seq/ack, payload length) to both sides.
    pub fn segment(&mut self, from: usize, flags: u16, seq: u32, ack: u32, len: u32) {
        let to = 1 - from;
        if !self.started {
            self.started = true;
            if flags & SYN == 0 {
                // The capture began mid-connection.
                self.peers = [Peer { state: State::Established, fin_end: None }; 2];
            } else {
                self.peers[to].state = State::Listen;
            }
        }
        if flags & RST != 0 {
            self.peers[from].state = State::Closed;
            self.peers[to].state = State::Closed;
            return;
        }
        self.send(from, flags, seq, len);
        self.receive(to, flags, ack);
    }

    fn send(&mut self, side: usize, flags: u16, seq: u32, len: u32) {
        let p = &mut self.peers[side];
        if flags & SYN != 0 {
            if matches!(p.state, State::Closed | State::Listen) {
                p.state = if flags & ACK != 0 { State::SynReceived } else { State::SynSent };
            }
            return;
        }
        if flags & FIN != 0 {
            p.fin_end = Some(seq.wrapping_add(len).wrapping_add(1));
            p.state = match p.state {
                State::Established | State::SynReceived => State::FinWait1,
                State::CloseWait => State::LastAck,
                s => s,
            };
        }
    }

    fn receive(&mut self, side: usize, flags: u16, ack: u32) {
        let p = &mut self.peers[side];
        let acks_our_fin = flags & ACK != 0 && p.fin_end.map_or(false, |end| seq_ge(ack, end));
        if flags & SYN != 0 {
            p.state = match p.state {
                State::Closed | State::Listen if flags & ACK == 0 => State::Listen,
                State::Closed | State::Listen => State::SynReceived,
                // A SYN-ACK answering our SYN: we acknowledge it and are connected.
                State::SynSent if flags & ACK != 0 => State::Established,
                // Simultaneous open: their SYN, then their SYN-ACK.
                State::SynSent => State::SynReceived,
                State::SynReceived if flags & ACK != 0 => State::Established,
                s => s,
            };
            return;
        }
        if flags & ACK != 0 && p.state == State::SynReceived {
            p.state = State::Established;
        }
        if acks_our_fin {
            p.state = match p.state {
                State::FinWait1 => State::FinWait2,
                State::Closing => State::TimeWait,
                State::LastAck => State::Closed,
                s => s,
            };
        }
        if flags & FIN != 0 {
            p.state = match p.state {
                State::Established | State::SynReceived => State::CloseWait,
                State::FinWait1 => State::Closing,
                State::FinWait2 => State::TimeWait,
                s => s,
            };
        }
    }
}

/// One rung of the ladder.
pub struct Event {
    pub frame: u32,
    pub rel_ns: i64,
    /// 0: from side A (the first segment's sender), 1: from side B.
    pub dir: u8,
    pub flags: u16,
    pub seq: u32,
    pub ack: u32,
    pub seq_raw: u32,
    pub ack_raw: u32,
    pub len: u32,
    /// Expert messages under the TCP header (retransmission, dup ACK, zero window, ...).
    pub notes: Vec<String>,
    pub states: [State; 2],
}

pub struct Ladder {
    stream: u32,
    ends: Option<[(Address, u16); 2]>,
    conn: Connection,
    pub events: Vec<Event>,
}

/// The expert messages in the subtree of node `top`.
fn notes_under(tree: &Tree, top: u32) -> Vec<String> {
    let mut notes = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate().skip(top as usize + 1) {
        if let Some(e) = &node.expert {
            let mut at = node.parent;
            while at != NO_NODE && at != top && (at as usize) < i {
                at = tree.nodes[at as usize].parent;
            }
            if at == top {
                notes.push(e.message.clone());
            }
        }
    }
    notes
}

impl Ladder {
    pub fn new(stream: u32) -> Ladder {
        Ladder { stream, ends: None, conn: Connection::default(), events: Vec::new() }
    }

    pub fn stream(&self) -> u32 {
        self.stream
    }

    pub fn feed(&mut self, f: &FrameView, taps: &Taps) {
        for tap in taps.iter() {
            let t = match tap {
                Tap::Tcp(t) if t.stream == self.stream => t,
                _ => continue,
            };
            let from = (Address::Ip(t.src), t.sport);
            let ends = *self.ends.get_or_insert([from, (Address::Ip(t.dst), t.dport)]);
            let dir = (ends[0] != from) as usize;
            self.conn.segment(dir, t.flags, t.seq, t.ack, t.seglen);
            self.events.push(Event {
                frame: f.number,
                rel_ns: f.rel_ns,
                dir: dir as u8,
                flags: t.flags,
                seq: t.seq,
                ack: t.ack,
                seq_raw: t.seq_raw,
                ack_raw: t.ack_raw,
                len: t.seglen,
                notes: notes_under(f.tree, t.node),
                states: self.conn.states(),
            });
        }
    }

    /// `{stream, a, b, events: [{frame, time, dir, flags, seq, ack, seqRaw, ackRaw, len, notes,
    /// stateA, stateB}]}`; `time` in seconds since the first frame of the capture.
    pub fn write_json(&self, out: &mut String) {
        let _ = write!(out, "{{\"stream\":{},\"a\":", self.stream);
        let mut s = String::new();
        for (i, key) in [",\"b\":", ",\"events\":["].iter().enumerate() {
            s.clear();
            if let Some(ends) = &self.ends {
                write_host_port(&mut s, &ends[i].0, ends[i].1, true);
            }
            json::write_str(out, &s);
            out.push_str(key);
        }
        for (i, e) in self.events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            s.clear();
            super::flow::write_flags(&mut s, e.flags);
            let _ = write!(out, "{{\"frame\":{},\"time\":{},\"dir\":{},\"flags\":", e.frame, ns_to_sec(e.rel_ns), e.dir);
            json::write_str(out, &s);
            let _ = write!(
                out,
                ",\"seq\":{},\"ack\":{},\"seqRaw\":{},\"ackRaw\":{},\"len\":{},\"notes\":[",
                e.seq, e.ack, e.seq_raw, e.ack_raw, e.len
            );
            for (k, n) in e.notes.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                json::write_str(out, n);
            }
            out.push_str("],\"stateA\":");
            json::write_str(out, e.states[0].name());
            out.push_str(",\"stateB\":");
            json::write_str(out, e.states[1].name());
            out.push('}');
        }
        out.push_str("]}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use State::*;

    /// Runs segments `(from, flags, seq, ack, len)` and returns both states after each.
    fn run(segments: &[(usize, u16, u32, u32, u32)]) -> Vec<[State; 2]> {
        let mut c = Connection::default();
        segments
            .iter()
            .map(|&(from, flags, seq, ack, len)| {
                c.segment(from, flags, seq, ack, len);
                c.states()
            })
            .collect()
    }

    #[test]
    fn three_way_handshake_data_and_active_close() {
        let states = run(&[
            (0, SYN, 0, 0, 0),
            (1, SYN | ACK, 0, 1, 0),
            (0, ACK, 1, 1, 0),
            (0, ACK, 1, 1, 100),
            (1, ACK, 1, 101, 0),
            (0, FIN | ACK, 101, 1, 0),
            (1, ACK, 1, 102, 0),
            (1, FIN | ACK, 1, 102, 0),
            (0, ACK, 102, 2, 0),
        ]);
        assert_eq!(
            states,
            vec![
                [SynSent, Listen],
                [Established, SynReceived],
                [Established, Established],
                [Established, Established],
                [Established, Established],
                [FinWait1, CloseWait],
                [FinWait2, CloseWait],
                [TimeWait, LastAck],
                [TimeWait, Closed],
            ]
        );
    }

    #[test]
    fn fin_carrying_the_ack_of_the_other_fin() {
        // A closes; B's FIN also acknowledges A's FIN, skipping FIN_WAIT_2 and CLOSING.
        let states = run(&[
            (0, SYN, 0, 0, 0),
            (1, SYN | ACK, 0, 1, 0),
            (0, ACK, 1, 1, 0),
            (0, FIN | ACK, 1, 1, 0),
            (1, FIN | ACK, 1, 2, 0),
            (0, ACK, 2, 2, 0),
        ]);
        assert_eq!(states[3], [FinWait1, CloseWait]);
        assert_eq!(states[4], [TimeWait, LastAck]);
        assert_eq!(states[5], [TimeWait, Closed]);
    }

    #[test]
    fn simultaneous_close_goes_through_closing() {
        let states = run(&[
            (0, SYN, 0, 0, 0),
            (1, SYN | ACK, 0, 1, 0),
            (0, ACK, 1, 1, 0),
            (0, FIN | ACK, 1, 1, 0),
            // B sends its FIN before A's arrived (it does not acknowledge A's FIN).
            (1, FIN | ACK, 1, 1, 0),
            (0, ACK, 2, 2, 0),
            (1, ACK, 2, 2, 0),
        ]);
        assert_eq!(states[3], [FinWait1, CloseWait]);
        assert_eq!(states[4], [Closing, LastAck], "A got a FIN while its own was unacknowledged");
        assert_eq!(states[5], [Closing, Closed]);
        assert_eq!(states[6], [TimeWait, Closed]);
    }

    #[test]
    fn refused_connection_and_reset() {
        assert_eq!(run(&[(0, SYN, 0, 0, 0), (1, RST | ACK, 1, 1, 0)]), vec![[SynSent, Listen], [Closed, Closed]]);
        let states = run(&[(0, SYN, 0, 0, 0), (1, SYN | ACK, 0, 1, 0), (0, ACK, 1, 1, 0), (1, RST, 1, 0, 0)]);
        assert_eq!(states[3], [Closed, Closed]);
    }

    #[test]
    fn capture_starting_mid_connection() {
        let states = run(&[(1, ACK, 500, 900, 10), (0, FIN | ACK, 900, 510, 0)]);
        assert_eq!(states, vec![[Established, Established], [FinWait1, CloseWait]]);
    }

    #[test]
    fn retransmitted_syn_changes_nothing() {
        let states = run(&[(0, SYN, 0, 0, 0), (0, SYN, 0, 0, 0), (1, SYN | ACK, 0, 1, 0), (1, SYN | ACK, 0, 1, 0)]);
        assert_eq!(states[1], [SynSent, Listen]);
        assert_eq!(states[3], [Established, SynReceived]);
    }

    #[test]
    fn simultaneous_open() {
        let states = run(&[(0, SYN, 0, 0, 0), (1, SYN, 0, 0, 0), (0, SYN | ACK, 0, 1, 0), (1, SYN | ACK, 0, 1, 0)]);
        // B's own SYN shows it was opening too; A, having sent one, answers with SYN-ACK.
        assert_eq!(states[1], [SynReceived, SynSent]);
        assert_eq!(states[2], [SynReceived, Established]);
        assert_eq!(states[3], [Established, Established]);
    }
}
