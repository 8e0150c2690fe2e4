//! How deep a single pass must dissect. tshark's output never depends on how much of a frame
//! was dissected beyond what it prints, so when nothing printed, filtered or counted reads
//! above TCP and UDP (`-T fields -e ip.src -e tcp.srcport`, `-Y 'tcp.port==8080' -w`,
//! `-q -z conv,tcp`), their payloads are not handed up: the costly part of dissection (HTTP,
//! JSON, DNS, TLS) is skipped. The analyses below (TCP streams, sequence analysis, IP
//! reassembly) run as always, so every field they give is the same.

use super::Session;
use crate::field::{FieldDef, FieldType};
use crate::packet::Scope;
use crate::print::Mode;

/// Protocols whose fields the layers above do not change.
const LOWER: &[&str] = &["frame", "eth", "vlan", "sll", "ip", "ipv6", "tcp", "udp", "arp"];

/// Fields of those protocols that do depend on the layers above: TCP reassembly is driven
/// by the protocol above, and frame.protocols and the coloring rule name every layer.
/// (`tcp.payload` and `tcp.reset_cause` are not shown when a FIN ends a reassembled stream;
/// a link layer's trailer is not shown when a layer above fails.)
const DEPEND_ON_UPPER: &[&str] = &[
    "frame.protocols",
    "frame.coloring_rule",
    "tcp.segment",
    "tcp.reassembled",
    "tcp.pdu",
    "tcp.fin_retransmission",
    "tcp.payload",
    "tcp.reset_cause",
    "eth.padding",
    "eth.trailer",
    "eth.fcs",
    "vlan.trailer",
    "sll.trailer",
    "ieee8021ah.trailer",
];

/// TCP and UDP fields read from their header alone. When the others read are these and lower
/// layers' fields, the flow analyses (TCP streams and sequence analysis, UDP streams) are
/// skipped too: `-T fields -e ip.src -e tcp.srcport`, `-Y 'tcp.port==8080' -w`. Not here:
/// relative sequence numbers, the scaled window, stream numbers, times, options (SACK edges
/// are relative), all of which the analyses give.
const HEADER_ONLY: &[&str] = &[
    "tcp",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.port",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.hdr_len",
    "tcp.window_size_value",
    "tcp.urgent_pointer",
    "udp",
    "udp.srcport",
    "udp.dstport",
    "udp.port",
    "udp.length",
];

/// Prefixes of more header-only fields: the flag bits (and their string), the checksums.
const HEADER_ONLY_PREFIXES: &[&str] = &["tcp.flags", "tcp.checksum", "udp.checksum"];

/// Whether every field of `proto` (`tcp` or `udp`) in `fields` is known without running its
/// flow analysis (`lower_layers_suffice` must hold too).
pub fn headers_suffice(fields: &[&'static FieldDef], proto: &str) -> bool {
    fields.iter().all(|f| {
        let a = f.abbrev;
        !a.starts_with(proto) || HEADER_ONLY.contains(&a) || HEADER_ONLY_PREFIXES.iter().any(|p| a.starts_with(p))
    })
}

/// Whether every field in `fields` is known without dissecting above TCP and UDP.
pub fn lower_layers_suffice(fields: &[&'static FieldDef]) -> bool {
    fields.iter().all(|f| {
        let proto = f.abbrev.split('.').next().unwrap_or("");
        LOWER.contains(&proto) && !DEPEND_ON_UPPER.iter().any(|d| f.abbrev.starts_with(d)) && (f.ftype != FieldType::Protocol || LOWER.contains(&f.abbrev))
    })
}

impl Session {
    /// Whether `ingest_and_print` may stop at TCP and UDP, and skip their flow analyses too
    /// (cached until the configuration, display filter or statistics change).
    pub(super) fn single_pass_scope(&mut self) -> Scope {
        if let Some(t) = self.scope_cache {
            return t;
        }
        let t = match self.fields_read_in_a_single_pass() {
            Some(fields) if lower_layers_suffice(&fields) => {
                // Statistics read their taps' fields, which are not listed: TCP's tap needs the
                // stream, and only that.
                let tcp_headers = headers_suffice(&fields, "tcp");
                let tcp_table = self.stats.has_tcp_table();
                Scope {
                    transport_only: true,
                    skip_tcp_flows: tcp_headers && !tcp_table,
                    tcp_streams_only: tcp_headers && tcp_table,
                    skip_udp_flows: headers_suffice(&fields, "udp"),
                    ..Scope::default()
                }
            }
            _ => Scope::default(),
        };
        self.scope_cache = Some(t);
        t
    }

    /// Every field printed, filtered or counted, when that is all a single pass reads.
    fn fields_read_in_a_single_pass(&self) -> Option<Vec<&'static FieldDef>> {
        // Only a single pass: a re-dissection would replay payload steps never recorded.
        let c = &self.config;
        if !c.single_pass || c.hex || c.color || !matches!(c.mode, Mode::Quiet | Mode::Fields) || c.fields_have_columns() {
            return None;
        }
        let mut fields = c.printed_fields();
        if let Some(f) = &self.display_filter {
            fields.extend_from_slice(f.interest()?);
        }
        if self.stats.needs_tree() {
            fields.extend(self.stats.taps_only_filters()?);
        }
        Some(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::find_field;

    fn suffice(names: &[&str]) -> bool {
        let fields: Vec<&'static FieldDef> = names.iter().map(|n| find_field(n).unwrap_or_else(|| panic!("{}", n))).collect();
        lower_layers_suffice(&fields)
    }

    #[test]
    fn only_header_fields_skip_the_flow_analyses() {
        let of = |names: &[&str]| -> Vec<&'static FieldDef> { names.iter().map(|n| find_field(n).unwrap_or_else(|| panic!("{}", n))).collect() };
        let both = |names: &[&str]| headers_suffice(&of(names), "tcp") && headers_suffice(&of(names), "udp");
        assert!(both(&["frame.number", "ip.src", "tcp.srcport", "tcp.port", "tcp.flags.syn", "udp.dstport", "tcp"]));
        for analysed in ["tcp.stream", "tcp.seq", "tcp.ack", "tcp.len", "tcp.window_size", "tcp.analysis.ack_rtt", "tcp.time_delta", "tcp.options", "udp.stream", "tcp.completeness"] {
            assert!(!both(&["ip.src", analysed]), "{}", analysed);
        }
        assert!(headers_suffice(&of(&["tcp.stream"]), "udp"), "UDP's analysis is not TCP's");
        assert!(headers_suffice(&of(&["udp.stream"]), "tcp"));
    }

    #[test]
    fn only_fields_below_the_application_layers_suffice() {
        assert!(suffice(&["frame.number", "ip.src", "tcp.srcport", "tcp.analysis.ack_rtt", "udp.stream", "ipv6", "tcp"]));
        assert!(!suffice(&["http.request"]));
        assert!(!suffice(&["http"]), "a protocol item above TCP");
        assert!(!suffice(&["frame.protocols"]));
        assert!(!suffice(&["tcp.reassembled_in"]));
        assert!(!suffice(&["tcp.pdu.size"]));
        assert!(!suffice(&["tcp.segment_data"]));
        assert!(!suffice(&["dns.qry.name", "ip.src"]));
    }
}
