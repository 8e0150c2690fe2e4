//! I/O statistics (`-z io,stat,INTERVAL[,COLUMN...]`): per time interval, the frames and bytes
//! passing each column's filter, or a calculation (`COUNT|SUM|MIN|MAX|AVG(field)filter`) over a
//! field's values, laid out as tshark 4.0 draws its table (widths follow the values).
//!
//! tshark reads a field's values only when some filter of the session's taps names that field
//! (only those are "primed" in the tree), so `COUNT(ip.src)ip` alone counts nothing while
//! `COUNT(ip.src)ip.src` counts; Reef reproduces that (see `Stats::parse`).

use super::FrameView;
use crate::field::{FieldDef, FieldType};
use crate::filter::Filter;
use crate::json;
use std::fmt::Write;

const US_PER_SEC: u64 = 1_000_000;
const NS_PER_SEC: u64 = 1_000_000_000;
/// Filters wider than the table widen it up to this many characters, then wrap.
const MAX_FILTER_WIDTH: usize = 102;
/// An interval of 0 (or longer than the capture) means one row over the whole capture.
const WHOLE: u64 = u64::MAX;

pub const USAGE: &str = "invalid \"-z io,stat,<interval>[,<filter>][,<filter>]...\" argument";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Calc {
    Frames,
    Bytes,
    FramesAndBytes,
    Count,
    Sum,
    Min,
    Max,
    Avg,
    Load,
}

/// tshark's function names, in the order it tries them as prefixes of a column.
const CALCS: [(&str, Calc); 9] = [
    ("FRAMES", Calc::Frames),
    ("BYTES", Calc::Bytes),
    ("FRAMES BYTES", Calc::FramesAndBytes),
    ("COUNT", Calc::Count),
    ("SUM", Calc::Sum),
    ("MIN", Calc::Min),
    ("MAX", Calc::Max),
    ("AVG", Calc::Avg),
    ("LOAD", Calc::Load),
];

/// How a field's values are added up and printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Num {
    Unsigned,
    Signed,
    Float,
    /// Nanoseconds.
    RelTime,
    /// Not a number: only COUNT applies.
    Other,
}

fn num_of(t: FieldType) -> Num {
    match t {
        FieldType::Uint8 | FieldType::Uint16 | FieldType::Uint24 | FieldType::Uint32 | FieldType::Uint64 => Num::Unsigned,
        FieldType::Int32 => Num::Signed,
        FieldType::Double => Num::Float,
        FieldType::RelTime => Num::RelTime,
        _ => Num::Other,
    }
}

/// One interval of one column.
#[derive(Clone, Copy, Default)]
struct Cell {
    frames: u32,
    /// Values counted (AVG's divisor).
    num: u32,
    /// Bytes, a count, or an integer/time (ns) accumulation; signed values wrap as in tshark.
    counter: u64,
    float: f64,
}

struct Column {
    /// The column as given (after trimming), shown in the header; None for an empty one.
    title: Option<String>,
    calc: Calc,
    field: Option<&'static FieldDef>,
    num: Num,
    /// Whether a filter of this request names the field (else tshark sees no values).
    primed: bool,
    filter: Option<Filter>,
    /// (interval index, cell), indices increasing.
    cells: Vec<(u64, Cell)>,
    max_frames: u32,
    max_val: u64,
}

pub struct IoStat {
    /// Microseconds; WHOLE for 0.
    interval: u64,
    /// Decimals of the interval as the user wrote it.
    prec: u32,
    columns: Vec<Column>,
    last_rel_us: u64,
    /// Latest time since the first frame over every frame read (tshark's elapsed time).
    elapsed_ns: i64,
}

/// `strtod`'s prefix of `s` (what `sscanf("%lf")` reads): its value and length.
fn float_prefix(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - digits_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac;
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp {
            i = j;
        }
    }
    let text = s[..i].trim_end_matches('.');
    let text = if text.ends_with(|c: char| c == '+' || c == '-') || text.is_empty() { "0" } else { text };
    text.parse::<f64>().ok().map(|v| (v, i))
}

