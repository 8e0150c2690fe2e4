//! Conversations (`-z conv,TYPE`): packets and bytes each way between two endpoints, when the
//! conversation started and how long it lasted, as tshark's conversation table counts them.
//!
//! As in tshark, a conversation's "A" side is the source of its first packet; later packets
//! count as A->B (tshark's "->", its tx) when they match that orientation exactly, else B->A.
//! TCP conversations are also told apart by stream index (a reused port pair is a new one).

use super::rows::Rows;
use super::taps::{write_host_port, Address, Kind, Tap, Taps};
use super::{ns_to_sec, FrameView};
use crate::json;
use crate::print::time::{self, TimeFormat, TimeRefs, Zone};
use crate::hash::{hash_of, RowIndex};
use crate::text::{decimal_digits, push_padded, push_uint, push_uint_zeros};
use std::fmt::Write;

/// No row yet for a stream (`ConvTable::by_stream`).
const NONE: u32 = u32::MAX;

pub const RULE: &str = "================================================================================\n";

/// A conversation whichever way its packets go: the lower endpoint first, so one lookup
/// finds it from either side.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    lo: Address,
    hi: Address,
    port_lo: u16,
    port_hi: u16,
    /// TCP stream index; None for the other tables (tshark's CONV_ID_UNSET).
    conv_id: Option<u32>,
}

impl Key {
    fn of(src: Address, dst: Address, sport: u16, dport: u16, conv_id: Option<u32>) -> Key {
        if (src, sport) <= (dst, dport) {
            Key { lo: src, hi: dst, port_lo: sport, port_hi: dport, conv_id }
        } else {
            Key { lo: dst, hi: src, port_lo: dport, port_hi: sport, conv_id }
        }
    }

    fn of_conversation(c: &Conversation) -> Key {
        Key::of(c.a, c.b, c.port_a, c.port_b, c.conv_id)
    }
}

pub struct Conversation {
    pub a: Address,
    pub b: Address,
    pub port_a: u16,
    pub port_b: u16,
    pub conv_id: Option<u32>,
    pub frames_ab: u64,
    pub bytes_ab: u64,
    pub frames_ba: u64,
    pub bytes_ba: u64,
    /// Relative to the first frame of the capture.
    pub start_ns: i64,
    pub stop_ns: i64,
    /// Absolute time of the earliest packet.
    pub start_abs_ns: i64,
    /// Where the table first saw it: frame number, then the table's length then (a frame can
    /// start several). Orders tables merged from shards (`stats::merge`).
    pub first: (u32, u32),
}

pub struct ConvTable {
    kind: Kind,
    filter: Option<String>,
    /// Rows by `Key` (of their addresses, ports and stream).
    by_key: RowIndex,
    /// TCP, as fed by one session: a stream's first row by stream number (`NONE` for none).
    /// A stream is one address and port pair, so rows are found without hashing addresses;
    /// `by_key` holds only the others until merging needs it whole (`keyed`).
    by_stream: Vec<u32>,
    /// In order of first packet, which is also the order of ties when printing.
    pub items: Rows<Conversation>,
}

impl ConvTable {
    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn new(kind: Kind, filter: Option<String>) -> ConvTable {
        ConvTable { kind, filter, by_key: RowIndex::default(), by_stream: Vec::new(), items: Rows::default() }
    }

