//! The expert-info summary (`-z expert`): every expert item of every frame, counted by severity,
//! protocol and message, printed as tshark prints it (errors first, first-seen order within).

use super::FrameView;
use crate::field::FieldType;
use crate::json;
use crate::tree::{Group, Severity, Tree, NO_NODE};
use std::fmt::Write;

/// Severities from the lowest, the order of tshark's arrays.
const LEVELS: [Severity; 4] = [Severity::Chat, Severity::Note, Severity::Warn, Severity::Error];

fn level(s: Severity) -> usize {
    LEVELS.iter().position(|l| *l == s).unwrap_or(0)
}

/// `-z expert[,error|warn|note|chat][,filter]`: the lowest severity shown and the filter.
pub fn parse_args(rest: Option<&str>) -> (Severity, Option<&str>) {
    let rest = match rest {
        Some(r) => r,
        None => return (Severity::Chat, None),
    };
    let (word, filter) = match rest.find(',') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    match word.to_ascii_lowercase().as_str() {
        "error" => (Severity::Error, filter),
        "warn" => (Severity::Warn, filter),
        "note" => (Severity::Note, filter),
        "chat" => (Severity::Chat, filter),
        // No level word: everything after `expert,` is the filter.
        _ => (Severity::Chat, Some(rest)),
    }
}

/// Wireshark's short protocol names, which expert items carry, where they are not the
/// upper-cased filter name.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("frame", "Frame"),
    ("eth", "Ethernet"),
    ("ethertype", "Ethertype"),
    ("null", "Null"),
    ("raw", "Raw"),
    ("ip", "IPv4"),
    ("ipv6", "IPv6"),
    ("ipv6.hopopts", "IPv6 Hop-by-Hop"),
    ("ipv6.routing", "IPv6 Routing"),
    ("ipv6.fraghdr", "IPv6 Fragment"),
    ("ipv6.dstopts", "IPv6 Destination"),
    ("icmpv6", "ICMPv6"),
    ("arp", "ARP/RARP"),
    ("data-text-lines", "Line-based text data"),
    ("media", "Media"),
    ("data", "Data"),
    ("mdns", "mDNS"),
    ("dhcp", "DHCP/BOOTP"),
    ("image-jfif", "JFIF (JPEG) image"),
    ("urlencoded-form", "URL Encoded Form Data"),
    ("mime_multipart", "MIME multipart"),
    ("vlan", "VLAN"),
];

/// Items Reef files under another protocol's header than the dissector that raises their
/// expert info in Wireshark: the Ethernet trailer is checked by the ethertype dissector.
const RAISED_BY: &[(&str, &str)] = &[("eth.trailer", "Ethertype"), ("eth.padding", "Ethertype")];

pub fn short_name(abbrev: &str) -> String {
    match SHORT_NAMES.iter().find(|(a, _)| *a == abbrev) {
        Some((_, name)) => name.to_string(),
        None => abbrev.to_ascii_uppercase(),
    }
}

/// The protocol that raised the expert item on node `n`: the nearest enclosing protocol
/// (Wireshark's `current_proto`). A malformed-packet item names its protocol in its label.
fn protocol_of(tree: &Tree, n: u32) -> String {
    // The `_ws.expert` node carries the mark; the item it explains names the raiser.
    let n = match tree.node(n) {
        Some(node) if std::ptr::eq(node.field, &crate::expert::EXPERT) && node.parent != NO_NODE => node.parent,
        _ => n,
    };
    if let Some((_, p)) = tree.node(n).and_then(|node| RAISED_BY.iter().find(|(f, _)| *f == node.field.abbrev)) {
        return p.to_string();
    }
    let mut at = n;
    while let Some(node) = tree.node(at) {
        if node.field.ftype == FieldType::Protocol && !node.field.abbrev.starts_with("_ws.") {
            return short_name(node.field.abbrev);
        }
        at = node.parent;
        if at == NO_NODE {
            break;
        }
    }
    let label = tree.label(n);
    match label.strip_prefix("[Malformed Packet: ").and_then(|r| r.strip_suffix(']')) {
        Some(p) => p.to_string(),
        None => String::from("Unknown"),
    }
}

/// Whether node `n` lies in the packet an ICMP error quotes: tshark's expert tap does not see
/// what is raised there (the quote still shows it).
fn in_error_quote(tree: &Tree, n: u32) -> bool {
    let mut quoted_ip = false;
    let mut at = n;
    while let Some(node) = tree.node(at) {
        match node.field.abbrev {
            "ip" | "ipv6" => quoted_ip = true,
            "icmp" | "icmpv6" if quoted_ip => return true,
            _ => {}
        }
        at = node.parent;
        if at == NO_NODE {
            break;
        }
    }
    false
}

