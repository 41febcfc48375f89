//! Which model servers this machine uses, read from the settings (`OLLAMA_HOST`, `OLLAMA_MODEL`,
//! `EDGECODER_OPENAI_BASE_URL`, `EDGECODER_OPENAI_API_KEY_FILE`, `EDGECODER_OPENAI_MODEL`, the
//! timeouts).

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To open the connection.
    pub connect: Duration,
    /// The longest silence on an open stream, the first byte included (a cold model load can
    /// take a minute).
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            idle: Duration::from_secs(120),
        }
    }
}

/// The model servers configured on this machine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelSettings {
    /// Ollama's base URL and its default model.
    pub ollama: Option<(String, Option<String>)>,
    /// An OpenAI-compatible server's base URL (without `/v1`), its API key, its default model.
    pub openai: Option<OpenAiSettings>,
    pub timeouts: Timeouts,
    pub num_ctx: u32,
}

#[derive(Clone, Default, PartialEq)]
pub struct OpenAiSettings {
    pub base_url: String,
    /// Read from the key file; never printed.
    pub api_key: Option<String>,
    pub model: Option<String>,
}

impl std::fmt::Debug for OpenAiSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("model", &self.model)
            .finish()
    }
}
