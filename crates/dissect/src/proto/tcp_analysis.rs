//! `tcp` analysis output: the `[SEQ/ACK analysis]` subtree with its expert items, the
//! connection experts on the flag bits, and the Info prefixes (`[TCP Retransmission] `, ...),
//! all read from the record `analysis::tcp` stored for the segment.

use crate::analysis::tcp::{TcpFrameInfo, TcpTimes};
use crate::analysis::tcp_seq::*;
use crate::expert;
use crate::field::{FieldDef, FieldType};
use crate::packet::Ctx;
use crate::tree::{Group, Severity, Value};
use std::fmt::Write;

pub static ANALYSIS: FieldDef = FieldDef::new("SEQ/ACK analysis", "tcp.analysis", FieldType::None);
pub static FLAGS: FieldDef = FieldDef::new("TCP Analysis Flags", "tcp.analysis.flags", FieldType::None);
pub static ACKS_FRAME: FieldDef = FieldDef::new("This is an ACK to the segment in frame", "tcp.analysis.acks_frame", FieldType::FrameNum);
pub static ACK_RTT: FieldDef = FieldDef::new("The RTT to ACK the segment was", "tcp.analysis.ack_rtt", FieldType::RelTime);
pub static INITIAL_RTT: FieldDef = FieldDef::new("iRTT", "tcp.analysis.initial_rtt", FieldType::RelTime);
pub static BYTES_IN_FLIGHT: FieldDef = FieldDef::new("Bytes in flight", "tcp.analysis.bytes_in_flight", FieldType::Uint32);
pub static PUSH_BYTES_SENT: FieldDef =
    FieldDef::new("Bytes sent since last PSH flag", "tcp.analysis.push_bytes_sent", FieldType::Uint32);
pub static RTO: FieldDef = FieldDef::new("The RTO for this segment was", "tcp.analysis.rto", FieldType::RelTime);
pub static RTO_FRAME: FieldDef = FieldDef::new("RTO based on delta from frame", "tcp.analysis.rto_frame", FieldType::FrameNum);
pub static DUPLICATE_ACK: FieldDef = FieldDef::new("Duplicate ACK", "tcp.analysis.duplicate_ack", FieldType::None);
pub static DUPLICATE_ACK_NUM: FieldDef = FieldDef::new("Duplicate ACK #", "tcp.analysis.duplicate_ack_num", FieldType::Uint32);
pub static DUPLICATE_ACK_FRAME: FieldDef =
    FieldDef::new("Duplicate to the ACK in frame", "tcp.analysis.duplicate_ack_frame", FieldType::FrameNum);

// Expert items (each is a field of its own, as in Wireshark).
pub static EI_RETRANSMISSION: FieldDef =
    FieldDef::new("This frame is a (suspected) retransmission", "tcp.analysis.retransmission", FieldType::None);
pub static EI_FAST_RETRANSMISSION: FieldDef =
    FieldDef::new("This frame is a (suspected) fast retransmission", "tcp.analysis.fast_retransmission", FieldType::None);
pub static EI_SPURIOUS_RETRANSMISSION: FieldDef = FieldDef::new(
    "This frame is a (suspected) spurious retransmission",
    "tcp.analysis.spurious_retransmission",
    FieldType::None,
);
pub static EI_OUT_OF_ORDER: FieldDef =
    FieldDef::new("This frame is a (suspected) out-of-order segment", "tcp.analysis.out_of_order", FieldType::None);
pub static EI_REUSED_PORTS: FieldDef = FieldDef::new(
    "A new tcp session is started with the same ports as an earlier session in this trace",
    "tcp.analysis.reused_ports",
    FieldType::None,
);
pub static EI_LOST_SEGMENT: FieldDef =
    FieldDef::new("Previous segment(s) not captured (common at capture start)", "tcp.analysis.lost_segment", FieldType::None);
pub static EI_ACK_LOST_SEGMENT: FieldDef =
    FieldDef::new("ACKed segment that wasn't captured (common at capture start)", "tcp.analysis.ack_lost_segment", FieldType::None);
pub static EI_WINDOW_UPDATE: FieldDef = FieldDef::new("TCP window update", "tcp.analysis.window_update", FieldType::None);
pub static EI_WINDOW_FULL: FieldDef =
    FieldDef::new("TCP window specified by the receiver is now completely full", "tcp.analysis.window_full", FieldType::None);
pub static EI_KEEP_ALIVE: FieldDef = FieldDef::new("TCP keep-alive segment", "tcp.analysis.keep_alive", FieldType::None);
pub static EI_KEEP_ALIVE_ACK: FieldDef = FieldDef::new("ACK to a TCP keep-alive segment", "tcp.analysis.keep_alive_ack", FieldType::None);
pub static EI_ZERO_WINDOW_PROBE: FieldDef = FieldDef::new("TCP Zero Window Probe", "tcp.analysis.zero_window_probe", FieldType::None);
pub static EI_ZERO_WINDOW: FieldDef = FieldDef::new("TCP Zero Window segment", "tcp.analysis.zero_window", FieldType::None);
pub static EI_ZERO_WINDOW_PROBE_ACK: FieldDef =
    FieldDef::new("ACK to a TCP Zero Window Probe", "tcp.analysis.zero_window_probe_ack", FieldType::None);
