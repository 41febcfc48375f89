//! The local route: this machine's model servers (`models::RawClient`). An OpenAI-compatible
//! server gets the editor's body as written (the model name set to the listed one, streaming
//! and usage always on); Ollama gets it translated (`to_ollama`). Each backend takes at most
//! `EDGECODER_IDE_LOCAL_CONCURRENCY` calls at once: `local-only` waits for a slot,
//! `prefer-local` calls a backend without one busy and goes to the swarm.
//!
//! The model lists are kept for two seconds, so a burst of calls (an editor's autocomplete)
//! does not ask the server for its list before every one.

use super::call::ChatCall;
use super::router::Route;
use super::to_ollama;
use super::upstream::{Opened, Piece, PieceStream, UpstreamError, Usage};
use crate::api::ModelInfo;
use crate::models::{ModelBackend, RawClient, RawKind, RawStream};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

const LIST_TTL: Duration = Duration::from_secs(2);

/// A model one of the local backends serves.
#[derive(Debug, Clone)]
pub struct LocalModel {
    pub info: ModelInfo,
    /// Index of its backend.
    pub backend: usize,
}

struct Backend {
    raw: RawClient,
    slots: Arc<Semaphore>,
}

/// What the last listing found.
#[derive(Clone, Default)]
struct Listing {
    models: Vec<LocalModel>,
    /// Why each backend that did not answer did not.
    down: Vec<String>,
}

pub struct Local {
    backends: Vec<Backend>,
    concurrency: usize,
    /// Ollama's context window (`EDGECODER_MODEL_NUM_CTX`).
    num_ctx: u32,
    cache: Mutex<Option<(Instant, Listing)>>,
}

impl Local {
    pub fn new(clients: Vec<RawClient>, concurrency: usize, num_ctx: u32) -> Local {
        let concurrency = concurrency.max(1);
        Local {
            backends: clients
                .into_iter()
                .map(|raw| Backend {
                    raw,
                    slots: Arc::new(Semaphore::new(concurrency)),
                })
                .collect(),
            concurrency,
            num_ctx,
            cache: Mutex::new(None),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.backends.is_empty()
    }

    /// The configured backends' URLs, for the start-up lines.
    pub fn urls(&self) -> Vec<String> {
        self.backends
            .iter()
            .map(|b| b.raw.url().to_string())
            .collect()
    }

    pub async fn models(&self) -> Vec<LocalModel> {
        self.listing().await.models
    }

    async fn listing(&self) -> Listing {
        if let Ok(cache) = self.cache.lock()
            && let Some((at, listing)) = cache.as_ref()
            && at.elapsed() < LIST_TTL
        {
            return listing.clone();
        }
        let lists = futures_util::future::join_all(
            self.backends.iter().map(|b| b.raw.backend.list_models()),
        )
        .await;
        let mut listing = Listing::default();
        for (i, list) in lists.into_iter().enumerate() {
            match list {
                Ok(models) => listing.models.extend(
                    models
                        .into_iter()
                        .map(|info| LocalModel { info, backend: i }),
                ),
                Err(e) => listing.down.push(e.to_string()),
            }
        }
        if let Ok(mut cache) = self.cache.lock() {
            *cache = Some((Instant::now(), listing.clone()));
        }
        listing
    }

    fn forget_listing(&self) {
        if let Ok(mut cache) = self.cache.lock() {
            *cache = None;
        }
    }

    /// Opens an answer on the backend that serves the model. `wait`: wait for a free slot
    /// (else a busy backend is an `Unavailable`).
    pub async fn open(&self, call: ChatCall, wait: bool) -> Result<Opened, UpstreamError> {
        if self.backends.is_empty() {
            return Err(UpstreamError::Unavailable(
                "no local model server is configured: set OLLAMA_HOST or \
                 EDGECODER_OPENAI_BASE_URL"
                    .into(),
            ));
        }
        let listing = self.listing().await;
        let infos: Vec<ModelInfo> = listing.models.iter().map(|m| m.info.clone()).collect();
        let Some(name) = crate::models::find_listed(&infos, &call.model) else {
            if listing.models.is_empty() && !listing.down.is_empty() {
                return Err(UpstreamError::Unavailable(listing.down.join("; ")));
            }
            return Err(UpstreamError::UnknownModel {
                model: call.model,
                available: infos.into_iter().map(|m| m.name).collect(),
            });
        };
        let Some(index) = listing
            .models
            .iter()
            .find(|m| m.info.name == name)
            .map(|m| m.backend)
        else {
            return Err(UpstreamError::BadGateway("the model list changed".into()));
        };
        let backend = &self.backends[index];
        let permit = if wait {
            backend.slots.clone().acquire_owned().await.map_err(|_| {
                UpstreamError::Unavailable("the local backend is shutting down".into())
            })?
        } else {
            backend.slots.clone().try_acquire_owned().map_err(|_| {
                UpstreamError::Unavailable(format!(
                    "the local model server at {} is busy ({} calls at once)",
                    backend.raw.url(),
                    self.concurrency
                ))
            })?
        };
        let body = match backend.raw.kind {
            RawKind::OpenAi => openai_body(&call, &name),
            RawKind::Ollama => to_ollama::request(&call, &name, self.num_ctx),
        };
        let raw = match backend.raw.open(&body).await {
            Ok(raw) => raw,
            Err(e) => {
                if matches!(e, crate::models::ModelError::Unreachable { .. }) {
                    self.forget_listing();
                }
                return Err(e.into());
            }
        };
        Ok(Opened {
            route: Route::Local,
            model: name,
            pieces: pieces(raw, backend.raw.kind, permit),
        })
    }
}

/// The editor's body for an OpenAI-compatible server: as written, with the listed model name
/// and a stream that ends with the usage.
fn openai_body(call: &ChatCall, model: &str) -> Value {
    let mut body = call.body.clone();
    body.insert("model".into(), json!(model));
    body.insert("stream".into(), json!(true));
    body.insert("stream_options".into(), json!({"include_usage": true}));
    Value::Object(body)
}

/// The stream of pieces from the server's events; the slot is held until the stream is dropped.
fn pieces(raw: RawStream, kind: RawKind, permit: OwnedSemaphorePermit) -> PieceStream {
    let state = Pieces {
        raw,
        kind,
        ready: VecDeque::new(),
        finished: false,
        ended: false,
        _permit: permit,
    };
    Box::pin(futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(piece) = s.ready.pop_front() {
                return Some((Ok(piece), s));
            }
            if s.ended {
                return None;
            }
            match s.raw.next().await {
                Some(Ok(event)) => {
                    let taken = match s.kind {
                        RawKind::OpenAi => openai_pieces(&event),
                        RawKind::Ollama => to_ollama::pieces(&event),
                    };
                    match taken {
                        Ok(pieces) => {
                            s.finished |= pieces.iter().any(|p| matches!(p, Piece::Finish(_)));
                            s.ready.extend(pieces);
                        }
                        Err(e) => {
                            s.ended = true;
                            return Some((Err(e), s));
                        }
                    }
                }
                Some(Err(e)) => {
                    s.ended = true;
                    return Some((Err(e.into()), s));
                }
                None => {
                    s.ended = true;
                    if !s.finished {
                        return Some((
                            Err(UpstreamError::BadGateway(
                                "the model server's answer ended before it was done".into(),
                            )),
                            s,
                        ));
                    }
                }
            }
        }
    }))
}

