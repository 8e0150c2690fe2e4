//! How deep a single pass must dissect. tshark's output never depends on how much of a frame
//! was dissected beyond what it prints, so when nothing printed, filtered or counted reads
//! above TCP and UDP (`-T fields -e ip.src -e tcp.srcport`, `-Y 'tcp.port==8080' -w`,
//! `-q -z conv,tcp`), their payloads are not handed up: the costly part of dissection (HTTP,
//! JSON, DNS, TLS) is skipped. The analyses below (TCP streams, sequence analysis, IP
//! reassembly) run as always, so every field they give is the same.

use super::Session;
use crate::field::{FieldDef, FieldType};
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

/// Whether every field in `fields` is known without dissecting above TCP and UDP.
pub fn lower_layers_suffice(fields: &[&'static FieldDef]) -> bool {
    fields.iter().all(|f| {
        let proto = f.abbrev.split('.').next().unwrap_or("");
        LOWER.contains(&proto) && !DEPEND_ON_UPPER.iter().any(|d| f.abbrev.starts_with(d)) && (f.ftype != FieldType::Protocol || LOWER.contains(&f.abbrev))
    })
}

impl Session {
    /// Whether `ingest_and_print` may stop at TCP and UDP (cached until the configuration,
    /// display filter or statistics change).
    pub(super) fn transport_suffices(&mut self) -> bool {
        if let Some(t) = self.transport_suffices {
            return t;
        }
        let t = self.work_out_transport_suffices();
        self.transport_suffices = Some(t);
        t
    }

    fn work_out_transport_suffices(&self) -> bool {
        // Only a single pass: a re-dissection would replay payload steps never recorded.
        let c = &self.config;
        if !c.single_pass || c.hex || c.color || !matches!(c.mode, Mode::Quiet | Mode::Fields) || c.fields_have_columns() {
            return false;
        }
        let mut fields = c.printed_fields();
        if let Some(f) = &self.display_filter {
            match f.interest() {
                Some(i) => fields.extend_from_slice(i),
                None => return false,
            }
        }
        if self.stats.needs_tree() {
            match self.stats.taps_only_filters() {
                Some(i) => fields.extend(i),
                None => return false,
            }
        }
        lower_layers_suffice(&fields)
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
