//! `task run [--project P] [--timeout D] -- CMD…`: runs the command in the agent's sandbox in
//! the foreground, writes its output to the run's files while echoing it here, and exits with
//! its exit code (124 on timeout). SIGINT, SIGTERM (what `task stop` sends) and SIGHUP stop
//! the task through the sandbox and record the run as cancelled.

use super::Local;
use crate::agent::sandbox::{self, CancelFlag, Limits, SandboxSpec, StreamKind};
use crate::cli::exit::CliError;
use crate::cli::local_args::TaskRunArgs;
use crate::runs::{
    self, NewRun, STDERR_FILE, STDOUT_FILE, Status, Store, WORK_DIR, check_project, liveness,
};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Output kept per run, stdout and stderr together (the agent keeps as much per attempt).
const OUTPUT_CAP_BYTES: u64 = 16 << 20;
/// Between SIGTERM and SIGKILL of the task's process group (as on a worker).
const KILL_GRACE: Duration = Duration::from_secs(5);
const FALLBACK_TIMEOUT: Duration = Duration::from_secs(3600);

pub fn run(local: &Local, args: TaskRunArgs) -> Result<u8, CliError> {
    let timeout = match &args.timeout {
        Some(text) => super::parse_duration("--timeout", text)?,
        None => local
            .resolved
            .duration("default_task_timeout")?
            .unwrap_or(FALLBACK_TIMEOUT),
    };
    if timeout.is_zero() {
        return Err(CliError::usage(
            "--timeout must be more than zero, e.g. --timeout 30s",
        ));
    }
    let project = match args.project {
        Some(p) => {
            check_project(&p).map_err(CliError::usage)?;
            p
        }
        None => runs::project_from_dir(&std::env::current_dir().map_err(|e| {
            CliError::error(format!(
                "cannot read the current directory ({e}); give --project NAME"
            ))
        })?),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::error(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(supervise(Job {
        store: local.store.clone(),
        project,
        cmd: args.command,
        timeout,
        keep_workdir: args.keep_workdir,
    }))
}

struct Job {
    store: Store,
    project: String,
    cmd: Vec<String>,
    timeout: Duration,
    keep_workdir: bool,
}

async fn supervise(job: Job) -> Result<u8, CliError> {
    // Before the record exists: a stop request must never find us without our handlers.
    let mut stop_signals = StopSignals::install()?;
    let (info, run_dir) = job.store.create_run(&NewRun {
        project: &job.project,
        cmd: &job.cmd,
        timeout_secs: job.timeout.as_secs().max(1),
    })?;
    let task_id = info.task_id.clone();
    eprintln!(
        "edgecoder: task {task_id} started (project {}); `edgecoder task stop {task_id}` stops it",
        job.project
    );
    let outcome = run_in_sandbox(&job, &run_dir, &mut stop_signals).await;
    let ended_at = SystemTime::now();
    let (status, exit_code, error) = match &outcome {
        Ok(Ran {
            outcome: o,
            write_error,
            ..
        }) => {
            let status = if o.timed_out {
                Status::TimedOut
            } else if o.cancelled {
                Status::Cancelled
            } else if o.succeeded() {
                Status::Succeeded
            } else {
                Status::Failed
            };
            (status, Some(o.shell_exit_code()), write_error.clone())
        }
        Err(e) => (Status::Failed, None, Some(e.message.clone())),
    };
    let recorded = job.store.update(&run_dir, |i| {
        i.status = status;
        i.ended_at = Some(ended_at);
        i.exit_code = exit_code;
        i.error = error;
        if let Ok(Ran { outcome: o, .. }) = &outcome {
            i.signal = o.signal;
            i.duration_ms = Some(u64::try_from(o.duration.as_millis()).unwrap_or(u64::MAX));
            i.output_bytes = Some(o.output_bytes);
            i.truncated = o.truncated;
        }
    });
    if let Err(e) = recorded {
        eprintln!("edgecoder: could not record the end of task {task_id}: {e}");
    }
    if !job.keep_workdir {
        let _ = std::fs::remove_dir_all(run_dir.join(WORK_DIR));
    }
    let Ran {
        outcome: o,
        write_error,
        echo_error,
    } = outcome?;
    match status {
        Status::TimedOut => eprintln!(
            "edgecoder: task {task_id} timed out after {}",
            humantime::format_duration(job.timeout)
        ),
        Status::Cancelled => eprintln!("edgecoder: task {task_id} stopped"),
        _ if o.truncated => eprintln!(
            "edgecoder: task {task_id} wrote {} bytes; only the first {OUTPUT_CAP_BYTES} were kept",
            o.output_bytes
        ),
        _ => {}
    }
    let code = u8::try_from(o.shell_exit_code()).unwrap_or(1);
    // A task that succeeded but whose output was lost did not do what the caller asked.
    match echo_error.or(write_error) {
        Some(lost) if code == 0 => {
            eprintln!("edgecoder: task {task_id}: {lost}");
            Ok(crate::cli::exit::ERROR)
        }
        _ => Ok(code),
    }
}

/// Runs the task; returns its outcome and the first error writing its output files, if any.
async fn run_in_sandbox(
    job: &Job,
    run_dir: &Path,
    stop_signals: &mut StopSignals,
) -> Result<Ran, CliError> {
    let workdir = run_dir.join(WORK_DIR);
    std::fs::create_dir(&workdir)
        .map_err(|e| CliError::error(format!("creating {}: {e}", workdir.display())))?;
    let output = OutputFiles {
        stdout: Mutex::new(create_private(&run_dir.join(STDOUT_FILE))?),
        stderr: Mutex::new(create_private(&run_dir.join(STDERR_FILE))?),
        error: Mutex::new(None),
        echo_error: Mutex::new(None),
    };
    let spec = SandboxSpec {
        command: sandbox::TaskCommand::Argv(job.cmd.clone()),
        env: Vec::new(),
        workdir,
        files: Vec::new(),
        timeout: job.timeout,
        kill_grace: KILL_GRACE,
        limits: Limits::default(),
        output_cap_bytes: OUTPUT_CAP_BYTES,
        tail_bytes: 0,
        network: true,
        // The user's own command on the user's own machine: it runs as the user.
        run_as: None,
        // Nor is it confined: it may use whatever its user may.
        confine: false,
        path: Vec::new(),
    };
    let cancel = CancelFlag::new();
    let flag = cancel.clone();
    let store = job.store.clone();
    let record_dir = run_dir.to_path_buf();
    let mut blocking = tokio::task::spawn_blocking(move || {
        let sink = |kind: StreamKind, bytes: &[u8]| output.write(kind, bytes);
        // Recorded so `task stop` can reach the task's group should this process hang.
        let on_spawn = |pid: u32| {
            let start = liveness::process_start_time(pid);
            if let Err(e) = store.update(&record_dir, |i| {
                i.task_pid = Some(pid);
                i.task_pid_start_time = start;
            }) {
                eprintln!("edgecoder: could not record the task's pid: {e}");
            }
        };
        let result = sandbox::run_with_spawn_hook(&spec, &sink, &flag, &on_spawn);
        let echo_error = output.echo_error.lock().ok().and_then(|mut e| e.take());
        (
            result,
            output.error.into_inner().unwrap_or(None),
            echo_error,
        )
    });
    let (result, write_error, echo_error) = loop {
        tokio::select! {
            joined = &mut blocking => {
                break joined.map_err(|e| CliError::error(format!("the task runner crashed: {e}")))?;
            }
            () = stop_signals.recv() => cancel.cancel(),
        }
    };
    let outcome =
        result.map_err(|e| CliError::error(format!("the sandbox could not run the task: {e}")))?;
    Ok(Ran {
        outcome,
        write_error,
        echo_error,
    })
}

/// How a run went: the sandbox's outcome, and the first failure to write its output to the run's
/// files and to our own stdout/stderr.
struct Ran {
    outcome: sandbox::Outcome,
    write_error: Option<String>,
    echo_error: Option<String>,
}

/// The run's stdout.txt and stderr.txt; each chunk is also echoed to our own stdout/stderr.
struct OutputFiles {
    stdout: Mutex<File>,
    stderr: Mutex<File>,
    /// The first failure to write a file (a full disk, say), kept for the record.
    error: Mutex<Option<String>>,
    /// The first failure to echo to our stdout/stderr (`> /dev/full`, a closed pipe).
    echo_error: Mutex<Option<String>>,
}

impl OutputFiles {
    fn write(&self, kind: StreamKind, bytes: &[u8]) {
        let (file, name) = match kind {
            StreamKind::Stdout => (&self.stdout, STDOUT_FILE),
            StreamKind::Stderr => (&self.stderr, STDERR_FILE),
        };
        let written = match file.lock() {
            Ok(mut f) => f.write_all(bytes),
            Err(_) => Err(io::Error::other("writer poisoned")),
        };
        if let Err(e) = written
            && let Ok(mut first) = self.error.lock()
        {
            first.get_or_insert_with(|| format!("could not write {name}: {e}"));
        }
        // A closed terminal or pipe must not stop the task nor its record, but the exit code
        // says the output was lost.
        let (echoed, name) = match kind {
            StreamKind::Stdout => (echo(&mut io::stdout().lock(), bytes), "stdout"),
            StreamKind::Stderr => (echo(&mut io::stderr().lock(), bytes), "stderr"),
        };
        if let Err(e) = echoed
            && let Ok(mut first) = self.echo_error.lock()
        {
            first
                .get_or_insert_with(|| format!("could not write the task's output to {name}: {e}"));
        }
    }
}

fn echo(to: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    to.write_all(bytes)?;
    to.flush()
}

fn create_private(path: &PathBuf) -> Result<File, CliError> {
    OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| CliError::error(format!("creating {}: {e}", path.display())))
}

/// SIGINT (Ctrl-C), SIGTERM (`task stop`, a service manager) and SIGHUP (the terminal went
/// away): each asks the sandbox to stop the task, so the run ends recorded, not abandoned.
pub(in crate::cli) struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl StopSignals {
    pub(in crate::cli) fn install() -> Result<StopSignals, CliError> {
        use tokio::signal::unix::{SignalKind, signal};
        let install = |kind| {
            signal(kind)
                .map_err(|e| CliError::error(format!("cannot install a signal handler: {e}")))
        };
        Ok(StopSignals {
            term: install(SignalKind::terminate())?,
            int: install(SignalKind::interrupt())?,
            hup: install(SignalKind::hangup())?,
        })
    }

    pub(in crate::cli) async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
            _ = self.hup.recv() => {}
        }
    }
}
