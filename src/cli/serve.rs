//! `edgecoder serve`: resolve settings, start the coordinator, serve until a signal.

use super::args::{AgentArgs, Mode, ServeArgs};
use super::common_args::discovery;
use super::exit::{CliError, OK};
use super::signals;
use crate::agent::sandbox::RunAs;
use crate::agent::task_env::TaskEnv;
use crate::agent::worker::{self, WorkerOptions};
use crate::agent::{capabilities, confinement, task_user};
use crate::api::NetworkMode;
use crate::api::client::Client;
use crate::config::{self, Resolved};
use crate::server::auth::hash_secret;
use crate::server::control::RateLimit;
use crate::server::http::ConnLimits;
use crate::server::local_worker;
use crate::server::store::ledger::pricing::{LedgerSettings, Pricing};
use crate::server::store::task_input::{FieldLimits, SubmitLimits};
use crate::server::{BindRequest, Coordinator, Settings};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;

pub fn run(args: ServeArgs) -> Result<u8, CliError> {
    let mut flags: BTreeMap<&'static str, String> = BTreeMap::new();
    if let Some(h) = &args.host {
        flags.insert("host", h.clone());
    }
    if let Some(p) = args.port {
        flags.insert("port", p.to_string());
    }
    if let Some(d) = &args.data_dir {
        flags.insert("data_dir", d.display().to_string());
    }
    if let Some(d) = &args.database {
        flags.insert("database", d.clone());
    }
    if let Some(m) = args.mode {
        flags.insert("mode", m.as_str().to_string());
    }
    if let Some(l) = &args.log_level {
        flags.insert("log_level", l.clone());
    }
    if args.no_local_worker {
        flags.insert("local_worker", "false".into());
    }
    if args.free {
        flags.insert("pricing", "false".into());
    }
    if let Some(days) = args.retention_days {
        flags.insert("retention_days", days.to_string());
    }
    let resolved = config::resolve(&flags, &discovery(&args.config))?;
    let mode = resolved.get("mode").unwrap_or("all-in-one");
    let mode =
        Mode::parse(mode).ok_or_else(|| CliError::usage(format!("unknown mode {mode:?}")))?;
    match mode {
        Mode::AllInOne | Mode::Coordinator | Mode::ControlPlane => {}
        Mode::Inference => return super::serve_inference::run(&resolved),
        Mode::Worker => {
            return super::agent_cmd::run(AgentArgs {
                command: None,
                detect: false,
                json: false,
                jq: None,
                coordinator: None,
                max_concurrent: None,
                keep_workdirs: false,
                data_dir: args.data_dir,
                log_level: args.log_level,
                ephemeral: false,
                config: args.config,
            });
        }
        Mode::IdeProvider => {
            return super::ide_cmd::serve(
                super::ide_cmd::Plan {
                    host: args.host,
                    port: args.port,
                    route: None,
                    log_level: args.log_level,
                },
                &args.config,
            );
        }
    }
    super::logging::init_service(&resolved, "serve");
    let mut settings = settings(&resolved, mode)?;
    if mode == Mode::ControlPlane
        && !matches!(
            settings.database,
            crate::server::store::Location::Postgres(_)
        )
    {
        return Err(CliError::usage(
            "--mode control-plane serves the operator routes of coordinators that share a \
             PostgreSQL database: give it theirs with --database postgres://… (a coordinator \
             on SQLite is its own control plane)",
        ));
    }
    let inference = super::serve_inference::plan(&resolved, mode)?;
    if let super::serve_inference::Plan::Remote(endpoint) = &inference {
        settings.inference = Some(endpoint.clone());
    }
    let local = if mode == Mode::AllInOne && resolved.boolean("local_worker")?.unwrap_or(true) {
        Some(LocalWorkerPlan {
            max_concurrent: super::agent_cmd::max_concurrent(&resolved)?,
            drain_timeout: super::agent_cmd::drain_timeout(&resolved)?,
            models: super::agent_cmd::model_backends(&resolved)?,
            model_refresh: crate::models::refresh_interval(&resolved)?,
            mesh_token: resolved.get("mesh_auth_token").map(str::to_string),
            run_as: task_user::for_agent(resolved.get("task_user")).map_err(CliError::error)?,
            policy: confinement::Policy::from_resolved(&resolved)?,
            task_env: TaskEnv::from_resolved(
                &resolved,
                task_user::for_agent(resolved.get("task_user")).map_err(CliError::error)?,
            )
            .map_err(CliError::usage)?,
            outputs: crate::agent::outputs::OutputSettings::from_resolved(
                &resolved,
                &settings.data_dir,
            )?,
        })
    } else {
        None
    };
    let rt = super::runtime()?;
    rt.block_on(async move {
        let _inside = super::serve_inference::start_inside(inference, &mut settings).await?;
        serve(settings, local).await
    })
}

