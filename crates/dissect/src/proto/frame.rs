//! `frame`: the root of every dissection (capture metadata), and the one place where an
//! error from any layer becomes a `_ws.malformed` / `_ws.short` item instead of a failure.

use crate::dispatch::{self, Table};
use crate::field::{Base, FieldDef, FieldType};
use crate::packet::{Ctx, DissectError, Layer};
use crate::tree::{Group, Severity, Value, NO_NODE};

pub static FRAME: FieldDef = FieldDef::protocol("Frame", "frame");
pub static ENCAP: FieldDef = FieldDef::new("Encapsulation type", "frame.encap_type", FieldType::Int32).strings(&[
    (1, "Ethernet"),
    (7, "Raw IP"),
    (15, "NULL/Loopback"),
    (25, "Linux cooked-mode capture v1"),
    (129, "Raw IPv4"),
    (130, "Raw IPv6"),
    (210, "Linux cooked-mode capture v2"),
]);
pub static TIME: FieldDef = FieldDef::new("Arrival Time", "frame.time", FieldType::AbsTime);
pub static TIME_EPOCH: FieldDef = FieldDef::new("Epoch Time", "frame.time_epoch", FieldType::AbsTime).base(Base::TimeUnix);
pub static SECTION_NUMBER: FieldDef = FieldDef::new("Section number", "frame.section_number", FieldType::Uint32);
pub static INTERFACE_NAME: FieldDef = FieldDef::new("Interface name", "frame.interface_name", FieldType::String);
pub static INTERFACE_DESCRIPTION: FieldDef =
    FieldDef::new("Interface description", "frame.interface_description", FieldType::String);
pub static OFFSET_SHIFT: FieldDef = FieldDef::new("Time shift for this packet", "frame.offset_shift", FieldType::RelTime);
pub static TIME_DELTA_DISPLAYED: FieldDef =
    FieldDef::new("Time delta from previous displayed frame", "frame.time_delta_displayed", FieldType::RelTime);
/// Wireshark's text-only items (no filterable value), e.g. the lines of a text body.
pub static TEXT: FieldDef = FieldDef::new("Text item", "text", FieldType::None);
pub static MARKED: FieldDef = FieldDef::new("Frame is marked", "frame.marked", FieldType::Bool);
pub static IGNORED: FieldDef = FieldDef::new("Frame is ignored", "frame.ignored", FieldType::Bool);
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

pub static MALFORMED_EXPERT: FieldDef = FieldDef::new("Malformed Packet (Exception occurred)", "_ws.malformed.expert", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &FRAME, &SECTION_NUMBER, &INTERFACE_ID, &INTERFACE_NAME, &INTERFACE_DESCRIPTION, &ENCAP, &TIME, &OFFSET_SHIFT,
    &TIME_EPOCH, &TIME_DELTA, &TIME_DELTA_DISPLAYED, &TIME_RELATIVE, &NUMBER, &LEN, &CAP_LEN, &MARKED, &IGNORED,
    &PROTOCOLS, &MALFORMED, &SHORT, &TEXT, &MALFORMED_EXPERT,
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
    pub prev_displayed_ns: i64,
    /// The number shown for the frame when it differs from `FrameMeta::number` (tshark -2 -R
    /// renumbers the frames it keeps); 0 otherwise.
    pub shown_number: u32,
}

/// The pcapng interface a frame arrived on (pcap files have none).
#[derive(Clone, Copy)]
pub struct InterfaceRef<'a> {
    /// 0-based section index.
    pub section: u32,
    /// Index within the section, as tshark numbers `frame.interface_id`.
    pub local_id: u32,
    pub name: &'a str,
    pub description: &'a str,
}

/// Dissects a whole frame. Never fails: a layer's error is recorded in the tree and columns.
pub fn dissect(ctx: &mut Ctx, times: FrameTimes, iface: Option<InterfaceRef>) {
    let m = ctx.meta;
    let all = Layer::new(ctx.data, 0, m.origlen.max(m.caplen) as usize, "frame");
    ctx.protocols.push("frame");
    let top = ctx.tree.add(NO_NODE, &FRAME, 0, ctx.data.len(), Value::None);
    if ctx.tree.wants_protocol(&["frame"]) {
        add_metadata(ctx, top, times, iface);
    }
    let result = dispatch::call_or_data(ctx, Table::LinkType, m.linktype, NO_NODE, all);
    if let Err(e) = result {
        record_error(ctx, &e);
    }
    if ctx.tree.wants_protocol(&["frame"]) {
        let protos = ctx.protocols[1..].join(":");
        generated(ctx, top, &PROTOCOLS, Value::Str(protos));
    }
}

