//! Tests for the sandbox: real processes, each bounded by the spec's timeout.

use super::*;
use std::fs;
use std::path::Path;
use std::sync::atomic::AtomicU64;

/// A spec with generous bounds; tests tighten what they exercise.
pub(super) fn spec(dir: &Path, command: TaskCommand) -> SandboxSpec {
    SandboxSpec {
        command,
        env: Vec::new(),
        workdir: dir.to_path_buf(),
        files: Vec::new(),
        timeout: Duration::from_secs(20),
        kill_grace: Duration::from_millis(500),
        limits: Limits::default(),
        output_cap_bytes: 1 << 20,
        tail_bytes: 4096,
        network: true,
        run_as: None,
        confine: false,
        path: Vec::new(),
    }
}

pub(super) fn script(dir: &Path, text: &str) -> SandboxSpec {
    spec(dir, TaskCommand::Script(text.to_string()))
}

pub(super) fn argv(dir: &Path, args: &[&str]) -> SandboxSpec {
    spec(
        dir,
        TaskCommand::Argv(args.iter().map(|a| a.to_string()).collect()),
    )
}

/// Runs the spec, collecting what the sink received per stream.
pub(super) fn run_collect(spec: &SandboxSpec) -> (Outcome, Vec<u8>, Vec<u8>) {
    let out = Mutex::new(Vec::new());
    let err = Mutex::new(Vec::new());
    let sink = |kind: StreamKind, chunk: &[u8]| {
        let target = if kind == StreamKind::Stdout {
            &out
        } else {
            &err
        };
        target.lock().unwrap().extend_from_slice(chunk);
    };
    let outcome = run(spec, &sink, &CancelFlag::new()).expect("run");
    (
        outcome,
        out.into_inner().unwrap(),
        err.into_inner().unwrap(),
    )
}

pub(super) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Alive and not a zombie: a container's init may never reap orphans.
pub(super) fn process_alive(pid: i32) -> bool {
    // Signal 0 only checks for existence.
    let Some(checked) = rustix::process::Pid::from_raw(pid) else {
        return false;
    };
    if rustix::process::test_kill_process(checked).is_err() {
        return false;
    }
    #[cfg(target_os = "linux")]
    if let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat"))
        && let Some((_, rest)) = stat.rsplit_once(") ")
        && (rest.starts_with('Z') || rest.starts_with('X'))
    {
        return false;
    }
    true
}

pub(super) fn gone_within(pid: i32, within: Duration) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        if !process_alive(pid) {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    !process_alive(pid)
}

pub(super) fn read_pid(path: &Path) -> i32 {
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        if let Ok(pid) = fs::read_to_string(path).unwrap_or_default().trim().parse() {
            return pid;
        }
        assert!(Instant::now() < until, "no pid in {}", path.display());
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn exit_codes_pass_through() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, _) = run_collect(&argv(dir.path(), &["true"]));
    assert_eq!(ok.exit_code, Some(0));
    assert!(ok.succeeded());
    assert_eq!(ok.shell_exit_code(), 0);
    assert!(ok.pid > 0);

    let (three, _, _) = run_collect(&script(dir.path(), "exit 3"));
    assert_eq!((three.exit_code, three.signal), (Some(3), None));
    assert!(!three.succeeded());
    assert_eq!(three.shell_exit_code(), 3);
}

#[test]
fn exit_by_signal() {
    let dir = tempfile::tempdir().unwrap();
    let (outcome, _, _) = run_collect(&script(dir.path(), "kill -9 $$"));
    assert_eq!((outcome.exit_code, outcome.signal), (None, Some(9)));
    assert_eq!(outcome.shell_exit_code(), 137);
    assert!(!outcome.timed_out && !outcome.succeeded());
}

#[test]
fn stdout_and_stderr_reach_sink_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let (outcome, out, err) = run_collect(&script(
        dir.path(),
        "i=0; while [ $i -lt 300 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done",
    ));
    assert!(outcome.succeeded());
    let expect = |prefix: &str| {
        (0..300)
            .map(|i| format!("{prefix}{i}\n"))
            .collect::<String>()
    };
    assert_eq!(text(&out), expect("out"));
    assert_eq!(text(&err), expect("err"));
    assert_eq!(outcome.output_bytes, (out.len() + err.len()) as u64);
    assert!(!outcome.truncated);
    // Tails are the ends of the streams.
    assert!(text(&outcome.stdout_tail).ends_with("out299\n"));
    assert!(text(&outcome.stderr_tail).ends_with("err299\n"));
}

