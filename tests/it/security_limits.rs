//! Issue 12 §3 and the submission findings, against the real binary: listings carry summaries
//! (small whatever the tasks hold), each field has a size limit (413 naming it), input no worker
//! could run is refused at submission (400), retention deletes old finished tasks while live
//! ones and the ledger stay, and task output is stored once.

use crate::common::*;
use crate::credits_common::{cli, db};
use edgecoder::api::*;
use serde_json::{Value, json};
use std::time::Duration;

/// Submits a raw JSON body as admin.
async fn submit_raw(coord: &Coordinator, body: &Value) -> Raw {
    send(
        http()
            .post(format!("{}/api/v1/tasks", coord.url))
            .bearer_auth(ADMIN_TOKEN)
            .json(body),
    )
    .await
}

fn options(env: &[(&str, &str)]) -> CoordinatorOptions {
    let mut opts = coordinator_only();
    opts.env
        .extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    opts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_of_tasks_with_large_env_stays_small() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, options(&[("EDGECODER_PRICING", "false")]));
    let admin = coord.admin();
    // 30 tasks of 200 KiB of env each: 6 MB that a listing used to copy in full.
    let value = "E".repeat(100 << 10);
    let mut ids = Vec::new();
    for i in 0..30 {
        let mut req = SubmitRequest::argv(vec!["printenv".into(), "BIG".into()]);
        req.env.insert("BIG".into(), value.clone());
        req.env.insert("BIGGER".into(), value.clone());
        req.files.push(TaskFile {
            path: format!("input-{i}.txt"),
            content: "F".repeat(10_000),
        });
        ids.push(admin.submit(&req).await.expect("submit").task.id);
    }
    let env_total = 30 * 2 * value.len();

    let raw = send(
        http()
            .get(format!("{}/api/v1/tasks?limit=100", coord.url))
            .bearer_auth(ADMIN_TOKEN),
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text);
    eprintln!(
        "a listing of 30 tasks is {} bytes; their env is {env_total} bytes",
        raw.text.len()
    );
    assert!(
        raw.text.len() < 64 << 10,
        "a listing of 30 tasks is {} bytes (their env: {env_total})",
        raw.text.len()
    );
    assert!(!raw.text.contains("EEEE") && !raw.text.contains("FFFF"));
    let list: TaskList = serde_json::from_str(&raw.text).expect("listing");
    assert_eq!(list.tasks.len(), 30);
    for t in &list.tasks {
        assert!(ids.contains(&t.id));
        assert_eq!(
            (t.kind.as_str(), t.command.as_str()),
            ("argv", "printenv BIG")
        );
    }
    for key in ["env", "files", "requirements", "attempt_history"] {
        assert!(
            raw.json()["tasks"][0].get(key).is_none(),
            "a listing row has {key}"
        );
    }

    // `show` still returns the whole task.
    let full = admin.task(&ids[0]).await.expect("show");
    assert_eq!(full.env.get("BIG"), Some(&value));

    // A long command is clipped in the listing, whole in `show`.
    let long = SubmitRequest::argv(vec!["echo".into(), "x".repeat(5000)]);
    let id = admin.submit(&long).await.expect("submit").task.id;
    let list = admin.tasks("limit=1").await.expect("list");
    assert_eq!(list.tasks[0].id, id);
    assert!(list.tasks[0].command.chars().count() <= SUMMARY_CHARS + 1);
    assert_eq!(admin.task(&id).await.expect("show").command, long.command);

    // The CLI's --json listing has the documented summary shape.
    let (code, out, err) = cli(
        &sb,
        &coord.url,
        ADMIN_TOKEN,
        &["server", "tasks", "list", "--json", "--limit", "100"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.len() < 64 << 10, "CLI listing is {} bytes", out.len());
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["tasks"].as_array().map(Vec::len), Some(31));
    let printed: Vec<String> = v["tasks"][0]
        .as_object()
        .expect("a task object")
        .keys()
        .cloned()
        .collect();
    let mut documented = documented_summary_keys();
    let mut printed_sorted = printed.clone();
    documented.sort();
    printed_sorted.sort();
    assert_eq!(
        printed_sorted, documented,
        "docs/json-output.md TaskSummary"
    );
}

