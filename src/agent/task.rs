//! Running one claimed task: accept it, run it in the sandbox, stream its output to the
//! coordinator by byte offset, and report the result with the lease it was given.

use super::mask::Masker;
use super::sandbox::{self, CancelFlag, Limits, RunAs, SandboxSpec, StreamKind};
use crate::api::backoff::Backoff;
use crate::api::client::{Client, ClientError};
use crate::api::{ClaimedTask, CompleteRequest, Outcome, TaskCommand};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Output beyond this is dropped (the task keeps running; the log says it was cut).
const OUTPUT_CAP_BYTES: u64 = 16 << 20;
const TAIL_BYTES: usize = 4096;

/// Why a running task was told to stop; decides how its end is reported.
#[derive(Clone, Default)]
pub struct StopSignal {
    pub flag: CancelFlag,
    reason: Arc<AtomicU8>,
    /// The task's process group while its process runs (0: none), for the host policy's
    /// SIGSTOP/SIGCONT (`host::suspend`).
    group: Arc<AtomicI32>,
}

pub(super) const REASON_NONE: u8 = 0;
const REASON_CANCELLED: u8 = 1;
pub(super) const REASON_SHUTDOWN: u8 = 2;
pub(super) const REASON_LEASE_LOST: u8 = 3;
pub(super) const REASON_RELEASED: u8 = 4;

impl StopSignal {
    /// The coordinator cancelled the task: report it cancelled.
    pub fn cancel(&self) {
        self.stop(REASON_CANCELLED);
    }

    /// The agent is shutting down: report a failure so the task is retried elsewhere.
    pub fn shutdown(&self) {
        self.stop(REASON_SHUTDOWN);
    }

    pub(super) fn lease_lost(&self) {
        self.stop(REASON_LEASE_LOST);
    }

    /// The task was handed back to the queue (the host policy): stop it, report nothing.
    pub fn release(&self) {
        self.stop(REASON_RELEASED);
    }

    /// Records the task's process group (0: its process has ended).
    pub fn set_group(&self, pgid: i32) {
        self.group.store(pgid.max(0), Ordering::SeqCst);
    }

    /// The task's process group, while it has one.
    pub fn group(&self) -> Option<i32> {
        Some(self.group.load(Ordering::SeqCst)).filter(|g| *g > 0)
    }

    fn stop(&self, reason: u8) {
        let _ =
            self.reason
                .compare_exchange(REASON_NONE, reason, Ordering::SeqCst, Ordering::SeqCst);
        self.flag.cancel();
    }

    pub(super) fn reason(&self) -> u8 {
        self.reason.load(Ordering::SeqCst)
    }
}

pub struct TaskRun {
    pub client: Client,
    pub claimed: ClaimedTask,
    /// Reachable by `run_as` (see `task_user::WorkRoot`).
    pub work_root: PathBuf,
    pub keep_workdir: bool,
    pub stop: StopSignal,
    /// The user the task runs as; `None`: as the agent.
    pub run_as: Option<RunAs>,
    /// Confine the task with Landlock (see `sandbox::confine`).
    pub confine: bool,
    /// The node's model servers, for coding tasks.
    pub models: crate::models::Backends,
    /// The node's PATH and passed-through variables for tasks (`task_env`).
    pub task_env: Arc<super::task_env::TaskEnv>,
    /// Where caches live and how much artifacts and caches may take.
    pub outputs: Arc<super::outputs::OutputSettings>,
}

/// What happened, for the agent's log and counters.
#[derive(Debug)]
pub struct TaskReport {
    pub task_id: String,
    pub outcome: Option<Outcome>,
    /// Time from the claim answer to the process running.
    pub start_overhead: Option<Duration>,
}

