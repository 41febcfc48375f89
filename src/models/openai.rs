//! OpenAI-compatible chat completions: `/v1/models`, `/v1/chat/completions` streamed as SSE.
//! SKELETON: the models helper writes this client.

use super::{ChatAnswer, ChatRequest, ModelBackend, ModelError};
use crate::api::ModelInfo;

#[derive(Debug, Clone)]
pub struct OpenAiClient {
    url: String,
}

impl ModelBackend for OpenAiClient {
    fn kind(&self) -> &'static str {
        "openai"
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
