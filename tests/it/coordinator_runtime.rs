//! The coordinator as a process: crash safety, graceful shutdown, the first admin token, the
//! data-dir lock, binding, health and metrics, the route table, and the SSE streams.

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn server_json(sb: &Sandbox) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(sb.data_dir().join("server.json")).ok()?;
    Some(serde_json::from_str(&text).expect("server.json is JSON"))
}

/// Every task id in the store, following the listing's cursor.
async fn all_task_ids(admin: &Client) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut query = "limit=1000".to_string();
    loop {
        let page = admin.tasks(&query).await.expect("task list");
        ids.extend(page.tasks.into_iter().map(|t| t.id));
        match page.next_cursor {
            Some(c) => query = format!("limit=1000&cursor={c}"),
            None => return ids,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_under_load_loses_no_accepted_task() {
    let sb = Sandbox::new();
    let mut coord = Coordinator::start_with(&sb, coordinator_only());
    let accepted = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut submitters = Vec::new();
    for n in 0..4 {
        let client = coord.admin();
        let (accepted, stop) = (accepted.clone(), stop.clone());
        submitters.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let mut req = SubmitRequest::argv(vec!["echo".into(), format!("{n}-{i}")]);
                req.priority = i % 3;
                match client.submit(&req).await {
                    Ok(r) => accepted.lock().unwrap().push(r.task.id),
                    // The coordinator died under this request: whether it was stored or not,
                    // nobody was told it was accepted.
                    Err(_) => break,
                }
                i += 1;
            }
        }));
    }
    // Killed under load: once the submitters have been accepted 20 times, not after a guess.
    eventually(Duration::from_secs(30), || async {
        (accepted.lock().unwrap().len() >= 20).then_some(())
    })
    .await;
    coord.signal(libc::SIGKILL);
    assert_eq!(coord.wait_exit(Duration::from_secs(5)), None, "killed");
    stop.store(true, Ordering::SeqCst);
    for s in submitters {
        tokio::time::timeout(Duration::from_secs(20), s)
            .await
            .expect("submitters stop")
            .expect("submitter panicked");
    }
    let accepted = accepted.lock().unwrap().clone();
    eprintln!("{} submissions accepted before kill -9", accepted.len());
    assert!(
        accepted.len() >= 20,
        "only {} submissions in a second: not a load test",
        accepted.len()
    );
    drop(coord);

    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let stored = all_task_ids(&admin).await;
    let lost: Vec<_> = accepted.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} accepted tasks lost after kill -9: {:?}",
        lost.len(),
        accepted.len(),
        &lost[..lost.len().min(5)]
    );
    let queue = admin.queue().await.unwrap();
    assert_eq!(queue.counts["queued"] as usize, stored.len());
    // The store takes new work after the crash.
    assert!(
        admin
            .submit(&SubmitRequest::argv(vec!["true".into()]))
            .await
            .unwrap()
            .created
    );
}

