//! Ollama's wire protocol: `/api/tags`, `/api/show`, `/api/chat` streamed as NDJSON.
//! SKELETON: the models helper writes this client.

use super::{ChatAnswer, ChatRequest, ModelBackend, ModelError, Timeouts};
use crate::api::ModelInfo;

#[derive(Debug, Clone)]
pub struct OllamaClient {
    url: String,
}

impl OllamaClient {
    pub fn new(host: &str, _timeouts: Timeouts) -> Result<OllamaClient, ModelError> {
        Ok(OllamaClient {
            url: host.to_string(),
        })
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
        Err(ModelError::NoBackend)
    }

    async fn chat(
        &self,
        _request: &ChatRequest,
        _on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<ChatAnswer, ModelError> {
        Err(ModelError::NoBackend)
    }
}
