//! Jobs as stored: the request as accepted, each subtask with the task running it, and the log
//! (job events in the one event log). The driver (`server::jobs`) moves jobs along; this module
//! only reads and writes rows, so a route and the driver see one shape of a job.
//!
//! A job row is written whole at submission, before anything is asked of the inference service:
//! accepted means durable. Every later step is re-derived from these rows and the tasks they
//! link to, so a coordinator killed at any moment picks up where the database says it was.

use super::WriteCtx;
use crate::api::{
    DecomposeMode, JobConflict, JobInfo, JobLogLine, JobResult, JobState, JobSubmitRequest,
    JobSubtask, JobSummary, Subtask, TaskState,
};
use crate::server::error::ApiError;
use crate::server::store::db::{self, Db, OptionalExtension, params};
use crate::server::store::ledger::charges::Payer;
use crate::server::store::ledger::job_holds;
use crate::server::store::tasks::SubmitLimits;

/// Log lines a job shows, the newest kept.
const LOG_LINES: i64 = 500;
/// Characters of the prompt a listing shows.
const LISTING_PROMPT_CHARS: usize = 120;

/// What a subtask is doing, as its row says (the task's own state is read from the task).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubtaskState {
    /// Its dependencies have not all succeeded yet.
    Waiting,
    /// A task runs it (round 0, or the re-run after an escalation).
    Running,
    /// It failed; the inference service is asked to repair it.
    Escalating,
    Succeeded,
    Failed,
    /// A dependency failed: it never runs.
    Skipped,
    Cancelled,
}

impl SubtaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            SubtaskState::Waiting => "waiting",
            SubtaskState::Running => "running",
            SubtaskState::Escalating => "escalating",
            SubtaskState::Succeeded => "succeeded",
            SubtaskState::Failed => "failed",
            SubtaskState::Skipped => "skipped",
            SubtaskState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> SubtaskState {
        match s {
            "waiting" => SubtaskState::Waiting,
            "running" => SubtaskState::Running,
            "escalating" => SubtaskState::Escalating,
            "succeeded" => SubtaskState::Succeeded,
            "skipped" => SubtaskState::Skipped,
            "cancelled" => SubtaskState::Cancelled,
            _ => SubtaskState::Failed,
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            SubtaskState::Succeeded
                | SubtaskState::Failed
                | SubtaskState::Skipped
                | SubtaskState::Cancelled
        )
    }
}

/// A subtask row.
#[derive(Debug, Clone)]
pub struct SubtaskRow {
    pub seq: i64,
    pub spec: Subtask,
    pub state: SubtaskState,
    pub task_id: Option<String>,
    pub round: u32,
    pub escalated: bool,
    pub error: Option<String>,
    pub next_try_at: i64,
}

/// A job row, with its request as accepted.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: String,
    pub state: JobState,
    pub request: JobSubmitRequest,
    pub submitted_by: String,
    pub account: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    pub error: Option<String>,
    pub decompose_tries: u32,
    pub next_try_at: i64,
    pub check_task_id: Option<String>,
    pub result: Option<JobResult>,
    /// What the job still holds of its quote (`ledger::job_holds`).
    pub held: i64,
}

pub fn parse_state(s: &str) -> Option<JobState> {
    ALL_STATES.iter().copied().find(|st| st.as_str() == s)
}

pub const ALL_STATES: [JobState; 7] = [
    JobState::Decomposing,
    JobState::Running,
    JobState::Aggregating,
    JobState::Succeeded,
    JobState::Partial,
    JobState::Failed,
    JobState::Cancelled,
];

const JOB_COLUMNS: &str = "id, state, request, submitted_by, account, created_at, updated_at, \
     finished_at, error, decompose_tries, next_try_at, check_task_id, result, held";

fn json_err(i: usize, e: serde_json::Error) -> db::Error {
    db::Error::column(i, format!("stored JSON is unreadable: {e}"))
}

fn job_from_row(r: &db::Row<'_>) -> db::Result<JobRow> {
    let state: String = r.get(1)?;
    let request: String = r.get(2)?;
    let result: Option<String> = r.get(12)?;
    Ok(JobRow {
        id: r.get(0)?,
        state: parse_state(&state).unwrap_or(JobState::Failed),
        request: serde_json::from_str(&request).map_err(|e| json_err(2, e))?,
        submitted_by: r.get(3)?,
        account: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        finished_at: r.get(7)?,
        error: r.get(8)?,
        decompose_tries: r.get(9)?,
        next_try_at: r.get(10)?,
        check_task_id: r.get(11)?,
        result: result
            .map(|s| serde_json::from_str(&s).map_err(|e| json_err(12, e)))
            .transpose()?,
        held: r.get(13)?,
    })
}