fn settings(r: &Resolved, mode: Mode) -> Result<Settings, CliError> {
    let data_dir = r
        .get("data_dir")
        .map(PathBuf::from)
        .unwrap_or_else(config::paths::default_data_dir);
    let heartbeat = r
        .duration("heartbeat_interval")?
        .unwrap_or(Duration::from_secs(5));
    let claim_wait = r.duration("claim_wait")?.unwrap_or(Duration::from_secs(25));
    let accept = r
        .duration("accept_window")?
        .unwrap_or(Duration::from_secs(5));
    let intervals = Settings::intervals_for(heartbeat, claim_wait, accept);
    let default_timeout = r
        .duration("default_task_timeout")?
        .unwrap_or(Duration::from_secs(3600));
    let max_timeout = r
        .duration("max_task_timeout")?
        .unwrap_or(Duration::from_secs(7 * 86400));
    // The control plane's own default port, as the inference service has 4302.
    let port: u16 = match (mode, r.source("port")) {
        (Mode::ControlPlane, None | Some(config::Source::Default)) => 4303,
        _ => r.number("port")?.unwrap_or(4301),
    };
    Ok(Settings {
        mode: mode.as_str().to_string(),
        database: super::database::location(r, &data_dir)?,
        data_dir,
        bind: BindRequest {
            host: r.get("host").unwrap_or("127.0.0.1").to_string(),
            port,
            explicit: r.is_explicit("port"),
            port_source: r
                .source("port")
                .map(|s| s.to_string())
                .unwrap_or_else(|| "default".into()),
        },
        intervals,
        submit_limits: SubmitLimits {
            default_timeout_secs: default_timeout.as_secs().max(1),
            max_timeout_secs: max_timeout.as_secs().max(1),
            default_max_attempts: r.number("max_attempts")?.unwrap_or(3u32).clamp(1, 100),
            fields: field_limits(r)?,
        },
        max_body_bytes: r.number("max_body_bytes")?.unwrap_or(8 << 20),
        offline_after_ms: intervals.lease_ttl_ms as i64,
        retention: retention(r)?,
        mesh_token_hash: r.get("mesh_auth_token").map(hash_secret),
        admin_token: r.get("admin_api_token").map(str::to_string),
        network_mode: {
            let given = r.get("network_mode").unwrap_or("public_mesh");
            NetworkMode::parse(given).ok_or_else(|| {
                CliError::usage(format!(
                    "NETWORK_MODE {given:?} is not a network mode: use enterprise_overlay or \
                     public_mesh"
                ))
            })?
        },
        register_limit: RateLimit {
            per_minute: r.number("register_per_minute")?.unwrap_or(60),
            burst: r.number::<u32>("register_burst")?.unwrap_or(20).max(1),
        },
        pricing: pricing(r)?,
        ledger: ledger_settings(r)?,
        conn_limits: conn_limits(r)?,
        max_blob_bytes: r.number("max_blob_bytes")?.unwrap_or(512 << 20),
        inference: None,
    })
}

