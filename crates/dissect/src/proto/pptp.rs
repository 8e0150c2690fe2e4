//! `pptp`: the Point-to-Point Tunnelling Protocol's control connection on TCP port 1723
//! (RFC 2637), as Wireshark's `dissect_pptp`: the common header with its magic cookie, then
//! the fields of each of the fifteen control messages. Info is the message type.

use crate::dispatch::{self, Registration, Table};
use crate::expert;
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::text;
use crate::tree::{Group, Severity, Value};

mod field {
    pub const LENGTH: usize = 0;
    pub const TYPE: usize = 2;
    pub const COOKIE: usize = 4;
    pub const CONTROL_TYPE: usize = 8;
    pub const RESERVED: usize = 10;
    pub const BODY: usize = 12;
}
const MAGIC_COOKIE: u32 = 0x1a2b_3c4d;
/// Host, vendor, number and statistics strings are fixed 64-byte fields.
const NAME_LEN: usize = 64;

static MESSAGE_TYPES: &[(u64, &str)] = &[(1, "Control Message"), (2, "Management Message")];
static CONTROL_TYPES: &[(u64, &str)] = &[
    (1, "Start-Control-Connection-Request"),
    (2, "Start-Control-Connection-Reply"),
    (3, "Stop-Control-Connection-Request"),
    (4, "Stop-Control-Connection-Reply"),
    (5, "Echo-Request"),
    (6, "Echo-Reply"),
    (7, "Outgoing-Call-Request"),
    (8, "Outgoing-Call-Reply"),
    (9, "Incoming-Call-Request"),
    (10, "Incoming-Call-Reply"),
    (11, "Incoming-Call-Connected"),
    (12, "Call-Clear-Request"),
    (13, "Call-Disconnect-Notify"),
    (14, "WAN-Error-Notify"),
    (15, "Set-Link-Info"),
];
static FRAMING: &[(u64, &str)] = &[(1, "Asynchronous Framing supported"), (2, "Synchronous Framing supported"), (3, "Either Framing supported")];
static BEARER: &[(u64, &str)] = &[(1, "Analog access supported"), (2, "Digital access supported"), (3, "Either access supported")];
static CONTROL_RESULTS: &[(u64, &str)] = &[
    (1, "Successful channel establishment"),
    (2, "General error"),
    (3, "Command channel already exists"),
    (4, "Requester not authorized"),
    (5, "Protocol version not supported"),
];
static ERRORS: &[(u64, &str)] =
    &[(0, "None"), (1, "Not-Connected"), (2, "Bad-Format"), (3, "Bad-Value"), (4, "No-Resource"), (5, "Bad-Call ID"), (6, "PAC-Error")];
static REASONS: &[(u64, &str)] = &[(1, "None"), (2, "Stop-Protocol"), (3, "Stop-Local-Shutdown")];
static OK_OR_ERROR: &[(u64, &str)] = &[(1, "OK"), (2, "General error")];
static OUT_RESULTS: &[(u64, &str)] = &[
    (1, "Connected"),
    (2, "General Error"),
    (3, "No Carrier"),
    (4, "Busy"),
    (5, "No Dial Tone"),
    (6, "Time-out"),
    (7, "Do Not Accept"),
];
static IN_RESULTS: &[(u64, &str)] = &[(1, "Connect"), (2, "General error"), (3, "Do Not Accept")];
static DISC_RESULTS: &[(u64, &str)] = &[(1, "Lost Carrier"), (2, "General Error"), (3, "Admin Shutdown"), (4, "Request")];

macro_rules! uint {
    ($id:ident, $name:expr, $abbrev:expr, $t:ident) => {
        pub static $id: FieldDef = FieldDef::new($name, $abbrev, FieldType::$t);
    };
    ($id:ident, $name:expr, $abbrev:expr, $t:ident, $strings:expr) => {
        pub static $id: FieldDef = FieldDef::new($name, $abbrev, FieldType::$t).strings($strings);
    };
}

