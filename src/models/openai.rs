//! OpenAI-compatible chat completions: `/v1/models`, `/v1/chat/completions` streamed as SSE
//! (llama.cpp's server, vLLM, LM Studio, OpenAI itself). The stream is read with the project's
//! one SSE parser (`api::sse::SseParser`).
//!
//! Sampling (temperature, seed, max_tokens) is always sent: a server's own defaults differ
//! between servers and versions, and a coding task must be reproducible.

use super::http::{self, clip};
use super::{
    ChatAnswer, ChatRequest, Finish, Message, ModelBackend, ModelError, Streamed, Timeouts,
};
use crate::api::ModelInfo;
use crate::api::sse::SseParser;
use serde_json::{Value, json};
use std::time::Instant;

#[derive(Clone)]
pub struct OpenAiClient {
    /// Without `/v1`.
    url: String,
    api_key: Option<String>,
    timeouts: Timeouts,
    http: reqwest::Client,
}

impl std::fmt::Debug for OpenAiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("OpenAiClient")
            .field("url", &self.url)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

impl OpenAiClient {
    /// `base_url` with or without a trailing `/v1`.
    pub fn new(
        base_url: &str,
        api_key: Option<String>,
        timeouts: Timeouts,
    ) -> Result<OpenAiClient, ModelError> {
        let url = http::base_url(base_url, "/v1", "EDGECODER_OPENAI_BASE_URL")
            .map_err(ModelError::Settings)?;
        let http = http::client(timeouts, "openai", &url)?;
        Ok(OpenAiClient {
            url,
            api_key: api_key.filter(|k| !k.trim().is_empty()),
            timeouts,
            http,
        })
    }

    fn request(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.api_key {
            Some(key) => builder.bearer_auth(key.trim()),
            None => builder,
        }
    }
}

impl ModelBackend for OpenAiClient {
    fn kind(&self) -> &'static str {
        "openai"
    }

    fn url(&self) -> &str {
        &self.url
    }

    async fn list_models(&self) -> Result<Vec<ModelInfo>, ModelError> {
        let endpoint = format!("{}/v1/models", self.url);
        let request = self.request(self.http.get(&endpoint));
        let response = http::send(request, self.timeouts.idle, "openai", &self.url).await?;
        let body: Value = http::json(response, self.timeouts.idle, "the model list").await?;
        parse_models(&body)
    }

    async fn chat(
        &self,
        request: &ChatRequest,
        on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<ChatAnswer, ModelError> {
        let started = Instant::now();
        let messages: Vec<Value> = request.messages.iter().map(Message::to_wire).collect();
        let mut body = json!({
            "model": request.model,
            "messages": messages,
            "stream": true,
            "stream_options": {"include_usage": true},
            "temperature": request.sampling.temperature,
            "seed": request.sampling.seed,
            "max_tokens": request.sampling.max_tokens,
        });
        if let Some(schema) = &request.schema {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": schema.name, "schema": schema.schema, "strict": true},
            });
        }
        let endpoint = format!("{}/v1/chat/completions", self.url);
        let builder = self.request(self.http.post(&endpoint).json(&body));
        let mut response = http::send(builder, self.timeouts.idle, "openai", &self.url).await?;

        let mut stream = Answer::new(&request.model);
        let mut parser = SseParser::default();
        let mut received = false;
        while let Some(piece) = http::chunk(&mut response, self.timeouts.idle).await? {
            received |= !piece.is_empty();
            parser.push(&piece);
            while let Some(frame) = parser.next_frame() {
                stream.take(&frame.data, on_text)?;
                if stream.done {
                    break;
                }
            }
            if stream.done {
                break;
            }
        }
        if !stream.done && stream.streamed.finish.is_none() {
            if !stream.frames && (received || parser.has_partial()) {
                return Err(ModelError::Garbage(
                    "the answer is not a server-sent event stream".into(),
                ));
            }
            return Err(ModelError::Cut(format!(
                "no [DONE] and no finish_reason after {} characters",
                stream.streamed.content.len()
            )));
        }
        let mut streamed = stream.streamed;
        let finish = streamed.finish.take().unwrap_or(Finish::Stop);
        Ok(streamed.into_answer(finish, started))
    }
}

/// What the stream said so far.
#[derive(Default)]
struct Answer {
    streamed: Streamed,
    /// `[DONE]` came.
    done: bool,
    /// At least one frame came.
    frames: bool,
}

impl Answer {
    fn new(model: &str) -> Answer {
        Answer {
            streamed: Streamed::new(model),
            ..Answer::default()
        }
    }

