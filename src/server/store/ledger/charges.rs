//! A task's money: the hold written with its submission, and the one settlement or release when
//! it ends. A task has at most one hold, however many attempts it takes, so a retried task is
//! charged once; only a success reported on the live (fenced) lease settles, and pays the node
//! that held it; every other end releases the hold in full.

use super::pricing::{self, Pricing};
use super::{self as ledger, COORDINATOR, Posting, TREASURY, balance, post};
use crate::api::{Quote, TaskCharge};
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;
use crate::server::store::db::{Db, OptionalExtension, params};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

/// Who pays for a submission and at what load, captured before the write.
#[derive(Debug, Clone)]
pub struct Payer {
    pub pricing: Pricing,
    pub account: String,
    /// The token id of the submitter (the hold entry's actor).
    pub actor: String,
    pub multiplier_bps: u32,
}

fn rate_of(pricing: &Pricing, gpu: bool) -> i64 {
    if gpu {
        pricing.gpu_per_second
    } else {
        pricing.cpu_per_second
    }
}

fn hold_amount(payer: &Payer, timeout_secs: u64, gpu: bool) -> Result<i64, ApiError> {
    pricing::hold(
        timeout_secs,
        rate_of(&payer.pricing, gpu),
        payer.multiplier_bps,
        payer.pricing.minimum,
    )
    .ok_or_else(|| {
        ApiError::bad_request(
            "the hold for this task does not fit in the ledger's amounts: give a shorter --timeout",
        )
    })
}

/// The contribution-first gate (off unless configured): a user account that has earned less than
/// it spent (its own and its nodes' earnings) and holds less than the burst allowance must
/// contribute before it may submit.
fn check_gate(conn: &Db, payer: &Payer) -> Result<(), ApiError> {
    let Some(token) = payer.account.strip_prefix("user:") else {
        return Ok(());
    };
    if !payer.pricing.contribution_first {
        return Ok(());
    }
    let (own_earned, spent, spendable): (i64, i64, i64) = conn
        .prepare_cached("SELECT earned, spent, balance FROM credit_accounts WHERE id = ?1")?
        .query_row([&payer.account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .unwrap_or((0, 0, 0));
    let nodes_earned: i64 = conn
        .prepare_cached(
            "SELECT CAST(COALESCE(SUM(a.earned), 0) AS BIGINT) FROM credit_accounts a \
             JOIN nodes n ON a.id = 'node:' || n.id JOIN tokens t ON t.id = n.enrolled_with \
             WHERE t.created_by = ?1",
        )?
        .query_row([token], |r| r.get(0))?;
    let earned = own_earned.saturating_add(nodes_earned);
    if earned < spent && spendable < payer.pricing.burst_allowance {
        return Err(ApiError::new(
            StatusCode::PAYMENT_REQUIRED,
            "contribute_first",
            format!(
                "account {} has spent {} credits but earned {}, and holds less than the burst \
                 allowance of {}: contribute first (enroll a node with an enrollment token you \
                 create, and let it run tasks), then submit again",
                payer.account,
                crate::api::format_credits(spent),
                crate::api::format_credits(earned),
                crate::api::format_credits(payer.pricing.burst_allowance)
            ),
        ));
    }
    Ok(())
}

fn hold_posting<'a>(
    account: &'a str,
    actor: &'a str,
    task_id: Option<&'a str>,
    hold: i64,
) -> Posting<'a> {
    Posting {
        kind: "hold",
        account,
        amount: -hold,
        task_id,
        actor: Some(actor),
    }
}

