//! Filters over real dissections of hand-built frames, and tshark's error messages.
//! (The differential test against tshark over capture files is in apps/cli/test.)

use super::*;
use crate::packet::FrameMeta;
use crate::session::Session;

/// Ethernet + IPv4 + TCP (+ payload), checksums left zero.
fn tcp_frame(dst_mac: [u8; 6], src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&dst_mac);
    f.extend_from_slice(&[0x02, 0, 0, 0, 0, 1, 0x08, 0x00]);
    let total = (20 + 20 + payload.len()) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    f
}

const GET: &[u8] = b"GET /index.html HTTP/1.1\r\nHost: Example.COM\r\nUser-Agent: curl\r\n\r\n";

/// Frame 1: SYN to port 80; frame 2: the GET (broadcast MAC, for `eth[0] & 1`).
fn frames() -> Vec<Vec<u8>> {
    vec![
        tcp_frame([0, 0, 0, 0, 0, 2], [10, 1, 2, 3], [192, 168, 0, 1], 50000, 80, 0x02, b""),
        tcp_frame([0xff; 6], [10, 1, 2, 3], [192, 168, 0, 1], 50000, 80, 0x18, GET),
    ]
}

/// Frame numbers (1-based) the filter matches.
fn run(filter: &str) -> Vec<usize> {
    let mut f = Filter::compile(filter).unwrap_or_else(|e| panic!("{}: {:?}", filter, e));
    let mut s = Session::new();
    let mut hits = Vec::new();
    for (i, data) in frames().iter().enumerate() {
        let meta = FrameMeta {
            linktype: 1,
            caplen: data.len() as u32,
            origlen: data.len() as u32,
            ts_digits: 6,
            ts_ns: i as i64 * 1_000_000,
            ..Default::default()
        };
        s.ingest(meta, data, true);
        if f.matches(s.tree(), data) {
            hits.push(i + 1);
        }
    }
    hits
}

fn err(filter: &str) -> (String, Option<(usize, usize)>) {
    let e = Filter::compile(filter).err().unwrap_or_else(|| panic!("{} compiled", filter));
    (e.message, e.span.map(|s| (s.start, s.len)))
}

#[test]
fn existence_and_comparisons() {
    assert_eq!(run("tcp"), [1, 2]);
    assert_eq!(run("http"), [2]);
    assert_eq!(run("!http"), [1]);
    assert_eq!(run("udp"), Vec::<usize>::new());
    assert_eq!(run("ip.src == 10.1.2.3"), [1, 2]);
    assert_eq!(run("ip.src eq 10.0.0.0/8 and ip.dst ne 192.168.0.2"), [1, 2]);
    assert_eq!(run("ip.addr == 192.168.0.0/16"), [1, 2]);
    assert_eq!(run("ip.dst > 192.168.0.0 && ip.dst <= 192.168.0.1"), [1, 2]);
    assert_eq!(run("tcp.len > 0"), [2]);
    assert_eq!(run("tcp.len ge 1 || frame.number == 1"), [1, 2]);
    assert_eq!(run("tcp.dstport in {443, 8000..8080, 80}"), [1, 2]);
    assert_eq!(run("tcp.dstport not in {443, 8000..8080}"), [1, 2]);
    assert_eq!(run("frame.len < 60"), [1]);
    assert_eq!(run("tcp xor http"), [1]);
    assert_eq!(run("tcp ^^ udp"), [1, 2]);
}

#[test]
fn any_and_all_over_repeated_fields() {
    // tcp.port has two values per frame: 50000 and 80.
    assert_eq!(run("tcp.port == 80"), [1, 2]);
    assert_eq!(run("tcp.port != 80"), Vec::<usize>::new());
    assert_eq!(run("tcp.port === 80"), Vec::<usize>::new());
    assert_eq!(run("tcp.port !== 80"), [1, 2]);
    assert_eq!(run("all tcp.port > 79"), [1, 2]);
    assert_eq!(run("all tcp.port > 80"), Vec::<usize>::new());
    // `all x in {a, b}` is tested element by element, as Wireshark 4.0 does.
    assert_eq!(run("all tcp.port in {80, 50000}"), Vec::<usize>::new());
    assert_eq!(run("all tcp.port in {80..50000}"), [1, 2]);
    assert_eq!(run("any tcp.port in {80, 1}"), [1, 2]);
    assert_eq!(run("tcp.port any_ne 80 && tcp.port all_ne 81"), [1, 2]);
}