fn generated(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, v: Value) -> u32 {
    let n = ctx.tree.add(parent, f, 0, 0, v);
    if let Some(node) = ctx.tree.node_mut(n) {
        node.generated = true;
    }
    n
}

/// The capture metadata items of the frame tree, in tshark's order.
fn add_metadata(ctx: &mut Ctx, top: u32, times: FrameTimes, iface: Option<InterfaceRef>) {
    let m = ctx.meta;
    let number = if times.shown_number != 0 { times.shown_number } else { m.number };
    // Only a tree that shows labels reads this one (filters and statistics do not).
    let mut label = String::new();
    if ctx.tree.labels() {
        label = format!(
            "Frame {}: {} bytes on wire ({} bits), {} bytes captured ({} bits)",
            number,
            m.origlen,
            m.origlen as u64 * 8,
            m.caplen,
            m.caplen as u64 * 8
        );
    }
    if let Some(i) = iface {
        let name = if i.name.is_empty() { "unknown" } else { i.name };
        if ctx.tree.labels() {
            label.push_str(&format!(" on interface {}, id {}", name, i.local_id));
        }
        ctx.tree.add(top, &SECTION_NUMBER, 0, 0, Value::Uint(i.section as u64 + 1));
        let id = ctx.tree.add(top, &INTERFACE_ID, 0, 0, Value::Uint(i.local_id as u64));
        crate::append_label!(ctx.tree, id, " ({})", name);
        ctx.tree.add(id, &INTERFACE_NAME, 0, 0, Value::Str(name.to_string()));
        if !i.description.is_empty() {
            ctx.tree.add(id, &INTERFACE_DESCRIPTION, 0, 0, Value::Str(i.description.to_string()));
        }
    }
    ctx.tree.set_label(top, label);
    ctx.tree.add(top, &ENCAP, 0, 0, Value::Int(wtap_encap(m.linktype)));
    ctx.tree.add(top, &TIME, 0, 0, Value::Time(m.ts_ns));
    generated(ctx, top, &OFFSET_SHIFT, Value::Time(0));
    ctx.tree.add(top, &TIME_EPOCH, 0, 0, Value::Time(m.ts_ns));
    generated(ctx, top, &TIME_DELTA, Value::Time(m.ts_ns - times.prev_ns));
    generated(ctx, top, &TIME_DELTA_DISPLAYED, Value::Time(m.ts_ns - times.prev_displayed_ns));
    generated(ctx, top, &TIME_RELATIVE, Value::Time(m.ts_ns - times.first_ns));
    ctx.tree.add(top, &NUMBER, 0, 0, Value::Uint(number as u64));
    let l = ctx.tree.add(top, &LEN, 0, 0, Value::Uint(m.origlen as u64));
    crate::append_label!(ctx.tree, l, " bytes ({} bits)", m.origlen as u64 * 8);
    let c = ctx.tree.add(top, &CAP_LEN, 0, 0, Value::Uint(m.caplen as u64));
    crate::append_label!(ctx.tree, c, " bytes ({} bits)", m.caplen as u64 * 8);
    generated(ctx, top, &MARKED, Value::Bool(false));
    generated(ctx, top, &IGNORED, Value::Bool(false));
}

/// Marks the frame the way Wireshark does when a dissector throws.
fn record_error(ctx: &mut Ctx, e: &DissectError) {
    match e {
        DissectError::Truncated { layer, offset, .. } => {
            ctx.cols.info.push_str("[Packet size limited during capture]");
            let n = ctx.tree.add(NO_NODE, &SHORT, *offset, 0, Value::None);
            crate::set_label!(ctx.tree, n, "[Packet size limited during capture: {} truncated]", layer);
        }
        DissectError::Malformed { layer, offset, reason } => {
            ctx.cols.info.push_str("[Malformed Packet]");
            ctx.protocols.push("_ws.malformed");
            let n = ctx.tree.add(NO_NODE, &MALFORMED, *offset, 0, Value::None);
            crate::set_label!(ctx.tree, n, "[Malformed Packet: {}]", layer);
            crate::expert::attach(&mut ctx.tree, n, &MALFORMED_EXPERT, Severity::Error, Group::Malformed, &format!("Malformed Packet ({})", reason));
        }
    }
}
