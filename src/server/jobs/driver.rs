//! The loop that moves jobs: woken by every committed event (a task ended, a job was
//! submitted) with a periodic tick as a fallback, it looks at each open job and takes the next
//! step. Store-only steps run in one write each (`advance`); calls to the inference service
//! (decompose, escalate) run as their own tokio tasks, one per job or subtask at a time, and
//! write what they got when they return. Nothing is kept in memory that a restart would need.

use super::advance::{self, StepEnv};
use super::graph;
use crate::api::backoff::Backoff;
use crate::api::client::inference::InferenceError;
use crate::api::{
    CodeIteration, CodeSpec, DecomposeMode, DecomposeRequest, EscalateRequest, JobState,
    SubmitRequest, Subtask, TaskCommand,
};
use crate::server::AppState;
use crate::server::error::ApiError;
use crate::server::store::jobs::{self, JobRow, SubtaskRow, SubtaskState};
use crate::server::store::{code_result, tasks};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The fallback tick: a job moves at least this often even if no event woke the driver.
const TICK: Duration = Duration::from_secs(1);
/// Events arriving together are handled in one pass.
const COALESCE: Duration = Duration::from_millis(20);
/// Retries of the inference service: 1 s doubling to 30 s.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_CAP: Duration = Duration::from_secs(30);

/// Inference calls in flight (`d:JOB`, `e:JOB:SUBTASK`), so a pass never starts a second one.
type Busy = Arc<Mutex<HashSet<String>>>;

/// Starts the driver; it ends when the coordinator shuts down.
pub fn spawn(app: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(app))
}

async fn run(app: AppState) {
    let mut events = app.store.signals().events;
    let mut shutdown = app.shutdown.subscribe();
    let busy: Busy = Arc::default();
    loop {
        if *shutdown.borrow() {
            return;
        }
        if crate::server::shared_state::leads(&app).await
            && let Err(e) = pass(&app, &busy).await
        {
            tracing::warn!("the job driver's pass failed (it tries again): {e}");
        }
        tokio::select! {
            _ = events.changed() => {}
            _ = shutdown.changed() => {}
            _ = tokio::time::sleep(TICK) => {}
        }
        tokio::time::sleep(COALESCE).await;
    }
}

fn env(app: &AppState) -> StepEnv {
    StepEnv {
        limits: app.settings.submit_limits,
        pricing: app.settings.pricing,
        multiplier_bps: app.pressure.multiplier_bps.load(Ordering::Relaxed),
    }
}

/// Claims an inference call slot; false when one is already in flight.
fn claim(busy: &Busy, key: &str) -> bool {
    busy.lock()
        .map(|mut b| b.insert(key.to_string()))
        .unwrap_or(false)
}

fn release(busy: &Busy, key: &str) {
    if let Ok(mut b) = busy.lock() {
        b.remove(key);
    }
}

