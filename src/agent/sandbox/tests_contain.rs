//! Tests for containment: the task user, the pids cgroup, fork bombs and
//! processes that leave the process group. A fork bomb is only ever started
//! where something holds it (a pids cgroup, or a user RLIMIT_NPROC applies to),
//! and its script checks that again itself before forking.

use super::tests::{gone_within, process_alive, read_pid, run_collect, script, text};
use super::*;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

fn nobody() -> Option<RunAs> {
    crate::agent::task_user::lookup("nobody").ok().flatten()
}

/// Live (not zombie) processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<i32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmd| String::from_utf8_lossy(&cmd).contains(needle))
        })
        .filter(|pid| process_alive(*pid))
        .collect()
}

/// Exits 99 without forking unless something holds it: a pids cgroup, or a
/// user other than root (RLIMIT_NPROC). `f` returns at once (its children go
/// on forking), so `sleep` keeps the task running into its timeout.
const BOMB: &str = "if [ \"$(id -u)\" = 0 ] && ! grep -q /edgecoder/ /proc/self/cgroup; then
  echo not contained >&2; exit 99
fi
f(){ f|f & }; f
sleep 10
";

fn run_fork_bomb(run_as: Option<RunAs>) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), BOMB);
    spec.limits.processes = Some(64);
    spec.timeout = Duration::from_secs(3);
    spec.kill_grace = Duration::from_millis(500);
    spec.run_as = run_as;
    spec.output_cap_bytes = 64 << 10;
    let started = Instant::now();
    let (outcome, _, err) = run_collect(&spec);
    let elapsed = started.elapsed();
    assert_ne!(outcome.exit_code, Some(99), "{}", text(&err));
    assert!(
        outcome.timed_out || !outcome.succeeded(),
        "the bomb ends timed out or failed: {outcome:?}"
    );
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    // Every fork of the script's shell carries the script's path.
    let needle = dir.path().display().to_string();
    let until = Instant::now() + Duration::from_secs(3);
    let mut left = processes_mentioning(&needle);
    while !left.is_empty() && Instant::now() < until {
        thread::sleep(Duration::from_millis(50));
        left = processes_mentioning(&needle);
    }
    assert!(left.is_empty(), "processes of the bomb survived: {left:?}");
    // The machine is fine: a new process starts, quickly.
    let probe = Instant::now();
    let status = std::process::Command::new("true").status().unwrap();
    assert!(status.success());
    assert!(
        probe.elapsed() < Duration::from_secs(2),
        "{:?}",
        probe.elapsed()
    );
    outcome
}

#[test]
fn fork_bomb_is_held_by_the_pids_cgroup() {
    if !pids_cgroup_available() {
        crate::test_support::skip_unless_ci(
            "no pids cgroup can be made here, so nothing holds a root fork bomb",
        );
        return;
    }
    // As the worker's own user, root included: only pids.max holds it.
    let outcome = run_fork_bomb(None);
    assert!(outcome.pids_contained, "{outcome:?}");
}

#[test]
fn fork_bomb_is_held_as_an_unprivileged_user() {
    let run_as = if is_root() {
        let Some(user) = nobody() else {
            crate::test_support::skip_unless_ci(
                "running as root and there is no user nobody to drop to",
            );
            return;
        };
        Some(user)
    } else {
        None // RLIMIT_NPROC holds the worker's own user
    };
    let outcome = run_fork_bomb(run_as);
    assert_eq!(outcome.pids_contained, pids_cgroup_available());
}

