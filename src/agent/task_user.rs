//! Who volunteer tasks run as, and a work root that user can reach.
//!
//! An agent running as root never runs tasks as root: they run as the user
//! named by the `task_user` setting (`EDGECODER_TASK_USER`, default `nobody`),
//! resolved once at start. The value `root` keeps running them as root, with a
//! warning. An agent that is not root runs tasks as itself, as before.
//!
//! All tasks of an agent share that one user: they cannot touch the machine
//! beyond what it may, but they are not protected from each other (a task may
//! signal or trace another running at the same time). One user per task slot
//! would close that; it needs users provisioned for the purpose.

use super::sandbox::RunAs;
use std::ffi::CString;
use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub const DEFAULT_TASK_USER: &str = "nobody";

/// The user tasks run as, from the `task_user` setting; `None`: as the agent.
/// Errors when the agent is root and the user does not exist.
pub fn for_agent(setting: Option<&str>) -> Result<Option<RunAs>, String> {
    let name = setting
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_TASK_USER);
    if !rustix::process::geteuid().is_root() {
        tracing::debug!("not root: tasks run as this agent's own user (task_user is unused)");
        return Ok(None);
    }
    let warn_root = || {
        tracing::warn!(
            "task_user is {name}: volunteer tasks run as root and can do anything on this \
             machine (set EDGECODER_TASK_USER to an unprivileged user; the default is {})",
            DEFAULT_TASK_USER
        );
    };
    if name == "root" {
        warn_root();
        return Ok(None);
    }
    let user = lookup(name)?.ok_or_else(|| {
        format!("task user {name} does not exist: create it or set EDGECODER_TASK_USER")
    })?;
    if user.uid == 0 {
        warn_root();
        return Ok(None);
    }
    tracing::info!(
        user = name,
        uid = user.uid,
        gid = user.gid,
        "tasks run as an unprivileged user"
    );
    Ok(Some(user))
}

/// The uid and primary gid of a user name; `None` when there is no such user.
pub fn lookup(name: &str) -> Result<Option<RunAs>, String> {
    let c_name =
        CString::new(name).map_err(|_| format!("task user {name:?} contains a NUL byte"))?;
    // SAFETY: sysconf only reads a configuration value.
    let suggested = unsafe { libc::sysconf(libc::_SC_GETPW_R_SIZE_MAX) };
    let mut size = usize::try_from(suggested).unwrap_or(0).max(1024);
    loop {
        let mut buf: Vec<libc::c_char> = vec![0; size];
        // SAFETY: passwd is plain data; all-zero is a valid value.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the call; `buf` outlives the use of
        // `entry`'s string fields (we read only the ids).
        let rc = unsafe {
            libc::getpwnam_r(
                c_name.as_ptr(),
                &mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &mut found,
            )
        };
        if rc == libc::ERANGE && size < 1 << 20 {
            size *= 4;
            continue;
        }
        if found.is_null() {
            // Some libcs report "no such user" as an error number.
            return match rc {
                0 | libc::ENOENT | libc::ESRCH => Ok(None),
                _ => Err(format!(
                    "looking up task user {name}: {}",
                    io::Error::from_raw_os_error(rc)
                )),
            };
        }
        return Ok(Some(RunAs {
            uid: entry.pw_uid,
            gid: entry.pw_gid,
        }));
    }
}

/// Where task workdirs are made: the configured work root when the task user
/// can reach it, else a private directory under the system temp dir, removed
/// when dropped (unless workdirs are kept).
#[derive(Debug)]
pub struct WorkRoot {
    path: PathBuf,
    remove_on_drop: bool,
}

