//! The C ABI of the `-z` statistics (see `abi.rs` for the conventions): start them, feed
//! ingested frames (hosts whose first pass ran without them), read tshark's text or one
//! statistic's JSON, and move conversation and endpoint tables between sessions that each
//! dissected one shard of a capture (`stats::merge`).

use crate::abi::{config_result, read_meta, slices, text_arg, ERR_DATA_RANGE, ERR_FRAME_RANGE, ERR_NULL, ERR_STATS_INDEX, META_WORDS};
use crate::session::Session;

/// Starts statistics: tshark `-z` arguments, one per line (see `stats::Stats::parse`). The
/// first pass (`reef_ingest` with printing) then feeds them. Returns 0, or ERR_CONFIG with the
/// message in the output buffer.
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_stats_start(s: *mut Session, text: *const u8, len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let result = s.start_stats(&text_arg(text, len));
    config_result(s, result)
}

/// Feeds already ingested frames to the statistics, re-dissecting them (for hosts whose first
/// pass did not print, like the TUI). Returns the number of frames.
///
/// # Safety
/// As for `reef_ingest`.
#[no_mangle]
pub unsafe extern "C" fn reef_stats_feed(s: *mut Session, meta: *const u32, count: u32, data: *const u8, data_len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let (words, bytes) = slices(meta, count, data, data_len);
    for w in words.chunks_exact(META_WORDS) {
        let (m, off) = match read_meta(w, bytes.len()) {
            Some(x) => x,
            None => return ERR_DATA_RANGE,
        };
        if !s.feed_stats_revisit(m, &bytes[off..off + m.caplen as usize]) {
            return ERR_FRAME_RANGE;
        }
    }
    count as i32
}

/// Writes tshark's text of every statistic to the output buffer.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_stats_text(s: *mut Session) -> i32 {
    match s.as_mut() {
        Some(s) => {
            s.write_stats_text();
            0
        }
        None => ERR_NULL,
    }
}

/// `reef_stats_text` in parts of about `budget` bytes: returns 1 while more remains (take the
/// output and call again), 0 after the last part.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_stats_text_part(s: *mut Session, budget: u32) -> i32 {
    match s.as_mut() {
        Some(s) => i32::from(!s.write_stats_text_part(budget as usize)),
        None => ERR_NULL,
    }
}

/// Writes this session's conversation and endpoint tables for another session to absorb
/// (`reef_stats_absorb`; see `stats::merge`); ERR_CONFIG if a statistic does not merge.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_stats_export(s: *mut Session) -> i32 {
    match s.as_mut() {
        Some(s) => {
            let result = s.export_stats();
            config_result(s, result)
        }
        None => ERR_NULL,
    }
}

/// Adds another session's `reef_stats_export` (same `-z` arguments) to this session's tables;
/// ERR_CONFIG with the message in the output buffer if it does not parse.
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn reef_stats_absorb(s: *mut Session, text: *const u8, len: usize) -> i32 {
    let s = match s.as_mut() {
        Some(s) => s,
        None => return ERR_NULL,
    };
    let text = text_arg(text, len);
    let result = s.absorb_stats(&text);
    config_result(s, result)
}

/// Writes the JSON of statistic `index` (in request order) to the output buffer.
///
/// # Safety
/// `s` must be a live session.
#[no_mangle]
pub unsafe extern "C" fn reef_stats_json(s: *mut Session, index: u32) -> i32 {
    match s.as_mut() {
        Some(s) => {
            if s.write_stats_json(index as usize) {
                0
            } else {
                ERR_STATS_INDEX
            }
        }
        None => ERR_NULL,
    }
}
