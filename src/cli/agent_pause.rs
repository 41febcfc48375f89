//! `edgecoder agent pause [--for D]` and `agent resume`: the owner's override, sent to the
//! running agent through its control socket (see `agent::control_socket`), or written to the
//! pause file directly when no agent runs.

use super::agent_args::AgentCommand;
use super::common_args::{ConfigArgs, discovery};
use super::exit::{CliError, OK};
use crate::agent::control_socket::{self, Reply, Request, Sent};
use crate::agent::host::owner_pause;
use crate::config;
use std::collections::BTreeMap;
use std::os::unix::fs::DirBuilderExt;

pub fn run(cmd: AgentCommand, config_args: &ConfigArgs) -> Result<u8, CliError> {
    let now = crate::api::now_ms();
    let req = match cmd {
        AgentCommand::Pause(args) => {
            let until_ms = match args.duration.as_deref() {
                None => None,
                Some(text) => {
                    let d = super::parse::duration("--for", text)?;
                    if d.is_zero() {
                        return Err(CliError::usage(
                            "--for 0s would end the pause at once: give a longer duration, or \
                             use `edgecoder agent resume`",
                        ));
                    }
                    let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
                    Some(now.saturating_add(ms))
                }
            };
            Request::Pause { until_ms }
        }
        AgentCommand::Resume => Request::Resume,
    };
    let resolved = config::resolve(&BTreeMap::new(), &discovery(config_args))?;
    let state_dir = control_socket::state_dir_for(&resolved.env_file);
    let rt = super::runtime()?;
    match rt.block_on(control_socket::send(&state_dir, &req)) {
        Ok(Sent::Answered(Reply { ok: true, message })) => {
            println!("agent {message}");
            Ok(OK)
        }
        Ok(Sent::Answered(Reply { ok: false, message })) => {
            Err(CliError::error(format!("the agent refused: {message}")))
        }
        Ok(Sent::NoAgent) => {
            if matches!(req, Request::Pause { .. }) {
                // Not enrolled yet: the dir the credential will go in, private as enroll makes it.
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(&state_dir)
                    .map_err(|e| {
                        CliError::error(format!("cannot make {}: {e}", state_dir.display()))
                    })?;
            }
            let message = control_socket::apply(&state_dir, &req, now).map_err(CliError::error)?;
            let file = owner_pause::path_in(&state_dir);
            match req {
                Request::Pause { .. } => println!(
                    "no agent is running here: {message} (recorded in {}); the agent honours \
                     it when it starts",
                    file.display()
                ),
                Request::Resume => println!("no agent is running here: {message}"),
            }
            Ok(OK)
        }
        Err(e) => Err(CliError::error(e)),
    }
}
