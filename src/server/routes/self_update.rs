//! `/api/v1/update`: the coordinator's self-update (status for owners, start for admins).

use crate::api::{UpdateInfo, UpdateStartRequest, UpdateStatus};
use crate::server::AppState;
use crate::server::auth::{Admin, Owner};
use crate::server::error::ApiError;
use crate::server::extract::ApiJson;
use crate::server::self_update;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/update", get(status).post(start))
}

async fn status(State(app): State<AppState>, _: Owner) -> Result<Json<UpdateStatus>, ApiError> {
    Ok(Json(self_update::status(&app).await?))
}

/// 202: the update is accepted and runs on (drain, swap, restart); follow it with GET.
async fn start(
    State(app): State<AppState>,
    Admin(caller): Admin,
    ApiJson(req): ApiJson<UpdateStartRequest>,
) -> Result<(StatusCode, Json<UpdateInfo>), ApiError> {
    let info = self_update::start(&app, &caller.token_id, req).await?;
    Ok((StatusCode::ACCEPTED, Json(info)))
}
