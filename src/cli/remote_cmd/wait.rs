//! Waiting on tasks: `tasks wait`, `submit --wait` and `--follow`.
//!
//! The exit code is the task's own (124 when it timed out, 130 when it was cancelled; with many
//! tasks, that of the first one in the given order that did not succeed). A coordinator that
//! restarts while we wait is ridden out: polls retry, and a followed stream resumes with
//! `Last-Event-ID`, so no output line is printed twice.
//!
//! A waiting client behaves like a CI step: when the task ends its stored output is printed
//! (unless told not to), and SIGTERM or SIGINT with no terminal to ask at (a CI runner cancelling
//! the job) cancels the task and exits 143 or 130.

use super::Ctx;
use super::task_logs;
use crate::api::backoff::Backoff;
use crate::api::client::{Client, ClientError};
use crate::api::follow::{Follower, Update};
use crate::api::{Event, TaskInfo, TaskState};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::print_json;
use crate::cli::signals::{self, Stop};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub const TIMED_OUT: u8 = 124;
pub const INTERRUPTED: u8 = 130;

/// How long the coordinator may stay unreachable before waiting gives up (exit 6).
const UNREACHABLE_GRACE: Duration = Duration::from_secs(60);

pub struct WaitOptions {
    pub follow: bool,
    /// Stop waiting (exit 124) after this long; the tasks go on.
    pub give_up_after: Option<Duration>,
    /// When the tasks have ended, print their stored output (stdout to stdout, stderr to
    /// stderr); never with `--json` or `follow` (which printed it already).
    pub print_output: bool,
}

/// The exit code a finished task stands for.
pub fn exit_code_of(task: &TaskInfo) -> u8 {
    match task.state {
        TaskState::Succeeded => OK,
        TaskState::TimedOut => TIMED_OUT,
        TaskState::Cancelled => INTERRUPTED,
        _ => match task.exit_code {
            Some(code) if (1..=255).contains(&code) => code as u8,
            _ => 1,
        },
    }
}

pub fn run_wait(ctx: &Ctx, ids: &[String], opts: WaitOptions) -> Result<u8, CliError> {
    let print_output = opts.print_output && !opts.follow && !ctx.json;
    match wait_until_done(ctx, ids, opts)? {
        Waited::Finished(finished) => {
            if print_output {
                print_outputs(ctx, &finished)?;
            }
            report(ctx, &finished)
        }
        Waited::Stopped(code) => Ok(code),
    }
}

/// How waiting ended.
pub enum Waited {
    /// Every task ended; as the coordinator shows them now.
    Finished(Vec<TaskInfo>),
    /// Waiting stopped first (gave up, or Ctrl-C) and said so; the exit code to end with.
    Stopped(u8),
}