#[test]
fn bits_slices_and_arithmetic() {
    assert_eq!(run("tcp.flags & 0x02"), [1]);
    assert_eq!(run("tcp.flags.syn == 1"), [1]);
    assert_eq!(run("tcp.flags.push"), [1, 2]);
    assert_eq!(run("tcp.flags.push == True"), [2]);
    assert_eq!(run("eth[0] & 1"), [2]);
    assert_eq!(run("eth.dst[0] == ff"), [2]);
    assert_eq!(run("frame[0:6] == ff:ff:ff:ff:ff:ff"), [2]);
    assert_eq!(run("frame[12:2] == 08.00 && frame[-2:] == 0d:0a"), [2]);
    assert_eq!(run("frame[26-29] == 0a:01:02:03"), [1, 2]);
    assert_eq!(run("ip[0] & 0xf0 == 0x40"), [1, 2]);
    assert_eq!(run("tcp.payload[0:3] == \"GET\""), [2]);
    assert_eq!(run("frame[12,14] == 08:45"), [1, 2]);
    assert_eq!(run("tcp.srcport - 1 == 49999"), [1, 2]);
    assert_eq!(run("{tcp.dstport + 20} * 2 == 200"), [1, 2]);
    assert_eq!(run("tcp.dstport % 7 == 3 && tcp.dstport / 8 == 10"), [1, 2]);
    assert_eq!(run("-tcp.dstport == -80"), [1, 2]);
    assert_eq!(run("tcp.port == -80"), Vec::<usize>::new());
    assert_eq!(run("ip.addr#1 == 10.1.2.3 && ip#1 && !ip#2"), [1, 2]);
}

#[test]
fn strings_regex_and_functions() {
    assert_eq!(run("http.request.method == \"GET\""), [2]);
    assert_eq!(run("http.request.method == GET"), [2]);
    assert_eq!(run("http.host == \"example.com\""), Vec::<usize>::new());
    assert_eq!(run("lower(http.host) == \"example.com\" && upper(http.host) == \"EXAMPLE.COM\""), [2]);
    assert_eq!(run("http.host matches \"^example\\\\.com$\""), [2]);
    assert_eq!(run("http.host ~ \"(?-i)example\""), Vec::<usize>::new());
    assert_eq!(run("http.user_agent matches r\"^c\\w+$\""), [2]);
    assert_eq!(run("frame contains \"curl\" && tcp contains 47:45:54"), [2]);
    assert_eq!(run("ip contains \"User-Agent\""), [2]);
    assert_eq!(run("tcp.payload contains 'G'"), [2]);
    assert_eq!(run("len(http.host) == 11 && count(tcp.port) == 2"), [2]);
    assert_eq!(run("string(tcp.dstport) == \"80\" && string(ip.src) == \"10.1.2.3\""), [1, 2]);
    assert_eq!(run("max(tcp.srcport, tcp.dstport) == 50000 && min(tcp.port) == 80"), [1, 2]);
    assert_eq!(run("abs(tcp.window_size_value) == 65535"), [1, 2]);
    assert_eq!(run("http.host contains \"\\x45xam\""), [2]);
}

#[test]
fn literal_forms() {
    assert_eq!(run("tcp.dstport == 0x50 && tcp.dstport == 0120 && tcp.dstport == 0b1010000 && tcp.dstport == 'P'"), [1, 2]);
    assert_eq!(run("eth.src == 02:00:00:00:00:01 && eth.src == 02-00-00-00-00-01 && eth.src == 0200.0000.0001"), [1, 2]);
    assert_eq!(run("ip.proto == TCP && ip.proto == \"tcp\""), [1, 2]);
    assert_eq!(run("tcp.checksum.status == \"Unverified\" || tcp"), [1, 2]);
    assert_eq!(run("frame.time_relative >= 0.001"), [2]);
    assert_eq!(run("frame.time == \"1970-01-01 00:00:00.001\""), [2]);
    assert_eq!(run("frame.time_epoch < 1"), [1, 2]);
}

