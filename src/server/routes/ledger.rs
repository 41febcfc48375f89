//! `/api/v1/ledger*`: the chain itself, its verification, and the signed checkpoints. Any API
//! token may read them, so anyone holding one can check the coordinator's books.

use super::credits::PageQuery;
use crate::api::{CheckpointList, LedgerPage, LedgerVerify};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::extract::ApiQuery;
use crate::server::store::ledger::{self, checkpoints};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/ledger", get(page))
        .route("/api/v1/ledger/verify", get(verify))
        .route("/api/v1/ledger/checkpoints", get(list_checkpoints))
}

async fn page(
    State(app): State<AppState>,
    _: Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<LedgerPage>, ApiError> {
    let after = q.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::bad_request("after must be 0 or more"));
    }
    let limit = q.limit.unwrap_or(1000);
    Ok(Json(
        app.store
            .read(move |c| ledger::page(c, None, after, limit))
            .await?,
    ))
}

async fn verify(State(app): State<AppState>, _: Caller) -> Result<Json<LedgerVerify>, ApiError> {
    let public = app.ledger_key.verifying_key().to_bytes();
    let interval = app.settings.ledger.checkpoint_interval.as_millis() as i64;
    Ok(Json(
        app.store
            .read(move |c| ledger::verify::verify(c, &public, interval, crate::api::now_ms()))
            .await?,
    ))
}

async fn list_checkpoints(
    State(app): State<AppState>,
    _: Caller,
) -> Result<Json<CheckpointList>, ApiError> {
    let public_key = hex::encode(app.ledger_key.verifying_key().to_bytes());
    let checkpoints = app.store.read(checkpoints::list).await?;
    Ok(Json(CheckpointList {
        public_key,
        checkpoints,
    }))
}
