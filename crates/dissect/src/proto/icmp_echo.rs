//! Echo-like ICMP messages: request/reply matching (`analysis::icmp`), the timestamp ping
//! puts in its data, the TTL Info shows, and the timestamps of timestamp messages.

use super::icmp::{field, DATA_TIME, DATA_TIME_RELATIVE, ECHO, IPV4_HEADER_LEN, MS_PER_DAY, NO_RESP, ORIGINATE_TIMESTAMP, RECEIVE_TIMESTAMP, RESPTIME, RESP_IN, RESP_TO, TRANSMIT_TIMESTAMP};
use crate::analysis::icmp::{Echo, EchoMatch, Family};
use crate::packet::{Ctx, DResult, Layer, NetAddr};
use crate::proto::{cksum, data};
use crate::tree::{Group, Severity, Value};
use std::fmt::Write;

/// The TTL of the IPv4 header carrying this layer, which Info shows for echo-like messages.
/// The IP layer hands over only its payload, so the header is found in the frame just before
/// it: the one whose header length ends exactly here and whose addresses are the ones it set.
pub(super) fn enclosing_ttl(ctx: &Ctx, layer: &Layer) -> Option<u8> {
    let (src, dst) = (ctx.net_src?, ctx.net_dst?);
    if src.v6 || dst.v6 {
        return None;
    }
    (IPV4_HEADER_LEN..=60).step_by(4).find_map(|hlen| {
        let h = ctx.data.get(layer.start.checked_sub(hlen)?..layer.start)?;
        let fits = h[0] == 0x40 | (hlen / 4) as u8 && h[9] == 1 && h[12..16] == src.bytes[..4] && h[16..20] == dst.bytes[..4];
        if fits {
            Some(h[8])
        } else {
            None
        }
    })
}

/// Matches an echo request or reply and shows the result (Wireshark's transaction_start/end).
pub(super) fn match_echo(ctx: &mut Ctx, top: u32, layer: &Layer, typ: u8) {
    let (src, dst) = match (ctx.net_src, ctx.net_dst) {
        (Some(s), Some(d)) => (s, d),
        _ => return,
    };
    let checksum = layer.u16(field::CHECKSUM);
    let ident_seq = (layer.u16(field::IDENT) as u32) << 16 | layer.u16(field::SEQ) as u32;
    // A reply's checksum differs from its request's by the type byte (8 -> 0); the request
    // keys on the checksum its reply will carry, with 0xffff and 0 being the same sum.
    let reply_checksum = if typ == ECHO { !cksum::add(!checksum, &(!0x0800u16).to_be_bytes()) } else { checksum };
    let key = if reply_checksum == 0xffff { 0 } else { reply_checksum as u32 };
    let echo = Echo { family: Family::V4, frame: ctx.meta.number, offset: layer.start as u32, ts: ctx.meta.ts_ns, src, dst, words: [key, ident_seq] };
    let found: EchoMatch = if ctx.revisit {
        ctx.state.icmp.stored(echo.frame, echo.offset)
    } else if typ == ECHO {
        ctx.state.icmp.request(&echo)
    } else {
        ctx.state.icmp.reply(&echo)
    };
    if typ == ECHO {
        match found {
            Some(t) if t.reply != 0 => {
                let _ = write!(ctx.cols.info, " (reply in {})", t.reply);
                ctx.tree.add_generated(top, &RESP_IN, Value::Uint(t.reply as u64));
            }
            // The first pass cannot know yet; Wireshark decides on its second pass.
            Some(_) if !ctx.revisit => {}
            _ if is_broadcast_or_multicast(dst) => {
                let b = dst.bytes[..4] == [255; 4];
                ctx.cols.info.push_str(if b { " (broadcast)" } else { " (multicast)" });
            }
            _ => {
                ctx.cols.info.push_str(" (no response found!)");
                let n = ctx.tree.add_generated(top, &NO_RESP, Value::None);
                crate::expert::attach(&mut ctx.tree, n, &super::icmp::RESP_NOT_FOUND, Severity::Warn, Group::Sequence, "No response seen to ICMP request");
            }
        }
    } else if let Some(t) = found {
        let _ = write!(ctx.cols.info, " (request in {})", t.request);
        ctx.tree.add_generated(top, &RESP_TO, Value::Uint(t.request as u64));
        let ms = (ctx.meta.ts_ns - t.request_ts) as f64 / 1e6;
        let n = ctx.tree.add_generated(top, &RESPTIME, Value::Double(ms));
        crate::set_label!(ctx.tree, n, "[Response time: {:.3} ms]", ms);
    }
}

fn is_broadcast_or_multicast(a: NetAddr) -> bool {
    !a.v6 && (a.bytes[0] & 0xf0 == 0xe0 || a.bytes[..4] == [255; 4])
}

