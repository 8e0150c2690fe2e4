//! DNS request/response matching as the tree shows it: the message is matched in the first
//! pass (`analysis::dns`), read back on re-dissection, and shown as Wireshark does (response
//! and request links, the time between them, retransmissions, unsolicited responses).

use super::dns::{field, HEADER_LEN, RESPONSE_IN, RESPONSE_TO, RETRANSMISSION, RETRANSMIT_REQUEST_IN, RETRANSMIT_RESPONSE_IN, T_AXFR, T_IXFR, TIME, UNSOLICITED};
use super::dns_name::Names;
use crate::analysis::dns::{Match, Message};
use crate::packet::{Ctx, Layer};
use crate::tree::{Group, Severity, Value};

pub(super) fn match_message(ctx: &mut Ctx, msg: &Layer, id: u16, response: bool, tcp: bool) -> Match {
    let start = msg.start as u32;
    if ctx.revisit {
        return ctx.state.dns.stored(ctx.meta.number, start, ctx.meta.ts_ns).unwrap_or(Match::Request);
    }
    let m = Message {
        frame: ctx.meta.number,
        start,
        ts: ctx.meta.ts_ns,
        src: ctx.net_src,
        dst: ctx.net_dst,
        tcp,
        id,
        response,
        multiple_responds: first_question_is_transfer(msg),
    };
    ctx.state.dns.analyze(&m)
}

/// Whether any question asks for AXFR/IXFR (zone transfers have several responses).
fn first_question_is_transfer(msg: &Layer) -> bool {
    if msg.u16(field::QDCOUNT) == 0 || msg.len < HEADER_LEN {
        return false;
    }
    let mut names = Names::new(msg);
    match names.expand(msg, HEADER_LEN) {
        Ok(n) => {
            let t = msg.u16(HEADER_LEN + n.used);
            t == T_AXFR || t == T_IXFR
        }
        Err(_) => false,
    }
}

pub(super) fn add_match(ctx: &mut Ctx, top: u32, id_node: u32, m: Match) {
    let t = &mut ctx.tree;
    match m {
        Match::Request => {}
        Match::Answered { response_in } => {
            t.add_generated(top, &RESPONSE_IN, Value::Uint(response_in as u64));
        }
        Match::RetransmittedRequest { original } => {
            crate::expert::attach(t, id_node, &super::dns::RETRANSMIT_REQUEST, Severity::Warn, Group::Protocol, &format!("DNS query retransmission. Original request in frame {}", original));
            t.add_generated(top, &RETRANSMIT_REQUEST_IN, Value::Uint(original as u64));
            t.add_generated(top, &RETRANSMISSION, Value::Bool(true));
        }
        Match::Response { request_in, time } => {
            t.add_generated(top, &RESPONSE_TO, Value::Uint(request_in as u64));
            t.add_generated(top, &TIME, Value::Time(time));
        }
        Match::RetransmittedResponse { original } => {
            crate::expert::attach(t, id_node, &super::dns::RETRANSMIT_RESPONSE, Severity::Warn, Group::Protocol, &format!("DNS response retransmission. Original response in frame {}", original));
            t.add_generated(top, &RETRANSMIT_RESPONSE_IN, Value::Uint(original as u64));
            t.add_generated(top, &RETRANSMISSION, Value::Bool(true));
        }
        Match::Unsolicited => {
            t.add_generated(top, &UNSOLICITED, Value::Bool(true));
        }
    }
}
