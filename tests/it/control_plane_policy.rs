//! The control plane's policies against the real binary: the network mode (and `local-only`
//! never leaving trusted nodes), admin-only changes, the audit log, and the registration rate
//! limit.

use crate::common::*;
use crate::control_common::*;
use edgecoder::api::*;
use std::time::{Duration, Instant};

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
