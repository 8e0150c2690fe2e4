//! The session's `-z` statistics: started from tshark's arguments, fed each first-pass frame
//! (or re-dissected frames, for the TUI), and written as tshark's text or as JSON.

use super::Session;
use crate::packet::FrameMeta;
use crate::stats::{FrameView, Stats};

impl Session {
    /// Whether the statistics read the taps the dissectors queue (header tables only), and
    /// whether they need a tree all the same (their filters, or collectors that read one).
    pub(crate) fn stats_reading(&self) -> (bool, bool) {
        let queue = self.stats.tables_only();
        (queue, if queue { self.stats.tables_filtered() } else { self.stats.needs_tree() })
    }

    /// Starts the statistics given as tshark `-z` arguments, one per line (see `Stats::parse`),
    /// replacing any earlier ones.
    pub fn start_stats(&mut self, text: &str) -> Result<(), String> {
        self.stats = Stats::parse(text, &self.config.zone)?;
        self.print_interest = None;
        self.scope_cache = None;
        Ok(())
    }

    /// Feeds the last dissection (which must have had a tree) to the statistics. `displayed`
    /// says whether the frame counts (a host applying a read filter passes false for the rest).
    pub fn feed_stats(&mut self, meta: &FrameMeta, data: &[u8], displayed: bool) {
        let queued = self.tree.taps.on;
        if self.stats.is_empty() || !(self.tree.enabled() || queued) {
            return;
        }
        if self.stats.needs_time_column() {
            self.write_time(meta);
        }
        let view = FrameView {
            number: meta.number,
            ts_ns: meta.ts_ns,
            rel_ns: self.relative_time(meta.ts_ns),
            origlen: meta.origlen,
            data,
            tree: &self.tree,
            time_column: &self.time_text,
        };
        self.stats.feed(&view, displayed, queued.then(|| &self.tree.taps.list[..]));
    }

    /// Re-dissects an ingested frame for the statistics (for hosts whose first pass ran without
    /// them, like the TUI). Frames outside the one stream the statistics follow are skipped.
    pub fn feed_stats_revisit(&mut self, meta: FrameMeta, data: &[u8]) -> bool {
        if let Some((transport, stream)) = self.stats.stream_scope() {
            let in_stream = (0..4).any(|k| match transport {
                crate::stats::Transport::Tcp => self.state.tcp.stored(meta.number, k).map_or(false, |i| i.stream == stream),
                crate::stats::Transport::Udp => self.state.udp.stored(meta.number, k) == Some(stream),
            });
            if !in_stream {
                return meta.number >= 1 && meta.number <= self.frame_count();
            }
        }
        if !self.revisit(meta, data, true) {
            return false;
        }
        self.feed_stats(&meta, data, true);
        true
    }

    /// Appends tshark's text of every statistic to `out` (the last requested prints first).
    pub fn write_stats_text(&mut self) {
        self.note_stats_elapsed();
        self.stats.write_text(&mut self.out, self.config.time, &self.config.zone);
    }

    /// `write_stats_text` in parts of about `budget` bytes: false while more remains (the host
    /// takes `out` between calls and asks until true).
    pub fn write_stats_text_part(&mut self, budget: usize) -> bool {
        self.note_stats_elapsed();
        self.stats.write_text_part(&mut self.out, self.config.time, &self.config.zone, budget)
    }

    /// io,stat's duration is the file's, also when a second pass feeds it only some frames.
    fn note_stats_elapsed(&mut self) {
        let first = self.state.frame_ts.first().unwrap_or(0);
        let last = self.state.frame_ts.max().unwrap_or(first);
        self.stats.note_elapsed(last - first);
    }

    /// Appends the JSON of statistic `index` (request order) to `out`; false if there is none.
    pub fn write_stats_json(&mut self, index: usize) -> bool {
        self.stats.write_json(index, &mut self.out)
    }
}
