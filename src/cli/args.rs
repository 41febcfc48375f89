//! The command line, as clap definitions only; the work lives in one module per command family.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "edgecoder",
    version,
    about = "Run coding and compute work on a swarm of machines people own or volunteer",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM.
    Serve(ServeArgs),
    /// Inspect the resolved configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Coordinator plus a local worker in the same process.
    AllInOne,
    /// Coordinator only.
    Coordinator,
    /// Worker only (same as `edgecoder agent`).
    Worker,
    ControlPlane,
    Inference,
    IdeProvider,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::AllInOne => "all-in-one",
            Mode::Coordinator => "coordinator",
            Mode::Worker => "worker",
            Mode::ControlPlane => "control-plane",
            Mode::Inference => "inference",
            Mode::IdeProvider => "ide-provider",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        <Mode as ValueEnum>::value_variants()
            .iter()
            .copied()
            .find(|m| m.as_str() == s)
    }
}

/// Where configuration is looked for; shared by every command that reads it.
#[derive(Debug, Clone, Args, Default)]
pub struct ConfigArgs {
    /// Config file (default: ./edgecoder.toml, then the user and system config dirs).
    #[arg(long, global = true, env = "EDGECODER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir).
    #[arg(long, global = true, env = "EDGECODER_ENV_FILE", value_name = "FILE")]
    pub env_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long)]
    pub host: Option<String>,
    /// Port to listen on; given explicitly it is tried once, else up to 100 ports from 4301.
    #[arg(long)]
    pub port: Option<u16>,
    /// Where the database, server.json and task working dirs live.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// Do not start the local worker in all-in-one mode.
    #[arg(long)]
    pub no_local_worker: bool,
    /// Log filter: error, warn, info, debug, trace (or a tracing directive).
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print every setting, its value, and where the value came from.
    Show {
        /// Machine-readable output (see docs/json-output.md).
        #[arg(long)]
        json: bool,
        /// Print secrets instead of masking them.
        #[arg(long)]
        show_secrets: bool,
        #[command(flatten)]
        config: ConfigArgs,
    },
}
