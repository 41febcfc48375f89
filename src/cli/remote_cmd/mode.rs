//! `server mode [show | set MODE]`: the network mode in force, and changing it at run time.

use super::Ctx;
use crate::api::NetworkModeInfo;
use crate::cli::control_args::{ModeArgs, ModeCommand};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{age, print_json};

pub fn run(ctx: &Ctx, args: ModeArgs) -> Result<u8, CliError> {
    let info = match args.command.unwrap_or(ModeCommand::Show) {
        ModeCommand::Show => ctx.call(ctx.remote.client.network_mode())?,
        ModeCommand::Set { mode } => ctx.call(ctx.remote.client.set_network_mode(&mode))?,
    };
    if ctx.json {
        print_json(&info)?;
    } else {
        print_info(&info);
    }
    Ok(OK)
}

fn print_info(info: &NetworkModeInfo) {
    println!("network mode  {}", info.mode.as_str());
    println!("              {}", info.mode.describe());
    match (&info.set_by, info.set_at) {
        (Some(by), Some(at)) => println!(
            "set by        {} ({by}), {} ago; the NETWORK_MODE setting is {}",
            info.set_by_name.as_deref().unwrap_or("?"),
            age(at, crate::api::now_ms()),
            info.configured.as_str()
        ),
        _ => println!("set by        the NETWORK_MODE setting"),
    }
}
