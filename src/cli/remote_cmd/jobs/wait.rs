//! Waiting on a job (`jobs wait`, `jobs submit --wait`) and following its events (`--follow`).
//!
//! Waiting polls the job, slowing from 250 ms to 2 s, riding out a coordinator that restarts
//! (unreachable for up to a minute). Following reads the coordinator's event stream filtered to
//! the job (`/api/v1/events?job=ID`) through the one resuming follower (`api::follow`), so a
//! restart neither repeats nor loses a line; the job is polled beside it, so its end is seen
//! even if the stream misses the last event.
//!
//! Stopping is as for tasks (`remote_cmd::wait`): `--timeout` gives up (exit 124, the job goes
//! on); SIGTERM or SIGINT with no terminal (a CI runner cancelling the step) cancels the job and
//! exits 143 or 130; on a terminal, the user is asked.

use super::render;
use crate::api::backoff::Backoff;
use crate::api::client::{Client, ClientError};
use crate::api::follow::{Follower, Update};
use crate::api::{JobInfo, JobState};
use crate::cli::exit::CliError;
use crate::cli::remote_cmd::Ctx;
use crate::cli::remote_cmd::wait::{INTERRUPTED, TIMED_OUT};
use crate::cli::signals::{self, Stop};
use crate::job_tree::JobEvents;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long the coordinator may stay unreachable before waiting gives up (exit 6).
const UNREACHABLE_GRACE: Duration = Duration::from_secs(60);
/// How long a cancelled job is watched to see it end before we exit anyway.
const CANCEL_SETTLE: Duration = Duration::from_secs(10);

/// How waiting ended.
pub enum Waited {
    /// The job ended; as the coordinator shows it now.
    Finished(Box<JobInfo>),
    /// Waiting stopped first (gave up, or a signal) and said so; the exit code to end with.
    Stopped(u8),
}

