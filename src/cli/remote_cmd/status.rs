//! `server status`.

use super::Ctx;
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{print_json, short_duration};

pub fn run(ctx: &Ctx) -> Result<u8, CliError> {
    let status = ctx.get(|| ctx.remote.client.status())?;
    if ctx.json {
        print_json(&status)?;
        return Ok(OK);
    }
    let q = &status.queue;
    let count = |s: &str| q.counts.get(s).copied().unwrap_or(0);
    println!("coordinator  {}", ctx.remote.url);
    println!("version      {}", status.version);
    println!("mode         {}", status.mode);
    println!("uptime       {}", short_duration(status.uptime_secs));
    println!(
        "tasks        {} queued, {} running, {} succeeded, {} failed",
        count("queued"),
        count("running") + count("leased"),
        count("succeeded"),
        count("failed") + count("timed_out"),
    );
    println!(
        "nodes        {} online, {} pending approval",
        q.nodes_online, q.nodes_pending
    );
    Ok(OK)
}
