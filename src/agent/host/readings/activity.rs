//! The owner's activity: time since the last keyboard or mouse input.
//!
//! Linux: logind, through `loginctl` on `PATH`. The graphical sessions (`Type` x11, wayland or
//! mir) of `loginctl list-sessions` are listed once a minute; each evaluation asks
//! `loginctl show-session ID… -p Type -p IdleHint -p IdleSinceHint` for all of them in one call.
//! `IdleHint=no` is "in use now"; otherwise the idle time runs from `IdleSinceHint` (µs of the
//! realtime clock). The least idle session speaks for the machine. No graphical session, no
//! loginctl, or a session that sets no idle hint at all: unknown, never idle.
//!
//! macOS: `ioreg -c IOHIDSystem`, whose `HIDIdleTime` is nanoseconds since the last input.

use std::process::Command;
use std::time::Duration;

/// How long a listing of the sessions is reused.
const LIST_EVERY_MS: i64 = 60_000;

pub(super) struct Activity {
    enabled: bool,
    sessions: Vec<String>,
    listed_at_ms: Option<i64>,
}

impl Activity {
    pub(super) fn new(enabled: bool) -> Activity {
        Activity {
            enabled,
            sessions: Vec::new(),
            listed_at_ms: None,
        }
    }

    pub(super) fn idle(&mut self, now_ms: i64) -> Option<Duration> {
        if !self.enabled {
            return None;
        }
        if cfg!(target_os = "macos") {
            let out = Command::new("ioreg")
                .args(["-c", "IOHIDSystem"])
                .output()
                .ok()?;
            return parse_ioreg_idle(&String::from_utf8_lossy(&out.stdout));
        }
        let stale = self
            .listed_at_ms
            .is_none_or(|at| now_ms.saturating_sub(at) >= LIST_EVERY_MS || now_ms < at);
        if stale {
            let out = Command::new("loginctl")
                .args(["list-sessions", "--no-legend", "--no-pager"])
                .output()
                .ok()?;
            self.sessions = parse_loginctl_sessions(&String::from_utf8_lossy(&out.stdout));
            self.listed_at_ms = Some(now_ms);
        }
        if self.sessions.is_empty() {
            return None;
        }
        let out = Command::new("loginctl")
            .arg("show-session")
            .args(&self.sessions)
            .args([
                "-p",
                "Type",
                "-p",
                "IdleHint",
                "-p",
                "IdleSinceHint",
                "--no-pager",
            ])
            .output()
            .ok()?;
        let idle = parse_loginctl_show(&String::from_utf8_lossy(&out.stdout), now_ms);
        if idle.is_none() {
            // The sessions may have ended: list them again next time.
            self.listed_at_ms = None;
        }
        idle
    }
}

/// Session ids, the first column of `loginctl list-sessions --no-legend`.
pub fn parse_loginctl_sessions(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| {
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .map(str::to_string)
        .collect()
}

/// Blocks of `Key=value` lines, one per session, separated by blank lines. Only graphical
/// sessions count; the least idle one is the machine's idle time. A hint from the future (the
/// clock was set back) counts as "just now".
pub fn parse_loginctl_show(text: &str, now_ms: i64) -> Option<Duration> {
    let mut best: Option<Duration> = None;
    for block in text.split("\n\n") {
        let get = |key: &str| {
            block
                .lines()
                .find_map(|l| l.trim().strip_prefix(key)?.strip_prefix('='))
        };
        if !matches!(get("Type"), Some("x11" | "wayland" | "mir")) {
            continue;
        }
        let idle = match get("IdleHint") {
            Some("no") => Duration::ZERO,
            Some("yes") => {
                let Some(since_us) = get("IdleSinceHint").and_then(|v| v.parse::<i64>().ok())
                else {
                    continue;
                };
                if since_us <= 0 {
                    continue;
                }
                let ms = now_ms.saturating_sub(since_us / 1000).max(0);
                Duration::from_millis(ms as u64)
            }
            _ => continue,
        };
        best = Some(best.map_or(idle, |b| b.min(idle)));
    }
    best
}

/// `"HIDIdleTime" = 1234567890` (nanoseconds) in `ioreg -c IOHIDSystem`.
pub fn parse_ioreg_idle(text: &str) -> Option<Duration> {
    let line = text.lines().find(|l| l.contains("\"HIDIdleTime\""))?;
    let value = line.split('=').nth(1)?.trim();
    value.parse::<u64>().ok().map(Duration::from_nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_listed() {
        let out = "     2 1000 alice seat0 tty2\n    c1  120 gdm   seat0 tty1\n";
        assert_eq!(parse_loginctl_sessions(out), vec!["2", "c1"]);
        assert!(parse_loginctl_sessions("").is_empty());
    }

    #[test]
    fn the_least_idle_graphical_session_counts() {
        let now_ms = 1_000_000_000;
        let since_us = (now_ms - 600_000) * 1000; // ten minutes ago
        let out = format!(
            "Type=wayland\nIdleHint=yes\nIdleSinceHint={since_us}\n\nType=tty\nIdleHint=no\nIdleSinceHint=0\n"
        );
        assert_eq!(
            parse_loginctl_show(&out, now_ms),
            Some(Duration::from_secs(600))
        );
        let busy = format!("{out}\nType=x11\nIdleHint=no\nIdleSinceHint=0\n");
        assert_eq!(parse_loginctl_show(&busy, now_ms), Some(Duration::ZERO));
    }

    #[test]
    fn no_graphical_session_or_no_hint_is_unknown() {
        assert_eq!(
            parse_loginctl_show("Type=tty\nIdleHint=yes\nIdleSinceHint=5\n", 10),
            None
        );
        assert_eq!(parse_loginctl_show("Type=x11\n", 10), None);
        assert_eq!(
            parse_loginctl_show("Type=x11\nIdleHint=yes\nIdleSinceHint=0\n", 10),
            None
        );
        assert_eq!(parse_loginctl_show("", 10), None);
    }

    #[test]
    fn a_hint_from_the_future_is_now() {
        let out = "Type=x11\nIdleHint=yes\nIdleSinceHint=99000000000\n";
        assert_eq!(parse_loginctl_show(out, 1000), Some(Duration::ZERO));
    }

    #[test]
    fn ioreg_idle_time() {
        let out = "    | |   \"HIDIdleTime\" = 5000000000\n";
        assert_eq!(parse_ioreg_idle(out), Some(Duration::from_secs(5)));
        assert_eq!(parse_ioreg_idle("nothing"), None);
    }
}