pub async fn run(job: TaskRun) -> TaskReport {
    let claimed_at = Instant::now();
    let task = &job.claimed.task;
    let lease_id = job.claimed.lease.lease_id.clone();
    let mut report = TaskReport {
        task_id: task.id.clone(),
        outcome: None,
        start_overhead: None,
    };
    if let Err(e) = job.client.start(&task.id, &lease_id).await {
        tracing::warn!(task = %task.id, "could not accept the task: {e}");
        return report;
    }
    let command = match &task.command {
        TaskCommand::Argv(argv) => sandbox::TaskCommand::Argv(argv.clone()),
        TaskCommand::Script(s) => sandbox::TaskCommand::Script(s.clone()),
        TaskCommand::Code(spec) => {
            report.outcome = Some(super::code_task::run(&job, spec, &lease_id).await);
            return report;
        }
        TaskCommand::Inference(spec) => {
            report.outcome = Some(super::inference_task::run(&job, spec, &lease_id).await);
            return report;
        }
    };
    let workdir = workdir_of(&job);
    // The task's source (issue 17), unpacked into a fresh workdir before anything runs.
    let has_source = match prepare_source(&job, &lease_id, &workdir).await {
        Ok(has) => has,
        Err(outcome) => {
            report.outcome = outcome;
            return report;
        }
    };
    let (tx, uploader, masker) = start_log_upload(&job, &lease_id);
    let outputs = super::outputs::TaskOutputs::new(
        &job.outputs,
        &job.claimed,
        &workdir,
        job.run_as,
        tx.clone(),
    );
    let restore = outputs.clone();
    let spec = SandboxSpec {
        command,
        // Secrets reach the task only as env vars of its process (validated by the coordinator
        // not to clash with `env`).
        // The node's passed-through variables first: the task's own env may override them.
        env: job
            .task_env
            .pass
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .chain(
                task.env
                    .iter()
                    .chain(job.claimed.secrets.iter().filter(|(k, _)| {
                        // The git credentials are for the checkout, not for the task.
                        !super::git_source::is_credentials_secret(task.source.as_ref(), k)
                    }))
                    .map(|(k, v)| (k.clone(), v.clone())),
            )
            .collect(),
        workdir: workdir.clone(),
        files: job
            .claimed
            .files
            .iter()
            .map(|f| (f.path.clone(), f.content.clone().into_bytes()))
            .collect(),
        timeout: Duration::from_secs(task.timeout_secs.max(1)),
        kill_grace: Duration::from_secs(5),
        limits: Limits::default(),
        output_cap_bytes: OUTPUT_CAP_BYTES,
        tail_bytes: TAIL_BYTES,
        network: task.network,
        run_as: job.run_as,
        confine: job.confine,
        path: job.task_env.path.clone(),
    };
    let flag = job.stop.flag.clone();
    let spawned_after = Arc::new(std::sync::Mutex::new(None::<Duration>));
    let spawned = spawned_after.clone();
    let group = job.stop.clone();
    let result = tokio::task::spawn_blocking(move || {
        if !has_source {
            fresh_workdir(&spec.workdir).map_err(sandbox::SandboxError::Io)?;
        }
        restore.restore_caches();
        drop(restore);
        let sink = move |kind: StreamKind, bytes: &[u8]| {
            let _ = tx.send((kind, bytes.to_vec()));
        };
        let on_spawn = |pid: u32| {
            if let Ok(mut s) = spawned.lock() {
                *s = Some(claimed_at.elapsed());
            }
            // The sandbox starts each task in a group of its own, led by its first process.
            group.set_group(i32::try_from(pid).unwrap_or(0));
        };
        let outcome = sandbox::run_with_spawn_hook(&spec, &sink, &flag, &on_spawn);
        group.set_group(0);
        outcome
    })
    .await;
    report.start_overhead = spawned_after.lock().ok().and_then(|s| *s);
    let kept = keep_outputs(&job, &outputs, &result).await;
    drop(outputs);
    // The sink (and with it the channel's sender) is gone: the uploader drains and stops.
    let _ = uploader.await;
    let mut complete = match result {
        Ok(Ok(outcome)) => {
            tracing::debug!(
                task = %task.id,
                pids_contained = outcome.pids_contained,
                network_isolated = outcome.network_isolated,
                "sandbox finished"
            );
            let mut complete = completion(&lease_id, &outcome, job.stop.reason());
            mask_tails(&mut complete, &outcome, &masker);
            complete
        }
        Ok(Err(e)) => failure(
            &lease_id,
            format!("the sandbox could not run the task: {e}"),
        ),
        Err(e) => failure(&lease_id, format!("the task runner crashed: {e}")),
    };
    match kept {
        Ok(artifacts) => complete.artifacts = artifacts,
        Err(e) => refuse_artifacts(&mut complete, e),
    }
    report.outcome = Some(complete.outcome);
    if job.stop.reason() == REASON_LEASE_LOST {
        tracing::info!(task = %task.id, "lease lost; not reporting a result");
    } else if job.stop.reason() == REASON_RELEASED {
        tracing::info!(task = %task.id, "handed back to the queue; not reporting a result");
    } else {
        report_result(&job.client, &task.id, &complete).await;
    }
    if !job.keep_workdir {
        let _ = std::fs::remove_dir_all(&workdir);
    }
    report
}