/// A task's hold and the price agreed at submission; once it ended, what it was charged. Kept as
/// JSON in the task's own `charge` column: the task row is written at submission and again when
/// the task ends anyway, so the charge costs no row (and no index page) of its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Charge {
    account: String,
    /// `held`, `settled` or `released`.
    state: String,
    hold: i64,
    gpu: bool,
    rate: i64,
    multiplier_bps: u32,
    minimum: i64,
    fee_bps: u32,
    #[serde(default)]
    node_id: Option<String>,
    #[serde(default)]
    billable_ms: Option<i64>,
    #[serde(default)]
    charged: Option<i64>,
    #[serde(default)]
    fee: Option<i64>,
    #[serde(default)]
    ended_at: Option<i64>,
    /// Inference tasks: paid by tokens at this many milli-credits per 1,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    per_1k_tokens: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tokens: Option<u64>,
}

impl Charge {
    /// The column's value.
    pub fn to_json(&self) -> Result<String, ApiError> {
        Ok(serde_json::to_string(self)?)
    }
}

/// The hold a task of this timeout and kind takes, checked against the payer's balance (and the
/// contribution-first gate) without writing anything; None with pricing off. Store the result
/// with the task (`Charge::to_json`), then write the hold entry with [`write_hold`].
pub fn check_hold(
    ctx: &mut WriteCtx<'_>,
    payer: &Payer,
    timeout_secs: u64,
    gpu: bool,
) -> Result<Option<Charge>, ApiError> {
    if !payer.pricing.enabled {
        return Ok(None);
    }
    check_gate(ctx.conn, payer)?;
    let hold = hold_amount(payer, timeout_secs, gpu)?;
    ledger::check(
        ctx,
        &[hold_posting(&payer.account, &payer.actor, None, hold)],
    )?;
    Ok(Some(Charge {
        account: payer.account.clone(),
        state: "held".to_string(),
        hold,
        gpu,
        rate: rate_of(&payer.pricing, gpu),
        multiplier_bps: payer.multiplier_bps,
        minimum: payer.pricing.minimum,
        fee_bps: payer.pricing.fee_bps,
        node_id: None,
        billable_ms: None,
        charged: None,
        fee: None,
        ended_at: None,
        per_1k_tokens: None,
        tokens: None,
    }))
}

/// [`check_hold`] for a task paid by tokens (an inference task): the hold covers `token_bound`
/// tokens (its request, template and output limit) at the token rate.
pub fn check_token_hold(
    ctx: &mut WriteCtx<'_>,
    payer: &Payer,
    token_bound: u64,
) -> Result<Option<Charge>, ApiError> {
    if !payer.pricing.enabled {
        return Ok(None);
    }
    check_gate(ctx.conn, payer)?;
    let rate = payer.pricing.per_1k_tokens;
    let hold =
        pricing::tokens_price(token_bound, rate, payer.pricing.minimum).ok_or_else(|| {
            ApiError::bad_request(
                "the hold for this inference task does not fit in the ledger's amounts: ask for \
             fewer max_tokens",
            )
        })?;
    ledger::check(
        ctx,
        &[hold_posting(&payer.account, &payer.actor, None, hold)],
    )?;
    Ok(Some(Charge {
        account: payer.account.clone(),
        state: "held".to_string(),
        hold,
        gpu: false,
        rate: 0,
        multiplier_bps: 10_000,
        minimum: payer.pricing.minimum,
        fee_bps: payer.pricing.fee_bps,
        node_id: None,
        billable_ms: None,
        charged: None,
        fee: None,
        ended_at: None,
        per_1k_tokens: Some(rate),
        tokens: None,
    }))
}

/// The hold a task of this timeout and kind takes for `payer` (pricing on).
pub fn hold_for(payer: &Payer, timeout_secs: u64, gpu: bool) -> Result<i64, ApiError> {
    hold_amount(payer, timeout_secs, gpu)
}

/// Whether the payer could hold `amount` now (and passes the contribution-first gate), refused
/// with the message a short task submission gets; writes nothing.
pub fn check_amount(ctx: &mut WriteCtx<'_>, payer: &Payer, amount: i64) -> Result<(), ApiError> {
    check_gate(ctx.conn, payer)?;
    ledger::check(
        ctx,
        &[hold_posting(&payer.account, &payer.actor, None, amount)],
    )
}

