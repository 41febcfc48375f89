//! An inference task's reported tokens: what the task is paid by. The node counts them (the
//! coordinator has no tokenizer), so they are bounded by what the coordinator itself saw: no
//! more prompt tokens than the request had bytes (plus the chat template), no more answer tokens
//! than the answer's log had bytes. Stored in the task's token columns, like a coding task's.

use super::WriteCtx;
use crate::api::{InferenceUsage, TEMPLATE_TOKENS, TaskCommand};
use crate::server::error::ApiError;
use crate::server::store::db::{OptionalExtension, params};

/// The tokens to pay for (None: not an inference task, or nothing reported); refuses a report
/// for a task of another kind.
pub fn accept(
    ctx: &mut WriteCtx<'_>,
    task_id: &str,
    usage: Option<&InferenceUsage>,
) -> Result<Option<u64>, ApiError> {
    let row: Option<(String, String)> = ctx
        .conn
        .prepare_cached("SELECT kind, command FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((kind, command)) = row else {
        return Err(ApiError::not_found("task", task_id));
    };
    if kind != "inference" {
        return match usage {
            Some(_) => Err(ApiError::bad_request(format!(
                "task {task_id} is not an inference task: complete it without `inference`"
            ))),
            None => Ok(None),
        };
    }
    let Some(usage) = usage else {
        return Ok(None);
    };
    let request_bytes = match serde_json::from_str::<TaskCommand>(&command) {
        Ok(TaskCommand::Inference(spec)) => {
            serde_json::to_vec(&spec.request).map_or(0, |b| b.len() as u64)
        }
        _ => 0,
    };
    let answer_bytes: i64 = ctx
        .conn
        .prepare_cached(
            "SELECT CAST(COALESCE(SUM(octet_length(data)), 0) AS BIGINT) FROM task_logs \
             WHERE task_id = ?1 AND stream = 'stdout'",
        )?
        .query_row([task_id], |r| r.get(0))?;
    let tokens_in = usage
        .tokens_in
        .min(request_bytes.saturating_add(TEMPLATE_TOKENS));
    let tokens_out = usage.tokens_out.min(answer_bytes.max(0) as u64);
    let clamp = |v: u64| v.min(i64::MAX as u64) as i64;
    ctx.conn
        .prepare_cached("UPDATE tasks SET tokens_in = ?2, tokens_out = ?3 WHERE id = ?1")?
        .execute(params![task_id, clamp(tokens_in), clamp(tokens_out)])?;
    Ok(Some(tokens_in.saturating_add(tokens_out)))
}
