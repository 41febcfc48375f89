//! The control plane of issue 5 against the real binary: approvals with who and when, the
//! blacklist (by node and by address), the network mode, the audit log, and non-admins refused.

mod common;

use common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::{Duration, Instant};

const WITHIN: Duration = Duration::from_secs(10);

async fn token(admin: &Client, role: Role, name: &str) -> Client {
    let created = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(role),
            name: Some(name.to_string()),
            ..Default::default()
        })
        .await
        .expect("token");
    Client::new(admin.base_url(), Some(created.token)).expect("client")
}

async fn submit(admin: &Client, req: SubmitRequest) -> TaskInfo {
    let r = admin.submit(&req).await.expect("submit");
    assert!(r.created);
    r.task
}

fn echo() -> SubmitRequest {
    SubmitRequest::argv(vec!["echo".into(), "hi".into()])
}

fn local_only(priority: i32) -> SubmitRequest {
    let mut r = echo();
    r.placement = Placement::LocalOnly;
    r.priority = priority;
    r
}

async fn audit_actions(admin: &Client) -> Vec<AuditEntry> {
    let mut page = admin.audit(1000, None, None).await.expect("audit");
    page.entries.reverse();
    page.entries
}

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
    let (bad, _) = enroll_as(&admin, "bad", &[], caps(4096, 0), true).await;
    let polling = tokio::spawn(async move { bad.claim(Duration::from_secs(3)).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
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

#[tokio::test]
async fn network_mode_decides_who_takes_work_and_local_only_never_leaves_trusted_nodes() {
    let sb = Sandbox::new();
    let mut coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (stranger, stranger_id) = enroll_as(&admin, "stranger", &[], caps(4096, 0), true).await;
    let (trusted, _) = enroll_as(
        &admin,
        "trusted",
        &[("trusted", "yes")],
        caps(4096, 0),
        true,
    )
    .await;

    let info = admin.network_mode().await.unwrap();
    assert_eq!(info.mode, NetworkMode::PublicMesh, "the default");
    assert_eq!(info.set_by, None);

    // public_mesh: the stranger takes mesh work but never the local-only task ahead of it.
    let private = submit(&admin, local_only(10)).await;
    let mesh = submit(&admin, echo()).await;
    let got = claim_now(&stranger)
        .await
        .expect("mesh task for the stranger");
    assert_eq!(got.task.id, mesh.id);
    assert!(claim_now(&stranger).await.is_none(), "local-only offered");
    assert_eq!(claim_now(&trusted).await.unwrap().task.id, private.id);

    // enterprise_overlay: the stranger takes nothing at all; the trusted node takes anything.
    let set = admin.set_network_mode("enterprise_overlay").await.unwrap();
    assert_eq!(set.mode, NetworkMode::EnterpriseOverlay);
    let private2 = submit(&admin, local_only(10)).await;
    let mesh2 = submit(&admin, echo()).await;
    assert_api_error(stranger.claim(Duration::ZERO).await, 403, "untrusted_node");
    // A node cannot make itself trusted by sending new labels.
    let rereg = stranger
        .reregister(&ReregisterRequest {
            name: None,
            labels: Some([("trusted".to_string(), "yes".to_string())].into()),
            capabilities: caps(4096, 0),
        })
        .await
        .unwrap();
    assert!(!rereg.labels.contains_key("trusted"), "{:?}", rereg.labels);
    assert_api_error(stranger.claim(Duration::ZERO).await, 403, "untrusted_node");
    assert_eq!(claim_now(&trusted).await.unwrap().task.id, private2.id);
    assert_eq!(claim_now(&trusted).await.unwrap().task.id, mesh2.id);
    // The stranger still heartbeats (it is approved, just not trusted).
    stranger
        .heartbeat(&HeartbeatRequest::default())
        .await
        .expect("heartbeat");

    // Durable: a restarted coordinator keeps the mode set at run time.
    drop(coord);
    coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let info = admin.network_mode().await.unwrap();
    assert_eq!(info.mode, NetworkMode::EnterpriseOverlay);
    assert_eq!(info.configured, NetworkMode::PublicMesh);
    assert!(info.set_by.is_some() && info.set_at.is_some());
    let node = admin.node(&stranger_id).await.unwrap();
    assert_eq!(node.state, NodeState::Approved);
}

#[tokio::test]
async fn unknown_mode_and_non_admins_are_refused_and_write_nothing() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let owner = token(&admin, Role::Owner, "owner").await;
    let user = token(&admin, Role::User, "user").await;
    let (_, node_id) = enroll_as(&admin, "n", &[], caps(4096, 0), true).await;
    let audit_before = audit_actions(&admin).await;

    match admin.set_network_mode("mesh").await {
        Err(e) => {
            assert_eq!(e.status(), Some(400));
            assert_eq!(e.code(), Some("unknown_network_mode"));
            let text = e.to_string();
            assert!(
                text.contains("enterprise_overlay") && text.contains("public_mesh"),
                "the message names the valid modes: {text}"
            );
        }
        Ok(v) => panic!("an unknown mode was accepted: {v:?}"),
    }
    for who in [&owner, &user] {
        assert_api_error(
            who.set_network_mode("enterprise_overlay").await,
            403,
            "forbidden",
        );
        assert_api_error(
            who.blacklist_add(&BlacklistAdd {
                node_id: Some(node_id.clone()),
                address: None,
                reason: "r".into(),
            })
            .await,
            403,
            "forbidden",
        );
    }
    assert_api_error(user.audit(10, None, None).await, 403, "forbidden");
    assert_api_error(user.blacklist().await, 403, "forbidden");
    assert!(
        owner.audit(10, None, None).await.is_ok(),
        "owners read the audit log"
    );
    assert_eq!(
        owner.network_mode().await.unwrap().mode,
        NetworkMode::PublicMesh
    );
    assert_eq!(
        user.network_mode().await.unwrap().mode,
        NetworkMode::PublicMesh
    );
    assert!(admin.blacklist().await.unwrap().entries.is_empty());
    assert!(!admin.node(&node_id).await.unwrap().blacklisted);
    // Only the two token creations above are in the log: nothing for the refused requests.
    assert_eq!(audit_actions(&admin).await, audit_before);
}

#[tokio::test]
async fn every_admin_action_is_audited_with_actor_and_before_after() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let admin_id = admin.whoami().await.unwrap().token_id;
    let created = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            name: Some("ci".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    admin.revoke_token(&created.info.id).await.unwrap();
    let (_, node) = enroll_as(&admin, "n", &[], caps(4096, 0), false).await;
    admin.node_action(&node, "approve").await.unwrap();
    admin.node_action(&node, "drain").await.unwrap();
    admin.node_action(&node, "undrain").await.unwrap();
    let bl = admin
        .blacklist_add(&BlacklistAdd {
            node_id: Some(node.clone()),
            address: None,
            reason: "why not".into(),
        })
        .await
        .unwrap();
    admin.blacklist_remove(&bl.entry.id).await.unwrap();
    admin.set_network_mode("enterprise_overlay").await.unwrap();
    // Setting the mode in force changes nothing and is not recorded.
    admin.set_network_mode("enterprise_overlay").await.unwrap();
    admin.node_action(&node, "reject").await.unwrap();
    admin.remove_node(&node).await.unwrap();

    let audit = audit_actions(&admin).await;
    let actions: Vec<(&str, &str)> = audit
        .iter()
        .map(|e| (e.action.as_str(), e.target.as_str()))
        .collect();
    let enroll_token = actions[2].1.to_string();
    assert_eq!(
        actions,
        vec![
            ("token.create", created.info.id.as_str()),
            ("token.revoke", created.info.id.as_str()),
            ("token.create", enroll_token.as_str()),
            ("node.approve", node.as_str()),
            ("node.drain", node.as_str()),
            ("node.undrain", node.as_str()),
            ("blacklist.add", bl.entry.id.as_str()),
            ("blacklist.remove", bl.entry.id.as_str()),
            ("network_mode.set", "network_mode"),
            ("node.reject", node.as_str()),
            ("node.remove", node.as_str()),
        ]
    );
    assert!(audit.iter().all(|e| e.actor == admin_id && e.at > 0));
    let get = |action: &str| audit.iter().find(|e| e.action == action).unwrap();
    assert_eq!(get("token.create").before, None);
    assert_eq!(get("token.create").after.as_ref().unwrap()["name"], "ci");
    assert_eq!(
        get("token.revoke").before.as_ref().unwrap()["revoked_at"],
        serde_json::Value::Null
    );
    assert!(get("token.revoke").after.as_ref().unwrap()["revoked_at"].is_i64());
    assert_eq!(
        get("node.drain").before.as_ref().unwrap()["draining"],
        false
    );
    assert_eq!(get("node.drain").after.as_ref().unwrap()["draining"], true);
    assert_eq!(get("blacklist.add").before, None);
    assert_eq!(
        get("blacklist.add").after.as_ref().unwrap()["entry"]["reason"],
        "why not"
    );
    assert_eq!(get("blacklist.remove").after, None);
    let mode = get("network_mode.set");
    assert_eq!(mode.before.as_ref().unwrap()["mode"], "public_mesh");
    assert_eq!(mode.after.as_ref().unwrap()["mode"], "enterprise_overlay");
    assert_eq!(
        get("node.remove").after.as_ref().unwrap()["state"],
        "removed"
    );

    // Paging: newest first, and `before` continues where a page ended.
    let first = admin.audit(4, None, None).await.unwrap();
    assert_eq!(first.entries.len(), 4);
    assert_eq!(first.entries[0].action, "node.remove");
    let next = admin.audit(100, first.next_before, None).await.unwrap();
    assert_eq!(next.entries.len(), audit.len() - 4);
    assert_eq!(next.next_before, None);
    let only_node = admin.audit(100, None, Some(&node)).await.unwrap();
    assert_eq!(only_node.entries.len(), 5);
}

#[tokio::test]
async fn registration_is_rate_limited_per_address_and_recovers() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_REGISTER_BURST".into(), "3".into()));
    // One token back every 5 s: the burst below is used up long before one returns, however
    // loaded the machine.
    opts.env
        .push(("EDGECODER_REGISTER_PER_MINUTE".into(), "12".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let good = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            uses: Some(5),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let http = http();
    let url = format!("{}/api/v1/nodes/register", coord.url);
    let body = |token: &str| serde_json::json!({"enrollment_token": token, "name": "x"});
    // The burst: three guesses with a wrong token are answered (401), not limited.
    for _ in 0..3 {
        let r = send(http.post(&url).json(&body("ece_wrong"))).await;
        r.assert_error(401, "unknown_enrollment_token");
    }
    // Then the address is limited, the right token included, and nothing is used up.
    let limited = send(http.post(&url).json(&body(&good.token))).await;
    limited.assert_error(429, "rate_limited");
    let retry_after: u64 = limited
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After header");
    assert!((1..=5).contains(&retry_after), "Retry-After {retry_after}");
    let message = limited.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("127.0.0.1") && message.contains("try again"),
        "{message}"
    );
    let tokens = admin.tokens().await.unwrap();
    assert_eq!(
        tokens
            .iter()
            .find(|t| t.id == good.info.id)
            .unwrap()
            .uses_left,
        Some(5)
    );
    // The limit recovers: after Retry-After the same address may enroll.
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    let accepted = eventually(WITHIN, || async {
        let r = send(http.post(&url).json(&body(&good.token))).await;
        (r.status != 429).then_some(r)
    })
    .await;
    assert_eq!(accepted.status, 201, "{}", accepted.text);
    assert!(started.elapsed() >= Duration::from_millis(900));
    // Other routes are not limited.
    for _ in 0..10 {
        admin.nodes().await.expect("node list is not rate limited");
    }
}

#[tokio::test]
async fn the_local_worker_keeps_working_in_enterprise_overlay() {
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let admin = coord.admin();
    admin.set_network_mode("enterprise_overlay").await.unwrap();
    let task = submit(&admin, echo()).await;
    let done = eventually(Duration::from_secs(30), || async {
        let t = admin.task(&task.id).await.ok()?;
        t.state.is_terminal().then_some(t)
    })
    .await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
}