/// Fetches (through the node's cache) and unpacks the task's source blob into a fresh workdir;
/// true when there was one. A download that fails is the infrastructure's fault: the task is
/// handed back to the queue (`Err(None)`). An archive that is corrupt or escapes the workdir is
/// the task's own: it fails, not retried (`Err(Some(Failed))`).
async fn prepare_source(
    job: &TaskRun,
    lease_id: &str,
    workdir: &std::path::Path,
) -> Result<bool, Option<Outcome>> {
    let task = &job.claimed.task;
    let sha256 = match &task.source {
        Some(crate::api::TaskSource::Blob { sha256, .. }) => sha256,
        Some(git @ crate::api::TaskSource::Git { .. }) => {
            return super::git_source::prepare_for_task(job, lease_id, workdir, git).await;
        }
        None => return Ok(false),
    };
    let cache = job.work_root.join(".source-cache");
    let archive = match crate::sources::cache::fetch(&job.client, &cache, sha256).await {
        Ok(path) => path,
        Err(e) => {
            let reason = format!("could not download the task's source: {e}");
            tracing::warn!(task = %task.id, "{reason}; handing the task back");
            if let Err(e) = job.client.release_task(&task.id, lease_id, &reason).await {
                tracing::warn!(task = %task.id, "could not hand the task back: {e}");
            }
            return Err(None);
        }
    };
    let (dir, owner) = (workdir.to_path_buf(), job.run_as.map(|u| (u.uid, u.gid)));
    let unpacked = tokio::task::spawn_blocking(move || {
        fresh_workdir(&dir).map_err(|e| format!("cannot make the workdir: {e}"))?;
        crate::sources::unpack::unpack(&archive, &dir, owner)
    })
    .await
    .unwrap_or_else(|e| Err(format!("the unpacker crashed: {e}")));
    match unpacked {
        Ok(files) => {
            tracing::debug!(task = %task.id, files, "source unpacked");
            Ok(true)
        }
        Err(e) => {
            let mut complete = failure(lease_id, format!("the task's source: {e}"));
            complete.permanent = true;
            report_result(&job.client, &task.id, &complete).await;
            if !job.keep_workdir {
                let _ = std::fs::remove_dir_all(workdir);
            }
            Err(Some(Outcome::Failed))
        }
    }
}

/// After the task: saves its caches if it succeeded and uploads its artifacts whatever the
/// outcome (a failing test run's report is what one wants most), unless it was stopped.
async fn keep_outputs(
    job: &TaskRun,
    outputs: &super::outputs::TaskOutputs,
    result: &Result<Result<sandbox::Outcome, sandbox::SandboxError>, tokio::task::JoinError>,
) -> Result<Vec<crate::api::ArtifactInfo>, String> {
    let Ok(Ok(outcome)) = result else {
        return Ok(Vec::new());
    };
    if job.stop.reason() != REASON_NONE || outcome.cancelled {
        return Ok(Vec::new());
    }
    if outcome.succeeded() {
        outputs.save_caches().await;
    }
    outputs.upload_artifacts(&job.client).await
}

/// Artifacts that could not be kept fail the task: a CI step whose report is missing must not
/// pass.
fn refuse_artifacts(complete: &mut CompleteRequest, why: String) {
    complete.artifacts.clear();
    complete.outcome = Outcome::Failed;
    complete.error = Some(match complete.error.take() {
        Some(e) => format!("{e}; {why}"),
        None => why,
    });
}

/// Where an attempt's output goes, chunk by chunk, to be uploaded.
pub(super) type OutputSender = mpsc::UnboundedSender<(StreamKind, Vec<u8>)>;

/// The attempt's working dir: one per task and attempt under the worker's work root.
pub(super) fn workdir_of(job: &TaskRun) -> PathBuf {
    job.work_root.join(format!(
        "{}-{}",
        job.claimed.task.id, job.claimed.lease.attempt
    ))
}

