//! `modbus`: the Modbus PDU (function code and data) that Modbus/TCP (`mbtcp.rs`) carries, as
//! Wireshark's `dissect_modbus`: queries and responses by function code, exceptions, and the
//! register or coil values of a response read with the range its query asked for
//! (`analysis/modbus.rs`). Registers are shown as UINT16, Wireshark's default format; the
//! data-carrying parts are in `modbus_data.rs`.

use crate::analysis::modbus::{Answer, MessageKey};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::modbus_data::{add_u16, add_u32, add_u8, data, device_identification, event_log, file_records_written, group};
use crate::tree::Value;

pub const READ_COILS: u8 = 1;
pub const READ_DISCRETE_INPUTS: u8 = 2;
pub const READ_HOLDING_REGS: u8 = 3;
pub const READ_INPUT_REGS: u8 = 4;
pub const WRITE_SINGLE_COIL: u8 = 5;
pub const WRITE_SINGLE_REG: u8 = 6;
pub const READ_EXCEPT_STAT: u8 = 7;
pub const DIAGNOSTICS: u8 = 8;
pub const GET_COMM_EVENT_CTRS: u8 = 11;
pub const GET_COMM_EVENT_LOG: u8 = 12;
pub const WRITE_MULT_COILS: u8 = 15;
pub const WRITE_MULT_REGS: u8 = 16;
pub const READ_FILE_RECORD: u8 = 20;
pub const WRITE_FILE_RECORD: u8 = 21;
pub const MASK_WRITE_REG: u8 = 22;
pub const READ_WRITE_REG: u8 = 23;
pub const READ_FIFO_QUEUE: u8 = 24;
pub const ENCAP_INTERFACE_TRANSP: u8 = 43;
const READ_DEVICE_ID: u8 = 14;

pub static FUNCTION_CODES: &[(u64, &str)] = &[
    (1, "Read Coils"),
    (2, "Read Discrete Inputs"),
    (3, "Read Holding Registers"),
    (4, "Read Input Registers"),
    (5, "Write Single Coil"),
    (6, "Write Single Register"),
    (7, "Read Exception Status"),
    (8, "Diagnostics"),
    (11, "Get Comm. Event Counters"),
    (12, "Get Comm. Event Log"),
    (15, "Write Multiple Coils"),
    (16, "Write Multiple Registers"),
    (17, "Report Slave ID"),
    (20, "Read File Record"),
    (21, "Write File Record"),
    (22, "Mask Write Register"),
    (23, "Read Write Register"),
    (24, "Read FIFO Queue"),
    (43, "Encapsulated Interface Transport"),
    (90, "Unity (Schneider)"),
];
static EXCEPTIONS: &[(u64, &str)] = &[
    (1, "Illegal function"),
    (2, "Illegal data address"),
    (3, "Illegal data value"),
    (4, "Slave device failure"),
    (5, "Acknowledge"),
    (6, "Slave device busy"),
    (8, "Memory parity error"),
    (10, "Gateway path unavailable"),
    (11, "Gateway target device failed to respond"),
];
pub static MEI_CODES: &[(u64, &str)] = &[(13, "CANopen Request/Response "), (14, "Read Device Identification")];
pub static DIAGNOSTIC_CODES: &[(u64, &str)] = &[
    (0, "Return Query Data"),
    (1, "Restart Communications Option"),
    (2, "Return Diagnostic Register"),
    (3, "Change ASCII Input Delimiter"),
    (4, "Force Listen Only Mode"),
    (10, "Clear Counters and Diagnostic Register"),
    (11, "Return Bus Message Count"),
    (12, "Return Bus Communication Error Count"),
    (13, "Return Bus Exception Error Count"),
    (14, "Return Slave Message Count"),
    (15, "Return Slave No Response Count"),
    (16, "Return Slave NAK Count"),
    (17, "Return Slave Busy Count"),
    (18, "Return Bus Character Overrun Count"),
    (20, "Clear Overrun Counter and Flag"),
];
static RESTART_OPTIONS: &[(u64, &str)] = &[(0, "Leave Log"), (0xff, "Clear Log")];
static READ_DEVICE_IDS: &[(u64, &str)] = &[
    (1, "Basic Device Identification"),
    (2, "Regular Device Identification"),
    (3, "Extended Device Identification"),
    (4, "Specific Identification Object"),
];
static OBJECT_IDS: &[(u64, &str)] = &[
    (0, "VendorName"),
    (1, "ProductCode"),
    (2, "MajorMinorRevision"),
    (3, "VendorURL"),
    (4, "ProductName"),
    (5, "ModelName"),
    (6, "UserApplicationName"),
];
static CONFORMITY_LEVELS: &[(u64, &str)] = &[
    (0x01, "Basic Device Identification (stream)"),
    (0x02, "Regular Device Identification (stream)"),
    (0x03, "Extended Device Identification (stream)"),
    (0x81, "Basic Device Identification (stream and individual)"),
    (0x82, "Regular Device Identification (stream and individual)"),
    (0x83, "Extended Device Identification (stream and individual)"),
];
static TRUE_FALSE: &[(u64, &str)] = &[(0, "False"), (1, "True")];

