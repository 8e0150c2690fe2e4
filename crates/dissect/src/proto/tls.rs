//! `tls`: TLS and SSLv3 records over TCP (RFC 5246, RFC 8446): record headers,
//! ChangeCipherSpec, alerts, handshake messages (in `tls_handshake.rs`) and encrypted
//! application data, with the Protocol and Info columns as TShark 4.0 fills them.
//!
//! TShark finds TLS on the ports it registers (443, 465, 993, ...) and, on any other port, by a
//! heuristic that then claims the whole connection. A record that continues in the next TCP
//! segment is asked of TCP (Wireshark's `desegment_ssl_records`): every complete record of the
//! segment is dissected, then TCP is told how many bytes the last one still needs, and hands the
//! whole record up in the segment that completes it. Where TCP cannot reassemble, a partial last
//! record is skipped silently, and a segment that starts inside a record shows as
//! `Continuation Data` or `Ignored Unknown Record`.

use crate::analysis::tls::{FlowId, Pending, TlsConv};
use crate::dispatch::{self, Registration, Table};
use crate::expert;
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Desegment, Layer};
use crate::proto::{tls_handshake, tls_vals};
use crate::tree::{Group, Severity, Value};

mod field {
    pub const CONTENT_TYPE: usize = 0;
    pub const VERSION: usize = 1;
    pub const LENGTH: usize = 3;
    pub const FRAGMENT: usize = 5;
}
const RECORD_HEADER_LEN: usize = 5;

pub const CT_CHANGE_CIPHER_SPEC: u8 = 20;
pub const CT_ALERT: u8 = 21;
pub const CT_HANDSHAKE: u8 = 22;
pub const CT_APPLICATION_DATA: u8 = 23;
pub const CT_HEARTBEAT: u8 = 24;
pub const CT_TLS12_CID: u8 = 25;

pub const SSLV3: u16 = 0x0300;
pub const TLS10: u16 = 0x0301;
pub const TLS11: u16 = 0x0302;
pub const TLS12: u16 = 0x0303;
pub const TLS13: u16 = 0x0304;
pub const TLCP: u16 = 0x0101;

static CONTENT_TYPES: &[(u64, &str)] = &[
    (20, "Change Cipher Spec"),
    (21, "Alert"),
    (22, "Handshake"),
    (23, "Application Data"),
    (24, "Heartbeat"),
    (25, "Connection ID"),
];
static ALERT_LEVELS: &[(u64, &str)] = &[(1, "Warning"), (2, "Fatal")];

pub static TLS: FieldDef = FieldDef::protocol("Transport Layer Security", "tls");
pub static RECORD: FieldDef = FieldDef::new("Record Layer", "tls.record", FieldType::None);
pub static CONTENT_TYPE: FieldDef =
    FieldDef::new("Content Type", "tls.record.content_type", FieldType::Uint8).strings(CONTENT_TYPES);
pub static OPAQUE_TYPE: FieldDef = FieldDef::new("Opaque Type", "tls.record.opaque_type", FieldType::Uint8)
    .strings(CONTENT_TYPES)
    .blurb("Always set to value 23, actual content type is known after decryption");
pub static RECORD_VERSION: FieldDef =
    FieldDef::new("Version", "tls.record.version", FieldType::Uint16).base(Base::Hex).strings(tls_vals::VERSIONS);
pub static RECORD_LENGTH: FieldDef = FieldDef::new("Length", "tls.record.length", FieldType::Uint16);
pub static APP_DATA: FieldDef = FieldDef::new("Encrypted Application Data", "tls.app_data", FieldType::Bytes);
pub static APP_DATA_PROTO: FieldDef = FieldDef::new("Application Data Protocol", "tls.app_data_proto", FieldType::String);
pub static ALERT: FieldDef = FieldDef::new("Alert Message", "tls.alert_message", FieldType::None);
pub static ALERT_LEVEL: FieldDef = FieldDef::new("Level", "tls.alert_message.level", FieldType::Uint8).strings(ALERT_LEVELS);
pub static ALERT_DESC: FieldDef =
    FieldDef::new("Description", "tls.alert_message.desc", FieldType::Uint8).strings(tls_vals::ALERT_DESCRIPTIONS);
