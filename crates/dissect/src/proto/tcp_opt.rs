//! `tcp` options: the tree items and Info tokens in wire order (`MSS=`, `WS=`, `SACK_PERM`,
//! `TSval=`, `SLE=`/`SRE=`, `TFO=`), and the facts the analysis needs before the tree is built
//! (window-scale shift, SACK blocks).

use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, Layer};
use crate::tree::Value;
use std::fmt::Write;

pub const OPTIONS_OFFSET: usize = 20;

pub static OPTIONS: FieldDef = FieldDef::new("TCP Options", "tcp.options", FieldType::Bytes);
pub static OPTION_KIND: FieldDef = FieldDef::new("Kind", "tcp.option_kind", FieldType::Uint8).strings(OPTION_KINDS);
pub static OPTION_LEN: FieldDef = FieldDef::new("Length", "tcp.option_len", FieldType::Uint8);
pub static OPT_NOP: FieldDef = FieldDef::protocol("TCP Option - No-Operation (NOP)", "tcp.options.nop");
pub static OPT_EOL: FieldDef = FieldDef::protocol("TCP Option - End of Option List (EOL)", "tcp.options.eol");
pub static OPT_MSS: FieldDef = FieldDef::new("TCP Option - Maximum segment size", "tcp.options.mss", FieldType::None);
pub static OPT_MSS_VAL: FieldDef = FieldDef::new("MSS Value", "tcp.options.mss_val", FieldType::Uint16);
pub static OPT_WSCALE: FieldDef = FieldDef::new("TCP Option - Window scale", "tcp.options.wscale", FieldType::None);
pub static OPT_WSCALE_SHIFT: FieldDef = FieldDef::new("Shift count", "tcp.options.wscale.shift", FieldType::Uint8);
pub static OPT_WSCALE_MULT: FieldDef = FieldDef::new("Multiplier", "tcp.options.wscale.multiplier", FieldType::Uint16);
pub static OPT_SACK_PERM: FieldDef = FieldDef::new("TCP Option - SACK permitted", "tcp.options.sack_perm", FieldType::None);
pub static OPT_SACK: FieldDef = FieldDef::new("TCP Option - SACK", "tcp.options.sack", FieldType::None);
pub static OPT_SACK_LE: FieldDef = FieldDef::new("TCP SACK Left Edge", "tcp.options.sack_le", FieldType::Uint32);
pub static OPT_SACK_RE: FieldDef = FieldDef::new("TCP SACK Right Edge", "tcp.options.sack_re", FieldType::Uint32);
pub static OPT_SACK_COUNT: FieldDef = FieldDef::new("TCP SACK Count", "tcp.options.sack.count", FieldType::Uint8);
pub static OPT_TIMESTAMP: FieldDef = FieldDef::new("TCP Option - Timestamps", "tcp.options.timestamp", FieldType::None);
pub static OPT_TSVAL: FieldDef = FieldDef::new("Timestamp value", "tcp.options.timestamp.tsval", FieldType::Uint32);
pub static OPT_TSECR: FieldDef = FieldDef::new("Timestamp echo reply", "tcp.options.timestamp.tsecr", FieldType::Uint32);
pub static OPT_TFO: FieldDef = FieldDef::new("TCP Option - TCP Fast Open", "tcp.options.tfo", FieldType::None);
pub static OPT_UNKNOWN: FieldDef = FieldDef::new("TCP Option - Unknown", "tcp.options.unknown", FieldType::Bytes);

static OPTION_KINDS: &[(u64, &str)] = &[
    (0, "End of Option List"),
    (1, "No-Operation"),
    (2, "Maximum Segment Size"),
    (3, "Window Scale"),
    (4, "SACK Permitted"),
    (5, "SACK"),
    (8, "Time Stamp Option"),
    (34, "TCP Fast Open Cookie"),
];

pub static FIELDS: &[&FieldDef] = &[
    &OPTIONS, &OPTION_KIND, &OPTION_LEN, &OPT_NOP, &OPT_EOL, &OPT_MSS, &OPT_MSS_VAL, &OPT_WSCALE, &OPT_WSCALE_SHIFT,
    &OPT_WSCALE_MULT, &OPT_SACK_PERM, &OPT_SACK, &OPT_SACK_LE, &OPT_SACK_RE, &OPT_SACK_COUNT, &OPT_TIMESTAMP, &OPT_TSVAL,
    &OPT_TSECR, &OPT_TFO, &OPT_UNKNOWN,
];

/// What the analysis reads from the options.
#[derive(Default)]
pub struct OptionFacts {
    pub ws_shift: Option<u8>,
    /// Raw SACK edges, the first three blocks.
    pub sack: [(u32, u32); 3],
    pub sack_count: usize,
}

/// The options as (kind, offset, length) in wire order, stopping where Wireshark stops (a
/// length that cannot be right). Bounded by the header length.
fn each_option(l: &Layer, hlen: usize, mut f: impl FnMut(u8, usize, usize)) {
    let end = hlen.min(l.len);
    let mut at = OPTIONS_OFFSET;
    while at < end {
        let kind = l.u8(at);
        let len = if kind <= 1 { 1 } else { l.u8(at + 1) as usize };
        if kind > 1 && (at + 1 >= end || len < 2 || at + len > hlen) {
            break;
        }
        // Wireshark 4.0 goes on past an EOL, showing each padding byte as another EOL.
        f(kind, at, len);
        at += len;
    }
}

