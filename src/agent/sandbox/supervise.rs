//! Supervision: the waiter thread that notices the exit and reaps the child,
//! the supervisor loop that enforces the deadline and cancellation by
//! signalling the whole process group, and decoding what `wait4` reported.
//! Separate because it owns the process lifecycle and the pid-reuse rules
//! (never signal a group once its leader is reaped).

use super::cgroup::TaskCgroup;
use super::output::{OutputShared, read_stream};
use super::{CancelFlag, READER_GIVE_UP, SUPERVISE_TICK, SandboxError, StreamKind};
use std::io;
use std::os::fd::OwnedFd;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

pub(super) struct Exit {
    pub(super) status: libc::c_int,
    pub(super) rusage: libc::rusage,
    /// When the child's exit was noticed.
    pub(super) at: Instant,
}

pub(super) struct Supervision {
    pub(super) exit: Exit,
    pub(super) timed_out: bool,
    pub(super) cancelled: bool,
}

pub(super) struct Watch<'a> {
    /// The child's pid, which is also its process group id.
    pub(super) pid: libc::pid_t,
    pub(super) deadline: Option<Instant>,
    pub(super) grace: Duration,
    /// Set once the child is reaped; held while signalling, so we never signal
    /// a group whose id (the reaped pid) may have been reused.
    pub(super) reaped: Mutex<bool>,
    /// The task's pids cgroup: emptied when the child exits, which also takes
    /// the processes that left the group.
    pub(super) cgroup: Option<&'a TaskCgroup>,
}

impl Watch<'_> {
    fn signal_group(&self, sig: libc::c_int) {
        let reaped = lock(&self.reaped);
        if !*reaped {
            kill_group(self.pid, sig);
        }
    }
}

pub(super) fn supervise_in_scope<'scope>(
    scope: &'scope thread::Scope<'scope, '_>,
    watch: &'scope Watch<'_>,
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
    watch: &Watch<'_>,
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

/// Waiter thread: notice the exit, kill what is left of the group and of the
/// cgroup, reap.
fn wait_and_reap(watch: &Watch<'_>) -> io::Result<Exit> {
    let exit = reap_and_kill_group(watch);
    // Those that left the group die too, and with them the pipes they held.
    if let Some(cgroup) = watch.cgroup {
        cgroup.kill_all();
    }
    exit
}

fn reap_and_kill_group(watch: &Watch<'_>) -> io::Result<Exit> {
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
    use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};
    let Some(pid) = Pid::from_raw(pid) else {
        return false;
    };
    loop {
        match waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        ) {
            Ok(_) => return true,
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return false,
        }
    }
}

/// Blocking wait4 on `pid`, returning status and rusage.
pub(super) fn reap(pid: libc::pid_t) -> io::Result<(libc::c_int, libc::rusage)> {
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

pub(super) fn kill_group(pgid: libc::pid_t, sig: libc::c_int) {
    if let (Some(group), Some(sig)) = (
        rustix::process::Pid::from_raw(pgid),
        rustix::process::Signal::from_named_raw(sig),
    ) {
        // ESRCH (the group is already gone) is fine.
        let _ = rustix::process::kill_process_group(group, sig);
    }
}

fn lock(mutex: &Mutex<bool>) -> MutexGuard<'_, bool> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Child pids always fit in pid_t; the fallback (0) makes `kill_group` a no-op.
pub(super) fn pid_t(pid: u32) -> libc::pid_t {
    libc::pid_t::try_from(pid).unwrap_or(0)
}

pub(super) fn decode_status(status: libc::c_int) -> (Option<i32>, Option<i32>) {
    if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status)), None)
    } else if libc::WIFSIGNALED(status) {
        (None, Some(libc::WTERMSIG(status)))
    } else {
        (None, None)
    }
}

pub(super) fn timeval_to_duration(tv: libc::timeval) -> Duration {
    let secs = u64::try_from(tv.tv_sec).unwrap_or(0);
    let micros = u32::try_from(tv.tv_usec).unwrap_or(0).min(999_999);
    Duration::new(secs, micros * 1000)
}

pub(super) fn peak_rss_kib(rusage: &libc::rusage) -> u64 {
    let raw = u64::try_from(rusage.ru_maxrss).unwrap_or(0);
    // Linux reports KiB, the BSDs including macOS bytes.
    if cfg!(target_vendor = "apple") {
        raw / 1024
    } else {
        raw
    }
}
