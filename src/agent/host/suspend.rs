//! Running tasks while the node is paused (`EDGECODER_HOST_PAUSE_RUNNING=suspend`): SIGSTOP to
//! each task's process group when a pause starts, SIGCONT when it ends. Nothing is lost: a
//! stopped process writes nothing, the sandbox's readers simply wait, and its output resumes
//! where it stopped. A task whose lease the pause would outlast is handed back to the queue
//! (the coordinator's release route: the attempt does not count) rather than left to time out.
//!
//! "Would outlast": the pause has a known end (the owner's `--for`, the allowed hours) after
//! the lease's deadline less [`HAND_BACK_MARGIN`], or its end is unknown (battery, heat,
//! activity) and the deadline is within that margin. Limits: a descendant that left the task's
//! process group is not stopped; a coding task (which runs no process between model calls)
//! finishes instead of stopping.

use crate::agent::task::StopSignal;
use crate::api::HostStatus;
use std::collections::HashMap;
use std::sync::Mutex;

/// Time kept before a lease's deadline to hand its task back while the coordinator listens.
pub const HAND_BACK_MARGIN_MS: i64 = 30_000;

struct Tracked {
    lease_id: String,
    deadline_ms: i64,
    stop: StopSignal,
    suspended: bool,
}

/// A task to give back to the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandBack {
    pub task_id: String,
    pub lease_id: String,
}

pub struct Suspender {
    enabled: bool,
    tasks: Mutex<HashMap<String, Tracked>>,
}

impl Suspender {
    pub fn new(enabled: bool) -> Suspender {
        Suspender {
            enabled,
            tasks: Mutex::new(HashMap::new()),
        }
    }

    pub fn track(&self, task_id: &str, lease_id: &str, deadline_ms: i64, stop: StopSignal) {
        if let Ok(mut t) = self.tasks.lock() {
            t.insert(
                task_id.to_string(),
                Tracked {
                    lease_id: lease_id.to_string(),
                    deadline_ms,
                    stop,
                    suspended: false,
                },
            );
        }
    }

    pub fn untrack(&self, task_id: &str) {
        if let Ok(mut t) = self.tasks.lock() {
            t.remove(task_id);
        }
    }

    /// The process groups of the running tasks (those that have a process now).
    pub fn groups(&self) -> Vec<i32> {
        self.tasks
            .lock()
            .map(|t| t.values().filter_map(|x| x.stop.group()).collect())
            .unwrap_or_default()
    }

