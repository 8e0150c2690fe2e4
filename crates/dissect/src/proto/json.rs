//! `json`: JSON bodies (HTTP `application/json` and the other JSON media types), as tshark
//! 4.0's JSON dissector shows them: objects, arrays, members with their key and path, and the
//! generated path-with-value items filters use.
//!
//! Wireshark parses with `tvbparse`, whose combinators this file mirrors one for one (see
//! `Parser`), because their quirks decide what tshark accepts: whitespace is skipped after
//! every element of a sequence (so `- 5` is a number), callbacks run only once a whole
//! top-level value matched (a truncated document adds no items and its bytes go to
//! data-text-lines), and a nesting counter fails any match deeper than 100 combinator levels
//! (25 nested arrays, 19 nested objects), which also bounds this file's recursion.

use crate::dispatch::{self, Registration, Table};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::json_scalar::unescape;
pub(crate) use crate::proto::json_tvbparse::{ByteSet, Parser, Tok};
use crate::tree::{Value, NO_NODE};

pub static JSON: FieldDef = FieldDef::protocol("JavaScript Object Notation", "json");
pub static ARRAY: FieldDef = FieldDef::new("Array", "json.array", FieldType::None);
pub static OBJECT: FieldDef = FieldDef::new("Object", "json.object", FieldType::None);
pub static MEMBER: FieldDef = FieldDef::new("Member", "json.member", FieldType::String);
pub static KEY: FieldDef = FieldDef::new("Key", "json.key", FieldType::String);
pub static PATH: FieldDef = FieldDef::new("Path", "json.path", FieldType::String);
pub static PATH_WITH_VALUE: FieldDef = FieldDef::new("Path with value", "json.path_with_value", FieldType::String);
pub static MEMBER_WITH_VALUE: FieldDef = FieldDef::new("Member with value", "json.member_with_value", FieldType::String);
pub static VALUE_STRING: FieldDef = FieldDef::new("String value", "json.value.string", FieldType::String);
pub static VALUE_NUMBER: FieldDef = FieldDef::new("Number value", "json.value.number", FieldType::String);
pub static VALUE_FALSE: FieldDef = FieldDef::new("False value", "json.value.false", FieldType::None);
pub static VALUE_NULL: FieldDef = FieldDef::new("Null value", "json.value.null", FieldType::None);
pub static VALUE_TRUE: FieldDef = FieldDef::new("True value", "json.value.true", FieldType::None);
pub static VALUE_NAN: FieldDef = FieldDef::new("NaN value", "json.value.nan", FieldType::None);

pub static FIELDS: &[&FieldDef] = &[
    &JSON, &ARRAY, &OBJECT, &MEMBER, &KEY, &PATH, &PATH_WITH_VALUE, &MEMBER_WITH_VALUE, &VALUE_STRING, &VALUE_NUMBER,
    &VALUE_FALSE, &VALUE_NULL, &VALUE_TRUE, &VALUE_NAN,
];

/// The items that carry keys, paths or values as text.
static VALUE_FIELDS: [&FieldDef; 11] = [
    &MEMBER, &KEY, &PATH, &PATH_WITH_VALUE, &MEMBER_WITH_VALUE, &VALUE_STRING, &VALUE_NUMBER, &VALUE_FALSE, &VALUE_NULL,
    &VALUE_TRUE, &VALUE_NAN,
];

/// The media types tshark 4.0 registers JSON for.
pub static HANDOFFS: &[Registration] = &[
    crate::media_type!("application/json", dissect),
    crate::media_type!("application/senml+json", dissect),
    crate::media_type!("application/sensml+json", dissect),
    crate::media_type!("application/json-rpc", dissect),
    crate::media_type!("application/jsonrequest", dissect),
    crate::media_type!("application/dds-web+json", dissect),
    crate::media_type!("application/vnd.oma.lwm2m+json", dissect),
    crate::media_type!("application/problem+json", dissect),
    crate::media_type!("application/merge-patch+json", dissect),
    crate::media_type!("application/json-patch+json", dissect),
    crate::media_type!("application/x-ndjson", dissect),
];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    ctx.leaf(&["json"], |ctx| dissect_json(ctx, parent, layer))
}

