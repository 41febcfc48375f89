//! The worker in a fleet: real coordinator and `edgecoder agent` processes, each agent on its own
//! "machine" (a private HOME, config and data dir), enrolled through `edgecoder enroll`.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;
use std::collections::{BTreeMap, HashMap};
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

/// Two agents, one enrolled with an auto-approve token and one approved by an admin afterwards,
/// share 50 tasks: all succeed, both ran some, and every task's log holds its own output.
#[tokio::test]
async fn two_agents_enrolled_by_cli_share_fifty_tasks() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();

    // Agent A: an auto-approve token, a name and a label.
    let a_sb = Sandbox::new();
    let auto = enroll_token(&admin, true, 1).await;
    let out = enroll(
        &a_sb,
        &coord.url,
        &auto,
        &["--name", "alpha", "--label", "zone=a"],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("Enrolled as node"), "{out:?}");
    let a_id = env_value(&a_sb, "AGENT_ID").expect("AGENT_ID");
    assert_eq!(
        env_value(&a_sb, "COORDINATOR_URL").as_deref(),
        Some(coord.url.as_str())
    );
    assert_eq!(
        env_value(&a_sb, "EDGE_RUNTIME_MODE").as_deref(),
        Some("worker")
    );
    let secret = node_secret(&a_sb);
    let mode = std::fs::metadata(credential_path(&a_sb))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "node.secret must be private");
    let env_text = std::fs::read_to_string(a_sb.env_file()).unwrap();
    assert!(
        !env_text.contains(&secret),
        "the secret is not in the env file"
    );
    assert!(!out.text().contains(&secret) && !out.text().contains(&auto));
    let a = admin.node(&a_id).await.unwrap();
    assert_eq!(a.state, NodeState::Approved);
    assert_eq!(a.name, "alpha");
    assert_eq!(a.labels.get("zone").map(String::as_str), Some("a"));

    // Agent B: a token without auto-approve; pending until an admin approves it.
    let b_sb = Sandbox::new();
    let manual = enroll_token(&admin, false, 1).await;
    let out = enroll(&b_sb, &coord.url, &manual, &["--name", "beta"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let b_id = env_value(&b_sb, "AGENT_ID").expect("AGENT_ID");
    assert!(
        out.stdout.contains("approve") && out.stdout.contains(&b_id),
        "enroll says how to get approved: {out:?}"
    );
    assert_eq!(admin.node(&b_id).await.unwrap().state, NodeState::Pending);

    let conc = [("MAX_CONCURRENT_TASKS", "2")];
    let mut agent_a = Agent::start(&a_sb, &conc);
    let mut agent_b = Agent::start(&b_sb, &conc);
    wait_online(&admin, &a_id).await;
    agent_b.wait_for_log("waiting for an admin to approve", Duration::from_secs(15));
    agent_b.wait_for_log("not taking work yet", Duration::from_secs(15));
    // A pending node gets no work.
    let probe = submit(&admin, &sh("echo probe")).await;
    let probe = wait_done(&admin, &probe, Duration::from_secs(20)).await;
    assert_eq!(probe.state, TaskState::Succeeded);
    assert_eq!(probe.node_id.as_deref(), Some(a_id.as_str()));

    admin.node_action(&b_id, "approve").await.unwrap();
    agent_b.wait_for_log("this node was approved", Duration::from_secs(15));
    wait_online(&admin, &b_id).await;

    let started = Instant::now();
    let mut ids = HashMap::new();
    for i in 0..50 {
        let mut req = sh("sleep 0.05; echo \"$X\"");
        req.env.insert("X".into(), format!("value-{i}"));
        ids.insert(submit(&admin, &req).await, i);
    }
    let tasks: Vec<TaskSummary> = eventually(Duration::from_secs(60), || async {
        let list = admin.tasks("limit=100").await.ok()?;
        let ours: Vec<TaskSummary> = list
            .tasks
            .into_iter()
            .filter(|t| ids.contains_key(&t.id))
            .collect();
        (ours.len() == 50 && ours.iter().all(|t| t.state.is_terminal())).then_some(ours)
    })
    .await;
    eprintln!("50 tasks on two agents took {:?}", started.elapsed());

    let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
    for t in &tasks {
        assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
        assert_eq!(t.exit_code, Some(0));
        *per_node
            .entry(t.node_id.clone().expect("node id"))
            .or_default() += 1;
    }
    assert_eq!(
        per_node.keys().cloned().collect::<Vec<_>>(),
        {
            let mut both = vec![a_id.clone(), b_id.clone()];
            both.sort();
            both
        },
        "both nodes ran tasks: {per_node:?}"
    );
    for (id, i) in &ids {
        let log = full_log(&admin, id).await;
        assert_eq!(log, format!("value-{i}\n"), "log of task {i}");
    }
    assert!(agent_a.running() && agent_b.running());
}

/// An agent SIGKILLed mid-task: its lease expires and the task runs again, to success, on the
/// other agent; the attempt history shows the lost attempt.
#[tokio::test]
async fn task_of_a_killed_agent_finishes_on_the_other() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let one = [("MAX_CONCURRENT_TASKS", "1")];
    let mut nodes = [
        start_node(&coord, "one", &one).await,
        start_node(&coord, "two", &one).await,
    ];

    let mut req = sh("sleep 3; echo finished");
    req.max_attempts = Some(3);
    let id = submit(&admin, &req).await;
    let running = wait_running(&admin, &id, Duration::from_secs(15)).await;
    let victim_id = running.node_id.clone().expect("node");
    let victim = nodes.iter().position(|n| n.id == victim_id).unwrap();
    let survivor_id = nodes[1 - victim].id.clone();

    nodes[victim].agent.signal(libc::SIGKILL);
    nodes[victim].agent.wait_exit(Duration::from_secs(5));

    let done = wait_done(&admin, &id, Duration::from_secs(30)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert_eq!(done.node_id.as_deref(), Some(survivor_id.as_str()));
    let history = &done.attempt_history;
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].node_id, victim_id);
    assert_eq!(history[0].outcome, "lost", "{history:?}");
    assert_eq!(history[1].node_id, survivor_id);
    assert_eq!(history[1].outcome, "succeeded");
    assert_eq!(full_log(&admin, &id).await, "finished\n");
    let victim_node = admin.node(&victim_id).await.unwrap();
    assert!(!victim_node.online, "the killed node is offline");
}

