//! An account's history, and the index that finds it.
//!
//! Entries are found by account through `ledger_by_account (account, seq)`, filled in bulk by
//! the ledger upkeep twice a second ([`index_accounts`]) rather than by every insert: indexed on
//! insert, each task's settlement dirtied one index page per node it paid, a third of what
//! settlement cost the writer. Entries newer than the last bulk run (`ledger_indexed_upto` in
//! `meta`) are found by scanning that short tail of the ledger, so a page is always complete.

use super::{ENTRY_COLUMNS, entry_from_row, written_head};
use crate::api::{LedgerEntry, LedgerPage};
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;
use crate::server::store::db::{Db, OptionalExtension, params};

const INDEXED_UPTO: &str = "ledger_indexed_upto";

/// The last sequence number whose entry is in `ledger_by_account`.
fn indexed_upto(conn: &Db) -> Result<i64, ApiError> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([INDEXED_UPTO], |r| r.get(0))
        .optional()?;
    match value {
        None => Ok(0),
        Some(v) => v.parse().map_err(|_| {
            ApiError::internal(format!(
                "meta {INDEXED_UPTO} is {v:?}, not a sequence number: the database was edited"
            ))
        }),
    }
}

/// Indexes the entries written since the last run, in account order (so each account's page of
/// the index is written once a run). Returns how many were indexed.
pub fn index_accounts(ctx: &mut WriteCtx<'_>) -> Result<usize, ApiError> {
    let upto = indexed_upto(ctx.conn)?;
    let (head, _) = written_head(ctx)?;
    if head <= upto {
        return Ok(0);
    }
    let indexed = ctx
        .conn
        .prepare_cached(
            "INSERT INTO ledger_by_account (account, seq) \
             SELECT account, seq FROM ledger WHERE seq > ?1 AND seq <= ?2 ORDER BY account, seq",
        )?
        .execute(params![upto, head])?;
    ctx.conn
        .prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![INDEXED_UPTO, head.to_string()])?;
    Ok(indexed)
}

/// Entries after `after` in order, optionally of one account; with the cursor of the next page.
pub fn page(
    conn: &Db,
    account: Option<&str>,
    after: i64,
    limit: u32,
) -> Result<LedgerPage, ApiError> {
    let limit = limit.clamp(1, 10_000);
    // One more than asked, to know whether another page follows.
    let wanted = limit as usize + 1;
    let mut entries = match account {
        None => conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM ledger WHERE seq > ?1 ORDER BY seq LIMIT ?2"
            ))?
            .query_map(params![after, wanted], entry_from_row)?
            .collect::<Result<Vec<_>, _>>()?,
        Some(account) => of_account(conn, account, after, wanted)?,
    };
    let more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    let next_after = if more {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(LedgerPage {
        entries,
        next_after,
    })
}

fn of_account(
    conn: &Db,
    account: &str,
    after: i64,
    wanted: usize,
) -> Result<Vec<LedgerEntry>, ApiError> {
    // Read first: every entry up to it is in the index, whatever commits meanwhile.
    let upto = indexed_upto(conn)?;
    let mut entries: Vec<LedgerEntry> = conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM ledger WHERE seq IN \
             (SELECT seq FROM ledger_by_account WHERE account = ?1 AND seq > ?2 AND seq <= ?3 \
              ORDER BY seq LIMIT ?4) \
             ORDER BY seq"
        ))?
        .query_map(params![account, after, upto, wanted], entry_from_row)?
        .collect::<Result<_, _>>()?;
    if entries.len() < wanted {
        let tail = conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM ledger WHERE seq > ?1 AND account = ?2 \
                 ORDER BY seq LIMIT ?3"
            ))?
            .query_map(
                params![after.max(upto), account, wanted - entries.len()],
                entry_from_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        entries.extend(tail);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::Store;
    use crate::server::store::ledger::{Posting, TREASURY, post};

    fn grant(store: &Store, rt: &tokio::runtime::Runtime, to: &'static str) {
        rt.block_on(store.write(move |ctx| {
            post(
                ctx,
                &[
                    Posting {
                        kind: "grant",
                        account: TREASURY,
                        amount: -5,
                        task_id: None,
                        actor: Some("test"),
                    },
                    Posting {
                        kind: "grant",
                        account: to,
                        amount: 5,
                        task_id: None,
                        actor: Some("test"),
                    },
                ],
            )
        }))
        .expect("grant");
    }

    /// Every page of an account's history, following the cursor.
    fn history(store: &Store, rt: &tokio::runtime::Runtime, account: &'static str) -> Vec<i64> {
        let (mut seqs, mut after) = (Vec::new(), 0);
        loop {
            let page = rt
                .block_on(store.read(move |c| page(c, Some(account), after, 2)))
                .expect("page");
            seqs.extend(page.entries.iter().map(|e| e.seq));
            assert!(page.entries.iter().all(|e| e.account == account));
            match page.next_after {
                Some(next) => after = next,
                None => return seqs,
            }
        }
    }

    #[test]
    fn an_accounts_history_is_whole_on_both_sides_of_the_bulk_index() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        for to in ["user:a", "user:b", "user:a"] {
            grant(&store, &rt, to);
        }
        let indexed = rt.block_on(store.write(index_accounts)).expect("index");
        assert_eq!(indexed, 6);
        for to in ["user:b", "user:a", "user:a"] {
            grant(&store, &rt, to);
        }
        // Entries 2, 6 indexed; 10, 12 only in the tail.
        assert_eq!(history(&store, &rt, "user:a"), vec![2, 6, 10, 12]);
        assert_eq!(history(&store, &rt, "user:b"), vec![4, 8]);
        assert_eq!(history(&store, &rt, TREASURY), vec![1, 3, 5, 7, 9, 11]);
        let again = rt.block_on(store.write(index_accounts)).expect("index");
        assert_eq!(again, 6, "only the entries since the last run");
        assert_eq!(history(&store, &rt, "user:a"), vec![2, 6, 10, 12]);
        assert_eq!(rt.block_on(store.write(index_accounts)).expect("index"), 0);
    }
}
