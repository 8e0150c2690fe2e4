//! A TCP conversation's analysis state, and the table of them by stream number. A single pass
//! retires finished conversations to a few words each (`Retired`); a straggler segment
//! brings one back with its stream number and sequence bases.

use super::tcp_seq::Flow;

pub(super) struct Conv {
    /// Per direction, indexed by `ConvKey::new`'s direction.
    pub(super) flows: [Flow; 2],
    pub(super) completeness: u8,
    pub(super) first_ts: i64,
    pub(super) last_frame: u32,
    pub(super) last_ts: i64,
    /// Time of the most recent pure SYN.
    pub(super) mru_syn: Option<i64>,
    /// The initial RTT and the frame that set it.
    pub(super) first_rtt: i64,
    pub(super) first_rtt_frame: u32,
    /// The port a SYN or SYN-ACK named as the server's (0 before one is seen).
    pub(super) server_port: u16,
    /// Per direction: sent the first FIN.
    pub(super) closing: [bool; 2],
    /// Reset, or FIN from both sides (queued for retirement in a single pass).
    pub(super) finished: bool,
}

impl Conv {
    pub(super) fn new(ts: i64) -> Conv {
        Conv {
            flows: [Flow::default(), Flow::default()],
            completeness: 0,
            first_ts: ts,
            last_frame: 0,
            last_ts: ts,
            mru_syn: None,
            first_rtt: 0,
            first_rtt_frame: 0,
            server_port: 0,
            closing: [false; 2],
            finished: false,
        }
    }

    pub(super) fn split(&mut self, dir: usize) -> (&mut Flow, &mut Flow) {
        let (a, b) = self.flows.split_at_mut(1);
        if dir == 0 {
            (&mut a[0], &mut b[0])
        } else {
            (&mut b[0], &mut a[0])
        }
    }
}

/// What a retired conversation keeps: enough for a late segment to show the same stream,
/// relative numbers, completeness and times (the sequence analysis starts afresh).
#[derive(Clone, Copy)]
pub(super) struct Retired {
    base_seq: [Option<u32>; 2],
    win_scale: [i8; 2],
    completeness: u8,
    closing: [bool; 2],
    server_port: u16,
    first_ts: i64,
    last_ts: i64,
    first_rtt: i64,
    last_frame: u32,
    first_rtt_frame: u32,
}

/// Conversations by stream number: live ones boxed (a pointer per stream, as the TUI never
/// retires any), retired ones in a side table.
#[derive(Default)]
pub(super) struct Convs {
    live: Vec<Option<Box<Conv>>>,
    retired: crate::hash::HashMap<u32, Retired>,
}

impl Convs {
    pub(super) fn push(&mut self, conv: Conv) -> usize {
        self.live.push(Some(Box::new(conv)));
        self.live.len() - 1
    }

    pub(super) fn len(&self) -> usize {
        self.live.len()
    }

    /// A live conversation (a retired one reads as absent).
    pub(super) fn get(&self, stream: usize) -> Option<&Conv> {
        self.live.get(stream)?.as_deref()
    }

    pub(super) fn live(&self) -> impl Iterator<Item = &Conv> {
        self.live.iter().flatten().map(|c| &**c)
    }

    /// Brings a retired conversation back; returns whether it was retired.
    pub(super) fn wake(&mut self, stream: usize) -> bool {
        let r = match self.live.get(stream) {
            Some(None) => match self.retired.remove(&(stream as u32)) {
                Some(r) => r,
                None => return false,
            },
            _ => return false,
        };
        let mut c = Conv::new(r.first_ts);
        for d in 0..2 {
            c.flows[d].base_seq = r.base_seq[d];
            c.flows[d].win_scale = r.win_scale[d];
        }
        c.completeness = r.completeness;
        c.closing = r.closing;
        c.server_port = r.server_port;
        c.last_ts = r.last_ts;
        c.last_frame = r.last_frame;
        c.first_rtt = r.first_rtt;
        c.first_rtt_frame = r.first_rtt_frame;
        c.finished = true;
        self.live[stream] = Some(Box::new(c));
        true
    }

    /// Lets go of a conversation's working state.
    pub(super) fn retire(&mut self, stream: usize) {
        let c = match self.live.get_mut(stream).and_then(|c| c.take()) {
            Some(c) => c,
            None => return,
        };
        let r = Retired {
            base_seq: [c.flows[0].base_seq, c.flows[1].base_seq],
            win_scale: [c.flows[0].win_scale, c.flows[1].win_scale],
            completeness: c.completeness,
            closing: c.closing,
            server_port: c.server_port,
            first_ts: c.first_ts,
            last_ts: c.last_ts,
            first_rtt: c.first_rtt,
            last_frame: c.last_frame,
            first_rtt_frame: c.first_rtt_frame,
        };
        self.retired.insert(stream as u32, r);
    }

    pub(super) fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.live.capacity() * size_of::<usize>() + self.live().count() * size_of::<Conv>() + self.retired.capacity() * (4 + size_of::<Retired>())
    }
}

impl std::ops::Index<usize> for Convs {
    type Output = Conv;
    fn index(&self, stream: usize) -> &Conv {
        self.get(stream).expect("live conversation")
    }
}

impl std::ops::IndexMut<usize> for Convs {
    fn index_mut(&mut self, stream: usize) -> &mut Conv {
        match &mut self.live[stream] {
            Some(c) => c,
            None => panic!("retired conversation {} used without wake", stream),
        }
    }
}
