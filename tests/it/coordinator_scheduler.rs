//! The scheduler of issue 2: priority then age, requirements and placement, and which nodes may
//! claim at all (approved, not draining, not removed).

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::Duration;

async fn submit(admin: &Client, req: SubmitRequest) -> TaskInfo {
    admin.submit(&req).await.expect("submit").task
}

fn task(name: &str) -> SubmitRequest {
    SubmitRequest::argv(vec!["echo".into(), name.into()])
}

fn with_priority(name: &str, priority: i32) -> SubmitRequest {
    let mut r = task(name);
    r.priority = priority;
    r
}

fn with_requirements(name: &str, requirements: Requirements) -> SubmitRequest {
    let mut r = task(name);
    r.requirements = requirements;
    r
}

#[tokio::test]
async fn priority_first_then_age() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "worker", &[], caps(4096, 0), true).await;
    let old_low = submit(&admin, with_priority("old-low", 0)).await;
    let old_high = submit(&admin, with_priority("old-high", 5)).await;
    let new_low = submit(&admin, with_priority("new-low", 0)).await;
    let new_high = submit(&admin, with_priority("new-high", 5)).await;
    let urgent = submit(&admin, with_priority("urgent", 9)).await;
    let negative = submit(&admin, with_priority("later", -3)).await;

    let mut order = Vec::new();
    while let Some(c) = claim_now(&node).await {
        order.push(c.task.id);
    }
    assert_eq!(
        order,
        vec![
            urgent.id,
            old_high.id,
            new_high.id,
            old_low.id,
            new_low.id,
            negative.id
        ]
    );
}

#[tokio::test]
async fn requirements_are_offered_only_to_eligible_nodes() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (small, _) = enroll_as(&admin, "small", &[], caps(4096, 0), true).await;
    let (big, big_id) = enroll_as(
        &admin,
        "big",
        &[("zone", "eu"), ("disk", "ssd")],
        caps(65_536, 2),
        true,
    )
    .await;

    let gpu = submit(
        &admin,
        with_requirements(
            "gpu",
            Requirements {
                gpu: true,
                ..Default::default()
            },
        ),
    )
    .await;
    let memory = submit(
        &admin,
        with_requirements(
            "memory",
            Requirements {
                min_memory_mib: Some(32_768),
                ..Default::default()
            },
        ),
    )
    .await;
    let labelled = submit(
        &admin,
        with_requirements(
            "labels",
            Requirements {
                labels: [("zone".to_string(), "eu".to_string())].into(),
                ..Default::default()
            },
        ),
    )
    .await;
    let wrong_label = submit(
        &admin,
        with_requirements(
            "wrong-label",
            Requirements {
                labels: [("zone".to_string(), "us".to_string())].into(),
                ..Default::default()
            },
        ),
    )
    .await;
    let other_os = submit(
        &admin,
        with_requirements(
            "plan9",
            Requirements {
                os: Some("plan9".into()),
                ..Default::default()
            },
        ),
    )
    .await;
    let this_os = submit(
        &admin,
        with_requirements(
            "this-os",
            Requirements {
                os: Some(std::env::consts::OS.to_uppercase()),
                arch: Some(std::env::consts::ARCH.into()),
                min_memory_mib: Some(1024),
                ..Default::default()
            },
        ),
    )
    .await;

    // The small node is offered only the task it meets.
    let got = claim_now(&small).await.expect("small node gets this-os");
    assert_eq!(got.task.id, this_os.id);
    assert!(
        small
            .claim(Duration::from_millis(300))
            .await
            .unwrap()
            .claimed
            .is_none(),
        "an ineligible node was offered work"
    );

    // The big node gets the rest it is eligible for, oldest first.
    let mut got = Vec::new();
    while let Some(c) = claim_now(&big).await {
        assert_eq!(c.task.node_id.as_deref(), Some(big_id.as_str()));
        got.push(c.task.id);
    }
    assert_eq!(got, vec![gpu.id, memory.id, labelled.id]);

    // Nobody meets these: they wait, and the queue summary says what they need.
    let queued: Vec<_> = admin
        .tasks("state=queued")
        .await
        .unwrap()
        .tasks
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(queued.len(), 2);
    assert!(queued.contains(&wrong_label.id) && queued.contains(&other_os.id));
    let summary = admin.queue().await.unwrap();
    assert_eq!(summary.counts["queued"], 2);
    assert_eq!(summary.counts["leased"], 4);
    assert!(
        summary
            .backlog
            .iter()
            .any(|b| b.requirements.os.as_deref() == Some("plan9") && b.queued == 1),
        "{:?}",
        summary.backlog
    );
}

#[tokio::test]
async fn an_eligible_task_behind_many_ineligible_ones_is_still_offered() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (cpu_only, _) = enroll_as(&admin, "cpu-only", &[], caps(4096, 0), true).await;
    let needs_gpu = Requirements {
        gpu: true,
        ..Default::default()
    };
    for i in 0..100 {
        let mut r = with_requirements(&format!("gpu-{i}"), needs_gpu.clone());
        r.priority = 1;
        submit(&admin, r).await;
    }
    let plain = submit(&admin, task("plain")).await;
    let got = claim_now(&cpu_only)
        .await
        .expect("the plain task is offered despite the GPU backlog ahead of it");
    assert_eq!(got.task.id, plain.id);
}

