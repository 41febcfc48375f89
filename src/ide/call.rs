//! One chat call as the surfaces hand it to the router: the OpenAI chat-completions body, kept
//! whole (fields we do not read — `tools`, `tool_choice`, `response_format`, `logit_bias`… — go
//! to an OpenAI-compatible server as the editor wrote them), plus the few fields routing and
//! rendering need. The Ollama surface builds the same body from its own requests.

use super::upstream::UpstreamError;
use serde_json::{Map, Value};

/// The roles a message may have.
const ROLES: &[&str] = &["system", "developer", "user", "assistant", "tool"];

#[derive(Debug, Clone, PartialEq)]
pub struct ChatCall {
    /// The OpenAI chat-completions body (an object).
    pub body: Map<String, Value>,
    /// The model asked for.
    pub model: String,
    /// Whether the client wants a stream (upstreams always stream; the surface collects).
    pub stream: bool,
    /// `stream_options.include_usage`: a last chunk with the token counts.
    pub include_usage: bool,
}

fn bad(message: impl Into<String>, param: &str) -> UpstreamError {
    UpstreamError::BadRequest {
        message: message.into(),
        param: Some(param.to_string()),
    }
}

impl ChatCall {
    /// Checks an OpenAI chat-completions body enough that a mistake gets a message naming the
    /// field, not a model server's puzzle.
    pub fn from_openai(body: Value) -> Result<ChatCall, UpstreamError> {
        let Value::Object(body) = body else {
            return Err(bad("the body must be a JSON object", "body"));
        };
        let model = match body.get("model") {
            Some(Value::String(m)) if !m.trim().is_empty() => m.trim().to_string(),
            Some(Value::String(_)) | None => {
                return Err(bad(
                    "\"model\" is missing: name one of GET /v1/models",
                    "model",
                ));
            }
            Some(_) => return Err(bad("\"model\" must be a string", "model")),
        };
        let messages = match body.get("messages") {
            Some(Value::Array(m)) if !m.is_empty() => m,
            Some(Value::Array(_)) => {
                return Err(bad("\"messages\" is empty: send at least one", "messages"));
            }
            Some(_) => return Err(bad("\"messages\" must be an array", "messages")),
            None => return Err(bad("\"messages\" is missing", "messages")),
        };
        for (i, message) in messages.iter().enumerate() {
            check_message(i, message)?;
        }
        let stream = match body.get("stream") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad("\"stream\" must be true or false", "stream")),
        };
        let include_usage = body
            .get("stream_options")
            .and_then(|o| o.get("include_usage"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        for key in ["max_tokens", "max_completion_tokens", "seed"] {
            if let Some(v) = body.get(key)
                && !v.is_null()
                && !v.is_u64()
                && !v.is_i64()
            {
                return Err(bad(format!("\"{key}\" must be an integer"), key));
            }
        }
        if let Some(t) = body.get("temperature")
            && !t.is_null()
            && !t.is_number()
        {
            return Err(bad("\"temperature\" must be a number", "temperature"));
        }
        Ok(ChatCall {
            body,
            model,
            stream,
            include_usage,
        })
    }

    /// The output limit the client asked for, by either name.
    pub fn max_tokens(&self) -> Option<u64> {
        ["max_completion_tokens", "max_tokens"]
            .iter()
            .find_map(|k| self.body.get(*k).and_then(Value::as_u64))
    }
}

fn check_message(i: usize, message: &Value) -> Result<(), UpstreamError> {
    let param = format!("messages[{i}]");
    let Some(role) = message.get("role").and_then(Value::as_str) else {
        return Err(bad(
            format!("{param} has no \"role\": use one of {}", ROLES.join(", ")),
            &param,
        ));
    };
    if !ROLES.contains(&role) {
        return Err(bad(
            format!(
                "{param} has the role {role:?}: use one of {}",
                ROLES.join(", ")
            ),
            &param,
        ));
    }
    match message.get("content") {
        None | Some(Value::Null) if role == "assistant" => Ok(()),
        Some(Value::String(_)) => Ok(()),
        Some(Value::Array(parts)) => {
            for part in parts {
                if part.get("type").and_then(Value::as_str).is_none() {
                    return Err(bad(
                        format!("{param}.content has a part without a \"type\""),
                        &param,
                    ));
                }
            }
            Ok(())
        }
        _ => Err(bad(
            format!("{param}.content must be a string or an array of parts"),
            &param,
        )),
    }
}

/// The text of a message's content: the string, or the text parts joined (images and other
/// parts are left to servers that read them).
pub fn content_text(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_body_is_checked_field_by_field() {
        let ok = ChatCall::from_openai(json!({
            "model": "m", "stream": true, "stream_options": {"include_usage": true},
            "messages": [
                {"role": "developer", "content": "be brief"},
                {"role": "user", "content": [{"type": "text", "text": "hi"}]},
                {"role": "assistant", "content": null, "tool_calls": []},
                {"role": "tool", "content": "42", "tool_call_id": "c1"}
            ],
            "tools": [{"type": "function", "function": {"name": "f"}}]
        }))
        .expect("valid");
        assert!(ok.stream && ok.include_usage);
        assert!(ok.body.contains_key("tools"));
        let param = |v: Value| match ChatCall::from_openai(v) {
            Err(UpstreamError::BadRequest { param, .. }) => param,
            other => panic!("{other:?}"),
        };
        assert_eq!(param(json!([])).as_deref(), Some("body"));
        assert_eq!(
            param(json!({"messages": [{"role": "user", "content": "x"}]})).as_deref(),
            Some("model")
        );
        assert_eq!(
            param(json!({"model": "m", "messages": [{"role": "robot", "content": "x"}]}))
                .as_deref(),
            Some("messages[0]")
        );
        assert_eq!(
            param(json!({"model": "m", "messages": [{"role": "user", "content": "x"}], "max_tokens": "9"}))
                .as_deref(),
            Some("max_tokens")
        );
    }

    #[test]
    fn content_parts_join_their_text() {
        let parts = json!([{"type": "text", "text": "a"}, {"type": "image_url"}, {"type": "text", "text": "b"}]);
        assert_eq!(content_text(Some(&parts)), "a\nb");
        assert_eq!(content_text(Some(&json!("x"))), "x");
        assert_eq!(content_text(None), "");
    }
}
