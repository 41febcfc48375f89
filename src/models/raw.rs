//! The pass-through streaming client the IDE provider uses: an editor's chat body goes to the
//! model server nearly as written (tools, response_format, stop… all kept), and the server's own
//! stream comes back as JSON values, one per SSE event (OpenAI-compatible) or NDJSON line
//! (Ollama). The typed [`super::ModelBackend`] calls build their own bodies and keep only the
//! text; an editor needs everything the server says, so this sits beside them.
//!
//! Timeouts and error mapping are `models::http`'s, the SSE parser is `api::sse`'s. Dropping the
//! stream drops the HTTP response, which closes the connection: the model server sees the client
//! leave and stops generating.

use super::http;
use super::{Backend, ModelError, ModelSettings, OllamaClient, OpenAiClient, Timeouts};
use crate::api::sse::SseParser;
use futures_util::Stream;
use serde_json::Value;
use std::collections::VecDeque;
use std::pin::Pin;

/// The server's answer, one JSON value per event, in order; ends after `[DONE]` (OpenAI) or the
/// line with `"done": true` (Ollama).
pub type RawStream = Pin<Box<dyn Stream<Item = Result<Value, ModelError>> + Send>>;

/// Which wire protocol a raw client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    OpenAi,
    Ollama,
}

/// One configured model server, for pass-through calls; `backend` is the typed client of the
/// same server (its model list).
#[derive(Clone)]
pub struct RawClient {
    pub kind: RawKind,
    pub backend: Backend,
    /// The configured default model, if any.
    pub default_model: Option<String>,
    url: String,
    api_key: Option<String>,
    timeouts: Timeouts,
    http: reqwest::Client,
}

impl std::fmt::Debug for RawClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawClient")
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

impl RawClient {
    /// Every model server the settings name, Ollama first (the order of `Backends`).
    pub fn from_settings(settings: &ModelSettings) -> Result<Vec<RawClient>, ModelError> {
        let mut clients = Vec::new();
        if let Some((host, model)) = &settings.ollama {
            let url = http::base_url(host, "", "OLLAMA_HOST").map_err(ModelError::Settings)?;
            clients.push(RawClient {
                kind: RawKind::Ollama,
                backend: Backend::Ollama(OllamaClient::new(host, settings.timeouts)?),
                default_model: model.clone(),
                http: http::client(settings.timeouts, "ollama", &url)?,
                url,
                api_key: None,
                timeouts: settings.timeouts,
            });
        }
        if let Some(openai) = &settings.openai {
            let url = http::base_url(&openai.base_url, "/v1", "EDGECODER_OPENAI_BASE_URL")
                .map_err(ModelError::Settings)?;
            let backend =
                OpenAiClient::new(&openai.base_url, openai.api_key.clone(), settings.timeouts)?;
            clients.push(RawClient {
                kind: RawKind::OpenAi,
                backend: Backend::OpenAi(backend),
                default_model: openai.model.clone(),
                http: http::client(settings.timeouts, "openai", &url)?,
                url,
                api_key: openai.api_key.clone().filter(|k| !k.trim().is_empty()),
                timeouts: settings.timeouts,
            });
        }
        Ok(clients)
    }

    /// The server's base URL, for messages.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            RawKind::OpenAi => "openai",
            RawKind::Ollama => "ollama",
        }
    }

    /// Posts `body` to the server's streaming chat endpoint (`/v1/chat/completions` or
    /// `/api/chat`) and returns its events once the server answered with a success status.
    pub async fn open(&self, body: &Value) -> Result<RawStream, ModelError> {
        let (path, framing) = match self.kind {
            RawKind::OpenAi => ("/v1/chat/completions", Framing::Sse(SseParser::default())),
            RawKind::Ollama => ("/api/chat", Framing::Ndjson(Vec::new())),
        };
        let mut builder = self.http.post(format!("{}{path}", self.url)).json(body);
        if let Some(key) = &self.api_key {
            builder = builder.bearer_auth(key.trim());
        }
        let response = http::send(builder, self.timeouts.idle, self.kind_name(), &self.url).await?;
        let state = Reading {
            response,
            framing,
            ready: VecDeque::new(),
            idle: self.timeouts.idle,
            finished: false,
        };
        Ok(Box::pin(futures_util::stream::unfold(state, next_event)))
    }
}

/// How the events of a body are cut apart.
enum Framing {
    Sse(SseParser),
    Ndjson(Vec<u8>),
}

struct Reading {
    response: reqwest::Response,
    framing: Framing,
    ready: VecDeque<Result<Value, ModelError>>,
    idle: std::time::Duration,
    finished: bool,
}

async fn next_event(mut state: Reading) -> Option<(Result<Value, ModelError>, Reading)> {
    loop {
        if let Some(event) = state.ready.pop_front() {
            if event.is_err() {
                state.finished = true;
                state.ready.clear();
            }
            return Some((event, state));
        }
        if state.finished {
            return None;
        }
        match http::chunk(&mut state.response, state.idle).await {
            Err(e) => {
                state.finished = true;
                return Some((Err(e), state));
            }
            Ok(None) => {
                state.finished = true;
                // Ollama's last line may come without its newline.
                if let Framing::Ndjson(buf) = &mut state.framing {
                    let rest = std::mem::take(buf);
                    if !rest.iter().all(u8::is_ascii_whitespace) {
                        return Some((parse_line(&rest), state));
                    }
                }
                return None;
            }
            Ok(Some(bytes)) => state.split(&bytes),
        }
    }
}

impl Reading {
    fn split(&mut self, bytes: &[u8]) {
        match &mut self.framing {
            Framing::Sse(parser) => {
                parser.push(bytes);
                while let Some(frame) = parser.next_frame() {
                    if frame.data.trim() == "[DONE]" {
                        self.finished = true;
                        return;
                    }
                    self.ready
                        .push_back(serde_json::from_str(&frame.data).map_err(|e| {
                            ModelError::Garbage(format!("a stream event that is not JSON: {e}"))
                        }));
                }
            }
            Framing::Ndjson(buf) => {
                buf.extend_from_slice(bytes);
                while let Some(pos) = buf.iter().position(|&b| b == b'\n') {
                    let line: Vec<u8> = buf.drain(..=pos).collect();
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let value = parse_line(&line);
                    let done = matches!(&value, Ok(v) if v.get("done") == Some(&Value::Bool(true)));
                    self.ready.push_back(value);
                    if done {
                        self.finished = true;
                        return;
                    }
                }
            }
        }
    }
}

fn parse_line(line: &[u8]) -> Result<Value, ModelError> {
    serde_json::from_slice(line)
        .map_err(|e| ModelError::Garbage(format!("a stream line that is not JSON: {e}")))
}