/// Decimal digits of `v`, at most `max_w` (tshark's `magnitude`).
fn magnitude(mut v: u64, max_w: usize) -> usize {
    let mut mag = 0;
    for _ in 0..max_w {
        mag += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    mag
}

/// Microseconds since the first frame as tshark rounds them.
fn to_us(ns: i64) -> u64 {
    let ns = ns.max(0) as u64;
    (ns / NS_PER_SEC) * US_PER_SEC + (ns % NS_PER_SEC + 500) / 1000
}

/// `secs.frac` with `prec` decimals, truncated (Wireshark's `display_signed_time`).
fn seconds_text(ns: u64, prec: u32) -> String {
    let secs = ns / NS_PER_SEC;
    if prec == 0 {
        return secs.to_string();
    }
    let frac = (ns % NS_PER_SEC) / 10u64.pow(9 - prec);
    format!("{}.{:0w$}", secs, frac, w = prec as usize)
}

/// Appends `|` right-aligned so the line reaches `width` (C's `%*s`; a negative width pads
/// on the right instead).
fn close_line(out: &mut String, line_start: usize, width: usize) {
    let used = out.len() - line_start;
    if used < width {
        let _ = write!(out, "{:>w$}", "|", w = width - used);
    } else {
        let _ = write!(out, "{:<w$}", "|", w = used - width);
    }
    out.push('\n');
}

/// tshark's `printcenter`: the label centred in a column `lenval` wide, or nothing at all when
/// the column is too wide for its fixed pad buffer.
fn print_center(out: &mut String, label: &str, lenval: usize) {
    let len = 6 - ((lenval as i64 - label.len() as i64) / 2 + 1);
    if len > 0 && len < 6 {
        let pad = (6 - len) as usize;
        let left = if (lenval as i64 - label.len() as i64) % 2 == 0 { pad } else { pad + 1 };
        let _ = write!(out, "{:l$}{}{:r$}|", "", label, "", l = left, r = pad);
    }
}

impl IoStat {
    /// Parses `io,stat,INTERVAL[,COLUMN...]` (the whole argument). Errors are tshark's messages.
    pub fn parse(arg: &str, zone: &crate::addr::Zone) -> Result<IoStat, String> {
        let after = arg.strip_prefix("io,stat,").ok_or_else(|| USAGE.to_string())?;
        if arg.ends_with(',') {
            return Err(USAGE.to_string());
        }
        let (value, used) = float_prefix(after.trim_start()).ok_or_else(|| USAGE.to_string())?;
        let used = used + (after.len() - after.trim_start().len());
        let rest = &after[used..];
        if !rest.is_empty() && !rest.starts_with(',') {
            return Err(USAGE.to_string());
        }
        let (interval, prec) = if value == 0.0 {
            (WHOLE, 0)
        } else {
            // A negative interval wraps around in tshark's conversion: one row for everything.
            let us = value * 1e6 + 0.5;
            let interval = if us < 0.0 { us as i64 as u64 } else { us as u64 };
            let mut prec = 6u32;
            let mut i = 10u64;
            while i < 10_000_000 {
                if interval % i > 0 {
                    break;
                }
                prec -= 1;
                i *= 10;
            }
            if prec == 0 {
                // Zeros written after the point keep their decimals ("1.00" shows 2). Without
                // a filter after it, tshark's length computation runs off the end: 6.
                let text = &after[..used];
                if let Some(dot) = text.find('.') {
                    if !rest.is_empty() {
                        let decimals = text.len() - dot - 1;
                        if decimals > 0 {
                            prec = decimals.min(6) as u32;
                        }
                    } else {
                        prec = 6;
                    }
                }
            }
            (interval, prec)
        };
        if interval < 1 {
            return Err("\"-z\" interval must be >=0.000001 seconds or \"0\" for the entire capture duration.".to_string());
        }
        let mut columns = Vec::new();
        if rest.is_empty() {
            columns.push(Column::new(None, zone)?.map_err(|e| format!("Couldn't register io,stat tap: {}", e))?);
        } else {
            // tshark 4.0 splits at every comma, even one inside a filter.
            for piece in rest[1..].split(',') {
                let trimmed = piece.trim();
                let title = if trimmed.is_empty() { None } else { Some(trimmed.to_string()) };
                columns.push(Column::new(title, zone)?.map_err(|e| format!("Couldn't register io,stat tap: {}", e))?);
            }
        }
        Ok(IoStat { interval, prec, columns, last_rel_us: 0, elapsed_ns: 0 })
    }

    /// Fields the columns' filters name.
    pub fn filter_fields(&self) -> impl Iterator<Item = &'static FieldDef> + '_ {
        self.columns.iter().filter_map(|c| c.filter.as_ref()).flat_map(|f| f.fields().iter().copied())
    }

    /// Marks the columns whose field some filter of the session names (`named`: the fields of
    /// every statistic's filters): tshark's tree holds values only for those.
    pub fn prime(&mut self, named: &[&'static FieldDef]) {
        for c in &mut self.columns {
            c.primed = c.field.map_or(false, |f| named.iter().any(|n| n.abbrev == f.abbrev));
        }
    }

    /// Every frame read moves the capture's elapsed time, whether or not a column counts it.
    pub fn note_time(&mut self, rel_ns: i64) {
        self.elapsed_ns = self.elapsed_ns.max(rel_ns);
    }

    pub fn feed(&mut self, f: &FrameView) {
        let rel_us = if f.rel_ns >= 0 { to_us(f.rel_ns) } else { self.last_rel_us };
        self.last_rel_us = rel_us;
        let row = if self.interval == WHOLE { 0 } else { rel_us / self.interval };
        for c in &mut self.columns {
            if let Some(filter) = c.filter.as_mut() {
                if !filter.matches(f.tree, f.data) {
                    continue;
                }
            }
            c.add(row, f);
        }
    }

    pub fn write_text(&self, out: &mut String) {
        let elapsed_ns = self.elapsed_ns.max(0) as u64;
        let mut duration = to_us(elapsed_ns as i64);
        let whole = self.interval > duration || self.interval == WHOLE;
        let mut interval = if whole { duration } else { self.interval };
        let mut dur_mag = magnitude(duration / US_PER_SEC, 5);
        let invl_mag = magnitude(interval / US_PER_SEC, 5);
        let (prec, mut borderlen) = if interval == duration {
            let prec = if dur_mag >= 2 {
                1
            } else if dur_mag == 1 {
                3
            } else {
                6
            };
            (prec, 30 + dur_mag + prec as usize + 1)
        } else {
            (self.prec, 25 + invl_mag.max(dur_mag) + if self.prec == 0 { 0 } else { self.prec as usize + 1 })
        };
        let dv = US_PER_SEC / 10u64.pow(prec);
        if duration % dv > 5 * (dv / 10) {
            duration = (duration + 5 * (dv / 10)) / dv * dv;
            dur_mag = magnitude(duration / US_PER_SEC, 5);
        }
        if whole {
            interval = duration;
        }
        let invl_col_w = if prec == 0 { 2 * dur_mag + 8 } else { 2 * dur_mag + 2 * prec as usize + 10 }.max(12);
        let widths: Vec<(usize, usize)> = self.columns.iter().map(|c| c.widths(interval)).collect();
        let tabrow_w = invl_col_w
            + self.columns.iter().zip(&widths).map(|(c, &(fr, val))| match c.calc {
                Calc::Frames => fr + 3,
                Calc::FramesAndBytes => fr + val + 6,
                _ => val + 3,
            }).sum::<usize>();
        borderlen = borderlen.max(tabrow_w);
        let max_filter = self.columns.iter().map(|c| c.title.as_ref().map_or(26, |t| t.len() + 11)).max().unwrap_or(0);
        if max_filter > borderlen && borderlen < MAX_FILTER_WIDTH {
            borderlen = max_filter.min(MAX_FILTER_WIDTH);
        }
        if borderlen - tabrow_w == 1 {
            borderlen += 1;
        }
        self.write_header(out, borderlen, prec, interval);
        // Column numbers, then labels.
        let filler = if tabrow_w < borderlen { format!("{:>w$}", "|", w = borderlen - tabrow_w) } else { String::new() };
        let _ = write!(out, "|{:>w$}", "|", w = invl_col_w - 1);
        for (j, (c, &(fr, val))) in self.columns.iter().zip(&widths).enumerate() {
            let padding = match c.calc {
                Calc::FramesAndBytes => fr + val + 3,
                Calc::Frames => fr,
                _ => val,
            };
            let _ = write!(out, "{:<2}{:p$}|", j + 1, "", p = padding);
        }
        out.push_str(&filler);
        let _ = write!(out, "\n| Interval{:>w$}", "|", w = invl_col_w - 10);
        for (c, &(fr, val)) in self.columns.iter().zip(&widths) {
            match c.calc {
                Calc::Frames => print_center(out, "FRAMES", fr),
                Calc::FramesAndBytes => {
                    print_center(out, "Frames", fr);
                    print_center(out, "Bytes", val);
                }
                other => print_center(out, CALCS.iter().find(|(_, k)| *k == other).map_or("", |(n, _)| n), val),
            }
        }
        out.push_str(&filler);
        let _ = write!(out, "\n|{}|{}\n", "-".repeat(tabrow_w - 2), filler);
        self.write_rows(out, duration, interval, prec, dur_mag, &widths, &filler);
        out.push_str(&"=".repeat(borderlen));
        out.push('\n');
    }

    fn write_header(&self, out: &mut String, borderlen: usize, prec: u32, interval: u64) {
        let _ = write!(out, "\n{}\n|{:<w$}|\n|{:w$}|\n", "=".repeat(borderlen), " IO Statistics", "", w = borderlen - 2);
        // The duration shows microseconds when the interval is whole seconds.
        let dur_prec = if prec == 0 { 6 } else { prec };
        let unit = 10u64.pow(9 - dur_prec);
        let elapsed = self.elapsed_ns.max(0) as u64;
        let rounded = (elapsed + unit / 2) / unit * unit;
        let dur_mag = magnitude(elapsed / NS_PER_SEC, 5);
        let dur_w = dur_mag + if prec == 0 { 0 } else { prec as usize + 1 };
        // tshark 4.0 pads the microseconds of a whole-second interval with spaces ("1.  5243").
        let duration = if prec == 0 {
            format!("{}.{:>6}", rounded / NS_PER_SEC, rounded % NS_PER_SEC / 1000)
        } else {
            seconds_text(rounded, dur_prec)
        };
        // Both lines are padded for the widths tshark expects, even when a long capture's
        // seconds overflow them (a negative pad in C's `%*s` pads as much on the left).
        let lines = [("Duration", duration, if prec == 0 { 7 } else { 0 }), ("Interval", seconds_text(interval * 1000, prec), 0)];
        for (label, text, extra) in lines.iter() {
            let pad = borderlen as i64 - 18 - (dur_w + extra) as i64;
            let _ = writeln!(out, "| {}: {:>w$} secs{:p$}|", label, text, "", w = dur_w, p = pad.unsigned_abs() as usize);
        }
        let _ = writeln!(out, "|{:w$}|", "", w = borderlen - 2);
        for (j, c) in self.columns.iter().enumerate() {
            let mut start = out.len();
            out.push_str(if j == 0 { "| Col" } else { "|    " });
            let _ = write!(out, "{:2}: ", j + 1);
            match &c.title {
                None => out.push_str("Frames and bytes"),
                Some(title) => {
                    let max_w = borderlen.saturating_sub(11).max(1);
                    let mut rest = title.as_str();
                    while rest.len() > max_w {
                        let mut cut = max_w;
                        while !rest.is_char_boundary(cut) {
                            cut -= 1;
                        }
                        let (len, next) = match rest[..cut].rfind(' ') {
                            Some(pos) => (pos, pos + 1),
                            None => (cut.max(1), cut.max(1)),
                        };
                        out.push_str(&rest[..len]);
                        close_line(out, start, borderlen);
                        start = out.len();
                        out.push_str("|        ");
                        rest = &rest[next..];
                    }
                    out.push_str(rest);
                }
            }
            close_line(out, start, borderlen);
        }
        let _ = writeln!(out, "|{}|", "-".repeat(borderlen - 2));
    }

    #[allow(clippy::too_many_arguments)]
    fn write_rows(&self, out: &mut String, duration: u64, interval: u64, prec: u32, dur_mag: usize, widths: &[(usize, usize)], filler: &str) {
        let dv = US_PER_SEC / 10u64.pow(prec);
        let mut cursors = vec![0usize; self.columns.len()];
        let mut t = 0u64;
        let mut row = 0u64;
        while t < duration {
            let mut end = t.saturating_add(interval);
            let last = end >= duration;
            if last {
                end = duration;
            }
            let (m, p) = (dur_mag, prec as usize);
            if prec == 0 {
                let pad = if dur_mag == 1 { " " } else { "" };
                if last {
                    let _ = write!(out, "| {}{:>m$} <> {:<w$}|", pad, t / US_PER_SEC, "Dur", w = if dur_mag >= 3 { dur_mag + 1 } else { 3 });
                } else {
                    let _ = write!(out, "| {}{:>m$} <> {:>m$} {}|", pad, t / US_PER_SEC, end / US_PER_SEC, pad);
                }
            } else {
                let _ = write!(
                    out,
                    "| {:>m$}.{:0p$} <> {:>m$}.{:0p$} |",
                    t / US_PER_SEC,
                    t % US_PER_SEC / dv,
                    end / US_PER_SEC,
                    end % US_PER_SEC / dv
                );
            }
            for (j, c) in self.columns.iter().enumerate() {
                let cells = &c.cells;
                while cursors[j] < cells.len() && cells[cursors[j]].0 < row {
                    cursors[j] += 1;
                }
                let cell = match cells.get(cursors[j]) {
                    Some((r, cell)) if *r == row => *cell,
                    _ => Cell::default(),
                };
                c.write_cell(out, &cell, widths[j]);
            }
            out.push_str(filler);
            out.push('\n');
            if last {
                break;
            }
            t = end;
            row += 1;
        }
    }

    /// `{interval_us, duration_us, columns: [{title, calc, rows: [{frames, value}]}]}`.
    pub fn write_json(&self, out: &mut String) {
        let _ = write!(out, "{{\"interval_us\":{},\"elapsed_ns\":{},\"columns\":[", if self.interval == WHOLE { 0 } else { self.interval }, self.elapsed_ns);
        for (j, c) in self.columns.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("{\"title\":");
            match &c.title {
                Some(t) => json::write_str(out, t),
                None => out.push_str("null"),
            }
            out.push_str(",\"rows\":[");
            for (i, (row, cell)) in c.cells.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{{\"interval\":{},\"frames\":{},\"counter\":{},\"values\":{}}}", row, cell.frames, cell.counter, cell.num);
            }
            out.push_str("]}");
        }
        out.push_str("]}");
    }
}

#[path = "iostat_column.rs"]
mod column;

#[cfg(test)]
#[path = "iostat_tests.rs"]
mod tests;
