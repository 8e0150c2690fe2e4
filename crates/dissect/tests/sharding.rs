//! reef-cli spreads a single pass over worker threads: each session is handed every frame and
//! dissects only its shard (frames hashed by address pair, `session::shard`). Whatever the
//! number of shards, the frames' texts put back in order, and the display filter's verdicts,
//! must be exactly those of one session, on every capture the tests know, for the outputs
//! the CLI shards: summary lines, `-T fields`, `-x`, and `-Y`.

mod common;

use common::capture;
use reef_dissect::{FrameMeta, Session};

fn meta(f: &capture::Frame) -> FrameMeta {
    FrameMeta { linktype: f.linktype, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() }
}

/// Each frame's text and verdict, from a session configured with `config` and `shard`.
fn run(frames: &[capture::Frame], config: &str, filter: &str, shard: (u32, u32)) -> Vec<Option<(String, bool)>> {
    let mut s = Session::new();
    s.configure(&format!("{}\nsingle_pass 1\nshard {} {}\n", config, shard.0, shard.1)).expect("config");
    s.set_display_filter(filter).expect("filter");
    frames
        .iter()
        .map(|f| {
            let mine = s.ingest_and_print_shard(meta(f), &f.data);
            let text = std::mem::take(&mut s.out);
            if mine {
                Some((text, s.last_displayed()))
            } else {
                assert!(text.is_empty(), "a skipped frame printed {:?}", text);
                None
            }
        })
        .collect()
}

const CONFIGS: &[(&str, &str)] = &[
    ("mode summary", ""),
    ("mode summary", "http.request || dns"),
    ("mode summary", "tcp.analysis.flags || icmp || tcp.port == 8080"),
    ("mode summary\nhex 1", ""),
    ("mode summary\ntime ad", "frame.time_delta > 0.001"),
    ("mode fields\nfield frame.number\nfield ip.src\nfield tcp.srcport\nfield _ws.col.Info\nfield tcp.seq\nfield dns.qry.name", ""),
    ("mode fields\nfield frame.number\nfield frame.time_relative\nfield frame.time_delta\nfield http.response_in\nfield dns.response_to", "udp || http"),
    ("mode quiet", "tcp.flags.syn == 1 || dns.flags.response == 1"),
];

#[test]
fn sharded_sessions_print_what_one_session_prints() {
    let files = common::all_captures();
    assert!(files.len() >= 10, "fixtures not found");
    let mut frames_checked = 0;
    for path in &files {
        let frames = capture::read(path);
        for (config, filter) in CONFIGS {
            let whole: Vec<(String, bool)> = run(&frames, config, filter, (0, 1)).into_iter().map(Option::unwrap).collect();
            for shards in [2, 3] {
                let parts: Vec<_> = (0..shards).map(|k| run(&frames, config, filter, (k, shards))).collect();
                for (i, expected) in whole.iter().enumerate() {
                    let owners: Vec<_> = parts.iter().filter_map(|p| p[i].as_ref()).collect();
                    assert_eq!(owners.len(), 1, "{}: frame {} belongs to {} shards", path.display(), i + 1, owners.len());
                    let (text, shown) = owners[0];
                    assert_eq!((text.as_str(), *shown), (expected.0.as_str(), expected.1), "{}: frame {} ({:?}, -Y {:?}, {} shards)", path.display(), i + 1, config, filter, shards);
                }
            }
        }
        frames_checked += frames.len();
    }
    assert!(frames_checked > 1000);
}

#[test]
fn both_shards_get_work_on_real_traffic() {
    let mut counts = [0usize; 2];
    for path in common::all_captures() {
        let frames = capture::read(&path);
        for (k, count) in counts.iter_mut().enumerate() {
            *count += run(&frames, "mode quiet", "", (k as u32, 2)).iter().filter(|f| f.is_some()).count();
        }
    }
    let total = counts[0] + counts[1];
    assert!(counts.iter().all(|&c| c * 5 > total), "shards badly balanced: {:?}", counts);
}

/// Conversation and endpoint tables of every kind, one with a tap filter.
const STATS: &str = "conv,eth\nconv,ip\nconv,ipv6\nconv,tcp\nconv,udp\nendpoints,eth\nendpoints,ip\nendpoints,ipv6\nendpoints,tcp\nendpoints,udp\nconv,tcp,tcp.port == 80 || tcp.port == 8080\n";

fn stats_text(frames: &[capture::Frame], shards: u32) -> String {
    let config = "mode quiet\nsingle_pass 1\ntime r\n";
    let mut total = Session::new();
    total.configure(config).unwrap();
    total.start_stats(STATS).unwrap();
    if shards == 1 {
        for f in frames {
            total.ingest_and_print(meta(f), &f.data);
        }
    } else {
        for k in 0..shards {
            let mut s = Session::new();
            s.configure(&format!("{}shard {} {}\n", config, k, shards)).unwrap();
            s.start_stats(STATS).unwrap();
            for f in frames {
                s.ingest_and_print_shard(meta(f), &f.data);
            }
            s.out.clear();
            s.export_stats().unwrap();
            let export = std::mem::take(&mut s.out);
            total.absorb_stats(&export).unwrap();
        }
    }
    total.out.clear();
    total.write_stats_text();
    std::mem::take(&mut total.out)
}

#[test]
fn conversation_and_endpoint_tables_of_shards_add_up_to_one_sessions() {
    let mut rows = 0;
    for path in common::all_captures() {
        let frames = capture::read(&path);
        let whole = stats_text(&frames, 1);
        for shards in [2, 3] {
            assert_eq!(stats_text(&frames, shards), whole, "{}: {} shards", path.display(), shards);
        }
        rows += whole.lines().count();
    }
    assert!(rows > 1000, "tables were printed ({} lines)", rows);
}
