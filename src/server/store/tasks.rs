//! Tasks as stored: submission, reading, listing, cancellation and logs.

use super::WriteCtx;
use crate::api::{
    Attempt, LogChunk, LogPage, Placement, Requirements, SubmitRequest, TaskFile, TaskInfo,
    TaskState, TaskSummary,
};
use crate::server::error::ApiError;
use crate::server::store::db::{self, Db, OptionalExtension, Row, params};
use crate::server::store::ledger::charges::{self, Payer};
use std::collections::BTreeMap;

pub const TASK_COLUMNS: &str = "id, state, command, env, timeout_ms, requirements, placement, \
     priority, max_attempts, attempts, idempotency_key, submitted_by, created_at, updated_at, \
     finished_at, node_id, exit_code, error, cancel_requested, network, name, retry";

pub use super::task_input::{FieldLimits, SubmitLimits};

pub fn task_from_row(row: &Row<'_>) -> db::Result<TaskInfo> {
    let json_err = |i: usize, e: serde_json::Error| {
        db::Error::column(i, format!("stored JSON is unreadable: {e}"))
    };
    let state: String = row.get(1)?;
    let command: String = row.get(2)?;
    let env: String = row.get(3)?;
    let requirements: String = row.get(5)?;
    let placement: String = row.get(6)?;
    let retry: Option<String> = row.get(21)?;
    Ok(TaskInfo {
        id: row.get(0)?,
        state: TaskState::parse(&state).unwrap_or(TaskState::Failed),
        command: serde_json::from_str(&command).map_err(|e| json_err(2, e))?,
        env: serde_json::from_str(&env).map_err(|e| json_err(3, e))?,
        timeout_secs: row.get::<i64>(4)? as u64 / 1000,
        requirements: serde_json::from_str(&requirements).map_err(|e| json_err(5, e))?,
        placement: if placement == "local-only" {
            Placement::LocalOnly
        } else {
            Placement::Mesh
        },
        priority: row.get(7)?,
        max_attempts: row.get(8)?,
        attempts: row.get(9)?,
        idempotency_key: row.get(10)?,
        submitted_by: row.get(11)?,
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
        finished_at: row.get(14)?,
        node_id: row.get(15)?,
        exit_code: row.get(16)?,
        error: row.get(17)?,
        cancel_requested: row.get(18)?,
        network: row.get(19)?,
        attempt_history: Vec::new(),
        code_result: None,
        name: row.get(20)?,
        retry: retry
            .map(|r| serde_json::from_str(&r).map_err(|e| json_err(21, e)))
            .transpose()?,
        source: None,
        waiting: None,
        artifacts: Vec::new(),
    })
}

/// Refuses a submission that cannot run (also used by quotes).
pub fn validate(req: &SubmitRequest, limits: &SubmitLimits) -> Result<(), ApiError> {
    super::task_input::check_command_and_env(req, &limits.fields)?;
    if let Some(t) = req.timeout_secs
        && (t == 0 || t > limits.max_timeout_secs)
    {
        return Err(ApiError::bad_request(format!(
            "timeout_secs must be between 1 and {} (this coordinator's maximum)",
            limits.max_timeout_secs
        )));
    }
    if let Some(n) = req.max_attempts
        && !(1..=100).contains(&n)
    {
        return Err(ApiError::bad_request(
            "max_attempts must be between 1 and 100",
        ));
    }
    if let crate::api::TaskCommand::Code(spec) = &req.command
        && let Some(t) = spec.check_timeout_secs
        && t > limits.max_timeout_secs
    {
        return Err(ApiError::bad_request(format!(
            "command.code.check_timeout_secs must be between 1 and {} (this coordinator's \
             maximum)",
            limits.max_timeout_secs
        )));
    }
    if let Some(model) = &req.requirements.model {
        super::code_input::check_model_name("requirements.model", model)?;
        if let crate::api::TaskCommand::Code(spec) = &req.command
            && spec.model.as_ref().is_some_and(|m| m != model)
        {
            return Err(ApiError::bad_request(
                "requirements.model and command.code.model name different models: give the \
                 model once, in command.code.model",
            ));
        }
    }
    if let Some(family) = &req.requirements.model_family {
        super::code_input::check_model_name("requirements.model_family", family)?;
    }
    super::task_input::check_files(req, &limits.fields)?;
    super::inference_input::check_submission(req)?;
    super::retry::check_name_and_rule(req)?;
    super::task_outputs::check(req)?;
    if let Some(key) = &req.idempotency_key
        && (key.is_empty() || key.len() > 200)
    {
        return Err(ApiError::bad_request(
            "idempotency_key must be 1 to 200 characters",
        ));
    }
    Ok(())
}

