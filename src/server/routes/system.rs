//! Health, readiness, metrics, status, whoami and the OpenAPI document.

use crate::api::{ServerStatus, WhoAmI};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::openapi;
use crate::server::store::{nodes, tasks};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/api/v1/openapi.json", get(openapi_doc))
        .route("/api/v1/status", get(status))
        .route("/api/v1/whoami", get(whoami))
}

/// `started_at` lets the update guard tell a re-executed process from the one before it.
async fn health(State(app): State<AppState>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": crate::version::current(),
        "started_at": app.started_at,
    }))
}

async fn ready(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    if *app.shutdown.borrow() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "shutting_down"})),
        );
    }
    if !app.store.writes_ok() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "store_unavailable",
                "message": "the store cannot commit writes (a full or failing disk?); see the \
                            coordinator's log"
            })),
        );
    }
    match app
        .store
        .read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
        .await
    {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "store_unavailable", "message": e.message})),
        ),
    }
}

async fn metrics(State(app): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let (counts, node_counts) = app
        .store
        .read(|c| Ok((tasks::counts_by_state(c)?, nodes::counts(c)?)))
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(&counts, node_counts),
    ))
}

async fn openapi_doc() -> Json<Value> {
    Json(openapi::document())
}

async fn status(State(app): State<AppState>, _: Caller) -> Result<Json<ServerStatus>, ApiError> {
    let queue = app.store.read(super::tasks::queue_summary).await?;
    Ok(Json(ServerStatus {
        version: crate::version::current().to_string(),
        mode: app.settings.mode.clone(),
        started_at: app.started_at,
        uptime_secs: ((crate::api::now_ms() - app.started_at).max(0) / 1000) as u64,
        queue,
    }))
}

async fn whoami(caller: Caller) -> Json<WhoAmI> {
    Json(WhoAmI {
        token_id: caller.token_id,
        role: caller.role,
        name: caller.name,
    })
}
