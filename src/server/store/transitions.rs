//! Every change of a task's `state` column, in one place: the scheduler (`leases`), the sweeper
//! (`sweep`), cancellation (`tasks`) and taking work back from removed or blacklisted nodes
//! (`nodes`, `blacklist`) all move tasks through these functions, so the states a task can go
//! through, and what each step writes, read in one file.

use super::WriteCtx;
pub(super) use super::retry::Failure;
use super::retry::{self, Decision};
use crate::api::Outcome;
use crate::server::error::ApiError;
use crate::server::store::db::params;
use crate::server::store::ledger::charges::{self, Usage};

/// Queued → leased: handed to `node_id` as attempt number `attempt`.
pub(super) fn lease(
    ctx: &mut WriteCtx<'_>,
    task_id: &str,
    attempt: u32,
    node_id: &str,
) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "UPDATE tasks SET state = 'leased', attempts = ?2, node_id = ?3, updated_at = ?4 \
             WHERE id = ?1",
        )?
        .execute(params![task_id, attempt, node_id, ctx.now])?;
    Ok(())
}

/// Leased → running: the node accepted the lease.
pub(super) fn start(ctx: &mut WriteCtx<'_>, task_id: &str) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached("UPDATE tasks SET state = 'running', updated_at = ?2 WHERE id = ?1")?
        .execute(params![task_id, ctx.now])?;
    Ok(())
}

/// Leased → queued: the lease was never accepted, so the attempt does not count.
pub(super) fn requeue_unaccepted(ctx: &mut WriteCtx<'_>, task_id: &str) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "UPDATE tasks SET state = 'queued', attempts = attempts - 1, node_id = NULL, \
             updated_at = ?2 WHERE id = ?1",
        )?
        .execute(params![task_id, ctx.now])?;
    Ok(())
}

/// Leased → cancelled: cancelled while handed out and never accepted; the attempt does not
/// count. The caller settles the charge and announces it.
pub(super) fn cancel_unaccepted(ctx: &mut WriteCtx<'_>, task_id: &str) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "UPDATE tasks SET state = 'cancelled', attempts = attempts - 1, \
             node_id = NULL, finished_at = ?2, updated_at = ?2, \
             error = 'cancelled before it ran' WHERE id = ?1",
        )?
        .execute(params![task_id, ctx.now])?;
    Ok(())
}

/// Queued → cancelled, at once: it never ran. The caller settles the charge and announces it.
pub(super) fn cancel_queued(ctx: &mut WriteCtx<'_>, task_id: &str) -> Result<(), ApiError> {
    ctx.conn.execute(
        "UPDATE tasks SET state = 'cancelled', finished_at = ?2, updated_at = ?2, \
         cancel_requested = 1, error = 'cancelled before it ran' WHERE id = ?1",
        params![task_id, ctx.now],
    )?;
    Ok(())
}

/// Leased or running: the state stays, the agent is asked to stop; the attempt then ends
/// cancelled (see [`end_attempt`]).
pub(super) fn request_cancel(ctx: &mut WriteCtx<'_>, task_id: &str) -> Result<(), ApiError> {
    ctx.conn.execute(
        "UPDATE tasks SET cancel_requested = 1, updated_at = ?2 WHERE id = ?1",
        params![task_id, ctx.now],
    )?;
    Ok(())
}

/// Moves a task on after an attempt ended: done, or back to the queue if attempts remain.
/// An attempt ended by the coordinator (lost, timed out, node removed) reports no usage, so its
/// task's hold is released if that was the last attempt, and nobody is paid.
pub fn end_attempt(
    ctx: &mut WriteCtx<'_>,
    task_id: &str,
    node_id: &str,
    outcome: Outcome,
    exit_code: Option<i32>,
    error: Option<String>,
) -> Result<(), ApiError> {
    end_attempt_with(ctx, task_id, node_id, outcome, exit_code, error, None)
}

/// What the completing lease holder reported beyond the outcome.
pub(super) struct Reported<'a> {
    pub usage: &'a Usage,
    /// How a failure came about, which decides whether it is tried again (see
    /// [`super::retry`]).
    pub failure: Failure,
}

