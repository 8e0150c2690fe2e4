//! tshark's default text line: `No. Time Source → Destination Protocol Length Info`, with
//! tshark's padding (number to 5, time to 10, source right-aligned to 12, destination
//! left-aligned to 12).

use crate::packet::{Columns, FrameMeta};
use std::fmt::Write;

/// `time` is the Time column already formatted (see `print::time`).
pub fn write_line(out: &mut String, meta: &FrameMeta, time: &str, cols: &Columns) {
    let _ = write!(
        out,
        "{:>5} {:>10} {:>12} \u{2192} {:<12} {} {} {}\n",
        meta.number, time, cols.src, cols.dst, cols.protocol, meta.origlen, cols.info
    );
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
