pub mod capture;

/// Every capture the tests replay: the project's fixtures, and the public corpus when present
/// (`../shared`, or `/work/shared` where the checkout is elsewhere).
#[allow(dead_code)]
pub fn all_captures() -> Vec<std::path::PathBuf> {
    use std::path::{Path, PathBuf};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![root.join("test-fixtures/captures")];
    let public = root.join("../shared/captures/public");
    dirs.push(if public.is_dir() { public } else { PathBuf::from("/work/shared/captures/public") });
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).map_or(false, |n| n.contains(".pcap")))
        .collect();
    files.sort();
    files
}
