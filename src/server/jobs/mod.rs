//! Jobs on the coordinator: a coding request split by the inference service into subtasks that
//! run as coding tasks of the one queue, in dependency order, then merged and checked as a whole.
//!
//! The job's state lives in the database only (`store::jobs`): the driver (`driver`) is a loop
//! that looks at open jobs, decides the next step from their rows and the tasks they link to, and
//! writes it. Every task it creates carries an idempotency key made of the job, the subtask and
//! the round, so a coordinator killed between creating a task and recording it finds the same
//! task again on restart instead of making a second one.

pub mod advance;
pub mod checks;
mod driver;
pub mod graph;
mod start;

pub use driver::spawn;

use crate::api::{JobState, TaskState};
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;
use crate::server::store::jobs::{self, SubtaskState};

/// Cancels a job: its open subtasks' tasks are cancelled, the subtasks that never started will
/// not, and the job ends `cancelled`. A job that already ended is a conflict.
pub fn cancel(ctx: &mut WriteCtx<'_>, id: &str) -> Result<(), ApiError> {
    let job = jobs::get_row(ctx.conn, id)?;
    if job.state.is_final() {
        return Err(ApiError::conflict(
            "already_finished",
            format!("job {id} already ended ({})", job.state.as_str()),
        ));
    }
    for mut row in jobs::subtasks(ctx.conn, id)? {
        if row.state.is_final() {
            continue;
        }
        if let Some(task_id) = &row.task_id {
            cancel_task(ctx, task_id)?;
        }
        row.state = SubtaskState::Cancelled;
        row.error = Some("the job was cancelled".to_string());
        jobs::set_subtask(ctx, id, &row)?;
    }
    if let Some(check) = &job.check_task_id {
        cancel_task(ctx, check)?;
    }
    jobs::release_hold(ctx, &job, i64::MAX)?;
    jobs::set_state(ctx, id, JobState::Cancelled, Some("cancelled by request"))?;
    jobs::log(
        ctx,
        id,
        "job.finished",
        None,
        "cancelled: open subtasks were cancelled",
        serde_json::json!({"state": "cancelled"}),
    )
}

/// Cancels a task unless it already ended.
fn cancel_task(ctx: &mut WriteCtx<'_>, task_id: &str) -> Result<(), ApiError> {
    let state = crate::server::store::tasks::get(ctx.conn, task_id)?.state;
    if state.is_terminal() || state == TaskState::Succeeded {
        return Ok(());
    }
    crate::server::store::tasks::cancel(ctx, task_id).map(|_| ())
}
