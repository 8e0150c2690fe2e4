//! Link and network layers (VLAN, 802.1ad, LLC, ARP, IGMP, IPv4 options and reassembly, IPv6
//! extension headers and reassembly) against tshark 4.0.17 on the public sample captures: the
//! Protocol and Info columns and `frame.protocols` of the oracle dumps
//! (`shared/captures/public/oracle/*.fields.tsv`), and the trees of the reassembling frames.
//! Skipped when the public captures are absent.

use reef_dissect::{FrameMeta, Session};
use std::path::{Path, PathBuf};

struct Frame {
    linktype: u32,
    ts_ns: i64,
    origlen: u32,
    data: Vec<u8>,
}

fn public_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures/public");
    let dir = if dir.is_dir() { dir } else { PathBuf::from("/work/shared/captures/public") };
    dir.is_dir().then(|| dir)
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Little-endian microsecond pcap, or little-endian pcapng with one interface (what the samples
/// this test reads are).
fn read(path: &Path) -> Vec<Frame> {
    let b = std::fs::read(path).unwrap();
    let mut frames = Vec::new();
    if b[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        let mut at = 0;
        let mut linktype = 1;
        while at + 12 <= b.len() {
            let kind = le32(&b, at);
            let len = le32(&b, at + 4) as usize;
            if len < 12 || at + len > b.len() {
                break;
            }
            if kind == 1 {
                linktype = (b[at + 8] as u32) | (b[at + 9] as u32) << 8;
            } else if kind == 6 {
                let ts = (le32(&b, at + 12) as i64) << 32 | le32(&b, at + 16) as i64;
                let caplen = le32(&b, at + 20) as usize;
                let origlen = le32(&b, at + 24);
                frames.push(Frame { linktype, ts_ns: ts * 1000, origlen, data: b[at + 28..at + 28 + caplen].to_vec() });
            }
            at += len;
        }
        return frames;
    }
    let linktype = le32(&b, 20);
    let mut at = 24;
    while at + 16 <= b.len() {
        let ts_ns = le32(&b, at) as i64 * 1_000_000_000 + le32(&b, at + 4) as i64 * 1000;
        let caplen = le32(&b, at + 8) as usize;
        let origlen = le32(&b, at + 12);
        frames.push(Frame { linktype, ts_ns, origlen, data: b[at + 16..at + 16 + caplen].to_vec() });
        at += 16 + caplen;
    }
    frames
}

fn meta(f: &Frame, number: u32) -> FrameMeta {
    FrameMeta { number, linktype: f.linktype, ts_ns: f.ts_ns, caplen: f.data.len() as u32, origlen: f.origlen, ts_digits: 6, ..Default::default() }
}

/// The oracle's rows as (frame.protocols, Protocol, Info).
fn oracle(dir: &Path, file: &str) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(dir.join("oracle").join(format!("{}.fields.tsv", file))).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (p, proto, info) = (col("frame.protocols"), col("_ws.col.Protocol"), col("_ws.col.Info"));
    lines
        .map(|l| {
            let v: Vec<&str> = l.split('\t').collect();
            (v[p].to_string(), v[proto].to_string(), v[info].trim_end().to_string())
        })
        .collect()
}

/// The layers of `frame.protocols` this work dissects (link, network, and the transports it
/// hands to), then `data` when tshark has undissected bytes right after them.
fn owned_layers(p: &str, oracle: &str) -> String {
    let is_owned = |l: &str| {
        matches!(l, "eth" | "ethertype" | "vlan" | "ieee8021ad" | "llc" | "sll" | "ip" | "ipv6" | "arp" | "igmp" | "udp" | "tcp")
            || l.starts_with("ipv6.")
    };
    let prefix: Vec<&str> = p.split(':').take_while(|l| is_owned(l)).collect();
    let n = prefix.len();
    let mut out = prefix.join(":");
    if oracle.split(':').nth(n) == Some("data") {
        out.push(':');
        out.push_str(p.split(':').nth(n).unwrap_or(""));
    }
    out
}

/// Columns this work owns: link-layer and network-layer protocols, and fragments.
fn owned(protocol: &str, info: &str) -> bool {
    matches!(protocol, "ARP" | "RARP" | "IGMPv1" | "IGMPv2" | "IGMPv3" | "LLC")
        || info.starts_with("Fragmented IP protocol")
        || info.starts_with("IPv6 fragment")
}

const SAMPLES: &[&str] = &[
    "zeek_q-in-q.pcap",
    "zeek_http-vlan-0.pcap",
    "arp_resolution.pcapng",
    "zeek_linuxsll-arp.pcap",
    "zeek_linux_dlt_sll2.pcap",
    "tcpdump_IGMP_V2.pcap",
    "zeek_ipv4_fragmented-1.pcap",
    "zeek_ipv6-fragmented-dns.pcap",
    "zeek_ipv6-hbh-routing0.pcap",
];