macro_rules! field {
    ($id:ident, $name:expr, $abbrev:expr, $t:ident) => {
        pub static $id: FieldDef = FieldDef::new($name, $abbrev, FieldType::$t);
    };
    ($id:ident, $name:expr, $abbrev:expr, $t:ident, hex) => {
        pub static $id: FieldDef = FieldDef::new($name, $abbrev, FieldType::$t).base(Base::Hex);
    };
}

pub static MODBUS: FieldDef = FieldDef::protocol("Modbus", "modbus");
pub static FUNC_CODE: FieldDef = FieldDef::new("Function Code", "modbus.func_code", FieldType::Uint8).bits(8, 0x7f).strings(FUNCTION_CODES);
field!(REQUEST_FRAME, "Request Frame", "modbus.request_frame", FrameNum);
field!(RESPONSE_TIME, "Time from request", "modbus.response_time", RelTime);
field!(REFERENCE, "Reference Number", "modbus.reference_num", Uint16);
field!(PADDING, "Padding", "modbus.padding", Uint8, hex);
field!(REFERENCE_32, "Reference Number (32 bit)", "modbus.reference_num_32", Uint32);
field!(REFERENCE_TYPE, "Reference Type", "modbus.reference_type", Uint8);
field!(READ_REFERENCE, "Read Reference Number", "modbus.read_reference_num", Uint16);
field!(WRITE_REFERENCE, "Write Reference Number", "modbus.write_reference_num", Uint16);
field!(WORD_CNT, "Word Count", "modbus.word_cnt", Uint16);
field!(READ_WORD_CNT, "Read Word Count", "modbus.read_word_cnt", Uint16);
field!(WRITE_WORD_CNT, "Write Word Count", "modbus.write_word_cnt", Uint16);
field!(BIT_CNT, "Bit Count", "modbus.bit_cnt", Uint16);
field!(BYTE_CNT, "Byte Count", "modbus.byte_cnt", Uint8);
field!(BYTE_CNT_16, "Byte Count (16-bit)", "modbus.byte_cnt_16", Uint8);
pub static EXCEPTION_CODE: FieldDef = FieldDef::new("Exception Code", "modbus.exception_code", FieldType::Uint8).strings(EXCEPTIONS);
pub static DIAG_CODE: FieldDef = FieldDef::new("Diagnostic Code", "modbus.diagnostic_code", FieldType::Uint16).strings(DIAGNOSTIC_CODES);
field!(DIAG_QUERY_REQUEST, "Request Data", "modbus.diagnostic.return_query_data.request", Bytes);
field!(DIAG_QUERY_ECHO, "Echo Data", "modbus.diagnostic.return_query_data.echo", Bytes);
pub static DIAG_RESTART: FieldDef = FieldDef::new("Restart Communication Option", "modbus.diagnostic.restart_communication_option", FieldType::Uint16)
    .base(Base::Hex)
    .strings(RESTART_OPTIONS);
