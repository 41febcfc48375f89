//! The life of an attempt: claim, start (accept), log upload and completion. The sweeper that
//! re-queues work whose node went quiet, never started it, or overran its deadline is in
//! [`super::sweep`]; every change of a task's state is in [`super::transitions`].

use super::WriteCtx;
use super::tasks::{files, get};
use super::transitions::{self, Failure, Reported, end_attempt_with};
use crate::api::{
    Capabilities, ClaimedTask, CompleteRequest, Intervals, Lease, LogUpload, NetworkMode, Outcome,
    Placement, Requirements, TaskInfo,
};
use crate::server::auth::random_hex;
use crate::server::error::ApiError;
use crate::server::store::db::{OptionalExtension, params};
use crate::server::store::ledger::charges::Usage;
use std::collections::{BTreeMap, HashMap};

/// Slack past a task's timeout before the coordinator gives up on the agent enforcing it.
const DEADLINE_GRACE_MS: i64 = 30_000;

/// What the scheduler knows of a node when it offers work.
pub struct NodeView {
    pub capabilities: Capabilities,
    pub labels: BTreeMap<String, String>,
}

impl NodeView {
    /// Nodes the coordinator's owner vouches for: its own local worker, or labelled trusted/owned.
    pub fn trusted(&self) -> bool {
        super::nodes::TRUST_LABELS
            .iter()
            .any(|k| self.labels.contains_key(*k))
    }

    pub fn meets(&self, req: &Requirements, placement: Placement) -> bool {
        let caps = &self.capabilities;
        if placement == Placement::LocalOnly && !self.trusted() {
            return false;
        }
        super::why_waiting::unmet(caps, &self.labels, req).is_empty()
    }
}