pub static CHANGE_CIPHER_SPEC: FieldDef = FieldDef::new("Change Cipher Spec Message", "tls.change_cipher_spec", FieldType::None);
pub static IGNORED_UNKNOWN_RECORD: FieldDef =
    FieldDef::new("Ignored Unknown Record", "tls.ignored_unknown_record", FieldType::None);
pub static RESUMED: FieldDef =
    FieldDef::new("This session reuses previously negotiated keys (Session resumption)", "tls.resumed", FieldType::None);

pub static RECORD_LENGTH_INVALID: FieldDef =
    FieldDef::new("Record fragment length is too small or too large", "tls.record.length.invalid", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &TLS, &RECORD, &CONTENT_TYPE, &OPAQUE_TYPE, &RECORD_VERSION, &RECORD_LENGTH, &APP_DATA, &APP_DATA_PROTO, &ALERT,
    &ALERT_LEVEL, &ALERT_DESC, &CHANGE_CIPHER_SPEC, &IGNORED_UNKNOWN_RECORD, &RESUMED, &RECORD_LENGTH_INVALID,
];

/// The TCP ports TShark 4.0 hands to TLS (`tshark -G decodes`), then the heuristic for the rest.
pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::TcpPort, 443, "tls", on_port::<443>),
    crate::handoff!(Table::TcpPort, 465, "tls", on_port::<465>),
    crate::handoff!(Table::TcpPort, 636, "tls", on_port::<636>),
    crate::handoff!(Table::TcpPort, 853, "tls", on_port::<853>),
    crate::handoff!(Table::TcpPort, 993, "tls", on_port::<993>),
    crate::handoff!(Table::TcpPort, 995, "tls", on_port::<995>),
    crate::handoff!(Table::TcpPort, 324, "tls", on_port::<324>),
    crate::handoff!(Table::TcpPort, 802, "tls", on_port::<802>),
    crate::handoff!(Table::TcpPort, 1300, "tls", on_port::<1300>),
    crate::handoff!(Table::TcpPort, 2221, "tls", on_port::<2221>),
    crate::handoff!(Table::TcpPort, 2443, "tls", on_port::<2443>),
    crate::handoff!(Table::TcpPort, 3249, "tls", on_port::<3249>),
    crate::handoff!(Table::TcpPort, 3250, "tls", on_port::<3250>),
    crate::handoff!(Table::TcpPort, 3251, "tls", on_port::<3251>),
    crate::handoff!(Table::TcpPort, 3252, "tls", on_port::<3252>),
    crate::handoff!(Table::TcpPort, 3496, "tls", on_port::<3496>),
    crate::handoff!(Table::TcpPort, 5061, "tls", on_port::<5061>),
    crate::handoff!(Table::TcpPort, 5671, "tls", on_port::<5671>),
    crate::handoff!(Table::TcpPort, 5684, "tls", on_port::<5684>),
    crate::handoff!(Table::TcpPort, 5868, "tls", on_port::<5868>),
    crate::handoff!(Table::TcpPort, 8883, "tls", on_port::<8883>),
    crate::handoff!(Table::TcpPort, 11207, "tls", on_port::<11207>),
    crate::handoff!(Table::TcpPort, 19999, "tls", on_port::<19999>),
    crate::handoff!(Table::TcpPort, 27017, "tls", on_port::<27017>),
    crate::stateful_heuristic!(Table::TcpHeuristic, "tls_tcp", claims, heuristic),
];