#[test]
fn task_runs_as_the_task_user() {
    if !is_root() {
        crate::test_support::skip_unless_ci("only root can run a task as another user");
        return;
    }
    let Some(user) = nobody() else {
        crate::test_support::skip_unless_ci("no user nobody here");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let closed = tempfile::tempdir().unwrap();
    fs::set_permissions(closed.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let mut spec = script(
        dir.path(),
        "id -u; id -g; id -G; cat sub/in.txt
         echo new > sub/new && echo wrote-sub
         echo t > \"$TMPDIR/t\" && echo wrote-tmp
         echo h > \"$HOME/h\" && echo wrote-home
         echo x 2>/dev/null > \"$CLOSED/x\" || echo closed-denied
         grep -c /edgecoder/ /proc/self/cgroup || true",
    );
    spec.files = vec![("sub/in.txt".into(), b"hello\n".to_vec())];
    spec.env = vec![("CLOSED".into(), closed.path().display().to_string())];
    spec.run_as = Some(user);
    let (outcome, out, err) = run_collect(&spec);
    assert!(outcome.succeeded(), "{outcome:?} {}", text(&err));
    let out = text(&out);
    let lines: Vec<&str> = out.lines().collect();
    let (uid, gid) = (user.uid.to_string(), user.gid.to_string());
    assert!(lines.len() >= 8, "{out}");
    assert_eq!(
        lines[..8],
        [
            uid.as_str(),
            gid.as_str(),
            gid.as_str(), // no supplementary groups left
            "hello",
            "wrote-sub",
            "wrote-tmp",
            "wrote-home",
            "closed-denied"
        ],
        "{out}"
    );
    assert!(!closed.path().join("x").exists());
    let in_cgroup = lines.get(8).is_some_and(|l| *l != "0");
    assert_eq!(in_cgroup, outcome.pids_contained, "{out}");
    assert_eq!(outcome.pids_contained, pids_cgroup_available());
    let meta = fs::metadata(dir.path()).unwrap();
    assert_eq!((meta.uid(), meta.mode() & 0o777), (user.uid, 0o700));
    assert_eq!(
        fs::metadata(dir.path().join("sub/new")).unwrap().uid(),
        user.uid
    );
}

#[test]
fn failure_to_switch_user_is_a_spawn_error() {
    if !is_root() {
        crate::test_support::skip_unless_ci("only root can ask for another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "echo must-not-run");
    // gid -1 is no group: setgid refuses it (lchown takes it as "leave as is").
    spec.run_as = Some(RunAs {
        uid: 65_534,
        gid: u32::MAX,
    });
    match run(&spec, &|_, _| {}, &CancelFlag::new()) {
        Err(SandboxError::Spawn(err)) => {
            assert!(
                err.to_string().contains("switching to the task user"),
                "{err}"
            );
        }
        other => panic!("expected a spawn error, got {other:?}"),
    }
}

/// Without a pids cgroup a descendant that left the group survives the task,
/// and the readers give up on the pipe it holds; with one, it is killed when
/// the task ends, and its pipe closes with it.
#[test]
fn escaped_descendant_is_killed_or_at_least_not_waited_for() {
    if !Path::new("/usr/bin/setsid").exists() {
        crate::test_support::skip_unless_ci("no setsid(1)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    // The pid file is written after setsid(), so the task only exits once the
    // descendant has really left the group (still holding stdout).
    let (outcome, out, _) = run_collect(&script(
        dir.path(),
        "setsid sh -c 'echo $$ > esc.tmp && mv esc.tmp esc.pid; exec sleep 1000' &
         while [ ! -e esc.pid ]; do sleep 0.01; done; echo hi",
    ));
    let elapsed = started.elapsed();
    let escaped = read_pid(&dir.path().join("esc.pid"));
    assert!(outcome.succeeded());
    assert_eq!(text(&out), "hi\n");
    if outcome.pids_contained {
        assert!(
            gone_within(escaped, Duration::from_secs(2)),
            "the escaped process {escaped} outlived the task"
        );
        assert!(elapsed < READER_GIVE_UP, "{elapsed:?}");
        return;
    }
    let escaped_alive = process_alive(escaped);
    // Cleaning up the process this test started.
    if let Some(pid) = rustix::process::Pid::from_raw(escaped) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
    eprintln!("no pids cgroup here: the escaped process survived the task, as documented");
    assert!(escaped_alive, "setsid took it out of the group");
    // The readers waited for the pipe, then gave up.
    assert!(elapsed >= READER_GIVE_UP, "{elapsed:?}");
    assert!(
        elapsed < READER_GIVE_UP + Duration::from_secs(2),
        "{elapsed:?}"
    );
}