/// Hands the best eligible queued task to the node: priority first, then age. The node must be
/// approved, not blacklisted, and (in `enterprise_overlay`) trusted; these are read inside the
/// writer's transaction, so a change committed before this job is always seen.
pub fn claim(
    ctx: &mut WriteCtx<'_>,
    node_id: &str,
    intervals: &Intervals,
    mode: NetworkMode,
) -> Result<Option<ClaimedTask>, ApiError> {
    let node = ctx
        .conn
        .prepare_cached(
            "SELECT state, draining, labels, capabilities, blacklisted, \
             COALESCE(host_paused, 0) FROM nodes WHERE id = ?1",
        )?
        .query_row([node_id], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<bool>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<bool>(4)?,
                r.get::<bool>(5)?,
            ))
        })
        .optional()?
        .ok_or_else(|| ApiError::not_found("node", node_id))?;
    let (state, draining, labels, caps, blacklisted, paused) = node;
    // Refusals come before the first write below: a job that fails after writing would take its
    // whole batch down with it.
    if blacklisted {
        return Err(super::blacklist::blacklisted_error(node_id));
    }
    match state.as_str() {
        "approved" => {}
        "pending" => {
            return Err(ApiError::forbidden(
                "this node is waiting for approval: an admin runs `edgecoder server nodes approve`",
            ));
        }
        other => {
            return Err(ApiError::forbidden(format!(
                "this node is {other} and may not claim work"
            )));
        }
    }
    let view = NodeView {
        labels: serde_json::from_str(&labels)?,
        capabilities: serde_json::from_str(&caps)?,
    };
    if mode == NetworkMode::EnterpriseOverlay && !view.trusted() {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "untrusted_node",
            "this coordinator runs in enterprise_overlay mode: only nodes labelled local, \
             trusted or owned take work (an admin may switch to public_mesh with `edgecoder \
             server mode set public_mesh`)",
        ));
    }
    // A claim is a sign of life too: a node that claims is not lost, whatever its heartbeats.
    let was_online: bool = ctx
        .conn
        .prepare_cached(
            "UPDATE nodes SET last_heartbeat_at = ?2, online = 1 WHERE id = ?1 \
             RETURNING (SELECT online FROM nodes WHERE id = ?1)",
        )?
        .query_row(params![node_id, ctx.now], |r| r.get(0))?;
    if !was_online {
        super::nodes::announce_online(ctx, node_id)?;
    }
    // A node whose last heartbeat said its host is paused (on battery, its owner at work …) is
    // offered nothing, however it asks; its next heartbeat that says running lifts this.
    if draining || paused {
        return Ok(None);
    }
    let max = view.capabilities.max_concurrent_tasks;
    if max > 0 {
        let held: i64 = ctx
            .conn
            .prepare_cached("SELECT COUNT(*) FROM leases WHERE node_id = ?1")?
            .query_row([node_id], |r| r.get(0))?;
        if held >= max as i64 {
            return Ok(None);
        }
    }
    // Walk the queue in order until a task fits. No fixed scan limit: a backlog of work this node
    // cannot run must never hide eligible work behind it. Each distinct requirement set is
    // judged once per claim, so skipping a long ineligible backlog stays cheap.
    let mut stmt = ctx.conn.prepare_cached(
        // INDEXED BY: left to itself the planner picks `tasks_state` and sorts every queued
        // task on each claim, which collapses throughput once tens of thousands are queued.
        "SELECT id, plain, placement, requirements FROM tasks INDEXED BY tasks_queue \
         WHERE state = 'queued' AND not_before <= ?1 ORDER BY priority DESC, seq",
    )?;
    let mut verdicts: HashMap<(String, String), bool> = HashMap::new();
    let mut chosen: Option<String> = None;
    let mut rows = stmt.query([ctx.now])?;
    while let Some(row) = rows.next()? {
        let plain: bool = row.get(1)?;
        let placement: String = row.get(2)?;
        let placement_of = |p: &str| {
            if p == Placement::LocalOnly.as_str() {
                Placement::LocalOnly
            } else {
                Placement::Mesh
            }
        };
        let eligible = if plain && placement_of(&placement) == Placement::Mesh {
            true
        } else {
            let key = (placement, row.get::<String>(3)?);
            match verdicts.get(&key) {
                Some(v) => *v,
                None => {
                    let req: Requirements = serde_json::from_str(&key.1)?;
                    let v = view.meets(&req, placement_of(&key.0));
                    verdicts.insert(key, v);
                    v
                }
            }
        };
        if eligible {
            chosen = Some(row.get(0)?);
            break;
        }
    }
    drop(rows);
    let Some(task_id) = chosen else {
        return Ok(None);
    };
    let task = get(ctx.conn, &task_id)?;
    let lease_id = random_hex(12);
    let attempt = task.attempts + 1;
    let accept_by = ctx.now + intervals.accept_window_ms as i64;
    let deadline = accept_by + task.timeout_secs as i64 * 1000 + DEADLINE_GRACE_MS;
    let expires_at = ctx.now + intervals.lease_ttl_ms as i64;
    transitions::lease(ctx, &task.id, attempt, node_id)?;
    ctx.conn
        .prepare_cached(
            "INSERT INTO leases (id, task_id, node_id, attempt, issued_at, accept_by, \
             expires_at, deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            lease_id, task.id, node_id, attempt, ctx.now, accept_by, expires_at, deadline
        ])?;
    ctx.conn
        .prepare_cached(
            "INSERT INTO attempts (task_id, number, node_id, lease_id, claimed_at, outcome) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'leased')",
        )?
        .execute(params![task.id, attempt, node_id, lease_id, ctx.now])?;
    ctx.event(
        "task.leased",
        Some(&task.id),
        Some(node_id),
        &serde_json::json!({"state": "leased", "attempt": attempt}),
    )?;
    let files = files(ctx.conn, &task.id)?;
    let (artifact_globs, caches) = super::task_outputs::spec_of(ctx.conn, &task.id)?;
    Ok(Some(ClaimedTask {
        task: TaskInfo {
            state: crate::api::TaskState::Leased,
            attempts: attempt,
            node_id: Some(node_id.to_string()),
            updated_at: ctx.now,
            ..task
        },
        files,
        // Added by the claim route, after the commit (see routes/agent.rs).
        secrets: Default::default(),
        lease: Lease {
            lease_id,
            attempt,
            accept_by,
            deadline,
        },
        artifact_globs,
        caches,
    }))
}

struct LiveLease {
    attempt: u32,
    started_at: Option<i64>,
}

