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
//! Limits of this design (documented, not bugs):
//! - a descendant that leaves the process group (`setsid`, `setpgid`) is not
//!   killed; the sandbox only stops waiting for its output after
//!   [`READER_GIVE_UP`]. Containing those needs a PID namespace or a cgroup.
//! - `RLIMIT_NPROC` counts every process of the real user id, not only the
//!   task's, and is not enforced for root.
//! - network isolation exists on Linux only (network namespaces); elsewhere
//!   the task runs with network and the outcome says so.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

/// Name of the file a [`TaskCommand::Script`] is written to inside the workdir.
/// Running `/bin/sh FILE` instead of `sh -c SCRIPT` keeps long scripts clear of
/// the argv size limit and out of `ps` listings.
pub const SCRIPT_FILE_NAME: &str = ".edgecoder-task.sh";
/// Directory inside the workdir that the task gets as `TMPDIR`.
pub const TMP_DIR_NAME: &str = ".tmp";
const BASE_PATH: &str = "/usr/local/bin:/usr/bin:/bin";
/// Bytes per read from a pipe (the Linux pipe buffer is 64 KiB, so one read
/// usually empties it).
const READ_CHUNK: usize = 64 * 1024;
/// Longest the supervisor sleeps before re-checking deadline and cancellation.
const SUPERVISE_TICK: Duration = Duration::from_millis(50);
/// How often an idle reader wakes to see whether it should give up.
const READER_POLL_MS: libc::c_int = 100;
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
    /// RLIMIT_NPROC (per real user id, see the module docs).
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

    let setup = ChildSetup::new(&spec.limits);
    #[cfg(target_os = "linux")]
    let (setup, net_report) = if spec.network {
        (setup, None)
    } else {
        let (read_end, write_end) = netns::report_pipe().map_err(SandboxError::Io)?;
        let net = netns::Isolation::new(write_end.as_raw_fd());
        (
            ChildSetup {
                net: Some(net),
                ..setup
            },
            Some((read_end, write_end)),
        )
    };
    // SAFETY: `child_setup` only makes async-signal-safe calls (getrlimit,
    // setrlimit, signal, unshare, open/write/close, socket/ioctl, prctl) on data
    // prepared here, and never allocates.
    unsafe { cmd.pre_exec(move || child_setup(&setup)) };

    let started_at = SystemTime::now();
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(err) => return not_started(spec, sink, &program, err, started_at, start),
    };
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
        pid,
        started_at,
    })
}

// ---------------------------------------------------------------------------
// Preparing the workdir and the command

fn prepare_workdir(spec: &SandboxSpec, workdir: &Path) -> Result<(), SandboxError> {
    let meta = fs::metadata(workdir).map_err(|err| {
        SandboxError::Io(io::Error::new(
            err.kind(),
            format!("workdir {}: {err}", workdir.display()),
        ))
    })?;
    if !meta.is_dir() {
        return Err(SandboxError::Io(io::Error::other(format!(
            "workdir {} is not a directory",
            workdir.display()
        ))));
    }
    // Check every name before writing anything, so a refused list writes nothing.
    let targets = spec
        .files
        .iter()
        .map(|(name, _)| checked_relative_path(name))
        .collect::<Result<Vec<_>, _>>()?;
    for ((name, data), rel) in spec.files.iter().zip(&targets) {
        refuse_symlinks(workdir, rel, name)?;
        let dest = workdir.join(rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(SandboxError::Io)?;
        }
        fs::write(&dest, data).map_err(SandboxError::Io)?;
    }
    fs::create_dir_all(workdir.join(TMP_DIR_NAME)).map_err(SandboxError::Io)?;
    if let TaskCommand::Script(script) = &spec.command {
        fs::write(workdir.join(SCRIPT_FILE_NAME), script).map_err(SandboxError::Io)?;
    }
    Ok(())
}

/// A task file name as a path that stays inside the workdir.
fn checked_relative_path(name: &str) -> Result<PathBuf, SandboxError> {
    let bad = |why: &str| SandboxError::BadFile(format!("{name:?}: {why}"));
    if name.contains('\0') {
        return Err(bad("contains a NUL byte"));
    }
    let mut rel = PathBuf::new();
    for component in Path::new(name).components() {
        match component {
            Component::Normal(part) => rel.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(bad("`..` is not allowed")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(bad("absolute paths are not allowed"));
            }
        }
    }
    if rel.as_os_str().is_empty() {
        return Err(bad("names no file"));
    }
    Ok(rel)
}

