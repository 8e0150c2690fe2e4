//! One column of `-z io,stat`: how tshark reads its text, counts a frame into an interval,
//! and sizes and prints its cells.

use super::{magnitude, Calc, Cell, Column, Num, CALCS, NS_PER_SEC};
use crate::field::{find_field, FieldDef};
use crate::filter::{Filter, Options as FilterOptions};
use crate::stats::FrameView;
use crate::tree::Value;
use std::fmt::Write;

impl Column {
    /// Reads a column (`filter`, `FRAMES`, `BYTES()filter`, `SUM(field)filter`, ...). The outer
    /// error is a bad calculation, the inner one a filter that did not compile (the caller
    /// words them differently).
    pub(super) fn new(title: Option<String>, zone: &crate::addr::Zone) -> Result<Result<Column, String>, String> {
        let text = title.as_deref().unwrap_or("");
        let mut calc = Calc::FramesAndBytes;
        let mut filter_text: &str = text;
        let mut field: Option<&'static FieldDef> = None;
        // tshark tries every name as a prefix; a later name that does not match resets the
        // filter of a bare FRAMES or BYTES to nothing.
        for (name, kind) in CALCS.iter() {
            if title.is_some() && text.starts_with(name) {
                calc = *kind;
                let after = &text[name.len()..];
                if let Some(inner) = after.strip_prefix('(') {
                    let close = inner.find(')').ok_or_else(|| "Closing parenthesis missing from calculated expression.".to_string())?;
                    let name_in_parens = &inner[..close];
                    let plain = calc == Calc::Frames || calc == Calc::Bytes;
                    if plain && !name_in_parens.is_empty() {
                        return Err(format!("{} does not require or allow a field name within the parens.", name));
                    }
                    if !plain && name_in_parens.is_empty() {
                        return Err(format!("You didn't specify a field name for {}(*).", name));
                    }
                    filter_text = &inner[close + 1..];
                    if plain {
                        break;
                    }
                    let f = find_field(name_in_parens).ok_or_else(|| format!("There is no field named '{}'.", name_in_parens))?;
                    field = Some(f);
                    check_type(calc, f, name)?;
                    break;
                }
            } else if calc == Calc::Frames || calc == Calc::Bytes {
                filter_text = "";
            }
        }
        if calc == Calc::Load {
            return Err("LOAD() is not computed by Reef".to_string());
        }
        let filter = if filter_text.trim().is_empty() {
            None
        } else {
            match Filter::compile_with(filter_text, FilterOptions { zone: Some(zone), lenient: false }) {
                Ok(f) => Some(f),
                Err(e) => return Ok(Err(format!("Filter \"{}\" is invalid - {}", filter_text, e.message))),
            }
        };
        let num = field.map_or(super::Num::Other, |f| super::num_of(f.ftype));
        Ok(Ok(Column { title, calc, field, num, primed: false, filter, cells: Vec::new(), max_frames: 0, max_val: 0 }))
    }

    /// Counts frame `f` into interval `row`. Intervals only move forward: a frame earlier than
    /// the last counted one joins that one's interval, as in tshark.
    pub(super) fn add(&mut self, row: u64, f: &FrameView) {
        let row = self.cells.last().map_or(row, |(r, _)| row.max(*r));
        if self.cells.last().map_or(true, |(r, _)| *r != row) {
            self.cells.push((row, Cell::default()));
        }
        let (calc, num, primed, field) = (self.calc, self.num, self.primed, self.field);
        let cell = match self.cells.last_mut() {
            Some((_, c)) => c,
            None => return,
        };
        cell.frames += 1;
        let values = || {
            f.tree.nodes.iter().filter(move |n| primed && field.map_or(false, |fd| std::ptr::eq(n.field, fd)))
        };
        match calc {
            Calc::Frames | Calc::Bytes | Calc::FramesAndBytes => cell.counter += f.origlen as u64,
            Calc::Count => cell.counter += values().count() as u64,
            Calc::Sum => {
                for n in values() {
                    match (num, &n.value) {
                        (Num::Float, Value::Double(v)) => cell.float += v,
                        (_, v) => cell.counter = cell.counter.wrapping_add(int_of(v)),
                    }
                }
            }
            Calc::Min | Calc::Max => {
                let is_min = calc == Calc::Min;
                for (i, n) in values().enumerate() {
                    // tshark takes the first value of an interval only from its first frame.
                    let first = is_min && cell.frames == 1 && i == 0;
                    match (num, &n.value) {
                        (Num::Float, Value::Double(v)) => {
                            if first || (is_min && *v < cell.float) || (!is_min && *v > cell.float) {
                                cell.float = *v;
                            }
                        }
                        (Num::Signed, v) => {
                            let (x, cur) = (int_of(v) as i64, cell.counter as i64);
                            if first || (is_min && x < cur) || (!is_min && x > cur) {
                                cell.counter = x as u64;
                            }
                        }
                        (_, v) => {
                            let x = int_of(v);
                            if first || (is_min && x < cell.counter) || (!is_min && x > cell.counter) {
                                cell.counter = x;
                            }
                        }
                    }
                }
            }
            Calc::Avg => {
                for n in values() {
                    cell.num += 1;
                    match (num, &n.value) {
                        (Num::Float, Value::Double(v)) => cell.float += v,
                        (_, v) => cell.counter = cell.counter.wrapping_add(int_of(v)),
                    }
                }
            }
            Calc::Load => {}
        }
        let cell = *cell;
        match calc {
            Calc::Frames | Calc::FramesAndBytes => {
                self.max_frames = self.max_frames.max(cell.frames);
                if calc == Calc::FramesAndBytes {
                    self.max_val = self.max_val.max(cell.counter);
                }
            }
            Calc::Bytes | Calc::Count | Calc::Load => self.max_val = self.max_val.max(cell.counter),
            Calc::Sum | Calc::Min | Calc::Max => {
                let v = if num == Num::Float { (cell.float + 0.5) as u64 } else { cell.counter };
                self.max_val = self.max_val.max(v);
            }
            Calc::Avg => {
                if cell.num > 0 {
                    let n = cell.num as u64;
                    let v = match num {
                        Num::Float => cell.float as u64 / n,
                        Num::RelTime => (cell.counter / n + NS_PER_SEC / 2) / NS_PER_SEC,
                        _ => cell.counter / n,
                    };
                    self.max_val = self.max_val.max(v);
                }
            }
        }
    }

