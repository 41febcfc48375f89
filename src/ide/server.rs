//! The HTTP side: the router of both surfaces behind the token check, the request-body limit,
//! and the error shape of each protocol. Served by the coordinator's connection loop
//! (`crate::server::http::serve`: a header-read timeout and a connection cap).

use super::router::Router;
use super::upstream::UpstreamError;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;

/// What every handler shares.
pub struct AppState {
    pub router: Router,
    /// SHA-256 of the token.
    pub token_hash: [u8; 32],
    pub max_body_bytes: usize,
}

/// Which protocol a request speaks, for its error shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    OpenAi,
    Ollama,
}

impl Surface {
    pub fn of_path(path: &str) -> Surface {
        if path == "/v1" || path.starts_with("/v1/") {
            Surface::OpenAi
        } else {
            Surface::Ollama
        }
    }
}

/// An error with its HTTP status and OpenAI's `type`/`code` for it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: u16,
    pub error: UpstreamError,
    pub openai_type: &'static str,
    pub openai_code: Option<&'static str>,
}

impl From<UpstreamError> for Failure {
    fn from(error: UpstreamError) -> Failure {
        Failure {
            status: error.status(),
            openai_type: error.openai_type(),
            openai_code: error.openai_code(),
            error,
        }
    }
}

impl Failure {
    fn with_status(status: u16, message: String, code: &'static str) -> Failure {
        Failure {
            status,
            error: UpstreamError::BadRequest {
                message,
                param: None,
            },
            openai_type: "invalid_request_error",
            openai_code: Some(code),
        }
    }

    /// OpenAI's error object: `{"message","type","param","code"}`.
    pub fn openai_object(&self) -> Value {
        json!({
            "message": self.error.to_string(),
            "type": self.openai_type,
            "param": self.error.param(),
            "code": self.openai_code,
        })
    }
}

/// The error in the surface's shape: OpenAI's `{"error":{…}}` or Ollama's `{"error":"…"}`.
pub fn error_response(surface: Surface, failure: &Failure) -> Response {
    let body = match surface {
        Surface::OpenAi => json!({"error": failure.openai_object()}),
        Surface::Ollama => json!({"error": failure.error.to_string()}),
    };
    let status = StatusCode::from_u16(failure.status).unwrap_or(StatusCode::BAD_GATEWAY);
    (status, axum::Json(body)).into_response()
}

/// Reads a JSON body under the size limit: 413 when it is larger, 400 when it is not JSON.
pub async fn read_json(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    body: Body,
) -> Result<Value, Failure> {
    let limit = state.max_body_bytes;
    let too_large = || {
        Failure::with_status(
            413,
            format!(
                "the request body is larger than {limit} bytes (EDGECODER_IDE_MAX_BODY_BYTES): \
                 send less context, or raise the limit"
            ),
            "request_too_large",
        )
    };
    // A body over the limit is read to its end (up to a cap) before the 413, so the client
    // gets the answer instead of a broken pipe while it is still sending.
    let cap = limit.saturating_mul(8).max(64 << 20);
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(limit as u64) as usize);
    let mut seen: usize = 0;
    let mut stream = body.into_data_stream();
    while let Some(piece) = stream.next().await {
        let piece = piece.map_err(|e| {
            Failure::with_status(
                400,
                format!("the request body could not be read: {e}"),
                "invalid_body",
            )
        })?;
        seen = seen.saturating_add(piece.len());
        if seen > cap {
            break;
        }
        if seen <= limit {
            bytes.extend_from_slice(&piece);
        }
    }
    if seen > limit {
        return Err(too_large());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        Failure::with_status(
            400,
            format!("the request body is not valid JSON ({e}): send a JSON object"),
            "invalid_json",
        )
    })
}

/// Sets the route header on a response.
pub fn with_route(mut response: Response, route: &super::Route) -> Response {
    if let Ok(value) = HeaderValue::from_str(&route.header_value()) {
        response.headers_mut().insert(super::ROUTE_HEADER, value);
    }
    response
}

/// Seconds since the epoch, for OpenAI's `created`.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The app: both surfaces behind the token check.
pub fn app(state: Arc<AppState>) -> axum::Router {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/v1/models", get(super::openai::models))
        .route("/v1/chat/completions", post(super::openai::chat))
        .route("/api/tags", get(super::ollama::tags))
        .route("/api/show", post(super::ollama::show))
        .route("/api/chat", post(super::ollama::chat))
        .route("/api/generate", post(super::ollama::generate))
        .route("/api/version", get(super::ollama::version))
        .route("/api/ps", get(super::ollama::ps))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::auth::require_token,
        ))
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> Response {
    let surface = Surface::of_path(uri.path());
    error_response(
        surface,
        &Failure::with_status(
            404,
            format!(
                "no route {}: the IDE provider serves /v1/models, /v1/chat/completions and \
                 /api/{{tags,show,chat,generate,version,ps}}",
                uri.path()
            ),
            "not_found",
        ),
    )
}
