//! `edgecoder server …`: a typed HTTP client of a running coordinator, one module per area.

mod status;
mod update;

use super::exit::CliError;
use super::remote::{self, Remote};
use super::server_args::{ServerArgs, ServerCommand};

/// What every `server` command gets: the connection, the output mode, and a runtime.
pub struct Ctx {
    pub remote: Remote,
    pub json: bool,
    pub colour: bool,
    pub rt: tokio::runtime::Runtime,
}

impl Ctx {
    /// Runs one request to completion, mapping its error to the user's message and exit code.
    pub fn call<T>(
        &self,
        fut: impl std::future::Future<Output = Result<T, crate::api::client::ClientError>>,
    ) -> Result<T, CliError> {
        self.rt.block_on(fut).map_err(|e| self.remote.error(e))
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
        ServerCommand::Update(cmd) => update::run(&ctx, cmd),
        _ => Err(CliError::error("not built yet")),
    }
}
