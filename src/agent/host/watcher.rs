//! The watcher: takes the readings and decides, once per heartbeat (the heartbeat loop calls
//! [`HostWatch::evaluate`] just before it sends, so the policy adds no wakeups of its own) and
//! whenever it is poked through [`HostWatch::wake_handle`] (the owner's `agent pause`). The
//! verdict goes out on a `watch` channel the claim loop follows, and in the heartbeat.

use super::decide::{Now, decide, pause_end};
use super::readings::{Readings, Roots, Sensors};
use super::settings::{HostSettings, PauseRunning};
use super::suspend::{HandBack, Suspender};
use crate::api::HostStatus;
use crate::api::client::{Client, ClientError};
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, watch};

pub struct HostWatch {
    settings: HostSettings,
    sensors: Mutex<Sensors>,
    status: watch::Sender<HostStatus>,
    wake: Arc<Notify>,
    /// The running tasks, for suspending them and for telling their CPU time from the owner's.
    pub tasks: Suspender,
}

impl HostWatch {
    pub fn new(settings: HostSettings, roots: Roots) -> Arc<HostWatch> {
        let mut roots = roots;
        roots.watch_activity = settings.owner_idle.is_some();
        let (status, _) = watch::channel(HostStatus::default());
        Arc::new(HostWatch {
            tasks: Suspender::new(settings.pause_running == PauseRunning::Suspend),
            settings,
            sensors: Mutex::new(Sensors::new(roots)),
            status,
            wake: Arc::new(Notify::new()),
        })
    }

    /// Poke this (`notify_one`) to have the policy evaluated, and a heartbeat sent, now rather
    /// than at the next heartbeat: the owner's `agent pause` / `resume` does.
    pub fn wake_handle(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    pub fn settings(&self) -> &HostSettings {
        &self.settings
    }

    /// The verdict as it changes; starts at "running" until the first evaluation.
    pub fn subscribe(&self) -> watch::Receiver<HostStatus> {
        self.status.subscribe()
    }

    pub fn current(&self) -> HostStatus {
        self.status.borrow().clone()
    }

    /// One evaluation for a heartbeat: decide, suspend or continue the running tasks, hand back
    /// those the pause would outlast. Returns what the heartbeat reports.
    pub async fn tick(&self, client: &Client) -> HostStatus {
        let (status, _, back) = self.evaluate();
        for HandBack { task_id, lease_id } in back {
            let reason = format!(
                "paused: {}",
                status.reason.as_deref().unwrap_or("host policy")
            );
            match client.release_task(&task_id, &lease_id, &reason).await {
                // 409: the lease had already ended; either way the task is no longer ours.
                Ok(_) | Err(ClientError::Api { status: 409, .. }) => {
                    tracing::info!(task = %task_id, "handed back to the queue: {reason}");
                    self.tasks.handed_back(&task_id);
                }
                // Kept suspended; tried again at the next heartbeat.
                Err(e) => tracing::warn!(task = %task_id, "could not hand the task back: {e}"),
            }
        }
        status
    }

    /// Reads, decides, publishes, logs a change of verdict, and applies it to the running tasks.
    /// Blocking work is small (a few file reads; one `loginctl` call when the activity rule is on).
    pub fn evaluate(&self) -> (HostStatus, Readings, Vec<HandBack>) {
        let now_ms = unix_ms();
        let groups = self.tasks.groups();
        let readings = match self.sensors.lock() {
            Ok(mut s) => s.read(&groups, now_ms),
            Err(_) => Readings::default(),
        };
        let now = Now {
            unix_ms: now_ms,
            local_minute: super::hours::local_minute(now_ms.div_euclid(1000)),
        };
        let status = decide(&readings, &self.settings, now);
        let end = pause_end(&readings, &self.settings, now);
        let back = self.tasks.apply(&status, end, now_ms);
        self.status.send_if_modified(|old| {
            if *old == status {
                return false;
            }
            match &status.reason {
                Some(reason) => tracing::info!("host policy: paused: {reason}"),
                None => tracing::info!("host policy: running"),
            }
            *old = status.clone();
            true
        });
        (status, readings, back)
    }

    /// What the policy is and which readings exist, for the start message.
    pub fn describe(&self) -> String {
        let readings = self.evaluate().1;
        let roots = self.sensors.lock().map(|s| s.roots().clone()).ok();
        let have = |ok: bool| if ok { "yes" } else { "unknown" };
        let proc_stat = roots
            .as_ref()
            .is_some_and(|r| r.procfs.join("stat").exists());
        format!(
            "host policy: {}; readings: power {}, heat {}, load {}, memory pressure {}, owner \
             activity {}",
            self.settings.describe(),
            have(readings.power.is_some()),
            have(readings.heat.is_some()),
            have(proc_stat),
            have(readings.memory_pressure.is_some()),
            if self.settings.owner_idle.is_none() {
                "not watched"
            } else {
                have(readings.owner_idle.is_some())
            },
        )
    }
}

pub fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
