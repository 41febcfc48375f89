//! The IDE provider's settings (`EDGECODER_IDE_*`), resolved once at start.

use super::router::RoutePolicy;
use crate::config::{ConfigError, Resolved};
use crate::models::ModelSettings;
use std::path::PathBuf;

/// A 10 MB prompt is more than any local model's context holds: the default limit refuses it at
/// once with a 413 instead of sending it to a model server to fail there (docs/decisions.md).
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 << 20;

#[derive(Debug, Clone)]
pub struct IdeSettings {
    pub host: String,
    pub port: u16,
    /// `None`: the default for this machine (`RoutePolicy::default_for`).
    pub policy: Option<RoutePolicy>,
    pub local_concurrency: usize,
    pub max_body_bytes: usize,
    pub token_file: Option<PathBuf>,
    pub models: ModelSettings,
}

impl IdeSettings {
    /// From the resolved settings; `host`/`port` given on the command line win.
    pub fn from_resolved(
        r: &Resolved,
        host: Option<String>,
        port: Option<u16>,
    ) -> Result<IdeSettings, ConfigError> {
        let policy = match r.get("ide_route").map(str::trim).filter(|v| !v.is_empty()) {
            None => None,
            Some(text) => Some(RoutePolicy::parse(text).ok_or_else(|| {
                r.invalid(
                    "ide_route",
                    format!("{text:?} is not a route policy: use {}", RoutePolicy::NAMES),
                )
            })?),
        };
        let concurrency: usize = r.number("ide_local_concurrency")?.unwrap_or(2);
        if concurrency == 0 {
            return Err(r.invalid("ide_local_concurrency", "must be 1 or more".into()));
        }
        Ok(IdeSettings {
            host: host.unwrap_or_else(|| r.get("ide_host").unwrap_or("127.0.0.1").to_string()),
            port: match port {
                Some(p) => p,
                None => r.number("ide_port")?.unwrap_or(super::DEFAULT_PORT),
            },
            policy,
            local_concurrency: concurrency,
            max_body_bytes: r
                .number("ide_max_body_bytes")?
                .unwrap_or(DEFAULT_MAX_BODY_BYTES)
                .max(1024),
            token_file: r
                .get("ide_token_file")
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            models: ModelSettings::from_resolved(r)?,
        })
    }
}

/// Whether `host` is this machine only (an IP that is loopback, or `localhost`).
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim().trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_this_machine_is_loopback() {
        for h in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["0.0.0.0", "::", "192.168.1.2", "example.com", ""] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
