//! `llc`: IEEE 802.2 Logical-Link Control (DSAP, SSAP, control field) and SNAP (OUI + protocol
//! ID), enough to name what an 802.3 frame carries. SNAP with an EtherType OUI hands off through
//! the EtherType table; anything else is shown as data.

use crate::dispatch::{self, Registration, Table};
use crate::field::{Base, FieldDef, FieldType, ValueStrings};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::vals;
use crate::tree::{bit_string, Value};
use std::fmt::Write;

mod field {
    pub const DSAP: usize = 0;
    pub const SSAP: usize = 1;
    pub const CONTROL: usize = 2;
}
const SNAP_SAP: u8 = 0xaa;
const SNAP_LEN: usize = 5;
/// OUIs whose protocol IDs are EtherTypes (RFC 1042 and Cisco's "90-compatible").
const OUI_ENCAP_ETHER: u32 = 0x000000;
const OUI_CISCO_90: u32 = 0x0000f8;
const OUI_CISCO: u32 = 0x00000c;

/// SAP names (`tshark -G values` for `llc.dsap`).
static SAP_NAMES: ValueStrings = &[
    (0x00, "NULL LSAP"), (0x02, "LLC Sub-Layer Management"), (0x04, "SNA Path Control"), (0x06, "TCP/IP"),
    (0x08, "SNA"), (0x0c, "SNA"), (0x0e, "PROWAY (IEC955) Network Management and Initialization"),
    (0x10, "NetWare (unofficial?)"), (0x14, "ISO Network Layer (OSLAN 1)"), (0x18, "Texas Instruments"),
    (0x20, "ISO Network Layer (unofficial?)"), (0x34, "ISO Network Layer (unofficial?)"), (0x42, "Spanning Tree BPDU"),
    (0x4e, "EIA RS-511 Manufacturing Message Service"), (0x54, "ISO Network Layer (OSLAN 2)"),
    (0x7e, "ISO 8208 (X.25 over 802.2)"), (0x7f, "ISO 802.2"), (0x80, "XNS"), (0x82, "BACnet"), (0x86, "Nestar"),
    (0x8e, "PROWAY (IEC955) Active Station List Maintenance"), (0x98, "ARP"), (0xb4, "HP JetDirect Printer"),
    (0xaa, "SNAP"), (0xba, "Banyan Vines"), (0xbc, "Banyan Vines"), (0xe0, "NetWare"), (0xf0, "NetBIOS"),
    (0xf4, "IBM Net Management"), (0xf8, "HP Extended LLC"), (0xfa, "Ungermann-Bass"), (0xfc, "Remote Program Load"),
    (0xfe, "ISO Network Layer"), (0xff, "Global LSAP"),
];

