//! One model call of the service: pick the backend and model, send, and turn a model server's
//! failure into an answer the coordinator can act on — 503 (retry later) when the backend is down
//! or says something unreadable, 422 when the request named a model nobody serves.

use super::Service;
use crate::api::InferenceMessage;
use crate::models::{
    ChatAnswer, ChatRequest, Finish, Message, ModelBackend, ModelError, OutputSchema, Role,
    Sampling,
};
use crate::server::error::ApiError;
use axum::http::StatusCode;

/// Calls were made deterministic on purpose: the same request decomposes the same way.
const SEED: u64 = 42;

pub async fn chat(
    svc: &Service,
    wanted: Option<&str>,
    messages: Vec<Message>,
    max_tokens: u32,
    schema: Option<OutputSchema>,
) -> Result<ChatAnswer, ApiError> {
    let chosen = svc.backends.choose(wanted).await.map_err(model_error)?;
    let request = ChatRequest {
        model: chosen.model.clone(),
        messages,
        sampling: Sampling {
            temperature: 0.0,
            seed: SEED,
            max_tokens,
            num_ctx: svc.backends.num_ctx(),
        },
        schema,
    };
    let answer = chosen
        .backend
        .chat(&request, &|_| {})
        .await
        .map_err(model_error)?;
    svc.metrics.tokens(answer.tokens_in, answer.tokens_out);
    Ok(answer)
}

/// A wire message as the models take it; an unknown role is the caller's mistake.
pub fn message(m: &InferenceMessage) -> Result<Message, ApiError> {
    let role = match m.role.as_str() {
        "system" => Role::System,
        "user" => Role::User,
        "assistant" => Role::Assistant,
        other => {
            return Err(ApiError::bad_request(format!(
                "message role {other:?} is not one of system, user, assistant"
            )));
        }
    };
    Ok(Message::new(role, m.content.clone()))
}

pub fn finish_word(finish: &Finish) -> String {
    match finish {
        Finish::Stop => "stop".into(),
        Finish::Length => "length".into(),
        Finish::Other(other) => other.clone(),
    }
}

/// The model server's failure as the service's answer.
pub fn model_error(e: ModelError) -> ApiError {
    match e {
        ModelError::NotInstalled { .. } => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_model",
            format!("{e}: name one of those, or leave `model` out for the service's default"),
        ),
        ModelError::NoBackend => ApiError::unavailable(
            "the inference service has no model backend: set OLLAMA_HOST or \
             EDGECODER_OPENAI_BASE_URL where it runs, then restart it",
        ),
        other => ApiError::unavailable(format!(
            "the inference service's model backend failed: {other}; retry when it is back"
        )),
    }
}
