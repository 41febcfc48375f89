//! The window and the CSV form of `server ledger export`: `--since`/`--until` read as times
//! (RFC 3339, or a UTC date) or, for `--since`, a sequence number as before; CSV rows name each
//! account's token or node where the coordinator knows it.
//!
//! The window is one run of the chain: from the first entry at or after `--since` up to the first
//! at or after `--until`. Entries are written in time order, so that is the same as filtering by
//! time, and it keeps a JSON-lines export checkable by `edgecoder ledger verify` (a chain with a
//! hole in it would not be).

use crate::api::{LedgerEntry, format_credits};
use crate::cli::exit::CliError;
use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

/// What the accepted forms are, for every error about them.
const FORMS: &str = "use RFC 3339 like 2026-11-24T09:30:00Z or 2026-11-24T10:30:00+01:00, or a \
                     date like 2026-11-24 (UTC)";

/// Where an export starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// Entries after this sequence number (a plain number, the older form).
    Seq(i64),
    /// Entries at or after this time (Unix ms).
    Time(i64),
}

/// Reads `--since`: a sequence number (digits only), or a time or date (its start).
pub fn parse_since(text: &str) -> Result<Since, CliError> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().map(Since::Seq).map_err(|_| {
            CliError::usage(format!("--since {t}: the sequence number is too large"))
        });
    }
    parse_time(t, false)
        .map(Since::Time)
        .map_err(|why| CliError::usage(format!("--since {t:?}: {why}; or a sequence number")))
}

/// Reads `--until`: a time, or a date meaning the end of that day (so the day is included).
pub fn parse_until(text: &str) -> Result<i64, CliError> {
    let t = text.trim();
    parse_time(t, true).map_err(|why| CliError::usage(format!("--until {t:?}: {why}")))
}

/// Unix ms of an RFC 3339 time (any offset) or of a date's start (`end_of_day`: its end).
fn parse_time(t: &str, end_of_day: bool) -> Result<i64, String> {
    let bad = || format!("not a time: {FORMS}");
    if t.len() == 10 && t.as_bytes().get(4) == Some(&b'-') {
        let start = to_ms(humantime::parse_rfc3339(&format!("{t}T00:00:00Z")).map_err(|_| bad())?);
        return Ok(if end_of_day {
            start + 86_400_000
        } else {
            start
        });
    }
    // humantime reads UTC only: take a numeric offset off first.
    let (base, offset_ms) = split_offset(t).ok_or_else(bad)?;
    let at = humantime::parse_rfc3339_weak(base).map_err(|_| bad())?;
    Ok(to_ms(at) - offset_ms)
}

/// `2026-11-24T10:30:00+01:00` → (`2026-11-24T10:30:00`, +1 h in ms); a `Z` time as it is.
fn split_offset(t: &str) -> Option<(&str, i64)> {
    if t.ends_with(['Z', 'z']) || t.len() < 20 {
        return Some((t, 0));
    }
    // `get` rather than `split_at`: the cut may fall inside a multi-byte character.
    let cut = t.len() - 6;
    let (base, tail) = (t.get(..cut)?, t.get(cut..)?);
    let b = tail.as_bytes();
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return Some((t, 0)),
    };
    if b[3] != b':' {
        return None;
    }
    let hours: i64 = tail.get(1..3)?.parse().ok()?;
    let minutes: i64 = tail.get(4..6)?.parse().ok()?;
    Some((base, sign * (hours * 60 + minutes) * 60_000))
}

fn to_ms(at: std::time::SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Where in the chain the window stands: before it, inside, or past its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Before,
    Inside,
    Past,
}

/// Follows the chain through the window; entries arrive in sequence order.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    since: Since,
    until: Option<i64>,
    started: bool,
}

impl Window {
    pub fn new(since: Since, until: Option<i64>) -> Window {
        Window {
            since,
            until,
            started: false,
        }
    }

    /// The sequence number to start reading after.
    pub fn after(&self) -> i64 {
        match self.since {
            Since::Seq(s) => s,
            Since::Time(_) => 0,
        }
    }