pub static EI_SYN: FieldDef = FieldDef::new("Connection establish request (SYN)", "tcp.connection.syn", FieldType::None);
pub static EI_SYNACK: FieldDef = FieldDef::new("Connection establish acknowledge (SYN+ACK)", "tcp.connection.synack", FieldType::None);
pub static EI_FIN: FieldDef = FieldDef::new("Connection finish (FIN)", "tcp.connection.fin", FieldType::None);
pub static EI_RST: FieldDef = FieldDef::new("Connection reset (RST)", "tcp.connection.rst", FieldType::None);
pub static EI_FIN_ACTIVE: FieldDef = FieldDef::new("This frame initiates the connection closing", "tcp.connection.fin_active", FieldType::None);
pub static EI_FIN_PASSIVE: FieldDef = FieldDef::new("This frame undergoes the connection closing", "tcp.connection.fin_passive", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &ANALYSIS, &FLAGS, &ACKS_FRAME, &ACK_RTT, &INITIAL_RTT, &BYTES_IN_FLIGHT, &PUSH_BYTES_SENT, &RTO, &RTO_FRAME,
    &DUPLICATE_ACK, &DUPLICATE_ACK_NUM, &DUPLICATE_ACK_FRAME, &EI_RETRANSMISSION, &EI_FAST_RETRANSMISSION,
    &EI_SPURIOUS_RETRANSMISSION, &EI_OUT_OF_ORDER, &EI_REUSED_PORTS, &EI_LOST_SEGMENT, &EI_ACK_LOST_SEGMENT,
    &EI_WINDOW_UPDATE, &EI_WINDOW_FULL, &EI_KEEP_ALIVE, &EI_KEEP_ALIVE_ACK, &EI_ZERO_WINDOW_PROBE, &EI_ZERO_WINDOW,
    &EI_ZERO_WINDOW_PROBE_ACK, &EI_SYN, &EI_SYNACK, &EI_FIN, &EI_RST, &EI_FIN_ACTIVE, &EI_FIN_PASSIVE,
];

/// The flags in the order Wireshark prints them, with their Info prefix and expert item.
/// Each print prepends its prefix, so the Info column lists them in reverse.
static FLAG_PRINT_ORDER: [(u16, &str, &FieldDef, Severity); 14] = [
    (A_REUSED_PORTS, "[TCP Port numbers reused] ", &EI_REUSED_PORTS, Severity::Note),
    (A_RETRANSMISSION, "[TCP Retransmission] ", &EI_RETRANSMISSION, Severity::Note),
    (A_FAST_RETRANSMISSION, "[TCP Fast Retransmission] ", &EI_FAST_RETRANSMISSION, Severity::Note),
    (A_SPURIOUS_RETRANSMISSION, "[TCP Spurious Retransmission] ", &EI_SPURIOUS_RETRANSMISSION, Severity::Note),
    (A_OUT_OF_ORDER, "[TCP Out-Of-Order] ", &EI_OUT_OF_ORDER, Severity::Warn),
    (A_LOST_PACKET, "[TCP Previous segment not captured] ", &EI_LOST_SEGMENT, Severity::Warn),
    (A_ACK_LOST_PACKET, "[TCP ACKed unseen segment] ", &EI_ACK_LOST_SEGMENT, Severity::Warn),
    (A_WINDOW_UPDATE, "[TCP Window Update] ", &EI_WINDOW_UPDATE, Severity::Chat),
    (A_WINDOW_FULL, "[TCP Window Full] ", &EI_WINDOW_FULL, Severity::Warn),
    (A_KEEP_ALIVE, "[TCP Keep-Alive] ", &EI_KEEP_ALIVE, Severity::Note),
    (A_KEEP_ALIVE_ACK, "[TCP Keep-Alive ACK] ", &EI_KEEP_ALIVE_ACK, Severity::Note),
    (A_ZERO_WINDOW_PROBE, "[TCP ZeroWindowProbe] ", &EI_ZERO_WINDOW_PROBE, Severity::Note),
    (A_ZERO_WINDOW, "[TCP ZeroWindow] ", &EI_ZERO_WINDOW, Severity::Warn),
    (A_ZERO_WINDOW_PROBE_ACK, "[TCP ZeroWindowProbeAck] ", &EI_ZERO_WINDOW_PROBE_ACK, Severity::Note),
];

/// Index in `FLAG_PRINT_ORDER` before which the duplicate ACK is printed.
const DUP_ACK_POSITION: usize = 11;

/// The Info prefixes of a segment, as tshark shows them (last printed first).
pub fn write_prefixes(out: &mut String, ta: &Acked) {
    for (i, (flag, prefix, _, _)) in FLAG_PRINT_ORDER.iter().enumerate().rev() {
        if ta.flags & flag != 0 {
            out.push_str(prefix);
        }
        if i == DUP_ACK_POSITION && ta.dupack_num != 0 && ta.flags & A_DUPLICATE_ACK != 0 {
            let _ = write!(out, "[TCP Dup ACK {}#{}] ", ta.dupack_frame, ta.dupack_num);
        }
    }
}