/// Writes the ledger entry of a hold [`check_hold`] accepted, in the submission's transaction,
/// once the task is stored with it.
pub fn write_hold(
    ctx: &mut WriteCtx<'_>,
    payer: &Payer,
    task_id: &str,
    charge: &Charge,
) -> Result<(), ApiError> {
    post(
        ctx,
        &[hold_posting(
            &payer.account,
            &payer.actor,
            Some(task_id),
            charge.hold,
        )],
    )?;
    Ok(())
}

/// What a completing node reported, and what the coordinator saw of the attempt.
#[derive(Debug, Clone)]
pub struct Usage {
    pub node_id: String,
    pub cpu_ms: Option<u64>,
    pub duration_ms: Option<u64>,
    /// When the attempt started, by the coordinator's clock (None: never accepted).
    pub started_at: Option<i64>,
    /// Tokens (in and out) of an inference task, as the node counted them.
    pub tokens: Option<u64>,
}

/// Billable milliseconds: the node's report, never more than the coordinator itself saw. A GPU
/// task pays per wall-clock second of its run (the GPU is the node's for the whole attempt); a
/// CPU task per CPU-second, at most the node's CPU count per wall-clock second.
fn billable_ms(conn: &Db, held: &Charge, usage: &Usage, now: i64) -> Result<i64, ApiError> {
    let observed = usage.started_at.map_or(0, |s| (now - s).max(0));
    if held.gpu {
        let reported = usage
            .duration_ms
            .map_or(observed, |d| i64::try_from(d).unwrap_or(i64::MAX));
        return Ok(reported.min(observed));
    }
    let reported = usage
        .cpu_ms
        .map_or(observed, |c| i64::try_from(c).unwrap_or(i64::MAX));
    if reported <= observed {
        // Within one CPU's worth: no need to look up how many the node has.
        return Ok(reported);
    }
    let caps: Option<String> = conn
        .prepare_cached("SELECT capabilities FROM nodes WHERE id = ?1")?
        .query_row([&usage.node_id], |r| r.get(0))
        .optional()?;
    let cpus = caps
        .and_then(|c| serde_json::from_str::<crate::api::Capabilities>(&c).ok())
        .map_or(1, |c| c.cpus.max(1)) as i64;
    Ok(reported.min(observed.saturating_mul(cpus)))
}

/// Settles or releases a task's hold when the task reached a final state; a no-op for a task
/// with no open hold (submitted with pricing off, or already settled).
pub fn task_ended(
    ctx: &mut WriteCtx<'_>,
    task_id: &str,
    final_state: &str,
    usage: Option<&Usage>,
) -> Result<(), ApiError> {
    let Some(mut charge) = stored_charge(ctx.conn, task_id)? else {
        return Ok(());
    };
    if charge.state != "held" {
        return Ok(());
    }
    let release = Posting {
        kind: "release",
        account: &charge.account,
        amount: charge.hold,
        task_id: Some(task_id),
        actor: Some(COORDINATOR),
    };
    let usage = usage.filter(|_| final_state == "succeeded");
    let Some(usage) = usage else {
        post(ctx, &[release])?;
        charge.state = "released".to_string();
        charge.ended_at = Some(ctx.now);
        return store_charge(ctx.conn, task_id, &charge);
    };
    let (billable, charged) = match charge.per_1k_tokens {
        Some(per_1k) => {
            let tokens = usage.tokens.unwrap_or(0);
            charge.tokens = Some(tokens);
            let price =
                pricing::tokens_price(tokens, per_1k, charge.minimum).unwrap_or(charge.hold);
            (None, price.min(charge.hold))
        }
        None => {
            let billable = billable_ms(ctx.conn, &charge, usage, ctx.now)?;
            let charged = pricing::charge(
                billable,
                charge.rate,
                charge.multiplier_bps,
                charge.minimum,
                charge.hold,
            );
            (Some(billable), charged)
        }
    };
    let fee = pricing::fee(charged, charge.fee_bps);
    let node_account = format!("node:{}", usage.node_id);
    let mut postings = vec![
        release,
        Posting {
            kind: "settle",
            account: &charge.account,
            amount: -charged,
            task_id: Some(task_id),
            actor: Some(&node_account),
        },
        Posting {
            kind: "earn",
            account: &node_account,
            amount: charged - fee,
            task_id: Some(task_id),
            actor: Some(&node_account),
        },
        Posting {
            kind: "fee",
            account: TREASURY,
            amount: fee,
            task_id: Some(task_id),
            actor: Some(&node_account),
        },
    ];
    postings.retain(|p| p.amount != 0 || p.kind == "release");
    post(ctx, &postings)?;
    charge.state = "settled".to_string();
    charge.node_id = Some(usage.node_id.clone());
    charge.billable_ms = billable;
    charge.charged = Some(charged);
    charge.fee = Some(fee);
    charge.ended_at = Some(ctx.now);
    store_charge(ctx.conn, task_id, &charge)
}

