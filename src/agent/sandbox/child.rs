//! Between fork and exec: only async-signal-safe calls, no allocation.
//!
//! [`ChildSetup`] is prepared in the parent and moved into the `pre_exec`
//! closure, where [`child_setup`] resets signal dispositions, applies the
//! resource limits, joins the task's pids cgroup, enters the network namespace
//! (Linux, see `netns`), drops to the task user, confines itself with Landlock
//! (Linux, see `confine`) and arms the parent-death signal. Separate because everything run in the child is held to those
//! rules, and is easier to audit in one place.
//!
//! The order matters: limits, the cgroup and the namespace need the worker's
//! privileges, so the switch to the task user comes after them; the
//! parent-death signal is cleared by a change of credentials, so it comes last.

use super::{Limits, RunAs};
#[cfg(target_os = "linux")]
use super::{netns, supervise::pid_t};
use std::ffi::{CStr, CString};
use std::io::{self, Read};
use std::os::fd::RawFd;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

/// One limit to set: resource, soft value, hard value.
type LimitSetting = (Resource, libc::rlim_t, libc::rlim_t);

/// The step of the child setup that failed, written to the failure pipe as one
/// byte before `pre_exec` returns the error, so the parent can tell "our setup
/// failed" from "the program could not be executed".
#[derive(Clone, Copy)]
#[repr(u8)]
enum Step {
    Limits = b'l',
    Cgroup = b'c',
    User = b'u',
    Confine = b'L',
    Orphaned = b'o',
}

impl Step {
    fn describe(byte: u8) -> Option<&'static str> {
        Some(match byte {
            b'l' => "setting the resource limits",
            b'c' => "joining the task's pids cgroup",
            b'u' => "switching to the task user",
            b'L' => "confining the task with Landlock",
            b'o' => "the worker exited while the task started",
            _ => return None,
        })
    }
}

/// Prepared in the parent, moved into the `pre_exec` closure.
#[derive(Clone)]
pub(super) struct ChildSetup {
    pub(super) limits: [Option<LimitSetting>; 6],
    /// `<task cgroup>/cgroup.procs`, which the child writes its pid to.
    cgroup_procs: Option<CString>,
    run_as: Option<RunAs>,
    /// nice 19 and idle I/O (the host policy's CPU cap where no cgroup can hold it).
    yield_priority: bool,
    /// Write end of the failure pipe (close-on-exec).
    failure_fd: RawFd,
    /// Checked in the child to close the race where the worker dies before
    /// the parent-death signal is armed.
    #[cfg(target_os = "linux")]
    pub(super) parent_pid: libc::pid_t,
    #[cfg(target_os = "linux")]
    pub(super) net: Option<netns::Isolation>,
    /// Landlock ruleset built by the parent (see `confine`), applied last.
    #[cfg(target_os = "linux")]
    pub(super) landlock_fd: Option<RawFd>,
}

impl ChildSetup {
    pub(super) fn new(
        limits: &Limits,
        run_as: Option<RunAs>,
        cgroup_procs: Option<&CStr>,
        failure_fd: RawFd,
    ) -> Self {
        let value = |v: u64| libc::rlim_t::try_from(v).unwrap_or(libc::RLIM_INFINITY);
        // In a pids cgroup, `pids.max` counts this task's processes exactly;
        // RLIMIT_NPROC would count all of its user's, so tasks sharing the task
        // user would take each other's share. It is the fallback only.
        let processes = limits.processes.filter(|_| cgroup_procs.is_none());
        let same = |resource: Resource, v: Option<u64>| v.map(|v| (resource, value(v), value(v)));
        ChildSetup {
            limits: [
                // Hard limit one second above the soft one: the task first gets
                // SIGXCPU (a recognisable 152) rather than an anonymous SIGKILL.
                limits
                    .cpu_seconds
                    .map(|v| (libc::RLIMIT_CPU, value(v), value(v.saturating_add(1)))),
                same(
                    libc::RLIMIT_AS,
                    limits
                        .address_space_bytes
                        .or_else(super::host_caps::memory_rlimit),
                ),
                same(libc::RLIMIT_NOFILE, limits.open_files),
                same(libc::RLIMIT_FSIZE, limits.file_size_bytes),
                same(libc::RLIMIT_NPROC, processes),
                // No core dumps: they would fill the workdir with up to file-size-limit bytes.
                Some((libc::RLIMIT_CORE, 0, 0)),
            ],
            cgroup_procs: cgroup_procs.map(CStr::to_owned),
            run_as,
            yield_priority: super::host_caps::yield_priority(),
            failure_fd,
            #[cfg(target_os = "linux")]
            parent_pid: pid_t(std::process::id()),
            #[cfg(target_os = "linux")]
            net: None,
            #[cfg(target_os = "linux")]
            landlock_fd: None,
        }
    }

