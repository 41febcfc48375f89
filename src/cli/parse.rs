//! Parsers for what people type on the command line: durations, sizes, KEY=VALUE pairs.
//! Each error names the value and shows a form that works (exit 2).

use super::exit::CliError;
use std::collections::BTreeMap;
use std::time::Duration;

/// "30s", "10m", "1h 30m", "7d".
pub fn duration(flag: &str, value: &str) -> Result<Duration, CliError> {
    humantime::parse_duration(value.trim()).map_err(|e| {
        CliError::usage(format!(
            "{flag} {value:?} is not a duration ({e}): use a form like 30s, 10m, 2h or 7d"
        ))
    })
}

/// "512M", "4G", "4GiB", "1T", or a plain number of MiB; returns MiB.
pub fn size_mib(flag: &str, value: &str) -> Result<u64, CliError> {
    let bad = || {
        CliError::usage(format!(
            "{flag} {value:?} is not a size: use a form like 512M, 4G or 1T"
        ))
    };
    let v = value.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let factor = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "M" | "MB" | "MI" | "MIB" => 1.0,
        "K" | "KB" | "KI" | "KIB" => 1.0 / 1024.0,
        "G" | "GB" | "GI" | "GIB" => 1024.0,
        "T" | "TB" | "TI" | "TIB" => 1024.0 * 1024.0,
        _ => return Err(bad()),
    };
    let mib = (number * factor).ceil();
    if !mib.is_finite() || mib < 0.0 || mib > u64::MAX as f64 / 2.0 {
        return Err(bad());
    }
    Ok(mib as u64)
}

/// `KEY=VALUE` pairs (labels, env vars); `what` names them in errors.
pub fn key_values(what: &str, pairs: &[String]) -> Result<BTreeMap<String, String>, CliError> {
    pairs
        .iter()
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| CliError::usage(format!("{what} {pair:?} must be KEY=VALUE")))?;
            if k.is_empty() {
                return Err(CliError::usage(format!("{what} {pair:?} has an empty key")));
            }
            Ok((k.to_string(), v.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size_mib("--m", "512M").unwrap(), 512);
        assert_eq!(size_mib("--m", "4G").unwrap(), 4096);
        assert_eq!(size_mib("--m", "1.5GiB").unwrap(), 1536);
        assert_eq!(size_mib("--m", "100").unwrap(), 100);
        assert!(size_mib("--m", "4X").is_err());
        assert!(size_mib("--m", "-1G").is_err());
        assert!(size_mib("--m", "").is_err());
    }

    #[test]
    fn durations_and_pairs() {
        assert_eq!(duration("--t", "90s").unwrap(), Duration::from_secs(90));
        let err = duration("--t", "soon").unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.contains("30s"), "{}", err.message);
        let kv = key_values("label", &["a=1".into(), "b=".into()]).unwrap();
        assert_eq!(kv.get("b").map(String::as_str), Some(""));
        assert!(key_values("label", &["=1".into()]).is_err());
        assert!(key_values("label", &["a".into()]).is_err());
    }
}
