//! TLS and QUIC on real captures: the project's loopback fixtures (openssl s_server + curl) and, when the
//! public corpus sits next to the repo, the zeek TLS samples. Expected Protocol/Info columns are
//! TShark 4.0.17's (`tshark -n -r`: records that span TCP segments are reassembled).

use reef_dissect::tree::Value;
use reef_dissect::{FrameMeta, Session};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The public corpus: `REEF_PUBLIC_CAPTURES`, else `../shared/captures/public` beside the repo.
fn public_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("REEF_PUBLIC_CAPTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/captures/public"));
    dir.join("MANIFEST.md").exists().then(|| dir)
}

/// (link type, frames) of a pcap in either byte order.
fn read_pcap(path: &Path) -> (u32, Vec<Vec<u8>>) {
    let b = std::fs::read(path).unwrap();
    let le = b[0] == 0xd4 || b[0] == 0x4d;
    let u32_at = |at: usize| {
        let w = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if le {
            u32::from_le_bytes(w)
        } else {
            u32::from_be_bytes(w)
        }
    };
    let linktype = u32_at(20);
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= b.len() {
        let caplen = u32_at(at + 8) as usize;
        frames.push(b[at + 16..(at + 16 + caplen).min(b.len())].to_vec());
        at += 16 + caplen;
    }
    (linktype, frames)
}

struct Row {
    protocol: String,
    info: String,
    sni: Vec<String>,
    protocols: String,
    /// Whether the tree has the session resumption expert (`tls.resumed`).
    resumed: bool,
}

/// Every frame through one session, with the tree on, as the TUI's details pane would.
fn dissect_all(path: &Path) -> Vec<Row> {
    let (linktype, frames) = read_pcap(path);
    let mut s = Session::new();
    frames
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let meta = FrameMeta { linktype, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ts_ns: i as i64, ..Default::default() };
            s.ingest(meta, f, true);
            let sni = s
                .tree()
                .nodes
                .iter()
                .filter(|n| n.field.abbrev == "tls.handshake.extensions_server_name")
                .filter_map(|n| match &n.value {
                    Value::Str(v) => Some(v.clone()),
                    _ => None,
                })
                .collect();
            let resumed = s.tree().nodes.iter().any(|n| n.field.abbrev == "tls.resumed");
            Row { protocol: s.columns().protocol.clone(), info: s.columns().info.clone(), sni, protocols: s.protocols().to_string(), resumed }
        })
        .collect()
}

fn cols(rows: &[Row], frame: usize) -> (&str, &str) {
    (rows[frame - 1].protocol.as_str(), rows[frame - 1].info.as_str())
}

#[test]
fn tls12_fixture_on_port_443() {
    let rows = dissect_all(&repo().join("test-fixtures/captures/tls12-443.pcap"));
    assert_eq!(cols(&rows, 4), ("TLSv1", "Client Hello"));
    assert_eq!(cols(&rows, 6), ("TLSv1.2", "Server Hello, Certificate, Server Key Exchange, Server Hello Done"));
    assert_eq!(cols(&rows, 8), ("TLSv1.2", "Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message"));
    assert_eq!(cols(&rows, 9), ("TLSv1.2", "Change Cipher Spec, Encrypted Handshake Message"));
    assert_eq!(cols(&rows, 10), ("TLSv1.2", "Application Data"));
    assert_eq!(cols(&rows, 12), ("TLSv1.2", "Encrypted Alert"));
    assert_eq!(cols(&rows, 5).0, "TCP");
}

#[test]
fn tls13_fixture_found_by_the_heuristic_on_port_4433() {
    let rows = dissect_all(&repo().join("test-fixtures/captures/tls13-4433.pcap"));
    assert_eq!(cols(&rows, 4), ("TLSv1", "Client Hello"));
    assert_eq!(
        cols(&rows, 6),
        ("TLSv1.3", "Server Hello, Change Cipher Spec, Application Data, Application Data, Application Data, Application Data")
    );
    assert_eq!(cols(&rows, 8), ("TLSv1.3", "Change Cipher Spec, Application Data"));
    assert_eq!(cols(&rows, 15), ("TLSv1.3", "Application Data"));
    assert_eq!(cols(&rows, 16).0, "TCP", "the FIN carries no payload");
}

#[test]
fn handshake_messages_reassembled_across_records() {
    let rows = dissect_all(&repo().join("test-fixtures/captures/tls-fragments.pcap"));
    assert_eq!(
        cols(&rows, 6),
        (
            "TLSv1.2",
            "Server Hello, [Certificate Fragment], Certificate, [Server Key Exchange Fragment], Server Key Exchange, Server Hello Done"
        )
    );
}

#[test]
fn plaintext_alert_fixture() {
    let rows = dissect_all(&repo().join("test-fixtures/captures/tls-alert.pcap"));
    assert_eq!(cols(&rows, 6), ("TLSv1.2", "Alert (Level: Fatal, Description: Protocol Version)"));
}

