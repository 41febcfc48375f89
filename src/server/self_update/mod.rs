//! Self-update with drain: check a candidate binary, drain the local worker, keep a rollback
//! copy, swap the binary atomically and re-execute on the same listening socket.
//!
//! The steps, and who takes each:
//! 1. `POST /api/v1/update` (admin) checks the candidate (candidate.rs), records the update as
//!    `deferred` and drains the local worker in the same transaction (record.rs). New submissions
//!    are still accepted: they wait in the durable queue.
//! 2. [`drive`] waits for the local worker's running tasks, up to the drain deadline; past it the
//!    update `failed` and the worker takes work again.
//! 3. It spawns the guard (guard.rs) from the running binary, keeps a rollback copy, swaps the
//!    binary, records `restarting` and asks the server to stop (requests in flight finish).
//! 4. `cli::serve` execs the new binary with the same arguments, handing it the listening socket.
//! 5. The new process finishes the record at start (`record::recover`): `succeeded` when it runs
//!    the version it was meant to. If it never answers, the guard restores the previous binary
//!    and starts it, which records `rolled_back`.

pub mod candidate;
pub mod guard;
pub mod record;
pub mod swap;

use super::AppState;
use super::error::ApiError;
use crate::api::{UpdateInfo, UpdateStartRequest, UpdateState, UpdateStatus};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;

/// The drain deadline when the request names none.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(600);
/// How long the new version has to answer `/health` before the guard rolls back.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);

/// What `cli::serve` needs to exec the new binary once the server has stopped.
#[derive(Debug, Clone)]
pub struct RestartPlan {
    pub exe: PathBuf,
    pub args: Vec<OsString>,
    /// A close-on-exec copy of the listening socket, kept open past the server's shutdown.
    pub listen_fd: i32,
    pub guard_pid: u32,
}

/// The update machinery's part of the coordinator's state.
pub struct Updater {
    /// The binary this process runs, and its arguments, as they were at start.
    exe: Option<PathBuf>,
    args: Vec<OsString>,
    listener: Mutex<Option<(i32, String)>>,
    local_node: Mutex<Option<String>>,
    restart: watch::Sender<Option<RestartPlan>>,
}

impl Default for Updater {
    fn default() -> Self {
        Updater {
            exe: std::env::current_exe().ok(),
            args: std::env::args_os().collect(),
            listener: Mutex::new(None),
            local_node: Mutex::new(None),
            restart: watch::channel(None).0,
        }
    }
}

impl Updater {
    /// The listening socket's descriptor and the URL it answers on (for the guard).
    pub fn set_listener(&self, fd: i32, url: &str) {
        if let Ok(mut l) = self.listener.lock() {
            *l = Some((fd, url.to_string()));
        }
    }

    pub fn set_local_node(&self, id: &str) {
        if let Ok(mut n) = self.local_node.lock() {
            *n = Some(id.to_string());
        }
    }

    fn local_node(&self) -> Option<String> {
        self.local_node.lock().ok().and_then(|n| n.clone())
    }

    /// Resolves when an update asked the server to stop for its restart.
    pub async fn restart_requested(&self) {
        let mut rx = self.restart.subscribe();
        let _ = rx.wait_for(Option::is_some).await;
    }

    /// The restart an update asked for, once the server has stopped.
    pub fn take_restart(&self) -> Option<RestartPlan> {
        self.restart.send_replace(None)
    }
}

/// `GET /api/v1/update`.
pub async fn status(app: &AppState) -> Result<UpdateStatus, ApiError> {
    let local = app.self_update.local_node();
    app.store
        .read(move |c| {
            Ok(UpdateStatus {
                version: crate::version::current().to_string(),
                current: record::current(c)?,
                local_running: match &local {
                    Some(node) => record::running_on(c, node)?,
                    None => 0,
                },
                history: record::history(c, record::HISTORY_LEN)?,
            })
        })
        .await
}

/// `POST /api/v1/update`: checks everything that can be checked before touching anything, then
/// records the update and drains; the rest runs in the background ([`drive`]).
pub async fn start(
    app: &AppState,
    started_by: &str,
    req: UpdateStartRequest,
) -> Result<UpdateInfo, ApiError> {
    let Some(exe) = app.self_update.exe.clone() else {
        return Err(ApiError::conflict(
            "update_unsupported",
            "this coordinator cannot tell which binary it runs, so it cannot replace it",
        ));
    };
    if exe.to_string_lossy().ends_with(" (deleted)") {
        return Err(ApiError::conflict(
            "update_unsupported",
            "the binary this coordinator runs was replaced or removed on disk since it started: \
             restart the coordinator first",
        ));
    }
    let Some((listen_fd, url)) = app.self_update.listener.lock().ok().and_then(|l| l.clone())
    else {
        return Err(ApiError::conflict(
            "update_unsupported",
            "this coordinator has no listening socket to hand over",
        ));
    };
    if !cfg!(unix) {
        return Err(ApiError::conflict(
            "update_unsupported",
            "self-update needs a Unix system",
        ));
    }
    let drain_timeout = req
        .drain_timeout_secs
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_DRAIN_TIMEOUT);
    if drain_timeout.is_zero() || drain_timeout > Duration::from_secs(7 * 86400) {
        return Err(ApiError::bad_request(
            "drain_timeout_secs must be between 1 and 604800 (7 days)",
        ));
    }
    let candidate = candidate::validate(&req.binary, req.sha256.as_deref()).await?;
    let new = record::NewUpdate {
        id: format!("upd_{}", super::auth::random_hex(6)),
        from_version: crate::version::current().to_string(),
        to_version: candidate.version.clone(),
        binary: candidate.path.display().to_string(),
        sha256: candidate.sha256.clone(),
        started_by: started_by.to_string(),
        drain_deadline: crate::api::now_ms() + drain_timeout.as_millis() as i64,
        local_node: app.self_update.local_node(),
    };
    let info = app.store.write(move |ctx| record::insert(ctx, new)).await?;
    tracing::info!(
        update = %info.id,
        from = %info.from_version,
        to = %info.to_version,
        "update accepted: draining the local worker"
    );
    let plan = Driving {
        id: info.id.clone(),
        exe,
        listen_fd,
        url,
        candidate,
        drain_timeout,
    };
    tokio::spawn(drive(app.clone(), plan));
    Ok(info)
}

