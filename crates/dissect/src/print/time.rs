//! tshark's `-t` time formats for the Time column.

pub use crate::addr::Zone;
use crate::addr::civil_from_days;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    /// `r`: seconds since the first frame (the default).
    Relative,
    /// `a`: local time of day.
    Absolute,
    /// `ad`: local date and time.
    AbsoluteDate,
    /// `adoy`: local year/day-of-year and time.
    AbsoluteDoy,
    /// `d`: since the previous captured frame.
    Delta,
    /// `dd`: since the previous displayed frame.
    DeltaDisplayed,
    /// `e`: seconds since the epoch.
    Epoch,
    /// `u`, `ud`, `udoy`: as `a`, `ad`, `adoy` in UTC.
    Utc,
    UtcDate,
    UtcDoy,
}

impl TimeFormat {
    pub fn parse(s: &str) -> Option<TimeFormat> {
        Some(match s {
            "r" => TimeFormat::Relative,
            "a" => TimeFormat::Absolute,
            "ad" => TimeFormat::AbsoluteDate,
            "adoy" => TimeFormat::AbsoluteDoy,
            "d" => TimeFormat::Delta,
            "dd" => TimeFormat::DeltaDisplayed,
            "e" => TimeFormat::Epoch,
            "u" => TimeFormat::Utc,
            "ud" => TimeFormat::UtcDate,
            "udoy" => TimeFormat::UtcDoy,
            _ => return None,
        })
    }
}

/// What a Time cell needs besides the frame's own timestamp.
#[derive(Clone, Copy, Debug, Default)]
pub struct TimeRefs {
    pub first_ns: i64,
    pub prev_captured_ns: i64,
    pub prev_displayed_ns: i64,
}

/// Writes the Time column of a frame with `digits` decimals (the capture's precision).
pub fn write_column(out: &mut String, fmt: TimeFormat, ts: i64, refs: &TimeRefs, digits: u32, zone: &Zone) {
    use TimeFormat::*;
    match fmt {
        Relative => crate::addr::write_seconds(out, ts - refs.first_ns, digits),
        Delta => crate::addr::write_seconds(out, ts - refs.prev_captured_ns, digits),
        DeltaDisplayed => crate::addr::write_seconds(out, ts - refs.prev_displayed_ns, digits),
        Epoch => crate::addr::write_seconds(out, ts, digits),
        Absolute | Utc => write_clock(out, shift(ts, fmt, zone), digits, DateStyle::None),
        AbsoluteDate | UtcDate => write_clock(out, shift(ts, fmt, zone), digits, DateStyle::Ymd),
        AbsoluteDoy | UtcDoy => write_clock(out, shift(ts, fmt, zone), digits, DateStyle::Doy),
    }
}

fn shift(ts: i64, fmt: TimeFormat, zone: &Zone) -> i64 {
    match fmt {
        TimeFormat::Utc | TimeFormat::UtcDate | TimeFormat::UtcDoy => ts,
        _ => zone.local(ts),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DateStyle {
    None,
    Ymd,
    Doy,
}

fn write_clock(out: &mut String, ns: i64, digits: u32, date: DateStyle) {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    match date {
        DateStyle::None => {}
        DateStyle::Ymd => {
            let _ = write!(out, "{}-{:02}-{:02} ", y, m, d);
        }
        DateStyle::Doy => {
            let jan1 = days_from_civil(y, 1, 1);
            let _ = write!(out, "{}/{:03} ", y, days - jan1 + 1);
        }
    }
    let _ = write!(out, "{:02}:{:02}:{:02}", sod / 3600, sod % 3600 / 60, sod % 60);
    if digits > 0 {
        let digits = digits.min(9);
        let _ = write!(out, ".{:0w$}", frac / 10i64.pow(9 - digits), w = digits as usize);
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (inverse of `civil_from_days`).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const TS: i64 = 1_795_563_483_599_526_888; // 2026-11-24 23:38:03.599526888 UTC

    fn col(fmt: &str, zone: &Zone) -> String {
        let refs = TimeRefs { first_ns: TS - 1_000_000_000, prev_captured_ns: TS - 28_333, prev_displayed_ns: TS - 2_000_000 };
        let mut s = String::new();
        write_column(&mut s, TimeFormat::parse(fmt).unwrap(), TS, &refs, 9, zone);
        s
    }

    #[test]
    fn formats_match_tshark() {
        let utc = Zone::default();
        assert_eq!(col("a", &utc), "23:38:03.599526888");
        assert_eq!(col("ad", &utc), "2026-11-24 23:38:03.599526888");
        assert_eq!(col("adoy", &utc), "2026/328 23:38:03.599526888");
        assert_eq!(col("d", &utc), "0.000028333");
        assert_eq!(col("dd", &utc), "0.002000000");
        assert_eq!(col("e", &utc), "1795563483.599526888");
        assert_eq!(col("r", &utc), "1.000000000");
        let tokyo = Zone { offset_s: 9 * 3600, name: "JST".into(), changes: Vec::new() };
        assert_eq!(col("a", &tokyo), "08:38:03.599526888");
        assert_eq!(col("ad", &tokyo), "2026-11-25 08:38:03.599526888");
        assert_eq!(col("ud", &tokyo), "2026-11-24 23:38:03.599526888");
        let mut s = String::new();
        crate::addr::write_abs_time(&mut s, 1_795_563_482_797_184_000, &tokyo);
        assert_eq!(s, "Nov 25, 2026 08:38:02.797184000 JST");
        // London as tshark shows it in December, of a frame in November and one in July: each
        // date has its own offset and abbreviation (the changes of 2026, in UTC seconds).
        let london = crate::print::Config::parse("zone 0 GMT\nzone_change 0 3600 BST\nzone_change 57722400 0 GMT\nzone_change 1774746000 3600 BST\nzone_change 1792890000 0 GMT\n").unwrap().zone;
        s.clear();
        crate::addr::write_abs_time(&mut s, 1_795_563_482_797_184_000, &london);
        crate::addr::write_abs_time(&mut s, 1_783_000_000_000_000_000, &london);
        assert_eq!(s, "Nov 24, 2026 23:38:02.797184000 GMTJul  2, 2026 14:46:40.000000000 BST");
        assert_eq!(col("ad", &london), "2026-11-24 23:38:03.599526888");
        assert_eq!(london.at(-1_000_000_000), (3600, "BST"), "before the first change: the first's");
        assert!(crate::print::Config::parse("zone 0 GMT\nzone_change 10 3600 BST\nzone_change 10 0 GMT\n").is_err(), "changes ascend");
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
