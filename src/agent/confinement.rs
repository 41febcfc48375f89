//! Which protections a worker's tasks get, said once at start, and the rule
//! that a node with none of them takes no work from the network unless its
//! owner allowed unconfined tasks (`EDGECODER_ALLOW_UNCONFINED_TASKS`).
//!
//! "Confined" means the kernel keeps the task from the worker's files: by
//! Landlock, or by running it as another user (a root worker's task user,
//! which cannot open the 0600 files of the worker's 0700 data dir). The pids
//! cgroup, `no_new_privs` and network isolation are reported too, but none of
//! them alone keeps a task out of the worker's files.

use super::sandbox::{self, RunAs};
use std::fmt;

/// The owner's settings about confinement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// `EDGECODER_TASK_LANDLOCK` (default true): confine tasks with Landlock where the kernel offers it.
    pub landlock: bool,
    /// `EDGECODER_ALLOW_UNCONFINED_TASKS` (default false): take work even where no confinement is in force.
    pub allow_unconfined: bool,
}

impl Policy {
    /// Reads both settings from resolved configuration.
    pub fn from_resolved(
        resolved: &crate::config::Resolved,
    ) -> Result<Self, crate::config::ConfigError> {
        Ok(Policy {
            landlock: resolved.boolean("task_landlock")?.unwrap_or(true),
            allow_unconfined: resolved.boolean("allow_unconfined_tasks")?.unwrap_or(false),
        })
    }
}

/// What is in force for this worker's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Protections {
    /// The Landlock ABI tasks are confined with; `None`: no Landlock (off, or not offered).
    pub landlock_abi: Option<u32>,
    /// Landlock's signal and abstract-socket scopes (ABI 6+).
    pub landlock_scopes: bool,
    /// Tasks run as another user than the worker.
    pub separate_user: bool,
    /// Each task gets a pids cgroup.
    pub pids_cgroup: bool,
}

impl Protections {
    /// Finds out what this machine offers under `policy`.
    pub fn detect(policy: Policy, run_as: Option<RunAs>) -> Self {
        #[cfg(target_os = "linux")]
        let abi = sandbox::confine::abi().filter(|_| policy.landlock);
        #[cfg(not(target_os = "linux"))]
        let abi = None;
        Protections {
            landlock_abi: abi,
            landlock_scopes: abi.is_some_and(|v| v >= 6),
            separate_user: run_as.is_some(),
            pids_cgroup: sandbox::pids_cgroup_available(),
        }
    }

    /// Tasks are kept from the worker's files.
    pub fn confined(&self) -> bool {
        self.landlock_abi.is_some() || self.separate_user
    }

    /// Whether this worker may take tasks from the coordinator: `Err` says why not.
    pub fn admit(&self, policy: Policy) -> Result<(), String> {
        if self.confined() || policy.allow_unconfined {
            return Ok(());
        }
        Err(format!(
            "refusing to run tasks from the network: no confinement is in force here ({self}). \
             Tasks would run as this worker's own user and could read and change its files. \
             Enable Landlock (EDGECODER_TASK_LANDLOCK=true, on a kernel that offers it), run \
             the worker as root with EDGECODER_TASK_USER, or set \
             EDGECODER_ALLOW_UNCONFINED_TASKS=true to accept the risk"
        ))
    }
}

impl fmt::Display for Protections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.landlock_abi {
            Some(abi) if self.landlock_scopes => write!(
                f,
                "landlock ABI {abi} with signal and abstract-socket scopes"
            )?,
            Some(abi) => write!(f, "landlock ABI {abi} without scopes")?,
            None => write!(f, "landlock off")?,
        }
        // no_new_privs comes with Landlock (it is what lets an unprivileged process restrict itself).
        let yes_no = |b: bool| if b { "on" } else { "off" };
        write!(
            f,
            ", no_new_privs {}, separate user {}, pids cgroup {}, network isolation {}",
            yes_no(self.landlock_abi.is_some()),
            yes_no(self.separate_user),
            yes_no(self.pids_cgroup),
            if cfg!(target_os = "linux") {
                "per task (when it asks for no network)"
            } else {
                "off"
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Protections {
        Protections {
            landlock_abi: None,
            landlock_scopes: false,
            separate_user: false,
            pids_cgroup: true,
        }
    }

    #[test]
    fn an_unconfined_node_refuses_unless_allowed() {
        let deny = Policy {
            landlock: false,
            allow_unconfined: false,
        };
        let allow = Policy {
            landlock: false,
            allow_unconfined: true,
        };
        assert!(none().admit(deny).is_err());
        assert!(none().admit(allow).is_ok());
        let user = Protections {
            separate_user: true,
            ..none()
        };
        assert!(user.admit(deny).is_ok());
        let landlock = Protections {
            landlock_abi: Some(7),
            landlock_scopes: true,
            ..none()
        };
        assert!(landlock.admit(deny).is_ok());
        assert!(landlock.to_string().contains("landlock ABI 7 with signal"));
    }
}