/// Stores a new job (or returns the one submitted before with the same idempotency key) after
/// checking that its submitter can afford its worst case.
pub fn insert(
    ctx: &mut WriteCtx<'_>,
    req: JobSubmitRequest,
    submitted_by: &str,
    limits: &SubmitLimits,
    payer: &Payer,
) -> Result<(String, bool), ApiError> {
    super::job_input::validate(&req, limits)?;
    if let Some(key) = &req.idempotency_key {
        let existing: Option<String> = ctx
            .conn
            .prepare_cached("SELECT id FROM jobs WHERE submitted_by = ?1 AND idempotency_key = ?2")?
            .query_row(params![submitted_by, key], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            return Ok((id, false));
        }
    }
    let quote = job_holds::quote(
        ctx,
        payer,
        limits.default_timeout_secs,
        super::job_input::worst_case_tasks(&req),
    )?;
    let id = crate::server::auth::random_hex(8);
    ctx.conn
        .prepare_cached(
            "INSERT INTO jobs (id, state, request, prompt, language, submitted_by, account, \
             idempotency_key, created_at, updated_at, held) \
             VALUES (?1, 'decomposing', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
        )?
        .execute(params![
            id,
            serde_json::to_string(&req)?,
            crate::api::clip_chars(
                req.prompt.lines().next().unwrap_or(""),
                LISTING_PROMPT_CHARS
            ),
            req.language,
            submitted_by,
            payer.account,
            req.idempotency_key,
            ctx.now,
            quote,
        ])?;
    job_holds::hold(ctx, payer, &id, quote)?;
    log(
        ctx,
        &id,
        "job.created",
        None,
        &format!(
            "accepted: {} ({}), decompose {}",
            crate::api::clip_chars(req.prompt.lines().next().unwrap_or(""), 80),
            req.language,
            match req.decompose {
                DecomposeMode::Auto => "auto",
                DecomposeMode::Never => "never",
            }
        ),
        serde_json::json!({}),
    )?;
    Ok((id, true))
}

/// Appends a job event whose `message` is a line of the job's log.
pub fn log(
    ctx: &mut WriteCtx<'_>,
    job_id: &str,
    kind: &str,
    task_id: Option<&str>,
    message: &str,
    extra: serde_json::Value,
) -> Result<(), ApiError> {
    let mut data = serde_json::json!({"job": job_id, "message": message});
    if let (Some(fields), serde_json::Value::Object(more)) = (data.as_object_mut(), extra) {
        fields.extend(more);
    }
    ctx.job_event(kind, job_id, task_id, &data)?;
    Ok(())
}

pub fn get_row(conn: &Db, id: &str) -> Result<JobRow, ApiError> {
    conn.prepare_cached(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"))?
        .query_row([id], job_from_row)
        .optional()?
        .ok_or_else(|| ApiError::not_found("job", id))
}

/// Ids of jobs that have not ended, oldest first: what the driver looks at.
pub fn open_ids(conn: &Db) -> Result<Vec<String>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT id FROM jobs WHERE finished_at IS NULL ORDER BY created_at")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

pub fn subtasks(conn: &Db, job_id: &str) -> Result<Vec<SubtaskRow>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, spec, state, task_id, round, escalated, error, next_try_at \
         FROM job_subtasks WHERE job_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([job_id], |r| {
            let spec: String = r.get(1)?;
            let state: String = r.get(2)?;
            Ok(SubtaskRow {
                seq: r.get(0)?,
                spec: serde_json::from_str(&spec).map_err(|e| json_err(1, e))?,
                state: SubtaskState::parse(&state),
                task_id: r.get(3)?,
                round: r.get(4)?,
                escalated: r.get(5)?,
                error: r.get(6)?,
                next_try_at: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Resolves a job id or unique prefix the caller may see; another user's job is the same 404
/// as a job that does not exist.
pub fn resolve_visible_id(
    conn: &Db,
    prefix: &str,
    submitted_by: Option<&str>,
) -> Result<String, ApiError> {
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::not_found("job", prefix));
    }
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM jobs WHERE id >= ?1 AND id < ?1 || 'g' \
             AND (CAST(?2 AS TEXT) IS NULL OR submitted_by = ?2) LIMIT 2",
        )?
        .query_map(params![prefix.to_ascii_lowercase(), submitted_by], |r| {
            r.get(0)
        })?
        .collect::<Result<_, _>>()?;
    match ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ApiError::not_found("job", prefix)),
        _ => Err(ApiError::conflict(
            "ambiguous_id",
            format!("{prefix:?} matches more than one job: give more characters"),
        )),
    }
}

