//! Finding and authenticating to a coordinator: shared by `server …`, `login` and `dash`.
//!
//! URL: `--server` > `EDGECODER_URL` > `COORDINATOR_URL` (env file / config) > the local
//! `server.json` > `http://127.0.0.1:4301`. Token: `--token` > `EDGECODER_TOKEN` > the token
//! `edgecoder login` stored for that URL.

use super::common_args::ConfigArgs;
use super::common_args::check_transport;
use super::common_args::discovery;
use super::exit::{self, CliError};
use crate::api::client::{Client, ClientError};
use crate::api::url::CoordinatorUrl;
use crate::config;
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const DEFAULT_URL: &str = "http://127.0.0.1:4301";

/// Where the coordinator is and how to authenticate; flattened into every remote command.
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Global options")]
pub struct RemoteArgs {
    /// Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then
    /// http://127.0.0.1:4301).
    #[arg(long, global = true, env = "EDGECODER_URL", value_name = "URL")]
    pub server: Option<String>,
    /// API token (default: the one `edgecoder login` stored for this coordinator). Prefer
    /// EDGECODER_TOKEN or `login` over this flag: argv is visible to other users.
    #[arg(
        long,
        global = true,
        env = "EDGECODER_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Allow sending the token over plain HTTP to a host that is not this machine.
    #[arg(long, global = true)]
    pub allow_insecure: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Where a resolved value came from, for messages that tell the user what to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Login,
    None,
}

#[derive(Debug, Clone)]
pub struct Remote {
    pub url: String,
    pub client: Client,
    pub token_source: TokenSource,
}

/// Resolves the coordinator URL without touching the network.
pub fn resolve_url(args: &RemoteArgs) -> Result<String, CliError> {
    if let Some(url) = &args.server {
        return normalise_url(url);
    }
    let resolved = config::resolve(&BTreeMap::new(), &discovery(&args.config))?;
    if let Some(url) = resolved.get("coordinator_url") {
        return normalise_url(url);
    }
    let data_dir = resolved
        .get("data_dir")
        .map(PathBuf::from)
        .unwrap_or_else(config::paths::default_data_dir);
    if let Some(url) = local_server_url(&data_dir) {
        return Ok(url);
    }
    Ok(DEFAULT_URL.to_string())
}

/// The URL in `<data dir>/server.json` when the coordinator that wrote it is still that process.
fn local_server_url(data_dir: &std::path::Path) -> Option<String> {
    config::server_json::ServerJson::read_live(data_dir).map(|record| record.url)
}

fn normalise_url(url: &str) -> Result<String, CliError> {
    Ok(CoordinatorUrl::parse(url)
        .map_err(CliError::usage)?
        .as_str()
        .to_string())
}

/// A client for the resolved coordinator with the resolved token (checked for transport safety).
pub fn connect(args: &RemoteArgs) -> Result<Remote, CliError> {
    let url = resolve_url(args)?;
    let (token, token_source) = match &args.token {
        Some(t) if !t.trim().is_empty() => (Some(t.trim().to_string()), TokenSource::Flag),
        _ => match logins::load(&url)? {
            Some(t) => (Some(t), TokenSource::Login),
            None => (None, TokenSource::None),
        },
    };
    if token.is_some() {
        check_transport(&url, args.allow_insecure)?;
    }
    let client = Client::new(&url, token)
        .map_err(|e| client_error(&url, e))?
        .with_allow_insecure(args.allow_insecure);
    Ok(Remote {
        url,
        client,
        token_source,
    })
}

impl Remote {
    /// Turns a client error into the user's one-line message and exit code.
    pub fn error(&self, e: ClientError) -> CliError {
        let mut err = client_error(&self.url, e);
        if err.code == exit::UNAUTHORISED {
            err.message.push_str(match self.token_source {
                TokenSource::None => {
                    ": no token was given: run `edgecoder login` or set EDGECODER_TOKEN"
                }
                TokenSource::Login => {
                    ": the token stored by `edgecoder login` was refused: log in again"
                }
                TokenSource::Flag => "",
            });
        }
        err
    }
}

