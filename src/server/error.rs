//! The one error type of the HTTP API; it turns into the `{"error":{code,message}}` envelope.

use crate::api::{ErrorBody, ErrorDetail, codes};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// What went wrong inside (a SQLite error's text): logged with the request id, never sent.
    pub internal: Option<String>,
}

/// Put on a response whose error has an internal cause, for the request middleware to log with
/// the request id (the client gets only a generic message naming that id).
#[derive(Debug, Clone)]
pub struct InternalCause(pub String);

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            internal: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, codes::FORBIDDEN, message)
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            format!("no {what} with id {id:?}"),
        )
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, codes::UNAVAILABLE, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL, message)
    }

    /// The message with its internal cause, for the operator (start-up errors, logs); never for
    /// a client.
    pub fn detail(&self) -> String {
        match &self.internal {
            Some(cause) => format!("{} ({cause})", self.message),
            None => self.message.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.status, self.code, self.message)?;
        match &self.internal {
            Some(cause) => write!(f, " ({cause})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// A PostgreSQL store that is down or cut off: nothing was written, and the caller should
    /// retry.
    pub fn database_unreachable() -> ApiError {
        ApiError::unavailable("the coordinator cannot reach its database just now; retry shortly")
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        crate::server::store::db::Error::from(e).into()
    }
}

impl From<crate::server::store::db::Error> for ApiError {
    fn from(e: crate::server::store::db::Error) -> Self {
        if e.is_unavailable() {
            return ApiError {
                internal: Some(format!("store error: {e}")),
                ..ApiError::database_unreachable()
            };
        }
        if e.is_disk_full() {
            return ApiError::unavailable(
                "the coordinator's disk is full: nothing was written; free space and retry",
            );
        }
        ApiError {
            internal: Some(format!("store error: {e}")),
            ..ApiError::internal("the coordinator's store failed")
        }
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::internal(format!("stored JSON is unreadable: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(cause) = self.internal {
            response.extensions_mut().insert(InternalCause(cause));
        }
        response
    }
}