    /// Task ids suspended now.
    pub fn suspended(&self) -> Vec<String> {
        self.tasks
            .lock()
            .map(|t| {
                t.iter()
                    .filter(|(_, x)| x.suspended)
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Stops or continues the tasks for `status`; returns those to hand back. `pause_end_ms`:
    /// when the pause is known to end, if it is.
    pub fn apply(
        &self,
        status: &HostStatus,
        pause_end_ms: Option<i64>,
        now_ms: i64,
    ) -> Vec<HandBack> {
        if !self.enabled {
            return Vec::new();
        }
        let Ok(mut tasks) = self.tasks.lock() else {
            return Vec::new();
        };
        let mut back = Vec::new();
        for (id, t) in tasks.iter_mut() {
            let Some(group) = t.stop.group() else {
                continue;
            };
            if !status.paused {
                if t.suspended {
                    signal(group, libc::SIGCONT);
                    t.suspended = false;
                    tracing::info!(task = %id, "resumed (the host policy runs again)");
                }
                continue;
            }
            if !t.suspended {
                signal(group, libc::SIGSTOP);
                t.suspended = true;
                tracing::info!(
                    task = %id,
                    reason = status.reason.as_deref().unwrap_or(""),
                    "suspended (the host policy paused)"
                );
            }
            let hand_back_by = t.deadline_ms - HAND_BACK_MARGIN_MS;
            let outlasts = match pause_end_ms {
                Some(end) => end >= hand_back_by,
                None => now_ms >= hand_back_by,
            };
            if outlasts {
                back.push(HandBack {
                    task_id: id.clone(),
                    lease_id: t.lease_id.clone(),
                });
            }
        }
        back
    }

    /// After the coordinator took it back: end the task without reporting a result. It is
    /// continued so that it can take the SIGTERM the sandbox sends.
    pub fn handed_back(&self, task_id: &str) {
        if let Ok(mut tasks) = self.tasks.lock()
            && let Some(t) = tasks.remove(task_id)
        {
            t.stop.release();
            if let Some(group) = t.stop.group() {
                signal(group, libc::SIGCONT);
            }
        }
    }
}

impl Suspender {
    /// Continues every suspended task: the agent is cancelling them, and a stopped process
    /// would only take its SIGTERM once continued.
    pub fn continue_all(&self) {
        if let Ok(mut tasks) = self.tasks.lock() {
            for t in tasks.values_mut().filter(|t| t.suspended) {
                if let Some(group) = t.stop.group() {
                    signal(group, libc::SIGCONT);
                }
                t.suspended = false;
            }
        }
    }
}

fn signal(group: i32, sig: libc::c_int) {
    if let (Some(group), Some(sig)) = (
        rustix::process::Pid::from_raw(group),
        rustix::process::Signal::from_named_raw(sig),
    ) {
        // ESRCH: the task has just ended, nothing to stop.
        let _ = rustix::process::kill_process_group(group, sig);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;

    fn paused() -> HostStatus {
        HostStatus {
            paused: true,
            reason: Some("on battery 10 %".into()),
        }
    }

    fn state(pid: i32) -> Option<char> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.rsplit_once(") ")?.1.chars().next()
    }

    /// Waits (bounded) until `pid` is in `want` state: signals land asynchronously.
    fn until_state(pid: i32, want: char) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            if state(pid) == Some(want) {
                return true;
            }
            std::thread::yield_now();
        }
        false
    }

    #[test]
    fn stops_continues_and_hands_back_by_the_lease() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let pid = child.id() as i32;
        let stop = StopSignal::default();
        stop.set_group(pid);
        let s = Suspender::new(true);
        let now = 1_000_000;
        s.track("t1", "l1", now + 10 * 60_000, stop.clone());
        assert_eq!(s.groups(), vec![pid]);

        // A pause of unknown end, far from the deadline: stopped, kept.
        assert!(s.apply(&paused(), None, now).is_empty());
        assert!(until_state(pid, 'T'), "not stopped: {:?}", state(pid));
        assert_eq!(s.suspended(), vec!["t1".to_string()]);
        // Its end past the deadline (less the margin): handed back.
        let back = s.apply(&paused(), Some(now + 10 * 60_000), now);
        assert_eq!(
            back,
            vec![HandBack {
                task_id: "t1".into(),
                lease_id: "l1".into()
            }]
        );
        // An unknown end, but the deadline is near: handed back too.
        let late = now + 10 * 60_000 - HAND_BACK_MARGIN_MS;
        assert_eq!(s.apply(&paused(), None, late).len(), 1);
        // Running again: continued.
        assert!(s.apply(&HostStatus::default(), None, now).is_empty());
        assert!(until_state(pid, 'S'), "not continued: {:?}", state(pid));
        assert!(s.suspended().is_empty());

        s.handed_back("t1");
        assert_eq!(stop.reason(), crate::agent::task::REASON_RELEASED);
        assert!(s.groups().is_empty());
        let _ = child.kill();
        let _ = child.wait();
    }

    #[test]
    fn in_finish_mode_nothing_is_stopped() {
        let s = Suspender::new(false);
        let stop = StopSignal::default();
        stop.set_group(i32::MAX);
        s.track("t", "l", 0, stop);
        assert!(s.apply(&paused(), None, 1).is_empty());
        assert!(s.suspended().is_empty());
    }
}