    /// Whether `e` is written, skipped, or ends the export.
    pub fn step(&mut self, e: &LedgerEntry) -> Step {
        if self.until.is_some_and(|u| e.at >= u) {
            return Step::Past;
        }
        if !self.started {
            match self.since {
                Since::Time(t) if e.at < t => return Step::Before,
                _ => self.started = true,
            }
        }
        Step::Inside
    }
}

pub const CSV_HEADER: &str =
    "seq,time,kind,account,account_name,amount,task_id,actor,actor_name,hash";

/// One CSV row; `names` maps account ids (`user:<token id>`, `node:<id>`) to names.
pub fn csv_row(e: &LedgerEntry, names: &BTreeMap<String, String>) -> String {
    let time = humantime::format_rfc3339_millis(
        UNIX_EPOCH + Duration::from_millis(u64::try_from(e.at).unwrap_or(0)),
    )
    .to_string();
    let actor_name = e
        .actor
        .as_ref()
        .and_then(|a| names.get(&format!("user:{a}")))
        .map(String::as_str);
    [
        e.seq.to_string(),
        time,
        e.kind.clone(),
        e.account.clone(),
        names.get(&e.account).cloned().unwrap_or_default(),
        format_credits(e.amount),
        e.task_id.clone().unwrap_or_default(),
        e.actor.clone().unwrap_or_default(),
        actor_name.unwrap_or_default().to_string(),
        e.hash.clone(),
    ]
    .iter()
    .map(|cell| csv_cell(cell))
    .collect::<Vec<_>>()
    .join(",")
}

/// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180); a leading `=`, `+`,
/// `-` or `@` in text (a name) gets a `'` so a spreadsheet does not run it as a formula.
fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '@'])
        || (text.starts_with('-') && text.parse::<f64>().is_err())
    {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, at: i64) -> LedgerEntry {
        LedgerEntry {
            seq,
            at,
            kind: "grant".into(),
            account: "user:t1".into(),
            amount: -1500,
            task_id: None,
            actor: Some("t0".into()),
            prev_hash: String::new(),
            hash: "ab".into(),
        }
    }

    #[test]
    fn times_dates_and_sequence_numbers_read() {
        assert_eq!(parse_since("7").unwrap(), Since::Seq(7));
        let day = 1_764_000_000_000 - 1_764_000_000_000 % 86_400_000;
        assert_eq!(parse_since("2025-11-24").unwrap(), Since::Time(day));
        assert_eq!(parse_until("2025-11-24").unwrap(), day + 86_400_000);
        let z = parse_until("2025-11-24T10:30:00Z").unwrap();
        assert_eq!(parse_until("2025-11-24T11:30:00+01:00").unwrap(), z);
        assert_eq!(parse_until("2025-11-24T09:30:00-01:00").unwrap(), z);
        for bad in [
            "yesterday",
            "2025-13-01",
            "2025-11-24T10:30:00+0100",
            "",
            "2025-11-24T10:30:00\u{20ac}\u{20ac}",
        ] {
            let e = parse_until(bad).unwrap_err();
            assert!(e.message.contains("RFC 3339"), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn the_window_is_one_run_of_the_chain() {
        let mut w = Window::new(Since::Time(100), Some(300));
        assert_eq!(w.step(&entry(1, 50)), Step::Before);
        assert_eq!(w.step(&entry(2, 100)), Step::Inside);
        assert_eq!(w.step(&entry(3, 299)), Step::Inside);
        assert_eq!(w.step(&entry(4, 300)), Step::Past);
    }

    #[test]
    fn csv_quotes_and_names() {
        let names = BTreeMap::from([
            ("user:t1".to_string(), "ci, nightly".to_string()),
            ("user:t0".to_string(), "=admin".to_string()),
        ]);
        let row = csv_row(&entry(1, 0), &names);
        assert_eq!(
            row,
            "1,1970-01-01T00:00:00.000Z,grant,user:t1,\"ci, nightly\",-1.5,,t0,'=admin,ab"
        );
    }
}
