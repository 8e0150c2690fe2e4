//! Tests of `dns.rs`: captured frames against what tshark shows.

use crate::packet::FrameMeta;
use crate::session::tests::summary_of;
use crate::session::Session;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Frames 7 and 8 of zeek_dns_long-connection.pcap (`tshark -x`): A www.netbsd.org.
const QUERY: &str = "00c09f32418c00e018b10cad08004500003c0000400040116543c0a8aa08c0a8aa14801b00350028af6175c00100000100000000000003777777066e6574627364036f72670000010001";
const RESPONSE: &str = "00e018b10cad00c09f32418c08004500004ccff9000080119539c0a8aa14c0a8aa080035801b0038a31775c08180000100010000000003777777066e6574627364036f72670000010001c00c00010001000140ef0004cc98be0c";

/// Ethernet + IPv4 + UDP or TCP (proto 17 or 6) from 10.0.0.1 to 10.0.0.2 carrying `payload`.
pub fn frame(proto: u8, sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let l4 = if proto == 17 { 8 } else { 20 };
    let total = 20 + l4 + payload.len();
    let mut f = vec![0u8; 12];
    f.extend_from_slice(&[0x08, 0x00, 0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    if proto == 17 {
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
    } else {
        f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    }
    f.extend_from_slice(payload);
    f
}

#[test]
fn query_and_response_info_match_tshark() {
    let (cols, protos) = summary_of(1, &hex(QUERY));
    assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("DNS", "Standard query 0x75c0 A www.netbsd.org"));
    assert_eq!(protos, "eth:ethertype:ip:udp:dns");
    let (cols, _) = summary_of(1, &hex(RESPONSE));
    assert_eq!(cols.info, "Standard query response 0x75c0 A www.netbsd.org A 204.152.190.12");
}

#[test]
fn a_response_points_back_at_its_query_and_the_query_forward_on_revisit() {
    let mut s = Session::new();
    let (q, r) = (hex(QUERY), hex(RESPONSE));
    let meta = |ts: i64, f: &[u8]| FrameMeta { linktype: 1, ts_ns: ts, caplen: f.len() as u32, origlen: f.len() as u32, ts_digits: 6, ..Default::default() };
    s.ingest(meta(1_000_000_000, &q), &q, true);
    assert!(!s.tree().has(&super::RESPONSE_IN), "tshark's single pass does not know the answer yet");
    s.ingest(meta(1_048_911_000, &r), &r, true);
    let labels: Vec<String> = (0..s.tree().nodes.len() as u32).map(|n| s.tree().label(n)).collect();
    assert!(labels.contains(&"[Request In: 1]".to_string()), "{:?}", labels);
    assert!(labels.contains(&"[Time: 0.048911000 seconds]".to_string()), "{:?}", labels);
    s.revisit(FrameMeta { number: 1, ..meta(1_000_000_000, &q) }, &q, true);
    let labels: Vec<String> = (0..s.tree().nodes.len() as u32).map(|n| s.tree().label(n)).collect();
    assert!(labels.contains(&"[Response In: 2]".to_string()), "{:?}", labels);
}

#[test]
fn a_pointer_loop_is_named_not_followed_forever() {
    // Question name = pointer to itself (offset 12).
    let msg = hex("020201000001000000000000c00c00010001");
    let (cols, _) = summary_of(1, &frame(17, 40002, 53, &msg));
    assert_eq!(cols.info, "Standard query 0x0202 A <Name contains a pointer that loops>");
    // Two pointers that point at each other (12 -> 18 -> 12): 256 hops, then the same name.
    let msg = hex("030301000001000000000000c01200010001c00c");
    let (cols, _) = summary_of(1, &frame(17, 40003, 53, &msg));
    assert_eq!(cols.info, "Standard query 0x0303 A <Name contains a pointer that loops>");
}

#[test]
fn a_name_longer_than_255_characters_is_replaced() {
    let mut msg = hex("080801000001000000000000");
    for _ in 0..5 {
        msg.push(60);
        msg.extend_from_slice(&[b'a'; 60]);
    }
    msg.extend_from_slice(&[0, 0, 1, 0, 1]);
    let (cols, _) = summary_of(1, &frame(17, 40008, 53, &msg));
    assert_eq!(cols.info, "Standard query 0x0808 A <Name too long>");
}

#[test]
fn a_record_cut_short_is_malformed_after_its_type() {
    let msg = hex("050581800001000100000000017401630000010001017401630000010001000000010004" /* rdlength 4 */);
    let msg = [&msg[..], &[1, 2]].concat();
    let (cols, _) = summary_of(1, &frame(17, 53, 40005, &msg));
    assert_eq!(cols.info, "Standard query response 0x0505 A t.c A[Malformed Packet]");
}

#[test]
fn tcp_shows_the_last_complete_message_and_leaves_a_partial_one_to_tcp() {
    let q1 = hex("040401000001000000000000016101620000010001");
    let q2 = hex("0405010000010000000000000163016400001c0001");
    let mut seg = Vec::new();
    for q in [&q1, &q2] {
        seg.extend_from_slice(&(q.len() as u16).to_be_bytes());
        seg.extend_from_slice(q);
    }
    let (cols, protos) = summary_of(1, &frame(6, 40004, 53, &seg));
    assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("DNS", "Standard query 0x0405 AAAA c.d"));
    assert_eq!(protos, "eth:ethertype:ip:tcp:dns");
    let (cols, protos) = summary_of(1, &frame(6, 40004, 53, &seg[..seg.len() - 3]));
    assert_eq!(cols.info, "Standard query 0x0404 A a.b");
    assert_eq!(protos, "eth:ethertype:ip:tcp:dns");
    let (cols, protos) = summary_of(1, &frame(6, 40004, 53, &seg[..10]));
    assert_eq!(cols.protocol, "TCP");
    assert_eq!(protos, "eth:ethertype:ip:tcp");
}

