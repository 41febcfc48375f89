//! `server tasks …`: list, show, cancel, logs; submit and wait live in their own modules.

use super::task_logs::{self, Selection, Streams};
use super::wait::{self, WaitOptions};
use super::{Ctx, submit};
use crate::api::{TaskInfo, TaskState, TaskSummary};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{Table, Tone, age, clip, print_json};
use crate::cli::parse;
use crate::cli::server_args::{ListArgs, LogsArgs, TasksCommand};

pub fn run(ctx: &Ctx, cmd: TasksCommand) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    match cmd {
        TasksCommand::Submit(args) => submit::run(ctx, *args),
        TasksCommand::List(args) => list(ctx, &args),
        TasksCommand::Show { id } => {
            let task = ctx.get(|| client.task(&id))?;
            if ctx.json {
                print_json(&task)?;
            } else {
                print!("{}", details(&task));
            }
            Ok(OK)
        }
        TasksCommand::Cancel { id } => {
            let task = ctx.call(client.cancel(&id))?;
            if ctx.json {
                print_json(&task)?;
            } else if task.state == TaskState::Cancelled {
                println!("task {} cancelled", task.id);
            } else {
                println!(
                    "task {} cancel requested: its node stops it at its next heartbeat",
                    task.id
                );
            }
            Ok(OK)
        }
        TasksCommand::Logs(args) => logs(ctx, &args),
        TasksCommand::Artifacts(args) => super::artifacts::run(ctx, &args),
        TasksCommand::Wait(args) => {
            let give_up_after = args
                .timeout
                .as_deref()
                .map(|t| parse::duration("--timeout", t))
                .transpose()?;
            wait::run_wait(
                ctx,
                &args.ids,
                WaitOptions {
                    follow: false,
                    give_up_after,
                    print_output: !args.quiet,
                },
            )
        }
    }
}

