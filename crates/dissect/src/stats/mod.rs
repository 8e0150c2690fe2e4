//! Statistics built on the dissection, as tshark's `-z` taps: conversations and endpoints,
//! follow stream, the TCP flow graph, expert info, protocol hierarchy, and the handshake
//! ladder of one TCP stream (Reef's own, for the TUI's flow view).
//!
//! A `Stats` holds the requested collectors. The session feeds it every frame it dissects with
//! a tree (the first pass for reef-cli, a re-dissection pass for the TUI); each collector reads
//! what it needs from the tree, the way tshark's taps read what dissectors queue. Collectors
//! print tshark's text (`write_text`) or JSON for the facade (`write_json`).

pub mod conv;
pub mod endpoints;
pub mod expert;
pub mod flow;
pub mod follow;
pub mod ladder;
pub mod phs;
pub mod taps;

use crate::tree::Tree;
pub use taps::{Address, Taps};

/// One frame as the collectors see it.
pub struct FrameView<'a> {
    pub number: u32,
    /// Absolute time, ns since the epoch.
    pub ts_ns: i64,
    /// Time since the first frame of the capture.
    pub rel_ns: i64,
    /// Bytes on the wire (tshark's `pkt_len`).
    pub origlen: u32,
    pub data: &'a [u8],
    pub tree: &'a Tree,
    /// The frame's Time column as configured (the flow graph prints it).
    pub time_column: &'a str,
}

/// Which transport a stream index belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
}

enum Collector {
    Conv(conv::ConvTable),
    Endpoints(endpoints::EndpointTable),
    Follow(follow::Follow),
    Flow(flow::FlowGraph),
    Expert(expert::ExpertSummary),
    Phs(phs::Hierarchy),
    Ladder(ladder::Ladder),
}

/// The statistics requested for a session.
#[derive(Default)]
pub struct Stats {
    collectors: Vec<Collector>,
}

impl Stats {
    /// Parses tshark `-z` arguments, one per line (`conv,tcp`, `endpoints,ip`,
    /// `follow,tcp,ascii,0`, `flow,tcp,standard`, `expert`, `io,phs`), plus Reef's `ladder,N`
    /// (the handshake ladder of TCP stream N, JSON only). Errors are tshark-style messages.
    pub fn parse(text: &str) -> Result<Stats, String> {
        let mut collectors = Vec::new();
        for arg in text.split('\n').filter(|l| !l.is_empty()) {
            collectors.push(parse_one(arg)?);
        }
        Ok(Stats { collectors })
    }

    pub fn is_empty(&self) -> bool {
        self.collectors.is_empty()
    }

    /// Collectors read the tree, so frames they see must be dissected with one.
    pub fn needs_tree(&self) -> bool {
        !self.collectors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.collectors.len()
    }

    /// The one stream every collector is bound to (follow, ladder), if they all are: frames of
    /// other streams need not be dissected for them.
    pub fn stream_scope(&self) -> Option<(Transport, u32)> {
        let mut scope = None;
        for c in &self.collectors {
            let s = match c {
                Collector::Follow(f) => f.stream_scope(),
                Collector::Ladder(l) => Some((Transport::Tcp, l.stream())),
                _ => None,
            };
            match (s, scope) {
                (None, _) => return None,
                (Some(s), None) => scope = Some(s),
                (Some(s), Some(prev)) if s != prev => return None,
                _ => {}
            }
        }
        scope
    }

    /// Feeds one dissected frame. tshark's taps see every frame it dissects in a single pass
    /// (a `-Y` filter does not hide frames from them); a host that wants only some frames
    /// counted passes `displayed = false` for the others.
    pub fn feed(&mut self, f: &FrameView, displayed: bool) {
        if !displayed || self.collectors.is_empty() {
            return;
        }
        let taps = Taps::of(f.tree, f.data);
        for c in &mut self.collectors {
            match c {
                Collector::Conv(t) => t.feed(f, &taps),
                Collector::Endpoints(t) => t.feed(f, &taps),
                Collector::Follow(t) => t.feed(f, &taps),
                Collector::Flow(t) => t.feed(f, &taps),
                Collector::Expert(t) => t.feed(f),
                Collector::Phs(t) => t.feed(f),
                Collector::Ladder(t) => t.feed(f, &taps),
            }
        }
    }

    /// tshark's text for every collector, in its order: the last `-z` prints first.
    pub fn write_text(&self, out: &mut String) {
        for c in self.collectors.iter().rev() {
            match c {
                Collector::Conv(t) => t.write_text(out),
                Collector::Endpoints(t) => t.write_text(out),
                Collector::Follow(t) => t.write_text(out),
                Collector::Flow(t) => t.write_text(out),
                Collector::Expert(t) => t.write_text(out),
                Collector::Phs(t) => t.write_text(out),
                // Reef's own view has no tshark text.
                Collector::Ladder(_) => {}
            }
        }
    }

