//! Every backend a node is configured with, as one: detection (each backend's models, and each
//! backend's reachability, so "Ollama is down" never reads as "no models") and the choice of
//! the backend and model for a call.
//!
//! `choose` checks the wanted model against each backend's list instead of asking the server:
//! llama.cpp's server answers for any model name with the one model it loaded, so trusting it
//! would run a task on a model nobody asked for.

use super::{
    Backend, Backends, Chosen, Detected, ModelBackend, ModelError, ModelSettings, OllamaClient,
    OpenAiClient,
};
use crate::api::{BackendStatus, ModelInfo};

impl Backends {
    /// The backends the settings name, Ollama first (its default model is the node's default
    /// when both are configured).
    pub fn from_settings(settings: &ModelSettings) -> Result<Backends, ModelError> {
        let mut backends = Vec::new();
        if let Some((host, model)) = &settings.ollama {
            let client = OllamaClient::new(host, settings.timeouts)?;
            backends.push((Backend::Ollama(client), model.clone()));
        }
        if let Some(openai) = &settings.openai {
            let client =
                OpenAiClient::new(&openai.base_url, openai.api_key.clone(), settings.timeouts)?;
            backends.push((Backend::OpenAi(client), openai.model.clone()));
        }
        Ok(Backends {
            backends,
            num_ctx: settings.num_ctx,
            raw: super::RawClient::from_settings(settings)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.backends.is_empty()
    }

    /// Lists every backend's models, all at once.
    pub async fn detect(&self) -> Detected {
        let lists = futures_util::future::join_all(
            self.backends
                .iter()
                .map(|(backend, _)| backend.list_models()),
        )
        .await;
        let mut detected = Detected::default();
        for ((backend, _), list) in self.backends.iter().zip(lists) {
            let (reachable, error) = match list {
                Ok(models) => {
                    detected.models.extend(models);
                    (true, None)
                }
                Err(e) => (false, Some(e.to_string())),
            };
            detected.backends.push(BackendStatus {
                backend: backend.kind().to_string(),
                url: backend.url().to_string(),
                reachable,
                error,
            });
        }
        detected
    }

    /// The backend and model for a call. `wanted`: the backend that lists it. None: the first
    /// backend's configured default model, else the first model it lists.
    pub async fn choose(&self, wanted: Option<&str>) -> Result<Chosen, ModelError> {
        if self.backends.is_empty() {
            return Err(ModelError::NoBackend);
        }
        let mut available: Vec<String> = Vec::new();
        let mut first_error: Option<ModelError> = None;
        let mut answered = false;
        for (backend, default) in &self.backends {
            let models = match backend.list_models().await {
                Ok(models) => models,
                Err(e) => {
                    first_error.get_or_insert(e);
                    continue;
                }
            };
            answered = true;
            let pick = match wanted {
                Some(name) => find(&models, name),
                None => default
                    .as_deref()
                    .and_then(|d| find(&models, d))
                    .or_else(|| models.first().map(|m| m.name.clone())),
            };
            if let Some(model) = pick {
                return Ok(Chosen {
                    backend: backend.clone(),
                    model,
                });
            }
            available.extend(models.into_iter().map(|m| m.name));
        }
        if !answered && let Some(e) = first_error {
            return Err(e);
        }
        Err(ModelError::NotInstalled {
            model: wanted
                .map(str::to_string)
                .or_else(|| self.backends.first().and_then(|(_, d)| d.clone()))
                .unwrap_or_else(|| "(any)".into()),
            available,
        })
    }
}

/// The listed name for `name`: exact, or Ollama's implied `:latest` tag either way.
pub(crate) fn find(models: &[ModelInfo], name: &str) -> Option<String> {
    let bare = |n: &str| n.strip_suffix(":latest").unwrap_or(n).to_string();
    models
        .iter()
        .find(|m| m.name == name)
        .or_else(|| models.iter().find(|m| bare(&m.name) == bare(name)))
        .map(|m| m.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(names: &[&str]) -> Vec<ModelInfo> {
        names
            .iter()
            .map(|n| ModelInfo {
                name: n.to_string(),
                ..ModelInfo::default()
            })
            .collect()
    }

    #[test]
    fn a_wanted_model_matches_its_listed_name_with_ollamas_implied_tag() {
        let models = listed(&["llama3:latest", "qwen2.5-coder:7b"]);
        assert_eq!(find(&models, "llama3").as_deref(), Some("llama3:latest"));
        assert_eq!(
            find(&models, "qwen2.5-coder:7b").as_deref(),
            Some("qwen2.5-coder:7b")
        );
        assert_eq!(find(&models, "qwen2.5-coder"), None);
        assert_eq!(find(&listed(&["m"]), "m:latest").as_deref(), Some("m"));
    }

    #[tokio::test]
    async fn no_backend_is_no_backend() {
        let err = Backends::default().choose(None).await.expect_err("none");
        assert_eq!(err, ModelError::NoBackend);
        assert!(Backends::default().detect().await.backends.is_empty());
    }
}