pub static PPTP: FieldDef = FieldDef::protocol("Point-to-Point Tunnelling Protocol", "pptp");
uint!(LENGTH, "Length", "pptp.length", Uint16);
uint!(MESSAGE_TYPE, "Message type", "pptp.type", Uint16, MESSAGE_TYPES);
pub static MAGIC: FieldDef = FieldDef::new("Magic Cookie", "pptp.magic_cookie", FieldType::Uint32).base(Base::Hex);
uint!(CONTROL_TYPE, "Control Message Type", "pptp.control_message_type", Uint16, CONTROL_TYPES);
uint!(RESERVED, "Reserved", "pptp.reserved", Bytes);
uint!(PROTOCOL_VERSION, "Protocol version", "pptp.protocol_version", Uint16);
uint!(FRAMING_CAPABILITIES, "Framing Capabilities", "pptp.framing_capabilities", Uint32, FRAMING);
uint!(BEARER_CAPABILITIES, "Bearer Capabilities", "pptp.bearer_capabilities", Uint32, BEARER);
uint!(MAXIMUM_CHANNELS, "Maximum Channels", "pptp.maximum_channels", Uint16);
uint!(FIRMWARE_REVISION, "Firmware Revision", "pptp.firmware_revision", Uint16);
uint!(HOST_NAME, "Host Name", "pptp.host_name", String);
uint!(VENDOR_NAME, "Vendor Name", "pptp.vendor_name", String);
uint!(CONTROL_RESULT, "Result Code", "pptp.control_result", Uint8, CONTROL_RESULTS);
uint!(ERROR, "Error Code", "pptp.error", Uint8, ERRORS);
uint!(REASON, "Reason", "pptp.reason", Uint8, REASONS);
uint!(STOP_RESULT, "Result Code", "pptp.stop_result", Uint8, OK_OR_ERROR);
uint!(IDENTIFIER, "Identifier", "pptp.identifier", Uint32);
uint!(ECHO_RESULT, "Result Code", "pptp.echo_result", Uint8, OK_OR_ERROR);
uint!(CALL_ID, "Call ID", "pptp.call_id", Uint16);
uint!(CALL_SERIAL, "Call Serial Number", "pptp.call_serial_number", Uint16);
uint!(MINIMUM_BPS, "Minimum BPS", "pptp.minimum_bps", Uint32);
uint!(MAXIMUM_BPS, "Maximum BPS", "pptp.maximum_bps", Uint32);
uint!(BEARER_TYPE, "Bearer Type", "pptp.bearer_type", Uint32, BEARER);
uint!(FRAMING_TYPE, "Framing Type", "pptp.framing_type", Uint32, FRAMING);
uint!(WINDOW, "Packet Receive Window Size", "pptp.packet_receive_window_size", Uint16);
uint!(DELAY, "Packet Processing Delay", "pptp.packet_processing_delay", Uint16);
uint!(PHONE_LENGTH, "Phone Number Length", "pptp.phone_number_length", Uint16);
uint!(PHONE, "Phone Number", "pptp.phone_number", String);
uint!(SUBADDRESS, "Subaddress", "pptp.subaddress", String);
uint!(PEER_CALL_ID, "Peer Call ID", "pptp.peer_call_id", Uint16);
uint!(OUT_RESULT, "Result Code", "pptp.out_result", Uint8, OUT_RESULTS);
uint!(CAUSE, "Cause Code", "pptp.cause", Uint16);
uint!(CONNECT_SPEED, "Connect Speed", "pptp.connect_speed", Uint32);
uint!(CHANNEL_ID, "Physical Channel ID", "pptp.physical_channel_id", Uint32);
uint!(DIALED_LENGTH, "Dialed Number Length", "pptp.dialed_number_length", Uint16);
uint!(DIALED, "Dialed Number", "pptp.dialed_number", String);
uint!(DIALING_LENGTH, "Dialing Number Length", "pptp.dialing_number_length", Uint16);
uint!(DIALING, "Dialing Number", "pptp.dialing_number", String);
uint!(IN_RESULT, "Result Code", "pptp.in_result", Uint8, IN_RESULTS);
uint!(DISC_RESULT, "Result Code", "pptp.disc_result", Uint8, DISC_RESULTS);
uint!(CALL_STATISTICS, "Call Statistics", "pptp.call_Statistics", String);
uint!(CRC_ERRORS, "CRC Errors", "pptp.crc_errors", Uint32);
uint!(FRAMING_ERRORS, "Framing Errors", "pptp.framing_errors", Uint32);
uint!(HARDWARE_OVERRUNS, "Hardware overruns", "pptp.hardware_overruns", Uint32);
uint!(BUFFER_OVERRUNS, "Buffer overruns", "pptp.buffer_overruns", Uint32);
uint!(TIMEOUT_ERRORS, "Time-out Errors", "pptp.timeout_errors", Uint32);
uint!(ALIGNMENT_ERRORS, "Alignment Errors", "pptp.alignment_errors", Uint32);
pub static SEND_ACCM: FieldDef = FieldDef::new("Send ACCM", "pptp.send_accm", FieldType::Uint32).base(Base::Hex);
pub static RECEIVE_ACCM: FieldDef = FieldDef::new("Receive ACCM", "pptp.receive_accm", FieldType::Uint32).base(Base::Hex);
pub static INCORRECT_COOKIE: FieldDef = FieldDef::new("Incorrect Magic Cookie", "pptp.magic_cookie.incorrect", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &PPTP, &LENGTH, &MESSAGE_TYPE, &MAGIC, &CONTROL_TYPE, &RESERVED, &PROTOCOL_VERSION, &FRAMING_CAPABILITIES, &BEARER_CAPABILITIES,
    &MAXIMUM_CHANNELS, &FIRMWARE_REVISION, &HOST_NAME, &VENDOR_NAME, &CONTROL_RESULT, &ERROR, &REASON, &STOP_RESULT, &IDENTIFIER,
    &ECHO_RESULT, &CALL_ID, &CALL_SERIAL, &MINIMUM_BPS, &MAXIMUM_BPS, &BEARER_TYPE, &FRAMING_TYPE, &WINDOW, &DELAY, &PHONE_LENGTH,
    &PHONE, &SUBADDRESS, &PEER_CALL_ID, &OUT_RESULT, &CAUSE, &CONNECT_SPEED, &CHANNEL_ID, &DIALED_LENGTH, &DIALED, &DIALING_LENGTH,
    &DIALING, &IN_RESULT, &DISC_RESULT, &CALL_STATISTICS, &CRC_ERRORS, &FRAMING_ERRORS, &HARDWARE_OVERRUNS, &BUFFER_OVERRUNS,
    &TIMEOUT_ERRORS, &ALIGNMENT_ERRORS, &SEND_ACCM, &RECEIVE_ACCM, &INCORRECT_COOKIE,
];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::TcpPort, 1723, "pptp", dissect)];

