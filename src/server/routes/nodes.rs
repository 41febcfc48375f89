//! `/api/v1/nodes`: enrollment and the owner's view and decisions.

use crate::api::{DrainQuery, NodeInfo, NodeList, NodeState, RegisterRequest, RegisterResponse};
use crate::server::AppState;
use crate::server::auth::{Caller, MeshChecked, Owner};
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath, ApiQuery};
use crate::server::store::audit::Actor;
use crate::server::store::blacklist::canonical_address;
use crate::server::store::nodes::{self, NewNode, NodeAction};
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/nodes", get(list))
        .route("/api/v1/nodes/register", post(register))
        .route("/api/v1/nodes/{id}", get(show).delete(remove))
        .route("/api/v1/nodes/{id}/approve", post(approve))
        .route("/api/v1/nodes/{id}/reject", post(reject))
        .route("/api/v1/nodes/{id}/drain", post(drain))
        .route("/api/v1/nodes/{id}/undrain", post(undrain))
}

/// Admits a registration: within the source address's rate limit (every attempt counts, so
/// guessing tokens is slow too) and not from a blacklisted address. The address is the socket
/// peer's, never a forwarded header. Runs before the body is read.
struct RegistrationAllowed;

impl FromRequestParts<AppState> for RegistrationAllowed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_canonical());
        app.control
            .registrations
            .check(peer, "registrations")
            .map_err(IntoResponse::into_response)?;
        if let Some(ip) = peer {
            app.control
                .check_peer(ip)
                .map_err(IntoResponse::into_response)?;
        }
        Ok(RegistrationAllowed)
    }
}

async fn register(
    State(app): State<AppState>,
    _allowed: RegistrationAllowed,
    _mesh: MeshChecked,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let new = NewNode {
        enrollment_token: req.enrollment_token,
        name: req.name,
        labels: req.labels,
        capabilities: req.capabilities,
        address: Some(canonical_address(peer.ip())),
        local: false,
    };
    let (node, secret) = app
        .store
        .write(move |ctx| nodes::register(ctx, new))
        .await?;
    app.mark_known(&node.id);
    Ok((
        StatusCode::CREATED,
        Json(RegisterResponse {
            node_id: node.id,
            node_secret: secret,
            state: node.state,
            intervals: app.settings.intervals,
        }),
    ))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    state: Option<String>,
}

async fn list(
    State(app): State<AppState>,
    _: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<NodeList>, ApiError> {
    let state = match q.state.as_deref() {
        None => None,
        Some(s) => Some(NodeState::parse(s).ok_or_else(|| {
            ApiError::bad_request("state must be pending, approved, rejected or removed")
        })?),
    };
    let nodes = app.store.read(move |c| nodes::list(c, state)).await?;
    Ok(Json(NodeList { nodes }))
}

async fn show(
    State(app): State<AppState>,
    _: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<NodeInfo>, ApiError> {
    let node = app
        .store
        .read(move |c| nodes::get(c, &nodes::resolve_id(c, &id)?))
        .await?;
    Ok(Json(node))
}

/// Every node action needs the owner role: the handlers take `Owner`, so it is checked before
/// the path is resolved.
async fn act(
    app: AppState,
    Owner(caller): Owner,
    id: String,
    action: NodeAction,
) -> Result<Json<NodeInfo>, ApiError> {
    let id = app.store.read(move |c| nodes::resolve_id(c, &id)).await?;
    let actor = Actor::of(&caller);
    let node_id = id.clone();
    let node = app
        .store
        .write(move |ctx| nodes::act(ctx, &node_id, action, &actor))
        .await?;
    if matches!(action, NodeAction::Remove) {
        app.auth.forget_node(&id);
    }
    Ok(Json(node))
}

async fn approve(
    State(app): State<AppState>,
    owner: Owner,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<NodeInfo>, ApiError> {
    act(app, owner, id, NodeAction::Approve).await
}

async fn reject(
    State(app): State<AppState>,
    owner: Owner,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<NodeInfo>, ApiError> {
    act(app, owner, id, NodeAction::Reject).await
}

/// `?deadline_secs=` hands the node's running tasks back once that much time has passed.
async fn drain(
    State(app): State<AppState>,
    Owner(caller): Owner,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DrainQuery>,
) -> Result<Json<NodeInfo>, ApiError> {
    let deadline_ms = match q.deadline_secs {
        None => None,
        Some(secs) if secs <= MAX_DRAIN_DEADLINE_SECS => Some(secs as i64 * 1000),
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "deadline_secs may be at most {MAX_DRAIN_DEADLINE_SECS} (30 days); leave it out \
                 to let running tasks finish"
            )));
        }
    };
    let id = app.store.read(move |c| nodes::resolve_id(c, &id)).await?;
    let actor = Actor::of(&caller);
    let node = app
        .store
        .write(move |ctx| nodes::drain(ctx, &id, deadline_ms, &actor))
        .await?;
    Ok(Json(node))
}

/// The longest drain deadline: past it, "let them finish" is what was meant.
const MAX_DRAIN_DEADLINE_SECS: u64 = 30 * 24 * 3600;

async fn undrain(
    State(app): State<AppState>,
    owner: Owner,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<NodeInfo>, ApiError> {
    act(app, owner, id, NodeAction::Undrain).await
}

async fn remove(
    State(app): State<AppState>,
    owner: Owner,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<NodeInfo>, ApiError> {
    act(app, owner, id, NodeAction::Remove).await
}
