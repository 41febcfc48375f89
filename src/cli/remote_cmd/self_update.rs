//! `server update status | start`: the coordinator's self-update.

use super::Ctx;
use crate::api::{UpdateInfo, UpdateStartRequest, UpdateState, UpdateStatus};
use crate::cli::exit::{CliError, ERROR, OK};
use crate::cli::output::{Table, Tone, age, paint, print_json};
use crate::cli::server_args::{UpdateCommand, UpdateStartArgs};
use std::time::{Duration, Instant};

pub fn run(ctx: &Ctx, cmd: UpdateCommand) -> Result<u8, CliError> {
    match cmd {
        UpdateCommand::Status => status(ctx),
        UpdateCommand::Start(args) => start(ctx, args),
    }
}

fn status(ctx: &Ctx) -> Result<u8, CliError> {
    let status = ctx.call(ctx.remote.client.update_status())?;
    if ctx.json {
        print_json(&status)?;
        return Ok(OK);
    }
    print!("{}", describe(&status, ctx.colour));
    Ok(OK)
}

fn describe(status: &UpdateStatus, colour: bool) -> String {
    let now = crate::api::now_ms();
    let mut out = format!("version        {}\n", status.version);
    match &status.current {
        Some(u) => {
            out.push_str(&format!(
                "update         {} {} → {} ({})\n",
                u.id,
                u.from_version,
                u.to_version,
                paint(u.state.as_str(), tone(u.state), colour)
            ));
            if u.state == UpdateState::Deferred {
                out.push_str(&format!(
                    "draining       {} task(s) running on the local worker; deadline in {}\n",
                    status.local_running,
                    age(now, u.drain_deadline)
                ));
            }
            if let Some(m) = &u.message {
                out.push_str(&format!("               {m}\n"));
            }
        }
        None => out.push_str("update         none in progress\n"),
    }
    if status.history.is_empty() {
        return out;
    }
    let mut table = Table::new(&["ID", "STATE", "FROM", "TO", "STARTED", "MESSAGE"]);
    for u in &status.history {
        table.row(vec![
            (u.id.clone(), Tone::Plain),
            (u.state.as_str().to_string(), tone(u.state)),
            (u.from_version.clone(), Tone::Plain),
            (u.to_version.clone(), Tone::Plain),
            (format!("{} ago", age(u.started_at, now)), Tone::Dim),
            (u.message.clone().unwrap_or_default(), Tone::Plain),
        ]);
    }
    out.push('\n');
    out.push_str(&table.render(colour));
    out
}

fn tone(state: UpdateState) -> Tone {
    match state {
        UpdateState::Succeeded => Tone::Good,
        UpdateState::Failed | UpdateState::RolledBack => Tone::Bad,
        UpdateState::Deferred | UpdateState::Restarting => Tone::Warn,
    }
}

fn start(ctx: &Ctx, args: UpdateStartArgs) -> Result<u8, CliError> {
    let drain_timeout_secs = args
        .drain_timeout
        .as_deref()
        .map(|d| {
            humantime::parse_duration(d)
                .map(|d| d.as_secs().max(1))
                .map_err(|e| CliError::usage(format!("--drain-timeout {d:?}: {e} (e.g. 90s, 10m)")))
        })
        .transpose()?;
    // The coordinator reads the path on its own machine; a relative one is taken from here,
    // which is right when (as is usual) both run on the same machine.
    let binary = if args.binary.is_absolute() {
        args.binary
    } else {
        std::env::current_dir()
            .map_err(|e| CliError::error(format!("cannot read the current directory: {e}")))?
            .join(args.binary)
    };
    let req = UpdateStartRequest {
        binary: binary.display().to_string(),
        sha256: args.sha256,
        drain_timeout_secs,
    };
    let info = ctx.call(ctx.remote.client.update_start(&req))?;
    if !args.wait {
        if ctx.json {
            print_json(&info)?;
        } else {
            println!(
                "update {} accepted: {} → {}; draining the local worker, then restarting \
                 (follow with `edgecoder server update status`)",
                info.id, info.from_version, info.to_version
            );
        }
        return Ok(OK);
    }
    if !ctx.json {
        println!(
            "update {} accepted: {} → {}; waiting for it to end",
            info.id, info.from_version, info.to_version
        );
    }
    let done = wait(ctx, &info, drain_timeout_secs)?;
    if ctx.json {
        print_json(&done)?;
    } else {
        println!(
            "update {} {}: {}",
            done.id,
            paint(done.state.as_str(), tone(done.state), ctx.colour),
            done.message.as_deref().unwrap_or_default()
        );
    }
    Ok(if done.state == UpdateState::Succeeded {
        OK
    } else {
        ERROR
    })
}

/// Polls until the update is finished. The coordinator is briefly unreachable while it
/// re-executes, so connection errors are retried until the deadline.
fn wait(ctx: &Ctx, info: &UpdateInfo, drain_secs: Option<u64>) -> Result<UpdateInfo, CliError> {
    let drain = Duration::from_secs(drain_secs.unwrap_or(600));
    let deadline = Instant::now() + drain + Duration::from_secs(120);
    loop {
        match ctx.rt.block_on(ctx.remote.client.update_status()) {
            Ok(status) => {
                if let Some(done) = status.history.iter().find(|u| u.id == info.id)
                    && done.state.is_terminal()
                {
                    return Ok(done.clone());
                }
            }
            Err(e) if e.status().is_some_and(|s| s != 503) => return Err(ctx.remote.error(e)),
            Err(_) => {}
        }
        if Instant::now() > deadline {
            return Err(CliError::error(format!(
                "update {} had not ended after {}s: see `edgecoder server update status`",
                info.id,
                (drain + Duration::from_secs(120)).as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}
