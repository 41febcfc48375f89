//! The control plane of issue 5 against the real binary: node approvals with who and when, and
//! the blacklist (by node and by address) refusing nodes at once and taking their work back.

use crate::common::*;
use crate::control_common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::Duration;

#[tokio::test]
async fn approve_and_reject_record_who_and_when() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let admin_id = admin.whoami().await.unwrap().token_id;
    let alice = token(&admin, Role::Owner, "alice").await;
    let alice_id = alice.whoami().await.unwrap().token_id;

    let (_, waiting) = enroll_as(&admin, "waiting", &[], caps(4096, 0), false).await;
    let (_, doubtful) = enroll_as(&admin, "doubtful", &[], caps(4096, 0), false).await;
    let (_, auto) = enroll_as(&admin, "auto", &[], caps(4096, 0), true).await;

    // The pending list holds the two undecided nodes, with no decision recorded yet.
    let pending = admin.nodes_in_state("pending").await.expect("pending list");
    let mut ids: Vec<_> = pending.nodes.iter().map(|n| n.id.clone()).collect();
    ids.sort();
    let mut expected = vec![waiting.clone(), doubtful.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(pending.nodes.iter().all(|n| n.decided_by.is_none()
        && n.decided_at.is_none()
        && n.state == NodeState::Pending));

    let before = now_ms();
    let approved = alice.node_action(&waiting, "approve").await.unwrap();
    let rejected = admin.node_action(&doubtful, "reject").await.unwrap();
    let after = now_ms();
    assert_eq!(approved.state, NodeState::Approved);
    assert_eq!(approved.decided_by.as_deref(), Some(alice_id.as_str()));
    assert_eq!(approved.decided_by_name.as_deref(), Some("alice"));
    let at = approved.decided_at.expect("approval time");
    assert!(
        (before..=after).contains(&at),
        "{before} <= {at} <= {after}"
    );
    assert_eq!(rejected.state, NodeState::Rejected);
    assert_eq!(rejected.decided_by.as_deref(), Some(admin_id.as_str()));

    // Shown in node details, and kept (read back from the store, not the answer).
    let shown = admin.node(&waiting).await.unwrap();
    assert_eq!(shown.decided_by.as_deref(), Some(alice_id.as_str()));
    assert_eq!(shown.decided_at, Some(at));
    assert!(
        admin
            .nodes_in_state("pending")
            .await
            .unwrap()
            .nodes
            .is_empty()
    );

    // A node its enrollment token approved names that token.
    let auto_node = admin.node(&auto).await.unwrap();
    assert_eq!(auto_node.state, NodeState::Approved);
    let by = auto_node.decided_by.expect("auto-approval recorded");
    assert!(by.starts_with("tok"), "{by}");
    assert!(auto_node.decided_at.is_some());

    // The audit log has both decisions, with the state before and after.
    let audit = audit_actions(&admin).await;
    let approve = audit
        .iter()
        .find(|e| e.action == "node.approve")
        .expect("approval audited");
    assert_eq!(approve.actor, alice_id);
    assert_eq!(approve.actor_name, "alice");
    assert_eq!(approve.target, waiting);
    assert_eq!(approve.at, at);
    assert_eq!(approve.before.as_ref().unwrap()["state"], "pending");
    assert_eq!(approve.after.as_ref().unwrap()["state"], "approved");
    let reject = audit
        .iter()
        .find(|e| e.action == "node.reject")
        .expect("rejection audited");
    assert_eq!(reject.actor, admin_id);
    assert_eq!(reject.target, doubtful);
}

