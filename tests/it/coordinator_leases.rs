//! The lease rules of issue 2 against a real coordinator with short intervals: accept window,
//! lost nodes, stale and foreign completions, retries, cancellation, log offsets, idempotency.

use crate::common::*;
use edgecoder::api::*;
use std::time::{Duration, Instant};

const WITHIN: Duration = Duration::from_secs(10);

async fn submit(admin: &edgecoder::api::client::Client, req: SubmitRequest) -> TaskInfo {
    let r = admin.submit(&req).await.expect("submit");
    assert!(r.created);
    r.task
}

fn echo() -> SubmitRequest {
    SubmitRequest::argv(vec!["echo".into(), "hi".into()])
}

#[tokio::test]
async fn claimed_but_never_started_is_requeued_after_the_accept_window_uncounted() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "slow-starter", &[], caps(4096, 0), true).await;
    let _alive = Heartbeat::start(&node);
    let task = submit(&admin, echo()).await;

    let before_claim = Instant::now();
    let claimed = claim_now(&node).await.expect("offered");
    assert_eq!(claimed.task.id, task.id);
    assert_eq!(claimed.lease.attempt, 1);
    let accept_by_ms = claimed.lease.accept_by - claimed.task.updated_at;
    assert!(
        (400..=600).contains(&accept_by_ms),
        "accept window should be ~500 ms, is {accept_by_ms} ms"
    );

    // The node keeps heartbeating but never calls start: the task goes back to the queue.
    let requeued = eventually(WITHIN, || async {
        let t = admin.task(&task.id).await.ok()?;
        (t.state == TaskState::Queued).then_some(t)
    })
    .await;
    let waited = before_claim.elapsed();
    assert!(
        waited >= Duration::from_millis(450),
        "requeued after {waited:?}, before the 500 ms accept window"
    );
    assert_eq!(
        requeued.attempts, 0,
        "an attempt never started is not counted"
    );
    assert!(requeued.attempt_history.is_empty());
    assert_eq!(requeued.node_id, None);

    // The late start is refused and changes nothing.
    assert_api_error(
        node.start(&task.id, &claimed.lease.lease_id).await,
        409,
        "stale_lease",
    );
    assert_eq!(admin.task(&task.id).await.unwrap().state, TaskState::Queued);

    // Offered again at once (no backoff for an attempt that never began), as attempt 1.
    let again = claim_now(&node).await.expect("offered again");
    assert_eq!(again.task.id, task.id);
    assert_eq!(again.lease.attempt, 1);
    assert_ne!(again.lease.lease_id, claimed.lease.lease_id);
}

