//! Model backends: the language models a node serves, reached over the two wire protocols that
//! local model servers speak — Ollama's (`ollama`) and OpenAI's chat completions (`openai`:
//! llama.cpp's server, vLLM, LM Studio…). One trait, [`ModelBackend`], so the coding loop and
//! detection never care which.
//!
//! Every call is deterministic on request (temperature, seed, an output limit, and for Ollama
//! `num_ctx`, always sent), bounded by a connect timeout and an idle-stream timeout, and reports
//! a cut-off answer (`length`) instead of passing it off as complete.

mod backends;
mod error;
mod http;
mod ollama;
mod openai;
mod raw;
mod settings;

pub(crate) use backends::find as find_listed;
pub use error::ModelError;
pub use ollama::OllamaClient;
pub use openai::OpenAiClient;
pub use raw::{RawClient, RawKind, RawStream};
pub use settings::{ModelSettings, OpenAiSettings, Timeouts, refresh_interval};

use crate::api::{BackendStatus, ModelInfo};
use std::future::Future;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn new(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: content.into(),
        }
    }
}

/// What makes an answer reproducible and bounded; sent with every call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sampling {
    pub temperature: f32,
    pub seed: u64,
    /// The most tokens the answer may have.
    pub max_tokens: u32,
    /// Context window asked of Ollama (`num_ctx`); OpenAI-compatible servers fix theirs at load.
    pub num_ctx: u32,
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            temperature: 0.0,
            seed: 42,
            max_tokens: 1024,
            num_ctx: 4096,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
    pub sampling: Sampling,
    /// A JSON schema the answer must follow: sent as Ollama's `format` and as OpenAI's
    /// `response_format` (llama.cpp's server turns it into a grammar).
    pub schema: Option<OutputSchema>,
}

/// A named JSON schema for constrained output (OpenAI's `json_schema.name` is required).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSchema {
    pub name: String,
    pub schema: serde_json::Value,
}

/// Why the model stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// It was done.
    Stop,
    /// It hit the output limit: the answer is cut off.
    Length,
    /// Anything else the server said.
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatAnswer {
    pub content: String,
    /// Tokens of the prompt, as the server counted them.
    pub tokens_in: u64,
    /// Tokens of the answer.
    pub tokens_out: u64,
    pub finish: Finish,
    /// The model that answered, as the server names it.
    pub model: String,
    /// From sending the request to the last byte of the answer.
    pub elapsed: Duration,
}

impl Finish {
    /// A server's word for why it stopped; Ollama's `done_reason` and OpenAI's `finish_reason`
    /// use the same ones.
    pub fn from_reason(reason: &str) -> Finish {
        match reason {
            "stop" => Finish::Stop,
            "length" => Finish::Length,
            other => Finish::Other(other.to_string()),
        }
    }
}

impl Message {
    /// The message as both protocols write it: `{"role": …, "content": …}`.
    fn to_wire(&self) -> serde_json::Value {
        serde_json::json!({"role": self.role.as_str(), "content": self.content})
    }
}

/// An answer as it streams in, whichever protocol carries it.
#[derive(Debug, Default)]
struct Streamed {
    content: String,
    tokens_in: u64,
    tokens_out: u64,
    finish: Option<Finish>,
    model: String,
}

impl Streamed {
    fn new(model: &str) -> Streamed {
        Streamed {
            model: model.to_string(),
            ..Streamed::default()
        }
    }

    /// A piece of the answer's text: kept, and handed to the caller as it arrives.
    fn push_text(&mut self, piece: &str, on_text: &(dyn Fn(&str) + Send + Sync)) {
        if !piece.is_empty() {
            on_text(piece);
            self.content.push_str(piece);
        }
    }

    fn into_answer(self, finish: Finish, started: std::time::Instant) -> ChatAnswer {
        ChatAnswer {
            content: self.content,
            tokens_in: self.tokens_in,
            tokens_out: self.tokens_out,
            finish,
            model: self.model,
            elapsed: started.elapsed(),
        }
    }
}

/// One wire protocol to one server.
pub trait ModelBackend: Send + Sync {
    /// `ollama` or `openai`: the name in capabilities, results and settings.
    fn kind(&self) -> &'static str;
    /// The server's base URL, for messages.
    fn url(&self) -> &str;
    /// The models the server serves now, with what it says about them.
    fn list_models(&self) -> impl Future<Output = Result<Vec<ModelInfo>, ModelError>> + Send;
    /// One streamed chat call; `on_text` gets each piece of the answer as it arrives.
    fn chat(
        &self,
        request: &ChatRequest,
        on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> impl Future<Output = Result<ChatAnswer, ModelError>> + Send;
}

/// A configured backend of either kind.
#[derive(Debug, Clone)]
pub enum Backend {
    Ollama(OllamaClient),
    OpenAi(OpenAiClient),
}

impl ModelBackend for Backend {
    fn kind(&self) -> &'static str {
        match self {
            Backend::Ollama(c) => c.kind(),
            Backend::OpenAi(c) => c.kind(),
        }
    }

    fn url(&self) -> &str {
        match self {
            Backend::Ollama(c) => c.url(),
            Backend::OpenAi(c) => c.url(),
        }
    }

    async fn list_models(&self) -> Result<Vec<ModelInfo>, ModelError> {
        match self {
            Backend::Ollama(c) => c.list_models().await,
            Backend::OpenAi(c) => c.list_models().await,
        }
    }

    async fn chat(
        &self,
        request: &ChatRequest,
        on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<ChatAnswer, ModelError> {
        match self {
            Backend::Ollama(c) => c.chat(request, on_text).await,
            Backend::OpenAi(c) => c.chat(request, on_text).await,
        }
    }
}

/// Every backend this node is configured with, and each one's default model.
#[derive(Debug, Clone, Default)]
pub struct Backends {
    pub backends: Vec<(Backend, Option<String>)>,
    /// Context window asked of Ollama with every call (`EDGECODER_MODEL_NUM_CTX`); 0 before
    /// [`Backends::from_settings`] set it, which callers read as the default.
    pub num_ctx: u32,
    /// The same servers for pass-through calls (an inference task: the editor's body as written).
    pub raw: Vec<RawClient>,
}

impl Backends {
    /// The context window to ask for: the setting, else [`Sampling`]'s default.
    pub fn num_ctx(&self) -> u32 {
        if self.num_ctx == 0 {
            Sampling::default().num_ctx
        } else {
            self.num_ctx
        }
    }
}

/// What detection found: the models of every backend that answered, and each backend's status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detected {
    pub models: Vec<ModelInfo>,
    pub backends: Vec<BackendStatus>,
}

/// A backend and the model on it that a call should use.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub backend: Backend,
    pub model: String,
}