pub fn scan(l: &Layer, hlen: usize) -> OptionFacts {
    let mut facts = OptionFacts::default();
    each_option(l, hlen, |kind, at, len| match (kind, len) {
        (3, 3) => facts.ws_shift = Some(l.u8(at + 2)),
        (5, _) => {
            facts.sack_count = 0;
            let mut b = at + 2;
            while b + 8 <= at + len && facts.sack_count < 3 {
                facts.sack[facts.sack_count] = (l.u32(b), l.u32(b + 4));
                facts.sack_count += 1;
                b += 8;
            }
        }
        _ => {}
    });
    facts
}

/// Tree items and Info tokens; SACK edges are shown relative to `peer_base`.
pub fn dissect(ctx: &mut Ctx, top: u32, l: &Layer, hlen: usize, peer_base: u32) {
    if hlen <= OPTIONS_OFFSET {
        return;
    }
    let opts = ctx.add(top, &OPTIONS, l, OPTIONS_OFFSET, hlen - OPTIONS_OFFSET, Value::Bytes);
    let tree = ctx.tree.enabled();
    let mut names = String::new();
    each_option(l, hlen, |kind, at, len| {
        let (item, name) = match kind {
            0 => (&OPT_EOL, "End of Option List (EOL)"),
            1 => (&OPT_NOP, "No-Operation (NOP)"),
            2 => (&OPT_MSS, "Maximum segment size"),
            3 => (&OPT_WSCALE, "Window scale"),
            4 => (&OPT_SACK_PERM, "SACK permitted"),
            5 => (&OPT_SACK, "SACK"),
            8 => (&OPT_TIMESTAMP, "Timestamps"),
            34 => (&OPT_TFO, "TCP Fast Open"),
            _ => (&OPT_UNKNOWN, "Unknown"),
        };
        if tree {
            names.push_str(", ");
            names.push_str(name);
        }
        let o = ctx.add(opts, item, l, at, len, if item.ftype == FieldType::Bytes { Value::Bytes } else { Value::None });
        ctx.add_uint(o, &OPTION_KIND, l, at, 1, kind as u64);
        if kind > 1 {
            ctx.add_uint(o, &OPTION_LEN, l, at + 1, 1, len as u64);
        }
        match (kind, len) {
            (2, 4) => {
                let mss = l.u16(at + 2);
                if !ctx.cols.off {
                    let _ = write!(ctx.cols.info, " MSS={}", mss);
                }
                ctx.add_uint(o, &OPT_MSS_VAL, l, at + 2, 2, mss as u64);
                crate::append_label!(ctx.tree, o, ": {} bytes", mss);
            }
            (3, 3) => {
                let shift = l.u8(at + 2);
                let mult = 1u32 << shift.min(14);
                if !ctx.cols.off {
                    let _ = write!(ctx.cols.info, " WS={}", mult);
                }
                ctx.add_uint(o, &OPT_WSCALE_SHIFT, l, at + 2, 1, shift as u64);
                let m = ctx.add_uint(o, &OPT_WSCALE_MULT, l, at + 2, 1, mult as u64);
                if let Some(n) = ctx.tree.node_mut(m) {
                    n.generated = true;
                }
                crate::set_label!(ctx.tree, m, "[Multiplier: {}]", mult);
                crate::append_label!(ctx.tree, o, ": {} (multiply by {})", shift, mult);
            }
            (4, 2) => ctx.cols.info.push_str(" SACK_PERM"),
            (5, _) => sack(ctx, o, l, at, len, peer_base),
            (8, 10) => {
                let (tsval, tsecr) = (l.u32(at + 2), l.u32(at + 6));
                if !ctx.cols.off {
                    let _ = write!(ctx.cols.info, " TSval={} TSecr={}", tsval, tsecr);
                }
                ctx.add_uint(o, &OPT_TSVAL, l, at + 2, 4, tsval as u64);
                ctx.add_uint(o, &OPT_TSECR, l, at + 6, 4, tsecr as u64);
                crate::append_label!(ctx.tree, o, ": TSval {}, TSecr {}", tsval, tsecr);
            }
            (34, 2) => ctx.cols.info.push_str(" TFO=R"),
            (34, _) => ctx.cols.info.push_str(" TFO=C"),
            _ => {}
        }
    });
    if tree {
        crate::set_label!(ctx.tree, opts, "Options: ({} bytes){}", hlen - OPTIONS_OFFSET, names);
    }
}

fn sack(ctx: &mut Ctx, o: u32, l: &Layer, at: usize, len: usize, peer_base: u32) {
    let mut b = at + 2;
    let mut count = 0u64;
    while b + 8 <= at + len {
        let le = l.u32(b).wrapping_sub(peer_base);
        let re = l.u32(b + 4).wrapping_sub(peer_base);
        if !ctx.cols.off {
            let _ = write!(ctx.cols.info, " SLE={} SRE={}", le, re);
        }
        let n = ctx.add_uint(o, &OPT_SACK_LE, l, b, 4, le as u64);
        crate::set_label!(ctx.tree, n, "left edge = {} (relative)", le);
        let n = ctx.add_uint(o, &OPT_SACK_RE, l, b + 4, 4, re as u64);
        crate::set_label!(ctx.tree, n, "right edge = {} (relative)", re);
        crate::append_label!(ctx.tree, o, " {}-{}", le, re);
        count += 1;
        b += 8;
    }
    let c = ctx.tree.add_generated(o, &OPT_SACK_COUNT, Value::Uint(count));
    crate::set_label!(ctx.tree, c, "[TCP SACK Count: {}]", count);
}