/// The task's charge; None for a task submitted with pricing off (or unknown).
fn stored_charge(conn: &Db, task_id: &str) -> Result<Option<Charge>, ApiError> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT charge FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| r.get(0))
        .optional()?
        .flatten();
    raw.map(|raw| {
        serde_json::from_str(&raw).map_err(|e| {
            ApiError::internal(format!(
                "task {task_id} has an unreadable charge ({e}): the database was edited"
            ))
        })
    })
    .transpose()
}

fn store_charge(conn: &Db, task_id: &str, charge: &Charge) -> Result<(), ApiError> {
    conn.prepare_cached("UPDATE tasks SET charge = ?2 WHERE id = ?1")?
        .execute(params![task_id, charge.to_json()?])?;
    Ok(())
}

pub fn task_charge(conn: &Db, task_id: &str) -> Result<TaskCharge, ApiError> {
    let charge = stored_charge(conn, task_id)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "task {task_id} has no hold (it was submitted with pricing off, or is unknown)"
            ),
        )
    })?;
    Ok(TaskCharge {
        task_id: task_id.to_string(),
        account: charge.account,
        state: charge.state,
        hold: charge.hold,
        gpu: charge.gpu,
        rate_per_second: charge.rate,
        multiplier_bps: charge.multiplier_bps,
        minimum: charge.minimum,
        fee_bps: charge.fee_bps,
        node_id: charge.node_id,
        billable_ms: charge.billable_ms,
        charged: charge.charged,
        fee: charge.fee,
        rate_per_1k_tokens: charge.per_1k_tokens,
        tokens: charge.tokens,
    })
}

/// What submitting a task of this timeout and kind would hold for `payer` now; `token_bound`:
/// an inference task's (held by tokens).
pub fn quote(
    conn: &Db,
    payer: &Payer,
    timeout_secs: u64,
    gpu: bool,
    token_bound: Option<u64>,
    queued: u64,
    nodes_online: u64,
) -> Result<Quote, ApiError> {
    let hold = match (payer.pricing.enabled, token_bound) {
        (false, _) => 0,
        (true, None) => hold_amount(payer, timeout_secs, gpu)?,
        // An inference task: held by tokens, as `check_token_hold` holds it.
        (true, Some(bound)) => {
            pricing::tokens_price(bound, payer.pricing.per_1k_tokens, payer.pricing.minimum)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "the hold for this inference task does not fit in the ledger's \
                         amounts: ask for fewer max_tokens",
                    )
                })?
        }
    };
    let spendable = balance(conn, &payer.account)?;
    Ok(Quote {
        pricing: payer.pricing.enabled,
        account: payer.account.clone(),
        hold,
        gpu,
        timeout_secs,
        rate_per_second: rate_of(&payer.pricing, gpu),
        multiplier_bps: payer.multiplier_bps,
        queued,
        nodes_online,
        minimum: payer.pricing.minimum,
        balance: spendable,
        enough: payer.account == TREASURY || spendable >= hold,
    })
}
