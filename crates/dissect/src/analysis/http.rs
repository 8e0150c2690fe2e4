//! HTTP request/response matching per TCP stream, in frame order (Wireshark's http
//! conversation data): requests are answered first-in first-out, as HTTP/1.x pipelining
//! requires. Results are stored per message so revisiting a frame gives the same answers,
//! plus the forward links (`response_in`, `next_request_in`) that only a later frame can know.
//! Also the request methods that change how a response is read, and CONNECT tunnels.

use crate::packet::NetAddr;
use crate::hash::HashMap;
use std::rc::Rc;

/// The request methods whose responses Wireshark reads differently (`conv_data->request_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Connect,
    Head,
    Other,
}

impl Method {
    pub fn of(name: &[u8]) -> Method {
        match name {
            b"CONNECT" => Method::Connect,
            b"HEAD" => Method::Head,
            _ => Method::Other,
        }
    }
}

/// A CONNECT answered with 200: from frame `from` on, the stream carries what the tunnel
/// carries, to the port `target` names (Wireshark's `startframe` and `request_uri`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tunnel {
    pub from: u32,
    /// The CONNECT request-target, `host:port`.
    pub target: String,
    /// The side that answered: the proxy.
    pub server: (NetAddr, u16),
}

/// What is known about one HTTP message: its links, as kept for re-dissection, and what the
/// tree shows with them that is worked out again each time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpMessageInfo {
    pub links: HttpLinks,
    /// Requests seen in the stream when this message was dissected (all of them on revisit).
    pub seen: u32,
    /// Responses: the time of the request answered.
    pub request_ts: i64,
}

/// A message's place among the stream's requests and responses (40 bytes in wasm).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpLinks {
    pub is_request: bool,
    /// 1-based number of this request (or of the request this response answers).
    pub number: u32,
    pub prev_request_in: u32,
    pub prev_response_in: u32,
    /// Responses: the request answered (0 if none was pending).
    pub request_in: u32,
    /// Requests: the full URI; responses: the URI of the request answered (one copy shared).
    pub uri: Option<Rc<str>>,
    /// Known only after a later frame: the response to a request, the next request, and for
    /// a response the next response.
    pub response_in: u32,
    pub next_request_in: u32,
    pub next_response_in: u32,
}

#[derive(Default)]
struct StreamState {
    /// (frame, message key, timestamp, full uri) of the requests matching can still reach:
    /// the last one answered and those not answered yet.
    requests: Vec<(u32, u64, i64, Option<Rc<str>>)>,
    answered: usize,
    /// Requests let go from the front of `requests`.
    dropped: u32,
    last_response: u32,
    last_response_key: Option<u64>,
    /// (frame, method) of the requests whose method differs from the one before, in frame
    /// order: the method of the last request before a frame is the last change before it.
    methods: Vec<(u32, Method)>,
    /// The request-target of the last request, when it was a CONNECT (only a CONNECT's is read).
    target: Option<Box<str>>,
    tunnel: Option<Box<Tunnel>>,
}

#[derive(Default)]
pub struct HttpMatching {
    streams: HashMap<u32, StreamState>,
    /// (key, what is kept) of every message, by key: the first pass records them in frame order.
    messages: Vec<(u64, HttpLinks)>,
    /// Nothing is re-dissected: no message records, and a stream keeps only the requests
    /// matching can still reach.
    pub single_pass: bool,
}

/// Keeps `messages` sorted by key: the first pass goes forward, but may dissect a message of
/// the current frame again (then the later result wins, as it did in a map).
fn record(messages: &mut Vec<(u64, HttpLinks)>, k: u64, info: HttpLinks) {
    match messages.binary_search_by_key(&k, |m| m.0) {
        Ok(at) => messages[at].1 = info,
        Err(at) => messages.insert(at, (k, info)),
    }
}

fn find_mut(messages: &mut [(u64, HttpLinks)], k: u64) -> Option<&mut HttpLinks> {
    let at = messages.binary_search_by_key(&k, |m| m.0).ok()?;
    Some(&mut messages[at].1)
}

/// Several HTTP messages can share a frame (pipelining): key by frame and index.
fn key(frame: u32, index: u32) -> u64 {
    (frame as u64) << 16 | index.min(0xffff) as u64
}

