//! The data-carrying parts of a Modbus PDU (part of `modbus`): coils as bits and registers as
//! UINT16 (Wireshark's `dissect_modbus_data`), file record groups, the event log and device
//! identification objects.

use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, DissectError};
use crate::proto::frame::TEXT;
use crate::proto::modbus::{
    Msg, BITNUM, BITVAL, BYTE_CNT, CONFORMITY, DATA, EVENT, EVENT_COUNT, MESSAGE_COUNT, MORE_FOLLOWS, NEXT_OBJECT_ID, NUM_OBJECTS,
    OBJECT_ID, OBJECT_LEN, OBJECT_STR, OBJECT_VALUE, READ_COILS, READ_DEVICE, READ_DISCRETE_INPUTS, READ_HOLDING_REGS, READ_INPUT_REGS,
    REFERENCE_32, REFERENCE_TYPE, REGNUM16, REGVAL_UINT16, STATUS, WORD_CNT, WRITE_MULT_REGS,
};
use crate::tree::Value;

pub(crate) fn add_u8(ctx: &mut Ctx, m: &Msg, parent: u32, f: &'static FieldDef, at: usize) -> DResult<()> {
    m.l.need(at + 1)?;
    ctx.add_uint(parent, f, &m.l, at, 1, m.l.u8(at) as u64);
    Ok(())
}

pub(crate) fn add_u16(ctx: &mut Ctx, m: &Msg, parent: u32, f: &'static FieldDef, at: usize) -> DResult<()> {
    m.l.need(at + 2)?;
    ctx.add_uint(parent, f, &m.l, at, 2, m.l.u16(at) as u64);
    Ok(())
}

pub(crate) fn add_u32(ctx: &mut Ctx, m: &Msg, parent: u32, f: &'static FieldDef, at: usize) -> DResult<()> {
    m.l.need(at + 4)?;
    ctx.add_uint(parent, f, &m.l, at, 4, m.l.u32(at) as u64);
    Ok(())
}

/// A `Group N` subtree of a file record message.
pub(crate) fn group(ctx: &mut Ctx, m: &Msg, at: usize, len: usize, i: usize) -> DResult<u32> {
    let g = ctx.add(m.top, &TEXT, &m.l, at, len, Value::None);
    crate::set_label!(ctx.tree, g, "Group {}", i);
    Ok(g)
}

/// Write File Record: the request and its echo.
pub(crate) fn file_records_written(ctx: &mut Ctx, m: &Msg) -> DResult<()> {
    let mut left = m.u8(ctx, &BYTE_CNT, m.start)? as i64;
    let (mut at, mut i) = (m.start + 1, 0);
    while left > 0 {
        m.l.need(at + 7)?;
        let words = m.l.u16(at + 5) as usize;
        let n = 2 * words + 7;
        let g = group(ctx, m, at, n, i)?;
        add_u8(ctx, m, g, &REFERENCE_TYPE, at)?;
        add_u32(ctx, m, g, &REFERENCE_32, at + 1)?;
        add_u16(ctx, m, g, &WORD_CNT, at + 5)?;
        data(ctx, m, g, at + 7, n - 7, m.answer.reg_base, 0)?;
        at += n;
        left -= n as i64;
        i += 1;
    }
    Ok(())
}

