//! ARP duplicate-address detection (Wireshark's `arp.detect_duplicate_ips`, on by default): the
//! first MAC seen for each IPv4 address, and for each frame that claims an address with another
//! MAC, which earlier frame had it.

use crate::hash::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The MAC address that used the IP address before.
    pub earlier_mac: [u8; 6],
    pub earlier_frame: u32,
    /// Whole seconds between the earlier frame and this one.
    pub seconds: u32,
}

#[derive(Clone, Copy)]
struct Binding {
    mac: [u8; 6],
    frame: u32,
    secs: i64,
}

#[derive(Default)]
pub struct ArpAnalysis {
    bindings: HashMap<[u8; 4], Binding>,
    /// (frame, ip) -> duplicate found there, in frame order.
    found: Vec<(u32, [u8; 4], Duplicate)>,
}

impl ArpAnalysis {
    /// First pass: records that `frame` (at `ts_ns`) binds `ip` to `mac`; returns the earlier
    /// binding when another MAC had the address.
    pub fn check(&mut self, frame: u32, ts_ns: i64, ip: [u8; 4], mac: [u8; 6]) -> Option<Duplicate> {
        let secs = ts_ns.div_euclid(1_000_000_000);
        match self.bindings.get_mut(&ip) {
            None => {
                self.bindings.insert(ip, Binding { mac, frame, secs });
                None
            }
            Some(b) if frame > b.frame && b.mac == mac => {
                b.frame = frame;
                b.secs = secs;
                None
            }
            Some(b) if frame > b.frame => {
                let d = Duplicate { earlier_mac: b.mac, earlier_frame: b.frame, seconds: (secs - b.secs) as u32 };
                self.found.push((frame, ip, d));
                Some(d)
            }
            Some(_) => None,
        }
    }

    /// Re-dissection: the duplicate recorded for (frame, ip) in the first pass.
    pub fn stored(&self, frame: u32, ip: [u8; 4]) -> Option<Duplicate> {
        let start = self.found.partition_point(|(f, _, _)| *f < frame);
        self.found[start..].iter().take_while(|(f, _, _)| *f == frame).find(|(_, a, _)| *a == ip).map(|(_, _, d)| *d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_mac_for_an_address_is_reported_with_the_first() {
        let mut a = ArpAnalysis::default();
        let ip = [10, 0, 0, 1];
        assert_eq!(a.check(1, 1_000_000_000, ip, [2, 0, 0, 0, 0, 0xaa]), None);
        assert_eq!(a.check(2, 1_500_000_000, ip, [2, 0, 0, 0, 0, 0xaa]), None);
        let d = a.check(3, 4_200_000_000, ip, [2, 0, 0, 0, 0, 0xcc]).unwrap();
        assert_eq!((d.earlier_frame, d.seconds, d.earlier_mac[5]), (2, 3, 0xaa));
        assert_eq!(a.stored(3, ip), Some(d));
        assert_eq!(a.stored(2, ip), None);
    }
}