struct Entry {
    group: Group,
    protocol: String,
    summary: String,
    count: u64,
}

pub struct ExpertSummary {
    lowest: Severity,
    /// By severity, lowest first; entries in order of first appearance.
    levels: [Vec<Entry>; 4],
}

impl ExpertSummary {
    pub fn new(lowest: Severity) -> ExpertSummary {
        ExpertSummary { lowest, levels: [Vec::new(), Vec::new(), Vec::new(), Vec::new()] }
    }

    pub fn feed(&mut self, f: &FrameView) {
        for (i, node) in f.tree.nodes.iter().enumerate() {
            if let Some(e) = node.expert.as_ref().filter(|_| !in_error_quote(f.tree, i as u32)) {
                self.add(e.severity, e.group, protocol_of(f.tree, i as u32), &e.message);
            }
        }
    }

    fn add(&mut self, severity: Severity, group: Group, protocol: String, summary: &str) {
        if level(severity) < level(self.lowest) {
            return;
        }
        let entries = &mut self.levels[level(severity)];
        match entries.iter_mut().find(|e| e.protocol == protocol && e.summary == summary) {
            Some(e) => e.count += 1,
            None => entries.push(Entry { group, protocol, summary: summary.to_string(), count: 1 }),
        }
    }

    pub fn write_text(&self, out: &mut String) {
        for (lv, title) in [(3, "Errors"), (2, "Warns"), (1, "Notes"), (0, "Chats")] {
            let entries = &self.levels[lv];
            if entries.is_empty() {
                continue;
            }
            let total: u64 = entries.iter().map(|e| e.count).sum();
            let _ = writeln!(out, "\n{} ({})\n=============", title, total);
            out.push_str("   Frequency      Group           Protocol  Summary\n");
            for e in entries {
                let _ = writeln!(out, "{:>12} {:>10} {:>18}  {}", e.count, e.group.name(), e.protocol, e.summary);
            }
        }
    }

    /// `[{severity, group, protocol, summary, count}]`, errors first as tshark prints them.
    pub fn write_json(&self, out: &mut String) {
        out.push('[');
        let mut first = true;
        for lv in (0..4).rev() {
            for e in &self.levels[lv] {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str("{\"severity\":");
                json::write_str(out, LEVELS[lv].name());
                out.push_str(",\"group\":");
                json::write_str(out, e.group.name());
                out.push_str(",\"protocol\":");
                json::write_str(out, &e.protocol);
                out.push_str(",\"summary\":");
                json::write_str(out, &e.summary);
                let _ = write!(out, ",\"count\":{}}}", e.count);
            }
        }
        out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_protocol_and_message_errors_first() {
        let mut x = ExpertSummary::new(Severity::Chat);
        x.add(Severity::Chat, Group::Sequence, "TCP".into(), "Connection finish (FIN)");
        x.add(Severity::Note, Group::Sequence, "TCP".into(), "This frame initiates the connection closing");
        x.add(Severity::Chat, Group::Sequence, "TCP".into(), "Connection finish (FIN)");
        x.add(Severity::Error, Group::Malformed, "NTP".into(), "Malformed Packet (Exception occurred)");
        let mut out = String::new();
        x.write_text(&mut out);
        assert_eq!(
            out,
            "\nErrors (1)\n=============\n   Frequency      Group           Protocol  Summary\n           1  Malformed                NTP  Malformed Packet (Exception occurred)\n\
             \nNotes (1)\n=============\n   Frequency      Group           Protocol  Summary\n           1   Sequence                TCP  This frame initiates the connection closing\n\
             \nChats (2)\n=============\n   Frequency      Group           Protocol  Summary\n           2   Sequence                TCP  Connection finish (FIN)\n"
        );
    }

    #[test]
    fn level_argument_drops_lower_severities() {
        let (lowest, filter) = parse_args(Some("warn"));
        assert_eq!((lowest, filter), (Severity::Warn, None));
        let mut x = ExpertSummary::new(lowest);
        x.add(Severity::Note, Group::Sequence, "TCP".into(), "n");
        assert!(x.levels.iter().all(|l| l.is_empty()));
        assert_eq!(parse_args(Some("tcp.port==80")), (Severity::Chat, Some("tcp.port==80")));
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("ip"), "IPv4");
        assert_eq!(short_name("http"), "HTTP");
    }
}
