//! `mbtcp`: Modbus/TCP on port 502 (the MBAP header: transaction, protocol and unit
//! identifiers and a length), as Wireshark's `dissect_mbtcp`: messages split and reassembled
//! by their length (`tcp_pdus.rs`), each one's Info line built here, and its PDU handed to the
//! Modbus part (`modbus.rs`). Queries go to port 502, responses come from it.

use crate::analysis::modbus::MessageKey;
use crate::dispatch::{Registration, Table};
use crate::expert;
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::modbus::{self, Kind, Pdu, DIAGNOSTICS, DIAGNOSTIC_CODES, ENCAP_INTERFACE_TRANSP, FUNCTION_CODES, MEI_CODES};
use crate::proto::tcp_pdus;
use crate::tree::{Group, Severity};

mod field {
    pub const TRANS_ID: usize = 0;
    pub const PROT_ID: usize = 2;
    pub const LEN: usize = 4;
    pub const UNIT_ID: usize = 6;
    pub const FUNCTION: usize = 7;
    pub const DATA: usize = 8;
}
/// The MBAP header up to the length, which counts what follows it.
const FIXED_LEN: usize = 6;
const PORT: u16 = 502;

pub static MBTCP: FieldDef = FieldDef::protocol("Modbus/TCP", "mbtcp");
pub static TRANS_ID: FieldDef = FieldDef::new("Transaction Identifier", "mbtcp.trans_id", FieldType::Uint16);
pub static PROT_ID: FieldDef = FieldDef::new("Protocol Identifier", "mbtcp.prot_id", FieldType::Uint16);
pub static LEN: FieldDef = FieldDef::new("Length", "mbtcp.len", FieldType::Uint16);
pub static UNIT_ID: FieldDef = FieldDef::new("Unit Identifier", "mbtcp.unit_id", FieldType::Uint8);
pub static CANNOT_CLASSIFY: FieldDef = FieldDef::new(
    "Cannot classify packet type. Try setting Modbus/TCP Port preference to this destination or source port",
    "mbtcp.cannot_classify",
    FieldType::None,
);

pub static FIELDS: &[&FieldDef] = &[&MBTCP, &TRANS_ID, &PROT_ID, &LEN, &UNIT_ID, &CANNOT_CLASSIFY];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::TcpPort, PORT as u32, "mbtcp", dissect)];

/// Claims the payload when it starts like Modbus/TCP (protocol identifier 0, a length that
/// covers at least the unit and function), then walks its messages.
pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    if layer.len < field::DATA || layer.u16(field::PROT_ID) != 0 || layer.u16(field::LEN) < 2 {
        return Ok(0);
    }
    let pdu_len = |l: &Layer, at: usize| l.u16(at + field::LEN) as usize + FIXED_LEN;
    tcp_pdus::dissect_pdus(ctx, &layer, FIXED_LEN, pdu_len, &mut |ctx, pdu| message(ctx, parent, &pdu))?;
    Ok(layer.reported)
}

/// Query or response by the ports (Wireshark's `classify_mbtcp_packet`).
fn classify(ports: (u16, u16)) -> Kind {
    match (ports.0 == PORT, ports.1 == PORT) {
        (true, false) => Kind::Response,
        (false, true) => Kind::Query,
        _ => Kind::Unknown,
    }
}

