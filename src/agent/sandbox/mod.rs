//! The sandbox in which the worker runs one task.
//!
//! [`run`] is synchronous (the caller wraps it in `tokio::task::spawn_blocking`).
//! It runs the task's command in a fresh process group with a scrubbed
//! environment and resource limits, streams stdout/stderr to a sink, caps how
//! much of that output is delivered, enforces a wall-clock timeout and
//! cancellation by signalling the whole group (SIGTERM, then SIGKILL after a
//! grace period), and reports exit status, duration, CPU time and peak memory.
//!
//! Threads while a task runs:
//! - the caller's thread supervises: it waits on a channel with a timeout of at
//!   most [`SUPERVISE_TICK`], so deadline and cancellation are noticed promptly
//!   without busy-spinning;
//! - a waiter thread blocks in `waitid`/`wait4` on the child's pid and reports the
//!   exit status with its rusage;
//! - one reader thread per pipe delivers output to the sink in chunks.
//!
//! Containment (see `cgroup`): on Linux, where a pids cgroup can be made, each
//! task gets one with `pids.max` = [`Limits::processes`]; it caps the task's
//! process count whoever the task runs as, and every process still in it when
//! the task ends is killed, including those that left the process group.
//! With [`SandboxSpec::run_as`] the task runs as that user (privileges are
//! dropped in the child after the limits are set and the cgroup joined).
//!
//! Limits of this design (documented, not bugs):
//! - without a pids cgroup, a descendant that leaves the process group
//!   (`setsid`, `setpgid`) is not killed; the sandbox only stops waiting for its
//!   output after [`READER_GIVE_UP`].
//! - `RLIMIT_NPROC` counts every process of the real user id, not only the
//!   task's, and is not enforced for root: a task run as root with no pids
//!   cgroup has no process cap at all ([`Outcome::pids_contained`] says which).
//! - network isolation exists on Linux only (network namespaces); elsewhere
//!   the task runs with network and the outcome says so.
//!
//! This file holds the public types and the orchestration of one run; the
//! stages live in submodules: `workdir` (task files and the command),
//! `child` (setup between fork and exec), `cgroup` (the per-task pids cgroup,
//! Linux), `netns` (network isolation, Linux), `supervise` (waiting, reaping,
//! killing the group) and `output` (reader threads and tails).

mod cgroup;
mod child;
#[cfg(target_os = "linux")]
pub mod confine;
pub mod host_caps;
#[cfg(target_os = "linux")]
mod netns;
mod output;
pub mod reaper;
mod supervise;
mod workdir;

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use cgroup::TaskCgroup;
use child::{ChildSetup, child_setup, setup_failure};
use output::{OutputShared, Tail};
use supervise::{
    Watch, decode_status, kill_group, peak_rss_kib, pid_t, reap, supervise_in_scope,
    timeval_to_duration,
};
use workdir::{build_command, prepare_workdir};

/// Name of the file a [`TaskCommand::Script`] is written to inside the workdir.
/// Running `/bin/sh FILE` instead of `sh -c SCRIPT` keeps long scripts clear of
/// the argv size limit and out of `ps` listings.
pub const SCRIPT_FILE_NAME: &str = ".edgecoder-task.sh";
/// Directory inside the workdir that the task gets as `TMPDIR`.
pub const TMP_DIR_NAME: &str = ".tmp";
/// Longest the supervisor sleeps before re-checking deadline and cancellation.
const SUPERVISE_TICK: Duration = Duration::from_millis(50);
/// After the child is reaped and its group killed, how long readers may still
/// drain the pipes. A pipe still open after that is held by a descendant that
/// escaped the group, and we stop waiting for it.
const READER_GIVE_UP: Duration = Duration::from_secs(2);

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskCommand {
    /// Program and arguments; the program is looked up in the task's `PATH`.
    Argv(Vec<String>),
    /// Shell script, written to `<workdir>/.edgecoder-task.sh` and run as
    /// `/bin/sh <that file>`.
    Script(String),
}