/// The keys docs/json-output.md gives for a TaskSummary.
fn documented_summary_keys() -> Vec<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-output.md"))
        .expect("docs/json-output.md");
    let line = doc
        .lines()
        .find_map(|l| l.strip_prefix("- **TaskSummary** `{"))
        .expect("a TaskSummary line");
    line.trim_end_matches("}`")
        .split(',')
        .map(|k| k.trim().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_oversized_field_is_refused_with_413_naming_its_limit() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(
        &sb,
        options(&[
            ("EDGECODER_MAX_ENV_BYTES", "1000"),
            ("EDGECODER_MAX_FILES_BYTES", "2000"),
            ("EDGECODER_MAX_ARGV_BYTES", "3000"),
            ("EDGECODER_MAX_SCRIPT_BYTES", "4000"),
        ]),
    );
    let admin = coord.admin();
    let before = store_view(&admin).await;
    let cases = [
        (
            json!({"command": {"argv": ["true"]}, "env": {"A": "x".repeat(1000)}}),
            "1000",
            "EDGECODER_MAX_ENV_BYTES",
        ),
        (
            json!({"command": {"argv": ["true"]},
                   "files": [{"path": "a", "content": "x".repeat(1500)},
                             {"path": "b", "content": "x".repeat(1500)}]}),
            "2000",
            "EDGECODER_MAX_FILES_BYTES",
        ),
        (
            json!({"command": {"argv": ["echo", "x".repeat(3000)]}}),
            "3000",
            "EDGECODER_MAX_ARGV_BYTES",
        ),
        (
            json!({"command": {"script": format!("echo {}", "x".repeat(4000))}}),
            "4000",
            "EDGECODER_MAX_SCRIPT_BYTES",
        ),
    ];
    for (body, limit, setting) in &cases {
        let raw = submit_raw(&coord, body).await;
        raw.assert_error(413, "field_too_large");
        let message = raw.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            message.contains(&format!("at most {limit} bytes")) && message.contains(setting),
            "{message}"
        );
    }
    // Quotes are checked the same way.
    let mut big_env = SubmitRequest::argv(vec!["true".into()]);
    big_env.env.insert("A".into(), "x".repeat(2000));
    assert_api_error(admin.quote(&big_env).await, 413, "field_too_large");
    // Just under every limit is accepted.
    let ok = json!({"command": {"argv": ["true"]}, "env": {"A": "x".repeat(999)}});
    assert_eq!(submit_raw(&coord, &ok).await.status, 201);
    let after = store_view(&admin).await;
    assert_eq!(
        after.tasks.len(),
        before.tasks.len() + 1,
        "only the one task"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unrunnable_input_is_refused_with_400_at_submission() {
    let sb = Sandbox::new();
    // Limits raised so only the kernel's own limits are in the way.
    let coord = Coordinator::start_with(
        &sb,
        options(&[
            ("EDGECODER_MAX_ENV_BYTES", "4000000"),
            ("EDGECODER_MAX_ARGV_BYTES", "4000000"),
        ]),
    );
    let admin = coord.admin();
    let before = store_view(&admin).await;
    let big_vars: serde_json::Map<String, Value> = (0..10)
        .map(|i| (format!("V{i}"), json!("v".repeat(120 << 10))))
        .collect();
    let file = |path: &str| json!({"path": path, "content": "x"});
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"command": {"argv": ["echo", "a\u{0}b"]}}),
            "command.argv[1]",
        ),
        (
            json!({"command": {"script": "echo a\u{0}b"}}),
            "command.script",
        ),
        (
            json!({"command": {"argv": ["true"]}, "env": {"K": "a\u{0}b"}}),
            "env K",
        ),
        (
            json!({"command": {"argv": ["true"]}, "files": [file("a\u{0}b")]}),
            "files[0].path",
        ),
        // One argument beyond the kernel's per-string limit.
        (
            json!({"command": {"argv": ["echo", "x".repeat(200 << 10)]}}),
            "command.argv[1]",
        ),
        // argv and env together beyond what exec takes.
        (
            json!({"command": {"argv": ["true"]}, "env": big_vars}),
            "command.argv and env",
        ),
        (
            json!({"command": {"argv": ["true"]}, "files": [file("a.txt"), file("a.txt")]}),
            "files[1].path",
        ),
        (
            json!({"command": {"argv": ["true"]}, "files": [file("a//b"), file("a/b/")]}),
            "files[1].path",
        ),
        (
            json!({"command": {"argv": ["true"]}, "files": [file("dir"), file("dir/x")]}),
            "\"dir\" is a file and also the directory",
        ),
        (
            json!({"command": {"argv": ["true"]}, "files": [file("../up")]}),
            "files[0].path",
        ),
        (
            json!({"command": {"argv": ["true"]}, "files": [file("/etc/passwd")]}),
            "files[0].path",
        ),
        (
            json!({"command": {"argv": ["true"]}, "files": [file("")]}),
            "files[0].path",
        ),
        (
            json!({"command": {"script": "true"}, "files": [file(".edgecoder-task.sh")]}),
            "files[0].path",
        ),
    ];
    for (body, names) in &cases {
        let raw = submit_raw(&coord, body).await;
        raw.assert_error(400, "bad_request");
        let message = raw.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(names), "{names:?} not in {message:?}");
    }
    assert_eq!(
        store_view(&admin).await,
        before,
        "no refused task was created"
    );
}

