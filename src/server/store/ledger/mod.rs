//! Credits and the append-only, hash-chained ledger.
//!
//! Every movement of credits is one or more ledger entries written by [`post`] inside the
//! writer's transaction, together with the cached balances of the accounts they touch; nothing
//! else writes either table. Accounts: `treasury`, `user:<token id>`, `node:<node id>`.
//!
//! Kinds and what they do to an account's cached figures (balance is always the sum of amounts):
//! `hold` (−, held grows), `release` (+, held shrinks), `settle` (−, spent grows), `earn` and
//! `fee` (+, earned grows), `issue` (+, earned grows: new credits), `grant`, `transfer` (±).

pub mod charges;
pub mod checkpoints;
pub mod history;
pub mod issuance;
pub mod job_holds;
pub mod pricing;
pub mod verify;

use crate::api::ledger_chain::{EntryFields, GENESIS, entry_hash};
use crate::api::{Account, LedgerEntry, Role};
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;
use crate::server::store::db::{self, Db, OptionalExtension, Row, params};
use axum::http::StatusCode;
use std::collections::HashMap;

pub const TREASURY: &str = "treasury";
/// The actor of entries the coordinator makes on its own (issuance, releases by the sweeper).
pub const COORDINATOR: &str = "coordinator";

/// The account a caller spends from: the treasury for admin tokens (so a fresh coordinator's
/// admin can run work at once), `user:<token id>` for every other token.
pub fn account_of(caller: &Caller) -> String {
    if caller.role == Role::Admin {
        TREASURY.to_string()
    } else {
        format!("user:{}", caller.token_id)
    }
}

/// One movement to write: an entry on one account.
#[derive(Debug, Clone)]
pub struct Posting<'a> {
    pub kind: &'static str,
    pub account: &'a str,
    pub amount: i64,
    pub task_id: Option<&'a str>,
    pub actor: Option<&'a str>,
}

/// The refusal for too few credits: names the exact commands that fix it (a grant of the
/// shortfall, or a coordinator without credits), since a private coordinator's owner may not
/// know credits are on at all.
pub fn insufficient(account: &str, balance: i64, needed: i64) -> ApiError {
    let short = needed.saturating_sub(balance.max(0)).max(1);
    ApiError::new(
        StatusCode::PAYMENT_REQUIRED,
        "insufficient_credits",
        format!(
            "account {account} has {} credits spendable but this needs {}: nothing was written; \
             an admin grants the rest with `edgecoder server credits grant {account} {}`; a \
             private coordinator can run without credits: restart it with `edgecoder serve \
             --free` (or EDGECODER_PRICING=false); credits can also be transferred \
             (`edgecoder server credits transfer`) or earned by running a node",
            crate::api::format_credits(balance),
            crate::api::format_credits(needed),
            crate::api::format_credits(short)
        ),
    )
}

fn overflow(account: &str) -> ApiError {
    ApiError::conflict(
        "amount_overflow",
        format!(
            "this would take account {account} past the largest amount the ledger can hold: \
             nothing was written"
        ),
    )
}

#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    balance: i64,
    held: i64,
    earned: i64,
    spent: i64,
}

impl Figures {
    fn apply(mut self, kind: &str, amount: i64) -> Option<Figures> {
        self.balance = self.balance.checked_add(amount)?;
        match kind {
            "hold" | "release" => self.held = self.held.checked_sub(amount)?,
            "settle" => self.spent = self.spent.checked_sub(amount)?,
            "earn" | "fee" | "issue" => self.earned = self.earned.checked_add(amount)?,
            _ => {}
        }
        Some(self)
    }
}

/// What the writer knows of the ledger between statements: the chain's head and the figures of
/// accounts it has read or written. Write-through (every change is still written to
/// `credit_accounts` at once, so any SQL read stays right); it only spares reading back what the
/// writer itself just wrote. Carried from batch to batch, dropped when a batch rolls back.
#[derive(Debug, Default)]
pub struct WriterCache {
    head: Option<(i64, [u8; 32])>,
    /// Each account's figures, and whether its row exists yet.
    accounts: HashMap<String, (bool, Figures)>,
}

