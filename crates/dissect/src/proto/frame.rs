//! `frame`: the root of every dissection (capture metadata), and the one place where an
//! error from any layer becomes a `_ws.malformed` / `_ws.short` item instead of a failure.

use crate::dispatch::{self, Table};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DissectError, Layer};
use crate::tree::{Group, Severity, Value, NO_NODE};

pub static FRAME: FieldDef = FieldDef::protocol("Frame", "frame");
pub static ENCAP: FieldDef = FieldDef::new("Encapsulation type", "frame.encap_type", FieldType::Int32);
pub static TIME: FieldDef = FieldDef::new("Arrival Time", "frame.time", FieldType::AbsTime);
pub static TIME_EPOCH: FieldDef = FieldDef::new("Epoch Time", "frame.time_epoch", FieldType::AbsTime);
pub static TIME_DELTA: FieldDef =
    FieldDef::new("Time delta from previous captured frame", "frame.time_delta", FieldType::RelTime);
pub static TIME_RELATIVE: FieldDef =
    FieldDef::new("Time since reference or first frame", "frame.time_relative", FieldType::RelTime);
pub static NUMBER: FieldDef = FieldDef::new("Frame Number", "frame.number", FieldType::Uint32);
pub static LEN: FieldDef = FieldDef::new("Frame Length", "frame.len", FieldType::Uint32);
pub static CAP_LEN: FieldDef = FieldDef::new("Capture Length", "frame.cap_len", FieldType::Uint32);
pub static INTERFACE_ID: FieldDef = FieldDef::new("Interface id", "frame.interface_id", FieldType::Uint32);
pub static PROTOCOLS: FieldDef = FieldDef::new("Protocols in frame", "frame.protocols", FieldType::String);
pub static MALFORMED: FieldDef = FieldDef::protocol("Malformed Packet", "_ws.malformed");
pub static SHORT: FieldDef = FieldDef::protocol("Packet size limited during capture", "_ws.short");

pub static FIELDS: &[&FieldDef] = &[
    &FRAME, &ENCAP, &TIME, &TIME_EPOCH, &TIME_DELTA, &TIME_RELATIVE, &NUMBER, &LEN, &CAP_LEN, &INTERFACE_ID,
    &PROTOCOLS, &MALFORMED, &SHORT,
];

/// Wireshark's WTAP_ENCAP number for a pcap link type (for `frame.encap_type`).
fn wtap_encap(linktype: u32) -> i64 {
    match linktype {
        1 => 1,    // Ethernet
        0 => 15,   // NULL
        101 => 7,  // raw IP
        113 => 25, // SLL
        276 => 210, // SLL2
        228 => 129, // raw IPv4
        229 => 130, // raw IPv6
        _ => -1,
    }
}

/// Times the session knows about neighbouring frames.
#[derive(Clone, Copy, Default)]
pub struct FrameTimes {
    pub first_ns: i64,
    pub prev_ns: i64,
}

/// Dissects a whole frame. Never fails: a layer's error is recorded in the tree and columns.
pub fn dissect(ctx: &mut Ctx, times: FrameTimes) {
    let m = ctx.meta;
    let all = Layer::new(ctx.data, 0, m.origlen.max(m.caplen) as usize, "frame");
    ctx.protocols.push("frame");
    let top = ctx.tree.add(NO_NODE, &FRAME, 0, ctx.data.len(), Value::None);
    if ctx.tree.enabled() {
        ctx.tree.set_label(
            top,
            format!(
                "Frame {}: {} bytes on wire ({} bits), {} bytes captured ({} bits)",
                m.number,
                m.origlen,
                m.origlen as u64 * 8,
                m.caplen,
                m.caplen as u64 * 8
            ),
        );
        ctx.tree.add(top, &ENCAP, 0, 0, Value::Int(wtap_encap(m.linktype)));
        ctx.tree.add(top, &TIME, 0, 0, Value::Time(m.ts_ns));
        ctx.tree.add(top, &TIME_EPOCH, 0, 0, Value::Time(m.ts_ns));
        ctx.tree.add(top, &TIME_DELTA, 0, 0, Value::Time(m.ts_ns - times.prev_ns));
        ctx.tree.add(top, &TIME_RELATIVE, 0, 0, Value::Time(m.ts_ns - times.first_ns));
        ctx.tree.add(top, &NUMBER, 0, 0, Value::Uint(m.number as u64));
        let l = ctx.tree.add(top, &LEN, 0, 0, Value::Uint(m.origlen as u64));
        ctx.tree.append_text(l, &format!(" bytes ({} bits)", m.origlen as u64 * 8));
        let c = ctx.tree.add(top, &CAP_LEN, 0, 0, Value::Uint(m.caplen as u64));
        ctx.tree.append_text(c, &format!(" bytes ({} bits)", m.caplen as u64 * 8));
    }
    let result = dispatch::call_or_data(ctx, Table::LinkType, m.linktype, NO_NODE, all);
    if let Err(e) = result {
        record_error(ctx, &e);
    }
    if ctx.tree.enabled() {
        let protos = ctx.protocols[1..].join(":");
        let p = ctx.tree.add(top, &PROTOCOLS, 0, 0, Value::Str(protos));
        if let Some(n) = ctx.tree.node_mut(p) {
            n.generated = true;
        }
    }
}

/// Marks the frame the way Wireshark does when a dissector throws.
fn record_error(ctx: &mut Ctx, e: &DissectError) {
    match e {
        DissectError::Truncated { layer, offset, .. } => {
            ctx.cols.info.push_str("[Packet size limited during capture]");
            let n = ctx.tree.add(NO_NODE, &SHORT, *offset, 0, Value::None);
            ctx.tree.set_label(n, format!("[Packet size limited during capture: {} truncated]", layer));
        }
        DissectError::Malformed { layer, offset, reason } => {
            ctx.cols.info.push_str("[Malformed Packet]");
            ctx.protocols.push("_ws.malformed");
            let n = ctx.tree.add(NO_NODE, &MALFORMED, *offset, 0, Value::None);
            ctx.tree.set_label(n, format!("[Malformed Packet: {}]", layer));
            ctx.tree.set_expert(n, Severity::Error, Group::Malformed, &format!("Malformed Packet ({})", reason));
        }
    }
}
