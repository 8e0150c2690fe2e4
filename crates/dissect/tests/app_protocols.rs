//! DNS, DHCP, NTP, Modbus/TCP and PPTP on real captures: Reef's Info and Protocol columns and field values
//! against tshark 4.0.17's (the oracle dumps in ../shared/captures/public/oracle, skipped when
//! that directory is absent), and the project's own loopback DNS fixture.

use reef_dissect::{FrameMeta, Session};
use std::path::{Path, PathBuf};

/// Frames of a pcap (either byte order, usec or nsec) or pcapng file, with their metadata.
fn read_capture(path: &Path) -> Vec<(FrameMeta, Vec<u8>)> {
    let b = std::fs::read(path).unwrap();
    let mut out = Vec::new();
    let magic = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    if magic == 0x0a0d0d0a {
        read_pcapng(&b, &mut out);
        return out;
    }
    let (le, nano) = match magic {
        0xa1b2c3d4 => (true, false),
        0xa1b23c4d => (true, true),
        0xd4c3b2a1 => (false, false),
        _ => (false, true),
    };
    let u32_at = |at: usize| {
        let x = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if le {
            u32::from_le_bytes(x)
        } else {
            u32::from_be_bytes(x)
        }
    };
    let linktype = u32_at(20);
    let mut at = 24;
    while at + 16 <= b.len() {
        let (sec, frac, caplen, origlen) = (u32_at(at), u32_at(at + 4), u32_at(at + 8) as usize, u32_at(at + 12));
        // A record cut by the end of the file is not a frame (tshark stops with an error).
        if at + 16 + caplen > b.len() {
            break;
        }
        let ts_ns = sec as i64 * 1_000_000_000 + if nano { frac as i64 } else { frac as i64 * 1000 };
        let data = b[at + 16..(at + 16 + caplen).min(b.len())].to_vec();
        let meta = FrameMeta { linktype, ts_ns, caplen: data.len() as u32, origlen, ts_digits: if nano { 9 } else { 6 }, ..Default::default() };
        out.push((meta, data));
        at += 16 + caplen;
    }
    out
}

fn read_pcapng(b: &[u8], out: &mut Vec<(FrameMeta, Vec<u8>)>) {
    let mut le = true;
    let mut ifaces: Vec<(u32, i64)> = Vec::new();
    let mut at = 0;
    while at + 12 <= b.len() {
        let rd = |le: bool, p: usize| {
            let x = [b[p], b[p + 1], b[p + 2], b[p + 3]];
            if le {
                u32::from_le_bytes(x)
            } else {
                u32::from_be_bytes(x)
            }
        };
        let btype = rd(le, at);
        if btype == 0x0a0d0d0a {
            le = u32::from_le_bytes([b[at + 8], b[at + 9], b[at + 10], b[at + 11]]) == 0x1a2b3c4d;
            ifaces.clear();
        }
        let blen = rd(le, at + 4) as usize;
        if blen < 12 || at + blen > b.len() {
            break;
        }
        match btype {
            1 => {
                let lt = [b[at + 8], b[at + 9]];
                let linktype = if le { u16::from_le_bytes(lt) } else { u16::from_be_bytes(lt) } as u32;
                // Options: look for if_tsresol (9).
                let mut units = 1_000_000i64;
                let mut p = at + 16;
                while p + 4 <= at + blen - 4 {
                    let (code, len) = if le {
                        (u16::from_le_bytes([b[p], b[p + 1]]), u16::from_le_bytes([b[p + 2], b[p + 3]]) as usize)
                    } else {
                        (u16::from_be_bytes([b[p], b[p + 1]]), u16::from_be_bytes([b[p + 2], b[p + 3]]) as usize)
                    };
                    if code == 0 {
                        break;
                    }
                    if code == 9 && len >= 1 {
                        let r = b[p + 4];
                        units = if r & 0x80 == 0 { 10i64.pow(r as u32) } else { 1i64 << (r & 0x7f) };
                    }
                    p += 4 + (len + 3) / 4 * 4;
                }
                ifaces.push((linktype, units));
            }
            6 => {
                let iface = rd(le, at + 8) as usize;
                let ts = (rd(le, at + 12) as u64) << 32 | rd(le, at + 16) as u64;
                let caplen = rd(le, at + 20) as usize;
                let origlen = rd(le, at + 24);
                let (linktype, units) = ifaces.get(iface).copied().unwrap_or((1, 1_000_000));
                let ts_ns = (ts as i128 * 1_000_000_000 / units as i128) as i64;
                let data = b[at + 28..at + 28 + caplen].to_vec();
                let digits = if units >= 1_000_000_000 { 9 } else { 6 };
                let meta = FrameMeta { linktype, ts_ns, caplen: caplen as u32, origlen, iface: iface as u32, ts_digits: digits, ..Default::default() };
                out.push((meta, data));
            }
            _ => {}
        }
        at += blen;
    }
}