/// The protocol TShark associates with a TLS port (`tls.port`), by its long name.
fn port_protocol(port: u16) -> Option<&'static str> {
    Some(match port {
        443 => "Hypertext Transfer Protocol",
        465 => "Simple Mail Transfer Protocol",
        636 => "Lightweight Directory Access Protocol",
        853 => "Domain Name System",
        993 => "Internet Message Access Protocol",
        995 => "Post Office Protocol",
        5061 => "Session Initiation Protocol",
        5671 => "Advanced Message Queuing Protocol",
        5684 => "Constrained Application Protocol",
        8883 => "MQ Telemetry Transport Protocol",
        27017 => "Mongo Wire Protocol",
        _ => return None,
    })
}

/// Wireshark's short version names (Protocol column, record labels).
pub fn short_name(version: u16) -> Option<&'static str> {
    Some(match version {
        0x0002 => "SSLv2",
        SSLV3 => "SSLv3",
        TLS10 => "TLSv1",
        TLCP => "TLCP",
        TLS11 => "TLSv1.1",
        TLS12 => "TLSv1.2",
        TLS13 => "TLSv1.3",
        0xfeff => "DTLSv1.0",
        0xfefd => "DTLSv1.2",
        0x0100 => "DTLS 1.0 (OpenSSL pre 0.9.8f)",
        _ => return None,
    })
}

pub fn is_valid_content_type(ct: u8) -> bool {
    (CT_CHANGE_CIPHER_SPEC..=CT_TLS12_CID).contains(&ct)
}

/// The version a message fixes for the connection (Wireshark's `tls_try_get_version`):
/// drafts of TLS 1.3 count as 1.3, anything unknown fixes nothing.
fn authoritative_version(version: u16) -> Option<u16> {
    match version {
        SSLV3 | TLS10 | TLS11 | TLS12 | TLS13 | TLCP => Some(version),
        v if v & 0xff00 == 0x7f00 || v & 0xff00 == 0xfb00 => Some(TLS13),
        _ => None,
    }
}

/// What one TLS layer works with: the conversation state (a local copy, committed after the
/// first pass), the direction, and the Info column's "first item" bookkeeping.
pub struct Session {
    pub conv: TlsConv,
    pub flow: Option<FlowId>,
    pub port_proto: Option<&'static str>,
    pub frame: u32,
    /// Which application message of the frame this TLS layer is: a segment and the PDUs TCP
    /// reassembles in it each get one (with the frame and a record's offset, a record's identity).
    pub ordinal: u32,
    /// This direction's handshake message being reassembled across records (first pass).
    pub pending: Option<Pending>,
}

impl Session {
    pub fn from_server(&self) -> bool {
        self.flow.map_or(false, |f| self.conv.from_server(f))
    }

    /// Records the version a message fixes (ServerHello, any non-ClientHello record) and
    /// updates the Protocol column, as Wireshark's `ssl_try_set_version`.
    pub fn set_version(&mut self, ctx: &mut Ctx, version: u16) {
        if let Some(v) = authoritative_version(version) {
            self.conv.version = v;
            ctx.cols.set_protocol(short_name(v).unwrap_or("SSL"));
        }
    }

    /// Marks the sender of a ClientHello as the client (Wireshark's `ssl_set_server`).
    pub fn saw_client_hello(&mut self) {
        if let Some(f) = self.flow {
            self.conv.server_flow = Some(f.peer);
        }
    }

    pub fn saw_server_hello(&mut self) {
        if let Some(f) = self.flow {
            self.conv.server_flow = Some(f.flow);
        }
    }
}

/// Appends an Info item, comma-separated from the previous ones (`col_append_sep_str`).
pub fn info_item(ctx: &mut Ctx, item: &str) {
    if !ctx.cols.info.is_empty() {
        ctx.cols.info.push_str(", ");
    }
    ctx.cols.info.push_str(item);
}

/// Appends an Info item for protocols that list their parts the same way (QUIC frames).
pub fn info_item_raw(ctx: &mut Ctx, item: &str) {
    info_item(ctx, item);
}

