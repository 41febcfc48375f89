//! A claimed coding task on this worker: choose the model the task wants from the node's
//! backends, run the coding loop in a fresh workdir with the checks in the sandbox, stream its
//! progress lines into the task's log (so `--follow` and the dashboard see them live), and
//! report one completion carrying the whole `CodeResult`. The lease stays ours through long
//! model calls: the worker's heartbeats renew it while this runs, and a lost lease stops the
//! loop without reporting.

use super::mask::Masker;
use super::sandbox::{Limits, StreamKind};
use super::task::{
    REASON_LEASE_LOST, REASON_SHUTDOWN, TaskRun, failure, fresh_workdir, report_result,
    start_log_upload, workdir_of,
};
use crate::api::{CodeResult, CodeSpec, CodeStatus, CompleteRequest, Outcome};
use crate::coding::{self, LoopParams, SandboxChecker};
use crate::models::{Backend, ModelError};
use std::time::{Duration, Instant};

/// What the task ended with, for the worker's log.
pub async fn run(job: &TaskRun, spec: &CodeSpec, lease_id: &str) -> Outcome {
    let task = &job.claimed.task;
    let started = Instant::now();
    let workdir = workdir_of(job);
    let (tx, uploader, masker) = start_log_upload(job, lease_id);
    let progress = move |line: &str| {
        let _ = tx.send((StreamKind::Stdout, format!("{line}\n").into_bytes()));
    };
    let result = match fresh_workdir(&workdir) {
        Err(e) => Err(format!("could not make the task's workdir: {e}")),
        Ok(()) => Ok(run_loop(job, spec, &workdir, &progress).await),
    };
    // The progress closure held the channel's sender: dropping it lets the uploader drain.
    drop(progress);
    let _ = uploader.await;
    let complete = match result {
        Err(e) => failure(lease_id, e),
        Ok(mut result) => {
            mask_result(&mut result, &masker);
            completion(lease_id, result, job.stop.reason(), started.elapsed())
        }
    };
    let outcome = complete.outcome;
    if job.stop.reason() == REASON_LEASE_LOST {
        tracing::info!(task = %task.id, "lease lost; not reporting a result");
    } else {
        report_result(&job.client, &task.id, &complete).await;
    }
    if !job.keep_workdir {
        let _ = std::fs::remove_dir_all(&workdir);
    }
    outcome
}

async fn run_loop(
    job: &TaskRun,
    spec: &CodeSpec,
    workdir: &std::path::Path,
    progress: &(dyn Fn(&str) + Send + Sync),
) -> CodeResult {
    let task = &job.claimed.task;
    let chosen = match choose(&job.models, spec.model.as_deref()).await {
        Ok(c) => c,
        Err(e) => {
            progress(&format!("no model: {e}"));
            return unreachable_result(spec, &e);
        }
    };
    let checker = SandboxChecker {
        network: task.network,
        run_as: job.run_as,
        confine: job.confine,
        limits: Limits::default(),
        env: task
            .env
            .iter()
            .chain(job.claimed.secrets.iter())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ..SandboxChecker::default()
    };
    // The coordinator ends the attempt at the lease deadline; finish (and report) before it.
    let now_ms = crate::api::now_ms();
    let by_lease = Duration::from_millis((job.claimed.lease.deadline - now_ms).max(0) as u64)
        .saturating_sub(Duration::from_secs(2));
    let by_timeout = Duration::from_secs(task.timeout_secs.max(1));
    let deadline = Instant::now() + by_lease.min(by_timeout).max(Duration::from_secs(1));
    let params = LoopParams {
        model: &chosen.1,
        spec,
        inputs: &job.claimed.files,
        workdir,
        checker: &checker,
        progress,
        stop: job.stop.flag.clone(),
        deadline,
        num_ctx: job.models.num_ctx(),
    };
    coding::run(&chosen.0, params).await
}

/// The result of a task whose model cannot be reached: the coordinator gives it to another node.
fn unreachable_result(spec: &CodeSpec, e: &ModelError) -> CodeResult {
    CodeResult {
        status: CodeStatus::ModelUnreachable,
        reason: Some(e.to_string()),
        plan: String::new(),
        files: Vec::new(),
        iterations: spec.history.clone(),
        model: spec.model.clone().unwrap_or_default(),
        backend: String::new(),
        tokens_in: 0,
        tokens_out: 0,
    }
}

fn completion(
    lease_id: &str,
    result: CodeResult,
    stop_reason: u8,
    elapsed: Duration,
) -> CompleteRequest {
    let outcome = match result.status {
        CodeStatus::Succeeded => Outcome::Succeeded,
        CodeStatus::TimedOut => Outcome::TimedOut,
        // Stopped because the agent shuts down: a failure, so the task is tried elsewhere.
        CodeStatus::Cancelled if stop_reason != REASON_SHUTDOWN => Outcome::Cancelled,
        _ => Outcome::Failed,
    };
    let error = match (result.status, stop_reason) {
        (CodeStatus::Cancelled, REASON_SHUTDOWN) => {
            Some("the agent shut down while the task ran; it will be retried".to_string())
        }
        _ => result
            .reason
            .as_ref()
            .map(|r| format!("{}: {r}", result.status.as_str())),
    };
    let last = result.iterations.last();
    CompleteRequest {
        lease_id: lease_id.to_string(),
        outcome,
        exit_code: last.and_then(|i| i.check_exit_code),
        error,
        duration_ms: Some(elapsed.as_millis() as u64),
        cpu_ms: None,
        peak_rss_kib: None,
        stdout_tail: last.map(|i| i.check_output_tail.clone()),
        stderr_tail: None,
        code: Some(result),
        artifacts: Vec::new(),
        permanent: false,
        inference: None,
    }
}

/// Secrets the task's env held never leave the node in the check's output.
fn mask_result(result: &mut CodeResult, masker: &Masker) {
    if masker.is_empty() {
        return;
    }
    for it in &mut result.iterations {
        it.check_output_tail = masker.mask_all(&it.check_output_tail, true);
    }
    for f in &mut result.files {
        f.content = masker.mask_all(&f.content, false);
    }
}

/// The backend serving `wanted` (or the node's default model).
async fn choose(
    models: &crate::models::Backends,
    wanted: Option<&str>,
) -> Result<(Backend, String), ModelError> {
    let chosen = models.choose(wanted).await?;
    Ok((chosen.backend, chosen.model))
}