/// A workdir may hold a checkout with symlinks; writing through one could land
/// anywhere on disk, so refuse any existing symlink along the path.
fn refuse_symlinks(workdir: &Path, rel: &Path, name: &str) -> Result<(), SandboxError> {
    let mut path = workdir.to_path_buf();
    for part in rel.components() {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(SandboxError::BadFile(format!(
                    "{name:?}: passes through a symlink"
                )));
            }
            Ok(_) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(SandboxError::Io(err)),
        }
    }
    Ok(())
}

/// The command with its scrubbed environment, and the program name for messages.
fn build_command(spec: &SandboxSpec, workdir: &Path) -> Result<(OsString, Command), SandboxError> {
    let invalid =
        |msg: String| SandboxError::Spawn(io::Error::new(io::ErrorKind::InvalidInput, msg));
    let (program, args): (OsString, Vec<OsString>) = match &spec.command {
        TaskCommand::Argv(argv) => {
            let (first, rest) = argv
                .split_first()
                .ok_or_else(|| invalid("empty argv".into()))?;
            (first.into(), rest.iter().map(OsString::from).collect())
        }
        TaskCommand::Script(_) => (
            "/bin/sh".into(),
            vec![workdir.join(SCRIPT_FILE_NAME).into()],
        ),
    };
    let mut cmd = Command::new(&program);
    cmd.args(&args)
        .current_dir(workdir)
        .env_clear()
        .env("PATH", BASE_PATH)
        .env("HOME", workdir)
        .env("LANG", "C.UTF-8")
        .env("TMPDIR", workdir.join(TMP_DIR_NAME));
    for (key, value) in &spec.env {
        if key.is_empty() || key.contains('=') || key.contains('\0') {
            return Err(invalid(format!(
                "invalid environment variable name {key:?}"
            )));
        }
        cmd.env(key, value);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    Ok((program, cmd))
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
        pid: 0,
        started_at,
    })
}

// ---------------------------------------------------------------------------
// Between fork and exec: only async-signal-safe calls, no allocation.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

/// One limit to set: resource, soft value, hard value.
type LimitSetting = (Resource, libc::rlim_t, libc::rlim_t);

/// Prepared in the parent, copied into the `pre_exec` closure.
#[derive(Clone, Copy)]
struct ChildSetup {
    limits: [Option<LimitSetting>; 6],
    /// Checked in the child to close the race where the worker dies before
    /// the parent-death signal is armed.
    #[cfg(target_os = "linux")]
    parent_pid: libc::pid_t,
    #[cfg(target_os = "linux")]
    net: Option<netns::Isolation>,
}

impl ChildSetup {
    fn new(limits: &Limits) -> Self {
        let value = |v: u64| libc::rlim_t::try_from(v).unwrap_or(libc::RLIM_INFINITY);
        let same = |resource: Resource, v: Option<u64>| v.map(|v| (resource, value(v), value(v)));
        ChildSetup {
            limits: [
                // Hard limit one second above the soft one: the task first gets
                // SIGXCPU (a recognisable 152) rather than an anonymous SIGKILL.
                limits
                    .cpu_seconds
                    .map(|v| (libc::RLIMIT_CPU, value(v), value(v.saturating_add(1)))),
                same(libc::RLIMIT_AS, limits.address_space_bytes),
                same(libc::RLIMIT_NOFILE, limits.open_files),
                same(libc::RLIMIT_FSIZE, limits.file_size_bytes),
                same(libc::RLIMIT_NPROC, limits.processes),
                // No core dumps: they would fill the workdir with up to file-size-limit bytes.
                Some((libc::RLIMIT_CORE, 0, 0)),
            ],
            #[cfg(target_os = "linux")]
            parent_pid: pid_t(std::process::id()),
            #[cfg(target_os = "linux")]
            net: None,
        }
    }
}

fn child_setup(setup: &ChildSetup) -> io::Result<()> {
    // Ignored signals stay ignored across exec; a worker that ignores e.g.
    // SIGTERM or SIGCHLD must not pass that on. (Handlers are reset by exec.)
    for sig in 1..32 {
        if sig != libc::SIGKILL && sig != libc::SIGSTOP {
            // SAFETY: resetting a disposition to default; invalid numbers just fail.
            unsafe { libc::signal(sig, libc::SIG_DFL) };
        }
    }
    for &(resource, soft, hard) in setup.limits.iter().flatten() {
        set_limit(resource, soft, hard)?;
    }
    #[cfg(target_os = "linux")]
    {
        if let Some(net) = &setup.net {
            net.enter_and_report();
        }
        // If the worker dies, take the task down with it. Armed after unshare,
        // which could clear it.
        // SAFETY: prctl/getppid only affect this process.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
            if libc::getppid() != setup.parent_pid {
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
        }
    }
    Ok(())
}

