//! Load: the machine's CPU use now (the difference of two `/proc/stat` samples, one per
//! evaluation, not the average since boot), less the CPU time of this agent's own tasks over the
//! same interval; and memory pressure (PSI `pressure/memory`, `some avg10`).
//!
//! The tasks' share is honest but not exact: it is the `utime+stime+cutime+cstime` of the
//! processes in each task's process group, read from `/proc/<pid>/stat` at each evaluation. A
//! process that exits between two evaluations takes its last interval's time with it unless its
//! parent in the group reaps it (then `cutime` carries it); a descendant that left the group is
//! not counted. Both errors make the others' load look higher, never lower: the agent yields a
//! little early rather than late. Nothing is scanned while no task runs.

use std::collections::HashMap;
use std::path::Path;

/// Cumulative ticks (USER_HZ) from the `cpu` line of `/proc/stat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuSample {
    pub busy: u64,
    pub total: u64,
}

/// The first line: `cpu user nice system idle iowait irq softirq steal guest guest_nice`.
/// Guest time is already inside user time and is not added again.
pub fn parse_proc_stat(text: &str) -> Option<CpuSample> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .take(8)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    if fields.len() < 4 {
        return None;
    }
    let total: u64 = fields.iter().sum();
    let idle = fields[3] + fields.get(4).copied().unwrap_or(0);
    Some(CpuSample {
        busy: total.saturating_sub(idle),
        total,
    })
}

impl CpuSample {
    /// Percent of all cores busy with other work between `prev` and `self`, `own_ticks` being
    /// the agent's tasks' ticks in that interval. `None` when no time passed (or a counter went
    /// back: a different boot, or a fake file rewritten).
    pub fn others_percent_since(&self, prev: &CpuSample, own_ticks: u64) -> Option<f64> {
        let total = self.total.checked_sub(prev.total)?;
        let busy = self.busy.checked_sub(prev.busy)?;
        if total == 0 {
            return None;
        }
        let others = busy.saturating_sub(own_ticks);
        Some((others as f64 * 100.0 / total as f64).clamp(0.0, 100.0))
    }
}

/// The tasks' CPU ticks, remembered per pid between evaluations.
#[derive(Debug, Default)]
pub struct OwnCpu {
    last: HashMap<i32, u64>,
}

impl OwnCpu {
    /// Ticks the processes of `groups` used since the last call (0 on the first, or with no
    /// tasks: nothing is read then).
    pub fn sample(&mut self, procfs: &Path, groups: &[i32]) -> u64 {
        if groups.is_empty() {
            self.last.clear();
            return 0;
        }
        let mut now = HashMap::new();
        if let Ok(entries) = std::fs::read_dir(procfs) {
            for entry in entries.flatten() {
                let Some(pid) = entry
                    .file_name()
                    .to_str()
                    .and_then(|n| n.parse::<i32>().ok())
                else {
                    continue;
                };
                let Ok(text) = std::fs::read_to_string(entry.path().join("stat")) else {
                    continue;
                };
                if let Some((pgrp, ticks)) = parse_pid_stat(&text)
                    && groups.contains(&pgrp)
                {
                    now.insert(pid, ticks);
                }
            }
        }
        let used = now
            .iter()
            .map(|(pid, t)| t.saturating_sub(self.last.get(pid).copied().unwrap_or(*t)))
            .sum();
        self.last = now;
        used
    }
}

/// `/proc/<pid>/stat` → (process group, utime+stime+cutime+cstime). The command name (field 2)
/// may hold spaces and parentheses: fields are counted after its last `)`.
pub fn parse_pid_stat(text: &str) -> Option<(i32, u64)> {
    let rest = &text[text.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12) cutime(13) cstime(14).
    let pgrp = f.get(2)?.parse().ok()?;
    let mut ticks = 0u64;
    for i in 11..=14 {
        ticks += f.get(i)?.parse::<i64>().ok()?.max(0) as u64;
    }
    Some((pgrp, ticks))
}

/// `some avg10=1.23 avg60=… total=…` → 1.23.
pub fn parse_psi_some_avg10(text: &str) -> Option<f64> {
    let line = text.lines().find(|l| l.starts_with("some "))?;
    line.split_whitespace()
        .find_map(|f| f.strip_prefix("avg10="))?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_samples_give_the_current_use() {
        let a = parse_proc_stat("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4\n").unwrap();
        let b = parse_proc_stat("cpu  300 0 200 1000 100 0 0 0 0 0\n").unwrap();
        // 600 ticks passed, 300 busy (iowait counts as idle).
        assert_eq!(b.others_percent_since(&a, 0), Some(50.0));
        assert_eq!(b.others_percent_since(&a, 150), Some(25.0));
        assert_eq!(b.others_percent_since(&a, 900), Some(0.0));
        assert_eq!(a.others_percent_since(&b, 0), None, "a counter going back");
        assert_eq!(a.others_percent_since(&a, 0), None, "no time passed");
    }

    #[test]
    fn bad_stat_files_are_unknown() {
        assert_eq!(parse_proc_stat(""), None);
        assert_eq!(parse_proc_stat("cpu  1 2 x 4"), None);
        assert_eq!(parse_proc_stat("cpu  1 2"), None);
        assert!(
            parse_proc_stat("cpu  1 2 3 4").is_some(),
            "old kernels have four fields"
        );
    }

    #[test]
    fn a_process_stat_line_with_a_hostile_name() {
        let line = "4242 (evil) 1 2 (x) S 1 4240 4240 0 -1 4194304 10 0 0 0 7 3 2 1 20 0 1 0 5 0 0";
        assert_eq!(parse_pid_stat(line), Some((4240, 13)));
        assert_eq!(parse_pid_stat("garbage"), None);
    }

    #[test]
    fn own_tasks_time_is_the_growth_of_their_groups() {
        let dir = tempfile::tempdir().unwrap();
        let write = |pid: &str, pgrp: i32, utime: u64| {
            let p = dir.path().join(pid);
            std::fs::create_dir_all(&p).unwrap();
            std::fs::write(
                p.join("stat"),
                format!("{pid} (sh) S 1 {pgrp} {pgrp} 0 -1 0 0 0 0 0 {utime} 0 0 0 20 0 1 0"),
            )
            .unwrap();
        };
        write("100", 100, 50);
        write("101", 100, 10);
        write("200", 200, 999);
        let mut own = OwnCpu::default();
        assert_eq!(own.sample(dir.path(), &[100]), 0);
        write("100", 100, 80);
        write("101", 100, 15);
        write("200", 200, 5000);
        assert_eq!(own.sample(dir.path(), &[100]), 35);
        assert_eq!(own.sample(dir.path(), &[]), 0);
    }

    #[test]
    fn memory_pressure() {
        let psi = "some avg10=12.50 avg60=3.00 avg300=1.00 total=1\nfull avg10=1.00 avg60=0 avg300=0 total=0\n";
        assert_eq!(parse_psi_some_avg10(psi), Some(12.5));
        assert_eq!(parse_psi_some_avg10("full avg10=1.0"), None);
        assert_eq!(parse_psi_some_avg10("some avg10=nan"), None);
    }
}