/// The first SIGTERM drains: the running task finishes and succeeds (the agent keeps
/// heartbeating, so its lease holds), nothing new is claimed, and the agent exits 0.
#[tokio::test]
async fn first_sigterm_drains() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let mut node = start_node(&coord, "drainer", &[("MAX_CONCURRENT_TASKS", "2")]).await;

    let first = submit(&admin, &sh("sleep 2; echo drained-ok")).await;
    wait_running(&admin, &first, Duration::from_secs(15)).await;
    node.agent.signal(libc::SIGTERM);
    node.agent.wait_for_log(
        "draining: waiting for running tasks",
        Duration::from_secs(5),
    );
    let late = submit(&admin, &sh("echo late")).await;

    let status = node.agent.wait_exit(Duration::from_secs(20));
    assert_eq!(
        status.code(),
        Some(0),
        "a clean drain exits 0:\n{}",
        node.agent.log()
    );

    let t1 = admin.task(&first).await.unwrap();
    assert_eq!(t1.state, TaskState::Succeeded, "{t1:?}");
    assert_eq!(t1.attempt_history.len(), 1, "no retry: {t1:?}");
    assert_eq!(full_log(&admin, &first).await, "drained-ok\n");

    let t2 = admin.task(&late).await.unwrap();
    assert_eq!(t2.state, TaskState::Queued, "{t2:?}");
    assert_eq!(t2.attempts, 0);
    assert!(
        t2.attempt_history.is_empty() && t2.node_id.is_none(),
        "{t2:?}"
    );
}

/// The second SIGTERM cancels: running tasks are stopped (their processes are gone), reported
/// failed with the shutdown message, and go back to the queue while attempts remain.
#[tokio::test]
async fn second_sigterm_cancels_and_requeues() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let mut node = start_node(&coord, "canceller", &[("MAX_CONCURRENT_TASKS", "2")]).await;

    let pid_retry = csb.path().join("retry.pid");
    let pid_last = csb.path().join("last.pid");
    let long = |pidfile: &std::path::Path, attempts: u32| {
        let mut req = script("echo $$ > \"$PIDFILE\"\nexec sleep 60\n");
        req.env
            .insert("PIDFILE".into(), pidfile.display().to_string());
        req.max_attempts = Some(attempts);
        req
    };
    let retry = submit(&admin, &long(&pid_retry, 3)).await;
    let last = submit(&admin, &long(&pid_last, 1)).await;
    wait_running(&admin, &retry, Duration::from_secs(15)).await;
    wait_running(&admin, &last, Duration::from_secs(15)).await;
    let pids = [
        read_pid(&pid_retry, Duration::from_secs(5)),
        read_pid(&pid_last, Duration::from_secs(5)),
    ];

    node.agent.signal(libc::SIGTERM);
    node.agent.wait_for_log(
        "draining: waiting for running tasks",
        Duration::from_secs(5),
    );
    let asked = Instant::now();
    node.agent.signal(libc::SIGTERM);
    let status = node.agent.wait_exit(Duration::from_secs(10));
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "exit took {:?}",
        asked.elapsed()
    );
    assert!(status.code().is_some(), "exited by itself: {status:?}");
    for pid in pids {
        assert!(gone_within(pid, Duration::from_secs(2)), "task pid {pid}");
    }

    let t = admin.task(&retry).await.unwrap();
    assert_eq!(t.state, TaskState::Queued, "back in the queue: {t:?}");
    assert_eq!(t.attempts, 1);
    assert_eq!(t.attempt_history[0].outcome, "failed");
    let why = t.attempt_history[0].error.clone().unwrap_or_default();
    assert!(why.contains("shut down"), "{why}");

    let t = admin.task(&last).await.unwrap();
    assert_eq!(t.state, TaskState::Failed, "no attempts left: {t:?}");
    assert!(
        t.error.as_deref().unwrap_or_default().contains("shut down"),
        "{t:?}"
    );
}

