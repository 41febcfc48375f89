//! Handing work back and draining nodes (issue 20), against the real coordinator: an agent
//! releases a leased task (fenced, not counted, credits still held), and an owner drains a node
//! with a deadline and waits for it, or undrains it.

use crate::common::*;
use crate::worker_common::{Out, cli_with, server_cmd, sh, start_node, submit, wait_running};
use edgecoder::api::*;
use std::time::Duration;

const WITHIN: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_released_task_is_queued_again_uncounted_fenced_and_still_held() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "laptop", &[], caps(4096, 0), true).await;
    let (other, _) = enroll_as(&admin, "other", &[], caps(4096, 0), true).await;
    let alive = Heartbeat::start(&node);
    // One attempt only: if the released attempt counted, the task could never run again.
    let mut req = SubmitRequest::argv(vec!["echo".into(), "hi".into()]);
    req.max_attempts = Some(1);
    let task = admin.submit(&req).await.expect("submit").task;

    let claimed = claim_now(&node).await.expect("offered");
    alive.running.lock().unwrap().push(task.id.clone());
    node.start(&task.id, &claimed.lease.lease_id)
        .await
        .expect("start");
    let held = admin.task_charge(&task.id).await.expect("charge");
    assert_eq!(held.state, "held");

    // Fenced like every agent route: a made-up lease and another node's call change nothing.
    assert_api_error(
        node.release_task(&task.id, "not-a-lease", "x").await,
        409,
        "stale_lease",
    );
    assert_api_error(
        other
            .release_task(&task.id, &claimed.lease.lease_id, "x")
            .await,
        409,
        "not_your_lease",
    );
    assert_api_error(
        node.release_task("no-such-task", &claimed.lease.lease_id, "x")
            .await,
        404,
        "not_found",
    );
    assert_eq!(
        admin.task(&task.id).await.unwrap().state,
        TaskState::Running
    );

    let released = node
        .release_task(&task.id, &claimed.lease.lease_id, "paused: on battery 10 %")
        .await
        .expect("release");
    assert_eq!(released.state, TaskState::Queued);
    assert_eq!(released.node_id, None);
    assert_eq!(
        released.max_attempts, 2,
        "the released attempt is given back"
    );
    let shown = admin.task(&task.id).await.unwrap();
    assert_eq!(shown.attempt_history.len(), 1);
    assert_eq!(shown.attempt_history[0].outcome, "released");
    let why = shown.attempt_history[0].error.clone().unwrap_or_default();
    assert!(
        why.contains("paused: on battery 10 %") && why.contains(&node_id),
        "the history says who handed it back and why: {why:?}"
    );
    assert_eq!(
        admin.task_charge(&task.id).await.unwrap().state,
        "held",
        "a hand-back settles nothing"
    );

    // The same lease is spent; the heartbeat tells the node to stop what it no longer holds.
    assert_api_error(
        node.release_task(&task.id, &claimed.lease.lease_id, "again")
            .await,
        409,
        "stale_lease",
    );
    eventually(WITHIN, || async {
        alive
            .cancelled
            .lock()
            .unwrap()
            .contains(&task.id)
            .then_some(())
    })
    .await;
    alive.running.lock().unwrap().clear();

    // Offered again at once, and its one counted attempt still runs it to the end.
    let again = claim_now(&other).await.expect("offered again, no backoff");
    assert_eq!(again.task.id, task.id);
    assert_eq!(again.lease.attempt, 2);
    other
        .start(&task.id, &again.lease.lease_id)
        .await
        .expect("start");
    let done = other
        .complete(
            &task.id,
            &complete_req(&again.lease.lease_id, Outcome::Succeeded, None),
        )
        .await
        .expect("complete")
        .task;
    assert_eq!(done.state, TaskState::Succeeded);
    assert_eq!(admin.task_charge(&task.id).await.unwrap().state, "settled");
}

#[tokio::test]
async fn a_released_task_whose_owner_cancelled_it_ends_cancelled() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "laptop", &[], caps(4096, 0), true).await;
    let _alive = Heartbeat::start(&node);
    let task = admin
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit")
        .task;
    let claimed = claim_now(&node).await.expect("offered");
    node.start(&task.id, &claimed.lease.lease_id)
        .await
        .expect("start");
    admin.cancel(&task.id).await.expect("cancel");
    let released = node
        .release_task(
            &task.id,
            &claimed.lease.lease_id,
            "owner\u{1b}[31m active\n",
        )
        .await
        .expect("release");
    assert_eq!(released.state, TaskState::Cancelled);
    let why = admin.task(&task.id).await.unwrap().attempt_history[0]
        .error
        .clone()
        .unwrap_or_default();
    assert!(
        why.ends_with("owner [31m active"),
        "one clean line: {why:?}"
    );
    assert!(claim_now(&node).await.is_none(), "nothing to run again");
}