#[test]
fn columns_and_layers_match_tshark_on_the_samples() {
    let dir = match public_dir() {
        Some(d) => d,
        None => return println!("public captures absent: skipped"),
    };
    let (mut layers_equal, mut owned_equal, mut owned_total, mut frames_total) = (0, 0, 0, 0);
    for file in SAMPLES {
        let frames = read(&dir.join(file));
        let expected = oracle(&dir, file);
        assert_eq!(frames.len(), expected.len(), "{}", file);
        let mut s = Session::new();
        for (i, (f, (protocols, protocol, info))) in frames.iter().zip(&expected).enumerate() {
            s.ingest(meta(f, 0), &f.data, false);
            let c = s.columns();
            frames_total += 1;
            assert_eq!(owned_layers(&s.protocols(), protocols), owned_layers(protocols, protocols), "{} frame {}", file, i + 1);
            layers_equal += 1;
            if owned(protocol, info) {
                owned_total += 1;
                assert_eq!((c.protocol.as_str(), c.info.trim_end()), (protocol.as_str(), info.as_str()), "{} frame {}", file, i + 1);
                owned_equal += 1;
            }
        }
    }
    println!("layers up to the transport equal: {}/{}; owned Protocol+Info equal: {}/{}", layers_equal, frames_total, owned_equal, owned_total);
    // 18 IGMP, 17 ARP/RARP, 2 IPv4 and 3 IPv6 fragment frames.
    assert_eq!(owned_total, 40);
}

/// Ingests a sample and returns the session with its frames.
fn session_of(dir: &Path, file: &str) -> (Session, Vec<Frame>) {
    let frames = read(&dir.join(file));
    let mut s = Session::new();
    for f in &frames {
        s.ingest(meta(f, 0), &f.data, false);
    }
    (s, frames)
}

fn labels(s: &Session) -> Vec<(String, &'static str, u16)> {
    let t = s.tree();
    (0..t.nodes.len()).map(|i| (t.label(i as u32), t.nodes[i].field.abbrev, t.nodes[i].source)).collect()
}

#[test]
fn ipv4_reassembly_tree_and_revisits() {
    let dir = match public_dir() {
        Some(d) => d,
        None => return println!("public captures absent: skipped"),
    };
    let (mut s, frames) = session_of(&dir, "zeek_ipv4_fragmented-1.pcap");
    // Re-dissection knows where the fragments went (tshark -2 shows the same).
    for n in [1u32, 2] {
        assert!(s.revisit(meta(&frames[n as usize - 1], n), &frames[n as usize - 1].data, true));
        assert!(s.columns().info.ends_with(" [Reassembled in #3]"), "{}", s.columns().info);
        assert!(labels(&s).iter().any(|(l, f, _)| l == "[Reassembled IPv4 in frame: 3]" && *f == "ip.reassembled_in"));
    }
    assert!(s.revisit(meta(&frames[2], 3), &frames[2].data, true));
    assert_eq!(s.protocols(), "eth:ethertype:ip:udp:ntp:_ws.malformed");
    let l = labels(&s);
    let want = [
        ("[3 IPv4 Fragments (164 bytes): #1(18), #3(304), #2(116)]", "ip.fragments"),
        ("[Frame: 1, payload: 0-17 (18 bytes)]", "ip.fragment"),
        ("[Frame: 3, payload: 0-303 (304 bytes)]", "ip.fragment.error"),
        ("[Fragment overlap: True]", "ip.fragment.overlap"),
        ("[Conflicting data in fragment overlap: True]", "ip.fragment.overlap.conflict"),
        ("[Fragment too long: True]", "ip.fragment.toolongfragment"),
        ("[Frame: 2, payload: 48-163 (116 bytes)]", "ip.fragment.error"),
        ("[Fragment count: 3]", "ip.fragment.count"),
        ("[Reassembled IPv4 length: 164]", "ip.reassembled.length"),
    ];
    for (label, field) in want {
        assert!(l.iter().any(|(x, f, src)| x == label && *f == field && *src == 1), "missing {}", label);
    }
    // The UDP header is read from the reassembled datagram (its own data source).
    assert!(l.iter().any(|(x, f, src)| x.starts_with("User Datagram Protocol, Src Port: 123") && *f == "udp" && *src == 1));
    assert_eq!(s.tree().sources[0].data.len(), 164);
}