fn set_limit(resource: Resource, soft: libc::rlim_t, hard: libc::rlim_t) -> io::Result<()> {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid pointer to a local rlimit.
    if unsafe { libc::getrlimit(resource, &mut current) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // Lowering is always allowed, raising the hard limit is not: clamp.
    let hard = hard.min(current.rlim_max);
    let wanted = libc::rlimit {
        rlim_cur: soft.min(hard),
        rlim_max: hard,
    };
    // SAFETY: valid pointer to a local rlimit.
    if unsafe { libc::setrlimit(resource, &wanted) } != 0 {
        let err = io::Error::last_os_error();
        // EINVAL: the platform does not support this limit or value (macOS
        // caps RLIMIT_NOFILE at OPEN_MAX, for one); run without it.
        if err.raw_os_error() != Some(libc::EINVAL) {
            return Err(err);
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
mod netns {
    use std::fs::File;
    use std::io::{self, Read};
    use std::os::fd::{FromRawFd, OwnedFd, RawFd};

    /// A line for `/proc/self/{u,g}id_map`, formatted in the parent.
    #[derive(Clone, Copy)]
    struct MapLine {
        buf: [u8; 48],
        len: usize,
    }

    impl MapLine {
        fn identity(id: u32) -> Self {
            let text = format!("{id} {id} 1\n");
            let mut buf = [0u8; 48];
            let len = text.len().min(buf.len());
            buf[..len].copy_from_slice(&text.as_bytes()[..len]);
            MapLine { buf, len }
        }
    }

    #[derive(Clone, Copy)]
    pub(super) struct Isolation {
        /// Write end of the report pipe: the child writes b'1' when isolated, b'0' when not.
        report_fd: RawFd,
        uid_map: MapLine,
        gid_map: MapLine,
    }

    impl Isolation {
        pub(super) fn new(report_fd: RawFd) -> Self {
            // SAFETY: getuid/getgid cannot fail.
            let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
            Isolation {
                report_fd,
                uid_map: MapLine::identity(uid),
                gid_map: MapLine::identity(gid),
            }
        }

        /// In the child: move into a new, empty network namespace, with a new
        /// user namespace when we lack CAP_SYS_ADMIN. Never fails the spawn:
        /// without isolation the task runs anyway and the parent is told.
        pub(super) fn enter_and_report(&self) {
            let isolated = self.enter();
            let byte = if isolated { b'1' } else { b'0' };
            // SAFETY: writing one byte from a local to a pipe we own.
            unsafe { libc::write(self.report_fd, (&raw const byte).cast(), 1) };
        }

        fn enter(&self) -> bool {
            // SAFETY: unshare only changes this (single-threaded, forked) process.
            if unsafe { libc::unshare(libc::CLONE_NEWNET) } == 0 {
                loopback_up();
                return true;
            }
            // SAFETY: as above.
            if unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) } != 0 {
                return false;
            }
            // Map our own ids so the task keeps its uid/gid instead of
            // "nobody". Best effort: without the maps it is still isolated.
            write_proc(c"/proc/self/setgroups", b"deny");
            write_proc(c"/proc/self/uid_map", &self.uid_map.buf[..self.uid_map.len]);
            write_proc(c"/proc/self/gid_map", &self.gid_map.buf[..self.gid_map.len]);
            loopback_up();
            true
        }
    }

    fn write_proc(path: &std::ffi::CStr, data: &[u8]) {
        // SAFETY: open/write/close on a NUL-terminated literal and a borrowed buffer.
        unsafe {
            let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            if fd >= 0 {
                libc::write(fd, data.as_ptr().cast(), data.len());
                libc::close(fd);
            }
        }
    }

    /// A new namespace's `lo` is down; test suites often bind 127.0.0.1.
    fn loopback_up() {
        // SAFETY: socket/ioctl/close on a local ifreq; failures are ignored.
        unsafe {
            let sock = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
            if sock < 0 {
                return;
            }
            let mut req: libc::ifreq = std::mem::zeroed();
            req.ifr_name[0] = b'l' as libc::c_char;
            req.ifr_name[1] = b'o' as libc::c_char;
            if libc::ioctl(sock, libc::SIOCGIFFLAGS as _, &raw mut req) == 0 {
                req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
                libc::ioctl(sock, libc::SIOCSIFFLAGS as _, &raw const req);
            }
            libc::close(sock);
        }
    }

    /// Close-on-exec pipe through which the child says whether isolation worked.
    pub(super) fn report_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
        let mut fds: [libc::c_int; 2] = [-1, -1];
        // SAFETY: valid pointer to two ints.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: pipe2 just created both descriptors; nothing else owns them.
        Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
    }

    /// Called after spawn returned, i.e. after the child's pre_exec ran, so the
    /// byte is already in the pipe.
    pub(super) fn read_report(read_end: OwnedFd) -> bool {
        let mut byte = [0u8; 1];
        matches!(File::from(read_end).read(&mut byte), Ok(1)) && byte[0] == b'1'
    }
}

// ---------------------------------------------------------------------------
// Supervision

struct Exit {
    status: libc::c_int,
    rusage: libc::rusage,
    /// When the child's exit was noticed.
    at: Instant,
}

struct Supervision {
    exit: Exit,
    timed_out: bool,
    cancelled: bool,
}

struct Watch {
    /// The child's pid, which is also its process group id.
    pid: libc::pid_t,
    deadline: Option<Instant>,
    grace: Duration,
    /// Set once the child is reaped; held while signalling, so we never signal
    /// a group whose id (the reaped pid) may have been reused.
    reaped: Mutex<bool>,
}

impl Watch {
    fn signal_group(&self, sig: libc::c_int) {
        let reaped = lock(&self.reaped);
        if !*reaped {
            kill_group(self.pid, sig);
        }
    }
}

fn supervise_in_scope<'scope>(
    scope: &'scope thread::Scope<'scope, '_>,
    watch: &'scope Watch,
    cancel: &CancelFlag,
    output: &'scope OutputShared<'_>,
    tail_bytes: usize,
    stdout: OwnedFd,
    stderr: OwnedFd,
) -> Result<(Supervision, Vec<u8>, Vec<u8>), SandboxError> {
    let (exit_tx, exit_rx) = mpsc::channel();
    let waiter = thread::Builder::new()
        .name("sandbox-wait".into())
        .spawn_scoped(scope, move || {
            let _ = exit_tx.send(wait_and_reap(watch));
        });
    if let Err(err) = waiter {
        kill_group(watch.pid, libc::SIGKILL);
        let _ = reap(watch.pid);
        return Err(SandboxError::Io(err));
    }

    // Each reader holds a clone of `done_tx`; when both have ended, `done_rx`
    // reports Disconnected (even if a reader panicked in the sink).
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let mut readers = Vec::with_capacity(2);
    for (kind, fd) in [(StreamKind::Stdout, stdout), (StreamKind::Stderr, stderr)] {
        let done = done_tx.clone();
        let spawned = thread::Builder::new()
            .name("sandbox-read".into())
            .spawn_scoped(scope, move || {
                let _done = done;
                read_stream(fd, kind, output, tail_bytes)
            });
        match spawned {
            Ok(handle) => readers.push(handle),
            Err(err) => {
                output.give_up.store(true, Ordering::Relaxed);
                watch.signal_group(libc::SIGKILL);
                let _ = exit_rx.recv();
                return Err(SandboxError::Io(err));
            }
        }
    }
    drop(done_tx);

    let supervision = match supervise(watch, &exit_rx, cancel) {
        Ok(supervision) => supervision,
        Err(err) => {
            // The child could not be waited for (e.g. someone else reaped it):
            // kill its group and stop the readers, or they would block the scope.
            watch.signal_group(libc::SIGKILL);
            output.give_up.store(true, Ordering::Relaxed);
            return Err(SandboxError::Io(err));
        }
    };

    // The group is dead (the waiter killed it before reaping). Give the readers
    // a bounded time to drain what is left in the pipes, then make them stop.
    // Nothing is ever sent: this returns Disconnected once both readers have
    // ended, or Timeout.
    let _ = done_rx.recv_timeout(READER_GIVE_UP);
    output.give_up.store(true, Ordering::Relaxed);
    let mut tails = readers
        .into_iter()
        .map(|handle| handle.join().unwrap_or_default());
    let stdout_tail = tails.next().unwrap_or_default();
    let stderr_tail = tails.next().unwrap_or_default();
    Ok((supervision, stdout_tail, stderr_tail))
}

