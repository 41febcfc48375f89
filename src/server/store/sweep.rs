//! The sweeper: ends leases whose node went quiet, never accepted them, or overran the deadline,
//! and marks silent nodes offline. Separate from [`super::leases`] because it is driven by the
//! clock (a background loop) rather than by an agent's request; it shares `end_attempt` with it.

use super::WriteCtx;
use super::transitions::{self, end_attempt};
use crate::api::Outcome;
use crate::server::error::ApiError;
use crate::server::store::db::params;

/// What one sweep changed, for metrics.
#[derive(Debug, Default, Clone, Copy)]
pub struct SweepReport {
    pub not_accepted: u64,
    pub lost: u64,
    pub timed_out: u64,
    pub nodes_offline: u64,
    /// Tasks handed back because their node's drain deadline passed.
    pub drained: u64,
}

/// Ends leases whose time is up and marks silent nodes offline.
pub fn sweep(ctx: &mut WriteCtx<'_>, offline_after_ms: i64) -> Result<SweepReport, ApiError> {
    let mut report = SweepReport::default();
    let now = ctx.now;

    let silent: Vec<String> = ctx
        .conn
        .prepare_cached("SELECT id FROM nodes WHERE online = 1 AND last_heartbeat_at < ?1")?
        .query_map([now - offline_after_ms], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for node_id in &silent {
        ctx.conn
            .prepare_cached("UPDATE nodes SET online = 0 WHERE id = ?1")?
            .execute([node_id])?;
        ctx.event(
            "node.offline",
            None,
            Some(node_id),
            &serde_json::json!({"online": false}),
        )?;
        report.nodes_offline += 1;
    }

    report.drained = drain_deadlines(ctx)?;

    type Expired = (String, String, String, u32, Option<i64>, i64, i64);
    let expired: Vec<Expired> = ctx
        .conn
        .prepare_cached(
            "SELECT l.id, l.task_id, l.node_id, l.attempt, l.started_at, l.expires_at, l.deadline \
             FROM leases l LEFT JOIN nodes n ON n.id = l.node_id \
             WHERE (l.started_at IS NULL AND l.accept_by < ?1) OR l.expires_at < ?1 \
             OR l.deadline < ?1 OR n.online IS DISTINCT FROM 1",
        )?
        .query_map([now], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    for (lease_id, task_id, node_id, attempt, started_at, expires_at, deadline) in expired {
        if started_at.is_none() && expires_at >= now && deadline >= now {
            // Handed out but never accepted (the claim answer was probably lost): the attempt
            // does not count, and the task is offered again at once.
            ctx.conn
                .prepare_cached("DELETE FROM leases WHERE id = ?1")?
                .execute([&lease_id])?;
            ctx.conn
                .prepare_cached("DELETE FROM attempts WHERE task_id = ?1 AND number = ?2")?
                .execute(params![task_id, attempt])?;
            let cancel_requested: bool = ctx
                .conn
                .prepare_cached("SELECT cancel_requested FROM tasks WHERE id = ?1")?
                .query_row([&task_id], |r| r.get(0))?;
            if cancel_requested {
                // Cancelled while handed out: it never ran, and it must not be offered again.
                transitions::cancel_unaccepted(ctx, &task_id)?;
                crate::server::store::ledger::charges::task_ended(
                    ctx,
                    &task_id,
                    "cancelled",
                    None,
                )?;
                ctx.event(
                    "task.cancelled",
                    Some(&task_id),
                    Some(&node_id),
                    &serde_json::json!({"state": "cancelled", "reason": "cancelled before it was accepted"}),
                )?;
                report.not_accepted += 1;
                continue;
            }
            transitions::requeue_unaccepted(ctx, &task_id)?;
            ctx.event(
                "task.requeued",
                Some(&task_id),
                Some(&node_id),
                &serde_json::json!({"state": "queued", "reason": "not accepted in time"}),
            )?;
            ctx.queue_changed();
            report.not_accepted += 1;
            continue;
        }
        let timed_out = deadline < now;
        let (outcome, reason) = if timed_out {
            (
                Outcome::TimedOut,
                format!("no result by the deadline: node {node_id} did not report in time"),
            )
        } else {
            (
                Outcome::Failed,
                format!("lease lost: node {node_id} stopped responding"),
            )
        };
        ctx.conn
            .prepare_cached(
                "UPDATE attempts SET finished_at = ?3, outcome = ?4, error = ?5 \
                 WHERE task_id = ?1 AND number = ?2",
            )?
            .execute(params![
                task_id,
                attempt,
                now,
                if timed_out { "timed_out" } else { "lost" },
                reason
            ])?;
        end_attempt(ctx, &task_id, &node_id, outcome, None, Some(reason))?;
        if timed_out {
            report.timed_out += 1;
        } else {
            report.lost += 1;
        }
    }
    Ok(report)
}

/// Hands back the tasks of every draining node whose deadline passed (not counted as attempts;
/// the node's next heartbeat is told to stop them), once: the deadline is then cleared, and the
/// node stays draining.
fn drain_deadlines(ctx: &mut WriteCtx<'_>) -> Result<u64, ApiError> {
    let due: Vec<String> = ctx
        .conn
        .prepare_cached(
            "SELECT id FROM nodes WHERE draining = 1 AND drain_deadline IS NOT NULL \
             AND drain_deadline <= ?1",
        )?
        .query_map([ctx.now], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut handed_back = 0;
    for node_id in due {
        let reason = format!("node {node_id} was drained and its deadline passed");
        let tasks = transitions::take_back_work(ctx, &node_id, "drained", &reason)?;
        handed_back += tasks.len() as u64;
        ctx.conn
            .prepare_cached("UPDATE nodes SET drain_deadline = NULL WHERE id = ?1")?
            .execute([&node_id])?;
        ctx.event(
            "node.drain_deadline",
            None,
            Some(&node_id),
            &serde_json::json!({"handed_back": tasks}),
        )?;
    }
    Ok(handed_back)
}