struct Pieces {
    raw: RawStream,
    kind: RawKind,
    ready: VecDeque<Piece>,
    finished: bool,
    ended: bool,
    _permit: OwnedSemaphorePermit,
}

/// The pieces of one OpenAI chunk.
pub fn openai_pieces(chunk: &Value) -> Result<Vec<Piece>, UpstreamError> {
    if let Some(error) = chunk.get("error") {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .or_else(|| error.as_str())
            .unwrap_or("an error without a message");
        return Err(UpstreamError::BadGateway(format!(
            "the model server said: {message}"
        )));
    }
    let mut pieces = Vec::new();
    if let Some(choice) = chunk
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
    {
        let delta = choice.get("delta");
        if let Some(text) = delta
            .and_then(|d| d.get("content"))
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            pieces.push(Piece::Text(text.to_string()));
        }
        if let Some(calls) = delta
            .and_then(|d| d.get("tool_calls"))
            .and_then(Value::as_array)
            .filter(|c| !c.is_empty())
        {
            pieces.push(Piece::ToolCalls(calls.clone()));
        }
        if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
            pieces.push(Piece::Finish(reason.to_string()));
        }
    }
    if let Some(usage) = chunk.get("usage").filter(|u| u.is_object()) {
        let count = |key: &str| usage.get(key).and_then(Value::as_u64).unwrap_or(0);
        pieces.push(Piece::Usage(Usage {
            prompt_tokens: count("prompt_tokens"),
            completion_tokens: count("completion_tokens"),
        }));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_chunks_become_pieces() {
        let take = |v: Value| openai_pieces(&v).expect("pieces");
        assert_eq!(
            take(json!({"choices":[{"delta":{"role":"assistant","content":""}}]})),
            vec![]
        );
        assert_eq!(
            take(json!({"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]})),
            vec![Piece::Text("Hi".into())]
        );
        assert_eq!(
            take(
                json!({"choices":[{"delta":{"tool_calls":[{"index":0}]},"finish_reason":"tool_calls"}]})
            ),
            vec![
                Piece::ToolCalls(vec![json!({"index":0})]),
                Piece::Finish("tool_calls".into())
            ]
        );
        assert_eq!(
            take(json!({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}})),
            vec![Piece::Usage(Usage {
                prompt_tokens: 3,
                completion_tokens: 4
            })]
        );
        assert!(openai_pieces(&json!({"error":{"message":"boom"}})).is_err());
    }
}
