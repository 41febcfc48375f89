//! The worker loop: register once, heartbeat on the coordinator's schedule, claim work up to the
//! concurrency limit, and shut down along the ladder (drain, then cancel).

use super::confinement::Protections;
use super::host::HostWatch;
use super::sandbox::{self, RunAs};
use super::task::{self, StopSignal, TaskRun};
use super::task_user::WorkRoot;
use crate::api::backoff::Backoff;
use crate::api::client::{Client, ClientError};
use crate::api::{Capabilities, HostStatus, Intervals, NodeState, ReregisterRequest};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinSet;

mod heartbeat;

pub struct WorkerOptions {
    /// Authenticated with this node's credential (and the mesh token, if any).
    pub client: Client,
    pub max_concurrent: usize,
    /// Task working directories are made (and removed) under here, or under a
    /// private temp dir when `run_as` cannot reach it (see `task_user::WorkRoot`).
    pub work_root: PathBuf,
    pub keep_workdirs: bool,
    pub capabilities: Capabilities,
    pub name: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
    /// How long a drain waits for running tasks before cancelling them.
    pub drain_timeout: Duration,
    /// The user tasks run as (`task_user::for_agent`); `None`: as the agent.
    pub run_as: Option<RunAs>,
    /// What confines the tasks (`confinement::Protections::detect`); tasks get
    /// Landlock when it names an ABI.
    pub protections: Protections,
    /// Pet the systemd watchdog after each heartbeat the coordinator answered (the agent's
    /// service); off for the local worker, whose coordinator pets for the process.
    pub watchdog: bool,
    /// The model servers coding tasks use (and whose models the capabilities list).
    pub models: crate::models::Backends,
    /// How often the models are listed again (`EDGECODER_MODEL_REFRESH`; see `model_refresh`).
    pub model_refresh: Duration,
    /// The owner's host policy (`host`); `None`: always lend (the coordinator's local worker).
    pub host: Option<Arc<HostWatch>>,
    /// Run one task, then leave (`agent --ephemeral`): no claim after the first task, no
    /// drain timeout on it, and the coordinator is told the node is offline at the end.
    pub ephemeral: bool,
    /// The tasks' PATH and passed-through variables (`task_env`), as the capabilities saw them.
    pub task_env: super::task_env::TaskEnv,
    /// Caches and artifacts (`outputs`): where caches live, the limits.
    pub outputs: Arc<super::outputs::OutputSettings>,
}

/// Steps of the shutdown ladder, sent by whoever owns the signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Stop claiming; let running tasks finish (up to the drain timeout); keep heartbeating.
    Drain,
    /// Stop running tasks now and report them as failed so they run elsewhere.
    Cancel,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("{0}")]
    Rejected(String),
}

#[derive(Debug, Default, Clone, Copy)]
pub struct WorkerSummary {
    pub tasks_run: u64,
    pub cancelled_on_shutdown: u64,
}

struct Shared {
    client: Client,
    running: Mutex<HashMap<String, StopSignal>>,
    intervals: Mutex<Intervals>,
    slot_freed: Notify,
    /// Set when the coordinator no longer accepts this node's credential.
    fatal: Mutex<Option<String>>,
    host: Option<Arc<HostWatch>>,
}

