//! Hand-off between protocols goes through named tables, never through direct calls between
//! protocol files: a protocol registers itself under (table, key) in its own file, and the
//! layer below looks the key up here. This is Wireshark's dissector-table design.

use crate::packet::{Ctx, DResult, Layer};
use crate::tree::NO_NODE;
use crate::proto::HANDOFF_TABLES;

/// A dissector: dissects `layer` under tree node `parent` and returns how many bytes of the
/// layer it claims (so the layer below can show the rest as padding or trailer).
pub type DissectFn = fn(&mut Ctx, u32, Layer) -> DResult<usize>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Table {
    /// pcap LINKTYPE_* values.
    LinkType,
    EtherType,
    /// IP protocol numbers, shared by IPv4 and IPv6 (`ip.proto`).
    IpProto,
    TcpPort,
    UdpPort,
    /// BSD loopback address families (`null.family`).
    NullFamily,
    /// 802.2 LLC, under key 0: where 802.3 length frames and VLAN tags with a length hand off
    /// (Wireshark's "llc" dissector handle).
    Llc,
    /// Heuristic dissectors tried on TCP / UDP payloads no port claimed (key unused).
    TcpHeuristic,
    UdpHeuristic,
    /// Body dissectors by MIME type, lower case, without parameters (Wireshark's `media_type`
    /// string table): the registration's `name` is the type.
    MediaType,
    /// Dissectors other protocols call by name (Wireshark's `find_dissector`).
    Named,
}

/// Whether a payload looks like the protocol (a heuristic dissector's cheap test).
pub type ProbeFn = fn(&[u8]) -> bool;

/// A probe that also reads the session's state: Wireshark's heuristics often claim the whole
/// conversation (`conversation_set_dissector`), so later payloads are theirs whatever they look
/// like (TLS continuation segments, QUIC short headers).
pub type StateProbeFn = fn(&Ctx, &Layer) -> bool;

pub struct Registration {
    pub table: Table,
    pub key: u32,
    pub name: &'static str,
    pub dissect: DissectFn,
    /// Heuristic registrations only: claims the payload before `dissect` runs.
    pub probe: Option<ProbeFn>,
    /// Heuristic registrations whose claim depends on earlier frames.
    pub state_probe: Option<StateProbeFn>,
}

/// `handoff!(Table::TcpPort, 80, "http", dissect)`: a registration (a macro because Rust 1.63
/// cannot take `fn(&mut ..)` pointers in a `const fn`).
#[macro_export]
macro_rules! handoff {
    ($table:expr, $key:expr, $name:expr, $f:expr) => {
        $crate::dispatch::Registration { table: $table, key: $key, name: $name, dissect: $f, probe: None, state_probe: None }
    };
}

/// `heuristic!(Table::TcpHeuristic, "http_tcp", looks_like_http, dissect)`: a heuristic
/// registration, tried in registration order when no port matched (Wireshark's heur tables).
#[macro_export]
macro_rules! heuristic {
    ($table:expr, $name:expr, $probe:expr, $f:expr) => {
        $crate::dispatch::Registration { table: $table, key: 0, name: $name, dissect: $f, probe: Some($probe), state_probe: None }
    };
}

/// `stateful_heuristic!(Table::UdpHeuristic, "quic", claims, dissect)`: a heuristic whose probe
/// sees the session's state as well as the bytes.
#[macro_export]
macro_rules! stateful_heuristic {
    ($table:expr, $name:expr, $probe:expr, $f:expr) => {
        $crate::dispatch::Registration { table: $table, key: 0, name: $name, dissect: $f, probe: None, state_probe: Some($probe) }
    };
}

/// `media_type!("application/json", dissect)`: a body dissector for a MIME type.
#[macro_export]
macro_rules! media_type {
    ($media:expr, $f:expr) => {
        $crate::dispatch::Registration {
            table: $crate::dispatch::Table::MediaType,
            key: 0,
            name: $media,
            dissect: $f,
            probe: None,
            state_probe: None,
        }
    };
}

/// `named!("data-text-lines", dissect)`: a dissector other protocols call by its name.
#[macro_export]
macro_rules! named {
    ($name:expr, $f:expr) => {
        $crate::dispatch::Registration {
            table: $crate::dispatch::Table::Named,
            key: 0,
            name: $name,
            dissect: $f,
            probe: None,
            state_probe: None,
        }
    };
}

/// Runs the first heuristic dissector of `table` whose probe accepts the layer's bytes.
pub fn try_heuristics(ctx: &mut Ctx, table: Table, parent: u32, layer: Layer) -> Option<DResult<usize>> {
    let bytes = layer.bytes();
    let r = HANDOFF_TABLES.iter().flat_map(|t| t.iter()).find(|r| {
        r.table == table && (r.probe.map_or(false, |p| p(bytes)) || r.state_probe.map_or(false, |p| p(ctx, &layer)))
    })?;
    Some((r.dissect)(ctx, parent, layer))
}

/// What follows when a port's dissector finds the payload is not its protocol (returns 0 in
/// Wireshark): the heuristics, else `data`.
pub fn rejected(ctx: &mut Ctx, heuristics: Table, parent: u32, layer: Layer) -> DResult<usize> {
    match try_heuristics(ctx, heuristics, parent, layer) {
        Some(r) => r,
        None => crate::proto::data::dissect(ctx, parent, layer),
    }
}

