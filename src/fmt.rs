//! Short text formatters shared by the CLI's tables and the dashboard (ages, sizes, ids), kept
//! apart from both so neither depends on the other.

/// "3s", "5m", "2h", "4d": how long ago a millisecond timestamp was.
pub fn age(at_ms: i64, now_ms: i64) -> String {
    let secs = ((now_ms - at_ms).max(0) / 1000) as u64;
    short_duration(secs)
}

pub fn short_duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

/// Megabytes the way people read them: "512M", "15.6G".
pub fn mib(mib: u64) -> String {
    if mib >= 1024 {
        format!("{:.1}G", mib as f64 / 1024.0)
    } else {
        format!("{mib}M")
    }
}

/// An id cut to 12 characters for narrow screens (the dashboard); any unique prefix is accepted
/// as input. CLI tables print whole ids, so they can be pasted into scripts.
pub fn short_id(id: &str) -> String {
    id.chars().take(12).collect()
}

/// Cuts a cell to `max` characters with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Words a node or a person sent, as one line for a terminal: control characters (escape
/// sequences, newlines) become spaces, the ends are trimmed, and it is cut to `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    clip(line.trim(), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatters() {
        assert_eq!(age(0, 90_000), "1m");
        assert_eq!(short_duration(7200), "2h");
        assert_eq!(mib(2048), "2.0G");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(short_id("0123456789abcdef"), "0123456789ab");
        assert_eq!(one_line(" on\u{1b}[2J\nbattery ", 40), "on [2J battery");
    }
}
