//! `edgecoder server …`: a typed HTTP client of a running coordinator, one module per area.
//! Named `remote_cmd` so that `server` alone always means the coordinator (`crate::server`);
//! the connection plumbing the commands share is `cli::remote`.

mod artifacts;
mod audit;
mod blacklist;
mod code;
mod credits;
mod events;
mod jobs;
mod ledger;
mod ledger_window;
mod mode;
mod nodes;
mod queue;
mod secrets;
mod self_update;
mod status;
mod submit;
mod task_logs;
mod tasks;
mod tokens;
mod wait;

use super::exit::CliError;
use super::remote::{self, Remote};
use super::server_args::{ServerArgs, ServerCommand};
use crate::api::backoff::Backoff;
use crate::api::client::ClientError;
pub use ledger::print_verdict;
use std::future::Future;
use std::time::Duration;

/// What every `server` command gets: the connection, the output mode, and a runtime.
pub struct Ctx {
    pub remote: Remote,
    pub json: bool,
    pub colour: bool,
    pub rt: tokio::runtime::Runtime,
}

/// Tries of an idempotent request while the coordinator cannot be reached, and the first pause.
const RETRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

impl Ctx {
    /// Runs one request to completion, mapping its error to the user's message and exit code.
    /// For calls that must not be repeated (submit without an idempotency key, cancel, approve).
    pub fn call<T>(
        &self,
        fut: impl Future<Output = Result<T, ClientError>>,
    ) -> Result<T, CliError> {
        self.rt.block_on(fut).map_err(|e| self.remote.error(e))
    }

    /// Runs an idempotent request, retrying with backoff while the coordinator is unreachable.
    pub fn get<T, F, Fut>(&self, request: F) -> Result<T, CliError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        self.rt
            .block_on(retry(request, RETRIES))
            .map_err(|e| self.remote.error(e))
    }
}

/// Retries `request` while it fails as unreachable, with the one backoff (from 250 ms).
pub async fn retry<T, F, Fut>(request: F, tries: u32) -> Result<T, ClientError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let mut backoff = Backoff::new(FIRST_BACKOFF, Backoff::CAP);
    let mut left = tries.max(1);
    loop {
        match request().await {
            Err(ClientError::Unreachable { .. }) if left > 1 => {
                left -= 1;
                backoff.sleep().await;
            }
            other => return other,
        }
    }
}

pub fn run(args: ServerArgs) -> Result<u8, CliError> {
    let ctx = Ctx {
        remote: remote::connect(&args.remote)?,
        json: args.json,
        colour: super::output::colour_enabled(),
        rt: super::runtime()?,
    };
    match args.command {
        ServerCommand::Status => status::run(&ctx),
        ServerCommand::Nodes(cmd) => nodes::run(&ctx, cmd),
        ServerCommand::Tasks(cmd) => tasks::run(&ctx, cmd),
        ServerCommand::Queue => queue::run(&ctx),
        ServerCommand::Tokens(cmd) => tokens::run(&ctx, cmd),
        ServerCommand::Events(args) => events::run(&ctx, args),
        ServerCommand::Blacklist(command) => blacklist::run(&ctx, command),
        ServerCommand::Audit(args) => audit::run(&ctx, args),
        ServerCommand::Mode(args) => mode::run(&ctx, args),
        ServerCommand::Credits(cmd) => credits::run(&ctx, cmd),
        ServerCommand::Ledger(cmd) => ledger::run(&ctx, cmd),
        ServerCommand::Update(cmd) => self_update::run(&ctx, cmd),
        ServerCommand::Code(args) => code::run(&ctx, *args),
        ServerCommand::Jobs(cmd) => jobs::run(&ctx, cmd),
    }
}
