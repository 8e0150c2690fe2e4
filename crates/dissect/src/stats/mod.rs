//! Statistics built on the dissection, as tshark's `-z` taps: conversations and endpoints,
//! follow stream, the TCP flow graph, expert info, protocol hierarchy, I/O statistics per
//! interval, and the handshake ladder of one TCP stream (Reef's own, for the TUI's flow view).
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
pub mod iostat;
pub mod ladder;
mod merge;
pub mod phs;
pub mod rows;
pub mod taps;

use crate::filter::{Filter, Options as FilterOptions};
use crate::print::time::{TimeFormat, Zone};
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
    IoStat(iostat::IoStat),
    Ladder(ladder::Ladder),
}

/// One requested statistic and the filter of its tap (tshark's `-z conv,tcp,FILTER`): only
/// frames that pass it reach the collector.
struct Entry {
    collector: Collector,
    filter: Option<Filter>,
}

fn interest_of(entries: &[Entry]) -> Option<Vec<&'static crate::field::FieldDef>> {
    if entries.is_empty() || !entries.iter().all(|e| matches!(e.collector, Collector::Conv(_) | Collector::Endpoints(_))) {
        return None;
    }
    let mut fields: Vec<&'static crate::field::FieldDef> =
        crate::field::all_fields().filter(|f| f.ftype == crate::field::FieldType::Protocol).collect();
    fields.extend(taps::FIELDS.iter().filter_map(|a| crate::field::find_field(a)));
    for e in entries {
        if let Some(f) = &e.filter {
            fields.extend_from_slice(f.interest()?);
        }
    }
    Some(fields)
}

/// The statistics requested for a session.
#[derive(Default)]
pub struct Stats {
    entries: Vec<Entry>,
    /// What the tree must record for them (see `interest`), worked out once.
    interest: Option<Vec<&'static crate::field::FieldDef>>,
    /// Tables absorbed rows (`merge.rs`) and are not in one session's order yet.
    unsettled: bool,
    /// Where `write_text_part` stopped: how many collectors are written (from the last
    /// requested), and where in the next one.
    text_at: (usize, conv::RowCursor),
}

impl Stats {
    /// Parses tshark `-z` arguments, one per line (`conv,tcp`, `endpoints,ip`,
    /// `follow,tcp,ascii,0`, `flow,tcp,standard`, `expert`, `io,phs`), plus Reef's `ladder,N`
    /// (the handshake ladder of TCP stream N, JSON only). Filter arguments compile as display
    /// filters (absolute times written without a zone are local to `zone`). Errors are
    /// tshark-style messages.
    pub fn parse(text: &str, zone: &Zone) -> Result<Stats, String> {
        let mut entries = Vec::new();
        for arg in text.split('\n').filter(|l| !l.is_empty()) {
            let (collector, filter) = parse_one(arg, zone)?;
            let filter = match filter {
                Some(f) if !f.trim().is_empty() => {
                    let opts = FilterOptions { zone: Some(zone), lenient: false };
                    Some(Filter::compile_with(f, opts).map_err(|e| filter_error(&collector, f, &e.message))?)
                }
                _ => None,
            };
            entries.push(Entry { collector, filter });
        }
        prime_io_stats(&mut entries);
        let interest = interest_of(&entries);
        Ok(Stats { entries, interest, unsettled: false, text_at: Default::default() })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a TCP conversation or endpoint table is kept: TCP's tap needs the stream
    /// number (UDP's tables do not read theirs).
    pub fn has_tcp_table(&self) -> bool {
        self.entries.iter().any(|e| match &e.collector {
            Collector::Conv(t) => t.kind() == taps::Kind::Tcp,
            Collector::Endpoints(t) => t.kind() == taps::Kind::Tcp,
            _ => true,
        })
    }

    /// Whether every collector is a header table (conv, endpoints): those read only the taps,
    /// which the dissectors can queue as they go (`taps::Queued`) instead of a tree.
    pub fn tables_only(&self) -> bool {
        !self.entries.is_empty() && self.entries.iter().all(|e| matches!(e.collector, Collector::Conv(_) | Collector::Endpoints(_)))
    }

    /// Whether a collector has a filter (which reads a tree).
    pub fn tables_filtered(&self) -> bool {
        self.entries.iter().any(|e| e.filter.is_some())
    }

    /// Collectors read the tree, so frames they see must be dissected with one.
    pub fn needs_tree(&self) -> bool {
        !self.entries.is_empty()
    }

    /// What the tree must record for these statistics: `None` for everything. The header tables
    /// (conv, endpoints) read only the taps, so every protocol item (which keeps nested headers,
    /// such as those an ICMP error quotes, under their parent) and the taps' fields suffice,
    /// with what their filters name.
    pub fn interest(&self) -> Option<&[&'static crate::field::FieldDef]> {
        self.interest.as_deref()
    }

    /// When every collector reads only the taps (conv, endpoints): the fields their filters
    /// name (none without filters). `None` when a collector or filter reads more.
    pub fn taps_only_filters(&self) -> Option<Vec<&'static crate::field::FieldDef>> {
        self.interest.as_ref()?;
        let mut fields = Vec::new();
        for e in &self.entries {
            if let Some(f) = &e.filter {
                fields.extend_from_slice(f.interest()?);
            }
        }
        Some(fields)
    }

