//! Allowed hours (`EDGECODER_HOST_HOURS=22:00-07:00`): a window of local wall-clock minutes that
//! may cross midnight. Kept apart from `decide` because its parsing errors are what the owner
//! sees when the agent refuses to start.

use std::fmt;

/// `start..end` in minutes after local midnight; `start > end` crosses midnight, `start == end`
/// is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub start: u16,
    pub end: u16,
}

impl Hours {
    /// "22:00-07:00", "9:30-17:00", "22-7" (whole hours).
    pub fn parse(text: &str) -> Result<Hours, String> {
        let bad = |why: &str| {
            format!(
                "{text:?} is not a range of hours ({why}): write it like 22:00-07:00 \
                 (start-end, 24-hour clock, local time; it may cross midnight)"
            )
        };
        let (start, end) = text.trim().split_once('-').ok_or_else(|| bad("no `-`"))?;
        let start = minute_of_day(start).ok_or_else(|| bad("bad start"))?;
        let end = minute_of_day(end).ok_or_else(|| bad("bad end"))?;
        Ok(Hours { start, end })
    }

    /// Whether the local minute of day `minute` (0..1440) is inside the window.
    pub fn contains(&self, minute: u16) -> bool {
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Equal => true,
            std::cmp::Ordering::Less => (self.start..self.end).contains(&minute),
            std::cmp::Ordering::Greater => minute >= self.start || minute < self.end,
        }
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// "07:00", "7", "23:59", "24:00" (the end of the day) → minutes after midnight.
fn minute_of_day(text: &str) -> Option<u16> {
    let text = text.trim();
    let (h, m) = match text.split_once(':') {
        Some((h, m)) => (h, m),
        None => (text, "0"),
    };
    if h.is_empty() || m.is_empty() || h.len() > 2 || m.len() > 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some((h * 60 + m) % (24 * 60))
}

/// The local minute of day of `unix_secs`, in the node's time zone (the C library's `TZ` rules).
pub fn local_minute(unix_secs: i64) -> Option<u16> {
    // `time_t` is 32 bits on some targets.
    #[allow(clippy::useless_conversion)]
    let t: libc::time_t = unix_secs.try_into().ok()?;
    // SAFETY: `tm` is a plain C struct for which all-zero is valid; `localtime_r` only writes it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r is the thread-safe variant.
    let out = unsafe { libc::localtime_r(&t, &mut tm) };
    if out.is_null() {
        return None;
    }
    u16::try_from(tm.tm_hour * 60 + tm.tm_min).ok()
}

/// "HH:MM" in local time for a unix time in ms (for "paused by owner until 14:05").
pub fn local_hh_mm(unix_ms: i64) -> String {
    match local_minute(unix_ms.div_euclid(1000)) {
        Some(m) => format!("{:02}:{:02}", m / 60, m % 60),
        None => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_print() {
        let h = Hours::parse("22:00-07:00").unwrap();
        assert_eq!((h.start, h.end), (22 * 60, 7 * 60));
        assert_eq!(h.to_string(), "22:00-07:00");
        assert_eq!(
            Hours::parse(" 9:30 - 17:05 ").unwrap().to_string(),
            "09:30-17:05"
        );
        assert_eq!(Hours::parse("22-7").unwrap().to_string(), "22:00-07:00");
        assert_eq!(Hours::parse("08:00-24:00").unwrap().end, 0);
    }

    #[test]
    fn bad_ranges_name_the_value_and_the_form() {
        for bad in [
            "",
            "22:00",
            "25:00-07:00",
            "22:60-07:00",
            "nightly",
            "22:00-7:5:0",
            "-1-3",
        ] {
            let err = Hours::parse(bad).unwrap_err();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
            assert!(err.contains("22:00-07:00"), "{err}");
        }
    }

    #[test]
    fn a_window_across_midnight() {
        let h = Hours::parse("22:00-07:00").unwrap();
        assert!(h.contains(22 * 60));
        assert!(h.contains(23 * 60 + 59));
        assert!(h.contains(0));
        assert!(h.contains(6 * 60 + 59));
        assert!(!h.contains(7 * 60));
        assert!(!h.contains(12 * 60));
        assert!(!h.contains(21 * 60 + 59));
    }

    #[test]
    fn a_window_within_a_day_and_the_whole_day() {
        let h = Hours::parse("09:00-17:00").unwrap();
        assert!(h.contains(9 * 60) && h.contains(16 * 60 + 59));
        assert!(!h.contains(17 * 60) && !h.contains(8 * 60 + 59));
        let all = Hours::parse("00:00-24:00").unwrap();
        assert!(all.contains(0) && all.contains(1439));
    }

    #[test]
    fn local_minutes_are_in_range() {
        let m = local_minute(1_700_000_000).unwrap();
        assert!(m < 1440);
        assert_eq!(local_hh_mm(1_700_000_000_000).len(), 5);
    }
}
