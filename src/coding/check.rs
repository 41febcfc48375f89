//! Running a coding task's check. The check is the user's command and the code is a model's:
//! both run in the agent's sandbox (a process group with limits, a pids cgroup where there is
//! one, no network unless the task asks, Landlock and another uid when the worker uses them),
//! so a fork bomb or an endless loop ends as a failed iteration, never a hung task.

use crate::agent::sandbox::{
    self, CancelFlag, Limits, RunAs, SandboxError, SandboxSpec, StreamKind, TaskCommand,
};
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One run of the check.
#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    /// Exited 0 on its own.
    pub passed: bool,
    /// The shell-style exit code (124 on timeout, 128+signal); `None` when it never started.
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub cancelled: bool,
    /// The end of its output, stdout and stderr as they came.
    pub output: String,
    pub duration: Duration,
    /// Why it could not run at all.
    pub error: Option<String>,
}

/// Writes `files` into `workdir` and runs `command` there.
pub trait Checker: Send + Sync {
    fn check<'a>(
        &'a self,
        workdir: &'a Path,
        files: Vec<(String, Vec<u8>)>,
        command: &'a str,
        timeout: Duration,
        cancel: CancelFlag,
    ) -> Pin<Box<dyn Future<Output = CheckRun> + Send + 'a>>;
}

/// The check in the agent's sandbox.
#[derive(Debug, Clone)]
pub struct SandboxChecker {
    pub network: bool,
    pub run_as: Option<RunAs>,
    pub confine: bool,
    pub limits: Limits,
    /// Variables the check sees (the task's env and secrets).
    pub env: Vec<(String, String)>,
    /// Bytes of output kept for the result and the repair prompt.
    pub tail_bytes: usize,
}

impl Default for SandboxChecker {
    fn default() -> Self {
        SandboxChecker {
            network: false,
            run_as: None,
            confine: false,
            limits: Limits::default(),
            env: Vec::new(),
            tail_bytes: super::prompts::OUTPUT_TAIL_BYTES,
        }
    }
}

impl Checker for SandboxChecker {
    fn check<'a>(
        &'a self,
        workdir: &'a Path,
        files: Vec<(String, Vec<u8>)>,
        command: &'a str,
        timeout: Duration,
        cancel: CancelFlag,
    ) -> Pin<Box<dyn Future<Output = CheckRun> + Send + 'a>> {
        let spec = SandboxSpec {
            command: TaskCommand::Script(command.to_string()),
            env: self.env.clone(),
            workdir: workdir.to_path_buf(),
            files,
            timeout,
            kill_grace: Duration::from_secs(2),
            limits: self.limits,
            output_cap_bytes: 1 << 20,
            tail_bytes: self.tail_bytes,
            network: self.network,
            run_as: self.run_as,
            confine: self.confine,
            path: Vec::new(),
        };
        let keep = self.tail_bytes;
        Box::pin(async move {
            let joined =
                tokio::task::spawn_blocking(move || run_blocking(&spec, keep, &cancel)).await;
            joined.unwrap_or_else(|e| CheckRun {
                error: Some(format!("the check's runner crashed: {e}")),
                ..CheckRun::default()
            })
        })
    }
}

fn run_blocking(spec: &SandboxSpec, keep: usize, cancel: &CancelFlag) -> CheckRun {
    let output = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink_out = output.clone();
    let sink = move |_kind: StreamKind, bytes: &[u8]| {
        if let Ok(mut buf) = sink_out.lock() {
            buf.extend_from_slice(bytes);
            // Keep a little more than the tail so trimming is rare.
            if buf.len() > keep * 4 {
                let cut = buf.len() - keep;
                buf.drain(..cut);
            }
        }
    };
    let result = sandbox::run(spec, &sink, cancel);
    let text = output
        .lock()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let output = super::prompts::tail(&text, keep);
    match result {
        Ok(o) => CheckRun {
            passed: o.succeeded(),
            exit_code: Some(o.shell_exit_code()),
            timed_out: o.timed_out,
            cancelled: o.cancelled,
            output,
            duration: o.duration,
            error: None,
        },
        Err(e) => CheckRun {
            output,
            error: Some(match e {
                SandboxError::BadFile(m) => format!("a file was refused: {m}"),
                other => other.to_string(),
            }),
            ..CheckRun::default()
        },
    }
}
