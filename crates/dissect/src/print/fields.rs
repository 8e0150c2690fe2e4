//! `-T fields`: one line per frame with the values of the requested fields, as tshark 4.0
//! prints them (`-E header/separator/occurrence/aggregator/quote` included).

use crate::field::{find_field, Base, FieldDef, FieldType};
use crate::tree::{Node, Tree, Value};
use std::fmt::Write;

use crate::addr::Zone;

/// A summary column requested as a field (`_ws.col.Info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Number,
    Time,
    Source,
    Destination,
    Protocol,
    Length,
    Info,
}

#[derive(Clone, Copy, Debug)]
pub enum Target {
    Field(&'static FieldDef),
    Column(Column),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurrence {
    All,
    First,
    Last,
    /// 1-based index.
    Nth(usize),
}

#[derive(Clone, Debug)]
pub struct FieldsSpec {
    pub names: Vec<String>,
    pub targets: Vec<Target>,
    pub header: bool,
    pub separator: String,
    pub occurrence: Occurrence,
    pub aggregator: String,
    pub quote: Option<char>,
}

impl Default for FieldsSpec {
    fn default() -> FieldsSpec {
        FieldsSpec {
            names: Vec::new(),
            targets: Vec::new(),
            header: false,
            separator: "\t".into(),
            occurrence: Occurrence::All,
            aggregator: ",".into(),
            quote: None,
        }
    }
}

fn column(name: &str) -> Option<Column> {
    Some(match name {
        "_ws.col.No." | "_ws.col.number" => Column::Number,
        "_ws.col.Time" | "_ws.col.cls_time" => Column::Time,
        "_ws.col.Source" | "_ws.col.def_src" => Column::Source,
        "_ws.col.Destination" | "_ws.col.def_dst" => Column::Destination,
        "_ws.col.Protocol" | "_ws.col.protocol" => Column::Protocol,
        "_ws.col.Length" | "_ws.col.packet_length" => Column::Length,
        "_ws.col.Info" | "_ws.col.info" => Column::Info,
        _ => return None,
    })
}

impl FieldsSpec {
    /// Adds `-e NAME`; `Err(name)` when no field or column has that name.
    pub fn add(&mut self, name: &str) -> Result<(), String> {
        let target = match column(name) {
            Some(c) => Target::Column(c),
            None => Target::Field(find_field(name).ok_or_else(|| name.to_string())?),
        };
        self.names.push(name.to_string());
        self.targets.push(target);
        Ok(())
    }

    pub fn write_header(&self, out: &mut String) {
        for (i, n) in self.names.iter().enumerate() {
            if i > 0 {
                out.push_str(&self.separator);
            }
            out.push_str(n);
        }
        out.push('\n');
    }

    fn quoted(&self, out: &mut String, f: impl FnOnce(&mut String)) {
        if let Some(q) = self.quote {
            out.push(q);
            f(out);
            out.push(q);
        } else {
            f(out);
        }
    }
}

/// The column texts of the frame being printed.
pub struct ColumnText<'a> {
    pub number: u32,
    pub time: &'a str,
    pub src: &'a str,
    pub dst: &'a str,
    pub protocol: &'a str,
    pub length: u32,
    pub info: &'a str,
}

impl<'a> ColumnText<'a> {
    /// The columns of a dissected frame, with its Time column already formatted.
    pub fn of(meta: &crate::FrameMeta, time: &'a str, cols: &'a crate::packet::Columns) -> ColumnText<'a> {
        ColumnText { number: meta.number, time, src: &cols.src, dst: &cols.dst, protocol: &cols.protocol, length: meta.origlen, info: &cols.info }
    }
}