/// The TCP connection and direction of this payload, from the TCP analysis.
fn flow_id(ctx: &Ctx) -> Option<FlowId> {
    let ordinal = ctx.tcp_layers.checked_sub(1)?;
    let info = ctx.state.tcp.stored(ctx.meta.number, ordinal)?;
    Some(FlowId { stream: info.stream, flow: info.base_seq, peer: info.base_ack })
}

fn on_port<const PORT: u16>(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    match dissect_tls(ctx, parent, layer, port_protocol(PORT), false)? {
        // Not TLS after all: TCP would go on to the heuristics and then `data`.
        0 => dispatch::rejected(ctx, Table::TcpHeuristic, parent, layer),
        n => Ok(n),
    }
}

/// Wireshark's `dissect_ssl_heur`: a TLS record header (handshake or application data, a known
/// version, a sane length) or an SSLv2-compatible ClientHello claims the connection; from then
/// on every segment of it is TLS, unless it starts with text.
fn claims(ctx: &Ctx, layer: &Layer) -> bool {
    let claimed = flow_id(ctx).map_or(false, |f| ctx.state.tls.claimed_before(f.stream, ctx.meta.number));
    (claimed && !starts_with_text(layer)) || looks_like_tls_start(layer) || looks_like_sslv2_client_hello(layer)
}

fn heuristic(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    let claimed = flow_id(ctx).map_or(false, |f| ctx.state.tls.claimed_before(f.stream, ctx.meta.number));
    dissect_tls(ctx, parent, layer, None, !claimed)
}

/// Real TLS practically never starts with four printable characters; plain text does.
fn starts_with_text(l: &Layer) -> bool {
    l.len > 4 && l.slice(0, 4).iter().all(|c| (0x20..0x7f).contains(c))
}

fn looks_like_tls_start(l: &Layer) -> bool {
    if l.len < RECORD_HEADER_LEN {
        return false;
    }
    let (ct, version, length) = (l.u8(0), l.u16(1), l.u16(3) as usize);
    (ct == CT_HANDSHAKE || ct == CT_APPLICATION_DATA)
        && matches!(version, SSLV3 | TLS10 | TLS11 | TLS12 | TLCP)
        && length != 0
        && length < (1 << 14) + 2048
}

fn looks_like_sslv2_client_hello(l: &Layer) -> bool {
    let cipher_spec_len = l.u16(5);
    l.len >= 46
        && l.u8(0) == 0x80
        && l.u8(2) == 1
        && cipher_spec_len != 0
        && cipher_spec_len % 3 == 0
        && matches!(l.u16(7), 0 | 16)
        && l.u16(9) == 32
}

/// Dissects a TLS payload; returns 0 (touching nothing) when it is plainly not TLS.
fn dissect_tls(ctx: &mut Ctx, parent: u32, layer: Layer, port_proto: Option<&'static str>, claim: bool) -> DResult<usize> {
    if starts_with_text(&layer) {
        return Ok(0);
    }
    let flow = flow_id(ctx);
    let frame = ctx.meta.number;
    let ordinal = ctx.app_messages;
    ctx.app_messages += 1;
    let revisit = ctx.revisit;
    let mut conv = match flow {
        Some(f) => ctx.state.tls.begin(frame, ordinal, f.stream, revisit),
        None => TlsConv::default(),
    };
    if claim && conv.claimed_from == 0 {
        conv.claimed_from = frame;
    }
    let pending = match (flow, revisit) {
        (Some(f), false) => ctx.state.tls.take_pending(f),
        _ => None,
    };
    let mut s = Session { conv, flow, port_proto, frame, ordinal, pending };
    let top = ctx.add_protocol(parent, &TLS, &layer);
    ctx.cols.set_protocol(short_name(s.conv.version).unwrap_or("SSL"));
    ctx.cols.clear_info();
    let result = dissect_records(ctx, top, &layer, &mut s);
    if let (Some(f), false) = (flow, revisit) {
        ctx.state.tls.commit(f.stream, s.conv);
        ctx.state.tls.put_pending(f, s.pending.take());
    }
    result.map(|_| layer.reported)
}