impl HttpMatching {
    /// (message records, per-stream state): approximate heap bytes.
    pub fn footprint(&self) -> [(&'static str, usize); 2] {
        use std::mem::size_of;
        // A shared URI is counted once, by the request that made it.
        let uris: usize = self.messages.iter().filter(|(_, m)| m.is_request).map(|(_, m)| m.uri.as_ref().map_or(0, |u| u.len() + 8)).sum();
        let streams: usize = self.streams.values().map(|s| s.requests.capacity() * 32 + s.methods.capacity() * 8 + s.target.as_ref().map_or(0, |t| t.len())).sum();
        [
            ("http.messages", self.messages.capacity() * size_of::<(u64, HttpLinks)>() + uris),
            ("http.streams", streams + self.streams.capacity() * (4 + size_of::<StreamState>())),
        ]
    }

    /// A retired TCP conversation's matching state is let go (single pass).
    pub fn forget_stream(&mut self, stream: u32) {
        self.streams.remove(&stream);
    }

    /// First pass: records a request and returns what to show for it.
    pub fn request(&mut self, stream: u32, frame: u32, index: u32, ts: i64, uri: Option<String>) -> HttpMessageInfo {
        let uri: Option<Rc<str>> = uri.map(Rc::from);
        let k = key(frame, index);
        let st = self.streams.entry(stream).or_default();
        let prev = st.requests.last().map(|r| (r.0, r.1));
        // Usually one request waits at a time: grow from one, not from Vec's default of four.
        if st.requests.capacity() == 0 {
            st.requests.reserve_exact(1);
        }
        st.requests.push((frame, k, ts, uri.clone()));
        let n = st.dropped + st.requests.len() as u32;
        let links = HttpLinks { is_request: true, number: n, prev_request_in: prev.map_or(0, |p| p.0), uri, ..Default::default() };
        let info = HttpMessageInfo { links, seen: n, request_ts: 0 };
        if self.single_pass {
            return info;
        }
        if let Some((_, pk)) = prev {
            if let Some(p) = find_mut(&mut self.messages, pk) {
                p.next_request_in = frame;
            }
        }
        record(&mut self.messages, k, info.links.clone());
        info
    }

    /// First pass: matches a response with the oldest unanswered request.
    pub fn response(&mut self, stream: u32, frame: u32, index: u32) -> HttpMessageInfo {
        let st = self.streams.entry(stream).or_default();
        let seen = st.dropped + st.requests.len() as u32;
        let mut info = HttpMessageInfo { seen, ..Default::default() };
        info.links.prev_response_in = st.last_response;
        if let Some((req_frame, req_key, ts, uri)) = st.requests.get(st.answered).cloned() {
            st.answered += 1;
            info.links.number = st.dropped + st.answered as u32;
            info.links.request_in = req_frame;
            info.request_ts = ts;
            info.links.uri = uri;
            info.links.prev_request_in = if st.answered >= 2 { st.requests[st.answered - 2].0 } else { 0 };
            if st.answered > 1 {
                // The next response reads the request answered now (as the one before its own).
                let gone = st.answered - 1;
                st.requests.drain(..gone);
                st.answered -= gone;
                st.dropped += gone as u32;
            }
            if !self.single_pass {
                if let Some(r) = find_mut(&mut self.messages, req_key) {
                    r.response_in = frame;
                }
            }
        }
        st.last_response = frame;
        let previous = st.last_response_key.replace(key(frame, index));
        if !self.single_pass {
            if let Some(p) = previous.and_then(|k| find_mut(&mut self.messages, k)) {
                p.next_response_in = frame;
            }
            record(&mut self.messages, key(frame, index), info.links.clone());
        }
        info
    }

    /// First pass: a complete request line (method and request-target) in `frame`.
    pub fn note_request(&mut self, stream: u32, frame: u32, method: Method, target: String) {
        let st = self.streams.entry(stream).or_default();
        if self.single_pass {
            // Only the last method before the current frame is looked up again.
            let before = st.methods.partition_point(|m| m.0 < frame);
            if before > 1 {
                st.methods.drain(..before - 1);
            }
        }
        // No entry is the same as `Other` (the usual GET and POST): most streams need none.
        if st.methods.last().map_or(method != Method::Other, |m| m.1 != method) {
            st.methods.push((frame, method));
        }
        st.target = (method == Method::Connect).then(|| target.into_boxed_str());
    }

    /// The method of the last request sent before `frame` (the same on both passes).
    pub fn method_before(&self, stream: u32, frame: u32) -> Option<Method> {
        let st = self.streams.get(&stream)?;
        let at = st.methods.partition_point(|m| m.0 < frame);
        at.checked_sub(1).map(|i| st.methods[i].1)
    }

    /// First pass: a complete response with `code` from `server` in `frame`. A 200 to a
    /// CONNECT opens the tunnel from the next frame on.
    pub fn note_response(&mut self, stream: u32, frame: u32, code: u16, server: (NetAddr, u16)) {
        let connect = self.method_before(stream, frame) == Some(Method::Connect);
        let st = self.streams.entry(stream).or_default();
        if code == 200 && connect && st.tunnel.is_none() {
            if let Some(target) = st.target.clone() {
                st.tunnel = Some(Box::new(Tunnel { from: frame + 1, target: target.into(), server }));
            }
        }
    }

    /// The tunnel this frame of the stream belongs to, if any.
    pub fn tunnel(&self, stream: u32, frame: u32) -> Option<&Tunnel> {
        self.streams.get(&stream)?.tunnel.as_deref().filter(|t| frame >= t.from)
    }

    fn get(&self, k: u64) -> Option<&HttpLinks> {
        let at = self.messages.binary_search_by_key(&k, |m| m.0).ok()?;
        Some(&self.messages[at].1)
    }

    /// Revisit: what the first pass stored, with what later frames taught, as Wireshark's
    /// second pass shows it: the stream's request count so far, and for a response the request
    /// and response after it. `ts_of` gives a frame's time (the request's, for a response).
    pub fn revisited(&self, stream: u32, frame: u32, index: u32, ts_of: impl Fn(u32) -> Option<i64>) -> Option<HttpMessageInfo> {
        let mut links = self.get(key(frame, index))?.clone();
        if !links.is_request && links.request_in != 0 {
            let first = key(links.request_in, 0);
            let from = self.messages.partition_point(|e| e.0 < first);
            let request = self.messages[from..]
                .iter()
                .take_while(|e| e.0 >> 16 == links.request_in as u64)
                .find(|e| e.1.is_request && e.1.number == links.number);
            links.next_request_in = request.map_or(0, |r| r.1.next_request_in);
        }
        let m = HttpMessageInfo {
            seen: self.streams.get(&stream).map_or(0, |st| st.dropped + st.requests.len() as u32),
            request_ts: if links.request_in != 0 { ts_of(links.request_in).unwrap_or(0) } else { 0 },
            links,
        };
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipelined_requests_are_answered_in_order() {
        let mut m = HttpMatching::default();
        let a = m.request(0, 4, 0, 100, Some("http://h/a".into()));
        assert_eq!((a.links.number, a.seen, a.links.prev_request_in), (1, 1, 0));
        let b = m.request(0, 7, 0, 200, Some("http://h/b".into()));
        assert_eq!((b.links.number, b.seen, b.links.prev_request_in), (2, 2, 4));
        let r1 = m.response(0, 6, 0);
        assert_eq!((r1.links.number, r1.links.request_in, r1.links.prev_response_in), (1, 4, 0));
        let r2 = m.response(0, 18, 0);
        assert_eq!((r2.links.number, r2.links.request_in, r2.links.prev_request_in, r2.links.prev_response_in), (2, 7, 4, 6));
        assert_eq!(r2.links.uri.as_deref(), Some("http://h/b"));
        let ts = |f: u32| Some(f as i64 * 100);
        let first = m.revisited(0, 4, 0, ts).unwrap();
        assert_eq!((first.links.response_in, first.links.next_request_in, first.seen), (6, 7, 2));
        let r1 = m.revisited(0, 6, 0, ts).unwrap();
        assert_eq!((r1.seen, r1.links.next_request_in, r1.links.next_response_in, r1.request_ts), (2, 7, 18, 400));
        let orphan = m.response(1, 30, 0);
        assert_eq!(orphan.links.request_in, 0);
    }

    #[test]
    fn a_connect_answered_200_opens_a_tunnel_from_the_next_frame() {
        let mut m = HttpMatching::default();
        let proxy = (NetAddr::v4([10, 0, 0, 1]), 3128);
        m.note_request(0, 5, Method::Connect, "example.com:443".into());
        assert_eq!(m.method_before(0, 5), None, "a request is not before its own frame");
        assert_eq!(m.method_before(0, 7), Some(Method::Connect));
        m.note_response(0, 7, 200, proxy);
        assert!(m.tunnel(0, 7).is_none());
        assert_eq!(m.tunnel(0, 8).map(|t| t.target.as_str()), Some("example.com:443"));
        m.note_request(1, 5, Method::Connect, "example.com:443".into());
        m.note_response(1, 7, 407, proxy);
        assert!(m.tunnel(1, 9).is_none(), "only a 200 opens the tunnel");
    }
}