/// Writes one frame's line. `matches` is scratch space reused between frames.
pub fn write_line(out: &mut String, spec: &FieldsSpec, tree: &Tree, data: &[u8], cols: &ColumnText, zone: &Zone, matches: &mut Vec<u32>) {
    for (i, target) in spec.targets.iter().enumerate() {
        if i > 0 {
            out.push_str(&spec.separator);
        }
        match target {
            Target::Column(c) => spec.quoted(out, |o| write_column_text(o, *c, cols)),
            Target::Field(f) => {
                matches.clear();
                matches.extend(tree.nodes.iter().enumerate().filter(|(_, n)| std::ptr::eq(n.field, *f)).map(|(k, _)| k as u32));
                if matches.len() > 1 {
                    matches.sort_by(|&a, &b| tree.tree_order(a, b));
                }
                let picked: &[u32] = match spec.occurrence {
                    Occurrence::All => matches,
                    Occurrence::First => &matches[..matches.len().min(1)],
                    Occurrence::Last => &matches[matches.len().saturating_sub(1)..],
                    Occurrence::Nth(n) => matches.get(n - 1..n).unwrap_or(&[]),
                };
                if picked.is_empty() {
                    continue;
                }
                spec.quoted(out, |o| {
                    for (k, &n) in picked.iter().enumerate() {
                        if k > 0 {
                            o.push_str(&spec.aggregator);
                        }
                        write_value(o, tree, n, data, zone);
                    }
                });
            }
        }
    }
    out.push('\n');
}

pub fn write_column_text(out: &mut String, c: Column, cols: &ColumnText) {
    match c {
        Column::Number => {
            let _ = write!(out, "{}", cols.number);
        }
        Column::Time => out.push_str(cols.time),
        Column::Source => out.push_str(cols.src),
        Column::Destination => out.push_str(cols.dst),
        Column::Protocol => out.push_str(cols.protocol),
        Column::Length => {
            let _ = write!(out, "{}", cols.length);
        }
        Column::Info => out.push_str(cols.info),
    }
}

/// One field instance as `-T fields` prints it: raw numbers (no value names), hex for hex
/// bases at the container's width, booleans as 1/0, bytes as plain hex, protocols by label.
pub fn write_value(out: &mut String, tree: &Tree, n: u32, data: &[u8], zone: &Zone) {
    let node: &Node = match tree.node(n) {
        Some(x) => x,
        None => return,
    };
    let f = node.field;
    match &node.value {
        _ if f.ftype == FieldType::Protocol => {
            // A generated item's brackets are the tree's way of showing it (`_ws.expert`).
            let label = tree.label(n);
            let bare = if node.generated { label.strip_prefix('[').and_then(|l| l.strip_suffix(']')) } else { None };
            out.push_str(bare.unwrap_or(&label));
        }
        _ if f.ftype == FieldType::None => out.push('1'),
        Value::Uint(v) => match f.base {
            Base::Hex | Base::HexDec => {
                let _ = write!(out, "0x{:0w$x}", v, w = crate::tree::hex_width(f.ftype));
            }
            _ => {
                let _ = write!(out, "{}", v);
            }
        },
        Value::Int(v) => {
            let _ = write!(out, "{}", v);
        }
        Value::Bool(b) => out.push(if *b { '1' } else { '0' }),
        Value::Bytes => {
            let bytes = tree.source_bytes(node.source, data);
            let (s, e) = (node.start as usize, node.start as usize + node.len as usize);
            for b in bytes.get(s..e.min(bytes.len())).unwrap_or(&[]) {
                let _ = write!(out, "{:02x}", b);
            }
        }
        Value::Time(ns) if f.ftype == FieldType::AbsTime => match f.base {
            Base::TimeUnix => crate::addr::write_seconds(out, *ns, 9),
            Base::TimeUtc => crate::addr::write_abs_time(out, *ns, &Zone::default()),
            _ => crate::addr::write_abs_time(out, *ns, zone),
        },
        Value::Time(ns) => crate::addr::write_seconds(out, *ns, 9),
        v => crate::tree::write_value(out, f, v, None, zone),
    }
}