    /// JSON of collector `index` (in request order); false if there is none.
    pub fn write_json(&self, index: usize, out: &mut String) -> bool {
        match self.collectors.get(index) {
            Some(Collector::Conv(t)) => t.write_json(out),
            Some(Collector::Endpoints(t)) => t.write_json(out),
            Some(Collector::Follow(t)) => t.write_json(out),
            Some(Collector::Flow(t)) => t.write_json(out),
            Some(Collector::Expert(t)) => t.write_json(out),
            Some(Collector::Phs(t)) => t.write_json(out),
            Some(Collector::Ladder(t)) => t.write_json(out),
            None => return false,
        }
        true
    }
}

/// Splits `head,rest` at the first comma.
fn split_comma(s: &str) -> (&str, Option<&str>) {
    match s.find(',') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

/// A tap's optional filter argument. Display filters are not part of Reef yet, so a non-empty
/// one is refused rather than ignored.
fn no_filter(arg: &str, filter: Option<&str>) -> Result<Option<String>, String> {
    match filter {
        Some(f) if !f.is_empty() => Err(format!(
            "-z {}: the filter argument (\"{}\") needs display filters, which Reef does not support yet",
            arg, f
        )),
        Some(f) => Ok(Some(f.to_string())),
        None => Ok(None),
    }
}

fn parse_one(arg: &str) -> Result<Collector, String> {
    let (head, rest) = split_comma(arg);
    match head {
        "conv" | "endpoints" => {
            let (kind, filter) = split_comma(rest.unwrap_or(""));
            let kind = taps::Kind::parse(kind)
                .ok_or_else(|| format!("-z {}: unknown table type \"{}\" (Reef has eth, ip, ipv6, tcp, udp)", arg, kind))?;
            let filter = no_filter(arg, filter)?;
            Ok(if head == "conv" {
                Collector::Conv(conv::ConvTable::new(kind, filter))
            } else {
                Collector::Endpoints(endpoints::EndpointTable::new(kind, filter))
            })
        }
        "follow" => follow::Follow::parse(rest.unwrap_or("")).map(Collector::Follow).map_err(|e| format!("follow - {}", e)),
        "flow" => {
            let (proto, rest) = split_comma(rest.unwrap_or(""));
            if proto != "tcp" {
                return Err(format!("-z {}: Reef draws the flow graph of tcp only", arg));
            }
            let (mode, filter) = split_comma(rest.unwrap_or(""));
            if mode != "standard" && mode != "network" {
                return Err("flow - Invalid address type.".to_string());
            }
            no_filter(arg, filter)?;
            Ok(Collector::Flow(flow::FlowGraph::new()))
        }
        "expert" => {
            let (level, filter) = expert::parse_args(rest);
            no_filter(arg, filter)?;
            Ok(Collector::Expert(expert::ExpertSummary::new(level)))
        }
        "io" => {
            let (what, filter) = split_comma(rest.unwrap_or(""));
            if what != "phs" {
                return Err(format!("-z {}: Reef has io,phs only", arg));
            }
            let filter = no_filter(arg, filter)?;
            Ok(Collector::Phs(phs::Hierarchy::new(filter)))
        }
        "ladder" => match rest.and_then(|s| s.parse::<u32>().ok()) {
            Some(stream) => Ok(Collector::Ladder(ladder::Ladder::new(stream))),
            None => Err(format!("-z {}: expected ladder,STREAM", arg)),
        },
        _ => Err(format!("invalid -z argument \"{}\"; Reef has conv,TYPE endpoints,TYPE follow,PROTO,MODE,STREAM flow,tcp,standard|network expert io,phs", arg)),
    }
}

/// tshark's `nstime_to_sec`: seconds and nanoseconds apart, then added as doubles.
pub fn ns_to_sec(ns: i64) -> f64 {
    (ns / 1_000_000_000) as f64 + (ns % 1_000_000_000) as f64 / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tshark_arguments_and_refuses_filters() {
        let s = Stats::parse("conv,tcp\nendpoints,ipv6\nfollow,tcp,ascii,0\nflow,tcp,standard\nexpert\nio,phs\nladder,3\n").unwrap();
        assert_eq!(s.len(), 7);
        assert_eq!(s.stream_scope(), None);
        let f = Stats::parse("follow,udp,hex,2").unwrap();
        assert_eq!(f.stream_scope(), Some((Transport::Udp, 2)));
        assert!(Stats::parse("conv,tcp,tcp.port==80").err().unwrap().contains("display filters"));
        assert!(Stats::parse("conv,sctp").err().unwrap().contains("unknown table type"));
        assert!(Stats::parse("io,stat,1").is_err());
        assert!(Stats::parse("flow,tcp,both").is_err());
    }

    #[test]
    fn seconds_as_tshark_adds_them() {
        assert_eq!(ns_to_sec(1_500_000_000), 1.5);
        assert_eq!(ns_to_sec(-1_500_000_000), -1.5);
    }
}
