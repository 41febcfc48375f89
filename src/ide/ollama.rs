//! The Ollama surface (`/api`), as Continue's Ollama provider and other Ollama clients call it:
//! `tags`, `show`, `chat`, `generate` (with `suffix` for fill-in-the-middle), `version`, `ps`.
//! Streams are NDJSON by default (`"stream": false` for one object); errors are Ollama's
//! `{"error": "…"}` with the HTTP status.
//!
//! Requests become the same [`ChatCall`] as the OpenAI surface's. A `suffix` becomes a chat
//! prompt that asks for the code between the prefix and the suffix: chat is the one call every
//! backend (and the swarm) serves, where a FIM endpoint is not (docs/decisions.md).

use super::call::ChatCall;
use super::openai::merge_tool_calls;
use super::router::Listed;
use super::server::{AppState, Failure, Surface, error_response, read_json, with_route};
use super::upstream::{Opened, Piece, UpstreamError, Usage};
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Instant;

/// The Ollama API level this surface follows (clients check `/api/version`).
pub const OLLAMA_VERSION: &str = "0.9.0";

/// The instruction a fill-in-the-middle request is wrapped in.
pub const FIM_INSTRUCTION: &str = "You fill in missing code. The user sends a file with one \
    <FILL> mark. Reply with only the code that replaces <FILL>: no explanation, no code fences, \
    nothing from before or after the mark.";

fn fail(f: Failure) -> Response {
    error_response(Surface::Ollama, &f)
}

fn bad(message: impl Into<String>) -> Failure {
    UpstreamError::BadRequest {
        message: message.into(),
        param: None,
    }
    .into()
}

fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

fn details(m: &Listed) -> Value {
    let family = m.info.family.clone().unwrap_or_default();
    json!({
        "parent_model": "",
        "format": "gguf",
        "family": family,
        "families": if family.is_empty() { json!(null) } else { json!([family]) },
        "parameter_size": m.info.parameter_size.clone().unwrap_or_default(),
        "quantization_level": m.info.quantization.clone().unwrap_or_default(),
    })
}

fn entry(m: &Listed) -> Value {
    json!({
        "name": m.name,
        "model": m.name,
        "modified_at": "1970-01-01T00:00:00Z",
        "size": 0,
        "digest": "",
        "details": details(m),
    })
}

/// `GET /api/tags`.
pub async fn tags(State(state): State<Arc<AppState>>) -> Response {
    let models: Vec<Value> = state.router.models().await.iter().map(entry).collect();
    axum::Json(json!({"models": models})).into_response()
}

/// `GET /api/ps`: the local models (they are loaded by their server).
pub async fn ps(State(state): State<Arc<AppState>>) -> Response {
    let models: Vec<Value> = state
        .router
        .models()
        .await
        .iter()
        .filter(|m| m.owned_by == "local")
        .map(|m| {
            let mut e = entry(m);
            e["expires_at"] = json!("9999-12-31T23:59:59Z");
            e["size_vram"] = json!(0);
            e
        })
        .collect();
    axum::Json(json!({"models": models})).into_response()
}

/// `GET /api/version`.
pub async fn version() -> Response {
    axum::Json(json!({"version": OLLAMA_VERSION})).into_response()
}

