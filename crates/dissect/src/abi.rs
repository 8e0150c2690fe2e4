//! The C ABI of the wasm module: the only place that deals in raw pointers. It converts
//! pointers to slices, calls the core and leaves results in the session's output buffer,
//! which the host reads with `reef_out_ptr` / `reef_out_len` before the next call.
//!
//! Frames arrive in batches laid out as @reef/capture's FrameBatch: META_WORDS u32 per frame
//! (see packages/capture/src/batch.ts) plus one data buffer.

use crate::field::all_fields;
use crate::filter::{self, Filter, FilterError};
use crate::json;
use crate::packet::FrameMeta;
use crate::session::Session;
use std::fmt::Write;

pub const META_WORDS: usize = 10;

/// Error codes returned (as negative numbers) by the calls below.
pub const ERR_NULL: i32 = -1;
pub const ERR_FRAME_RANGE: i32 = -2;
pub const ERR_DATA_RANGE: i32 = -3;
/// `reef_configure` rejected its text; the message is in the output buffer.
pub const ERR_CONFIG: i32 = -4;
/// A display filter did not compile; the error is in the output buffer as JSON.
pub const ERR_FILTER: i32 = -5;
/// `reef_stats_json` was asked for a statistic that was not requested.
pub const ERR_STATS_INDEX: i32 = -6;

/// Reads one frame's metadata; `None` if its bytes are not inside `data_len`.
pub(crate) fn read_meta(w: &[u32], data_len: usize) -> Option<(FrameMeta, usize)> {
    let sec = ((w[5] as u64) << 32 | w[4] as u64) as i64;
    let meta = FrameMeta {
        number: w[0],
        ts_ns: sec.saturating_mul(1_000_000_000).saturating_add(w[6] as i64),
        caplen: w[2],
        origlen: w[3],
        linktype: w[7],
        iface: w[8],
        ts_digits: (w[9] & 0xff) as u8,
    };
    let off = w[1] as usize;
    if off.checked_add(meta.caplen as usize)? > data_len {
        return None;
    }
    Some((meta, off))
}

/// 0, or ERR_CONFIG with the message in the output buffer.
pub(crate) fn config_result(s: &mut Session, result: Result<(), String>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(msg) => {
            s.out.clear();
            s.out.push_str(&msg);
            ERR_CONFIG
        }
    }
}

pub(crate) unsafe fn slices<'a>(meta: *const u32, count: u32, data: *const u8, data_len: usize) -> (&'a [u32], &'a [u8]) {
    let words = if meta.is_null() { &[][..] } else { std::slice::from_raw_parts(meta, count as usize * META_WORDS) };
    let bytes = if data.is_null() { &[][..] } else { std::slice::from_raw_parts(data, data_len) };
    (words, bytes)
}

#[no_mangle]
pub extern "C" fn reef_alloc(len: usize) -> *mut u8 {
    let mut v: Vec<u8> = Vec::with_capacity(len.max(1));
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// # Safety
/// `ptr` must come from `reef_alloc(len)` and not be freed twice.
#[no_mangle]
pub unsafe extern "C" fn reef_dealloc(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
    }
}

#[no_mangle]
pub extern "C" fn reef_session_new() -> *mut Session {
    Box::into_raw(Box::new(Session::new()))
}

/// # Safety
/// `s` must come from `reef_session_new` and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn reef_session_free(s: *mut Session) {
    if !s.is_null() {
        drop(Box::from_raw(s));
    }
}

/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_frame_count(s: *const Session) -> u32 {
    s.as_ref().map_or(0, |s| s.frame_count())
}

/// Configures output and capture facts (see `print::Config::parse` for the text). Returns 0,
/// or ERR_CONFIG with a tshark-style message in the output buffer.
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_configure(s: *mut Session, text: *const u8, len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let result = s.configure(&text_arg(text, len));
    config_result(s, result)
}

