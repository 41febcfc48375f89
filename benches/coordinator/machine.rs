//! What the benchmark reads from the machine and the coordinator's process: CPU ticks per thread
//! and for the whole machine, the store's bytes per table, load average and cores, and a
//! graceful stop so those bytes are measured with the WAL folded in.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::cpu_ticks;

/// SIGTERM, then waits (up to 60 s) for the coordinator to drain, fold its WAL and exit.
pub fn stop_gracefully(pid: u32) {
    // SAFETY: kill(2) and a non-blocking waitpid(2) of the child this run started; `Killed`
    // ignores the error its own wait then gets.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGTERM);
    }
    let asked = Instant::now();
    while asked.elapsed() < Duration::from_secs(60) {
        let mut status = 0;
        let reaped = unsafe { libc::waitpid(pid as libc::pid_t, &mut status, libc::WNOHANG) };
        if reaped != 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("the coordinator did not stop within 60 s of SIGTERM; its WAL is counted too");
}

/// Bytes per table and index of the store (SQLite's `dbstat`), largest first; empty where this
/// SQLite lacks `dbstat`.
pub fn table_bytes(data_dir: &Path) -> Vec<(String, u64)> {
    let Some(db) = std::fs::read_dir(data_dir).ok().and_then(|d| {
        d.filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "db"))
    }) else {
        return Vec::new();
    };
    let Ok(conn) = rusqlite::Connection::open(&db) else {
        return Vec::new();
    };
    let Ok(mut stmt) =
        conn.prepare("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")
    else {
        return Vec::new();
    };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default()
}

/// Bytes of every file under `dir` (the store, its WAL and whatever else the coordinator keeps).
pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

pub fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// CPU ticks of each thread of a process, by thread id, with the thread's name.
pub fn thread_ticks(pid: u32) -> BTreeMap<String, (String, u64)> {
    let mut out = BTreeMap::new();
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for entry in dir.flatten() {
        let tid = entry.file_name().to_string_lossy().to_string();
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let name = stat
            .split_once('(')
            .and_then(|(_, r)| r.rsplit_once(')'))
            .map(|(n, _)| n.to_string())
            .unwrap_or_default();
        out.insert(tid.clone(), (name, cpu_ticks(&format!("{pid}/task/{tid}"))));
    }
    out
}

/// CPU % of one core per thread name (threads of one name summed), busiest first.
pub fn thread_cpu(
    before: &BTreeMap<String, (String, u64)>,
    after: &BTreeMap<String, (String, u64)>,
    secs: f64,
) -> Vec<(String, f64, usize)> {
    let mut by_name: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    for (tid, (name, t1)) in after {
        let t0 = before.get(tid).map_or(0, |(_, t)| *t);
        let e = by_name.entry(name.clone()).or_default();
        e.0 += t1.saturating_sub(t0);
        e.1 += 1;
    }
    let mut v: Vec<(String, f64, usize)> = by_name
        .into_iter()
        .map(|(n, (t, count))| (n, t as f64 / secs, count))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}

/// Busy, total and stolen jiffies of the whole machine (all cores), from /proc/stat.
pub fn machine_ticks() -> (u64, u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
        return (0, 0, 0);
    };
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is inside user already).
    let total: u64 = f.iter().take(8).sum();
    let idle = f.get(3).copied().unwrap_or(0) + f.get(4).copied().unwrap_or(0);
    (total - idle, total, f.get(7).copied().unwrap_or(0))
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
