//! Handing work back and draining nodes (issue 20), against the real coordinator: an agent
//! releases a leased task (fenced, not counted, credits still held), and an owner drains a node
//! with a deadline and waits for it, or undrains it.

use crate::common::*;
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
        .release_task(&task.id, &claimed.lease.lease_id, "owner active")
        .await
        .expect("release");
    assert_eq!(released.state, TaskState::Cancelled);
    assert!(claim_now(&node).await.is_none(), "nothing to run again");
}
