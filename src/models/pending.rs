//! TEMPORARY (i14-loop): `ModelSettings::from_resolved` as the models part will provide it, so the
//! loop's end-to-end tests run before that lands. Reads the process env only. Deleted at the merge.

use super::{ModelError, ModelSettings, OpenAiSettings};

impl ModelSettings {
    pub fn from_resolved(_r: &crate::config::Resolved) -> Result<ModelSettings, ModelError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Ok(ModelSettings {
            ollama: var("OLLAMA_HOST").map(|h| (h, var("OLLAMA_MODEL"))),
            openai: var("EDGECODER_OPENAI_BASE_URL").map(|base_url| OpenAiSettings {
                base_url,
                api_key: None,
                model: var("EDGECODER_OPENAI_MODEL"),
            }),
            num_ctx: 4096,
            ..ModelSettings::default()
        })
    }
}