/// Stores a new task, or returns the earlier one submitted with the same idempotency key.
///
/// The payer's hold is checked before anything is written, so a refusal (a short balance) leaves
/// nothing behind; the agreed price goes in the task row and the hold entry right after it, so a
/// hold never exists without its task.
pub fn submit(
    ctx: &mut WriteCtx<'_>,
    req: SubmitRequest,
    submitted_by: &str,
    limits: SubmitLimits,
    payer: &Payer,
) -> Result<(TaskInfo, bool), ApiError> {
    validate(&req, &limits)?;
    let mut req = req;
    req.requirements = super::code_input::effective_requirements(
        &req.command,
        std::mem::take(&mut req.requirements),
    );
    if let Some(key) = &req.idempotency_key {
        let existing = ctx
            .conn
            .prepare_cached(&format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE submitted_by = ?1 AND idempotency_key = ?2"
            ))?
            .query_row(params![submitted_by, key], task_from_row)
            .optional()?;
        if let Some(task) = existing {
            return Ok((task, false));
        }
    }
    let id = crate::server::auth::random_hex(8);
    let timeout_ms = req.timeout_secs.unwrap_or(limits.default_timeout_secs) as i64 * 1000;
    let plain = req.requirements == Requirements::default();
    let gpu = req.requirements.gpu;
    let (max_attempts, charge) = match &req.command {
        // Run once, paid by tokens (see `inference_input`).
        crate::api::TaskCommand::Inference(spec) => (
            1,
            charges::check_token_hold(ctx, payer, spec.token_bound())?,
        ),
        _ => (
            req.max_attempts.unwrap_or(limits.default_max_attempts),
            charges::check_hold(ctx, payer, (timeout_ms / 1000) as u64, gpu)?,
        ),
    };
    let charge_json = charge.as_ref().map(charges::Charge::to_json).transpose()?;
    ctx.conn
        .prepare_cached(
            "INSERT INTO tasks (id, state, command, env, files, timeout_ms, requirements, plain, \
             placement, network, priority, max_attempts, idempotency_key, submitted_by, \
             created_at, updated_at, charge, summary, kind, name, retry) \
             VALUES (?1, 'queued', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, \
             ?15, ?16, ?17, ?18, ?19)",
        )?
        .execute(params![
            id,
            serde_json::to_string(&req.command)?,
            serde_json::to_string(&req.env)?,
            serde_json::to_string(&req.files)?,
            timeout_ms,
            serde_json::to_string(&req.requirements)?,
            plain,
            req.placement.as_str(),
            req.network,
            req.priority,
            max_attempts,
            req.idempotency_key,
            submitted_by,
            ctx.now,
            charge_json,
            req.command.summary(),
            req.command.kind(),
            req.name,
            req.retry.as_ref().map(serde_json::to_string).transpose()?,
        ])?;
    if let Some(charge) = &charge {
        charges::write_hold(ctx, payer, &id, charge)?;
    }
    super::task_outputs::store_spec(ctx, &id, &req)?;
    ctx.event(
        "task.submitted",
        Some(&id),
        None,
        &serde_json::json!({"state": "queued", "priority": req.priority}),
    )?;
    ctx.queue_changed();
    // Built from what was just stored rather than read back: submission is on the hot path.
    let task = TaskInfo {
        id,
        state: TaskState::Queued,
        command: req.command,
        env: req.env,
        timeout_secs: (timeout_ms / 1000) as u64,
        requirements: req.requirements,
        placement: req.placement,
        priority: req.priority,
        max_attempts,
        attempts: 0,
        idempotency_key: req.idempotency_key,
        submitted_by: submitted_by.to_string(),
        created_at: ctx.now,
        updated_at: ctx.now,
        finished_at: None,
        node_id: None,
        exit_code: None,
        error: None,
        cancel_requested: false,
        network: req.network,
        attempt_history: Vec::new(),
        code_result: None,
        name: req.name,
        retry: req.retry,
        source: None,
        waiting: None,
        artifacts: Vec::new(),
    };
    Ok((task, true))
}

