//! A job's quote, held from the moment the job is accepted: its worst case (every subtask once
//! and the job-level check, each at the hold a task of the default timeout takes) is one `hold`
//! entry on the submitter's account, referenced `job:<id>` in the entry's task column. Each task
//! the job creates then draws its own hold out of it: the job releases what the task is about to
//! hold, in the same transaction, and the task holds it as any task does (and settles or releases
//! it when it ends, `charges::task_ended`). What the job still holds is released when it ends.
//!
//! So the submitter's held credits never dip between a job's tasks, every entry is an ordinary
//! hold or release (`ledger verify` and the balances see nothing new), and a task of a job is
//! charged exactly like any other task (docs/decisions.md, "Jobs: the quote held up front").

use super::charges::{self, Payer};
use super::{COORDINATOR, Posting, post};
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;

/// The reference a job's hold entries carry in the ledger's task column.
pub fn reference(job_id: &str) -> String {
    format!("job:{job_id}")
}

/// The quote of a job that may create `count` tasks of this timeout, checked against the payer's
/// balance (refused with the message a short task submission gets); 0 with pricing off. Writes
/// nothing: [`hold`] writes it once the job row exists.
pub fn quote(
    ctx: &mut WriteCtx<'_>,
    payer: &Payer,
    timeout_secs: u64,
    count: u64,
) -> Result<i64, ApiError> {
    if !payer.pricing.enabled {
        return Ok(0);
    }
    let each = charges::hold_for(payer, timeout_secs, false)?;
    let total = each
        .checked_mul(i64::try_from(count).unwrap_or(i64::MAX))
        .ok_or_else(|| {
            ApiError::bad_request(
                "the holds of this job do not fit in the ledger's amounts: ask for fewer subtasks",
            )
        })?;
    charges::check_amount(ctx, payer, total)?;
    Ok(total)
}

/// Writes the job's hold of `amount` (a no-op for 0).
pub fn hold(
    ctx: &mut WriteCtx<'_>,
    payer: &Payer,
    job_id: &str,
    amount: i64,
) -> Result<(), ApiError> {
    if amount <= 0 {
        return Ok(());
    }
    let reference = reference(job_id);
    post(
        ctx,
        &[Posting {
            kind: "hold",
            account: &payer.account,
            amount: -amount,
            task_id: Some(&reference),
            actor: Some(&payer.actor),
        }],
    )
}

/// Releases `amount` of the job's hold back to `account` (a no-op for 0).
pub fn release(
    ctx: &mut WriteCtx<'_>,
    account: &str,
    job_id: &str,
    amount: i64,
) -> Result<(), ApiError> {
    if amount <= 0 {
        return Ok(());
    }
    let reference = reference(job_id);
    post(
        ctx,
        &[Posting {
            kind: "release",
            account,
            amount,
            task_id: Some(&reference),
            actor: Some(COORDINATOR),
        }],
    )
}
