//! `/api/v1/credits/*`: accounts, history, grants, transfers, quotes and task charges.

use crate::api::{
    Account, AccountList, CreditMove, GrantRequest, LedgerPage, Quote, Role, SubmitRequest,
    TaskCharge, TokenInfo, TokenKind, TransferRequest,
};
use crate::server::AppState;
use crate::server::auth::{Admin, Caller};
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath, ApiQuery};
use crate::server::store::audit::{self, Actor};
use crate::server::store::ledger::charges::{self, Payer};
use crate::server::store::ledger::pricing::Pricing;
use crate::server::store::ledger::{self, Posting, TREASURY};
use crate::server::store::{WriteCtx, tasks};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::atomic::Ordering;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/credits/accounts", get(list))
        .route("/api/v1/credits/accounts/{id}", get(show))
        .route("/api/v1/credits/accounts/{id}/history", get(history))
        .route("/api/v1/credits/grant", post(grant))
        .route("/api/v1/credits/transfer", post(transfer))
        .route("/api/v1/credits/quote", post(quote))
        .route("/api/v1/credits/tasks/{id}", get(task_charge))
}

/// Who pays for the caller's submissions, at the load of the moment.
pub fn payer(app: &AppState, caller: &Caller) -> Payer {
    Payer {
        pricing: app.settings.pricing,
        account: ledger::account_of(caller),
        actor: caller.token_id.clone(),
        multiplier_bps: app.pressure.multiplier_bps.load(Ordering::Relaxed),
    }
}

/// A new non-admin API token starts with the configured grant from the treasury, written in the
/// same transaction as the token.
pub fn welcome_grant(
    ctx: &mut WriteCtx<'_>,
    pricing: &Pricing,
    token: &TokenInfo,
    actor: &str,
) -> Result<(), ApiError> {
    if !pricing.enabled
        || pricing.new_token_grant <= 0
        || token.kind != TokenKind::Api
        || token.role == Some(Role::Admin)
    {
        return Ok(());
    }
    let account = format!("user:{}", token.id);
    ledger::post(
        ctx,
        &grant_postings(&account, pricing.new_token_grant, actor),
    )?;
    Ok(())
}

fn grant_postings<'a>(account: &'a str, amount: i64, actor: &'a str) -> [Posting<'a>; 2] {
    [
        Posting {
            kind: "grant",
            account: TREASURY,
            amount: -amount,
            task_id: None,
            actor: Some(actor),
        },
        Posting {
            kind: "grant",
            account,
            amount,
            task_id: None,
            actor: Some(actor),
        },
    ]
}

/// `me` is the caller's own account.
fn resolve(caller: &Caller, id: String) -> String {
    if id == "me" {
        ledger::account_of(caller)
    } else {
        id
    }
}

fn not_yours(account: &str) -> ApiError {
    ApiError::forbidden(format!(
        "account {account} is not yours: a user token reads and spends only its own account \
         and those of the nodes it enrolled"
    ))
}

async fn list(State(app): State<AppState>, caller: Caller) -> Result<Json<AccountList>, ApiError> {
    let accounts = app
        .store
        .read(move |c| {
            let mut accounts = ledger::list_accounts(c)?;
            if caller.role == Role::User {
                let own = ledger::account_of(&caller);
                if !accounts.iter().any(|a| a.id == own) {
                    accounts.push(ledger::get_account(c, &own)?);
                }
                let mut mine = Vec::new();
                for a in accounts {
                    if ledger::controls(c, &caller, &a.id, false)? {
                        mine.push(a);
                    }
                }
                accounts = mine;
            }
            Ok(accounts)
        })
        .await?;
    Ok(Json(AccountList { accounts }))
}

