//! Local-only runs: the records of `edgecoder task …`, kept as plain files.
//!
//! ```text
//! <runs dir>/.lock                                         flock'ed by every writer, never deleted
//! <runs dir>/<project>/<task id>/TASK.md                   what the task is, for people
//! <runs dir>/<project>/<task id>/runs/<run id>/run-info.json
//! <runs dir>/<project>/<task id>/runs/<run id>/stdout.txt, stderr.txt
//! ```
//!
//! Every change (a new run, a run's updates, removals by `task rm` and `gc`) happens under the
//! one store lock, and run-info is replaced atomically, so readers never lock and never see a
//! half-written record. Readers never write either: a `running` record whose supervising
//! process is gone is *shown* as failed (see [`effective_status`]), and one record that does
//! not parse is reported in [`Scan::corrupt`] and skipped, never failing a listing.

mod fsio;
pub mod liveness;
pub mod record;

pub use fsio::{StoreLock, size_on_disk};
pub use record::{RUN_INFO_VERSION, RunInfo, Status};

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub const RUN_INFO_FILE: &str = "run-info.json";
pub const STDOUT_FILE: &str = "stdout.txt";
pub const STDERR_FILE: &str = "stderr.txt";
pub const TASK_FILE: &str = "TASK.md";
/// The task's working directory inside its run directory.
pub const WORK_DIR: &str = "work";
const RUNS_SUBDIR: &str = "runs";
const LOCK_FILE: &str = ".lock";
/// Random bytes in a task id (printed as twice as many hex digits).
const TASK_ID_BYTES: usize = 6;
const RUN_ID_BYTES: usize = 4;
const MAX_PROJECT_LEN: usize = 64;
/// The project used when none is given and the current directory's name cannot be one.
pub const FALLBACK_PROJECT: &str = "default";

/// The runs directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// A task's directory, found by listing (never built from user input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRef {
    pub project: String,
    pub task_id: String,
    pub dir: PathBuf,
}

/// One run as read from disk, with the status it is shown with.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub info: RunInfo,
    /// The recorded status, except that a run whose process is gone is `Failed`.
    pub status: Status,
    /// Why the shown status differs from the recorded one.
    pub note: Option<String>,
    pub dir: PathBuf,
}

impl RunRecord {
    /// When the run ended: the recorded end, or for a run whose process died without recording
    /// one, the last time anything of it was written.
    pub fn ended_at(&self) -> Option<SystemTime> {
        if self.status == Status::Running {
            return None;
        }
        self.info.ended_at.or_else(|| {
            [RUN_INFO_FILE, STDOUT_FILE, STDERR_FILE]
                .iter()
                .filter_map(|f| {
                    fs::metadata(self.dir.join(f))
                        .and_then(|m| m.modified())
                        .ok()
                })
                .chain([self.info.started_at])
                .max()
        })
    }
}

/// A run-info that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct Corrupt {
    pub path: PathBuf,
    pub error: String,
}

#[derive(Debug, Default)]
pub struct Scan {
    /// Oldest first.
    pub runs: Vec<RunRecord>,
    pub corrupt: Vec<Corrupt>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ResolveError {
    NotFound,
    /// The full ids the prefix matches.
    Ambiguous(Vec<String>),
}

/// What `task run` records before it starts the task.
pub struct NewRun<'a> {
    pub project: &'a str,
    pub cmd: &'a [String],
    pub timeout_secs: u64,
}