/// U-frame modifiers: (value, command name, response name, command abbreviation, response abbreviation).
static U_MODIFIERS: &[(u8, &str, &str, &str, &str)] = &[
    (0x00, "Unnumbered Information", "Unnumbered Information", "UI", "UI"),
    (0x08, "Unnumbered Poll", "Unnumbered Poll", "UP", "UP"),
    (0x10, "Disconnect", "Request Disconnect", "DISC", "RD"),
    (0x18, "Unnumbered Acknowledge", "Unnumbered Acknowledge", "UA", "UA"),
    (0x20, "Set Normal Response Mode", "Set Normal Response Mode", "SNRM", "SNRM"),
    (0x38, "Test", "Test", "TEST", "TEST"),
    (0x01, "Set Initialization Mode", "Request Initialization Mode", "SIM", "RIM"),
    (0x21, "Frame reject", "Frame reject", "FRMR", "FRMR"),
    (0x31, "Configure", "Configure", "CFG", "CFG"),
    (0x03, "Set Asynchronous Response Mode", "Disconnected mode", "SARM", "DM"),
    (0x0b, "Set Asynchronous Balanced Mode", "Set Asynchronous Balanced Mode", "SABM", "SABM"),
    (0x13, "Set Asynchronous Response Mode Extended", "Set Asynchronous Response Mode Extended", "SARME", "SARME"),
    (0x1b, "Set Asynchronous Balanced Mode Extended", "Set Asynchronous Balanced Mode Extended", "SABME", "SABME"),
    (0x23, "Reset", "Reset", "RESET", "RESET"),
    (0x2b, "Exchange identification", "Exchange identification", "XID", "XID"),
    (0x33, "Set Normal Response Mode Extended", "Set Normal Response Mode Extended", "SNRME", "SNRME"),
    (0x3b, "Beacon", "Beacon", "BCN", "BCN"),
];
static S_FUNCS: &[&str] = &["RR", "RNR", "REJ", "SREJ"];
static FRAME_TYPES: ValueStrings = &[(0, "Information frame"), (1, "Supervisory frame"), (3, "Unnumbered frame")];
static S_FTYPES: ValueStrings = &[(0, "Receiver ready"), (1, "Receiver not ready"), (2, "Reject"), (3, "Selective reject")];
static CISCO_PIDS: ValueStrings = &[
    (0x0102, "DRIP"), (0x0104, "PAgP"), (0x0105, "MLS Hello"), (0x0108, "RLQ BPDUs (request)"),
    (0x0109, "RLQ BPDUs (response)"), (0x010b, "PVSTP+"), (0x010c, "VLAN Bridge"), (0x0111, "UDLD"), (0x0139, "MCP"),
    (0x2000, "CDP"), (0x2001, "CGMP"), (0x2003, "VTP"), (0x2004, "DTP"), (0x200a, "STP Uplink Fast"),
];
/// OUI names as the SNAP Info text gives them, and as the tree's OUI label does (from
/// Wireshark's manufacturer file, which cuts the first one short).
static OUIS: &[(u32, &str, &str)] = &[
    (0x000000, "Officially Xerox, but 0:0:0:0:0:0 is more common", "Officially Xerox, but"),
    (0x00000c, "Cisco", "Cisco Systems, Inc"),
    (0x0000f8, "Cisco 90-Compatible", "Cisco 90-Compatible"),
    (0x0080c2, "IEEE 802.1 Chair", "IEEE 802.1 Chair"),
];

pub static LLC: FieldDef = FieldDef::protocol("Logical-Link Control", "llc");
pub static DSAP: FieldDef = FieldDef::new("DSAP", "llc.dsap", FieldType::Uint8).base(Base::Hex).strings(SAP_NAMES);
pub static DSAP_SAP: FieldDef = FieldDef::new("SAP", "llc.dsap.sap", FieldType::Uint8).bits(8, 0xfe);
pub static DSAP_IG: FieldDef = FieldDef::new("IG Bit", "llc.dsap.ig", FieldType::Bool).bits(8, 0x01);
pub static SSAP: FieldDef = FieldDef::new("SSAP", "llc.ssap", FieldType::Uint8).base(Base::Hex).strings(SAP_NAMES);
pub static SSAP_SAP: FieldDef = FieldDef::new("SAP", "llc.ssap.sap", FieldType::Uint8).bits(8, 0xfe);
pub static SSAP_CR: FieldDef = FieldDef::new("CR Bit", "llc.ssap.cr", FieldType::Bool).bits(8, 0x01);
pub static CONTROL: FieldDef = FieldDef::new("Control", "llc.control", FieldType::Uint16).base(Base::Hex);
pub static CONTROL_N_R: FieldDef = FieldDef::new("N(R)", "llc.control.n_r", FieldType::Uint16).bits(16, 0xfe00);
pub static CONTROL_N_S: FieldDef = FieldDef::new("N(S)", "llc.control.n_s", FieldType::Uint16).bits(16, 0x00fe);
pub static CONTROL_P: FieldDef = FieldDef::new("Poll", "llc.control.p", FieldType::Bool).bits(8, 0x10);
pub static CONTROL_F: FieldDef = FieldDef::new("Final", "llc.control.f", FieldType::Bool).bits(8, 0x10);
pub static CONTROL_S_FTYPE: FieldDef =
    FieldDef::new("Supervisory frame type", "llc.control.s_ftype", FieldType::Uint16).base(Base::Hex).bits(16, 0x000c).strings(S_FTYPES);