/// Get Comm. Event Log response: counters, then one item per event byte.
pub(crate) fn event_log(ctx: &mut Ctx, m: &Msg) -> DResult<()> {
    let s = m.start;
    let n = m.u8(ctx, &BYTE_CNT, s)? as usize;
    m.u16(ctx, &STATUS, s + 1)?;
    m.u16(ctx, &EVENT_COUNT, s + 3)?;
    m.u16(ctx, &MESSAGE_COUNT, s + 5)?;
    if n <= 6 {
        return Ok(());
    }
    let events = ctx.add(m.top, &TEXT, &m.l, s + 7, n - 6, Value::None);
    crate::set_label!(ctx.tree, events, "Events");
    for at in s + 7..s + 1 + n {
        m.l.need(at + 1)?;
        let code = m.l.u8(at);
        let e = ctx.add_uint(events, &EVENT, &m.l, at, 1, code as u64);
        let label = match code {
            0 => "Initiated Communication Restart".to_string(),
            4 => "Entered Listen Only Mode".to_string(),
            c if c & 0x80 != 0 => format!("Receive Event: 0x{:02X}", c),
            c if c & 0xc0 == 0x40 => format!("Send Event: 0x{:02X}", c),
            _ => "Unknown Event".to_string(),
        };
        ctx.tree.set_label(e, label);
        let bits: &[&'static FieldDef] = match code {
            0 | 4 => &[],
            c if c & 0x80 != 0 => RECV_EVENT_BITS,
            c if c & 0xc0 == 0x40 => SEND_EVENT_BITS,
            _ => &[],
        };
        for f in bits {
            ctx.add_uint(e, f, &m.l, at, 1, ((code as u64) & f.bitmask) >> f.bitmask.trailing_zeros());
        }
    }
    Ok(())
}

pub static EV_RECV_COMM_ERR: FieldDef = FieldDef::new("Communication Error", "modbus.ev_recv_comm_err", FieldType::Uint8).bits(8, 0x02);
pub static EV_RECV_CHAR_OVER: FieldDef = FieldDef::new("Character Overrun", "modbus.ev_recv_char_over", FieldType::Uint8).bits(8, 0x10);
pub static EV_RECV_LO_MODE: FieldDef = FieldDef::new("Currently in Listen Only Mode", "modbus.ev_recv_lo_mode", FieldType::Uint8).bits(8, 0x20);
pub static EV_RECV_BROADCAST: FieldDef = FieldDef::new("Broadcast Received", "modbus.ev_recv_broadcast", FieldType::Uint8).bits(8, 0x40);
pub static EV_SEND_READ_EX: FieldDef = FieldDef::new("Read Exception Sent", "modbus.ev_send_read_ex", FieldType::Uint8).bits(8, 0x01);
pub static EV_SEND_ABORT_EX: FieldDef =
    FieldDef::new("Slave Abort Exception Sent", "modbus.ev_send_slave_abort_ex", FieldType::Uint8).bits(8, 0x02);
pub static EV_SEND_BUSY_EX: FieldDef = FieldDef::new("Slave Busy Exception Sent", "modbus.ev_send_slave_busy_ex", FieldType::Uint8).bits(8, 0x04);
pub static EV_SEND_NAK_EX: FieldDef =
    FieldDef::new("Slave Program NAK Exception Sent", "modbus.ev_send_slave_nak_ex", FieldType::Uint8).bits(8, 0x08);
pub static EV_SEND_TIMEOUT: FieldDef =
    FieldDef::new("Write Timeout Error Occurred", "modbus.ev_send_write_timeout", FieldType::Uint8).bits(8, 0x10);
pub static EV_SEND_LO_MODE: FieldDef = FieldDef::new("Currently in Listen Only Mode", "modbus.ev_send_lo_mode", FieldType::Uint8).bits(8, 0x20);

static RECV_EVENT_BITS: &[&FieldDef] = &[&EV_RECV_COMM_ERR, &EV_RECV_CHAR_OVER, &EV_RECV_LO_MODE, &EV_RECV_BROADCAST];
static SEND_EVENT_BITS: &[&FieldDef] = &[&EV_SEND_READ_EX, &EV_SEND_ABORT_EX, &EV_SEND_BUSY_EX, &EV_SEND_NAK_EX, &EV_SEND_TIMEOUT, &EV_SEND_LO_MODE];

pub static EVENT_FIELDS: &[&FieldDef] = &[
    &EV_RECV_COMM_ERR, &EV_RECV_CHAR_OVER, &EV_RECV_LO_MODE, &EV_RECV_BROADCAST, &EV_SEND_READ_EX, &EV_SEND_ABORT_EX, &EV_SEND_BUSY_EX,
    &EV_SEND_NAK_EX, &EV_SEND_TIMEOUT, &EV_SEND_LO_MODE,
];