fn dissect_json(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    if !ctx.cols.protocol.is_empty() {
        ctx.cols.protocol.push('/');
    }
    ctx.cols.protocol.push_str("JSON");
    if !ctx.cols.info.is_empty() {
        ctx.cols.info.push_str(", ");
    }
    ctx.cols.info.push_str(JSON.name);
    let top = ctx.add_protocol(parent, &JSON, &layer);
    if ctx.scope.columns_only {
        // Whether the body parses whole decides only the tree and whether data-text-lines
        // follows for the rest; both branches end Info with the media type.
        push_media_type(ctx);
        return Ok(layer.reported);
    }
    if !ctx.media_type.is_empty() {
        crate::set_label!(ctx.tree, top, "{}: {}", JSON.name, ctx.media_type);
    }
    // Keys, paths and values are text only a tree showing or filtering on them reads.
    let tree = VALUE_FIELDS.iter().any(|f| ctx.tree.wants(f));
    let mut p = Parser { b: layer.bytes(), layer, depth: 0, tree };
    // Several top-level values may follow each other (x-ndjson); the first that does not
    // match ends the walk. Each match consumes at least two bytes.
    let mut offset = 0;
    loop {
        let at = offset + p.ws(offset);
        let mark = ctx.tree.mark();
        match p.top_value(ctx, at, top) {
            Some(n) => offset = at + n,
            None => {
                ctx.tree.rollback(mark);
                break;
            }
        }
    }
    ctx.tree.set_len(top, offset);
    if layer.reported > offset {
        let _ = dispatch::try_call_str(ctx, Table::Named, "data-text-lines", parent, layer.sub(offset, "json rest"));
    } else {
        push_media_type(ctx);
    }
    Ok(layer.reported)
}

/// ` (MEDIA/TYPE)` after Info, as data-text-lines also ends it (Info is not empty here).
fn push_media_type(ctx: &mut Ctx) {
    if !ctx.media_type.is_empty() {
        ctx.cols.info.push_str(" (");
        ctx.cols.info.push_str(&ctx.media_type);
        ctx.cols.info.push(')');
    }
}

impl<'a> Parser<'a> {
    /// `want`: an object or an array.
    fn top_value(&mut self, ctx: &mut Ctx, at: usize, parent: u32) -> Option<usize> {
        if !self.enter(at) {
            return None;
        }
        let r = self.object(ctx, at, parent, "").or_else(|| self.array(ctx, at, parent, ""));
        self.leave();
        r.map(|(n, _)| n)
    }

    /// `{ member, ... }`. `path` is the path of the member or array this object is in.
    fn object(&mut self, ctx: &mut Ctx, at: usize, parent: u32, path: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let mark = ctx.tree.mark();
        let r = self.object_seq(ctx, at, parent, path);
        if r.is_none() {
            ctx.tree.rollback(mark);
        }
        self.leave();
        r
    }

    fn object_seq(&mut self, ctx: &mut Ctx, at: usize, parent: u32, path: &str) -> Tok {
        let (mut off, mut len) = (at, 0);
        self.step(at, &mut off, &mut len, self.ch(at, b"{"))?;
        let node = ctx.add(parent, &OBJECT, &self.layer, at, 0, Value::None);
        let r = self.members(ctx, off, node, path);
        self.step(at, &mut off, &mut len, r)?;
        self.step_ch(at, &mut off, &mut len, b"}")?;
        ctx.tree.set_len(node, len);
        Some((off - at, len))
    }

    /// `[ member *( , member ) ]`: the optional member list of an object.
    fn members(&mut self, ctx: &mut Ctx, at: usize, node: u32, path: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let mark = ctx.tree.mark();
        let r = self.members_seq(ctx, at, node, path);
        if r.is_none() {
            ctx.tree.rollback(mark);
        }
        self.leave();
        Some(r.unwrap_or((0, 0)))
    }