field!(DIAG_REGISTER, "Diagnostic Register Contents", "modbus.diagnostic.return_diag_register", Uint16, hex);
field!(DIAG_DELIMITER, "CHAR", "modbus.diagnostic.ascii_input_delimiter", Uint8, hex);
field!(DIAG_CLEAR, "Clear Counters & Diag Register Echo", "modbus.diagnostic.clear_ctr_diag_reg", Uint16);
field!(DIAG_BUS_MESSAGES, "Total Message Count", "modbus.diagnostic.bus_message_count", Uint16);
field!(DIAG_CRC_ERRORS, "CRC Error Count", "modbus.diagnostic.bus_comm_error_count", Uint16);
field!(DIAG_EXCEPTION_ERRORS, "Exception Error Count", "modbus.diagnostic.bus_exception_error_count", Uint16);
field!(DIAG_SLAVE_MESSAGES, "Slave Message Count", "modbus.diagnostic.slave_message_count", Uint16);
field!(DIAG_NO_RESPONSE, "Slave No Response Count", "modbus.diagnostic.no_slave_response_count", Uint16);
field!(DIAG_NAK, "Slave NAK Count", "modbus.diagnostic.slave_nak_count", Uint16);
field!(DIAG_BUSY, "Slave Device Busy Count", "modbus.diagnostic.slave_busy_count", Uint16);
field!(DIAG_OVERRUN, "Slave Character Overrun Count", "modbus.diagnostic.bus_char_overrun_count", Uint16);
field!(STATUS, "Status", "modbus.ev_status", Uint16, hex);
field!(EVENT, "Event", "modbus.event", Uint8);
field!(EVENT_COUNT, "Event Count", "modbus.ev_count", Uint16);
field!(MESSAGE_COUNT, "Message Count", "modbus.ev_msg_count", Uint16);
field!(AND_MASK, "AND mask", "modbus.and_mask", Uint16, hex);
field!(OR_MASK, "OR mask", "modbus.or_mask", Uint16, hex);
field!(DATA, "Data", "modbus.data", Bytes);
pub static MEI: FieldDef = FieldDef::new("MEI type", "modbus.mei", FieldType::Uint8).strings(MEI_CODES);
pub static READ_DEVICE: FieldDef = FieldDef::new("Read Device ID", "modbus.read_device_id", FieldType::Uint8).strings(READ_DEVICE_IDS);
pub static OBJECT_ID: FieldDef = FieldDef::new("Object ID", "modbus.object_id", FieldType::Uint8).strings(OBJECT_IDS);
field!(NUM_OBJECTS, "Number of Objects", "modbus.num_objects", Uint8);
field!(OBJECT_LEN, "Object length", "modbus.objects_len", Uint8);
pub static CONFORMITY: FieldDef =
    FieldDef::new("Conformity Level", "modbus.conformity_level", FieldType::Uint8).base(Base::Hex).strings(CONFORMITY_LEVELS);
field!(MORE_FOLLOWS, "More Follows", "modbus.more_follows", Uint8, hex);
field!(NEXT_OBJECT_ID, "Next Object ID", "modbus.next_object_id", Uint8);
field!(OBJECT_STR, "Object String Value", "modbus.object_str_value", String);
field!(OBJECT_VALUE, "Object Value", "modbus.object_value", Bytes);
field!(BITNUM, "Bit Number", "modbus.bitnum", Uint16);
pub static BITVAL: FieldDef = FieldDef::new("Bit Value", "modbus.bitval", FieldType::Bool).bits(8, 0x1).strings(TRUE_FALSE);
field!(REGNUM16, "Register Number", "modbus.regnum16", Uint16);
field!(REGVAL_UINT16, "Register Value (UINT16)", "modbus.regval_uint16", Uint16);

pub static FIELDS: &[&FieldDef] = &[
    &MODBUS, &FUNC_CODE, &REQUEST_FRAME, &RESPONSE_TIME, &REFERENCE, &PADDING, &REFERENCE_32, &REFERENCE_TYPE, &READ_REFERENCE,
    &WRITE_REFERENCE, &WORD_CNT, &READ_WORD_CNT, &WRITE_WORD_CNT, &BIT_CNT, &BYTE_CNT, &BYTE_CNT_16, &EXCEPTION_CODE, &DIAG_CODE,
    &DIAG_QUERY_REQUEST, &DIAG_QUERY_ECHO, &DIAG_RESTART, &DIAG_REGISTER, &DIAG_DELIMITER, &DIAG_CLEAR, &DIAG_BUS_MESSAGES,
    &DIAG_CRC_ERRORS, &DIAG_EXCEPTION_ERRORS, &DIAG_SLAVE_MESSAGES, &DIAG_NO_RESPONSE, &DIAG_NAK, &DIAG_BUSY, &DIAG_OVERRUN, &STATUS,
    &EVENT, &EVENT_COUNT, &MESSAGE_COUNT, &AND_MASK, &OR_MASK, &DATA, &MEI, &READ_DEVICE, &OBJECT_ID, &NUM_OBJECTS, &OBJECT_LEN,
    &CONFORMITY, &MORE_FOLLOWS, &NEXT_OBJECT_ID, &OBJECT_STR, &OBJECT_VALUE, &BITNUM, &BITVAL, &REGNUM16, &REGVAL_UINT16,
];