/// A heartbeat carrying the node's host verdict.
fn beat(paused: bool, reason: Option<&str>, running: &[String]) -> HeartbeatRequest {
    HeartbeatRequest {
        load: Some(0.1),
        running: running.to_vec(),
        host: Some(HostStatus {
            paused,
            reason: reason.map(str::to_string),
        }),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_node_is_offered_nothing_and_every_view_says_why() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "laptop", &[], caps(4096, 0), true).await;
    node.heartbeat(&beat(true, Some("on battery 10 %"), &[]))
        .await
        .expect("heartbeat");

    // A long-poll that is waiting when work arrives is not handed it, nor is a direct claim.
    let poll = {
        let node = node.clone();
        tokio::spawn(async move { node.claim(Duration::from_secs(2)).await })
    };
    let task = admin
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit")
        .task;
    assert!(claim_now(&node).await.is_none(), "a paused node claims");
    let answer = poll.await.unwrap().expect("the long-poll answers");
    assert!(
        answer.claimed.is_none(),
        "a paused node's long-poll got work"
    );
    assert_eq!(admin.task(&task.id).await.unwrap().state, TaskState::Queued);

    // The coordinator shows why: the API, `nodes list` and `nodes show`.
    let shown = admin.node(&node_id).await.unwrap();
    assert_eq!(
        shown.host,
        Some(HostStatus {
            paused: true,
            reason: Some("on battery 10 %".into())
        })
    );
    let list = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "nodes", "list"],
        None,
    );
    assert_eq!(list.code, Some(0), "{list:?}");
    let header = list.stdout.lines().next().unwrap_or_default();
    assert!(header.contains("STATE"), "{}", list.stdout);
    let row = list
        .stdout
        .lines()
        .find(|l| l.contains(&node_id))
        .unwrap_or_default();
    assert!(row.contains("paused: on battery 10 %"), "{}", list.stdout);
    let show = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "nodes", "show", &node_id],
        None,
    );
    assert!(
        show.stdout
            .lines()
            .any(|l| l.starts_with("host") && l.ends_with("paused: on battery 10 %")),
        "{show:?}"
    );
    let json = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "nodes", "show", &node_id, "--json"],
        None,
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(doc["host"]["paused"], true);
    assert_eq!(doc["host"]["reason"], "on battery 10 %");
    crate::cli_server::documented().check("server nodes show ID", &doc);

    // Back to running: a long-poll in flight (or the next claim) gets the work.
    let poll = {
        let node = node.clone();
        tokio::spawn(async move { node.claim(Duration::from_secs(3)).await })
    };
    node.heartbeat(&beat(false, None, &[]))
        .await
        .expect("heartbeat");
    let claimed = poll.await.unwrap().expect("claim").claimed;
    assert_eq!(claimed.map(|c| c.task.id), Some(task.id));
    let row = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "nodes", "list"],
        None,
    )
    .stdout;
    assert!(!row.contains("paused"), "{row}");
}

/// A reason is one line of text in a terminal: control characters never reach it.
#[tokio::test]
async fn a_pause_reason_is_kept_to_one_clean_line() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "laptop", &[], caps(4096, 0), true).await;
    let long = format!("hot\u{1b}[2J\nnow {}", "x".repeat(500));
    node.heartbeat(&beat(true, Some(&long), &[]))
        .await
        .expect("heartbeat");
    let reason = admin.node(&node_id).await.unwrap().host.unwrap().reason;
    let reason = reason.expect("a reason");
    assert!(!reason.chars().any(char::is_control), "{reason:?}");
    assert!(reason.starts_with("hot [2J now x"), "{reason:?}");
    assert!(reason.chars().count() <= 120, "{reason:?}");
}

