//! The OpenAI surface (`/v1`): model list and chat completions, streamed as SSE or whole.
//!
//! The stream is shaped for the clients that crash on less: every chunk has `choices` (the usage
//! chunk and an error chunk carry an empty array), the first delta carries the role,
//! `finish_reason` comes on the last choice chunk, usage after it when asked for, then
//! `data: [DONE]`. An error after the stream began is a chunk with an `error` object (the
//! `openai` client raises it), then `[DONE]`, never a hang.

use super::call::ChatCall;
use super::server::{AppState, Failure, Surface, error_response, read_json, unix_now, with_route};
use super::upstream::{Opened, Piece, Usage};
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;

/// `GET /v1/models`.
pub async fn models(State(state): State<Arc<AppState>>) -> Response {
    let data: Vec<Value> = state
        .router
        .models()
        .await
        .into_iter()
        .map(|m| json!({"id": m.name, "object": "model", "created": 0, "owned_by": m.owned_by}))
        .collect();
    axum::Json(json!({"object": "list", "data": data})).into_response()
}

/// `POST /v1/chat/completions`.
pub async fn chat(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Response {
    let fail = |f: Failure| error_response(Surface::OpenAi, &f);
    let body = match read_json(&state, &headers, body).await {
        Ok(body) => body,
        Err(f) => return fail(f),
    };
    let call = match ChatCall::from_openai(body) {
        Ok(call) => call,
        Err(e) => return fail(e.into()),
    };
    let (stream, include_usage) = (call.stream, call.include_usage);
    let opened = match state.router.open(call).await {
        Ok(opened) => opened,
        Err(e) => return fail(e.into()),
    };
    let route = opened.route.clone();
    let response = if stream {
        sse(opened, include_usage)
    } else {
        match collect(opened).await {
            Ok(answer) => axum::Json(answer).into_response(),
            Err(f) => return fail(f),
        }
    };
    with_route(response, &route)
}

/// What a chunk starts with.
struct Head {
    id: String,
    created: u64,
    model: String,
    include_usage: bool,
}

impl Head {
    fn chunk(&self, choices: Value) -> Value {
        let mut chunk = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": null,
            "choices": choices,
        });
        if self.include_usage {
            chunk["usage"] = Value::Null;
        }
        chunk
    }

    fn choice(&self, delta: Value, finish: Option<&str>) -> Value {
        self.chunk(json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]))
    }
}

fn completion_id() -> String {
    format!("chatcmpl-{}", crate::server::auth::random_hex(12))
}

fn frame(value: &Value) -> bytes::Bytes {
    bytes::Bytes::from(format!("data: {value}\n\n"))
}

fn usage_json(u: Usage) -> Value {
    json!({
        "prompt_tokens": u.prompt_tokens,
        "completion_tokens": u.completion_tokens,
        "total_tokens": u.prompt_tokens + u.completion_tokens,
    })
}