/// The exit code and message for a client error, by what went wrong.
pub fn client_error(url: &str, e: ClientError) -> CliError {
    match e {
        ClientError::Unreachable { reason, .. } => CliError::new(
            exit::UNREACHABLE,
            format!(
                "coordinator at {url} not reachable ({reason}): is `edgecoder serve` running? \
                 try `edgecoder server status --server URL`"
            ),
        ),
        ClientError::Api {
            status,
            code,
            message,
        } => {
            let exit_code = match status {
                401 | 403 => exit::UNAUTHORISED,
                404 => exit::NOT_FOUND,
                // 402: not enough credits, a conflict with the account's state.
                402 | 409 => exit::CONFLICT,
                400 | 413 | 415 | 422 => exit::USAGE,
                _ => exit::ERROR,
            };
            CliError::new(exit_code, format!("{message} ({code})"))
        }
        e @ ClientError::Garbage { .. } => CliError::new(exit::ERROR, e.to_string()),
        ClientError::Refused { reason, .. } => CliError::new(exit::USAGE, reason),
    }
}

/// Tokens stored by `edgecoder login`, one per coordinator URL, in a 0600 JSON file in the user's
/// config dir. No OS keyring is used (see docs/decisions.md); `login` says where the token went.
pub mod logins {
    use super::CliError;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    pub fn path() -> PathBuf {
        if let Some(p) = std::env::var_os("EDGECODER_LOGIN_FILE") {
            return PathBuf::from(p);
        }
        crate::config::paths::user_config_dir().join("logins.json")
    }

    fn read() -> Result<BTreeMap<String, String>, CliError> {
        let path = path();
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                CliError::error(format!(
                    "{} is not a valid login file ({e}): run `edgecoder logout --all` to \
                     remove it, then `edgecoder login` again",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(CliError::error(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    fn write(map: &BTreeMap<String, String>) -> Result<PathBuf, CliError> {
        let path = path();
        let text = serde_json::to_string_pretty(map)
            .map_err(|e| CliError::error(format!("cannot encode logins: {e}")))?;
        crate::config::secret_file::save(&path, &text)
            .map_err(|e| CliError::error(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    }

    pub fn load(url: &str) -> Result<Option<String>, CliError> {
        // A broken login file must not stop a command that was given a token some other way, and
        // one without a token will say what to do when the coordinator refuses it.
        Ok(read().ok().and_then(|mut m| m.remove(url)))
    }

    pub fn store(url: &str, token: &str) -> Result<PathBuf, CliError> {
        let mut map = read().unwrap_or_default();
        map.insert(url.to_string(), token.to_string());
        write(&map)
    }

    /// Removes the token for `url` (or every token); Ok(false) when there was none.
    pub fn remove(url: Option<&str>) -> Result<bool, CliError> {
        let path = path();
        match url {
            None => match std::fs::remove_file(&path) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(CliError::error(format!(
                    "cannot remove {}: {e}",
                    path.display()
                ))),
            },
            Some(url) => {
                let mut map = read().unwrap_or_default();
                let had = map.remove(url).is_some();
                if had {
                    write(&map)?;
                }
                Ok(had)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_trimmed() {
        assert_eq!(
            normalise_url("http://127.0.0.1:4301/").unwrap(),
            "http://127.0.0.1:4301"
        );
        assert!(normalise_url("127.0.0.1:4301").is_err());
        assert!(normalise_url("ftp://x").is_err());
        assert_eq!(normalise_url("HTTP://H:1/").unwrap(), "http://h:1");
    }

    #[test]
    fn client_errors_map_to_exit_codes() {
        let api = |status| ClientError::Api {
            status,
            code: "x".into(),
            message: "m".into(),
        };
        assert_eq!(client_error("u", api(401)).code, exit::UNAUTHORISED);
        assert_eq!(client_error("u", api(404)).code, exit::NOT_FOUND);
        assert_eq!(client_error("u", api(409)).code, exit::CONFLICT);
        assert_eq!(client_error("u", api(500)).code, exit::ERROR);
        let down = ClientError::Unreachable {
            url: "u".into(),
            reason: "refused".into(),
        };
        let err = client_error("http://h:1", down);
        assert_eq!(err.code, exit::UNREACHABLE);
        assert!(err.message.contains("edgecoder serve"), "{}", err.message);
    }
}
