//! Finding and authenticating to a coordinator: shared by `server …`, `login` and `dash`.
//!
//! URL: `--server` > `EDGECODER_URL` > `COORDINATOR_URL` (env file / config) > the local
//! `server.json` > `http://127.0.0.1:4301`. Token: `--token` > `EDGECODER_TOKEN` > the token
//! `edgecoder login` stored for that URL (in the OS keyring, else the login file: `cli::logins`).

use super::common_args::ConfigArgs;
use super::common_args::check_transport;
use super::common_args::discovery;
use super::exit::{self, CliError};
pub use super::logins;
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
    /// `--token`.
    Flag,
    /// `EDGECODER_TOKEN`.
    Env,
    /// Stored by `edgecoder login` in the OS keyring.
    Keyring,
    /// Stored by `edgecoder login` in the login file.
    File,
    None,
}

impl TokenSource {
    /// `flag`, `env`, `keyring`, `file` or `none`: the value `--json` outputs carry.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenSource::Flag => "flag",
            TokenSource::Env => "env",
            TokenSource::Keyring => "keyring",
            TokenSource::File => "file",
            TokenSource::None => "none",
        }
    }

    /// Whether the token came from `edgecoder login`'s store.
    pub fn is_login(self) -> bool {
        matches!(self, TokenSource::Keyring | TokenSource::File)
    }
}

#[derive(Debug, Clone)]
pub struct Remote {
    pub url: String,
    pub client: Client,
    pub token_source: TokenSource,
    /// Why the token `login` stored could not be read (its keyring did not answer), if so.
    pub stored_token_problem: Option<String>,
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
    let mut stored_token_problem = None;
    let (token, token_source) = match &args.token {
        Some(t) if !t.trim().is_empty() => (Some(t.trim().to_string()), given_source(t)),
        _ => match logins::load(&url) {
            logins::Lookup::Found(stored) => {
                let source = match stored.place {
                    crate::secret_store::Place::Keyring => TokenSource::Keyring,
                    crate::secret_store::Place::File(_) => TokenSource::File,
                };
                (Some(stored.token), source)
            }
            logins::Lookup::Missing => (None, TokenSource::None),
            logins::Lookup::KeyringUnavailable(why) => {
                stored_token_problem = Some(format!(
                    "the token `edgecoder login` stored for {url} is in the OS keyring, which \
                     did not answer ({why}): unlock the keyring, or log in again (without a \
                     keyring the token goes to a 0600 file)"
                ));
                (None, TokenSource::None)
            }
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
        stored_token_problem,
    })
}

/// Whether a given token came from `--token` or from `EDGECODER_TOKEN` (clap merges the two; a
/// flag equal to the variable reads as the variable, which is where it is kept).
fn given_source(token: &str) -> TokenSource {
    match std::env::var("EDGECODER_TOKEN") {
        Ok(env) if env == token => TokenSource::Env,
        _ => TokenSource::Flag,
    }
}

impl Remote {
    /// Turns a client error into the user's one-line message and exit code.
    pub fn error(&self, e: ClientError) -> CliError {
        let mut err = client_error(&self.url, e);
        if err.code == exit::UNAUTHORISED {
            if let Some(problem) = &self.stored_token_problem {
                err.message.push_str(": ");
                err.message.push_str(problem);
                return err;
            }
            err.message.push_str(match self.token_source {
                TokenSource::None => {
                    ": no token was given: run `edgecoder login` or set EDGECODER_TOKEN"
                }
                TokenSource::Keyring | TokenSource::File => {
                    ": the token stored by `edgecoder login` was refused: log in again"
                }
                TokenSource::Flag | TokenSource::Env => "",
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
