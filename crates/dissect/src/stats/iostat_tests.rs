use super::*;

#[test]
fn reads_the_interval_as_tshark() {
    let t = IoStat::parse("io,stat,1", &Default::default()).unwrap();
    assert_eq!((t.interval, t.prec, t.columns.len()), (1_000_000, 0, 1));
    let t = IoStat::parse("io,stat,0.25,tcp,udp", &Default::default()).unwrap();
    assert_eq!((t.interval, t.prec, t.columns.len()), (250_000, 2, 2));
    assert_eq!(IoStat::parse("io,stat,1.00,tcp", &Default::default()).unwrap().prec, 2);
    assert_eq!(IoStat::parse("io,stat,1.00", &Default::default()).unwrap().prec, 6);
    assert_eq!(IoStat::parse("io,stat,0", &Default::default()).unwrap().interval, WHOLE);
    for bad in ["io,stat,abc", "io,stat,", "io,stat,1,", "io,stat,1x"] {
        assert_eq!(IoStat::parse(bad, &Default::default()).err().unwrap(), USAGE, "{}", bad);
    }
    assert!(IoStat::parse("io,stat,0.0000001", &Default::default()).err().unwrap().starts_with("\"-z\" interval must be"));
}

#[test]
fn reads_columns_and_refuses_bad_ones() {
    let t = IoStat::parse("io,stat,1,FRAMES,BYTES()tcp,SUM(tcp.len)tcp.len,ip.addr == 1.2.3.4 or udp", &Default::default()).unwrap();
    assert_eq!(t.columns.len(), 4);
    assert!(t.columns[0].filter.is_none() && t.columns[0].calc == Calc::Frames);
    assert!(t.columns[1].filter.is_some() && t.columns[1].calc == Calc::Bytes);
    assert!(!t.columns[2].primed, "primed by Stats::parse");
    let mut t = t;
    t.prime(&t.filter_fields().collect::<Vec<_>>());
    assert!(t.columns[2].primed);
    assert_eq!(t.columns[3].title.as_deref(), Some("ip.addr == 1.2.3.4 or udp"));
    let err = |a: &str| IoStat::parse(a, &Default::default()).err().unwrap();
    assert_eq!(err("io,stat,1,SUM(tcp.len"), "Closing parenthesis missing from calculated expression.");
    assert_eq!(err("io,stat,1,SUM()tcp"), "You didn't specify a field name for SUM(*).");
    assert_eq!(err("io,stat,1,FRAMES(tcp)"), "FRAMES does not require or allow a field name within the parens.");
    assert_eq!(err("io,stat,1,COUNT(nofield)x"), "There is no field named 'nofield'.");
    assert_eq!(err("io,stat,1,SUM(ip.src)ip"), "ip.src doesn't have integral values, so SUM(*) calculations are not supported on it.");
    assert!(err("io,stat,1,ip.addr in {1.2.3.4,5.6.7.8}").starts_with("Couldn't register io,stat tap: Filter \"ip.addr in {1.2.3.4\" is invalid - "));
    assert!(err("io,stat,1,tcp.port==").starts_with("Couldn't register io,stat tap: Filter \"tcp.port==\" is invalid - "));
}

#[test]
fn sizes_columns_from_their_values() {
    assert_eq!(magnitude(0, 5), 1);
    assert_eq!(magnitude(99_999, 5), 5);
    assert_eq!(magnitude(1_000_000, 5), 5);
    let mut out = String::new();
    print_center(&mut out, "Frames", 6);
    print_center(&mut out, "Bytes", 5);
    print_center(&mut out, "COUNT", 5);
    print_center(&mut out, "Bytes", 15);
    assert_eq!(out, " Frames | Bytes | COUNT |");
    assert_eq!(seconds_text(9_135_979_000, 6), "9.135979");
    assert_eq!(seconds_text(9_140_000_000, 2), "9.14");
}