/// Query or response, as Modbus/TCP tells them apart by port.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Query,
    Response,
    Unknown,
}

/// One Modbus PDU, as the carrier hands it over.
pub struct Pdu {
    pub kind: Kind,
    pub key: MessageKey,
}

/// The PDU in `l` (function code first). Returns nothing when it is empty, as Wireshark.
pub fn dissect(ctx: &mut Ctx, parent: u32, l: &Layer, pdu: &Pdu) -> DResult<()> {
    if l.len == 0 {
        return Ok(());
    }
    let top = ctx.add_protocol(parent, &MODBUS, l);
    let raw = l.u8(0);
    let function = raw & 0x7f;
    ctx.add_uint(top, &FUNC_CODE, l, 0, 1, function as u64);
    let answer = match_pdu(ctx, l, pdu, function);
    let exception = if raw & 0x80 != 0 { l.u8(1) } else { 0 };
    if raw & 0x80 != 0 {
        l.need(2)?;
    }
    if exception != 0 {
        if ctx.tree.enabled() {
            let f = FUNC_CODE.value_name(function as u64).unwrap_or("Unknown Function");
            let e = EXCEPTION_CODE.value_name(exception as u64).map_or_else(|| format!("Unknown Exception Code ({})", exception), str::to_string);
            crate::set_label!(ctx.tree, top, "Function {}:  {}.  Exception: {}", function, f, e);
        }
        ctx.add_uint(top, &EXCEPTION_CODE, l, 1, 1, exception as u64);
        return Ok(());
    }
    let m = Msg { top, l: *l, function, start: 1, len: l.len - 1, answer };
    match pdu.kind {
        Kind::Query => request(ctx, &m),
        Kind::Response => response(ctx, &m),
        Kind::Unknown => Ok(()),
    }
}

/// First pass: remembers a query or matches a response with one; revisit: the stored answer.
fn match_pdu(ctx: &mut Ctx, l: &Layer, pdu: &Pdu, function: u8) -> Answer {
    let stream = match ctx.tcp_stream {
        Some(s) => s,
        None => return Answer::default(),
    };
    let frame = ctx.meta.number;
    if ctx.revisit {
        return ctx.state.modbus.stored(frame, pdu.key);
    }
    match pdu.kind {
        Kind::Query => {
            let base = if l.len >= 3 { l.u16(1) } else { 0 };
            let num = if l.len >= 5 { l.u16(3) } else { 0 };
            ctx.state.modbus.query(stream, frame, ctx.meta.ts_ns, pdu.key, function, base, num)
        }
        Kind::Response => ctx.state.modbus.response(stream, frame, pdu.key, function),
        Kind::Unknown => Answer::default(),
    }
}

/// What the function dissectors work on: the PDU, its Modbus item, where the payload after
/// the function code starts and how long it is, and the matched query.
pub(crate) struct Msg<'a> {
    pub top: u32,
    pub l: Layer<'a>,
    pub function: u8,
    pub start: usize,
    pub len: usize,
    pub answer: Answer,
}

impl Msg<'_> {
    pub fn u8(&self, ctx: &mut Ctx, f: &'static FieldDef, at: usize) -> DResult<u8> {
        self.l.need(at + 1)?;
        let v = self.l.u8(at);
        ctx.add_uint(self.top, f, &self.l, at, 1, v as u64);
        Ok(v)
    }
    pub fn u16(&self, ctx: &mut Ctx, f: &'static FieldDef, at: usize) -> DResult<u16> {
        self.l.need(at + 2)?;
        let v = self.l.u16(at);
        ctx.add_uint(self.top, f, &self.l, at, 2, v as u64);
        Ok(v)
    }
    pub fn bytes(&self, ctx: &mut Ctx, parent: u32, f: &'static FieldDef, at: usize, len: usize) -> DResult<()> {
        self.l.need(at + len)?;
        ctx.add(parent, f, &self.l, at, len, Value::Bytes);
        Ok(())
    }
}

