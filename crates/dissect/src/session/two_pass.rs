//! tshark's two-pass mode (`-2`, with an optional `-R` read filter). The first pass dissects
//! every frame (the analysis sees them all) and keeps those the read filter passes; the second
//! re-dissects only the kept frames, numbered 1.. in order, and prints those the display filter
//! passes. Statistics see every kept frame, in the second pass, as tshark's taps do.
//!
//! tshark 4.0's quirks are kept, because scripts compare with its output:
//! - its first pass numbers a frame "kept so far + 1", so a dropped frame shares its number with
//!   the next kept one, and frame references the analysis made (`tcp.analysis.acks_frame`,
//!   `http.request_in`, ...) carry those first-pass numbers;
//! - its reference frame is the file's first frame even when `-R` dropped it, and looking up
//!   frame 1's time gives that frame's: `frame.time_relative` counts from it, and so do the
//!   deltas of frame 2 and of the frame displayed after frame 1.

use super::Session;
use crate::field::FieldType;
use crate::filter::{Filter, FilterError, Options};
use crate::packet::FrameMeta;
use crate::proto::frame::FrameTimes;
use crate::tree::Value;

#[derive(Default)]
pub struct TwoPass {
    read_filter: Option<Filter>,
    /// The number tshark's first pass gave each ingested frame (by file order).
    first_pass_number: Vec<u32>,
    /// The file number of each kept frame (by new number - 1).
    kept: Vec<u32>,
    /// The time tshark looks up for each new number: the kept frame's, except frame 1's, which
    /// is the file's first frame.
    kept_ts: Vec<i64>,
    /// How many kept frames the second pass has printed (or skipped with the display filter).
    cursor: usize,
    /// The second pass has started: numbers and times follow the kept frames.
    active: bool,
    /// Frames of the file the second pass has been given.
    seen: u32,
}

impl TwoPass {
    /// What tshark takes as the time of the frame before new number `number` in the second pass.
    pub fn prev_ts(&self, number: u32) -> Option<i64> {
        if !self.active || number < 2 {
            return None;
        }
        self.kept_ts.get(number as usize - 2).copied()
    }
}

impl Session {
    /// `-R`: the read filter of the first pass; an empty text clears it.
    pub fn set_read_filter(&mut self, text: &str) -> Result<(), FilterError> {
        self.two_pass.read_filter = if text.trim().is_empty() {
            None
        } else {
            Some(Filter::compile_with(text, Options { zone: Some(&self.config.zone), lenient: false })?)
        };
        Ok(())
    }

    /// First pass over the next frame of the file: analysis, then the read filter's verdict.
    /// Nothing is printed. Returns whether the frame is kept.
    pub fn ingest_first_pass(&mut self, meta: FrameMeta, data: &[u8]) -> bool {
        let interest = self.two_pass.read_filter.as_ref().map(|f| f.interest().map(|i| i.to_vec()));
        let want_tree = interest.is_some();
        if let Some(i) = &interest {
            self.tree.set_interest(i.as_deref());
            self.tree.set_labels(false);
        }
        // tshark's first pass numbers the frame "kept so far + 1", and -R sees that number.
        let mut meta = meta;
        meta.number = self.frame_count() + 1;
        self.state.frame_ts.push(meta.ts_ns);
        let mut times = self.times(meta.number, meta.ts_ns);
        times.shown_number = self.two_pass.kept.len() as u32 + 1;
        self.run_with(meta, data, false, want_tree, times);
        self.tree.set_interest(None);
        self.tree.set_labels(true);
        let tp = &mut self.two_pass;
        tp.first_pass_number.push(tp.kept.len() as u32 + 1);
        let kept = match tp.read_filter.as_mut() {
            Some(f) => f.matches(&self.tree, data),
            None => true,
        };
        if kept {
            let first = self.state.frame_ts.first().unwrap_or(meta.ts_ns);
            tp.kept.push(self.state.frame_ts.len());
            tp.kept_ts.push(if tp.kept_ts.is_empty() { first } else { meta.ts_ns });
        }
        kept
    }

    /// Second pass over the next frame of the file (the host reads the file again, in the same
    /// order): a kept frame is re-dissected under its new number, fed to the statistics and
    /// printed if the display filter passes it; other frames are skipped.
    pub fn print_second_pass(&mut self, meta: FrameMeta, data: &[u8]) {
        self.state.tcp.final_view = true;
        self.state.tls.final_view = true;
        let tp = &mut self.two_pass;
        tp.active = true;
        tp.seen += 1;
        let file_number = tp.seen;
        if tp.kept.get(tp.cursor) != Some(&file_number) {
            return;
        }
        self.two_pass.cursor += 1;
        let shown = self.two_pass.cursor as u32;
        let coloring = self.config.color && self.config.mode == crate::print::Mode::Summary;
        let (queue_taps, stats_tree) = self.stats_reading();
        let want_tree = self.display_filter.is_some() || coloring || stats_tree || self.config.needs_tree();
        let whole = self.config.needs_labels() || self.config.hex || self.stats.needs_whole_tree();
        let narrow = want_tree && !whole;
        if narrow {
            self.prepare_print_interest();
        }
        self.tree.set_interest(if narrow { self.print_interest.as_ref().and_then(|i| i.as_deref()) } else { None });
        self.tree.set_labels(self.config.needs_labels() || self.stats.needs_labels());
        let first_ns = self.state.frame_ts.first().unwrap_or(meta.ts_ns);
        let times = FrameTimes {
            first_ns,
            prev_ns: self.two_pass.prev_ts(shown).unwrap_or(meta.ts_ns),
            prev_displayed_ns: self.prev_displayed_ns.unwrap_or(meta.ts_ns),
            shown_number: shown,
        };
        let file_meta = FrameMeta { number: file_number, ..meta };
        self.tree.taps.on = queue_taps;
        self.run_with(file_meta, data, true, want_tree, times);
        self.tree.set_interest(None);
        self.tree.set_labels(true);
        self.renumber_references();
        let meta = FrameMeta { number: shown, ..meta };
        if self.config.mode == crate::print::Mode::Fields {
            self.write_fields_header();
        }
        let displayed = match self.display_filter.as_mut() {
            Some(f) => f.matches(&self.tree, data),
            None => true,
        };
        self.last_displayed = displayed;
        self.feed_stats(&meta, data, true);
        self.tree.taps.on = false;
        if !displayed {
            return;
        }
        self.frame_color = None;
        if coloring {
            self.frame_color = self.colors.get_or_insert_with(crate::filter::color::ColorRules::defaults).classify(&self.tree, data);
        }
        if self.config.hex && !self.tree.enabled() {
            // print_frame would re-dissect under the file number; give it the whole tree now.
            self.run_with(file_meta, data, true, true, times);
            self.renumber_references();
        }
        self.print_frame(&meta, data);
        if shown == 1 {
            // A later frame's "previous displayed" lookup of frame 1 finds the reference frame.
            self.prev_displayed_ns = Some(first_ns);
        }
    }

    /// Frame references made by the analysis, turned into the numbers tshark's first pass used.
    fn renumber_references(&mut self) {
        if self.two_pass.read_filter.is_none() {
            return;
        }
        let numbers = &self.two_pass.first_pass_number;
        for node in self.tree.nodes.iter_mut() {
            if node.field.ftype != FieldType::FrameNum {
                continue;
            }
            if let Value::Uint(f) = node.value {
                if let Some(n) = numbers.get((f as usize).wrapping_sub(1)) {
                    node.value = Value::Uint(*n as u64);
                }
            }
        }
    }
}