#[tokio::test]
async fn sigterm_drains_exits_0_and_removes_server_json() {
    let sb = Sandbox::new();
    let mut coord = Coordinator::start_with(&sb, coordinator_only());
    let record = server_json(&sb).expect("server.json while running");
    assert_eq!(record["url"], coord.url.as_str());
    assert_eq!(record["pid"], coord.child.id());
    let admin = coord.admin();
    let mut needs_gpu = SubmitRequest::argv(vec!["true".into()]);
    needs_gpu.requirements.gpu = true;
    let task = admin.submit(&needs_gpu).await.unwrap().task;

    // In flight at the signal: a claim long-poll (on a 20 s wait: the node has no GPU, so no
    // work is eligible) and a dashboard's event stream.
    let (node, node_id) = enroll_as(&admin, "idle", &[], caps(1024, 0), true).await;
    let poll = start_waiting_claim(&admin, node, &node_id, Duration::from_secs(20)).await;
    let events = http()
        .get(format!("{}/api/v1/events", coord.url))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    let mut events = SseReader::new(events);
    events
        .next(Duration::from_secs(5))
        .await
        .expect("a backlog event");

    let signalled = Instant::now();
    coord.signal(libc::SIGTERM);
    let answer = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .expect("the long-poll is answered at shutdown")
        .unwrap()
        .expect("the long-poll gets an answer, not a cut connection");
    assert!(answer.claimed.is_none());
    let rest = events.collect_to_end(Duration::from_secs(5)).await;
    assert!(rest.iter().all(|e| e.id.is_some()));
    assert_eq!(coord.wait_exit(Duration::from_secs(5)), Some(0));
    assert!(
        signalled.elapsed() < Duration::from_secs(5),
        "shutdown took {:?}",
        signalled.elapsed()
    );
    assert!(
        server_json(&sb).is_none(),
        "server.json is left behind after a clean stop"
    );
    // A clean stop folds the write-ahead log into the database and empties it, even with the
    // checkpointer thread's own copy in the way (src/server/store/wal.rs).
    let wal = std::fs::metadata(sb.data_dir().join("edgecoder.db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the WAL is left unfolded after a clean stop");
    drop(coord);

    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    assert_eq!(
        admin.task(&task.id).await.unwrap().state,
        TaskState::Queued,
        "the task survives a clean restart"
    );
    assert!(
        admin
            .submit(&SubmitRequest::argv(vec!["true".into()]))
            .await
            .unwrap()
            .created
    );
    assert_eq!(admin.tasks("").await.unwrap().tasks.len(), 2);
}

#[tokio::test]
async fn first_start_prints_an_admin_token_once() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.admin_token = None;
    let mut coord = Coordinator::start_with(&sb, opts);
    // stdout is a pipe here: the token goes to a 0600 file and only its path is printed.
    let token_file = sb.data_dir().join("initial-admin-token");
    let token = eventually(Duration::from_secs(5), || async {
        coord
            .stdout()
            .contains(&token_file.display().to_string())
            .then(|| std::fs::read_to_string(&token_file).ok())
            .flatten()
            .map(|t| t.trim().to_string())
    })
    .await;
    assert!(token.starts_with("eca_"), "{token}");
    assert!(token.len() >= 32, "a short admin token: {token}");
    let me = coord
        .client(&token)
        .whoami()
        .await
        .expect("the token works");
    assert_eq!(me.role, Role::Admin);
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(5)), Some(0));
    coord.wait_output_closed(Duration::from_secs(5));
    assert!(!coord.stdout().contains(&token), "the token is on stdout");
    assert!(
        !coord.stderr().contains(&token),
        "the admin token is in a log line"
    );
    drop(coord);

    let mut opts = coordinator_only();
    opts.admin_token = None;
    let mut coord = Coordinator::start_with(&sb, opts);
    let me = coord
        .client(&token)
        .whoami()
        .await
        .expect("the first token still works");
    assert_eq!(me.role, Role::Admin);
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(5)), Some(0));
    coord.wait_output_closed(Duration::from_secs(5));
    let out = coord.stdout();
    assert!(
        !out.contains("admin token"),
        "a second start printed a token:\n{out}"
    );
    assert!(
        !out.contains("eca_"),
        "a second start printed a token:\n{out}"
    );
}

#[tokio::test]
async fn a_second_coordinator_on_the_same_data_dir_is_refused() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let err = match Coordinator::try_start(&sb, coordinator_only()) {
        Ok(_) => panic!("two coordinators on one data dir"),
        Err(e) => e,
    };
    assert!(
        err.contains("another edgecoder coordinator is using the data dir"),
        "{err}"
    );
    assert!(
        err.contains(&sb.data_dir().display().to_string()),
        "the message names the data dir: {err}"
    );
    // The first is untouched and still the one local clients find.
    assert_eq!(server_json(&sb).unwrap()["url"], coord.url.as_str());
    coord
        .admin()
        .whoami()
        .await
        .expect("the first still serves");
}

