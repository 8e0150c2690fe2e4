//! Packets quoted inside ICMP and ICMPv6 error messages (Wireshark's `in_error_pkt`): the
//! quoted IP header and what follows it are dissected under the error's tree through the
//! EtherType table, leave the frame's columns and network addresses as the outer header set
//! them, and are neither matched nor checksum-verified by the ICMP dissectors inside them.

use crate::dispatch::{self, Table};
use crate::packet::{Ctx, DResult, DissectError, Layer};

/// Whether the layer being dissected sits inside an ICMP error's quoted packet.
pub fn in_error(ctx: &Ctx) -> bool {
    ctx.state.icmp.error_depth > 0
}

/// Dissects `quote`, an IP packet under EtherType `ethertype`, as the payload of an error
/// message whose tree node is `parent`. `min_header` is the quoted IP header's fixed length.
pub fn dissect(ctx: &mut Ctx, parent: u32, ethertype: u32, min_header: usize, quote: Layer) -> DResult<usize> {
    let cols = std::mem::take(&mut *ctx.cols);
    let (net_src, net_dst) = (ctx.net_src, ctx.net_dst);
    ctx.state.icmp.error_depth += 1;
    let result = dispatch::call_or_data(ctx, Table::EtherType, ethertype, parent, quote);
    ctx.state.icmp.error_depth -= 1;
    *ctx.cols = cols;
    ctx.net_src = net_src;
    ctx.net_dst = net_dst;
    match result {
        // Errors quote a whole IP header but often only the first 8 bytes of the transport
        // header, whose length fields then point past the quote: Wireshark accepts that in
        // error packets. A quote too short for the IP header itself is still malformed.
        Err(DissectError::Malformed { .. }) if quote.reported >= min_header => Ok(quote.reported),
        r => r,
    }
}
