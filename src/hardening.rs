//! Start-up hardening of the long-running processes (`serve`, `agent`): they
//! make themselves non-dumpable, take their secrets out of their own
//! environment, and create every file private to their user (umask 077: the
//! database and its `-wal`/`-shm`, keys, secrets, `server.json`, locks, logs).
//!
//! Why: a task, or any process of the same uid, could otherwise read the
//! daemon's `/proc/<pid>/environ` (holding `ADMIN_API_TOKEN` and friends) or
//! its memory. A non-dumpable process's `/proc/<pid>` files belong to root and
//! refuse ptrace-style access from its own uid; and a secret no longer in the
//! environment is not handed on to anything the daemon starts.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Variables that hold secrets: read once, then removed from the environment.
pub const SECRET_ENV: &[&str] = &[
    "ADMIN_API_TOKEN",
    "MESH_AUTH_TOKEN",
    "AGENT_REGISTRATION_TOKEN",
    "EDGECODER_TOKEN",
];

/// The secrets taken out of the environment at start, by variable name.
static TAKEN: OnceLock<BTreeMap<&'static str, String>> = OnceLock::new();

/// Hardens a daemon at start. Must be called while the process has one
/// thread: before any runtime, logger or other thread starts.
pub fn harden_daemon() {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    make_non_dumpable();
    take_secrets_from_env();
}

/// A secret variable's value: from the environment, or the value taken out of
/// it at start. Configuration resolution reads secrets through this.
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .or_else(|| TAKEN.get().and_then(|taken| taken.get(name)).cloned())
}

/// The secrets taken at start, for a process that replaces this one (a
/// self-update's exec) and must see the same configuration.
pub fn taken_secrets() -> Vec<(&'static str, String)> {
    TAKEN
        .get()
        .map(|taken| taken.iter().map(|(k, v)| (*k, v.clone())).collect())
        .unwrap_or_default()
}

fn make_non_dumpable() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
            eprintln!("warning: could not make this process non-dumpable: {e}");
        }
    }
}

fn take_secrets_from_env() {
    let mut taken = BTreeMap::new();
    for &name in SECRET_ENV {
        if let Ok(value) = std::env::var(name) {
            taken.insert(name, value);
        }
        if std::env::var_os(name).is_some() {
            // SAFETY: `harden_daemon` runs before any other thread exists (its
            // contract, kept by `cli::main`), so nothing reads the environment
            // concurrently.
            unsafe { std::env::remove_var(name) };
        }
    }
    let _ = TAKEN.set(taken);
}
