//! The table of settings: every key edgecoder reads, its environment variable, its default and
//! what it is for. `config show`, the env-file template and the docs are made from it; the
//! resolution that picks each value's source is in `settings`.

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
