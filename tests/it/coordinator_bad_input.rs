//! Bad input of every kind named in issue 2: each gets the right status and the error envelope,
//! carries a request id, and leaves the store exactly as it was.

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use serde_json::json;
use std::time::Duration;

/// A coordinator with a little of everything in its store: a queued task, a running one, a
/// pending node, an approved node, a user token, an owner token and an unused enrollment token.
struct World {
    _sb: Sandbox,
    coord: Coordinator,
    admin: Client,
    http: reqwest::Client,
    user_token: String,
    owner_token: String,
    enroll_token: String,
    node_secret: String,
    pending_id: String,
    queued: TaskInfo,
    running: TaskInfo,
    lease_id: String,
}

async fn world(opts: CoordinatorOptions) -> World {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let token = |role| TokenCreateRequest {
        role: Some(role),
        ..Default::default()
    };
    let user_token = admin.create_token(&token(Role::User)).await.unwrap().token;
    let owner_token = admin.create_token(&token(Role::Owner)).await.unwrap().token;
    let enroll_token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            uses: Some(3),
            ..Default::default()
        })
        .await
        .unwrap()
        .token;
    let (_, pending_id) = enroll_as(&admin, "pending", &[], caps(4096, 0), false).await;
    let (node, _, node_secret) =
        enroll_with_secret(&admin, "worker", &[], caps(4096, 0), true).await;
    let running = admin
        .submit(&SubmitRequest::argv(vec!["sleep".into(), "5".into()]))
        .await
        .unwrap()
        .task;
    let claimed = claim_now(&node).await.expect("offered");
    node.start(&running.id, &claimed.lease.lease_id)
        .await
        .unwrap();
    let queued = admin
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .unwrap()
        .task;
    let running = admin.task(&running.id).await.unwrap();
    World {
        _sb: sb,
        coord,
        admin,
        http: http(),
        user_token,
        owner_token,
        enroll_token,
        node_secret,
        pending_id,
        queued,
        running,
        lease_id: claimed.lease.lease_id,
    }
}

impl World {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.coord.url)
    }

    fn req(&self, method: &str, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let r = self.http.request(method, self.url(path));
        match token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    fn get(&self, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        self.req("GET", path, token)
    }

    fn post(&self, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        self.req("POST", path, token)
    }

    fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> reqwest::RequestBuilder {
        self.post(path, token).json(body)
    }

    async fn view(&self) -> StoreView {
        store_view(&self.admin).await
    }
}

fn raw_json(r: reqwest::RequestBuilder, body: &str) -> reqwest::RequestBuilder {
    r.header("content-type", "application/json")
        .body(body.to_string())
}

