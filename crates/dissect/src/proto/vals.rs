//! Value-string tables shared by several fields (Wireshark's value_string arrays).

use crate::field::ValueStrings;

pub static ETHERTYPES: ValueStrings = &[
    (0x0800, "IPv4"),
    (0x0806, "ARP"),
    (0x8035, "RARP"),
    (0x8100, "802.1Q Virtual LAN"),
    (0x88a8, "802.1ad Provider Bridge (Q-in-Q)"),
    (0x86dd, "IPv6"),
    (0x8863, "PPPoE Discovery"),
    (0x8864, "PPPoE Session"),
    (0x8847, "MPLS label switched packet"),
    (0x88cc, "802.1 Link Layer Discovery Protocol (LLDP)"),
    (0x888e, "802.1X Authentication"),
    (0x0004, "802.2 LLC"),
];

pub static IP_PROTOCOLS: ValueStrings = &[
    (0, "IPv6 Hop-by-Hop Option"),
    (1, "ICMP"),
    (2, "IGMP"),
    (4, "IPIP"),
    (6, "TCP"),
    (17, "UDP"),
    (41, "IPv6"),
    (43, "Routing Header for IPv6"),
    (44, "Fragment Header for IPv6"),
    (47, "Generic Routing Encapsulation"),
    (50, "Encap Security Payload"),
    (51, "Authentication Header"),
    (58, "ICMPv6"),
    (59, "IPv6 No Next Header"),
    (60, "Destination Options for IPv6"),
    (89, "OSPF IGP"),
    (103, "PIM"),
    (112, "Virtual Router Redundancy Protocol"),
    (132, "SCTP"),
];

/// Checksum status, as `*.checksum.status` (the "Checksum Errors" coloring rule compares it).
pub static CHECKSUM_STATUS: ValueStrings = &[(0, "Bad"), (1, "Good"), (2, "Unverified"), (3, "Not present"), (4, "Illegal")];

pub static DSCP: ValueStrings = &[
    (0, "Default"),
    (8, "Class Selector 1"),
    (10, "Assured Forwarding 11"),
    (12, "Assured Forwarding 12"),
    (14, "Assured Forwarding 13"),
    (16, "Class Selector 2"),
    (18, "Assured Forwarding 21"),
    (20, "Assured Forwarding 22"),
    (22, "Assured Forwarding 23"),
    (24, "Class Selector 3"),
    (26, "Assured Forwarding 31"),
    (28, "Assured Forwarding 32"),
    (30, "Assured Forwarding 33"),
    (32, "Class Selector 4"),
    (34, "Assured Forwarding 41"),
    (36, "Assured Forwarding 42"),
    (38, "Assured Forwarding 43"),
    (40, "Class Selector 5"),
    (44, "Voice Admit"),
    (46, "Expedited Forwarding"),
    (48, "Class Selector 6"),
    (56, "Class Selector 7"),
];

/// Short DSCP names for the DS field summary (`DSCP: CS1`).
pub fn dscp_short(v: u8) -> String {
    match v {
        0 => "CS0".into(),
        46 => "EF".into(),
        44 => "VA".into(),
        v if v % 8 == 0 => format!("CS{}", v / 8),
        v if (10..=38).contains(&v) && v % 2 == 0 => format!("AF{}{}", v / 8, (v % 8) / 2),
        v => format!("{}", v),
    }
}

pub static ECN: ValueStrings = &[
    (0, "Not ECN-Capable Transport"),
    (1, "ECN-Capable Transport codepoint '01'"),
    (2, "ECN-Capable Transport codepoint '10'"),
    (3, "Congestion Experienced"),
];

pub fn ecn_short(v: u8) -> &'static str {
    ["Not-ECT", "ECT(1)", "ECT(0)", "CE"][(v & 3) as usize]
}