/// One field of a control message: its definition and width (0 for a 64-byte string).
type Item = (&'static FieldDef, usize);

/// The fields after the common header, by control message type (1 to 15).
static BODIES: [&[Item]; 15] = [
    &[
        (&PROTOCOL_VERSION, 2), (&RESERVED, 2), (&FRAMING_CAPABILITIES, 4), (&BEARER_CAPABILITIES, 4), (&MAXIMUM_CHANNELS, 2),
        (&FIRMWARE_REVISION, 2), (&HOST_NAME, 0), (&VENDOR_NAME, 0),
    ],
    &[
        (&PROTOCOL_VERSION, 2), (&CONTROL_RESULT, 1), (&ERROR, 1), (&FRAMING_CAPABILITIES, 4), (&BEARER_CAPABILITIES, 4),
        (&MAXIMUM_CHANNELS, 2), (&FIRMWARE_REVISION, 2), (&HOST_NAME, 0), (&VENDOR_NAME, 0),
    ],
    &[(&REASON, 1), (&RESERVED, 1), (&RESERVED, 2)],
    &[(&STOP_RESULT, 1), (&ERROR, 1), (&RESERVED, 2)],
    &[(&IDENTIFIER, 4)],
    &[(&IDENTIFIER, 4), (&ECHO_RESULT, 1), (&ERROR, 1), (&RESERVED, 2)],
    &[
        (&CALL_ID, 2), (&CALL_SERIAL, 2), (&MINIMUM_BPS, 4), (&MAXIMUM_BPS, 4), (&BEARER_TYPE, 4), (&FRAMING_TYPE, 4), (&WINDOW, 2),
        (&DELAY, 2), (&PHONE_LENGTH, 2), (&RESERVED, 2), (&PHONE, 0), (&SUBADDRESS, 0),
    ],
    &[
        (&CALL_ID, 2), (&PEER_CALL_ID, 2), (&OUT_RESULT, 1), (&ERROR, 1), (&CAUSE, 2), (&CONNECT_SPEED, 4), (&WINDOW, 2), (&DELAY, 2),
        (&CHANNEL_ID, 4),
    ],
    &[
        (&CALL_ID, 2), (&CALL_SERIAL, 2), (&BEARER_TYPE, 4), (&CHANNEL_ID, 4), (&DIALED_LENGTH, 2), (&DIALING_LENGTH, 2), (&DIALED, 0),
        (&DIALING, 0), (&SUBADDRESS, 0),
    ],
    &[(&CALL_ID, 2), (&PEER_CALL_ID, 2), (&IN_RESULT, 1), (&ERROR, 1), (&WINDOW, 2), (&DELAY, 2), (&RESERVED, 2)],
    &[(&PEER_CALL_ID, 2), (&RESERVED, 2), (&CONNECT_SPEED, 4), (&WINDOW, 2), (&DELAY, 2), (&FRAMING_TYPE, 4)],
    &[(&CALL_ID, 2), (&RESERVED, 2)],
    &[(&CALL_ID, 2), (&DISC_RESULT, 1), (&ERROR, 1), (&CAUSE, 2), (&RESERVED, 2), (&CALL_STATISTICS, 0)],
    &[
        (&PEER_CALL_ID, 2), (&RESERVED, 2), (&CRC_ERRORS, 4), (&FRAMING_ERRORS, 4), (&HARDWARE_OVERRUNS, 4), (&BUFFER_OVERRUNS, 4),
        (&TIMEOUT_ERRORS, 4), (&ALIGNMENT_ERRORS, 4),
    ],
    &[(&PEER_CALL_ID, 2), (&RESERVED, 2), (&SEND_ACCM, 4), (&RECEIVE_ACCM, 4)],
];

pub fn dissect(ctx: &mut Ctx, parent: u32, l: Layer) -> DResult<usize> {
    ctx.cols.set_protocol("PPTP");
    ctx.cols.clear_info();
    l.need(field::BODY)?;
    let (length, control_type) = (l.u16(field::LENGTH), l.u16(field::CONTROL_TYPE));
    let name = CONTROL_TYPE.value_name(control_type as u64).map_or_else(|| format!("Unknown control type ({})", control_type), str::to_string);
    ctx.cols.info.push_str(&name);

    let top = ctx.add_protocol(parent, &PPTP, &l.limit(length as usize));
    ctx.add_uint(top, &LENGTH, &l, field::LENGTH, 2, length as u64);
    ctx.add_uint(top, &MESSAGE_TYPE, &l, field::TYPE, 2, l.u16(field::TYPE) as u64);
    let cookie = l.u32(field::COOKIE);
    let c = ctx.add_uint(top, &MAGIC, &l, field::COOKIE, 4, cookie as u64);
    if cookie == MAGIC_COOKIE {
        ctx.tree.append_text(c, " (correct)");
    } else {
        ctx.tree.append_text(c, " (incorrect)");
        expert::add(ctx.tree, c, &INCORRECT_COOKIE, Severity::Warn, Group::Malformed, INCORRECT_COOKIE.name);
    }
    ctx.add_uint(top, &CONTROL_TYPE, &l, field::CONTROL_TYPE, 2, control_type as u64);
    ctx.add(top, &RESERVED, &l, field::RESERVED, 2, Value::Bytes);
    let items = match control_type.checked_sub(1).and_then(|i| BODIES.get(i as usize)) {
        Some(items) => *items,
        None => {
            dispatch::call_data(ctx, top, l.sub(field::BODY, "pptp"))?;
            return Ok(l.reported);
        }
    };
    let mut at = field::BODY;
    for (f, width) in items {
        at += add(ctx, top, &l, f, at, *width)?;
    }
    Ok(l.reported)
}

/// Adds one field at `at`; returns its width.
fn add(ctx: &mut Ctx, top: u32, l: &Layer, f: &'static FieldDef, at: usize, width: usize) -> DResult<usize> {
    let width = if width == 0 { NAME_LEN } else { width };
    l.need(at + width)?;
    if std::ptr::eq(f, &PROTOCOL_VERSION) {
        let n = ctx.add_uint(top, f, l, at, 2, l.u16(at) as u64);
        crate::set_label!(ctx.tree, n, "Protocol version: {}.{}", l.u8(at), l.u8(at + 1));
        return Ok(width);
    }
    let v = match f.ftype {
        FieldType::Bytes => Value::Bytes,
        // Fixed-width text padded with NULs, as an ASCII string field shows it.
        FieldType::String => {
            let b = l.slice(at, width);
            Value::Str(text::lossy(&b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]))
        }
        _ => Value::Uint(match width {
            1 => l.u8(at) as u64,
            2 => l.u16(at) as u64,
            _ => l.u32(at) as u64,
        }),
    };
    ctx.add(top, f, l, at, width, v);
    Ok(width)
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    /// Ethernet/IPv4/TCP from port 1723 carrying `payload` (frame 13 of tcpdump's pptp-bigendian).
    fn frame(payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
        f.extend_from_slice(&((40 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 1, 0, 0, 64, 6, 0, 0, 10, 1, 1, 10, 10, 1, 1, 11, 0x06, 0xbb, 0x0b, 0xd1]);
        f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0x7d, 0x78, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn outgoing_call_reply() {
        let msg = [
            0, 32, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 8, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x05, 0xf5, 0xe1, 0, 0, 64, 0, 0, 0, 0, 0, 0,
        ];
        let (cols, protos) = summary_of(1, &frame(&msg));
        assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("PPTP", "Outgoing-Call-Reply"));
        assert_eq!(protos, "eth:ethertype:ip:tcp:pptp");
    }

    #[test]
    fn unknown_types_and_cut_messages() {
        let mut msg = vec![0, 16, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 99, 0, 0, 1, 2, 3, 4];
        let (cols, protos) = summary_of(1, &frame(&msg));
        assert_eq!(cols.info, "Unknown control type (99)");
        assert_eq!(protos, "eth:ethertype:ip:tcp:pptp:data");
        msg.truncate(6);
        let _ = summary_of(1, &frame(&msg));
    }
}
