//! One file per protocol, named by its filter abbreviation. Each file declares its fields
//! (`FIELDS`) and the tables it registers in (`HANDOFFS`); this module lists them all.

use crate::dispatch::Registration;
use crate::field::FieldDef;

pub mod data;
pub mod dhcp;
pub mod dhcp_opt;
pub mod dns;
pub mod dns_rr;
pub mod eth;
pub mod ethertype;
pub mod frame;
pub mod http;
pub mod ip;
pub mod ipv6;
pub mod ntp;
pub mod null;
pub mod raw;
pub mod sll;
pub mod tcp;
pub mod udp;
pub mod vals;

pub static FIELD_TABLES: &[&[&FieldDef]] = &[
    frame::FIELDS,
    eth::FIELDS,
    sll::FIELDS,
    null::FIELDS,
    raw::FIELDS,
    ip::FIELDS,
    ipv6::FIELDS,
    tcp::FIELDS,
    udp::FIELDS,
    http::FIELDS,
    dns::FIELDS,
    dns_rr::FIELDS,
    ntp::FIELDS,
    dhcp::FIELDS,
    dhcp_opt::FIELDS,
    data::FIELDS,
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
    http::HANDOFFS,
    dns::HANDOFFS,
    ntp::HANDOFFS,
    dhcp::HANDOFFS,
];