/// Resource limits applied with `setrlimit` (soft and hard) in the child.
/// `None` leaves the worker's own limit in place. A limit above the current
/// hard limit is clamped to it, since only root may raise a hard limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// RLIMIT_CPU: the task gets SIGXCPU at this many CPU seconds, SIGKILL a second later.
    pub cpu_seconds: Option<u64>,
    /// RLIMIT_AS.
    pub address_space_bytes: Option<u64>,
    /// RLIMIT_NOFILE.
    pub open_files: Option<u64>,
    /// RLIMIT_FSIZE: largest file the task may write.
    pub file_size_bytes: Option<u64>,
    /// `pids.max` of the task's pids cgroup when one is made; RLIMIT_NPROC
    /// (per real user id, see the module docs) when none is.
    pub processes: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cpu_seconds: None,         // the wall-clock timeout bounds the task already
            address_space_bytes: None, // breaks runtimes that reserve big virtual ranges (JVM, Go, V8)
            open_files: Some(1024),
            file_size_bytes: Some(1 << 30),
            processes: Some(512),
        }
    }
}

/// A user the task runs as instead of the worker's own (only root may ask).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunAs {
    pub uid: u32,
    /// Primary group; supplementary groups are dropped.
    pub gid: u32,
}

/// Everything needed to run one task.
#[derive(Debug, Clone)]
pub struct SandboxSpec {
    pub command: TaskCommand,
    /// Variables the task sets, applied after the base environment (so they may override it).
    pub env: Vec<(String, String)>,
    /// Must exist; the caller creates and removes it.
    pub workdir: PathBuf,
    /// Files written into `workdir` before the start: relative paths only,
    /// no `..`, and never through a symlink.
    pub files: Vec<(String, Vec<u8>)>,
    pub timeout: Duration,
    /// Time between SIGTERM and SIGKILL of the group on timeout or cancellation.
    pub kill_grace: Duration,
    pub limits: Limits,
    /// Most bytes of stdout+stderr (together) delivered to the sink; the rest is
    /// read and dropped so the task never blocks on a full pipe.
    pub output_cap_bytes: u64,
    /// Trailing bytes of each stream kept in the [`Outcome`] (including bytes
    /// dropped by the cap, so the tail is the real end of the stream).
    pub tail_bytes: usize,
    /// `false`: try to run the task in an empty network namespace (Linux only);
    /// when that is impossible the task runs anyway, see [`Outcome::network_isolated`].
    pub network: bool,
    /// Run the task as this user: the workdir, its `.tmp` and the task files are
    /// handed to it before the start. Every directory above the workdir must let
    /// that user through (execute permission), or the task cannot reach its files.
    /// `None`: the task runs as the worker.
    pub run_as: Option<RunAs>,
    /// Confine the task with Landlock (Linux, where the kernel offers it, see
    /// `confine`) and `no_new_privs`: it reaches only its workdir and
    /// read-only system paths. `false` for the owner's own local runs.
    pub confine: bool,
    /// The task's PATH, in order (`agent::task_env`); empty: the base path. Under Landlock the
    /// dirs outside the system trees are opened to the task for reading and executing.
    pub path: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamKind {
    Stdout,
    Stderr,
}

/// Cancels a running task from another thread; checked every [`SUPERVISE_TICK`].
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What happened to a task.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `None` when killed by a signal.
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub cancelled: bool,
    /// Wall clock from spawn to exit.
    pub duration: Duration,
    /// User + system time of the child and the descendants it waited for.
    pub cpu_time: Duration,
    /// Peak resident set size in KiB (of the child or a descendant it waited for).
    pub peak_rss_kib: u64,
    pub stdout_tail: Vec<u8>,
    pub stderr_tail: Vec<u8>,
    /// Bytes of output seen on both streams, including those dropped by the cap.
    pub output_bytes: u64,
    /// Output was dropped because of `output_cap_bytes`.
    pub truncated: bool,
    /// True only if the network was requested off and isolation took effect.
    pub network_isolated: bool,
    /// The task ran in its own pids cgroup: its process count was capped by
    /// `pids.max` and every process left in it at the end was killed.
    pub pids_contained: bool,
    /// 0 when the command could not be started (exit code 127 or 126).
    pub pid: u32,
    pub started_at: SystemTime,
}

impl Outcome {
    /// Exited with 0, on its own.
    pub fn succeeded(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out && !self.cancelled
    }

    /// The code a shell would report: 124 on timeout (like `timeout(1)`), the exit
    /// code, or 128+signal. A cancelled task that still exited 0 reports 130 (as
    /// if interrupted), so a cancelled task never looks successful.
    pub fn shell_exit_code(&self) -> i32 {
        if self.timed_out {
            return 124;
        }
        let code = match (self.exit_code, self.signal) {
            (Some(code), _) => code,
            (None, Some(sig)) => 128 + sig,
            (None, None) => 1,
        };
        if self.cancelled && code == 0 {
            130
        } else {
            code
        }
    }
}

