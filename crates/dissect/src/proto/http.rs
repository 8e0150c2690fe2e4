//! `http`: HTTP/1.x request and response lines, headers, bodies delimited by Content-Length
//! or chunked (shown de-chunked), the body as Line-based text data, and request/response
//! matching per TCP stream (`analysis/http.rs`).

use crate::analysis::http::Method;
use crate::dispatch::{self, Registration, Table};
use crate::field::{FieldDef, FieldType};
use crate::packet::{Ctx, DResult, Desegment, Layer};
use crate::proto::frame::TEXT;
use crate::proto::http_match::{add_matching, add_message_flag, match_message};
use crate::proto::http_tunnel;
use crate::text;
use crate::tree::{Group, Severity, Value, NO_NODE};

pub static HTTP: FieldDef = FieldDef::protocol("Hypertext Transfer Protocol", "http");
pub static REQUEST: FieldDef = FieldDef::new("Request", "http.request", FieldType::Bool);
pub static RESPONSE: FieldDef = FieldDef::new("Response", "http.response", FieldType::Bool);
pub static REQUEST_METHOD: FieldDef = FieldDef::new("Request Method", "http.request.method", FieldType::String);
pub static REQUEST_URI: FieldDef = FieldDef::new("Request URI", "http.request.uri", FieldType::String);
pub static REQUEST_VERSION: FieldDef = FieldDef::new("Request Version", "http.request.version", FieldType::String);
pub static RESPONSE_VERSION: FieldDef = FieldDef::new("Response Version", "http.response.version", FieldType::String);
pub static RESPONSE_CODE: FieldDef = FieldDef::new("Status Code", "http.response.code", FieldType::Uint16);
pub static RESPONSE_PHRASE: FieldDef = FieldDef::new("Response Phrase", "http.response.phrase", FieldType::String);
pub static REQUEST_LINE: FieldDef = FieldDef::new("Request line", "http.request.line", FieldType::String);
pub static RESPONSE_LINE: FieldDef = FieldDef::new("Response line", "http.response.line", FieldType::String);
pub static HOST: FieldDef = FieldDef::new("Host", "http.host", FieldType::String);
pub static USER_AGENT: FieldDef = FieldDef::new("User-Agent", "http.user_agent", FieldType::String);
pub static ACCEPT: FieldDef = FieldDef::new("Accept", "http.accept", FieldType::String);
pub static CONTENT_TYPE: FieldDef = FieldDef::new("Content-Type", "http.content_type", FieldType::String);
pub static CONTENT_LENGTH_HEADER: FieldDef = FieldDef::new("Content-Length", "http.content_length_header", FieldType::String);
pub static CONTENT_LENGTH: FieldDef = FieldDef::new("Content length", "http.content_length", FieldType::Uint64);
pub static SERVER: FieldDef = FieldDef::new("Server", "http.server", FieldType::String);
pub static CONNECTION: FieldDef = FieldDef::new("Connection", "http.connection", FieldType::String);
pub static DATE: FieldDef = FieldDef::new("Date", "http.date", FieldType::String);
pub static TRANSFER_ENCODING: FieldDef = FieldDef::new("Transfer-Encoding", "http.transfer_encoding", FieldType::String);
pub static CHUNK_SIZE: FieldDef = FieldDef::new("Chunk size", "http.chunk_size", FieldType::Uint32);
pub static CHUNK_DATA: FieldDef = FieldDef::new("Chunk data", "http.chunk_data", FieldType::Bytes);
pub static CHUNK_BOUNDARY: FieldDef = FieldDef::new("Chunk boundary", "http.chunk_boundary", FieldType::Bytes);
pub static FILE_DATA: FieldDef = FieldDef::new("File Data", "http.file_data", FieldType::String);
/// The expert of the start line (`Expert Info (Chat/Sequence)`).
pub static CHAT: FieldDef = FieldDef::new("Formatted text", "http.chat", FieldType::None);
pub static MEDIA: FieldDef = FieldDef::protocol("Media Type", "media");
pub static MEDIA_TYPE: FieldDef = FieldDef::new("Media type", "media.type", FieldType::Bytes);
pub static IMAGE_JFIF: FieldDef = FieldDef::protocol("JPEG File Interchange Format", "image-jfif");
pub static PNG: FieldDef = FieldDef::protocol("Portable Network Graphics", "png");
pub static URLENCODED_FORM: FieldDef = FieldDef::protocol("HTML Form URL Encoded", "urlencoded-form");