#[test]
fn environment_is_scrubbed() {
    // SAFETY: no other test reads or writes this variable; std serialises
    // environment access against Command spawning.
    unsafe { std::env::set_var("EDGECODER_TEST_SECRET", "hunter2") };
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "env; echo x > \"$TMPDIR/probe\" && echo tmp-ok");
    spec.env = vec![
        ("TASK_VAR".into(), "task value".into()),
        ("LANG".into(), "C".into()),
    ];
    let (outcome, out, _) = run_collect(&spec);
    assert!(outcome.succeeded());
    let out = text(&out);
    assert!(
        !out.contains("hunter2") && !out.contains("EDGECODER_TEST_SECRET"),
        "{out}"
    );
    assert!(out.lines().any(|l| l == "TASK_VAR=task value"), "{out}");
    assert!(
        out.lines().any(|l| l == "LANG=C"),
        "task overrides LANG: {out}"
    );
    assert!(
        out.lines()
            .any(|l| l == format!("HOME={}", dir.path().display())),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l == "PATH=/usr/local/bin:/usr/bin:/bin"),
        "{out}"
    );
    assert!(
        out.contains("tmp-ok"),
        "TMPDIR exists and is writable: {out}"
    );

    let mut spec = argv(dir.path(), &["env"]);
    spec.env = vec![("PATH".into(), "/bin".into())];
    let (_, out, _) = run_collect(&spec);
    assert!(text(&out).lines().any(|l| l == "PATH=/bin"));
}

#[test]
fn stdin_is_dev_null() {
    let dir = tempfile::tempdir().unwrap();
    let (outcome, out, _) = run_collect(&script(dir.path(), "cat; echo end"));
    assert!(outcome.succeeded());
    assert_eq!(text(&out), "end\n");
}

#[test]
fn timeout_kills_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(
        dir.path(),
        "sleep 1000 & echo $! > grandchild.pid; sleep 1000",
    );
    spec.timeout = Duration::from_millis(300);
    spec.kill_grace = Duration::from_millis(300);
    let started = Instant::now();
    let (outcome, _, _) = run_collect(&spec);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(outcome.timed_out && !outcome.cancelled);
    assert_eq!(outcome.shell_exit_code(), 124);
    assert!(outcome.duration >= Duration::from_millis(300));
    let grandchild = read_pid(&dir.path().join("grandchild.pid"));
    assert!(
        gone_within(grandchild, Duration::from_secs(2)),
        "grandchild {grandchild} survived"
    );
}

#[test]
fn term_ignoring_task_is_killed_after_grace() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "trap '' TERM; sleep 1000");
    spec.timeout = Duration::from_millis(200);
    spec.kill_grace = Duration::from_millis(300);
    let (outcome, _, _) = run_collect(&spec);
    assert!(outcome.timed_out);
    assert_eq!(outcome.signal, Some(libc::SIGKILL));
    assert!(
        outcome.duration >= Duration::from_millis(500),
        "{:?}",
        outcome.duration
    );
    assert!(
        outcome.duration < Duration::from_secs(5),
        "{:?}",
        outcome.duration
    );
}

#[test]
fn orphans_are_killed_when_the_task_exits() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (outcome, out, _) = run_collect(&script(
        dir.path(),
        "sleep 1000 & echo $! > bg.pid; echo done",
    ));
    // Well under READER_GIVE_UP: the pipes closed because the group was
    // killed, not because the readers gave up.
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(outcome.succeeded());
    assert_eq!(text(&out), "done\n");
    let orphan = read_pid(&dir.path().join("bg.pid"));
    assert!(
        gone_within(orphan, Duration::from_secs(2)),
        "orphan {orphan} survived"
    );
}

#[test]
fn output_cap_drops_excess_but_drains() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "yes | head -c 50000000");
    spec.tail_bytes = 64;
    let delivered = AtomicU64::new(0);
    let sink = |_: StreamKind, chunk: &[u8]| {
        delivered.fetch_add(chunk.len() as u64, Ordering::Relaxed);
    };
    let started = Instant::now();
    let outcome = run(&spec, &sink, &CancelFlag::new()).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert!(outcome.succeeded(), "{outcome:?}");
    assert_eq!(delivered.load(Ordering::Relaxed), 1 << 20);
    assert!(outcome.truncated);
    assert_eq!(outcome.output_bytes, 50_000_000);
    assert_eq!(outcome.stdout_tail, b"y\n".repeat(32));
}

