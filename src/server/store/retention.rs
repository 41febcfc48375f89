//! Retention: finished tasks, with their logs, attempts and events, are deleted once they ended
//! longer ago than the coordinator's retention (issue 12 §3: nothing was ever deleted, so one
//! user could fill the disk). Run by the sweeper in small batches: each call deletes at most
//! `row_budget` rows, so it never holds the single writer for long.
//!
//! The ledger is never touched: its entries name task ids but stand on their own (the chain
//! covers only ledger rows), so it still verifies. A finished task whose charge is still held
//! (never settled or released) is kept, so no hold loses the task it belongs to.

use super::WriteCtx;
use crate::server::error::ApiError;
use rusqlite::{OptionalExtension, params};

/// What one retention pass deleted, for logs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RetentionReport {
    pub tasks: u64,
    /// Log chunks, events, attempts and task rows together.
    pub rows: u64,
    /// The budget ran out: call again soon, there is more to delete.
    pub more: bool,
}

/// Deletes what ended before `cutoff` (unix ms), at most about `row_budget` rows.
pub fn purge(
    ctx: &mut WriteCtx<'_>,
    cutoff: i64,
    row_budget: u64,
) -> Result<RetentionReport, ApiError> {
    let mut report = RetentionReport::default();
    let budget = row_budget.max(1);
    while report.rows < budget {
        let Some(task_id) = oldest_expired_task(ctx, cutoff)? else {
            break;
        };
        let left = budget - report.rows;
        // Children first, a bounded slice at a time; the task row goes once they are all gone,
        // so an interrupted purge resumes with the same task on the next tick.
        let logs = ctx
            .conn
            .prepare_cached(
                "DELETE FROM task_logs WHERE (task_id, attempt, offset) IN \
                 (SELECT task_id, attempt, offset FROM task_logs WHERE task_id = ?1 LIMIT ?2)",
            )?
            .execute(params![task_id, left as i64])? as u64;
        report.rows += logs;
        let left = budget.saturating_sub(report.rows);
        if left == 0 {
            report.more = true;
            return Ok(report);
        }
        let events = ctx
            .conn
            .prepare_cached(
                "DELETE FROM events WHERE id IN \
                 (SELECT id FROM events WHERE task_id = ?1 LIMIT ?2)",
            )?
            .execute(params![task_id, left as i64])? as u64;
        report.rows += events;
        if report.rows >= budget {
            report.more = true;
            return Ok(report);
        }
        for sql in [
            "DELETE FROM leases WHERE task_id = ?1",
            "DELETE FROM attempts WHERE task_id = ?1",
            "DELETE FROM tasks WHERE id = ?1",
        ] {
            report.rows += ctx.conn.prepare_cached(sql)?.execute([&task_id])? as u64;
        }
        report.tasks += 1;
    }
    if report.rows < budget {
        // Events of no task (nodes going offline, control actions) age out the same way.
        report.rows += ctx
            .conn
            .prepare_cached(
                "DELETE FROM events WHERE id IN (SELECT id FROM events INDEXED BY events_untasked \
                 WHERE task_id IS NULL AND at < ?1 ORDER BY at LIMIT ?2)",
            )?
            .execute(params![cutoff, (budget - report.rows) as i64])? as u64;
    }
    report.more = report.rows >= budget;
    Ok(report)
}

/// The finished task that ended first, if it ended before `cutoff` and owes nothing.
fn oldest_expired_task(ctx: &WriteCtx<'_>, cutoff: i64) -> Result<Option<String>, ApiError> {
    Ok(ctx
        .conn
        .prepare_cached(
            "SELECT id FROM tasks INDEXED BY tasks_finished \
             WHERE finished_at IS NOT NULL AND finished_at < ?1 \
             AND state IN ('succeeded', 'failed', 'cancelled', 'timed_out') \
             AND (charge IS NULL OR charge ->> '$.state' IS NOT 'held') \
             ORDER BY finished_at LIMIT 1",
        )?
        .query_row([cutoff], |r| r.get(0))
        .optional()?)
}