#[tokio::test]
async fn pending_rejected_and_drained_nodes_get_no_work() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (pending, pending_id) = enroll_as(&admin, "newcomer", &[], caps(4096, 0), false).await;
    let (other, other_id) = enroll_as(&admin, "other", &[], caps(4096, 0), true).await;
    assert_eq!(
        admin.node(&pending_id).await.unwrap().state,
        NodeState::Pending
    );
    let t1 = submit(&admin, task("one")).await;

    // Pending: refused until approved.
    assert_api_error(pending.claim(Duration::ZERO).await, 403, "forbidden");
    assert_eq!(admin.queue().await.unwrap().nodes_pending, 1);
    assert_eq!(
        admin.task(&t1.id).await.unwrap().state,
        TaskState::Queued,
        "a refused claim changes nothing"
    );
    let approved = admin.node_action(&pending_id, "approve").await.unwrap();
    assert_eq!(approved.state, NodeState::Approved);
    let got = claim_now(&pending).await.expect("approved node gets work");
    assert_eq!(got.task.id, t1.id);

    // Drained: nothing offered while another node gets the work; undrained: offered again.
    let drained = admin.node_action(&pending_id, "drain").await.unwrap();
    assert!(drained.draining);
    let t2 = submit(&admin, task("two")).await;
    assert!(
        claim_now(&pending).await.is_none(),
        "a drained node got work"
    );
    let got = claim_now(&other).await.expect("the other node gets it");
    assert_eq!(got.task.id, t2.id);
    let t3 = submit(&admin, task("three")).await;
    assert!(claim_now(&pending).await.is_none());
    admin.node_action(&pending_id, "undrain").await.unwrap();
    assert_eq!(claim_now(&pending).await.unwrap().task.id, t3.id);

    // Rejected (blacklisted): refused, and its leases go back to the queue.
    let rejected = admin.node_action(&other_id, "reject").await.unwrap();
    assert_eq!(rejected.state, NodeState::Rejected);
    submit(&admin, task("four")).await;
    assert_api_error(other.claim(Duration::ZERO).await, 403, "forbidden");
    let back = admin.task(&t2.id).await.unwrap();
    assert_eq!(back.state, TaskState::Queued);
    assert_eq!(back.attempt_history[0].outcome, "lost");
}

#[tokio::test]
async fn a_removed_node_is_refused_and_its_task_requeued() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "doomed", &[], caps(4096, 0), true).await;
    // The credential is cached after first use: removal must still take effect at once.
    node.heartbeat(&HeartbeatRequest::default()).await.unwrap();
    let t = submit(&admin, task("work")).await;
    let claimed = claim_now(&node).await.expect("offered");
    node.start(&t.id, &claimed.lease.lease_id).await.unwrap();

    let removed = admin.remove_node(&node_id).await.unwrap();
    assert_eq!(removed.state, NodeState::Removed);
    assert_api_error(
        node.heartbeat(&HeartbeatRequest::default()).await,
        401,
        "node_removed",
    );
    assert_api_error(node.claim(Duration::ZERO).await, 401, "node_removed");
    assert_api_error(
        node.complete(
            &t.id,
            &complete_req(&claimed.lease.lease_id, Outcome::Succeeded, None),
        )
        .await,
        401,
        "node_removed",
    );
    let back = admin.task(&t.id).await.unwrap();
    assert_eq!(back.state, TaskState::Queued);
    assert_eq!(back.node_id, None);
    assert_eq!(back.attempts, 1);
    assert_eq!(back.attempt_history[0].outcome, "lost");
    assert!(
        admin
            .nodes()
            .await
            .unwrap()
            .nodes
            .iter()
            .all(|n| n.id != node_id),
        "a removed node is not listed"
    );
    // Removing it again: it is gone.
    assert_api_error(admin.remove_node(&node_id).await, 404, "not_found");
}

#[tokio::test]
async fn local_only_tasks_go_only_to_trusted_nodes() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (stranger, _) = enroll_as(&admin, "volunteer", &[], caps(4096, 0), true).await;
    let (zoned, _) = enroll_as(&admin, "zoned", &[("zone", "eu")], caps(4096, 0), true).await;
    let mut trusted = Vec::new();
    for label in ["local", "trusted", "owned"] {
        trusted.push(enroll_as(&admin, label, &[(label, "yes")], caps(4096, 0), true).await);
    }
    for (node, _) in &trusted {
        let mut r = task("private");
        r.placement = Placement::LocalOnly;
        let t = submit(&admin, r).await;
        assert!(
            claim_now(&stranger).await.is_none(),
            "untrusted node got it"
        );
        assert!(claim_now(&zoned).await.is_none(), "untrusted node got it");
        let got = claim_now(node).await.expect("trusted node gets it");
        assert_eq!(got.task.id, t.id);
        assert_eq!(got.task.placement, Placement::LocalOnly);
    }
}
