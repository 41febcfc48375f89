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
use crate::server::store::db::{OptionalExtension, params};

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
                "DELETE FROM task_logs WHERE (task_id, attempt, \"offset\") IN \
                 (SELECT task_id, attempt, \"offset\" FROM task_logs WHERE task_id = ?1 LIMIT ?2)",
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
        report.rows += super::blobs::drop_refs(ctx, &task_id)?;
        for sql in [
            "DELETE FROM leases WHERE task_id = ?1",
            "DELETE FROM attempts WHERE task_id = ?1",
            "DELETE FROM task_git_sources WHERE task_id = ?1",
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
             AND (charge IS NULL OR charge ->> '$.state' IS DISTINCT FROM 'held') \
             ORDER BY finished_at LIMIT 1",
        )?
        .query_row([cutoff], |r| r.get(0))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::Store;

    fn count(store: &Store, rt: &tokio::runtime::Runtime, sql: &'static str) -> i64 {
        rt.block_on(store.read(move |c| Ok(c.query_row(sql, [], |r| r.get(0))?)))
            .expect("count")
    }

    #[test]
    fn purges_in_bounded_batches_and_keeps_live_and_recent_tasks() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(store.write(|ctx| {
            // Two old finished tasks with 25 log chunks each, one old task still held, one
            // recent finished task and one queued task.
            for (id, state, finished, charge) in [
                ("old1", "succeeded", Some(1_000), None),
                (
                    "old2",
                    "failed",
                    Some(2_000),
                    Some(r#"{"state":"settled"}"#),
                ),
                ("held", "failed", Some(1_500), Some(r#"{"state":"held"}"#)),
                ("new", "succeeded", Some(50_000), None),
                ("queued", "queued", None, None),
            ] {
                ctx.conn.execute(
                    "INSERT INTO tasks (id, state, command, env, files, timeout_ms, \
                     requirements, plain, placement, network, priority, max_attempts, \
                     submitted_by, created_at, updated_at, finished_at, charge) VALUES \
                     (?1, ?2, '{\"argv\":[\"true\"]}', '{}', '[]', 1000, '{}', 1, 'mesh', 1, \
                     0, 1, 't', 0, 0, ?3, ?4)",
                    params![id, state, finished, charge],
                )?;
                for offset in 0..25 {
                    ctx.conn.execute(
                        "INSERT INTO task_logs (task_id, attempt, \"offset\", stream, data) \
                         VALUES (?1, 1, ?2, 'stdout', 'x')",
                        params![id, offset],
                    )?;
                    ctx.event("task.log", Some(id), None, &serde_json::json!({}))?;
                }
            }
            ctx.now = 0;
            ctx.event("node.offline", None, Some("n"), &serde_json::json!({}))?;
            Ok(())
        }))
        .expect("rows");

        let mut passes = 0;
        loop {
            let report = rt
                .block_on(store.write(|ctx| purge(ctx, 10_000, 20)))
                .expect("purge");
            assert!(
                report.rows <= 20 + 3,
                "a pass stays near its budget: {report:?}"
            );
            passes += 1;
            if !report.more {
                break;
            }
            assert!(passes < 20, "purge never ends");
        }
        assert!(passes >= 5, "100 rows in passes of 20: {passes}");
        let ids: String = rt
            .block_on(store.read(|c| {
                Ok(c.query_row(
                    "SELECT group_concat(id) FROM (SELECT id FROM tasks ORDER BY id)",
                    [],
                    |r| r.get(0),
                )?)
            }))
            .expect("ids");
        assert_eq!(ids, "held,new,queued");
        assert_eq!(
            count(
                &store,
                &rt,
                "SELECT COUNT(*) FROM task_logs WHERE task_id LIKE 'old%'"
            ),
            0
        );
        assert_eq!(
            count(
                &store,
                &rt,
                "SELECT COUNT(*) FROM events WHERE task_id LIKE 'old%' OR task_id IS NULL"
            ),
            0
        );
        assert_eq!(count(&store, &rt, "SELECT COUNT(*) FROM task_logs"), 75);
    }
}