#[test]
fn errors_as_tshark_reports_them() {
    assert_eq!(err("tcp.prt"), ("tcp.prt is neither a field nor a protocol name.".into(), Some((0, 7))));
    assert_eq!(err("tcp.prt == 1"), ("Left side of \"==\" expression must be a field or function, not tcp.prt.".into(), Some((0, 7))));
    assert_eq!(err("ip.src == \"x\""), ("IPv4 address cannot be converted from a string (\"x\").".into(), Some((10, 3))));
    assert_eq!(err("tcp.port == 70000"), ("\"70000\" too big for this field, maximum 65535.".into(), Some((12, 5))));
    assert_eq!(err("tcp.port contains 80").0, "tcp.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.");
    assert_eq!(err("ip.proto == foo").0, "\"foo\" cannot be found among the possible values for ip.proto.");
    assert_eq!(err("tcp.flags.syn == true").0, "\"true\" cannot be found among the possible values for tcp.flags.syn.");
    assert_eq!(err("foo(tcp.port)"), ("Function 'foo' does not exist".into(), Some((0, 3))));
    assert_eq!(err("len(tcp.port)"), ("You cannot test whether a function is present.".into(), Some((0, 3))));
    assert_eq!(err("tcp.port[0] == 1").0, "\"tcp.port\" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.");
    assert_eq!(err("icmp.no_resp[0] == 1").0, "\"icmp.no_resp\" is a Label and cannot be sliced into a sequence of bytes.");
    assert_eq!(err("1 + tcp.port == 2"), ("Constant arithmetic expression on the LHS is invalid.".into(), Some((0, 1))));
    assert_eq!(err("http.host + 1 == 1"), ("FT_STRING cannot +.".into(), Some((0, 9))));
    assert_eq!(err("http.host matches \"(\"").0, "Regex compilation error: missing closing parenthesis.");
    assert_eq!(err("http.host matches a").0, "Matches requires a double quoted string on the right side.");
    assert_eq!(err("max(tcp.port, frame.len) > 1").0, "Arguments to 'max' must have the same type (expected FT_UINT16, got FT_UINT32)");
    assert_eq!(err("tcp.flags.syn == tcp.len"), ("tcp.flags.syn and tcp.len are not of compatible types.".into(), Some((17, 7))));
    assert_eq!(err("frame[1:2:3] == 00"), ("\"1:2:3\" is not a valid range.".into(), Some((6, 5))));
    assert_eq!(err("eth.src == 00:11").0, "\"00:11\" contains too few bytes to be a valid Ethernet address.");
    assert_eq!(err("tcp.port in {\"a\"}").0, "Unsigned integer (2 bytes) cannot be converted from a string (\"a\").");
    assert_eq!(err("upper(tcp.port) == \"A\"").0, "Only string type fields can be used as parameter for upper()");
}

#[test]
fn error_report_has_a_caret_line() {
    let e = Filter::compile("ip.src == \"x\"").err().unwrap();
    assert_eq!(
        e.render("reef-cli", "ip.src == \"x\""),
        "reef-cli: IPv4 address cannot be converted from a string (\"x\").\n    ip.src == \"x\"\n              ^~~\n"
    );
    let e = Filter::compile("tcp ==").err().unwrap();
    assert_eq!(e.render("reef-cli", "tcp =="), "reef-cli: Unexpected end of filter expression.\n");
}

#[test]
fn empty_filter_matches_everything() {
    assert_eq!(run(""), [1, 2]);
}

#[test]
fn completion_lists_registry_fields() {
    let (start, fields) = complete("ip.src == 1.2.3.4 && tcp.fla");
    assert_eq!(start, 21);
    assert!(fields.iter().any(|f| f.abbrev == "tcp.flags.syn"));
    assert!(fields.iter().all(|f| f.abbrev.starts_with("tcp.fla")));
}

