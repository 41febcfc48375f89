//! The happy path and the lease rules, against a real coordinator process.

use crate::common::*;
use edgecoder::api::*;
use std::time::Duration;

#[tokio::test]
async fn submit_claim_start_log_complete() {
    let sb = Sandbox::new();
    // Coordinator only: an all-in-one local worker would take the task first.
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, node_id) = enroll_node(&admin, "worker-a").await;

    let submitted = admin
        .submit(&SubmitRequest::argv(vec!["echo".into(), "hi".into()]))
        .await
        .unwrap();
    assert!(submitted.created);
    assert_eq!(submitted.task.state, TaskState::Queued);

    let claimed = node
        .claim(Duration::from_secs(2))
        .await
        .unwrap()
        .claimed
        .expect("a task is offered");
    assert_eq!(claimed.task.id, submitted.task.id);
    assert_eq!(claimed.task.state, TaskState::Leased);
    assert_eq!(claimed.task.node_id.as_deref(), Some(node_id.as_str()));

    let lease = claimed.lease.lease_id.clone();
    let started = node.start(&claimed.task.id, &lease).await.unwrap();
    assert_eq!(started.state, TaskState::Running);

    let up = node
        .upload_log(
            &claimed.task.id,
            &LogUpload {
                lease_id: lease.clone(),
                offset: 0,
                stream: "stdout".into(),
                data: "hi\n".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(up.next_offset, 3);
    assert!(!up.cancel);

    let done = node
        .complete(
            &claimed.task.id,
            &CompleteRequest {
                lease_id: lease,
                outcome: Outcome::Succeeded,
                exit_code: Some(0),
                error: None,
                duration_ms: Some(5),
                cpu_ms: Some(1),
                peak_rss_kib: Some(1000),
                stdout_tail: Some("hi\n".into()),
                stderr_tail: None,
                code: None,
                artifacts: Vec::new(),
                permanent: false,
                inference: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(done.task.state, TaskState::Succeeded);
    assert_eq!(done.task.exit_code, Some(0));

    let shown = admin.task(&submitted.task.id[..6]).await.unwrap();
    assert_eq!(shown.state, TaskState::Succeeded);
    assert_eq!(shown.attempt_history.len(), 1);
    assert_eq!(shown.attempt_history[0].outcome, "succeeded");
    let logs = admin.logs(&submitted.task.id, 0).await.unwrap();
    assert_eq!(logs.chunks.len(), 1);
    assert_eq!(logs.chunks[0].data, "hi\n");
}