/// The answer as SSE; dropping the body (the client left) drops the upstream stream.
fn sse(opened: Opened, include_usage: bool) -> Response {
    let head = Head {
        id: completion_id(),
        created: unix_now(),
        model: opened.model.clone(),
        include_usage,
    };
    let first = frame(&head.choice(json!({"role": "assistant", "content": ""}), None));
    let state = (opened.pieces, head, false);
    let rest = futures_util::stream::unfold(state, |(mut pieces, head, done)| async move {
        if done {
            return None;
        }
        let out = match pieces.next().await {
            Some(Ok(Piece::Text(text))) => frame(&head.choice(json!({"content": text}), None)),
            Some(Ok(Piece::ToolCalls(calls))) => {
                frame(&head.choice(json!({"tool_calls": calls}), None))
            }
            Some(Ok(Piece::Finish(reason))) => frame(&head.choice(json!({}), Some(&reason))),
            Some(Ok(Piece::Usage(usage))) if head.include_usage => {
                let mut chunk = head.chunk(json!([]));
                chunk["usage"] = usage_json(usage);
                frame(&chunk)
            }
            Some(Ok(Piece::Usage(_))) => bytes::Bytes::new(),
            Some(Err(e)) => {
                let failure = Failure::from(e);
                let mut chunk = head.chunk(json!([]));
                chunk["error"] = failure.openai_object();
                let mut out = frame(&chunk).to_vec();
                out.extend_from_slice(b"data: [DONE]\n\n");
                return Some((
                    Ok::<_, std::convert::Infallible>(bytes::Bytes::from(out)),
                    (pieces, head, true),
                ));
            }
            None => {
                return Some((
                    Ok(bytes::Bytes::from_static(b"data: [DONE]\n\n")),
                    (pieces, head, true),
                ));
            }
        };
        Some((Ok(out), (pieces, head, false)))
    });
    let body = futures_util::stream::once(async move { Ok(first) }).chain(rest);
    Response::builder()
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .body(Body::from_stream(body))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// The whole answer as one `chat.completion`.
async fn collect(mut opened: Opened) -> Result<Value, Failure> {
    let mut text = String::new();
    let mut calls: Vec<Value> = Vec::new();
    let mut finish = None;
    let mut usage = Usage::default();
    while let Some(piece) = opened.pieces.next().await {
        match piece.map_err(Failure::from)? {
            Piece::Text(t) => text.push_str(&t),
            Piece::ToolCalls(deltas) => merge_tool_calls(&mut calls, &deltas),
            Piece::Finish(reason) => finish = Some(reason),
            Piece::Usage(u) => usage = u,
        }
    }
    let mut message = json!({"role": "assistant", "content": text});
    if !calls.is_empty() {
        if text.is_empty() {
            message["content"] = Value::Null;
        }
        message["tool_calls"] = json!(calls);
    }
    Ok(json!({
        "id": completion_id(),
        "object": "chat.completion",
        "created": unix_now(),
        "model": opened.model,
        "system_fingerprint": null,
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": finish.unwrap_or_else(|| "stop".into()),
        }],
        "usage": usage_json(usage),
    }))
}

/// Folds streamed tool-call deltas into whole calls: by `index`, the first delta of a call
/// carries its id, type and name, later ones more of its arguments.
pub fn merge_tool_calls(calls: &mut Vec<Value>, deltas: &[Value]) {
    for delta in deltas {
        let index = delta
            .get("index")
            .and_then(Value::as_u64)
            .unwrap_or(calls.len() as u64) as usize;
        while calls.len() <= index {
            calls.push(
                json!({"id": "", "type": "function", "function": {"name": "", "arguments": ""}}),
            );
        }
        let call = &mut calls[index];
        if let Some(id) = delta.get("id").and_then(Value::as_str) {
            call["id"] = json!(id);
        }
        if let Some(kind) = delta.get("type").and_then(Value::as_str) {
            call["type"] = json!(kind);
        }
        let f = delta.get("function");
        if let Some(name) = f.and_then(|f| f.get("name")).and_then(Value::as_str) {
            let joined = format!("{}{name}", call["function"]["name"].as_str().unwrap_or(""));
            call["function"]["name"] = json!(joined);
        }
        if let Some(args) = f.and_then(|f| f.get("arguments")).and_then(Value::as_str) {
            let joined = format!(
                "{}{args}",
                call["function"]["arguments"].as_str().unwrap_or("")
            );
            call["function"]["arguments"] = json!(joined);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_call_deltas_fold_into_whole_calls() {
        let mut calls = Vec::new();
        merge_tool_calls(
            &mut calls,
            &[
                json!({"index":0,"id":"c1","type":"function","function":{"name":"read","arguments":"{\"pa"}}),
            ],
        );
        merge_tool_calls(
            &mut calls,
            &[json!({"index":0,"function":{"arguments":"th\":1}"}})],
        );
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0]["id"], "c1");
        assert_eq!(calls[0]["function"]["name"], "read");
        assert_eq!(calls[0]["function"]["arguments"], "{\"path\":1}");
    }
}