#[tokio::test]
async fn lost_node_requeues_with_backoff_and_stale_or_foreign_completions_change_nothing() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (a, a_id) = enroll_as(&admin, "node-a", &[], caps(4096, 0), true).await;
    let (b, b_id) = enroll_as(&admin, "node-b", &[], caps(4096, 0), true).await;
    let (c, _) = enroll_as(&admin, "node-c", &[], caps(4096, 0), true).await;
    let _b_alive = Heartbeat::start(&b);
    let _c_alive = Heartbeat::start(&c);
    let task = submit(&admin, echo()).await;

    // A claims and starts, heartbeats once more, then goes silent.
    a.heartbeat(&HeartbeatRequest::default()).await.unwrap();
    let claimed = claim_now(&a).await.expect("offered to a");
    let t0 = Instant::now();
    a.heartbeat(&HeartbeatRequest {
        load: None,
        running: vec![task.id.clone()],
        host: None,
    })
    .await
    .unwrap();
    let started = a.start(&task.id, &claimed.lease.lease_id).await.unwrap();
    assert_eq!(started.state, TaskState::Running);

    let requeued = eventually(WITHIN, || async {
        let t = admin.task(&task.id).await.ok()?;
        (t.state == TaskState::Queued).then_some(t)
    })
    .await;
    let seen_at = Instant::now();
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_millis(850),
        "requeued after {waited:?}, before 3 heartbeat intervals (900 ms) of silence"
    );
    assert_eq!(
        requeued.attempts, 1,
        "a started attempt that was lost counts"
    );
    assert_eq!(requeued.attempt_history.len(), 1);
    assert_eq!(requeued.attempt_history[0].outcome, "lost");
    assert_eq!(requeued.attempt_history[0].node_id, a_id);
    assert!(
        requeued.error.as_deref().is_some_and(|e| e.contains(&a_id)),
        "the error names the lost node: {:?}",
        requeued.error
    );
    let node_a = admin.node(&a_id).await.unwrap();
    assert!(!node_a.online, "a silent node is marked offline");

    // Backoff: not offered at once, then offered to B as attempt 2.
    assert!(
        claim_now(&b).await.is_none(),
        "a lost attempt is retried after a backoff, not at once"
    );
    let offered = b
        .claim(Duration::from_secs(3))
        .await
        .unwrap()
        .claimed
        .expect("offered to b after the backoff");
    let backoff = seen_at.elapsed();
    assert!(
        backoff >= Duration::from_millis(700),
        "offered again after only {backoff:?} (backoff is 1 s)"
    );
    assert_eq!(offered.task.id, task.id);
    assert_eq!(offered.lease.attempt, 2);
    assert_eq!(offered.task.node_id.as_deref(), Some(b_id.as_str()));
    b.start(&task.id, &offered.lease.lease_id).await.unwrap();

    // A comes back: its heartbeat tells it to drop the task, and its old lease is stale.
    let hb = a
        .heartbeat(&HeartbeatRequest {
            load: None,
            running: vec![task.id.clone()],
            host: None,
        })
        .await
        .unwrap();
    assert_eq!(hb.cancel, vec![task.id.clone()]);
    let before = admin.task(&task.id).await.unwrap();
    assert_api_error(
        a.complete(
            &task.id,
            &complete_req(&claimed.lease.lease_id, Outcome::Succeeded, None),
        )
        .await,
        409,
        "stale_lease",
    );
    assert_api_error(
        a.upload_log(
            &task.id,
            &LogUpload {
                lease_id: claimed.lease.lease_id.clone(),
                offset: 0,
                stream: "stdout".into(),
                data: "late\n".into(),
            },
        )
        .await,
        409,
        "stale_lease",
    );
    // C presents B's live lease: not its own.
    assert_api_error(
        c.complete(
            &task.id,
            &complete_req(&offered.lease.lease_id, Outcome::Failed, Some("not mine")),
        )
        .await,
        409,
        "not_your_lease",
    );
    let after = admin.task(&task.id).await.unwrap();
    assert_eq!(after.state, TaskState::Running);
    assert_eq!(after.node_id.as_deref(), Some(b_id.as_str()));
    assert_eq!(after.attempts, before.attempts);
    assert_eq!(after.updated_at, before.updated_at);
    assert_eq!(after.attempt_history.len(), 2);
    assert_eq!(after.attempt_history[1].outcome, "running");
    assert!(admin.logs(&task.id, 0).await.unwrap().chunks.is_empty());

    // B completes, once.
    let done = b
        .complete(
            &task.id,
            &complete_req(&offered.lease.lease_id, Outcome::Succeeded, None),
        )
        .await
        .unwrap();
    assert_eq!(done.task.state, TaskState::Succeeded);
    assert_api_error(
        b.complete(
            &task.id,
            &complete_req(&offered.lease.lease_id, Outcome::Failed, Some("again")),
        )
        .await,
        409,
        "stale_lease",
    );
    let last = admin.task(&task.id).await.unwrap();
    assert_eq!(last.state, TaskState::Succeeded);
    assert_eq!(last.exit_code, Some(0));
    assert_eq!(last.error, None);
    assert_eq!(last.finished_at, done.task.finished_at);
    assert_eq!(last.attempt_history[1].outcome, "succeeded");
}

#[tokio::test]
async fn failed_attempts_retry_until_max_attempts_then_fail_with_the_last_error() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "flaky", &[], caps(4096, 0), true).await;
    let _alive = Heartbeat::start(&node);
    let mut req = echo();
    req.max_attempts = Some(2);
    let task = submit(&admin, req).await;
    assert_eq!(task.max_attempts, 2);

    let first = claim_now(&node).await.expect("attempt 1");
    node.start(&task.id, &first.lease.lease_id).await.unwrap();
    let r = node
        .complete(
            &task.id,
            &complete_req(&first.lease.lease_id, Outcome::Failed, Some("boom 1")),
        )
        .await
        .unwrap();
    assert_eq!(r.task.state, TaskState::Queued, "attempts are left");
    assert_eq!(r.task.attempts, 1);

    let second = node
        .claim(Duration::from_secs(3))
        .await
        .unwrap()
        .claimed
        .expect("attempt 2 after the backoff");
    assert_eq!(second.task.id, task.id);
    assert_eq!(second.lease.attempt, 2);
    node.start(&task.id, &second.lease.lease_id).await.unwrap();
    let r = node
        .complete(
            &task.id,
            &complete_req(&second.lease.lease_id, Outcome::Failed, Some("boom 2")),
        )
        .await
        .unwrap();
    assert_eq!(r.task.state, TaskState::Failed, "no attempts left");
    assert_eq!(r.task.error.as_deref(), Some("boom 2"));
    assert_eq!(r.task.attempts, 2);

    let shown = admin.task(&task.id).await.unwrap();
    assert_eq!(shown.state, TaskState::Failed);
    assert_eq!(shown.error.as_deref(), Some("boom 2"));
    let outcomes: Vec<_> = shown
        .attempt_history
        .iter()
        .map(|a| (a.number, a.outcome.as_str(), a.error.as_deref()))
        .collect();
    assert_eq!(
        outcomes,
        vec![(1, "failed", Some("boom 1")), (2, "failed", Some("boom 2"))]
    );
    // Never offered a third time.
    assert!(
        node.claim(Duration::from_millis(1500))
            .await
            .unwrap()
            .claimed
            .is_none()
    );
}

