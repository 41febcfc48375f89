//! `server events`: the coordinator's live event stream, one line per event, until Ctrl-C.
//! A dropped connection is resumed with `Last-Event-ID`, so no event is printed twice; a
//! coordinator that is down, at the start or later, is waited for (`api::follow`'s policy).

use super::Ctx;
use crate::api::Event;
use crate::api::follow::{Down, Follower, Update};
use crate::cli::exit::{CliError, OK};
use crate::cli::server_args::EventsArgs;
use std::io::Write;

pub fn run(ctx: &Ctx, args: EventsArgs) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    let path = format!("/api/v1/events?include_logs={}", args.include_logs);
    let json = ctx.json;
    let url = client.base_url().to_string();
    let result = ctx.rt.block_on(async {
        let stream_all = async {
            let mut follower = Follower::new(client.clone(), path, args.after);
            loop {
                match follower.next().await? {
                    Update::Event(event) => print_event(&event, json),
                    Update::Skipped(why) => eprintln!("(skipped an unreadable event: {why})"),
                    Update::Up => {}
                    Update::Down(down) => say_down(&url, &down),
                }
            }
        };
        tokio::select! {
            r = stream_all => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    result.map(|()| OK).map_err(|e| ctx.remote.error(e))
}

/// One line on stderr per outage; the follower keeps trying (see `api::follow`).
fn say_down(url: &str, down: &Down) {
    if !down.first {
        return;
    }
    if down.was_up {
        eprintln!("(event stream closed; reconnecting)");
    } else {
        eprintln!(
            "(coordinator at {url} not reachable: {}; retrying until it is, Ctrl-C to stop)",
            down.reason
        );
    }
}

fn print_event(event: &Event, json: bool) {
    if json {
        if let Err(e) = crate::cli::output::print_json_line(event) {
            eprintln!("error: {}", e.message);
        }
        return;
    }
    let mut out = std::io::stdout().lock();
    let line = {
        let when = time_of_day(event.at);
        let mut line = format!("{:>8} {when} {:<22}", event.id, event.kind);
        if let Some(t) = &event.task_id {
            line.push_str(&format!(" task={t}"));
        }
        if let Some(n) = &event.node_id {
            line.push_str(&format!(" node={n}"));
        }
        if !event.data.is_null() && event.data != serde_json::json!({}) {
            line.push_str(&format!(" {}", event.data));
        }
        line
    };
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// UTC time of day, "12:34:56.789", from Unix milliseconds.
fn time_of_day(ms: i64) -> String {
    let ms = ms.rem_euclid(86_400_000);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}