/// Read Device Identification response: the header, then each object.
pub(crate) fn device_identification(ctx: &mut Ctx, m: &Msg) -> DResult<()> {
    let s = m.start;
    m.u8(ctx, &READ_DEVICE, s + 1)?;
    m.u8(ctx, &CONFORMITY, s + 2)?;
    m.u8(ctx, &MORE_FOLLOWS, s + 3)?;
    m.u8(ctx, &NEXT_OBJECT_ID, s + 4)?;
    let count = m.u8(ctx, &NUM_OBJECTS, s + 5)?;
    let objects = ctx.add(m.top, &TEXT, &m.l, s + 6, m.len.saturating_sub(6), Value::None);
    crate::set_label!(ctx.tree, objects, "Objects");
    let mut at = s + 6;
    for i in 0..count {
        m.l.need(at + 2)?;
        let (kind, len) = (m.l.u8(at), m.l.u8(at + 1) as usize);
        let o = ctx.add(objects, &TEXT, &m.l, at, 2 + len, Value::None);
        crate::set_label!(ctx.tree, o, "Object #{}", i as u32 + 1);
        ctx.add_uint(o, &OBJECT_ID, &m.l, at, 1, kind as u64);
        ctx.add_uint(o, &OBJECT_LEN, &m.l, at + 1, 1, len as u64);
        m.l.need(at + 2 + len)?;
        if kind < 7 {
            ctx.add(o, &OBJECT_STR, &m.l, at + 2, len, Value::Str(crate::text::lossy(m.l.slice(at + 2, len))));
        } else if len > 0 {
            ctx.add(o, &OBJECT_VALUE, &m.l, at + 2, len, Value::Bytes);
        }
        at += 2 + len;
    }
    Ok(())
}

/// Wireshark's `dissect_modbus_data`: coils as bits, registers as UINT16, anything else as
/// Data. A length that disagrees with what the PDU holds shows the rest as Data.
pub(crate) fn data(ctx: &mut Ctx, m: &Msg, parent: u32, start: usize, len: usize, reg_base: u16, num_reg: u16) -> DResult<()> {
    let remaining = m.l.reported.saturating_sub(start);
    if start + len == 0 {
        return Ok(());
    }
    if len != remaining {
        return m.bytes(ctx, parent, &DATA, start, remaining);
    }
    m.l.need(start + len)?;
    let mut reg = reg_base;
    match m.function {
        READ_COILS | READ_DISCRETE_INPUTS => {
            for at in start..start + len {
                let byte = m.l.u8(at);
                for bit in 0..8 {
                    let on = byte & (1 << bit) != 0;
                    let b = ctx.add(parent, &TEXT, &m.l, at, 1, Value::None);
                    crate::set_label!(ctx.tree, b, "Bit {} : {}", reg, on as u8);
                    let n = ctx.add_uint(b, &BITNUM, &m.l, at, 1, reg as u64);
                    if let Some(node) = ctx.tree.node_mut(n) {
                        node.generated = true;
                    }
                    ctx.add(b, &BITVAL, &m.l, at, 1, Value::Bool(on));
                    reg = reg.wrapping_add(1);
                    if reg as i32 - reg_base as i32 >= num_reg as i32 {
                        break;
                    }
                }
            }
        }
        READ_HOLDING_REGS | READ_INPUT_REGS | WRITE_MULT_REGS => {
            let mut at = start;
            while at < start + len {
                // An odd byte count leaves half a register: past the data, as Wireshark finds.
                if at + 2 > start + len {
                    return Err(DissectError::Malformed { layer: "Modbus", offset: at, reason: "half a register" });
                }
                let v = m.l.u16(at);
                let r = ctx.add(parent, &TEXT, &m.l, at, 2, Value::None);
                crate::set_label!(ctx.tree, r, "Register {} (UINT16): {}", reg, v);
                ctx.add_uint(r, &REGNUM16, &m.l, at, 2, reg as u64);
                ctx.add_uint(r, &REGVAL_UINT16, &m.l, at, 2, v as u64);
                at += 2;
                reg = reg.wrapping_add(1);
            }
        }
        _ => {
            ctx.add(parent, &DATA, &m.l, start, len, Value::Bytes);
        }
    }
    Ok(())
}
