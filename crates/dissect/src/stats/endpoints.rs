//! Endpoints (`-z endpoints,TYPE`): packets and bytes each address (and port) sent and
//! received, as tshark's endpoint table counts them. A packet to oneself counts both ways.

use super::conv::{order_by_frames, write_filter_line, RowCursor, RULE};
use super::rows::Rows;
use super::taps::{Address, Kind, Tap, Taps};
use super::FrameView;
use crate::json;
use crate::hash::HashMap;
use std::fmt::Write;

pub struct Endpoint {
    pub addr: Address,
    pub port: u16,
    pub tx_frames: u64,
    pub tx_bytes: u64,
    pub rx_frames: u64,
    pub rx_bytes: u64,
    /// Frame number, then the table's length, when first seen (see `Conversation::first`).
    pub first: (u32, u32),
}

pub struct EndpointTable {
    kind: Kind,
    filter: Option<String>,
    by_key: HashMap<(Address, u16), usize>,
    /// In order of first appearance (a packet's source before its destination).
    pub items: Rows<Endpoint>,
}

impl EndpointTable {
    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn new(kind: Kind, filter: Option<String>) -> EndpointTable {
        EndpointTable { kind, filter, by_key: HashMap::default(), items: Rows::default() }
    }

    pub fn feed(&mut self, f: &FrameView, taps: &Taps) {
        for tap in taps.iter() {
            let (src, dst, sport, dport) = match (self.kind, tap) {
                (Kind::Eth, Tap::Eth { src, dst }) => (Address::Ether(*src), Address::Ether(*dst), 0, 0),
                (Kind::Ip, Tap::Ip { src, dst }) if !src.v6 => (Address::Ip(*src), Address::Ip(*dst), 0, 0),
                (Kind::Ipv6, Tap::Ip { src, dst }) if src.v6 => (Address::Ip(*src), Address::Ip(*dst), 0, 0),
                (Kind::Tcp, Tap::Tcp(t)) => (Address::Ip(t.src), Address::Ip(t.dst), t.sport, t.dport),
                (Kind::Udp, Tap::Udp(u)) => (Address::Ip(u.src), Address::Ip(u.dst), u.sport, u.dport),
                _ => continue,
            };
            let bytes = f.origlen as u64;
            let e = self.entry(src, sport, f.number);
            e.tx_frames += 1;
            e.tx_bytes += bytes;
            let e = self.entry(dst, dport, f.number);
            e.rx_frames += 1;
            e.rx_bytes += bytes;
        }
    }

    fn entry(&mut self, addr: Address, port: u16, frame: u32) -> &mut Endpoint {
        let next = self.items.len();
        let i = *self.by_key.entry((addr, port)).or_insert(next);
        if i == next {
            self.items.push(Endpoint { addr, port, tx_frames: 0, tx_bytes: 0, rx_frames: 0, rx_bytes: 0, first: (frame, next as u32) });
        }
        &mut self.items[i]
    }

    /// Adds a shard's endpoint (`stats::merge`), into the same endpoint of another shard.
    pub fn absorb(&mut self, e: Endpoint) {
        let mine = self.entry(e.addr, e.port, e.first.0);
        let new = mine.tx_frames + mine.rx_frames == 0;
        mine.tx_frames += e.tx_frames;
        mine.tx_bytes += e.tx_bytes;
        mine.rx_frames += e.rx_frames;
        mine.rx_bytes += e.rx_bytes;
        if new || e.first < mine.first {
            mine.first = e.first;
        }
    }

    /// Puts absorbed endpoints in the order one session would have made them.
    pub fn settle(&mut self) {
        self.items.sort_by_key(|e| e.first);
        self.by_key = self.items.iter().enumerate().map(|(i, e)| ((e.addr, e.port), i)).collect();
    }

    pub fn write_text(&self, out: &mut String) {
        self.write_text_part(out, &mut RowCursor::default(), usize::MAX);
    }

    /// `write_text` from `cursor` on, until `out` holds `budget` bytes; true once done.
    pub fn write_text_part(&self, out: &mut String, cursor: &mut RowCursor, budget: usize) -> bool {
        let ports = self.kind.has_ports();
        if !cursor.started() {
            out.push_str(RULE);
            let _ = writeln!(out, "{} Endpoints", self.kind.title());
            write_filter_line(out, &self.filter);
            let _ = writeln!(
                out,
                "                       |  {}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |",
                if ports { "Port  ||  " } else { "" }
            );
            cursor.start(order_by_frames(self.items.len(), |i| self.items[i].tx_frames + self.items[i].rx_frames));
        }
        let mut name = String::new();
        cursor.write_rows(out, budget, |out, i| {
            let e = &self.items[i];
            name.clear();
            e.addr.write(&mut name);
            let _ = write!(out, "{:<20}      ", name);
            if ports {
                let _ = write!(out, "{:>5}     ", e.port);
            }
            let _ = writeln!(
                out,
                "{:>6}     {:>9}     {:>6}       {:>9}      {:>6}       {:>9}   ",
                e.tx_frames + e.rx_frames,
                e.tx_bytes + e.rx_bytes,
                e.tx_frames,
                e.tx_bytes,
                e.rx_frames,
                e.rx_bytes
            );
        })
    }

    /// `[{address, port?, txFrames, txBytes, rxFrames, rxBytes}]` in order of first appearance.
    pub fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, e) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"address\":");
            json::write_str(out, &e.addr.text());
            if self.kind.has_ports() {
                let _ = write!(out, ",\"port\":{}", e.port);
            }
            let _ = write!(
                out,
                ",\"txFrames\":{},\"txBytes\":{},\"rxFrames\":{},\"rxBytes\":{}}}",
                e.tx_frames, e.tx_bytes, e.rx_frames, e.rx_bytes
            );
        }
        out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::NetAddr;

    #[test]
    fn a_packet_to_oneself_counts_both_ways() {
        let mut t = EndpointTable::new(Kind::Ip, None);
        let lo = Address::Ip(NetAddr::v4([127, 0, 0, 1]));
        for _ in 0..3 {
            let e = t.entry(lo, 0, 1);
            e.tx_frames += 1;
            e.tx_bytes += 10;
            let e = t.entry(lo, 0, 1);
            e.rx_frames += 1;
            e.rx_bytes += 10;
        }
        let mut out = String::new();
        t.write_text(&mut out);
        assert_eq!(
            out.lines().nth(4).unwrap(),
            "127.0.0.1                      6            60          3              30           3              30   "
        );
    }
}
