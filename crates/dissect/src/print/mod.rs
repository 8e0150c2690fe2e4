//! Text output of the batch path, formatted in the core into one buffer per batch (no JS
//! string per packet): tshark's summary line, `-T fields`, `-V`, `-x`, with `-t` formats.
//!
//! The host configures a session once with a small line-based text (`configure`), so the ABI
//! needs no JSON parser and stays one call per batch.

pub mod ek;
pub mod fields;
pub mod hexdump;
pub mod json;
pub mod nodes;
pub mod pdml;
pub mod time;
pub mod verbose;

use crate::addr::Zone;
use fields::{FieldsSpec, Occurrence};
use time::TimeFormat;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// tshark's default one line per frame.
    Summary,
    /// `-T fields`.
    Fields,
    /// `-V`.
    Verbose,
    /// Nothing per frame (`-q`, or `-x` alone).
    Quiet,
    /// `-T json`
    Json,
    /// `-T jsonraw`
    JsonRaw,
    /// `-T ek`
    Ek,
    /// `-T pdml`
    Pdml,
    /// `-T psml`
    Psml,
    /// `-T tabs`
    Tabs,
}

impl Mode {
    /// Formats that open with a preamble and close with a finale (see `Session::finish`).
    pub fn is_document(self) -> bool {
        matches!(self, Mode::Json | Mode::JsonRaw | Mode::Pdml | Mode::Psml)
    }
}

/// One capture interface as the host's reader knows it (pcapng IDB).
#[derive(Clone, Debug, Default)]
pub struct Interface {
    pub section: u32,
    pub local_id: u32,
    pub name: String,
    pub description: String,
}

/// What the host tells the core about output and about the capture.
#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub hex: bool,
    pub time: TimeFormat,
    pub fields: FieldsSpec,
    pub zone: Zone,
    /// pcapng sources show section and interface items in the frame tree.
    pub pcapng: bool,
    /// `--color`: summary lines in the colors of Wireshark's coloring rules (24-bit escapes).
    pub color: bool,
    /// `single_pass 1`: no frame will be re-dissected (reef-cli without -2), so state kept
    /// only for re-dissection (reassembled bytes) is freed as it goes.
    pub single_pass: bool,
    /// `shard K N`: this session dissects only the frames of shard K of N (see
    /// `session::shard`); (0, 1), every frame, by default.
    pub shard: (u32, u32),
    /// By the frame meta's interface word.
    pub interfaces: Vec<Interface>,
    /// `--no-duplicate-keys`: JSON groups repeated keys into arrays.
    pub no_duplicate_keys: bool,
    /// `-O`: the protocols `-V` expands (others print one line); empty: all.
    pub only_protocols: Vec<String>,
    /// The capture file's name as given (PDML's `capture_file`).
    pub file_name: String,
    /// The local time of the run as C's asctime (PDML's `time`).
    pub now: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            mode: Mode::Summary,
            hex: false,
            time: TimeFormat::Relative,
            fields: FieldsSpec::default(),
            zone: Zone::default(),
            pcapng: false,
            color: false,
            single_pass: false,
            shard: (0, 1),
            interfaces: Vec::new(),
            no_duplicate_keys: false,
            only_protocols: Vec::new(),
            file_name: String::new(),
            now: String::new(),
        }
    }
}

impl Config {
    /// Whether printing needs the full tree (the summary path dissects without one).
    pub fn needs_tree(&self) -> bool {
        matches!(self.mode, Mode::Fields | Mode::Verbose | Mode::Json | Mode::JsonRaw | Mode::Ek | Mode::Pdml)
    }

    /// Whether printing shows tree labels. Summary lines and `-T fields` read values only
    /// (a protocol's `-e` value is its label, as in tshark).
    pub fn needs_labels(&self) -> bool {
        match self.mode {
            Mode::Summary | Mode::Quiet | Mode::Psml | Mode::Tabs => false,
            Mode::Fields => self.fields.targets.iter().any(|t| matches!(t, fields::Target::Field(f) if f.ftype == crate::field::FieldType::Protocol)),
            _ => true,
        }
    }

    /// The fields `-T fields` prints, as tree interest (columns come from elsewhere).
    /// `-T fields` prints a column (`_ws.col.*`), which the whole dissection writes.
    pub fn fields_have_columns(&self) -> bool {
        self.mode == Mode::Fields && self.fields.targets.iter().any(|t| matches!(t, fields::Target::Column(_)))
    }

