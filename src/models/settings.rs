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

impl ModelSettings {
    /// The model servers of the resolved settings. The OpenAI API key is read from
    /// `EDGECODER_OPENAI_API_KEY_FILE` (never from a flag or the environment, so it is never in
    /// `ps` or a shell history); an unreadable file is an error, not a silent "no key".
    pub fn from_resolved(
        resolved: &crate::config::Resolved,
    ) -> Result<ModelSettings, crate::config::ConfigError> {
        let text = |key: &str| {
            resolved
                .get(key)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let positive =
            |key: &str, default: Duration| -> Result<Duration, crate::config::ConfigError> {
                match resolved.duration(key)? {
                    Some(d) if d.is_zero() => {
                        Err(resolved.invalid(key, "must be longer than 0s".into()))
                    }
                    Some(d) => Ok(d),
                    None => Ok(default),
                }
            };
        let defaults = Timeouts::default();
        let timeouts = Timeouts {
            connect: positive("model_connect_timeout", defaults.connect)?,
            idle: positive("model_idle_timeout", defaults.idle)?,
        };
        let num_ctx = resolved.number::<u32>("model_num_ctx")?.unwrap_or(4096);
        let ollama = text("ollama_host").map(|host| (host, text("ollama_model")));
        let openai = match text("openai_base_url") {
            None => None,
            Some(base_url) => {
                let api_key = match text("openai_api_key_file") {
                    None => None,
                    Some(path) => Some(
                        read_key(&path)
                            .map_err(|reason| resolved.invalid("openai_api_key_file", reason))?,
                    ),
                };
                Some(OpenAiSettings {
                    base_url,
                    api_key,
                    model: text("openai_model"),
                })
            }
        };
        Ok(ModelSettings {
            ollama,
            openai,
            timeouts,
            num_ctx,
        })
    }
}

/// The key file's first line; the messages name the file, never its content.
fn read_key(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!("cannot read the API key file {path} ({e}): create it with the key on one line, readable by this user")
    })?;
    let key = text.lines().next().unwrap_or_default().trim().to_string();
    if key.is_empty() {
        return Err(format!(
            "the API key file {path} is empty: put the key on its first line"
        ));
    }
    Ok(key)
}

/// How often an agent re-lists its models (`EDGECODER_MODEL_REFRESH`).
pub fn refresh_interval(
    resolved: &crate::config::Resolved,
) -> Result<Duration, crate::config::ConfigError> {
    match resolved.duration("model_refresh")? {
        Some(d) if d.is_zero() => {
            Err(resolved.invalid("model_refresh", "must be longer than 0s".into()))
        }
        Some(d) => Ok(d),
        None => Ok(Duration::from_secs(30)),
    }
}