/// The open-files limit is raised first, so the default cap follows the raised limit.
pub(super) fn conn_limits(r: &Resolved) -> Result<ConnLimits, CliError> {
    let nofile = crate::server::http::raise_open_files_limit();
    Ok(ConnLimits {
        max_connections: r
            .number::<usize>("max_connections")?
            .unwrap_or_else(|| crate::server::http::default_max_connections(nofile))
            .max(1),
        header_read_timeout: r
            .duration("header_read_timeout")?
            .unwrap_or(Duration::from_secs(10))
            .max(Duration::from_millis(100)),
    })
}

fn field_limits(r: &Resolved) -> Result<FieldLimits, CliError> {
    let d = FieldLimits::default();
    Ok(FieldLimits {
        env: r.number("max_env_bytes")?.unwrap_or(d.env),
        files: r.number("max_files_bytes")?.unwrap_or(d.files),
        argv: r.number("max_argv_bytes")?.unwrap_or(d.argv),
        script: r.number("max_script_bytes")?.unwrap_or(d.script),
        prompt: r.number("max_prompt_bytes")?.unwrap_or(d.prompt),
        artifacts: r.number("max_artifact_bytes")?.unwrap_or(d.artifacts),
    })
}

/// `retention_days`: whole or fractional days (a fraction lets tests use seconds); 0 keeps
/// everything.
fn retention(r: &Resolved) -> Result<Option<Duration>, CliError> {
    let days: f64 = r.number("retention_days")?.unwrap_or(30.0);
    if !(0.0..=1e6).contains(&days) {
        return Err(CliError::usage(format!(
            "EDGECODER_RETENTION_DAYS {days} must be 0 (keep forever) or a positive number of days"
        )));
    }
    Ok((days > 0.0).then(|| Duration::from_secs_f64(days * 86_400.0)))
}

fn pricing(r: &Resolved) -> Result<Pricing, CliError> {
    let d = Pricing::default();
    Ok(Pricing {
        enabled: r.boolean("pricing")?.unwrap_or(d.enabled),
        cpu_per_second: r
            .credits("credits_per_cpu_second")?
            .unwrap_or(d.cpu_per_second),
        gpu_per_second: r
            .credits("credits_per_gpu_second")?
            .unwrap_or(d.gpu_per_second),
        per_1k_tokens: r
            .credits("credits_per_1k_tokens")?
            .unwrap_or(d.per_1k_tokens),
        minimum: r.credits("credits_min_per_task")?.unwrap_or(d.minimum),
        fee_bps: r
            .number::<u32>("coordinator_fee_bps")?
            .unwrap_or(d.fee_bps)
            .min(10_000),
        new_token_grant: r
            .credits("credits_new_token_grant")?
            .unwrap_or(d.new_token_grant),
        contribution_first: r
            .boolean("credits_contribution_first")?
            .unwrap_or(d.contribution_first),
        burst_allowance: r
            .credits("credits_burst_allowance")?
            .unwrap_or(d.burst_allowance),
    })
}

fn ledger_settings(r: &Resolved) -> Result<LedgerSettings, CliError> {
    let d = LedgerSettings::default();
    let every: u64 = r
        .number("ledger_checkpoint_every")?
        .unwrap_or(d.checkpoint_every);
    Ok(LedgerSettings {
        checkpoint_every: every.max(1),
        checkpoint_interval: r
            .duration("ledger_checkpoint_interval")?
            .unwrap_or(d.checkpoint_interval)
            .max(Duration::from_millis(100)),
        issuance_amount: r
            .credits("credits_issuance_amount")?
            .unwrap_or(d.issuance_amount),
        issuance_window: r
            .duration("credits_issuance_window")?
            .unwrap_or(d.issuance_window)
            .max(Duration::from_millis(100)),
    })
}

/// What the local worker of an all-in-one coordinator is started with.
struct LocalWorkerPlan {
    max_concurrent: u32,
    drain_timeout: std::time::Duration,
    models: crate::models::Backends,
    model_refresh: std::time::Duration,
    mesh_token: Option<String>,
    /// The user its tasks run as (`task_user`); `None`: as the coordinator.
    run_as: Option<RunAs>,
    policy: confinement::Policy,
    /// Its tasks' PATH and passed-through variables.
    task_env: TaskEnv,
    outputs: crate::agent::outputs::OutputSettings,
}