async fn show(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Account>, ApiError> {
    let id = resolve(&caller, id);
    let account = app
        .store
        .read(move |c| {
            let account = ledger::get_account(c, &id)?;
            if !ledger::controls(c, &caller, &id, false)? {
                return Err(not_yours(&id));
            }
            Ok(account)
        })
        .await?;
    Ok(Json(account))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub after: Option<i64>,
    pub limit: Option<u32>,
}

async fn history(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<LedgerPage>, ApiError> {
    let id = resolve(&caller, id);
    let page = app
        .store
        .read(move |c| {
            ledger::require_account(c, &id)?;
            if !ledger::controls(c, &caller, &id, false)? {
                return Err(not_yours(&id));
            }
            ledger::page(c, Some(&id), q.after.unwrap_or(0), q.limit.unwrap_or(100))
        })
        .await?;
    Ok(Json(page))
}

fn positive(amount: i64) -> Result<(), ApiError> {
    if amount <= 0 {
        return Err(ApiError::bad_request(format!(
            "amount must be more than 0 milli-credits, not {amount}: nothing was written"
        )));
    }
    Ok(())
}

async fn grant(
    State(app): State<AppState>,
    Admin(caller): Admin,
    ApiJson(req): ApiJson<GrantRequest>,
) -> Result<Json<CreditMove>, ApiError> {
    positive(req.amount)?;
    if req.account == TREASURY {
        return Err(ApiError::bad_request(
            "grants come from the treasury: name another account",
        ));
    }
    let actor = Actor::of(&caller);
    let moved = app
        .store
        .write(move |ctx| {
            ledger::require_account(ctx.conn, &req.account)?;
            let before = ledger::get_account(ctx.conn, &req.account)?;
            let entries =
                ledger::post_returning(ctx, &grant_postings(&req.account, req.amount, &actor.id))?;
            let after = ledger::get_account(ctx.conn, &req.account)?;
            // Audited in the same transaction as the grant itself.
            audit::record(
                ctx,
                &actor,
                "credits.grant",
                &req.account,
                Some(&serde_json::to_value(&before).unwrap_or_default()),
                Some(&serde_json::to_value(&after).unwrap_or_default()),
            )?;
            Ok(CreditMove {
                entries,
                account: after,
            })
        })
        .await?;
    Ok(Json(moved))
}

async fn transfer(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<TransferRequest>,
) -> Result<Json<CreditMove>, ApiError> {
    positive(req.amount)?;
    let from = req
        .from
        .clone()
        .unwrap_or_else(|| ledger::account_of(&caller));
    if from == req.to {
        return Err(ApiError::bad_request(format!(
            "cannot transfer from {from} to itself"
        )));
    }
    let moved = app
        .store
        .write(move |ctx| {
            ledger::require_account(ctx.conn, &from)?;
            ledger::require_account(ctx.conn, &req.to)?;
            if !ledger::controls(ctx.conn, &caller, &from, true)? {
                return Err(not_yours(&from));
            }
            let actor = caller.token_id.as_str();
            let entries = ledger::post_returning(
                ctx,
                &[
                    Posting {
                        kind: "transfer",
                        account: &from,
                        amount: -req.amount,
                        task_id: None,
                        actor: Some(actor),
                    },
                    Posting {
                        kind: "transfer",
                        account: &req.to,
                        amount: req.amount,
                        task_id: None,
                        actor: Some(actor),
                    },
                ],
            )?;
            Ok(CreditMove {
                entries,
                account: ledger::get_account(ctx.conn, &from)?,
            })
        })
        .await?;
    Ok(Json(moved))
}

async fn quote(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<SubmitRequest>,
) -> Result<Json<Quote>, ApiError> {
    let limits = app.settings.submit_limits;
    tasks::validate(&req, &limits)?;
    let timeout_secs = req.timeout_secs.unwrap_or(limits.default_timeout_secs);
    let payer = payer(&app, &caller);
    let queued = app.pressure.queued.load(Ordering::Relaxed);
    let online = app.pressure.online.load(Ordering::Relaxed);
    let gpu = req.requirements.gpu;
    let token_bound = match &req.command {
        crate::api::TaskCommand::Inference(spec) => Some(spec.token_bound()),
        _ => None,
    };
    let quote = app
        .store
        .read(move |c| charges::quote(c, &payer, timeout_secs, gpu, token_bound, queued, online))
        .await?;
    Ok(Json(quote))
}

async fn task_charge(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TaskCharge>, ApiError> {
    // Another user's task is not found, as on every task route (issue #12).
    let who = super::tasks::only_submitted_by(&caller);
    let charge = app
        .store
        .read(move |c| {
            let id = tasks::resolve_visible_id(c, &id, who.as_deref())?;
            let charge = charges::task_charge(c, &id)?;
            if !ledger::controls(c, &caller, &charge.account, false)? {
                return Err(not_yours(&charge.account));
            }
            Ok(charge)
        })
        .await?;
    Ok(Json(charge))
}