/// The shown status of a record: a `running` record whose supervising `edgecoder task run`
/// process is gone (checked by pid *and* start time) is failed.
pub fn effective_status(info: &RunInfo) -> (Status, Option<String>) {
    if info.status != Status::Running || liveness::is_alive(info.pid, info.pid_start_time) {
        return (info.status, None);
    }
    (
        Status::Failed,
        Some(format!(
            "the edgecoder process that ran it (pid {}) is gone",
            info.pid
        )),
    )
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes the store lock (making the runs directory if needed).
    pub fn lock(&self) -> io::Result<StoreLock> {
        fsio::make_private_dir(&self.root)?;
        let path = self.root.join(LOCK_FILE);
        StoreLock::acquire(&path).map_err(|e| fsio::annotate(e, "locking", &path))
    }

    /// Makes a new task with one run, recorded as running by this process, and returns the
    /// run's record and directory.
    pub fn create_run(&self, new: &NewRun<'_>) -> io::Result<(RunInfo, PathBuf)> {
        check_project(new.project).map_err(io::Error::other)?;
        let _lock = self.lock()?;
        let project_dir = self.root.join(new.project);
        fsio::make_private_dir(&project_dir)?;
        let (task_id, task_dir) = loop {
            let id = random_id(TASK_ID_BYTES)?;
            let dir = project_dir.join(&id);
            match fs::create_dir(&dir) {
                Ok(()) => break (id, dir),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(fsio::annotate(e, "creating", &dir)),
            }
        };
        let run_id = random_id(RUN_ID_BYTES)?;
        let run_dir = task_dir.join(RUNS_SUBDIR).join(&run_id);
        fsio::make_private_dir(&run_dir)?;
        let info = RunInfo {
            version: RUN_INFO_VERSION,
            task_id,
            run_id,
            project: new.project.to_string(),
            status: Status::Running,
            cmd: new.cmd.to_vec(),
            pid: std::process::id(),
            pid_start_time: liveness::own_start_time(),
            task_pid: None,
            task_pid_start_time: None,
            started_at: SystemTime::now(),
            ended_at: None,
            timeout_secs: new.timeout_secs,
            exit_code: None,
            signal: None,
            duration_ms: None,
            output_bytes: None,
            truncated: false,
            error: None,
        };
        fsio::write_atomic(&task_dir.join(TASK_FILE), task_markdown(&info).as_bytes())?;
        write_info(&run_dir, &info)?;
        Ok((info, run_dir))
    }

    /// Reads, changes and rewrites one run's record under the store lock.
    pub fn update(&self, run_dir: &Path, change: impl FnOnce(&mut RunInfo)) -> io::Result<RunInfo> {
        let _lock = self.lock()?;
        let mut info = read_info(run_dir)?;
        change(&mut info);
        write_info(run_dir, &info)?;
        Ok(info)
    }

    /// Every task directory, optionally of one project, in no particular order.
    pub fn tasks(&self, project: Option<&str>) -> Vec<TaskRef> {
        let projects = match project {
            Some(p) => vec![p.to_string()],
            None => subdirs(&self.root)
                .into_iter()
                .filter(|name| check_project(name).is_ok())
                .collect(),
        };
        let mut tasks = Vec::new();
        for project in projects {
            let project_dir = self.root.join(&project);
            for task_id in subdirs(&project_dir) {
                if is_id(&task_id) {
                    tasks.push(TaskRef {
                        dir: project_dir.join(&task_id),
                        project: project.clone(),
                        task_id,
                    });
                }
            }
        }
        tasks
    }

    /// The runs of one task, oldest first, and its records that could not be read.
    pub fn runs_of(&self, task: &TaskRef) -> Scan {
        let mut scan = Scan::default();
        let runs_dir = task.dir.join(RUNS_SUBDIR);
        for run_id in subdirs(&runs_dir) {
            let dir = runs_dir.join(&run_id);
            match read_info(&dir) {
                Ok(info) => {
                    let (status, note) = effective_status(&info);
                    scan.runs.push(RunRecord {
                        info,
                        status,
                        note,
                        dir,
                    });
                }
                Err(e) => scan.corrupt.push(Corrupt {
                    path: dir.join(RUN_INFO_FILE),
                    error: e.to_string(),
                }),
            }
        }
        scan.runs.sort_by_key(|r| r.info.started_at);
        scan
    }

    /// Every run, optionally of one project, oldest first.
    pub fn scan(&self, project: Option<&str>) -> Scan {
        let mut scan = Scan::default();
        for task in self.tasks(project) {
            let one = self.runs_of(&task);
            scan.runs.extend(one.runs);
            scan.corrupt.extend(one.corrupt);
        }
        scan.runs.sort_by_key(|r| r.info.started_at);
        scan.corrupt.sort_by(|a, b| a.path.cmp(&b.path));
        scan
    }

    /// The task whose id is `prefix` or starts with it (case-insensitive).
    pub fn resolve(&self, prefix: &str) -> Result<TaskRef, ResolveError> {
        let prefix = prefix.to_ascii_lowercase();
        if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ResolveError::NotFound);
        }
        let mut matches: Vec<TaskRef> = self
            .tasks(None)
            .into_iter()
            .filter(|t| t.task_id.starts_with(&prefix))
            .collect();
        // A full id wins over longer ids it happens to prefix.
        if let Some(exact) = matches.iter().position(|t| t.task_id == prefix) {
            return Ok(matches.swap_remove(exact));
        }
        match matches.len() {
            0 => Err(ResolveError::NotFound),
            1 => Ok(matches.swap_remove(0)),
            _ => {
                let mut ids: Vec<String> = matches.into_iter().map(|t| t.task_id).collect();
                ids.sort();
                Err(ResolveError::Ambiguous(ids))
            }
        }
    }

    /// Removes a run's directory; then its task's, and its project's, if nothing is left in
    /// them. The caller holds the store lock and has checked that the run is not running.
    /// Returns whether the task directory went too.
    pub fn remove_run(&self, run_dir: &Path, _lock: &StoreLock) -> io::Result<bool> {
        fs::remove_dir_all(run_dir).map_err(|e| fsio::annotate(e, "removing", run_dir))?;
        let Some(runs_dir) = run_dir.parent() else {
            return Ok(false);
        };
        if !is_empty_dir(runs_dir) {
            return Ok(false);
        }
        let Some(task_dir) = runs_dir.parent() else {
            return Ok(false);
        };
        fs::remove_dir_all(task_dir).map_err(|e| fsio::annotate(e, "removing", task_dir))?;
        if let Some(project_dir) = task_dir.parent()
            && is_empty_dir(project_dir)
        {
            // Another run may be creating a task there; it holds the lock, so this cannot race.
            let _ = fs::remove_dir(project_dir);
        }
        Ok(true)
    }

    /// Removes a whole task. The caller holds the store lock and has checked its runs.
    pub fn remove_task(&self, task: &TaskRef, _lock: &StoreLock) -> io::Result<()> {
        fs::remove_dir_all(&task.dir).map_err(|e| fsio::annotate(e, "removing", &task.dir))?;
        if let Some(project_dir) = task.dir.parent()
            && is_empty_dir(project_dir)
        {
            let _ = fs::remove_dir(project_dir);
        }
        Ok(())
    }
}