async fn serve(settings: Settings, local: Option<LocalWorkerPlan>) -> Result<u8, CliError> {
    let data_dir = settings.data_dir.clone();
    let mode = settings.mode.clone();
    let pricing = settings.pricing;
    let default_timeout = settings.submit_limits.default_timeout_secs;
    let coordinator = Coordinator::start(settings)
        .await
        .map_err(|e| CliError::error(e.to_string()))?;
    let started = coordinator.started();
    println!(
        "edgecoder {} coordinator listening on {}",
        crate::version::current(),
        started.url
    );
    println!("  mode:     {mode}");
    println!("  data dir: {}", data_dir.display());
    println!("  credits:  {}", credits_summary(&pricing));
    let (control, control_rx) = mpsc::channel(4);
    // A local worker with no confinement would let any task submitter read this
    // coordinator's files: it is refused unless the owner allowed that.
    let local = local.and_then(|plan| {
        let protections = confinement::Protections::detect(plan.policy, plan.run_as);
        println!("  task protections: {protections}");
        match protections.admit(plan.policy) {
            Ok(()) => Some((plan, protections)),
            Err(why) => {
                println!("  local worker: refused: {why}");
                tracing::warn!("local worker not started: {why}");
                None
            }
        }
    });
    let worker = match local {
        Some((plan, protections)) => {
            let detected = plan.models.detect().await;
            let caps = capabilities::detect(plan.max_concurrent, &detected, &plan.task_env);
            let secret = local_worker::credential(&started.app, caps.clone())
                .await
                .map_err(|e| CliError::error(e.to_string()))?;
            let client = Client::new(&started.url, Some(secret))
                .map_err(|e| CliError::error(e.to_string()))?
                .with_mesh_token(plan.mesh_token);
            let opts = WorkerOptions {
                ephemeral: false,
                client,
                max_concurrent: plan.max_concurrent as usize,
                work_root: data_dir.join("work"),
                keep_workdirs: false,
                capabilities: caps,
                name: Some("local".into()),
                labels: None,
                drain_timeout: plan.drain_timeout,
                run_as: plan.run_as,
                protections,
                models: plan.models,
                model_refresh: plan.model_refresh,
                watchdog: false,
                // The coordinator's own machine lends itself always (docs/decisions.md).
                host: None,
                task_env: plan.task_env,
                outputs: std::sync::Arc::new(plan.outputs),
            };
            println!(
                "  local worker: on, {} task(s) at once (--no-local-worker to turn off)",
                plan.max_concurrent
            );
            Some(tokio::spawn(worker::run(opts, control_rx)))
        }
        None => {
            println!("  local worker: off");
            None
        }
    };
    if let Some(token) = &started.new_admin_token {
        show_first_admin_token(token, &data_dir)?;
        for line in first_run_credits(&pricing, default_timeout) {
            println!("{line}");
        }
    }
    crate::sd_notify::ready();
    let watchdog = tokio::spawn(pet_watchdog(started.url.clone()));
    let stop = async move {
        signals::ladder(control).await;
        if let Some(worker) = worker {
            match worker.await {
                Ok(Err(e)) => tracing::warn!("local worker stopped: {e}"),
                Err(e) => tracing::warn!("local worker crashed: {e}"),
                Ok(Ok(_)) => {}
            }
        }
    };
    let restart = coordinator.run(stop).await;
    watchdog.abort();
    match restart {
        None => Ok(OK),
        Some(plan) => restart_into(plan),
    }
}

/// The startup line about credits.
fn credits_summary(p: &Pricing) -> String {
    if p.enabled {
        format!(
            "on (a new user token starts with {} credits; `edgecoder serve --free` runs without)",
            crate::api::format_credits(p.new_token_grant)
        )
    } else {
        "off (--free or EDGECODER_PRICING=false): tasks cost nothing".to_string()
    }
}

