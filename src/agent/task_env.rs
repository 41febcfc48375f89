//! What a node's tasks find in their environment beyond the scrubbed base: the `PATH`
//! (`EDGECODER_TASK_PATH`) and the variables passed through from the agent's own environment
//! (`EDGECODER_TASK_ENV_PASS`).
//!
//! Why a setting and not the agent's PATH: the agent often runs as root or as a service with a
//! minimal PATH, while its tasks run as the task user; the toolchains a contributor installed
//! (`~/.cargo/bin`, `/usr/local/go/bin`) were advertised but "not found" in tasks. The default is
//! the base path plus the usual tool dirs of the task user that exist, and toolchain detection
//! (`capabilities`) looks with exactly this PATH as exactly that user, so what a node
//! advertises is what its tasks can run.
//!
//! Passed-through variables are read once at start; edgecoder's own settings (its tokens
//! among them) can never be passed.

use super::sandbox::RunAs;
use crate::config::Resolved;
use std::ffi::CStr;
use std::path::{Path, PathBuf};

/// The base PATH every task gets when nothing else is set (and the start of the default).
pub const BASE_PATH: &[&str] = &["/usr/local/bin", "/usr/bin", "/bin"];

/// Tool dirs under the task user's home added to the default PATH when they exist.
const HOME_TOOL_DIRS: &[&str] = &[
    ".cargo/bin",
    ".local/bin",
    "go/bin",
    ".deno/bin",
    ".bun/bin",
];

/// System-wide tool dirs added to the default PATH when they exist.
const SYSTEM_TOOL_DIRS: &[&str] = &["/usr/local/go/bin", "/usr/local/cargo/bin", "/snap/bin"];

