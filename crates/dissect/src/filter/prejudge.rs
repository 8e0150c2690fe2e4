//! Judging a display filter before dissecting a frame, from what the first pass recorded
//! about it: which protocols its tree holds, and its TCP and UDP stream numbers.
//!
//! A field of a protocol the frame lacks has no value, and a comparison, `contains`,
//! `matches` or `in` with a side that has no value never holds (Wireshark's semantics, see
//! `eval`); a protocol's own presence is known exactly; `tcp.stream == N` cannot hold in a
//! frame whose TCP layers belong to other streams. With Kleene's three-valued logic this
//! settles `dns || tcp.flags.reset == 1` for a DNS frame or an NTP frame without
//! dissecting it, and leaves only `tcp.flags.reset == 1` to dissect for a TCP frame without
//! DNS, which then needs nothing above TCP (`Session::passes`).
//!
//! Every rule is sound only if the first pass and a re-dissection add the same protocol
//! items and every field appears only in a frame holding its protocol's item:
//! `tests/prejudge.rs` checks both on every frame of every capture the tests know.

use super::compile::Program;
use super::eval::holds;
use super::ir::{FieldRef, Load, Operand, Test};
use super::value::{compare, Val};
use crate::field::{find_field, FieldDef, FieldType};

/// Fields other protocols add too, so a frame without their protocol's item may hold them:
/// IPv6 adds a hidden `ip.version`, as Wireshark does, and a link layer's trailer handler
/// adds `eth.padding` under layers that are not Ethernet (`tests/prejudge.rs` finds them).
pub const ADDED_BY_OTHER_PROTOCOLS: &[&str] = &["ip.version", "eth.padding"];

/// Stream numbers recorded per frame, for `tcp.stream` and `udp.stream`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Streams {
    Tcp,
    Udp,
}

/// Fields one dissector adds under the items of several protocols: DNS's under `mdns` and
/// `llmnr` too.
const SHARED_PREFIXES: &[(&str, &[&str])] = &[("dns", &["dns", "mdns", "llmnr"])];

/// What a compiled filter's fields are, by slot: their protocol, and which are stream numbers.
pub struct Owners {
    /// The protocol items one of which a frame must hold for the field to be in it (empty:
    /// not known, e.g. `_ws.*`).
    pub protocol: Vec<Vec<&'static FieldDef>>,
    /// The field is a recorded protocol item itself (its presence is then known exactly).
    pub is_protocol: Vec<bool>,
    pub streams: Vec<Option<Streams>>,
}

impl Owners {
    pub fn of(p: &Program) -> Owners {
        let is_protocol: Vec<bool> = p.fields.iter().map(|f| is_recorded(f)).collect();
        let protocol = p.fields.iter().zip(&is_protocol).map(|(f, own)| if *own { vec![*f] } else { owners_of(f) }).collect();
        let streams = p
            .fields
            .iter()
            .map(|f| match f.abbrev {
                "tcp.stream" => Some(Streams::Tcp),
                "udp.stream" => Some(Streams::Udp),
                _ => None,
            })
            .collect();
        Owners { protocol, is_protocol, streams }
    }
}

/// The protocol items under which field `f` can appear (by its name's prefix; empty: any).
pub fn owners_of(f: &FieldDef) -> Vec<&'static FieldDef> {
    if ADDED_BY_OTHER_PROTOCOLS.contains(&f.abbrev) {
        return Vec::new();
    }
    let own = [f.protocol_abbrev()];
    let names = SHARED_PREFIXES.iter().find(|(p, _)| *p == own[0]).map_or(&own[..], |(_, names)| names);
    let owners: Vec<&'static FieldDef> = names.iter().filter_map(|n| find_field(n)).filter(|d| is_recorded(d)).collect();
    if owners.len() == names.len() {
        owners
    } else {
        Vec::new()
    }
}

/// Whether `f` is a protocol item the first pass records: a top-level one (`tcp`, not
/// `tcp.options.eol` nor the `_ws` items any layer adds).
pub fn is_recorded(f: &FieldDef) -> bool {
    f.ftype == FieldType::Protocol && !f.abbrev.contains('.') && f.abbrev != "_ws"
}

/// One frame as the first pass recorded it.
pub struct Facts<'a> {
    /// By slot: whether the frame's tree holds the field's protocol item (`None`: unknown).
    pub present: &'a [Option<bool>],
    /// What the filter's fields are.
    pub owners: &'a Owners,
    /// The stream numbers of the frame's TCP and UDP layers (`None`: not recorded).
    pub tcp_streams: Option<&'a [u32]>,
    pub udp_streams: Option<&'a [u32]>,
}

impl<'a> Facts<'a> {
    /// The outcome of `t` when the facts settle it.
    pub fn judge(&self, t: &Test) -> Option<bool> {
        match t {
            Test::Const(b) => Some(*b),
            Test::Not(x) => self.judge(x).map(|b| !b),
            Test::And(a, b) => match (self.judge(a), self.judge(b)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            Test::Or(a, b) => match (self.judge(a), self.judge(b)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            Test::Xor(a, b) => Some(self.judge(a)? != self.judge(b)?),
            _ => self.atom(t),
        }
    }

    /// The outcome of a test that is not a combination of others, when the facts settle it.
    pub fn atom(&self, t: &Test) -> Option<bool> {
        match t {
            Test::Exists(f) => match self.present[f.slot] {
                Some(false) => Some(false),
                Some(true) if self.owners.is_protocol[f.slot] && f.layers.is_none() => Some(true),
                _ => None,
            },
            Test::HasValue(op) | Test::NonZero(op) | Test::Matches { lhs: op, .. } => self.no_value(op).then(|| false),
            Test::Contains { lhs, rhs, .. } => (self.no_value(lhs) || self.no_value(rhs)).then(|| false),
            Test::In { lhs, .. } => self.no_value(lhs).then(|| false),
            Test::Cmp { rel, all, lhs, rhs } => {
                if self.no_value(lhs) || self.no_value(rhs) {
                    return Some(false);
                }
                // `tcp.stream == N` (any relation, `any` semantics) in a frame of other streams.
                if let (Operand::Field(f), Operand::Const(c), false) = (lhs, rhs, *all) {
                    if f.layers.is_none() && f.load == Load::Value {
                        if let Some(streams) = self.streams_of(f) {
                            if !streams.iter().any(|s| holds(*rel, compare(&Val::Uint(*s as u64), c))) {
                                return Some(false);
                            }
                        }
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn streams_of(&self, f: &FieldRef) -> Option<&'a [u32]> {
        match self.owners.streams[f.slot]? {
            Streams::Tcp => self.tcp_streams,
            Streams::Udp => self.udp_streams,
        }
    }

    /// Whether an operand certainly has no value: a field (or a slice of one) whose protocol
    /// the frame lacks.
    fn no_value(&self, op: &Operand) -> bool {
        match op {
            Operand::Field(f) => self.present[f.slot] == Some(false),
            Operand::Slice(b, _) => self.no_value(b),
            _ => false,
        }
    }

    /// The fields of the parts of `t` the facts leave open: what a dissection must record.
    pub fn open_fields(&self, t: &Test, out: &mut Vec<&'static FieldDef>) {
        if self.judge(t).is_some() {
            return;
        }
        match t {
            Test::Not(x) => self.open_fields(x, out),
            Test::And(a, b) | Test::Or(a, b) | Test::Xor(a, b) => {
                self.open_fields(a, out);
                self.open_fields(b, out);
            }
            _ => super::compile::test_fields(t, out),
        }
    }
}