    pub fn feed(&mut self, f: &FrameView, taps: &Taps) {
        for tap in taps.iter() {
            let (src, dst, sport, dport, conv_id) = match (self.kind, tap) {
                (Kind::Eth, Tap::Eth { src, dst }) => (Address::Ether(*src), Address::Ether(*dst), 0, 0, None),
                (Kind::Ip, Tap::Ip { src, dst }) if !src.v6 => (Address::Ip(*src), Address::Ip(*dst), 0, 0, None),
                (Kind::Ipv6, Tap::Ip { src, dst }) if src.v6 => (Address::Ip(*src), Address::Ip(*dst), 0, 0, None),
                (Kind::Tcp, Tap::Tcp(t)) => (Address::Ip(t.src), Address::Ip(t.dst), t.sport, t.dport, Some(t.stream)),
                (Kind::Udp, Tap::Udp(u)) => (Address::Ip(u.src), Address::Ip(u.dst), u.sport, u.dport, None),
                _ => continue,
            };
            self.add(src, dst, sport, dport, conv_id, f.origlen as u64, (f.rel_ns, f.ts_ns), f.number);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add(&mut self, src: Address, dst: Address, sport: u16, dport: u16, conv_id: Option<u32>, bytes: u64, (rel_ns, abs_ns): (i64, i64), frame: u32) {
        let found = self.find(src, dst, sport, dport, conv_id);
        let (idx, forward) = match found {
            Some(found) => found,
            None => {
                self.items.push(Conversation {
                    a: src,
                    b: dst,
                    port_a: sport,
                    port_b: dport,
                    conv_id,
                    frames_ab: 0,
                    bytes_ab: 0,
                    frames_ba: 0,
                    bytes_ba: 0,
                    start_ns: rel_ns,
                    stop_ns: rel_ns,
                    start_abs_ns: abs_ns,
                    first: (frame, self.items.len() as u32),
                });
                let row = self.items.len() - 1;
                match conv_id.map(|s| s as usize) {
                    Some(stream) if self.by_stream.get(stream).map_or(true, |&i| i == NONE) => {
                        if stream >= self.by_stream.len() {
                            self.by_stream.resize(stream + 1, NONE);
                        }
                        self.by_stream[stream] = row as u32;
                    }
                    _ => self.index(row),
                }
                (row, true)
            }
        };
        let c = &mut self.items[idx];
        if forward {
            c.frames_ab += 1;
            c.bytes_ab += bytes;
        } else {
            c.frames_ba += 1;
            c.bytes_ba += bytes;
        }
        if rel_ns > c.stop_ns {
            c.stop_ns = rel_ns;
        } else if rel_ns < c.start_ns {
            c.start_ns = rel_ns;
            c.start_abs_ns = abs_ns;
        }
    }

    /// The conversation between these endpoints, and whether `src` is its A side.
    fn find(&self, src: Address, dst: Address, sport: u16, dport: u16, conv_id: Option<u32>) -> Option<(usize, bool)> {
        let side = |c: &Conversation| {
            if c.conv_id != conv_id {
                None
            } else if c.a == src && c.b == dst && c.port_a == sport && c.port_b == dport {
                Some(true)
            } else if c.a == dst && c.b == src && c.port_a == dport && c.port_b == sport {
                Some(false)
            } else {
                None
            }
        };
        if let Some(&i) = conv_id.and_then(|s| self.by_stream.get(s as usize)).filter(|&&i| i != NONE) {
            if let Some(forward) = side(&self.items[i as usize]) {
                return Some((i as usize, forward));
            }
        }
        let hash = hash_of(&Key::of(src, dst, sport, dport, conv_id));
        let i = self.by_key.find(hash, |r| side(&self.items[r as usize]).is_some())? as usize;
        Some((i, side(&self.items[i]) == Some(true)))
    }

    /// Adds row `row` to `by_key`.
    fn index(&mut self, row: usize) {
        let items = &self.items;
        let hash = hash_of(&Key::of_conversation(&items[row]));
        self.by_key.insert(hash, row as u32, |r| hash_of(&Key::of_conversation(&items[r as usize])));
    }

    /// Indexes every row in `by_key`, none by stream.
    fn reindex(&mut self) {
        self.by_stream = Vec::new();
        self.by_key.clear();
        for row in 0..self.items.len() {
            self.index(row);
        }
    }

    /// Adds a shard's conversation (`stats::merge`): counted into the same conversation of
    /// another shard if there is one (an Ethernet pair carries many address pairs), whose A
    /// side is then that of whichever saw it first.
    pub fn absorb(&mut self, c: Conversation) {
        self.keyed();
        let found = self.find(c.a, c.b, c.port_a, c.port_b, c.conv_id);
        let (i, forward) = match found {
            Some(f) => f,
            None => {
                self.items.push(c);
                self.index(self.items.len() - 1);
                return;
            }
        };
        let mine = &mut self.items[i];
        let (ab, ba) = if forward { ((c.frames_ab, c.bytes_ab), (c.frames_ba, c.bytes_ba)) } else { ((c.frames_ba, c.bytes_ba), (c.frames_ab, c.bytes_ab)) };
        mine.frames_ab += ab.0;
        mine.bytes_ab += ab.1;
        mine.frames_ba += ba.0;
        mine.bytes_ba += ba.1;
        mine.stop_ns = mine.stop_ns.max(c.stop_ns);
        if c.start_ns < mine.start_ns {
            mine.start_ns = c.start_ns;
            mine.start_abs_ns = c.start_abs_ns;
        }
        if c.first < mine.first {
            mine.first = c.first;
            if !forward {
                std::mem::swap(&mut mine.a, &mut mine.b);
                std::mem::swap(&mut mine.port_a, &mut mine.port_b);
                std::mem::swap(&mut mine.frames_ab, &mut mine.frames_ba);
                std::mem::swap(&mut mine.bytes_ab, &mut mine.bytes_ba);
            }
        }
    }

    /// Indexes rows fed by stream number by their addresses instead (merging shards, whose
    /// stream numbers are their own).
    fn keyed(&mut self) {
        if !self.by_stream.is_empty() {
            self.reindex();
        }
    }

    /// Puts absorbed conversations in the order one session would have made them.
    pub fn settle(&mut self) {
        self.items.sort_by_key(|c| c.first);
        self.reindex();
    }

    /// tshark's table; the start column follows the `-t` format (absolute formats show the
    /// first packet's time of day, `e` its epoch seconds, the others the relative start).
    pub fn write_text(&self, out: &mut String, format: TimeFormat, zone: &Zone) {
        self.write_text_part(out, format, zone, &mut RowCursor::default(), usize::MAX);
    }

    /// `write_text` from `cursor` on, until `out` holds `budget` bytes; true once the whole
    /// table is written (a million-row table need not sit in memory as one text).
    pub fn write_text_part(&self, out: &mut String, format: TimeFormat, zone: &Zone, cursor: &mut RowCursor, budget: usize) -> bool {
        use TimeFormat::*;
        let ports = self.kind.has_ports();
        if !cursor.started() {
            self.write_head(out, format);
            cursor.start(order_by_frames(self.items.len(), |i| self.items[i].frames_ab + self.items[i].frames_ba));
        }
        // Room for the rows at once: growing by doubling would briefly need three times the
        // text (a 5M-packet capture has 233k TCP conversations, 35 MB of rows).
        out.reserve((cursor.remaining() * if ports { 152 } else { 140 }).min(budget.saturating_sub(out.len())));
        let mut name_a = String::new();
        let mut name_b = String::new();
        cursor.write_rows(out, budget, |out, i| {
            let c = &self.items[i];
            name_a.clear();
            name_b.clear();
            let width = if ports {
                write_host_port(&mut name_a, &c.a, c.port_a, false);
                write_host_port(&mut name_b, &c.b, c.port_b, false);
                26
            } else {
                c.a.write(&mut name_a);
                c.b.write(&mut name_b);
                20
            };
            // "{:<w$} <-> {:<w$}  {:>6} {:<9}  {:>6} {:<9}  {:>6} {:<9}  ", by hand: a large
            // capture's table has hundreds of thousands of rows.
            push_padded(out, &name_a, width, false);
            out.push_str(" <-> ");
            push_padded(out, &name_b, width, false);
            for (frames, bytes) in [(c.frames_ba, c.bytes_ba), (c.frames_ab, c.bytes_ab), (c.frames_ab + c.frames_ba, c.bytes_ab + c.bytes_ba)] {
                out.push_str("  ");
                push_uint_right(out, frames, 6);
                out.push(' ');
                let at = out.len();
                write_size(out, bytes);
                for _ in out.len() - at..9 {
                    out.push(' ');
                }
            }
            out.push_str("  ");
            match format {
                Relative | Delta | DeltaDisplayed => push_seconds(out, c.start_ns, 14),
                Epoch => {
                    let _ = write!(out, "{:20.9}", ns_to_sec(c.start_abs_ns));
                }
                // Whole seconds of the first packet, in the zone the format names.
                _ => time::write_column(out, format, c.start_abs_ns, &TimeRefs::default(), 0, zone),
            }
            out.push_str("   ");
            push_duration(out, c.start_ns, c.stop_ns, 12);
            out.push('\n');
        })
    }

    /// The rule, title, filter and column heads.
    fn write_head(&self, out: &mut String, format: TimeFormat) {
        use TimeFormat::*;
        let pad = if self.kind.has_ports() { "            " } else { "" };
        out.push_str(RULE);
        let _ = writeln!(out, "{} Conversations", self.kind.title());
        write_filter_line(out, &self.filter);
        let (title, units, start) = match format {
            Absolute | Utc => (" Absolute Time  ", "Size ", "      Start     "),
            AbsoluteDate | AbsoluteDoy | UtcDate | UtcDoy => (" Absolute Date  ", "Size ", "     Start      "),
            Epoch => ("       Relative       ", "Bytes", "         Start        "),
            _ => ("    Relative    ", "Bytes", "      Start     "),
        };
        let _ = writeln!(out, "{}                                               |       <-      | |       ->      | |     Total     |{}|   Duration   |", pad, title);
        let _ = writeln!(
            out,
            "{}                                               | Frames  {u} | | Frames  {u} | | Frames  {u} |{}|              |",
            pad,
            start,
            u = units
        );
    }

    /// `[{a, b, portA?, portB?, stream?, framesAB, bytesAB, framesBA, bytesBA, start, duration}]`,
    /// in order of first packet; times in seconds relative to the first frame.
    pub fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, c) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"a\":");
            json::write_str(out, &c.a.text());
            out.push_str(",\"b\":");
            json::write_str(out, &c.b.text());
            if self.kind.has_ports() {
                let _ = write!(out, ",\"portA\":{},\"portB\":{}", c.port_a, c.port_b);
            }
            if let Some(s) = c.conv_id {
                let _ = write!(out, ",\"stream\":{}", s);
            }
            let _ = write!(
                out,
                ",\"framesAB\":{},\"bytesAB\":{},\"framesBA\":{},\"bytesBA\":{},\"start\":{},\"duration\":{}}}",
                c.frames_ab,
                c.bytes_ab,
                c.frames_ba,
                c.bytes_ba,
                ns_to_sec(c.start_ns),
                ns_to_sec(c.stop_ns) - ns_to_sec(c.start_ns)
            );
        }
        out.push(']');
    }
}