pub static FULL_URI: FieldDef = FieldDef::new("Full request URI", "http.request.full_uri", FieldType::String);
pub static REQUEST_NUMBER: FieldDef = FieldDef::new("HTTP request", "http.request_number", FieldType::Uint32);
pub static RESPONSE_NUMBER: FieldDef = FieldDef::new("HTTP response", "http.response_number", FieldType::Uint32);
pub static PREV_REQUEST_IN: FieldDef = FieldDef::new("Prev request in frame", "http.prev_request_in", FieldType::FrameNum)
    .blurb("The previous HTTP request starts in packet number");
pub static PREV_RESPONSE_IN: FieldDef = FieldDef::new("Prev response in frame", "http.prev_response_in", FieldType::FrameNum)
    .blurb("The previous HTTP response starts in packet number");
pub static NEXT_REQUEST_IN: FieldDef = FieldDef::new("Next request in frame", "http.next_request_in", FieldType::FrameNum)
    .blurb("The next HTTP request starts in packet number");
pub static NEXT_RESPONSE_IN: FieldDef = FieldDef::new("Next response in frame", "http.next_response_in", FieldType::FrameNum)
    .blurb("The next HTTP response starts in packet number");
pub static RESPONSE_IN: FieldDef = FieldDef::new("Response in frame", "http.response_in", FieldType::FrameNum)
    .blurb("This packet will be responded in the packet with this number");
pub static REQUEST_IN: FieldDef = FieldDef::new("Request in frame", "http.request_in", FieldType::FrameNum)
    .blurb("This packet is a response to the packet with this number");
pub static TIME: FieldDef = FieldDef::new("Time since request", "http.time", FieldType::RelTime);
pub static RESPONSE_FOR_URI: FieldDef = FieldDef::new("Request URI", "http.response_for.uri", FieldType::String);
pub static CODE_DESC: FieldDef = FieldDef::new("Status Code Description", "http.response.code.desc", FieldType::String);

pub static FIELDS: &[&FieldDef] = &[
    &FULL_URI, &REQUEST_NUMBER, &RESPONSE_NUMBER, &PREV_REQUEST_IN, &PREV_RESPONSE_IN, &NEXT_REQUEST_IN, &NEXT_RESPONSE_IN, &RESPONSE_IN,
    &REQUEST_IN, &TIME, &RESPONSE_FOR_URI, &CODE_DESC,
    &HTTP, &REQUEST, &RESPONSE, &REQUEST_METHOD, &REQUEST_URI, &REQUEST_VERSION, &RESPONSE_VERSION, &RESPONSE_CODE,
    &RESPONSE_PHRASE, &REQUEST_LINE, &RESPONSE_LINE, &HOST, &USER_AGENT, &ACCEPT, &CONTENT_TYPE, &CONTENT_LENGTH_HEADER,
    &CONTENT_LENGTH, &SERVER, &CONNECTION, &DATE, &TRANSFER_ENCODING, &CHAT, &CHUNK_SIZE, &CHUNK_DATA, &CHUNK_BOUNDARY, &FILE_DATA, &MEDIA, &MEDIA_TYPE,
    &IMAGE_JFIF, &PNG, &URLENCODED_FORM,
];

/// Wireshark's default TCP port range for HTTP.
pub static HANDOFFS: &[Registration] = &[
    crate::handoff!(Table::TcpPort, 80, "http", dissect),
    crate::handoff!(Table::TcpPort, 3128, "http", dissect),
    crate::handoff!(Table::TcpPort, 3132, "http", dissect),
    crate::handoff!(Table::TcpPort, 5985, "http", dissect),
    crate::handoff!(Table::TcpPort, 8080, "http", dissect),
    crate::handoff!(Table::TcpPort, 8088, "http", dissect),
    crate::handoff!(Table::TcpPort, 11371, "http", dissect),
    crate::handoff!(Table::TcpPort, 1900, "http", dissect),
    crate::handoff!(Table::TcpPort, 2869, "http", dissect),
    crate::handoff!(Table::TcpPort, 2710, "http", dissect),
    crate::heuristic!(Table::TcpHeuristic, "http_tcp", looks_like_http, dissect),
];

/// Whether `port` is one of HTTP's own TCP ports (Wireshark's `http.tcp.port` range).
pub fn is_http_port(port: u16) -> bool {
    HANDOFFS.iter().any(|r| r.table == Table::TcpPort && r.key == port as u32)
}

