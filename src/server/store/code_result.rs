//! A coding task's result as stored: the whole [`CodeResult`] (plan, iterations, final files) as
//! JSON beside the task, and its token totals in their own columns, so settlement and later
//! per-token pricing read two integers instead of parsing the result.
//!
//! The result's status also decides the retry: a loop that ran to its end (the check never
//! passed, or the model's answers were unusable every time) would end the same way on another
//! node, so it is final; a model that could not be reached is the node's fault, and the task goes
//! back to the queue like any failed attempt with attempts left.

use super::WriteCtx;
use crate::api::{CodeResult, CodeStatus};
use crate::server::error::ApiError;
use crate::server::store::db::{Db, OptionalExtension, params};

/// A reported result, checked against its task and ready to store.
pub struct Accepted {
    json: String,
    status: CodeStatus,
    tokens_in: u64,
    tokens_out: u64,
}

impl Accepted {
    /// Whether a failed attempt with this result may run again.
    pub fn retryable(&self) -> bool {
        !matches!(
            self.status,
            CodeStatus::CheckNeverPassed | CodeStatus::ModelOutputUnusable
        )
    }
}

/// Refuses a code result for a task that is not a coding task (before anything is written).
pub fn accept(ctx: &WriteCtx<'_>, task_id: &str, code: &CodeResult) -> Result<Accepted, ApiError> {
    let kind: String = ctx
        .conn
        .prepare_cached("SELECT kind FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| ApiError::not_found("task", task_id))?;
    if kind != "code" {
        return Err(ApiError::bad_request(format!(
            "task {task_id} is not a coding task: complete it without `code`"
        )));
    }
    // Sums of what the node reports; saturating, so a node's nonsense cannot overflow a column.
    let clamp = |v: u64| v.min(i64::MAX as u64);
    Ok(Accepted {
        json: serde_json::to_string(code)?,
        status: code.status,
        tokens_in: clamp(code.tokens_in),
        tokens_out: clamp(code.tokens_out),
    })
}

/// Stores the result with its task; a later attempt's result replaces an earlier one's.
pub fn store(ctx: &mut WriteCtx<'_>, task_id: &str, code: &Accepted) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "UPDATE tasks SET code_result = ?2, tokens_in = ?3, tokens_out = ?4 WHERE id = ?1",
        )?
        .execute(params![
            task_id,
            code.json,
            code.tokens_in as i64,
            code.tokens_out as i64
        ])?;
    Ok(())
}

/// The stored result of a task, if it has one (`tasks show`; listings never read it).
pub fn load(conn: &Db, task_id: &str) -> Result<Option<CodeResult>, ApiError> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT code_result FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(raw.map(|r| serde_json::from_str(&r)).transpose()?)
}
