//! Argument types that several command families share, and what they resolve to: where the
//! configuration is looked for, and whether a secret may travel to a coordinator URL. Kept apart
//! from `args` (the clap tree) so the per-family argument modules and the commands depend on this
//! one module instead of on each other.

use super::exit::CliError;
use crate::api::url::CoordinatorUrl;
use crate::config::Discovery;
use clap::Args;
use std::path::PathBuf;

/// Where configuration is looked for; shared by every command that reads it.
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Global options")]
pub struct ConfigArgs {
    /// Config file (default: ./edgecoder.toml, then the user and system config dirs).
    #[arg(long, global = true, env = "EDGECODER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir).
    #[arg(long, global = true, env = "EDGECODER_ENV_FILE", value_name = "FILE")]
    pub env_file: Option<PathBuf>,
}

/// The configuration files `args` points at, for `config::resolve`.
pub fn discovery(args: &ConfigArgs) -> Discovery {
    Discovery {
        config_file: args.config.clone(),
        env_file: args.env_file.clone(),
    }
}

/// Refuses to send a secret over plain HTTP to another machine unless told to (one check for every
/// command: [`CoordinatorUrl::check_secret_transport`]).
pub fn check_transport(url: &str, allow_insecure: bool) -> Result<(), CliError> {
    CoordinatorUrl::parse(url)
        .and_then(|u| u.check_secret_transport(allow_insecure))
        .map_err(CliError::usage)
}

#[cfg(test)]
mod tests {
    use super::check_transport;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(check_transport("HTTP://coord.example.com:4301", false).is_err());
        assert!(check_transport("http://127.0.0.1:4301", false).is_ok());
        assert!(check_transport("http://localhost:4301/", false).is_ok());
        assert!(check_transport("http://[::1]:4301", false).is_ok());
        assert!(check_transport("https://coord.example.com", false).is_ok());
        assert!(check_transport("http://coord.example.com:4301", false).is_err());
        assert!(check_transport("http://10.0.0.5:4301", true).is_ok());
    }
}