pub fn get(conn: &Db, id: &str) -> Result<TaskInfo, ApiError> {
    conn.prepare_cached(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1"))?
        .query_row([id], task_from_row)
        .optional()?
        .ok_or_else(|| ApiError::not_found("task", id))
}

pub fn files(conn: &Db, id: &str) -> Result<Vec<TaskFile>, ApiError> {
    let raw: String = conn
        .prepare_cached("SELECT files FROM tasks WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    Ok(serde_json::from_str(&raw)?)
}

pub fn attempts(conn: &Db, id: &str) -> Result<Vec<Attempt>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT number, node_id, lease_id, claimed_at, started_at, finished_at, outcome, \
         exit_code, error, duration_ms, cpu_ms, peak_rss_kib \
         FROM attempts WHERE task_id = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Attempt {
            number: r.get(0)?,
            node_id: r.get(1)?,
            lease_id: r.get(2)?,
            claimed_at: r.get(3)?,
            started_at: r.get(4)?,
            finished_at: r.get(5)?,
            outcome: r.get(6)?,
            exit_code: r.get(7)?,
            error: r.get(8)?,
            duration_ms: r.get::<Option<i64>>(9)?.map(|v| v as u64),
            cpu_ms: r.get::<Option<i64>>(10)?.map(|v| v as u64),
            peak_rss_kib: r.get::<Option<i64>>(11)?.map(|v| v as u64),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Resolves an id or a unique prefix of one.
pub fn resolve_id(conn: &Db, prefix: &str) -> Result<String, ApiError> {
    resolve_visible_id(conn, prefix, None)
}

#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub state: Option<TaskState>,
    pub node_id: Option<String>,
    pub limit: u32,
    /// Only tasks older than this sequence number (the paging cursor).
    pub before_seq: Option<i64>,
    /// Only tasks this token submitted (a `user` caller sees only its own).
    pub submitted_by: Option<String>,
}

/// Columns of a listing row: never env, files or the whole command, so a page stays small.
const SUMMARY_COLUMNS: &str = "id, state, kind, summary, priority, \
     placement, timeout_ms, max_attempts, attempts, submitted_by, created_at, updated_at, \
     finished_at, node_id, exit_code, substr(error, 1, 201), cancel_requested, seq, name";

fn summary_from_row(row: &Row<'_>) -> db::Result<TaskSummary> {
    let state: String = row.get(1)?;
    let placement: String = row.get(5)?;
    Ok(TaskSummary {
        id: row.get(0)?,
        state: TaskState::parse(&state).unwrap_or(TaskState::Failed),
        kind: row.get(2)?,
        command: row.get(3)?,
        priority: row.get(4)?,
        placement: if placement == "local-only" {
            Placement::LocalOnly
        } else {
            Placement::Mesh
        },
        timeout_secs: row.get::<i64>(6)? as u64 / 1000,
        max_attempts: row.get(7)?,
        attempts: row.get(8)?,
        submitted_by: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        finished_at: row.get(12)?,
        node_id: row.get(13)?,
        exit_code: row.get(14)?,
        error: row
            .get::<Option<String>>(15)?
            .map(|e| crate::api::clip_chars(&e, crate::api::SUMMARY_CHARS)),
        cancel_requested: row.get(16)?,
        name: row.get(18)?,
    })
}

/// Newest first; returns the page and the cursor of the next one.
pub fn list(conn: &Db, f: &ListFilter) -> Result<(Vec<TaskSummary>, Option<i64>), ApiError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM tasks \
         WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) AND (CAST(?2 AS TEXT) IS NULL OR node_id = ?2) \
         AND (CAST(?3 AS BIGINT) IS NULL OR seq < ?3) AND (CAST(?5 AS TEXT) IS NULL OR submitted_by = ?5) \
         ORDER BY seq DESC LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let limit = f.limit.clamp(1, 1000);
    let mut last_seq = None;
    let rows = stmt.query_map(
        params![
            f.state.map(TaskState::as_str),
            f.node_id,
            f.before_seq,
            limit + 1,
            f.submitted_by
        ],
        |r| Ok((summary_from_row(r)?, r.get::<i64>(17)?)),
    )?;
    let mut tasks = Vec::new();
    let mut more = false;
    for row in rows {
        let (task, seq) = row?;
        if tasks.len() == limit as usize {
            more = true;
            break;
        }
        tasks.push(task);
        last_seq = Some(seq);
    }
    Ok((tasks, if more { last_seq } else { None }))
}