/// First pass over a batch of frames, in order. With `flags & 1`, appends each frame's text
/// as configured (tshark's summary line by default) to the output buffer; `flags & 2` writes
/// the display filter's verdicts instead; `flags & 4` and `flags & 8` are the two passes of
/// `-2` (`Session::ingest_first_pass`, which writes the read filter's verdicts, and
/// `Session::print_second_pass`). Configured with `shard K N`, flags 1 and 2 dissect only the
/// frames of shard K. With flag 1, where each frame's text ends is recorded
/// (`reef_frame_ends_ptr`), so the texts of several shards can be merged in frame order.
/// Returns the number of frames ingested.
///
/// # Safety
/// Pointers must be valid for `count * META_WORDS` words and `data_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_ingest(s: *mut Session, meta: *const u32, count: u32, data: *const u8, data_len: usize, flags: u32) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let (words, bytes) = slices(meta, count, data, data_len);
    let sharded = s.config.shard.1 > 1;
    s.frame_ends.clear();
    for w in words.chunks_exact(META_WORDS) {
        let (m, off) = match read_meta(w, bytes.len()) {
            Some(x) => x,
            None => return ERR_DATA_RANGE,
        };
        let frame = &bytes[off..off + m.caplen as usize];
        if sharded && flags & (1 | 2) != 0 {
            // Another session's frames are counted, not dissected (`session::shard`).
            let mine = s.ingest_and_print_shard(m, frame);
            if flags & 2 != 0 {
                s.out.push(if mine && s.last_displayed() { '1' } else { '0' });
            }
        } else if flags & 4 != 0 {
            // -2, first pass: which frames the read filter keeps, one ASCII '0'/'1' each.
            let kept = s.ingest_first_pass(m, frame);
            s.out.push(if kept { '1' } else { '0' });
        } else if flags & 8 != 0 {
            // -2, second pass: the file's frames again, in order; the kept ones print.
            s.print_second_pass(m, frame);
        } else if flags & 2 != 0 {
            // Which frames the display filter passes, one ASCII '0'/'1' each, as
            // reef_filter_frames writes them, from this single pass.
            s.ingest_and_print(m, frame);
            let shown = s.last_displayed();
            s.out.push(if shown { '1' } else { '0' });
        } else if flags & 1 != 0 {
            s.ingest_and_print(m, frame);
        } else {
            // The first pass alone: nothing reads its columns.
            s.ingest_without_columns(m, frame);
        }
        if flags & 1 != 0 {
            s.frame_ends.push(s.out.len() as u32);
        }
    }
    count as i32
}

/// Where each frame's text of the last `reef_ingest` with flag 1 ends in the output, one u32
/// per frame (a frame of another shard adds nothing).
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_frame_ends_ptr(s: *const Session) -> *const u32 {
    s.as_ref().map_or(std::ptr::null(), |s| s.frame_ends.as_ptr())
}

/// Re-dissects already ingested frames and writes their summary rows as a JSON array of
/// `[number, time, source, destination, protocol, length, info]`.
///
/// # Safety
/// As for `reef_ingest`.
#[no_mangle]
pub unsafe extern "C" fn reef_rows(s: *mut Session, meta: *const u32, count: u32, data: *const u8, data_len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let (words, bytes) = slices(meta, count, data, data_len);
    let mut out = std::mem::take(&mut s.out);
    out.push('[');
    for (i, w) in words.chunks_exact(META_WORDS).enumerate() {
        let (m, off) = match read_meta(w, bytes.len()) {
            Some(x) => x,
            None => {
                s.out = out;
                return ERR_DATA_RANGE;
            }
        };
        if !s.revisit(m, &bytes[off..off + m.caplen as usize], false) {
            s.out = out;
            return ERR_FRAME_RANGE;
        }
        if i > 0 {
            out.push(',');
        }
        let time = s.row_time(&m).to_string();
        let c = s.columns();
        let _ = write!(out, "[{},", m.number);
        for v in [&time, &c.src, &c.dst, &c.protocol] {
            json::write_str(&mut out, v);
            out.push(',');
        }
        let _ = write!(out, "{},", m.origlen);
        json::write_str(&mut out, &c.info);
        out.push(']');
    }
    out.push(']');
    s.out = out;
    count as i32
}

/// Re-dissects one ingested frame with its tree and writes
/// `{number, columns, protocols, tree}` as JSON.
///
/// # Safety
/// As for `reef_ingest`, with one frame.
#[no_mangle]
pub unsafe extern "C" fn reef_dissect(s: *mut Session, meta: *const u32, data: *const u8, data_len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let (words, bytes) = slices(meta, 1, data, data_len);
    let (m, off) = match read_meta(words, bytes.len()) {
        Some(x) => x,
        None => return ERR_DATA_RANGE,
    };
    if !s.revisit(m, &bytes[off..off + m.caplen as usize], true) {
        return ERR_FRAME_RANGE;
    }
    let mut out = std::mem::take(&mut s.out);
    let _ = write!(out, "{{\"number\":{},\"columns\":", m.number);
    json::write_columns(&mut out, s.columns());
    out.push_str(",\"protocols\":");
    json::write_str(&mut out, &s.protocols());
    out.push_str(",\"tree\":");
    json::write_tree(&mut out, s.tree());
    out.push_str(",\"sources\":[");
    for (i, src) in s.tree().sources.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"name\":");
        json::write_str(&mut out, &src.name);
        out.push_str(",\"hex\":\"");
        for b in &src.data {
            let _ = write!(out, "{:02x}", b);
        }
        out.push_str("\"}");
    }
    out.push_str("]}");
    s.out = out;
    0
}

