//! Sharding a single pass over several sessions (reef-cli's worker threads). Every session is
//! handed every frame; each dissects only the frames of its shard and merely counts the
//! others (their timestamps, so frame numbers and times stay those of the whole capture).
//!
//! A frame's shard is a hash of its unordered network address pair, so every piece of state
//! a dissection keeps (TCP streams and sequence analysis, reassembly, DNS and HTTP matching,
//! IP fragments) sees all the frames it would see in one session: all of it is keyed by
//! addresses. An ICMP error goes with the packet it quotes, whose TCP or UDP header looks up
//! that flow. Frames without IP (ARP, truncated headers) all go to shard 0.
//!
//! What sharding cannot keep is numbering across flows (`tcp.stream`, `udp.stream`) and the
//! previous displayed frame; the host shards only output that names neither.

use super::Session;
use crate::packet::FrameMeta;
use crate::print::Mode;

/// Which of `shards` shards frame `data` (of link type `linktype`) belongs to.
pub fn shard_of(linktype: u32, data: &[u8], shards: u32) -> u32 {
    if shards <= 1 {
        return 0;
    }
    match network_start(linktype, data).and_then(|(kind, at)| pair_hash(kind, data.get(at..)?, 0)) {
        Some(h) => h % shards,
        None => 0,
    }
}

#[derive(Clone, Copy)]
enum Net {
    V4,
    V6,
    /// Raw IP: the version nibble tells.
    Either,
}

/// Where the network header starts, for the link types captures commonly have.
fn network_start(linktype: u32, d: &[u8]) -> Option<(Net, usize)> {
    match linktype {
        // Ethernet, with any VLAN and QinQ tags.
        1 => {
            let mut at = 12;
            loop {
                let ethertype = u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]);
                match ethertype {
                    0x8100 | 0x88a8 | 0x9100 => at += 4,
                    _ => return by_ethertype(ethertype, at + 2),
                }
            }
        }
        // BSD loopback: the address family, in either byte order.
        0 | 108 => {
            let family = u32::from_le_bytes(d.get(..4)?.try_into().ok()?);
            let family = if family > 0xffff { family.swap_bytes() } else { family };
            match family {
                2 => Some((Net::V4, 4)),
                24 | 28 | 30 => Some((Net::V6, 4)),
                _ => None,
            }
        }
        12 | 14 | 101 => Some((Net::Either, 0)),
        228 => Some((Net::V4, 0)),
        229 => Some((Net::V6, 0)),
        // Linux cooked capture v1 and v2.
        113 => by_ethertype(u16::from_be_bytes([*d.get(14)?, *d.get(15)?]), 16),
        276 => by_ethertype(u16::from_be_bytes([*d.first()?, *d.get(1)?]), 20),
        _ => None,
    }
}

fn by_ethertype(ethertype: u16, at: usize) -> Option<(Net, usize)> {
    match ethertype {
        0x0800 => Some((Net::V4, at)),
        0x86dd => Some((Net::V6, at)),
        _ => None,
    }
}

