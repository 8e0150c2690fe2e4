//! The quic_transport_parameters TLS extension (RFC 9000 section 18, part of the `tls`
//! protocol): each parameter with its type, length, raw value and decoded value, labelled as
//! `tshark -V` labels them.

use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, Layer};
use crate::proto::quic::varint;
use crate::tree::Value;

pub static PARAMETER: FieldDef = FieldDef::new("Parameter", "tls.quic.parameter", FieldType::None);
pub static TYPE: FieldDef = FieldDef::new("Type", "tls.quic.parameter.type", FieldType::Uint64);
pub static LENGTH: FieldDef = FieldDef::new("Length", "tls.quic.parameter.length", FieldType::Uint64);
pub static VALUE: FieldDef = FieldDef::new("Value", "tls.quic.parameter.value", FieldType::Bytes);
pub static ORIGINAL_DCID: FieldDef = FieldDef::new(
    "original_destination_connection_id",
    "tls.quic.parameter.original_destination_connection_id",
    FieldType::Bytes,
);
pub static MAX_IDLE_TIMEOUT: FieldDef =
    FieldDef::new("max_idle_timeout", "tls.quic.parameter.max_idle_timeout", FieldType::Uint64);
pub static STATELESS_RESET_TOKEN: FieldDef =
    FieldDef::new("stateless_reset_token", "tls.quic.parameter.stateless_reset_token", FieldType::Bytes);
pub static MAX_UDP_PAYLOAD_SIZE: FieldDef =
    FieldDef::new("max_udp_payload_size", "tls.quic.parameter.max_udp_payload_size", FieldType::Uint64);
pub static INITIAL_MAX_DATA: FieldDef =
    FieldDef::new("initial_max_data", "tls.quic.parameter.initial_max_data", FieldType::Uint64);
pub static MAX_STREAM_DATA_BIDI_LOCAL: FieldDef = FieldDef::new(
    "initial_max_stream_data_bidi_local",
    "tls.quic.parameter.initial_max_stream_data_bidi_local",
    FieldType::Uint64,
);
pub static MAX_STREAM_DATA_BIDI_REMOTE: FieldDef = FieldDef::new(
    "initial_max_stream_data_bidi_remote",
    "tls.quic.parameter.initial_max_stream_data_bidi_remote",
    FieldType::Uint64,
);
pub static MAX_STREAM_DATA_UNI: FieldDef =
    FieldDef::new("initial_max_stream_data_uni", "tls.quic.parameter.initial_max_stream_data_uni", FieldType::Uint64);
pub static MAX_STREAMS_BIDI: FieldDef =
    FieldDef::new("initial_max_streams_bidi", "tls.quic.parameter.initial_max_streams_bidi", FieldType::Uint64);
pub static MAX_STREAMS_UNI: FieldDef =
    FieldDef::new("initial_max_streams_uni", "tls.quic.parameter.initial_max_streams_uni", FieldType::Uint64);
pub static ACK_DELAY_EXPONENT: FieldDef =
    FieldDef::new("ack_delay_exponent", "tls.quic.parameter.ack_delay_exponent", FieldType::Uint64);
pub static MAX_ACK_DELAY: FieldDef = FieldDef::new("max_ack_delay", "tls.quic.parameter.max_ack_delay", FieldType::Uint64);
pub static ACTIVE_CID_LIMIT: FieldDef =
    FieldDef::new("Active Connection ID Limit", "tls.quic.parameter.active_connection_id_limit", FieldType::Uint64);
pub static INITIAL_SCID: FieldDef =
    FieldDef::new("Initial Source Connection ID", "tls.quic.parameter.initial_source_connection_id", FieldType::Bytes);
pub static RETRY_SCID: FieldDef =
    FieldDef::new("Retry Source Connection ID", "tls.quic.parameter.retry_source_connection_id", FieldType::Bytes);
pub static MAX_DATAGRAM_FRAME_SIZE: FieldDef =
    FieldDef::new("max_datagram_frame_size", "tls.quic.parameter.max_datagram_frame_size", FieldType::Uint64);

pub static FIELDS: &[&FieldDef] = &[
    &PARAMETER, &TYPE, &LENGTH, &VALUE, &ORIGINAL_DCID, &MAX_IDLE_TIMEOUT, &STATELESS_RESET_TOKEN, &MAX_UDP_PAYLOAD_SIZE,
    &INITIAL_MAX_DATA, &MAX_STREAM_DATA_BIDI_LOCAL, &MAX_STREAM_DATA_BIDI_REMOTE, &MAX_STREAM_DATA_UNI, &MAX_STREAMS_BIDI,
    &MAX_STREAMS_UNI, &ACK_DELAY_EXPONENT, &MAX_ACK_DELAY, &ACTIVE_CID_LIMIT, &INITIAL_SCID, &RETRY_SCID,
    &MAX_DATAGRAM_FRAME_SIZE,
];

