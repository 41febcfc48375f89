//! Helpers for the credits suites (tests/it/credits_*.rs), built on tests/it/common.rs.

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::Duration;

/// The node claims the next task and reports task `id` succeeded on that lease, with no usage
/// figures (the coordinator bills the wall time it saw).
pub async fn succeed_next(node: &Client, id: &str) {
    let c = claim_now(node).await.expect("claim");
    node.start(id, &c.lease.lease_id).await.expect("start");
    node.complete(
        id,
        &complete_req(&c.lease.lease_id, Outcome::Succeeded, None),
    )
    .await
    .expect("complete");
}

/// A coordinator only (no local worker), with extra settings.
pub fn coordinator_with(env: &[(&str, &str)]) -> CoordinatorOptions {
    let mut opts = coordinator_only();
    opts.env
        .extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    opts
}

/// A new user token: its client and its account name (`user:<token id>`).
pub async fn user(admin: &Client) -> (Client, String) {
    let created = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            name: Some("credits test user".into()),
            ..Default::default()
        })
        .await
        .expect("user token");
    let client = Client::new(admin.base_url(), Some(created.token)).expect("client");
    (client, format!("user:{}", created.info.id))
}

/// A task that runs `true` with this timeout.
pub fn task(timeout_secs: u64) -> SubmitRequest {
    let mut req = SubmitRequest::argv(vec!["true".into()]);
    req.timeout_secs = Some(timeout_secs);
    req
}

/// Every ledger entry, in order.
pub async fn entries(client: &Client) -> Vec<LedgerEntry> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = client.ledger(after, 1000).await.expect("ledger page");
        all.extend(page.entries);
        match page.next_after {
            Some(n) => after = n,
            None => return all,
        }
    }
}

pub async fn account(client: &Client, id: &str) -> Account {
    client.credit_account(id).await.expect("account")
}

/// The expected charge: ceil(ms × rate × multiplier / 10^7), at least `minimum`, at most `hold`.
pub fn expected_charge(ms: i64, rate: i64, multiplier_bps: u32, minimum: i64, hold: i64) -> i64 {
    let scaled = ms as i128 * rate as i128 * multiplier_bps as i128;
    let cost = (scaled + 9_999_999) / 10_000_000;
    (cost as i64).max(minimum).min(hold)
}

pub fn db(sb: &Sandbox) -> edgecoder::server::store::db::Db {
    sb.db()
}

/// Asserts that every cached account figure equals the sum of its ledger entries, computed here
/// straight from the SQLite file.
pub fn assert_cache_matches_entries(sb: &Sandbox) {
    let conn = db(sb);
    let mut stmt = conn
        .prepare("SELECT id, balance, held, earned, spent FROM credit_accounts ORDER BY id")
        .expect("prepare");
    let cached: Vec<(String, i64, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut rows = conn
        .prepare("SELECT account, kind, amount FROM ledger ORDER BY seq")
        .expect("prepare");
    let mut sums: std::collections::BTreeMap<String, (i64, i64, i64, i64)> = Default::default();
    let all: Vec<(String, String, i64)> = rows
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for (account, kind, amount) in all {
        let s = sums.entry(account).or_default();
        s.0 += amount;
        match kind.as_str() {
            "hold" | "release" => s.1 -= amount,
            "earn" | "fee" | "issue" => s.2 += amount,
            "settle" => s.3 -= amount,
            _ => {}
        }
    }
    for (id, balance, held, earned, spent) in &cached {
        let s = sums.get(id).copied().unwrap_or_default();
        assert_eq!(
            (*balance, *held, *earned, *spent),
            s,
            "cached figures of {id} differ from the sum of its entries"
        );
    }
    for id in sums.keys() {
        assert!(
            cached.iter().any(|c| &c.0 == id),
            "{id} has entries but no cached balance"
        );
    }
}

/// Runs `edgecoder ARGS` against the coordinator with this token; (exit code, stdout, stderr).
pub fn cli(sb: &Sandbox, url: &str, token: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = sb.command();
    cmd.env("EDGECODER_URL", url)
        .env("EDGECODER_TOKEN", token)
        .args(args);
    run_to_end(cmd, Duration::from_secs(60))
}
