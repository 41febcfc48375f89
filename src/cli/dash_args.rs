//! Clap definition of `edgecoder dash`; the work is in `cli/dash.rs` and `tui/`.

use super::remote::RemoteArgs;
use clap::Args;

#[derive(Debug, Args)]
pub struct DashArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Look, don't touch: hide every action (approve, drain, cancel).
    #[arg(long)]
    pub read_only: bool,
}