/// The live lease `lease_id` of `task_id` held by `node_id`, or 409: a stale lease changes nothing.
fn held_lease(
    ctx: &WriteCtx<'_>,
    task_id: &str,
    node_id: &str,
    lease_id: &str,
) -> Result<LiveLease, ApiError> {
    let found = ctx
        .conn
        .prepare_cached(
            "SELECT attempt, started_at, node_id FROM leases WHERE id = ?1 AND task_id = ?2",
        )?
        .query_row(params![lease_id, task_id], |r| {
            Ok((
                LiveLease {
                    attempt: r.get(0)?,
                    started_at: r.get(1)?,
                },
                r.get::<String>(2)?,
            ))
        })
        .optional()?;
    match found {
        Some((lease, holder)) if holder == node_id => Ok(lease),
        Some(_) => Err(ApiError::conflict(
            "not_your_lease",
            format!("lease {lease_id} of task {task_id} belongs to another node"),
        )),
        None => {
            // Distinguish an unknown task (404) from a lease that is no longer live (409).
            get(ctx.conn, task_id)?;
            Err(ApiError::conflict(
                "stale_lease",
                format!(
                    "lease {lease_id} of task {task_id} is no longer valid (the task was \
                     re-queued, cancelled or completed): nothing was recorded"
                ),
            ))
        }
    }
}

/// The agent accepts a claimed task: from now the attempt runs against its timeout.
pub fn start(
    ctx: &mut WriteCtx<'_>,
    node_id: &str,
    task_id: &str,
    lease_id: &str,
    intervals: &Intervals,
) -> Result<TaskInfo, ApiError> {
    let lease = held_lease(ctx, task_id, node_id, lease_id)?;
    if lease.started_at.is_some() {
        return get(ctx.conn, task_id);
    }
    let task = get(ctx.conn, task_id)?;
    let deadline = ctx.now + task.timeout_secs as i64 * 1000 + DEADLINE_GRACE_MS;
    ctx.conn
        .prepare_cached(
            "UPDATE leases SET started_at = ?2, deadline = ?3, expires_at = ?4 WHERE id = ?1",
        )?
        .execute(params![
            lease_id,
            ctx.now,
            deadline,
            ctx.now + intervals.lease_ttl_ms as i64
        ])?;
    transitions::start(ctx, task_id)?;
    ctx.conn
        .prepare_cached(
            "UPDATE attempts SET started_at = ?3, outcome = 'running' \
             WHERE task_id = ?1 AND number = ?2",
        )?
        .execute(params![task_id, lease.attempt, ctx.now])?;
    ctx.event(
        "task.started",
        Some(task_id),
        Some(node_id),
        &serde_json::json!({"state": "running", "attempt": lease.attempt}),
    )?;
    Ok(TaskInfo {
        state: crate::api::TaskState::Running,
        updated_at: ctx.now,
        ..task
    })
}

/// Appends a log chunk at its byte offset. A resent chunk is ignored; a gap is refused.
/// Returns the next expected offset and whether the task should stop.
pub fn append_log(
    ctx: &mut WriteCtx<'_>,
    node_id: &str,
    task_id: &str,
    upload: &LogUpload,
    intervals: &Intervals,
) -> Result<(u64, bool), ApiError> {
    let lease = held_lease(ctx, task_id, node_id, &upload.lease_id)?;
    if upload.stream != "stdout" && upload.stream != "stderr" {
        return Err(ApiError::bad_request(
            "stream must be \"stdout\" or \"stderr\"",
        ));
    }
    let end: i64 = ctx
        .conn
        .prepare_cached(
            "SELECT COALESCE(MAX(\"offset\" + octet_length(data)), 0) FROM task_logs \
             WHERE task_id = ?1 AND attempt = ?2",
        )?
        .query_row(params![task_id, lease.attempt], |r| r.get(0))?;
    let end = end as u64;
    if upload.offset > end {
        return Err(ApiError::conflict(
            "log_gap",
            format!(
                "log offset {} is past the end of the log ({end}): resend from {end}",
                upload.offset
            ),
        ));
    }
    let mut next = end;
    if upload.offset == end && !upload.data.is_empty() {
        ctx.conn
            .prepare_cached(
                "INSERT INTO task_logs (task_id, attempt, \"offset\", stream, data) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                task_id,
                lease.attempt,
                end as i64,
                upload.stream,
                upload.data
            ])?;
        next = end + upload.data.len() as u64;
        // The event only points at the chunk: streams read its data from task_logs, so output
        // is stored once (issue 12 §3).
        ctx.event(
            "task.log",
            Some(task_id),
            Some(node_id),
            &serde_json::json!({
                "attempt": lease.attempt,
                "offset": end,
                "stream": upload.stream,
            }),
        )?;
    }
    ctx.conn
        .prepare_cached("UPDATE leases SET expires_at = ?2 WHERE id = ?1")?
        .execute(params![
            upload.lease_id,
            ctx.now + intervals.lease_ttl_ms as i64
        ])?;
    let cancel: bool = ctx
        .conn
        .prepare_cached("SELECT cancel_requested FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| r.get(0))?;
    Ok((next, cancel))
}