#[derive(Debug)]
pub enum SandboxError {
    /// A file in `SandboxSpec::files` was refused (absolute, `..`, symlink, ...).
    BadFile(String),
    /// The command could not be started (bad argv or environment, fork failure).
    Spawn(io::Error),
    /// Preparing the workdir or supervising the task failed.
    Io(io::Error),
}

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxError::BadFile(msg) => write!(f, "refused task file: {msg}"),
            SandboxError::Spawn(err) => write!(f, "could not start task: {err}"),
            SandboxError::Io(err) => write!(f, "sandbox I/O error: {err}"),
        }
    }
}

impl std::error::Error for SandboxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SandboxError::BadFile(_) => None,
            SandboxError::Spawn(err) | SandboxError::Io(err) => Some(err),
        }
    }
}

/// Receives output chunks; called from both reader threads.
type Sink<'a> = &'a (dyn Fn(StreamKind, &[u8]) + Send + Sync);

/// Runs one task; see the module docs. `sink` receives output chunks, in order
/// per stream, from two reader threads. Same as [`run_with_spawn_hook`] without a hook.
pub fn run(
    spec: &SandboxSpec,
    sink: &(dyn Fn(StreamKind, &[u8]) + Send + Sync),
    cancel: &CancelFlag,
) -> Result<Outcome, SandboxError> {
    run_with_spawn_hook(spec, sink, cancel, &|_| {})
}

/// Like [`run`], and calls `on_spawn(pid)` on the calling thread right after the
/// child has been spawned (its `exec` has succeeded), before any output is read:
/// for measuring start overhead or recording the pid. Keep it quick: the
/// timeout clock is already running.
pub fn run_with_spawn_hook(
    spec: &SandboxSpec,
    sink: &(dyn Fn(StreamKind, &[u8]) + Send + Sync),
    cancel: &CancelFlag,
    on_spawn: &dyn Fn(u32),
) -> Result<Outcome, SandboxError> {
    let workdir = std::path::absolute(&spec.workdir).map_err(SandboxError::Io)?;
    prepare_workdir(spec, &workdir)?;
    let (program, mut cmd) = build_command(spec, &workdir)?;

    let cgroup = TaskCgroup::create(spec.limits.processes);
    let (failure_read, failure_write) = io::pipe().map_err(SandboxError::Io)?;
    let setup = ChildSetup::new(
        &spec.limits,
        spec.run_as,
        cgroup.as_ref().map(TaskCgroup::procs_path),
        failure_write.as_raw_fd(),
    );
    #[cfg(target_os = "linux")]
    let (setup, net_report) = if spec.network {
        (setup, None)
    } else {
        let (read_end, write_end) = netns::report_pipe().map_err(SandboxError::Io)?;
        // A user namespace would leave the task's uid unmapped after the switch
        // to `run_as`: with a user to switch to, only a plain network namespace.
        let net = netns::Isolation::new(write_end.as_raw_fd(), spec.run_as.is_none());
        let mut setup = setup;
        setup.net = Some(net);
        (setup, Some((read_end, write_end)))
    };
    // Kept open until the child has exec'ed: the child applies it by fd.
    #[cfg(target_os = "linux")]
    let landlock_ruleset = if spec.confine {
        confine::ruleset_for(&workdir, &spec.path).map_err(SandboxError::Io)?
    } else {
        None
    };
    #[cfg(target_os = "linux")]
    let setup = {
        let mut setup = setup;
        setup.landlock_fd = landlock_ruleset.as_ref().map(AsRawFd::as_raw_fd);
        setup
    };
    // SAFETY: `child_setup` only makes async-signal-safe calls (getrlimit,
    // setrlimit, signal, unshare, open/write/close, socket/ioctl, prctl,
    // setgroups/setgid/setuid, landlock_restrict_self) on data prepared here, and never allocates.
    unsafe { cmd.pre_exec(move || child_setup(&setup)) };

    let started_at = SystemTime::now();
    let start = Instant::now();
    let spawned = cmd.spawn();
    // Ours is the last write end once the child has exec'ed or exited.
    drop(failure_write);
    #[cfg(target_os = "linux")]
    drop(landlock_ruleset);
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            // A failure in our own setup (not a missing program): say which step.
            if let Some(step) = setup_failure(failure_read) {
                let err = io::Error::new(err.kind(), format!("{step}: {err}"));
                return Err(SandboxError::Spawn(err));
            }
            return not_started(spec, sink, &program, err, started_at, start);
        }
    };
    drop(failure_read);
    let pid = child.id();
    on_spawn(pid);

    #[cfg(target_os = "linux")]
    let network_isolated = net_report.is_some_and(|(read_end, write_end)| {
        drop(write_end);
        netns::read_report(read_end)
    });
    #[cfg(not(target_os = "linux"))]
    let network_isolated = false;

    let pipes = (child.stdout.take(), child.stderr.take());
    // From here on the pid is reaped with wait4 by the waiter thread; dropping
    // `Child` neither waits nor kills.
    drop(child);
    let (Some(stdout), Some(stderr)) = pipes else {
        // Cannot happen (both are piped); do not leave the task running.
        kill_group(pid_t(pid), libc::SIGKILL);
        let _ = reap(pid_t(pid));
        return Err(SandboxError::Io(io::Error::other("child pipes missing")));
    };

    let output = OutputShared {
        sink,
        cap: spec.output_cap_bytes,
        delivered: AtomicU64::new(0),
        total: AtomicU64::new(0),
        truncated: AtomicBool::new(false),
        give_up: AtomicBool::new(false),
    };
    let watch = Watch {
        pid: pid_t(pid),
        deadline: start.checked_add(spec.timeout),
        grace: spec.kill_grace,
        reaped: Mutex::new(false),
        cgroup: cgroup.as_ref(),
    };
    let (supervision, stdout_tail, stderr_tail) = thread::scope(|scope| {
        supervise_in_scope(
            scope,
            &watch,
            cancel,
            &output,
            spec.tail_bytes,
            stdout.into(),
            stderr.into(),
        )
    })?;
    // Kills whatever is still in the cgroup (the waiter did so already) and removes it.
    let pids_contained = cgroup.is_some();
    drop(cgroup);
    let exit = supervision.exit;
    let (exit_code, signal) = decode_status(exit.status);
    Ok(Outcome {
        exit_code,
        signal,
        timed_out: supervision.timed_out,
        cancelled: supervision.cancelled,
        duration: exit.at.saturating_duration_since(start),
        cpu_time: timeval_to_duration(exit.rusage.ru_utime)
            + timeval_to_duration(exit.rusage.ru_stime),
        peak_rss_kib: peak_rss_kib(&exit.rusage),
        stdout_tail,
        stderr_tail,
        output_bytes: output.total.load(Ordering::Relaxed),
        truncated: output.truncated.load(Ordering::Relaxed),
        network_isolated,
        pids_contained,
        pid,
        started_at,
    })
}