/// Wireshark's http_tcp heuristic: the segment starts with a request or status line.
fn looks_like_http(b: &[u8]) -> bool {
    let line_end = b.iter().position(|&c| c == b'\r' || c == b'\n').unwrap_or(b.len());
    is_start_line(&b[..line_end]) && line_end < b.len()
}

const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH"];

/// The next CRLF- (or LF-) terminated line from `at`: (line without EOL, offset after EOL).
fn next_line(b: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = b.get(at..)?;
    let nl = rest.iter().position(|&c| c == b'\n')?;
    let line = &rest[..nl];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Some((line, at + nl + 1))
}

fn header_field(name: &[u8]) -> Option<&'static FieldDef> {
    // Lowered on the stack (no allocation per header line): longer names match none.
    let mut buf = [0u8; 17];
    let lower = buf.get_mut(..name.len())?;
    for (d, s) in lower.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    Some(match &*lower {
        b"host" => &HOST,
        b"user-agent" => &USER_AGENT,
        b"accept" => &ACCEPT,
        b"content-type" => &CONTENT_TYPE,
        b"content-length" => &CONTENT_LENGTH_HEADER,
        b"server" => &SERVER,
        b"connection" => &CONNECTION,
        b"date" => &DATE,
        b"transfer-encoding" => &TRANSFER_ENCODING,
        _ => return None,
    })
}

/// Where one message ends, or what is missing to know.
enum Extent {
    /// Header block and body lengths (the body possibly cut short when reassembly is off).
    Complete { headers: usize, body: usize },
    /// More data is needed from TCP.
    Need(Desegment),
}

/// The message starting with a request or response line at the start of `b`. `no_body` is
/// set for the responses RFC 7230 gives no body whatever their headers say (to HEAD, and a 2xx
/// to CONNECT).
fn extent(b: &[u8], reported: usize, can_desegment: bool, is_request: bool, status: u16, no_body: bool) -> Extent {
    // One walk over the lines finds both the blank line that ends the headers and the
    // headers that give the body's length.
    let (mut content_length, mut chunked) = (None, false);
    let mut at = 0;
    let headers = loop {
        let (h, next) = match next_line(b, at) {
            Some(x) => x,
            None if can_desegment => return Extent::Need(Desegment::OneMoreSegment),
            None => return Extent::Complete { headers: b.len(), body: 0 },
        };
        if h.is_empty() {
            break next;
        }
        if let Some(colon) = h.iter().position(|&c| c == b':') {
            let (name, value) = (&h[..colon], trim(&h[colon + 1..]));
            if name.eq_ignore_ascii_case(b"content-length") {
                content_length = std::str::from_utf8(value).ok().and_then(|v| v.trim().parse::<usize>().ok());
            }
            if name.eq_ignore_ascii_case(b"transfer-encoding") && value.eq_ignore_ascii_case(b"chunked") {
                chunked = true;
            }
        }
        at = next;
    };
    let available = reported.saturating_sub(headers);
    if !is_request && (no_body || status / 100 == 1 || status == 204 || status == 304) {
        return Extent::Complete { headers, body: 0 };
    }
    if chunked {
        return match chunked_length(&b[headers.min(b.len())..]) {
            Some(len) => Extent::Complete { headers, body: len },
            None if can_desegment => Extent::Need(Desegment::OneMoreSegment),
            None => Extent::Complete { headers, body: available },
        };
    }
    match content_length {
        Some(len) if len > available && can_desegment => Extent::Need(Desegment::Bytes((len - available) as u32)),
        Some(len) => Extent::Complete { headers, body: len.min(available) },
        None if is_request => Extent::Complete { headers, body: 0 },
        // A response without a length runs until the server closes the connection.
        None if can_desegment => Extent::Need(Desegment::UntilFin),
        None => Extent::Complete { headers, body: available },
    }
}

/// Length of a complete chunked body (through the last chunk and its trailer), if all there.
fn chunked_length(b: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let (line, next) = next_line(b, at)?;
        let digits = line.split(|&c| c == b';').next().unwrap_or(&[]);
        let size = usize::from_str_radix(std::str::from_utf8(digits).ok()?.trim(), 16).ok()?;
        if size == 0 {
            // Trailer fields up to a blank line.
            let mut t = next;
            loop {
                let (line, after) = next_line(b, t)?;
                t = after;
                if line.is_empty() {
                    return Some(t);
                }
            }
        }
        at = next.checked_add(size)?.checked_add(2)?;
        if at > b.len() {
            return None;
        }
    }
}

