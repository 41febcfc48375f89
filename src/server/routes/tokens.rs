//! `/api/v1/tokens`: API and enrollment tokens (admin and owner).

use crate::api::{Role, TokenCreateRequest, TokenCreated, TokenInfo, TokenKind};
use crate::server::AppState;
use crate::server::auth::Owner;
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath};
use crate::server::store::audit::{self, Actor};
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
    Owner(caller): Owner,
    ApiJson(req): ApiJson<TokenCreateRequest>,
) -> Result<(StatusCode, Json<TokenCreated>), ApiError> {
    // An owner may hand out user tokens and enrollment tokens, never power above its own.
    if req.kind.unwrap_or(TokenKind::Api) == TokenKind::Api
        && req.role.is_some_and(|r| r != Role::User)
    {
        caller.require(Role::Admin)?;
    }
    let actor = Actor::of(&caller);
    let pricing = app.settings.pricing;
    let (info, token) = app
        .store
        .write(move |ctx| {
            let (info, token) = tokens::create(ctx, &req, Some(&actor.id), None)?;
            crate::server::routes::credits::welcome_grant(ctx, &pricing, &info, &actor.id)?;
            audit::record(
                ctx,
                &actor,
                "token.create",
                &info.id,
                None,
                Some(&audit_view(&info)),
            )?;
            Ok((info, token))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token, info })))
}

async fn list(State(app): State<AppState>, _: Owner) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    Ok(Json(app.store.read(tokens::list).await?))
}

async fn revoke(
    State(app): State<AppState>,
    Owner(caller): Owner,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TokenInfo>, ApiError> {
    let lookup = id.clone();
    let target = app.store.read(move |c| tokens::get(c, &lookup)).await?;
    if target.role.is_some_and(|r| r != Role::User) {
        caller.require(Role::Admin)?;
    }
    let actor = Actor::of(&caller);
    let info = app
        .store
        .write(move |ctx| {
            let before = tokens::get(ctx.conn, &id)?;
            let after = tokens::revoke(ctx, &id, &actor.id)?;
            // Revoking a revoked token changes nothing, so it records nothing.
            if before.revoked_at.is_none() {
                audit::record(
                    ctx,
                    &actor,
                    "token.revoke",
                    &after.id,
                    Some(&audit_view(&before)),
                    Some(&audit_view(&after)),
                )?;
            }
            Ok(after)
        })
        .await?;
    app.auth.forget_token(&info.id);
    Ok(Json(info))
}

/// What the audit log keeps of a token: never its secret (only a hash exists anyway).
fn audit_view(t: &TokenInfo) -> serde_json::Value {
    serde_json::json!({
        "kind": t.kind,
        "role": t.role,
        "name": t.name,
        "expires_at": t.expires_at,
        "uses_left": t.uses_left,
        "auto_approve": t.auto_approve,
        "revoked_at": t.revoked_at,
    })
}