#[test]
fn cancellation_stops_the_task() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = argv(dir.path(), &["sleep", "1000"]);
    spec.timeout = Duration::from_secs(30);
    let cancel = CancelFlag::new();
    let canceller = {
        let cancel = cancel.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(200));
            cancel.cancel();
        })
    };
    let started = Instant::now();
    let outcome = run(&spec, &|_, _| {}, &cancel).unwrap();
    canceller.join().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(outcome.cancelled && !outcome.timed_out && !outcome.succeeded());
    assert_eq!(outcome.signal, Some(libc::SIGTERM));
    assert_eq!(outcome.shell_exit_code(), 128 + libc::SIGTERM);
}

#[test]
fn files_are_written_into_the_workdir() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "cat a/b.txt top.txt");
    spec.files = vec![
        ("a/b.txt".into(), b"hello ".to_vec()),
        ("./top.txt".into(), b"world".to_vec()),
    ];
    let (outcome, out, _) = run_collect(&spec);
    assert!(outcome.succeeded());
    assert_eq!(text(&out), "hello world");
    assert_eq!(fs::read(dir.path().join("a/b.txt")).unwrap(), b"hello ");
}

#[test]
fn unsafe_file_paths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["../x", "/etc/x", "a/../../x", "a/..", "", ".", "nul\0byte"] {
        let mut spec = argv(dir.path(), &["true"]);
        spec.files = vec![
            ("ok.txt".into(), b"ok".to_vec()),
            (bad.into(), b"bad".to_vec()),
        ];
        match run(&spec, &|_, _| {}, &CancelFlag::new()) {
            Err(SandboxError::BadFile(msg)) => assert!(!msg.is_empty()),
            other => panic!("{bad:?} accepted: {other:?}"),
        }
        assert!(
            !dir.path().join("ok.txt").exists(),
            "nothing is written when one name is refused"
        );
    }

    // A symlink inside the workdir must not lead the write outside it.
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
    let mut spec = argv(dir.path(), &["true"]);
    spec.files = vec![("link/x".into(), b"bad".to_vec())];
    let err = run(&spec, &|_, _| {}, &CancelFlag::new()).unwrap_err();
    assert!(matches!(err, SandboxError::BadFile(_)), "{err}");
    assert!(!outside.path().join("x").exists());
}

#[test]
fn cpu_time_and_peak_memory_are_measured() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed amount of work (~0.3 s of CPU here), so a loaded machine that gives the task
    // less of its time makes it slower, not lighter.
    let (outcome, _, _) = run_collect(&script(
        dir.path(),
        "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done",
    ));
    assert!(outcome.succeeded());
    assert!(
        outcome.cpu_time > Duration::from_millis(100),
        "{:?}",
        outcome.cpu_time
    );
    assert!(outcome.peak_rss_kib > 0);
}

#[test]
fn resource_limits_are_applied() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "ulimit -n; ulimit -c");
    spec.limits.open_files = Some(64);
    let (outcome, out, _) = run_collect(&spec);
    assert!(outcome.succeeded());
    assert_eq!(text(&out), "64\n0\n");
}

#[test]
fn network_isolation_is_reported_honestly() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "cat /proc/net/dev; cat /proc/net/fib_trie");
    spec.network = false;
    let (outcome, out, _) = run_collect(&spec);
    if !outcome.network_isolated {
        // Not a failure: the task ran anyway and the outcome says so.
        eprintln!("network isolation unavailable here; task ran with network");
        assert!(!cfg!(target_os = "linux") || outcome.succeeded());
        return;
    }
    assert!(outcome.succeeded());
    let out = text(&out);
    let interfaces: Vec<&str> = out
        .lines()
        .filter_map(|line| line.split_once(':').map(|(name, _)| name.trim()))
        .filter(|name| !name.is_empty() && !name.contains(' ') && !name.contains('|'))
        .take_while(|name| *name != "Main")
        .collect();
    assert_eq!(interfaces, ["lo"], "{out}");
    assert!(out.contains("127.0.0.1"), "loopback is up: {out}");

    let mut spec = script(dir.path(), "true");
    spec.network = true;
    let (outcome, _, _) = run_collect(&spec);
    assert!(!outcome.network_isolated);
}