pub fn write_filter_line(out: &mut String, filter: &Option<String>) {
    match filter {
        Some(f) => {
            let _ = writeln!(out, "Filter:{}", f);
        }
        None => out.push_str("Filter:<No Filter>\n"),
    }
}

/// Where a table's text stopped when written in parts: the order of its rows, once its head
/// is written, and the next row.
#[derive(Default)]
pub struct RowCursor {
    order: Option<Vec<usize>>,
    next: usize,
}

impl RowCursor {
    /// Whether the table's head is written (and its rows' order set).
    pub fn started(&self) -> bool {
        self.order.is_some()
    }

    /// After the head: the order the rows print in.
    pub fn start(&mut self, order: Vec<usize>) {
        self.order = Some(order);
        self.next = 0;
    }

    pub fn remaining(&self) -> usize {
        self.order.as_ref().map_or(0, |o| o.len() - self.next)
    }

    /// Writes the rows left (`row` writes row `i`) until `out` holds `budget` bytes, then the
    /// closing rule; true once the table is done.
    pub fn write_rows(&mut self, out: &mut String, budget: usize, mut row: impl FnMut(&mut String, usize)) -> bool {
        let order = self.order.as_deref().unwrap_or(&[]);
        while let Some(&i) = order.get(self.next) {
            if out.len() >= budget {
                return false;
            }
            self.next += 1;
            row(out, i);
        }
        out.push_str(RULE);
        true
    }
}

