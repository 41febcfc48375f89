//! `edgecoder agent` (and `serve --mode worker`): the worker in the foreground.

use super::args::AgentArgs;
use super::common_args::discovery;
use super::exit::{CliError, OK, UNAUTHORISED};
use crate::agent::control_socket::{self, ControlSocket};
use crate::agent::task_env::TaskEnv;
use crate::agent::worker::{self, WorkerOptions};
use crate::agent::{capabilities, confinement, credentials, task_user};
use crate::api::client::Client;
use crate::config::{self, Resolved};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;

pub fn run(args: AgentArgs) -> Result<u8, CliError> {
    if let Some(cmd) = args.command {
        return super::agent_pause::run(cmd, &args.config);
    }
    let mut flags = BTreeMap::new();
    if let Some(u) = &args.coordinator {
        flags.insert("coordinator_url", u.clone());
    }
    if let Some(n) = args.max_concurrent {
        flags.insert("max_concurrent_tasks", n.to_string());
    }
    if let Some(d) = &args.data_dir {
        flags.insert("data_dir", d.display().to_string());
    }
    if let Some(l) = &args.log_level {
        flags.insert("log_level", l.clone());
    }
    let resolved = config::resolve(&flags, &discovery(&args.config))?;
    let max_concurrent = max_concurrent(&resolved)?;
    let models = model_backends(&resolved)?;
    let model_refresh = crate::models::refresh_interval(&resolved)?;
    let rt = super::runtime()?;
    let detected = rt.block_on(models.detect());
    // As the task user sees it; resolved again below once logging is on (it logs who that is).
    let task_env_of = |run_as| TaskEnv::from_resolved(&resolved, run_as).map_err(CliError::usage);
    if args.detect {
        let run_as = task_user::for_agent(resolved.get("task_user")).map_err(CliError::error)?;
        let task_env = task_env_of(run_as)?;
        let caps = capabilities::detect(max_concurrent, &detected, &task_env);
        if args.json {
            super::output::print_json(&caps)?;
        } else {
            print!("{}", describe(&caps));
        }
        return Ok(OK);
    }
    super::logging::init_service(&resolved, "agent");
    // The host policy: a setting that does not parse stops the start here, naming it. Its
    // state (the owner's pause) lives beside the node's credential.
    let state_dir = control_socket::state_dir_for(&resolved.env_file);
    let (host, host_said) = crate::agent::host::from_resolved(&resolved, &state_dir)?;
    eprintln!("edgecoder agent: {host_said}");
    tracing::info!("{host_said}");
    let run_as = task_user::for_agent(resolved.get("task_user")).map_err(CliError::error)?;
    let task_env = task_env_of(run_as)?;
    let policy = confinement::Policy::from_resolved(&resolved)?;
    let protections = confinement::Protections::detect(policy, run_as);
    eprintln!("edgecoder agent: task protections: {protections}");
    protections.admit(policy).map_err(CliError::error)?;
    let url = resolved.get("coordinator_url").ok_or_else(|| {
        CliError::usage(
            "no coordinator URL: enroll first (`edgecoder enroll --token … --coordinator URL`) \
             or pass --coordinator",
        )
    })?;
    let cred_path = credentials::path_for(&resolved.env_file);
    let secret = credentials::load(&cred_path)
        .map_err(|e| CliError::error(format!("cannot read {}: {e}", cred_path.display())))?
        .ok_or_else(|| {
            CliError::new(
                UNAUTHORISED,
                format!(
                    "this machine is not enrolled (no credential at {}): run \
                     `edgecoder enroll --token TOKEN --coordinator {url}`",
                    cred_path.display()
                ),
            )
        })?;
    // The node secret goes with every request: never in clear to another machine unless the
    // owner said the network is trusted (`enroll --allow-insecure` records that).
    let allow_insecure = resolved.boolean("allow_insecure")?.unwrap_or(false);
    super::common_args::check_transport(url, allow_insecure)?;
    let client = Client::new(url, Some(secret))
        .map_err(|e| CliError::error(e.to_string()))?
        .with_mesh_token(resolved.get("mesh_auth_token").map(str::to_string))
        .with_allow_insecure(allow_insecure);
    let data_dir = resolved
        .get("data_dir")
        .map(PathBuf::from)
        .unwrap_or_else(config::paths::default_data_dir);
    crate::config::private_dir::make_private(&data_dir).map_err(|e| {
        CliError::error(format!(
            "cannot make the data dir {} private: {e}",
            data_dir.display()
        ))
    })?;
    let opts = WorkerOptions {
        client,
        max_concurrent: max_concurrent as usize,
        work_root: data_dir.join("work"),
        keep_workdirs: args.keep_workdirs,
        capabilities: capabilities::detect(max_concurrent, &detected, &task_env),
        name: None,
        labels: None,
        drain_timeout: drain_timeout(&resolved)?,
        run_as,
        protections,
        watchdog: true,
        models,
        model_refresh,
        host: Some(host),
        ephemeral: args.ephemeral,
        task_env,
        outputs: std::sync::Arc::new(crate::agent::outputs::OutputSettings::from_resolved(
            &resolved, &data_dir,
        )?),
    };
    let wake = opts.host.as_ref().map(|h| h.wake_handle());
    rt.block_on(async move {
        // The owner's `agent pause|resume` reach this agent here; without the socket they still
        // work, through the pause file, from the next heartbeat on.
        let _control = wake.and_then(|wake| match ControlSocket::start(&state_dir, wake) {
            Ok(socket) => Some(socket),
            Err(e) => {
                tracing::warn!(
                    "no control socket in {} ({e}): `edgecoder agent pause` takes effect at \
                     the next heartbeat",
                    state_dir.display()
                );
                None
            }
        });
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(super::signals::ladder(tx));
        tracing::info!(coordinator = %url, max_concurrent, "agent starting");
        // Ready once started: systemd's start must not wait on a coordinator that may be down.
        // The watchdog, petted only by answered heartbeats, is what notices a lost coordinator.
        crate::sd_notify::ready();
        match worker::run(opts, rx).await {
            Ok(summary) => {
                tracing::info!(
                    tasks = summary.tasks_run,
                    cancelled = summary.cancelled_on_shutdown,
                    "agent stopped"
                );
                // Ephemeral: 0 whatever the task's outcome, which is the coordinator's to
                // report (`server tasks show`), as GitHub's and Buildkite's runners do.
                Ok(OK)
            }
            Err(e) => Err(CliError::new(UNAUTHORISED, e.to_string())),
        }
    })
}