#[tokio::test]
async fn malformed_unknown_and_mistyped_bodies_are_refused() {
    let w = world(coordinator_only()).await;
    let before = w.view().await;
    let admin = Some(ADMIN_TOKEN);
    let cases: &[(&str, &str, u16, &str)] = &[
        // Malformed JSON.
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo""#,
            400,
            "invalid_json",
        ),
        ("/api/v1/tasks", "not json at all", 400, "invalid_json"),
        ("/api/v1/tasks", "", 400, "invalid_json"),
        // Unknown fields, top level and nested.
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "priorty": 5}"#,
            422,
            "invalid_body",
        ),
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "requirements": {"gpus": true}}"#,
            422,
            "invalid_body",
        ),
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "files": [{"path": "a", "content": "", "mode": 7}]}"#,
            422,
            "invalid_body",
        ),
        (
            "/api/v1/tokens",
            r#"{"kind": "enroll", "use": 5}"#,
            422,
            "invalid_body",
        ),
        // Wrong types and missing fields.
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": "echo hi"}}"#,
            422,
            "invalid_body",
        ),
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "priority": "high"}"#,
            422,
            "invalid_body",
        ),
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "timeout_secs": -1}"#,
            422,
            "invalid_body",
        ),
        (
            "/api/v1/tasks",
            r#"{"command": {"python": "print(1)"}}"#,
            422,
            "invalid_body",
        ),
        ("/api/v1/tasks", r#"{"priority": 1}"#, 422, "invalid_body"),
        // Valid JSON of the wrong shape is a 422, not "invalid JSON".
        ("/api/v1/tasks", "[1, 2, 3]", 422, "invalid_body"),
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "placement": 5}"#,
            422,
            "invalid_body",
        ),
        ("/api/v1/tasks", r#"{"command": 5}"#, 422, "invalid_body"),
        (
            "/api/v1/tokens",
            r#"{"role": "superuser"}"#,
            422,
            "invalid_body",
        ),
        (
            "/api/v1/tokens",
            r#"{"expires_in_secs": "soon"}"#,
            422,
            "invalid_body",
        ),
        // Well-formed, but values the coordinator refuses.
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": []}}"#,
            400,
            "bad_request",
        ),
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "max_attempts": 0}"#,
            400,
            "bad_request",
        ),
        (
            "/api/v1/tasks",
            r#"{"command": {"argv": ["echo"]}, "env": {"BAD KEY": "x"}}"#,
            400,
            "bad_request",
        ),
        (
            "/api/v1/tokens",
            r#"{"kind": "api", "uses": 3}"#,
            400,
            "bad_request",
        ),
    ];
    for (path, body, status, code) in cases {
        let r = send(raw_json(w.post(path, admin), body)).await;
        assert_eq!(
            r.status, *status,
            "{path} {body}: expected {status}, got {}",
            r.text
        );
        r.assert_error(*status, code);
    }

    // Registration and the agent routes refuse the same way.
    let secret = Some(w.node_secret.as_str());
    let complete = format!("/api/v1/agent/tasks/{}/complete", w.running.id);
    let logs = format!("/api/v1/agent/tasks/{}/logs", w.running.id);
    let agent_cases: Vec<(&str, Option<&str>, serde_json::Value, u16, &str)> = vec![
        (
            "/api/v1/nodes/register",
            None,
            json!({"enrollment_token": w.enroll_token, "labels": ["gpu"]}),
            422,
            "invalid_body",
        ),
        (
            "/api/v1/nodes/register",
            None,
            json!({"enrollment_token": w.enroll_token, "capabilities": {"cpus": "many"}}),
            422,
            "invalid_body",
        ),
        (
            "/api/v1/nodes/register",
            None,
            json!({"name": "no token"}),
            422,
            "invalid_body",
        ),
        (
            &complete,
            secret,
            json!({"lease_id": w.lease_id, "outcome": "succeeded", "bonus": 1}),
            422,
            "invalid_body",
        ),
        (
            &complete,
            secret,
            json!({"lease_id": w.lease_id, "outcome": "great"}),
            422,
            "invalid_body",
        ),
        (
            "/api/v1/agent/heartbeat",
            secret,
            json!({"running": "all"}),
            422,
            "invalid_body",
        ),
        (
            &logs,
            secret,
            json!({"lease_id": w.lease_id, "offset": 0, "stream": "stdin", "data": "x"}),
            400,
            "bad_request",
        ),
        (
            &logs,
            secret,
            json!({"lease_id": w.lease_id, "offset": -5, "data": "x"}),
            422,
            "invalid_body",
        ),
    ];
    for (path, token, body, status, code) in &agent_cases {
        let r = send(w.post_json(path, *token, body)).await;
        assert_eq!(r.status, *status, "{path} {body}: {}", r.text);
        r.assert_error(*status, code);
    }

    // A JSON body without a JSON content type.
    let r = send(
        w.post("/api/v1/tasks", admin)
            .body(r#"{"command": {"argv": ["echo"]}}"#),
    )
    .await;
    r.assert_error(415, "unsupported_media_type");

    // Bad query strings.
    let bad_offset = format!("/api/v1/tasks/{}/logs?offset=-1", w.running.id);
    for path in [
        "/api/v1/tasks?limit=many",
        "/api/v1/tasks?state=sleeping",
        "/api/v1/tasks?colour=red",
        "/api/v1/tasks?cursor=abc",
        "/api/v1/nodes?state=asleep",
        &bad_offset,
    ] {
        let r = send(w.get(path, admin)).await;
        assert_eq!(r.status, 400, "{path}: {}", r.text);
        r.assert_error(400, "bad_request");
    }

    // A path segment that is not text.
    for (method, path, token) in [
        ("GET", "/api/v1/tasks/%FF", admin),
        ("POST", "/api/v1/nodes/%FF%FE/approve", admin),
        ("DELETE", "/api/v1/tokens/%C3", admin),
        ("POST", "/api/v1/agent/tasks/%FF/start", secret),
    ] {
        let r = send(w.req(method, path, token).json(&json!({"lease_id": "x"}))).await;
        assert_eq!(r.status, 400, "{method} {path}: {}", r.text);
        r.assert_error(400, "bad_request");
    }

    assert_eq!(
        w.view().await,
        before,
        "a refused request changed the store"
    );
    assert_eq!(
        w.admin.logs(&w.running.id, 0).await.unwrap().chunks.len(),
        0
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_MAX_BODY_BYTES".into(), "2048".into()));
    let w = world(opts).await;
    let before = w.view().await;
    let mut big = SubmitRequest::argv(vec!["echo".into()]);
    big.files = vec![TaskFile {
        path: "big.txt".into(),
        content: "x".repeat(4096),
    }];
    let r = send(
        w.post("/api/v1/tasks", Some(ADMIN_TOKEN))
            .json(&serde_json::to_value(&big).unwrap()),
    )
    .await;
    r.assert_error(413, "body_too_large");
    let r = send(w.post_json(
        &format!("/api/v1/agent/tasks/{}/logs", w.running.id),
        Some(&w.node_secret),
        &json!({"lease_id": w.lease_id, "offset": 0, "data": "y".repeat(3000)}),
    ))
    .await;
    r.assert_error(413, "body_too_large");
    assert_eq!(
        w.view().await,
        before,
        "an oversized request changed the store"
    );
    assert!(
        w.admin
            .logs(&w.running.id, 0)
            .await
            .unwrap()
            .chunks
            .is_empty()
    );

    // The limit is a limit, not a ban: a body under it is taken.
    big.files[0].content = "x".repeat(1000);
    let ok = w.admin.submit(&big).await.expect("a body under the limit");
    assert!(ok.created);
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let w = world(coordinator_only()).await;
    let before = w.view().await;
    let admin = Some(ADMIN_TOKEN);
    let secret = Some(w.node_secret.as_str());
    let lease = json!({"lease_id": w.lease_id});
    let cases: Vec<(&str, String, Option<&str>, Option<serde_json::Value>)> = vec![
        ("GET", "/api/v1/tasks/ffffffffffff".into(), admin, None),
        ("GET", "/api/v1/tasks/not-an-id".into(), admin, None),
        (
            "POST",
            "/api/v1/tasks/ffffffffffff/cancel".into(),
            admin,
            None,
        ),
        ("GET", "/api/v1/tasks/ffffffffffff/logs".into(), admin, None),
        (
            "GET",
            "/api/v1/tasks/ffffffffffff/stream".into(),
            admin,
            None,
        ),
        ("GET", "/api/v1/nodes/nosuchnode".into(), admin, None),
        (
            "POST",
            "/api/v1/nodes/nosuchnode/approve".into(),
            admin,
            None,
        ),
        ("POST", "/api/v1/nodes/nosuchnode/drain".into(), admin, None),
        ("DELETE", "/api/v1/nodes/nosuchnode".into(), admin, None),
        ("DELETE", "/api/v1/tokens/toknosuch".into(), admin, None),
        (
            "POST",
            "/api/v1/agent/tasks/ffffffffffff/start".into(),
            secret,
            Some(lease.clone()),
        ),
        (
            "POST",
            "/api/v1/agent/tasks/ffffffffffff/complete".into(),
            secret,
            Some(json!({"lease_id": w.lease_id, "outcome": "succeeded"})),
        ),
        (
            "POST",
            "/api/v1/agent/tasks/ffffffffffff/logs".into(),
            secret,
            Some(json!({"lease_id": w.lease_id, "offset": 0, "data": "x"})),
        ),
    ];
    for (method, path, token, body) in &cases {
        let mut r = w.req(method, path, *token);
        if let Some(b) = body {
            r = r.json(b);
        }
        let r = send(r).await;
        assert_eq!(r.status, 404, "{method} {path}: {}", r.text);
        r.assert_error(404, "not_found");
    }
    assert_eq!(w.view().await, before, "a 404 changed the store");
}

#[tokio::test]
async fn missing_wrong_and_underprivileged_tokens() {
    let w = world(coordinator_only()).await;
    let before = w.view().await;

    // No token, a wrong one, a malformed header.
    for token in [None, Some("eca_0000000000000000000000000000000000000000")] {
        for (method, path) in [
            ("GET", "/api/v1/tasks"),
            ("GET", "/api/v1/whoami"),
            ("GET", "/api/v1/queue"),
            ("GET", "/api/v1/events"),
            ("POST", "/api/v1/tasks"),
            ("GET", "/api/v1/tokens"),
        ] {
            let r = send(
                w.req(method, path, token)
                    .json(&json!({"command": {"argv": ["echo"]}})),
            )
            .await;
            assert_eq!(r.status, 401, "{method} {path} with {token:?}: {}", r.text);
            r.assert_error(401, "unauthorized");
        }
    }
    let r = send(
        w.get("/api/v1/tasks", None)
            .header("authorization", format!("Token {ADMIN_TOKEN}")),
    )
    .await;
    r.assert_error(401, "unauthorized");

    // A user token on owner routes.
    let user = Some(w.user_token.as_str());
    let owner_only: Vec<(&str, String, Option<serde_json::Value>)> = vec![
        ("GET", "/api/v1/tokens".into(), None),
        ("POST", "/api/v1/tokens".into(), Some(json!({}))),
        (
            "POST",
            "/api/v1/tokens".into(),
            Some(json!({"kind": "enroll", "auto_approve": true})),
        ),
        (
            "POST",
            format!("/api/v1/nodes/{}/approve", w.pending_id),
            None,
        ),
        (
            "POST",
            format!("/api/v1/nodes/{}/reject", w.pending_id),
            None,
        ),
        (
            "POST",
            format!("/api/v1/nodes/{}/drain", w.pending_id),
            None,
        ),
        ("DELETE", format!("/api/v1/nodes/{}", w.pending_id), None),
    ];
    // Someone else's task does not exist for a user (issue #12: ids do not leak).
    let r = send(w.req(
        "POST",
        &format!("/api/v1/tasks/{}/cancel", w.queued.id),
        user,
    ))
    .await;
    r.assert_error(404, "not_found");
    for (method, path, body) in &owner_only {
        let mut r = w.req(method, path, user);
        if let Some(b) = body {
            r = r.json(b);
        }
        let r = send(r).await;
        assert_eq!(r.status, 403, "{method} {path} as user: {}", r.text);
        r.assert_error(403, "forbidden");
    }
    // An owner may not mint or revoke power above its own.
    let owner = Some(w.owner_token.as_str());
    for role in ["owner", "admin"] {
        let r = send(w.post_json("/api/v1/tokens", owner, &json!({"role": role}))).await;
        r.assert_error(403, "forbidden");
    }
    let admin_id = w.admin.whoami().await.unwrap().token_id;
    let r = send(w.req("DELETE", &format!("/api/v1/tokens/{admin_id}"), owner)).await;
    r.assert_error(403, "forbidden");

    // Credentials of the wrong kind.
    let r = send(w.get("/api/v1/tasks", Some(&w.enroll_token))).await;
    r.assert_error(401, "unauthorized");
    assert!(r.text.contains("enrollment token"), "{}", r.text);
    let r = send(w.get("/api/v1/tasks", Some(&w.node_secret))).await;
    r.assert_error(401, "unauthorized");
    let r = send(w.post_json("/api/v1/agent/heartbeat", Some(ADMIN_TOKEN), &json!({}))).await;
    r.assert_error(401, "unauthorized");
    let r = send(w.post_json(
        "/api/v1/nodes/register",
        None,
        &json!({"enrollment_token": ADMIN_TOKEN}),
    ))
    .await;
    r.assert_error(401, "not_an_enrollment_token");
    let r = send(w.post_json(
        "/api/v1/nodes/register",
        None,
        &json!({"enrollment_token": "ece_000000000000000000000000000000000000000000000000"}),
    ))
    .await;
    r.assert_error(401, "unknown_enrollment_token");
    let forged = format!("{}x", w.node_secret);
    let r = send(w.post_json("/api/v1/agent/heartbeat", Some(&forged), &json!({}))).await;
    r.assert_error(401, "unauthorized");

    assert_eq!(
        w.view().await,
        before,
        "a refused request changed the store"
    );

    // A revoked token stops working at once (it was used, so it is cached).
    let user_id = w.admin.tokens().await.unwrap();
    let user_id = &user_id
        .iter()
        .find(|t| t.role == Some(Role::User))
        .expect("user token listed")
        .id;
    w.admin.revoke_token(user_id).await.unwrap();
    let r = send(w.get("/api/v1/tasks", user)).await;
    r.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn expired_used_up_and_revoked_enrollment_tokens() {
    let w = world(coordinator_only()).await;
    let admin = &w.admin;
    let expiring = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            expires_in_secs: Some(1),
            uses: Some(5),
            ..Default::default()
        })
        .await
        .unwrap();
    let short_lived = admin
        .create_token(&TokenCreateRequest {
            expires_in_secs: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let short_client = w.coord.client(&short_lived.token);
    short_client.whoami().await.expect("works until it expires");
    let once = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            uses: Some(1),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let revoked = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            ..Default::default()
        })
        .await
        .unwrap();
    admin.revoke_token(&revoked.info.id).await.unwrap();
    let register = |token: &str| {
        w.post_json(
            "/api/v1/nodes/register",
            None,
            &json!({"enrollment_token": token, "name": "newcomer"}),
        )
    };

    // One use: the first registration works, the second is refused.
    let r = send(register(&once.token)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let before = w.view().await;
    let r = send(register(&once.token)).await;
    r.assert_error(401, "enrollment_token_used_up");
    let r = send(register(&revoked.token)).await;
    r.assert_error(401, "enrollment_token_revoked");

    // Expiry: wait until the coordinator's clock has passed it (same machine, same clock).
    let expires_at = [&expiring, &short_lived]
        .iter()
        .map(|t| t.info.expires_at.expect("an expiry"))
        .max()
        .unwrap();
    let wait = (expires_at + 50 - now_ms()).max(0) as u64;
    tokio::time::sleep(Duration::from_millis(wait)).await;
    let r = send(register(&expiring.token)).await;
    r.assert_error(401, "enrollment_token_expired");
    // An expired API token stops working too, though it was used (and cached) before.
    assert_api_error(short_client.whoami().await, 401, "unauthorized");

    let after = w.view().await;
    assert_eq!(after, before, "a refused registration changed the store");
    let listed = admin.tokens().await.unwrap();
    let uses = |id: &str| listed.iter().find(|t| t.id == id).unwrap().uses_left;
    assert_eq!(
        uses(&expiring.info.id),
        Some(5),
        "no use taken by a refusal"
    );
    assert_eq!(uses(&once.info.id), Some(0));
}

#[tokio::test]
async fn the_mesh_token_is_required_when_configured() {
    let mesh = "mesh-secret-0123456789abcdef";
    let mut opts = coordinator_only();
    opts.env.push(("MESH_AUTH_TOKEN".into(), mesh.into()));
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let http = http();
    let enroll = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            uses: Some(5),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let url = |p: &str| format!("{}{p}", coord.url);
    let body = json!({"enrollment_token": enroll.token, "name": "meshed"});
    let before = store_view(&admin).await;

    let r = send(http.post(url("/api/v1/nodes/register")).json(&body)).await;
    r.assert_error(401, "unauthorized");
    assert!(r.text.contains("x-mesh-token"), "{}", r.text);
    let r = send(
        http.post(url("/api/v1/nodes/register"))
            .header("x-mesh-token", "wrong-mesh-token-000000")
            .json(&body),
    )
    .await;
    r.assert_error(401, "unauthorized");
    assert_eq!(store_view(&admin).await, before, "refused, yet changed");

    let r = send(
        http.post(url("/api/v1/nodes/register"))
            .header("x-mesh-token", mesh)
            .json(&body),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let reg: RegisterResponse = serde_json::from_str(&r.text).unwrap();

    // Agent routes need it too, on top of the node credential.
    let node = Client::new(&coord.url, Some(reg.node_secret.clone())).unwrap();
    assert_api_error(
        node.heartbeat(&HeartbeatRequest::default()).await,
        401,
        "unauthorized",
    );
    let wrong = node
        .clone()
        .with_mesh_token(Some("nope-nope-nope-nope".into()));
    assert_api_error(
        wrong.heartbeat(&HeartbeatRequest::default()).await,
        401,
        "unauthorized",
    );
    let node = node.with_mesh_token(Some(mesh.into()));
    node.heartbeat(&HeartbeatRequest::default())
        .await
        .expect("heartbeat with the mesh token");
    // API-token routes do not ask for it.
    admin
        .tasks("")
        .await
        .expect("user routes need no mesh token");
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let w = world(coordinator_only()).await;
    let before = w.view().await;
    for (method, path) in [
        ("GET", "/api/v1/nope"),
        ("GET", "/api/v2/tasks"),
        ("POST", "/nope"),
        ("GET", "/"),
        ("DELETE", "/api/v1/tasks/x/y/z"),
    ] {
        let r = send(w.req(method, path, Some(ADMIN_TOKEN))).await;
        assert_eq!(r.status, 404, "{method} {path}: {}", r.text);
        r.assert_error(404, "no_route");
    }
    // A known path with a method it does not serve: 405, the envelope, and what it does serve.
    let r = send(w.req("PUT", "/api/v1/tasks", Some(ADMIN_TOKEN))).await;
    r.assert_error(405, "method_not_allowed");
    let allow = r
        .headers
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        allow.contains("GET") && allow.contains("POST"),
        "Allow: {allow:?}"
    );
    let r = send(w.req("GET", "/api/v1/agent/heartbeat", None)).await;
    r.assert_error(405, "method_not_allowed");
    assert_eq!(w.view().await, before);
}

#[tokio::test]
async fn task_file_paths_must_stay_inside_the_working_directory() {
    let w = world(coordinator_only()).await;
    let before = w.view().await;
    for path in [
        "../x",
        "/etc/x",
        "a/../../x",
        "a/../b",
        "..",
        "./x",
        "",
        "/",
    ] {
        let mut req = SubmitRequest::argv(vec!["cat".into(), "x".into()]);
        req.files = vec![TaskFile {
            path: path.into(),
            content: "pwned".into(),
        }];
        let r = send(
            w.post("/api/v1/tasks", Some(ADMIN_TOKEN))
                .json(&serde_json::to_value(&req).unwrap()),
        )
        .await;
        assert_eq!(r.status, 400, "path {path:?}: {}", r.text);
        r.assert_error(400, "bad_request");
    }
    assert_eq!(
        w.view().await,
        before,
        "a refused submission changed the store"
    );

    // A nested relative path is fine, and reaches the agent as given.
    let mut req = SubmitRequest::argv(vec!["cat".into(), "src/x".into()]);
    req.priority = 10;
    req.files = vec![TaskFile {
        path: "src/x".into(),
        content: "ok".into(),
    }];
    let t = w.admin.submit(&req).await.unwrap().task;
    let node = Client::new(&w.coord.url, Some(w.node_secret.clone())).unwrap();
    let claimed = claim_now(&node).await.expect("offered");
    assert_eq!(claimed.task.id, t.id);
    assert_eq!(claimed.files, req.files);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let w = world(coordinator_only()).await;
    let admin = Some(ADMIN_TOKEN);
    let mut seen = std::collections::HashSet::new();
    for (method, path, token) in [
        ("GET", "/health", None),
        ("GET", "/ready", None),
        ("GET", "/metrics", None),
        ("GET", "/api/v1/openapi.json", None),
        ("GET", "/api/v1/tasks", admin),
        ("GET", "/api/v1/tasks", None),
        ("GET", "/api/v1/nope", admin),
        ("GET", "/api/v1/tasks/ffff", admin),
        ("POST", "/api/v1/tasks", admin),
    ] {
        let r = send(w.req(method, path, token)).await;
        let id = r
            .request_id()
            .unwrap_or_else(|| panic!("{method} {path} ({}) has no x-request-id", r.status))
            .to_string();
        assert!(!id.is_empty());
        assert!(seen.insert(id), "request ids repeat");
    }
    // A caller's own sane id is kept; an unsafe one is replaced.
    let r = send(
        w.get("/api/v1/tasks", admin)
            .header("x-request-id", "trace-42_abc"),
    )
    .await;
    assert_eq!(r.request_id(), Some("trace-42_abc"));
    let r = send(
        w.get("/health", None)
            .header("x-request-id", "bad id\twith spaces"),
    )
    .await;
    let id = r.request_id().expect("an id");
    assert_ne!(id, "bad id\twith spaces");
    assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
    let r = send(
        w.get("/health", None)
            .header("x-request-id", "x".repeat(200)),
    )
    .await;
    assert!(r.request_id().is_some_and(|id| id.len() <= 64));
}