/// Always a fresh directory: one left by an earlier attempt (kept, or not removed) may hold
/// anything its task put there.
pub(super) fn fresh_workdir(workdir: &std::path::Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(workdir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::create_dir_all(workdir)
}

/// Starts streaming the attempt's output to the coordinator: what is sent on the returned
/// channel is uploaded by byte offset, masked, until the channel closes; the handle ends then.
/// Secret values never leave the node unmasked: not in log chunks, not in result tails.
pub(super) fn start_log_upload(
    job: &TaskRun,
    lease_id: &str,
) -> (OutputSender, tokio::task::JoinHandle<()>, Masker) {
    start_log_upload_paced(job, lease_id, super::log_upload::Pace::Batched)
}

/// [`start_log_upload`] at a chosen pace (an inference task's answer goes out at once).
pub(super) fn start_log_upload_paced(
    job: &TaskRun,
    lease_id: &str,
    pace: super::log_upload::Pace,
) -> (OutputSender, tokio::task::JoinHandle<()>, Masker) {
    let (tx, rx) = mpsc::unbounded_channel::<(StreamKind, Vec<u8>)>();
    let masker = Masker::new(job.claimed.secrets.values());
    let uploader = tokio::spawn(super::log_upload::upload_logs(
        job.client.clone(),
        job.claimed.task.id.clone(),
        lease_id.to_string(),
        rx,
        job.stop.clone(),
        masker.clone(),
        pace,
    ));
    (tx, uploader, masker)
}

pub(super) fn failure(lease_id: &str, error: String) -> CompleteRequest {
    CompleteRequest {
        lease_id: lease_id.to_string(),
        outcome: Outcome::Failed,
        exit_code: None,
        error: Some(error),
        duration_ms: None,
        cpu_ms: None,
        peak_rss_kib: None,
        stdout_tail: None,
        stderr_tail: None,
        code: None,
        artifacts: Vec::new(),
        permanent: false,
        inference: None,
    }
}

fn completion(lease_id: &str, o: &sandbox::Outcome, stop_reason: u8) -> CompleteRequest {
    let (outcome, error) = if o.timed_out {
        (
            Outcome::TimedOut,
            Some("timed out: the process group was terminated".to_string()),
        )
    } else if o.cancelled && stop_reason == REASON_SHUTDOWN {
        (
            Outcome::Failed,
            Some("the agent shut down while the task ran; it will be retried".to_string()),
        )
    } else if o.cancelled {
        (Outcome::Cancelled, Some("cancelled".to_string()))
    } else if o.succeeded() {
        (Outcome::Succeeded, None)
    } else if let Some(sig) = o.signal {
        (Outcome::Failed, Some(format!("killed by signal {sig}")))
    } else {
        (
            Outcome::Failed,
            Some(format!("exited with code {}", o.exit_code.unwrap_or(-1))),
        )
    };
    let mut error = error;
    if o.truncated {
        let note = format!(
            "output cut at {OUTPUT_CAP_BYTES} bytes of {}",
            o.output_bytes
        );
        error = Some(match error {
            Some(e) => format!("{e}; {note}"),
            None => note,
        });
    }
    CompleteRequest {
        lease_id: lease_id.to_string(),
        outcome,
        // Stopped by its agent's shutdown, it did not end by itself: no exit code, so the
        // coordinator counts the failure as the infrastructure's and runs it again.
        exit_code: (!(o.cancelled && stop_reason == REASON_SHUTDOWN)).then(|| o.shell_exit_code()),
        error,
        duration_ms: Some(o.duration.as_millis() as u64),
        cpu_ms: Some(o.cpu_time.as_millis() as u64),
        peak_rss_kib: Some(o.peak_rss_kib),
        stdout_tail: Some(String::from_utf8_lossy(&o.stdout_tail).into_owned()),
        stderr_tail: Some(String::from_utf8_lossy(&o.stderr_tail).into_owned()),
        code: None,
        artifacts: Vec::new(),
        permanent: false,
        inference: None,
    }
}

/// Masks secrets in the result's output tails; a tail cut from longer output may start inside
/// a secret, so its leading fragment is masked too.
fn mask_tails(complete: &mut CompleteRequest, o: &sandbox::Outcome, masker: &Masker) {
    if masker.is_empty() {
        return;
    }
    let cut = |tail: &[u8]| tail.len() >= TAIL_BYTES;
    let (out_cut, err_cut) = (cut(&o.stdout_tail), cut(&o.stderr_tail));
    if let Some(t) = complete.stdout_tail.as_mut() {
        *t = masker.mask_all(t, out_cut);
    }
    if let Some(t) = complete.stderr_tail.as_mut() {
        *t = masker.mask_all(t, err_cut);
    }
}

/// Reports the result, retrying while the coordinator is unreachable. A 409 means the lease
/// already ended (a resend after a lost answer, or the task was re-queued): nothing more to do.
pub(super) async fn report_result(client: &Client, task_id: &str, req: &CompleteRequest) {
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(10));
    let mut req = std::borrow::Cow::Borrowed(req);
    for _ in 0..30 {
        match client.complete(task_id, &req).await {
            Ok(_) => return,
            Err(ClientError::Api { status: 409, .. }) => return,
            // The coordinator keeps less than this node would: report the task failed, saying so.
            Err(e @ ClientError::Api { status: 413, .. }) if !req.artifacts.is_empty() => {
                refuse_artifacts(req.to_mut(), e.to_string());
            }
            Err(e @ ClientError::Api { .. }) => {
                tracing::warn!(task = %task_id, "result refused: {e}");
                return;
            }
            Err(e) => {
                tracing::debug!(task = %task_id, "result not delivered yet: {e}");
                backoff.sleep().await;
            }
        }
    }
    tracing::warn!(task = %task_id, "gave up reporting the result; the lease will expire");
}