pub static CONTROL_U_CMD: FieldDef = FieldDef::new("Command", "llc.control.u_modifier_cmd", FieldType::Uint8).base(Base::Hex).bits(8, 0xec);
pub static CONTROL_U_RESP: FieldDef = FieldDef::new("Response", "llc.control.u_modifier_resp", FieldType::Uint8).base(Base::Hex).bits(8, 0xec);
pub static CONTROL_FTYPE: FieldDef = FieldDef::new("Frame type", "llc.control.ftype", FieldType::Uint16).base(Base::Hex).strings(FRAME_TYPES);
pub static OUI: FieldDef = FieldDef::new("Organization Code", "llc.oui", FieldType::Uint24);
pub static TYPE: FieldDef = FieldDef::new("Type", "llc.type", FieldType::Uint16).base(Base::Hex).strings(vals::ETHERTYPES);
pub static PID: FieldDef = FieldDef::new("Protocol ID", "llc.pid", FieldType::Uint16).base(Base::Hex);
pub static CISCO_PID: FieldDef = FieldDef::new("PID", "llc.cisco_pid", FieldType::Uint16).base(Base::Hex).strings(CISCO_PIDS);

pub static FIELDS: &[&FieldDef] = &[
    &LLC, &DSAP, &DSAP_SAP, &DSAP_IG, &SSAP, &SSAP_SAP, &SSAP_CR, &CONTROL, &CONTROL_N_R, &CONTROL_N_S, &CONTROL_P,
    &CONTROL_F, &CONTROL_S_FTYPE, &CONTROL_U_CMD, &CONTROL_U_RESP, &CONTROL_FTYPE, &OUI, &TYPE, &PID, &CISCO_PID,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::Llc, 0, "llc", dissect)];

fn sap_name(sap: u8) -> Option<&'static str> {
    SAP_NAMES.iter().find(|(v, _)| *v == sap as u64).map(|(_, s)| *s)
}

/// The decoded control field: its length, value (as Wireshark shows it) and summary text.
struct Control {
    len: usize,
    value: u16,
    summary: String,
}

