//! HTTP CONNECT tunnels (part of `http`): once a `CONNECT host:port` was answered with 200,
//! the stream carries another protocol, which Wireshark's `http_payload_subdissector` finds
//! in the `tcp.port` table under the CONNECT port, as if the segment were sent to that port.
//! TCP reassembly keeps working through it: what the inner protocol asks for, TCP sees.

use crate::analysis::http::Tunnel;
use crate::dispatch::{self, Table};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::http::{self, HTTP};
use crate::tree::Value;

pub static PROXY_CONNECT_HOST: FieldDef = FieldDef::new("Proxy-Connect-Hostname", "http.proxy_connect_host", FieldType::String);
pub static PROXY_CONNECT_PORT: FieldDef = FieldDef::new("Proxy-Connect-Port", "http.proxy_connect_port", FieldType::Uint16);

pub static FIELDS: &[&FieldDef] = &[&PROXY_CONNECT_HOST, &PROXY_CONNECT_PORT];

/// C's `strtol(s, NULL, 10)`: leading blanks, a sign, then digits as far as they go.
fn leading_number(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).fold(0i64, |n, d| n.saturating_mul(10).saturating_add((d - b'0') as i64));
    if neg {
        -n
    } else {
        n
    }
}

/// The tunnel's payload: an `http` item naming the target, then the protocol of the CONNECT
/// port (or `data` when that port is HTTP's own, which Wireshark does to avoid recursion).
pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer, tunnel: &Tunnel) -> DResult<usize> {
    // A target without a port is not followed at all.
    let (host, port) = match tunnel.target.split_once(':') {
        Some(parts) => parts,
        None => return Ok(layer.reported),
    };
    let port = leading_number(port);
    let top = ctx.add_protocol(parent, &HTTP, &layer);
    if ctx.tree.enabled() {
        ctx.tree.add_generated(top, &PROXY_CONNECT_HOST, Value::Str(host.to_string()));
        ctx.tree.add_generated(top, &PROXY_CONNECT_PORT, Value::Uint(port as u16 as u64));
    }
    let uri_port = port as u16;
    if http::is_http_port(uri_port) {
        return dispatch::call_data(ctx, parent, layer);
    }
    let (sport, dport) = ctx.tcp_ports;
    let from_server = ctx.net_src == Some(tunnel.server.0) && sport == tunnel.server.1;
    let (sport, dport) = if from_server { (uri_port, dport) } else { (sport, uri_port) };
    let outer = std::mem::replace(&mut ctx.in_http_tunnel, true);
    let r = dispatch::call_ports(ctx, Table::TcpPort, Table::TcpHeuristic, sport, dport, layer);
    ctx.in_http_tunnel = outer;
    r.map(|_| layer.reported)
}

#[cfg(test)]
mod tests {
    use super::leading_number;

    #[test]
    fn ports_are_read_as_strtol_reads_them() {
        assert_eq!(leading_number("443"), 443);
        assert_eq!(leading_number("8443/x"), 8443);
        assert_eq!(leading_number(" 22"), 22);
        assert_eq!(leading_number("https"), 0);
    }
}