impl Shared {
    fn running_ids(&self) -> Vec<String> {
        self.running
            .lock()
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn running_count(&self) -> usize {
        self.running.lock().map(|r| r.len()).unwrap_or(0)
    }

    fn intervals(&self) -> Intervals {
        self.intervals
            .lock()
            .map(|i| *i)
            .unwrap_or(DEFAULT_INTERVALS)
    }

    fn set_fatal(&self, why: String) {
        if let Ok(mut f) = self.fatal.lock() {
            f.get_or_insert(why);
        }
    }

    fn fatal(&self) -> Option<String> {
        self.fatal.lock().ok().and_then(|f| f.clone())
    }
}

const DEFAULT_INTERVALS: Intervals = Intervals {
    heartbeat_ms: 5000,
    active_heartbeat_ms: 1000,
    claim_wait_ms: 25_000,
    accept_window_ms: 5000,
    lease_ttl_ms: 15_000,
};

/// Runs until drained (Ok) or until the coordinator rejects this node for good (Err).
pub async fn run(
    opts: WorkerOptions,
    mut control: mpsc::Receiver<Control>,
) -> Result<WorkerSummary, WorkerError> {
    // Removed (when temporary) on every way out of this function.
    let work_root = WorkRoot::prepare(&opts.work_root, opts.run_as, opts.keep_workdirs)
        .map_err(|e| WorkerError::Rejected(format!("cannot prepare the work dir: {e}")))?;
    log_containment(opts.run_as);
    let task_env = Arc::new(opts.task_env.clone());
    tracing::info!(path = %task_env.path_string(), "the tasks' PATH");
    // So that a task's processes die with this worker, however it ends.
    sandbox::reaper::ensure_started();
    tracing::info!(protections = %opts.protections, "task protections in force");
    let shared = Arc::new(Shared {
        client: opts.client.clone(),
        running: Mutex::new(HashMap::new()),
        intervals: Mutex::new(DEFAULT_INTERVALS),
        slot_freed: Notify::new(),
        fatal: Mutex::new(None),
        host: opts.host.clone(),
    });
    let mut host_verdict = opts.host.as_ref().map(|h| h.subscribe());
    let register = ReregisterRequest {
        name: opts.name.clone(),
        labels: opts.labels.clone(),
        capabilities: opts.capabilities.clone(),
    };
    register_until_done(&shared, &register, &mut control).await?;
    let register = Arc::new(Mutex::new(register));
    let heartbeats = tokio::spawn(heartbeat::heartbeat_loop(
        shared.clone(),
        register.clone(),
        opts.watchdog,
    ));
    let refresh = tokio::spawn(super::model_refresh::run(
        opts.client.clone(),
        register,
        opts.models.clone(),
        opts.model_refresh,
    ));
    // Stops the refresh on every way out of this function.
    let _refresh = AbortOnDrop(refresh);
    let mut tasks = JoinSet::new();
    let mut summary = WorkerSummary::default();
    let mut backoff = agent_backoff("claiming work");
    let mut waiting_for_approval = false;
    // An ephemeral worker's one task: it runs to its own end, whatever the drain timeout.
    let mut took_its_task = false;

    // Claim until told to drain (or rejected).
    'claiming: loop {
        if let Some(why) = shared.fatal() {
            heartbeats.abort();
            cancel_all(&shared);
            while tasks.join_next().await.is_some() {}
            return Err(WorkerError::Rejected(why));
        }
        while let Some(done) = tasks.try_join_next() {
            if done.is_ok() {
                summary.tasks_run += 1;
            }
        }
        if shared.running_count() >= opts.max_concurrent {
            tokio::select! {
                _ = shared.slot_freed.notified() => continue,
                Some(done) = tasks.join_next() => {
                    if done.is_ok() { summary.tasks_run += 1; }
                    continue;
                }
                ctrl = control.recv() => match ctrl {
                    Some(Control::Cancel) => { cancel_all(&shared); break 'claiming; }
                    _ => break 'claiming,
                },
            }
        }
        // Paused by the host policy: no claim until it runs again.
        if let Some(verdict) = host_verdict.as_mut()
            && verdict.borrow_and_update().paused
        {
            tokio::select! {
                _ = verdict.changed() => continue,
                Some(done) = tasks.join_next() => {
                    if done.is_ok() { summary.tasks_run += 1; }
                    continue;
                }
                ctrl = control.recv() => match ctrl {
                    Some(Control::Cancel) => { cancel_all(&shared); break 'claiming; }
                    _ => break 'claiming,
                },
            }
        }
        let wait = Duration::from_millis(shared.intervals().claim_wait_ms);
        let claim = shared.client.claim(wait);
        tokio::select! {
            ctrl = control.recv() => match ctrl {
                Some(Control::Cancel) => { cancel_all(&shared); break 'claiming; }
                _ => break 'claiming,
            },
            // A pause starts: the claim in flight is dropped at once (a task the coordinator
            // offered in that instant goes back to the queue when its accept window passes).
            _ = until_paused(host_verdict.as_mut()) => continue,
            answer = claim => match answer {
                Ok(answer) => {
                    backoff.succeeded();
                    if waiting_for_approval {
                        tracing::info!("this node was approved: taking work");
                        waiting_for_approval = false;
                    }
                    if let Some(claimed) = answer.claimed {
                        let stop = StopSignal::default();
                        if let Ok(mut running) = shared.running.lock() {
                            running.insert(claimed.task.id.clone(), stop.clone());
                        }
                        if let Some(host) = &shared.host {
                            let lease = &claimed.lease;
                            host.tasks.track(&claimed.task.id, &lease.lease_id, lease.deadline, stop.clone());
                        }
                        let job = TaskRun {
                            client: shared.client.clone(),
                            claimed,
                            work_root: work_root.path().to_path_buf(),
                            keep_workdir: opts.keep_workdirs,
                            stop,
                            run_as: opts.run_as,
                            confine: opts.protections.landlock_abi.is_some(),
                            models: opts.models.clone(),
                            task_env: task_env.clone(),
                            outputs: opts.outputs.clone(),
                        };
                        let shared = shared.clone();
                        tasks.spawn(async move {
                            let report = task::run(job).await;
                            tracing::info!(
                                task = %report.task_id,
                                outcome = ?report.outcome,
                                start_overhead_ms = report.start_overhead.map(|d| d.as_secs_f64() * 1000.0),
                                "task finished"
                            );
                            if let Ok(mut running) = shared.running.lock() {
                                running.remove(&report.task_id);
                            }
                            if let Some(host) = &shared.host {
                                host.tasks.untrack(&report.task_id);
                            }
                            shared.slot_freed.notify_one();
                            report
                        });
                        if opts.ephemeral {
                            tracing::info!("ephemeral: one task taken; no more claims");
                            took_its_task = true;
                            break 'claiming;
                        }
                    }
                }
                Err(ClientError::Api { status: 403, message, .. }) => {
                    if !waiting_for_approval {
                        tracing::warn!("not taking work yet: {message}");
                        waiting_for_approval = true;
                    }
                    let delay = Duration::from_millis(shared.intervals().heartbeat_ms);
                    if let Some(ctrl) = pause(&mut control, delay).await {
                        if ctrl == Control::Cancel { cancel_all(&shared); }
                        break 'claiming;
                    }
                }
                Err(ClientError::Api { status: 401, message, .. }) => {
                    shared.set_fatal(message);
                }
                Err(e) => {
                    let delay = backoff.failed(&e);
                    if let Some(ctrl) = pause(&mut control, delay).await {
                        if ctrl == Control::Cancel { cancel_all(&shared); }
                        break 'claiming;
                    }
                }
            }
        }
    }

    // Draining: no more claims; running tasks finish, up to the drain timeout.
    let running = shared.running_count();
    if running > 0 {
        tracing::info!(
            running,
            timeout_s = opts.drain_timeout.as_secs(),
            "draining: waiting for running tasks (signal again to cancel them)"
        );
    }
    let drain_deadline = tokio::time::Instant::now() + opts.drain_timeout;
    let mut cancelled = false;
    // The ephemeral worker's task is bounded by its own timeout; a signal still cancels it.
    let drain_timer = !took_its_task;
    loop {
        tokio::select! {
            done = tasks.join_next() => match done {
                Some(Ok(_)) => summary.tasks_run += 1,
                Some(Err(_)) => {}
                None => break,
            },
            ctrl = control.recv(), if !cancelled => {
                if matches!(ctrl, Some(Control::Cancel) | None) {
                    summary.cancelled_on_shutdown += cancel_all(&shared);
                    cancelled = true;
                }
            }
            _ = tokio::time::sleep_until(drain_deadline), if !cancelled && drain_timer => {
                tracing::warn!("drain timeout: cancelling the tasks still running");
                summary.cancelled_on_shutdown += cancel_all(&shared);
                cancelled = true;
            }
        }
    }
    heartbeats.abort();
    if opts.ephemeral {
        // No heartbeat may land after the goodbye and bring the node back online.
        let _ = heartbeats.await;
        match shared.client.go_offline().await {
            Ok(_) => tracing::info!("ephemeral: told the coordinator this node is offline"),
            Err(e) => tracing::warn!(
                "ephemeral: could not tell the coordinator this node left ({e}); it shows the \
                 node offline once its heartbeats are missed"
            ),
        }
    }
    Ok(summary)
}

/// Says once, at start, how far tasks are contained here.
fn log_containment(run_as: Option<RunAs>) {
    let as_root = run_as.is_none() && rustix::process::geteuid().is_root();
    if sandbox::pids_cgroup_available() {
        tracing::info!(
            "each task runs in a pids cgroup: its process count is capped and none of its \
             processes outlives it"
        );
    } else if as_root {
        tracing::warn!(
            "no pids cgroup can be made here and tasks run as root, whom RLIMIT_NPROC does \
             not hold: a task that forks without end is not contained"
        );
    } else {
        tracing::info!(
            "no pids cgroup can be made here: a task's process count is held by RLIMIT_NPROC"
        );
    }
}

fn cancel_all(shared: &Shared) -> u64 {
    let Ok(running) = shared.running.lock() else {
        return 0;
    };
    for stop in running.values() {
        stop.shutdown();
    }
    if let Some(host) = &shared.host {
        host.tasks.continue_all();
    }
    running.len() as u64
}

/// Resolves when the host policy pauses (never without a policy).
async fn until_paused(verdict: Option<&mut watch::Receiver<HostStatus>>) {
    match verdict {
        Some(v) => {
            if v.wait_for(|s| s.paused).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending().await,
    }
}

/// Sleeps, but wakes for a control message and returns it (a closed channel counts as Drain).
async fn pause(control: &mut mpsc::Receiver<Control>, delay: Duration) -> Option<Control> {
    tokio::select! {
        _ = tokio::time::sleep(delay) => None,
        ctrl = control.recv() => Some(ctrl.unwrap_or(Control::Drain)),
    }
}

async fn register_until_done(
    shared: &Shared,
    req: &ReregisterRequest,
    control: &mut mpsc::Receiver<Control>,
) -> Result<(), WorkerError> {
    let mut backoff = agent_backoff("registering with the coordinator");
    loop {
        match shared.client.reregister(req).await {
            Ok(node) => {
                match node.state {
                    NodeState::Approved => tracing::info!(node = %node.id, "registered; approved"),
                    NodeState::Pending => tracing::warn!(
                        node = %node.id,
                        "registered; waiting for an admin to approve this node \
                         (`edgecoder server nodes approve {}`)",
                        node.id
                    ),
                    other => {
                        return Err(WorkerError::Rejected(format!(
                            "node {} is {} on this coordinator",
                            node.id,
                            other.as_str()
                        )));
                    }
                }
                return Ok(());
            }
            Err(ClientError::Api {
                status: 401,
                message,
                ..
            }) => return Err(WorkerError::Rejected(message)),
            Err(e) => {
                let delay = backoff.failed(&e);
                if pause(control, delay).await.is_some() {
                    return Err(WorkerError::Rejected(
                        "stopped before the coordinator could be reached".into(),
                    ));
                }
            }
        }
    }
}

/// Aborts a background task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The agent's retry policy: from 500 ms doubling to this cap. With jitter (up to ×1.2) it stays
/// within [`crate::api::AGENT_MAX_RETRY_PAUSE`], which coordinators rely on after a restart.
const BACKOFF_CAP: Duration = Duration::from_secs(16);

/// The agent's backoff for `what`, logging its first failure and its recovery.
fn agent_backoff(what: &'static str) -> Backoff {
    Backoff::new(Duration::from_millis(500), BACKOFF_CAP).logged(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Coordinators allow AGENT_MAX_RETRY_PAUSE after a restart before they declare a node lost;
    /// the agent's slowest retry must come sooner.
    #[test]
    fn the_longest_retry_pause_is_within_what_coordinators_allow() {
        let mut backoff = agent_backoff("test");
        let err = ClientError::Unreachable {
            url: "http://127.0.0.1:1".into(),
            reason: "refused".into(),
        };
        let longest = (0..40).map(|_| backoff.failed(&err)).max();
        assert!(longest.is_some_and(|d| d <= crate::api::AGENT_MAX_RETRY_PAUSE));
        assert!(BACKOFF_CAP.mul_f64(1.2) <= crate::api::AGENT_MAX_RETRY_PAUSE);
        assert!(backoff.longest_pause() <= crate::api::AGENT_MAX_RETRY_PAUSE);
    }
}