/// [`end_attempt`] with the usage the completing lease holder reported: a success settles the
/// task's hold on it (paying that node); any other final end releases the hold. An attempt that
/// goes back to the queue touches no credits, so a retried task is charged once.
pub(super) fn end_attempt_with(
    ctx: &mut WriteCtx<'_>,
    task_id: &str,
    node_id: &str,
    outcome: Outcome,
    exit_code: Option<i32>,
    error: Option<String>,
    reported: Option<Reported<'_>>,
) -> Result<(), ApiError> {
    // An attempt the coordinator ended itself (lost, taken back) is the infrastructure's failure.
    let failure = reported
        .as_ref()
        .map_or(Failure::Infrastructure, |r| r.failure);
    let usage = reported.as_ref().map(|r| r.usage);
    ctx.conn
        .prepare_cached("DELETE FROM leases WHERE task_id = ?1")?
        .execute([task_id])?;
    let (attempts, max_attempts, cancel_requested): (u32, u32, bool) = ctx
        .conn
        .prepare_cached("SELECT attempts, max_attempts, cancel_requested FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let state = match outcome {
        Outcome::Succeeded => "succeeded",
        Outcome::TimedOut => "timed_out",
        Outcome::Cancelled => "cancelled",
        Outcome::Failed if cancel_requested => "cancelled",
        Outcome::Failed => match retry::decide(ctx.conn, task_id, failure, attempts, max_attempts)?
        {
            Decision::Retry => "queued",
            Decision::RetryByRule => {
                // The submitter's rule grants this run: it never falls to `max_attempts`.
                ctx.conn
                    .prepare_cached(
                        "UPDATE tasks SET max_attempts = CASE WHEN max_attempts > attempts + 1 \
                         THEN max_attempts ELSE attempts + 1 END WHERE id = ?1",
                    )?
                    .execute([task_id])?;
                "queued"
            }
            Decision::Fail => "failed",
        },
    };
    if state == "queued" {
        let backoff = retry_backoff_ms(attempts);
        ctx.conn
            .prepare_cached(
                "UPDATE tasks SET state = 'queued', node_id = NULL, not_before = ?2, \
                 updated_at = ?3, exit_code = ?4, error = ?5 WHERE id = ?1",
            )?
            .execute(params![
                task_id,
                ctx.now + backoff,
                ctx.now,
                exit_code,
                error
            ])?;
        ctx.event(
            "task.requeued",
            Some(task_id),
            Some(node_id),
            &serde_json::json!({"state": "queued", "attempt": attempts, "retry_in_ms": backoff,
                                "error": error}),
        )?;
        ctx.queue_changed();
    } else {
        ctx.conn
            .prepare_cached(
                "UPDATE tasks SET state = ?2, finished_at = ?3, updated_at = ?3, exit_code = ?4, \
                 error = ?5 WHERE id = ?1",
            )?
            .execute(params![task_id, state, ctx.now, exit_code, error])?;
        charges::task_ended(ctx, task_id, state, usage)?;
        ctx.event(
            &format!("task.{state}"),
            Some(task_id),
            Some(node_id),
            &serde_json::json!({"state": state, "attempt": attempts, "exit_code": exit_code,
                                "error": error}),
        )?;
    }
    Ok(())
}

/// 1 s, 2 s, 4 s … capped at a minute, so a failing task does not spin through the fleet.
pub fn retry_backoff_ms(attempts_made: u32) -> i64 {
    let exp = attempts_made.saturating_sub(1).min(6);
    (1000i64 << exp).min(60_000)
}

/// Ends every lease a node holds as lost (the node was removed or blacklisted).
pub fn release_node_leases(ctx: &mut WriteCtx<'_>, node_id: &str) -> Result<u64, ApiError> {
    let held: Vec<(String, u32)> = ctx
        .conn
        .prepare_cached("SELECT task_id, attempt FROM leases WHERE node_id = ?1")?
        .query_map([node_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let n = held.len() as u64;
    for (task_id, attempt) in held {
        let reason = format!("node {node_id} was taken out of service");
        ctx.conn
            .prepare_cached(
                "UPDATE attempts SET finished_at = ?3, outcome = 'lost', error = ?4 \
                 WHERE task_id = ?1 AND number = ?2",
            )?
            .execute(params![task_id, attempt, ctx.now, reason])?;
        end_attempt(ctx, &task_id, node_id, Outcome::Failed, None, Some(reason))?;
    }
    Ok(n)
}

/// Ends every lease the node holds and queues its tasks again at once (see [`hand_back`]): the
/// node was blacklisted (`outcome` `blacklisted`), or its drain deadline passed (`drained`).
pub fn take_back_work(
    ctx: &mut WriteCtx<'_>,
    node_id: &str,
    outcome: &str,
    reason: &str,
) -> Result<Vec<String>, ApiError> {
    let held: Vec<(String, u32)> = ctx
        .conn
        .prepare_cached("SELECT task_id, attempt FROM leases WHERE node_id = ?1")?
        .query_map([node_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut requeued = Vec::new();
    for (task_id, attempt) in held {
        if hand_back(ctx, &task_id, attempt, node_id, outcome, reason)? {
            requeued.push(task_id);
        }
    }
    Ok(requeued)
}

/// Leased or running → queued at once, for a reason that is the node's, not the task's (a
/// blacklisted node, a node that released the task, a drain deadline): the attempt stays in the
/// history with `outcome` and `reason` but does not use up one of the task's attempts (the task
/// gets one more), and the credits held for it stay held. A task whose owner asked it to stop
/// ends cancelled instead. Returns whether the task went back to the queue.
pub(super) fn hand_back(
    ctx: &mut WriteCtx<'_>,
    task_id: &str,
    attempt: u32,
    node_id: &str,
    outcome: &str,
    reason: &str,
) -> Result<bool, ApiError> {
    ctx.conn
        .prepare_cached(
            "UPDATE attempts SET finished_at = ?3, outcome = ?4, error = ?5 \
             WHERE task_id = ?1 AND number = ?2",
        )?
        .execute(params![task_id, attempt, ctx.now, outcome, reason])?;
    let cancel_requested: bool = ctx
        .conn
        .prepare_cached("SELECT cancel_requested FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| r.get(0))?;
    if cancel_requested {
        // Its owner asked for it to stop: it ends cancelled rather than running again.
        end_attempt(
            ctx,
            task_id,
            node_id,
            Outcome::Failed,
            None,
            Some(reason.to_string()),
        )?;
        return Ok(false);
    }
    ctx.conn
        .prepare_cached("DELETE FROM leases WHERE task_id = ?1")?
        .execute([task_id])?;
    ctx.conn
        .prepare_cached(
            "UPDATE tasks SET state = 'queued', node_id = NULL, not_before = ?2, \
             max_attempts = max_attempts + 1, updated_at = ?2, error = ?3 WHERE id = ?1",
        )?
        .execute(params![task_id, ctx.now, reason])?;
    ctx.event(
        "task.requeued",
        Some(task_id),
        Some(node_id),
        &serde_json::json!({"state": "queued", "attempt": attempt, "outcome": outcome,
                            "reason": reason}),
    )?;
    ctx.queue_changed();
    Ok(true)
}