/// Walks the records of `layer` (a TCP payload or a reassembled PDU), as Wireshark's
/// `dissect_ssl` loop: when TCP can reassemble, a record cut by the end of the data asks for
/// the bytes it lacks (`ctx.desegment`) and the walk stops there.
pub fn dissect_records(ctx: &mut Ctx, top: u32, layer: &Layer, s: &mut Session) -> DResult<()> {
    let total = layer.reported;
    let mut offset = 0;
    while offset < total {
        if total - offset < RECORD_HEADER_LEN {
            // A cut header: ask for the next segment rather than a count, so that asking again
            // once the length is known does not upset TCP's reassembly.
            if ctx.can_desegment {
                ctx.desegment = Some((offset, Desegment::OneMoreSegment));
            }
            break;
        }
        let known_pre13 = matches!(s.conv.version, SSLV3 | TLS10 | TLS11 | TLS12 | TLCP);
        if !known_pre13 && !looks_like_sslv3(layer, offset) {
            // Unknown or TLS 1.3 connections: bytes that do not start a record are the rest
            // of a record begun in an earlier segment.
            info_item(ctx, "Continuation Data");
            break;
        }
        match dissect_record(ctx, top, layer, offset, s)? {
            Some(next) => offset = next,
            None => break,
        }
    }
    Ok(())
}

fn looks_like_sslv3(l: &Layer, at: usize) -> bool {
    is_valid_content_type(l.u8(at)) && matches!(l.u16(at + 1), SSLV3 | TLS10 | TLS11 | TLS12 | TLS13 | TLCP)
}

