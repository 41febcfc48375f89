//! `task list` and `task show`: tables for people, the shapes of docs/json-output.md for
//! `--json`.

use super::{Local, unix_ms, warn_corrupt};
use crate::cli::exit::{CliError, OK};
use crate::cli::local_args::TaskListArgs;
use crate::cli::output::{Table, Tone, age, clip, colour_enabled, print_json, short_duration};
use crate::runs::{RunRecord, Status, check_project, record};
use serde::Serialize;
use std::path::PathBuf;
use std::time::SystemTime;

/// One run in `--json` output.
#[derive(Serialize)]
pub struct RunJson {
    task_id: String,
    run_id: String,
    project: String,
    /// As shown: a run whose process is gone is `failed`.
    status: Status,
    /// As written in run-info.json.
    recorded_status: Status,
    /// Why `status` differs from `recorded_status`.
    note: Option<String>,
    cmd: Vec<String>,
    pid: u32,
    task_pid: Option<u32>,
    #[serde(with = "record::rfc3339")]
    started_at: SystemTime,
    #[serde(with = "record::rfc3339_opt")]
    ended_at: Option<SystemTime>,
    exit_code: Option<i32>,
    signal: Option<i32>,
    duration_ms: Option<u64>,
    timeout_secs: u64,
    output_bytes: Option<u64>,
    truncated: bool,
    error: Option<String>,
    dir: PathBuf,
}

