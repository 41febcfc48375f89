//! Tasks die with their worker, `kill -9` included (Linux, with pids cgroups).
//!
//! The direct child of the worker gets a parent-death signal, but its
//! background children, and those that left its process group with `setsid`,
//! would run on. So each worker process starts one small reaper: the same
//! binary, run as `edgecoder __reap-tasks <worker pid>`, whose stdin is a pipe
//! whose only write end the worker holds. However the worker ends, the kernel
//! closes that end; the reaper's read returns end-of-file at once, and it
//! kills every task cgroup of that worker (`cgroup.kill`, else member by
//! member) and removes them. One reaper per worker rather than one supervisor
//! per task: no extra process per task, and nothing changes in how a task is
//! started, waited for or signalled.
//!
//! Without a pids cgroup there is no reaper: the task's direct child still
//! dies with the worker (parent-death signal), the rest of its processes may
//! not (documented in docs/decisions.md).

use std::io::{self, Read};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The hidden first argument that runs the reaper instead of the CLI.
pub const REAPER_ARG: &str = "__reap-tasks";

/// The write end of the pipe to this process's reaper, held until the process ends.
static REAPER: OnceLock<Mutex<Option<ChildStdin>>> = OnceLock::new();

/// Starts this process's reaper once, when tasks get pids cgroups here.
/// A failure is logged: tasks then rely on the parent-death signal alone.
pub fn ensure_started() {
    if !super::pids_cgroup_available() {
        return;
    }
    REAPER.get_or_init(|| match spawn() {
        Ok(stdin) => Mutex::new(Some(stdin)),
        Err(e) => {
            tracing::warn!(
                "cannot start the task reaper ({e}): a task's background processes may outlive \
                 this worker if it is killed"
            );
            Mutex::new(None)
        }
    });
}

fn spawn() -> io::Result<ChildStdin> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .arg(REAPER_ARG)
        .arg(std::process::id().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .env_clear()
        // Its own process group: a Ctrl-C meant for the worker must not end it first.
        .process_group(0)
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or_else(|| io::Error::other("reaper stdin missing"))
}

/// The reaper's `main`: waits for end-of-file on stdin (its worker is gone),
/// then kills that worker's tasks. Returns the exit code.
pub fn main(args: &[std::ffi::OsString]) -> u8 {
    let Some(pid) = args
        .first()
        .and_then(|a| a.to_str())
        .and_then(|a| a.parse::<libc::pid_t>().ok())
        .filter(|p| *p > 1)
    else {
        eprintln!("usage: edgecoder {REAPER_ARG} WORKER_PID");
        return 2;
    };
    let mut sink = [0u8; 64];
    let mut stdin = io::stdin().lock();
    loop {
        match stdin.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    #[cfg(target_os = "linux")]
    super::cgroup::kill_worker_tasks(pid);
    0
}