/// Variables the sandbox sets itself: passing them through would undo its scrubbing.
const SANDBOX_OWNED: &[&str] = &["PATH", "HOME", "TMPDIR", "LANG"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskEnv {
    /// The task's PATH, in order.
    pub path: Vec<PathBuf>,
    /// Variables handed to every task (before the task's own env, which may override them).
    pub pass: Vec<(String, String)>,
    /// Names looked for on the PATH besides the well-known toolchains
    /// (`EDGECODER_TASK_TOOLCHAINS`), advertised when a task could run them.
    pub extra_tools: Vec<String>,
    /// Who looks: the task user (`None`: the agent's own user).
    pub run_as: Option<RunAs>,
    /// Git sources may use `file://` URLs (`EDGECODER_GIT_ALLOW_FILE`; see `git_source`).
    pub git_allow_file: bool,
}

impl TaskEnv {
    /// The three settings, checked: a bad entry stops the start with what to fix.
    pub fn from_resolved(resolved: &Resolved, run_as: Option<RunAs>) -> Result<Self, String> {
        let path = match resolved.get("task_path").map(str::trim) {
            Some(value) if !value.is_empty() => parse_path(value)?,
            _ => default_path(run_as),
        };
        let names = list(resolved.get("task_env_pass"));
        let mut pass = Vec::new();
        for name in names {
            check_pass_name(&name)?;
            if let Ok(value) = std::env::var(&name) {
                pass.push((name, value));
            }
        }
        let extra_tools = list(resolved.get("task_toolchains"));
        if let Some(bad) = extra_tools
            .iter()
            .find(|t| !crate::api::is_toolchain_name(t))
        {
            return Err(format!(
                "EDGECODER_TASK_TOOLCHAINS: {bad:?} is not a program name (letters, digits, \
                 `.`, `_`, `+`, `-`; no paths)"
            ));
        }
        let git_allow_file = resolved
            .boolean("git_allow_file")
            .map_err(|e| e.to_string())?
            .unwrap_or(false);
        Ok(TaskEnv {
            path,
            pass,
            extra_tools,
            run_as,
            git_allow_file,
        })
    }

    /// Tasks of the owner's own local runs and tests: the base PATH, nothing passed.
    pub fn base() -> Self {
        TaskEnv {
            path: BASE_PATH.iter().map(PathBuf::from).collect(),
            ..TaskEnv::default()
        }
    }

    /// The PATH as one string, for `agent --detect` and logs.
    pub fn path_string(&self) -> String {
        self.path
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(":")
    }
}

fn list(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split([',', ' ', ':'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_path(value: &str) -> Result<Vec<PathBuf>, String> {
    value
        .split(':')
        .filter(|s| !s.is_empty())
        .map(|entry| {
            let p = PathBuf::from(entry);
            if p.is_absolute() && !entry.contains("..") {
                Ok(p)
            } else {
                Err(format!(
                    "EDGECODER_TASK_PATH: {entry:?} is not an absolute directory: give absolute \
                     dirs separated by `:` (e.g. /usr/local/bin:/usr/bin:/bin:/opt/rust/bin)"
                ))
            }
        })
        .collect()
}

fn check_pass_name(name: &str) -> Result<(), String> {
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid {
        return Err(format!(
            "EDGECODER_TASK_ENV_PASS: {name:?} is not a variable name"
        ));
    }
    let own = name.starts_with("EDGECODER_")
        || name.starts_with("EDGE_")
        || crate::config::SETTINGS.iter().any(|s| s.env == name);
    if own {
        return Err(format!(
            "EDGECODER_TASK_ENV_PASS: {name} is one of edgecoder's own settings and is never \
             passed to tasks (it may hold a secret); give the task what it needs with --env or \
             --secret instead"
        ));
    }
    if SANDBOX_OWNED.contains(&name) {
        return Err(format!(
            "EDGECODER_TASK_ENV_PASS: {name} is set by the sandbox{}",
            if name == "PATH" {
                "; set the tasks' PATH with EDGECODER_TASK_PATH"
            } else {
                ""
            }
        ));
    }
    Ok(())
}

/// The base path, then the task user's usual tool dirs and the system-wide ones that exist.
fn default_path(run_as: Option<RunAs>) -> Vec<PathBuf> {
    let mut path: Vec<PathBuf> = BASE_PATH.iter().map(PathBuf::from).collect();
    let home = match run_as {
        Some(user) => home_of(user.uid),
        None => std::env::var_os("HOME").map(PathBuf::from),
    };
    let home_dirs = home
        .filter(|h| h.is_absolute() && h != Path::new("/"))
        .map(|h| HOME_TOOL_DIRS.iter().map(|d| h.join(d)).collect::<Vec<_>>())
        .unwrap_or_default();
    for dir in home_dirs
        .into_iter()
        .chain(SYSTEM_TOOL_DIRS.iter().map(PathBuf::from))
    {
        if dir.is_dir() && !path.contains(&dir) {
            path.push(dir);
        }
    }
    path
}

/// The home directory of a uid, from the password database.
fn home_of(uid: u32) -> Option<PathBuf> {
    let mut buf: Vec<libc::c_char> = vec![0; 16 * 1024];
    // SAFETY: passwd is plain data; all-zero is a valid value.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; `buf` outlives the read of `pw_dir`.
    let rc = unsafe { libc::getpwuid_r(uid, &mut entry, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || entry.pw_dir.is_null() {
        return None;
    }
    // SAFETY: pw_dir points into `buf`, NUL-terminated by getpwuid_r.
    let dir = unsafe { CStr::from_ptr(entry.pw_dir) };
    Some(PathBuf::from(dir.to_string_lossy().into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_settings_and_sandbox_variables_are_never_passed() {
        assert!(check_pass_name("EDGECODER_MESH_AUTH_TOKEN").is_err());
        assert!(check_pass_name("OLLAMA_HOST").is_err());
        assert!(
            check_pass_name("PATH")
                .unwrap_err()
                .contains("EDGECODER_TASK_PATH")
        );
        assert!(check_pass_name("bad-name").is_err());
        assert!(check_pass_name("CARGO_HOME").is_ok());
    }

    #[test]
    fn task_path_entries_must_be_absolute() {
        assert_eq!(
            parse_path("/a/bin:/usr/bin").unwrap(),
            vec![PathBuf::from("/a/bin"), PathBuf::from("/usr/bin")]
        );
        assert!(parse_path("bin:/usr/bin").is_err());
        assert!(parse_path("/a/../etc").is_err());
    }

    #[test]
    fn the_default_starts_with_the_base_path() {
        let path = default_path(None);
        assert_eq!(
            &path[..3],
            &BASE_PATH.iter().map(PathBuf::from).collect::<Vec<_>>()[..]
        );
    }
}
