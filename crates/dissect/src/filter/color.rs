//! Wireshark's default coloring rules (resources/share/wireshark/colorfilters), compiled with
//! the display filter engine. The first rule that matches a frame colors it.
//!
//! Rules are compiled leniently: a protocol or field Reef does not dissect is an absent field
//! (which is what it is in Reef's trees), so `http || tcp.port == 80 || http2` still colors
//! HTTP. A rule whose outcome then no longer depends on the frame (everything it tests is
//! missing) is disabled, with a note naming what is missing; it is not an error.

use super::{Filter, Options};

/// A 24-bit color.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// One rule as Wireshark ships it: 16-bit channels, background first.
struct Default {
    name: &'static str,
    filter: &'static str,
    bg: [u16; 3],
    fg: [u16; 3],
}

const DARK: [u16; 3] = [4718, 10030, 11796];
const YELLOW: [u16; 3] = [65535, 64764, 40092];
const RED: [u16; 3] = [42148, 0, 0];

const DEFAULTS: [Default; 21] = [
    Default {
        name: "Bad TCP",
        filter: "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack",
        bg: DARK,
        fg: [63479, 34695, 34695],
    },
    Default { name: "HSRP State Change", filter: "hsrp.state != 8 && hsrp.state != 16", bg: DARK, fg: YELLOW },
    Default { name: "Spanning Tree Topology  Change", filter: "stp.type == 0x80", bg: DARK, fg: YELLOW },
    Default { name: "OSPF State Change", filter: "ospf.msg != 1", bg: DARK, fg: YELLOW },
    Default { name: "ICMP errors", filter: "icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }", bg: DARK, fg: [47031, 63479, 29812] },
    Default { name: "ARP", filter: "arp", bg: [64250, 61680, 55255], fg: DARK },
    Default { name: "ICMP", filter: "icmp || icmpv6", bg: [64764, 57568, 65535], fg: DARK },
    Default { name: "TCP RST", filter: "tcp.flags.reset eq 1", bg: RED, fg: YELLOW },
    Default { name: "SCTP ABORT", filter: "sctp.chunk_type eq ABORT", bg: RED, fg: YELLOW },
    Default {
        name: "IPv4 TTL low or unexpected",
        filter: "(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !(pim || ospf || eigrp || bgp || tcp.port==179)) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp || eigrp || rip || glbp))",
        bg: RED,
        fg: [60652, 61680, 60395],
    },
    Default {
        name: "IPv6 hop limit low or unexpected",
        filter: "(ipv6.dst != ff00::/8 && ipv6.hlim < 5 && !( ospf|| bgp || tcp.port==179)) || (ipv6.dst==ff00::/8 && ipv6.hlim not in {1, 64, 255})",
        bg: RED,
        fg: [60652, 61680, 60395],
    },
    Default {
        name: "Checksum Errors",
        filter: "eth.fcs.status==\"Bad\" || ip.checksum.status==\"Bad\" || tcp.checksum.status==\"Bad\" || udp.checksum.status==\"Bad\" || sctp.checksum.status==\"Bad\" || mstp.checksum.status==\"Bad\" || cdp.checksum.status==\"Bad\" || edp.checksum.status==\"Bad\" || wlan.fcs.status==\"Bad\" || stt.checksum.status==\"Bad\"",
        bg: DARK,
        fg: [63479, 34695, 34695],
    },
    Default { name: "SMB", filter: "smb || nbss || nbns || netbios", bg: [65278, 65535, 53456], fg: DARK },
    Default { name: "HTTP", filter: "http || tcp.port == 80 || http2 || http3", bg: [58596, 65535, 51143], fg: DARK },
    Default { name: "DCERPC", filter: "dcerpc", bg: [51199, 38706, 65533], fg: DARK },
    Default {
        name: "Routing",
        filter: "hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp",
        bg: [65534, 62325, 54808],
        fg: DARK,
    },
    Default { name: "TCP SYN/FIN", filter: "tcp.flags & 0x02 || tcp.flags.fin == 1", bg: [41026, 41026, 41026], fg: DARK },
    Default { name: "TCP", filter: "tcp", bg: [59345, 58980, 65535], fg: DARK },
    Default { name: "UDP", filter: "udp", bg: [56026, 61166, 65535], fg: DARK },
    Default { name: "Broadcast", filter: "eth[0] & 1", bg: [65535, 65535, 65535], fg: [47802, 48573, 46774] },
    Default { name: "System Event", filter: "systemd_journal || sysdig", bg: [59110, 59110, 59110], fg: [11565, 28527, 39578] },
];