/// One record from `at`; returns the offset after it, or `None` when the record continues
/// beyond the data and TCP was asked for the rest (Wireshark's `dissect_ssl3_record`).
fn dissect_record(ctx: &mut Ctx, top: u32, l: &Layer, at: usize, s: &mut Session) -> DResult<Option<usize>> {
    let total = l.reported;
    let available = total - at;
    let ct = l.u8(at + field::CONTENT_TYPE);
    // TLS 1.0-1.2 ignore unknown record types (RFC 2246 section 6).
    if matches!(s.conv.version, TLS10 | TLS11 | TLS12 | TLCP) && !is_valid_content_type(ct) {
        let n = ctx.add(top, &IGNORED_UNKNOWN_RECORD, l, at, l.len.saturating_sub(at), Value::None);
        crate::set_label!(ctx.tree, n, "Ignored Unknown Record");
        crate::expert::attach(&mut ctx.tree, n, &IGNORED_UNKNOWN_RECORD, Severity::Warn, Group::Protocol, "Ignored Unknown Record");
        info_item(ctx, "Ignored Unknown Record");
        return Ok(Some(total));
    }
    let record_version = l.u16(at + field::VERSION);
    let length = l.u16(at + field::LENGTH) as usize;
    if !is_valid_content_type(ct) {
        info_item(ctx, "Continuation Data");
        return Ok(Some(at + RECORD_HEADER_LEN + length));
    }
    if available < length + RECORD_HEADER_LEN {
        // The record continues in the next segment: TCP reassembles it if it can, else TShark
        // stops silently.
        if ctx.can_desegment {
            ctx.desegment = Some((at, Desegment::Bytes((length + RECORD_HEADER_LEN - available) as u32)));
            return Ok(None);
        }
        return Ok(Some(total));
    }
    l.need(at + RECORD_HEADER_LEN + length)?;
    let record = ctx.add(top, &RECORD, l, at, RECORD_HEADER_LEN + length, Value::None);
    let type_field = if s.conv.version == TLS13 && ct == CT_APPLICATION_DATA { &OPAQUE_TYPE } else { &CONTENT_TYPE };
    ctx.add_uint(record, type_field, l, at + field::CONTENT_TYPE, 1, ct as u64);
    ctx.add_uint(record, &RECORD_VERSION, l, at + field::VERSION, 2, record_version as u64);
    let len_item = ctx.add_uint(record, &RECORD_LENGTH, l, at + field::LENGTH, 2, length as u64);
    if length == 0 && ct == CT_HANDSHAKE {
        // RFC 8446 5.1 (and tshark): no zero-length Handshake fragments.
        let msg = "Zero-length Handshake fragments are not allowed";
        crate::expert::attach(&mut ctx.tree, len_item, &RECORD_LENGTH_INVALID, Severity::Error, Group::Protocol, msg);
    }
    let body = at + field::FRAGMENT;
    let version = if s.conv.version == 0 {
        // A ClientHello does not fix the version, but its record version names the columns.
        let next = l.u8(body);
        if ct != CT_HANDSHAKE || (tls_handshake::is_known_type(next) && next != tls_handshake::CLIENT_HELLO) {
            s.set_version(ctx, record_version);
        }
        ctx.cols.set_protocol(short_name(record_version).unwrap_or("SSL"));
        record_version
    } else {
        s.conv.version
    };
    let vname = short_name(version).unwrap_or("TLS");
    match ct {
        CT_CHANGE_CIPHER_SPEC => {
            info_item(ctx, "Change Cipher Spec");
            if ctx.tree.enabled() {
                crate::set_label!(ctx.tree, record, "{} Record Layer: Change Cipher Spec Protocol: Change Cipher Spec", vname);
                let n = ctx.add(record, &CHANGE_CIPHER_SPEC, l, body, length, Value::None);
                if s.from_server() && s.conv.resumed {
                    let text = "This session reuses previously negotiated keys (Session resumption)";
                    expert::add(ctx.tree, n, &RESUMED, Severity::Note, Group::Sequence, text);
                }
            }
            if version != TLS13 {
                let side = s.from_server() as usize;
                s.conv.ccs_frame[side] = s.frame;
            }
            // Only the first ChangeCipherSpec after the hello can tell.
            if s.from_server() {
                s.conv.resumed = false;
            }
        }
        CT_ALERT => dissect_alert(ctx, record, l, body, length, s),
        CT_HANDSHAKE => {
            let hs = l.sub(body, "TLS handshake").limit(length);
            tls_handshake::dissect(ctx, record, &hs, s, version, true);
        }
        CT_APPLICATION_DATA => {
            info_item(ctx, "Application Data");
            if ctx.tree.enabled() {
                let proto = s.conv.app_proto.or(s.port_proto);
                ctx.tree.set_label(
                    record,
                    format!("{} Record Layer: Application Data Protocol: {}", vname, proto.unwrap_or("Application Data")),
                );
                ctx.add(record, &APP_DATA, l, body, length, Value::Bytes);
                if let Some(p) = proto {
                    ctx.tree.add_generated(record, &APP_DATA_PROTO, Value::Str(p.to_string()));
                }
            }
        }
        _ => {
            if ctx.tree.enabled() {
                let name = CONTENT_TYPE.value_name(ct as u64).unwrap_or("unknown");
                crate::set_label!(ctx.tree, record, "{} Record Layer: {} Protocol", vname, name);
            }
        }
    }
    Ok(Some(at + RECORD_HEADER_LEN + length))
}

