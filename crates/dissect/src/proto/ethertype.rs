//! `ethertype`: the shared dispatch on an EtherType value (used by Ethernet, Linux SLL and
//! VLAN tags), recorded in `frame.protocols` as Wireshark does.

use crate::dispatch::{self, Table};
use crate::packet::{Ctx, DResult, Layer};

pub fn dissect(ctx: &mut Ctx, parent: u32, etype: u16, payload: Layer) -> DResult<usize> {
    ctx.protocols.push("ethertype");
    match dispatch::try_call(ctx, Table::EtherType, etype as u32, parent, payload) {
        Some(r) => r,
        None => {
            ctx.cols.set_protocol(&format!("0x{:04x}", etype));
            crate::proto::data::dissect(ctx, parent, payload)
        }
    }
}