/// The model servers of the settings (`OLLAMA_HOST`, `EDGECODER_OPENAI_BASE_URL`…).
pub fn model_backends(resolved: &Resolved) -> Result<crate::models::Backends, CliError> {
    let settings = crate::models::ModelSettings::from_resolved(resolved)?;
    crate::models::Backends::from_settings(&settings).map_err(|e| CliError::usage(e.to_string()))
}

pub fn max_concurrent(resolved: &Resolved) -> Result<u32, CliError> {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(1);
    Ok(resolved
        .number::<u32>("max_concurrent_tasks")?
        .unwrap_or(cpus)
        .max(1))
}

pub fn drain_timeout(resolved: &Resolved) -> Result<Duration, CliError> {
    Ok(resolved
        .duration("drain_timeout")?
        .unwrap_or(Duration::from_secs(300)))
}

fn describe(c: &crate::api::Capabilities) -> String {
    let mut out = String::new();
    let quota = c
        .cpu_quota
        .map(|q| format!(" (cgroup quota {q:.2})"))
        .unwrap_or_default();
    let limit = c
        .memory_limit_mib
        .map(|l| format!(", cgroup limit {l} MiB"))
        .unwrap_or_default();
    out.push_str(&format!(
        "host:        {} ({} {})\n",
        c.hostname, c.os, c.arch
    ));
    out.push_str(&format!("cpus:        {}{quota}\n", c.cpus));
    out.push_str(&format!(
        "memory:      {} MiB total, {} MiB available{limit}\n",
        c.memory_total_mib, c.memory_available_mib
    ));
    if c.gpus.is_empty() {
        out.push_str("gpus:        none found (nvidia-smi)\n");
    } else {
        out.push_str(&format!("gpus:        {}\n", c.gpus.len()));
        for g in &c.gpus {
            out.push_str(&format!("  - {} ({} MiB)\n", g.name, g.vram_mib));
        }
    }
    out.push_str(&format!("toolchains:  {}\n", c.toolchains.join(", ")));
    out.push_str(&describe_models(c));
    out.push_str(&format!("max tasks:   {}\n", c.max_concurrent_tasks));
    out
}

/// Each backend (reachable, or why not) and each model with what its backend says.
fn describe_models(c: &crate::api::Capabilities) -> String {
    let mut out = String::new();
    if c.model_backends.is_empty() {
        out.push_str("models:      none (no model backend configured)\n");
        return out;
    }
    out.push_str("backends:\n");
    for b in &c.model_backends {
        let state = if b.reachable {
            "reachable".to_string()
        } else {
            format!("UNREACHABLE: {}", b.error.as_deref().unwrap_or("no answer"))
        };
        out.push_str(&format!("  - {} {}: {state}\n", b.backend, b.url));
    }
    if c.model_details.is_empty() {
        out.push_str("models:      none\n");
        return out;
    }
    out.push_str(&format!("models:      {}\n", c.model_details.len()));
    for m in &c.model_details {
        let mut facts = vec![m.backend.clone()];
        facts.extend(m.family.clone());
        facts.extend(m.parameter_size.clone());
        facts.extend(m.quantization.clone());
        if let Some(n) = m.context_length {
            facts.push(format!("context {n}"));
        }
        out.push_str(&format!("  - {} ({})\n", m.name, facts.join(", ")));
    }
    out
}