/// The third signal exits at once, even while the second is still waiting for a task that
/// ignores SIGTERM to die.
#[tokio::test]
async fn third_signal_exits_at_once() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let mut node = start_node(&coord, "impatient", &[("MAX_CONCURRENT_TASKS", "1")]).await;

    let pidfile = csb.path().join("stubborn.pid");
    let mut req = script("trap '' TERM\nsleep 30 &\necho $! > \"$PIDFILE\"\nwait $!\n");
    req.env
        .insert("PIDFILE".into(), pidfile.display().to_string());
    let id = submit(&admin, &req).await;
    wait_running(&admin, &id, Duration::from_secs(15)).await;
    let stubborn = read_pid(&pidfile, Duration::from_secs(5));

    node.agent.signal(libc::SIGTERM);
    node.agent.wait_for_log(
        "draining: waiting for running tasks",
        Duration::from_secs(5),
    );
    node.agent.signal(libc::SIGTERM);
    node.agent
        .wait_for_log("second signal", Duration::from_secs(5));
    // The task ignores SIGTERM, so the agent would wait out the kill grace; a third signal
    // does not wait.
    let asked = Instant::now();
    node.agent.signal(libc::SIGTERM);
    let status = node.agent.wait_exit(Duration::from_secs(3));
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "took {:?}",
        asked.elapsed()
    );
    assert_eq!(status.code(), Some(1), "{}", node.agent.log());
    // The agent could not clean up after itself this time; end the orphan we made.
    if process_alive(stubborn) {
        // SAFETY: a process this test started (through the agent), by its pid.
        unsafe { libc::kill(stubborn, libc::SIGKILL) };
    }
}

/// The coordinator restarts (same data dir, same port) under a running agent: the agent keeps
/// running, re-registers (its capabilities come back), says so once rather than every retry,
/// and runs a task submitted after the restart.
#[tokio::test]
async fn agent_survives_a_coordinator_restart() {
    let csb = Sandbox::new();
    let mut coord = fast_coordinator(&csb, "300ms");
    let port = port_of(&coord.url);
    let admin = coord.admin();
    let mut node = start_node(&coord, "steady", &[("MAX_CONCURRENT_TASKS", "1")]).await;
    let before = submit(&admin, &sh("echo before")).await;
    let before = wait_done(&admin, &before, Duration::from_secs(15)).await;
    assert_eq!(before.state, TaskState::Succeeded);

    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(15)), Some(0));
    node.agent
        .wait_for_log("retrying with backoff", Duration::from_secs(10));
    // While it is down, forget what the node reported, so its re-registration is visible.
    {
        let db = csb.db();
        let n = db
            .execute(
                "UPDATE nodes SET capabilities = '{}' WHERE id = ?1",
                [&node.id],
            )
            .expect("update the stored node");
        assert_eq!(n, 1);
    }

    let mut opts = fast_coordinator_options(&csb, "300ms");
    opts.args = vec![
        "--port".into(),
        port.to_string(),
        "--mode".into(),
        "coordinator".into(),
    ];
    let coord = Coordinator::start_with(&csb, opts);
    assert_eq!(coord.url, format!("http://127.0.0.1:{port}"));
    let admin = coord.admin();
    let caps = eventually(Duration::from_secs(20), || async {
        admin
            .node(&node.id)
            .await
            .ok()
            .filter(|n| n.capabilities.cpus > 0)
            .map(|n| n.capabilities)
    })
    .await;
    assert!(caps.memory_total_mib > 0);

    let after = submit(&admin, &sh("echo after-restart")).await;
    let after = wait_done(&admin, &after, Duration::from_secs(30)).await;
    assert_eq!(after.state, TaskState::Succeeded, "{after:?}");
    assert_eq!(after.node_id.as_deref(), Some(node.id.as_str()));
    assert_eq!(full_log(&admin, &after.id).await, "after-restart\n");
    assert!(node.agent.running(), "the agent kept running");

    let log = node.agent.log();
    for what in ["heartbeats failed", "claiming work failed"] {
        assert!(
            log.matches(what).count() <= 1,
            "{what:?} is reported once, not every retry:\n{log}"
        );
    }
}
