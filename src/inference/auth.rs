//! The service's bearer token: one secret, compared by hash in constant time (the coordinator's
//! `hashes_equal`), so neither its length nor its prefix leaks through timing. `/health`,
//! `/ready`, `/metrics` and `/openapi.json` answer without it, as the coordinator's do (probes and
//! scrapers); every model call needs it.

use super::ServiceState;
use crate::server::auth::{hash_secret, hashes_equal};
use crate::server::error::ApiError;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Paths open without the token.
const OPEN: &[&str] = &["/health", "/ready", "/metrics", "/openapi.json"];

pub async fn require_token(State(svc): State<ServiceState>, req: Request, next: Next) -> Response {
    if OPEN.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match given {
        Some(token) if hashes_equal(&hash_secret(token), &svc.token_hash) => next.run(req).await,
        Some(_) => ApiError::unauthorized(
            "the inference token is wrong: send the service's EDGECODER_INFERENCE_TOKEN as \
             `Authorization: Bearer <token>`",
        )
        .into_response(),
        None => ApiError::unauthorized(
            "no token: send the service's EDGECODER_INFERENCE_TOKEN as `Authorization: Bearer \
             <token>`",
        )
        .into_response(),
    }
}