fn list(ctx: &Ctx, args: &ListArgs) -> Result<u8, CliError> {
    if let Some(state) = &args.state
        && TaskState::parse(state).is_none()
    {
        let known: Vec<&str> = TaskState::ALL.iter().map(|s| s.as_str()).collect();
        return Err(CliError::usage(format!(
            "--state {state:?} is not a task state: use one of {}",
            known.join(", ")
        )));
    }
    let mut query = format!("limit={}", args.limit);
    if let Some(state) = &args.state {
        query.push_str(&format!("&state={state}"));
    }
    if let Some(node) = &args.node {
        query.push_str(&format!("&node={}", encode(node)));
    }
    let client = &ctx.remote.client;
    let list = ctx.get(|| client.tasks(&query))?;
    if ctx.json {
        print_json(&list)?;
        return Ok(OK);
    }
    if list.tasks.is_empty() {
        println!("no tasks");
        return Ok(OK);
    }
    let now = crate::api::now_ms();
    let mut t = Table::new(&[
        "ID", "NAME", "STATE", "PRI", "NODE", "AGE", "DURATION", "BY", "TRIES", "COMMAND",
    ]);
    for task in &list.tasks {
        let state = task.state.as_str();
        t.row(vec![
            (task.id.clone(), Tone::Plain),
            (
                task.name.as_deref().map_or("-".into(), |n| clip(n, 24)),
                Tone::Plain,
            ),
            (state.to_string(), Tone::of_state(state)),
            (task.priority.to_string(), Tone::Plain),
            (
                task.node_id.clone().unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (age(task.created_at, now), Tone::Plain),
            (duration(task, now), Tone::Plain),
            (clip(&task.submitted_by, 16), Tone::Plain),
            (
                format!("{}/{}", task.attempts, task.max_attempts),
                Tone::Plain,
            ),
            (clip(&task.command, 50), Tone::Plain),
        ]);
    }
    print!("{}", t.render(ctx.colour));
    if list.next_cursor.is_some() {
        eprintln!("(more tasks: raise --limit or narrow with --state/--node)");
    }
    Ok(OK)
}

/// From submission to the end (or until now, with `…`, while it is going): `1.2s`, `3m`.
fn duration(task: &TaskSummary, now: i64) -> String {
    let end = task.finished_at.unwrap_or(now);
    let ms = (end - task.created_at).max(0);
    let text = if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else {
        age(task.created_at, end)
    };
    if task.finished_at.is_some() {
        text
    } else {
        format!("{text}…")
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn details(t: &TaskInfo) -> String {
    let now = crate::api::now_ms();
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<13}{v}\n"));
    line("id", t.id.clone());
    if let Some(name) = &t.name {
        line("name", name.clone());
    }
    line("state", t.state.as_str().to_string());
    if let Some(why) = &t.waiting {
        line(
            "waiting",
            why.strip_prefix("waiting: ").unwrap_or(why).to_string(),
        );
    }
    if !t.requirements.toolchains.is_empty() {
        line("requires", t.requirements.toolchains.join(", "));
    }
    line("command", t.command.display());
    line("priority", t.priority.to_string());
    line("placement", t.placement.as_str().to_string());
    line("timeout", format!("{}s", t.timeout_secs));
    line("attempts", format!("{} of {}", t.attempts, t.max_attempts));
    line(
        "retry",
        match &t.retry {
            None => "never after a run that exited non-zero".to_string(),
            Some(rule) => match &rule.exit_codes {
                None => format!("up to {} time(s) on any non-zero exit", rule.retries),
                Some(codes) => {
                    let codes: Vec<String> = codes.iter().map(i32::to_string).collect();
                    format!(
                        "up to {} time(s) on exit {}",
                        rule.retries,
                        codes.join(", ")
                    )
                }
            },
        },
    );
    line(
        "submitted",
        format!("{} ago by {}", age(t.created_at, now), t.submitted_by),
    );
    if let Some(node) = &t.node_id {
        line("node", node.clone());
    }
    if let Some(code) = t.exit_code {
        line("exit code", code.to_string());
    }
    if let Some(err) = &t.error {
        line("error", err.clone());
    }
    for (i, a) in t.artifacts.iter().enumerate() {
        let name = if i == 0 { "artifacts" } else { "" };
        line(name, format!("{} ({} bytes)", a.path, a.size));
    }
    if let Some(code) = &t.code_result {
        out.push('\n');
        out.push_str(&super::code::code_details(code));
    }
    if !t.attempt_history.is_empty() {
        out.push('\n');
        let mut table = Table::new(&["#", "NODE", "OUTCOME", "EXIT", "TIME", "CPU", "ERROR"]);
        for a in &t.attempt_history {
            table.plain_row(vec![
                a.number.to_string(),
                a.node_id.clone(),
                a.outcome.clone(),
                a.exit_code
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
                a.duration_ms
                    .map(|ms| format!("{:.1}s", ms as f64 / 1000.0))
                    .unwrap_or_else(|| "-".into()),
                a.cpu_ms
                    .map(|ms| format!("{:.1}s", ms as f64 / 1000.0))
                    .unwrap_or_else(|| "-".into()),
                a.error.as_deref().map(|e| clip(e, 40)).unwrap_or_default(),
            ]);
        }
        out.push_str(&table.render(false));
    }
    out
}

/// Prints what the task has written so far (or the part asked for); with `follow`, streams it
/// until the task ends.
fn logs(ctx: &Ctx, args: &LogsArgs) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    if args.follow && ctx.json {
        return Err(CliError::usage(
            "--follow streams the output and --json prints one document: choose one",
        ));
    }
    let task = ctx.get(|| client.task(&args.id))?;
    if args.follow {
        return ctx
            .rt
            .block_on(wait::follow(client, &task))
            .map(|_| OK)
            .map_err(|e| ctx.remote.error(e));
    }
    let streams = match (args.stdout, args.stderr) {
        (true, _) => Streams::Stdout,
        (_, true) => Streams::Stderr,
        _ => Streams::Both,
    };
    let output = task_logs::read(
        ctx,
        &task,
        Selection {
            streams,
            tail: args.tail,
            attempt: args.attempt,
        },
    )?;
    if ctx.json {
        print_json(&output)?;
    } else {
        task_logs::print(&output);
    }
    Ok(OK)
}