    /// Whether the statistics read whole trees (see `interest`).
    pub fn needs_whole_tree(&self) -> bool {
        self.needs_tree() && self.interest.is_none()
    }

    /// Whether a collector reads the frame's Time column text (only the flow graph prints it).
    pub fn needs_time_column(&self) -> bool {
        self.entries.iter().any(|e| matches!(e.collector, Collector::Flow(_)))
    }

    /// Whether a collector reads tree labels (the expert summary names a malformed packet's
    /// protocol from its label).
    pub fn needs_labels(&self) -> bool {
        self.entries.iter().any(|e| matches!(e.collector, Collector::Expert(_)))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The one stream every collector is bound to (follow, ladder), if they all are: frames of
    /// other streams need not be dissected for them.
    pub fn stream_scope(&self) -> Option<(Transport, u32)> {
        let mut scope = None;
        for e in &self.entries {
            let s = match &e.collector {
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
    /// counted passes `displayed = false` for the others. `queued`: the taps the dissection
    /// queued, for header tables only (`tables_only`), instead of reading them from the tree.
    pub fn feed(&mut self, f: &FrameView, displayed: bool, queued: Option<&[taps::Queued]>) {
        for e in &mut self.entries {
            if let Collector::IoStat(t) = &mut e.collector {
                t.note_time(f.rel_ns);
            }
        }
        if !displayed || self.entries.is_empty() {
            return;
        }
        // Only the header tables, follow, flow and the ladder read the taps.
        let needs_taps = self.entries.iter().any(|e| !matches!(e.collector, Collector::Expert(_) | Collector::Phs(_) | Collector::IoStat(_)));
        let taps = match queued {
            Some(q) => Taps::from_queue(q, &f.tree.protocols_added),
            None if needs_taps => Taps::of(f.tree, f.data),
            None => Taps::from_queue(&[], &[]),
        };
        let taps = &taps;
        for e in &mut self.entries {
            if let Some(filter) = e.filter.as_mut() {
                if !filter.matches(f.tree, f.data) {
                    continue;
                }
            }
            match &mut e.collector {
                Collector::Conv(t) => t.feed(f, taps),
                Collector::Endpoints(t) => t.feed(f, taps),
                Collector::Follow(t) => t.feed(f, taps),
                Collector::Flow(t) => t.feed(f, taps),
                Collector::Expert(t) => t.feed(f),
                Collector::Phs(t) => t.feed(f),
                Collector::IoStat(t) => t.feed(f),
                Collector::Ladder(t) => t.feed(f, taps),
            }
        }
    }

    /// Time from the first frame read to the latest, for io,stat's duration (it also sees the
    /// time of every frame fed).
    pub fn note_elapsed(&mut self, ns: i64) {
        for e in &mut self.entries {
            if let Collector::IoStat(t) = &mut e.collector {
                t.note_time(ns);
            }
        }
    }

    /// tshark's text for every collector, in its order: the last `-z` prints first. Tables
    /// with a time column follow the `-t` format (in `zone`).
    pub fn write_text(&mut self, out: &mut String, time: TimeFormat, zone: &Zone) {
        // From the start, even after parts a host stopped taking.
        self.text_at = Default::default();
        while !self.write_text_part(out, time, zone, usize::MAX) {}
    }

    /// `write_text` in parts: appends until `out` holds about `budget` bytes (whole rows) and
    /// returns false while more remains, to be called again once `out` is taken.
    pub fn write_text_part(&mut self, out: &mut String, time: TimeFormat, zone: &Zone, budget: usize) -> bool {
        self.settle();
        let (done, cursor) = &mut self.text_at;
        while let Some(e) = self.entries.iter().rev().nth(*done) {
            let finished = match &e.collector {
                Collector::Conv(t) => t.write_text_part(out, time, zone, cursor, budget),
                Collector::Endpoints(t) => t.write_text_part(out, cursor, budget),
                small => {
                    write_small_text(small, out);
                    true
                }
            };
            if !finished {
                return false;
            }
            *done += 1;
            *cursor = conv::RowCursor::default();
            if out.len() >= budget && *done < self.entries.len() {
                return false;
            }
        }
        self.text_at = Default::default();
        true
    }

    /// JSON of collector `index` (in request order); false if there is none.
    pub fn write_json(&mut self, index: usize, out: &mut String) -> bool {
        self.settle();
        match self.entries.get(index).map(|e| &e.collector) {
            Some(Collector::Conv(t)) => t.write_json(out),
            Some(Collector::Endpoints(t)) => t.write_json(out),
            Some(Collector::Follow(t)) => t.write_json(out),
            Some(Collector::Flow(t)) => t.write_json(out),
            Some(Collector::Expert(t)) => t.write_json(out),
            Some(Collector::Phs(t)) => t.write_json(out),
            Some(Collector::IoStat(t)) => t.write_json(out),
            Some(Collector::Ladder(t)) => t.write_json(out),
            None => return false,
        }
        true
    }
}

/// io,stat reads the values of fields that some tap filter of the session names, as tshark's
/// tree holds values only for those.
fn prime_io_stats(entries: &mut [Entry]) {
    let mut named: Vec<&'static crate::field::FieldDef> = entries.iter().filter_map(|e| e.filter.as_ref()).flat_map(|f| f.fields().iter().copied()).collect();
    for e in entries.iter() {
        if let Collector::IoStat(t) = &e.collector {
            named.extend(t.filter_fields());
        }
    }
    for e in entries.iter_mut() {
        if let Collector::IoStat(t) = &mut e.collector {
            t.prime(&named);
        }
    }
}

/// Splits `head,rest` at the first comma.
fn split_comma(s: &str) -> (&str, Option<&str>) {
    match s.find(',') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

/// tshark's message when a tap's filter does not compile.
fn filter_error(c: &Collector, filter: &str, message: &str) -> String {
    let why = format!("Filter \"{}\" is invalid - {}", filter, message);
    match c {
        Collector::Conv(_) => format!("Couldn't register conversations tap: {}", why),
        Collector::Endpoints(_) => format!("Couldn't register endpoint tap: {}", why),
        Collector::Phs(_) => format!("Couldn't register io,phs tap: {}", why),
        Collector::Expert(_) => format!("Expert tap error ({})!", why),
        _ => "flow - Error registering tap listener.".to_string(),
    }
}

/// A collector and the text of its tap's filter, if the argument has one.
fn parse_one<'a>(arg: &'a str, zone: &Zone) -> Result<(Collector, Option<&'a str>), String> {
    let (head, rest) = split_comma(arg);
    match head {
        "conv" | "endpoints" => {
            let (kind, filter) = split_comma(rest.unwrap_or(""));
            let kind = taps::Kind::parse(kind)
                .ok_or_else(|| format!("-z {}: unknown table type \"{}\" (Reef has eth, ip, ipv6, tcp, udp)", arg, kind))?;
            let title = filter.map(str::to_string);
            Ok(if head == "conv" {
                (Collector::Conv(conv::ConvTable::new(kind, title)), filter)
            } else {
                (Collector::Endpoints(endpoints::EndpointTable::new(kind, title)), filter)
            })
        }
        // The follow tap's filter is the stream's own.
        "follow" => follow::Follow::parse(rest.unwrap_or("")).map(|f| (Collector::Follow(f), None)).map_err(|e| format!("follow - {}", e)),
        "flow" => {
            let (proto, rest) = split_comma(rest.unwrap_or(""));
            if proto != "tcp" {
                return Err(format!("-z {}: Reef draws the flow graph of tcp only", arg));
            }
            let (mode, filter) = split_comma(rest.unwrap_or(""));
            if mode != "standard" && mode != "network" {
                return Err("flow - Invalid address type.".to_string());
            }
            Ok((Collector::Flow(flow::FlowGraph::new()), filter))
        }
        "expert" => {
            let (level, filter) = expert::parse_args(rest);
            Ok((Collector::Expert(expert::ExpertSummary::new(level)), filter))
        }
        "io" => {
            let (what, filter) = split_comma(rest.unwrap_or(""));
            if what == "stat" {
                // Each column has its own filter, compiled by the collector.
                return iostat::IoStat::parse(arg, zone).map(|t| (Collector::IoStat(t), None));
            }
            if what != "phs" {
                return Err(format!("-z {}: Reef has io,phs and io,stat only", arg));
            }
            Ok((Collector::Phs(phs::Hierarchy::new(filter.map(str::to_string))), filter))
        }
        "ladder" => match rest.and_then(|s| s.parse::<u32>().ok()) {
            Some(stream) => Ok((Collector::Ladder(ladder::Ladder::new(stream)), None)),
            None => Err(format!("-z {}: expected ladder,STREAM", arg)),
        },
        _ => Err(format!("invalid -z argument \"{}\"; Reef has conv,TYPE endpoints,TYPE follow,PROTO,MODE,STREAM flow,tcp,standard|network expert io,phs io,stat,INTERVAL[,FILTER...]", arg)),
    }
}

/// tshark's `nstime_to_sec`: seconds and nanoseconds apart, then added as doubles.
pub fn ns_to_sec(ns: i64) -> f64 {
    (ns / 1_000_000_000) as f64 + (ns % 1_000_000_000) as f64 / 1e9
}

/// The text of a collector whose text is small, at once (the tables go in parts).
fn write_small_text(c: &Collector, out: &mut String) {
    match c {
        Collector::Follow(t) => t.write_text(out),
        Collector::Flow(t) => t.write_text(out),
        Collector::Expert(t) => t.write_text(out),
        Collector::Phs(t) => t.write_text(out),
        Collector::IoStat(t) => t.write_text(out),
        // Reef's own view has no tshark text.
        Collector::Ladder(_) | Collector::Conv(_) | Collector::Endpoints(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::FrameMeta;
    use crate::session::Session;

    #[test]
    fn parses_tshark_arguments_and_refuses_filters() {
        let s = Stats::parse("conv,tcp\nendpoints,ipv6\nfollow,tcp,ascii,0\nflow,tcp,standard\nexpert\nio,phs\nladder,3\n", &Zone::default()).unwrap();
        assert_eq!(s.len(), 7);
        assert_eq!(s.stream_scope(), None);
        let f = Stats::parse("follow,udp,hex,2", &Zone::default()).unwrap();
        assert_eq!(f.stream_scope(), Some((Transport::Udp, 2)));
        assert!(Stats::parse("conv,tcp,tcp.port==80", &Zone::default()).is_ok());
        let e = Stats::parse("conv,tcp,tcp.port==", &Zone::default()).err().unwrap();
        assert!(e.starts_with("Couldn't register conversations tap: Filter \"tcp.port==\" is invalid - "), "{}", e);
        assert!(Stats::parse("conv,sctp", &Zone::default()).err().unwrap().contains("unknown table type"));
        assert!(Stats::parse("io,stat,1", &Zone::default()).is_ok());
        assert!(Stats::parse("io,stat,x", &Zone::default()).is_err());
        assert!(Stats::parse("flow,tcp,both", &Zone::default()).is_err());
    }

    /// An Ethernet/IPv4/TCP frame from 10.0.0.`from` to 10.0.0.`to` (ports 40000 <-> 80).
    fn segment(client: bool, seq: u32, ack: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
        let (src, dst, sport, dport) = if client { (1u8, 2u8, 40000u16, 80u16) } else { (2, 1, 80, 40000) };
        let mut f = vec![0, 0, 0, 0, 0, dst, 0, 0, 0, 0, 0, src, 0x08, 0x00];
        let total = (40 + payload.len()) as u16;
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, src, 10, 0, 0, dst]);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&ack.to_be_bytes());
        f.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    fn exchange() -> Vec<Vec<u8>> {
        vec![
            segment(true, 1000, 0, 0x02, b""),
            segment(false, 5000, 1001, 0x12, b""),
            segment(true, 1001, 5001, 0x10, b""),
            segment(true, 1001, 5001, 0x18, b"hello"),
            segment(true, 1001, 5001, 0x18, b"hello"),
            segment(false, 5001, 1006, 0x18, b"world!"),
            segment(true, 1006, 5007, 0x11, b""),
        ]
    }

    fn run(frames: &[Vec<u8>], requests: &str) -> Session {
        let mut s = Session::new();
        s.configure("mode quiet\n").unwrap();
        s.start_stats(requests).unwrap();
        for (i, f) in frames.iter().enumerate() {
            let meta = FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ts_ns: i as i64 * 1_000_000, ..Default::default() };
            s.ingest_and_print(meta, f);
        }
        s
    }

    #[test]
    fn the_first_pass_feeds_every_statistic() {
        let mut s = run(&exchange(), "follow,tcp,ascii,0\nladder,0\nconv,tcp\n");
        s.write_stats_text();
        assert!(s.out.contains("Node 0: 10.0.0.1:40000\nNode 1: 10.0.0.2:80\n5\nhello\n\t6\nworld!\n"), "{}", s.out);
        assert!(s.out.contains("10.0.0.1:40000             <-> 10.0.0.2:80                      2 114 bytes       5 280 bytes       7 394 bytes"), "{}", s.out);
        s.out.clear();
        assert!(s.write_stats_json(1));
        assert!(s.out.contains("\"stateA\":\"FIN_WAIT_1\",\"stateB\":\"CLOSE_WAIT\""), "{}", s.out);
    }

    #[test]
    fn text_in_parts_is_the_whole_text() {
        // 300 connections from as many client ports, each SYN then data.
        let mut frames = Vec::new();
        for port in 0..300u16 {
            for (seq, flags) in [(1000, 0x02), (1001, 0x18)] {
                let mut f = segment(true, seq, 0, flags, b"x");
                f[34..36].copy_from_slice(&(20000 + port).to_be_bytes());
                frames.push(f);
            }
        }
        let requests = "conv,tcp\nio,phs\nendpoints,tcp\nconv,ip\n";
        let mut whole = run(&frames, requests);
        whole.write_stats_text();
        let mut parted = run(&frames, requests);
        let (mut text, mut parts) = (String::new(), 0);
        loop {
            let done = parted.write_stats_text_part(2000);
            assert!(parted.out.len() < 2000 + 200, "a part stops after the row that reaches the budget");
            text.push_str(&std::mem::take(&mut parted.out));
            parts += 1;
            if done {
                break;
            }
        }
        assert!(parts > 20, "{} parts", parts);
        assert_eq!(text, whole.out);
        assert_eq!(text.matches("Conversations").count(), 2);
        // And again from the start, also after parts the host stopped taking.
        parted.write_stats_text();
        assert_eq!(parted.out, whole.out);
        parted.out.clear();
        assert!(!parted.write_stats_text_part(2000));
        parted.out.clear();
        parted.write_stats_text();
        assert_eq!(parted.out, whole.out);
    }

    #[test]
    fn statistics_survive_mutated_frames() {
        let base = exchange();
        let all = "conv,eth\nconv,ip\nconv,tcp\nendpoints,tcp\nendpoints,udp\nfollow,tcp,hex,0\nfollow,udp,raw,0\nflow,tcp,standard\nexpert\nio,phs\nladder,0\n";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..300 {
            let mut frames = base.clone();
            for f in frames.iter_mut() {
                for _ in 0..3 {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let at = (seed % f.len() as u64) as usize;
                    f[at] = (seed >> 32) as u8;
                }
                if seed % 5 == 0 {
                    f.truncate((seed >> 40) as usize % f.len());
                }
            }
            let mut s = run(&frames, all);
            s.write_stats_text();
            for i in 0..11 {
                assert!(s.write_stats_json(i));
            }
        }
    }

    #[test]
    fn seconds_as_tshark_adds_them() {
        assert_eq!(ns_to_sec(1_500_000_000), 1.5);
        assert_eq!(ns_to_sec(-1_500_000_000), -1.5);
    }
}
