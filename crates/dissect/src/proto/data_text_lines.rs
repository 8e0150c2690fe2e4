//! `data-text-lines`: a text body shown one item per line ("Line-based text data"), for
//! `text/*` bodies and what a body dissector (JSON) leaves unparsed. The carrier sets
//! `ctx.media_type`.

use crate::dispatch::Registration;
use crate::field::FieldDef;
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::frame::TEXT;
use crate::text;
use crate::tree::Value;

pub static DATA_TEXT_LINES: FieldDef = FieldDef::protocol("Line-based text data", "data-text-lines");

pub static FIELDS: &[&FieldDef] = &[&DATA_TEXT_LINES];

pub static HANDOFFS: &[Registration] = &[crate::named!("data-text-lines", dissect)];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    if !ctx.media_type.is_empty() {
        // col_append_sep_fstr(" ", "(%s)"): the space only after earlier text.
        if !ctx.cols.info.is_empty() {
            ctx.cols.info.push(' ');
        }
        ctx.cols.info.push('(');
        ctx.cols.info.push_str(&ctx.media_type);
        ctx.cols.info.push(')');
    }
    let n = ctx.add_protocol(parent, &DATA_TEXT_LINES, &layer);
    if ctx.tree.enabled() {
        let lines = add_lines(ctx, n, &layer);
        let sep = if ctx.media_type.is_empty() { "" } else { ": " };
        crate::set_label!(ctx.tree, n, "{}{}{} ({} lines)", DATA_TEXT_LINES.name, sep, ctx.media_type, lines);
    }
    Ok(layer.reported)
}

/// One text item per line; returns the count.
fn add_lines(ctx: &mut Ctx, parent: u32, body: &Layer) -> usize {
    let b = body.bytes();
    let mut at = 0;
    let mut count = 0;
    while at < b.len() {
        let end = b[at..].iter().position(|&c| c == b'\n').map_or(b.len(), |i| at + i + 1);
        let n = ctx.add(parent, &TEXT, body, at, end - at, Value::None);
        if ctx.tree.wants_label(n) {
            ctx.tree.set_label(n, text::escaped(&b[at..end]));
        }
        count += 1;
        at = end;
    }
    count
}