/// HTTP over TCP: one or more messages; a message that needs more data than the segment
/// has asks TCP to reassemble it. Data that starts with no request or response line, on a
/// stream where HTTP has seen none, is claimed and shown as nothing at all (not even `data`),
/// which is what tshark 4.0's HTTP does with it.
pub fn dissect(ctx: &mut Ctx, parent: u32, layer: Layer) -> DResult<usize> {
    let b = layer.bytes();
    let tunnel = ctx.tcp_stream.filter(|_| !ctx.in_http_tunnel).and_then(|s| ctx.state.http.tunnel(s, ctx.meta.number)).cloned();
    if let Some(t) = tunnel {
        return http_tunnel::dissect(ctx, parent, layer, &t);
    }
    let seen_before = ctx.tcp_stream.and_then(|s| ctx.state.http_streams.get(&s).copied()).map_or(false, |f| f < ctx.meta.number);
    let mut offset = 0;
    let mut first = true;
    while offset < layer.reported {
        let rest = &b[offset.min(b.len())..];
        // Binary data is never a message start: a continuation where HTTP was seen, else
        // nothing (Wireshark checks the first byte, after a leading CRLF, before any line).
        let lead = if rest.len() > 3 && rest.starts_with(b"\r\n") { 2 } else { 0 };
        if rest.get(lead).map_or(false, |c| !(0x20..0x7f).contains(c)) {
            if seen_before {
                continuation(ctx, parent, &layer.sub(offset, "http"), first, true);
            }
            break;
        }
        let line = match next_line(rest, 0) {
            Some((line, _)) => line,
            None if ctx.can_desegment => {
                ctx.desegment = Some((offset, Desegment::OneMoreSegment));
                break;
            }
            None => rest,
        };
        if !is_start_line(line) {
            if first && !seen_before {
                return Ok(layer.reported);
            }
            continuation(ctx, parent, &layer.sub(offset, "http"), first, false);
            break;
        }
        if let Some(stream) = ctx.tcp_stream {
            ctx.state.http_streams.entry(stream).or_insert(ctx.meta.number);
        }
        ctx.cols.set_protocol("HTTP");
        if first {
            ctx.cols.info.clear();
        }
        text::write_escaped(&mut ctx.cols.info, line);
        ctx.cols.info.push(' ');
        let is_request = !line.starts_with(b"HTTP/");
        let status = if is_request { 0 } else { status_code(line) };
        let asked = ctx.tcp_stream.and_then(|s| ctx.state.http.method_before(s, ctx.meta.number));
        let no_body = asked == Some(Method::Head) || (status / 100 == 2 && asked == Some(Method::Connect));
        match extent(rest, layer.reported - offset, ctx.can_desegment, is_request, status, no_body) {
            Extent::Need(more) => {
                ctx.desegment = Some((offset, more));
                break;
            }
            Extent::Complete { headers, body } => {
                let message = layer.sub(offset, "http").limit(headers + body);
                dissect_message(ctx, parent, message, headers, body, first);
                offset += (headers + body).max(1);
            }
        }
        first = false;
    }
    Ok(layer.reported)
}