/// `edgecoder server ARGS` against the coordinator, as the admin.
fn server(sb: &Sandbox, coord: &Coordinator, args: &[&str]) -> Out {
    let mut all = vec!["server"];
    all.extend_from_slice(args);
    cli_with(server_cmd(sb, &coord.url), &all, None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drain_deadline_hands_running_work_back_and_wait_returns_when_the_node_stopped() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "box", &[], caps(4096, 0), true).await;
    let alive = Heartbeat::start(&node);
    let mut req = SubmitRequest::argv(vec!["sleep".into(), "600".into()]);
    req.max_attempts = Some(1);
    let task = admin.submit(&req).await.expect("submit").task;
    let claimed = claim_now(&node).await.expect("offered");
    alive.running.lock().unwrap().push(task.id.clone());
    node.start(&task.id, &claimed.lease.lease_id)
        .await
        .expect("start");

    let waiting = {
        let c = server_cmd(&sb, &coord.url);
        let id = node_id.clone();
        std::thread::spawn(move || {
            let args = [
                "server",
                "nodes",
                "drain",
                &id,
                "--deadline",
                "1s",
                "--wait",
                "--json",
            ];
            cli_with(c, &args, None)
        })
    };

    // At the deadline the task goes back to the queue, uncounted; the node is told to stop it.
    let requeued = eventually(WITHIN, || async {
        let t = admin.task(&task.id).await.ok()?;
        (t.state == TaskState::Queued).then_some(t)
    })
    .await;
    assert_eq!(
        requeued.max_attempts, 2,
        "the drained attempt is given back"
    );
    assert_eq!(requeued.attempt_history[0].outcome, "drained");
    assert!(
        requeued
            .error
            .as_deref()
            .is_some_and(|e| e.contains("deadline")),
        "{:?}",
        requeued.error
    );
    eventually(WITHIN, || async {
        alive
            .cancelled
            .lock()
            .unwrap()
            .contains(&task.id)
            .then_some(())
    })
    .await;
    assert!(claim_now(&node).await.is_none(), "a draining node claims");
    let shown = admin.node(&node_id).await.unwrap();
    assert!(shown.draining);
    assert_eq!(shown.drain_deadline, None, "the deadline is spent");
    // The node still says it runs the task: --wait goes on waiting until it stops.
    eventually(WITHIN, || async {
        (admin.node(&node_id).await.ok()?.running_tasks == 1).then_some(())
    })
    .await;
    assert!(
        !waiting.is_finished(),
        "--wait returned while the node still ran the task"
    );
    alive.running.lock().unwrap().clear();
    let out = waiting.join().expect("drain --wait");
    assert_eq!(out.code, Some(0), "{out:?}");
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["draining"], true);
    assert_eq!(doc["running_tasks"], 0);
    crate::cli_server::documented().check("server nodes drain ID --wait", &doc);

    // Undrained from the CLI: offered work again.
    let out = server(&sb, &coord, &["nodes", "undrain", &node_id, "--json"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["draining"], false);
    crate::cli_server::documented().check("server nodes undrain ID", &doc);
    let again = claim_now(&node).await.expect("offered again after undrain");
    assert_eq!(again.task.id, task.id);
}

// Multi-threaded: the CLI runs block this test's thread while the node keeps heartbeating.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drain_wait_gives_up_with_124_and_bad_flags_are_usage_errors() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "box", &[], caps(4096, 0), true).await;
    let alive = Heartbeat::start(&node);
    let task = admin
        .submit(&SubmitRequest::argv(vec!["sleep".into(), "600".into()]))
        .await
        .expect("submit")
        .task;
    let claimed = claim_now(&node).await.expect("offered");
    alive.running.lock().unwrap().push(task.id.clone());
    node.start(&task.id, &claimed.lease.lease_id)
        .await
        .expect("start");

    let out = server(
        &sb,
        &coord,
        &["nodes", "drain", &node_id, "--deadline", "soon"],
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("--deadline \"soon\""), "{out:?}");
    let out = server(
        &sb,
        &coord,
        &["nodes", "drain", &node_id, "--timeout", "1s"],
    );
    assert_eq!(out.code, Some(2), "--timeout needs --wait: {out:?}");
    assert!(
        !admin.node(&node_id).await.unwrap().draining,
        "refused, changed nothing"
    );

    // No deadline: the task runs on, so waiting gives up.
    let out = server(
        &sb,
        &coord,
        &["nodes", "drain", &node_id, "--wait", "--timeout", "1s"],
    );
    assert_eq!(out.code, Some(124), "{out:?}");
    assert!(out.stderr.contains("gave up waiting"), "{out:?}");
    assert_eq!(
        admin.task(&task.id).await.unwrap().state,
        TaskState::Running
    );

    let out = server(&sb, &coord, &["nodes", "undrain", "no-such-node"]);
    assert_eq!(out.code, Some(4), "{out:?}");
}

/// With a real agent: the drain deadline stops its running task through the heartbeat, the
/// task runs again after `undrain`, and `drain --wait` returns once the agent runs nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_agent_stops_its_task_at_the_drain_deadline() {
    let csb = Sandbox::new();
    let coord = crate::worker_common::fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let n = start_node(&coord, "worker", &[("MAX_CONCURRENT_TASKS", "1")]).await;
    let marker = csb.path().join("runs");
    let script = format!("echo run >> {}; sleep 3; echo finished", marker.display());
    let id = submit(&admin, &sh(&script)).await;
    wait_running(&admin, &id, WITHIN).await;

    let out = server(
        &csb,
        &coord,
        &[
            "nodes",
            "drain",
            &n.id,
            "--deadline",
            "1s",
            "--wait",
            "--timeout",
            "20s",
        ],
    );
    assert_eq!(out.code, Some(0), "{out:?}\nagent:\n{}", n.agent.log());
    let node = admin.node(&n.id).await.unwrap();
    assert_eq!(node.running_tasks, 0, "{node:?}");
    let task = admin.task(&id).await.unwrap();
    assert_eq!(task.state, TaskState::Queued, "{task:?}");
    assert_eq!(task.attempt_history[0].outcome, "drained");

    let out = server(&csb, &coord, &["nodes", "undrain", &n.id]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("offered work again"), "{out:?}");
    let done = crate::worker_common::wait_done(&admin, &id, Duration::from_secs(30)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert_eq!(
        std::fs::read_to_string(&marker).unwrap_or_default(),
        "run\nrun\n",
        "ran twice: stopped at the deadline, then again"
    );
    assert_eq!(
        crate::worker_common::full_log(&admin, &id).await,
        "finished\n"
    );
}