/// tshark prints rows by descending frame count, rows with equal counts in table order.
/// `frames(i)` is row `i`'s count, of `len` rows.
pub fn order_by_frames(len: usize, frames: impl Fn(usize) -> u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).filter(|&i| frames(i) > 0).collect();
    order.sort_by(|&x, &y| frames(y).cmp(&frames(x)).then(x.cmp(&y)));
    order
}

/// Wireshark's `format_size(n, FORMAT_SIZE_UNIT_BYTES, 0)` appended to `out`: SI prefixes
/// from ten units up.
fn write_size(out: &mut String, n: u64) {
    const P: u64 = 1000;
    let n = n as i64 as u64;
    let (v, unit) = if n / P / P / P / P >= 10 {
        (n / P / P / P / P, " TB")
    } else if n / P / P / P >= 10 {
        (n / P / P / P, " GB")
    } else if n / P / P >= 10 {
        (n / P / P, " MB")
    } else if n / P >= 10 {
        (n / P, " kB")
    } else {
        (n, " bytes")
    };
    push_uint(out, v);
    out.push_str(unit);
}

/// `{:>width$}` of `v`.
fn push_uint_right(out: &mut String, v: u64, width: usize) {
    for _ in decimal_digits(v)..width {
        out.push(' ');
    }
    push_uint(out, v);
}

