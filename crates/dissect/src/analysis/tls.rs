//! TLS conversation state, in frame order (Wireshark's `SslSession`): the version that names
//! the Protocol column of later records, which flow is the server's, the frames that carried
//! each side's ChangeCipherSpec (handshake records after them are encrypted), the application
//! protocol (from the port or ALPN), and whether a heuristic claimed the connection.
//!
//! The state is small and `Copy`: the first pass stores the value each TLS layer started from,
//! so re-dissecting a frame alone replays the same decisions.

use crate::hash::HashMap;

/// Identifies a TCP connection and one of its directions without ports: the stream index and
/// the direction's initial sequence number (its relative-sequence base).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowId {
    pub stream: u32,
    pub flow: u32,
    pub peer: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TlsConv {
    /// Negotiated version (`0x0303` ...), 0 while unknown.
    pub version: u16,
    /// The server's flow id, once a hello told which side is the server.
    pub server_flow: Option<u32>,
    /// Frame of the last ChangeCipherSpec sent by the client / the server (0 = none).
    pub ccs_frame: [u32; 2],
    /// Cipher suite the ServerHello chose (0 = not seen); it decides the key exchange layout.
    pub cipher: u16,
    /// Long name of the protocol inside (port association or ALPN).
    pub app_proto: Option<&'static str>,
    /// First frame from which a heuristic match made the whole connection TLS (0 = never).
    pub claimed_from: u32,
    /// A pre-1.3 ServerHello with no ServerHelloDone after it yet: an abbreviated handshake,
    /// which the server's ChangeCipherSpec shows as a session resumption.
    pub resumed: bool,
}

impl TlsConv {
    pub fn from_server(&self, f: FlowId) -> bool {
        self.server_flow == Some(f.flow)
    }
}

/// A handshake message being put together from the records of one direction.
#[derive(Clone, Debug, Default)]
pub struct Pending {
    pub msg_type: u8,
    pub data: Vec<u8>,
    /// (frame, bytes) of each part, for the fragments subtree.
    pub parts: Vec<(u32, usize)>,
}

/// What one record contributed to a handshake reassembly, kept for re-dissection.
#[derive(Clone, Debug)]
pub struct HsFragment {
    pub msg_type: u8,
    /// Bytes of the record that belong to the message.
    pub len: usize,
    pub is_last: bool,
    /// The whole message and its parts, in the record that completes it.
    pub message: Option<(Vec<u8>, Vec<(u32, usize)>)>,
}

/// (frame, TCP layer ordinal, frame offset of the record body): one record's identity.
pub type RecordKey = (u32, u32, usize);

#[derive(Default)]
pub struct TlsConversations {
    convs: HashMap<u32, TlsConv>,
    /// (frame, TCP layer ordinal, state at the start of that TLS layer), in frame order.
    starts: Vec<(u32, u32, TlsConv)>,
    /// Reassemblies in progress, by (stream, flow).
    pending: HashMap<(u32, u32), Pending>,
    fragments: HashMap<RecordKey, HsFragment>,
    /// Re-dissection shows the version the whole capture negotiated (tshark's second pass).
    pub final_view: bool,
    /// Nothing is re-dissected: `starts` is not kept.
    pub single_pass: bool,
}

impl TlsConversations {
    /// The state a TLS layer starts from: on the first pass the conversation's current state
    /// (recorded for later), on a revisit the recorded one.
    pub fn begin(&mut self, frame: u32, ordinal: u32, stream: u32, revisit: bool) -> TlsConv {
        if revisit {
            let at = self.starts.partition_point(|s| s.0 < frame);
            let mut conv = self.starts[at..]
                .iter()
                .take_while(|s| s.0 == frame)
                .find(|s| s.1 == ordinal)
                .map(|s| s.2)
                .unwrap_or_default();
            if self.final_view {
                if let Some(last) = self.convs.get(&stream).filter(|c| c.version != 0) {
                    conv.version = last.version;
                }
            }
            return conv;
        }
        let conv = self.convs.get(&stream).copied().unwrap_or_default();
        if !self.single_pass {
            self.starts.push((frame, ordinal, conv));
        }
        conv
    }

    /// First pass: the state after the layer.
    pub fn commit(&mut self, stream: u32, conv: TlsConv) {
        self.convs.insert(stream, conv);
    }

    /// Whether a heuristic claimed this connection in an earlier frame (Wireshark then calls
    /// TLS for every later segment of the connection, whatever it looks like).
    pub fn claimed_before(&self, stream: u32, frame: u32) -> bool {
        self.convs.get(&stream).map_or(false, |c| c.claimed_from != 0 && c.claimed_from < frame)
    }

    pub fn take_pending(&mut self, f: FlowId) -> Option<Pending> {
        self.pending.remove(&(f.stream, f.flow))
    }

    pub fn put_pending(&mut self, f: FlowId, p: Option<Pending>) {
        if let Some(p) = p {
            self.pending.insert((f.stream, f.flow), p);
        }
    }

    pub fn record_fragment(&mut self, key: RecordKey, frag: HsFragment) {
        self.fragments.insert(key, frag);
    }

    pub fn fragment(&self, key: RecordKey) -> Option<&HsFragment> {
        self.fragments.get(&key)
    }

    pub fn conversation_count(&self) -> usize {
        self.convs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisit_returns_the_state_the_layer_started_from() {
        let mut t = TlsConversations::default();
        let c = t.begin(4, 0, 7, false);
        assert_eq!(c.version, 0);
        t.commit(7, TlsConv { version: 0x0304, ..c });
        assert_eq!(t.begin(6, 0, 7, false).version, 0x0304);
        assert_eq!(t.begin(4, 0, 7, true).version, 0, "frame 4 started before the version was known");
        assert_eq!(t.begin(6, 0, 7, true).version, 0x0304);
        assert_eq!(t.begin(5, 0, 7, true), TlsConv::default(), "unknown frames start from nothing");
    }
}