#[tokio::test]
async fn a_config_file_port_falls_back_and_an_explicit_one_fails() {
    let sb = Sandbox::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    std::fs::write(sb.path().join("edgecoder.toml"), format!("port = {port}\n")).unwrap();

    let mut opts = coordinator_only();
    opts.args = vec!["--mode".into(), "coordinator".into()];
    let coord = Coordinator::start_with(&sb, opts);
    let bound = coord.port();
    assert!(
        bound > port && bound <= port.saturating_add(99),
        "port {port} is taken: expected the next free one, got {bound}"
    );
    assert_eq!(coord.url, format!("http://127.0.0.1:{bound}"));
    assert_eq!(server_json(&sb).unwrap()["url"], coord.url.as_str());
    coord
        .admin()
        .whoami()
        .await
        .expect("serves on the port it names");
    drop(coord);

    // Given by flag, or by the environment: one attempt, and an error naming the port.
    let port_arg = port.to_string();
    let by_flag = (vec!["--port", port_arg.as_str()], None);
    let by_env = (vec![], Some(("EDGECODER_PORT", port_arg.as_str())));
    for (args, env) in [by_flag, by_env] {
        let mut cmd = sb.command();
        cmd.args(["serve", "--mode", "coordinator"])
            .args(&args)
            .env("ADMIN_API_TOKEN", ADMIN_TOKEN);
        if let Some((k, v)) = &env {
            cmd.env(k, v);
        }
        let (code, out, err) = run_to_end(cmd, Duration::from_secs(10));
        assert!(
            code.is_some_and(|c| c != 0),
            "{args:?} {env:?}: exit {code:?}"
        );
        assert!(
            err.contains(&format!("127.0.0.1:{port}")),
            "the error names the port: {err}"
        );
        assert!(!out.contains("listening on"), "{out}");
    }
    drop(taken);
}

#[tokio::test]
async fn health_ready_metrics_and_every_documented_route() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, fast());
    let admin = coord.admin();
    let http = http();
    let url = |p: &str| format!("{}{p}", coord.url);

    let health = send(http.get(url("/health"))).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    let ready = send(http.get(url("/ready"))).await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["status"], "ready");

    // Some activity for the counters: two tasks, one claim that is never accepted.
    let (node, _) = enroll_as(&admin, "m", &[], caps(4096, 0), true).await;
    for _ in 0..2 {
        admin
            .submit(&SubmitRequest::argv(vec!["true".into()]))
            .await
            .unwrap();
    }
    claim_now(&node).await.expect("offered");
    let metrics = send(http.get(url("/metrics"))).await;
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/plain")),
        "{:?}",
        metrics.headers
    );
    let text = &metrics.text;
    for needle in [
        "edgecoder_queue_depth 1\n",
        "edgecoder_claims_total 1\n",
        "edgecoder_tasks{state=\"leased\"} 1\n",
        "edgecoder_tasks_submitted_total 2\n",
        "edgecoder_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/tasks\",le=\"+Inf\"} 2\n",
        "edgecoder_lease_expiries_total",
    ] {
        assert!(text.contains(needle), "/metrics lacks {needle:?}:\n{text}");
    }
    // The unaccepted claim expires, and the counter says so.
    eventually(Duration::from_secs(10), || async {
        let m = send(http.get(url("/metrics"))).await.text;
        m.contains("edgecoder_lease_expiries_total 1\n")
            .then_some(())
    })
    .await;

    // The OpenAPI document and the route table agree, and every documented route is served.
    let doc = send(http.get(url("/api/v1/openapi.json"))).await.json();
    let documented: usize = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|ops| ops.as_object().map_or(0, |o| o.len()))
        .sum();
    assert_eq!(documented, edgecoder::server::openapi::ROUTES.len());
    for route in edgecoder::server::openapi::ROUTES {
        assert!(
            doc["paths"][route.path][route.method].is_object(),
            "{} {} missing from openapi.json",
            route.method,
            route.path
        );
        let path = route
            .path
            .replace("{id}", "0000")
            .replace("{sha256}", &"0".repeat(64));
        assert!(!path.contains('{'), "unhandled path parameter in {path}");
        let method = reqwest::Method::from_bytes(route.method.to_uppercase().as_bytes()).unwrap();
        let mut req = http
            .request(method.clone(), url(&path))
            .bearer_auth(ADMIN_TOKEN);
        if method == reqwest::Method::POST {
            req = req.json(&serde_json::json!({}));
        }
        let resp = tokio::time::timeout(Duration::from_secs(10), req.send())
            .await
            .unwrap_or_else(|_| panic!("{method} {path}: no answer"))
            .unwrap();
        let status = resp.status().as_u16();
        assert!(
            resp.headers().get("x-request-id").is_some(),
            "{method} {path}: no request id"
        );
        assert_ne!(status, 405, "{method} {path}: method not served");
        let is_stream = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        if !is_stream {
            let body = resp.text().await.unwrap_or_default();
            if status == 404 {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                assert_ne!(
                    v["error"]["code"], "no_route",
                    "{method} {path} is documented but not served"
                );
            }
        }
    }
}