/// Wireshark's `dissect_modbus_request`.
fn request(ctx: &mut Ctx, m: &Msg) -> DResult<()> {
    let s = m.start;
    match m.function {
        READ_COILS | READ_DISCRETE_INPUTS => {
            m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &BIT_CNT, s + 2)?;
        }
        READ_HOLDING_REGS | READ_INPUT_REGS => {
            m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &WORD_CNT, s + 2)?;
        }
        WRITE_SINGLE_COIL => {
            m.u16(ctx, &REFERENCE, s)?;
            data(ctx, m, m.top, s + 2, 1, 0, 0)?;
            m.u8(ctx, &PADDING, s + 3)?;
        }
        WRITE_SINGLE_REG => {
            m.u16(ctx, &REFERENCE, s)?;
            data(ctx, m, m.top, s + 2, 2, 0, 0)?;
        }
        READ_EXCEPT_STAT => {}
        DIAGNOSTICS => {
            let code = m.u16(ctx, &DIAG_CODE, s)?;
            match code {
                0 if m.len > 2 => m.bytes(ctx, m.top, &DIAG_QUERY_REQUEST, s + 2, m.len - 2)?,
                0 => {}
                1 => drop(m.u16(ctx, &DIAG_RESTART, s + 2)?),
                3 => drop(m.u8(ctx, &DIAG_DELIMITER, s + 2)?),
                _ if m.len > 2 => data(ctx, m, m.top, s + 2, m.len - 2, 0, 0)?,
                _ => {}
            }
        }
        WRITE_MULT_COILS => {
            m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &BIT_CNT, s + 2)?;
            let n = m.u8(ctx, &BYTE_CNT, s + 4)?;
            data(ctx, m, m.top, s + 5, n as usize, 0, 0)?;
        }
        WRITE_MULT_REGS => {
            let base = m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &WORD_CNT, s + 2)?;
            let n = m.u8(ctx, &BYTE_CNT, s + 4)?;
            data(ctx, m, m.top, s + 5, n as usize, base, 0)?;
        }
        READ_FILE_RECORD => {
            let n = m.u8(ctx, &BYTE_CNT, s)? as usize;
            for i in 0..n / 7 {
                let at = s + 1 + 7 * i;
                let g = group(ctx, m, at, 7, i)?;
                add_u8(ctx, m, g, &REFERENCE_TYPE, at)?;
                add_u32(ctx, m, g, &REFERENCE_32, at + 1)?;
                add_u16(ctx, m, g, &WORD_CNT, at + 5)?;
            }
        }
        WRITE_FILE_RECORD => file_records_written(ctx, m)?,
        MASK_WRITE_REG => {
            m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &AND_MASK, s + 2)?;
            m.u16(ctx, &OR_MASK, s + 4)?;
        }
        READ_WRITE_REG => {
            m.u16(ctx, &READ_REFERENCE, s)?;
            m.u16(ctx, &READ_WORD_CNT, s + 2)?;
            m.u16(ctx, &WRITE_REFERENCE, s + 4)?;
            m.u16(ctx, &WRITE_WORD_CNT, s + 6)?;
            let n = m.u8(ctx, &BYTE_CNT, s + 8)?;
            data(ctx, m, m.top, s + 9, n as usize, 0, 0)?;
        }
        READ_FIFO_QUEUE => drop(m.u16(ctx, &REFERENCE, s)?),
        ENCAP_INTERFACE_TRANSP => {
            let mei = m.u8(ctx, &MEI, s)?;
            if mei == READ_DEVICE_ID {
                m.u8(ctx, &READ_DEVICE, s + 1)?;
                m.u8(ctx, &OBJECT_ID, s + 2)?;
            } else if m.len > 1 {
                data(ctx, m, m.top, s, m.len - 1, 0, 0)?;
            }
        }
        _ if m.len > 0 => data(ctx, m, m.top, s, m.len, 0, 0)?,
        _ => {}
    }
    Ok(())
}

