//! Clap definitions of `edgecoder auth …`; the work is in `cli/auth_cmd.rs`.

use super::remote::RemoteArgs;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct AuthArgs {
    #[command(subcommand)]
    pub command: AuthCommand,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Which coordinator, which identity and role, and where the token comes from (exit 3 when
    /// not logged in).
    #[command(visible_alias = "whoami")]
    Status(AuthStatusArgs),
}

#[derive(Debug, Args)]
pub struct AuthStatusArgs {
    /// Machine-readable output (shape in docs/json-output.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
}