/// More accounts than this in the cache and it starts over: a bound on memory, not a tuning.
const CACHED_ACCOUNTS: usize = 4096;

impl WriterCache {
    fn figures(&mut self, conn: &Db, id: &str) -> Result<(bool, Figures), ApiError> {
        if let Some(known) = self.accounts.get(id) {
            return Ok(*known);
        }
        let read = match figures(conn, id)? {
            Some(f) => (true, f),
            None => (false, Figures::default()),
        };
        self.remember(id, read);
        Ok(read)
    }

    fn remember(&mut self, id: &str, figures: (bool, Figures)) {
        if self.accounts.len() >= CACHED_ACCOUNTS && !self.accounts.contains_key(id) {
            self.accounts.clear();
        }
        self.accounts.insert(id.to_string(), figures);
    }
}

fn account_kind(id: &str) -> Option<&'static str> {
    if id == TREASURY {
        Some("treasury")
    } else if id.strip_prefix("user:").is_some_and(|t| !t.is_empty()) {
        Some("user")
    } else if id.strip_prefix("node:").is_some_and(|n| !n.is_empty()) {
        Some("node")
    } else {
        None
    }
}

/// Whether `id` names an account that exists or may come into being: the treasury, an API
/// token's owner, or an enrolled node.
pub fn account_exists(conn: &Db, id: &str) -> Result<bool, ApiError> {
    let known: bool = conn
        .prepare_cached("SELECT 1 FROM credit_accounts WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some();
    if known {
        return Ok(true);
    }
    let found = if let Some(token) = id.strip_prefix("user:") {
        conn.prepare_cached("SELECT 1 FROM tokens WHERE id = ?1 AND kind = 'api'")?
            .query_row([token], |_| Ok(()))
            .optional()?
    } else if let Some(node) = id.strip_prefix("node:") {
        conn.prepare_cached("SELECT 1 FROM nodes WHERE id = ?1")?
            .query_row([node], |_| Ok(()))
            .optional()?
    } else {
        None
    };
    Ok(found.is_some())
}

/// 404 unless `id` names an account (see [`account_exists`]).
pub fn require_account(conn: &Db, id: &str) -> Result<(), ApiError> {
    if account_kind(id).is_none() {
        return Err(ApiError::bad_request(format!(
            "{id:?} is not an account name: use treasury, user:<token id> or node:<node id>"
        )));
    }
    if account_exists(conn, id)? {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "no account {id:?}: name an existing API token (user:<token id>) or node \
                 (node:<node id>); `edgecoder server credits balance` lists accounts"
            ),
        ))
    }
}

fn figures(conn: &Db, id: &str) -> Result<Option<Figures>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT balance, held, earned, spent FROM credit_accounts WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Figures {
                balance: r.get(0)?,
                held: r.get(1)?,
                earned: r.get(2)?,
                spent: r.get(3)?,
            })
        })
        .optional()?)
}

/// The spendable balance of an account (0 for one with no entries yet).
pub fn balance(conn: &Db, id: &str) -> Result<i64, ApiError> {
    Ok(figures(conn, id)?.map_or(0, |f| f.balance))
}

/// The chain's head: its last sequence number and hash (0 and zeros when empty).
pub fn head(conn: &Db) -> Result<(i64, [u8; 32]), ApiError> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Ok((0, GENESIS)),
        Some((seq, hash)) => {
            let hash = hash.try_into().map_err(|_| {
                ApiError::internal(format!(
                    "ledger entry {seq} has a hash that is not 32 bytes: run `edgecoder server \
                     ledger verify`"
                ))
            })?;
            Ok((seq, hash))
        }
    }
}

/// Each touched account's figures after the postings (and whether its row exists yet); refuses
/// what [`post`] would refuse (a malformed account, an overflow, a non-treasury balance going
/// negative on a debit) without writing anything.
type Plan<'p> = HashMap<&'p str, (bool, Figures)>;

