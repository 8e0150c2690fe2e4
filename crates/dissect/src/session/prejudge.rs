//! The protocols each frame's tree holds, recorded by the first pass, and `passes` judging
//! the display filter from them (and from the frame's stored TCP and UDP stream numbers)
//! before dissecting: on the 5M-frame benchmark most frames of `dns || tcp.flags.reset == 1`
//! are settled without a dissection, and the rest need nothing above TCP
//! (`filter::prejudge` has the rules; `tests/prejudge.rs` checks they hold).

use super::scope::lower_layers_suffice;
use super::Session;
use crate::field::FieldDef;
use crate::filter::prejudge::{is_recorded, Facts, Owners};
use crate::packet::FrameMeta;
use crate::hash::HashMap;

/// A frame whose protocols are not known: more distinct protocols or sets than fit.
const UNKNOWN: u16 = u16::MAX;
/// Protocols a set can name (bits of a `u128`).
const MAX_PROTOCOLS: usize = 128;

/// Each frame's set of protocol items, interned: two bytes a frame.
#[derive(Default)]
pub struct FrameProtocols {
    /// Protocol items by bit, in the order first seen.
    bits: Vec<&'static FieldDef>,
    /// Distinct sets, by id.
    sets: Vec<u128>,
    ids: HashMap<u128, u16>,
    /// Set id by frame number - 1.
    frames: Vec<u16>,
}

impl FrameProtocols {
    /// Records frame `number`'s protocols (frames arrive in order; a gap stops the record).
    pub fn record(&mut self, number: u32, added: &[&'static FieldDef]) {
        if self.frames.len() + 1 != number as usize {
            return;
        }
        let mut mask = 0u128;
        let mut id = None;
        for p in added.iter().filter(|p| is_recorded(p)) {
            match self.bit(p) {
                Some(b) => mask |= 1 << b,
                None => id = Some(UNKNOWN),
            }
        }
        let id = id.unwrap_or_else(|| match self.ids.get(&mask) {
            Some(id) => *id,
            None if self.sets.len() < UNKNOWN as usize => {
                self.sets.push(mask);
                self.ids.insert(mask, (self.sets.len() - 1) as u16);
                (self.sets.len() - 1) as u16
            }
            None => UNKNOWN,
        });
        self.frames.push(id);
    }

    fn bit(&mut self, p: &'static FieldDef) -> Option<u32> {
        if let Some(b) = self.bits.iter().position(|x| std::ptr::eq(*x, p)) {
            return Some(b as u32);
        }
        if self.bits.len() == MAX_PROTOCOLS {
            return None;
        }
        self.bits.push(p);
        Some(self.bits.len() as u32 - 1)
    }

    /// The set id of frame `number`, when known.
    fn set_of(&self, number: u32) -> Option<u16> {
        self.frames.get((number as usize).checked_sub(1)?).copied().filter(|id| *id != UNKNOWN)
    }

    /// Whether set `id` holds protocol `p`.
    fn holds(&self, id: u16, p: &'static FieldDef) -> bool {
        match self.bits.iter().position(|x| std::ptr::eq(*x, p)) {
            Some(b) => self.sets[id as usize] & (1 << b) != 0,
            None => false,
        }
    }

    /// Whether frame `number`'s tree holds protocol `p` (tests).
    pub fn frame_holds(&self, number: u32, p: &'static FieldDef) -> Option<bool> {
        self.set_of(number).map(|id| self.holds(id, p))
    }

    pub fn heap_bytes(&self) -> usize {
        self.frames.capacity() * 2 + self.sets.capacity() * 16 + self.ids.capacity() * 24
    }
}

/// The display filter as `passes` judges it, rebuilt when the filter changes.
pub struct Judge {
    owners: Owners,
    /// The filter searches a protocol's bytes through the end of its layer (`tcp contains`),
    /// which the layers above decide: it is never cut at TCP.
    whole_layers: bool,
    /// By protocol set id: the outcome when the set settles it, else whether dissecting up
    /// to TCP and UDP is enough for what it leaves open.
    by_set: Vec<Option<(Option<bool>, bool)>>,
    present: Vec<Option<bool>>,
    has_streams: bool,
    tcp_streams: Vec<u32>,
    udp_streams: Vec<u32>,
}

impl Judge {
    pub fn new(owners: Owners, whole_layers: bool) -> Judge {
        let has_streams = owners.streams.iter().any(|s| s.is_some());
        Judge { owners, whole_layers, by_set: Vec::new(), present: Vec::new(), has_streams, tcp_streams: Vec::new(), udp_streams: Vec::new() }
    }