/// Wireshark's `dissect_modbus_response`.
fn response(ctx: &mut Ctx, m: &Msg) -> DResult<()> {
    let s = m.start;
    let a = m.answer;
    if let Some((frame, ts)) = a.request {
        ctx.tree.add_generated(m.top, &REQUEST_FRAME, Value::Uint(frame as u64));
        ctx.tree.add_generated(m.top, &RESPONSE_TIME, Value::Time(ctx.meta.ts_ns - ts));
    }
    match m.function {
        READ_COILS | READ_DISCRETE_INPUTS => {
            let n = m.u8(ctx, &BYTE_CNT, s)? as usize;
            // Without the query, as many coils as the bytes hold.
            let count = if a.request.is_some() { a.num_reg } else { (n * 8) as u16 };
            data(ctx, m, m.top, s + 1, n, a.reg_base, count)?;
        }
        READ_HOLDING_REGS | READ_INPUT_REGS | READ_WRITE_REG => {
            let n = m.u8(ctx, &BYTE_CNT, s)?;
            data(ctx, m, m.top, s + 1, n as usize, a.reg_base, 0)?;
        }
        WRITE_SINGLE_COIL => {
            m.u16(ctx, &REFERENCE, s)?;
            data(ctx, m, m.top, s + 2, 1, a.reg_base, 0)?;
            m.u8(ctx, &PADDING, s + 3)?;
        }
        WRITE_SINGLE_REG => {
            m.u16(ctx, &REFERENCE, s)?;
            data(ctx, m, m.top, s + 2, 2, a.reg_base, 0)?;
        }
        READ_EXCEPT_STAT => data(ctx, m, m.top, s, 1, a.reg_base, 0)?,
        DIAGNOSTICS => {
            let code = m.u16(ctx, &DIAG_CODE, s)?;
            let counter: Option<&'static FieldDef> = match code {
                1 => Some(&DIAG_RESTART),
                2 => Some(&DIAG_REGISTER),
                10 => Some(&DIAG_CLEAR),
                11 => Some(&DIAG_BUS_MESSAGES),
                12 => Some(&DIAG_CRC_ERRORS),
                13 => Some(&DIAG_EXCEPTION_ERRORS),
                14 => Some(&DIAG_SLAVE_MESSAGES),
                15 => Some(&DIAG_NO_RESPONSE),
                16 => Some(&DIAG_NAK),
                17 => Some(&DIAG_BUSY),
                18 => Some(&DIAG_OVERRUN),
                _ => None,
            };
            match (code, counter) {
                (0, _) if m.len > 2 => m.bytes(ctx, m.top, &DIAG_QUERY_ECHO, s + 2, m.len - 2)?,
                (0, _) => {}
                (3, _) => drop(m.u8(ctx, &DIAG_DELIMITER, s + 2)?),
                (_, Some(f)) => drop(m.u16(ctx, f, s + 2)?),
                _ if m.len > 2 => data(ctx, m, m.top, s + 2, m.len - 2, a.reg_base, 0)?,
                _ => {}
            }
        }
        GET_COMM_EVENT_CTRS => {
            m.u16(ctx, &STATUS, s)?;
            m.u16(ctx, &EVENT_COUNT, s + 2)?;
        }
        GET_COMM_EVENT_LOG => event_log(ctx, m)?,
        WRITE_MULT_COILS => {
            m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &BIT_CNT, s + 2)?;
        }
        WRITE_MULT_REGS => {
            m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &WORD_CNT, s + 2)?;
        }
        READ_FILE_RECORD => {
            let mut left = m.u8(ctx, &BYTE_CNT, s)? as i32;
            let (mut at, mut i) = (s + 1, 0);
            while left > 0 {
                m.l.need(at + 1)?;
                let n = m.l.u8(at) as usize;
                let g = group(ctx, m, at, n + 1, i)?;
                add_u8(ctx, m, g, &BYTE_CNT, at)?;
                add_u8(ctx, m, g, &REFERENCE_TYPE, at + 1)?;
                data(ctx, m, g, at + 2, n.saturating_sub(1), a.reg_base, 0)?;
                at += n + 1;
                left -= n as i32 + 1;
                i += 1;
            }
        }
        WRITE_FILE_RECORD => file_records_written(ctx, m)?,
        MASK_WRITE_REG => {
            m.u16(ctx, &REFERENCE, s)?;
            m.u16(ctx, &AND_MASK, s + 2)?;
            m.u16(ctx, &OR_MASK, s + 4)?;
        }
        READ_FIFO_QUEUE => {
            m.l.need(s + 2)?;
            let n = m.l.u16(s) as usize;
            ctx.add_uint(m.top, &BYTE_CNT_16, &m.l, s, 2, n as u64);
            m.u16(ctx, &WORD_CNT, s + 2)?;
            data(ctx, m, m.top, s + 4, n.saturating_sub(2), a.reg_base, 0)?;
        }
        ENCAP_INTERFACE_TRANSP => {
            let mei = m.u8(ctx, &MEI, s)?;
            if mei == READ_DEVICE_ID {
                device_identification(ctx, m)?;
            } else if m.len > 1 {
                data(ctx, m, m.top, s, m.len - 1, a.reg_base, 0)?;
            }
        }
        _ if m.len > 0 => data(ctx, m, m.top, s, m.len, a.reg_base, 0)?,
        _ => {}
    }
    Ok(())
}