fn plan<'p>(ctx: &mut WriteCtx<'_>, postings: &[Posting<'p>]) -> Result<Plan<'p>, ApiError> {
    let mut after: Plan<'p> = HashMap::new();
    for p in postings {
        if account_kind(p.account).is_none() {
            return Err(ApiError::internal(format!(
                "refused a posting to malformed account {:?}",
                p.account
            )));
        }
        let (exists, current) = match after.get(p.account) {
            Some(v) => *v,
            None => ctx.ledger.figures(ctx.conn, p.account)?,
        };
        let next = current
            .apply(p.kind, p.amount)
            .ok_or_else(|| overflow(p.account))?;
        if p.account != TREASURY && p.amount < 0 && next.balance < 0 {
            return Err(insufficient(p.account, current.balance, -p.amount));
        }
        after.insert(p.account, (exists, next));
    }
    Ok(after)
}

/// Whether [`post`] would accept these postings now; writes nothing. For a caller that must
/// refuse before it writes anything else.
pub fn check(ctx: &mut WriteCtx<'_>, postings: &[Posting<'_>]) -> Result<(), ApiError> {
    plan(ctx, postings).map(|_| ())
}

/// The chain's head inside the writer: carried from entry to entry and batch to batch rather
/// than read back each time.
pub fn written_head(ctx: &mut WriteCtx<'_>) -> Result<(i64, [u8; 32]), ApiError> {
    match ctx.ledger.head {
        Some(known) => Ok(known),
        None => {
            let read = head(ctx.conn)?;
            ctx.ledger.head = Some(read);
            Ok(read)
        }
    }
}

/// Writes the postings as consecutive chained entries and updates the cached balances. Every
/// check happens before anything is written (see [`check`]), so a refusal leaves the batch clean.
pub fn post(ctx: &mut WriteCtx<'_>, postings: &[Posting<'_>]) -> Result<(), ApiError> {
    append(ctx, postings, |_, _, _| {})
}

/// [`post`], returning the entries as written (for a response; settlement has no use for them
/// and skips building them).
pub fn post_returning(
    ctx: &mut WriteCtx<'_>,
    postings: &[Posting<'_>],
) -> Result<Vec<LedgerEntry>, ApiError> {
    let mut written = Vec::with_capacity(postings.len());
    append(ctx, postings, |fields, prev, hash| {
        written.push(fields.to_entry(prev, hash))
    })?;
    Ok(written)
}

fn append(
    ctx: &mut WriteCtx<'_>,
    postings: &[Posting<'_>],
    mut each: impl FnMut(&EntryFields<'_>, &[u8; 32], &[u8; 32]),
) -> Result<(), ApiError> {
    let after = plan(ctx, postings)?;
    let (mut seq, mut prev) = written_head(ctx)?;
    for p in postings {
        seq += 1;
        let fields = EntryFields {
            seq,
            at: ctx.now,
            kind: p.kind,
            account: p.account,
            amount: p.amount,
            task_id: p.task_id,
            actor: p.actor,
        };
        let hash = entry_hash(&fields, &prev);
        ctx.conn
            .prepare_cached(
                "INSERT INTO ledger (seq, at, kind, account, amount, task_id, actor, prev_hash, \
                 hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                seq,
                ctx.now,
                p.kind,
                p.account,
                p.amount,
                p.task_id,
                p.actor,
                &prev[..],
                &hash[..]
            ])?;
        each(&fields, &prev, &hash);
        prev = hash;
    }
    ctx.ledger.head = Some((seq, prev));
    for (id, (exists, f)) in after {
        if exists {
            ctx.conn
                .prepare_cached(
                    "UPDATE credit_accounts SET balance = ?2, held = ?3, earned = ?4, spent = ?5 \
                     WHERE id = ?1",
                )?
                .execute(params![id, f.balance, f.held, f.earned, f.spent])?;
        } else {
            ctx.conn
                .prepare_cached(
                    "INSERT INTO credit_accounts (id, kind, balance, held, earned, spent, \
                     created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    id,
                    account_kind(id).unwrap_or("user"),
                    f.balance,
                    f.held,
                    f.earned,
                    f.spent,
                    ctx.now
                ])?;
        }
        ctx.ledger.remember(id, (true, f));
    }
    Ok(())
}

fn account_from_row(r: &Row<'_>) -> db::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        kind: r.get(1)?,
        balance: r.get(2)?,
        held: r.get(3)?,
        earned: r.get(4)?,
        spent: r.get(5)?,
        name: r.get(6)?,
    })
}