/// Waits for the exit report while enforcing the deadline and cancellation.
fn supervise(
    watch: &Watch,
    exit_rx: &mpsc::Receiver<io::Result<Exit>>,
    cancel: &CancelFlag,
) -> io::Result<Supervision> {
    enum Phase {
        Running,
        /// SIGTERM sent; SIGKILL due at the instant (None: grace too long to represent).
        Terminating(Option<Instant>),
        Killed,
    }
    let mut phase = Phase::Running;
    let (mut timed_out, mut cancelled) = (false, false);
    loop {
        let now = Instant::now();
        let next_event = match phase {
            Phase::Running => watch.deadline,
            Phase::Terminating(kill_at) => kill_at,
            Phase::Killed => None,
        };
        let wait = next_event.map_or(SUPERVISE_TICK, |at| {
            at.saturating_duration_since(now).min(SUPERVISE_TICK)
        });
        match exit_rx.recv_timeout(wait) {
            Ok(exit) => {
                return Ok(Supervision {
                    exit: exit?,
                    timed_out,
                    cancelled,
                });
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(io::Error::other("waiter thread ended without reporting"));
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        match phase {
            Phase::Running => {
                if cancel.is_cancelled() {
                    cancelled = true;
                } else if watch.deadline.is_some_and(|deadline| now >= deadline) {
                    timed_out = true;
                } else {
                    continue;
                }
                watch.signal_group(libc::SIGTERM);
                // A stopped process would only see the SIGTERM once continued.
                watch.signal_group(libc::SIGCONT);
                phase = Phase::Terminating(now.checked_add(watch.grace));
            }
            Phase::Terminating(Some(kill_at)) if now >= kill_at => {
                watch.signal_group(libc::SIGKILL);
                phase = Phase::Killed;
            }
            Phase::Terminating(_) | Phase::Killed => {}
        }
    }
}

/// Waiter thread: notice the exit, kill what is left of the group, reap.
fn wait_and_reap(watch: &Watch) -> io::Result<Exit> {
    if wait_exit_no_reap(watch.pid) {
        let at = Instant::now();
        // The child is a zombie, so its pid (our group id) cannot be reused yet:
        // orphaned descendants must not keep running nor hold the pipes open.
        let mut reaped = lock(&watch.reaped);
        kill_group(watch.pid, libc::SIGKILL);
        let (status, rusage) = reap(watch.pid)?;
        *reaped = true;
        Ok(Exit { status, rusage, at })
    } else {
        // waitid unusable: reap first, then kill the group (a tiny pid-reuse
        // window we cannot close this way).
        let result = reap(watch.pid);
        let at = Instant::now();
        *lock(&watch.reaped) = true;
        kill_group(watch.pid, libc::SIGKILL);
        let (status, rusage) = result?;
        Ok(Exit { status, rusage, at })
    }
}

/// Blocks until `pid` has exited, leaving it a zombie. False if waitid failed.
fn wait_exit_no_reap(pid: libc::pid_t) -> bool {
    let Ok(id) = libc::id_t::try_from(pid) else {
        return false;
    };
    loop {
        // SAFETY: siginfo_t is plain data; all-zero is a valid value.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointer; waits on our own child only.
        let rc = unsafe { libc::waitid(libc::P_PID, id, &mut info, libc::WEXITED | libc::WNOWAIT) };
        if rc == 0 {
            return true;
        }
        if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return false;
        }
    }
}

/// Blocking wait4 on `pid`, returning status and rusage.
fn reap(pid: libc::pid_t) -> io::Result<(libc::c_int, libc::rusage)> {
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: rusage is plain data; all-zero is a valid value.
        let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointers; waits on our own child only.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut rusage) };
        if rc == pid {
            return Ok((status, rusage));
        }
        let err = io::Error::last_os_error();
        if rc < 0 && err.kind() == io::ErrorKind::Interrupted {
            continue;
        }
        return Err(err);
    }
}

