//! What an inference task may carry, and what it asks of a node. The request is an editor's chat
//! body, handed to a model server as it is; it is refused at submission (400/413) when no node
//! could serve it: no model, no messages, an output limit past any model's, or a body past the
//! prompt limit.
//!
//! An inference task runs once: its text streams to the client as it is made, so a second
//! attempt would repeat what the client already has. A lost node fails it with a clear error.

use super::task_input::FieldLimits;
use crate::api::{InferenceSpec, MAX_INFERENCE_TOKENS, SubmitRequest, TaskCommand};
use crate::server::error::ApiError;
use axum::http::StatusCode;

/// Refuses an inference task no node could serve, with what to change.
pub fn check_inference(spec: &InferenceSpec, limits: &FieldLimits) -> Result<(), ApiError> {
    super::code_input::check_model_name("command.inference.model", &spec.model)?;
    let Some(body) = spec.request.as_object() else {
        return Err(ApiError::bad_request(
            "command.inference.request must be an OpenAI chat-completions body (a JSON object \
             with `messages`)",
        ));
    };
    match body.get("messages").and_then(|m| m.as_array()) {
        Some(m) if !m.is_empty() => {}
        _ => {
            return Err(ApiError::bad_request(
                "command.inference.request.messages is missing or empty: give at least one \
                 message",
            ));
        }
    }
    let size = serde_json::to_vec(&spec.request).map_or(0, |b| b.len());
    if size > limits.prompt {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "field_too_large",
            format!(
                "command.inference.request is {size} bytes; this coordinator accepts at most {} \
                 bytes (EDGECODER_MAX_PROMPT_BYTES): shorten the conversation",
                limits.prompt
            ),
        ));
    }
    if spec.max_tokens() == 0 || spec.max_tokens() > MAX_INFERENCE_TOKENS {
        return Err(ApiError::bad_request(format!(
            "command.inference.request.max_tokens is {}: it must be between 1 and \
             {MAX_INFERENCE_TOKENS}",
            spec.max_tokens()
        )));
    }
    Ok(())
}

/// What the rest of the submission may be for an inference task: one attempt, no retry rule.
pub fn check_submission(req: &SubmitRequest) -> Result<(), ApiError> {
    if !matches!(req.command, TaskCommand::Inference(_)) {
        return Ok(());
    }
    if req.max_attempts.is_some_and(|n| n != 1) || req.retry.is_some() {
        return Err(ApiError::bad_request(
            "an inference task runs once (a second attempt would repeat text its client already \
             has): leave out max_attempts and retry",
        ));
    }
    if let Some(model) = &req.requirements.model
        && let TaskCommand::Inference(spec) = &req.command
        && *model != spec.model
    {
        return Err(ApiError::bad_request(
            "requirements.model and command.inference.model name different models: give the \
             model once, in command.inference.model",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(request: serde_json::Value) -> InferenceSpec {
        InferenceSpec {
            model: "smollm".into(),
            request,
        }
    }

    #[test]
    fn refuses_what_no_node_could_serve() {
        let limits = FieldLimits::default();
        let ok = spec(serde_json::json!({"messages": [{"role": "user", "content": "hi"}]}));
        assert!(check_inference(&ok, &limits).is_ok());
        let bad = [
            spec(serde_json::json!([])),
            spec(serde_json::json!({"messages": []})),
            spec(serde_json::json!({"messages": [{}], "max_tokens": 0})),
            spec(serde_json::json!({"messages": [{"content": "x".repeat(limits.prompt)}]})),
            InferenceSpec {
                model: "two words".into(),
                ..ok.clone()
            },
        ];
        for b in bad {
            assert!(check_inference(&b, &limits).is_err(), "{b:?}");
        }
    }
}
