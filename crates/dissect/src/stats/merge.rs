//! Statistics of a sharded single pass (`session::shard`): each worker's session counts its
//! shard's frames, exports its conversation and endpoint tables as text, and one session
//! absorbs every export and prints. Rows of the same conversation or endpoint from several
//! shards add up; the table order is that of one session, recovered from where each row was
//! first seen (frame number, then position in its shard's table).
//!
//! Only these tables merge this way; other collectors keep state that does not add up
//! (follow, flow, io,stat), so the host shards only runs whose statistics all merge.
//!
//! The export is one line per row, tab-separated: `c TABLE first_frame first_index a b port_a
//! port_b conv_id frames_ab bytes_ab frames_ba bytes_ba start_ns stop_ns start_abs_ns` and
//! `e TABLE first_frame first_index address port tx_frames tx_bytes rx_frames rx_bytes`, with
//! addresses as `e` + 12 hex digits (Ethernet), `4` + 8 or `6` + 32 (IP), `conv_id` `-` when unset.

use super::conv::Conversation;
use super::endpoints::Endpoint;
use super::{Collector, Stats};
use crate::packet::NetAddr;
use crate::stats::Address;
use crate::text::push_uint;

impl Stats {
    /// Whether every collector is a table `absorb` can merge.
    pub fn mergeable(&self) -> bool {
        self.entries.iter().all(|e| matches!(e.collector, Collector::Conv(_) | Collector::Endpoints(_)))
    }

