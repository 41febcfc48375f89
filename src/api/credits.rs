//! Wire types of credits and the ledger. Amounts are integers in milli-credits (1 credit = 1000).

use serde::{Deserialize, Serialize};

/// One account: `treasury`, `user:<token id>` (a submitter) or `node:<node id>` (a contributor).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    /// `treasury`, `user` or `node`.
    pub kind: String,
    /// Spendable now: every entry's sum less what is held.
    pub balance: i64,
    /// Held for queued and running tasks.
    pub held: i64,
    /// Total ever earned by running tasks.
    pub earned: i64,
    /// Total ever paid for tasks.
    pub spent: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountList {
    pub accounts: Vec<Account>,
}

/// One entry of the append-only, hash-chained ledger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LedgerEntry {
    pub seq: i64,
    pub at: i64,
    /// hold, settle, release, earn, fee, issue, grant or transfer.
    pub kind: String,
    pub account: String,
    /// Signed milli-credits.
    pub amount: i64,
    pub task_id: Option<String>,
    /// Who caused it (a token id, `coordinator` for its own actions).
    pub actor: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LedgerPage {
    pub entries: Vec<LedgerEntry>,
    /// Pass as `after` for the next page; absent on the last one.
    pub next_after: Option<i64>,
}

/// The result of walking the chain and its signed checkpoints.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LedgerVerify {
    pub ok: bool,
    /// Entries checked.
    pub count: u64,
    pub head_seq: i64,
    pub head_hash: String,
    pub checkpoints_checked: u64,
    /// The first entry that does not verify, and why.
    pub first_bad_seq: Option<i64>,
    pub reason: Option<String>,
}
