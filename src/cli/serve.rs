//! `edgecoder serve`: resolve settings, start the coordinator, serve until a signal.

use super::args::{Mode, ServeArgs};
use super::config_cmd::discovery;
use super::exit::{CliError, OK};
use crate::config::{self, Resolved};
use crate::server::auth::hash_secret;
use crate::server::store::tasks::SubmitLimits;
use crate::server::{BindRequest, Coordinator, Settings};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

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
    if let Some(m) = args.mode {
        flags.insert("mode", m.as_str().to_string());
    }
    if let Some(l) = &args.log_level {
        flags.insert("log_level", l.clone());
    }
    if args.no_local_worker {
        flags.insert("local_worker", "false".into());
    }
    let resolved = config::resolve(&flags, &discovery(&args.config))?;
    super::logging::init(resolved.get("log_level").unwrap_or("info"));
    let mode = resolved.get("mode").unwrap_or("all-in-one");
    let mode =
        Mode::parse(mode).ok_or_else(|| CliError::usage(format!("unknown mode {mode:?}")))?;
    match mode {
        Mode::AllInOne | Mode::Coordinator => {}
        Mode::Worker => {
            return Err(CliError::usage(
                "worker mode is `edgecoder agent`; `serve` runs a coordinator \
                 (--mode coordinator or all-in-one)",
            ));
        }
        other => {
            return Err(CliError::usage(format!(
                "mode {} is not served by this version of edgecoder; use all-in-one or coordinator",
                other.as_str()
            )));
        }
    }
    let settings = settings(&resolved, mode)?;
    let rt = super::runtime()?;
    rt.block_on(serve(settings))
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
    let port: u16 = r.number("port")?.unwrap_or(4301);
    Ok(Settings {
        mode: mode.as_str().to_string(),
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
        },
        max_body_bytes: r.number("max_body_bytes")?.unwrap_or(8 << 20),
        offline_after_ms: intervals.lease_ttl_ms as i64,
        mesh_token_hash: r.get("mesh_auth_token").map(hash_secret),
        admin_token: r.get("admin_api_token").map(str::to_string),
    })
}

async fn serve(settings: Settings) -> Result<u8, CliError> {
    let data_dir = settings.data_dir.clone();
    let mode = settings.mode.clone();
    let coordinator = Coordinator::start(settings)
        .await
        .map_err(|e| CliError::error(e.to_string()))?;
    let started = coordinator.started();
    println!(
        "edgecoder {} coordinator listening on {}",
        env!("CARGO_PKG_VERSION"),
        started.url
    );
    println!("  mode:     {mode}");
    println!("  data dir: {}", data_dir.display());
    if let Some(token) = &started.new_admin_token {
        println!();
        println!("First start: an admin token was made. It is shown only this once:");
        println!("  admin token: {token}");
        println!("Keep it somewhere safe; clients send it as `Authorization: Bearer <token>`.");
    }
    if mode == "all-in-one" {
        println!("  local worker: not part of this build yet; start `edgecoder agent` nodes");
    }
    coordinator.run(shutdown_signal()).await;
    Ok(OK)
}

/// Resolves on the first SIGINT or SIGTERM; a second one exits at once.
async fn shutdown_signal() {
    wait_for_signal().await;
    tokio::spawn(async {
        wait_for_signal().await;
        eprintln!("second signal: exiting without finishing requests in flight");
        std::process::exit(1);
    });
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