/// Waits (or follows) until job `id` (an id or a unique prefix) has ended.
pub fn wait(
    ctx: &Ctx,
    id: &str,
    follow: bool,
    give_up_after: Option<Duration>,
) -> Result<Waited, CliError> {
    let client = &ctx.remote.client;
    // Resolve a prefix first, so a typo is an error before any waiting starts.
    let job = ctx.get(|| client.job(id))?;
    let id = job.id.clone();
    let outcome = ctx.rt.block_on(async {
        let work = async {
            if follow {
                follow_events(client, job).await
            } else {
                poll_until_done(client, job).await
            }
        };
        let give_up = async {
            match give_up_after {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            done = work => Outcome::Done(done.map(Box::new)),
            _ = give_up => Outcome::GaveUp,
            stop = signals::next_stop() => Outcome::Interrupted(stop),
        }
    });
    match outcome {
        Outcome::Done(Ok(job)) => Ok(Waited::Finished(job)),
        Outcome::Done(Err(e)) => Err(ctx.remote.error(e)),
        Outcome::GaveUp => {
            eprintln!("gave up waiting; the job goes on: `edgecoder server jobs wait {id}`");
            Ok(Waited::Stopped(TIMED_OUT))
        }
        Outcome::Interrupted(stop) => Ok(Waited::Stopped(interrupted(ctx, &id, stop))),
    }
}

enum Outcome {
    Done(Result<Box<JobInfo>, ClientError>),
    GaveUp,
    Interrupted(Stop),
}

/// Polls the job until it has ended; an unreachable coordinator is waited for a minute.
async fn poll_until_done(client: &Client, mut job: JobInfo) -> Result<JobInfo, ClientError> {
    // Not reset on progress: a long job is looked at every 2 s, not every 250 ms.
    let mut pace = Backoff::new(Duration::from_millis(250), Duration::from_secs(2));
    let mut unreachable_since: Option<Instant> = None;
    loop {
        if job.state.is_final() {
            return Ok(job);
        }
        pace.sleep().await;
        match client.job(&job.id).await {
            Ok(fresh) => {
                job = fresh;
                unreachable_since = None;
            }
            Err(e @ ClientError::Unreachable { .. }) => {
                let since = *unreachable_since.get_or_insert_with(Instant::now);
                if since.elapsed() > UNREACHABLE_GRACE {
                    return Err(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// Prints a line per job event until the job has ended; returns the ended job.
async fn follow_events(client: &Client, job: JobInfo) -> Result<JobInfo, ClientError> {
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "{}  job {} {}",
        render::time_of_day(crate::api::now_ms()),
        job.id,
        job.state.as_str()
    );
    if job.state.is_final() {
        return Ok(job);
    }
    // With no id to resume from, the coordinator starts a job's stream at its first event (a
    // job submitted a moment ago has some already); the follower resumes after the last one.
    let path = format!("/api/v1/events?job={}&include_logs=true", encode(&job.id));
    let mut follower = Follower::new(client.clone(), path, None);
    let mut told = JobEvents::default();
    let mut poll = tokio::time::interval(Duration::from_secs(2));
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut said_down = false;
    loop {
        tokio::select! {
            update = follower.next() => match update? {
                Update::Event(event) => {
                    for line in told.lines(&event) {
                        let _ = writeln!(out, "{line}");
                    }
                    let _ = out.flush();
                    if event.kind == "job.finished"
                        && let Some(done) = ended(client, &job.id).await?
                    {
                        return Ok(done);
                    }
                }
                Update::Skipped(why) => eprintln!("(skipped an unreadable event: {why})"),
                Update::Up => said_down = false,
                Update::Down(down) => {
                    if !said_down && !down.closed {
                        eprintln!("(event stream lost: {}; reconnecting)", down.reason);
                        said_down = true;
                    }
                    if down.since.elapsed() > UNREACHABLE_GRACE {
                        return Err(ClientError::Unreachable {
                            url: client.base_url().to_string(),
                            reason: down.reason,
                        });
                    }
                }
            },
            _ = poll.tick() => {
                if let Some(done) = ended(client, &job.id).await? {
                    let _ = writeln!(
                        out,
                        "{}  job {}",
                        render::time_of_day(crate::api::now_ms()),
                        done.state.as_str()
                    );
                    return Ok(done);
                }
            }
        }
    }
}

/// The job, when it has ended; None while it runs or the coordinator cannot be reached.
async fn ended(client: &Client, id: &str) -> Result<Option<JobInfo>, ClientError> {
    match client.job(id).await {
        Ok(job) if job.state.is_final() => Ok(Some(job)),
        Ok(_) | Err(ClientError::Unreachable { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// SIGTERM or SIGINT with no terminal: cancel the job and exit 143 or 130. On a terminal, ask.
fn interrupted(ctx: &Ctx, id: &str, stop: Stop) -> u8 {
    if !std::io::stdin().is_terminal() {
        let why = match stop {
            Stop::Terminate => "SIGTERM",
            Stop::Interrupt => "SIGINT",
        };
        eprintln!("{why} with no terminal: cancelling job {id}");
        cancel_and_settle(ctx, id);
        return stop.exit_code();
    }
    if std::io::stderr().is_terminal() && ask(&format!("cancel job {id}? [y/N] ")) {
        match ctx.call(ctx.remote.client.cancel_job(id)) {
            Ok(job) => eprintln!("job {} cancel requested ({})", job.id, job.state.as_str()),
            Err(e) => eprintln!("job {id} not cancelled: {}", e.message),
        }
    } else {
        eprintln!("stopped waiting; the job goes on: `edgecoder server jobs wait {id}`");
    }
    INTERRUPTED
}

/// Cancels the job, then watches it a little to say how it ended.
fn cancel_and_settle(ctx: &Ctx, id: &str) {
    let client = &ctx.remote.client;
    match ctx.call(client.cancel_job(id)) {
        Ok(job) if job.state.is_final() => {
            eprintln!("job {} {}", job.id, job.state.as_str());
            return;
        }
        Ok(_) => {}
        Err(e) => {
            eprintln!("job {id} not cancelled: {}", e.message);
            return;
        }
    }
    let settled = ctx.rt.block_on(async {
        let mut pace = Backoff::new(Duration::from_millis(100), Duration::from_millis(500));
        let watch = async {
            loop {
                pace.sleep().await;
                if let Ok(job) = client.job(id).await
                    && job.state.is_final()
                {
                    return job.state;
                }
            }
        };
        tokio::time::timeout(CANCEL_SETTLE, watch).await.ok()
    });
    match settled {
        Some(state) => eprintln!("job {id} {}", state_word(state)),
        None => eprintln!(
            "cancel requested; the job's running subtasks stop at their nodes' next heartbeat"
        ),
    }
}

fn state_word(state: JobState) -> &'static str {
    state.as_str()
}

fn ask(question: &str) -> bool {
    eprint!("\n{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim(), "y" | "Y" | "yes" | "YES")
}

/// A job id for a query string (ids are URL-safe; anything else is percent-encoded).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
