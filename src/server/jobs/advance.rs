//! One step of a running job, inside one write transaction: notice which subtask tasks ended,
//! start the subtasks whose dependencies all succeeded, skip those whose dependencies failed,
//! and once every subtask ended, merge and start the job-level check (or end the job).
//!
//! Each step reads the rows afresh inside the writer, so two steps (the driver's and a cancel)
//! never act on a stale view; each task is created under an idempotency key of its job, subtask
//! and round, so a step repeated after a crash finds the task it made before.

use super::graph;
use crate::api::{JobResult, JobState, SubmitRequest, Subtask, TaskCommand, TaskFile, TaskState};
use crate::server::error::ApiError;
use crate::server::store::jobs::{self, JobRow, SubtaskRow, SubtaskState};
use crate::server::store::ledger::charges::{self, Payer};
use crate::server::store::tasks::SubmitLimits;
use crate::server::store::{WriteCtx, blobs, code_result, tasks};
use std::collections::HashMap;

/// Characters of the check's output kept in the result.
const CHECK_OUTPUT_CHARS: usize = 4000;

/// What a step needs besides the store: how to price and limit the tasks it creates.
#[derive(Clone)]
pub struct StepEnv {
    pub limits: SubmitLimits,
    pub pricing: crate::server::store::ledger::pricing::Pricing,
    pub multiplier_bps: u32,
}

impl StepEnv {
    fn payer(&self, job: &JobRow) -> Payer {
        Payer {
            pricing: self.pricing,
            account: job.account.clone(),
            actor: job.submitted_by.clone(),
            multiplier_bps: self.multiplier_bps,
        }
    }
}

/// The key under which the task of a subtask's round is created: the same on every try.
pub fn task_key(job_id: &str, subtask_id: &str, round: u32) -> String {
    format!("job:{job_id}:{subtask_id}:{round}")
}

/// Creates (or finds again, by its key) one task of the job, links it, and refers its source.
pub fn create_task(
    ctx: &mut WriteCtx<'_>,
    env: &StepEnv,
    job: &JobRow,
    mut req: SubmitRequest,
    subtask_id: Option<&str>,
    round: u32,
) -> Result<String, ApiError> {
    req.source = job.request.source.clone();
    let payer = env.payer(job);
    // The task's hold comes out of the job's: released here, held again by the task's submission
    // (and given back to the job if no task was created after all).
    let draw = if payer.pricing.enabled {
        let timeout = req.timeout_secs.unwrap_or(env.limits.default_timeout_secs);
        let wanted = charges::hold_for(&payer, timeout, req.requirements.gpu)?;
        jobs::release_hold(ctx, job, wanted)?
    } else {
        0
    };
    let (task, created) = match tasks::submit(ctx, req, &job.submitted_by, env.limits, &payer) {
        Ok(submitted) => submitted,
        Err(e) => {
            jobs::restore_hold(ctx, job, &payer, draw)?;
            return Err(e);
        }
    };
    if !created {
        jobs::restore_hold(ctx, job, &payer, draw)?;
    }
    if created && let Some(crate::api::TaskSource::Blob { sha256, .. }) = &job.request.source {
        blobs::refer(ctx, &task.id, sha256, blobs::SOURCE)?;
    }
    jobs::link_task(ctx, &task.id, &job.id, subtask_id, round)?;
    Ok(task.id)
}

/// Moves a running job as far as the store alone can take it.
pub fn step(ctx: &mut WriteCtx<'_>, env: &StepEnv, job_id: &str) -> Result<(), ApiError> {
    let job = jobs::get_row(ctx.conn, job_id)?;
    match job.state {
        JobState::Running => run_subtasks(ctx, env, &job),
        JobState::Aggregating => finish_check(ctx, &job),
        _ => Ok(()),
    }
}