/// Writes the field registry as JSON: `[[abbrev, name, type, base, blurb], ...]`.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_fields(s: *mut Session) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let out = &mut s.out;
    out.push('[');
    for (i, f) in all_fields().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        for (k, v) in [f.abbrev, f.name, f.ftype.ws_name(), f.base.ws_name(), f.blurb].iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            json::write_str(out, v);
        }
        out.push(']');
    }
    out.push(']');
    0
}

/// Writes what closes the configured document format (`]` of -T json, `</pdml>`, ...) to the
/// output buffer, after the last batch.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_finish(s: *mut Session) -> i32 {
    match s.as_mut() {
        Some(s) => {
            s.finish();
            0
        }
        None => ERR_NULL,
    }
}

/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_out_ptr(s: *const Session) -> *const u8 {
    s.as_ref().map_or(std::ptr::null(), |s| s.out.as_ptr())
}

/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_out_len(s: *const Session) -> usize {
    s.as_ref().map_or(0, |s| s.out.len())
}

/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_out_clear(s: *mut Session) {
    if let Some(s) = s.as_mut() {
        s.out.clear();
    }
}

pub(crate) unsafe fn text_arg<'a>(text: *const u8, len: usize) -> std::borrow::Cow<'a, str> {
    let bytes = if text.is_null() { &[][..] } else { std::slice::from_raw_parts(text, len) };
    String::from_utf8_lossy(bytes)
}

/// Character offset of byte offset `at` (JavaScript indexes strings by character).
fn char_offset(text: &str, at: usize) -> usize {
    text.get(..at.min(text.len())).map_or(at, |p| p.chars().count())
}

/// `{"ok":false,"message":..,"span":[start,len]|null,"report":..}`: the span in characters,
/// the report as tshark prints it after its `tshark: ` prefix.
fn write_filter_error(out: &mut String, text: &str, e: &FilterError) {
    out.push_str("{\"ok\":false,\"message\":");
    json::write_str(out, &e.message);
    out.push_str(",\"span\":");
    match e.span {
        Some(sp) => {
            let start = char_offset(text, sp.start);
            let end = char_offset(text, sp.start + sp.len);
            let _ = write!(out, "[{},{}]", start, end.saturating_sub(start).max(1));
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"report\":");
    let report = e.render("", text);
    json::write_str(out, report.strip_prefix(": ").unwrap_or(&report));
    out.push('}');
}

/// Compiles a display filter without installing it (cheap enough for every keystroke).
/// Returns 0 and `{"ok":true}`, or ERR_FILTER and the error as JSON (see `write_filter_error`).
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_filter_check(s: *mut Session, text: *const u8, len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let text = text_arg(text, len);
    let opts = filter::Options { zone: Some(&s.config.zone), lenient: false };
    match Filter::compile_with(&text, opts) {
        Ok(_) => {
            s.out.push_str("{\"ok\":true}");
            0
        }
        Err(e) => {
            write_filter_error(&mut s.out, &text, &e);
            ERR_FILTER
        }
    }
}

/// Sets the session's display filter (the print path of `reef_ingest` and
/// `reef_filter_frames`); an empty text clears it. Returns 0, or ERR_FILTER with the error.
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_filter_set(s: *mut Session, text: *const u8, len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let text = text_arg(text, len);
    match s.set_display_filter(&text) {
        Ok(()) => 0,
        Err(e) => {
            write_filter_error(&mut s.out, &text, &e);
            ERR_FILTER
        }
    }
}

/// Sets the read filter of two-pass mode (`-R`); same results as `reef_filter_set`.
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_read_filter_set(s: *mut Session, text: *const u8, len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let text = text_arg(text, len);
    match s.set_read_filter(&text) {
        Ok(()) => 0,
        Err(e) => {
            write_filter_error(&mut s.out, &text, &e);
            ERR_FILTER
        }
    }
}

/// Re-dissects a batch of ingested frames and writes one byte per frame, `1` if it passes
/// the display filter and `0` if not. Returns the number that pass.
///
/// # Safety
/// As for `reef_ingest`.
#[no_mangle]
pub unsafe extern "C" fn reef_filter_frames(s: *mut Session, meta: *const u32, count: u32, data: *const u8, data_len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let (words, bytes) = slices(meta, count, data, data_len);
    let mut flags = String::with_capacity(count as usize);
    let mut passed = 0;
    for w in words.chunks_exact(META_WORDS) {
        let (m, off) = match read_meta(w, bytes.len()) {
            Some(x) => x,
            None => return ERR_DATA_RANGE,
        };
        match s.passes(m, &bytes[off..off + m.caplen as usize]) {
            Some(true) => {
                flags.push('1');
                passed += 1;
            }
            Some(false) => flags.push('0'),
            None => return ERR_FRAME_RANGE,
        }
    }
    s.out.push_str(&flags);
    passed
}

/// For a batch of ingested frames (metadata only: no bytes are read), one byte per frame:
/// `1` or `0` when what the first pass recorded settles the display filter's verdict, `2`
/// when the frame must go through `reef_filter_frames`. Returns the number settled.
///
/// # Safety
/// `meta` must be valid for `count * META_WORDS` words.
#[no_mangle]
pub unsafe extern "C" fn reef_prejudge_frames(s: *mut Session, meta: *const u32, count: u32) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let (words, _) = slices(meta, count, std::ptr::null(), 0);
    let mut settled = 0;
    for w in words.chunks_exact(META_WORDS) {
        match s.prejudge(w[0]) {
            Some(b) => {
                s.out.push(if b { '1' } else { '0' });
                settled += 1;
            }
            None => s.out.push('2'),
        }
    }
    settled
}