#[test]
fn ipv6_extension_headers_and_reassembly() {
    let dir = match public_dir() {
        Some(d) => d,
        None => return println!("public captures absent: skipped"),
    };
    let (mut s, frames) = session_of(&dir, "zeek_ipv6-fragmented-dns.pcap");
    assert!(s.revisit(meta(&frames[7], 8), &frames[7].data, true));
    let l = labels(&s);
    for label in [
        "Fragment Header for IPv6",
        "Next header: UDP (17)",
        "0000 1011 0011 0... = Offset: 358 (2864 bytes)",
        ".... .... .... ...0 = More Fragments: No",
        "Identification: 0x00000002",
        "[3 IPv6 Fragments (3238 bytes): #6(1432), #7(1432), #8(374)]",
        "[Frame: 7, payload: 1432-2863 (1432 bytes)]",
    ] {
        assert!(l.iter().any(|(x, _, _)| x == label), "missing {}", label);
    }
    assert_eq!(s.protocols(), "eth:ethertype:ipv6:ipv6.fraghdr:udp:dns");

    let (mut s, frames) = session_of(&dir, "zeek_ipv6-hbh-routing0.pcap");
    assert!(s.revisit(meta(&frames[0], 1), &frames[0].data, true));
    // A type 0 route with segments left makes its last address the destination.
    assert_eq!(s.columns().dst, "2001:78:1:32::2");
    let l = labels(&s);
    for label in [
        "IPv6 Hop-by-Hop Option",
        "Next Header: Routing Header for IPv6 (43)",
        "[Length: 8 bytes]",
        "PadN",
        "Type: PadN (0x01)",
        "00.. .... = Action: Skip and continue (0)",
        "..0. .... = May Change: No",
        "...0 0001 = Low-Order Bits: 0x01",
        "Routing Header for IPv6 (Source Route)",
        "Type: Source Route (0)",
        "Segments Left: 2",
        "Address[2]: 2001:78:1:32::2",
        "[Source SLAAC MAC: 00:e0:81:52:ff:ff]",
    ] {
        assert!(l.iter().any(|(x, _, _)| x == label), "missing {}", label);
    }
}

#[test]
fn router_alert_option_and_vlan_trailer() {
    let dir = match public_dir() {
        Some(d) => d,
        None => return println!("public captures absent: skipped"),
    };
    let (mut s, frames) = session_of(&dir, "tcpdump_IGMP_V2.pcap");
    assert!(s.revisit(meta(&frames[1], 2), &frames[1].data, true));
    let l = labels(&s);
    for label in [
        "Options: (4 bytes), Router Alert",
        "IP Option - Router Alert (4 bytes): Router shall examine packet (0)",
        "1... .... = Copy on fragmentation: Yes",
        ".00. .... = Class: Control (0)",
        "...1 0100 = Number: Router Alert (20)",
        "Router Alert: Router shall examine packet (0)",
        "[IGMP Version: 2]",
        "Checksum: 0xfa04 [correct]",
    ] {
        assert!(l.iter().any(|(x, _, _)| x == label), "missing {}", label);
    }
    let (mut s, frames) = session_of(&dir, "zeek_q-in-q.pcap");
    assert!(s.revisit(meta(&frames[4], 5), &frames[4].data, true));
    let t = s.tree();
    let inner = t.nodes.iter().rposition(|n| n.field.abbrev == "vlan").unwrap() as u32;
    let under_inner = |abbrev: &str| t.nodes.iter().find(|n| n.field.abbrev == abbrev).map(|n| (n.start, n.len, n.parent));
    assert_eq!(under_inner("eth.padding"), Some((50, 10, inner)));
    assert_eq!(under_inner("vlan.trailer"), Some((60, 8, inner)));
}

/// Every truncation and a few thousand deterministic byte mutations of the samples' frames, fed
/// through one session (so mutated fragments meet the reassembly state): no panic, and every
/// frame gets a Protocol column.
#[test]
fn mutated_sample_frames_do_not_panic() {
    let dir = match public_dir() {
        Some(d) => d,
        None => return println!("public captures absent: skipped"),
    };
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut count = 0;
    for file in SAMPLES {
        let frames = read(&dir.join(file));
        let mut s = Session::new();
        for f in &frames {
            for cut in 0..f.data.len().min(160) {
                let m = FrameMeta { caplen: cut as u32, ..meta(f, 0) };
                s.ingest(m, &f.data[..cut], true);
                count += 1;
            }
            for _ in 0..40 {
                let mut d = f.data.clone();
                for _ in 0..1 + next() % 4 {
                    let i = (next() % d.len() as u64) as usize;
                    d[i] = next() as u8;
                }
                s.ingest(meta(f, 0), &d, true);
                assert!(!s.columns().protocol.is_empty());
                count += 1;
            }
        }
    }
    println!("{} mutated frames", count);
}
