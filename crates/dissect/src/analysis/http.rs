//! HTTP request/response matching per TCP stream, in frame order (Wireshark's http
//! conversation data): requests are answered first-in first-out, as HTTP/1.x pipelining
//! requires. Results are stored per message so revisiting a frame gives the same answers,
//! plus the forward links (`response_in`, `next_request_in`) that only a later frame can know.

use std::collections::HashMap;

/// What the first pass learned about one HTTP message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpMessageInfo {
    pub is_request: bool,
    /// 1-based number of this request (or of the request this response answers).
    pub number: u32,
    /// Requests seen in the stream when this message was dissected.
    pub seen: u32,
    pub prev_request_in: u32,
    pub prev_response_in: u32,
    /// Responses: the request answered (0 if none was pending).
    pub request_in: u32,
    pub request_ts: i64,
    /// Requests: the full URI; responses: the URI of the request answered.
    pub uri: Option<String>,
    /// Known only after a later frame: the response to a request, the next request.
    pub response_in: u32,
    pub next_request_in: u32,
}

#[derive(Default)]
struct StreamState {
    /// (frame, message key, timestamp, full uri) of every request, in order.
    requests: Vec<(u32, u64, i64, Option<String>)>,
    answered: usize,
    last_response: u32,
}

#[derive(Default)]
pub struct HttpMatching {
    streams: HashMap<u32, StreamState>,
    messages: HashMap<u64, HttpMessageInfo>,
}

/// Several HTTP messages can share a frame (pipelining): key by frame and index.
fn key(frame: u32, index: u32) -> u64 {
    (frame as u64) << 16 | index.min(0xffff) as u64
}

impl HttpMatching {
    /// First pass: records a request and returns what to show for it.
    pub fn request(&mut self, stream: u32, frame: u32, index: u32, ts: i64, uri: Option<String>) -> HttpMessageInfo {
        let k = key(frame, index);
        let st = self.streams.entry(stream).or_default();
        let prev = st.requests.last().map(|r| (r.0, r.1));
        st.requests.push((frame, k, ts, uri.clone()));
        let n = st.requests.len() as u32;
        if let Some((_, pk)) = prev {
            if let Some(p) = self.messages.get_mut(&pk) {
                p.next_request_in = frame;
            }
        }
        let info = HttpMessageInfo { is_request: true, number: n, seen: n, prev_request_in: prev.map_or(0, |p| p.0), uri, ..Default::default() };
        self.messages.insert(k, info.clone());
        info
    }

    /// First pass: matches a response with the oldest unanswered request.
    pub fn response(&mut self, stream: u32, frame: u32, index: u32) -> HttpMessageInfo {
        let st = self.streams.entry(stream).or_default();
        let seen = st.requests.len() as u32;
        let mut info = HttpMessageInfo { seen, prev_response_in: st.last_response, ..Default::default() };
        if let Some((req_frame, req_key, ts, uri)) = st.requests.get(st.answered).cloned() {
            st.answered += 1;
            info.number = st.answered as u32;
            info.request_in = req_frame;
            info.request_ts = ts;
            info.uri = uri;
            info.prev_request_in = if st.answered >= 2 { st.requests[st.answered - 2].0 } else { 0 };
            if let Some(r) = self.messages.get_mut(&req_key) {
                r.response_in = frame;
            }
        }
        st.last_response = frame;
        self.messages.insert(key(frame, index), info.clone());
        info
    }

    /// Revisit: what the first pass stored, including links learned later.
    pub fn stored(&self, frame: u32, index: u32) -> Option<&HttpMessageInfo> {
        self.messages.get(&key(frame, index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipelined_requests_are_answered_in_order() {
        let mut m = HttpMatching::default();
        let a = m.request(0, 4, 0, 100, Some("http://h/a".into()));
        assert_eq!((a.number, a.seen, a.prev_request_in), (1, 1, 0));
        let b = m.request(0, 7, 0, 200, Some("http://h/b".into()));
        assert_eq!((b.number, b.seen, b.prev_request_in), (2, 2, 4));
        let r1 = m.response(0, 6, 0);
        assert_eq!((r1.number, r1.request_in, r1.prev_response_in), (1, 4, 0));
        let r2 = m.response(0, 18, 0);
        assert_eq!((r2.number, r2.request_in, r2.prev_request_in, r2.prev_response_in), (2, 7, 4, 6));
        assert_eq!(r2.uri.as_deref(), Some("http://h/b"));
        assert_eq!(m.stored(4, 0).unwrap().response_in, 6);
        assert_eq!(m.stored(4, 0).unwrap().next_request_in, 7);
        let orphan = m.response(1, 30, 0);
        assert_eq!(orphan.request_in, 0);
    }
}