/// 802.2 uses one-byte U frames and two-byte (modulo-128) I and S frames.
fn control(layer: &Layer, response: bool) -> Control {
    let first = layer.u8(field::CONTROL);
    let pf = if response { "F" } else { "P" };
    if first & 3 == 3 {
        let modifier = first & 0xec;
        let abbrev = U_MODIFIERS.iter().find(|m| m.0 == modifier).map(|m| if response { m.4 } else { m.3 }).unwrap_or("Unknown");
        let poll = if first & 0x10 != 0 { format!(" {}", pf) } else { String::new() };
        return Control { len: 1, value: first as u16, summary: format!("U{}, func={}", poll, abbrev) };
    }
    let value = layer.u16_le(field::CONTROL);
    let poll = if value & 0x0100 != 0 { format!(" {}", pf) } else { String::new() };
    let n_r = value >> 9;
    let summary = if first & 1 == 0 {
        format!("I{}, N(R)={}, N(S)={}", poll, n_r, (value >> 1) & 0x7f)
    } else {
        format!("S{}, func={}, N(R)={}", poll, S_FUNCS[((value >> 2) & 3) as usize], n_r)
    };
    Control { len: 2, value, summary }
}

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("LLC");
    ctx.cols.info.clear();
    let top = ctx.add_protocol(parent, &LLC, &layer);
    layer.need(field::CONTROL + 1)?;
    let dsap = layer.u8(field::DSAP);
    let ssap = layer.u8(field::SSAP);
    let response = ssap & 1 != 0;
    let c = control(&layer, response);
    layer.need(field::CONTROL + c.len)?;
    let is_snap = dsap == SNAP_SAP && ssap & 0xfe == SNAP_SAP && c.len == 1;
    let header = field::CONTROL + c.len + if is_snap { SNAP_LEN } else { 0 };
    layer.need(header)?;
    if ctx.tree.enabled() {
        ctx.tree.set_len(top, header);
        add_header(ctx, top, &layer, &c, response);
    }
    let _ = write!(ctx.cols.info, "{}", c.summary);
    let payload = layer.sub(header, "llc payload");
    if !is_snap {
        let _ = write!(
            ctx.cols.info,
            "; DSAP {} {}, SSAP {} {}",
            sap_name(dsap & 0xfe).map(String::from).unwrap_or_else(|| format!("0x{:02x}", dsap & 0xfe)),
            if dsap & 1 != 0 { "Group" } else { "Individual" },
            sap_name(ssap & 0xfe).map(String::from).unwrap_or_else(|| format!("0x{:02x}", ssap & 0xfe)),
            if response { "Response" } else { "Command" },
        );
        return crate::proto::data::dissect(ctx, parent, payload).map(|n| header + n);
    }
    let at = field::CONTROL + c.len;
    let oui = (layer.u8(at) as u32) << 16 | layer.u16(at + 1) as u32;
    let pid = layer.u16(at + 3);
    let info_name = OUIS.iter().find(|o| o.0 == oui).map(|o| o.1).unwrap_or("Unknown");
    let _ = write!(ctx.cols.info, "; SNAP, OUI 0x{:06X} ({}), PID 0x{:04X}", oui, info_name, pid);
    if ctx.tree.enabled() {
        let o = ctx.add_uint(top, &OUI, &layer, at, 3, oui as u64);
        let a = layer.array::<3>(at);
        let mut label = format!("Organization Code: {:02x}:{:02x}:{:02x}", a[0], a[1], a[2]);
        if let Some(o) = OUIS.iter().find(|o| o.0 == oui) {
            let _ = write!(label, " ({})", o.2);
        }
        ctx.tree.set_label(o, label);
        let f = match oui {
            OUI_ENCAP_ETHER | OUI_CISCO_90 => &TYPE,
            OUI_CISCO => &CISCO_PID,
            _ => &PID,
        };
        ctx.add_uint(top, f, &layer, at + 3, 2, pid as u64);
    }
    if oui == OUI_ENCAP_ETHER || oui == OUI_CISCO_90 {
        if let Some(r) = dispatch::try_call(ctx, Table::EtherType, pid as u32, parent, payload) {
            return r.map(|n| header + n);
        }
    }
    crate::proto::data::dissect(ctx, parent, payload).map(|n| header + n)
}

