//! The agent's heartbeats: a sign of life at the coordinator's interval (sooner while tasks
//! run), carrying the load, the running tasks and the host policy's verdict; the answers bring
//! new intervals, cancellations and a request to register again.

use super::{Shared, agent_backoff};
use crate::api::backoff::jittered;
use crate::api::client::ClientError;
use crate::api::{HeartbeatRequest, ReregisterRequest};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(super) async fn heartbeat_loop(
    shared: Arc<Shared>,
    register: Arc<Mutex<ReregisterRequest>>,
    watchdog: bool,
) {
    let mut backoff = agent_backoff("heartbeats");
    let mut last_state = None;
    let mut refused = false;
    // The first heartbeat goes out at once: its answer carries the coordinator's intervals, and
    // waiting out the built-in default first would let a coordinator with a shorter lease TTL
    // mark this node offline (and end the leases it just took) before it ever heard from it.
    let mut first = true;
    loop {
        let intervals = shared.intervals();
        let running = shared.running_ids();
        let period = if running.is_empty() {
            intervals.heartbeat_ms
        } else {
            intervals.active_heartbeat_ms
        };
        if !first {
            let sleep = tokio::time::sleep(jittered(Duration::from_millis(period)));
            match &shared.host {
                // The owner's `agent pause`/`resume` pokes: evaluate and tell the coordinator now.
                Some(host) => {
                    let wake = host.wake_handle();
                    tokio::select! {
                        _ = sleep => {}
                        _ = wake.notified() => {}
                    }
                }
                None => sleep.await,
            }
        }
        first = false;
        // The host policy is evaluated once per heartbeat, so it costs no wakeups of its own.
        let host = match &shared.host {
            Some(h) => Some(h.tick(&shared.client).await),
            None => None,
        };
        let req = HeartbeatRequest {
            load: load_average(),
            running: shared.running_ids(),
            host,
        };
        match shared.client.heartbeat(&req).await {
            Ok(answer) => {
                backoff.succeeded();
                if refused {
                    tracing::info!("the coordinator accepts this node again");
                    refused = false;
                }
                // Only an answered heartbeat is a sign of life: an agent cut off from its
                // coordinator stops petting, and systemd restarts it once `WatchdogSec` passes.
                if watchdog {
                    crate::sd_notify::watchdog();
                }
                if let Ok(mut i) = shared.intervals.lock() {
                    *i = answer.intervals;
                }
                if last_state != Some(answer.state) {
                    if last_state.is_some() {
                        tracing::info!(state = answer.state.as_str(), "node state changed");
                    }
                    last_state = Some(answer.state);
                }
                if let Ok(running) = shared.running.lock() {
                    for id in &answer.cancel {
                        if let Some(stop) = running.get(id) {
                            tracing::info!(task = %id, "cancelled by the coordinator");
                            stop.cancel();
                        }
                    }
                }
                // The latest capabilities (the model refresh keeps their models current).
                let latest = register.lock().map(|r| r.clone()).ok();
                if answer.reregister
                    && let Some(latest) = latest
                    && let Err(e) = shared.client.reregister(&latest).await
                {
                    tracing::warn!("re-registering failed: {e}");
                }
            }
            Err(ClientError::Api {
                status: 401,
                message,
                ..
            }) => {
                tracing::error!("the coordinator refused this node: {message}");
                shared.set_fatal(message);
                shared.slot_freed.notify_one();
                return;
            }
            Err(ClientError::Api {
                status: 403,
                message,
                ..
            }) => {
                // Blacklisted (by id or address): the coordinator has already taken this node's
                // tasks back and queued them elsewhere, so running them on is wasted work. Stop
                // them, and keep asking in case the entry is removed.
                if !refused {
                    tracing::error!("the coordinator refuses this node: {message}");
                    refused = true;
                }
                if let Ok(running) = shared.running.lock() {
                    for (id, stop) in running.iter() {
                        tracing::info!(task = %id, "stopping: this node is refused");
                        stop.cancel();
                    }
                }
                tokio::time::sleep(jittered(Duration::from_millis(intervals.heartbeat_ms))).await;
            }
            Err(e) => {
                let delay = backoff.failed(&e);
                tokio::time::sleep(delay).await;
            }
        }
    }
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
