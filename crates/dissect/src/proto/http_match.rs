//! HTTP request/response matching as the tree shows it: the message is matched in the first
//! pass (`analysis::http`), read back on re-dissection with what later frames taught, and shown
//! as Wireshark does (request and response numbers, links to the frames around, the time since
//! the request, the full URI).

use super::http::{
    FULL_URI, NEXT_REQUEST_IN, NEXT_RESPONSE_IN, PREV_REQUEST_IN, PREV_RESPONSE_IN, REQUEST, REQUEST_IN, REQUEST_NUMBER, RESPONSE,
    RESPONSE_FOR_URI, RESPONSE_IN, RESPONSE_NUMBER, TIME,
};
use crate::analysis::http::HttpMessageInfo;
use crate::field::FieldDef;
use crate::packet::{Ctx, Layer};
use crate::tree::Value;

/// First pass: records the message in the stream's matching state; revisit: reads it back.
pub(super) fn match_message(ctx: &mut Ctx, is_request: bool, uri: Option<String>) -> Option<HttpMessageInfo> {
    let stream = ctx.tcp_stream?;
    let frame = ctx.meta.number;
    let index = ctx.app_messages;
    ctx.app_messages += 1;
    if ctx.revisit {
        let timeline = &ctx.state.frame_ts;
        return ctx.state.http.revisited(stream, frame, index, |f| timeline.get(f));
    }
    Some(if is_request {
        ctx.state.http.request(stream, frame, index, ctx.meta.ts_ns, uri)
    } else {
        ctx.state.http.response(stream, frame, index)
    })
}

/// The hidden `http.request` / `http.response` boolean over the start line.
pub(super) fn add_message_flag(ctx: &mut Ctx, top: u32, layer: &Layer, line_len: usize, is_request: bool) {
    let n = ctx.add(top, if is_request { &REQUEST } else { &RESPONSE }, layer, 0, line_len, Value::Bool(true));
    ctx.tree.set_hidden(n);
}

pub(super) fn add_matching(ctx: &mut Ctx, top: u32, m: &HttpMessageInfo, layer: &Layer, line_len: usize) {
    if !m.links.is_request {
        add_message_flag(ctx, top, layer, line_len, false);
    }
    if m.links.is_request {
        if let Some(u) = &m.links.uri {
            ctx.tree.add_generated(top, &FULL_URI, Value::Str(u.to_string()));
        }
        add_message_flag(ctx, top, layer, line_len, true);
    }
    let t = &mut *ctx.tree;
    let frame_link = |t: &mut crate::tree::Tree, f: &'static FieldDef, v: u32| {
        if v != 0 {
            t.add_generated(top, f, Value::Uint(v as u64));
        }
    };
    if m.links.is_request {
        let n = t.add_generated(top, &REQUEST_NUMBER, Value::Uint(m.links.number as u64));
        crate::set_label!(t, n, "[HTTP request {}/{}]", m.links.number, m.seen);
        frame_link(t, &PREV_REQUEST_IN, m.links.prev_request_in);
        frame_link(t, &RESPONSE_IN, m.links.response_in);
        frame_link(t, &NEXT_REQUEST_IN, m.links.next_request_in);
        return;
    }
    if m.links.request_in == 0 {
        return;
    }
    let n = t.add_generated(top, &RESPONSE_NUMBER, Value::Uint(m.links.number as u64));
    crate::set_label!(t, n, "[HTTP response {}/{}]", m.links.number, m.seen);
    t.add_generated(top, &TIME, Value::Time(ctx.meta.ts_ns - m.request_ts));
    frame_link(t, &PREV_REQUEST_IN, m.links.prev_request_in);
    frame_link(t, &PREV_RESPONSE_IN, m.links.prev_response_in);
    frame_link(t, &REQUEST_IN, m.links.request_in);
    frame_link(t, &NEXT_REQUEST_IN, m.links.next_request_in);
    frame_link(t, &NEXT_RESPONSE_IN, m.links.next_response_in);
    if let Some(u) = &m.links.uri {
        t.add_generated(top, &RESPONSE_FOR_URI, Value::Str(u.to_string()));
    }
}
