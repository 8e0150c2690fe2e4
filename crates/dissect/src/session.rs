//! A Session ingests frames in order (the first pass, which runs the stateful analysis once)
//! and later re-dissects any ingested frame on its own with the same answers.

use crate::analysis::State;
use crate::filter::color::{self, ColorRules};
use crate::filter::{Filter, FilterError, Options};
use crate::packet::{Columns, Ctx, FrameMeta, Scope};
use crate::print::{self, fields, hexdump, time, verbose, Mode};
use crate::proto::frame::{self, FrameTimes, InterfaceRef};
use crate::stats::Stats;
use crate::summary;
use crate::tree::Tree;

mod prejudge;
mod scope;
mod shard;
mod statistics;
mod two_pass;

pub struct Session {
    state: State,
    tree: Tree,
    cols: Columns,
    /// The last dissection's layers (`protocols`), the list reused for every frame.
    layers: Vec<&'static str>,
    /// Output buffer the ABI hands to the host (summary text, JSON).
    pub out: String,
    /// Sharded batches: where each frame's text ends in `out` (see `session::shard`).
    pub frame_ends: Vec<u32>,
    /// How frames print on the batch path, and what the capture's interfaces are.
    pub config: print::Config,
    /// Timestamp of the last frame printed (tshark's "previous displayed frame").
    prev_displayed_ns: Option<i64>,
    /// Whether the display filter passed the last frame `ingest_and_print` saw.
    last_displayed: bool,
    verbose_scratch: verbose::Scratch,
    field_matches: Vec<u32>,
    time_text: String,
    /// `-Y`: frames that fail it are analysed but not printed.
    display_filter: Option<Filter>,
    /// Wireshark's coloring rules, built on first use.
    colors: Option<ColorRules>,
    /// The coloring rule of the frame being printed.
    frame_color: Option<usize>,
    /// What the print path's dissections must record when filtering or coloring without
    /// printing a tree: computed on first use after a change (outer `None`), inner `None` for
    /// every node.
    print_interest: Option<Option<Vec<&'static crate::field::FieldDef>>>,
    fields_header_written: bool,
    /// Children lists for the structured formats, reused between frames.
    kids: print::nodes::Kids,
    /// A document format's preamble was written (and for JSON, a packet).
    document_started: bool,
    json_packets: u64,
    /// Statistics (`-z`) fed by the frames this session dissects.
    stats: Stats,
    /// `-2`: what the first pass recorded for the second.
    two_pass: two_pass::TwoPass,
    /// Whether the print path may stop at TCP and UDP (`scope.rs`), worked out on first use.
    scope_cache: Option<Scope>,
    /// How far the frame being dissected is.
    scope: Scope,
    /// The display filter reads only fields below TCP and UDP (`passes` may stop there).
    filter_below_transport: bool,
    /// The protocols of each ingested frame (not kept by a single pass).
    frame_protocols: prejudge::FrameProtocols,
    /// The display filter as `passes` judges it from those.
    judge: Option<prejudge::Judge>,
}