/// The model a request names (`model`, or the older `name`).
fn model_of(body: &Value) -> Result<String, Failure> {
    body.get("model")
        .or_else(|| body.get("name"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .ok_or_else(|| bad("\"model\" is missing: name one of GET /api/tags"))
}

/// `POST /api/show`.
pub async fn show(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Response {
    let body = match read_json(&state, &headers, body).await {
        Ok(b) => b,
        Err(f) => return fail(f),
    };
    let model = match model_of(&body) {
        Ok(m) => m,
        Err(f) => return fail(f),
    };
    let listed = match state.router.find(&model).await {
        Ok(l) => l,
        Err(e) => return fail(e.into()),
    };
    let arch = listed.info.family.clone().unwrap_or_else(|| "llama".into());
    let mut info = Map::new();
    info.insert("general.architecture".into(), json!(arch));
    if let Some(n) = listed.info.context_length {
        info.insert(format!("{arch}.context_length"), json!(n));
    }
    axum::Json(json!({
        "license": "",
        "modelfile": "",
        "parameters": "",
        "template": "",
        "details": details(&listed),
        "model_info": info,
        "capabilities": ["completion", "tools"],
        "modified_at": "1970-01-01T00:00:00Z",
    }))
    .into_response()
}

/// Ollama's `options` and `format` onto an OpenAI body.
fn sampling(from: &Value, to: &mut Map<String, Value>) {
    if let Some(options) = from.get("options").and_then(Value::as_object) {
        for (ours, theirs) in [
            ("temperature", "temperature"),
            ("seed", "seed"),
            ("top_p", "top_p"),
            ("num_predict", "max_tokens"),
            ("stop", "stop"),
            ("presence_penalty", "presence_penalty"),
            ("frequency_penalty", "frequency_penalty"),
        ] {
            if let Some(v) = options.get(ours).filter(|v| !v.is_null()) {
                // Ollama's "no limit" is -1; OpenAI's is no field.
                if ours == "num_predict" && v.as_i64().is_some_and(|n| n < 0) {
                    continue;
                }
                to.insert(theirs.into(), v.clone());
            }
        }
    }
    match from.get("format") {
        Some(Value::String(s)) if s == "json" => {
            to.insert("response_format".into(), json!({"type": "json_object"}));
        }
        Some(schema @ Value::Object(_)) => {
            to.insert(
                "response_format".into(),
                json!({"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}),
            );
        }
        _ => {}
    }
    if let Some(tools) = from.get("tools").filter(|t| t.is_array()) {
        to.insert("tools".into(), tools.clone());
    }
}

/// One Ollama chat message as OpenAI's.
fn message(m: &Value) -> Value {
    let role = m.get("role").cloned().unwrap_or(json!("user"));
    let text = m.get("content").and_then(Value::as_str).unwrap_or("");
    let images: Vec<&str> = m
        .get("images")
        .and_then(Value::as_array)
        .map(|i| i.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let content = if images.is_empty() {
        json!(text)
    } else {
        let mut parts = vec![json!({"type": "text", "text": text})];
        parts.extend(images.iter().map(|b64| {
            json!({"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{b64}")}})
        }));
        json!(parts)
    };
    let mut out = json!({"role": role, "content": content});
    if let Some(calls) = m.get("tool_calls").and_then(Value::as_array) {
        let calls: Vec<Value> = calls
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let f = c.get("function");
                json!({
                    "id": format!("call_{i}"),
                    "type": "function",
                    "function": {
                        "name": f.and_then(|f| f.get("name")).cloned().unwrap_or(json!("")),
                        "arguments": f.and_then(|f| f.get("arguments")).map(|a| match a {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        }).unwrap_or_else(|| "{}".into()),
                    }
                })
            })
            .collect();
        out["tool_calls"] = json!(calls);
    }
    out
}

/// Whether the client wants a stream (Ollama's default: yes).
fn wants_stream(body: &Value) -> bool {
    body.get("stream").and_then(Value::as_bool).unwrap_or(true)
}

/// `POST /api/chat`.
pub async fn chat(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Response {
    let body = match read_json(&state, &headers, body).await {
        Ok(b) => b,
        Err(f) => return fail(f),
    };
    let model = match model_of(&body) {
        Ok(m) => m,
        Err(f) => return fail(f),
    };
    let Some(messages) = body.get("messages").and_then(Value::as_array) else {
        return fail(bad("\"messages\" is missing or not an array"));
    };
    let mut openai = Map::new();
    openai.insert("model".into(), json!(model));
    openai.insert(
        "messages".into(),
        json!(messages.iter().map(message).collect::<Vec<_>>()),
    );
    sampling(&body, &mut openai);
    answer(&state, openai, wants_stream(&body), Kind::Chat).await
}

/// `POST /api/generate`; with a `suffix`, fill-in-the-middle.
pub async fn generate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_json(&state, &headers, body).await {
        Ok(b) => b,
        Err(f) => return fail(f),
    };
    let model = match model_of(&body) {
        Ok(m) => m,
        Err(f) => return fail(f),
    };
    let prompt = match body.get("prompt") {
        Some(Value::String(p)) => p.as_str(),
        None | Some(Value::Null) => "",
        Some(_) => return fail(bad("\"prompt\" must be a string")),
    };
    let suffix = body
        .get("suffix")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let system = body.get("system").and_then(Value::as_str);
    let mut messages = Vec::new();
    match suffix {
        Some(suffix) => {
            messages.push(json!({"role": "system", "content": FIM_INSTRUCTION}));
            messages.push(json!({"role": "user", "content": format!("{prompt}<FILL>{suffix}")}));
        }
        None => {
            if let Some(system) = system {
                messages.push(json!({"role": "system", "content": system}));
            }
            messages.push(json!({"role": "user", "content": prompt}));
        }
    }
    let mut openai = Map::new();
    openai.insert("model".into(), json!(model));
    openai.insert("messages".into(), json!(messages));
    sampling(&body, &mut openai);
    answer(&state, openai, wants_stream(&body), Kind::Generate).await
}

/// Which Ollama answer shape.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Chat,
    Generate,
}

/// The pieces rendered as Ollama lines.
struct Lines {
    kind: Kind,
    model: String,
    started: Instant,
}

impl Lines {
    fn text(&self, text: &str) -> Value {
        match self.kind {
            Kind::Chat => json!({
                "model": self.model, "created_at": now_rfc3339(),
                "message": {"role": "assistant", "content": text}, "done": false,
            }),
            Kind::Generate => json!({
                "model": self.model, "created_at": now_rfc3339(), "response": text, "done": false,
            }),
        }
    }

    fn tool_calls(&self, calls: &[Value]) -> Value {
        let calls: Vec<Value> = calls
            .iter()
            .map(|c| {
                let f = &c["function"];
                let arguments = f["arguments"]
                    .as_str()
                    .and_then(|a| serde_json::from_str::<Value>(a).ok())
                    .unwrap_or(json!({}));
                json!({"function": {"name": f["name"], "arguments": arguments}})
            })
            .collect();
        let mut line = self.text("");
        line["message"]["tool_calls"] = json!(calls);
        line
    }

    fn done(&self, reason: &str, usage: Usage, whole: Option<&str>) -> Value {
        let mut line = self.text(whole.unwrap_or(""));
        line["done"] = json!(true);
        line["done_reason"] = json!(reason);
        let total = self.started.elapsed().as_nanos() as u64;
        line["total_duration"] = json!(total);
        line["load_duration"] = json!(0);
        line["prompt_eval_count"] = json!(usage.prompt_tokens);
        line["prompt_eval_duration"] = json!(0);
        line["eval_count"] = json!(usage.completion_tokens);
        line["eval_duration"] = json!(total);
        if self.kind == Kind::Generate {
            line["context"] = json!([]);
        }
        line
    }
}

async fn answer(state: &AppState, body: Map<String, Value>, stream: bool, kind: Kind) -> Response {
    let call = match ChatCall::from_openai(Value::Object(body)) {
        Ok(call) => call,
        Err(e) => return fail(e.into()),
    };
    let opened = match state.router.open(call).await {
        Ok(o) => o,
        Err(e) => return fail(e.into()),
    };
    let route = opened.route.clone();
    let lines = Lines {
        kind,
        model: opened.model.clone(),
        started: Instant::now(),
    };
    let response = if stream {
        ndjson(opened, lines)
    } else {
        match whole(opened, &lines).await {
            Ok(v) => axum::Json(v).into_response(),
            Err(f) => return fail(f),
        }
    };
    with_route(response, &route)
}

fn line(value: &Value) -> bytes::Bytes {
    bytes::Bytes::from(format!("{value}\n"))
}

/// Streams NDJSON; tool calls are sent whole, once the model is done with them. An error after
/// the stream began is an `{"error": …}` line, as Ollama sends one.
fn ndjson(opened: Opened, lines: Lines) -> Response {
    struct S {
        pieces: super::PieceStream,
        lines: Lines,
        calls: Vec<Value>,
        reason: Option<String>,
        usage: Usage,
        done: bool,
    }
    let state = S {
        pieces: opened.pieces,
        lines,
        calls: Vec::new(),
        reason: None,
        usage: Usage::default(),
        done: false,
    };
    let body = futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if s.done {
                return None;
            }
            let out = match s.pieces.next().await {
                Some(Ok(Piece::Text(t))) => line(&s.lines.text(&t)),
                Some(Ok(Piece::ToolCalls(d))) => {
                    merge_tool_calls(&mut s.calls, &d);
                    continue;
                }
                Some(Ok(Piece::Finish(r))) => {
                    s.reason = Some(r);
                    if s.calls.is_empty() {
                        continue;
                    }
                    let calls = std::mem::take(&mut s.calls);
                    line(&s.lines.tool_calls(&calls))
                }
                Some(Ok(Piece::Usage(u))) => {
                    s.usage = u;
                    continue;
                }
                Some(Err(e)) => {
                    s.done = true;
                    line(&json!({"error": e.to_string()}))
                }
                None => {
                    s.done = true;
                    let reason = s.reason.clone().unwrap_or_else(|| "stop".into());
                    line(&s.lines.done(&reason, s.usage, None))
                }
            };
            return Some((Ok::<_, std::convert::Infallible>(out), s));
        }
    });
    Response::builder()
        .header("content-type", "application/x-ndjson")
        .body(Body::from_stream(body))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// The whole answer as one object.
async fn whole(mut opened: Opened, lines: &Lines) -> Result<Value, Failure> {
    let mut text = String::new();
    let mut calls = Vec::new();
    let mut reason = None;
    let mut usage = Usage::default();
    while let Some(piece) = opened.pieces.next().await {
        match piece.map_err(Failure::from)? {
            Piece::Text(t) => text.push_str(&t),
            Piece::ToolCalls(d) => merge_tool_calls(&mut calls, &d),
            Piece::Finish(r) => reason = Some(r),
            Piece::Usage(u) => usage = u,
        }
    }
    let mut out = lines.done(
        reason.as_deref().unwrap_or("stop"),
        usage,
        Some(text.as_str()),
    );
    if !calls.is_empty() && lines.kind == Kind::Chat {
        out["message"]["tool_calls"] = lines.tool_calls(&calls)["message"]["tool_calls"].take();
    }
    Ok(out)
}