    pub fn printed_fields(&self) -> Vec<&'static crate::field::FieldDef> {
        let mut out = Vec::new();
        if self.mode == Mode::Fields {
            for t in &self.fields.targets {
                if let fields::Target::Field(f) = t {
                    out.push(*f);
                }
            }
        }
        out
    }

    /// Parses the host's configuration: one `key value` per line.
    ///
    /// `mode summary|fields|verbose|quiet|json|jsonraw|ek|pdml|psml|tabs`, `no-duplicate-keys 0|1`,
    /// `only PROTO,PROTO` (-O), `file NAME` (PDML's capture_file), `hex 0|1`, `color 0|1`, `time r|a|ad|adoy|d|dd|e|u|ud|udoy`,
    /// `field ABBREV` (repeatable, in order), `header y|n`, `separator S`, `occurrence f|l|a|N`,
    /// `aggregator S`, `quote d|s|n`, `zone OFFSET_SECONDS NAME` (then `zone_change UTC_SECONDS
    /// OFFSET_SECONDS NAME` for each change of offset, ascending), `format pcap|pcapng`,
    /// `interface SECTION LOCAL_ID NAME<TAB>DESCRIPTION` (repeatable, by interface word).
    ///
    /// Unknown fields are collected and reported together, as tshark does.
    pub fn parse(text: &str) -> Result<Config, String> {
        let mut c = Config::default();
        let mut bad_fields = Vec::new();
        for line in text.split('\n').filter(|l| !l.is_empty()) {
            let (key, value) = match line.find(' ') {
                Some(i) => (&line[..i], &line[i + 1..]),
                None => (line, ""),
            };
            match key {
                "mode" => {
                    c.mode = match value {
                        "summary" => Mode::Summary,
                        "fields" => Mode::Fields,
                        "verbose" => Mode::Verbose,
                        "quiet" => Mode::Quiet,
                        "json" => Mode::Json,
                        "jsonraw" => Mode::JsonRaw,
                        "ek" => Mode::Ek,
                        "pdml" => Mode::Pdml,
                        "psml" => Mode::Psml,
                        "tabs" => Mode::Tabs,
                        _ => return Err(format!("unknown output mode \"{}\"", value)),
                    }
                }
                "hex" => c.hex = value == "1",
                "time" => c.time = TimeFormat::parse(value).ok_or_else(|| format!("Invalid time stamp type \"{}\"", value))?,
                "field" => {
                    if let Err(name) = c.fields.add(value) {
                        bad_fields.push(name);
                    }
                }
                "header" => c.fields.header = value == "y",
                "separator" => c.fields.separator = value.to_string(),
                "aggregator" => c.fields.aggregator = value.to_string(),
                "quote" => {
                    c.fields.quote = match value {
                        "d" => Some('"'),
                        "s" => Some('\''),
                        _ => None,
                    }
                }
                "occurrence" => {
                    c.fields.occurrence = match value {
                        "f" => Occurrence::First,
                        "l" => Occurrence::Last,
                        "a" => Occurrence::All,
                        n => match n.parse::<usize>() {
                            Ok(0) => Occurrence::All,
                            Ok(k) => Occurrence::Nth(k),
                            Err(_) => return Err(format!("Invalid occurrence \"{}\"", n)),
                        },
                    }
                }
                "zone" => {
                    let (off, name) = value.split_once(' ').unwrap_or((value, "UTC"));
                    c.zone = Zone { offset_s: off.parse().unwrap_or(0), name: name.to_string(), changes: Vec::new() };
                }
                // `zone_change START OFFSET NAME`, after `zone`, in ascending START.
                "zone_change" => {
                    let mut parts = value.splitn(3, ' ');
                    match (parts.next().map(str::parse::<i64>), parts.next().map(str::parse::<i64>), parts.next()) {
                        (Some(Ok(start)), Some(Ok(off)), Some(name)) if c.zone.changes.last().map_or(true, |l| l.0 < start) => {
                            c.zone.changes.push((start, off, name.to_string()))
                        }
                        _ => return Err(format!("Invalid zone change \"{}\"", value)),
                    }
                }
                "format" => c.pcapng = value == "pcapng",
                "single_pass" => c.single_pass = value == "1",
                "shard" => {
                    let mut parts = value.split(' ').map(|p| p.parse::<u32>());
                    c.shard = match (parts.next(), parts.next()) {
                        (Some(Ok(k)), Some(Ok(n))) if k < n => (k, n),
                        _ => return Err(format!("Invalid shard \"{}\"", value)),
                    };
                }
                "color" => c.color = value == "1",
                "no-duplicate-keys" => c.no_duplicate_keys = value == "1",
                "only" => c.only_protocols.extend(value.split(|ch: char| ch == ',' || ch == ' ').filter(|p| !p.is_empty()).map(String::from)),
                "file" => c.file_name = value.to_string(),
                "now" => c.now = value.to_string(),
                "interface" => {
                    let mut parts = value.splitn(3, ' ');
                    let section = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
                    let local_id = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
                    let (name, description) = parts.next().unwrap_or("").split_once('\t').unwrap_or(("", ""));
                    c.interfaces.push(Interface { section, local_id, name: name.to_string(), description: description.to_string() });
                }
                _ => return Err(format!("unknown configuration key \"{}\"", key)),
            }
        }
        if !bad_fields.is_empty() {
            let mut msg = String::from("Some fields aren't valid:");
            for f in bad_fields {
                msg.push_str("\n\t");
                msg.push_str(&f);
            }
            return Err(msg);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_unknown_fields_together() {
        let c = Config::parse("mode fields\nfield ip.src\nfield _ws.col.Info\noccurrence f\nseparator ,\nzone 32400 JST\n").unwrap();
        assert_eq!(c.mode, Mode::Fields);
        assert_eq!(c.fields.names, ["ip.src", "_ws.col.Info"]);
        assert_eq!(c.fields.occurrence, Occurrence::First);
        assert_eq!(c.zone.offset_s, 32400);
        let e = Config::parse("mode fields\nfield ip.srcx\nfield tcp.prt\n").unwrap_err();
        assert_eq!(e, "Some fields aren't valid:\n\tip.srcx\n\ttcp.prt");
    }
}