    fn members_seq(&mut self, ctx: &mut Ctx, at: usize, node: u32, path: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let r = self.member(ctx, at, node, path);
        let ok = self.step(at, &mut off, &mut len, r).and_then(|_| {
            let r = self.more(ctx, off, node, path, true);
            self.step(at, &mut off, &mut len, r)
        });
        self.leave();
        ok.map(|_| (off - at, len))
    }

    /// `*( , member )` or `*( , value )`.
    fn more(&mut self, ctx: &mut Ctx, at: usize, node: u32, path: &str, members: bool) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        while off <= self.end() {
            let mark = ctx.tree.mark();
            match self.separated(ctx, off, node, path, members) {
                Some((n, l)) => {
                    if l > 0 {
                        len = off - at + l;
                    }
                    off += n;
                }
                None => {
                    ctx.tree.rollback(mark);
                    self.leave();
                    return Some((off - at, len));
                }
            }
        }
        self.leave();
        None
    }

    /// `, member` or `, value`.
    fn separated(&mut self, ctx: &mut Ctx, at: usize, node: u32, path: &str, members: bool) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let ok = self.step(at, &mut off, &mut len, self.ch(at, b",")).and_then(|_| {
            let r = if members { self.member(ctx, off, node, path) } else { self.value(ctx, off, node, path, "[]") };
            self.step(at, &mut off, &mut len, r)
        });
        self.leave();
        ok.map(|_| (off - at, len))
    }

    /// `"key" : value`: a Member item holding the value's items, then Key and Path.
    fn member(&mut self, ctx: &mut Ctx, at: usize, parent: u32, base: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let mark = ctx.tree.mark();
        let r = self.member_seq(ctx, at, parent, base);
        if r.is_none() {
            ctx.tree.rollback(mark);
        }
        self.leave();
        r
    }

    fn member_seq(&mut self, ctx: &mut Ctx, at: usize, parent: u32, base: &str) -> Tok {
        let (mut off, mut len) = (at, 0);
        let key_tok = self.string(ctx, at);
        self.step(at, &mut off, &mut len, key_tok)?;
        let key_len = key_tok.map_or(0, |t| t.1);
        let (node, key, path) = if self.tree {
            let key = self.text_of(at + 1, key_len.saturating_sub(2));
            let path = format!("{}/{}", base, key);
            (ctx.add(parent, &MEMBER, &self.layer, at, 0, Value::Str(key.clone())), key, path)
        } else {
            (NO_NODE, String::new(), String::new())
        };
        self.step_ch(at, &mut off, &mut len, b":")?;
        let r = self.value(ctx, off, node, &path, &key);
        self.step(at, &mut off, &mut len, r)?;
        if self.tree {
            ctx.tree.set_len(node, len);
            ctx.add(node, &KEY, &self.layer, at, key_len, Value::Str(key));
            add_generated(ctx, node, &PATH, &self.layer, at, len, path);
        }
        Some((off - at, len))
    }

    /// `[ value, ... ]`: values in an array have the key `[]` and the path `base/[]`.
    fn array(&mut self, ctx: &mut Ctx, at: usize, parent: u32, base: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let mark = ctx.tree.mark();
        let r = self.array_seq(ctx, at, parent, base);
        if r.is_none() {
            ctx.tree.rollback(mark);
        }
        self.leave();
        r
    }

    fn array_seq(&mut self, ctx: &mut Ctx, at: usize, parent: u32, base: &str) -> Tok {
        let (mut off, mut len) = (at, 0);
        self.step(at, &mut off, &mut len, self.ch(at, b"["))?;
        let node = ctx.add(parent, &ARRAY, &self.layer, at, 0, Value::None);
        let path = if self.tree { format!("{}/[]", base) } else { String::new() };
        let r = self.elements(ctx, off, node, &path);
        self.step(at, &mut off, &mut len, r)?;
        self.step_ch(at, &mut off, &mut len, b"]")?;
        ctx.tree.set_len(node, len);
        Some((off - at, len))
    }

    /// `[ value *( , value ) ]`: the optional element list of an array.
    fn elements(&mut self, ctx: &mut Ctx, at: usize, node: u32, path: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let mark = ctx.tree.mark();
        let r = self.elements_seq(ctx, at, node, path);
        if r.is_none() {
            ctx.tree.rollback(mark);
        }
        self.leave();
        Some(r.unwrap_or((0, 0)))
    }

    fn elements_seq(&mut self, ctx: &mut Ctx, at: usize, node: u32, path: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        let r = self.value(ctx, at, node, path, "[]");
        let ok = self.step(at, &mut off, &mut len, r).and_then(|_| {
            let r = self.more(ctx, off, node, path, false);
            self.step(at, &mut off, &mut len, r)
        });
        self.leave();
        ok.map(|_| (off - at, len))
    }

    /// A value: false, null, true, NaN, object, array, number or string, tried in that
    /// order. A scalar adds its path-with-value, member-with-value and value items under
    /// `parent` (`path` and `key` are its member's, or `base/[]` and `[]` in an array).
    fn value(&mut self, ctx: &mut Ctx, at: usize, parent: u32, path: &str, key: &str) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let mut scalar = None;
        for (word, f) in [(&b"false"[..], &VALUE_FALSE), (b"null", &VALUE_NULL), (b"true", &VALUE_TRUE), (b"NaN", &VALUE_NAN)] {
            if self.b.get(at..at + word.len()) == Some(word) {
                scalar = Some((f, (word.len(), word.len())));
                break;
            }
        }
        let r = match scalar {
            Some((f, tok)) => {
                self.add_scalar(ctx, parent, f, at, tok.1, path, key);
                Some(tok)
            }
            None => {
                let composite = self.object(ctx, at, parent, path).or_else(|| self.array(ctx, at, parent, path));
                match composite {
                    Some(tok) => Some(tok),
                    None => match self.number(ctx, at) {
                        Some(tok) => {
                            self.add_scalar(ctx, parent, &VALUE_NUMBER, at, tok.1, path, key);
                            Some(tok)
                        }
                        None => {
                            let tok = self.string(ctx, at);
                            if let Some(t) = tok {
                                self.add_scalar(ctx, parent, &VALUE_STRING, at, t.1, path, key);
                            }
                            tok
                        }
                    },
                }
            }
        };
        self.leave();
        r
    }

    /// Wireshark's after_value: the two generated filter items, then the value.
    #[allow(clippy::too_many_arguments)]
    fn add_scalar(&self, ctx: &mut Ctx, parent: u32, f: &'static FieldDef, at: usize, len: usize, path: &str, key: &str) {
        if !self.tree {
            return;
        }
        let text = if std::ptr::eq(f, &VALUE_STRING) { self.text_of(at + 1, len.saturating_sub(2)) } else { self.text_of(at, len) };
        add_generated(ctx, parent, &PATH_WITH_VALUE, &self.layer, at, len, format!("{}:{}", path, text));
        add_generated(ctx, parent, &MEMBER_WITH_VALUE, &self.layer, at, len, format!("{}:{}", key, text));
        let value = if f.ftype == FieldType::String { Value::Str(text) } else { Value::None };
        ctx.add(parent, f, &self.layer, at, len, value);
    }

    /// A string token's text (or a number's), unescaped as Wireshark does.
    pub(crate) fn text_of(&self, at: usize, len: usize) -> String {
        unescape(self.layer.slice(at, len))
    }
}