#[test]
fn mdns_and_llmnr_are_named_as_tshark_names_them() {
    // QU question for _http._tcp.local PTR.
    let msg = hex("00000000000100000000000005_http04_tcp05local00000c8001".replace("_http", "5f68747470").replace("_tcp", "5f746370").replace("local", "6c6f63616c").as_str());
    let (cols, protos) = summary_of(1, &frame(17, 5353, 5353, &msg));
    assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("MDNS", "Standard query 0x0000 PTR _http._tcp.local, \"QU\" question"));
    assert_eq!(protos, "eth:ethertype:ip:udp:mdns");
    let msg = hex("12340000000100000000000004777061640000010001");
    let (cols, _) = summary_of(1, &frame(17, 50000, 5355, &msg));
    assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("LLMNR", "Standard query 0x1234 A wpad"));
}

#[test]
fn an_empty_message_is_malformed_but_listed_as_dns() {
    let (cols, protos) = summary_of(1, &frame(17, 40011, 53, &[1]));
    assert_eq!((cols.protocol.as_str(), cols.info.as_str()), ("DNS", "[Malformed Packet]"));
    assert!(protos.starts_with("eth:ethertype:ip:udp:dns"), "{}", protos);
    let (cols, _) = summary_of(1, &frame(17, 40012, 53, &hex("0b0b79000000000000000000")));
    assert_eq!(cols.info, "Unknown operation (15) 0x0b0b");
}

#[test]
fn common_types_are_named_as_the_table_names_them() {
    use crate::proto::dns_rr::{type_short, TYPES};
    for t in 0..=u16::MAX {
        let from_table = match TYPES.iter().find(|(k, _)| *k == t as u64) {
            Some((_, d)) if t != 255 => d.split(' ').next().unwrap_or(d).to_string(),
            Some(_) => "ANY".to_string(),
            None => format!("Unknown ({})", t),
        };
        assert_eq!(type_short(t), from_table, "type {}", t);
    }
}
