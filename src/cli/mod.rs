//! The command line: parse, dispatch to one module per command family, map errors to exit codes.

pub mod agent_args;
mod agent_cmd;
mod agent_pause;
pub mod args;
pub mod auth_args;
mod auth_cmd;
pub mod code_args;
pub mod code_cmd;
pub mod common_args;
mod config_cmd;
pub mod control_args;
pub mod credits_args;
mod dash;
pub mod dash_args;
mod database;
pub mod db_args;
mod db_cmd;
mod enroll;
mod env_cmd;
pub mod examples;
pub mod exit;
mod gc;
mod generate;
#[cfg(test)]
mod help_check;
pub mod ide_args;
mod ide_cmd;
pub mod jobs_args;
mod ledger_offline;
pub mod local_args;
mod logging;
mod login;
pub mod logins;
mod logs;
pub mod output;
pub mod parse;
pub mod remote;
mod remote_cmd;
mod serve;
mod serve_inference;
pub mod server_args;
mod service;
pub mod service_args;
mod service_user;
mod signals;
mod status;
mod task_cmd;

use args::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
pub use exit::CliError;

/// Runs the command line; returns the process exit code.
pub fn main() -> u8 {
    // The task reaper a worker starts (see `agent::sandbox::reaper`): not a user command.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .get(1)
        .is_some_and(|a| a == crate::agent::sandbox::reaper::REAPER_ARG)
    {
        return crate::agent::sandbox::reaper::main(&args[2..]);
    }
    // The version is set at run time so `--version` agrees with /health (see crate::version).
    let matches = Cli::command()
        .version(crate::version::current())
        .get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Some(expr) = output::jq::given(&matches)
        && let Err(e) = output::jq::set(&expr)
    {
        eprintln!("error: {}", e.message);
        return e.code;
    }
    if matches!(cli.command, Command::Serve(_) | Command::Agent(_))
        || matches!(&cli.command, Command::Ide(ide) if ide.command.is_none())
    {
        // Still one thread here, as `harden_daemon` needs.
        crate::hardening::harden_daemon();
    }
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Agent(args) => agent_cmd::run(args),
        Command::Enroll(args) => enroll::run(args),
        Command::Status(args) => status::run(args),
        Command::Env(args) => env_cmd::run(args),
        Command::Logs(args) => logs::run(args),
        Command::Config(cmd) => config_cmd::run(cmd),
        Command::Server(args) => remote_cmd::run(args),
        Command::Login(args) => login::login(args),
        Command::Logout(args) => login::logout(args),
        Command::Completions(args) => generate::completions(args),
        Command::Man(args) => generate::man(args),
        Command::Task(args) => task_cmd::run(args),
        Command::Code(args) => code_cmd::run(args),
        Command::Gc(args) => gc::run(args),
        Command::Dash(args) => dash::run(args),
        Command::Ledger(args) => ledger_offline::run(args),
        Command::Service(args) => service::run(args),
        Command::UpdateGuard(args) => Ok(crate::server::self_update::guard::run(args.into())),
        Command::Auth(args) => auth_cmd::run(args),
        Command::Ide(args) => ide_cmd::run(args),
        Command::Db(args) => db_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", e.message);
            e.code
        }
    }
}

/// A multi-threaded tokio runtime for commands that need one.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::error(format!("cannot start the async runtime: {e}")))
}
