//! How each setting gets its value (flag, environment, env file, config file, default), with where
//! it came from. The table of settings itself is `setting_table`.

use super::envfile;
use super::paths;
pub use super::setting_table::{SETTINGS, SettingDef};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    EnvFile(PathBuf),
    ConfigFile(PathBuf),
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag => write!(f, "flag"),
            Source::Env => write!(f, "environment"),
            Source::EnvFile(p) => write!(f, "env file {}", p.display()),
            Source::ConfigFile(p) => write!(f, "config file {}", p.display()),
            Source::Default => write!(f, "default"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {path}: {reason}")]
    ConfigFile { path: PathBuf, reason: String },
    #[error("{0}; fix that line (`edgecoder env edit`, or any editor) and try again")]
    EnvFile(String),
    #[error("{key} ({env}) from {source_name}: {reason}")]
    Invalid {
        key: String,
        env: String,
        source_name: String,
        reason: String,
    },
}

/// Where to look, from `--config` / `--env-file` (or their environment variables).
#[derive(Debug, Default, Clone)]
pub struct Discovery {
    pub config_file: Option<PathBuf>,
    pub env_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Resolved {
    values: BTreeMap<&'static str, (String, Source)>,
    pub config_file: Option<PathBuf>,
    pub env_file: PathBuf,
    pub env_file_exists: bool,
}

/// Resolves every setting. `flags` maps setting keys to values given on the command line.
pub fn resolve(
    flags: &BTreeMap<&'static str, String>,
    discovery: &Discovery,
) -> Result<Resolved, ConfigError> {
    let env_file_path = discovery
        .env_file
        .clone()
        .or_else(|| std::env::var_os("EDGECODER_ENV_FILE").map(PathBuf::from))
        .unwrap_or_else(paths::default_env_file);
    let env_file =
        envfile::load(&env_file_path).map_err(|e| ConfigError::EnvFile(e.to_string()))?;
    let (config_file, config_values) = load_config_file(discovery)?;
    let mut values = BTreeMap::new();
    for s in SETTINGS {
        let found = flags
            .get(s.key)
            .map(|v| (v.clone(), Source::Flag))
            .or_else(|| {
                // Through `hardening`: a daemon has taken its secrets out of the environment.
                crate::hardening::env_var(s.env)
                    .filter(|v| !v.is_empty())
                    .map(|v| (v, Source::Env))
            })
            .or_else(|| {
                env_file
                    .as_ref()
                    .and_then(|f| f.get(s.env))
                    .filter(|v| !v.is_empty())
                    .map(|v| (v.to_string(), Source::EnvFile(env_file_path.clone())))
            })
            .or_else(|| {
                let path = config_file.clone()?;
                config_values
                    .get(s.key)
                    .map(|v| (v.clone(), Source::ConfigFile(path)))
            })
            .or_else(|| s.default.map(|d| (d.to_string(), Source::Default)));
        if let Some((value, source)) = found {
            // Flags are already typed by clap (and `--port 0` asks for any free port).
            if !matches!(source, Source::Default | Source::Flag)
                && let Err(reason) = envfile::validate_known(s.env, &value)
            {
                return Err(ConfigError::Invalid {
                    key: s.key.into(),
                    env: s.env.into(),
                    source_name: source.to_string(),
                    reason,
                });
            }
            values.insert(s.key, (value, source));
        }
    }
    Ok(Resolved {
        values,
        config_file,
        env_file_exists: env_file.is_some(),
        env_file: env_file_path,
    })
}

fn load_config_file(
    discovery: &Discovery,
) -> Result<(Option<PathBuf>, BTreeMap<String, String>), ConfigError> {
    let explicit = discovery
        .config_file
        .clone()
        .or_else(|| std::env::var_os("EDGECODER_CONFIG").map(PathBuf::from));
    let path = match explicit {
        Some(p) => {
            if !p.exists() {
                return Err(ConfigError::ConfigFile {
                    path: p,
                    reason: "does not exist (given by --config or EDGECODER_CONFIG)".into(),
                });
            }
            p
        }
        None => match paths::config_candidates().into_iter().find(|p| p.exists()) {
            Some(p) => p,
            None => return Ok((None, BTreeMap::new())),
        },
    };
    let values = parse_config_file(&path)?;
    Ok((Some(path), values))
}

fn parse_config_file(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let err = |reason: String| ConfigError::ConfigFile {
        path: path.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        // The line the error starts on: newlines before it, plus one. (Counting `lines()` of the
        // text before it is one short when the error starts a line, as a duplicate key does.)
        let line = e.span().map(|s| {
            text.as_bytes()[..s.start.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        });
        match line {
            Some(n) => err(format!("line {n}: {}", e.message())),
            None => err(e.message().to_string()),
        }
    })?;
    let mut out = BTreeMap::new();
    for (key, value) in table {
        if !SETTINGS.iter().any(|s| s.key == key) {
            return Err(err(format!(
                "unknown setting {key:?}; known settings: {}",
                SETTINGS
                    .iter()
                    .map(|s| s.key)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Float(f) => f.to_string(),
            other => {
                return Err(err(format!(
                    "{key} must be a string, number or boolean, not {}",
                    other.type_str()
                )));
            }
        };
        out.insert(key, text);
    }
    Ok(out)
}

impl Resolved {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|(v, _)| v.as_str())
    }

    pub fn source(&self, key: &str) -> Option<&Source> {
        self.values.get(key).map(|(_, s)| s)
    }

    /// Every setting with its value and source (None when unset), in table order.
    pub fn all(&self) -> impl Iterator<Item = (&'static SettingDef, Option<&(String, Source)>)> {
        SETTINGS.iter().map(|s| (s, self.values.get(s.key)))
    }

    pub fn invalid(&self, key: &str, reason: String) -> ConfigError {
        let def = SETTINGS.iter().find(|s| s.key == key);
        ConfigError::Invalid {
            key: key.into(),
            env: def.map(|d| d.env).unwrap_or_default().into(),
            source_name: self
                .source(key)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "default".into()),
            reason,
        }
    }

    pub fn duration(&self, key: &str) -> Result<Option<Duration>, ConfigError> {
        self.get(key)
            .map(|v| {
                humantime::parse_duration(v).map_err(|e| {
                    self.invalid(
                        key,
                        format!("{v:?} is not a duration like 30s, 5m or 2h ({e})"),
                    )
                })
            })
            .transpose()
    }

    pub fn number<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, ConfigError> {
        self.get(key)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| self.invalid(key, format!("{v:?} is not a valid number")))
            })
            .transpose()
    }

    pub fn boolean(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        self.get(key)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(self.invalid(key, format!("{v:?} is not true or false"))),
            })
            .transpose()
    }

    /// Decimal credits (`1.5`) as milli-credits.
    pub fn credits(&self, key: &str) -> Result<Option<i64>, ConfigError> {
        self.get(key)
            .map(|v| crate::api::parse_credits(v).map_err(|reason| self.invalid(key, reason)))
            .transpose()
    }

    /// True when the value was given by flag, environment or env file (which the system service
    /// reads as environment), rather than by the config file or the default.
    pub fn is_explicit(&self, key: &str) -> bool {
        matches!(
            self.source(key),
            Some(Source::Flag | Source::Env | Source::EnvFile(_))
        )
    }
}