fn write_rgb(out: &mut String, c: filter::color::Rgb) {
    let _ = write!(out, "\"#{:02x}{:02x}{:02x}\"", c.0, c.1, c.2);
}

/// Writes the coloring rules as JSON: `[[name, filter, fg, bg, enabled, note|null], ...]`,
/// colors as `#rrggbb`.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_color_rules(s: *mut Session) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let mut out = std::mem::take(&mut s.out);
    out.push('[');
    for (i, r) in s.color_rules().rules.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        json::write_str(&mut out, r.name);
        out.push(',');
        json::write_str(&mut out, r.filter_text);
        out.push(',');
        write_rgb(&mut out, r.fg);
        out.push(',');
        write_rgb(&mut out, r.bg);
        out.push_str(if r.enabled() { ",true," } else { ",false," });
        match &r.note {
            Some(n) => json::write_str(&mut out, n),
            None => out.push_str("null"),
        }
        out.push(']');
    }
    out.push(']');
    s.out = out;
    0
}

/// Re-dissects a batch of ingested frames and writes the index of each one's coloring rule
/// as a JSON array (-1: no rule matches).
///
/// # Safety
/// As for `reef_ingest`.
#[no_mangle]
pub unsafe extern "C" fn reef_color_frames(s: *mut Session, meta: *const u32, count: u32, data: *const u8, data_len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let (words, bytes) = slices(meta, count, data, data_len);
    let mut out = String::from("[");
    for (i, w) in words.chunks_exact(META_WORDS).enumerate() {
        let (m, off) = match read_meta(w, bytes.len()) {
            Some(x) => x,
            None => return ERR_DATA_RANGE,
        };
        let rule = match s.color_of(m, &bytes[off..off + m.caplen as usize]) {
            Some(r) => r,
            None => return ERR_FRAME_RANGE,
        };
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", rule.map_or(-1, |r| r as i64));
    }
    out.push(']');
    s.out.push_str(&out);
    count as i32
}

/// Completion of the last word of a filter: `{"start":N,"fields":[[abbrev, name, type,
/// blurb], ...]}`, `start` being the character offset of the word being completed.
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_complete(s: *mut Session, text: *const u8, len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let text = text_arg(text, len);
    let (start, fields) = filter::complete(&text);
    let out = &mut s.out;
    let _ = write!(out, "{{\"start\":{},\"fields\":[", char_offset(&text, start));
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        for (k, v) in [f.abbrev, f.name, f.ftype.ws_name(), f.blurb].iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            json::write_str(out, v);
        }
        out.push(']');
    }
    out.push_str("]}");
    fields.len() as i32
}