/// Times below this many nanoseconds (about 46 days) as an `f64` of seconds are within half a
/// nanosecond of exact, so their nine decimals are the integer's digits.
const EXACT_NS: i64 = 4_000_000_000_000_000;

/// `{:width$.9}` of `ns_to_sec(ns)`: from the integer when that is the same text.
fn push_seconds(out: &mut String, ns: i64, width: usize) {
    if !(0..EXACT_NS).contains(&ns) {
        let _ = write!(out, "{:w$.9}", ns_to_sec(ns), w = width);
        return;
    }
    let secs = (ns / 1_000_000_000) as u64;
    for _ in decimal_digits(secs) + 10..width {
        out.push(' ');
    }
    push_uint(out, secs);
    out.push('.');
    push_uint_zeros(out, (ns % 1_000_000_000) as u64, 9);
}

/// `{:width$.4}` of `ns_to_sec(stop) - ns_to_sec(start)` (tshark's duration): from the
/// integers, unless the difference is within a few nanoseconds of a rounding tie, where only
/// the floating-point value (a hair above or below it) says which way it goes.
fn push_duration(out: &mut String, start: i64, stop: i64, width: usize) {
    const UNIT: i64 = 100_000;
    let d = stop.wrapping_sub(start);
    let r = d.rem_euclid(UNIT);
    if start < 0 || stop < start || stop >= EXACT_NS || (r - UNIT / 2).abs() <= 2 {
        let _ = write!(out, "{:w$.4}", ns_to_sec(stop) - ns_to_sec(start), w = width);
        return;
    }
    let q = (d / UNIT + (r > UNIT / 2) as i64) as u64;
    for _ in decimal_digits(q / 10_000) + 5..width {
        out.push(' ');
    }
    push_uint(out, q / 10_000);
    out.push('.');
    push_uint_zeros(out, q % 10_000, 4);
}