    fn facts(&self, streams: bool) -> Facts<'_> {
        Facts {
            present: &self.present,
            owners: &self.owners,
            tcp_streams: streams.then(|| self.tcp_streams.as_slice()),
            udp_streams: streams.then(|| self.udp_streams.as_slice()),
        }
    }
}

/// What `passes` does with a frame.
enum Plan {
    Known(bool),
    /// Dissect, only up to TCP and UDP when the flag is set (the facts settle the rest).
    Dissect(bool),
}

impl Session {
    /// Re-dissects an ingested frame, only as far as the display filter needs after what the
    /// first pass recorded about it, and tells whether it passes (`None`: never ingested).
    pub(super) fn judged_passes(&mut self, meta: FrameMeta, data: &[u8]) -> Option<bool> {
        if meta.number == 0 || meta.number > self.frame_count() {
            return None;
        }
        let plan = self.plan(meta.number);
        if let Plan::Known(b) = plan {
            return Some(b);
        }
        let upper_settled = matches!(plan, Plan::Dissect(true)) && !self.filter_below_transport;
        self.tree.set_interest(self.display_filter.as_ref().and_then(|f| f.interest()));
        self.revisit_values(meta, data, self.filter_below_transport || upper_settled);
        let (filter, judge) = (self.display_filter.as_mut()?, self.judge.as_ref());
        Some(match judge {
            Some(j) if upper_settled => filter.matches_with(&self.tree, data, &j.facts(j.has_streams)),
            _ => filter.matches(&self.tree, data),
        })
    }

    /// The display filter's verdict on ingested frame `number` when what the first pass
    /// recorded settles it without the frame's bytes (always true without a filter); `None`:
    /// the frame must be dissected (`passes`), or was never ingested.
    pub fn prejudge(&mut self, number: u32) -> Option<bool> {
        if number == 0 || number > self.frame_count() {
            return None;
        }
        if self.display_filter.is_none() {
            return Some(true);
        }
        match self.plan(number) {
            Plan::Known(b) => Some(b),
            Plan::Dissect(_) => None,
        }
    }

    fn plan(&mut self, number: u32) -> Plan {
        let (filter, judge, set) = match (self.display_filter.as_ref(), self.judge.as_mut(), self.frame_protocols.set_of(number)) {
            (Some(f), Some(j), Some(s)) => (f, j, s),
            _ => return Plan::Dissect(false),
        };
        let at = set as usize;
        if judge.by_set.len() <= at {
            judge.by_set.resize(at + 1, None);
        }
        // A set already settled needs nothing more (most frames of a whole-capture pass).
        if let Some((Some(b), _)) = judge.by_set[at] {
            return Plan::Known(b);
        }
        let protocols = &self.frame_protocols;
        judge.present.clear();
        judge.present.extend(judge.owners.protocol.iter().map(|ps| (!ps.is_empty()).then(|| ps.iter().any(|p| protocols.holds(set, p)))));
        let (verdict, upper_settled) = match judge.by_set[at] {
            Some(v) => v,
            None => {
                let facts = judge.facts(false);
                let verdict = facts.judge(filter.test());
                let mut open = Vec::new();
                facts.open_fields(filter.test(), &mut open);
                let v = (verdict, !judge.whole_layers && lower_layers_suffice(&open));
                judge.by_set[at] = Some(v);
                v
            }
        };
        if let Some(b) = verdict {
            return Plan::Known(b);
        }
        if judge.has_streams {
            self.state.tcp.streams_of(number, &mut judge.tcp_streams);
            self.state.udp.streams_of(number, &mut judge.udp_streams);
            if let Some(b) = judge.facts(true).judge(filter.test()) {
                return Plan::Known(b);
            }
        }
        Plan::Dissect(upper_settled)
    }
}