fn add_header(ctx: &mut Ctx, top: u32, layer: &Layer, c: &Control, response: bool) {
    for (f, sap_f, bit_f, at, bit_text) in [
        (&DSAP, &DSAP_SAP, &DSAP_IG, field::DSAP, ["Individual", "Group"]),
        (&SSAP, &SSAP_SAP, &SSAP_CR, field::SSAP, ["Command", "Response"]),
    ] {
        let v = layer.u8(at);
        let n = ctx.add_uint(top, f, layer, at, 1, v as u64);
        let name = sap_name(v & 0xfe).map(String::from).unwrap_or_else(|| format!("0x{:02x}", v & 0xfe));
        let s = ctx.add_uint(n, sap_f, layer, at, 1, (v >> 1) as u64);
        crate::set_label!(ctx.tree, s, "{} = SAP: {}", bit_string(8, 0xfe, v as u64), name);
        let b = ctx.add(n, bit_f, layer, at, 1, Value::Bool(v & 1 != 0));
        crate::set_label!(ctx.tree, b, "{} = {}: {}", bit_string(8, 1, v as u64), bit_f.name, bit_text[(v & 1) as usize]);
    }
    let n = ctx.add_uint(top, &CONTROL, layer, field::CONTROL, c.len, c.value as u64);
    let width = if c.len == 1 { 2 } else { 4 };
    crate::set_label!(ctx.tree, n, "Control field: {} (0x{:0w$X})", c.summary, c.value, w = width);
    let v = c.value as u64;
    if c.len == 1 {
        let f = if response { &CONTROL_U_RESP } else { &CONTROL_U_CMD };
        let modifier = (v & 0xec) as u8;
        let name = U_MODIFIERS.iter().find(|m| m.0 == modifier).map(|m| if response { m.2 } else { m.1 }).unwrap_or("Unknown");
        if v & 0x10 != 0 {
            let pf = if response { &CONTROL_F } else { &CONTROL_P };
            ctx.add(n, pf, layer, field::CONTROL, 1, Value::Bool(true));
        }
        let m = ctx.add_uint(n, f, layer, field::CONTROL, 1, v & 0xec);
        crate::set_label!(ctx.tree, m, "{} = {}: {} (0x{:02x})", bit_string(8, 0xec, v), f.name, name, modifier);
        let t = ctx.add_uint(n, &CONTROL_FTYPE, layer, field::CONTROL, 1, 3);
        crate::set_label!(ctx.tree, t, "{} = Frame type: Unnumbered frame (0x3)", bit_string(8, 3, v));
        return;
    }
    ctx.add_uint(n, &CONTROL_N_R, layer, field::CONTROL, 2, v >> 9);
    if v & 1 == 0 {
        ctx.add_uint(n, &CONTROL_N_S, layer, field::CONTROL, 2, (v >> 1) & 0x7f);
    }
    let pf = if response { &CONTROL_F } else { &CONTROL_P };
    let p = ctx.add(n, pf, layer, field::CONTROL, 2, Value::Bool(v & 0x100 != 0));
    crate::set_label!(ctx.tree, p, "{} = {}: {}", bit_string(16, 0x100, v), pf.name, if v & 0x100 != 0 { "Set" } else { "Not set" });
    if v & 1 != 0 {
        ctx.add_uint(n, &CONTROL_S_FTYPE, layer, field::CONTROL, 2, (v >> 2) & 3);
    }
    let ftype = if v & 1 == 0 { 0 } else { 1 };
    let t = ctx.add_uint(n, &CONTROL_FTYPE, layer, field::CONTROL, 2, ftype);
    let mask = if ftype == 0 { 1 } else { 3 };
    crate::set_label!(ctx.tree, t, "{} = Frame type: {} (0x{:x})", bit_string(16, mask, v), FRAME_TYPES[ftype as usize].1, ftype);
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    fn frame_802_3(payload: &[u8], pad_to: usize) -> Vec<u8> {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0x00, 0x16, 0x3c, 0xe6, 0xe8, 0xb2]);
        f.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        f.extend_from_slice(payload);
        f.resize(pad_to.max(f.len()), 0);
        f
    }

    #[test]
    fn snap_with_an_unknown_ethertype_is_named_by_llc() {
        let f = frame_802_3(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x88, 0xb5, 1, 2], 60);
        let (cols, protos) = summary_of(1, &f);
        assert_eq!(cols.protocol, "LLC");
        assert_eq!(cols.info, "U, func=UI; SNAP, OUI 0x000000 (Officially Xerox, but 0:0:0:0:0:0 is more common), PID 0x88B5");
        assert_eq!(protos, "eth:llc:data");
    }

    #[test]
    fn snap_ethertype_hands_off_and_plain_saps_are_described() {
        let mut ip = vec![0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00];
        ip.extend_from_slice(&[0x45, 0, 0, 20, 0, 0, 0, 0, 64, 253, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        let (cols, protos) = summary_of(1, &frame_802_3(&ip, 60));
        assert_eq!((cols.protocol.as_str(), protos.as_str()), ("IPv4", "eth:llc:ip"));
        let (cols, _) = summary_of(1, &frame_802_3(&[0x10, 0x10, 0x03, 1, 2, 3], 0));
        assert_eq!(cols.info, "U, func=UI; DSAP NetWare (unofficial?) Individual, SSAP NetWare (unofficial?) Command");
        let (cols, _) = summary_of(1, &frame_802_3(&[0xf0, 0xf0, 0x00, 0xff, 1, 2], 0));
        assert_eq!(cols.info, "I P, N(R)=127, N(S)=0; DSAP NetBIOS Individual, SSAP NetBIOS Command");
    }

    #[test]
    fn cut_headers_do_not_panic() {
        let f = frame_802_3(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x88, 0xb5, 1, 2], 60);
        for n in 0..f.len() {
            let _ = summary_of(1, &f[..n]);
        }
    }
}