pub fn read_info(run_dir: &Path) -> io::Result<RunInfo> {
    let path = run_dir.join(RUN_INFO_FILE);
    let bytes = fs::read(&path).map_err(|e| fsio::annotate(e, "reading", &path))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} does not parse: {e}", path.display()),
        )
    })
}

fn write_info(run_dir: &Path, info: &RunInfo) -> io::Result<()> {
    let mut text = serde_json::to_vec_pretty(info).map_err(io::Error::other)?;
    text.push(b'\n');
    fsio::write_atomic(&run_dir.join(RUN_INFO_FILE), &text)
}

/// A project name is one path component of letters, digits, `.`, `_` and `-`, starting with a
/// letter or digit: it can never climb out of the runs directory or hide as a dot-file.
pub fn check_project(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= MAX_PROJECT_LEN
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "project {name:?} is not a valid name: use up to {MAX_PROJECT_LEN} letters, digits, \
             '.', '_' or '-', starting with a letter or digit"
        ))
    }
}

/// The default project: the name of `dir` made into a valid project name, or
/// [`FALLBACK_PROJECT`] when nothing of it is usable (the root directory, say).
pub fn project_from_dir(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let cut: String = trimmed.chars().take(MAX_PROJECT_LEN).collect();
    if check_project(&cut).is_ok() {
        cut
    } else {
        FALLBACK_PROJECT.to_string()
    }
}

fn task_markdown(info: &RunInfo) -> String {
    let argv = serde_json::to_string(&info.cmd).unwrap_or_default();
    format!(
        "# Task {id}\n\n\
         - project: {project}\n\
         - created: {created}\n\
         - timeout: {timeout}\n\
         - command: `{argv}`\n\n\
         Runs are in `runs/<run id>/`: `run-info.json` (status, pid, times, exit code), \
         `stdout.txt` and `stderr.txt`.\n",
        id = info.task_id,
        project = info.project,
        created = humantime::format_rfc3339_seconds(info.started_at),
        timeout = humantime::format_duration(std::time::Duration::from_secs(info.timeout_secs)),
    )
}

fn random_id(bytes: usize) -> io::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| io::Error::other(format!("the OS random number generator failed: {e}")))?;
    Ok(hex::encode(buf))
}

fn is_id(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// Names of the real directories in `dir` (no symlinks, no dot-names), sorted.
fn subdirs(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

#[cfg(test)]
mod tests;