/// `write_size` as a new string.
pub fn format_size(n: u64) -> String {
    let mut s = String::new();
    write_size(&mut s, n);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::NetAddr;

    /// The integer paths print what `format!` prints from the `f64` seconds, ties included.
    #[test]
    fn cells_print_as_format_does() {
        let mut seed = 0x1234_5678_9abc_def0u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut cases: Vec<(i64, i64)> = vec![(0, 0), (0, 50_000), (0, 150_000), (7, 50_007), (1, 49_999), (3, 50_002), (0, 4_999_950_000)];
        for _ in 0..200_000 {
            let start = match next() % 4 {
                0 => (next() % 1_000_000) as i64,
                1 => (next() % 4_000_000_000_000) as i64,
                2 => (next() % (EXACT_NS as u64 + 1000)) as i64,
                _ => -((next() % 1_000_000_000) as i64),
            };
            let d = match next() % 3 {
                0 => (next() % 10) as i64 * 100_000 + 50_000 + (next() % 7) as i64 - 3,
                1 => (next() % 1_000_000_000) as i64,
                _ => (next() % 100_000_000_000_000) as i64,
            };
            cases.push((start, start.saturating_add(d)));
        }
        for (start, stop) in cases {
            let mut got = String::new();
            push_seconds(&mut got, start, 14);
            assert_eq!(got, format!("{:14.9}", ns_to_sec(start)), "start {}", start);
            got.clear();
            push_duration(&mut got, start, stop, 12);
            assert_eq!(got, format!("{:12.4}", ns_to_sec(stop) - ns_to_sec(start)), "{} .. {}", start, stop);
        }
        for n in [0, 9, 9_999, 10_000, 123_456, 9_999_999, 10_000_000, 12_345_678_901, 99_999_999_999_999, u64::MAX] {
            let mut got = String::new();
            write_size(&mut got, n);
            assert_eq!(got, format_size(n));
            got.clear();
            push_uint_right(&mut got, n, 6);
            assert_eq!(got, format!("{:>6}", n));
        }
    }

    fn ip(last: u8) -> Address {
        Address::Ip(NetAddr::v4([10, 0, 0, last]))
    }

    #[test]
    fn first_packet_orients_the_conversation() {
        let mut t = ConvTable::new(Kind::Tcp, None);
        t.add(ip(1), ip(2), 80, 40000, Some(0), 60, (1_000, 1_000), 1);
        t.add(ip(2), ip(1), 40000, 80, Some(0), 100, (3_000, 3_000), 3);
        t.add(ip(2), ip(1), 40000, 80, Some(1), 100, (2_000, 2_000), 2);
        assert_eq!(t.items.len(), 2, "another stream on the same ports is another conversation");
        let c = &t.items[0];
        assert_eq!((c.port_a, c.frames_ab, c.frames_ba, c.bytes_ba, c.start_ns, c.stop_ns), (80, 1, 1, 100, 1_000, 3_000));
        let mut out = String::new();
        t.write_text(&mut out, TimeFormat::Relative, &Zone::default());
        let row = out.lines().nth(5).unwrap();
        assert_eq!(row, "10.0.0.1:80                <-> 10.0.0.2:40000                   1 100 bytes       1 60 bytes        2 160 bytes     0.000001000         0.0000");
    }

    #[test]
    fn rows_are_found_by_stream_and_by_addresses_after_a_merge() {
        let mut t = ConvTable::new(Kind::Tcp, None);
        for round in 0..2 {
            // A stream's first address pair is found by the stream; another pair under the same
            // stream number (headers the analysis saw differently) by its addresses.
            t.add(ip(1), ip(2), 80, 40000, Some(0), 60, (1_000, 1_000), 1);
            t.add(ip(3), ip(4), 80, 40000, Some(0), 60, (2_000, 2_000), 2);
            t.add(ip(4), ip(3), 40000, 80, Some(0), 60, (3_000, 3_000), 3);
            t.add(ip(2), ip(1), 40000, 80, Some(0), 60, (4_000, 4_000), 4);
            t.add(ip(2), ip(1), 40000, 80, Some(7), 60, (5_000, 5_000), 5);
            assert_eq!(t.items.len(), 3);
            let counts: Vec<(u64, u64)> = t.items.iter().map(|c| (c.frames_ab, c.frames_ba)).collect();
            assert_eq!(counts, vec![(1 + round, 1 + round), (1 + round, 1 + round), (1 + round, 0)]);
            if round == 0 {
                // What merging does: every row indexed by its addresses.
                let nothing_new = Conversation { frames_ab: 0, bytes_ab: 0, ..t.items[2] };
                t.absorb(nothing_new);
                assert_eq!(t.items.len(), 3);
            }
        }
    }

    #[test]
    fn sizes_switch_to_prefixes_at_ten_units() {
        assert_eq!(format_size(9999), "9999 bytes");
        assert_eq!(format_size(10_000), "10 kB");
        assert_eq!(format_size(584_321), "584 kB");
        assert_eq!(format_size(12_345_678), "12 MB");
    }

    #[test]
    fn rows_sort_by_frames_keeping_ties_in_order() {
        let counts = [2u64, 5, 2, 0, 5];
        assert_eq!(order_by_frames(counts.len(), |i| counts[i]), vec![1, 4, 0, 2]);
    }
}
