//! The update guard: a small process, running the previous binary, that watches the coordinator
//! re-execute into the new one. If the new version does not answer `/health` in time, or its
//! process dies, the guard puts the previous binary back and brings the coordinator up again on
//! the same socket (or, under systemd, leaves the restart to the unit's `Restart=on-failure`).
//!
//! It exists because a process that execs into a broken binary cannot roll itself back.

use super::swap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the guard is told on its command line (see `cli::service_args::UpdateGuardArgs`).
#[derive(Debug, Clone)]
pub struct GuardPlan {
    pub parent: u32,
    pub health_url: String,
    pub version: String,
    pub exe: PathBuf,
    pub rollback: PathBuf,
    pub listen_fd: i32,
    pub timeout: Duration,
    /// The coordinator's arguments, without argv[0].
    pub args: Vec<OsString>,
}

impl GuardPlan {
    /// The guard's own command line: the hidden `__update-guard` subcommand.
    pub fn to_args(&self) -> Vec<OsString> {
        let mut out: Vec<OsString> = vec![
            "__update-guard".into(),
            "--parent".into(),
            self.parent.to_string().into(),
            "--health-url".into(),
            self.health_url.clone().into(),
            "--expect-version".into(),
            self.version.clone().into(),
            "--exe".into(),
            self.exe.clone().into(),
            "--rollback".into(),
            self.rollback.clone().into(),
            "--listen-fd".into(),
            self.listen_fd.to_string().into(),
            "--timeout-secs".into(),
            self.timeout.as_secs().to_string().into(),
            "--".into(),
        ];
        out.extend(self.args.iter().cloned());
        out
    }
}

/// Spawns the guard from `guard_exe` (the binary running now, before the swap), handing it the
/// listening socket so the port stays bound even if the new process dies.
#[cfg(unix)]
pub fn spawn(guard_exe: &std::path::Path, plan: &GuardPlan) -> std::io::Result<u32> {
    use std::os::unix::process::CommandExt;
    let fd = plan.listen_fd;
    let mut cmd = std::process::Command::new(guard_exe);
    cmd.args(plan.to_args())
        .stdin(std::process::Stdio::null())
        .env_remove(swap::LISTEN_FD_ENV);
    // SAFETY: runs in the forked child before exec; fcntl is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    let pid = child.id();
    // Not waited on here: after the exec the new process image reaps it (swap::reap_guard).
    std::mem::forget(child);
    Ok(pid)
}

/// Runs the guard; returns the process exit code when it does not exec the coordinator itself.
#[cfg(unix)]
pub fn run(plan: GuardPlan) -> u8 {
    let started_ms = crate::api::now_ms();
    let deadline = Instant::now() + plan.timeout;
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("update guard: cannot start: {e}");
            return 1;
        }
    };
    let why = loop {
        if parent_pid() != plan.parent {
            break "the coordinator process exited".to_string();
        }
        if rt.block_on(new_version_answers(&plan, started_ms)) {
            eprintln!("update guard: version {} is up", plan.version);
            return 0;
        }
        if Instant::now() > deadline {
            break format!(
                "version {} did not answer /health within {}s",
                plan.version,
                plan.timeout.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(150));
    };
    eprintln!("update guard: {why}; restoring the previous binary");
    if let Err(e) = swap::place(&plan.rollback, &plan.exe) {
        eprintln!(
            "update guard: cannot restore {} from {}: {e}",
            plan.exe.display(),
            plan.rollback.display()
        );
        return 1;
    }
    stop_parent(plan.parent);
    if std::env::var_os("INVOCATION_ID").is_some() {
        // Under systemd the unit restarts the service, now with the restored binary.
        eprintln!("update guard: previous binary restored; systemd restarts the service");
        return 1;
    }
    eprintln!("update guard: starting the previous version on the same socket");
    let e = swap::exec(&plan.exe, &exec_args(&plan), plan.listen_fd, None);
    eprintln!("update guard: cannot start {}: {e}", plan.exe.display());
    1
}

#[cfg(not(unix))]
pub fn run(_plan: GuardPlan) -> u8 {
    1
}

fn exec_args(plan: &GuardPlan) -> Vec<OsString> {
    let mut args = vec![plan.exe.clone().into_os_string()];
    args.extend(plan.args.iter().cloned());
    args
}

/// Does `/health` answer with the new version, from a process started after the guard?
async fn new_version_answers(plan: &GuardPlan, started_ms: i64) -> bool {
    let Ok(client) = crate::api::client::Client::new(&plan.health_url, None) else {
        return false;
    };
    let Ok(Ok(health)) = tokio::time::timeout(Duration::from_secs(2), client.health()).await else {
        return false;
    };
    health["version"].as_str() == Some(plan.version.as_str())
        && health["started_at"]
            .as_i64()
            .is_some_and(|t| t >= started_ms)
}

/// Kills the coordinator if it still runs (hung in the new version) and waits for it to go.
#[cfg(unix)]
fn stop_parent(parent: u32) {
    if parent_pid() == parent
        && let Some(pid) = crate::runs::liveness::pid(parent)
    {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
    let until = Instant::now() + Duration::from_secs(10);
    while parent_pid() == parent && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Our parent's pid; 0 once we have none (reparented to no one we can name).
#[cfg(unix)]
fn parent_pid() -> u32 {
    rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get().unsigned_abs())
}
