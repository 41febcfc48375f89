//! `/api/v1/tokens`: API and enrollment tokens (admin and owner).

use crate::api::{Role, TokenCreateRequest, TokenCreated, TokenInfo, TokenKind};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath};
use crate::server::store::tokens;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tokens", get(list).post(create))
        .route("/api/v1/tokens/{id}", delete(revoke))
}

async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<TokenCreateRequest>,
) -> Result<(StatusCode, Json<TokenCreated>), ApiError> {
    caller.require(Role::Owner)?;
    // An owner may hand out user tokens and enrollment tokens, never power above its own.
    if req.kind.unwrap_or(TokenKind::Api) == TokenKind::Api
        && req.role.is_some_and(|r| r != Role::User)
    {
        caller.require(Role::Admin)?;
    }
    let actor = caller.token_id.clone();
    let pricing = app.settings.pricing;
    let (info, token) = app
        .store
        .write(move |ctx| {
            let (info, token) = tokens::create(ctx, &req, Some(&actor), None)?;
            crate::server::routes::credits::welcome_grant(ctx, &pricing, &info, &actor)?;
            Ok((info, token))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token, info })))
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    caller.require(Role::Owner)?;
    Ok(Json(app.store.read(tokens::list).await?))
}

async fn revoke(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TokenInfo>, ApiError> {
    caller.require(Role::Owner)?;
    let lookup = id.clone();
    let target = app.store.read(move |c| tokens::get(c, &lookup)).await?;
    if target.role.is_some_and(|r| r != Role::User) {
        caller.require(Role::Admin)?;
    }
    let actor = caller.token_id.clone();
    let info = app
        .store
        .write(move |ctx| tokens::revoke(ctx, &id, &actor))
        .await?;
    app.auth.forget_token(&info.id);
    Ok(Json(info))
}
