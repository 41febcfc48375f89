//! `server jobs …`: a coding request the coordinator splits into subtasks across the swarm.
//! `submit` (with `--wait`/`--follow`/`--out`) is in `submit.rs`, waiting and following a job's
//! events in `wait.rs`, the text people read (the subtask tree, event lines) in `render.rs`;
//! this file dispatches and holds the short commands (list, show, cancel).
//!
//! Exit codes follow tasks' (`cli::exit`, `remote_cmd::wait`): 0 succeeded, 1 failed or partial,
//! 124 gave up waiting, 130 cancelled (143 when a SIGTERM cancelled it).

mod render;
mod submit;
mod wait;

use super::Ctx;
use crate::api::{JobInfo, JobState};
use crate::cli::exit::{CliError, OK};
use crate::cli::jobs_args::{JobListArgs, JobsCommand};
use crate::cli::output::{Table, Tone, age, clip, print_json};
use crate::cli::parse;

pub fn run(ctx: &Ctx, cmd: JobsCommand) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    match cmd {
        JobsCommand::Submit(args) => submit::run(ctx, *args),
        JobsCommand::List(args) => list(ctx, &args),
        JobsCommand::Show { id } => {
            let job = ctx.get(|| client.job(&id))?;
            if ctx.json {
                print_json(&job)?;
            } else {
                print!("{}", render::details(&job, crate::api::now_ms()));
            }
            Ok(OK)
        }
        JobsCommand::Wait(args) => {
            let give_up_after = args
                .timeout
                .as_deref()
                .map(|t| parse::duration("--timeout", t))
                .transpose()?;
            if args.follow && ctx.json {
                return Err(CliError::usage(
                    "--follow prints the job's events and --json prints a document: choose one",
                ));
            }
            match wait::wait(ctx, &args.id, args.follow, give_up_after)? {
                wait::Waited::Finished(job) => Ok(report(ctx, &job)?),
                wait::Waited::Stopped(code) => Ok(code),
            }
        }
        JobsCommand::Cancel { id } => {
            let job = ctx.call(client.cancel_job(&id))?;
            if ctx.json {
                print_json(&job)?;
            } else if job.state == JobState::Cancelled {
                println!("job {} cancelled", job.id);
            } else {
                println!(
                    "job {} cancel requested ({}): its running subtasks stop at their nodes' \
                     next heartbeat",
                    job.id,
                    job.state.as_str()
                );
            }
            Ok(OK)
        }
    }
}

/// The exit code a finished job stands for.
pub fn exit_code_of(state: JobState) -> u8 {
    match state {
        JobState::Succeeded => OK,
        JobState::Cancelled => super::wait::INTERRUPTED,
        _ => crate::cli::exit::ERROR,
    }
}

/// Prints an ended job (the document with `--json`, else its details) and gives its exit code.
fn report(ctx: &Ctx, job: &JobInfo) -> Result<u8, CliError> {
    if ctx.json {
        print_json(job)?;
    } else {
        eprint!("{}", render::details(job, crate::api::now_ms()));
    }
    Ok(exit_code_of(job.state))
}

const STATES: [JobState; 7] = [
    JobState::Decomposing,
    JobState::Running,
    JobState::Aggregating,
    JobState::Succeeded,
    JobState::Partial,
    JobState::Failed,
    JobState::Cancelled,
];

fn list(ctx: &Ctx, args: &JobListArgs) -> Result<u8, CliError> {
    let state = match &args.state {
        None => None,
        Some(word) => Some(
            STATES
                .into_iter()
                .find(|s| s.as_str() == word.trim().to_ascii_lowercase())
                .ok_or_else(|| {
                    let known: Vec<&str> = STATES.iter().map(|s| s.as_str()).collect();
                    CliError::usage(format!(
                        "--state {word:?} is not a job state: use one of {}",
                        known.join(", ")
                    ))
                })?,
        ),
    };
    if args.limit == 0 {
        return Err(CliError::usage("--limit 0 lists nothing: give 1 or more"));
    }
    let client = &ctx.remote.client;
    let list = ctx.get(|| client.jobs(state, Some(args.limit)))?;
    if ctx.json {
        print_json(&list)?;
        return Ok(OK);
    }
    if list.jobs.is_empty() {
        println!("no jobs");
        return Ok(OK);
    }
    let now = crate::api::now_ms();
    let mut t = Table::new(&[
        "ID", "STATE", "SUBTASKS", "LANG", "AGE", "DURATION", "BY", "PROMPT",
    ]);
    for job in &list.jobs {
        let state = job.state.as_str();
        t.row(vec![
            (job.id.clone(), Tone::Plain),
            (state.to_string(), render::tone(job.state)),
            (
                format!("{}/{}", job.subtasks_succeeded, job.subtasks),
                Tone::Plain,
            ),
            (job.language.clone(), Tone::Plain),
            (age(job.created_at, now), Tone::Plain),
            (
                render::took(job.created_at, job.finished_at, now),
                Tone::Plain,
            ),
            (clip(&job.submitted_by, 16), Tone::Plain),
            (
                clip(&crate::fmt::one_line(&job.prompt, 200), 50),
                Tone::Plain,
            ),
        ]);
    }
    print!("{}", t.render(ctx.colour));
    Ok(OK)
}