#[test]
fn missing_command_reports_127() {
    let dir = tempfile::tempdir().unwrap();
    let (outcome, _, err) = run_collect(&argv(dir.path(), &["edgecoder-no-such-command-xyz"]));
    assert_eq!(outcome.exit_code, Some(127));
    assert_eq!(outcome.shell_exit_code(), 127);
    assert_eq!(
        text(&err),
        "edgecoder: command not found: edgecoder-no-such-command-xyz\n"
    );
    assert_eq!(outcome.stderr_tail, err);
    assert_eq!(outcome.pid, 0);

    let (outcome, _, _) = run_collect(&script(dir.path(), "edgecoder-no-such-command-xyz"));
    assert_eq!(outcome.exit_code, Some(127), "the shell says 127 too");
}

#[test]
fn bad_argv_and_env_are_spawn_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = run(&argv(dir.path(), &[]), &|_, _| {}, &CancelFlag::new()).unwrap_err();
    assert!(matches!(err, SandboxError::Spawn(_)), "{err}");
    let mut spec = argv(dir.path(), &["true"]);
    spec.env = vec![("A=B".into(), "x".into())];
    let err = run(&spec, &|_, _| {}, &CancelFlag::new()).unwrap_err();
    assert!(matches!(err, SandboxError::Spawn(_)), "{err}");
    let mut spec = argv(dir.path(), &["true"]);
    spec.workdir = dir.path().join("missing");
    let err = run(&spec, &|_, _| {}, &CancelFlag::new()).unwrap_err();
    assert!(matches!(err, SandboxError::Io(_)), "{err}");
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn spawn_hook_sees_the_pid() {
    let dir = tempfile::tempdir().unwrap();
    let seen = AtomicU64::new(0);
    let outcome = run_with_spawn_hook(
        &argv(dir.path(), &["true"]),
        &|_, _| {},
        &CancelFlag::new(),
        &|pid| seen.store(u64::from(pid), Ordering::Relaxed),
    )
    .unwrap();
    assert_eq!(seen.load(Ordering::Relaxed), u64::from(outcome.pid));
}

#[test]
fn shell_exit_code_rules() {
    let base = Outcome {
        exit_code: Some(0),
        signal: None,
        timed_out: false,
        cancelled: false,
        duration: Duration::ZERO,
        cpu_time: Duration::ZERO,
        peak_rss_kib: 0,
        stdout_tail: Vec::new(),
        stderr_tail: Vec::new(),
        output_bytes: 0,
        truncated: false,
        network_isolated: false,
        pids_contained: false,
        pid: 1,
        started_at: SystemTime::now(),
    };
    assert!(base.succeeded());
    let timed_out = Outcome {
        timed_out: true,
        ..base.clone()
    };
    assert_eq!(
        (timed_out.shell_exit_code(), timed_out.succeeded()),
        (124, false)
    );
    let cancelled = Outcome {
        cancelled: true,
        ..base.clone()
    };
    assert_eq!(
        (cancelled.shell_exit_code(), cancelled.succeeded()),
        (130, false)
    );
    let signalled = Outcome {
        exit_code: None,
        signal: Some(15),
        ..base
    };
    assert_eq!(signalled.shell_exit_code(), 143);
}

#[test]
fn tail_keeps_the_last_bytes() {
    let mut tail = Tail::new(5);
    tail.push(b"abc");
    tail.push(b"defg");
    assert_eq!(tail.buf.iter().copied().collect::<Vec<_>>(), b"cdefg");
    tail.push(b"0123456789");
    assert_eq!(tail.into_vec(), b"56789");
    let mut none = Tail::new(0);
    none.push(b"abc");
    assert!(none.into_vec().is_empty());
}

#[test]
fn stopped_task_still_gets_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = script(dir.path(), "kill -STOP $$; sleep 1000");
    spec.timeout = Duration::from_millis(200);
    spec.kill_grace = Duration::from_secs(10);
    let (outcome, _, _) = run_collect(&spec);
    assert!(outcome.timed_out);
    assert_eq!(
        outcome.signal,
        Some(libc::SIGTERM),
        "SIGCONT follows SIGTERM"
    );
    assert!(
        outcome.duration < Duration::from_secs(5),
        "{:?}",
        outcome.duration
    );
}

#[test]
fn panicking_sink_does_not_hang_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = argv(dir.path(), &["yes"]);
    spec.timeout = Duration::from_secs(10);
    let started = Instant::now();
    let outcome = run(
        &spec,
        &|_, _| panic!("sink failed (expected by this test)"),
        &CancelFlag::new(),
    )
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // The reader's end of the pipe closed with the panic, so `yes` got SIGPIPE.
    assert_eq!(outcome.signal, Some(libc::SIGPIPE));
}
