//! The keys edgecoder itself reads from the env file: which are known, what a valid value looks
//! like for each, which hold secrets and how those are masked for display. Separate from the
//! parser and writer because it is edgecoder's own policy, not env-file syntax; re-exported
//! from [`super`] so callers keep using `envfile::{validate_known, is_known, is_secret, mask}`.

enum Rule {
    OneOf(&'static [&'static str]),
    Id,
    NonEmpty,
    Url,
    /// An http(s) URL, or Ollama's own `host:port` form (`OLLAMA_HOST=0.0.0.0:11434`).
    HostOrUrl,
    /// A duration like `5s`, `2m` or `1h`.
    Duration,
    Int(u64, u64),
    Path,
}

const KNOWN: &[(&str, Rule)] = &[
    (
        "EDGE_RUNTIME_MODE",
        Rule::OneOf(&[
            "all-in-one",
            "coordinator",
            "worker",
            "control-plane",
            "inference",
            "ide-provider",
        ]),
    ),
    ("AGENT_ID", Rule::Id),
    ("AGENT_REGISTRATION_TOKEN", Rule::NonEmpty),
    ("MESH_AUTH_TOKEN", Rule::NonEmpty),
    ("ADMIN_API_TOKEN", Rule::NonEmpty),
    ("EDGECODER_TOKEN", Rule::NonEmpty),
    ("COORDINATOR_URL", Rule::Url),
    ("EDGECODER_URL", Rule::Url),
    ("OLLAMA_HOST", Rule::HostOrUrl),
    ("MAX_CONCURRENT_TASKS", Rule::Int(1, 1024)),
    (
        "NETWORK_MODE",
        Rule::OneOf(&["enterprise_overlay", "public_mesh"]),
    ),
    ("OLLAMA_MODEL", Rule::NonEmpty),
    ("EDGECODER_OPENAI_BASE_URL", Rule::Url),
    ("EDGECODER_OPENAI_API_KEY_FILE", Rule::Path),
    ("EDGECODER_OPENAI_MODEL", Rule::NonEmpty),
    ("EDGECODER_MODEL_CONNECT_TIMEOUT", Rule::Duration),
    ("EDGECODER_MODEL_IDLE_TIMEOUT", Rule::Duration),
    ("EDGECODER_MODEL_NUM_CTX", Rule::Int(256, 1_048_576)),
    ("EDGECODER_MODEL_REFRESH", Rule::Duration),
    ("COORDINATOR_FEE_BPS", Rule::Int(0, 10_000)),
    ("EDGECODER_REGISTER_BURST", Rule::Int(1, 1_000_000)),
    ("EDGECODER_REGISTER_PER_MINUTE", Rule::Int(0, 1_000_000)),
    ("EDGECODER_PORT", Rule::Int(1, 65_535)),
    ("EDGECODER_HOST", Rule::NonEmpty),
    ("EDGECODER_DATA_DIR", Rule::Path),
    ("EDGECODER_CONFIG", Rule::Path),
    ("EDGECODER_LOG_DIR", Rule::Path),
    ("EDGECODER_RUNS_DIR", Rule::Path),
    // A user name (`root` included, which runs tasks as root with a warning).
    ("EDGECODER_TASK_USER", Rule::Id),
    (
        "EDGECODER_IDE_ROUTE",
        Rule::OneOf(&["local-only", "prefer-local", "swarm"]),
    ),
    ("EDGECODER_IDE_PORT", Rule::Int(1, 65_535)),
    ("EDGECODER_IDE_LOCAL_CONCURRENCY", Rule::Int(1, 1024)),
    ("EDGECODER_IDE_TOKEN_FILE", Rule::Path),
    ("EDGECODER_INFERENCE_URL", Rule::Url),
    ("EDGECODER_INFERENCE_TOKEN", Rule::NonEmpty),
    ("EDGECODER_INFERENCE_MODEL", Rule::NonEmpty),
    ("EDGECODER_ESCALATION_MODEL", Rule::NonEmpty),
];

fn rule(key: &str) -> Option<&'static Rule> {
    KNOWN.iter().find(|(k, _)| *k == key).map(|(_, r)| r)
}

pub fn is_known(key: &str) -> bool {
    rule(key).is_some()
}

/// Unknown keys pass because the file may carry settings for other tools. Messages never
/// echo a secret value.
pub fn validate_known(key: &str, value: &str) -> Result<(), String> {
    let Some(rule) = rule(key) else { return Ok(()) };
    let blank = value.trim().is_empty();
    let (ok, expected) = match rule {
        Rule::OneOf(choices) => (
            choices.contains(&value),
            format!("be one of: {}", choices.join(", ")),
        ),
        Rule::Id => (
            !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)),
            "be non-empty and use only letters, digits, '_', '.' and '-'".into(),
        ),
        Rule::NonEmpty => (!blank, "not be empty".into()),
        Rule::Path => (!blank, "be a non-empty path".into()),
        Rule::Url => (
            is_http_url(value),
            "be an http:// or https:// URL with a host, e.g. http://127.0.0.1:11434".into(),
        ),
        Rule::HostOrUrl => (
            is_http_url(value)
                || (!value.contains("://") && is_http_url(&format!("http://{value}"))),
            "be an http:// or https:// URL or host:port, e.g. http://127.0.0.1:11434".into(),
        ),
        Rule::Duration => (
            humantime::parse_duration(value.trim()).is_ok(),
            "be a duration like 5s, 2m or 1h".into(),
        ),
        Rule::Int(lo, hi) => (
            !value.is_empty()
                && value.bytes().all(|b| b.is_ascii_digit())
                && value.parse::<u64>().is_ok_and(|n| (*lo..=*hi).contains(&n)),
            format!("be a whole number from {lo} to {hi}"),
        ),
    };
    match (ok, is_secret(key)) {
        (true, _) => Ok(()),
        (false, true) => Err(format!("{key} must {expected}")),
        (false, false) => Err(format!("{key} must {expected}; got {value:?}")),
    }
}

/// Whether `v` is an http(s) URL with a host. The URL standard's parser (the one every URL in
/// edgecoder goes through) compares the scheme without case: `HTTP://host` is plain HTTP.
fn is_http_url(v: &str) -> bool {
    if v.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return false;
    }
    reqwest::Url::parse(v).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

pub fn is_secret(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    ["_TOKEN", "_SECRET", "_PASSWORD"]
        .iter()
        .any(|s| upper.ends_with(s))
}

/// How a setting's value is shown by `env list` and `config show`: secrets masked, and a
/// database URL with its password masked, unless `show_secrets`.
pub fn shown(key: &str, value: &str, show_secrets: bool) -> String {
    if show_secrets {
        value.to_string()
    } else if is_secret(key) {
        mask(value)
    } else if key == "EDGECODER_DATABASE_URL" {
        crate::config::mask_database_url(value)
    } else {
        value.to_string()
    }
}

/// Keeps enough of a long secret to tell two apart, while short ones reveal nothing; an empty
/// value stays empty so "not set" is not mistaken for "set".
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    match n {
        0 => String::new(),
        1..16 => "****".into(),
        _ => format!("{}…({n} chars)", value.chars().take(4).collect::<String>()),
    }
}
