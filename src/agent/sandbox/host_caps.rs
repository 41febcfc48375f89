//! The owner's CPU and memory caps on tasks (the host policy's `EDGECODER_HOST_CPU_CAP` and
//! `EDGECODER_HOST_MEMORY_CAP`), set once per worker process and applied to every task after.
//!
//! Best: cgroup v2 `cpu.max` and `memory.max` on the cgroup that holds every task's cgroup
//! (`<agent's cgroup>/edgecoder`), so the tasks together stay under the caps. Where that cannot
//! be done (cgroup v1, no delegation, not Linux): tasks start at `nice 19` and the idle I/O
//! class, which yields the CPU and disk to the owner though it caps nothing, and the memory cap
//! becomes each task's `RLIMIT_AS`. [`apply`] says which, for the start message.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

static YIELD: AtomicBool = AtomicBool::new(false);
static MEMORY_RLIMIT: AtomicU64 = AtomicU64::new(0);

/// `cpu.max` period.
const PERIOD_US: u64 = 100_000;

/// Sets the caps for the tasks this process runs from now on; returns what is in force, in words.
pub fn apply(cpu_percent: Option<u8>, memory_mib: Option<u64>) -> String {
    if cpu_percent.is_none() && memory_mib.is_none() {
        return "no CPU or memory cap".into();
    }
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get() as u64)
        .unwrap_or(1);
    let quota = cpu_percent.map(|p| (PERIOD_US * cpus * u64::from(p) / 100).max(1000));
    let memory = memory_mib.map(|m| m.saturating_mul(1 << 20));
    match super::cgroup::cap_tasks(quota.map(|q| (q, PERIOD_US)), memory) {
        Ok(()) => {
            let mut said = Vec::new();
            if let Some(p) = cpu_percent {
                said.push(format!(
                    "CPU capped at {p} % of the machine (cgroup cpu.max)"
                ));
            }
            if let Some(m) = memory_mib {
                said.push(format!("memory capped at {m} MiB (cgroup memory.max)"));
            }
            said.join(", ")
        }
        Err(why) => {
            let mut said = Vec::new();
            if cpu_percent.is_some() {
                YIELD.store(true, Ordering::SeqCst);
                said.push(format!(
                    "no cgroup CPU cap ({why}): tasks run at nice 19 with idle I/O priority"
                ));
            }
            if let Some(m) = memory {
                MEMORY_RLIMIT.store(m, Ordering::SeqCst);
                said.push(format!(
                    "memory capped at {} MiB per task (RLIMIT_AS)",
                    m >> 20
                ));
            }
            said.join(", ")
        }
    }
}

/// Tasks start with the lowest CPU and I/O priority.
pub(super) fn yield_priority() -> bool {
    YIELD.load(Ordering::SeqCst)
}

/// The per-task address-space cap when no cgroup holds memory.
pub(super) fn memory_rlimit() -> Option<u64> {
    Some(MEMORY_RLIMIT.load(Ordering::SeqCst)).filter(|m| *m > 0)
}

/// In the child, before exec: nice 19 and the idle I/O class. Best effort (a kernel without
/// ioprio leaves the CPU priority alone).
pub(super) fn lower_priority() {
    // SAFETY: setpriority and the ioprio_set syscall only change this process's priorities.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
        #[cfg(target_os = "linux")]
        {
            const IOPRIO_WHO_PROCESS: libc::c_long = 1;
            const IOPRIO_CLASS_IDLE: libc::c_long = 3;
            libc::syscall(
                libc::SYS_ioprio_set,
                IOPRIO_WHO_PROCESS,
                0 as libc::c_long,
                IOPRIO_CLASS_IDLE << 13,
            );
        }
    }
}
