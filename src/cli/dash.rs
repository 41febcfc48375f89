//! `edgecoder dash`: resolves the coordinator and token like `edgecoder server`, then hands the
//! terminal to the dashboard in `tui/`.

use super::dash_args::DashArgs;
use super::exit::{CliError, OK};
use super::remote;
use crate::tui;
use std::io::IsTerminal;

pub fn run(args: DashArgs) -> Result<u8, CliError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::usage(
            "edgecoder dash needs a terminal (stdin and stdout): for scripts use \
             `edgecoder server status --json` or `edgecoder server events`",
        ));
    }
    let remote = remote::connect(&args.remote)?;
    let rt = super::runtime()?;
    let opts = tui::Options {
        url: remote.url.clone(),
        client: remote.client.clone(),
        read_only: args.read_only,
        colour: super::output::colour_enabled(),
    };
    tui::run(opts, &rt).map_err(|e| CliError::error(format!("the dashboard stopped: {e}")))?;
    // The network tasks are waiting on sockets and timers; do not wait for them.
    rt.shutdown_background();
    Ok(OK)
}