/// What a first start says about credits: that they are on, what a new token can spend, and how
/// a private coordinator does without them (a CI loop refused at its 30th task had no hint).
fn first_run_credits(p: &Pricing, default_timeout_secs: u64) -> Vec<String> {
    use crate::api::format_credits;
    use crate::server::store::ledger::pricing::hold;
    if !p.enabled {
        return vec!["Credits are off: tasks cost nothing and no account is kept.".to_string()];
    }
    let held = hold(default_timeout_secs, p.cpu_per_second, 10_000, p.minimum).unwrap_or(0);
    let at_once = p.new_token_grant.checked_div(held).unwrap_or(0);
    vec![
        String::new(),
        format!(
            "Credits are on: every task is paid from its submitter's account. A new user token \
             starts with {} credits. A task holds its worst case while it waits and runs ({} \
             credits for the default {} timeout at {} credits per CPU-second, more while the \
             queue is long) and is charged what it used, so a new token can have about \
             {at_once} such tasks queued at once.",
            format_credits(p.new_token_grant),
            format_credits(held),
            crate::fmt::short_duration(default_timeout_secs),
            format_credits(p.cpu_per_second),
        ),
        "  give a token more:  edgecoder server credits grant user:<token id> AMOUNT".to_string(),
        "  a private coordinator without credits: stop it and start `edgecoder serve --free` \
         (or set EDGECODER_PRICING=false)"
            .to_string(),
    ]
}

/// Name of the file the first admin token goes to when stdout is not a terminal.
pub const INITIAL_ADMIN_TOKEN_FILE: &str = "initial-admin-token";

/// Shows the first admin token once: on a terminal, printed; otherwise (a pipe, a file, the
/// journal under systemd, where it would be kept and readable by log readers) written to a 0600
/// file in the data dir, and only the path printed.
fn show_first_admin_token(token: &str, data_dir: &std::path::Path) -> Result<(), CliError> {
    use std::io::IsTerminal;
    println!();
    if std::io::stdout().is_terminal() {
        println!("First start: an admin token was made. It is shown only this once:");
        println!("  admin token: {token}");
        println!("Keep it somewhere safe; clients send it as `Authorization: Bearer <token>`.");
        return Ok(());
    }
    let path = data_dir.join(INITIAL_ADMIN_TOKEN_FILE);
    crate::config::secret_file::save(&path, token).map_err(|e| {
        CliError::error(format!(
            "first start: cannot write the admin token to {}: {e}; set ADMIN_API_TOKEN to a \
             secret of your choice and start again to make it an admin token",
            path.display()
        ))
    })?;
    println!(
        "First start: an admin token was made and written to {} (readable only by this user).",
        path.display()
    );
    println!("Store it somewhere safe, then delete that file; the token is not shown again.");
    Ok(())
}

/// The last step of a self-update: become the new binary, same pid, arguments and socket.
#[cfg(unix)]
fn restart_into(plan: crate::server::self_update::RestartPlan) -> Result<u8, CliError> {
    println!("restarting into the new binary ({})", plan.exe.display());
    let e = crate::server::self_update::swap::exec(
        &plan.exe,
        &plan.args,
        plan.listen_fd,
        Some(plan.guard_pid),
    );
    // The guard sees this process end and brings the previous binary back.
    Err(CliError::error(format!(
        "cannot execute the new binary {}: {e}; the update guard restores the previous one",
        plan.exe.display()
    )))
}

#[cfg(not(unix))]
fn restart_into(_plan: crate::server::self_update::RestartPlan) -> Result<u8, CliError> {
    Err(CliError::error("self-update needs a Unix system"))
}

/// Pets the systemd watchdog while this coordinator answers its own `/health`, so one that is
/// alive but no longer serves HTTP is restarted. No-op outside systemd.
async fn pet_watchdog(url: String) {
    let Some(period) = crate::sd_notify::watchdog_period() else {
        return;
    };
    let Ok(client) = Client::new(&url, None) else {
        return;
    };
    loop {
        if let Ok(Ok(health)) = tokio::time::timeout(period, client.health()).await
            && health["status"] == "ok"
        {
            crate::sd_notify::watchdog();
        }
        tokio::time::sleep(period).await;
    }
}
