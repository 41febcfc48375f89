//! Wire types of credits and the ledger. Amounts are integers in milli-credits (1 credit = 1000).

use serde::{Deserialize, Serialize};

/// One account: `treasury`, `user:<token id>` (a submitter) or `node:<node id>` (a contributor).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
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
    /// The name of the token (a `user` account) or node (a `node` account) it belongs to, where
    /// one is known; absent for the treasury.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountList {
    pub accounts: Vec<Account>,
}

/// One entry of the append-only, hash-chained ledger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LedgerPage {
    pub entries: Vec<LedgerEntry>,
    /// Pass as `after` for the next page; absent on the last one.
    pub next_after: Option<i64>,
}

/// The result of walking the chain and its signed checkpoints.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
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

/// Milli-credits in one credit: every amount on the wire and in the store is an integer of these.
pub const MILLI_PER_CREDIT: i64 = 1000;

/// Reads decimal credits (`12`, `1.5`, `0.001`) as milli-credits. Refuses a sign, more than three
/// decimals, anything but digits and one point, and amounts past the largest i64.
pub fn parse_credits(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let explain = "write credits like 12, 1.5 or 0.001 (at most 3 decimals)";
    if t.starts_with('-') {
        return Err(format!(
            "amount {t:?} is negative: amounts must be positive"
        ));
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) {
        return Err(format!("amount {t:?} is not a number: {explain}"));
    }
    if frac.len() > 3 {
        return Err(format!(
            "amount {t:?} has more than 3 decimals (1 milli-credit is the smallest unit)"
        ));
    }
    let too_big = || format!("amount {t:?} is too large (at most 9223372036854775.807 credits)");
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_big())?
    };
    let frac_milli: i64 = format!("{frac:0<3}").parse().unwrap_or(0);
    whole
        .checked_mul(MILLI_PER_CREDIT)
        .and_then(|m| m.checked_add(frac_milli))
        .ok_or_else(too_big)
}

/// Milli-credits as decimal credits, without trailing zeros: 1500 → "1.5", -3 → "-0.003".
pub fn format_credits(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let (whole, frac) = (abs / 1000, abs % 1000);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let frac = format!("{frac:03}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }
}

/// `POST /api/v1/credits/grant` (admin): new credits from the treasury to an account.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    pub account: String,
    /// Milli-credits, more than zero.
    pub amount: i64,
}

/// `POST /api/v1/credits/transfer`: from the caller's account (or `from`, an account the caller
/// controls: a node it enrolled, or any account for an admin) to another account.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub to: String,
    /// Milli-credits, more than zero.
    pub amount: i64,
    #[serde(default)]
    pub from: Option<String>,
}

/// What a grant or transfer wrote, and the account it went to afterwards.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreditMove {
    pub entries: Vec<LedgerEntry>,
    pub account: Account,
}

/// What submitting a task would hold now (`POST /api/v1/credits/quote` with a submit request).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct Quote {
    /// False on a coordinator started with `--free`: nothing is held or charged.
    pub pricing: bool,
    /// The account that would pay.
    pub account: String,
    /// Milli-credits held at submission: the worst case, timeout × rate × load multiplier.
    pub hold: i64,
    pub gpu: bool,
    pub timeout_secs: u64,
    /// Milli-credits per second of the task's kind (CPU-second or GPU-second).
    pub rate_per_second: i64,
    /// Load multiplier in basis points (10000 = 1.0), from queued tasks per online node.
    pub multiplier_bps: u32,
    pub queued: u64,
    pub nodes_online: u64,
    /// The least any task is charged.
    pub minimum: i64,
    /// The account's spendable balance now.
    pub balance: i64,
    /// Whether the balance covers the hold (the treasury always does).
    pub enough: bool,
}

/// A task's hold and, once it ended, what it was charged (`GET /api/v1/credits/tasks/{id}`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct TaskCharge {
    pub task_id: String,
    pub account: String,
    /// `held`, `settled` or `released`.
    pub state: String,
    pub hold: i64,
    pub gpu: bool,
    pub rate_per_second: i64,
    pub multiplier_bps: u32,
    pub minimum: i64,
    pub fee_bps: u32,
    /// The node paid (settled tasks only).
    pub node_id: Option<String>,
    /// The measured milliseconds the charge was computed from (settled tasks only).
    pub billable_ms: Option<i64>,
    /// What the submitter paid; the node earned `charged - fee`.
    pub charged: Option<i64>,
    pub fee: Option<i64>,
    /// Inference tasks are paid by tokens: milli-credits per 1,000 tokens (in and out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_1k_tokens: Option<i64>,
    /// The tokens the charge was computed from (settled inference tasks only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u64>,
}

/// A signed statement by the coordinator that the chain's head at `seq` had `head_hash`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct Checkpoint {
    pub seq: i64,
    pub at: i64,
    /// Hex SHA-256.
    pub head_hash: String,
    /// Hex Ed25519 signature over the checkpoint message (see docs/decisions.md).
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CheckpointList {
    /// Hex Ed25519 public key of this coordinator's ledger.
    pub public_key: String,
    pub checkpoints: Vec<Checkpoint>,
}

/// One line of `server ledger export` (JSON lines): a header, then entries, then checkpoints.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportLine {
    Header {
        format: String,
        public_key: String,
        /// Entries after this sequence number follow.
        since: i64,
    },
    Entry(LedgerEntry),
    Checkpoint(Checkpoint),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_parse_to_exact_milli_credits() {
        assert_eq!(parse_credits("1.5"), Ok(1500));
        assert_eq!(parse_credits("12"), Ok(12_000));
        assert_eq!(parse_credits("0.001"), Ok(1));
        assert_eq!(parse_credits(".25"), Ok(250));
        assert_eq!(parse_credits("9223372036854775.807"), Ok(i64::MAX));
        for bad in [
            "-1",
            "1.2345",
            "",
            ".",
            "1e3",
            "abc",
            "9223372036854775.808",
            "1,5",
        ] {
            assert!(parse_credits(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn credits_format_without_trailing_zeros() {
        assert_eq!(format_credits(1500), "1.5");
        assert_eq!(format_credits(-3), "-0.003");
        assert_eq!(format_credits(12_000), "12");
        assert_eq!(format_credits(i64::MIN), "-9223372036854775.808");
    }
}
