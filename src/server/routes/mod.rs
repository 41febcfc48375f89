//! The coordinator's HTTP surface: one small router per area, merged here with the layers every
//! route shares (body limit, request id, metrics, the JSON 404).

mod agent;
mod blobs;
pub(crate) mod control;
pub(crate) mod credits;
pub(crate) mod events;
pub(crate) mod jobs;
mod ledger;
pub(crate) mod nodes;
mod self_update;
mod system;
pub(crate) mod tasks;
mod tokens;

use crate::server::AppState;
use crate::server::error::{ApiError, InternalCause};
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::time::Instant;

pub fn router(app: AppState) -> Router {
    let max_body = app.settings.max_body_bytes;
    let routes = Router::new()
        .merge(system::router())
        .merge(tokens::router())
        .merge(nodes::router())
        .merge(agent::router())
        .merge(tasks::router())
        .merge(events::router())
        .merge(control::router())
        .merge(credits::router())
        .merge(ledger::router())
        .merge(self_update::router())
        .merge(blobs::router())
        .merge(jobs::router())
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(no_route);
    let routes = if app.settings.schedules() {
        routes
    } else {
        routes.layer(middleware::from_fn(refuse_agents))
    };
    routes
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(app.clone(), observe))
        .with_state(app)
}

/// A control plane hands out no work: agents (and enrollment, which makes one) are sent to a
/// coordinator of the group.
async fn refuse_agents(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/v1/agent/") || path == "/api/v1/nodes/register" {
        return ApiError::new(
            StatusCode::CONFLICT,
            crate::api::codes::CONTROL_PLANE,
            "this is the group's control plane: it hands out no work. Point agents (and \
             `edgecoder enroll --coordinator`) at a coordinator of the group, one started \
             with `edgecoder serve --mode coordinator --database …`",
        )
        .into_response();
    }
    next.run(req).await
}

async fn no_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        crate::api::codes::NO_ROUTE,
        "no such route: see /api/v1/openapi.json for the routes this coordinator serves",
    )
}

/// A known path asked with a method it does not serve (axum adds the `Allow` header).
async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method: see /api/v1/openapi.json",
    )
}

/// Gives every response a request id (the caller's, when it sent a sane one) and records latency.
async fn observe(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = crate::server::metrics::method_label(req.method());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| crate::server::auth::random_hex(8));
    let mut response = next.run(req).await;
    if let Some(InternalCause(cause)) = response.extensions_mut().remove::<InternalCause>() {
        tracing::error!(request_id, method, route, "{cause}");
        let status = response.status();
        response = ApiError::new(
            status,
            "internal",
            format!(
                "the coordinator failed to answer this request; its log has the cause under \
                 request id {request_id}"
            ),
        )
        .into_response();
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    let elapsed = started.elapsed();
    app.metrics.observe_request(method, &route, elapsed);
    tracing::debug!(
        request_id,
        method,
        route,
        status = response.status().as_u16(),
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}
