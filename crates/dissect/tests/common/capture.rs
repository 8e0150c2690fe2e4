//! Test-only capture reading: pcap (either byte order, usec or nsec) and pcapng (sections of
//! either byte order, interfaces with their link type and timestamp resolution). Gzip files are
//! inflated with the system's `gzip`. Frames come back with what `FrameMeta` needs.

use std::path::Path;

pub struct Frame {
    pub linktype: u32,
    pub ts_ns: i64,
    pub origlen: u32,
    pub data: Vec<u8>,
}

pub fn read(path: &Path) -> Vec<Frame> {
    let raw = std::fs::read(path).unwrap_or_default();
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) { gunzip(path) } else { raw };
    if bytes.len() >= 4 && bytes[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        read_pcapng(&bytes)
    } else {
        read_pcap(&bytes)
    }
}

fn gunzip(path: &Path) -> Vec<u8> {
    std::process::Command::new("gzip").arg("-dc").arg(path).output().map(|o| o.stdout).unwrap_or_default()
}

fn u16_at(b: &[u8], at: usize, le: bool) -> u16 {
    let x = [b[at], b[at + 1]];
    if le {
        u16::from_le_bytes(x)
    } else {
        u16::from_be_bytes(x)
    }
}

fn u32_at(b: &[u8], at: usize, le: bool) -> u32 {
    let x = [b[at], b[at + 1], b[at + 2], b[at + 3]];
    if le {
        u32::from_le_bytes(x)
    } else {
        u32::from_be_bytes(x)
    }
}

fn read_pcap(b: &[u8]) -> Vec<Frame> {
    if b.len() < 24 {
        return Vec::new();
    }
    let magic_le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let (le, nanos) = match magic_le {
        0xa1b2c3d4 => (true, false),
        0xa1b23c4d => (true, true),
        0xd4c3b2a1 => (false, false),
        0x4d3cb2a1 => (false, true),
        _ => return Vec::new(),
    };
    let linktype = u32_at(b, 20, le) & 0x0fff_ffff;
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= b.len() {
        let secs = u32_at(b, at, le) as i64;
        let frac = u32_at(b, at + 4, le) as i64;
        let caplen = u32_at(b, at + 8, le) as usize;
        let origlen = u32_at(b, at + 12, le);
        if at + 16 + caplen > b.len() {
            break; // cut short: tshark stops here too
        }
        let ts_ns = secs * 1_000_000_000 + if nanos { frac } else { frac * 1000 };
        frames.push(Frame { linktype, ts_ns, origlen, data: b[at + 16..at + 16 + caplen].to_vec() });
        at += 16 + caplen;
    }
    frames
}

struct Iface {
    linktype: u32,
    /// Timestamp units per second.
    units: u64,
}

fn read_pcapng(b: &[u8]) -> Vec<Frame> {
    let mut frames = Vec::new();
    let mut ifaces: Vec<Iface> = Vec::new();
    let mut le = true;
    let mut at = 0;
    while at + 12 <= b.len() {
        let block_type_le = u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        if block_type_le == 0x0a0d0d0a {
            le = u32::from_le_bytes([b[at + 8], b[at + 9], b[at + 10], b[at + 11]]) == 0x1a2b3c4d;
            ifaces.clear();
        }
        let btype = u32_at(b, at, le);
        let blen = u32_at(b, at + 4, le) as usize;
        if blen < 12 || at + blen > b.len() {
            break;
        }
        let body = &b[at + 8..at + blen - 4];
        match btype {
            1 => {
                let linktype = u16_at(body, 0, le) as u32;
                let mut units = 1_000_000u64;
                let mut o = 8;
                while o + 4 <= body.len() {
                    let code = u16_at(body, o, le);
                    let len = u16_at(body, o + 2, le) as usize;
                    if code == 0 {
                        break;
                    }
                    if code == 9 && len >= 1 {
                        let r = body[o + 4];
                        units = if r & 0x80 != 0 { 1u64 << (r & 0x7f) } else { 10u64.pow((r & 0x7f) as u32) };
                    }
                    o += 4 + (len + 3) / 4 * 4;
                }
                ifaces.push(Iface { linktype, units });
            }
            6 => {
                let iface = u32_at(body, 0, le) as usize;
                let ts = ((u32_at(body, 4, le) as u64) << 32) | u32_at(body, 8, le) as u64;
                let caplen = u32_at(body, 12, le) as usize;
                let origlen = u32_at(body, 16, le);
                let (linktype, units) = ifaces.get(iface).map(|i| (i.linktype, i.units)).unwrap_or((1, 1_000_000));
                let ts_ns = (ts as u128 * 1_000_000_000 / units as u128) as i64;
                let data = body.get(20..20 + caplen).unwrap_or(&[]).to_vec();
                frames.push(Frame { linktype, ts_ns, origlen, data });
            }
            3 => {
                let origlen = u32_at(body, 0, le);
                let (linktype, _) = ifaces.first().map(|i| (i.linktype, i.units)).unwrap_or((1, 1));
                let data = body[4..].iter().take(origlen as usize).copied().collect();
                frames.push(Frame { linktype, ts_ns: 0, origlen, data });
            }
            _ => {}
        }
        at += blen;
    }
    frames
}