fn log_lines(conn: &Db, job_id: &str) -> Result<Vec<JobLogLine>, ApiError> {
    let mut lines: Vec<JobLogLine> = conn
        .prepare_cached(
            "SELECT at, data ->> '$.message' FROM events WHERE job_id = ?1 \
             ORDER BY id DESC LIMIT ?2",
        )?
        .query_map(params![job_id, LOG_LINES], |r| {
            Ok(JobLogLine {
                at: r.get(0)?,
                message: r.get::<Option<String>>(1)?.unwrap_or_default(),
            })
        })?
        .collect::<Result<_, _>>()?;
    lines.reverse();
    Ok(lines)
}

/// A subtask as `jobs show` prints it: its row, and the task running it now.
fn subtask_view(conn: &Db, row: &SubtaskRow) -> Result<JobSubtask, ApiError> {
    let (mut state, mut node_id, mut iterations) = (None, None, Vec::new());
    let mut error = row.error.clone();
    if let Some(task_id) = &row.task_id {
        let found: Option<(String, Option<String>, Option<String>)> = conn
            .prepare_cached("SELECT state, node_id, error FROM tasks WHERE id = ?1")?
            .query_row([task_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((task_state, node, task_error)) = found {
            state = TaskState::parse(&task_state);
            node_id = node;
            if error.is_none() && !matches!(row.state, SubtaskState::Succeeded) {
                error = task_error;
            }
        }
        if let Some(code) = crate::server::store::code_result::load(conn, task_id)? {
            iterations = code.iterations;
        }
    }
    Ok(JobSubtask {
        subtask: row.spec.clone(),
        task_id: row.task_id.clone(),
        state,
        escalated: row.escalated,
        node_id,
        error,
        iterations,
    })
}

/// A job with its subtasks, log and (once ended) result.
pub fn get(conn: &Db, id: &str) -> Result<JobInfo, ApiError> {
    let row = get_row(conn, id)?;
    let subtasks = subtasks(conn, id)?
        .iter()
        .map(|s| subtask_view(conn, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(JobInfo {
        id: row.id.clone(),
        state: row.state,
        prompt: row.request.prompt.clone(),
        language: row.request.language.clone(),
        check: row.request.check.clone(),
        part_check: row.request.part_check.clone(),
        model: row.request.model.clone(),
        decompose: row.request.decompose,
        max_subtasks: row.request.max_subtasks,
        submitted_by: row.submitted_by.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        finished_at: row.finished_at,
        error: row.error.clone(),
        subtasks,
        log: log_lines(conn, id)?,
        result: row.result,
    })
}

/// A page of jobs, newest first.
pub fn list(
    conn: &Db,
    state: Option<JobState>,
    limit: u32,
    submitted_by: Option<&str>,
) -> Result<Vec<JobSummary>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.id, j.state, j.prompt, j.language, j.submitted_by, j.created_at, \
         j.finished_at, \
         (SELECT COUNT(*) FROM job_subtasks s WHERE s.job_id = j.id), \
         (SELECT COUNT(*) FROM job_subtasks s WHERE s.job_id = j.id AND s.state = 'succeeded') \
         FROM jobs j WHERE (CAST(?1 AS TEXT) IS NULL OR j.state = ?1) AND (CAST(?2 AS TEXT) IS NULL OR j.submitted_by = ?2) \
         ORDER BY j.created_at DESC, j.id DESC LIMIT ?3",
    )?;
    let jobs = stmt
        .query_map(
            params![
                state.map(JobState::as_str),
                submitted_by,
                limit.clamp(1, 1000)
            ],
            |r| {
                let state: String = r.get(1)?;
                Ok(JobSummary {
                    id: r.get(0)?,
                    state: parse_state(&state).unwrap_or(JobState::Failed),
                    prompt: r.get(2)?,
                    language: r.get(3)?,
                    submitted_by: r.get(4)?,
                    created_at: r.get(5)?,
                    finished_at: r.get(6)?,
                    subtasks: r.get(7)?,
                    subtasks_succeeded: r.get(8)?,
                })
            },
        )?
        .collect::<Result<_, _>>()?;
    Ok(jobs)
}

/// Moves a job to `state`; a final state records when and why.
pub fn set_state(
    ctx: &mut WriteCtx<'_>,
    id: &str,
    state: JobState,
    error: Option<&str>,
) -> Result<(), ApiError> {
    let finished = state.is_final().then_some(ctx.now);
    ctx.conn
        .prepare_cached(
            "UPDATE jobs SET state = ?2, updated_at = ?3, finished_at = COALESCE(?4, finished_at), \
             error = COALESCE(?5, error) WHERE id = ?1",
        )?
        .execute(params![id, state.as_str(), ctx.now, finished, error])?;
    Ok(())
}

/// What the job still holds of its quote, read inside the writer (never a stale row's figure).
pub fn held(conn: &Db, id: &str) -> Result<i64, ApiError> {
    Ok(conn
        .prepare_cached("SELECT held FROM jobs WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

/// Releases `amount` of the job's hold (at most what it holds) to its account.
pub fn release_hold(ctx: &mut WriteCtx<'_>, job: &JobRow, amount: i64) -> Result<i64, ApiError> {
    let held = held(ctx.conn, &job.id)?;
    let amount = amount.clamp(0, held);
    if amount == 0 {
        return Ok(0);
    }
    job_holds::release(ctx, &job.account, &job.id, amount)?;
    ctx.conn
        .prepare_cached("UPDATE jobs SET held = held - ?2 WHERE id = ?1")?
        .execute(params![job.id, amount])?;
    Ok(amount)
}

/// Takes `amount` back into the job's hold (a draw for a task that was not created after all).
pub fn restore_hold(
    ctx: &mut WriteCtx<'_>,
    job: &JobRow,
    payer: &Payer,
    amount: i64,
) -> Result<(), ApiError> {
    if amount <= 0 {
        return Ok(());
    }
    job_holds::hold(ctx, payer, &job.id, amount)?;
    ctx.conn
        .prepare_cached("UPDATE jobs SET held = held + ?2 WHERE id = ?1")?
        .execute(params![job.id, amount])?;
    Ok(())
}

/// Stores the job's result (once ended).
pub fn set_result(ctx: &mut WriteCtx<'_>, id: &str, result: &JobResult) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached("UPDATE jobs SET result = ?2 WHERE id = ?1")?
        .execute(params![id, serde_json::to_string(result)?])?;
    Ok(())
}

/// Records a failed try at decomposing and when the next one is due.
pub fn decompose_retry_at(ctx: &mut WriteCtx<'_>, id: &str, at: i64) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "UPDATE jobs SET decompose_tries = decompose_tries + 1, next_try_at = ?2, \
             updated_at = ?3 WHERE id = ?1",
        )?
        .execute(params![id, at, ctx.now])?;
    Ok(())
}

pub fn insert_subtasks(
    ctx: &mut WriteCtx<'_>,
    job_id: &str,
    subtasks: &[Subtask],
) -> Result<(), ApiError> {
    let mut stmt = ctx.conn.prepare_cached(
        "INSERT INTO job_subtasks (job_id, seq, subtask_id, spec) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT DO NOTHING",
    )?;
    for (seq, s) in subtasks.iter().enumerate() {
        stmt.execute(params![job_id, seq as i64, s.id, serde_json::to_string(s)?])?;
    }
    Ok(())
}

/// Updates a subtask's row.
pub fn set_subtask(ctx: &mut WriteCtx<'_>, job_id: &str, row: &SubtaskRow) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "UPDATE job_subtasks SET state = ?3, task_id = ?4, round = ?5, escalated = ?6, \
             error = ?7, next_try_at = ?8 WHERE job_id = ?1 AND subtask_id = ?2",
        )?
        .execute(params![
            job_id,
            row.spec.id,
            row.state.as_str(),
            row.task_id,
            row.round,
            row.escalated,
            row.error,
            row.next_try_at
        ])?;
    ctx.conn
        .prepare_cached("UPDATE jobs SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![job_id, ctx.now])?;
    Ok(())
}

/// Links a task to its job (and subtask and round), so the event stream and a restart find it.
pub fn link_task(
    ctx: &mut WriteCtx<'_>,
    task_id: &str,
    job_id: &str,
    subtask_id: Option<&str>,
    round: u32,
) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "INSERT INTO job_tasks (task_id, job_id, subtask_id, round) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        )?
        .execute(params![task_id, job_id, subtask_id, round])?;
    Ok(())
}

pub fn set_check_task(ctx: &mut WriteCtx<'_>, job_id: &str, task_id: &str) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached("UPDATE jobs SET check_task_id = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![job_id, task_id, ctx.now])?;
    Ok(())
}

/// Every task a job made, for totals.
pub fn task_ids(conn: &Db, job_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT task_id FROM job_tasks WHERE job_id = ?1")?
        .query_map([job_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// Conflicts a job found, for its error line.
pub fn conflict_line(conflicts: &[JobConflict]) -> Option<String> {
    let undecided: Vec<&str> = conflicts
        .iter()
        .filter(|c| c.kept.is_none())
        .map(|c| c.path.as_str())
        .collect();
    (!undecided.is_empty()).then(|| {
        format!(
            "subtasks that do not depend on each other wrote the same path: {}",
            undecided.join(", ")
        )
    })
}
