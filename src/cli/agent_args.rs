//! Clap definitions of `edgecoder agent pause|resume` (the work is in `cli::agent_pause`).

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Stop this machine's agent taking new work, now and across its restarts, until `resume`
    /// or `--for` runs out (running tasks follow the host policy).
    Pause(PauseArgs),
    /// Lift the owner's pause.
    Resume,
}

#[derive(Debug, Args)]
pub struct PauseArgs {
    /// Resume by itself after this long, e.g. 2h (default: until `edgecoder agent resume`).
    #[arg(long = "for", value_name = "DURATION")]
    pub duration: Option<String>,
}
