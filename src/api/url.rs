//! The coordinator URL: parsed once, by one parser, for every command (enroll, agent, server …,
//! login, dash) and the client, so that "is this plain HTTP to another machine?" has one answer.

use reqwest::Url;
use std::net::IpAddr;

/// A coordinator's base URL: `http` or `https` (any case), a host, an optional port and path; no
/// user info, query or fragment. Kept without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinatorUrl {
    url: Url,
    base: String,
}

/// The one check of an HTTP service's base URL (a coordinator's, a model server's): `http` or
/// `https` (any case), a host, an optional port and path; no user info, query or fragment.
/// Returns the URL and its text without a trailing slash, or why it is not one.
pub fn parse_http_base(text: &str) -> Result<(Url, String), String> {
    // The URL standard lower-cases the scheme and host, so `HTTP://Host` is plain HTTP.
    let url = Url::parse(text.trim()).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("the scheme must be http or https".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials do not belong in the URL".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("no query or fragment".into());
    }
    let base = url.as_str().trim_end_matches('/').to_string();
    Ok((url, base))
}

impl CoordinatorUrl {
    pub fn parse(text: &str) -> Result<CoordinatorUrl, String> {
        let text = text.trim();
        let (url, base) = parse_http_base(text).map_err(|why| {
            format!(
                "{text:?} is not a coordinator URL ({why}): give one like http://127.0.0.1:4301 \
                 or https://coord.example.com"
            )
        })?;
        Ok(CoordinatorUrl { url, base })
    }

    /// The normalised text (lower-case scheme and host, no trailing slash).
    pub fn as_str(&self) -> &str {
        &self.base
    }

    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    pub fn is_plain_http(&self) -> bool {
        self.url.scheme() == "http"
    }

    /// Whether the host is this machine: `localhost`, a loopback address, or the unspecified
    /// address (connecting to 0.0.0.0 reaches this machine).
    pub fn is_this_machine(&self) -> bool {
        let host = self.host();
        let host = host.trim_start_matches('[').trim_end_matches(']');
        match host.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip.is_unspecified(),
            // The host is lower-cased by the parser.
            Err(_) => host == "localhost",
        }
    }

    /// Refuses sending a secret (a token, a node secret, the mesh token) over plain HTTP to
    /// another machine unless the user allowed it.
    pub fn check_secret_transport(&self, allow_insecure: bool) -> Result<(), String> {
        if !self.is_plain_http() || self.is_this_machine() || allow_insecure {
            return Ok(());
        }
        Err(format!(
            "refusing to send a secret over plain HTTP to {}: use https://, or allow it \
             (--allow-insecure, or EDGECODER_ALLOW_INSECURE=true) if this network is trusted",
            self.host()
        ))
    }
}

impl std::fmt::Display for CoordinatorUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::CoordinatorUrl;

    fn check(url: &str, allow: bool) -> Result<(), String> {
        CoordinatorUrl::parse(url)?.check_secret_transport(allow)
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        assert!(check("http://127.0.0.1:4301", false).is_ok());
        assert!(check("http://localhost:4301/", false).is_ok());
        assert!(check("http://[::1]:4301", false).is_ok());
        assert!(check("http://0.0.0.0:4301", false).is_ok());
        assert!(check("https://coord.example.com", false).is_ok());
        assert!(check("http://coord.example.com:4301", false).is_err());
        assert!(check("http://10.0.0.5:4301", true).is_ok());
    }

    #[test]
    fn the_scheme_is_compared_without_case() {
        assert!(check("HTTP://coord.example.com:4301", false).is_err());
        assert!(check("Http://10.0.0.5", false).is_err());
        assert!(check("HTTPS://coord.example.com", false).is_ok());
        let url = CoordinatorUrl::parse("HTTP://Coord.Example.com:4301/").expect("parse");
        assert_eq!(url.as_str(), "http://coord.example.com:4301");
        // A host that only looks local is not.
        assert!(check("http://localhost.evil.example.com", false).is_err());
    }

    #[test]
    fn bad_urls_are_refused() {
        for bad in [
            "127.0.0.1:4301",
            "ftp://x",
            "http://",
            "http://user:pw@h",
            "http://h/?q=1",
            "",
        ] {
            assert!(CoordinatorUrl::parse(bad).is_err(), "{bad} parsed");
        }
        assert_eq!(
            CoordinatorUrl::parse(" http://127.0.0.1:4301/ ")
                .expect("parse")
                .as_str(),
            "http://127.0.0.1:4301"
        );
    }
}
