//! `null`: BSD loopback (LINKTYPE_NULL, what macOS `lo0` produces): a 4-byte address family
//! in the byte order of the machine that captured it.

use crate::dispatch::{self, Registration, Table};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};

const HEADER_LEN: usize = 4;

static FAMILIES: &[(u64, &str)] = &[
    (2, "IP"),
    (7, "OSI"),
    (23, "IPX"),
    (24, "IPv6"),
    (28, "IPv6"),
    (30, "IPv6"),
];

pub static NULL: FieldDef = FieldDef::protocol("Null/Loopback", "null");
pub static NULL_FAMILY: FieldDef = FieldDef::new("Family", "null.family", FieldType::Uint32).strings(FAMILIES);

pub static FIELDS: &[&FieldDef] = &[&NULL, &NULL_FAMILY];

pub static HANDOFFS: &[Registration] = &[crate::handoff!(Table::LinkType, 0, "null", dissect)];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    layer.need(HEADER_LEN)?;
    // The family is small; whichever byte order gives a small number is the writer's.
    let le = layer.u32_le(0);
    let family = if le & 0xffff_0000 == 0 { le } else { layer.u32(0) };
    let top = ctx.add_protocol(parent, &NULL, &layer.limit(HEADER_LEN));
    ctx.cols.set_protocol("NULL");
    ctx.add_uint(top, &NULL_FAMILY, &layer, 0, 4, family as u64);
    let payload = layer.sub(HEADER_LEN, "null payload");
    let used = dispatch::call_or_data(ctx, Table::NullFamily, family, parent, payload)?;
    Ok(HEADER_LEN + used)
}

#[cfg(test)]
mod tests {
    use crate::proto::tcp::tests::SYN;
    use crate::session::tests::summary_of;

    #[test]
    fn family_in_either_byte_order() {
        for header in [[2u8, 0, 0, 0], [0, 0, 0, 2]] {
            let mut f = header.to_vec();
            f.extend_from_slice(&SYN[14..]);
            assert_eq!(summary_of(0, &f).1, "null:ip:tcp");
        }
    }
}