fn run_subtasks(ctx: &mut WriteCtx<'_>, env: &StepEnv, job: &JobRow) -> Result<(), ApiError> {
    let mut rows = jobs::subtasks(ctx.conn, &job.id)?;
    // Notice ended tasks first, then start or skip until nothing changes (a skip can cascade).
    for row in rows.iter_mut() {
        if row.state == SubtaskState::Running {
            observe_task(ctx, &job.id, row)?;
        }
    }
    loop {
        let states: HashMap<String, SubtaskState> =
            rows.iter().map(|r| (r.spec.id.clone(), r.state)).collect();
        let mut changed = false;
        for row in rows.iter_mut() {
            if row.state != SubtaskState::Waiting {
                continue;
            }
            let deps = row.spec.depends_on.clone();
            if let Some(bad) = deps.iter().find(|d| {
                states
                    .get(d.as_str())
                    .is_some_and(|s| s.is_final() && *s != SubtaskState::Succeeded)
            }) {
                row.state = SubtaskState::Skipped;
                row.error = Some(format!("never ran: its dependency {bad} did not succeed"));
                jobs::set_subtask(ctx, &job.id, row)?;
                let message = format!("subtask {} skipped: dependency {bad} failed", row.spec.id);
                jobs::log(
                    ctx,
                    &job.id,
                    "job.subtask_skipped",
                    None,
                    &message,
                    serde_json::json!({"subtask": row.spec.id, "dependency": bad}),
                )?;
                changed = true;
            } else if deps
                .iter()
                .all(|d| states.get(d.as_str()) == Some(&SubtaskState::Succeeded))
            {
                super::start::start_subtask(ctx, env, job, row)?;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    if rows.iter().all(|r| r.state.is_final()) {
        aggregate(ctx, env, job, &rows)?;
    }
    Ok(())
}

/// Reads the state of a running subtask's task and records how it ended, if it did.
fn observe_task(
    ctx: &mut WriteCtx<'_>,
    job_id: &str,
    row: &mut SubtaskRow,
) -> Result<(), ApiError> {
    let Some(task_id) = row.task_id.clone() else {
        return Ok(());
    };
    let task = tasks::get(ctx.conn, &task_id)?;
    let (kind, message) = match task.state {
        TaskState::Succeeded => {
            row.state = SubtaskState::Succeeded;
            row.error = None;
            (
                "job.subtask_succeeded",
                format!("subtask {} succeeded (task {task_id})", row.spec.id),
            )
        }
        TaskState::Failed | TaskState::TimedOut | TaskState::Cancelled => {
            let why = task
                .error
                .clone()
                .unwrap_or_else(|| format!("its task ended {}", task.state.as_str()));
            row.error = Some(why.clone());
            if task.state != TaskState::Cancelled && row.round == 0 && !row.escalated {
                row.state = SubtaskState::Escalating;
                (
                    "job.subtask_failed",
                    format!(
                        "subtask {} failed after {} attempt(s) (task {task_id}): {why}; escalating",
                        row.spec.id, task.attempts
                    ),
                )
            } else {
                row.state = if task.state == TaskState::Cancelled {
                    SubtaskState::Cancelled
                } else {
                    SubtaskState::Failed
                };
                (
                    "job.subtask_failed",
                    format!("subtask {} failed (task {task_id}): {why}", row.spec.id),
                )
            }
        }
        _ => return Ok(()),
    };
    jobs::set_subtask(ctx, job_id, row)?;
    jobs::log(
        ctx,
        job_id,
        kind,
        Some(&task_id),
        &message,
        serde_json::json!({"subtask": row.spec.id, "state": row.state.as_str()}),
    )
}

/// The final files of a succeeded subtask's task (its code result), or its inputs.
pub fn final_files(
    conn: &crate::server::store::db::Db,
    task_id: &str,
) -> Result<Vec<TaskFile>, ApiError> {
    Ok(match code_result::load(conn, task_id)? {
        Some(code) => code.files,
        None => tasks::files(conn, task_id)?,
    })
}

/// Every subtask ended: merge what succeeded, then end the job or run its check on the merge.
fn aggregate(
    ctx: &mut WriteCtx<'_>,
    env: &StepEnv,
    job: &JobRow,
    rows: &[SubtaskRow],
) -> Result<(), ApiError> {
    let specs: Vec<Subtask> = rows.iter().map(|r| r.spec.clone()).collect();
    let mut outputs = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.state != SubtaskState::Succeeded {
            continue;
        }
        let Some(task_id) = &row.task_id else {
            continue;
        };
        let inputs = tasks::files(ctx.conn, task_id)?;
        let result = final_files(ctx.conn, task_id)?;
        outputs.push((i, graph::written(&inputs, &result)));
    }
    let merged = graph::merge(&job.request.files, &specs, &outputs);
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| r.state != SubtaskState::Succeeded)
        .map(|r| r.spec.id.clone())
        .collect();
    let result = JobResult {
        files: merged.files,
        conflicts: merged.conflicts,
        check_task_id: None,
        check_passed: None,
        check_output: None,
        failed_subtasks: failed.clone(),
        tokens_in: 0,
        tokens_out: 0,
        credits: 0,
    };
    let any_succeeded = !outputs.is_empty();
    if let Some(conflict) = jobs::conflict_line(&result.conflicts) {
        return finish(ctx, job, JobState::Failed, &conflict, result);
    }
    if !failed.is_empty() {
        let state = if any_succeeded {
            JobState::Partial
        } else {
            JobState::Failed
        };
        let why = format!(
            "subtask(s) {} did not succeed; the job-level check did not run",
            failed.join(", ")
        );
        return finish(ctx, job, state, &why, result);
    }
    let Some(check) = job.request.check.clone() else {
        return finish(ctx, job, JobState::Succeeded, "", result);
    };
    let mut req = SubmitRequest::argv(Vec::new());
    req.command = TaskCommand::Script(check);
    req.files = result.files.clone();
    req.name = Some(format!("job {} check", job.id));
    req.idempotency_key = Some(format!("job:{}:check", job.id));
    match create_task(ctx, env, job, req, None, 0) {
        Ok(task_id) => {
            jobs::set_check_task(ctx, &job.id, &task_id)?;
            jobs::set_state(ctx, &job.id, JobState::Aggregating, None)?;
            jobs::log(
                ctx,
                &job.id,
                "job.aggregating",
                Some(&task_id),
                &format!(
                    "every subtask succeeded; merged {} file(s); the job-level check runs as task \
                     {task_id}",
                    result.files.len()
                ),
                serde_json::json!({"check_task": task_id}),
            )
        }
        Err(e) => finish(
            ctx,
            job,
            JobState::Failed,
            &format!("the job-level check could not be queued: {}", e.message),
            result,
        ),
    }
}

/// The check task ended: the job ends with it.
fn finish_check(ctx: &mut WriteCtx<'_>, job: &JobRow) -> Result<(), ApiError> {
    let Some(check_id) = &job.check_task_id else {
        return finish(
            ctx,
            job,
            JobState::Failed,
            "the job-level check task is missing",
            empty_result(),
        );
    };
    let task = tasks::get(ctx.conn, check_id)?;
    if !task.state.is_terminal() {
        return Ok(());
    }
    let passed = task.state == TaskState::Succeeded;
    let mut result = empty_result();
    result.files = tasks::files(ctx.conn, check_id)?;
    result.conflicts = kept_conflicts(ctx.conn, job)?;
    result.check_task_id = Some(check_id.clone());
    result.check_passed = Some(passed);
    result.check_output = Some(output_tail(ctx.conn, check_id)?);
    if passed {
        finish(ctx, job, JobState::Succeeded, "", result)
    } else {
        let why = match task.exit_code {
            Some(code) => format!("the job-level check failed (exit {code}) on the merged tree"),
            None => format!(
                "the job-level check ended {} on the merged tree",
                task.state.as_str()
            ),
        };
        finish(ctx, job, JobState::Failed, &why, result)
    }
}

/// The conflicts decided at aggregation, found again for the result (they are cheap to redo).
fn kept_conflicts(
    conn: &crate::server::store::db::Db,
    job: &JobRow,
) -> Result<Vec<crate::api::JobConflict>, ApiError> {
    let rows = jobs::subtasks(conn, &job.id)?;
    let specs: Vec<Subtask> = rows.iter().map(|r| r.spec.clone()).collect();
    let mut outputs = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if let (SubtaskState::Succeeded, Some(task_id)) = (row.state, &row.task_id) {
            let inputs = tasks::files(conn, task_id)?;
            outputs.push((i, graph::written(&inputs, &final_files(conn, task_id)?)));
        }
    }
    Ok(graph::merge(&job.request.files, &specs, &outputs).conflicts)
}