#[tokio::test]
async fn blacklisting_a_node_refuses_it_at_once_and_requeues_its_running_task() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (bad, bad_id) = enroll_as(&admin, "bad", &[], caps(4096, 0), true).await;
    let (good, _) = enroll_as(&admin, "good", &[], caps(4096, 0), true).await;
    let _good_alive = Heartbeat::start(&good);
    let mut req = echo();
    req.max_attempts = Some(1);
    let task = submit(&admin, req).await;

    bad.heartbeat(&HeartbeatRequest::default()).await.unwrap();
    let claimed = claim_now(&bad).await.expect("offered to bad");
    bad.start(&task.id, &claimed.lease.lease_id).await.unwrap();
    assert_eq!(
        admin.task(&task.id).await.unwrap().state,
        TaskState::Running
    );

    let change = admin
        .blacklist_add(&BlacklistAdd {
            node_id: Some("bad".into()),
            address: None,
            reason: "mined crypto in a build".into(),
        })
        .await
        .expect("blacklist add");
    assert_eq!(change.entry.node_id.as_deref(), Some(bad_id.as_str()));
    assert_eq!(change.nodes, vec![bad_id.clone()]);
    assert_eq!(change.requeued, vec![task.id.clone()]);

    // At once, not after a lease expiry: the task is queued again, and the attempt on the
    // blacklisted node does not use up its only attempt.
    let back = admin.task(&task.id).await.unwrap();
    assert_eq!(back.state, TaskState::Queued);
    assert_eq!(back.node_id, None);
    assert_eq!(back.attempt_history.len(), 1);
    assert_eq!(back.attempt_history[0].outcome, "blacklisted");
    assert_eq!(back.attempt_history[0].node_id, bad_id);
    assert_eq!(back.max_attempts, 2, "one more attempt makes up for it");

    // Heartbeats and claims are refused at once, with a code that says why.
    assert_api_error(
        bad.heartbeat(&HeartbeatRequest {
            load: None,
            running: vec![task.id.clone()],
            host: None,
        })
        .await,
        403,
        "node_blacklisted",
    );
    assert_api_error(bad.claim(Duration::ZERO).await, 403, "node_blacklisted");
    // Its late result changes nothing.
    assert_api_error(
        bad.complete(
            &task.id,
            &complete_req(&claimed.lease.lease_id, Outcome::Succeeded, None),
        )
        .await,
        409,
        "stale_lease",
    );
    assert!(admin.node(&bad_id).await.unwrap().blacklisted);

    // Another node gets it at once (no retry backoff) and finishes it.
    let again = claim_now(&good).await.expect("offered to good at once");
    assert_eq!(again.task.id, task.id);
    assert_eq!(again.lease.attempt, 2);
    good.start(&task.id, &again.lease.lease_id).await.unwrap();
    let done = good
        .complete(
            &task.id,
            &complete_req(&again.lease.lease_id, Outcome::Succeeded, None),
        )
        .await
        .unwrap();
    assert_eq!(done.task.state, TaskState::Succeeded);

    // Listed with its reason; removing it lets the node back.
    let list = admin.blacklist().await.unwrap();
    assert_eq!(list.entries.len(), 1);
    assert_eq!(list.entries[0].reason, "mined crypto in a build");
    assert_eq!(list.entries[0].nodes, vec![bad_id.clone()]);
    let removed = admin.blacklist_remove(&change.entry.id).await.unwrap();
    assert_eq!(removed.nodes, vec![bad_id.clone()]);
    assert!(!admin.node(&bad_id).await.unwrap().blacklisted);
    bad.heartbeat(&HeartbeatRequest::default())
        .await
        .expect("heartbeats accepted again");
    assert!(admin.blacklist().await.unwrap().entries.is_empty());
    assert_api_error(
        admin.blacklist_remove(&change.entry.id).await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn a_long_poll_in_progress_is_refused_when_its_node_is_blacklisted() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (bad, bad_id) = enroll_as(&admin, "bad", &[], caps(4096, 0), true).await;
    // Waiting on the coordinator before the blacklist: a claim that arrived after it would be
    // refused at its first look, and the long-poll would go untested.
    let polling = start_waiting_claim(&admin, bad, &bad_id, Duration::from_secs(3)).await;
    let blacklisted_at = std::time::Instant::now();
    admin
        .blacklist_add(&BlacklistAdd {
            node_id: Some("bad".into()),
            address: None,
            reason: "r".into(),
        })
        .await
        .unwrap();
    // Work queued now must not reach it through the claim already waiting.
    let task = submit(&admin, echo()).await;
    let answer = polling.await.unwrap();
    // Woken by the change (the claim looks again at least every second), not at its 3 s end.
    assert!(
        blacklisted_at.elapsed() < Duration::from_millis(2500),
        "the claim answered only after {:?}",
        blacklisted_at.elapsed()
    );
    assert_api_error(answer, 403, "node_blacklisted");
    assert_eq!(admin.task(&task.id).await.unwrap().state, TaskState::Queued);
}

