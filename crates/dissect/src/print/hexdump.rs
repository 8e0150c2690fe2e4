//! `-x`: the frame's bytes as tshark prints them: offset, 16 hex bytes, ASCII.

use crate::tree::Tree;
use std::fmt::Write;

/// `-x` for one frame: with extra data sources (reassembled, de-chunked), each is titled as
/// tshark does (`Frame (237 bytes):`, `De-chunked entity body (4 bytes):`).
pub fn write_frame(out: &mut String, tree: &Tree, frame: &[u8]) {
    if tree.sources.is_empty() {
        write_hex(out, frame);
        return;
    }
    let _ = writeln!(out, "Frame ({} bytes):", frame.len());
    write_hex(out, frame);
    for s in &tree.sources {
        let _ = writeln!(out, "{} ({} bytes):", s.name, s.data.len());
        write_hex(out, &s.data);
    }
}

pub fn write_hex(out: &mut String, data: &[u8]) {
    for (row, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, "{:04x}  ", row * 16);
        for (i, b) in chunk.iter().enumerate() {
            let _ = write!(out, "{:02x}", b);
            if i + 1 < chunk.len() {
                out.push(' ');
            }
        }
        for _ in chunk.len()..16 {
            out.push_str("   ");
        }
        out.push_str("   ");
        out.extend(chunk.iter().map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' }));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_the_last_row() {
        let mut s = String::new();
        write_hex(&mut s, b"GET / HTTP/1.1\r\nHost");
        assert_eq!(
            s,
            "0000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a   GET / HTTP/1.1..\n\
             0010  48 6f 73 74                                       Host\n"
        );
    }
}
