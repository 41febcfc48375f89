//! Between fork and exec: only async-signal-safe calls, no allocation.
//!
//! [`ChildSetup`] is prepared in the parent and copied into the `pre_exec`
//! closure, where [`child_setup`] resets signal dispositions, applies the
//! resource limits, enters the network namespace (Linux, see `netns`) and arms
//! the parent-death signal. Separate because everything run in the child is
//! held to those rules, and is easier to audit in one place.

use super::Limits;
#[cfg(target_os = "linux")]
use super::{netns, supervise::pid_t};
use std::io;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

/// One limit to set: resource, soft value, hard value.
type LimitSetting = (Resource, libc::rlim_t, libc::rlim_t);

/// Prepared in the parent, copied into the `pre_exec` closure.
#[derive(Clone, Copy)]
pub(super) struct ChildSetup {
    pub(super) limits: [Option<LimitSetting>; 6],
    /// Checked in the child to close the race where the worker dies before
    /// the parent-death signal is armed.
    #[cfg(target_os = "linux")]
    pub(super) parent_pid: libc::pid_t,
    #[cfg(target_os = "linux")]
    pub(super) net: Option<netns::Isolation>,
}

impl ChildSetup {
    pub(super) fn new(limits: &Limits) -> Self {
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