#[test]
fn hostile_input_never_panics() {
    let samples = [
        "((((",
        "[[[",
        "frame[",
        "#",
        "a#",
        "tcp.port#[",
        "\"\\",
        "'",
        "${",
        "${tcp",
        "@",
        "@1",
        "f(",
        "f(,)",
        "{1..",
        "in {",
        "tcp.port in {",
        "a ~ \"\\\\\"",
        "frame[-99999999999999999999:]",
        "frame[0:0] == 00",
        "tcp.port == 0x",
        "ip.src == ::",
        "x matches \"[\"",
        "frame[9223372036854775807:9223372036854775807] == 00",
        "ipv6.src == ::/129",
        "é == 1",
    ];
    for s in samples.iter() {
        if let Ok(mut f) = Filter::compile(s) {
            let mut sess = Session::new();
            let data = &frames()[1];
            let meta = FrameMeta { linktype: 1, caplen: data.len() as u32, origlen: data.len() as u32, ..Default::default() };
            sess.ingest(meta, data, true);
            f.matches(sess.tree(), data);
        }
    }
}

/// Runs the print path over `frames()` 1 ms apart with a configuration and a display filter.
fn print_path(config: &str, filter: &str) -> String {
    let mut s = Session::new();
    s.configure(config).unwrap();
    s.set_display_filter(filter).unwrap();
    for (i, data) in frames().iter().chain(frames().iter()).enumerate() {
        let meta = FrameMeta {
            linktype: 1,
            caplen: data.len() as u32,
            origlen: data.len() as u32,
            ts_digits: 6,
            ts_ns: i as i64 * 1_000_000,
            ..Default::default()
        };
        s.ingest_and_print(meta, data);
    }
    std::mem::take(&mut s.out)
}

#[test]
fn print_path_shows_only_passing_frames_and_counts_displayed_time_from_them() {
    // Frames 2 and 4 carry the GET; with -t dd, frame 4's delta is from frame 2, not frame 3.
    let out = print_path("mode summary\ntime dd\n", "tcp.len > 0");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out);
    assert!(lines[0].starts_with("    2   0.000000 "), "{}", lines[0]);
    assert!(lines[1].starts_with("    4   0.002000 "), "{}", lines[1]);
}

#[test]
fn fields_header_is_printed_even_when_the_first_frame_is_filtered_out() {
    let out = print_path("mode fields\nfield frame.number\nfield frame.time_delta_displayed\nheader y\n", "frame.number >= 3");
    assert_eq!(out, "frame.number\tframe.time_delta_displayed\n3\t0.000000000\n4\t0.001000000\n");
}

#[test]
fn color_lines_as_tshark() {
    let out = print_path("mode summary\ncolor 1\n", "frame.number == 1");
    // Port 80: the HTTP rule (before TCP SYN/FIN): dark text on green, the line, clear to end
    // of line, reset.
    assert!(out.starts_with("\x1b[38;2;18;39;46m\x1b[48;2;228;255;199m    1 "), "{:?}", out);
    assert!(out.ends_with("\x1b[K\n\x1b[0m"), "{:?}", out);
    assert_eq!(out.matches('\n').count(), 1);
}

#[test]
fn passes_and_colors_of_ingested_frames() {
    let mut s = Session::new();
    let data = frames();
    let metas: Vec<FrameMeta> = data
        .iter()
        .enumerate()
        .map(|(i, d)| FrameMeta {
            number: i as u32 + 1,
            linktype: 1,
            caplen: d.len() as u32,
            origlen: d.len() as u32,
            ..Default::default()
        })
        .collect();
    for (m, d) in metas.iter().zip(data.iter()) {
        s.ingest(*m, d, false);
    }
    assert_eq!(s.passes(metas[0], &data[0]), Some(true));
    s.set_display_filter("tcp.flags.push == 1").unwrap();
    assert_eq!(s.passes(metas[0], &data[0]), Some(false));
    assert_eq!(s.passes(metas[1], &data[1]), Some(true));
    assert_eq!(s.passes(FrameMeta { number: 9, ..metas[0] }, &data[0]), None);
    let rules: Vec<&str> = s.color_rules().rules.iter().map(|r| r.name).collect();
    // Both go to port 80: the HTTP rule comes before TCP SYN/FIN and TCP.
    assert_eq!(s.color_of(metas[0], &data[0]).map(|r| rules[r.unwrap()]), Some("HTTP"));
    assert_eq!(s.color_of(metas[1], &data[1]).map(|r| rules[r.unwrap()]), Some("HTTP"));
}