/// The public corpus: `../shared/captures/public` beside the repository, or `REEF_PUBLIC_DIR`.
fn public_dir() -> PathBuf {
    match std::env::var_os("REEF_PUBLIC_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/captures/public"),
    }
}

fn public(name: &str) -> Option<PathBuf> {
    let p = public_dir().join(name);
    p.exists().then(|| p)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-fixtures/captures").join(name)
}

/// Columns of every frame after a first pass, as tshark's single pass shows them.
fn columns(path: &Path) -> Vec<(String, String)> {
    let mut s = Session::new();
    read_capture(path)
        .into_iter()
        .map(|(meta, data)| {
            s.ingest(meta, &data, false);
            (s.columns().protocol.clone(), s.columns().info.clone())
        })
        .collect()
}

/// (Protocol, Info) per frame from an oracle dump.
fn oracle(name: &str) -> Option<Vec<(String, String)>> {
    let p = public_dir().join("oracle").join(format!("{}.fields.tsv", name));
    let text = std::fs::read_to_string(p).ok()?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next()?.split('\t').collect();
    let (pi, ii) = (header.iter().position(|h| *h == "_ws.col.Protocol")?, header.iter().position(|h| *h == "_ws.col.Info")?);
    Some(lines.map(|l| l.split('\t').collect::<Vec<_>>()).map(|c| (c[pi].to_string(), c[ii].to_string())).collect())
}

/// Every public capture with DNS, DHCP, NTP, Modbus/TCP or PPTP: Reef's Protocol and Info columns equal tshark's
/// on every frame of those protocols, except the frames listed with the reason they differ.
#[test]
fn columns_match_tshark_on_public_captures() {
    let protos = ["DNS", "MDNS", "LLMNR", "DHCP", "BOOTP", "NTP", "Modbus/TCP", "PPTP"];
    // (capture, frame, why) of frames allowed to differ: none left since TCP and IPv6 reassembly.
    let known: &[(&str, usize, &str)] = &[];
    let captures = [
        "dns_tcp.pcapng",
        "tcpdump_dns-badcookie-null.pcap",
        "tcpdump_dns-zlip-1.pcap",
        "zeek_dns-txt-multiple.pcap",
        "zeek_dns_long-connection.pcap",
        "zeek_pcapng-multi-interface.pcapng",
        "zeek_ipv6-fragmented-dns.pcap",
        "http_espn_fail.pcapng",
        "dhcp_nolease_initialization.pcapng",
        "zeek_dhcp.pcap",
        "pcapng-gen_be_test001.pcapng",
        "pcapng-gen_le_test008.pcapng",
        "pcapng-gen_le_test009.pcapng",
        "zeek_ntp.pcap",
        "zeek_broken_cut-short.pcap",
        "tcpdump_pptp-bigendian.pcap",
    ];
    let (mut ok, mut total) = (0, 0);
    for name in captures {
        let (path, want) = match (public(name), oracle(name)) {
            (Some(p), Some(w)) => (p, w),
            _ => {
                println!("{}: not present, skipped", name);
                continue;
            }
        };
        let got = columns(&path);
        assert_eq!(got.len(), want.len(), "{}: frame count", name);
        for (i, (w, g)) in want.iter().zip(got.iter()).enumerate() {
            if !protos.contains(&w.0.as_str()) && !protos.contains(&g.0.as_str()) {
                continue;
            }
            total += 1;
            if w == g {
                ok += 1;
                continue;
            }
            let frame = i + 1;
            assert!(known.iter().any(|(c, f, _)| *c == name && *f == frame), "{} frame {}: tshark {:?}, Reef {:?}", name, frame, w, g);
        }
    }
    println!("DNS/DHCP/NTP/Modbus/PPTP Info+Protocol identical to tshark: {}/{} frames", ok, total);
}