fn output_tail(conn: &crate::server::store::db::Db, task_id: &str) -> Result<String, ApiError> {
    let mut text = String::new();
    let mut offset = 0;
    loop {
        let page = tasks::logs(conn, task_id, None, offset, 1000)?;
        if page.chunks.is_empty() {
            break;
        }
        for chunk in &page.chunks {
            text.push_str(&chunk.data);
        }
        if page.next_offset <= offset {
            break;
        }
        offset = page.next_offset;
        if text.len() > 1 << 20 {
            break;
        }
    }
    let start = text
        .char_indices()
        .rev()
        .nth(CHECK_OUTPUT_CHARS.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    Ok(text[start..].to_string())
}

fn empty_result() -> JobResult {
    JobResult {
        files: Vec::new(),
        conflicts: Vec::new(),
        check_task_id: None,
        check_passed: None,
        check_output: None,
        failed_subtasks: Vec::new(),
        tokens_in: 0,
        tokens_out: 0,
        credits: 0,
    }
}

/// Ends the job: totals over every task it made, the result stored, `job.finished` logged.
pub fn finish(
    ctx: &mut WriteCtx<'_>,
    job: &JobRow,
    state: JobState,
    why: &str,
    mut result: JobResult,
) -> Result<(), ApiError> {
    for task_id in jobs::task_ids(ctx.conn, &job.id)? {
        if let Some(code) = code_result::load(ctx.conn, &task_id)? {
            result.tokens_in += code.tokens_in;
            result.tokens_out += code.tokens_out;
        }
        if let Ok(charge) = crate::server::store::ledger::charges::task_charge(ctx.conn, &task_id) {
            result.credits += charge.charged.unwrap_or(0);
        }
    }
    if result.failed_subtasks.is_empty() {
        result.failed_subtasks = jobs::subtasks(ctx.conn, &job.id)?
            .into_iter()
            .filter(|r| r.state != SubtaskState::Succeeded)
            .map(|r| r.spec.id)
            .collect();
    }
    let error = (!why.is_empty()).then_some(why);
    jobs::release_hold(ctx, job, i64::MAX)?;
    jobs::set_result(ctx, &job.id, &result)?;
    jobs::set_state(ctx, &job.id, state, error)?;
    let message = match error {
        Some(why) => format!("{}: {why}", state.as_str()),
        None => state.as_str().to_string(),
    };
    jobs::log(
        ctx,
        &job.id,
        "job.finished",
        None,
        &message,
        serde_json::json!({"state": state.as_str()}),
    )
}
