//! Ollama's wire protocol: `/api/tags`, `/api/show`, `/api/chat` streamed as NDJSON.
//!
//! Every line of a stream is checked for `{"error":…}`: Ollama reports a failure that happens
//! mid-answer (out of memory, a model that failed to load) as one more line, with HTTP 200.

use super::http::{self, clip};
use super::{
    ChatAnswer, ChatRequest, Finish, Message, ModelBackend, ModelError, Streamed, Timeouts,
};
use crate::api::ModelInfo;
use serde_json::{Value, json};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct OllamaClient {
    url: String,
    timeouts: Timeouts,
    http: reqwest::Client,
}

impl OllamaClient {
    /// `host` as `OLLAMA_HOST` writes it: `host:port` or `http://host:port`.
    pub fn new(host: &str, timeouts: Timeouts) -> Result<OllamaClient, ModelError> {
        let url = http::base_url(host, "", "OLLAMA_HOST").map_err(ModelError::Settings)?;
        let http = http::client(timeouts, "ollama", &url)?;
        Ok(OllamaClient {
            url,
            timeouts,
            http,
        })
    }

    async fn names(&self) -> Result<Vec<String>, ModelError> {
        let response = http::send(
            self.http.get(format!("{}/api/tags", self.url)),
            self.timeouts.idle,
            "ollama",
            &self.url,
        )
        .await?;
        let tags: Value = http::json(response, self.timeouts.idle, "the model list").await?;
        let models = tags
            .get("models")
            .and_then(Value::as_array)
            .ok_or_else(|| ModelError::Garbage("the model list has no \"models\" array".into()))?;
        models
            .iter()
            .map(|m| {
                m.get("name")
                    .or_else(|| m.get("model"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| ModelError::Garbage("a model in the list has no name".into()))
            })
            .collect()
    }

    /// `/api/show`: what Ollama says about one model.
    async fn show(&self, name: &str) -> Result<ModelInfo, ModelError> {
        let response = http::send(
            self.http
                .post(format!("{}/api/show", self.url))
                .json(&json!({"model": name})),
            self.timeouts.idle,
            "ollama",
            &self.url,
        )
        .await?;
        let show: Value = http::json(response, self.timeouts.idle, "a model's details").await?;
        Ok(model_info(name, &show))
    }
}

impl ModelBackend for OllamaClient {
    fn kind(&self) -> &'static str {
        "ollama"
    }

    fn url(&self) -> &str {
        &self.url
    }

    async fn list_models(&self) -> Result<Vec<ModelInfo>, ModelError> {
        let names = self.names().await?;
        let mut models = Vec::with_capacity(names.len());
        for name in names {
            // A model whose details cannot be read is still served: list it without them; a
            // server that stopped answering is not.
            let info = match self.show(&name).await {
                Ok(info) => info,
                Err(e @ (ModelError::Unreachable { .. } | ModelError::Stalled { .. })) => {
                    return Err(e);
                }
                Err(_) => model_info(&name, &Value::Null),
            };
            models.push(info);
        }
        Ok(models)
    }

    async fn chat(
        &self,
        request: &ChatRequest,
        on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<ChatAnswer, ModelError> {
        let started = Instant::now();
        let messages: Vec<Value> = request.messages.iter().map(Message::to_wire).collect();
        let s = request.sampling;
        let mut body = json!({
            "model": request.model,
            "messages": messages,
            "stream": true,
            "options": {
                "temperature": s.temperature,
                "seed": s.seed,
                "num_predict": s.max_tokens,
                "num_ctx": s.num_ctx,
            },
        });
        if let Some(schema) = &request.schema {
            body["format"] = schema.schema.clone();
        }
        let builder = self.http.post(format!("{}/api/chat", self.url)).json(&body);
        let mut response = match http::send(builder, self.timeouts.idle, "ollama", &self.url).await
        {
            Err(ModelError::Server {
                status: Some(404), ..
            }) => {
                let available = self.names().await.unwrap_or_default();
                return Err(ModelError::NotInstalled {
                    model: request.model.clone(),
                    available,
                });
            }
            other => other?,
        };
        let mut answer = Streamed::new(&request.model);
        let mut buf: Vec<u8> = Vec::new();
        while let Some(piece) = http::chunk(&mut response, self.timeouts.idle).await? {
            buf.extend_from_slice(&piece);
            while let Some(pos) = buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = buf.drain(..=pos).collect();
                answer.take_ndjson_line(&line, on_text)?;
            }
            if answer.finish.is_some() {
                break;
            }
        }
        if answer.finish.is_none() && !buf.is_empty() {
            answer.take_ndjson_line(&buf, on_text)?; // a last line without its newline
        }
        let Some(finish) = answer.finish.take() else {
            return Err(ModelError::Cut(format!(
                "no \"done\": true line after {} characters",
                answer.content.len()
            )));
        };
        Ok(answer.into_answer(finish, started))
    }
}

impl Streamed {
    /// Folds one NDJSON line of `/api/chat` into the answer.
    fn take_ndjson_line(
        &mut self,
        line: &[u8],
        on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<(), ModelError> {
        let text = String::from_utf8_lossy(line);
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        let chunk: Value = serde_json::from_str(text).map_err(|e| {
            ModelError::Garbage(format!(
                "a stream line that is not JSON ({e}): {}",
                clip(text)
            ))
        })?;
        if let Some(error) = chunk.get("error") {
            return Err(ModelError::Server {
                status: None,
                message: error
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| error.to_string()),
            });
        }
        if !chunk.is_object() {
            return Err(ModelError::Garbage(format!(
                "a stream line that is not a chat chunk: {}",
                clip(text)
            )));
        }
        if let Some(model) = chunk.get("model").and_then(Value::as_str) {
            self.model = model.to_string();
        }
        if let Some(piece) = chunk
            .get("message")
            .and_then(|m| m.get("content"))
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            self.push_text(piece, on_text);
        }
        if chunk.get("done").and_then(Value::as_bool) == Some(true) {
            let count = |key: &str| chunk.get(key).and_then(Value::as_u64).unwrap_or(0);
            self.tokens_in = count("prompt_eval_count");
            self.tokens_out = count("eval_count");
            self.finish = Some(
                chunk
                    .get("done_reason")
                    .and_then(Value::as_str)
                    .map_or(Finish::Stop, Finish::from_reason),
            );
        }
        Ok(())
    }
}

/// `/api/show`'s `details` (family, parameter_size, quantization_level) and `model_info`
/// (`<architecture>.context_length`).
fn model_info(name: &str, show: &Value) -> ModelInfo {
    let details = show.get("details");
    let detail = |key: &str| {
        details
            .and_then(|d| d.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let info = show.get("model_info");
    let arch = info
        .and_then(|i| i.get("general.architecture"))
        .and_then(Value::as_str);
    let context_length = arch
        .and_then(|a| info?.get(format!("{a}.context_length"))?.as_u64())
        .or_else(|| {
            info?
                .as_object()?
                .iter()
                .find_map(|(k, v)| k.ends_with(".context_length").then(|| v.as_u64()).flatten())
        });
    ModelInfo {
        name: name.to_string(),
        backend: "ollama".into(),
        family: detail("family"),
        parameter_size: detail("parameter_size"),
        quantization: detail("quantization_level"),
        context_length,
    }
}