/// A hash of the unordered address pair of the IP header at the start of `ip`; for an ICMP
/// error, that of the header it quotes.
fn pair_hash(kind: Net, ip: &[u8], depth: u8) -> Option<u32> {
    let version = ip.first()? >> 4;
    let (v6, src, dst) = match (kind, version) {
        (Net::V4 | Net::Either, 4) => (false, ip.get(12..16)?, ip.get(16..20)?),
        (Net::V6 | Net::Either, 6) => (true, ip.get(8..24)?, ip.get(24..40)?),
        _ => return None,
    };
    if depth == 0 {
        if let Some(quoted) = quoted_header(v6, ip) {
            if let Some(h) = pair_hash(Net::Either, quoted, 1) {
                return Some(h);
            }
        }
    }
    let (lo, hi) = if src <= dst { (src, dst) } else { (dst, src) };
    // Multiply-xorshift over 4-byte words: the same in every worker of a run, which is all
    // that matters here, and cheap, as every worker hashes every frame.
    let mut h: u64 = 0;
    for word in lo.chunks_exact(4).chain(hi.chunks_exact(4)) {
        h = (h ^ u32::from_be_bytes([word[0], word[1], word[2], word[3]]) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 29;
    }
    Some((h ^ (h >> 32)) as u32)
}

/// The IP header an ICMP or ICMPv6 error quotes (only when ICMP follows the IP header
/// directly and the packet is not fragmented).
fn quoted_header(v6: bool, ip: &[u8]) -> Option<&[u8]> {
    if v6 {
        // Next header ICMPv6; types 1-4 are errors.
        if *ip.get(6)? != 58 {
            return None;
        }
        let icmp = ip.get(40..)?;
        (1..=4).contains(icmp.first()?).then(|| icmp.get(8..)).flatten()
    } else {
        let hlen = ((ip[0] & 0x0f) as usize) * 4;
        // Not a fragment at all (more-fragments flag and offset clear): every fragment of
        // one datagram must land in the shard that reassembles it.
        let fragment = u16::from_be_bytes([*ip.get(6)?, *ip.get(7)?]) & 0x3fff;
        if *ip.get(9)? != 1 || fragment != 0 || hlen < 20 {
            return None;
        }
        let icmp = ip.get(hlen..)?;
        matches!(icmp.first()?, 3 | 4 | 5 | 11 | 12).then(|| icmp.get(8..)).flatten()
    }
}

impl Session {
    /// The batch path's step for one frame: `ingest_and_print` if it is in this session's
    /// shard (true), else only counted (false).
    pub fn ingest_and_print_shard(&mut self, meta: FrameMeta, data: &[u8]) -> bool {
        if self.is_others(&meta, data) {
            self.skip_others(meta);
            false
        } else {
            self.ingest_and_print(meta, data);
            true
        }
    }

    /// Appends the conversation and endpoint tables to `out` for another session to absorb
    /// (`stats::merge`); Err if a statistic does not merge that way.
    pub fn export_stats(&mut self) -> Result<(), String> {
        if !self.stats.mergeable() {
            return Err("only conversation and endpoint statistics merge".to_string());
        }
        self.stats.export(&mut self.out);
        Ok(())
    }

    /// Adds another session's `export_stats` to these statistics.
    pub fn absorb_stats(&mut self, text: &str) -> Result<(), String> {
        self.stats.absorb(text)
    }

    /// Whether frame `data` belongs to another shard than this session's.
    fn is_others(&self, meta: &FrameMeta, data: &[u8]) -> bool {
        let (mine, shards) = self.config.shard;
        shards > 1 && shard_of(meta.linktype, data, shards) != mine
    }

    /// Counts a frame another shard dissects: its number and time, and (once) the `-T fields`
    /// header that comes before the first frame.
    fn skip_others(&mut self, mut meta: FrameMeta) {
        meta.number = self.frame_count() + 1;
        self.state.frame_ts.push(meta.ts_ns);
        if self.config.single_pass {
            self.state.release_before(meta.number, meta.ts_ns);
        }
        if self.config.mode == Mode::Fields {
            self.write_fields_header();
        }
        self.last_displayed = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eth_ipv4(src: [u8; 4], dst: [u8; 4], proto: u8) -> Vec<u8> {
        let mut f = vec![0u8; 14];
        f[12] = 0x08;
        let mut ip = vec![0x45, 0, 0, 40, 0, 0, 0, 0, 64, proto, 0, 0];
        ip.extend_from_slice(&src);
        ip.extend_from_slice(&dst);
        f.extend_from_slice(&ip);
        f
    }

    #[test]
    fn both_directions_of_a_pair_share_a_shard() {
        for n in 0..50u8 {
            let a = [10, 0, 0, n];
            let b = [192, 168, n, 7];
            assert_eq!(shard_of(1, &eth_ipv4(a, b, 6), 2), shard_of(1, &eth_ipv4(b, a, 6), 2));
        }
        let spread: u32 = (0..64u8).map(|n| shard_of(1, &eth_ipv4([10, 0, 0, n], [10, 0, 1, 1], 6), 2)).sum();
        assert!((16..=48).contains(&spread), "pairs spread over both shards: {}", spread);
    }

    #[test]
    fn an_icmp_error_goes_with_the_flow_it_quotes() {
        let (a, b, router) = ([10, 0, 0, 1], [10, 0, 9, 9], [10, 0, 0, 254]);
        let quoted = eth_ipv4(a, b, 17)[14..].to_vec();
        let mut err = eth_ipv4(router, a, 1);
        err.extend_from_slice(&[3, 3, 0, 0, 0, 0, 0, 0]);
        err.extend_from_slice(&quoted);
        for shards in 2..6 {
            assert_eq!(shard_of(1, &err, shards), shard_of(1, &eth_ipv4(a, b, 17), shards));
        }
    }

    #[test]
    fn every_fragment_of_an_icmp_error_goes_with_the_outer_pair() {
        let (a, b, router) = ([10, 0, 0, 1], [10, 0, 9, 9], [10, 0, 0, 254]);
        let mut first = eth_ipv4(router, a, 1);
        first[14 + 6] = 0x20; // more fragments, offset 0
        first.extend_from_slice(&[3, 3, 0, 0, 0, 0, 0, 0]);
        first.extend_from_slice(&eth_ipv4(a, b, 17)[14..]);
        let mut later = eth_ipv4(router, a, 1);
        later[14 + 7] = 0x03; // offset 24 bytes
        later.extend_from_slice(&[0u8; 16]);
        for shards in 2..6 {
            assert_eq!(shard_of(1, &first, shards), shard_of(1, &later, shards));
        }
    }

    #[test]
    fn frames_without_ip_go_to_shard_zero() {
        let mut arp = vec![0u8; 42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assert_eq!(shard_of(1, &arp, 2), 0);
        assert_eq!(shard_of(1, &[0u8; 10], 2), 0);
        assert_eq!(shard_of(147, &eth_ipv4([1, 2, 3, 4], [5, 6, 7, 8], 6), 2), 0);
    }
}