fn dissect_alert(ctx: &mut Ctx, record: u32, l: &Layer, at: usize, length: usize, s: &Session) {
    let vname = short_name(s.conv.version).unwrap_or("TLS");
    let alert = ctx.add(record, &ALERT, l, at, length, Value::None);
    // Alerts are two bytes; anything else is an encrypted one.
    if length != 2 {
        info_item(ctx, "Encrypted Alert");
        if ctx.tree.enabled() {
            crate::set_label!(ctx.tree, record, "{} Record Layer: Encrypted Alert", vname);
            crate::set_label!(ctx.tree, alert, "Alert Message: Encrypted Alert");
        }
        return;
    }
    let (level, desc) = (l.u8(at), l.u8(at + 1));
    let level_name = ALERT_LEVEL.value_name(level as u64).unwrap_or("Unknown");
    let desc_name = ALERT_DESC.value_name(desc as u64).unwrap_or("Unknown");
    let text = format!("Alert (Level: {}, Description: {})", level_name, desc_name);
    info_item(ctx, &text);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, record, "{} Record Layer: {}", vname, text);
        ctx.add_uint(alert, &ALERT_LEVEL, l, at, 1, level as u64);
        ctx.add_uint(alert, &ALERT_DESC, l, at + 1, 1, desc as u64);
    }
}


#[cfg(test)]
mod tests {
    use crate::packet::FrameMeta;
    use crate::session::tests::summary_of;
    use crate::session::Session;

    /// Ethernet + IPv4 + TCP (PSH, ACK) from `sport` to `dport` with `seq`, carrying `payload`.
    fn frame(sport: u16, dport: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let total = 40 + payload.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    fn record(ct: u8, version: u16, body: &[u8]) -> Vec<u8> {
        let mut r = vec![ct];
        r.extend_from_slice(&version.to_be_bytes());
        r.extend_from_slice(&(body.len() as u16).to_be_bytes());
        r.extend_from_slice(body);
        r
    }

    /// A ClientHello offering one suite, with a server_name extension.
    fn client_hello(sni: &str) -> Vec<u8> {
        let mut ext = vec![0, 0];
        let name = sni.as_bytes();
        let entry_len = 3 + name.len();
        ext.extend_from_slice(&((entry_len + 2) as u16).to_be_bytes());
        ext.extend_from_slice(&(entry_len as u16).to_be_bytes());
        ext.push(0);
        ext.extend_from_slice(&(name.len() as u16).to_be_bytes());
        ext.extend_from_slice(name);
        let mut body = vec![0x03, 0x03];
        body.extend_from_slice(&[7u8; 32]);
        body.extend_from_slice(&[0, 0, 2, 0x13, 0x01, 1, 0]);
        body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        body.extend_from_slice(&ext);
        let mut hs = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
        hs.extend_from_slice(&body);
        record(22, 0x0301, &hs)
    }

    #[test]
    fn client_hello_on_443() {
        let (cols, protos) = summary_of(1, &frame(50000, 443, 1, &client_hello("example.com")));
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("TLSv1", "Client Hello"));
        assert_eq!(protos, "eth:ethertype:ip:tcp:tls");
    }

    #[test]
    fn several_records_in_one_segment() {
        let mut p = record(20, 0x0303, &[1]);
        p.extend(record(22, 0x0303, &[0u8; 40])); // zero explicit nonce: encrypted Finished
        p.extend(record(21, 0x0303, &[1, 0]));
        let (cols, _) = summary_of(1, &frame(443, 50000, 1, &p));
        assert_eq!(cols.protocol, "TLSv1.2");
        assert_eq!(cols.info, "Change Cipher Spec, Encrypted Handshake Message, Alert (Level: Warning, Description: Close Notify)");
    }

    #[test]
    fn text_on_a_tls_port_is_not_tls() {
        // TLS declines; the heuristics come next, and HTTP's takes it (tshark shows HTTP too).
        let (cols, protos) = summary_of(1, &frame(50000, 443, 1, b"GET / HTTP/1.1\r\n\r\n"));
        assert_eq!(cols.protocol, "HTTP");
        assert!(protos.starts_with("eth:ethertype:ip:tcp:http"), "{}", protos);
        let (cols, protos) = summary_of(1, &frame(50000, 443, 1, b"some text, not TLS"));
        assert_eq!(cols.protocol, "TCP");
        assert_eq!(protos, "eth:ethertype:ip:tcp:data");
    }