fn kill_group(pgid: libc::pid_t, sig: libc::c_int) {
    if pgid > 0 {
        // SAFETY: plain syscall; ESRCH (group already gone) is fine.
        unsafe { libc::kill(-pgid, sig) };
    }
}

fn lock(mutex: &Mutex<bool>) -> MutexGuard<'_, bool> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Child pids always fit in pid_t; the fallback (0) makes `kill_group` a no-op.
fn pid_t(pid: u32) -> libc::pid_t {
    libc::pid_t::try_from(pid).unwrap_or(0)
}

fn decode_status(status: libc::c_int) -> (Option<i32>, Option<i32>) {
    if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status)), None)
    } else if libc::WIFSIGNALED(status) {
        (None, Some(libc::WTERMSIG(status)))
    } else {
        (None, None)
    }
}

fn timeval_to_duration(tv: libc::timeval) -> Duration {
    let secs = u64::try_from(tv.tv_sec).unwrap_or(0);
    let micros = u32::try_from(tv.tv_usec).unwrap_or(0).min(999_999);
    Duration::new(secs, micros * 1000)
}

fn peak_rss_kib(rusage: &libc::rusage) -> u64 {
    let raw = u64::try_from(rusage.ru_maxrss).unwrap_or(0);
    // Linux reports KiB, the BSDs including macOS bytes.
    if cfg!(target_vendor = "apple") {
        raw / 1024
    } else {
        raw
    }
}