struct Driving {
    id: String,
    exe: PathBuf,
    listen_fd: i32,
    url: String,
    candidate: candidate::Candidate,
    drain_timeout: Duration,
}

/// Steps 2 and 3: wait for the drain, then swap and ask for the restart; any failure before the
/// restart leaves the old binary running and records `failed`.
async fn drive(app: AppState, plan: Driving) {
    let id = plan.id.clone();
    let outcome = match wait_for_drain(&app, plan.drain_timeout).await {
        Ok(()) => swap_and_restart(&app, plan).await,
        Err(why) => Err(why),
    };
    if let Err(why) = outcome {
        tracing::warn!(update = %id, "update failed: {why}");
        let id2 = id.clone();
        if let Err(e) = app
            .store
            .write(move |ctx| record::set_state(ctx, &id2, UpdateState::Failed, &why))
            .await
        {
            tracing::error!(update = %id, "cannot record the failed update: {e}");
        }
    }
}

async fn wait_for_drain(app: &AppState, timeout: Duration) -> Result<(), String> {
    let Some(node) = app.self_update.local_node() else {
        return Ok(());
    };
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let node = node.clone();
        let running = app
            .store
            .read(move |c| record::running_on(c, &node))
            .await
            .map_err(|e| format!("cannot count the local worker's tasks: {e}"))?;
        if running == 0 {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(format!(
                "the drain deadline ({}s) passed with {running} task(s) still running on the \
                 local worker; nothing was replaced and the worker takes work again",
                timeout.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn swap_and_restart(app: &AppState, plan: Driving) -> Result<(), String> {
    let data_dir = app.settings.data_dir.clone();
    let rollback = swap::keep_rollback_copy(&plan.exe, &data_dir).map_err(|e| {
        format!(
            "cannot keep a rollback copy of {} in {}: {e}",
            plan.exe.display(),
            data_dir.display()
        )
    })?;
    let listen_fd = swap::dup_listener(plan.listen_fd)
        .map_err(|e| format!("cannot hold the listening socket for the restart: {e}"))?;
    let close_copy = || {
        // SAFETY: closing the copy this function made and nothing else uses.
        unsafe { libc::close(listen_fd) };
    };
    let guard_plan = guard::GuardPlan {
        parent: std::process::id(),
        health_url: plan.url.clone(),
        version: plan.candidate.version.clone(),
        exe: plan.exe.clone(),
        rollback: rollback.clone(),
        listen_fd,
        timeout: START_TIMEOUT,
        args: app.self_update.args.iter().skip(1).cloned().collect(),
    };
    // The guard runs the binary that runs now: spawned before the swap, it is the old version.
    let guard_pid = match guard::spawn(&plan.exe, &guard_plan) {
        Ok(pid) => pid,
        Err(e) => {
            close_copy();
            return Err(format!("cannot start the update guard: {e}"));
        }
    };
    if let Err(e) = swap::place(&plan.candidate.path, &plan.exe) {
        stop_guard(guard_pid);
        close_copy();
        return Err(format!(
            "cannot replace {} (is its directory writable by the coordinator?): {e}",
            plan.exe.display()
        ));
    }
    let id = plan.id.clone();
    let message = format!(
        "binary replaced (previous kept at {}); restarting",
        rollback.display()
    );
    if let Err(e) = app
        .store
        .write(move |ctx| record::set_state(ctx, &id, UpdateState::Restarting, &message))
        .await
    {
        // Put the old binary back: the record must never say less than what happened.
        let restored = swap::place(&rollback, &plan.exe);
        stop_guard(guard_pid);
        close_copy();
        return Err(format!(
            "cannot record the restart ({e}); the previous binary was put back: {restored:?}"
        ));
    }
    tracing::info!(update = %plan.id, "binary replaced: restarting into the new version");
    crate::sd_notify::status(&format!("restarting into {}", plan.candidate.version));
    app.self_update.restart.send_replace(Some(RestartPlan {
        exe: plan.exe,
        args: app.self_update.args.clone(),
        listen_fd,
        guard_pid,
    }));
    Ok(())
}

fn stop_guard(pid: u32) {
    // Signals and reaps the guard this process spawned.
    if let Some(pid) = crate::runs::liveness::pid(pid) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::empty());
    }
}