/// Cancels a queued task at once; asks the agent of a running one to stop.
pub fn cancel(ctx: &mut WriteCtx<'_>, id: &str) -> Result<TaskInfo, ApiError> {
    let task = get(ctx.conn, id)?;
    match task.state {
        TaskState::Queued => {
            super::transitions::cancel_queued(ctx, id)?;
            crate::server::store::ledger::charges::task_ended(ctx, id, "cancelled", None)?;
            ctx.event(
                "task.cancelled",
                Some(id),
                None,
                &serde_json::json!({"state": "cancelled"}),
            )?;
        }
        TaskState::Leased | TaskState::Running => {
            super::transitions::request_cancel(ctx, id)?;
            ctx.event(
                "task.cancel_requested",
                Some(id),
                task.node_id.as_deref(),
                &serde_json::json!({"state": task.state.as_str()}),
            )?;
        }
        state => {
            return Err(ApiError::conflict(
                "already_finished",
                format!("task {id} already ended ({})", state.as_str()),
            ));
        }
    }
    get(ctx.conn, id)
}

/// A page of a task's log, by byte offset within one attempt (the latest by default).
pub fn logs(
    conn: &Db,
    id: &str,
    attempt: Option<u32>,
    from_offset: u64,
    max_chunks: u32,
) -> Result<LogPage, ApiError> {
    let task = get(conn, id)?;
    let attempt = attempt.unwrap_or(task.attempts.max(1));
    let mut stmt = conn.prepare_cached(
        "SELECT \"offset\", stream, data FROM task_logs WHERE task_id = ?1 AND attempt = ?2 \
         AND \"offset\" >= ?3 ORDER BY \"offset\" LIMIT ?4",
    )?;
    let chunks: Vec<LogChunk> = stmt
        .query_map(
            params![id, attempt, from_offset as i64, max_chunks.clamp(1, 10_000)],
            |r| {
                Ok(LogChunk {
                    attempt,
                    offset: r.get::<i64>(0)? as u64,
                    stream: r.get(1)?,
                    data: r.get(2)?,
                })
            },
        )?
        .collect::<Result<_, _>>()?;
    let next_offset = chunks
        .last()
        .map(|c| c.offset + c.data.len() as u64)
        .unwrap_or(from_offset);
    Ok(LogPage {
        task_id: id.to_string(),
        attempt,
        chunks,
        next_offset,
    })
}

pub fn counts_by_state(conn: &Db) -> Result<BTreeMap<String, u64>, ApiError> {
    let mut counts: BTreeMap<String, u64> = TaskState::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let mut stmt = conn.prepare_cached("SELECT state, COUNT(*) FROM tasks GROUP BY state")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)))?;
    for row in rows {
        let (state, n) = row?;
        counts.insert(state, n as u64);
    }
    Ok(counts)
}

/// Like [`resolve_id`], but among the tasks `submitted_by` submitted when given (a `user`
/// caller): another user's task is "not found", and its id never makes a prefix ambiguous.
pub fn resolve_visible_id(
    conn: &Db,
    prefix: &str,
    submitted_by: Option<&str>,
) -> Result<String, ApiError> {
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::not_found("task", prefix));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM tasks WHERE id >= ?1 AND id < ?1 || 'g' \
         AND (CAST(?2 AS TEXT) IS NULL OR submitted_by = ?2) LIMIT 2",
    )?;
    let ids: Vec<String> = stmt
        .query_map(params![prefix.to_ascii_lowercase(), submitted_by], |r| {
            r.get(0)
        })?
        .collect::<Result<_, _>>()?;
    match ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ApiError::not_found("task", prefix)),
        _ => Err(ApiError::conflict(
            "ambiguous_id",
            format!("{prefix:?} matches more than one task: give more characters"),
        )),
    }
}