fn name(table: &[(u64, &'static str)], v: u64) -> Option<&'static str> {
    table.iter().find(|e| e.0 == v).map(|e| e.1)
}

/// One Modbus/TCP message (`dissect_mbtcp_pdu`): the Info line, the header, then the PDU.
fn message(ctx: &mut Ctx, parent: u32, l: &Layer) -> DResult<()> {
    ctx.cols.set_protocol("Modbus/TCP");
    ctx.cols.clear_info();
    l.need(field::DATA)?;
    let (trans_id, prot_id, len) = (l.u16(field::TRANS_ID), l.u16(field::PROT_ID), l.u16(field::LEN));
    let unit_id = l.u8(field::UNIT_ID);
    let raw = l.u8(field::FUNCTION);
    let function = raw & 0x7f;
    let kind = classify(ctx.tcp_ports);
    let exception = if raw & 0x80 != 0 {
        l.need(field::DATA + 1)?;
        l.u8(field::DATA)
    } else {
        0
    };
    let (func, sub) = match function {
        ENCAP_INTERFACE_TRANSP if exception == 0 => {
            l.need(field::DATA + 1)?;
            (name(MEI_CODES, l.u8(field::DATA) as u64).unwrap_or("Encapsulated Interface Transport").to_string(), true)
        }
        DIAGNOSTICS if exception == 0 => {
            l.need(field::DATA + 2)?;
            (name(DIAGNOSTIC_CODES, l.u16(field::DATA) as u64).unwrap_or("Diagnostics").to_string(), true)
        }
        _ => (name(FUNCTION_CODES, function as u64).map_or_else(|| format!("Unknown function ({})", function), str::to_string), false),
    };
    let (kind_name, err) = match kind {
        Kind::Query => ("Query", ""),
        Kind::Response => ("Response", ""),
        Kind::Unknown => ("unknown", "Unable to classify as query or response."),
    };
    let err = if exception != 0 { "Exception returned " } else { err };
    // Wireshark prints its constant 1 after a slash for functions with a subfunction.
    let func_no = if sub { format!("{:>3}/{:>3}", function, 1) } else { format!("{:>3}", function) };
    let mut info = format!("{:>8}: Trans: {:>5}; Unit: {:>3}, Func: {}: {}", kind_name, trans_id, unit_id, func_no, func);
    if !err.is_empty() {
        info.push_str(". ");
        info.push_str(err);
    }
    ctx.cols.info.push_str(&info);

    let top = ctx.add_protocol(parent, &MBTCP, &l.limit(len as usize + FIXED_LEN));
    if kind == Kind::Unknown {
        expert::add(ctx.tree, top, &CANNOT_CLASSIFY, Severity::Warn, Group::Protocol, CANNOT_CLASSIFY.name);
    }
    ctx.add_uint(top, &TRANS_ID, l, field::TRANS_ID, 2, trans_id as u64);
    ctx.add_uint(top, &PROT_ID, l, field::PROT_ID, 2, prot_id as u64);
    ctx.add_uint(top, &LEN, l, field::LEN, 2, len as u64);
    ctx.add_uint(top, &UNIT_ID, l, field::UNIT_ID, 1, unit_id as u64);
    // The length counts the unit identifier, which the PDU does not include.
    let pdu = l.sub(field::FUNCTION, "Modbus").limit((len as usize).saturating_sub(1));
    modbus::dissect(ctx, parent, &pdu, &Pdu { kind, key: MessageKey { trans_id, unit_id } })
}

#[cfg(test)]
mod tests {
    use crate::packet::FrameMeta;
    use crate::session::Session;

    /// Ethernet/IPv4/TCP (PSH, ACK) from `sport` to `dport` with `seq`, carrying `payload`
    /// (port 502 is the server, 10.0.0.3).
    fn segment(sport: u16, dport: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
        f.extend_from_slice(&((40 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 1, 0, 0, 64, 6, 0, 0]);
        let (client, server) = ([10, 0, 0, 9], [10, 0, 0, 3]);
        let (src, dst) = if sport == 502 { (server, client) } else { (client, server) };
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 1, 0x50, 0x18, 0xfa, 0xf0, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    fn run(frames: &[Vec<u8>]) -> Vec<(String, String, String)> {
        let mut s = Session::new();
        frames
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let meta = FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ts_ns: i as i64 * 1000, ..Default::default() };
                s.ingest(meta, f, true);
                let labels: Vec<String> = (0..s.tree().nodes.len() as u32).map(|n| s.tree().label(n)).collect();
                (s.columns().protocol.clone(), s.columns().info.clone(), labels.join("|"))
            })
            .collect()
    }

    // Expected lines are tshark 4.0.17's for the same frames (zeek_broken_cut-short.pcap).

    #[test]
    fn read_holding_registers_query_and_response() {
        let rows = run(&[
            segment(3082, 502, 1, &[0, 1, 0, 0, 0, 6, 10, 3, 0, 5, 0, 2]),
            segment(502, 3082, 1, &[0, 1, 0, 0, 0, 7, 10, 3, 4, 0, 9, 0, 24]),
        ]);
        assert_eq!(rows[0].0, "Modbus/TCP");
        assert_eq!(rows[0].1, "   Query: Trans:     1; Unit:  10, Func:   3: Read Holding Registers");
        assert_eq!(rows[1].1, "Response: Trans:     1; Unit:  10, Func:   3: Read Holding Registers");
        assert!(rows[1].2.contains("Register 5 (UINT16): 9|Register Number: 5|Register Value (UINT16): 9|Register 6 (UINT16): 24"), "{}", rows[1].2);
        assert!(rows[1].2.contains("[Request Frame: 1]"));
    }

    #[test]
    fn coils_read_from_the_queried_address() {
        let rows = run(&[
            segment(3082, 502, 1, &[0, 1, 0, 0, 0, 6, 10, 1, 0, 2, 0, 2]),
            segment(502, 3082, 1, &[0, 1, 0, 0, 0, 4, 10, 1, 1, 0]),
        ]);
        assert!(rows[1].2.contains("Bit 2 : 0|[Bit Number: 2]|.... ...0 = Bit Value: False|Bit 3 : 0"), "{}", rows[1].2);
        assert!(!rows[1].2.contains("Bit 4"));
    }

    #[test]
    fn exceptions_and_other_payloads() {
        let rows = run(&[segment(502, 3082, 1, &[0, 7, 0, 0, 0, 3, 1, 0x83, 2])]);
        assert_eq!(rows[0].1, "Response: Trans:     7; Unit:   1, Func:   3: Read Holding Registers. Exception returned ");
        assert!(rows[0].2.contains("Function 3:  Read Holding Registers.  Exception: Illegal data address|"), "{}", rows[0].2);
        // Not Modbus/TCP (protocol identifier 1): left to the next dissector.
        let rows = run(&[segment(3082, 502, 1, &[0, 1, 0, 1, 0, 6, 10, 3, 0, 5, 0, 2])]);
        assert_eq!(rows[0].0, "TCP");
    }

    #[test]
    fn a_message_cut_by_the_segment_is_reassembled() {
        let msg = [0u8, 1, 0, 0, 0, 6, 10, 6, 0, 5, 0, 11];
        let rows = run(&[segment(3082, 502, 1, &msg[..10]), segment(3082, 502, 11, &[&msg[10..], &msg[..]].concat())]);
        assert_eq!(rows[0].0, "TCP");
        assert!(rows[0].1.ends_with("Len=10 [TCP segment of a reassembled PDU]"), "{}", rows[0].1);
        // Each message clears Info back to TCP's fence, so the two lines run together.
        let one = "   Query: Trans:     1; Unit:  10, Func:   6: Write Single Register";
        assert_eq!(rows[1].1, format!("{}{}", one, one));
        assert_eq!(rows[1].2.matches("[PDU Size: 12]").count(), 2);
        // Shorter than a header: not Modbus/TCP at all.
        let rows = run(&[segment(3082, 502, 1, &msg[..5])]);
        assert_eq!(rows[0].0, "TCP");
    }
}