/// The account's figures and the name of the token or node it belongs to (`user:` and `node:`
/// are both five characters, so the id starts at the sixth).
const ACCOUNT_COLUMNS: &str = "id, kind, balance, held, earned, spent, \
     CASE kind \
       WHEN 'user' THEN (SELECT t.name FROM tokens t WHERE t.id = substr(credit_accounts.id, 6)) \
       WHEN 'node' THEN (SELECT n.name FROM nodes n WHERE n.id = substr(credit_accounts.id, 6)) \
     END";

/// An account's figures; one that exists but has no entries yet reads as all zeros.
pub fn get_account(conn: &Db, id: &str) -> Result<Account, ApiError> {
    require_account(conn, id)?;
    let found = conn
        .prepare_cached(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM credit_accounts WHERE id = ?1"
        ))?
        .query_row([id], account_from_row)
        .optional()?;
    Ok(found.unwrap_or_else(|| Account {
        id: id.to_string(),
        kind: account_kind(id).unwrap_or("user").to_string(),
        balance: 0,
        held: 0,
        earned: 0,
        spent: 0,
        name: None,
    }))
}

pub fn list_accounts(conn: &Db) -> Result<Vec<Account>, ApiError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM credit_accounts ORDER BY kind = 'treasury' DESC, id"
    ))?;
    let rows = stmt.query_map([], account_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn entry_from_row(r: &Row<'_>) -> db::Result<LedgerEntry> {
    Ok(LedgerEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        kind: r.get(2)?,
        account: r.get(3)?,
        amount: r.get(4)?,
        task_id: r.get(5)?,
        actor: r.get(6)?,
        prev_hash: hex::encode(r.get::<Vec<u8>>(7)?),
        hash: hex::encode(r.get::<Vec<u8>>(8)?),
    })
}

pub(crate) const ENTRY_COLUMNS: &str =
    "seq, at, kind, account, amount, task_id, actor, prev_hash, hash";

pub use history::page;

/// Whether `caller` may read `account` (or, with `spending`, move credits out of it): a token
/// its own account and those of the nodes enrolled with enrollment tokens it made; an owner may
/// read every account; an admin may read and spend from every account.
pub fn controls(
    conn: &Db,
    caller: &Caller,
    account: &str,
    spending: bool,
) -> Result<bool, ApiError> {
    let everything = match caller.role {
        Role::Admin => true,
        Role::Owner => !spending,
        Role::User => false,
    };
    if everything || account == account_of(caller) {
        return Ok(true);
    }
    let Some(node) = account.strip_prefix("node:") else {
        return Ok(false);
    };
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM nodes n JOIN tokens t ON t.id = n.enrolled_with \
             WHERE n.id = ?1 AND t.created_by = ?2",
        )?
        .query_row(params![node, caller.token_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The same figures recomputed from the entries alone (the cache must always equal them).
pub fn sums_from_entries(conn: &Db) -> Result<Vec<Account>, ApiError> {
    let mut stmt = conn.prepare(
        "SELECT account, \
           CAST(SUM(amount) AS BIGINT), \
           CAST(-SUM(CASE WHEN kind IN ('hold', 'release') THEN amount ELSE 0 END) AS BIGINT), \
           CAST(SUM(CASE WHEN kind IN ('earn', 'fee', 'issue') THEN amount ELSE 0 END) AS BIGINT), \
           CAST(-SUM(CASE WHEN kind = 'settle' THEN amount ELSE 0 END) AS BIGINT) \
         FROM ledger GROUP BY account ORDER BY account",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: String = r.get(0)?;
        Ok(Account {
            kind: account_kind(&id).unwrap_or("user").to_string(),
            id,
            balance: r.get(1)?,
            held: r.get(2)?,
            earned: r.get(3)?,
            spent: r.get(4)?,
            name: None,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