/// The union of two interest lists, where `None` means every field.
fn widen(fields: Option<Vec<&'static crate::field::FieldDef>>, more: Option<&[&'static crate::field::FieldDef]>) -> Option<Vec<&'static crate::field::FieldDef>> {
    let (mut a, b) = (fields?, more?);
    a.extend_from_slice(b);
    Some(a)
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        Session {
            state: State::default(),
            tree: Tree::new(false),
            cols: Columns::default(),
            layers: Vec::with_capacity(16),
            out: String::new(),
            config: print::Config::default(),
            prev_displayed_ns: None,
            last_displayed: false,
            frame_ends: Vec::new(),
            verbose_scratch: verbose::Scratch::default(),
            field_matches: Vec::new(),
            time_text: String::new(),
            display_filter: None,
            colors: None,
            frame_color: None,
            print_interest: None,
            fields_header_written: false,
            kids: print::nodes::Kids::default(),
            document_started: false,
            json_packets: 0,
            stats: Stats::default(),
            two_pass: two_pass::TwoPass::default(),
            scope_cache: None,
            scope: Scope::default(),
            filter_below_transport: false,
            frame_protocols: prejudge::FrameProtocols::default(),
            judge: None,
        }
    }

    /// Approximate heap bytes of the analysis state's largest structures (memory reports).
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        let mut f = self.state.footprint();
        f.push(("frame protocol sets", self.frame_protocols.heap_bytes()));
        f
    }

    /// The stream numbers the first pass stored for frame `number`'s TCP and UDP layers (tests).
    pub fn recorded_streams(&self, number: u32) -> (Vec<u32>, Vec<u32>) {
        let (mut tcp, mut udp) = (Vec::new(), Vec::new());
        self.state.tcp.streams_of(number, &mut tcp);
        self.state.udp.streams_of(number, &mut udp);
        (tcp, udp)
    }

    /// Whether the first pass recorded protocol `p` in frame `number`'s tree (tests).
    pub fn frame_holds_protocol(&self, number: u32, p: &'static crate::field::FieldDef) -> Option<bool> {
        self.frame_protocols.frame_holds(number, p)
    }

    /// The host keeps every frame and hands any back through `source` (set before the first
    /// frame is ingested): reassembled PDUs then keep where their bytes are, not the bytes.
    pub fn set_frame_source(&mut self, source: Option<Box<dyn crate::analysis::FrameSource>>) {
        self.state.tcp.reasm.frames_kept_by_host = source.is_some();
        self.state.frame_source = source;
    }

    pub fn frame_count(&self) -> u32 {
        self.state.frame_ts.len()
    }

    /// Applies the host's configuration (see `print::Config::parse`).
    pub fn configure(&mut self, text: &str) -> Result<(), String> {
        self.config = print::Config::parse(text)?;
        self.tree.zone = self.config.zone.clone();
        self.state.set_single_pass(self.config.single_pass);
        self.print_interest = None;
        self.scope_cache = None;
        Ok(())
    }

    fn times(&self, number: u32, ts: i64) -> FrameTimes {
        let first_ns = self.state.frame_ts.first().unwrap_or(ts);
        let prev_ns = if number > 1 { self.state.ts_of(number - 1).unwrap_or(ts) } else { ts };
        FrameTimes { first_ns, prev_ns, prev_displayed_ns: self.prev_displayed_ns.unwrap_or(ts), shown_number: 0 }
    }

    fn run(&mut self, meta: FrameMeta, data: &[u8], revisit: bool, want_tree: bool) {
        let times = self.times(meta.number, meta.ts_ns);
        self.run_with(meta, data, revisit, want_tree, times);
    }

    fn run_with(&mut self, meta: FrameMeta, data: &[u8], revisit: bool, want_tree: bool, times: FrameTimes) {
        let iface = if self.config.pcapng {
            self.config.interfaces.get(meta.iface as usize).map(|i| InterfaceRef {
                section: i.section,
                local_id: i.local_id,
                name: &i.name,
                description: &i.description,
            })
        } else {
            None
        };
        self.tree.reset_for(want_tree, data);
        self.cols.clear();
        let mut ctx = Ctx {
            data,
            meta,
            tree: &mut self.tree,
            cols: &mut self.cols,
            state: &mut self.state,
            revisit,
            protocols: {
                let mut layers = std::mem::take(&mut self.layers);
                layers.clear();
                layers
            },
            net_src: None,
            net_dst: None,
            tcp_layers: 0,
            udp_layers: 0,
            can_desegment: false,
            desegment: None,
            app_messages: 0,
            tcp_stream: None,
            tcp_ports: (0, 0),
            tcp_tree: crate::tree::NO_NODE,
            in_http_tunnel: false,
            media_type: String::new(),
            scope: self.scope,
        };
        frame::dissect(&mut ctx, times, iface);
        ctx.cols.finish();
        self.layers = ctx.protocols;
    }

    /// First pass over the next frame. `meta.number` is assigned here (frames are numbered in
    /// the order they are ingested).
    pub fn ingest(&mut self, mut meta: FrameMeta, data: &[u8], want_tree: bool) {
        meta.number = self.frame_count() + 1;
        self.state.frame_ts.push(meta.ts_ns);
        if self.config.single_pass {
            self.state.release_before(meta.number, meta.ts_ns);
        } else if self.state.frame_source.is_some() {
            self.state.tcp.reasm.release_before(meta.number);
        }
        self.run(meta, data, false, want_tree);
        if !self.config.single_pass {
            self.frame_protocols.record(meta.number, &self.tree.protocols_added);
        }
    }

    /// `ingest` for a host that reads no columns from the first pass (the TUI's loading: rows
    /// are re-dissected when shown).
    pub fn ingest_without_columns(&mut self, meta: FrameMeta, data: &[u8]) {
        self.cols.off = true;
        self.ingest(meta, data, false);
        self.cols.off = false;
    }

    /// Re-dissects an ingested frame. Returns false if `meta.number` was never ingested.
    pub fn revisit(&mut self, meta: FrameMeta, data: &[u8], want_tree: bool) -> bool {
        if meta.number == 0 || meta.number > self.frame_count() {
            return false;
        }
        self.run(meta, data, true, want_tree);
        true
    }

    pub fn columns(&self) -> &Columns {
        &self.cols
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Whether the display filter passed the last frame `ingest_and_print` handled.
    pub fn last_displayed(&self) -> bool {
        self.last_displayed
    }

    /// `frame.protocols` of the last dissection (joined when asked: batch output never reads it).
    pub fn protocols(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.layers.iter().skip(1).enumerate() {
            if i > 0 {
                out.push(':');
            }
            out.push_str(p);
        }
        out
    }

    /// Appends tshark's default one-line summary of the last dissected frame to `out`.
    pub fn write_summary(&mut self, meta: &FrameMeta) {
        self.write_time(meta);
        summary::write_line(&mut self.out, meta, &self.time_text, &self.cols);
    }

    /// The Time column of `meta` in the configured format, into `time_text`.
    fn write_time(&mut self, meta: &FrameMeta) {
        let prev_displayed = self.prev_displayed_ns.unwrap_or(meta.ts_ns);
        self.write_time_with(meta, prev_displayed);
    }

    fn write_time_with(&mut self, meta: &FrameMeta, prev_displayed_ns: i64) {
        let refs = time::TimeRefs {
            first_ns: self.state.frame_ts.first().unwrap_or(meta.ts_ns),
            prev_captured_ns: self.prev_captured_ns(meta),
            prev_displayed_ns,
        };
        self.time_text.clear();
        time::write_column(&mut self.time_text, self.config.time, meta.ts_ns, &refs, meta.ts_digits as u32, &self.config.zone);
    }

    /// The timestamp tshark takes for the frame before `meta` (its own for the first).
    fn prev_captured_ns(&self, meta: &FrameMeta) -> i64 {
        if meta.number <= 1 {
            return meta.ts_ns;
        }
        match self.two_pass.prev_ts(meta.number) {
            Some(ts) => ts,
            None => self.state.ts_of(meta.number - 1).unwrap_or(meta.ts_ns),
        }
    }

    /// The Time column of a re-dissected frame (interactive rows) in the configured format.
    /// Which frames are displayed is the host's business there, so `dd` counts from the
    /// previous captured frame; a host with a display filter computes `dd` itself.
    pub fn row_time(&mut self, meta: &FrameMeta) -> &str {
        let prev = if meta.number > 1 { self.state.ts_of(meta.number - 1).unwrap_or(meta.ts_ns) } else { meta.ts_ns };
        self.write_time_with(meta, prev);
        &self.time_text
    }

    /// First pass over the next frame, printing it as configured unless the display filter
    /// rejects it (tshark -Y: every frame is analysed, only passing ones are printed and
    /// count as "displayed"). `meta.number` is assigned here.
    pub fn ingest_and_print(&mut self, meta: FrameMeta, data: &[u8]) {
        let mut meta = meta;
        let coloring = self.config.color && self.config.mode == Mode::Summary;
        // -x shows the extra data sources a full dissection makes, so it needs the tree too (a
        // single pass cannot dissect the frame again for it).
        let (queue_taps, stats_tree) = self.stats_reading();
        let need_tree = self.display_filter.is_some() || coloring || stats_tree || self.config.needs_tree() || self.config.hex;
        // Statistics, -V and -x read whole trees; filters, colors and -T fields only the fields
        // they name, and only -V (and the like) shows labels.
        let whole = self.config.needs_labels() || self.config.hex || self.stats.needs_whole_tree();
        let narrow = need_tree && !whole;
        if narrow {
            self.prepare_print_interest();
        }
        self.tree.set_interest(if narrow { self.print_interest.as_ref().and_then(|i| i.as_deref()) } else { None });
        self.tree.set_labels(self.config.needs_labels() || self.stats.needs_labels());
        self.scope = self.single_pass_scope();
        self.scope.columns_only = self.config.single_pass && !need_tree;
        // Nothing printed reads the columns: `-q`, and `-T fields` without `_ws.col.*`.
        self.cols.off = match self.config.mode {
            Mode::Quiet => true,
            Mode::Fields => !self.config.fields_have_columns(),
            _ => false,
        };
        self.tree.taps.on = queue_taps;
        self.ingest(meta, data, need_tree);
        self.cols.off = false;
        self.scope = Scope::default();
        self.tree.set_interest(None);
        self.tree.set_labels(true);
        meta.number = self.frame_count();
        if self.config.mode == Mode::Fields {
            self.write_fields_header();
        }
        let displayed = match self.display_filter.as_mut() {
            Some(f) => f.matches(&self.tree, data),
            None => true,
        };
        self.last_displayed = displayed;
        // tshark's taps see every frame of a single pass, whether -Y displays it or not.
        self.feed_stats(&meta, data, true);
        self.tree.taps.on = false;
        if !displayed {
            return;
        }
        self.frame_color = None;
        if self.config.color && self.config.mode == Mode::Summary {
            self.frame_color = self.colors.get_or_insert_with(ColorRules::defaults).classify(&self.tree, data);
        }
        self.print_frame(&meta, data);
    }

    /// Works out `print_interest` (the union of the fields printed, filtered, counted and
    /// colored) if a change cleared it; the batch path then borrows it every frame.
    fn prepare_print_interest(&mut self) {
        if self.print_interest.is_none() {
            let coloring = self.config.color && self.config.mode == Mode::Summary;
            let mut fields: Option<Vec<&'static crate::field::FieldDef>> = Some(self.config.printed_fields());
            // An expert hangs under the item it explains, which a narrow tree does not keep: a
            // printed expert field needs the whole tree to come in tshark's (tree) order.
            if fields.as_ref().map_or(false, |f| f.iter().any(|d| d.abbrev.starts_with("_ws.expert"))) {
                fields = None;
            }
            if self.stats.tables_only() {
                // The tables' filters only: their taps are queued (`ingest_and_print`).
                match (self.stats.taps_only_filters(), fields.as_mut()) {
                    (Some(f), Some(out)) => out.extend(f),
                    (None, _) => fields = None,
                    _ => {}
                }
            } else if self.stats.needs_tree() {
                fields = widen(fields, self.stats.interest());
            }
            if let (Some(f), Some(out)) = (self.display_filter.as_ref(), fields.as_mut()) {
                match f.interest() {
                    Some(i) => out.extend_from_slice(i),
                    None => fields = None,
                }
            }
            if coloring {
                let rules = self.colors.get_or_insert_with(ColorRules::defaults).interest();
                fields = widen(fields, rules.as_deref());
            }
            self.print_interest = Some(fields);
        }
    }

    /// `-E header=y`: the field names, once, before the first frame (displayed or not).
    fn write_fields_header(&mut self) {
        if self.config.fields.header && !self.fields_header_written {
            self.config.fields.write_header(&mut self.out);
            self.fields_header_written = true;
        }
    }

    /// Sets the display filter of the print path and of `passes`; an empty text clears it.
    pub fn set_display_filter(&mut self, text: &str) -> Result<(), FilterError> {
        self.display_filter = if text.trim().is_empty() {
            None
        } else {
            Some(Filter::compile_with(text, Options { zone: Some(&self.config.zone), lenient: false })?)
        };
        self.filter_below_transport = self.display_filter.as_ref().and_then(|f| f.interest()).map_or(false, scope::lower_layers_suffice);
        self.judge = self.display_filter.as_ref().map(|f| prejudge::Judge::new(f.owners(), f.interest().is_none()));
        self.print_interest = None;
        self.scope_cache = None;
        Ok(())
    }

    /// Re-dissects an ingested frame and tells whether it passes the display filter (always
    /// true without one); `None` if the frame was never ingested.
    pub fn passes(&mut self, meta: FrameMeta, data: &[u8]) -> Option<bool> {
        if self.display_filter.is_none() {
            return if meta.number == 0 || meta.number > self.frame_count() { None } else { Some(true) };
        }
        self.judged_passes(meta, data)
    }

    /// Re-dissects an ingested frame for the values of the fields of interest (set before):
    /// no labels, no columns, up to TCP and UDP only when `transport_only`; the interest is
    /// cleared after. False if the frame was never ingested.
    fn revisit_values(&mut self, meta: FrameMeta, data: &[u8], transport_only: bool) -> bool {
        self.tree.set_labels(false);
        self.cols.off = true;
        self.scope = Scope { transport_only, ..Scope::default() };
        let known = self.revisit(meta, data, true);
        self.scope = Scope::default();
        self.cols.off = false;
        self.tree.set_interest(None);
        self.tree.set_labels(true);
        known
    }

    /// Wireshark's coloring rules as this session applies them.
    pub fn color_rules(&mut self) -> &ColorRules {
        self.colors.get_or_insert_with(ColorRules::defaults)
    }

    /// Re-dissects an ingested frame and returns the index of its coloring rule (`Some(None)`
    /// when no rule matches); `None` if the frame was never ingested.
    pub fn color_of(&mut self, meta: FrameMeta, data: &[u8]) -> Option<Option<usize>> {
        let interest = self.colors.get_or_insert_with(ColorRules::defaults).interest();
        self.tree.set_interest(interest.as_deref());
        let known = self.revisit_values(meta, data, false);
        if !known {
            return None;
        }
        Some(self.colors.get_or_insert_with(ColorRules::defaults).classify(&self.tree, data))
    }

    /// Appends the last dissected frame to `out` as configured (summary, fields, tree, hex).
    pub fn print_frame(&mut self, meta: &FrameMeta, data: &[u8]) {
        if self.config.hex && !self.tree.enabled() {
            // Extra data sources only exist in a full dissection.
            self.revisit(*meta, data, true);
        }
        match self.config.mode {
            Mode::Summary => {
                let start = self.out.len();
                self.write_summary(meta);
                if let (Some(i), Some(rules)) = (self.frame_color, self.colors.as_ref()) {
                    // tshark: colors, the line, clear to end of line, newline, reset.
                    let mut esc = String::new();
                    color::write_escape(&mut esc, &rules.rules[i]);
                    self.out.insert_str(start, &esc);
                    self.out.pop();
                    self.out.push_str("\x1b[K\n\x1b[0m");
                }
            }
            Mode::Fields => {
                self.write_fields_header();
                self.write_time(meta);
                let cols = fields::ColumnText::of(meta, &self.time_text, &self.cols);
                fields::write_line(&mut self.out, &self.config.fields, &self.tree, data, &cols, &self.config.zone, &mut self.field_matches);
            }
            Mode::Verbose => {
                let dump = if self.config.hex { None } else { Some(data) };
                verbose::write_tree(&mut self.out, &self.tree, &mut self.verbose_scratch, dump, &self.config.only_protocols)
            }
            Mode::Quiet => {}
            Mode::Json | Mode::JsonRaw | Mode::Ek | Mode::Pdml | Mode::Psml | Mode::Tabs => self.print_structured(meta, data),
        }
        if self.config.hex && matches!(self.config.mode, Mode::Summary | Mode::Fields | Mode::Verbose | Mode::Quiet) {
            if self.config.mode != Mode::Quiet {
                self.out.push('\n');
            }
            hexdump::write_frame(&mut self.out, &self.tree, data);
        }
        if self.config.mode == Mode::Verbose || (self.config.hex && matches!(self.config.mode, Mode::Summary | Mode::Fields | Mode::Quiet)) {
            self.out.push('\n');
        }
        self.prev_displayed_ns = Some(meta.ts_ns);
    }

    /// The preamble of a document format (PDML, PSML), once.
    fn start_document(&mut self) {
        if self.document_started {
            return;
        }
        self.document_started = true;
        match self.config.mode {
            Mode::Pdml => print::pdml::write_pdml_preamble(&mut self.out, &self.config.file_name, &self.config.now),
            Mode::Psml => print::pdml::write_psml_preamble(&mut self.out),
            _ => {}
        }
    }

    /// -T json/jsonraw/ek/pdml/psml/tabs for the last dissected frame.
    fn print_structured(&mut self, meta: &FrameMeta, data: &[u8]) {
        self.start_document();
        let zone = self.config.zone.at(meta.ts_ns).0;
        match self.config.mode {
            Mode::Psml | Mode::Tabs => {
                self.write_time(meta);
                if self.config.mode == Mode::Psml {
                    print::pdml::write_psml_packet(&mut self.out, meta, &self.time_text, &self.cols);
                } else {
                    print::pdml::write_tabs_line(&mut self.out, meta, &self.time_text, &self.cols);
                }
            }
            Mode::Pdml => {
                self.kids.build(&self.tree);
                print::pdml::write_pdml_packet(&mut self.out, &self.tree, data, &self.kids, meta);
            }
            Mode::Ek => {
                self.kids.build(&self.tree);
                self.write_time(meta);
                let cols = fields::ColumnText::of(meta, &self.time_text, &self.cols);
                let fields = if self.config.fields.targets.is_empty() { None } else { Some((&self.config.fields, &cols)) };
                print::ek::write_packet(&mut self.out, &self.tree, data, &self.kids, meta.ts_ns, zone, self.config.hex, fields);
            }
            _ => {
                self.kids.build(&self.tree);
                self.out.push_str(if self.json_packets == 0 { "[" } else { "," });
                self.json_packets += 1;
                let opts = print::json::JsonOpts {
                    text: self.config.mode == Mode::Json,
                    hex: self.config.hex || self.config.mode == Mode::JsonRaw,
                    group_keys: self.config.no_duplicate_keys,
                };
                self.write_time(meta);
                let mut j = print::json::JsonOut::new(&mut self.out, true, 1);
                if self.config.fields.targets.is_empty() {
                    print::json::write_packet(&mut j, &self.tree, data, &self.kids, meta.ts_ns, opts, zone);
                } else {
                    let cols = fields::ColumnText::of(meta, &self.time_text, &self.cols);
                    print::json::write_packet_fields(&mut j, &self.tree, data, meta.ts_ns, &self.config.fields, &cols, zone, false);
                }
            }
        }
    }

    /// Appends what closes a document format after the last frame (`]`, `</pdml>`), and its
    /// preamble if no frame was printed.
    pub fn finish(&mut self) {
        if self.config.single_pass {
            // The end of a single pass: nothing is re-dissected and no frame follows, so the
            // analysis state goes before the statistics are written (their tables are their
            // own); only the times io,stat's duration reads stay.
            let timeline = std::mem::take(&mut self.state.frame_ts);
            let source = self.state.frame_source.take();
            self.state = crate::analysis::State { frame_ts: timeline, ..Default::default() };
            // Still a single pass should frames follow after all (they start afresh).
            self.state.set_single_pass(true);
            self.set_frame_source(source);
        }
        match self.config.mode {
            Mode::Json | Mode::JsonRaw => self.out.push_str(if self.json_packets == 0 { "[]\n" } else { "\n]\n" }),
            Mode::Pdml => {
                self.start_document();
                self.out.push_str("</pdml>\n");
            }
            Mode::Psml => {
                self.start_document();
                self.out.push_str("</psml>\n");
            }
            _ => {}
        }
    }

    /// Time since the first frame, for a frame's Time column.
    pub fn relative_time(&self, ts: i64) -> i64 {
        ts - self.state.frame_ts.first().unwrap_or(ts)
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// Dissects one Ethernet (or other `linktype`) frame in a fresh session.
    pub fn summary_of(linktype: u32, frame: &[u8]) -> (Columns, String) {
        let mut s = Session::new();
        let meta = FrameMeta { linktype, caplen: frame.len() as u32, origlen: frame.len() as u32, ts_digits: 6, ..Default::default() };
        s.ingest(meta, frame, true);
        // The tree variant must agree with the columns-only one.
        let mut s2 = Session::new();
        s2.ingest(meta, frame, false);
        assert_eq!(s.columns().info, s2.columns().info);
        (s.columns().clone(), s.protocols().to_string())
    }

    #[test]
    fn revisit_gives_first_pass_answers() {
        let syn = crate::proto::tcp::tests::SYN;
        let mut s = Session::new();
        let meta = FrameMeta { linktype: 1, caplen: 74, origlen: 74, ts_digits: 6, ts_ns: 5_000_000_000, ..Default::default() };
        s.ingest(meta, &syn, false);
        let first = s.columns().info.clone();
        s.ingest(FrameMeta { ts_ns: 5_100_000_000, ..meta }, &syn, false);
        assert!(!s.revisit(FrameMeta { number: 3, ..meta }, &syn, true));
        assert!(s.revisit(FrameMeta { number: 1, ..meta }, &syn, true));
        assert_eq!(s.columns().info, first);
        s.write_summary(&FrameMeta { number: 1, ..meta });
        assert!(s.out.starts_with("    1   0.000000    127.0.0.1 \u{2192} 127.0.0.1    TCP 74 50000 \u{2192} 8080 [SYN]"), "{}", s.out);
    }
}
