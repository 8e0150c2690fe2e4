//! `data`: bytes no dissector claimed.

use crate::dispatch::Registration;
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::tree::Value;

pub static DATA: FieldDef = FieldDef::protocol("Data", "data");
pub static DATA_DATA: FieldDef = FieldDef::new("Data", "data.data", FieldType::Bytes);
pub static DATA_LEN: FieldDef = FieldDef::new("Length", "data.len", FieldType::Int32);

pub static FIELDS: &[&FieldDef] = &[&DATA, &DATA_DATA, &DATA_LEN];

/// An `application/octet-stream` body is plain data in tshark 4.0 (no media type in Info).
pub static HANDOFFS: &[Registration] = &[crate::media_type!("application/octet-stream", dissect)];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    if layer.reported == 0 {
        return Ok(0);
    }
    let top = ctx.add_protocol(parent, &DATA, &layer);
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, top, "Data ({} byte{})", layer.len, if layer.len == 1 { "" } else { "s" });
        ctx.add(top, &DATA_DATA, &layer, 0, layer.len, Value::Bytes);
        let l = ctx.tree.add_generated(top, &DATA_LEN, Value::Int(layer.len as i64));
        crate::set_label!(ctx.tree, l, "[Length: {}]", layer.len);
    }
    Ok(layer.reported)
}
