//! tshark's default text line: `No. Time Source → Destination Protocol Length Info`, with
//! tshark's padding (number to 5, time to 10, source right-aligned to 12, destination
//! left-aligned to 12).

use crate::packet::{Columns, FrameMeta};
use crate::text::{decimal_digits, push_padded, push_spaces, push_uint};

/// `time` is the Time column already formatted (see `print::time`). Written by hand rather
/// than with `write!`: it is most of what the summary job does per frame.
pub fn write_line(out: &mut String, meta: &FrameMeta, time: &str, cols: &Columns) {
    push_spaces(out, 5usize.saturating_sub(decimal_digits(meta.number as u64)));
    push_uint(out, meta.number as u64);
    out.push(' ');
    push_padded(out, time, 10, true);
    out.push(' ');
    push_padded(out, &cols.src, 12, true);
    out.push_str(" \u{2192} ");
    push_padded(out, &cols.dst, 12, false);
    out.push(' ');
    out.push_str(&cols.protocol);
    out.push(' ');
    push_uint(out, meta.origlen as u64);
    out.push(' ');
    out.push_str(&cols.info);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_like_tshark() {
        let cols = Columns { protocol: "ARP".into(), info: "Who has 192.0.2.2? Tell 192.0.2.1".into(), src: "8e:36:06:44:ac:af".into(), ..Default::default() };
        let meta = FrameMeta { number: 5, origlen: 48, ts_digits: 6, ..Default::default() };
        let mut s = String::new();
        write_line(&mut s, &meta, "1543.706702", &cols);
        assert_eq!(s, "    5 1543.706702 8e:36:06:44:ac:af \u{2192}              ARP 48 Who has 192.0.2.2? Tell 192.0.2.1\n");
    }
}