async fn pass(app: &AppState, busy: &Busy) -> Result<(), ApiError> {
    let ids = app.store.read(jobs::open_ids).await?;
    let now = crate::api::now_ms();
    for id in ids {
        let job_id = id.clone();
        let job = app.store.read(move |c| jobs::get_row(c, &job_id)).await?;
        match job.state {
            JobState::Decomposing => {
                let key = format!("d:{id}");
                if job.next_try_at <= now && claim(busy, &key) {
                    let (app, busy) = (app.clone(), busy.clone());
                    tokio::spawn(async move {
                        decompose(&app, job).await;
                        release(&busy, &key);
                    });
                }
            }
            JobState::Running | JobState::Aggregating => {
                let env = env(app);
                let job_id = id.clone();
                app.store
                    .write(move |ctx| advance::step(ctx, &env, &job_id))
                    .await?;
                let job_id = id.clone();
                let rows = app.store.read(move |c| jobs::subtasks(c, &job_id)).await?;
                for row in rows {
                    let key = format!("e:{id}:{}", row.spec.id);
                    if row.state == SubtaskState::Escalating
                        && row.next_try_at <= now
                        && claim(busy, &key)
                    {
                        let (app, busy, job) = (app.clone(), busy.clone(), job.clone());
                        tokio::spawn(async move {
                            escalate(&app, job, row).await;
                            release(&busy, &key);
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The request as one subtask: `decompose: never`, or no usable decomposition.
fn single(job: &JobRow) -> Subtask {
    Subtask {
        id: "main".to_string(),
        title: crate::api::clip_chars(job.request.prompt.lines().next().unwrap_or(""), 80),
        prompt: job.request.prompt.clone(),
        language: job.request.language.clone(),
        files: Vec::new(),
        depends_on: Vec::new(),
        check: job.request.check.clone(),
    }
}

/// A check the model proposed for a subtask and why it was dropped.
struct DroppedCheck {
    subtask: String,
    check: String,
    why: String,
}

/// Drops the checks of `subtasks` that cannot run (`checks::rejected`); the subtask runs without
/// one. Done here, where the coordinator turns subtasks into tasks, rather than only in the
/// service: the coordinator does not trust a service of another version (docs/decisions.md).
fn drop_bad_checks(subtasks: &mut [Subtask]) -> Vec<DroppedCheck> {
    let mut dropped = Vec::new();
    for s in subtasks.iter_mut() {
        let Some(check) = &s.check else { continue };
        if let Some(why) = super::checks::rejected(check) {
            dropped.push(DroppedCheck {
                subtask: s.id.clone(),
                check: crate::api::clip_chars(check, 200),
                why,
            });
            s.check = None;
        }
    }
    dropped
}

/// What a decomposition try came to.
enum Decomposed {
    /// Subtasks to run, lines for the job's log, and the proposed checks that were dropped.
    Subtasks(Vec<Subtask>, Vec<String>, Vec<DroppedCheck>),
    /// The service could not be reached (or answered 5xx): try again later.
    Retry(String),
}

async fn ask_decompose(app: &AppState, job: &JobRow) -> Decomposed {
    let one = |why: String| Decomposed::Subtasks(vec![single(job)], vec![why], Vec::new());
    if job.request.decompose == DecomposeMode::Never {
        return one("decompose: never: the request runs as one subtask".into());
    }
    let Some(endpoint) = &app.settings.inference else {
        return one(
            "no inference service is configured (EDGECODER_INFERENCE_URL): the request runs as \
             one subtask"
                .into(),
        );
    };
    let client = match endpoint.client() {
        Ok(client) => client,
        Err(e) => {
            return one(format!(
                "the inference service cannot be used ({e}): one subtask"
            ));
        }
    };
    let max = job
        .request
        .max_subtasks
        .unwrap_or(crate::api::DEFAULT_MAX_SUBTASKS)
        .min(crate::api::MAX_SUBTASKS_LIMIT);
    let req = DecomposeRequest {
        prompt: job.request.prompt.clone(),
        language: job.request.language.clone(),
        files: job.request.files.iter().map(|f| f.path.clone()).collect(),
        check: job.request.check.clone(),
        max_subtasks: Some(max),
        model: None,
    };
    match client.decompose(&req).await {
        Ok(answer) => {
            let mut log = answer.log.clone();
            if let Some(why) = &answer.fallback {
                log.push(format!(
                    "the inference service fell back to one subtask: {why}"
                ));
            }
            if let Some(why) = graph::invalid(&answer.subtasks, max) {
                log.push(format!(
                    "the decomposition cannot be used ({why}): the request runs as one subtask"
                ));
                return Decomposed::Subtasks(vec![single(job)], log, Vec::new());
            }
            log.push(format!(
                "decomposed by {} into {} subtask(s): {}",
                answer.model,
                answer.subtasks.len(),
                answer
                    .subtasks
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            let mut subtasks = answer.subtasks;
            let dropped = drop_bad_checks(&mut subtasks);
            Decomposed::Subtasks(subtasks, log, dropped)
        }
        Err(e) if e.retryable() => Decomposed::Retry(e.to_string()),
        Err(e) => one(format!(
            "the inference service refused the decomposition ({e}): the request runs as one \
             subtask"
        )),
    }
}

/// The pause before try `tries + 1`, from the one backoff policy.
fn retry_pause(tries: u32, why: &str) -> Duration {
    let mut backoff = Backoff::new(RETRY_FIRST, RETRY_CAP);
    for _ in 0..tries.min(16) {
        backoff.failed(&why);
    }
    backoff.failed(&why)
}

async fn decompose(app: &AppState, job: JobRow) {
    let outcome = ask_decompose(app, &job).await;
    let env = env(app);
    let id = job.id.clone();
    let written = app
        .store
        .write(move |ctx| {
            // A cancel may have come while the service thought.
            if jobs::get_row(ctx.conn, &id)?.state != JobState::Decomposing {
                return Ok(());
            }
            match outcome {
                Decomposed::Subtasks(subtasks, lines, dropped) => {
                    for line in &lines {
                        jobs::log(ctx, &id, "job.log", None, line, serde_json::json!({}))?;
                    }
                    for d in &dropped {
                        jobs::log(
                            ctx,
                            &id,
                            "job.check_dropped",
                            None,
                            &format!(
                                "subtask {}: the proposed check {:?} was dropped ({}); it runs \
                                 without a check of its own",
                                d.subtask, d.check, d.why
                            ),
                            serde_json::json!({"subtask": d.subtask, "check": d.check}),
                        )?;
                    }
                    jobs::insert_subtasks(ctx, &id, &subtasks)?;
                    jobs::set_state(ctx, &id, JobState::Running, None)?;
                    jobs::log(
                        ctx,
                        &id,
                        "job.decomposed",
                        None,
                        &format!("decomposed into {} subtask(s)", subtasks.len()),
                        serde_json::json!({
                            "subtasks": subtasks.iter().map(|s| &s.id).collect::<Vec<_>>()
                        }),
                    )?;
                    advance::step(ctx, &env, &id)
                }
                Decomposed::Retry(why) => {
                    let pause = retry_pause(job.decompose_tries, &why);
                    let at = ctx.now + pause.as_millis() as i64;
                    jobs::decompose_retry_at(ctx, &id, at)?;
                    jobs::log(
                        ctx,
                        &id,
                        "job.decompose_retry",
                        None,
                        &format!(
                            "decomposition try {} failed: {why}; retrying in {:.1} s",
                            job.decompose_tries + 1,
                            pause.as_secs_f64()
                        ),
                        serde_json::json!({"try": job.decompose_tries + 1}),
                    )
                }
            }
        })
        .await;
    if let Err(e) = written {
        tracing::warn!(job = %job.id, "recording a decomposition failed (it is tried again): {e}");
    }
}

/// What an escalation try came to.
enum Escalated {
    /// The repaired attempt, as the task to run it again.
    Rerun(Box<SubmitRequest>, String),
    Retry(String),
    Failed(String),
}

async fn ask_escalate(app: &AppState, job: &JobRow, row: &SubtaskRow) -> Escalated {
    let Some(task_id) = row.task_id.clone() else {
        return Escalated::Failed("it has no task to escalate".into());
    };
    let read = app
        .store
        .read(move |c| {
            let task = tasks::get(c, &task_id)?;
            let code = code_result::load(c, &task_id)?;
            let inputs = tasks::files(c, &task_id)?;
            Ok((task, code, inputs))
        })
        .await;
    let (task, code, inputs) = match read {
        Ok(found) => found,
        Err(e) => return Escalated::Retry(e.message),
    };
    let TaskCommand::Code(spec) = task.command else {
        return Escalated::Failed("its task is not a coding task".into());
    };
    let mut spec: CodeSpec = *spec;
    let (files, iterations) = match code {
        Some(code) => (code.files, code.iterations),
        None => (inputs, spec.history.clone()),
    };
    spec.history = iterations;
    let Some(endpoint) = &app.settings.inference else {
        return Escalated::Failed("no inference service is configured to escalate to".into());
    };
    let client = match endpoint.client() {
        Ok(client) => client,
        Err(e) => return Escalated::Failed(format!("the inference service cannot be used: {e}")),
    };
    let req = EscalateRequest {
        spec: spec.clone(),
        files,
        model: None,
    };
    match client.escalate(&req).await {
        Ok(answer) => {
            let number = spec.history.last().map_or(0, |i| i.number) + 1;
            spec.history.push(CodeIteration {
                number,
                files_changed: answer.files.iter().map(|f| f.path.clone()).collect(),
                check_passed: false,
                check_exit_code: None,
                check_output_tail: String::new(),
                error: Some(format!(
                    "escalated to {}: {}",
                    answer.model,
                    crate::api::clip_chars(&answer.explanation, 500)
                )),
                duration_ms: 0,
                model_ms: 0,
                check_ms: 0,
                tokens_in: answer.tokens_in,
                tokens_out: answer.tokens_out,
                truncated: false,
            });
            spec.max_iterations = Some(1);
            let mut rerun = SubmitRequest::argv(Vec::new());
            rerun.command = TaskCommand::Code(Box::new(spec));
            rerun.files = answer.files;
            rerun.name = Some(format!("job {} {} escalated", job.id, row.spec.id));
            rerun.idempotency_key = Some(advance::task_key(&job.id, &row.spec.id, 1));
            Escalated::Rerun(Box::new(rerun), answer.model)
        }
        Err(e) if e.retryable() => Escalated::Retry(e.to_string()),
        Err(e) => Escalated::Failed(escalation_refused(&e)),
    }
}

fn escalation_refused(e: &InferenceError) -> String {
    format!("the escalation was refused: {e}")
}

async fn escalate(app: &AppState, job: JobRow, row: SubtaskRow) {
    let outcome = ask_escalate(app, &job, &row).await;
    let env = env(app);
    let (id, sub) = (job.id.clone(), row.spec.id.clone());
    let written = app
        .store
        .write(move |ctx| {
            let job = jobs::get_row(ctx.conn, &id)?;
            let Some(mut row) = jobs::subtasks(ctx.conn, &id)?
                .into_iter()
                .find(|r| r.spec.id == sub)
            else {
                return Ok(());
            };
            if job.state != JobState::Running || row.state != SubtaskState::Escalating {
                return Ok(());
            }
            match outcome {
                Escalated::Rerun(req, model) => {
                    let task_id = advance::create_task(ctx, &env, &job, *req, Some(&sub), 1);
                    let message = match &task_id {
                        Ok(t) => {
                            row.state = SubtaskState::Running;
                            row.task_id = Some(t.clone());
                            format!(
                                "subtask {sub} escalated to {model}; its repaired files run \
                                 again as task {t}"
                            )
                        }
                        Err(e) => {
                            row.state = SubtaskState::Failed;
                            format!(
                                "subtask {sub} escalated, but its re-run was refused: {}",
                                e.message
                            )
                        }
                    };
                    row.round = 1;
                    row.escalated = true;
                    jobs::set_subtask(ctx, &id, &row)?;
                    jobs::log(
                        ctx,
                        &id,
                        "job.escalated",
                        task_id.as_ref().ok().map(String::as_str),
                        &message,
                        serde_json::json!({"subtask": sub, "model": model}),
                    )?;
                    advance::step(ctx, &env, &id)
                }
                Escalated::Retry(why) => {
                    let pause = retry_pause(0, &why);
                    row.next_try_at = ctx.now + pause.as_millis() as i64;
                    jobs::set_subtask(ctx, &id, &row)?;
                    jobs::log(
                        ctx,
                        &id,
                        "job.escalate_retry",
                        None,
                        &format!(
                            "escalating subtask {sub} failed: {why}; retrying in {:.1} s",
                            pause.as_secs_f64()
                        ),
                        serde_json::json!({"subtask": sub}),
                    )
                }
                Escalated::Failed(why) => {
                    row.state = SubtaskState::Failed;
                    row.escalated = true;
                    row.error = Some(format!(
                        "{}; escalation failed: {why}",
                        row.error.clone().unwrap_or_default()
                    ));
                    jobs::set_subtask(ctx, &id, &row)?;
                    jobs::log(
                        ctx,
                        &id,
                        "job.subtask_failed",
                        None,
                        &format!("subtask {sub} failed: escalation failed: {why}"),
                        serde_json::json!({"subtask": sub}),
                    )?;
                    advance::step(ctx, &env, &id)
                }
            }
        })
        .await;
    if let Err(e) = written {
        tracing::warn!(job = %job.id, "recording an escalation failed (it is tried again): {e}");
    }
}