impl RunJson {
    fn of(run: &RunRecord) -> RunJson {
        let i = &run.info;
        RunJson {
            task_id: i.task_id.clone(),
            run_id: i.run_id.clone(),
            project: i.project.clone(),
            status: run.status,
            recorded_status: i.status,
            note: run.note.clone(),
            cmd: i.cmd.clone(),
            pid: i.pid,
            task_pid: i.task_pid,
            started_at: i.started_at,
            ended_at: i.ended_at,
            exit_code: i.exit_code,
            signal: i.signal,
            duration_ms: i.duration_ms,
            timeout_secs: i.timeout_secs,
            output_bytes: i.output_bytes,
            truncated: i.truncated,
            error: i.error.clone(),
            dir: run.dir.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct SkippedJson {
    path: PathBuf,
    error: String,
}

#[derive(Serialize)]
struct ListJson {
    runs: Vec<RunJson>,
    skipped: Vec<SkippedJson>,
}

#[derive(Serialize)]
struct ShowJson {
    task_id: String,
    project: String,
    dir: PathBuf,
    runs: Vec<RunJson>,
    skipped: Vec<SkippedJson>,
}

pub fn skipped_json(corrupt: &[crate::runs::Corrupt]) -> Vec<SkippedJson> {
    corrupt
        .iter()
        .map(|c| SkippedJson {
            path: c.path.clone(),
            error: c.error.clone(),
        })
        .collect()
}

pub fn list(local: &Local, args: TaskListArgs) -> Result<u8, CliError> {
    if let Some(p) = &args.project {
        check_project(p).map_err(CliError::usage)?;
    }
    let scan = local.store.scan(args.project.as_deref());
    warn_corrupt(&scan.corrupt);
    let newest_first = scan.runs.iter().rev();
    if args.json {
        print_json(&ListJson {
            runs: newest_first.map(RunJson::of).collect(),
            skipped: skipped_json(&scan.corrupt),
        })?;
        return Ok(OK);
    }
    if scan.runs.is_empty() {
        println!("no local tasks yet: `edgecoder task run -- CMD …` runs one");
        return Ok(OK);
    }
    let now = unix_ms(SystemTime::now());
    let mut table = Table::new(&[
        "TASK", "PROJECT", "STATUS", "EXIT", "STARTED", "TOOK", "COMMAND",
    ]);
    for run in newest_first {
        let i = &run.info;
        table.row(vec![
            (i.task_id.clone(), Tone::Plain),
            (i.project.clone(), Tone::Plain),
            (
                run.status.as_str().to_string(),
                Tone::of_state(run.status.as_str()),
            ),
            (
                i.exit_code.map(|c| c.to_string()).unwrap_or("-".into()),
                Tone::Plain,
            ),
            (
                format!("{} ago", age(unix_ms(i.started_at), now)),
                Tone::Plain,
            ),
            (took(run, now), Tone::Plain),
            (clip(&display_cmd(&i.cmd), 60), Tone::Plain),
        ]);
    }
    print!("{}", table.render(colour_enabled()));
    Ok(OK)
}

pub fn show(local: &Local, id: &str, json: bool) -> Result<u8, CliError> {
    let task = local.find(id)?;
    let scan = local.store.runs_of(&task);
    warn_corrupt(&scan.corrupt);
    if json {
        print_json(&ShowJson {
            task_id: task.task_id.clone(),
            project: task.project.clone(),
            dir: task.dir.clone(),
            runs: scan.runs.iter().map(RunJson::of).collect(),
            skipped: skipped_json(&scan.corrupt),
        })?;
        return Ok(OK);
    }
    let colour = colour_enabled();
    let now = unix_ms(SystemTime::now());
    println!("task      {}", task.task_id);
    println!("project   {}", task.project);
    println!("dir       {}", task.dir.display());
    for run in &scan.runs {
        let i = &run.info;
        println!();
        println!("run       {}", i.run_id);
        println!(
            "status    {}",
            crate::cli::output::paint(
                run.status.as_str(),
                Tone::of_state(run.status.as_str()),
                colour
            )
        );
        if let Some(note) = &run.note {
            println!("note      {note}");
        }
        println!("command   {}", display_cmd(&i.cmd));
        println!(
            "started   {} ({} ago)",
            humantime::format_rfc3339_seconds(i.started_at),
            age(unix_ms(i.started_at), now)
        );
        if let Some(end) = i.ended_at {
            println!("ended     {}", humantime::format_rfc3339_seconds(end));
        }
        println!("took      {}", took(run, now));
        println!(
            "timeout   {}",
            humantime::format_duration(std::time::Duration::from_secs(i.timeout_secs))
        );
        if let Some(code) = i.exit_code {
            println!("exit code {code}");
        }
        match i.task_pid {
            Some(task_pid) => println!("pid       {} (task {task_pid})", i.pid),
            None => println!("pid       {}", i.pid),
        }
        if i.truncated {
            println!("output    cut: only the first part was kept");
        }
        if let Some(error) = &i.error {
            println!("error     {error}");
        }
        println!("output    {}", run.dir.display());
    }
    Ok(OK)
}

/// "succeeded", "failed with exit code 3", "was cancelled", … for messages.
pub fn ended_phrase(run: &RunRecord) -> String {
    match (run.status, run.info.exit_code) {
        (Status::Running, _) => "is running".into(),
        (Status::Succeeded, _) => "succeeded".into(),
        (Status::Failed, Some(code)) => format!("failed with exit code {code}"),
        (Status::Failed, None) => "failed".into(),
        (Status::TimedOut, _) => "timed out".into(),
        (Status::Cancelled, _) => "was cancelled".into(),
    }
}

/// How long the run took, or has been running.
fn took(run: &RunRecord, now_ms: i64) -> String {
    match (run.status, run.info.duration_ms) {
        (_, Some(ms)) if ms < 1000 => format!("{ms}ms"),
        (_, Some(ms)) => short_duration(ms / 1000),
        (Status::Running, None) => age(unix_ms(run.info.started_at), now_ms),
        _ => "-".into(),
    }
}

/// The command as a shell line: arguments with spaces or quotes are single-quoted.
pub fn display_cmd(cmd: &[String]) -> String {
    cmd.iter()
        .map(|arg| {
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+%@".contains(c));
            if plain {
                arg.clone()
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::display_cmd;

    #[test]
    fn commands_read_like_shell_lines() {
        let cmd = ["sh", "-c", "echo it's"].map(String::from);
        assert_eq!(display_cmd(&cmd), r"sh -c 'echo it'\''s'");
    }
}
