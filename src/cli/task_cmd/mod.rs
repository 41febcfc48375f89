//! `edgecoder task …`: local-only runs, recorded as plain files in the runs directory (see
//! `crate::runs`). No coordinator is involved; tasks run in the agent's sandbox.

mod logs;
pub(super) mod run;
mod view;

use super::common_args::discovery;
use super::exit::{CONFLICT, CliError, NOT_FOUND, OK, USAGE};
use super::local_args::{RunsDirArgs, TaskArgs, TaskCommand};
use crate::config::{self, Resolved};
use crate::runs::{self, Corrupt, ResolveError, RunRecord, Status, Store, TaskRef, liveness};
use rustix::process::Signal;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long `task stop` waits for the run to end after asking it to stop: the sandbox's
/// SIGTERM→SIGKILL grace plus room for a loaded machine.
const STOP_WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(100);

pub fn run(args: TaskArgs) -> Result<u8, CliError> {
    let local = Local::open(&args.dirs)?;
    match args.command {
        TaskCommand::Run(a) => run::run(&local, a),
        TaskCommand::List(a) => view::list(&local, a),
        TaskCommand::Show { id, json, .. } => view::show(&local, &id, json),
        TaskCommand::Logs { id, follow } => logs::print(&local, &id, follow),
        TaskCommand::Stop { id } => stop(&local, &id),
        TaskCommand::Rm { id } => rm(&local, &id),
    }
}

/// The runs directory and the resolved settings, shared by `task` and `gc`.
pub(super) struct Local {
    pub store: Store,
    pub resolved: Resolved,
}

impl Local {
    pub fn open(dirs: &RunsDirArgs) -> Result<Local, CliError> {
        let mut flags = BTreeMap::new();
        if let Some(dir) = &dirs.runs_dir {
            flags.insert("runs_dir", dir.display().to_string());
        }
        let resolved = config::resolve(&flags, &discovery(&dirs.config))?;
        let root = match resolved.get("runs_dir") {
            Some(dir) => PathBuf::from(dir),
            None => resolved
                .get("data_dir")
                .map(PathBuf::from)
                .unwrap_or_else(config::paths::default_data_dir)
                .join("runs"),
        };
        Ok(Local {
            store: Store::new(root),
            resolved,
        })
    }

    /// The task named by an id or a unique prefix of one.
    pub fn find(&self, id: &str) -> Result<TaskRef, CliError> {
        match self.store.resolve(id) {
            Ok(task) => Ok(task),
            Err(ResolveError::NotFound) => Err(CliError::new(
                NOT_FOUND,
                format!(
                    "no local task {id:?} in {}: `edgecoder task list` shows them",
                    self.store.root().display()
                ),
            )),
            Err(ResolveError::Ambiguous(ids)) => Err(CliError::new(
                USAGE,
                format!(
                    "{id:?} matches {} tasks ({}): give more characters",
                    ids.len(),
                    ids.join(", ")
                ),
            )),
        }
    }

    /// The task's newest run that can be read (unreadable ones are reported).
    pub fn latest_run(&self, task: &TaskRef) -> Result<RunRecord, CliError> {
        let scan = self.store.runs_of(task);
        warn_corrupt(&scan.corrupt);
        scan.runs.into_iter().next_back().ok_or_else(|| {
            CliError::error(format!(
                "task {} has no readable run record in {}; `edgecoder task rm {}` removes it",
                task.task_id,
                task.dir.display(),
                task.task_id
            ))
        })
    }
}

/// One warning line per record that could not be read; the listing goes on without it.
pub(super) fn warn_corrupt(corrupt: &[Corrupt]) {
    for c in corrupt {
        eprintln!("warning: skipped a run record: {}", c.error);
    }
}

/// A duration flag such as `30s`, `10m`, `2h` or `7d`, or a one-line usage error.
pub(in crate::cli) fn parse_duration(flag: &str, text: &str) -> Result<Duration, CliError> {
    humantime::parse_duration(text).map_err(|e| {
        CliError::usage(format!(
            "{flag} {text:?} is not a duration like 30s, 10m, 2h or 7d ({e})"
        ))
    })
}

/// Milliseconds since the Unix epoch, for the age formatters of `cli::output`.
pub(super) fn unix_ms(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Asks the `task run` process supervising the run to stop: it takes the task's process group
/// down (SIGTERM, then SIGKILL after the grace) and records the run as cancelled.
fn stop(local: &Local, id: &str) -> Result<u8, CliError> {
    let task = local.find(id)?;
    let run = local.latest_run(&task)?;
    if run.status != Status::Running {
        return Err(CliError::new(
            CONFLICT,
            format!(
                "task {} is not running (it {}); nothing to stop",
                task.task_id,
                view::ended_phrase(&run)
            ),
        ));
    }
    let info = &run.info;
    signal_process(info.pid, info.pid_start_time, Signal::TERM);
    let deadline = Instant::now() + STOP_WAIT;
    while Instant::now() < deadline {
        if let Some(done) = ended(&run) {
            println!("stopped task {} ({})", task.task_id, done.as_str());
            return Ok(OK);
        }
        std::thread::sleep(POLL);
    }
    // The supervisor did not finish in time: take the task's group down ourselves.
    let current = runs::read_info(&run.dir).unwrap_or_else(|_| info.clone());
    if let Some(task_pid) = current.task_pid
        && liveness::is_alive(task_pid, current.task_pid_start_time)
    {
        signal_group(task_pid, Signal::KILL);
    }
    signal_process(info.pid, info.pid_start_time, Signal::KILL);
    Err(CliError::error(format!(
        "task {} did not stop within {}s; its processes were killed",
        task.task_id,
        STOP_WAIT.as_secs()
    )))
}

/// The status a run ended with, once it has.
fn ended(run: &RunRecord) -> Option<Status> {
    match runs::read_info(&run.dir) {
        Ok(info) => {
            let (status, _) = runs::effective_status(&info);
            (status != Status::Running).then_some(status)
        }
        // Removed meanwhile: certainly not running.
        Err(_) => Some(Status::Cancelled),
    }
}

/// Signals `pid` only while it is still the process that was recorded.
fn signal_process(pid: u32, start: Option<u64>, sig: Signal) {
    if let Some(pid_now) = liveness::pid(pid)
        && liveness::is_alive(pid, start)
    {
        // Gone since the check: nothing left to signal.
        let _ = rustix::process::kill_process(pid_now, sig);
    }
}

/// Signals the group led by `pgid` (the caller checked the leader).
fn signal_group(pgid: u32, sig: Signal) {
    if let Some(group) = liveness::pid(pgid) {
        let _ = rustix::process::kill_process_group(group, sig);
    }
}

fn rm(local: &Local, id: &str) -> Result<u8, CliError> {
    let task = local.find(id)?;
    let lock = local.store.lock()?;
    let scan = local.store.runs_of(&task);
    if scan.runs.iter().any(|r| r.status == Status::Running) {
        return Err(CliError::new(
            CONFLICT,
            format!(
                "task {id} is running: stop it first (`edgecoder task stop {id}`)",
                id = task.task_id
            ),
        ));
    }
    // A record that cannot be read cannot say it is running; it was not written by a run
    // (those are replaced atomically), and removing it is the way to clean it up.
    warn_corrupt(&scan.corrupt);
    local.store.remove_task(&task, &lock)?;
    println!("removed task {} ({})", task.task_id, task.project);
    Ok(OK)
}
