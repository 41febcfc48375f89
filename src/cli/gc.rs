//! `edgecoder gc`: deletes local runs that ended longer ago than `--older-than` (by their end
//! time), never a running one, and says what that freed. Everything is decided and deleted
//! under the store lock, so a run cannot start or finish halfway through a decision.

use super::exit::{CliError, OK};
use super::local_args::GcArgs;
use super::output::{Table, Tone, age, colour_enabled, print_json};
use super::task_cmd::{Local, parse_duration, unix_ms, warn_corrupt};
use crate::runs::{RunRecord, Status, TASK_FILE, check_project, record, size_on_disk};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Serialize)]
struct Removed {
    task_id: String,
    run_id: String,
    project: String,
    status: Status,
    #[serde(with = "record::rfc3339")]
    ended_at: SystemTime,
    bytes: u64,
    /// This was the task's last run, so the task's directory went too.
    task_removed: bool,
}

#[derive(Serialize)]
struct Report {
    dry_run: bool,
    older_than: String,
    #[serde(with = "record::rfc3339")]
    cutoff: SystemTime,
    removed: Vec<Removed>,
    runs_removed: usize,
    tasks_removed: usize,
    bytes_freed: u64,
    /// Running runs in scope, left alone whatever their age.
    running_skipped: usize,
    /// Old enough but failed or timed out, kept by `--keep-failed`.
    failed_kept: usize,
    /// Records that could not be read; never deleted (nothing says they are not running).
    corrupt_skipped: Vec<Skipped>,
}

#[derive(Serialize)]
struct Skipped {
    path: PathBuf,
    error: String,
}

pub fn run(args: GcArgs) -> Result<u8, CliError> {
    let older_than = parse_duration("--older-than", &args.older_than)?;
    if let Some(p) = &args.project {
        check_project(p).map_err(CliError::usage)?;
    }
    let local = Local::open(&args.dirs)?;
    let store = &local.store;
    let now = SystemTime::now();
    let cutoff = now.checked_sub(older_than).unwrap_or(UNIX_EPOCH);
    // A dry run changes nothing, so it neither takes the lock nor makes the runs dir; with no
    // runs dir there is nothing to scan, so nothing to lock either.
    let lock = if args.dry_run {
        None
    } else if store.root().exists() {
        Some(store.lock()?)
    } else {
        None
    };
    let scan = store.scan(args.project.as_deref());
    warn_corrupt(&scan.corrupt);
    let mut report = Report {
        dry_run: args.dry_run,
        older_than: args.older_than.clone(),
        cutoff,
        removed: Vec::new(),
        runs_removed: 0,
        tasks_removed: 0,
        bytes_freed: 0,
        running_skipped: 0,
        failed_kept: 0,
        corrupt_skipped: scan
            .corrupt
            .iter()
            .map(|c| Skipped {
                path: c.path.clone(),
                error: c.error.clone(),
            })
            .collect(),
    };
    // Runs left in each task directory, to know when the last one goes.
    let mut left: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for run in &scan.runs {
        if let Some(runs_dir) = run.dir.parent() {
            left.entry(runs_dir.to_path_buf())
                .or_insert_with(|| count_entries(runs_dir));
        }
    }
    for run in &scan.runs {
        if run.status == Status::Running {
            report.running_skipped += 1;
            continue;
        }
        let Some(ended_at) = run.ended_at().filter(|end| *end < cutoff) else {
            continue;
        };
        if args.keep_failed && run.status.is_failure() {
            report.failed_kept += 1;
            continue;
        }
        let mut bytes = size_on_disk(&run.dir);
        let runs_dir = run.dir.parent().unwrap_or(Path::new(""));
        let remaining = left.entry(runs_dir.to_path_buf()).or_insert(1);
        *remaining = remaining.saturating_sub(1);
        let last_of_task = *remaining == 0;
        let task_dir = runs_dir.parent().unwrap_or(Path::new(""));
        if last_of_task {
            bytes += size_on_disk(&task_dir.join(TASK_FILE));
        }
        let task_removed = match &lock {
            Some(lock) => store.remove_run(&run.dir, lock)?,
            None => last_of_task,
        };
        report
            .removed
            .push(removed(run, ended_at, bytes, task_removed));
    }
    report.runs_removed = report.removed.len();
    report.tasks_removed = report.removed.iter().filter(|r| r.task_removed).count();
    report.bytes_freed = report.removed.iter().map(|r| r.bytes).sum();
    if args.json {
        print_json(&report)?;
    } else {
        print_human(&report, now);
    }
    Ok(OK)
}

fn removed(run: &RunRecord, ended_at: SystemTime, bytes: u64, task_removed: bool) -> Removed {
    Removed {
        task_id: run.info.task_id.clone(),
        run_id: run.info.run_id.clone(),
        project: run.info.project.clone(),
        status: run.status,
        ended_at,
        bytes,
        task_removed,
    }
}

fn print_human(report: &Report, now: SystemTime) {
    let verb = if report.dry_run {
        "would remove"
    } else {
        "removed"
    };
    if report.removed.is_empty() {
        println!(
            "nothing to remove: no finished run ended more than {} ago",
            report.older_than
        );
    } else {
        let mut table = Table::new(&["TASK", "RUN", "PROJECT", "STATUS", "ENDED", "SIZE"]);
        for r in &report.removed {
            table.row(vec![
                (r.task_id.clone(), Tone::Plain),
                (r.run_id.clone(), Tone::Plain),
                (r.project.clone(), Tone::Plain),
                (r.status.as_str().into(), Tone::of_state(r.status.as_str())),
                (
                    format!("{} ago", age(unix_ms(r.ended_at), unix_ms(now))),
                    Tone::Plain,
                ),
                (bytes_text(r.bytes), Tone::Plain),
            ]);
        }
        print!("{}", table.render(colour_enabled()));
        println!(
            "{verb} {} run(s) ({} task(s) with no runs left), freeing {}{}",
            report.runs_removed,
            report.tasks_removed,
            bytes_text(report.bytes_freed),
            if report.dry_run {
                " (dry run: nothing was deleted)"
            } else {
                ""
            }
        );
    }
    if report.running_skipped > 0 {
        println!("left alone: {} running run(s)", report.running_skipped);
    }
    if report.failed_kept > 0 {
        println!(
            "kept: {} failed or timed-out run(s) (--keep-failed)",
            report.failed_kept
        );
    }
}

/// Entries in a directory (0 when it cannot be read).
fn count_entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|e| e.count()).unwrap_or(0)
}

/// "512 B", "1.5 KiB", "3.2 MiB", "1.0 GiB".
fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::bytes_text;

    #[test]
    fn sizes_read_like_people_say_them() {
        assert_eq!(bytes_text(512), "512 B");
        assert_eq!(bytes_text(1536), "1.5 KiB");
        assert_eq!(bytes_text(3 << 30), "3.0 GiB");
    }
}
