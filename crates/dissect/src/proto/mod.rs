//! One file per protocol, named by its filter abbreviation. Each file declares its fields
//! (`FIELDS`) and the tables it registers in (`HANDOFFS`); this module lists them all.

use crate::dispatch::Registration;
use crate::field::FieldDef;

pub mod arp;
pub mod cksum;
pub mod data;
pub mod data_text_lines;
pub mod dhcp;
pub mod dhcp_opt;
pub mod dns;
pub mod dns_match;
pub mod dns_name;
pub mod dns_rr;
pub mod eth;
pub mod ethertype;
pub mod frame;
pub mod http;
pub mod http_match;
pub mod http_tunnel;
pub mod ieee8021ad;
pub mod igmp;
pub mod icmp;
pub mod icmp_echo;
pub mod icmpv6;
pub mod icmpv6_mld;
pub mod icmpv6_opt;
pub mod ip;
pub mod ip_opt;
pub mod ipv6;
pub mod ipv6_ext;
pub mod json;
pub mod json_scalar;
pub mod json_tvbparse;
pub mod llc;
pub mod mbtcp;
pub mod modbus;
pub mod modbus_data;
pub mod ntp;
pub mod null;
pub mod pptp;
pub mod quic;
pub mod quic_initial;
pub mod quoted;
pub mod raw;
pub mod sll;
pub mod syslog;
pub mod tcp;
pub mod tls;
pub mod tls_ext;
pub mod tls_ext_quic;
pub mod tls_handshake;
pub mod tls_hs_frag;
pub mod tls_vals;
pub mod tcp_analysis;
pub mod tcp_opt;
pub mod tcp_pdus;
pub mod tcp_reasm;
pub mod udp;
pub mod vals;
pub mod x509;
pub mod vlan;

pub static FIELD_TABLES: &[&[&FieldDef]] = &[
    frame::FIELDS,
    eth::FIELDS,
    sll::FIELDS,
    null::FIELDS,
    raw::FIELDS,
    ip::FIELDS,
    ip_opt::FIELDS,
    ipv6::FIELDS,
    ipv6_ext::FIELDS,
    tcp::FIELDS,
    tcp_opt::FIELDS,
    tcp_analysis::FIELDS,
    tcp_reasm::FIELDS,
    tcp_pdus::FIELDS,
    mbtcp::FIELDS,
    modbus::FIELDS,
    modbus_data::EVENT_FIELDS,
    pptp::FIELDS,
    udp::FIELDS,
    icmp::FIELDS,
    icmpv6::FIELDS,
    icmpv6_mld::FIELDS,
    icmpv6_opt::FIELDS,
    http::FIELDS,
    http_tunnel::FIELDS,
    data_text_lines::FIELDS,
    json::FIELDS,
    tls::FIELDS,
    tls_handshake::FIELDS,
    tls_hs_frag::FIELDS,
    tls_ext::FIELDS,
    tls_ext_quic::FIELDS,
    quic::FIELDS,
    quic_initial::FIELDS,
    dns::FIELDS,
    dns_rr::FIELDS,
    ntp::FIELDS,
    syslog::FIELDS,
    dhcp::FIELDS,
    dhcp_opt::FIELDS,
    data::FIELDS,
    vlan::FIELDS,
    ieee8021ad::FIELDS,
    llc::FIELDS,
    arp::FIELDS,
    igmp::FIELDS,
    crate::expert::FIELDS,
];

pub static HANDOFF_TABLES: &[&[Registration]] = &[
    eth::HANDOFFS,
    sll::HANDOFFS,
    null::HANDOFFS,
    raw::HANDOFFS,
    ip::HANDOFFS,
    ipv6::HANDOFFS,
    tcp::HANDOFFS,
    udp::HANDOFFS,
    icmp::HANDOFFS,
    icmpv6::HANDOFFS,
    http::HANDOFFS,
    data_text_lines::HANDOFFS,
    json::HANDOFFS,
    data::HANDOFFS,
    tls::HANDOFFS,
    quic::HANDOFFS,
    vlan::HANDOFFS,
    ieee8021ad::HANDOFFS,
    llc::HANDOFFS,
    arp::HANDOFFS,
    igmp::HANDOFFS,
    dns::HANDOFFS,
    ntp::HANDOFFS,
    syslog::HANDOFFS,
    dhcp::HANDOFFS,
    mbtcp::HANDOFFS,
    pptp::HANDOFFS,
];
