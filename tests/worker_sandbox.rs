//! Tasks that misbehave, run by a real `edgecoder agent` against a real coordinator: timeouts
//! that must take the whole process group, output floods, signals, missing programs, and the
//! secrets a task must never see.

mod common;
mod worker_common;

use common::*;
use edgecoder::api::*;
use std::time::{Duration, Instant};
use worker_common::*;

/// A timeout ends the task `timed_out` and kills its whole process group, a backgrounded
/// grandchild included; a task that ignores SIGTERM is still ended (SIGKILL after the grace).
#[tokio::test]
async fn timeout_kills_the_whole_process_group() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let node = start_node(&coord, "timer", &[("MAX_CONCURRENT_TASKS", "2")]).await;

    let grandchild_file = csb.path().join("grandchild.pid");
    let mut forks = script("sleep 1000 &\necho $! > \"$PIDFILE\"\nsleep 1000\n");
    forks
        .env
        .insert("PIDFILE".into(), grandchild_file.display().to_string());
    forks.timeout_secs = Some(2);
    forks.max_attempts = Some(1);

    let stubborn_file = csb.path().join("stubborn.pid");
    let mut stubborn = script("trap '' TERM\nsleep 1000 &\necho $! > \"$PIDFILE\"\nwait $!\n");
    stubborn
        .env
        .insert("PIDFILE".into(), stubborn_file.display().to_string());
    stubborn.timeout_secs = Some(1);
    stubborn.max_attempts = Some(1);

    let started = Instant::now();
    let forks = submit(&admin, &forks).await;
    let stubborn = submit(&admin, &stubborn).await;
    let grandchild = read_pid(&grandchild_file, Duration::from_secs(15));
    let stubborn_child = read_pid(&stubborn_file, Duration::from_secs(15));
    assert!(process_alive(grandchild) && process_alive(stubborn_child));

    let t = wait_done(&admin, &forks, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::TimedOut, "{t:?}");
    assert_eq!(t.exit_code, Some(124));
    assert_eq!(t.node_id.as_deref(), Some(node.id.as_str()));
    assert!(
        gone_within(grandchild, Duration::from_secs(3)),
        "the grandchild {grandchild} outlived the timeout"
    );

    let t = wait_done(&admin, &stubborn, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::TimedOut, "{t:?}");
    assert!(
        gone_within(stubborn_child, Duration::from_secs(3)),
        "the process ignoring SIGTERM ({stubborn_child}) outlived the timeout"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

/// Bad tasks fail cleanly and leave the agent healthy: an output flood is cut (and says so), a
/// task killed by a signal says which, a missing program exits 127, and a task's environment
/// holds neither the node secret nor the enrollment token (both scrubbed from what it inherits).
#[tokio::test]
async fn bad_tasks_fail_cleanly_and_secrets_stay_out_of_tasks() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    // Enroll by hand so the agent's own environment holds the enrollment token, as it would
    // when an installer leaves AGENT_REGISTRATION_TOKEN in the service's env file.
    let sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    let node_id = enroll_ok(&sb, &coord.url, &token, &["--name", "victim"]);
    let secret = node_secret(&sb);
    let mut agent = Agent::start(
        &sb,
        &[
            ("MAX_CONCURRENT_TASKS", "2"),
            ("AGENT_REGISTRATION_TOKEN", token.as_str()),
        ],
    );
    wait_online(&admin, &node_id).await;

    let one_try = |mut req: SubmitRequest| {
        req.max_attempts = Some(1);
        req
    };
    let flood = submit(
        &admin,
        &one_try(sh("head -c 200000000 /dev/zero | tr '\\0' a")),
    )
    .await;
    let signalled = submit(&admin, &one_try(sh("echo going; kill -9 $$"))).await;
    let missing = submit(
        &admin,
        &one_try(SubmitRequest::argv(vec![
            "edgecoder-no-such-program-xyz".into(),
        ])),
    )
    .await;
    let mut env_req = one_try(SubmitRequest::argv(vec!["env".into()]));
    env_req.env.insert("TASK_OWN".into(), "visible".into());
    let env_task = submit(&admin, &env_req).await;
    let mut elsewhere = sh("echo never");
    elsewhere
        .requirements
        .labels
        .insert("zone".into(), "mars".into());
    let elsewhere = submit(&admin, &elsewhere).await;

    let t = wait_done(&admin, &flood, Duration::from_secs(60)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    let note = t.error.clone().unwrap_or_default();
    assert!(
        note.contains("output cut") && note.contains("200000000"),
        "the run says its output was cut: {note:?}"
    );
    let log_len = full_log(&admin, &flood).await.len();
    assert!(
        log_len <= 16 << 20,
        "stored output is capped, got {log_len} bytes"
    );
    assert!(
        log_len >= 1 << 20,
        "output up to the cap is kept: {log_len}"
    );

    let t = wait_done(&admin, &signalled, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Failed, "{t:?}");
    assert!(
        t.error
            .as_deref()
            .unwrap_or_default()
            .contains("killed by signal 9"),
        "{t:?}"
    );
    assert_eq!(t.exit_code, Some(128 + 9));
    assert_eq!(full_log(&admin, &signalled).await, "going\n");

    let t = wait_done(&admin, &missing, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Failed, "{t:?}");
    assert_eq!(t.exit_code, Some(127), "{t:?}");
    assert!(
        full_log(&admin, &missing)
            .await
            .contains("edgecoder-no-such-program-xyz"),
        "the log names the missing program"
    );

    let t = wait_done(&admin, &env_task, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    let env = full_log(&admin, &env_task).await;
    assert!(env.contains("TASK_OWN=visible"), "{env}");
    assert!(env.contains("PATH="), "{env}");
    assert!(!env.contains(&secret), "the node secret leaked:\n{env}");
    assert!(!env.contains(&token), "the enrollment token leaked:\n{env}");
    for inherited in [
        "AGENT_REGISTRATION_TOKEN",
        "EDGECODER_",
        "ADMIN_API_TOKEN",
        "MAX_CONCURRENT_TASKS",
    ] {
        assert!(
            !env.contains(inherited),
            "{inherited} reached the task:\n{env}"
        );
    }

    // Still healthy after all that: it takes and runs the next task.
    let next = submit(&admin, &sh("echo still-here")).await;
    let t = wait_done(&admin, &next, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    assert_eq!(t.node_id.as_deref(), Some(node_id.as_str()));
    assert_eq!(full_log(&admin, &next).await, "still-here\n");
    assert!(agent.running(), "agent still running:\n{}", agent.log());
    // A task whose requirements this node does not meet was never offered to it.
    let t = admin.task(&elsewhere).await.unwrap();
    assert_eq!(t.state, TaskState::Queued, "{t:?}");
    assert!(t.attempt_history.is_empty(), "{t:?}");
}