/// Echo data: a `struct timeval` ping put first, when it looks like one, then the rest as data.
pub(super) fn dissect_echo_data(ctx: &mut Ctx, top: u32, layer: &Layer) -> DResult<()> {
    let captured = layer.len.saturating_sub(field::BODY);
    if captured < 8 {
        if captured > 0 {
            data::dissect(ctx, top, layer.sub(field::BODY, "data"))?;
        }
        return Ok(());
    }
    let frame_secs = ctx.meta.ts_ns.div_euclid(1_000_000_000);
    // Within a day of the frame, with a valid microsecond count: big-endian first, as Wireshark.
    let plausible = |secs: u32, usecs: u32| ((secs as i64).wrapping_sub(frame_secs) as i32).wrapping_abs() < 86_400 && usecs < 1_000_000;
    let at = field::BODY;
    let (be, le) = ((layer.u32(at), layer.u32(at + 4)), (layer.u32_le(at), layer.u32_le(at + 4)));
    let stamp = if plausible(be.0, be.1) {
        Some(be)
    } else if plausible(le.0, le.1) {
        Some(le)
    } else {
        None
    };
    match stamp {
        Some((secs, usecs)) => {
            let ts = secs as i64 * 1_000_000_000 + usecs as i64 * 1000;
            ctx.add(top, &DATA_TIME, layer, at, 8, Value::Time(ts));
            let n = ctx.add(top, &DATA_TIME_RELATIVE, layer, at, 8, Value::Time(ctx.meta.ts_ns - ts));
            if let Some(node) = ctx.tree.node_mut(n) {
                node.generated = true;
            }
            data::dissect(ctx, top, layer.sub(at + 8, "data"))?;
        }
        None => {
            data::dissect(ctx, top, layer.sub(at, "data"))?;
        }
    }
    Ok(())
}

/// Originate, receive and transmit timestamps, in milliseconds after midnight UTC (or not).
pub(super) fn add_timestamps(ctx: &mut Ctx, top: u32, layer: &Layer) {
    let ns = ctx.meta.ts_ns;
    let frame_ms = (ns.div_euclid(1_000_000_000) * 1000 + ns.rem_euclid(1_000_000_000) / 1_000_000).rem_euclid(MS_PER_DAY as i64) as u32;
    for (f, at) in [(&ORIGINATE_TIMESTAMP, field::ORIGINATE), (&RECEIVE_TIMESTAMP, field::RECEIVE), (&TRANSMIT_TIMESTAMP, field::TRANSMIT)] {
        let n = ctx.add_uint(top, f, layer, at, 4, layer.u32(at) as u64);
        let ms = best_guess_ms_of_day(layer.u32(at), layer.u32_le(at), frame_ms);
        let mut text = String::from(" (");
        write_duration(&mut text, ms / 1000, ms % 1000);
        text.push_str(" after midnight UTC)");
        ctx.tree.append_text(n, &text);
    }
}

/// Which byte order makes a timestamp milliseconds of the day, closest to the frame's
/// (Wireshark's get_best_guess_mstimeofday; the top bit marks non-standard values).
fn best_guess_ms_of_day(be: u32, le: u32, frame_ms: u32) -> u32 {
    let (mut be, mut le) = (be & 0x7fff_ffff, le & 0x7fff_ffff);
    if be < MS_PER_DAY && le >= MS_PER_DAY {
        return be;
    }
    if le < MS_PER_DAY && be >= MS_PER_DAY {
        return le;
    }
    if be < MS_PER_DAY && le < MS_PER_DAY {
        let (saved_be, saved_le) = (be, le);
        let rollover = |t: u32| t < frame_ms && t <= MS_PER_DAY / 4 && frame_ms >= MS_PER_DAY - MS_PER_DAY / 4;
        if rollover(be) {
            be += MS_PER_DAY;
        }
        if rollover(le) {
            le += MS_PER_DAY;
        }
        return if be.wrapping_sub(frame_ms) < le.wrapping_sub(frame_ms) { saved_be } else { saved_le };
    }
    if be.wrapping_sub(frame_ms) < le.wrapping_sub(frame_ms) {
        be
    } else {
        le
    }
}

/// Wireshark's duration text: `1 day, 2 hours, 3 minutes, 4.005 seconds`, `0 seconds`.
pub(super) fn write_duration(out: &mut String, secs: u32, ms: u32) {
    if secs == 0 && ms == 0 {
        out.push_str("0 seconds");
        return;
    }
    let parts = [(secs / 86_400, "day"), (secs / 3600 % 24, "hour"), (secs / 60 % 60, "minute")];
    let mut first = true;
    for (n, unit) in parts {
        if n != 0 {
            let _ = write!(out, "{}{} {}{}", if first { "" } else { ", " }, n, unit, if n == 1 { "" } else { "s" });
            first = false;
        }
    }
    let s = secs % 60;
    if s != 0 || ms != 0 {
        let sep = if first { "" } else { ", " };
        let _ = if ms != 0 {
            write!(out, "{}{}.{:03} seconds", sep, s, ms)
        } else {
            write!(out, "{}{} second{}", sep, s, if s == 1 { "" } else { "s" })
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_of_the_day_and_durations_read_as_wireshark() {
        assert_eq!(best_guess_ms_of_day(3_600_000, 3_600_000u32.swap_bytes(), 0), 3_600_000);
        assert_eq!(best_guess_ms_of_day(3_600_000u32.swap_bytes(), 3_600_000, 0), 3_600_000);
        let text = |s, ms| {
            let mut out = String::new();
            write_duration(&mut out, s, ms);
            out
        };
        assert_eq!(text(0, 0), "0 seconds");
        assert_eq!(text(3600, 0), "1 hour");
        assert_eq!(text(1800, 0), "30 minutes");
        assert_eq!(text(90_061, 5), "1 day, 1 hour, 1 minute, 1.005 seconds");
    }
}