// ---------------------------------------------------------------------------
// Output

/// Shared by both readers: the cap counts stdout and stderr together.
struct OutputShared<'a> {
    sink: Sink<'a>,
    cap: u64,
    delivered: AtomicU64,
    total: AtomicU64,
    truncated: AtomicBool,
    /// Readers stop at their next wake-up, even with the pipe still open.
    give_up: AtomicBool,
}

impl OutputShared<'_> {
    fn deliver(&self, kind: StreamKind, chunk: &[u8]) {
        let len = chunk.len() as u64;
        self.total.fetch_add(len, Ordering::Relaxed);
        // Reserve our share of the cap atomically, so two readers never overshoot it.
        let before = self.delivered.fetch_add(len, Ordering::Relaxed);
        let room = self.cap.saturating_sub(before).min(len);
        let take = usize::try_from(room).unwrap_or(chunk.len());
        if take < chunk.len() {
            self.truncated.store(true, Ordering::Relaxed);
        }
        if take > 0 {
            (self.sink)(kind, &chunk[..take]);
        }
    }
}

/// Reads one pipe to EOF (or until told to give up); returns the stream's tail.
/// Waits in poll() with a timeout rather than a blocking read, so a pipe held
/// open by an escaped descendant cannot keep this thread forever.
fn read_stream(
    fd: OwnedFd,
    kind: StreamKind,
    output: &OutputShared<'_>,
    tail_bytes: usize,
) -> Vec<u8> {
    set_nonblocking(&fd);
    let mut pipe = File::from(fd);
    let mut buf = vec![0u8; READ_CHUNK];
    let mut tail = Tail::new(tail_bytes);
    while !output.give_up.load(Ordering::Relaxed) {
        let mut pfd = libc::pollfd {
            fd: pipe.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let ready = unsafe { libc::poll(&mut pfd, 1, READER_POLL_MS) };
        if ready == 0 {
            continue;
        }
        if ready < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        // Readable, hung up or in error: read() tells which.
        match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                output.deliver(kind, &buf[..n]);
                tail.push(&buf[..n]);
            }
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
                ) => {}
            Err(_) => break,
        }
    }
    tail.into_vec()
}

/// Best effort: poll() already says when data is there; non-blocking only
/// guards against a spurious wake-up blocking the read.
fn set_nonblocking(fd: &OwnedFd) {
    let raw = fd.as_raw_fd();
    // SAFETY: fcntl on a descriptor we own.
    unsafe {
        let flags = libc::fcntl(raw, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(raw, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
    }
}

/// The last `cap` bytes of a stream.
struct Tail {
    cap: usize,
    buf: VecDeque<u8>,
}

impl Tail {
    fn new(cap: usize) -> Self {
        Tail {
            cap,
            buf: VecDeque::new(),
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        if chunk.len() >= self.cap {
            self.buf.clear();
            self.buf.extend(&chunk[chunk.len() - self.cap..]);
            return;
        }
        let excess = (self.buf.len() + chunk.len()).saturating_sub(self.cap);
        self.buf.drain(..excess);
        self.buf.extend(chunk);
    }

    fn into_vec(self) -> Vec<u8> {
        self.buf.into()
    }
}

#[cfg(test)]
#[path = "sandbox_tests.rs"]
mod tests;
