//! `server events`: the coordinator's live event stream, one line per event, until Ctrl-C.
//! A dropped connection is resumed with `Last-Event-ID`, so no event is printed twice.

use super::Ctx;
use crate::api::Event;
use crate::api::client::ClientError;
use crate::cli::exit::{CliError, OK};
use crate::cli::server_args::EventsArgs;
use std::io::Write;
use std::time::Duration;

pub fn run(ctx: &Ctx, args: EventsArgs) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    let path = format!("/api/v1/events?include_logs={}", args.include_logs);
    let json = ctx.json;
    let result = ctx.rt.block_on(async {
        let stream_all = async {
            let mut last_id = args.after;
            let mut pause = Duration::from_millis(200);
            let mut connected_once = false;
            loop {
                match client.event_stream(&path, last_id).await {
                    Ok(mut stream) => {
                        connected_once = true;
                        pause = Duration::from_millis(200);
                        while let Some(item) = stream.next().await {
                            match item {
                                Ok(event) => print_event(&event, json),
                                Err(ClientError::Unreachable { .. }) => break,
                                Err(e) => return Err(e),
                            }
                        }
                        last_id = stream.last_id().or(last_id);
                        eprintln!("(event stream closed; reconnecting)");
                    }
                    // Refused at the start: nothing is running there, say so at once. Once
                    // connected, a refusal is a restart in progress: keep trying.
                    Err(e @ ClientError::Unreachable { .. }) if !connected_once => {
                        return Err(e);
                    }
                    Err(ClientError::Unreachable { .. }) => {}
                    Err(e) => return Err(e),
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        };
        tokio::select! {
            r = stream_all => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    result.map(|()| OK).map_err(|e| ctx.remote.error(e))
}

fn print_event(event: &Event, json: bool) {
    let mut out = std::io::stdout().lock();
    let line = if json {
        serde_json::to_string(event).unwrap_or_default()
    } else {
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
