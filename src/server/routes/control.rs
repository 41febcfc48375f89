//! The control plane's routes: `/api/v1/blacklist`, `/api/v1/network-mode`, `/api/v1/audit`.
//!
//! Changing the blacklist or the network mode needs the admin role; reading the blacklist and
//! the audit log needs owner; anyone with a token may read the network mode.

use crate::api::{
    AuditPage, BlacklistAdd, BlacklistChange, BlacklistList, NetworkModeInfo, NetworkModeSet,
};
use crate::server::AppState;
use crate::server::auth::{Admin, Caller, Owner};
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath, ApiQuery};
use crate::server::store::audit::{self, Actor};
use crate::server::store::{blacklist, network_mode};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/blacklist", get(list_blacklist).post(add_blacklist))
        .route("/api/v1/blacklist/{id}", delete(remove_blacklist))
        .route("/api/v1/network-mode", get(show_mode).put(set_mode))
        .route("/api/v1/audit", get(list_audit))
}

async fn list_blacklist(
    State(app): State<AppState>,
    _: Owner,
) -> Result<Json<BlacklistList>, ApiError> {
    let entries = app.store.read(blacklist::list).await?;
    Ok(Json(BlacklistList { entries }))
}

/// Brings the in-memory address set in line with the store after a committed change.
async fn reload_blocked_addresses(app: &AppState) -> Result<(), ApiError> {
    let addresses = app.store.read(blacklist::addresses).await?;
    app.control.set_blocked_addresses(&addresses);
    Ok(())
}

async fn add_blacklist(
    State(app): State<AppState>,
    Admin(caller): Admin,
    ApiJson(req): ApiJson<BlacklistAdd>,
) -> Result<(StatusCode, Json<BlacklistChange>), ApiError> {
    let actor = Actor::of(&caller);
    let change = app
        .store
        .write(move |ctx| blacklist::add(ctx, &req, &actor))
        .await?;
    if change.entry.address.is_some() {
        reload_blocked_addresses(&app).await?;
    }
    Ok((StatusCode::CREATED, Json(change)))
}

async fn remove_blacklist(
    State(app): State<AppState>,
    Admin(caller): Admin,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<BlacklistChange>, ApiError> {
    let actor = Actor::of(&caller);
    let change = app
        .store
        .write(move |ctx| blacklist::remove(ctx, &id, &actor))
        .await?;
    if change.entry.address.is_some() {
        reload_blocked_addresses(&app).await?;
    }
    Ok(Json(change))
}

async fn show_mode(
    State(app): State<AppState>,
    _: Caller,
) -> Result<Json<NetworkModeInfo>, ApiError> {
    let configured = app.control.configured;
    let info = app
        .store
        .read(move |c| network_mode::load(c, configured))
        .await?;
    Ok(Json(info))
}

async fn set_mode(
    State(app): State<AppState>,
    Admin(caller): Admin,
    ApiJson(req): ApiJson<NetworkModeSet>,
) -> Result<Json<NetworkModeInfo>, ApiError> {
    let actor = Actor::of(&caller);
    let configured = app.control.configured;
    let info = app
        .store
        .write(move |ctx| network_mode::set(ctx, &req.mode, configured, &actor))
        .await?;
    app.control.set_network_mode(info.mode);
    Ok(Json(info))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    limit: Option<u32>,
    before: Option<i64>,
    target: Option<String>,
}

const MAX_AUDIT_PAGE: u32 = 1000;

async fn list_audit(
    State(app): State<AppState>,
    _: Owner,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let limit = q.limit.unwrap_or(50);
    if limit == 0 || limit > MAX_AUDIT_PAGE {
        return Err(ApiError::bad_request(format!(
            "limit must be from 1 to {MAX_AUDIT_PAGE}"
        )));
    }
    let page = app
        .store
        .read(move |c| audit::list(c, limit, q.before, q.target.as_deref()))
        .await?;
    Ok(Json(page))
}
