//! `--secret` and `--secret-file` of `server tasks submit`: the task's secret env vars.
//!
//! `--secret KEY` (no `=`) takes the value from this process's environment, so a CI job can
//! pass a secret without putting it in argv (where `ps` shows it). `--secret-file` reads the env
//! file format (`KEY=value` lines, `#` comments, the same quoting). A flag wins over the file.

use crate::cli::exit::CliError;
use crate::config::envfile;
use std::collections::BTreeMap;
use std::path::Path;

pub fn from_args(
    flags: &[String],
    file: Option<&Path>,
) -> Result<BTreeMap<String, String>, CliError> {
    let mut secrets = BTreeMap::new();
    if let Some(path) = file {
        let parsed = envfile::load(path)
            .map_err(|e| CliError::usage(format!("--secret-file: {e}")))?
            .ok_or_else(|| {
                CliError::usage(format!("--secret-file {}: no such file", path.display()))
            })?;
        secrets.extend(parsed.entries());
    }
    for flag in flags {
        let (key, value) = match flag.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => {
                let value = std::env::var(flag).map_err(|_| {
                    CliError::usage(format!(
                        "--secret {flag}: give KEY=VALUE, or set {flag} in this environment"
                    ))
                })?;
                (flag.clone(), value)
            }
        };
        if key.is_empty() {
            return Err(CliError::usage("--secret has an empty key: give KEY=VALUE"));
        }
        secrets.insert(key, value);
    }
    Ok(secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_bare_keys_read_the_environment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.env");
        std::fs::write(&path, "# creds\nA=from-file\nB='quoted value'\n").expect("write");
        let got = from_args(&["A=flag".into()], Some(&path)).expect("parse");
        assert_eq!(got.get("A").map(String::as_str), Some("flag"));
        assert_eq!(got.get("B").map(String::as_str), Some("quoted value"));
        assert!(from_args(&["EDGECODER_SURELY_UNSET_VAR".into()], None).is_err());
        assert!(from_args(&["=x".into()], None).is_err());
        assert!(from_args(&[], Some(&dir.path().join("missing"))).is_err());
    }
}