/// A 16-bit channel as tshark's 24-bit escape shows it.
fn channel(c: u16) -> u8 {
    (c >> 8) as u8
}

fn rgb(c: [u16; 3]) -> Rgb {
    Rgb(channel(c[0]), channel(c[1]), channel(c[2]))
}

pub struct Rule {
    pub name: &'static str,
    pub filter_text: &'static str,
    pub fg: Rgb,
    pub bg: Rgb,
    /// Compiled filter; `None` when the rule is disabled.
    filter: Option<Filter>,
    /// Why the rule is disabled or only partly applies (what Reef lacks).
    pub note: Option<String>,
}

impl Rule {
    pub fn enabled(&self) -> bool {
        self.filter.is_some()
    }
}

pub struct ColorRules {
    pub rules: Vec<Rule>,
}

impl ColorRules {
    /// Wireshark's 21 default rules.
    pub fn defaults() -> ColorRules {
        let rules = DEFAULTS
            .iter()
            .map(|d| {
                let opts = Options { lenient: true, ..Options::default() };
                let (filter, note) = match Filter::compile_with(d.filter, opts) {
                    Ok(f) if f.constant() == Some(false) => {
                        (None, Some(format!("disabled: Reef does not dissect {}", f.missing.join(", "))))
                    }
                    Ok(f) if f.missing.is_empty() => (Some(f), None),
                    Ok(f) => {
                        let note = format!("partial: Reef does not dissect {}", f.missing.join(", "));
                        (Some(f), Some(note))
                    }
                    Err(e) => (None, Some(format!("disabled: {}", e.message))),
                };
                Rule { name: d.name, filter_text: d.filter, fg: rgb(d.fg), bg: rgb(d.bg), filter, note }
            })
            .collect();
        ColorRules { rules }
    }

    /// The fields a dissection must record to classify frames (`None`: every node).
    pub fn interest(&self) -> Option<Vec<&'static crate::field::FieldDef>> {
        let mut out: Vec<&'static crate::field::FieldDef> = Vec::new();
        for f in self.rules.iter().filter_map(|r| r.filter.as_ref()) {
            for d in f.interest()? {
                if !out.iter().any(|x| std::ptr::eq(*x, *d)) {
                    out.push(d);
                }
            }
        }
        Some(out)
    }

    /// The index of the first enabled rule the frame matches.
    pub fn classify(&mut self, tree: &crate::tree::Tree, data: &[u8]) -> Option<usize> {
        for (i, r) in self.rules.iter_mut().enumerate() {
            if let Some(f) = r.filter.as_mut() {
                if f.matches(tree, data) {
                    return Some(i);
                }
            }
        }
        None
    }
}

/// tshark's 24-bit SGR sequence for a colored line: foreground, then background.
pub fn write_escape(out: &mut String, r: &Rule) {
    use std::fmt::Write;
    let _ = write!(out, "\x1b[38;2;{};{};{}m\x1b[48;2;{};{};{}m", r.fg.0, r.fg.1, r.fg.2, r.bg.0, r.bg.1, r.bg.2);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_one_rules_with_wiresharks_colors() {
        let c = ColorRules::defaults();
        assert_eq!(c.rules.len(), 21);
        let syn = &c.rules[16];
        assert_eq!(syn.name, "TCP SYN/FIN");
        assert_eq!((syn.fg, syn.bg), (Rgb(18, 39, 46), Rgb(160, 160, 160)));
        assert_eq!(c.rules[17].bg, Rgb(231, 230, 255));
        assert!(syn.enabled() && syn.note.is_none());
        // HTTP applies to what Reef has; DCERPC cannot match anything in Reef's trees.
        assert!(c.rules[13].enabled());
        assert!(c.rules[13].note.as_deref().unwrap_or("").contains("http2"));
        assert!(!c.rules[14].enabled());
        assert!(c.rules[14].note.as_deref().unwrap_or("").contains("dcerpc"));
    }
}