impl WorkRoot {
    /// Creates the work root. With a task user, the work root is made 0711:
    /// owned by the agent, the task user may pass through it to its own workdir
    /// (handed to it, 0700) but may not list it to find the others'.
    ///
    /// The directories above must let the task user through as well. They are
    /// not loosened: the data dir may be 0700 on purpose (it holds the
    /// database, which SQLite creates 0644, and the coordinator's files), and
    /// a parent may be a user's private directory. So when one of them stops
    /// the task user, task workdirs go under a fresh 0711 directory with an
    /// unguessable name in the system temp dir (sticky and open to all), made
    /// by this agent for this run and removed when it stops.
    pub fn prepare(preferred: &Path, run_as: Option<RunAs>, keep: bool) -> io::Result<WorkRoot> {
        let annotate = |e: io::Error, what: &Path| {
            io::Error::new(e.kind(), format!("{}: {e}", what.display()))
        };
        fs::create_dir_all(preferred).map_err(|e| annotate(e, preferred))?;
        let Some(user) = run_as else {
            return Ok(WorkRoot {
                path: preferred.to_path_buf(),
                remove_on_drop: false,
            });
        };
        fs::set_permissions(preferred, fs::Permissions::from_mode(0o711))
            .map_err(|e| annotate(e, preferred))?;
        let preferred = fs::canonicalize(preferred).map_err(|e| annotate(e, preferred))?;
        let Some(stop) = first_barrier(&preferred, user) else {
            return Ok(WorkRoot {
                path: preferred,
                remove_on_drop: false,
            });
        };
        let temp = fs::canonicalize(std::env::temp_dir())?;
        if let Some(also) = first_barrier(&temp, user) {
            return Err(io::Error::other(format!(
                "the task user (uid {}) can reach neither the work dir {} ({} stops it) nor \
                 the temp dir ({} stops it)",
                user.uid,
                preferred.display(),
                stop.display(),
                also.display()
            )));
        }
        let path = private_dir(&temp)?;
        tracing::info!(
            "task workdirs go under {} for this run: the task user (uid {}) cannot pass \
             through {} to reach {}",
            path.display(),
            user.uid,
            stop.display(),
            preferred.display()
        );
        Ok(WorkRoot {
            path,
            remove_on_drop: !keep,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WorkRoot {
    fn drop(&mut self) {
        if self.remove_on_drop {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// The first directory from `/` down to `dir` (included) that `user` may not
/// pass through, going by the mode bits (its supplementary groups are dropped
/// when a task starts, so only the primary group counts).
fn first_barrier(dir: &Path, user: RunAs) -> Option<PathBuf> {
    let mut chain: Vec<&Path> = dir.ancestors().collect();
    chain.reverse();
    chain.into_iter().find_map(|d| {
        let passable = fs::metadata(d).is_ok_and(|m| {
            let mode = m.mode();
            if m.uid() == user.uid {
                mode & 0o100 != 0
            } else if m.gid() == user.gid {
                mode & 0o010 != 0
            } else {
                mode & 0o001 != 0
            }
        });
        (!passable).then(|| d.to_path_buf())
    })
}

/// A new 0711 directory `edgecoder-work-<random>` under `parent`.
fn private_dir(parent: &Path) -> io::Result<PathBuf> {
    for _ in 0..8 {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
        let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = parent.join(format!("edgecoder-work-{name}"));
        // mkdir never follows a symlink planted at the name: it fails instead.
        match fs::DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => {
                fs::set_permissions(&path, fs::Permissions::from_mode(0o711))?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        }
    }
    Err(io::Error::other(format!(
        "could not make a work dir under {}",
        parent.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_missing_users() {
        let root = lookup("root").expect("lookup").expect("root exists");
        assert_eq!((root.uid, root.gid), (0, 0));
        assert_eq!(lookup("edgecoder-no-such-user-xyz").expect("lookup"), None);
        assert!(lookup("nul\0byte").is_err());
    }

    #[test]
    fn missing_task_user_is_a_clear_error() {
        let answer = for_agent(Some("edgecoder-no-such-user-xyz"));
        if rustix::process::geteuid().is_root() {
            let err = answer.expect_err("a missing user is refused");
            assert_eq!(
                err,
                "task user edgecoder-no-such-user-xyz does not exist: create it or set \
                 EDGECODER_TASK_USER"
            );
            assert_eq!(for_agent(Some("root")), Ok(None), "root keeps root");
        } else {
            assert_eq!(answer, Ok(None), "not root: nothing changes");
        }
    }

    #[test]
    fn barriers_follow_the_mode_bits() {
        let top = tempfile::tempdir().unwrap();
        let inner = top.path().join("a/b");
        fs::create_dir_all(&inner).unwrap();
        let stranger = RunAs {
            uid: 65_000,
            gid: 65_000,
        };
        fs::set_permissions(top.path(), fs::Permissions::from_mode(0o711)).unwrap();
        fs::set_permissions(top.path().join("a"), fs::Permissions::from_mode(0o700)).unwrap();
        let top_real = fs::canonicalize(top.path()).unwrap();
        assert_eq!(
            first_barrier(&fs::canonicalize(&inner).unwrap(), stranger),
            Some(top_real.join("a"))
        );
        fs::set_permissions(top.path().join("a"), fs::Permissions::from_mode(0o701)).unwrap();
        assert_eq!(
            first_barrier(&fs::canonicalize(&inner).unwrap(), stranger),
            None
        );
    }

    #[test]
    fn unreachable_work_root_moves_to_a_private_temp_dir() {
        if !rustix::process::geteuid().is_root() {
            crate::test_support::skip_unless_ci("only root can pick a task user");
            return;
        }
        let Some(nobody) = lookup("nobody").unwrap() else {
            crate::test_support::skip_unless_ci("there is no user nobody here");
            return;
        };
        let private = tempfile::tempdir().unwrap();
        fs::set_permissions(private.path(), fs::Permissions::from_mode(0o700)).unwrap();
        let wanted = private.path().join("data/work");
        let root = WorkRoot::prepare(&wanted, Some(nobody), false).unwrap();
        assert_ne!(root.path(), wanted.as_path());
        let meta = fs::metadata(root.path()).unwrap();
        assert_eq!(meta.mode() & 0o7777, 0o711);
        assert_eq!(first_barrier(root.path(), nobody), None);
        let moved = root.path().to_path_buf();
        drop(root);
        assert!(!moved.exists(), "removed when the agent stops");

        // A reachable work root is used as is, made 0711.
        let open = tempfile::tempdir().unwrap();
        fs::set_permissions(open.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let wanted = open.path().join("work");
        let root = WorkRoot::prepare(&wanted, Some(nobody), false).unwrap();
        assert_eq!(root.path(), fs::canonicalize(&wanted).unwrap());
        assert_eq!(
            fs::metadata(&wanted).unwrap().mode() & 0o7777,
            0o711,
            "the work root lets the task user through but not list"
        );
        drop(root);
        assert!(wanted.exists(), "the configured work root stays");
    }
}
