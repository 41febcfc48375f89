//! The service's HTTP surface: the three model calls behind the token, the probes, metrics and
//! the OpenAPI document, with the coordinator's body limit, JSON errors and JSON 404.

use super::{ServiceState, auth, call, decompose, escalate};
use crate::api::{
    DecomposeRequest, DecomposeResponse, EscalateRequest, EscalateResponse, InferenceChatRequest,
    InferenceChatResponse,
};
use crate::server::error::ApiError;
use crate::server::extract::ApiJson;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::time::Instant;

pub fn router(svc: ServiceState, max_body: usize) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi_doc))
        .route("/v1/decompose", post(decompose_route))
        .route("/v1/escalate", post(escalate_route))
        .route("/v1/chat", post(chat_route))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(no_route)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            svc.clone(),
            auth::require_token,
        ))
        .layer(middleware::from_fn_with_state(svc.clone(), observe))
        .with_state(svc)
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok", "version": crate::version::current()}))
}

/// Ready when a model backend answers its model list; the backends' states say which did not.
async fn ready(State(svc): State<ServiceState>) -> (StatusCode, Json<Value>) {
    let detected = svc.backends.detect().await;
    let ready = detected.backends.iter().any(|b| b.reachable);
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let message = if svc.backends.is_empty() {
        Some(
            "no model backend is configured: set OLLAMA_HOST or EDGECODER_OPENAI_BASE_URL where \
             the inference service runs"
                .to_string(),
        )
    } else if !ready {
        Some(format!(
            "no model backend answers: {}",
            detected
                .backends
                .iter()
                .filter_map(|b| b.error.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    } else {
        None
    };
    (
        status,
        Json(json!({
            "ready": ready,
            "status": if ready { "ready" } else { "no_model_backend" },
            "message": message,
            "backends": detected.backends,
            "models": detected.models.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
        })),
    )
}

async fn metrics(State(svc): State<ServiceState>) -> impl IntoResponse {
    (
        [("content-type", "text/plain; version=0.0.4")],
        svc.metrics.render(),
    )
}

async fn openapi_doc() -> Json<Value> {
    Json(super::openapi::document())
}

async fn decompose_route(
    State(svc): State<ServiceState>,
    ApiJson(req): ApiJson<DecomposeRequest>,
) -> Result<Json<DecomposeResponse>, ApiError> {
    let answer = decompose::run(&svc, &req).await?;
    Ok(Json(answer))
}

async fn escalate_route(
    State(svc): State<ServiceState>,
    ApiJson(req): ApiJson<EscalateRequest>,
) -> Result<Json<EscalateResponse>, ApiError> {
    Ok(Json(escalate::run(&svc, &req).await?))
}

/// The most tokens a chat may ask for.
const MAX_CHAT_TOKENS: u32 = 32_768;

async fn chat_route(
    State(svc): State<ServiceState>,
    ApiJson(req): ApiJson<InferenceChatRequest>,
) -> Result<Json<InferenceChatResponse>, ApiError> {
    if req.messages.is_empty() {
        return Err(ApiError::bad_request(
            "no messages: send at least one {\"role\":\"user\",\"content\":…}",
        ));
    }
    let messages = req
        .messages
        .iter()
        .map(call::message)
        .collect::<Result<Vec<_>, _>>()?;
    let schema = match &req.schema {
        Some(schema) if !schema.is_object() => {
            return Err(ApiError::bad_request(
                "`schema` must be a JSON schema object, e.g. {\"type\":\"object\"}",
            ));
        }
        Some(schema) => Some(crate::models::OutputSchema {
            name: "answer".into(),
            schema: schema.clone(),
        }),
        None => None,
    };
    let max_tokens = req.max_tokens.unwrap_or(1024).clamp(1, MAX_CHAT_TOKENS);
    let wanted = req.model.as_deref().or(svc.model.as_deref());
    let answer = call::chat(&svc, wanted, messages, max_tokens, schema).await?;
    Ok(Json(InferenceChatResponse {
        content: answer.content,
        model: answer.model,
        finish: call::finish_word(&answer.finish),
        tokens_in: answer.tokens_in,
        tokens_out: answer.tokens_out,
    }))
}

async fn no_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        crate::api::codes::NO_ROUTE,
        "no such route: see /openapi.json for the routes this inference service serves",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method: see /openapi.json",
    )
}

/// Records each request's latency and status; logs it without its body (prompts stay private).
async fn observe(State(svc): State<ServiceState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = crate::server::metrics::method_label(req.method());
    let mut response = next.run(req).await;
    let request_id = crate::server::auth::random_hex(8);
    if let Ok(value) = axum::http::HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    svc.metrics.observe(method, &route, status, elapsed);
    tracing::debug!(
        request_id,
        method,
        route,
        status,
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "inference request"
    );
    response
}