    /// Appends this session's tables to `out` (format above).
    pub fn export(&mut self, out: &mut String) {
        self.settle();
        // Numbers pushed, not `write!`: a large capture's tables are hundreds of thousands of rows.
        let tab = |out: &mut String, v: u64| {
            out.push('\t');
            push_uint(out, v);
        };
        let tab_int = |out: &mut String, v: i64| {
            out.push('\t');
            if v < 0 {
                out.push('-');
            }
            push_uint(out, v.unsigned_abs());
        };
        for (t, e) in self.entries.iter().enumerate() {
            match &e.collector {
                Collector::Conv(table) => {
                    for c in &table.items {
                        out.push('c');
                        tab(out, t as u64);
                        tab(out, c.first.0 as u64);
                        tab(out, c.first.1 as u64);
                        out.push('\t');
                        write_addr(out, &c.a);
                        out.push('\t');
                        write_addr(out, &c.b);
                        tab(out, c.port_a as u64);
                        tab(out, c.port_b as u64);
                        match c.conv_id {
                            Some(id) => tab(out, id as u64),
                            None => out.push_str("\t-"),
                        }
                        for v in [c.frames_ab, c.bytes_ab, c.frames_ba, c.bytes_ba] {
                            tab(out, v);
                        }
                        for v in [c.start_ns, c.stop_ns, c.start_abs_ns] {
                            tab_int(out, v);
                        }
                        out.push('\n');
                    }
                }
                Collector::Endpoints(table) => {
                    for p in &table.items {
                        out.push('e');
                        tab(out, t as u64);
                        tab(out, p.first.0 as u64);
                        tab(out, p.first.1 as u64);
                        out.push('\t');
                        write_addr(out, &p.addr);
                        for v in [p.port as u64, p.tx_frames, p.tx_bytes, p.rx_frames, p.rx_bytes] {
                            tab(out, v);
                        }
                        out.push('\n');
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds another session's `export` to these tables (same `-z` arguments); they are put
    /// back in one session's order before they are next read (`settle`). Err names the line
    /// that does not parse.
    pub fn absorb(&mut self, text: &str) -> Result<(), String> {
        self.unsettled = true;
        for (n, line) in text.lines().enumerate() {
            self.absorb_line(line).ok_or_else(|| format!("statistics export, line {}: {:?}", n + 1, line))?;
        }
        Ok(())
    }

    /// Puts tables that absorbed rows in one session's order: once, however many pieces of
    /// exports came in.
    pub(super) fn settle(&mut self) {
        if !std::mem::take(&mut self.unsettled) {
            return;
        }
        for e in &mut self.entries {
            match &mut e.collector {
                Collector::Conv(t) => t.settle(),
                Collector::Endpoints(t) => t.settle(),
                _ => {}
            }
        }
    }

    fn absorb_line(&mut self, line: &str) -> Option<()> {
        // Up to 16 fields, without a Vec per line.
        let mut f = [""; 16];
        let mut count = 0;
        let mut parts = line.split('\t');
        for (slot, part) in f.iter_mut().zip(&mut parts) {
            *slot = part;
            count += 1;
        }
        if parts.next().is_some() {
            return None;
        }
        let f = &f[..count];
        let int = |i: usize| -> Option<i64> { f.get(i)?.parse().ok() };
        let count = |i: usize| -> Option<u64> { f.get(i)?.parse().ok() };
        let table: usize = f.get(1)?.parse().ok()?;
        let first = (f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?);
        match (*f.first()?, &mut self.entries.get_mut(table)?.collector) {
            ("c", Collector::Conv(t)) if f.len() == 16 => t.absorb(Conversation {
                a: read_addr(f[4])?,
                b: read_addr(f[5])?,
                port_a: f[6].parse().ok()?,
                port_b: f[7].parse().ok()?,
                conv_id: if f[8] == "-" { None } else { Some(f[8].parse().ok()?) },
                frames_ab: count(9)?,
                bytes_ab: count(10)?,
                frames_ba: count(11)?,
                bytes_ba: count(12)?,
                start_ns: int(13)?,
                stop_ns: int(14)?,
                start_abs_ns: int(15)?,
                first,
            }),
            ("e", Collector::Endpoints(t)) if f.len() == 10 => t.absorb(Endpoint {
                addr: read_addr(f[4])?,
                port: f[5].parse().ok()?,
                tx_frames: count(6)?,
                tx_bytes: count(7)?,
                rx_frames: count(8)?,
                rx_bytes: count(9)?,
                first,
            }),
            _ => return None,
        }
        Some(())
    }
}

fn write_addr(out: &mut String, a: &Address) {
    let (tag, bytes): (char, &[u8]) = match a {
        Address::Ether(m) => ('e', m),
        Address::Ip(ip) if ip.v6 => ('6', &ip.bytes),
        Address::Ip(ip) => ('4', &ip.bytes[..4]),
    };
    out.push(tag);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
}

fn read_addr(text: &str) -> Option<Address> {
    let tag = text.chars().next()?;
    let hex = text.get(1..)?;
    let mut bytes = [0u8; 16];
    let len = hex.len() / 2;
    if hex.len() % 2 != 0 || len > 16 {
        return None;
    }
    for (i, b) in bytes.iter_mut().take(len).enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    match (tag, len) {
        ('e', 6) => Some(Address::Ether([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5]])),
        ('4', 4) => Some(Address::Ip(NetAddr::v4([bytes[0], bytes[1], bytes[2], bytes[3]]))),
        ('6', 16) => Some(Address::Ip(NetAddr::v6(bytes))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_survive_the_export() {
        for a in [Address::Ether([0, 0x1b, 0x21, 0xff, 0, 9]), Address::Ip(NetAddr::v4([10, 0, 0, 254])), Address::Ip(NetAddr::v6([0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))] {
            let mut s = String::new();
            write_addr(&mut s, &a);
            assert_eq!(read_addr(&s), Some(a), "{}", s);
        }
        assert_eq!(read_addr("4ffff"), None);
        assert_eq!(read_addr("x00"), None);
    }

    fn conv(a: Address, b: Address, ab: u64, ba: u64, first: (u32, u32), start_ns: i64) -> Conversation {
        Conversation { a, b, port_a: 0, port_b: 0, conv_id: None, frames_ab: ab, bytes_ab: ab * 100, frames_ba: ba, bytes_ba: ba * 100, start_ns, stop_ns: start_ns + 10, start_abs_ns: start_ns, first }
    }

    #[test]
    fn the_shard_that_saw_a_pair_first_names_its_a_side() {
        let (a, b) = (Address::Ether([2, 0, 0, 0, 0, 1]), Address::Ether([2, 0, 0, 0, 0, 2]));
        let mut t = super::super::conv::ConvTable::new(super::super::taps::Kind::Eth, None);
        t.absorb(conv(a, b, 2, 0, (5, 0), 50));
        // Another shard saw B -> A first (frame 3): once from B, four times from A.
        t.absorb(conv(b, a, 1, 4, (3, 0), 30));
        t.settle();
        let c = &t.items[0];
        assert_eq!((c.a, c.b, c.frames_ab, c.frames_ba, c.bytes_ba, c.first, c.start_ns, c.stop_ns), (b, a, 1, 6, 600, (3, 0), 30, 60));
        // Rows come back in the order they were first seen.
        let other = Address::Ether([2, 0, 0, 0, 0, 3]);
        t.absorb(conv(other, a, 1, 0, (1, 0), 10));
        t.settle();
        assert_eq!(t.items.iter().map(|c| c.first).collect::<Vec<_>>(), vec![(1, 0), (3, 0)]);
    }

    #[test]
    fn a_bad_line_is_named() {
        let mut stats = Stats::parse("conv,tcp", &Default::default()).unwrap();
        let err = stats.absorb("c\t0\t1\t0\tnot-an-address").unwrap_err();
        assert!(err.contains("line 1"), "{}", err);
        assert!(!Stats::parse("follow,tcp,ascii,0", &Default::default()).unwrap().mergeable());
        assert!(Stats::parse("conv,tcp\nendpoints,eth", &Default::default()).unwrap().mergeable());
    }
}