#[tokio::test]
async fn cancelling_queued_running_and_finished_tasks() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "runner", &[], caps(4096, 0), true).await;
    let alive = Heartbeat::start(&node);

    // Queued: cancelled at once and never offered.
    let queued = submit(&admin, echo()).await;
    let c = admin.cancel(&queued.id).await.unwrap();
    assert_eq!(c.state, TaskState::Cancelled);
    assert!(c.finished_at.is_some());
    assert!(claim_now(&node).await.is_none());

    // Running: the agent is told in its heartbeat and in its log upload answer.
    let running = submit(&admin, echo()).await;
    let claimed = claim_now(&node).await.expect("offered");
    assert_eq!(claimed.task.id, running.id);
    let lease = claimed.lease.lease_id.clone();
    node.start(&running.id, &lease).await.unwrap();
    alive.running.lock().unwrap().push(running.id.clone());
    let up = node
        .upload_log(
            &running.id,
            &LogUpload {
                lease_id: lease.clone(),
                offset: 0,
                stream: "stdout".into(),
                data: "working\n".into(),
            },
        )
        .await
        .unwrap();
    assert!(!up.cancel);
    assert!(alive.cancelled.lock().unwrap().is_empty());

    let c = admin.cancel(&running.id).await.unwrap();
    assert_eq!(
        c.state,
        TaskState::Running,
        "the agent has to stop it first"
    );
    assert!(c.cancel_requested);
    let t_cancel = Instant::now();
    eventually(WITHIN, || async {
        alive
            .cancelled
            .lock()
            .unwrap()
            .contains(&running.id)
            .then_some(())
    })
    .await;
    assert!(
        t_cancel.elapsed() < Duration::from_secs(2),
        "cancellation took {:?} to reach the agent",
        t_cancel.elapsed()
    );
    let up = node
        .upload_log(
            &running.id,
            &LogUpload {
                lease_id: lease.clone(),
                offset: 8,
                stream: "stdout".into(),
                data: "stopping\n".into(),
            },
        )
        .await
        .unwrap();
    assert!(up.cancel, "the log upload answer carries the cancellation");
    let done = node
        .complete(
            &running.id,
            &complete_req(&lease, Outcome::Cancelled, Some("cancelled")),
        )
        .await
        .unwrap();
    assert_eq!(done.task.state, TaskState::Cancelled);

    // Finished: nothing to cancel.
    assert_api_error(admin.cancel(&running.id).await, 409, "already_finished");
    assert_api_error(admin.cancel(&queued.id).await, 409, "already_finished");
}

#[tokio::test]
async fn a_cancelled_task_that_was_never_started_does_not_go_back_to_the_queue() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "claimer", &[], caps(4096, 0), true).await;
    let _alive = Heartbeat::start(&node);
    let task = submit(&admin, echo()).await;
    let claimed = claim_now(&node).await.expect("offered");
    assert_eq!(claimed.task.id, task.id);

    let c = admin.cancel(&task.id).await.unwrap();
    assert!(c.cancel_requested);
    // The claim answer is never acted on; when the accept window ends the task must end
    // cancelled, not be offered again.
    let ended = eventually(WITHIN, || async {
        let t = admin.task(&task.id).await.ok()?;
        (t.state != TaskState::Leased).then_some(t)
    })
    .await;
    assert_eq!(ended.state, TaskState::Cancelled, "{ended:?}");
    assert!(ended.finished_at.is_some());
    assert!(
        claim_now(&node).await.is_none(),
        "a cancelled task is offered"
    );
}