/// Waits (or follows) until the tasks have ended, without reporting them.
pub fn wait_until_done(ctx: &Ctx, ids: &[String], opts: WaitOptions) -> Result<Waited, CliError> {
    if opts.follow && ids.len() != 1 {
        return Err(CliError::usage(
            "--follow streams one task's output: wait on many tasks without it",
        ));
    }
    let client = &ctx.remote.client;
    // Resolve prefixes first, so a typo is an error before any waiting starts.
    let mut tasks = Vec::with_capacity(ids.len());
    for id in ids {
        tasks.push(ctx.get(|| client.task(id))?);
    }
    let progress = Progress::new(ctx.json || opts.follow, tasks.len());
    let full_ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
    let outcome = ctx.rt.block_on(async {
        let work = async {
            if opts.follow {
                follow(client, &tasks[0]).await.map(|t| vec![t])
            } else {
                poll_until_done(client, tasks, &progress).await
            }
        };
        let give_up = async {
            match opts.give_up_after {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            done = work => Outcome::Done(done),
            _ = give_up => Outcome::GaveUp,
            stop = signals::next_stop() => Outcome::Interrupted(stop),
        }
    });
    progress.finish();
    match outcome {
        Outcome::Done(Ok(finished)) => Ok(Waited::Finished(finished)),
        Outcome::Done(Err(e)) => Err(ctx.remote.error(e)),
        Outcome::GaveUp => {
            eprintln!(
                "gave up waiting; the task(s) go on: `edgecoder server tasks wait {}`",
                full_ids.join(" ")
            );
            Ok(Waited::Stopped(TIMED_OUT))
        }
        Outcome::Interrupted(stop) => interrupted(ctx, &full_ids, stop).map(Waited::Stopped),
    }
}

enum Outcome {
    Done(Result<Vec<TaskInfo>, ClientError>),
    GaveUp,
    Interrupted(Stop),
}

/// Each task's output of its last attempt, whole; a line on stderr names each task when many.
fn print_outputs(ctx: &Ctx, finished: &[TaskInfo]) -> Result<(), CliError> {
    for t in finished {
        if finished.len() > 1 {
            let name = t
                .name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            eprintln!("--- task {}{name} ---", t.id);
        }
        let output = task_logs::read(ctx, t, task_logs::Selection::ALL)?;
        task_logs::print(&output);
    }
    Ok(())
}

fn report(ctx: &Ctx, finished: &[TaskInfo]) -> Result<u8, CliError> {
    if ctx.json {
        match finished {
            [one] => print_json(one)?,
            many => print_json(&many)?,
        }
    } else {
        for t in finished {
            eprintln!("{}", summary(t));
        }
    }
    Ok(finished
        .iter()
        .map(exit_code_of)
        .find(|&c| c != OK)
        .unwrap_or(OK))
}

/// "task 3f2a… succeeded on node n1 (exit 0, 1.2s)".
pub fn summary(t: &TaskInfo) -> String {
    let mut s = format!("task {} {}", t.id, t.state.as_str());
    if let Some(node) = &t.node_id {
        s.push_str(&format!(" on node {node}"));
    }
    let mut extra = Vec::new();
    if let Some(code) = t.exit_code {
        extra.push(format!("exit {code}"));
    }
    if let Some(end) = t.finished_at {
        extra.push(format!(
            "{:.1}s",
            (end - t.created_at).max(0) as f64 / 1000.0
        ));
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    if let Some(err) = &t.error
        && t.state != TaskState::Succeeded
    {
        s.push_str(&format!(": {err}"));
    }
    s
}

/// SIGTERM or SIGINT with no terminal (a CI runner cancelling the step): cancel the tasks and
/// exit 143 or 130. On a terminal, offer to cancel; with a terminal for input but none to ask
/// on, just stop waiting.
fn interrupted(ctx: &Ctx, ids: &[String], stop: Stop) -> Result<u8, CliError> {
    if !std::io::stdin().is_terminal() {
        let why = match stop {
            Stop::Terminate => "SIGTERM",
            Stop::Interrupt => "SIGINT",
        };
        eprintln!("{why} with no terminal: cancelling {}", plural_tasks(ids));
        cancel_and_settle(ctx, ids);
        return Ok(stop.exit_code());
    }
    let attended = std::io::stderr().is_terminal();
    if attended && ask(&format!("cancel {}? [y/N] ", plural_tasks(ids))) {
        for id in ids {
            match ctx.call(ctx.remote.client.cancel(id)) {
                Ok(t) => eprintln!("task {} cancel requested ({})", t.id, t.state.as_str()),
                Err(e) => eprintln!("task {id} not cancelled: {}", e.message),
            }
        }
    } else {
        eprintln!(
            "stopped waiting; {} go(es) on: `edgecoder server tasks wait {}`",
            plural_tasks(ids),
            ids.join(" ")
        );
    }
    Ok(INTERRUPTED)
}

/// How long a cancelled step waits to see its tasks end before it exits anyway (a CI runner
/// kills a step that outstays its own grace).
const CANCEL_SETTLE: Duration = Duration::from_secs(10);

/// Asks for each task to be cancelled, then waits a little for them to end, saying how each did.
fn cancel_and_settle(ctx: &Ctx, ids: &[String]) {
    let client = &ctx.remote.client;
    let mut pending = Vec::new();
    for id in ids {
        match ctx.call(client.cancel(id)) {
            Ok(t) if t.state.is_terminal() => eprintln!("task {} {}", t.id, t.state.as_str()),
            Ok(t) => pending.push(t.id),
            // Already ended (409) or gone: nothing to cancel.
            Err(e) => eprintln!("task {id} not cancelled: {}", e.message),
        }
    }
    if pending.is_empty() {
        return;
    }
    let settled = ctx.rt.block_on(async {
        let wait = async {
            let mut pace = Backoff::new(Duration::from_millis(100), Duration::from_millis(500));
            let mut left = pending.clone();
            while !left.is_empty() {
                pace.sleep().await;
                let mut still = Vec::new();
                for id in left {
                    match client.task(&id).await {
                        Ok(t) if t.state.is_terminal() => {
                            eprintln!("task {} {}", t.id, t.state.as_str())
                        }
                        _ => still.push(id),
                    }
                }
                left = still;
            }
        };
        tokio::time::timeout(CANCEL_SETTLE, wait).await.is_ok()
    });
    if !settled {
        eprintln!(
            "cancel requested; the node stops the task(s) at its next heartbeat: {}",
            pending.join(" ")
        );
    }
}

fn plural_tasks(ids: &[String]) -> String {
    match ids {
        [one] => format!("task {one}"),
        many => format!("{} tasks", many.len()),
    }
}

fn ask(question: &str) -> bool {
    eprint!("\n{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim(), "y" | "Y" | "yes" | "YES")
}

/// Polls each unfinished task, slowing from 250 ms to 2 s, until all have ended.
async fn poll_until_done(
    client: &Client,
    mut tasks: Vec<TaskInfo>,
    progress: &Progress,
) -> Result<Vec<TaskInfo>, ClientError> {
    // Not reset on progress: a long task is looked at every 2 s, not every 250 ms.
    let mut pace = Backoff::new(Duration::from_millis(250), Duration::from_secs(2));
    let mut unreachable_since: Option<Instant> = None;
    loop {
        progress.show(&tasks);
        if tasks.iter().all(|t| t.state.is_terminal()) {
            return Ok(tasks);
        }
        pace.sleep().await;
        for task in tasks.iter_mut().filter(|t| !t.state.is_terminal()) {
            match client.task(&task.id).await {
                Ok(fresh) => {
                    *task = fresh;
                    unreachable_since = None;
                }
                Err(e @ ClientError::Unreachable { .. }) => {
                    let since = *unreachable_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > UNREACHABLE_GRACE {
                        return Err(e);
                    }
                    break;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Streams one task's output to our stdout/stderr until it ends; returns the finished task.
/// Reconnecting and resuming are the follower's; what is ours is when the task ended, and how
/// long an unreachable coordinator is waited for.
pub async fn follow(client: &Client, task: &TaskInfo) -> Result<TaskInfo, ClientError> {
    let path = format!("/api/v1/tasks/{}/stream", task.id);
    let mut follower = Follower::new(client.clone(), path, None);
    let mut attempt: Option<u64> = None;
    loop {
        match follower.next().await? {
            Update::Event(event) => print_event(&event, &mut attempt),
            Update::Skipped(why) => eprintln!("(skipped an unreadable event: {why})"),
            Update::Up => {}
            // The stream ends after the task's last event: done if the task has ended.
            Update::Down(down) if down.closed => match client.task(&task.id).await {
                Ok(t) if t.state.is_terminal() => {
                    let _ = std::io::stdout().flush();
                    return Ok(t);
                }
                Ok(_) | Err(ClientError::Unreachable { .. }) => {}
                Err(e) => return Err(e),
            },
            Update::Down(down) => {
                if down.since.elapsed() > UNREACHABLE_GRACE {
                    return Err(ClientError::Unreachable {
                        url: client.base_url().to_string(),
                        reason: down.reason,
                    });
                }
            }
        }
    }
}

/// Prints a log chunk where the task wrote it; notes on stderr when a new attempt starts.
fn print_event(event: &Event, attempt: &mut Option<u64>) {
    if event.kind != "task.log" {
        return;
    }
    let this = event.data["attempt"].as_u64();
    if attempt.is_some() && this != *attempt {
        eprintln!(
            "--- attempt {} ---",
            this.map(|a| a.to_string()).unwrap_or_default()
        );
    }
    *attempt = this;
    let text = event.data["data"].as_str().unwrap_or("");
    if event.data["stream"].as_str() == Some("stderr") {
        let _ = std::io::stderr().write_all(text.as_bytes());
    } else {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
}

/// A spinner (one task) or a bar (many) on stderr, only when a person is watching.
struct Progress {
    bar: Option<ProgressBar>,
    many: bool,
}

impl Progress {
    fn new(quiet: bool, count: usize) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                many: count > 1,
            };
        }
        let bar = if count > 1 {
            let bar = ProgressBar::new(count as u64);
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} done {msg}")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        } else {
            ProgressBar::new_spinner()
        };
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress {
            bar: Some(bar),
            many: count > 1,
        }
    }

    fn show(&self, tasks: &[TaskInfo]) {
        let Some(bar) = &self.bar else { return };
        if self.many {
            let done = tasks.iter().filter(|t| t.state.is_terminal()).count();
            let failed = tasks
                .iter()
                .filter(|t| t.state.is_terminal() && t.state != TaskState::Succeeded)
                .count();
            let running = tasks
                .iter()
                .filter(|t| matches!(t.state, TaskState::Running | TaskState::Leased))
                .count();
            bar.set_position(done as u64);
            bar.set_message(format!("({running} running, {failed} failed)"));
        } else if let Some(t) = tasks.first() {
            bar.set_message(match (&t.state, &t.node_id) {
                (TaskState::Running | TaskState::Leased, Some(node)) => {
                    format!("task {} running on node {node}", t.id)
                }
                (state, _) => format!("task {} {}", t.id, state.as_str()),
            });
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(state: TaskState, exit_code: Option<i32>) -> TaskInfo {
        serde_json::from_value(serde_json::json!({
            "id": "t1", "state": state, "command": {"argv": ["x"]}, "env": {},
            "timeout_secs": 10, "requirements": {}, "placement": "mesh", "priority": 0,
            "max_attempts": 1, "attempts": 1, "idempotency_key": null, "submitted_by": "a",
            "created_at": 0, "updated_at": 0, "finished_at": 1500, "node_id": "n1",
            "exit_code": exit_code, "error": null, "cancel_requested": false, "network": true
        }))
        .unwrap()
    }

    #[test]
    fn exit_codes_follow_the_task() {
        assert_eq!(exit_code_of(&task(TaskState::Succeeded, Some(0))), 0);
        assert_eq!(exit_code_of(&task(TaskState::Failed, Some(3))), 3);
        assert_eq!(exit_code_of(&task(TaskState::Failed, None)), 1);
        assert_eq!(exit_code_of(&task(TaskState::Failed, Some(-9))), 1);
        assert_eq!(exit_code_of(&task(TaskState::TimedOut, None)), 124);
        assert_eq!(exit_code_of(&task(TaskState::Cancelled, None)), 130);
        assert_eq!(
            summary(&task(TaskState::Failed, Some(3))),
            "task t1 failed on node n1 (exit 3, 1.5s)"
        );
    }
}