fn expert(ctx: &mut Ctx, parent: u32, ei: &'static FieldDef, severity: Severity, message: &str) {
    expert::add(ctx.tree, parent, ei, severity, Group::Sequence, message);
}

fn generated(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, v: Value) -> u32 {
    ctx.tree.add_generated(parent, f, v)
}

/// `[SEQ/ACK analysis]`, shown when the analysis recorded anything for the segment.
pub fn add_tree(ctx: &mut Ctx, top: u32, info: &TcpFrameInfo, times: &TcpTimes) {
    let ta = match info.ta {
        Some(ta) => ta,
        None => return,
    };
    let now = ctx.meta.ts_ns;
    let tree = generated(ctx, top, &ANALYSIS, Value::None);
    crate::set_label!(ctx.tree, tree, "[SEQ/ACK analysis]");
    if ta.frame_acked != 0 {
        generated(ctx, tree, &ACKS_FRAME, Value::Uint(ta.frame_acked as u64));
        let rtt = now - times.refs.acked;
        if rtt != 0 {
            generated(ctx, tree, &ACK_RTT, Value::Time(rtt));
        }
    }
    if let Some(irtt) = ctx.state.tcp.initial_rtt(info.stream, info.frame) {
        generated(ctx, tree, &INITIAL_RTT, Value::Time(irtt));
    }
    if ta.bytes_in_flight != 0 {
        generated(ctx, tree, &BYTES_IN_FLIGHT, Value::Uint(ta.bytes_in_flight as u64));
        generated(ctx, tree, &PUSH_BYTES_SENT, Value::Uint(ta.push_bytes_sent as u64));
    }
    if ta.flags == 0 {
        return;
    }
    let flags = generated(ctx, tree, &FLAGS, Value::None);
    crate::set_label!(ctx.tree, flags, "[TCP Analysis Flags]");
    for (i, (flag, _, ei, severity)) in FLAG_PRINT_ORDER.iter().enumerate() {
        if i == DUP_ACK_POSITION {
            duplicate_ack(ctx, tree, flags, &ta);
        }
        if ta.flags & flag == 0 {
            continue;
        }
        expert(ctx, flags, ei, *severity, ei.name);
        // Fast and spurious retransmissions are retransmissions too.
        if *flag == A_FAST_RETRANSMISSION || *flag == A_SPURIOUS_RETRANSMISSION {
            expert(ctx, flags, &EI_RETRANSMISSION, Severity::Note, EI_RETRANSMISSION.name);
        }
        if *flag == A_RETRANSMISSION && ta.rto_frame != 0 {
            let rto = now - times.refs.rto;
            if rto != 0 {
                generated(ctx, flags, &RTO, Value::Time(rto));
                generated(ctx, flags, &RTO_FRAME, Value::Uint(ta.rto_frame as u64));
            }
        }
    }
}

fn duplicate_ack(ctx: &mut Ctx, tree: u32, flags: u32, ta: &Acked) {
    if ta.dupack_num == 0 {
        return;
    }
    if ta.flags & A_DUPLICATE_ACK != 0 {
        let d = generated(ctx, flags, &DUPLICATE_ACK, Value::None);
        crate::set_label!(ctx.tree, d, "[This is a TCP duplicate ack]");
    }
    generated(ctx, tree, &DUPLICATE_ACK_NUM, Value::Uint(ta.dupack_num as u64));
    let f = generated(ctx, tree, &DUPLICATE_ACK_FRAME, Value::Uint(ta.dupack_frame as u64));
    expert::add(ctx.tree, f, &DUPLICATE_ACK, Severity::Note, Group::Sequence, &format!("Duplicate ACK (#{})", ta.dupack_num));
}

/// The experts Wireshark puts on the SYN, FIN and RST bits and on the flag summary.
pub fn add_connection_experts(ctx: &mut Ctx, bits: [u32; 4], flags: u16, sport: u16, dport: u16, fin_passive: bool) {
    let [syn, fin, rst, summary] = bits;
    if flags & FLAG_SYN != 0 {
        if flags & FLAG_ACK != 0 {
            let m = format!("Connection establish acknowledge (SYN+ACK): server port {}", sport);
            expert::add(ctx.tree, syn, &EI_SYNACK, Severity::Chat, Group::Sequence, &m);
        } else {
            let m = format!("Connection establish request (SYN): server port {}", dport);
            expert::add(ctx.tree, syn, &EI_SYN, Severity::Chat, Group::Sequence, &m);
        }
    }
    if flags & FLAG_FIN != 0 {
        expert::add(ctx.tree, fin, &EI_FIN, Severity::Chat, Group::Sequence, EI_FIN.name);
        let ei = if fin_passive { &EI_FIN_PASSIVE } else { &EI_FIN_ACTIVE };
        expert::add(ctx.tree, summary, ei, Severity::Note, Group::Sequence, ei.name);
    }
    if flags & FLAG_RST != 0 {
        expert::add(ctx.tree, rst, &EI_RST, Severity::Warn, Group::Sequence, EI_RST.name);
    }
}
