//! `edgecoder ide`: clap definitions only (the work is in `ide_cmd`).

use super::common_args::ConfigArgs;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct IdeArgs {
    #[command(subcommand)]
    pub command: Option<IdeCommand>,
    /// Address to listen on (default 127.0.0.1, EDGECODER_IDE_HOST); anything but loopback
    /// needs a token made beforehand (`edgecoder ide token`).
    #[arg(long)]
    pub host: Option<String>,
    /// Port to listen on (default 4304, EDGECODER_IDE_PORT); 0 takes any free port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Where calls go: local-only, prefer-local or swarm (EDGECODER_IDE_ROUTE; default
    /// local-only with a model server, else swarm).
    #[arg(long, value_name = "POLICY")]
    pub route: Option<String>,
    /// Log filter: error, warn, info, debug, trace (or a tracing directive).
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
pub enum IdeCommand {
    /// Print the token editors send as their API key (made now if there is none yet).
    Token {
        /// Machine-readable output (see docs/json-output.md).
        #[arg(
            long,
            default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
            help_heading = "Output options"
        )]
        json: bool,
        /// Filter the JSON output with a jq expression (implies --json; strings print raw).
        #[arg(long, value_name = "EXPR", help_heading = "Output options")]
        jq: Option<String>,
    },
}