    /// Widths of the frames part and of the value part (without padding and borders).
    pub(super) fn widths(&self, interval: u64) -> (usize, usize) {
        let fr = magnitude(self.max_frames as u64, 15).max(6);
        let val = match self.calc {
            Calc::Frames => 0,
            Calc::FramesAndBytes | Calc::Bytes | Calc::Count => magnitude(self.max_val, 15).max(5),
            _ => match self.num {
                Num::Float => magnitude(self.max_val, 15) + 7,
                Num::RelTime => {
                    let secs = match self.calc {
                        Calc::Load => self.max_val / interval.max(1),
                        Calc::Avg => self.max_val,
                        _ => (self.max_val + NS_PER_SEC / 2) / NS_PER_SEC,
                    };
                    magnitude(secs, 15) + 7
                }
                _ => magnitude(self.max_val, 15).max(CALCS.iter().find(|(_, k)| *k == self.calc).map_or(0, |(n, _)| n.len())),
            },
        };
        (fr, val)
    }

    pub(super) fn write_cell(&self, out: &mut String, cell: &Cell, (fr, val): (usize, usize)) {
        let count = |out: &mut String, v: u64| {
            let _ = write!(out, " {:>w$} |", v, w = val);
        };
        match self.calc {
            Calc::Frames => {
                let _ = write!(out, " {:>w$} |", cell.frames, w = fr);
            }
            Calc::Bytes | Calc::Count => count(out, cell.counter),
            Calc::FramesAndBytes => {
                let _ = write!(out, " {:>f$} | {:>v$} |", cell.frames, cell.counter, f = fr, v = val);
            }
            _ => {
                let divisor = if self.calc == Calc::Avg { cell.num.max(1) as u64 } else { 1 };
                match self.num {
                    Num::Float => {
                        let _ = write!(out, " {:>w$.6} |", cell.float / divisor as f64, w = val - 7);
                    }
                    Num::RelTime => {
                        let us = (cell.counter / divisor + 500) / 1000;
                        let _ = write!(out, " {:>w$}.{:06} |", (us / 1_000_000) as i32, us % 1_000_000, w = val - 7);
                    }
                    Num::Signed => {
                        let _ = write!(out, " {:>w$} |", (cell.counter / divisor) as i64, w = val);
                    }
                    _ => count(out, cell.counter / divisor),
                }
            }
        }
    }
}

/// A value as tshark's integer counters hold it (signed values wrap, times in ns).
fn int_of(v: &Value) -> u64 {
    match v {
        Value::Uint(x) => *x,
        Value::Int(x) => *x as u64,
        Value::Time(ns) => *ns as u64,
        Value::Bool(b) => *b as u64,
        _ => 0,
    }
}

/// tshark's check that a calculation applies to the field's type.
fn check_type(calc: Calc, f: &FieldDef, name: &str) -> Result<(), String> {
    match super::num_of(f.ftype) {
        Num::Unsigned | Num::Signed => Ok(()),
        Num::Float if calc == Calc::Load => Err(format!("{} is a float field, so {}(*) calculations are not supported on it.", f.abbrev, name)),
        Num::Float | Num::RelTime => Ok(()),
        Num::Other if calc == Calc::Count => Ok(()),
        Num::Other => Err(format!("{} doesn't have integral values, so {}(*) calculations are not supported on it.", f.abbrev, name)),
    }
}