pub fn status_code(line: &[u8]) -> u16 {
    let code = line.splitn(3, |&c| c == b' ').nth(1).unwrap_or(&[]);
    std::str::from_utf8(code).ok().and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// Bytes of a stream where HTTP was seen that start no message: `data` under an `http` item,
/// after a `File Data` item when they are text (binary data skips the line parsing that
/// yields it).
fn continuation(ctx: &mut Ctx, parent: u32, layer: &Layer, first: bool, binary: bool) {
    let top = ctx.add_protocol(parent, &HTTP, layer);
    ctx.cols.set_protocol("HTTP");
    if first {
        ctx.cols.set_info("Continuation");
    }
    if ctx.tree.enabled() && !binary {
        if ctx.tree.wants(&FILE_DATA) {
            let f = ctx.add(top, &FILE_DATA, layer, 0, layer.len, Value::Str(text::lossy(layer.bytes())));
            crate::set_label!(ctx.tree, f, "File Data: {} bytes", layer.reported);
        }
    }
    let _ = dispatch::call_data(ctx, top, *layer);
}

/// The tree of one complete message: `headers` bytes of start line and headers, then `body`
/// bytes. Only the first message of a payload lists `http` in frame.protocols, as tshark.
fn dissect_message(ctx: &mut Ctx, parent: u32, layer: Layer, headers: usize, body: usize, first: bool) {
    let b = layer.bytes();
    let top = if first { ctx.add_protocol(parent, &HTTP, &layer) } else { ctx.tree.add(parent, &HTTP, layer.start, layer.len, Value::None) };
    let (line, mut at) = match next_line(b, 0) {
        Some(x) => x,
        None => return,
    };
    let is_request = !line.starts_with(b"HTTP/");
    if ctx.tree.enabled() {
        add_start_line(ctx, top, &layer, line, is_request);
    }
    let mut content_type: Option<String> = None;
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut host: Option<String> = None;
    while let Some((h, next)) = next_line(b, at) {
        if h.is_empty() || next > headers {
            at = next;
            break;
        }
        if let Some(colon) = h.iter().position(|&c| c == b':') {
            let (name, value) = (&h[..colon], trim(&h[colon + 1..]));
            let field = header_field(name);
            if name.eq_ignore_ascii_case(b"host") {
                host = Some(text::lossy(value));
            }
            if name.eq_ignore_ascii_case(b"content-type") {
                content_type = Some(text::escaped(value));
            }
            if name.eq_ignore_ascii_case(b"transfer-encoding") && value.eq_ignore_ascii_case(b"chunked") {
                chunked = true;
            }
            if name.eq_ignore_ascii_case(b"content-length") {
                content_length = std::str::from_utf8(value).ok().and_then(|v| v.trim().parse().ok());
            }
            if ctx.tree.enabled() {
                let line_field = if is_request { &REQUEST_LINE } else { &RESPONSE_LINE };
                // A header without a field of its own is its line item, visible. Its text is
                // made only if the item is recorded (a filter records only its own fields).
                let shown = field.unwrap_or(line_field);
                let value = if field.is_some() { value } else { &b[at..next] };
                let n = if ctx.tree.wants(shown) { ctx.add(top, shown, &layer, at, next - at, Value::Str(text::lossy(value))) } else { NO_NODE };
                crate::set_label!(ctx.tree, n, "{}\\r\\n", text::escaped(h));
                if let (Some(_), Some(len)) = (field.filter(|f| std::ptr::eq(*f, &CONTENT_LENGTH_HEADER)), content_length) {
                    let c = ctx.add(n, &CONTENT_LENGTH, &layer, at + colon + 1, h.len() - colon - 1, Value::Uint(len as u64));
                    if let Some(node) = ctx.tree.node_mut(c) {
                        node.generated = true;
                    }
                }
                if field.is_some() && ctx.tree.wants(line_field) {
                    let l = ctx.add(top, line_field, &layer, at, next - at, Value::Str(text::lossy(&b[at..next])));
                    ctx.tree.set_hidden(l);
                }
            }
        }
        at = next;
    }
    if ctx.tree.enabled() && at >= 2 && b.get(at - 2..at) == Some(b"\r\n") {
        let n = ctx.add(top, &TEXT, &layer, at - 2, 2, Value::None);
        crate::set_label!(ctx.tree, n, "\\r\\n");
    }
    let uri = if is_request { full_uri(line, host.as_deref()) } else { None };
    http_tunnel::note_message(ctx, line, is_request);
    let matched = match_message(ctx, is_request, uri);
    if ctx.tree.enabled() {
        let start_line_len = line.len() + 2;
        match &matched {
            Some(m) => add_matching(ctx, top, m, &layer, start_line_len),
            None => add_message_flag(ctx, top, &layer, start_line_len, is_request),
        }
    }
    let mut dechunked = Vec::new();
    let body_len = if chunked {
        dechunk(ctx, top, &layer, at, &mut dechunked)
    } else {
        let _ = content_length;
        body.min(b.len().saturating_sub(at))
    };
    if body_len > 0 {
        // A chunked body is shown from its de-chunked copy, as Wireshark's extra bytes tab.
        let prev_source = if chunked { Some(ctx.tree.enter_source("De-chunked entity body", &dechunked)) } else { None };
        let body = if chunked { Layer::new(&dechunked, 0, dechunked.len(), "http body") } else { layer.sub(at, "http body").limit(body_len) };
        if ctx.tree.enabled() {
            if ctx.tree.wants(&FILE_DATA) {
                let f = ctx.add(top, &FILE_DATA, &body, 0, body.len, Value::Str(text::lossy(body.bytes())));
                crate::set_label!(ctx.tree, f, "File Data: {} bytes", body.len);
            }
        }
        if let Some(ct) = &content_type {
            let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            // Body dissectors (JSON, data-text-lines) never fail: what they cannot parse they
            // show as text.
            if let Some(r) = dispatch::lookup_str(Table::MediaType, &media) {
                ctx.media_type = media;
                let _ = (r.dissect)(ctx, NO_NODE, body);
            } else if media.starts_with("text/") {
                ctx.media_type = media;
                let _ = dispatch::try_call_str(ctx, Table::Named, "data-text-lines", NO_NODE, body);
            } else {
                let (info, proto) = media_dissector(&media);
                ctx.cols.info.push_str(&format!(" ({})", info));
                let n = ctx.add_protocol(NO_NODE, proto, &body);
                if std::ptr::eq(proto, &MEDIA) {
                    // The media dissector names the type in an item of its own.
                    let t = ctx.add(n, &MEDIA_TYPE, &body, 0, body.len, Value::Bytes);
                    crate::set_label!(ctx.tree, t, "Media type: {} ({} bytes)", media, body.reported);
                } else {
                    crate::set_label!(ctx.tree, n, "{}: {}", proto.name, media);
                }
            }
        }
        if let Some(prev) = prev_source {
            ctx.tree.leave_source(prev);
        }
    }
}

/// The dissector Wireshark hands a body of this media type to, and what it writes in Info
/// (the image dissectors name their format; the others show the type).
fn media_dissector(media: &str) -> (&str, &'static FieldDef) {
    match media {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => ("JPEG JFIF image", &IMAGE_JFIF),
        "image/png" => ("PNG", &PNG),
        "application/x-www-form-urlencoded" => (media, &URLENCODED_FORM),
        _ => (media, &MEDIA),
    }
}

/// Walks a chunked body from `at`, adding its chunks to the tree; returns the de-chunked length.
/// Every step moves forward, so the walk is bounded by the segment's length.
fn dechunk(ctx: &mut Ctx, top: u32, layer: &Layer, mut at: usize, body: &mut Vec<u8>) -> usize {
    let b = layer.bytes();
    let node = ctx.add(top, &TEXT, layer, at, b.len().saturating_sub(at), Value::None);
    ctx.tree.set_label(node, "HTTP chunked response".to_string());
    let mut total = 0usize;
    while let Some((line, next)) = next_line(b, at) {
        let digits = line.split(|&c| c == b';').next().unwrap_or(&[]);
        let size = match std::str::from_utf8(digits).ok().and_then(|d| usize::from_str_radix(d.trim(), 16).ok()) {
            Some(n) => n,
            None => break,
        };
        let data = size.min(b.len().saturating_sub(next));
        let boundary = if size > 0 && b.get(next + size..next + size + 2) == Some(b"\r\n") { 2 } else { 0 };
        let chunk = ctx.add(node, &TEXT, layer, at, next - at + data + boundary, Value::None);
        ctx.tree.set_label(chunk, if size == 0 { "End of chunked encoding".to_string() } else { format!("Data chunk ({} octets)", size) });
        let sz = ctx.add(chunk, &CHUNK_SIZE, layer, at, next - at, Value::Uint(size as u64));
        ctx.tree.append_text(sz, " octets");
        if size == 0 {
            if b.get(next..next + 2) == Some(b"\r\n") {
                let crlf = ctx.add(node, &TEXT, layer, next, 2, Value::None);
                crate::set_label!(ctx.tree, crlf, "\\r\\n");
            }
            break;
        }
        ctx.add(chunk, &CHUNK_DATA, layer, next, data, Value::Bytes);
        if boundary > 0 {
            ctx.add(chunk, &CHUNK_BOUNDARY, layer, next + size, 2, Value::Bytes);
        }
        if ctx.tree.enabled() {
            body.extend_from_slice(&b[next..next + data]);
        }
        total += data;
        if data < size {
            break;
        }
        at = next + size + 2;
    }
    total
}

/// `http://host/uri` as Wireshark's full_uri (absolute URIs, as proxies receive, and a
/// CONNECT's `host:port` kept).
fn full_uri(line: &[u8], host: Option<&str>) -> Option<String> {
    let mut parts = line.split(|&c| c == b' ');
    let method = parts.next()?;
    let uri = text::lossy(parts.next()?);
    let lower = uri.get(..8).unwrap_or(&uri).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || method.eq_ignore_ascii_case(b"CONNECT") {
        return Some(uri);
    }
    host.map(|h| format!("http://{}{}", h, uri))
}

fn is_start_line(line: &[u8]) -> bool {
    if line.starts_with(b"HTTP/1.") {
        return true;
    }
    METHODS.iter().any(|m| line.len() > m.len() && line.starts_with(m.as_bytes()) && line[m.len()] == b' ')
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(v.len());
    let end = v.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &v[start..end]
}

fn add_start_line(ctx: &mut Ctx, top: u32, layer: &Layer, line: &[u8], is_request: bool) {
    let parts: Vec<&[u8]> = line.splitn(3, |&c| c == b' ').collect();
    // A text item (JSON keys it by its label); `http.request`/`http.response` are added hidden
    // after the headers (`add_message_flag`), where tshark adds them.
    let n = ctx.add(top, &TEXT, layer, 0, line.len() + 2, Value::None);
    if ctx.tree.enabled() {
        let text_line = format!("{}\\r\\n", text::escaped(line));
        crate::expert::attach(&mut ctx.tree, n, &CHAT, Severity::Chat, Group::Sequence, &text_line);
        ctx.tree.set_label(n, text_line);
    }
    let mut at = 0;
    let fields: [&'static FieldDef; 3] =
        if is_request { [&REQUEST_METHOD, &REQUEST_URI, &REQUEST_VERSION] } else { [&RESPONSE_VERSION, &RESPONSE_CODE, &RESPONSE_PHRASE] };
    for (i, part) in parts.iter().enumerate() {
        let f = fields[i.min(2)];
        let v = if std::ptr::eq(f, &RESPONSE_CODE) {
            Value::Uint(std::str::from_utf8(part).ok().and_then(|s| s.parse().ok()).unwrap_or(0))
        } else {
            Value::Str(text::lossy(part))
        };
        let code = match v {
            Value::Uint(c) if std::ptr::eq(f, &RESPONSE_CODE) => Some(c),
            _ => None,
        };
        ctx.add(n, f, layer, at, part.len(), v);
        if let Some(desc) = code.and_then(status_text) {
            ctx.tree.add_generated(n, &CODE_DESC, Value::Str(desc.to_string()));
        }
        at += part.len() + 1;
    }
}

/// Wireshark's names of HTTP status codes (vals_http_status_code).
fn status_text(code: u64) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        199 => "Informational - Others",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        299 => "Success - Others",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        399 => "Redirection - Others",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Time-out",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        499 => "Client Error - Others",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Time-out",
        505 => "HTTP Version not supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        599 => "Server Error - Others",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::session::tests::summary_of;

    fn frame(payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        let total = 20 + 20 + payload.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]);
        f.extend_from_slice(&[0x1f, 0x90, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 1, 0, 0, 0, 0, 0]);
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn response_info_names_the_media_type() {
        let (cols, protos) = summary_of(1, &frame(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\npong"));
        assert_eq!(cols.protocol, "HTTP");
        assert_eq!(cols.info, "HTTP/1.1 200 OK  (text/plain)");
        assert_eq!(protos, "eth:ethertype:ip:tcp:http:data-text-lines");
    }

    #[test]
    fn escape_sequences_in_the_request_line_are_escaped() {
        let (cols, _) = summary_of(1, &frame(b"GET /\x1b[2J HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert_eq!(cols.info, "GET /\\x1b[2J HTTP/1.1 ");
    }

    #[test]
    fn chunked_body_counts_as_a_body() {
        let p = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npong\r\n0\r\n\r\n";
        let (cols, _) = summary_of(1, &frame(p));
        assert_eq!(cols.info, "HTTP/1.1 200 OK  (text/plain)");
        let empty = b"HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assert_eq!(summary_of(1, &frame(empty)).0.info, "HTTP/1.1 204 No Content ");
    }

    #[test]
    fn binary_payload_without_http_before_is_not_http() {
        // tshark 4.0: with a line end and no request or response line seen, nothing is shown.
        let (cols, protos) = summary_of(1, &frame(b"\x00\x01bin\nary"));
        assert_eq!((cols.protocol.as_str(), protos.as_str()), ("TCP", "eth:ethertype:ip:tcp"));
    }
}
