//! The table of settings and their resolution, with where each value came from.

use super::envfile;
use super::paths;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct SettingDef {
    /// Name in the config file and in `config show`.
    pub key: &'static str,
    /// Environment variable (also read from the env file).
    pub env: &'static str,
    pub default: Option<&'static str>,
    pub help: &'static str,
}

const fn def(
    key: &'static str,
    env: &'static str,
    default: Option<&'static str>,
    help: &'static str,
) -> SettingDef {
    SettingDef {
        key,
        env,
        default,
        help,
    }
}

pub const SETTINGS: &[SettingDef] = &[
    def(
        "mode",
        "EDGE_RUNTIME_MODE",
        Some("all-in-one"),
        "runtime mode of `serve`",
    ),
    def(
        "host",
        "EDGECODER_HOST",
        Some("127.0.0.1"),
        "address the coordinator listens on",
    ),
    def(
        "port",
        "EDGECODER_PORT",
        Some("4301"),
        "port the coordinator listens on",
    ),
    def(
        "data_dir",
        "EDGECODER_DATA_DIR",
        None,
        "database, server.json, task workdirs",
    ),
    def("log_dir", "EDGECODER_LOG_DIR", None, "rotating log files"),
    def(
        "runs_dir",
        "EDGECODER_RUNS_DIR",
        None,
        "records of `edgecoder task` runs (default <data dir>/runs)",
    ),
    def(
        "log_level",
        "EDGECODER_LOG",
        Some("info"),
        "tracing filter (error, warn, info, debug)",
    ),
    def(
        "coordinator_url",
        "COORDINATOR_URL",
        None,
        "coordinator an agent or client talks to",
    ),
    def(
        "allow_insecure",
        "EDGECODER_ALLOW_INSECURE",
        Some("false"),
        "send tokens and the node secret over plain HTTP to another machine",
    ),
    def(
        "agent_id",
        "AGENT_ID",
        None,
        "this node's id, written by `enroll`",
    ),
    def(
        "admin_api_token",
        "ADMIN_API_TOKEN",
        None,
        "use this secret as the admin token",
    ),
    def(
        "mesh_auth_token",
        "MESH_AUTH_TOKEN",
        None,
        "shared token agents must also send",
    ),
    def(
        "max_concurrent_tasks",
        "MAX_CONCURRENT_TASKS",
        None,
        "tasks an agent runs at once",
    ),
    def(
        "network_mode",
        "NETWORK_MODE",
        Some("public_mesh"),
        "enterprise_overlay or public_mesh",
    ),
    def(
        "register_burst",
        "EDGECODER_REGISTER_BURST",
        Some("20"),
        "node registrations at once per address",
    ),
    def(
        "register_per_minute",
        "EDGECODER_REGISTER_PER_MINUTE",
        Some("60"),
        "registrations a minute per address (0: off)",
    ),
    def(
        "ollama_host",
        "OLLAMA_HOST",
        Some("http://127.0.0.1:11434"),
        "local model server",
    ),
    def(
        "ollama_model",
        "OLLAMA_MODEL",
        None,
        "model to use from Ollama",
    ),
    def(
        "openai_base_url",
        "EDGECODER_OPENAI_BASE_URL",
        None,
        "an OpenAI-compatible model server (llama.cpp, vLLM)",
    ),
    def(
        "openai_api_key_file",
        "EDGECODER_OPENAI_API_KEY_FILE",
        None,
        "file holding that server's API key",
    ),
    def(
        "openai_model",
        "EDGECODER_OPENAI_MODEL",
        None,
        "model to use from that server",
    ),
    def(
        "model_connect_timeout",
        "EDGECODER_MODEL_CONNECT_TIMEOUT",
        Some("5s"),
        "time to reach a model server",
    ),
    def(
        "model_idle_timeout",
        "EDGECODER_MODEL_IDLE_TIMEOUT",
        Some("120s"),
        "longest silence of a model's answer",
    ),
    def(
        "model_num_ctx",
        "EDGECODER_MODEL_NUM_CTX",
        Some("4096"),
        "context window asked of Ollama",
    ),
    def(
        "model_refresh",
        "EDGECODER_MODEL_REFRESH",
        Some("30s"),
        "how often an agent re-lists its models",
    ),
    def(
        "coordinator_fee_bps",
        "COORDINATOR_FEE_BPS",
        Some("500"),
        "coordinator fee, basis points",
    ),
    def(
        "heartbeat_interval",
        "EDGECODER_HEARTBEAT_INTERVAL",
        Some("5s"),
        "agent heartbeat period",
    ),
    def(
        "claim_wait",
        "EDGECODER_CLAIM_WAIT",
        Some("25s"),
        "longest claim long-poll",
    ),
    def(
        "accept_window",
        "EDGECODER_ACCEPT_WINDOW",
        Some("5s"),
        "time to accept a claimed task",
    ),
    def(
        "default_task_timeout",
        "EDGECODER_DEFAULT_TASK_TIMEOUT",
        Some("1h"),
        "task timeout when none is given",
    ),
    def(
        "max_task_timeout",
        "EDGECODER_MAX_TASK_TIMEOUT",
        Some("7d"),
        "largest task timeout accepted",
    ),
    def(
        "max_attempts",
        "EDGECODER_MAX_ATTEMPTS",
        Some("3"),
        "attempts when none is given",
    ),
    def(
        "max_body_bytes",
        "EDGECODER_MAX_BODY_BYTES",
        Some("8388608"),
        "largest request body",
    ),
    def(
        "max_connections",
        "EDGECODER_MAX_CONNECTIONS",
        None,
        "open connections served at once (default: 10000, less under a low open-files limit)",
    ),
    def(
        "header_read_timeout",
        "EDGECODER_HEADER_READ_TIMEOUT",
        Some("10s"),
        "time to send a request head; also the idle keep-alive timeout",
    ),
    def(
        "max_env_bytes",
        "EDGECODER_MAX_ENV_BYTES",
        Some("262144"),
        "largest task env (keys and values)",
    ),
    def(
        "max_files_bytes",
        "EDGECODER_MAX_FILES_BYTES",
        Some("4194304"),
        "largest task files (paths and contents)",
    ),
    def(
        "max_argv_bytes",
        "EDGECODER_MAX_ARGV_BYTES",
        Some("262144"),
        "largest task argv",
    ),
    def(
        "max_script_bytes",
        "EDGECODER_MAX_SCRIPT_BYTES",
        Some("1048576"),
        "largest task script",
    ),
    def(
        "max_prompt_bytes",
        "EDGECODER_MAX_PROMPT_BYTES",
        Some("262144"),
        "largest coding task prompt",
    ),
    def(
        "retention_days",
        "EDGECODER_RETENTION_DAYS",
        Some("30"),
        "finished tasks, logs and events kept this long (0: forever)",
    ),
    def(
        "task_user",
        "EDGECODER_TASK_USER",
        Some("nobody"),
        "user tasks run as when the agent is root",
    ),
    def(
        "task_landlock",
        "EDGECODER_TASK_LANDLOCK",
        Some("true"),
        "confine tasks with Landlock where the kernel offers it",
    ),
    def(
        "allow_unconfined_tasks",
        "EDGECODER_ALLOW_UNCONFINED_TASKS",
        Some("false"),
        "take work from the network even where no confinement is in force",
    ),
    def(
        "local_worker",
        "EDGECODER_LOCAL_WORKER",
        Some("true"),
        "run the local worker in all-in-one",
    ),
    def(
        "pricing",
        "EDGECODER_PRICING",
        Some("true"),
        "charge credits for tasks (`serve --free`: off)",
    ),
    def(
        "credits_per_cpu_second",
        "EDGECODER_CREDITS_PER_CPU_SECOND",
        Some("0.001"),
        "credits per CPU-second",
    ),
    def(
        "credits_per_gpu_second",
        "EDGECODER_CREDITS_PER_GPU_SECOND",
        Some("0.004"),
        "credits per GPU-second",
    ),
    def(
        "credits_min_per_task",
        "EDGECODER_CREDITS_MIN_PER_TASK",
        Some("0.01"),
        "least credits a task is charged",
    ),
    def(
        "credits_new_token_grant",
        "EDGECODER_CREDITS_NEW_TOKEN_GRANT",
        Some("100"),
        "credits a new user token starts with",
    ),
    def(
        "credits_contribution_first",
        "EDGECODER_CREDITS_CONTRIBUTION_FIRST",
        Some("false"),
        "net spenders under the burst allowance must contribute first",
    ),
    def(
        "credits_burst_allowance",
        "EDGECODER_CREDITS_BURST_ALLOWANCE",
        Some("10"),
        "credits a net spender may hold and still submit",
    ),
    def(
        "credits_issuance_amount",
        "EDGECODER_CREDITS_ISSUANCE_AMOUNT",
        Some("100"),
        "new credits per window for contributors (0: none)",
    ),
    def(
        "credits_issuance_window",
        "EDGECODER_CREDITS_ISSUANCE_WINDOW",
        Some("1h"),
        "issuance window",
    ),
    def(
        "ledger_checkpoint_every",
        "EDGECODER_LEDGER_CHECKPOINT_EVERY",
        Some("1000"),
        "sign a ledger checkpoint every N entries",
    ),
    def(
        "ledger_checkpoint_interval",
        "EDGECODER_LEDGER_CHECKPOINT_INTERVAL",
        Some("60s"),
        "…or this often, when there are new entries",
    ),
];

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
