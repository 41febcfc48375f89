//! Local-only runs (`edgecoder task …`, `edgecoder gc`) with the real binary: real processes in
//! the real sandbox, records in a private data dir per test.

use crate::common::{Sandbox, run_to_end};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const END: Duration = Duration::from_secs(60);

fn task(sb: &Sandbox, args: &[&str]) -> Command {
    let mut cmd = sb.command();
    cmd.arg("task").args(args);
    cmd
}

fn gc(sb: &Sandbox, args: &[&str]) -> Command {
    let mut cmd = sb.command();
    cmd.arg("gc").args(args);
    cmd
}

fn runs_dir(sb: &Sandbox) -> PathBuf {
    sb.data_dir().join("runs")
}

/// Runs a command to its end; returns (exit code, stdout, stderr).
fn end(cmd: Command) -> (i32, String, String) {
    let (code, out, err) = run_to_end(cmd, END);
    (code.expect("exited, not killed by a signal"), out, err)
}

/// `task list --json`, asserting it succeeded.
fn list(sb: &Sandbox) -> Value {
    let (code, out, err) = end(task(sb, &["list", "--json"]));
    assert_eq!(code, 0, "list failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("list --json: {e}: {out}"))
}

fn run_of(sb: &Sandbox, task_id: &str) -> Value {
    list(sb)["runs"]
        .as_array()
        .expect("runs array")
        .iter()
        .find(|r| r["task_id"] == task_id)
        .unwrap_or_else(|| panic!("task {task_id} not listed"))
        .clone()
}

/// The task id printed by `task run` on stderr.
fn started_id(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("edgecoder: task "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no task id in: {stderr}"))
        .to_string()
}

/// Runs `task run` to its end and returns (exit code, task id, stdout, stderr).
fn run_task(sb: &Sandbox, args: &[&str]) -> (i32, String, String, String) {
    let mut full = vec!["run"];
    full.extend_from_slice(args);
    let (code, out, err) = end(task(sb, &full));
    let id = started_id(&err);
    (code, id, out, err)
}

/// A `task run` left running in the background; killed when dropped.
struct Background {
    child: Child,
    task_id: String,
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `task run --project P -- CMD…` and waits until its record says running with the
/// task's own pid recorded.
fn start_background(sb: &Sandbox, project: &str, cmd: &[&str]) -> Background {
    let before: Vec<String> = ids(&list(sb));
    let child = task(sb, &["run", "--project", project, "--"])
        .args(cmd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn task run");
    let mut bg = Background {
        child,
        task_id: String::new(),
    };
    let found = poll(Duration::from_secs(30), || {
        list(sb)["runs"]
            .as_array()?
            .iter()
            .find(|r| {
                !before.contains(&r["task_id"].as_str().unwrap_or("").to_string())
                    && r["status"] == "running"
                    && r["task_pid"].is_u64()
            })
            .map(|r| r["task_id"].as_str().unwrap_or_default().to_string())
    });
    bg.task_id = found.expect("the background run never showed as running");
    bg
}

fn ids(listing: &Value) -> Vec<String> {
    listing["runs"]
        .as_array()
        .map(|runs| {
            runs.iter()
                .filter_map(|r| r["task_id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Polls `check` until it gives a value or `within` passes.
fn poll<T>(within: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = check() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<i32> {
    poll(within, || child.try_wait().expect("try_wait")).and_then(|s| s.code())
}

fn run_info_path(run: &Value) -> PathBuf {
    Path::new(run["dir"].as_str().expect("dir")).join("run-info.json")
}

/// Rewrites fields of a run's run-info.json (as a person or a test would age it).
fn edit_run_info(run: &Value, change: impl FnOnce(&mut Value)) {
    let path = run_info_path(run);
    let mut info: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    change(&mut info);
    std::fs::write(&path, serde_json::to_vec_pretty(&info).unwrap()).unwrap();
}

fn age_run(run: &Value) {
    edit_run_info(run, |i| {
        i["started_at"] = "2020-01-01T00:00:00Z".into();
        i["ended_at"] = "2020-01-01T00:00:05Z".into();
    });
}

fn assert_one_line_error(err: &str) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {err:?}");
    assert!(lines[0].starts_with("error: "), "{err:?}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn exit_codes_pass_through_and_records_are_plain_files() {
    let sb = Sandbox::new();
    let (code, failed_id, out, err) = run_task(
        &sb,
        &[
            "--project",
            "demo",
            "--",
            "sh",
            "-c",
            "echo to-out; echo to-err >&2; exit 3",
        ],
    );
    assert_eq!(code, 3, "stderr: {err}");
    assert_eq!(out, "to-out\n", "output is echoed while in the foreground");
    assert!(err.contains("to-err"), "{err}");
    // No --project: the current directory's name.
    let (code, ok_id, _, err) = run_task(&sb, &["--", "true"]);
    assert_eq!(code, 0, "{err}");

    let listing = list(&sb);
    assert_eq!(listing["skipped"], serde_json::json!([]));
    assert_eq!(listing["runs"].as_array().unwrap().len(), 2);
    assert_eq!(
        listing["runs"][0]["task_id"],
        ok_id.as_str(),
        "newest first"
    );

    let failed = run_of(&sb, &failed_id);
    for key in [
        "task_id",
        "run_id",
        "project",
        "status",
        "recorded_status",
        "note",
        "cmd",
        "pid",
        "task_pid",
        "started_at",
        "ended_at",
        "exit_code",
        "signal",
        "duration_ms",
        "timeout_secs",
        "output_bytes",
        "truncated",
        "error",
        "dir",
    ] {
        assert!(failed.get(key).is_some(), "{key} missing from {failed}");
    }
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["exit_code"], 3);
    assert_eq!(failed["project"], "demo");
    assert_eq!(
        failed["cmd"],
        serde_json::json!(["sh", "-c", "echo to-out; echo to-err >&2; exit 3"])
    );
    let ok = run_of(&sb, &ok_id);
    assert_eq!(ok["status"], "succeeded");
    assert_eq!(ok["exit_code"], 0);
    assert_eq!(
        ok["project"],
        edgecoder::runs::project_from_dir(sb.path()).as_str()
    );

    // The documented layout, readable without edgecoder.
    let task_dir = runs_dir(&sb).join("demo").join(&failed_id);
    let run_dir = task_dir
        .join("runs")
        .join(failed["run_id"].as_str().unwrap());
    assert_eq!(Path::new(failed["dir"].as_str().unwrap()), run_dir);
    let task_md = std::fs::read_to_string(task_dir.join("TASK.md")).unwrap();
    assert!(task_md.contains(&failed_id), "{task_md}");
    assert_eq!(
        std::fs::read_to_string(run_dir.join("stdout.txt")).unwrap(),
        "to-out\n"
    );
    assert_eq!(
        std::fs::read_to_string(run_dir.join("stderr.txt")).unwrap(),
        "to-err\n"
    );
    let info: Value =
        serde_json::from_slice(&std::fs::read(run_dir.join("run-info.json")).unwrap()).unwrap();
    assert_eq!(info["status"], "failed");
    assert_eq!(info["exit_code"], 3);
    assert!(
        info["pid"].is_u64() && info["ended_at"].is_string(),
        "{info}"
    );

    // show and logs by a prefix of the id.
    let prefix = &failed_id[..6];
    let (code, out, err) = end(task(&sb, &["show", prefix, "--json"]));
    assert_eq!(code, 0, "{err}");
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["task_id"], failed_id.as_str());
    assert_eq!(shown["project"], "demo");
    assert_eq!(shown["runs"][0]["exit_code"], 3);
    let (code, out, _) = end(task(&sb, &["show", prefix]));
    assert_eq!(code, 0);
    assert!(out.contains("exit code 3"), "{out}");
    let (code, out, err) = end(task(&sb, &["logs", prefix]));
    assert_eq!(code, 0);
    assert_eq!(out, "to-out\n");
    assert_eq!(err, "to-err\n");

    // The human table lists both.
    let (code, out, _) = end(task(&sb, &["list"]));
    assert_eq!(code, 0);
    assert!(out.contains(&failed_id) && out.contains(&ok_id), "{out}");
}

#[test]
fn a_timeout_exits_124_and_is_recorded_timed_out() {
    let sb = Sandbox::new();
    let started = Instant::now();
    let (code, id, _, err) = run_task(&sb, &["--timeout", "1s", "--", "sleep", "60"]);
    assert_eq!(code, 124, "{err}");
    assert!(started.elapsed() < Duration::from_secs(50));
    let run = run_of(&sb, &id);
    assert_eq!(run["status"], "timed_out");
    assert_eq!(run["exit_code"], 124);
}

#[test]
fn a_corrupt_run_info_is_reported_and_skipped() {
    let sb = Sandbox::new();
    let (_, good, _, _) = run_task(&sb, &["--project", "p", "--", "true"]);
    let (_, bad, _, _) = run_task(&sb, &["--project", "p", "--", "true"]);
    let bad_info = run_info_path(&run_of(&sb, &bad));
    std::fs::write(&bad_info, b"{\"version\": 1, \"status\": ").unwrap();

    let (code, out, err) = end(task(&sb, &["list", "--json"]));
    assert_eq!(code, 0, "{err}");
    let listing: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ids(&listing), vec![good.clone()]);
    assert_eq!(listing["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(
        listing["skipped"][0]["path"],
        bad_info.to_str().unwrap(),
        "{listing}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("warning: ") && err.contains("run-info.json"),
        "{err}"
    );

    let (code, out, _) = end(task(&sb, &["list"]));
    assert_eq!(code, 0);
    assert!(out.contains(&good) && !out.contains(&bad), "{out}");
    // gc never deletes what it cannot read.
    let (code, out, _) = end(gc(&sb, &["--older-than", "0s", "--json"]));
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["corrupt_skipped"].as_array().unwrap().len(), 1);
    assert!(bad_info.exists());
}

#[test]
fn a_run_whose_runner_was_killed_shows_failed() {
    let sb = Sandbox::new();
    let mut bg = start_background(&sb, "p", &["sleep", "120"]);
    let before = run_of(&sb, &bg.task_id);
    assert_eq!(before["status"], "running");
    let task_pid = before["task_pid"].as_u64().unwrap();
    bg.child.kill().expect("SIGKILL the runner");
    bg.child.wait().unwrap();

    let after = run_of(&sb, &bg.task_id);
    assert_eq!(after["status"], "failed", "{after}");
    assert_eq!(after["recorded_status"], "running", "readers never rewrite");
    assert!(after["note"].is_string(), "{after}");
    // The task went down with its runner.
    let gone = poll(Duration::from_secs(20), || {
        let stat = std::fs::read_to_string(format!("/proc/{task_pid}/stat")).unwrap_or_default();
        let dead = stat.is_empty()
            || stat
                .rsplit_once(") ")
                .is_some_and(|(_, r)| r.starts_with('Z'));
        dead.then_some(())
    });
    assert!(
        gone.is_some(),
        "task process {task_pid} outlived its runner"
    );
    // A run that is not running can be removed.
    let (code, _, err) = end(task(&sb, &["rm", &bg.task_id]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_live_pid_with_another_start_time_is_not_the_run() {
    let sb = Sandbox::new();
    let (_, id, _, _) = run_task(&sb, &["--project", "p", "--", "true"]);
    let run = run_of(&sb, &id);
    let me = std::process::id();
    let my_start = edgecoder::runs::liveness::own_start_time().expect("own start time");
    // Our own pid and start time: the record is believed.
    edit_run_info(&run, |i| {
        i["status"] = "running".into();
        i["ended_at"] = Value::Null;
        i["pid"] = me.into();
        i["pid_start_time"] = my_start.into();
    });
    assert_eq!(run_of(&sb, &id)["status"], "running");
    // The same live pid, started at another time: a recycled pid, so the run is dead.
    edit_run_info(&run, |i| i["pid_start_time"] = (my_start + 12_345).into());
    let shown = run_of(&sb, &id);
    assert_eq!(shown["status"], "failed", "{shown}");
    assert_eq!(shown["recorded_status"], "running");
}

#[test]
fn task_stop_from_another_process_cancels_the_run() {
    let sb = Sandbox::new();
    let mut bg = start_background(&sb, "p", &["sleep", "120"]);
    let id = bg.task_id.clone();

    let (code, _, err) = end(task(&sb, &["rm", &id]));
    assert_eq!(code, 5, "rm refuses a running task: {err}");
    assert_one_line_error(&err);

    let (code, out, err) = end(task(&sb, &["stop", &id[..8]]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cancelled"), "{out}");
    let runner = wait_exit(&mut bg.child, Duration::from_secs(30));
    assert_eq!(
        runner,
        Some(128 + 15),
        "the runner exits as its task did (SIGTERM)"
    );
    let run = run_of(&sb, &id);
    assert_eq!(run["status"], "cancelled");
    assert_eq!(run["recorded_status"], "cancelled");

    let (code, _, err) = end(task(&sb, &["stop", &id]));
    assert_eq!(code, 5, "nothing left to stop: {err}");
    let (code, _, err) = end(task(&sb, &["rm", &id]));
    assert_eq!(code, 0, "{err}");
    assert!(!runs_dir(&sb).join("p").join(&id).exists());
    let (code, _, _) = end(task(&sb, &["show", &id]));
    assert_eq!(code, 4);
}

#[test]
fn logs_follow_prints_until_the_run_ends() {
    let sb = Sandbox::new();
    let bg = start_background(
        &sb,
        "p",
        &[
            "sh",
            "-c",
            "echo first; sleep 2; echo second; echo late >&2",
        ],
    );
    let (code, out, err) = end(task(&sb, &["logs", "-f", &bg.task_id]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "first\nsecond\n");
    assert_eq!(err, "late\n");
}

#[test]
fn gc_deletes_old_finished_runs_and_never_a_running_one() {
    let sb = Sandbox::new();
    let (_, old_ok, _, _) = run_task(&sb, &["--project", "p", "--", "true"]);
    let (_, old_failed, _, _) = run_task(&sb, &["--project", "p", "--", "false"]);
    let (_, fresh, _, _) = run_task(&sb, &["--project", "p", "--", "true"]);
    let (_, other_project, _, _) = run_task(&sb, &["--project", "q", "--", "true"]);
    for id in [&old_ok, &old_failed, &other_project] {
        age_run(&run_of(&sb, id));
    }
    // A running run that started long ago is still never collected.
    let running = start_background(&sb, "p", &["sleep", "120"]);
    edit_run_info(&run_of(&sb, &running.task_id), |i| {
        i["started_at"] = "2020-01-01T00:00:00Z".into();
    });
    let dir_of = |id: &str| {
        runs_dir(&sb)
            .join(if id == other_project { "q" } else { "p" })
            .join(id)
    };
    let removed_ids = |report: &Value| -> Vec<String> {
        let mut ids: Vec<String> = report["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["task_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };

    // --dry-run says what would go and deletes nothing.
    let (code, out, err) = end(gc(&sb, &["--dry-run", "--json"]));
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(
        removed_ids(&report),
        sorted(vec![
            old_ok.clone(),
            old_failed.clone(),
            other_project.clone()
        ])
    );
    assert!(report["bytes_freed"].as_u64().unwrap() > 0);
    for id in [
        &old_ok,
        &old_failed,
        &fresh,
        &other_project,
        &running.task_id,
    ] {
        assert!(dir_of(id).exists(), "dry run deleted {id}");
    }

    // --project and --keep-failed narrow it.
    let (code, out, err) = end(gc(&sb, &["--project", "p", "--keep-failed", "--json"]));
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(removed_ids(&report), vec![old_ok.clone()]);
    assert_eq!(report["failed_kept"], 1);
    assert_eq!(report["running_skipped"], 1);
    assert_eq!(report["runs_removed"], 1);
    assert_eq!(report["tasks_removed"], 1);
    assert!(report["bytes_freed"].as_u64().unwrap() > 0);
    assert!(!dir_of(&old_ok).exists());
    assert!(dir_of(&old_failed).exists() && dir_of(&other_project).exists());

    // The default cutoff (7d) takes the rest of the old ones, never the fresh or running run.
    let (code, out, err) = end(gc(&sb, &[]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("removed 2 run(s)"), "{out}");
    assert!(out.contains("1 running"), "{out}");
    assert!(!dir_of(&old_failed).exists() && !dir_of(&other_project).exists());
    assert!(dir_of(&fresh).exists());
    assert!(dir_of(&running.task_id).exists());
    assert_eq!(run_of(&sb, &running.task_id)["status"], "running");

    // Even a zero cutoff leaves the running run alone.
    let (code, out, _) = end(gc(&sb, &["--older-than", "0s", "--json"]));
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(removed_ids(&report), vec![fresh.clone()]);
    assert!(dir_of(&running.task_id).exists());
}

#[test]
fn bad_input_is_one_line_with_the_right_exit_code() {
    let sb = Sandbox::new();
    let (_, id, _, _) = run_task(&sb, &["--project", "p", "--", "true"]);
    for args in [
        vec!["show", "0123456789ab"],
        vec!["show", "no-such-task"],
        vec!["logs", "fff000"],
        vec!["stop", "fff000"],
        vec!["rm", "fff000"],
    ] {
        let (code, _, err) = end(task(&sb, &args));
        assert_eq!(code, 4, "{args:?}: {err}");
        assert_one_line_error(&err);
    }
    // Two tasks sharing a prefix: ambiguous is a usage error (2) naming both.
    for fake in ["abc111", "abc222"] {
        std::fs::create_dir_all(runs_dir(&sb).join("p").join(fake)).unwrap();
    }
    let (code, _, err) = end(task(&sb, &["show", "abc"]));
    assert_eq!(code, 2, "{err}");
    assert_one_line_error(&err);
    assert!(err.contains("abc111") && err.contains("abc222"), "{err}");
    // A full id still resolves.
    let (code, _, err) = end(task(&sb, &["show", &id]));
    assert_eq!(code, 0, "{err}");

    for cmd in [
        gc(&sb, &["--older-than", "7x"]),
        gc(&sb, &["--older-than", "soon"]),
        gc(&sb, &["--project", "../etc"]),
        task(&sb, &["run", "--timeout", "forever", "--", "true"]),
        task(&sb, &["run", "--timeout", "0s", "--", "true"]),
        task(&sb, &["run", "--project", "../x", "--", "true"]),
        task(&sb, &["list", "--project", "a/b"]),
    ] {
        let shown = format!("{cmd:?}");
        let (code, _, err) = end(cmd);
        assert_eq!(code, 2, "{shown}: {err}");
        assert_one_line_error(&err);
    }
    // Nothing was run by the refused commands.
    assert_eq!(ids(&list(&sb)), vec![id]);
}

#[test]
fn the_runs_dir_follows_its_setting_and_flag() {
    let sb = Sandbox::new();
    let from_env = sb.path().join("from-env");
    let mut cmd = task(&sb, &["run", "--project", "p", "--", "true"]);
    cmd.env("EDGECODER_RUNS_DIR", &from_env);
    let (code, _, err) = end(cmd);
    assert_eq!(code, 0, "{err}");
    let id = started_id(&err);
    assert!(from_env.join("p").join(&id).join("TASK.md").is_file());
    assert!(!runs_dir(&sb).exists(), "nothing under <data dir>/runs");

    let from_flag = sb.path().join("from-flag");
    let flag = from_flag.to_str().unwrap();
    let (code, _, err) = end(task(&sb, &["run", "--runs-dir", flag, "--", "true"]));
    assert_eq!(code, 0, "{err}");
    let flagged = started_id(&err);
    let (code, out, _) = end(task(&sb, &["list", "--json", "--runs-dir", flag]));
    assert_eq!(code, 0);
    let listing: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ids(&listing), vec![flagged]);
}
