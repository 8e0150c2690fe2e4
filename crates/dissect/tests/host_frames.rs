//! When the host keeps every frame (the TUI reads them back from the capture file), the core
//! lets go of reassembled TCP bytes and rebuilds them from the frames when a re-dissection
//! needs them. A user must not be able to tell: every frame of every capture (the project's
//! fixtures, and the public corpus when present) re-dissected that way gives the same columns,
//! tree and byte panes as a session that kept the bytes, and the memory goes.

mod common;

use common::capture;
use reef_dissect::analysis::FrameSource;
use reef_dissect::{json, FrameMeta, Session};
use std::path::PathBuf;
use std::rc::Rc;

fn captures() -> Vec<PathBuf> {
    common::all_captures()
}

/// The host's frames, as the TUI's FrameStore hands them back.
struct Frames(Rc<Vec<capture::Frame>>);

impl FrameSource for Frames {
    fn frame(&mut self, number: u32, out: &mut Vec<u8>) -> bool {
        out.clear();
        match self.0.get((number as usize).wrapping_sub(1)) {
            Some(f) => {
                out.extend_from_slice(&f.data);
                true
            }
            None => false,
        }
    }
}

fn meta(f: &capture::Frame, number: u32) -> FrameMeta {
    FrameMeta { number, linktype: f.linktype, caplen: f.data.len() as u32, origlen: f.origlen, ts_ns: f.ts_ns, ts_digits: 6, ..Default::default() }
}

fn loaded(frames: &Rc<Vec<capture::Frame>>, host_keeps_frames: bool) -> Session {
    let mut s = Session::new();
    if host_keeps_frames {
        s.set_frame_source(Some(Box::new(Frames(frames.clone()))));
    }
    for f in frames.iter() {
        s.ingest(meta(f, 0), &f.data, false);
    }
    s
}

/// What the TUI shows of a frame: columns, tree, and every byte pane (reassembled ones too).
fn shown(s: &mut Session, f: &capture::Frame, number: u32) -> String {
    assert!(s.revisit(meta(f, number), &f.data, true));
    let mut out = String::new();
    json::write_columns(&mut out, s.columns());
    json::write_tree(&mut out, s.tree());
    for src in &s.tree().sources {
        out.push_str(&format!("\n{} {:?}", src.name, src.data));
    }
    out
}

fn pdu_bytes(s: &Session) -> usize {
    s.footprint().iter().find(|(name, _)| *name == "tcp.reasm.pdu_bytes").map_or(0, |(_, n)| *n)
}

#[test]
fn frames_kept_by_the_host_rebuild_reassembled_pdus_exactly() {
    let files = captures();
    assert!(files.len() >= 10, "fixtures not found");
    let (mut frames_checked, mut kept, mut let_go) = (0, 0, 0);
    for path in files {
        let frames = Rc::new(capture::read(&path));
        let mut keeps = loaded(&frames, false);
        let mut rebuilds = loaded(&frames, true);
        for (i, f) in frames.iter().enumerate() {
            let n = i as u32 + 1;
            assert_eq!(shown(&mut keeps, f, n), shown(&mut rebuilds, f, n), "{}: frame {} differs when rebuilt", path.display(), n);
        }
        frames_checked += frames.len();
        kept += pdu_bytes(&keeps);
        let_go += pdu_bytes(&rebuilds);
    }
    eprintln!("{} frames; reassembled bytes kept {} -> {}", frames_checked, kept, let_go);
    assert!(frames_checked > 1000, "only {} frames checked", frames_checked);
    assert!(kept > 100_000, "the captures reassemble little: {} bytes", kept);
    // Only PDUs whose bytes are not plain slices of their frames (TCP in reassembled IP) stay.
    assert!(let_go * 20 < kept, "{} of {} reassembled bytes still kept", let_go, kept);
}

/// Every label of the frame's tree.
fn labels(s: &Session) -> std::collections::BTreeSet<String> {
    (0..s.tree().nodes.len() as u32).map(|i| s.tree().label(i)).collect()
}

#[test]
fn a_frame_the_host_cannot_hand_back_leaves_the_pdu_out_not_wrong() {
    // As when the capture file changed under the TUI: every rebuild fails. What is shown is
    // then a part of what a whole re-dissection shows, never something else (a later message
    // of the segment must not take the missing PDU's place and its analysis).
    let (mut frames_missing_a_pdu, mut checked) = (0, 0);
    for path in captures() {
        let frames = Rc::new(capture::read(&path));
        let mut whole = loaded(&frames, true);
        let mut s = Session::new();
        s.set_frame_source(Some(Box::new(Frames(Rc::new(Vec::new())))));
        for f in frames.iter() {
            s.ingest(meta(f, 0), &f.data, false);
        }
        for (i, f) in frames.iter().enumerate() {
            let n = i as u32 + 1;
            let complete = shown(&mut whole, f, n).contains("\nReassembled TCP [");
            let all = labels(&whole);
            let text = shown(&mut s, f, n);
            assert!(!text.contains("\nReassembled TCP ["), "{} frame {}", path.display(), n);
            let partial = labels(&s);
            // frame.protocols lists fewer layers, which is the leaving out.
            let wrong: Vec<&String> = partial.difference(&all).filter(|l| !l.starts_with("[Protocols in frame: ")).collect();
            assert!(wrong.is_empty(), "{} frame {} shows {:?}", path.display(), n, wrong);
            frames_missing_a_pdu += complete as u32;
            checked += 1;
        }
    }
    assert!(frames_missing_a_pdu > 10, "only {} frames complete a PDU", frames_missing_a_pdu);
    assert!(checked > 1000);
}
