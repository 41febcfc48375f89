//! The bearer token every request must carry, compared in constant time (both sides hashed
//! first, so neither the token's length nor its bytes leak through timing). A refusal is a 401
//! in the protocol's own error shape: OpenAI's under `/v1`, Ollama's elsewhere.

use super::server::{AppState, Surface, error_response};
use super::upstream::UpstreamError;
use crate::server::auth::{hash_secret, hashes_equal};
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

pub async fn require_token(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let surface = Surface::of_path(request.uri().path());
    let given = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    let message = match given {
        None => "no token: send `Authorization: Bearer <token>`; `edgecoder ide token` prints it",
        Some(token) if hashes_equal(&hash_secret(token), &state.token_hash) => {
            return next.run(request).await;
        }
        Some(_) => "wrong token: `edgecoder ide token` prints the one this provider accepts",
    };
    error_response(surface, &Unauthorized(message.to_string()).into())
}

/// A refused token, as the surfaces render errors.
struct Unauthorized(String);

impl From<Unauthorized> for super::server::Failure {
    fn from(u: Unauthorized) -> Self {
        super::server::Failure {
            status: 401,
            error: UpstreamError::BadRequest {
                message: u.0,
                param: None,
            },
            openai_type: "invalid_request_error",
            openai_code: Some("invalid_api_key"),
        }
    }
}