/// Runs task `id` on `node` to success, uploading `output` as its stdout.
async fn run_with_output(node: &edgecoder::api::client::Client, id: &str, output: &str) {
    let c = claim_now(node).await.expect("claim");
    assert_eq!(c.task.id, id);
    node.start(id, &c.lease.lease_id).await.expect("start");
    let mut offset = 0;
    for chunk in output.as_bytes().chunks(512 << 10) {
        let data = String::from_utf8(chunk.to_vec()).expect("ascii output");
        node.upload_log(
            id,
            &LogUpload {
                lease_id: c.lease.lease_id.clone(),
                offset,
                stream: "stdout".into(),
                data,
            },
        )
        .await
        .expect("log");
        offset += chunk.len() as u64;
    }
    node.complete(
        id,
        &complete_req(&c.lease.lease_id, Outcome::Succeeded, None),
    )
    .await
    .expect("complete");
}

fn count(conn: &edgecoder::server::store::db::Db, table: &str, task_id: &str) -> i64 {
    conn.query_row(
        &format!("SELECT COUNT(*) FROM {table} WHERE task_id = ?1"),
        [task_id],
        |r| r.get(0),
    )
    .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_deletes_old_finished_tasks_and_keeps_live_ones_and_the_ledger() {
    let sb = Sandbox::new();
    // 5 seconds, as a fraction of a day; pricing on, so tasks have ledger entries.
    let coord = Coordinator::start_with(
        &sb,
        options(&[
            ("EDGECODER_RETENTION_DAYS", "0.0000579"),
            ("EDGECODER_HEARTBEAT_INTERVAL", "300ms"),
        ]),
    );
    let admin = coord.admin();
    let (node, _node_id) = enroll_node(&admin, "retention-node").await;
    let beat = Heartbeat::start(&node);

    let mut done = Vec::new();
    for i in 0..3 {
        let req = SubmitRequest::argv(vec!["echo".into(), format!("{i}")]);
        let id = admin.submit(&req).await.expect("submit").task.id;
        run_with_output(&node, &id, &format!("output of task {i}\n")).await;
        done.push(id);
    }
    let running = admin
        .submit(&SubmitRequest::argv(vec!["sleep".into(), "600".into()]))
        .await
        .expect("submit")
        .task
        .id;
    let c = claim_now(&node).await.expect("claim");
    node.start(&running, &c.lease.lease_id)
        .await
        .expect("start");
    beat.running.lock().expect("lock").push(running.clone());
    let queued = admin
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit")
        .task
        .id;
    let conn = db(&sb);
    for id in &done {
        assert!(count(&conn, "task_logs", id) > 0 && count(&conn, "events", id) > 0);
    }

    eventually(Duration::from_secs(30), || async {
        let mut gone = 0;
        for id in &done {
            match admin.task(id).await {
                Err(e) if e.status() == Some(404) => gone += 1,
                _ => {}
            }
        }
        (gone == done.len()).then_some(())
    })
    .await;
    for id in &done {
        for table in ["task_logs", "events", "attempts", "leases"] {
            assert_eq!(count(&conn, table, id), 0, "{table} rows of {id} left");
        }
    }
    // Live tasks stay, whatever their age.
    assert_eq!(
        admin.task(&running).await.expect("running").state,
        TaskState::Running
    );
    assert_eq!(
        admin.task(&queued).await.expect("queued").state,
        TaskState::Queued
    );
    // The ledger keeps every entry of the deleted tasks and still verifies.
    let charged: i64 = conn
        .query_row(
            &format!(
                "SELECT COUNT(*) FROM ledger WHERE task_id IN ('{}')",
                done.join("','")
            ),
            [],
            |r| r.get(0),
        )
        .expect("ledger rows");
    assert!(
        charged >= 3,
        "ledger entries of the deleted tasks: {charged}"
    );
    let (code, out, err) = cli(
        &sb,
        &coord.url,
        ADMIN_TOKEN,
        &["server", "ledger", "verify"],
    );
    assert_eq!(code, Some(0), "ledger verify: {out}{err}");
    assert!(out.starts_with("OK:"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_negative_retention_is_refused_at_start() {
    let sb = Sandbox::new();
    let refused = Coordinator::try_start(&sb, options(&[("EDGECODER_RETENTION_DAYS", "-1")]));
    let err = refused.err().expect("a negative retention is refused");
    assert!(err.contains("EDGECODER_RETENTION_DAYS"), "{err}");
}

/// Database bytes in use, after folding the WAL in.
fn db_bytes(conn: &edgecoder::server::store::db::Db) -> i64 {
    let conn = conn
        .sqlite()
        .expect("database bytes are measured on SQLite");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("pages");
    let free: i64 = conn
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .expect("free");
    let size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("size");
    (pages - free) * size
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_output_is_stored_once_and_still_streams() {
    const OUTPUT: usize = 16 << 20;
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, options(&[("EDGECODER_PRICING", "false")]));
    let admin = coord.admin();
    let (node, _node_id) = enroll_node(&admin, "output-node").await;
    let _beat = Heartbeat::start(&node);
    let id = admin
        .submit(&SubmitRequest::argv(vec!["yes".into()]))
        .await
        .expect("submit")
        .task
        .id;
    let conn = db(&sb);
    let before = db_bytes(&conn);
    let line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n";
    let output = line.repeat(OUTPUT / line.len());
    run_with_output(&node, &id, &output).await;
    let growth = db_bytes(&conn) - before;
    eprintln!(
        "database grew {growth} bytes for {} bytes of output ({:.2}x)",
        output.len(),
        growth as f64 / output.len() as f64
    );
    assert!(
        (growth as f64) < 1.5 * output.len() as f64,
        "database grew {growth} bytes for {} bytes of output",
        output.len()
    );

    // The one copy serves the task's stream (with offsets) and its logs.
    let resp = http()
        .get(format!("{}/api/v1/tasks/{id}/stream", coord.url))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("stream");
    let mut reader = SseReader::new(resp);
    let events = reader.collect_to_end(Duration::from_secs(60)).await;
    let mut streamed = String::new();
    for e in events.iter().filter(|e| e.event == "task.log") {
        let v = e.json();
        assert_eq!(v["data"]["offset"].as_u64(), Some(streamed.len() as u64));
        streamed.push_str(v["data"]["data"].as_str().expect("log data"));
    }
    assert!(streamed == output, "streamed output differs");
    let mut logged = String::new();
    loop {
        let page = admin.logs(&id, logged.len() as u64).await.expect("logs");
        if page.chunks.is_empty() {
            break;
        }
        for c in page.chunks {
            logged.push_str(&c.data);
        }
    }
    assert!(logged == output, "logged output differs");
}