/// Port dissection as Wireshark's TCP and UDP do it: the lower port, the higher port, then the
/// heuristics, else `data`.
pub fn call_ports(ctx: &mut Ctx, ports: Table, heuristics: Table, a: u16, b: u16, layer: Layer) -> DResult<usize> {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    if let Some(r) = try_call(ctx, ports, low as u32, NO_NODE, layer) {
        return r;
    }
    if let Some(r) = try_call(ctx, ports, high as u32, NO_NODE, layer) {
        return r;
    }
    match try_heuristics(ctx, heuristics, NO_NODE, layer) {
        Some(r) => r,
        None => crate::proto::data::dissect(ctx, NO_NODE, layer),
    }
}

/// Keyed registrations, the first of each (table, key), in an open-addressing table a quarter
/// full: a frame looks several up (link type, EtherType, IP protocol, both ports), mostly
/// hits, and a port miss usually ends at the first empty slot.
struct ByKey {
    /// (table << 32 | key) + 1 per slot; 0 marks an empty slot.
    keys: Vec<u64>,
    regs: Vec<Option<&'static Registration>>,
    shift: u32,
    /// The media type and by-name registrations, in registration order: HTTP looks one up
    /// per message body, and a walk over every table cost more than the body's dissection.
    by_name: Vec<&'static Registration>,
}

impl ByKey {
    fn build() -> ByKey {
        let keyed = HANDOFF_TABLES.iter().flat_map(|t| t.iter()).filter(|r| r.probe.is_none() && r.state_probe.is_none());
        let bits = (keyed.clone().count() * 4).next_power_of_two().trailing_zeros().max(4);
        let by_name = HANDOFF_TABLES.iter().flat_map(|t| t.iter()).filter(|r| matches!(r.table, Table::MediaType | Table::Named)).collect();
        let mut t = ByKey { keys: vec![0; 1 << bits], regs: vec![None; 1 << bits], shift: 64 - bits, by_name };
        for r in keyed {
            let k = ByKey::key(r.table, r.key);
            let mut i = t.slot(k);
            // Registration order decides, as in a scan: a later duplicate is dropped.
            while t.keys[i] != 0 && t.keys[i] != k {
                i = (i + 1) & (t.keys.len() - 1);
            }
            if t.keys[i] == 0 {
                t.keys[i] = k;
                t.regs[i] = Some(r);
            }
        }
        t
    }

    fn key(table: Table, key: u32) -> u64 {
        ((table as u64) << 32 | key as u64) + 1
    }

    fn slot(&self, k: u64) -> usize {
        (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    fn get_str(&self, table: Table, name: &str) -> Option<&'static Registration> {
        if !matches!(table, Table::MediaType | Table::Named) {
            return HANDOFF_TABLES.iter().flat_map(|t| t.iter()).find(|r| r.table == table && r.name == name);
        }
        for &r in &self.by_name {
            if r.table == table && r.name == name {
                return Some(r);
            }
        }
        None
    }

    fn get(&self, table: Table, key: u32) -> Option<&'static Registration> {
        let k = ByKey::key(table, key);
        let mut i = self.slot(k);
        loop {
            match self.keys[i] {
                0 => return None,
                x if x == k => return self.regs[i],
                _ => i = (i + 1) & (self.keys.len() - 1),
            }
        }
    }
}

thread_local! {
    static BY_KEY: ByKey = ByKey::build();
}

/// The dissector registered under (table, key).
pub fn lookup(table: Table, key: u32) -> Option<&'static Registration> {
    BY_KEY.with(|t| t.get(table, key))
}

/// The dissector registered under a string key (`MediaType`, `Named`).
pub fn lookup_str(table: Table, name: &str) -> Option<&'static Registration> {
    BY_KEY.with(|t| t.get_str(table, name))
}

/// Calls the dissector registered under a string key; `None` when nothing is registered.
pub fn try_call_str(ctx: &mut Ctx, table: Table, name: &str, parent: u32, layer: Layer) -> Option<DResult<usize>> {
    lookup_str(table, name).map(|r| (r.dissect)(ctx, parent, layer))
}

/// Calls the dissector registered under (table, key); `None` when nothing is registered.
pub fn try_call(ctx: &mut Ctx, table: Table, key: u32, parent: u32, layer: Layer) -> Option<DResult<usize>> {
    lookup(table, key).map(|r| (r.dissect)(ctx, parent, layer))
}

/// Calls the dissector under (table, key), or shows the bytes as `data` when there is none.
pub fn call_or_data(ctx: &mut Ctx, table: Table, key: u32, parent: u32, layer: Layer) -> DResult<usize> {
    match try_call(ctx, table, key, parent, layer) {
        Some(r) => r,
        None => crate::proto::data::dissect(ctx, parent, layer),
    }
}

/// Shows the bytes as `data` (what Wireshark does with a keep-alive's byte).
pub fn call_data(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    crate::proto::data::dissect(ctx, parent, layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_what_a_scan_in_registration_order_finds() {
        let scan = |table: Table, key: u32| {
            HANDOFF_TABLES.iter().flat_map(|t| t.iter()).find(|r| r.table == table && r.key == key && r.probe.is_none() && r.state_probe.is_none())
        };
        let tables = [Table::LinkType, Table::EtherType, Table::IpProto, Table::TcpPort, Table::UdpPort, Table::NullFamily, Table::Llc, Table::MediaType, Table::Named];
        for table in tables {
            for key in (0..70_000u32).filter(|k| *k < 2048 || k % 97 == 0).chain([0x0800, 0x86dd, 0x8100, 0x88a8, 8080, 4433, 5353, 65535]) {
                let (a, b) = (lookup(table, key), scan(table, key));
                assert_eq!(a.map(|r| r as *const Registration), b.map(|r| r as *const Registration), "{:?} {}", table, key);
            }
        }
        assert_eq!(lookup(Table::EtherType, 0x0800).map(|r| r.name), Some("ip"));
    }
}