#[tokio::test]
async fn blacklisting_an_address_refuses_its_nodes_and_enrollment() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "here", &[], caps(4096, 0), true).await;
    assert_eq!(
        admin.node(&node_id).await.unwrap().address.as_deref(),
        Some("127.0.0.1")
    );
    let change = admin
        .blacklist_add(&BlacklistAdd {
            node_id: None,
            address: Some("127.0.0.1".into()),
            reason: "scanning the network".into(),
        })
        .await
        .unwrap();
    assert_eq!(change.entry.address.as_deref(), Some("127.0.0.1"));
    assert_eq!(change.nodes, vec![node_id.clone()]);
    assert!(admin.node(&node_id).await.unwrap().blacklisted);
    assert_api_error(
        node.heartbeat(&HeartbeatRequest::default()).await,
        403,
        "address_blacklisted",
    );
    assert_api_error(node.claim(Duration::ZERO).await, 403, "address_blacklisted");

    // No node may enroll from it, and the refused attempt does not use the token up.
    let enroll = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            uses: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let anon = Client::new(&coord.url, None).unwrap();
    let register = RegisterRequest {
        enrollment_token: enroll.token.clone(),
        name: Some("newcomer".into()),
        labels: Default::default(),
        capabilities: caps(4096, 0),
    };
    assert_api_error(anon.register(&register).await, 403, "address_blacklisted");
    let tokens = admin.tokens().await.unwrap();
    let t = tokens.iter().find(|t| t.id == enroll.info.id).unwrap();
    assert_eq!(t.uses_left, Some(1), "a refused enrollment uses nothing");
    assert_eq!(admin.nodes().await.unwrap().nodes.len(), 1);

    // Removed by the address it names: both work again.
    let removed = admin.blacklist_remove("127.0.0.1").await.unwrap();
    assert_eq!(removed.entry.id, change.entry.id);
    node.heartbeat(&HeartbeatRequest::default())
        .await
        .expect("heartbeat after removal");
    anon.register(&register)
        .await
        .expect("enroll after removal");
}

#[tokio::test]
async fn bad_blacklist_requests_are_refused_and_write_nothing() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (_, node_id) = enroll_as(&admin, "n", &[], caps(4096, 0), true).await;
    let view = store_view(&admin).await;
    let audit_before = audit_actions(&admin).await;

    let add = |node: Option<&str>, address: Option<&str>, reason: &str| BlacklistAdd {
        node_id: node.map(str::to_string),
        address: address.map(str::to_string),
        reason: reason.to_string(),
    };
    assert_api_error(
        admin
            .blacklist_add(&add(Some("nope-no-such-node"), None, "r"))
            .await,
        404,
        "not_found",
    );
    assert_api_error(
        admin
            .blacklist_add(&add(None, Some("300.1.2.3"), "r"))
            .await,
        400,
        "bad_request",
    );
    assert_api_error(
        admin.blacklist_add(&add(Some(&node_id), None, "  ")).await,
        400,
        "bad_request",
    );
    assert_api_error(
        admin
            .blacklist_add(&add(Some(&node_id), Some("10.0.0.1"), "r"))
            .await,
        400,
        "bad_request",
    );
    assert_api_error(
        admin.blacklist_add(&add(None, None, "r")).await,
        400,
        "bad_request",
    );
    assert_api_error(admin.blacklist_remove("bl-none").await, 404, "not_found");

    assert_eq!(store_view(&admin).await, view);
    assert!(admin.blacklist().await.unwrap().entries.is_empty());
    assert!(!admin.node(&node_id).await.unwrap().blacklisted);
    assert_eq!(audit_actions(&admin).await, audit_before);

    // A second entry for the same node is a conflict, and only one entry exists.
    admin
        .blacklist_add(&add(Some(&node_id), None, "first"))
        .await
        .unwrap();
    assert_api_error(
        admin
            .blacklist_add(&add(Some(&node_id), None, "second"))
            .await,
        409,
        "already_blacklisted",
    );
    assert_eq!(admin.blacklist().await.unwrap().entries.len(), 1);
}