#[tokio::test]
async fn log_upload_by_offset_ignores_resends_and_refuses_gaps() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "logger", &[], caps(4096, 0), true).await;
    let _alive = Heartbeat::start(&node);
    let task = submit(&admin, echo()).await;
    let claimed = claim_now(&node).await.expect("offered");
    let lease = claimed.lease.lease_id.clone();
    node.start(&task.id, &lease).await.unwrap();
    let up = |offset: u64, data: &str| LogUpload {
        lease_id: lease.clone(),
        offset,
        stream: "stdout".into(),
        data: data.into(),
    };

    assert_eq!(
        node.upload_log(&task.id, &up(0, "héllo\n"))
            .await
            .unwrap()
            .next_offset,
        7,
        "offsets count bytes"
    );
    // The same chunk again (the answer was lost): not duplicated.
    assert_eq!(
        node.upload_log(&task.id, &up(0, "héllo\n"))
            .await
            .unwrap()
            .next_offset,
        7
    );
    // A gap is refused and tells where to resume.
    let gap = node.upload_log(&task.id, &up(20, "lost?\n")).await;
    assert_api_error(gap, 409, "log_gap");
    assert_eq!(
        node.upload_log(&task.id, &up(7, "world\n"))
            .await
            .unwrap()
            .next_offset,
        13
    );
    // A resend of an older chunk after newer ones changes nothing either.
    assert_eq!(
        node.upload_log(&task.id, &up(0, "héllo\n"))
            .await
            .unwrap()
            .next_offset,
        13
    );
    let logs = admin.logs(&task.id, 0).await.unwrap();
    let text: String = logs.chunks.iter().map(|c| c.data.as_str()).collect();
    assert_eq!(text, "héllo\nworld\n");
    assert_eq!(logs.chunks.len(), 2);
    assert_eq!(logs.next_offset, 13);
}

#[tokio::test]
async fn idempotency_key_returns_the_same_task_with_created_false() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let mut req = echo();
    req.idempotency_key = Some("build-42".into());
    let http = http();
    let url = format!("{}/api/v1/tasks", coord.url);

    let first = send(http.post(&url).bearer_auth(ADMIN_TOKEN).json(&req)).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let first: SubmitResponse = serde_json::from_str(&first.text).unwrap();
    assert!(first.created);

    let second = send(http.post(&url).bearer_auth(ADMIN_TOKEN).json(&req)).await;
    assert_eq!(second.status, 200, "{}", second.text);
    let second: SubmitResponse = serde_json::from_str(&second.text).unwrap();
    assert!(!second.created);
    assert_eq!(second.task.id, first.task.id);
    assert_eq!(second.task.created_at, first.task.created_at);
    assert_eq!(admin.tasks("").await.unwrap().tasks.len(), 1);

    // The key belongs to its submitter: another token's submission is its own task.
    let user = admin
        .create_token(&TokenCreateRequest {
            role: Some(Role::User),
            ..Default::default()
        })
        .await
        .unwrap();
    let other = coord.client(&user.token).submit(&req).await.unwrap();
    assert!(other.created);
    assert_ne!(other.task.id, first.task.id);
    assert_eq!(admin.tasks("").await.unwrap().tasks.len(), 2);
}

/// A node that restarted and lost its task keeps heartbeating but no longer reports the task: the
/// lease is not extended, so the task goes back to the queue once it runs out (not at its
/// deadline an hour later), while a task the node does report stays leased to it.
#[tokio::test]
async fn heartbeats_keep_only_the_leases_of_tasks_the_node_reports() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "forgetful", &[], caps(4096, 0), true).await;
    let alive = Heartbeat::start(&node);
    let kept = submit(&admin, echo()).await;
    let forgotten = submit(&admin, echo()).await;
    for _ in 0..2 {
        let claimed = claim_now(&node).await.expect("offered");
        node.start(&claimed.task.id, &claimed.lease.lease_id)
            .await
            .expect("start");
    }
    if let Ok(mut running) = alive.running.lock() {
        running.push(kept.id.clone());
    }

    let requeued = eventually(WITHIN, || async {
        let t = admin.task(&forgotten.id).await.ok()?;
        (t.state == TaskState::Queued).then_some(t)
    })
    .await;
    assert_eq!(requeued.attempt_history[0].outcome, "lost");
    // Several lease lifetimes later the reported task is still running on the node.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        admin.task(&kept.id).await.unwrap().state,
        TaskState::Running
    );
}
