//! Packets quoted inside ICMP and ICMPv6 error messages (Wireshark's `in_error_pkt`): the
//! quoted IP header and what follows it are dissected under the error's tree through the
//! EtherType table, leave the frame's columns and network addresses as the outer header set
//! them, and are neither matched nor checksum-verified by the ICMP dissectors inside them.
//! Like Wireshark, which catches every exception of a dissector called inside an error
//! packet, a quote that is cut short or malformed never marks the frame.

use crate::dispatch::{self, Table};
use crate::packet::{Ctx, Layer};

/// Whether the layer being dissected sits inside an ICMP error's quoted packet.
pub fn in_error(ctx: &Ctx) -> bool {
    ctx.state.icmp.error_depth > 0
}

/// Dissects `quote`, an IP packet under EtherType `ethertype`, as the payload of an error
/// message whose tree node is `parent`. Returns how many bytes the quote takes.
pub fn dissect(ctx: &mut Ctx, parent: u32, ethertype: u32, quote: Layer) -> usize {
    let cols = std::mem::take(&mut *ctx.cols);
    let (net_src, net_dst) = (ctx.net_src, ctx.net_dst);
    ctx.state.icmp.error_depth += 1;
    let result = dispatch::call_or_data(ctx, Table::EtherType, ethertype, parent, quote);
    ctx.state.icmp.error_depth -= 1;
    *ctx.cols = cols;
    ctx.net_src = net_src;
    ctx.net_dst = net_dst;
    // Errors quote a whole IP header but often only the first 8 bytes of the transport
    // header, whose length fields then point past the quote; what could be read stays shown.
    let _ = result;
    quote.reported
}
