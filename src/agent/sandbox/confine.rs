//! Landlock confinement of a task (Linux).
//!
//! The ruleset is built in the parent (it allocates and opens paths) and only
//! its file descriptor crosses into the child, where [`restrict`] makes two
//! async-signal-safe syscalls: `prctl(PR_SET_NO_NEW_PRIVS)` and
//! `landlock_restrict_self`. The task may then read, write and execute only
//! under its working dir (which holds its `.tmp`), read and execute the
//! read-only system paths below, and use a few device nodes. Everything else
//! (the coordinator's or agent's data dir, env file, credentials, logs, keys,
//! other tasks' working dirs, the owner's home) is refused by the kernel.
//!
//! Landlock's scopes (ABI 6) keep the task from signalling, or connecting to
//! an abstract unix socket of, any process outside its own sandbox, and a
//! Landlock domain can never ptrace (so never read `/proc/<pid>/mem` or
//! `environ` of) a process outside it. Network access (TCP) is not
//! restricted here; the network namespace decides that.

use std::io;
use std::os::fd::{OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use landlock::{
    ABI, Access, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, RulesetCreatedAttr,
    Scope, path_beneath_rules,
};

/// The newest ABI whose rights we ask for; older kernels get what they offer
/// (best effort), and [`abi`] says which they offer.
const TARGET_ABI: ABI = ABI::V6;

/// Read-only (and executable) system trees. `/etc` is handled apart so that
/// edgecoder's own `/etc/edgecoder` stays out.
const SYSTEM_READ: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/proc", "/sys",
];
/// Device nodes a program commonly opens for reading and writing.
const DEVICES_RW: &[&str] = &["/dev/null", "/dev/zero", "/dev/full", "/dev/tty"];
/// Device nodes a program commonly opens for reading.
const DEVICES_READ: &[&str] = &["/dev/random", "/dev/urandom"];
/// Entries of `/etc` a task never sees: edgecoder's env file and config.
const ETC_HIDDEN: &[&str] = &["edgecoder"];

/// The Landlock ABI this kernel offers, found once; `None` when it has none
/// (too old, or disabled at boot).
pub fn abi() -> Option<u32> {
    static ABI_VERSION: OnceLock<Option<u32>> = OnceLock::new();
    *ABI_VERSION.get_or_init(|| {
        // SAFETY: LANDLOCK_CREATE_RULESET_VERSION with a null attr and size 0
        // only returns the ABI version (or an error); nothing is created.
        let version = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<libc::c_void>(),
                0usize,
                1u32, // LANDLOCK_CREATE_RULESET_VERSION
            )
        };
        u32::try_from(version).ok().filter(|v| *v > 0)
    })
}

/// Whether the kernel offers the signal and abstract-socket scopes (ABI 6+).
pub fn scopes_available() -> bool {
    abi().is_some_and(|v| v >= 6)
}

/// Builds the task's ruleset and returns its fd, or `None` when this kernel
/// has no Landlock. The fd is close-on-exec: it lives until the child's exec.
/// `tool_dirs` (the task's PATH) outside the system trees are readable and executable too.
pub(super) fn ruleset_for(workdir: &Path, tool_dirs: &[PathBuf]) -> io::Result<Option<OwnedFd>> {
    if abi().is_none() {
        return Ok(None);
    }
    let all = AccessFs::from_all(TARGET_ABI);
    let read = AccessFs::from_read(TARGET_ABI);
    let rw_file = read | AccessFs::WriteFile | AccessFs::Truncate;
    let other = |e: landlock::RulesetError| io::Error::other(e.to_string());
    let ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(all)
        .map_err(other)?
        .scope(Scope::from_all(TARGET_ABI))
        .map_err(other)?
        .create()
        .map_err(other)?
        .add_rules(path_beneath_rules([workdir], all))
        .map_err(other)?
        .add_rules(path_beneath_rules(existing(SYSTEM_READ), read))
        .map_err(other)?
        .add_rules(path_beneath_rules(etc_entries(), read))
        .map_err(other)?
        .add_rules(path_beneath_rules(
            tool_dirs.iter().filter(|d| d.is_absolute() && d.is_dir()),
            read,
        ))
        .map_err(other)?
        .add_rules(path_beneath_rules(existing(DEVICES_READ), read))
        .map_err(other)?
        .add_rules(path_beneath_rules(existing(DEVICES_RW), rw_file))
        .map_err(other)?;
    Ok(ruleset.into())
}

/// In the child, after every other step of the setup: no new privileges, then
/// the ruleset. Async-signal-safe (two syscalls, no allocation).
pub(super) fn restrict(ruleset_fd: RawFd) -> io::Result<()> {
    // SAFETY: plain syscalls on this (forked, single-threaded) process with an
    // fd the parent opened for it.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::syscall(libc::SYS_landlock_restrict_self, ruleset_fd, 0u32) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The paths of `list` that exist (a rule cannot name a missing path).
fn existing(list: &[&str]) -> Vec<PathBuf> {
    list.iter()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect()
}

/// Every entry of `/etc` but edgecoder's own: Landlock only adds access, so
/// hiding a subtree means granting its siblings one by one.
fn etc_entries() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir("/etc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| !ETC_HIDDEN.iter().any(|hidden| e.file_name() == *hidden))
        .map(|e| e.path())
        // A dangling symlink cannot be opened, and one bad path fails a rule set.
        .filter(|p| p.exists())
        .collect()
}