/// Whether tasks can get a pids cgroup on this machine (found out once per
/// process; why not is logged at debug level).
pub fn pids_cgroup_available() -> bool {
    cgroup::available()
}

/// The command could not be exec'ed: answer like a shell would (127 not found,
/// 126 not executable) so the user sees why in the task log. Other spawn
/// failures are errors.
fn not_started(
    spec: &SandboxSpec,
    sink: Sink<'_>,
    program: &OsString,
    err: io::Error,
    started_at: SystemTime,
    start: Instant,
) -> Result<Outcome, SandboxError> {
    let program = program.to_string_lossy();
    let (code, message) = match err.kind() {
        io::ErrorKind::NotFound => (127, format!("edgecoder: command not found: {program}\n")),
        io::ErrorKind::PermissionDenied => {
            (126, format!("edgecoder: permission denied: {program}\n"))
        }
        _ => return Err(SandboxError::Spawn(err)),
    };
    let bytes = message.into_bytes();
    let shown = bytes
        .len()
        .min(usize::try_from(spec.output_cap_bytes).unwrap_or(usize::MAX));
    if shown > 0 {
        sink(StreamKind::Stderr, &bytes[..shown]);
    }
    let mut tail = Tail::new(spec.tail_bytes);
    tail.push(&bytes);
    Ok(Outcome {
        exit_code: Some(code),
        signal: None,
        timed_out: false,
        cancelled: false,
        duration: start.elapsed(),
        cpu_time: Duration::ZERO,
        peak_rss_kib: 0,
        stdout_tail: Vec::new(),
        stderr_tail: tail.into_vec(),
        output_bytes: bytes.len() as u64,
        truncated: shown < bytes.len(),
        network_isolated: false,
        pids_contained: false,
        pid: 0,
        started_at,
    })
}

#[cfg(test)]
mod tests;
#[cfg(all(test, target_os = "linux"))]
mod tests_confine;
#[cfg(test)]
mod tests_contain;
