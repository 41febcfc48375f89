//! An OpenAI chat body for an Ollama server (`/api/chat`), and Ollama's streamed lines back as
//! pieces. Ollama takes OpenAI's `tools` as they are; what differs is where sampling goes
//! (`options`), how a JSON schema is asked for (`format`), and tool-call arguments (an object,
//! not a string).

use super::call::{ChatCall, content_text};
use super::upstream::{Piece, UpstreamError, Usage};
use serde_json::{Map, Value, json};

/// The body for `POST /api/chat`.
pub fn request(call: &ChatCall, model: &str, num_ctx: u32) -> Value {
    let body = &call.body;
    let messages: Vec<Value> = body
        .get("messages")
        .and_then(Value::as_array)
        .map(|m| m.iter().map(message).collect())
        .unwrap_or_default();
    let mut options = Map::new();
    if num_ctx > 0 {
        options.insert("num_ctx".into(), json!(num_ctx));
    }
    for (from, to) in [
        ("temperature", "temperature"),
        ("seed", "seed"),
        ("top_p", "top_p"),
        ("presence_penalty", "presence_penalty"),
        ("frequency_penalty", "frequency_penalty"),
    ] {
        if let Some(v) = body.get(from).filter(|v| !v.is_null()) {
            options.insert(to.into(), v.clone());
        }
    }
    if let Some(n) = call.max_tokens() {
        options.insert("num_predict".into(), json!(n));
    }
    match body.get("stop") {
        Some(Value::String(s)) => {
            options.insert("stop".into(), json!([s]));
        }
        Some(Value::Array(a)) => {
            options.insert("stop".into(), json!(a));
        }
        _ => {}
    }
    let mut out = json!({
        "model": model,
        "messages": messages,
        "stream": true,
        "options": options,
    });
    if let Some(tools) = body.get("tools").filter(|t| !t.is_null()) {
        out["tools"] = tools.clone();
    }
    if let Some(format) = body.get("response_format").and_then(format) {
        out["format"] = format;
    }
    out
}

/// OpenAI's `response_format` as Ollama's `format`: a JSON schema, or `"json"`.
fn format(response_format: &Value) -> Option<Value> {
    match response_format.get("type").and_then(Value::as_str) {
        Some("json_schema") => response_format
            .get("json_schema")
            .and_then(|s| s.get("schema"))
            .cloned(),
        Some("json_object") => Some(json!("json")),
        _ => None,
    }
}

fn message(m: &Value) -> Value {
    let role = match m.get("role").and_then(Value::as_str) {
        Some("developer") => "system",
        Some(role) => role,
        None => "user",
    };
    let mut out = json!({"role": role, "content": content_text(m.get("content"))});
    let images: Vec<Value> = m
        .get("content")
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .filter_map(|p| p.get("image_url")?.get("url")?.as_str())
                .filter_map(|url| url.strip_prefix("data:")?.split_once(',').map(|(_, b)| b))
                .map(|b64| json!(b64))
                .collect()
        })
        .unwrap_or_default();
    if !images.is_empty() {
        out["images"] = json!(images);
    }
    if let Some(calls) = m.get("tool_calls").and_then(Value::as_array) {
        let calls: Vec<Value> = calls
            .iter()
            .map(|c| {
                let f = c.get("function");
                let arguments = f
                    .and_then(|f| f.get("arguments"))
                    .map(|a| match a {
                        Value::String(s) => serde_json::from_str(s).unwrap_or(json!({})),
                        other => other.clone(),
                    })
                    .unwrap_or(json!({}));
                json!({"function": {
                    "name": f.and_then(|f| f.get("name")).cloned().unwrap_or(json!("")),
                    "arguments": arguments,
                }})
            })
            .collect();
        out["tool_calls"] = json!(calls);
    }
    out
}

/// The pieces of one line of Ollama's `/api/chat` stream.
pub fn pieces(line: &Value) -> Result<Vec<Piece>, UpstreamError> {
    if let Some(error) = line.get("error") {
        let message = error.as_str().unwrap_or("an error without a message");
        return Err(UpstreamError::BadGateway(format!(
            "the model server said: {message}"
        )));
    }
    let mut pieces = Vec::new();
    let message = line.get("message");
    if let Some(text) = message
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    {
        pieces.push(Piece::Text(text.to_string()));
    }
    let mut had_calls = false;
    if let Some(calls) = message
        .and_then(|m| m.get("tool_calls"))
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
    {
        had_calls = true;
        let deltas = calls
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let f = c.get("function");
                let arguments = f
                    .and_then(|f| f.get("arguments"))
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "{}".into());
                json!({
                    "index": i,
                    "id": format!("call_{i}"),
                    "type": "function",
                    "function": {
                        "name": f.and_then(|f| f.get("name")).cloned().unwrap_or(json!("")),
                        "arguments": arguments,
                    }
                })
            })
            .collect();
        pieces.push(Piece::ToolCalls(deltas));
    }
    if line.get("done").and_then(Value::as_bool) == Some(true) {
        let reason = line
            .get("done_reason")
            .and_then(Value::as_str)
            .unwrap_or("stop");
        let reason = if had_calls && reason == "stop" {
            "tool_calls"
        } else {
            reason
        };
        pieces.push(Piece::Finish(reason.to_string()));
        let count = |key: &str| line.get(key).and_then(Value::as_u64).unwrap_or(0);
        pieces.push(Piece::Usage(Usage {
            prompt_tokens: count("prompt_eval_count"),
            completion_tokens: count("eval_count"),
        }));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_openai_body_becomes_ollamas() {
        let call = ChatCall::from_openai(json!({
            "model": "m", "max_completion_tokens": 9, "temperature": 0, "seed": 1, "stop": "X",
            "response_format": {"type": "json_schema", "json_schema": {"name": "a", "schema": {"type": "object"}}},
            "messages": [
                {"role": "developer", "content": "sys"},
                {"role": "assistant", "content": null, "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{\"a\":1}"}}]},
                {"role": "tool", "content": "1", "tool_call_id": "c"}
            ],
            "tools": [{"type": "function", "function": {"name": "f"}}]
        }))
        .expect("valid");
        let body = request(&call, "m:latest", 4096);
        assert_eq!(body["model"], "m:latest");
        assert_eq!(body["options"]["num_predict"], 9);
        assert_eq!(body["options"]["stop"], json!(["X"]));
        assert_eq!(body["options"]["num_ctx"], 4096);
        assert_eq!(body["format"], json!({"type": "object"}));
        assert_eq!(body["messages"][0]["role"], "system");
        assert_eq!(
            body["messages"][1]["tool_calls"][0]["function"]["arguments"],
            json!({"a": 1})
        );
        assert!(body["tools"].is_array());
    }

    #[test]
    fn ollama_lines_become_pieces() {
        let p = pieces(&json!({"message": {"role": "assistant", "content": "Hi"}, "done": false}))
            .expect("ok");
        assert_eq!(p, vec![Piece::Text("Hi".into())]);
        let p = pieces(&json!({"message": {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "f", "arguments": {"a": 1}}}]}, "done": true, "done_reason": "stop", "prompt_eval_count": 5, "eval_count": 2}))
            .expect("ok");
        assert!(
            matches!(&p[0], Piece::ToolCalls(c) if c[0]["function"]["arguments"] == "{\"a\":1}")
        );
        assert_eq!(p[1], Piece::Finish("tool_calls".into()));
        assert!(pieces(&json!({"error": "boom"})).is_err());
    }
}
