//! `GET /api/v1/ledger/verify`: walks the whole chain on a read connection, checks the signed
//! checkpoints, and checks the cached balances against the entries.

use super::checkpoints;
use crate::api::LedgerVerify;
use crate::api::ledger_chain::{ChainVerifier, EntryFields};
use crate::server::error::ApiError;
use crate::server::store::db::Db;

/// Slack past the checkpoint interval before an unsigned stretch of old entries is suspicious.
const UNSIGNED_GRACE_MS: i64 = 60_000;

pub fn verify(
    conn: &Db,
    public_key: &[u8; 32],
    checkpoint_interval_ms: i64,
    now: i64,
) -> Result<LedgerVerify, ApiError> {
    let checkpoints = checkpoints::list(conn)?;
    let last_checkpoint = checkpoints.iter().map(|c| c.seq).max().unwrap_or(0);
    let mut walker = ChainVerifier::new(&checkpoints, Some(public_key), true);
    let mut oldest_unsigned_at: Option<i64> = None;
    {
        let mut stmt = conn.prepare(
            "SELECT seq, at, kind, account, amount, task_id, actor, prev_hash, hash \
             FROM ledger ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let fields = EntryFields {
                seq: r.get(0)?,
                at: r.get(1)?,
                kind: r.get_value(2)?.as_str().unwrap_or("\u{0}not text"),
                account: r.get_value(3)?.as_str().unwrap_or("\u{0}not text"),
                amount: r.get(4)?,
                task_id: r
                    .get_value(5)?
                    .as_str_or_null()
                    .unwrap_or(Some("\u{0}not text")),
                actor: r
                    .get_value(6)?
                    .as_str_or_null()
                    .unwrap_or(Some("\u{0}not text")),
            };
            if fields.seq == last_checkpoint + 1 {
                oldest_unsigned_at = Some(fields.at);
            }
            let prev = r.get_value(7)?.as_blob().unwrap_or(&[]);
            let hash = r.get_value(8)?.as_blob().unwrap_or(&[]);
            if !walker.push(&fields, prev, hash) {
                break;
            }
        }
    }
    let mut verdict = walker.finish();
    if !verdict.ok {
        return Ok(verdict);
    }
    // Checkpoints come every interval while there are new entries: an old stretch with none
    // means they were deleted (which would hide a recomputed chain).
    if let Some(at) = oldest_unsigned_at
        && at < now - checkpoint_interval_ms - UNSIGNED_GRACE_MS
    {
        verdict.ok = false;
        verdict.first_bad_seq = Some(last_checkpoint + 1);
        verdict.reason = Some(format!(
            "entries from seq {} on are older than the checkpoint interval but no signed \
             checkpoint covers them: checkpoints were removed, or the chain was rewritten",
            last_checkpoint + 1
        ));
        return Ok(verdict);
    }
    let cached = super::list_accounts(conn)?;
    let summed = super::sums_from_entries(conn)?;
    for account in &cached {
        let from_entries = summed.iter().find(|s| s.id == account.id);
        let matches = match from_entries {
            // The figures, not the name (which the entries do not hold).
            Some(s) => {
                (s.kind.as_str(), s.balance, s.held, s.earned, s.spent)
                    == (
                        account.kind.as_str(),
                        account.balance,
                        account.held,
                        account.earned,
                        account.spent,
                    )
            }
            None => {
                account.balance == 0
                    && account.held == 0
                    && account.earned == 0
                    && account.spent == 0
            }
        };
        if !matches {
            verdict.ok = false;
            verdict.reason = Some(format!(
                "the cached figures of account {} ({account:?}) differ from the sum of its \
                 entries ({from_entries:?})",
                account.id
            ));
            return Ok(verdict);
        }
    }
    if let Some(missing) = summed.iter().find(|s| !cached.iter().any(|c| c.id == s.id)) {
        verdict.ok = false;
        verdict.reason = Some(format!(
            "account {} has entries but no cached balance",
            missing.id
        ));
    }
    Ok(verdict)
}