/// Records an attempt's result; only the holder of the live lease may. A coding task's result
/// is stored with the task whatever the outcome, and decides whether a failure is retried (see
/// [`super::code_result`]).
pub fn complete(
    ctx: &mut WriteCtx<'_>,
    node_id: &str,
    task_id: &str,
    req: &CompleteRequest,
) -> Result<TaskInfo, ApiError> {
    let lease = held_lease(ctx, task_id, node_id, &req.lease_id)?;
    let code = match &req.code {
        Some(code) => Some(super::code_result::accept(ctx, task_id, code)?),
        None => None,
    };
    let outcome = match req.outcome {
        Outcome::Succeeded => "succeeded",
        Outcome::Failed => "failed",
        Outcome::TimedOut => "timed_out",
        Outcome::Cancelled => "cancelled",
    };
    let error = req
        .error
        .clone()
        .or_else(|| req.code.as_ref().and_then(|c| c.reason.clone()));
    ctx.conn
        .prepare_cached(
            "UPDATE attempts SET finished_at = ?3, outcome = ?4, exit_code = ?5, error = ?6, \
             duration_ms = ?7, cpu_ms = ?8, peak_rss_kib = ?9 WHERE task_id = ?1 AND number = ?2",
        )?
        .execute(params![
            task_id,
            lease.attempt,
            ctx.now,
            outcome,
            req.exit_code,
            error,
            req.duration_ms.map(|v| v as i64),
            req.cpu_ms.map(|v| v as i64),
            req.peak_rss_kib.map(|v| v as i64),
        ])?;
    if let Some(code) = &code {
        super::code_result::store(ctx, task_id, code)?;
    }
    super::task_outputs::accept(ctx, task_id, &req.artifacts)?;
    let usage = Usage {
        node_id: node_id.to_string(),
        cpu_ms: req.cpu_ms,
        duration_ms: req.duration_ms,
        started_at: lease.started_at,
        tokens: super::inference_result::accept(ctx, task_id, req.inference.as_ref())?,
    };
    end_attempt_with(
        ctx,
        task_id,
        node_id,
        req.outcome,
        req.exit_code,
        error,
        Some(Reported {
            usage: &usage,
            failure: match (&code, req.exit_code) {
                // The agent knows the task itself is wrong (a missing git ref, a bad archive).
                _ if req.permanent => Failure::Final,
                (Some(code), _) if !code.retryable() => Failure::Final,
                (Some(_), _) => Failure::Infrastructure,
                // It ran and ended with a code of its own: its failure is its answer.
                (None, Some(exit)) => Failure::Exited(exit),
                // It never ran (the sandbox could not start it) or its agent stopped it.
                (None, None) => Failure::Infrastructure,
            },
        }),
    )?;
    get(ctx.conn, task_id)
}

/// The longest reason a node may give when it hands a task back; longer ones are cut.
const RELEASE_REASON_MAX: usize = 500;

/// The lease holder hands its task back without an outcome (its host paused for longer than
/// the lease, its owner took the machine back): the task is queued again at once, the attempt
/// is kept in the history as `released` with the reason but does not count, and the credits
/// held for the task stay held.
pub fn release(
    ctx: &mut WriteCtx<'_>,
    node_id: &str,
    task_id: &str,
    lease_id: &str,
    reason: &str,
) -> Result<TaskInfo, ApiError> {
    let lease = held_lease(ctx, task_id, node_id, lease_id)?;
    // Shown in terminals (`tasks show`, the dashboard): one clean line.
    let reason = crate::fmt::one_line(reason, RELEASE_REASON_MAX);
    let reason = if reason.is_empty() {
        "no reason given".to_string()
    } else {
        reason
    };
    let reason = format!("handed back by node {node_id}: {reason}");
    transitions::hand_back(ctx, task_id, lease.attempt, node_id, "released", &reason)?;
    get(ctx.conn, task_id)
}