/// The routes the routers register, read from their source: `.route("PATH", get(a).post(b))`.
fn served_routes() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server/routes");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("routes dir") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for call in text.split(".route(\"").skip(1) {
            let (route, rest) = call.split_once('"').expect("route path");
            let rest = rest.trim_start().strip_prefix(',').expect("route handler");
            // The handler expression ends where the `.route(` call's parenthesis closes.
            let mut depth = 0;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' if depth == 0 => return true,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map(|(i, _)| i)
                .expect("closing parenthesis");
            let mut depth = 0;
            let mut top = String::new();
            for c in rest[..end].chars() {
                match c {
                    '(' => {
                        if depth == 0 {
                            top.push('(');
                        }
                        depth += 1;
                    }
                    ')' => depth -= 1,
                    _ if depth == 0 => top.push(c),
                    _ => {}
                }
            }
            for part in top.split('.') {
                let method = part.trim().trim_end_matches('(');
                if !method.is_empty() {
                    found.push((method.to_string(), route.to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn every_served_route_is_documented() {
    let served = served_routes();
    assert!(
        served.len() >= 20,
        "the route scan found too little: {served:?}"
    );
    let documented: HashSet<(String, String)> = edgecoder::server::openapi::ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let undocumented: Vec<_> = served.iter().filter(|r| !documented.contains(*r)).collect();
    assert!(
        undocumented.is_empty(),
        "served but missing from openapi::ROUTES: {undocumented:?}"
    );
    let served: HashSet<_> = served.into_iter().collect();
    assert_eq!(served.len(), documented.len(), "{served:?}");
}

fn kinds(events: &[SseEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event.as_str()).collect()
}

#[tokio::test]
async fn task_stream_delivers_logs_and_states_ends_and_resumes() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "streamer", &[], caps(4096, 0), true).await;
    let task = admin
        .submit(&SubmitRequest::argv(vec!["echo".into()]))
        .await
        .unwrap()
        .task;
    let http = http();
    let stream_url = format!("{}/api/v1/tasks/{}/stream", coord.url, task.id);
    let open = |last: Option<i64>| {
        let mut r = http.get(&stream_url).bearer_auth(ADMIN_TOKEN);
        if let Some(id) = last {
            r = r.header("last-event-id", id.to_string());
        }
        r.send()
    };
    let resp = open(None).await.unwrap();
    assert_eq!(resp.status(), 200);
    let mut live = SseReader::new(resp);
    let wait = Duration::from_secs(5);
    let mut seen = vec![live.next(wait).await.expect("submitted")];

    // Events arrive as they happen, not only at the end.
    let claimed = claim_now(&node).await.unwrap();
    let lease = claimed.lease.lease_id.clone();
    node.start(&task.id, &lease).await.unwrap();
    seen.push(live.next(wait).await.expect("leased"));
    seen.push(live.next(wait).await.expect("started"));
    for (offset, line) in [(0, "line 1\n"), (7, "line 2\n")] {
        node.upload_log(
            &task.id,
            &LogUpload {
                lease_id: lease.clone(),
                offset,
                stream: "stdout".into(),
                data: line.into(),
            },
        )
        .await
        .unwrap();
        let e = live.next(wait).await.expect("log");
        assert_eq!(e.json()["data"]["data"], line);
        seen.push(e);
    }
    node.complete(&task.id, &complete_req(&lease, Outcome::Succeeded, None))
        .await
        .unwrap();
    seen.extend(live.collect_to_end(wait).await);
    assert_eq!(
        kinds(&seen),
        vec![
            "task.submitted",
            "task.leased",
            "task.started",
            "task.log",
            "task.log",
            "task.succeeded"
        ],
        "and the stream ends after the terminal event"
    );
    let ids: Vec<i64> = seen
        .iter()
        .map(|e| e.id.expect("every event has an id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");
    for e in &seen {
        assert_eq!(e.json()["task_id"], task.id.as_str());
        assert_eq!(e.json()["id"], e.id.unwrap());
    }

    // Reconnecting with Last-Event-ID resumes right after it.
    let started_id = seen[2].id.unwrap();
    let mut resumed = SseReader::new(open(Some(started_id)).await.unwrap());
    let rest = resumed.collect_to_end(wait).await;
    assert_eq!(
        rest,
        seen[3..].to_vec(),
        "resumed stream: no gaps, no repeats"
    );
    let mut done = SseReader::new(open(Some(*ids.last().unwrap())).await.unwrap());
    assert!(done.collect_to_end(wait).await.is_empty());
    // A reconnect from scratch replays the whole history, then ends.
    let mut again = SseReader::new(open(None).await.unwrap());
    assert_eq!(again.collect_to_end(wait).await, seen);

    let bad = send(
        http.get(&stream_url)
            .bearer_auth(ADMIN_TOKEN)
            .header("last-event-id", "yesterday"),
    )
    .await;
    bad.assert_error(400, "bad_request");
}

#[tokio::test]
async fn event_stream_gives_a_backlog_then_live_events_and_resumes() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "eventful", &[], caps(4096, 0), true).await;
    let old = admin
        .submit(&SubmitRequest::argv(vec!["echo".into()]))
        .await
        .unwrap()
        .task;
    let claimed = claim_now(&node).await.unwrap();
    let lease = claimed.lease.lease_id.clone();
    node.start(&old.id, &lease).await.unwrap();
    node.upload_log(
        &old.id,
        &LogUpload {
            lease_id: lease.clone(),
            offset: 0,
            stream: "stdout".into(),
            data: "secret-ish output\n".into(),
        },
    )
    .await
    .unwrap();
    node.complete(&old.id, &complete_req(&lease, Outcome::Succeeded, None))
        .await
        .unwrap();

    let http = http();
    let events_url = format!("{}/api/v1/events", coord.url);
    let wait = Duration::from_secs(5);
    let resp = http
        .get(&events_url)
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let mut stream = SseReader::new(resp);
    // The backlog: everything that already happened, without log lines by default.
    let mut backlog = Vec::new();
    loop {
        let e = stream.next(wait).await.expect("backlog event");
        let end = e.event == "task.succeeded";
        backlog.push(e);
        if end {
            break;
        }
    }
    let k = kinds(&backlog);
    assert!(k.contains(&"node.registered"), "{k:?}");
    assert!(k.contains(&"task.submitted") && k.contains(&"task.started"));
    assert!(!k.contains(&"task.log"), "log lines only on request: {k:?}");
    assert!(
        backlog
            .iter()
            .any(|e| e.json()["node_id"] == node_id.as_str())
    );

    // Then live ones.
    let new = admin
        .submit(&SubmitRequest::argv(vec!["echo".into()]))
        .await
        .unwrap()
        .task;
    let live = stream.next(wait).await.expect("a live event");
    assert_eq!(live.event, "task.submitted");
    assert_eq!(live.json()["task_id"], new.id.as_str());

    // Resuming after an id gives what followed it, logs included when asked.
    let from = backlog[0].id.unwrap();
    let resp = http
        .get(format!("{events_url}?include_logs=true"))
        .bearer_auth(ADMIN_TOKEN)
        .header("last-event-id", from.to_string())
        .send()
        .await
        .unwrap();
    let mut resumed = SseReader::new(resp);
    let mut after = Vec::new();
    while after.last().map(|e: &SseEvent| e.id) != Some(live.id) {
        after.push(resumed.next(wait).await.expect("resumed event"));
    }
    assert!(after.iter().all(|e| e.id.unwrap() > from));
    let ids: Vec<_> = after.iter().map(|e| e.id.unwrap()).collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no duplicates");
    assert!(kinds(&after).contains(&"task.log"));
}
