//! Issue #12, sections 2 and 5, against the real binary: a `user` token reaches only its own
//! tasks (and their events); task secrets are sealed at rest, never returned, and masked in the
//! task's output; a revoked token's open streams end within seconds.

use crate::common::*;
use crate::worker_common::{Out, cli_with, cmd};
use edgecoder::api::client::{Client, ClientError};
use edgecoder::api::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

async fn token(admin: &Client, role: Role, name: &str) -> (Client, String, String) {
    let made = admin
        .create_token(&TokenCreateRequest {
            role: Some(role),
            name: Some(name.into()),
            ..Default::default()
        })
        .await
        .expect("create token");
    let url = admin.base_url().to_string();
    let client = Client::new(&url, Some(made.token.clone())).expect("client");
    (client, made.token, made.info.id)
}

fn assert_not_found<T: std::fmt::Debug>(what: &str, result: Result<T, ClientError>) {
    match result {
        Err(ClientError::Api { status: 404, .. }) => {}
        other => panic!("{what}: expected 404 not found, got {other:?}"),
    }
}

async fn stream(url: &str, token: &str, path: &str) -> reqwest::Response {
    http()
        .get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("stream request")
}

/// Events of `path` up to and including the first one about `until_task` (the backlog is in id
/// order, so everything submitted before that task has been offered by then).
async fn events_until(url: &str, token: &str, path: &str, until_task: &str) -> Vec<SseEvent> {
    let resp = stream(url, token, path).await;
    assert_eq!(resp.status().as_u16(), 200, "{path}");
    let mut reader = SseReader::new(resp);
    let mut seen = Vec::new();
    loop {
        let event = reader
            .next(Duration::from_secs(10))
            .await
            .expect("the stream stays open");
        let done = event.json()["task_id"].as_str() == Some(until_task);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

fn task_ids(list: &TaskList) -> Vec<&str> {
    list.tasks.iter().map(|t| t.id.as_str()).collect()
}

#[tokio::test]
async fn a_user_reaches_only_its_own_tasks_and_their_events() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    // A node event (registration) that a user must not see.
    let (_node, node_id) = enroll_node(&admin, "worker-x").await;
    let (a, _, _) = token(&admin, Role::User, "alice").await;
    let (b, b_secret, _) = token(&admin, Role::User, "bob").await;
    let (owner, owner_secret, _) = token(&admin, Role::Owner, "olga").await;

    let mut req = SubmitRequest::argv(vec!["echo".into(), "alice's work".into()]);
    req.env
        .insert("ALICE_ENV".into(), "private-env-value".into());
    let a_task = a.submit(&req).await.expect("alice submits").task.id;
    let b_task = b
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("bob submits")
        .task
        .id;

    // Bob: alice's task does not exist for him, by full id or by prefix.
    assert_not_found("show", b.task(&a_task).await);
    assert_not_found("show by prefix", b.task(&a_task[..6]).await);
    assert_not_found("logs", b.logs(&a_task, 0).await);
    assert_not_found("cancel", b.cancel(&a_task).await);
    assert_not_found("charge", b.task_charge(&a_task).await);
    let resp = stream(
        &coord.url,
        &b_secret,
        &format!("/api/v1/tasks/{a_task}/stream"),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 404, "bob streams alice's task");
    let listed = b.tasks("").await.expect("bob lists");
    assert_eq!(
        task_ids(&listed),
        vec![b_task.as_str()],
        "bob sees his own only"
    );
    let queued = b.tasks("state=queued").await.expect("bob lists queued");
    assert_eq!(task_ids(&queued), vec![b_task.as_str()]);
    assert_eq!(
        admin.task(&a_task).await.expect("admin shows").state,
        TaskState::Queued,
        "bob's cancel changed nothing"
    );

    // Bob's event stream: his own task's events only, no node events.
    let path = "/api/v1/events?after=0&include_logs=true";
    let bobs = events_until(&coord.url, &b_secret, path, &b_task).await;
    for event in &bobs {
        let data = event.json();
        assert_eq!(data["task_id"].as_str(), Some(b_task.as_str()), "{data}");
        assert!(!event.data.contains(&node_id), "{data}");
    }

    // Alice reaches hers; the owner and the admin reach everything.
    assert_eq!(a.task(&a_task).await.expect("alice shows").id, a_task);
    assert!(a.logs(&a_task, 0).await.is_ok());
    assert_not_found("alice shows bob's", a.task(&b_task).await);
    for (who, client, secret) in [
        ("owner", &owner, owner_secret.as_str()),
        ("admin", &admin, ADMIN_TOKEN),
    ] {
        let shown = client.task(&a_task).await.expect(who);
        assert_eq!(shown.env["ALICE_ENV"], "private-env-value", "{who}");
        let all = client.tasks("").await.expect(who);
        assert!(task_ids(&all).contains(&a_task.as_str()), "{who}");
        assert!(task_ids(&all).contains(&b_task.as_str()), "{who}");
        let events = events_until(&coord.url, secret, path, &b_task).await;
        let about = |id: &str| {
            events
                .iter()
                .any(|e| e.json()["task_id"].as_str() == Some(id))
        };
        assert!(about(&a_task), "{who} sees alice's events");
        assert!(
            events.iter().any(|e| e.data.contains(&node_id)),
            "{who} sees node events"
        );
        let resp = stream(
            &coord.url,
            secret,
            &format!("/api/v1/tasks/{a_task}/stream"),
        )
        .await;
        assert_eq!(resp.status().as_u16(), 200, "{who} streams alice's task");
    }
    assert_eq!(
        a.cancel(&a_task).await.expect("alice cancels").state,
        TaskState::Cancelled
    );
    assert_eq!(
        owner.cancel(&b_task).await.expect("an owner cancels").state,
        TaskState::Cancelled
    );
}

fn server_cli(sb: &Sandbox, url: &str, token: &str) -> Command {
    let mut c = cmd(sb);
    c.env("EDGECODER_URL", url).env("EDGECODER_TOKEN", token);
    c
}

fn run_ok(c: Command, args: &[&str]) -> Out {
    let out = cli_with(c, args, None);
    assert_eq!(out.code, Some(0), "{args:?}: {out:?}");
    out
}

#[tokio::test]
async fn secrets_reach_the_task_masked_and_are_never_returned_or_stored_in_clear() {
    let sb = Sandbox::new();
    // All-in-one: the local worker runs the task.
    let coord = Coordinator::start(&sb);
    let admin = coord.admin();
    let (user, user_secret, _) = token(&admin, Role::User, "ci").await;
    let flag_value = format!("flag-{}", "7c1e9a".repeat(4));
    let file_value = format!("file-{}", "b04d2f".repeat(4));
    let secret_file = sb.path().join("task.secrets");
    std::fs::write(
        &secret_file,
        format!("# deploy key\nDEPLOY_KEY={file_value}\n"),
    )
    .expect("secret file");
    // A value is masked only where it appears exactly, so `***` proves the task got the value.
    let script = "echo \"token=$API_TOKEN len=${#API_TOKEN}\"; \
                  printf '%s' \"$API_TOKEN\"; printf '%s\\n' \"$API_TOKEN\"; \
                  echo \"err $DEPLOY_KEY\" >&2";
    let submit = run_ok(
        server_cli(&sb, &coord.url, &user_secret),
        &[
            "server",
            "--json",
            "tasks",
            "submit",
            "--wait",
            "--secret",
            &format!("API_TOKEN={flag_value}"),
            "--secret-file",
            secret_file.to_str().expect("utf-8 path"),
            "--",
            "sh",
            "-c",
            script,
        ],
    );
    assert!(!submit.text().contains(&flag_value), "{submit:?}");
    let doc: serde_json::Value = serde_json::from_str(&submit.stdout).expect("JSON");
    let id = doc["id"]
        .as_str()
        .or_else(|| doc["task"]["id"].as_str())
        .or_else(|| doc[0]["id"].as_str())
        .unwrap_or_else(|| panic!("no task id in {doc}"))
        .to_string();
    let task = user.task(&id).await.expect("show");
    assert_eq!(task.state, TaskState::Succeeded, "{task:?}");

    // The log, through the API and through `tasks logs`: masked, the task did get the values.
    let page = user.logs(&id, 0).await.expect("logs");
    let text: String = page.chunks.iter().map(|c| c.data.as_str()).collect();
    let len = flag_value.len();
    assert!(text.contains(&format!("token=*** len={len}")), "{text}");
    assert!(text.contains("******\n"), "split printf masked: {text}");
    assert!(text.contains("err ***"), "stderr masked: {text}");
    let logs = run_ok(
        server_cli(&sb, &coord.url, &user_secret),
        &["server", "tasks", "logs", &id],
    );
    assert!(logs.stdout.contains("token=***"), "{logs:?}");

    // No route returns a secret value: show, list, the events, the CLI's show.
    let url = &coord.url;
    let mut bodies = vec![
        send(
            http()
                .get(format!("{url}/api/v1/tasks/{id}"))
                .bearer_auth(&user_secret),
        )
        .await
        .text,
        send(
            http()
                .get(format!("{url}/api/v1/tasks"))
                .bearer_auth(ADMIN_TOKEN),
        )
        .await
        .text,
        send(
            http()
                .get(format!("{url}/api/v1/tasks/{id}/logs"))
                .bearer_auth(ADMIN_TOKEN),
        )
        .await
        .text,
    ];
    let resp = stream(url, ADMIN_TOKEN, &format!("/api/v1/tasks/{id}/stream")).await;
    let events = SseReader::new(resp)
        .collect_to_end(Duration::from_secs(10))
        .await;
    assert!(events.iter().any(|e| e.event == "task.log"), "{events:?}");
    bodies.extend(events.iter().map(|e| e.data.clone()));
    bodies.push(
        run_ok(
            server_cli(&sb, url, ADMIN_TOKEN),
            &["server", "--json", "tasks", "show", &id],
        )
        .stdout,
    );
    bodies.push(
        run_ok(
            server_cli(&sb, url, ADMIN_TOKEN),
            &["server", "--json", "tasks", "list"],
        )
        .stdout,
    );
    for body in &bodies {
        assert!(!body.contains(&flag_value), "flag secret in {body}");
        assert!(!body.contains(&file_value), "file secret in {body}");
    }

    // Not in the database's bytes, nor its WAL, nor the coordinator's output.
    let data = sb.data_dir();
    for name in ["edgecoder.db", "edgecoder.db-wal"] {
        let Ok(bytes) = std::fs::read(data.join(name)) else {
            continue;
        };
        for value in [&flag_value, &file_value] {
            let found = bytes.windows(value.len()).any(|w| w == value.as_bytes());
            assert!(!found, "a secret is in {name} in clear");
        }
    }
    let output = format!("{}{}", coord.stdout(), coord.stderr());
    assert!(
        !output.contains(&flag_value),
        "coordinator output: {output}"
    );
    assert!(
        !output.contains(&file_value),
        "coordinator output: {output}"
    );
}

#[tokio::test]
async fn a_secret_is_refused_when_it_cannot_be_an_env_var() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let mut bad = SubmitRequest::argv(vec!["true".into()]);
    bad.secrets.insert("NOT-A-NAME".into(), "value".into());
    match admin.submit(&bad).await {
        Err(ClientError::Api { status: 400, .. }) => {}
        other => panic!("expected 400, got {other:?}"),
    }
    let mut clash = SubmitRequest::argv(vec!["true".into()]);
    clash.env.insert("K".into(), "a".into());
    clash.secrets.insert("K".into(), "b".into());
    match admin.submit(&clash).await {
        Err(ClientError::Api { status: 400, .. }) => {}
        other => panic!("expected 400, got {other:?}"),
    }
    let out = cli_with(
        server_cli(&sb, &coord.url, ADMIN_TOKEN),
        &[
            "server",
            "tasks",
            "submit",
            "--secret",
            "NO_SUCH_VAR_IN_ENV_42",
            "--",
            "true",
        ],
        None,
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert_eq!(
        admin.tasks("").await.expect("list").tasks.len(),
        0,
        "nothing was queued"
    );
}

/// Reads lines of a child's stdout on a thread.
fn lines_of(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

#[tokio::test]
async fn a_revoked_tokens_streams_end_within_seconds() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (user, secret, token_id) = token(&admin, Role::User, "soon-revoked").await;
    let task = user
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit")
        .task
        .id;

    // Two raw streams (all events, the task's) and the CLI's follower, all open and delivering.
    let mut all = SseReader::new(stream(&coord.url, &secret, "/api/v1/events?after=0").await);
    let mut one =
        SseReader::new(stream(&coord.url, &secret, &format!("/api/v1/tasks/{task}/stream")).await);
    assert!(all.next(Duration::from_secs(10)).await.is_some());
    assert!(one.next(Duration::from_secs(10)).await.is_some());
    let mut follower = server_cli(&sb, &coord.url, &secret)
        .args(["server", "events", "--after", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn events");
    let lines = lines_of(&mut follower);
    let first = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("the follower prints the backlog");
    assert!(first.contains(&task), "{first}");

    admin.revoke_token(&token_id).await.expect("revoke");
    let revoked_at = Instant::now();
    // `collect_to_end` fails the test if a stream is still open after 6 s.
    all.collect_to_end(Duration::from_secs(6)).await;
    one.collect_to_end(Duration::from_secs(6)).await;
    let ended_after = revoked_at.elapsed();
    eprintln!("both streams ended {ended_after:?} after the revocation");
    assert!(ended_after < Duration::from_secs(5), "{ended_after:?}");

    // The follower stops with "revoked" (exit 3), instead of reconnecting forever.
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = follower.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = follower.kill();
            panic!("`server events` still runs 10 s after its token was revoked");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    if let Some(mut e) = follower.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(err.contains("revoked"), "{err}");
    // A reconnect is refused too.
    let again = stream(&coord.url, &secret, "/api/v1/events").await;
    assert_eq!(again.status().as_u16(), 401);
}

#[tokio::test]
async fn an_expired_tokens_stream_ends_too() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let made = admin
        .create_token(&TokenCreateRequest {
            role: Some(Role::User),
            expires_in_secs: Some(2),
            ..Default::default()
        })
        .await
        .expect("create token");
    let user = coord.client(&made.token);
    user.submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit");
    let opened = Instant::now();
    let mut all = SseReader::new(stream(&coord.url, &made.token, "/api/v1/events?after=0").await);
    assert!(all.next(Duration::from_secs(5)).await.is_some(), "backlog");
    // Expiry at 2 s, re-checked every 2 s: the stream ends by about 4 s after it opened.
    all.collect_to_end(Duration::from_secs(8)).await;
    let ended = opened.elapsed();
    assert!(
        ended >= Duration::from_secs(1),
        "ended before expiry: {ended:?}"
    );
    assert!(ended < Duration::from_secs(7), "{ended:?}");
}
