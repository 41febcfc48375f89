//! The integration tests, one binary (as cargo and uv do): one link instead of one per file.
//! Each module is a former `tests/<name>.rs`; the helpers every module shares come first.
//! Run one area with `cargo test --test it <module>`, e.g. `cargo test --test it self_update`.

mod coding_common;
mod common;
mod control_common;
mod credits_common;
mod llm;
mod machine;
mod waits;
mod worker_common;

mod admin_ledger;
mod auth_keyring;
mod ci_artifacts;
mod ci_caches;
mod cli_jq;
mod cli_server;
mod coding_coordinator;
mod coding_local;
mod coding_server_cli;
mod coding_worker;
mod control_plane;
mod control_plane_cli;
mod control_plane_policy;
mod coordinator_bad_input;
mod coordinator_config;
mod coordinator_flow;
mod coordinator_leases;
mod coordinator_runtime;
mod coordinator_scheduler;
mod credits_cli;
mod credits_ledger;
mod credits_settle;
mod dash;
mod first_steps;
mod generated_files;
mod host_policy;
mod installers;
mod local_runs;
mod models_detect;
mod models_ollama;
mod models_openai;
mod newcomer_texts;
mod node_drain;
mod security_http;
mod security_limits;
mod security_openapi;
mod security_sandbox;
mod security_users;
mod self_update;
mod service_notify;
mod worker_cli;
mod worker_fleet;
mod worker_sandbox;
