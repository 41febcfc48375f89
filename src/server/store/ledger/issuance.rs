//! Issuance: a fixed amount of new credits per window, split among the nodes that did verified
//! work in that window (their `earn` entries: settled tasks, paid on the fenced lease), in
//! proportion to it. Recorded as `issue` entries by the coordinator; where the window got to is
//! kept in `meta` so a restart neither repeats nor skips a window.

use super::pricing::LedgerSettings;
use super::{COORDINATOR, Posting, post};
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;
use crate::server::store::db::{OptionalExtension, params};

const ISSUED_UNTIL: &str = "ledger.issued_until";

/// Issues for every whole window that ended; returns the number of entries written.
pub fn issue_due(ctx: &mut WriteCtx<'_>, settings: &LedgerSettings) -> Result<usize, ApiError> {
    let window = settings.issuance_window.as_millis() as i64;
    if settings.issuance_amount <= 0 || window <= 0 {
        return Ok(0);
    }
    let until: Option<i64> = ctx
        .conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([ISSUED_UNTIL], |r| r.get::<String>(0))
        .optional()?
        .and_then(|v| v.parse().ok());
    let Some(mut start) = until else {
        // First run: the first window starts now, not at the beginning of time.
        set_until(ctx, ctx.now)?;
        return Ok(0);
    };
    // After a long stop, only the last whole window is issued: the swarm was not running.
    if ctx.now - start > 2 * window {
        start = ctx.now - window;
    }
    let mut written = 0;
    while start + window <= ctx.now {
        let end = start + window;
        written += issue_window(ctx, start, end, settings.issuance_amount)?;
        start = end;
    }
    set_until(ctx, start)?;
    Ok(written)
}

fn set_until(ctx: &mut WriteCtx<'_>, at: i64) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![ISSUED_UNTIL, at.to_string()])?;
    Ok(())
}

/// Splits `amount` over the window (start, end] by earnings; the rounding remainder goes to the
/// largest contributor (ties: the smallest account id), so exactly `amount` is issued.
fn issue_window(
    ctx: &mut WriteCtx<'_>,
    start: i64,
    end: i64,
    amount: i64,
) -> Result<usize, ApiError> {
    let work: Vec<(String, i64)> = ctx
        .conn
        .prepare_cached(
            "SELECT account, CAST(SUM(amount) AS BIGINT) AS w FROM ledger \
             WHERE kind = 'earn' AND at > ?1 AND at <= ?2 \
             GROUP BY account HAVING SUM(amount) > 0 ORDER BY w DESC, account",
        )?
        .query_map(params![start, end], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let total: i128 = work.iter().map(|(_, w)| *w as i128).sum();
    if total == 0 {
        return Ok(0);
    }
    let mut shares: Vec<(String, i64)> = work
        .iter()
        .map(|(account, w)| {
            (
                account.clone(),
                (amount as i128 * *w as i128 / total) as i64,
            )
        })
        .collect();
    let given: i64 = shares.iter().map(|(_, s)| *s).sum();
    if let Some(first) = shares.first_mut() {
        first.1 += amount - given;
    }
    let postings: Vec<Posting<'_>> = shares
        .iter()
        .filter(|(_, s)| *s > 0)
        .map(|(account, share)| Posting {
            kind: "issue",
            account,
            amount: *share,
            task_id: None,
            actor: Some(COORDINATOR),
        })
        .collect();
    post(ctx, &postings)?;
    Ok(postings.len())
}
