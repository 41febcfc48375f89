//! `/api/v1/update`: the coordinator's self-update (status for owners, start for admins).

use crate::api::{Role, UpdateInfo, UpdateStartRequest, UpdateStatus};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::extract::ApiJson;
use crate::server::update;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/update", get(status).post(start))
}

async fn status(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<UpdateStatus>, ApiError> {
    caller.require(Role::Owner)?;
    Ok(Json(update::status(&app).await?))
}

/// 202: the update is accepted and runs on (drain, swap, restart); follow it with GET.
async fn start(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<UpdateStartRequest>,
) -> Result<(StatusCode, Json<UpdateInfo>), ApiError> {
    caller.require(Role::Admin)?;
    let info = update::start(&app, &caller.token_id, req).await?;
    Ok((StatusCode::ACCEPTED, Json(info)))
}
