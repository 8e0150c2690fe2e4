//! `raw`: raw IP link types (LINKTYPE_RAW 101, LINKTYPE_IPV4 228, LINKTYPE_IPV6 229), where
//! the version nibble says which IP follows.

use crate::dispatch::{self, Registration, Table};
use crate::field::FieldDef;
use crate::packet::{Ctx, DResult, Layer};

pub static RAW: FieldDef = FieldDef::protocol("Raw packet data", "raw");

pub static FIELDS: &[&FieldDef] = &[&RAW];

pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::LinkType, 101, "raw", dissect),
    crate::handoff!(Table::LinkType, 228, "raw", dissect),
    crate::handoff!(Table::LinkType, 229, "raw", dissect),
];

pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    let top = ctx.add_protocol(parent, &RAW, &layer);
    ctx.cols.set_protocol("Raw");
    ctx.cols.set_info("Raw packet data");
    if ctx.tree.enabled() {
        crate::set_label!(ctx.tree, top, "Raw packet data");
    }
    layer.need(1)?;
    let ethertype = match layer.u8(0) >> 4 {
        4 => 0x0800,
        6 => 0x86dd,
        _ => return crate::proto::data::dissect(ctx, parent, layer),
    };
    dispatch::call_or_data(ctx, Table::EtherType, ethertype, parent, layer)
}

#[cfg(test)]
mod tests {
    use crate::proto::tcp::tests::SYN;
    use crate::session::tests::summary_of;

    #[test]
    fn version_nibble_picks_the_ip() {
        assert_eq!(summary_of(101, &SYN[14..]).1, "raw:ip:tcp");
        let (cols, protos) = summary_of(101, &[0x10, 1, 2]);
        assert_eq!((cols.protocol.as_str(), protos.as_str()), ("Raw", "raw:data"));
    }
}