    fn take(
        &mut self,
        data: &str,
        on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<(), ModelError> {
        self.frames = true;
        if data.trim() == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        let chunk: Value = serde_json::from_str(data)
            .map_err(|e| ModelError::Garbage(format!("a stream event that is not JSON: {e}")))?;
        if let Some(error) = chunk.get("error") {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .or_else(|| error.as_str())
                .unwrap_or("an error without a message");
            return Err(ModelError::Server {
                status: None,
                message: message.to_string(),
            });
        }
        if !chunk.is_object() {
            return Err(ModelError::Garbage(format!(
                "a stream event that is not a completion chunk: {}",
                clip(data)
            )));
        }
        if let Some(model) = chunk.get("model").and_then(Value::as_str) {
            self.streamed.model = model.to_string();
        }
        if let Some(usage) = chunk.get("usage").filter(|u| u.is_object()) {
            let count = |key: &str| usage.get(key).and_then(Value::as_u64).unwrap_or(0);
            self.streamed.tokens_in = count("prompt_tokens");
            self.streamed.tokens_out = count("completion_tokens");
        }
        let choice = chunk
            .get("choices")
            .and_then(Value::as_array)
            .and_then(|c| c.first());
        if let Some(choice) = choice {
            if let Some(text) = choice
                .get("delta")
                .and_then(|d| d.get("content"))
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
            {
                self.streamed.push_text(text, on_text);
            }
            if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
                self.streamed.finish = Some(Finish::from_reason(reason));
            }
        }
        Ok(())
    }
}

/// `/v1/models`: `{"data":[{"id":…, "meta":{…}}]}`. llama.cpp adds `meta` (`n_ctx`, the context
/// it serves; `n_params`; `ftype`, the quantization); other servers say less.
fn parse_models(body: &Value) -> Result<Vec<ModelInfo>, ModelError> {
    let data = body
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| ModelError::Garbage("the model list has no \"data\" array".into()))?;
    let mut models = Vec::new();
    for entry in data {
        let Some(id) = entry.get("id").and_then(Value::as_str) else {
            return Err(ModelError::Garbage(
                "a model in the list has no \"id\"".into(),
            ));
        };
        let meta = entry.get("meta");
        let meta_u64 = |key: &str| meta.and_then(|m| m.get(key)).and_then(Value::as_u64);
        let meta_str = |key: &str| {
            meta.and_then(|m| m.get(key))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        models.push(ModelInfo {
            name: id.to_string(),
            backend: "openai".into(),
            family: meta_str("family"),
            parameter_size: meta_u64("n_params").map(parameter_size),
            quantization: meta_str("ftype"),
            context_length: meta_u64("n_ctx").or_else(|| meta_u64("context_length")),
        });
    }
    Ok(models)
}

/// `134515008` → `135M`, as Ollama writes sizes.
fn parameter_size(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.1}B", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.0}M", n / 1e6)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama_cpp_model_lists_give_context_and_size() {
        let body = json!({"object":"list","data":[{"id":"smollm2-135m","meta":{"n_ctx":4096,"n_ctx_train":8192,"n_params":134515008u64,"ftype":"Q4_1"}}]});
        let models = parse_models(&body).expect("parses");
        assert_eq!(models.len(), 1);
        assert_eq!(models[0].name, "smollm2-135m");
        assert_eq!(models[0].context_length, Some(4096));
        assert_eq!(models[0].parameter_size.as_deref(), Some("135M"));
        assert_eq!(models[0].quantization.as_deref(), Some("Q4_1"));
        assert!(matches!(
            parse_models(&json!({"models":[]})),
            Err(ModelError::Garbage(_))
        ));
    }

    #[test]
    fn stream_chunks_collect_text_usage_and_finish() {
        let mut answer = Answer::default();
        let seen = std::sync::Mutex::new(String::new());
        let on_text = |t: &str| seen.lock().expect("lock").push_str(t);
        for data in [
            r#"{"choices":[{"delta":{"role":"assistant","content":null}}],"model":"m"}"#,
            r#"{"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}"#,
            r#"{"choices":[{"delta":{},"finish_reason":"length"}]}"#,
            r#"{"choices":[],"usage":{"prompt_tokens":31,"completion_tokens":4}}"#,
            "[DONE]",
        ] {
            answer.take(data, &on_text).expect("takes");
        }
        assert_eq!(answer.streamed.content, "Hi");
        assert_eq!(*seen.lock().expect("lock"), "Hi");
        assert_eq!(
            (answer.streamed.tokens_in, answer.streamed.tokens_out),
            (31, 4)
        );
        assert_eq!(answer.streamed.finish, Some(Finish::Length));
        assert!(answer.done);
        let err = Answer::default().take(r#"{"error":{"message":"boom"}}"#, &on_text);
        assert!(matches!(err, Err(ModelError::Server { .. })));
        assert!(matches!(
            Answer::default().take("nope", &on_text),
            Err(ModelError::Garbage(_))
        ));
    }
}