#[test]
fn quic_fixture_from_ngtcp2() {
    let rows = dissect_all(&repo().join("test-fixtures/captures/quic-4443.pcap"));
    assert_eq!(
        cols(&rows, 1),
        (
            "QUIC",
            "Initial, DCID=eb1d3485ab9eafe25c53e541f8541106f5e2, SCID=369d0ad1faae84721cd9dc4ac4219f81ea, PKN: 0, CRYPTO, PADDING"
        )
    );
    assert_eq!(rows[0].sni, vec!["localhost"], "the ClientHello inside the decrypted Initial");
    // Initial + Handshake + 1-RTT coalesced: the Info column is the last packet's.
    assert_eq!(cols(&rows, 2), ("QUIC", "Protected Payload (KP0), DCID=369d0ad1faae84721cd9dc4ac4219f81ea"));
    assert_eq!(
        cols(&rows, 3),
        ("QUIC", "Handshake, DCID=f54bce796d0ee82420cc36ceaf3e9cbe5a36, SCID=369d0ad1faae84721cd9dc4ac4219f81ea")
    );
    assert_eq!(cols(&rows, 4), ("QUIC", "Protected Payload (KP0), DCID=f54bce796d0ee82420cc36ceaf3e9cbe5a36"));
}

#[test]
fn public_tls_samples_match_tshark_columns_and_sni() {
    let dir = match public_dir() {
        Some(d) => d,
        None => return,
    };
    let openjdk = dissect_all(&dir.join("zeek_tls_openjdk-sll2.pcap"));
    assert_eq!(cols(&openjdk, 4), ("TLSv1.2", "Client Hello"));
    assert_eq!(openjdk[3].sni, vec!["zeek.org"]);
    assert_eq!(cols(&openjdk, 6), ("TLSv1.3", "Server Hello, Change Cipher Spec, Application Data"));

    let chrome13 = dissect_all(&dir.join("zeek_tls_chrome-1250-tls13.pcap"));
    assert_eq!(cols(&chrome13, 4), ("TLSv1", "Client Hello"));
    assert_eq!(chrome13[3].sni, vec!["lh3.google.com"]);
    assert_eq!(cols(&chrome13, 6), ("TLSv1.3", "Server Hello, Change Cipher Spec"));
    assert_eq!(cols(&chrome13, 12), ("TLSv1.3", "Change Cipher Spec, Application Data"));
    assert_eq!(cols(&chrome13, 14), ("TLSv1.3", "Application Data, Application Data"));
    // The middle of a record that TCP reassembles, and the frame that completes it.
    assert_eq!(cols(&chrome13, 8), ("TCP", "443 \u{2192} 13783 [ACK] Seq=4201 Ack=1757 Win=65535 Len=2800 [TCP segment of a reassembled PDU]"));
    assert_eq!(cols(&chrome13, 10), ("TLSv1.3", "Application Data"));

    let chrome12 = dissect_all(&dir.join("zeek_tls_chrome-34-tls12.pcap"));
    assert_eq!(chrome12[3].sni, vec!["google.de"]);
    assert_eq!(cols(&chrome12, 6), ("TLSv1.2", "Server Hello"), "the partial Certificate record waits for TCP");
    assert_eq!(cols(&chrome12, 8), ("TLSv1.2", "Certificate, Server Key Exchange, Server Hello Done"));
    assert_eq!(cols(&chrome12, 11), ("TLSv1.2", "Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message"));
    assert_eq!(cols(&chrome12, 12), ("TLSv1.2", "New Session Ticket, Change Cipher Spec, Encrypted Handshake Message"));
    assert_eq!(cols(&chrome12, 13), ("TLSv1.2", "Application Data"));
    assert!(!chrome12.iter().chain(&chrome13).any(|r| r.resumed), "full handshakes, and TLS 1.3, are not resumptions");
}

#[test]
fn public_connect_tunnel_carries_reassembled_tls() {
    let dir = match public_dir() {
        Some(d) => d,
        None => return,
    };
    let rows = dissect_all(&dir.join("zeek_http_connect-null.pcap"));
    assert_eq!(cols(&rows, 7), ("HTTP", "HTTP/1.0 200 Connection Established "));
    assert_eq!(cols(&rows, 9), ("TLSv1", "Client Hello"));
    assert_eq!(rows[8].sni, vec!["secure.newegg.com"]);
    assert_eq!(cols(&rows, 11), ("TLSv1.2", "Server Hello, Change Cipher Spec"));
    // No ServerHelloDone before the server's ChangeCipherSpec: an abbreviated handshake.
    assert_eq!(rows.iter().position(|r| r.resumed), Some(10));
    assert_eq!(cols(&rows, 19), ("TCP", "[TCP segment of a reassembled PDU]"));
    assert_eq!(rows[18].protocols, "null:ipv6:tcp:http:tls");
    assert_eq!(cols(&rows, 22), ("TLSv1.2", "Application Data"));
    // Two records completed in one segment, each through the tunnel.
    assert_eq!(cols(&rows, 27), ("TLSv1.2", "Application Data"));
    assert_eq!(rows[26].protocols, "null:ipv6:tcp:http:tls:http:tls");
}