    #[test]
    fn segments_without_a_record_start() {
        let (cols, _) = summary_of(1, &frame(443, 50000, 1, &[0x99, 1, 2, 3, 4, 5, 6, 7]));
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("SSL", "Continuation Data"));
        // A record that goes on in the next segment is left to TCP reassembly; TLS cleared
        // Info and keeps its (empty) layer, as in tshark.
        let mut cut = record(23, 0x0303, &[0u8; 100]);
        cut.truncate(30);
        let (cols, protos) = summary_of(1, &frame(443, 50000, 1, &cut));
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("TCP", "[TCP segment of a reassembled PDU]"));
        assert_eq!(protos, "eth:ethertype:ip:tcp:tls");
    }

    #[test]
    fn heuristic_claims_other_ports_and_leaves_the_rest() {
        let (cols, protos) = summary_of(1, &frame(50000, 5555, 1, &client_hello("a.test")));
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("TLSv1", "Client Hello"));
        assert_eq!(protos, "eth:ethertype:ip:tcp:tls");
        let (cols, protos) = summary_of(1, &frame(50000, 5555, 1, &[0x99, 1, 2, 3, 4, 5, 6, 7]));
        assert_eq!(cols.protocol, "TCP");
        assert_eq!(protos, "eth:ethertype:ip:tcp:data");
    }

    /// Frames of one connection through one session: (protocol, info) of each.
    fn run(frames: &[Vec<u8>]) -> Vec<(String, String)> {
        let mut s = Session::new();
        frames
            .iter()
            .map(|f| {
                let meta = FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() };
                s.ingest(meta, f, true);
                (s.columns().protocol.clone(), s.columns().info.clone())
            })
            .collect()
    }

    #[test]
    fn connection_state_names_later_segments() {
        let rows = run(&[
            frame(50000, 5555, 1, &client_hello("a.test")),
            // Claimed by the heuristic: continuation bytes stay TLS on this connection.
            frame(50000, 5555, 1 + 100, &[0x99, 1, 2, 3, 4, 5, 6, 7]),
            frame(5555, 50000, 1, &record(23, 0x0303, &[5u8; 20])),
            frame(5555, 50000, 26, &[0x00, 1, 2, 3, 4, 5, 6, 7]),
        ]);
        // The gap before it is TCP's to report; the payload stays TLS.
        assert_eq!(rows[1], ("SSL".into(), "[TCP Previous segment not captured] Continuation Data".into()));
        assert_eq!(rows[2], ("TLSv1.2".into(), "Application Data".into()));
        assert_eq!(rows[3], ("TLSv1.2".into(), "Ignored Unknown Record".into()));
    }

    #[test]
    fn handshake_split_over_records_and_frames() {
        // A 14-byte Certificate message (empty list) cut after 6 bytes.
        let msg = [11u8, 0, 0, 10, 0, 0, 7, 0, 0, 4, 1, 2, 3, 4];
        let mut one = record(22, 0x0303, &msg[..6]);
        one.extend(record(22, 0x0303, &msg[6..]));
        let rows = run(&[frame(443, 50000, 1, &record(21, 0x0303, &[1, 0])), frame(443, 50000, 8, &one)]);
        assert_eq!(rows[1].1, "[Certificate Fragment], Certificate");
        let rows = run(&[
            frame(443, 50000, 1, &record(21, 0x0303, &[1, 0])),
            frame(443, 50000, 8, &record(22, 0x0303, &msg[..6])),
            frame(443, 50000, 19, &record(22, 0x0303, &msg[6..])),
        ]);
        assert_eq!((rows[1].1.as_str(), rows[2].1.as_str()), ("[Certificate Fragment]", "Certificate"));
    }

    #[test]
    fn cut_captures_do_not_panic() {
        let f = frame(50000, 443, 1, &client_hello("example.com"));
        for n in 54..f.len() {
            let _ = summary_of(1, &f[..n]);
        }
    }
}