    fn fail(&self, step: Step, err: io::Error) -> io::Error {
        let byte = step as u8;
        // SAFETY: writing one byte from a local to a pipe the parent keeps open.
        unsafe { libc::write(self.failure_fd, (&raw const byte).cast(), 1) };
        err
    }
}

pub(super) fn child_setup(setup: &ChildSetup) -> io::Result<()> {
    // Ignored signals stay ignored across exec; a worker that ignores e.g.
    // SIGTERM or SIGCHLD must not pass that on. (Handlers are reset by exec.)
    for sig in 1..32 {
        if sig != libc::SIGKILL && sig != libc::SIGSTOP {
            // SAFETY: resetting a disposition to default; invalid numbers just fail.
            unsafe { libc::signal(sig, libc::SIG_DFL) };
        }
    }
    for &(resource, soft, hard) in setup.limits.iter().flatten() {
        set_limit(resource, soft, hard).map_err(|e| setup.fail(Step::Limits, e))?;
    }
    if let Some(procs) = &setup.cgroup_procs {
        join_cgroup(procs).map_err(|e| setup.fail(Step::Cgroup, e))?;
    }
    #[cfg(target_os = "linux")]
    if let Some(net) = &setup.net {
        net.enter_and_report();
    }
    if setup.yield_priority {
        super::host_caps::lower_priority();
    }
    if let Some(user) = setup.run_as {
        become_user(user).map_err(|e| setup.fail(Step::User, e))?;
    }
    // After every step that opens files (the cgroup, the namespace) and
    // the switch of user; the failure pipe stays writable (already open).
    #[cfg(target_os = "linux")]
    if let Some(fd) = setup.landlock_fd {
        super::confine::restrict(fd).map_err(|e| setup.fail(Step::Confine, e))?;
    }
    #[cfg(target_os = "linux")]
    {
        // If the worker dies, take the task down with it. Armed after unshare
        // and the switch of user, which clear it.
        // SAFETY: prctl/getppid only affect this process.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
            if libc::getppid() != setup.parent_pid {
                let err = io::Error::from_raw_os_error(libc::ESRCH);
                return Err(setup.fail(Step::Orphaned, err));
            }
        }
    }
    Ok(())
}

/// In the parent, after a failed spawn: which step of our setup failed, if it
/// was ours. Every write end is closed by then, so the read cannot block.
pub(super) fn setup_failure(mut read_end: io::PipeReader) -> Option<&'static str> {
    let mut byte = [0u8; 1];
    match read_end.read(&mut byte) {
        Ok(1) => Step::describe(byte[0]),
        _ => None,
    }
}

/// Writes our pid to the cgroup's `cgroup.procs`: from then on every process
/// the task makes is counted against `pids.max` and found at the end.
fn join_cgroup(procs: &CStr) -> io::Result<()> {
    // SAFETY: getpid cannot fail.
    let pid = unsafe { libc::getpid() };
    let mut buf = [0u8; 24];
    let text = format_decimal(u64::try_from(pid).unwrap_or(0), &mut buf);
    // SAFETY: open/write/close on a NUL-terminated path and a stack buffer.
    unsafe {
        let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let written = libc::write(fd, text.as_ptr().cast(), text.len());
        let err = io::Error::last_os_error();
        libc::close(fd);
        if usize::try_from(written).ok() != Some(text.len()) {
            return Err(err);
        }
    }
    Ok(())
}

/// `n` in decimal, in `buf` (no allocation).
fn format_decimal(mut n: u64, buf: &mut [u8; 24]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[start..];
        }
    }
}

/// Drops every supplementary group, then the group, then the user (in that
/// order: once the user is changed we may no longer change groups), and checks
/// that nothing of the worker's identity is left.
fn become_user(user: RunAs) -> io::Result<()> {
    // SAFETY: plain syscalls on this (forked, single-threaded) process.
    unsafe {
        if libc::setgroups(0, std::ptr::null()) != 0
            || libc::setgid(user.gid) != 0
            || libc::setuid(user.uid) != 0
        {
            return Err(io::Error::last_os_error());
        }
        if libc::getuid() != user.uid
            || libc::geteuid() != user.uid
            || libc::getgid() != user.gid
            || libc::getegid() != user.gid
        {
            return Err(io::Error::from_raw_os_error(libc::EPERM));
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

#[cfg(test)]
mod tests {
    use super::format_decimal;

    #[test]
    fn decimal_without_allocation() {
        let mut buf = [0u8; 24];
        assert_eq!(format_decimal(0, &mut buf), b"0");
        assert_eq!(format_decimal(4_194_304, &mut buf), b"4194304");
        assert_eq!(format_decimal(u64::MAX, &mut buf), b"18446744073709551615");
    }
}
