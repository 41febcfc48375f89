//! What an upstream (this machine's model server, or the swarm) hands back to the surfaces: a
//! stream of [`Piece`]s in the order the model made them, and the errors each surface renders in
//! its own protocol's shape. Dropping the stream stops the work upstream (the connection to the
//! model server closes; a swarm task is cancelled).

use super::router::Route;
use futures_util::Stream;
use std::pin::Pin;

/// Token counts, as the server counted them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// One piece of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Text of the answer.
    Text(String),
    /// Tool-call deltas in OpenAI's streaming shape (`[{"index":0,"id":…,"function":{…}}]`);
    /// the arguments of one call may come in several pieces.
    ToolCalls(Vec<serde_json::Value>),
    /// Why the model stopped (`stop`, `length`, `tool_calls`…): the last piece but usage.
    Finish(String),
    /// The token counts, after the finish.
    Usage(Usage),
}

pub type PieceStream = Pin<Box<dyn Stream<Item = Result<Piece, UpstreamError>> + Send>>;

/// An answer under way.
pub struct Opened {
    pub route: Route,
    /// The model's name as the client may send it again.
    pub model: String,
    pub pieces: PieceStream,
}

/// Why a call got no answer, or its answer broke off; each maps to an HTTP status and is
/// rendered in the surface's own error shape.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UpstreamError {
    /// No route has the model: names the ones there are.
    #[error("{}", unknown_model(model, available))]
    UnknownModel {
        model: String,
        available: Vec<String>,
    },
    /// The request itself is wrong (from us, or a 4xx of the model server).
    #[error("{message}")]
    BadRequest {
        message: String,
        param: Option<String>,
    },
    /// No route can take it now: the model server is down, busy, or no coordinator is set.
    #[error("{0}")]
    Unavailable(String),
    /// The model server or the swarm answered something broken, or broke off.
    #[error("{0}")]
    BadGateway(String),
}

impl UpstreamError {
    pub fn status(&self) -> u16 {
        match self {
            UpstreamError::UnknownModel { .. } => 404,
            UpstreamError::BadRequest { .. } => 400,
            UpstreamError::Unavailable(_) => 503,
            UpstreamError::BadGateway(_) => 502,
        }
    }

    /// OpenAI's `type` for this error.
    pub fn openai_type(&self) -> &'static str {
        match self {
            UpstreamError::UnknownModel { .. } | UpstreamError::BadRequest { .. } => {
                "invalid_request_error"
            }
            UpstreamError::Unavailable(_) | UpstreamError::BadGateway(_) => "server_error",
        }
    }

    /// OpenAI's `code` for this error.
    pub fn openai_code(&self) -> Option<&'static str> {
        match self {
            UpstreamError::UnknownModel { .. } => Some("model_not_found"),
            UpstreamError::Unavailable(_) => Some("upstream_unavailable"),
            UpstreamError::BadGateway(_) => Some("upstream_error"),
            UpstreamError::BadRequest { .. } => None,
        }
    }

    pub fn param(&self) -> Option<&str> {
        match self {
            UpstreamError::UnknownModel { .. } => Some("model"),
            UpstreamError::BadRequest { param, .. } => param.as_deref(),
            _ => None,
        }
    }
}

fn unknown_model(model: &str, available: &[String]) -> String {
    if available.is_empty() {
        format!(
            "the model {model:?} does not exist here, and no model is available: configure \
             OLLAMA_HOST or EDGECODER_OPENAI_BASE_URL, or a coordinator for the swarm"
        )
    } else {
        format!(
            "the model {model:?} does not exist here; the models there are: {}",
            available.join(", ")
        )
    }
}

impl From<crate::models::ModelError> for UpstreamError {
    fn from(e: crate::models::ModelError) -> UpstreamError {
        use crate::models::ModelError as M;
        match e {
            M::NotInstalled { model, available } => {
                UpstreamError::UnknownModel { model, available }
            }
            M::Server {
                status: Some(status),
                message,
            } if (400..500).contains(&status) && status != 429 => UpstreamError::BadRequest {
                message: format!("the model server refused the request: {message}"),
                param: None,
            },
            e @ (M::Unreachable { .. } | M::NoBackend | M::Settings(_)) => {
                UpstreamError::Unavailable(e.to_string())
            }
            M::Server {
                status: Some(429), ..
            } => UpstreamError::Unavailable(e.to_string()),
            e => UpstreamError::BadGateway(e.to_string()),
        }
    }
}
