//! Self-update with drain, end to end: a real coordinator (run from a copy of the binary, so the
//! build output is never replaced) updates itself to a copy that reports a bumped version (the
//! test-only version trailer, see src/version.rs), keeps its port, pid and queue, and shows the
//! new version; bad candidates and non-admins are refused with nothing changed; a new version that
//! does not start is rolled back.

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const BUMPED: &str = "9.9.9-test";

/// The binary as a sandbox installs it: a copy in `<sandbox>/bin`.
fn install_copy(sb: &Sandbox) -> PathBuf {
    let dir = sb.path().join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("edgecoder");
    std::fs::copy(bin(), &path).unwrap();
    path
}

/// A copy of the binary that reports `version` (with the trailer switch on).
fn bumped_candidate(sb: &Sandbox, version: &str) -> PathBuf {
    let dir = sb.path().join("candidates");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("edgecoder-{version}"));
    let mut bytes = std::fs::read(bin()).unwrap();
    bytes.extend_from_slice(edgecoder::version::trailer(version).as_bytes());
    std::fs::write(&path, bytes).unwrap();
    make_executable(&path);
    path
}

fn script(sb: &Sandbox, name: &str, body: &str) -> PathBuf {
    let dir = sb.path().join("candidates");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    make_executable(&path);
    path
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn sha256_of(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// An all-in-one coordinator (local worker on, quick intervals) run from `exe`.
fn start_from(sb: &Sandbox, exe: &Path, mode: &str) -> Coordinator {
    let mut cmd = sb.command_for(exe);
    cmd.env("EDGECODER_LOG_DIR", sb.path().join("logs"));
    let opts = CoordinatorOptions {
        args: vec!["--port".into(), "0".into(), "--mode".into(), mode.into()],
        env: vec![
            (edgecoder::version::TRAILER_ENV.into(), "1".into()),
            ("EDGECODER_HEARTBEAT_INTERVAL".into(), "300ms".into()),
            ("EDGECODER_ACCEPT_WINDOW".into(), "2s".into()),
            ("EDGECODER_CLAIM_WAIT".into(), "1s".into()),
            ("MAX_CONCURRENT_TASKS".into(), "2".into()),
        ],
        ..Default::default()
    };
    Coordinator::try_start_cmd(cmd, opts)
        .unwrap_or_else(|e| panic!("coordinator did not start: {e}"))
}

/// `edgecoder server update …` against the coordinator with `token`.
fn update_cli(
    sb: &Sandbox,
    url: &str,
    token: &str,
    args: &[&str],
) -> (Option<i32>, String, String) {
    let mut cmd: Command = sb.command();
    cmd.env("EDGECODER_URL", url)
        .env("EDGECODER_TOKEN", token)
        .args(["server", "update"])
        .args(args);
    run_to_end(cmd, Duration::from_secs(60))
}

fn sh_task(script: &str) -> SubmitRequest {
    SubmitRequest::argv(vec!["sh".into(), "-c".into(), script.into()])
}

async fn health_version(url: &str) -> Option<String> {
    let client = Client::new(url, None).ok()?;
    let h = client.health().await.ok()?;
    h["version"].as_str().map(str::to_string)
}

async fn wait_state(admin: &Client, id: &str, want: TaskState, within: Duration) -> TaskInfo {
    eventually(within, || async {
        admin.task(id).await.ok().filter(|t| t.state == want)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn update_keeps_port_pid_and_queue_and_shows_the_new_version() {
    let sb = Sandbox::new();
    let exe = install_copy(&sb);
    let original_sha = sha256_of(&exe);
    let mut coord = start_from(&sb, &exe, "all-in-one");
    let admin = coord.admin();
    let url = coord.url.clone();
    let pid = coord.child.id();
    assert_eq!(
        health_version(&url).await.as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );

    // A task running on the local worker (the drain must wait for it), and one nobody can take.
    // It runs until the test lets it go, so a slow machine cannot let it end before the update
    // is seen deferred.
    let gate = tempfile::tempdir().expect("gate dir");
    let go = gate.path().join("go");
    let running = admin
        .submit(&sh_task(&format!(
            "while [ ! -e {} ]; do sleep 0.05; done; echo ran-through",
            go.display()
        )))
        .await
        .unwrap()
        .task
        .id;
    wait_state(
        &admin,
        &running,
        TaskState::Running,
        Duration::from_secs(30),
    )
    .await;
    let mut stuck = sh_task("echo never");
    stuck
        .requirements
        .labels
        .insert("pool".into(), "nowhere".into());
    let queued = admin.submit(&stuck).await.unwrap().task.id;

    let candidate = bumped_candidate(&sb, BUMPED);
    let (code, out, err) = update_cli(
        &sb,
        &url,
        ADMIN_TOKEN,
        &[
            "start",
            "--binary",
            candidate.to_str().unwrap(),
            "--sha256",
            &sha256_of(&candidate),
        ],
    );
    assert_eq!(code, Some(0), "stdout: {out}\nstderr: {err}");
    assert!(out.contains(&format!("→ {BUMPED}")), "{out}");

    // Deferred while the task runs; a submission now is accepted and waits in the queue.
    let status = admin.update_status().await.unwrap();
    let current = status.current.expect("an update in progress");
    assert_eq!(current.state, UpdateState::Deferred, "{current:?}");
    assert_eq!(status.local_running, 1);
    let during = admin.submit(&sh_task("echo after-update")).await.unwrap();
    assert!(during.created);
    assert_eq!(during.task.state, TaskState::Queued);
    std::fs::write(&go, b"").expect("open the gate");
    // That the drained worker leaves it alone is checked below, once both tasks are done: its
    // one attempt is claimed only after the task the drain waited for had finished.

    // The new version answers on the same port, in the same process.
    eventually(Duration::from_secs(90), || async {
        (health_version(&url).await.as_deref() == Some(BUMPED)).then_some(())
    })
    .await;
    assert!(
        coord.child.try_wait().unwrap().is_none(),
        "the coordinator process exited"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.data_dir().join("server.json")).unwrap())
            .unwrap();
    assert_eq!(json["pid"].as_u64(), Some(pid as u64));
    assert_eq!(json["url"].as_str(), Some(url.as_str()));

    // The record survived the re-exec and says what happened.
    let done = eventually(Duration::from_secs(30), || async {
        let s = admin.update_status().await.ok()?;
        (s.current.is_none() && s.history.first()?.state.is_terminal()).then_some(s)
    })
    .await;
    assert_eq!(done.version, BUMPED);
    let last = &done.history[0];
    assert_eq!(last.state, UpdateState::Succeeded, "{last:?}");
    assert_eq!(last.from_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(last.to_version, BUMPED);
    let status = admin.status().await.unwrap();
    assert_eq!(status.version, BUMPED);

    // The running task finished (it was waited for, not killed); the queue was kept.
    let ran = admin.task(&running).await.unwrap();
    assert_eq!(ran.state, TaskState::Succeeded, "{ran:?}");
    assert_eq!(ran.attempts, 1, "the drained task ran twice: {ran:?}");
    assert_eq!(admin.task(&queued).await.unwrap().state, TaskState::Queued);
    // The undrained local worker of the new version runs what was submitted during the drain.
    let after = wait_state(
        &admin,
        &during.task.id,
        TaskState::Succeeded,
        Duration::from_secs(60),
    )
    .await;
    assert_eq!(after.attempts, 1, "{after:?}");
    let drained_task_end = ran.finished_at.expect("the drained task has an end");
    assert!(
        after.attempt_history[0].claimed_at >= drained_task_end,
        "the drained worker took new work: claimed at {}, the drain ended at {drained_task_end}",
        after.attempt_history[0].claimed_at
    );

    // The binary was swapped; the old one was kept for a rollback.
    assert_eq!(sha256_of(&exe), sha256_of(&candidate));
    let rollback = sb.data_dir().join("update/edgecoder.previous");
    assert_eq!(sha256_of(&rollback), original_sha);

    // The CLI shows it too.
    let (code, out, err) = update_cli(&sb, &url, ADMIN_TOKEN, &["status"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(&format!("version        {BUMPED}")), "{out}");
    assert!(out.contains("succeeded"), "{out}");
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(30)), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_candidates_and_callers_change_nothing() {
    let sb = Sandbox::new();
    let exe = install_copy(&sb);
    let original_sha = sha256_of(&exe);
    let coord = start_from(&sb, &exe, "all-in-one");
    let admin = coord.admin();
    let url = coord.url.clone();
    let good = bumped_candidate(&sb, BUMPED);
    let start = |binary: &Path, sha256: Option<String>| UpdateStartRequest {
        binary: binary.display().to_string(),
        sha256,
        drain_timeout_secs: None,
    };

    let failing = script(&sb, "fails", "exit 3");
    assert_api_error(
        admin.update_start(&start(&failing, None)).await,
        422,
        "candidate_version_failed",
    );
    let chatty = script(&sb, "chatty", "echo hello there");
    assert_api_error(
        admin.update_start(&start(&chatty, None)).await,
        422,
        "candidate_version_failed",
    );
    let wrong_sum = "0".repeat(64);
    assert_api_error(
        admin
            .update_start(&start(&good, Some(wrong_sum.clone())))
            .await,
        422,
        "checksum_mismatch",
    );
    let plain = sb.path().join("candidates/not-executable");
    std::fs::write(&plain, b"#!/bin/sh\necho edgecoder 1.0.0\n").unwrap();
    assert_api_error(
        admin.update_start(&start(&plain, None)).await,
        422,
        "candidate_not_executable",
    );
    assert_api_error(
        admin
            .update_start(&start(&sb.path().join("candidates/missing"), None))
            .await,
        422,
        "candidate_not_found",
    );
    assert_api_error(
        admin
            .update_start(&start(Path::new("relative/edgecoder"), None))
            .await,
        400,
        "bad_request",
    );
    assert_api_error(
        admin.update_start(&start(&good, Some("abc".into()))).await,
        400,
        "bad_request",
    );

    // Only admin may start one, even with a perfect candidate.
    for role in [Role::Owner, Role::User] {
        let token = admin
            .create_token(&TokenCreateRequest {
                kind: Some(TokenKind::Api),
                role: Some(role),
                ..Default::default()
            })
            .await
            .unwrap()
            .token;
        let client = coord.client(&token);
        assert_api_error(
            client
                .update_start(&start(&good, Some(sha256_of(&good))))
                .await,
            403,
            "forbidden",
        );
        // The CLI says so with exit code 3.
        let (code, _, err) = update_cli(
            &sb,
            &url,
            &token,
            &["start", "--binary", good.to_str().unwrap()],
        );
        assert_eq!(code, Some(3), "{err}");
    }

    // The CLI refuses a wrong checksum in one line, with the usage exit code.
    let (code, _, err) = update_cli(
        &sb,
        &url,
        ADMIN_TOKEN,
        &[
            "start",
            "--binary",
            good.to_str().unwrap(),
            "--sha256",
            &wrong_sum,
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("SHA-256"), "{err}");

    // Nothing changed: no update recorded, same binary, same version, local worker not drained.
    let status = admin.update_status().await.unwrap();
    assert!(status.current.is_none(), "{status:?}");
    assert!(status.history.is_empty(), "{status:?}");
    assert_eq!(sha256_of(&exe), original_sha);
    assert!(!sb.data_dir().join("update").exists());
    assert_eq!(
        health_version(&url).await.as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let nodes = admin.nodes().await.unwrap().nodes;
    assert!(!nodes.is_empty());
    assert!(nodes.iter().all(|n| !n.draining), "{nodes:?}");
    let ran = admin
        .submit(&sh_task("echo still-working"))
        .await
        .unwrap()
        .task
        .id;
    wait_state(&admin, &ran, TaskState::Succeeded, Duration::from_secs(60)).await;
}

/// Kills a process that is not the test's child (the rolled-back coordinator) when dropped.
struct KillOnDrop(i32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // SAFETY: signals a process this test started (indirectly).
        unsafe { libc::kill(self.0, libc::SIGKILL) };
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_version_that_does_not_start_is_rolled_back_on_the_same_port() {
    let sb = Sandbox::new();
    let exe = install_copy(&sb);
    let original_sha = sha256_of(&exe);
    let mut coord = start_from(&sb, &exe, "coordinator");
    let admin = coord.admin();
    let url = coord.url.clone();
    let queued = admin.submit(&sh_task("echo kept")).await.unwrap().task.id;
    // Answers --version like an edgecoder, then fails to serve.
    let broken = script(
        &sb,
        "broken",
        "if [ \"$1\" = --version ]; then echo 'edgecoder 9.9.9-broken'; exit 0; fi\n\
         echo 'this build cannot start' >&2; exit 1",
    );
    // Started with --wait: the CLI rides out the restart and reports how it ended.
    let (code, out, err) = update_cli(
        &sb,
        &url,
        ADMIN_TOKEN,
        &[
            "start",
            "--binary",
            broken.to_str().unwrap(),
            "--wait",
            "--json",
        ],
    );
    // The process that exec'd into the broken binary is gone ...
    coord.wait_exit(Duration::from_secs(60));
    assert_eq!(code, Some(1), "stdout: {out}\nstderr: {err}");
    let ended: UpdateInfo = serde_json::from_str(&out).unwrap();
    assert_eq!(ended.to_version, "9.9.9-broken");
    assert_eq!(ended.state, UpdateState::RolledBack, "{ended:?}");
    // ... and the guard brought the previous version back on the same port.
    let status = admin.update_status().await.unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.data_dir().join("server.json")).unwrap())
            .unwrap();
    let _cleanup = KillOnDrop(json["pid"].as_i64().unwrap() as i32);
    assert_eq!(
        status.history[0].state,
        UpdateState::RolledBack,
        "{status:?}"
    );
    assert_eq!(status.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        health_version(&url).await.as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        sha256_of(&exe),
        original_sha,
        "the previous binary was not restored"
    );
    assert_eq!(admin.task(&queued).await.unwrap().state, TaskState::Queued);
    let out = coord.stderr();
    assert!(out.contains("restoring the previous binary"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_drain_past_its_deadline_fails_back_to_normal() {
    let sb = Sandbox::new();
    let exe = install_copy(&sb);
    let original_sha = sha256_of(&exe);
    let coord = start_from(&sb, &exe, "all-in-one");
    let admin = coord.admin();
    // Held until the drain's deadline has passed, however slow the machine.
    let gate = tempfile::tempdir().expect("gate dir");
    let go = gate.path().join("go");
    let long = admin
        .submit(&sh_task(&format!(
            "while [ ! -e {} ]; do sleep 0.05; done; echo finished",
            go.display()
        )))
        .await
        .unwrap()
        .task
        .id;
    wait_state(&admin, &long, TaskState::Running, Duration::from_secs(30)).await;
    let candidate = bumped_candidate(&sb, BUMPED);
    let info = admin
        .update_start(&UpdateStartRequest {
            binary: candidate.display().to_string(),
            sha256: None,
            drain_timeout_secs: Some(1),
        })
        .await
        .unwrap();
    assert_eq!(info.state, UpdateState::Deferred);
    let nodes = admin.nodes().await.unwrap().nodes;
    assert!(
        nodes.iter().all(|n| n.draining),
        "the local worker was not drained: {nodes:?}"
    );

    let status = eventually(Duration::from_secs(30), || async {
        let s = admin.update_status().await.ok()?;
        s.current.is_none().then_some(s)
    })
    .await;
    let last = &status.history[0];
    assert_eq!(last.state, UpdateState::Failed, "{last:?}");
    assert!(
        last.message
            .as_deref()
            .unwrap_or_default()
            .contains("drain deadline"),
        "{last:?}"
    );
    // Back to normal: same binary and version, the worker takes work again, the task finished.
    assert_eq!(sha256_of(&exe), original_sha);
    assert_eq!(status.version, env!("CARGO_PKG_VERSION"));
    let nodes = admin.nodes().await.unwrap().nodes;
    assert!(nodes.iter().all(|n| !n.draining), "{nodes:?}");
    std::fs::write(&go, b"").expect("open the gate");
    wait_state(&admin, &long, TaskState::Succeeded, Duration::from_secs(60)).await;
    let next = admin.submit(&sh_task("echo next")).await.unwrap().task.id;
    wait_state(&admin, &next, TaskState::Succeeded, Duration::from_secs(60)).await;
}