fn add_generated(ctx: &mut Ctx, parent: u32, f: &'static FieldDef, layer: &Layer, at: usize, len: usize, s: String) {
    let n = ctx.add(parent, f, layer, at, len, Value::Str(s));
    if let Some(node) = ctx.tree.node_mut(n) {
        node.generated = true;
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::FrameMeta;
    use crate::session::tests::summary_of;
    use crate::session::Session;

    /// An Ethernet/IPv4/TCP segment to port 80 with a POST of `body` as `application/json`.
    fn post(body: &[u8]) -> Vec<u8> {
        let mut p = format!("POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        p.extend_from_slice(body);
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let total = 20 + 20 + p.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend_from_slice(&[0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        f.extend_from_slice(&p);
        f
    }

    /// The labels under the `json` item, indented by depth (hidden items left out).
    fn json_labels(frame: &[u8]) -> Vec<String> {
        let mut s = Session::new();
        let meta = FrameMeta { linktype: 1, caplen: frame.len() as u32, origlen: frame.len() as u32, ts_digits: 6, ..Default::default() };
        s.ingest(meta, frame, true);
        let t = s.tree();
        let top = t.nodes.iter().position(|n| n.field.abbrev == "json").expect("a json item") as u32;
        let depth = |mut i: u32| {
            let mut d = 0;
            while i != top && i != u32::MAX {
                i = t.nodes[i as usize].parent;
                d += 1;
            }
            (i == top).then(|| d)
        };
        (0..t.nodes.len() as u32)
            .filter_map(|i| depth(i).map(|d| format!("{}{}", "  ".repeat(d), t.label(i))))
            .collect()
    }

    #[test]
    fn a_json_post_names_json_in_protocol_and_info() {
        let (cols, protos) = summary_of(1, &post(br#"{"type":"view","ts":1969542410}"#));
        assert_eq!(cols.protocol, "HTTP/JSON");
        assert_eq!(cols.info, "POST / HTTP/1.1 , JavaScript Object Notation (application/json)");
        assert_eq!(protos, "eth:ethertype:ip:tcp:http:json");
    }

    #[test]
    fn the_tree_has_members_paths_and_values_in_tsharks_order() {
        let labels = json_labels(&post(br#"{"a":[1,{"b":"x\u00e9y"}],"c":null} x"#));
        let expected = [
            "JavaScript Object Notation: application/json",
            "  Object",
            "    Member: a",
            "      Array",
            "        [Path with value: /a/[]:1]",
            "        [Member with value: []:1]",
            "        Number value: 1",
            "        Object",
            "          Member: b",
            "            [Path with value: /a/[]/b:x\u{e9}y]",
            "            [Member with value: b:x\u{e9}y]",
            "            String value: x\u{e9}y",
            "            Key: b",
            "            [Path: /a/[]/b]",
            "      Key: a",
            "      [Path: /a]",
            "    Member: c",
            "      [Path with value: /c:null]",
            "      [Member with value: c:null]",
            "      Null value",
            "      Key: c",
            "      [Path: /c]",
        ];
        assert_eq!(labels, expected);
        // What follows the document is text.
        let (_, protos) = summary_of(1, &post(br#"{"a":1} x"#));
        assert_eq!(protos, "eth:ethertype:ip:tcp:http:json:data-text-lines");
    }

    #[test]
    fn malformed_json_adds_no_items_and_is_text() {
        for body in [&br#"{"a":1"#[..], b"[1,2,", b"hello", b"{\"a\":1,}"] {
            let f = post(body);
            let (cols, protos) = summary_of(1, &f);
            assert_eq!(cols.info, "POST / HTTP/1.1 , JavaScript Object Notation (application/json)");
            assert_eq!(protos, "eth:ethertype:ip:tcp:http:json:data-text-lines");
            assert_eq!(json_labels(&f), ["JavaScript Object Notation: application/json"]);
        }
        // tvbparse's quirks: whitespace inside a number, several documents in a row.
        assert_eq!(json_labels(&post(br#"{"a":- 5}"#))[5], "      Number value: - 5");
        assert_eq!(json_labels(&post(br#"{}{}"#)), ["JavaScript Object Notation: application/json", "  Object", "  Object"]);
    }

    /// Summary lines of a single pass skip the parse (`Scope::columns_only`): the same line as
    /// a parsed body's, whole or not, with and without a media type.
    #[test]
    fn summary_lines_need_no_parse() {
        let deep = format!("{}{}", "[".repeat(80), "]".repeat(80));
        let bodies: [&[u8]; 6] = [br#"{"a":[1,2,{"b":null}]}"#, br#"{"a":1"#, b"hello", b"{}\n{}\n", b"{\"a\":1} x", deep.as_bytes()];
        for body in bodies {
            for media in [true, false] {
                let mut f = post(body);
                if !media {
                    let at = f.windows(12).position(|w| w == b"Content-Type").unwrap();
                    f[at..at + 12].copy_from_slice(b"X-Other-Typ:");
                }
                let lines: Vec<String> = ["mode summary\n", "mode summary\nsingle_pass 1\n"]
                    .iter()
                    .map(|config| {
                        let mut s = Session::new();
                        s.configure(config).unwrap();
                        let meta = FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() };
                        s.ingest_and_print(meta, &f);
                        std::mem::take(&mut s.out)
                    })
                    .collect();
                assert_eq!(lines[0], lines[1], "{:?}", String::from_utf8_lossy(body));
            }
        }
    }

    #[test]
    fn a_node_exchange_reads_as_tshark_shows_it() {
        // test-fixtures/captures/syslog-json.pcap: a JSON POST and its JSON answer.
        let frames = crate::proto::icmp::tests::pcap_frames(include_bytes!("../../../../test-fixtures/captures/syslog-json.pcap"));
        let (first, _) = crate::proto::icmp::tests::infos(&frames);
        assert_eq!(first[6], "POST /api/v1/events HTTP/1.1 , JavaScript Object Notation (application/json)");
        assert_eq!(first[8], "HTTP/1.1 200 OK , JavaScript Object Notation (application/json)");
        let labels = json_labels(&frames[8].1);
        assert_eq!(
            labels[9..15],
            [
                "      Member: name",
                "        [Path with value: /[]/name:caf\u{e9} \"quoted\"]",
                "        [Member with value: name:caf\u{e9} \"quoted\"]",
                "        String value: caf\u{e9} \"quoted\"",
                "        Key: name",
                "        [Path: /[]/name]",
            ]
        );
        assert!(labels.contains(&"        Number value: -12500".to_string()));
    }

    #[test]
    fn random_json_like_bodies_never_panic() {
        // Bodies drawn from JSON's own characters reach every combinator's failure paths.
        let alphabet = b"{}[]\",:-+.eE0123456789tfnulrsaN \\/\n\xc3\xa9";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = 1 + (x % 48) as usize;
            let body: Vec<u8> = (0..len)
                .map(|i| {
                    let r = x.rotate_left(i as u32 * 5) ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d);
                    alphabet[(r % alphabet.len() as u64) as usize]
                })
                .collect();
            let f = post(&body);
            let (cols, _) = summary_of(1, &f);
            assert!(cols.info.starts_with("POST / HTTP/1.1 , JavaScript Object Notation"));
            json_labels(&f);
        }
    }

    #[test]
    fn nesting_stops_where_tvbparse_does() {
        let protos = |body: Vec<u8>| summary_of(1, &post(&body)).1;
        let arrays = |n: usize| [vec![b'['; n], vec![b']'; n]].concat();
        assert_eq!(protos(arrays(25)), "eth:ethertype:ip:tcp:http:json");
        assert_eq!(protos(arrays(26)), "eth:ethertype:ip:tcp:http:json:data-text-lines");
        let objects = |n: usize| [br#"{"a":"#.repeat(n), b"1".to_vec(), b"}".repeat(n)].concat();
        assert_eq!(protos(objects(19)), "eth:ethertype:ip:tcp:http:json");
        assert_eq!(protos(objects(20)), "eth:ethertype:ip:tcp:http:json:data-text-lines");
        // Deep input costs no stack: the counter refuses it at once.
        assert!(protos(arrays(30_000)).ends_with("data-text-lines"));
        assert_eq!(json_labels(&post(&arrays(3))).len(), 4);
    }
}
