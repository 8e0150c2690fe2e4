//! HTTP CONNECT tunnels (part of `http`): once a `CONNECT host:port` was answered with 200,
//! the stream carries another protocol, which Wireshark's `http_payload_subdissector` finds
//! in the `tcp.port` table under the CONNECT port, as if the segment were sent to that port.
//! TCP reassembly keeps working through it: what the inner protocol asks for, TCP sees.

use crate::analysis::http::{Method, Tunnel};
use crate::dispatch::{self, Table};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Layer};
use crate::proto::http::{self, HTTP};
use crate::text;
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

/// First pass: the request method and target, or the response code and who sent it, which
/// decide how later responses are read and whether a CONNECT tunnel opens.
pub fn note_message(ctx: &mut Ctx, line: &[u8], is_request: bool) {
    let stream = match ctx.tcp_stream.filter(|_| !ctx.revisit) {
        Some(s) => s,
        None => return,
    };
    let mut parts = line.splitn(3, |&c| c == b' ');
    let (first, second) = (parts.next().unwrap_or(&[]), parts.next().unwrap_or(&[]));
    let frame = ctx.meta.number;
    if is_request {
        ctx.state.http.note_request(stream, frame, Method::of(first), text::lossy(second));
    } else {
        let server = (ctx.net_src.unwrap_or_default(), ctx.tcp_ports.0);
        ctx.state.http.note_response(stream, frame, http::status_code(line), server);
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
    use crate::packet::FrameMeta;
    use crate::session::Session;

    #[test]
    fn ports_are_read_as_strtol_reads_them() {
        assert_eq!(leading_number("443"), 443);
        assert_eq!(leading_number("8443/x"), 8443);
        assert_eq!(leading_number(" 22"), 22);
        assert_eq!(leading_number("https"), 0);
    }

    /// Ethernet/IPv4/TCP between a client (10.0.0.1:40000) and a proxy (10.0.0.2:3128).
    fn segment(from_client: bool, seq: u32, ack: u32, payload: &[u8]) -> Vec<u8> {
        let (src, dst, sport, dport) = if from_client { ([10, 0, 0, 1], [10, 0, 0, 2], 40000u16, 3128u16) } else { ([10, 0, 0, 2], [10, 0, 0, 1], 3128, 40000) };
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
        f.extend_from_slice(&((40 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 1, 0, 0, 64, 6, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&ack.to_be_bytes());
        f.extend_from_slice(&[0x50, 0x18, 0x03, 0xe8, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    /// A TLS 1.0 record with a minimal ClientHello, as a client sends it through the tunnel.
    const CLIENT_HELLO: [u8; 50] = [
        0x16, 3, 1, 0, 0x2d, 1, 0, 0, 0x29, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 2, 0x13, 1, 1, 0, 0,
    ];

    /// (Protocol, Info, frame.protocols) of a CONNECT, its answer and a ClientHello sent in two
    /// segments; expected values are tshark 4.0.17's for the same frames.
    fn exchange(target: &str, answer: &str) -> Vec<(String, String, String)> {
        let req = format!("CONNECT {} HTTP/1.1\r\nHost: {}\r\n\r\n", target, target);
        let resp = format!("HTTP/1.1 {}\r\n\r\n", answer);
        let (c, p) = (100 + req.len() as u32, 500 + resp.len() as u32);
        let frames = [
            segment(true, 100, 500, req.as_bytes()),
            segment(false, 500, c, resp.as_bytes()),
            segment(true, c, p, &CLIENT_HELLO[..20]),
            segment(true, c + 20, p, &CLIENT_HELLO[20..]),
        ];
        let mut s = Session::new();
        let mut rows = Vec::new();
        for f in &frames {
            s.ingest(FrameMeta { linktype: 1, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() }, f, true);
            rows.push((s.columns().protocol.clone(), s.columns().info.clone(), s.protocols().to_string()));
        }
        rows
    }

    fn row(p: &str, i: &str, protocols: &str) -> (String, String, String) {
        (p.to_string(), i.to_string(), protocols.to_string())
    }

    #[test]
    fn tls_through_a_connect_tunnel_is_found_by_the_connect_port_and_reassembled() {
        let rows = exchange("example.com:443", "200 Connection established");
        assert_eq!(rows[1], row("HTTP", "HTTP/1.1 200 Connection established ", "eth:ethertype:ip:tcp:http"), "no body after a 2xx to CONNECT");
        assert_eq!(rows[2], row("TCP", "[TCP segment of a reassembled PDU]", "eth:ethertype:ip:tcp:http:tls"));
        assert_eq!(rows[3], row("TLSv1", "Client Hello", "eth:ethertype:ip:tcp:http:tls"));
    }

    #[test]
    fn a_tunnel_to_an_http_port_is_data_and_a_refused_connect_opens_none() {
        let rows = exchange("example.com:80", "200 Connection established");
        assert_eq!(rows[2], row("TCP", "40000 \u{2192} 3128 [PSH, ACK] Seq=58 Ack=40 Win=1000 Len=20", "eth:ethertype:ip:tcp:http:data"));
        let rows = exchange("example.com:443", "407 Proxy Authentication Required");
        assert_eq!(rows[2], row("HTTP", "Continuation", "eth:ethertype:ip:tcp:http:data"));
        assert_eq!(rows[3], row("HTTP", "Continuation", "eth:ethertype:ip:tcp:http:data"));
    }
}