/// How a parameter's value is decoded: its name, its field, and a unit for the summary.
enum Kind {
    Int(&'static FieldDef, &'static str),
    Bytes(&'static FieldDef),
    Flag,
}

fn parameter(t: u64) -> Option<(&'static str, Kind)> {
    Some(match t {
        0x00 => ("original_destination_connection_id", Kind::Bytes(&ORIGINAL_DCID)),
        0x01 => ("max_idle_timeout", Kind::Int(&MAX_IDLE_TIMEOUT, " ms")),
        0x02 => ("stateless_reset_token", Kind::Bytes(&STATELESS_RESET_TOKEN)),
        0x03 => ("max_udp_payload_size", Kind::Int(&MAX_UDP_PAYLOAD_SIZE, "")),
        0x04 => ("initial_max_data", Kind::Int(&INITIAL_MAX_DATA, "")),
        0x05 => ("initial_max_stream_data_bidi_local", Kind::Int(&MAX_STREAM_DATA_BIDI_LOCAL, "")),
        0x06 => ("initial_max_stream_data_bidi_remote", Kind::Int(&MAX_STREAM_DATA_BIDI_REMOTE, "")),
        0x07 => ("initial_max_stream_data_uni", Kind::Int(&MAX_STREAM_DATA_UNI, "")),
        0x08 => ("initial_max_streams_bidi", Kind::Int(&MAX_STREAMS_BIDI, "")),
        0x09 => ("initial_max_streams_uni", Kind::Int(&MAX_STREAMS_UNI, "")),
        0x0a => ("ack_delay_exponent", Kind::Int(&ACK_DELAY_EXPONENT, "")),
        0x0b => ("max_ack_delay", Kind::Int(&MAX_ACK_DELAY, "")),
        0x0c => ("disable_active_migration", Kind::Flag),
        0x0e => ("active_connection_id_limit", Kind::Int(&ACTIVE_CID_LIMIT, "")),
        0x0f => ("initial_source_connection_id", Kind::Bytes(&INITIAL_SCID)),
        0x10 => ("retry_source_connection_id", Kind::Bytes(&RETRY_SCID)),
        0x20 => ("max_datagram_frame_size", Kind::Int(&MAX_DATAGRAM_FRAME_SIZE, "")),
        0x2ab2 => ("grease_quic_bit", Kind::Flag),
        _ => return None,
    })
}

/// The parameters of one quic_transport_parameters extension body.
pub fn dissect(ctx: &mut Ctx, ext: u32, b: &Layer) {
    let mut at = 0;
    while at < b.len {
        let (t, tn) = match varint(b, at) {
            Some(v) => v,
            None => return,
        };
        let (len, ln) = match varint(b, at + tn) {
            Some(v) => v,
            None => return,
        };
        let value_at = at + tn + ln;
        let len = (len as usize).min(b.len - value_at.min(b.len));
        let known = parameter(t);
        let name = known.as_ref().map(|k| k.0.to_string()).unwrap_or_else(|| format!("Unknown 0x{:02x}", t));
        // A text item in Wireshark (`-T fields` prints nothing for it): the registered field
        // names the subtree only.
        let node = ctx.add(ext, &crate::proto::frame::TEXT, b, at, tn + ln + len, Value::None);
        let type_node = ctx.add_uint(node, &TYPE, b, at, tn, t);
        ctx.add_uint(node, &LENGTH, b, at + tn, ln, len as u64);
        let value = ctx.add(node, &VALUE, b, value_at, len, Value::Bytes);
        let mut summary = String::new();
        match known.as_ref().map(|k| &k.1) {
            Some(Kind::Int(f, unit)) => {
                if let Some((v, n)) = varint(b, value_at) {
                    ctx.add_uint(node, f, b, value_at, n, v);
                    summary = format!(" {}{}", v, unit);
                }
            }
            Some(Kind::Bytes(f)) => {
                ctx.add(node, f, b, value_at, len, Value::Bytes);
            }
            _ => {}
        }
        if ctx.tree.enabled() {
            let type_name = known.as_ref().map(|k| k.0).unwrap_or("Unknown");
            crate::set_label!(ctx.tree, node, "Parameter: {} (len={}){}", name, len, summary);
            crate::set_label!(ctx.tree, type_node, "Type: {} (0x{:02x})", type_name, t);
            if len == 0 {
                crate::set_label!(ctx.tree, value, "Value: <MISSING>");
            }
        }
        at = value_at + len;
    }
}