/// The project's loopback DNS fixture (dig against dns-server.mjs): every exchange, over UDP
/// and TCP, lists as tshark lists it, and each response finds its query.
#[test]
fn loopback_dns_fixture_lists_and_matches_every_exchange() {
    let path = fixture("dns.pcap");
    let frames = read_capture(&path);
    let mut s = Session::new();
    let mut dns = Vec::new();
    for (i, (meta, data)) in frames.iter().enumerate() {
        s.ingest(*meta, data, true);
        let c = s.columns();
        if c.protocol != "DNS" {
            continue;
        }
        // Transaction IDs are random per run: compare without them.
        let info = match c.info.find(" 0x") {
            Some(p) => format!("{}{}", &c.info[..p + 3], &c.info[(p + 7).min(c.info.len())..]),
            None => c.info.clone(),
        };
        let tree = s.tree();
        let answered = (0..tree.nodes.len() as u32).any(|n| tree.label(n).starts_with("[Request In: "));
        dns.push((i + 1, info, answered));
    }
    let infos: Vec<&str> = dns.iter().map(|(_, i, _)| i.as_str()).collect();
    assert_eq!(
        infos,
        [
            "Standard query 0x A a.example OPT",
            "Standard query response 0x A a.example A 192.0.2.1 OPT",
            "Standard query 0x AAAA a.example OPT",
            "Standard query response 0x AAAA a.example AAAA 2001:db8::1 OPT",
            "Standard query 0x A www.example OPT",
            "Standard query response 0x A www.example CNAME a.example A 192.0.2.1 OPT",
            "Standard query 0x MX a.example OPT",
            "Standard query response 0x MX a.example MX 10 mail.a.example OPT",
            "Standard query 0x TXT a.example OPT",
            "Standard query response 0x TXT a.example TXT OPT",
            "Standard query 0x A nope.example OPT",
            "Standard query response 0x No such name A nope.example OPT",
            "Standard query 0x A a.example OPT",
            "Standard query response 0x A a.example A 192.0.2.1 OPT",
            "Standard query 0x TXT a.example OPT",
            "Standard query response 0x TXT a.example TXT OPT",
        ]
    );
    for (frame, info, answered) in &dns {
        assert_eq!(*answered, info.contains("response"), "frame {}: {}", frame, info);
    }
}

/// DNS, DHCP and NTP frames with random bit flips, cut lengths and extreme bytes (compression
/// pointers, counts, option lengths): no panic, and each frame's work stays small.
#[test]
fn mutated_application_frames_never_panic() {
    let mut sources = vec![fixture("dns.pcap")];
    for name in ["zeek_dhcp.pcap", "zeek_ntp.pcap", "zeek_dns-txt-multiple.pcap", "tcpdump_dns-badcookie-null.pcap"] {
        sources.extend(public(name));
    }
    let mut seed = 0x0dd5_eed5_u64;
    let mut next = move || {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut s = Session::new();
    let mut count = 0;
    let start = std::time::Instant::now();
    for path in sources {
        let frames = read_capture(&path);
        for round in 0..3000 {
            let (meta, data) = &frames[round % frames.len()];
            let mut f = data.clone();
            // Only the application bytes (past Ethernet/IP/UDP) are interesting here.
            let from = 42.min(f.len());
            for _ in 0..1 + next() % 4 {
                let i = from + (next() as usize) % (f.len() - from).max(1);
                if i < f.len() {
                    f[i] = match next() % 3 {
                        0 => f[i] ^ (1 << (next() % 8)),
                        1 => 0xc0 | (next() % 2) as u8,
                        _ => next() as u8,
                    };
                }
            }
            if next() % 4 == 0 {
                f.truncate(from + (next() as usize) % (f.len() - from + 1));
            }
            let meta = FrameMeta { caplen: f.len() as u32, ..*meta };
            s.ingest(meta, &f, round % 2 == 0);
            count += 1;
        }
    }
    assert!(count >= 3000);
    assert!(start.elapsed().as_secs() < 60, "mutated frames took {:?}", start.elapsed());
}
