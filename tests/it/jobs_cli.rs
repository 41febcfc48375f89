//! `edgecoder server jobs …` end to end: the real binary against a real coordinator whose real
//! `InferenceClient` talks to a stand-in inference service at the wire level (a fixed
//! decomposition: the graph is the coordinator's, not this test's). Without agents the commands
//! that need no model (submit, `--json` shapes, `--follow`'s lines, list, show's tree, wait's
//! timeout, cancel and its exit code, bad input); with a real agent and the real test model the
//! outcomes: `--wait` exits 0 and writes the merged tree into `--out`, 5 when `--out` holds a
//! file the user changed (left as it was), 1 when the job's own check fails (`--follow` telling
//! the claims and iterations). Subtask checks are `true`, so no outcome depends on how well a
//! 135M model codes.

use crate::common::*;
use crate::llm;
use crate::worker_common::{Out, cli_with, fast_env, server_cmd, start_node};
use serde_json::json;
use std::process::Stdio;
use std::time::{Duration, Instant};

const INFERENCE_TOKEN: &str = "jobs-cli-inference-token-0123456789";

/// A stand-in inference service answering `/v1/decompose` and `/v1/escalate` with fixed
/// documents (after checking the token), on its own thread and runtime so that blocking CLI
/// runs in the test never hold it up.
struct Stub {
    url: String,
    _runtime: std::thread::JoinHandle<()>,
}

fn stub(subtasks: serde_json::Value) -> Stub {
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    let decompose = json!({
        "subtasks": subtasks, "log": ["stand-in: a fixed decomposition"],
        "model": "stand-in", "tokens_in": 10, "tokens_out": 20,
    });
    let escalate = json!({
        "files": [{"path": "repaired.py", "content": "print('repaired')\n"}],
        "explanation": "stand-in", "model": "stand-in-strong", "tokens_in": 1, "tokens_out": 1,
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the stand-in");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let authorised = |h: &HeaderMap| {
        h.get("authorization").and_then(|v| v.to_str().ok())
            == Some(&format!("Bearer {INFERENCE_TOKEN}"))
    };
    let answer = move |doc: serde_json::Value| {
        move |h: HeaderMap| {
            let doc = doc.clone();
            async move {
                if authorised(&h) {
                    (StatusCode::OK, axum::Json(doc))
                } else {
                    let e = json!({"error": {"code": "unauthorized", "message": "bad token"}});
                    (StatusCode::UNAUTHORIZED, axum::Json(e))
                }
            }
        }
    };
    let app = axum::Router::new()
        .route("/v1/decompose", post(answer(decompose)))
        .route("/v1/escalate", post(answer(escalate)));
    let runtime = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let _ = axum::serve(listener, app).await;
        });
    });
    Stub {
        url,
        _runtime: runtime,
    }
}

fn subtask(id: &str, deps: &[&str]) -> serde_json::Value {
    json!({
        "id": id, "title": format!("part {id}"),
        "prompt": "Write a Python program main.py that prints hello.",
        "language": "python", "files": [], "depends_on": deps, "check": "true",
    })
}

/// A coordinator with no local worker that reaches the stand-in.
fn coordinator(sb: &Sandbox, stub: &Stub) -> Coordinator {
    let mut env = fast_env(sb, "300ms");
    env.push(("EDGECODER_INFERENCE_URL".into(), stub.url.clone()));
    env.push(("EDGECODER_INFERENCE_TOKEN".into(), INFERENCE_TOKEN.into()));
    Coordinator::start_with(
        sb,
        CoordinatorOptions {
            args: vec![
                "--port".into(),
                "0".into(),
                "--mode".into(),
                "coordinator".into(),
            ],
            env,
            ..Default::default()
        },
    )
}

fn jobs(sb: &Sandbox, coord: &Coordinator, args: &[&str]) -> Out {
    let mut all = vec!["server", "jobs"];
    all.extend_from_slice(args);
    cli_with(server_cmd(sb, &coord.url), &all, None)
}

/// A CLI run that may take minutes (a real model behind it), with its own deadline.
fn jobs_long(sb: &Sandbox, coord: &Coordinator, args: &[&str], within: Duration) -> Out {
    let mut c = server_cmd(sb, &coord.url);
    c.args(["server", "jobs"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = c.spawn().expect("spawn edgecoder");
    let pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watch = done.clone();
    std::thread::spawn(move || {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if watch.load(std::sync::atomic::Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // SAFETY: our own child; a kill shows as a missing exit code below.
        unsafe {
            libc::kill(pid as i32, libc::SIGKILL);
        }
    });
    let out = child.wait_with_output().expect("wait");
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json_of(out: &Out) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.text()))
}

#[tokio::test]
async fn jobs_commands_without_agents_submit_follow_list_show_wait_cancel() {
    let sb = Sandbox::new();
    let stand_in = stub(json!([subtask("a", &[]), subtask("b", &["a"])]));
    let coord = coordinator(&sb, &stand_in);
    let doc = crate::cli_server::documented();

    // submit --json: {job, created}, the Job as documented.
    let out = jobs(
        &sb,
        &coord,
        &[
            "submit",
            "two parts",
            "--part-check",
            "ruff check .",
            "--json",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.text());
    let submitted = json_of(&out);
    assert_eq!(
        submitted["job"]["part_check"], "ruff check .",
        "{submitted}"
    );
    doc.check("server jobs submit PROMPT", &submitted);
    doc.check_object("Job", &submitted["job"]);
    let id = submitted["job"]["id"].as_str().expect("id").to_string();

    // --follow prints the job's events as they come; with no agent it never ends: --timeout.
    let out = jobs(
        &sb,
        &coord,
        &["submit", "followed", "--follow", "--timeout", "6s"],
    );
    assert_eq!(out.code, Some(124), "{}", out.text());
    assert!(
        out.stdout.contains("decomposed into 2 subtask(s)"),
        "{}",
        out.text()
    );
    assert!(
        out.stdout.contains("subtask a queued as task"),
        "{}",
        out.text()
    );
    assert!(
        !out.stdout.contains("subtask b queued"),
        "b waits for a: {}",
        out.text()
    );
    assert!(out.stderr.contains("the job goes on"), "{}", out.text());

    // Wait for the first job's decomposition, then show its tree: b under a, waiting.
    let admin = coord.admin();
    eventually(Duration::from_secs(30), || async {
        let j = admin.job(&id).await.ok()?;
        (j.subtasks.len() == 2).then_some(())
    })
    .await;
    let out = jobs(&sb, &coord, &["show", &id[..8]]);
    assert_eq!(out.code, Some(0), "{}", out.text());
    let a_at = out
        .stdout
        .find("  ○ a queued  part a")
        .unwrap_or_else(|| panic!("{}", out.stdout));
    let b_at = out
        .stdout
        .find("    · b waiting  part b")
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(a_at < b_at, "{}", out.stdout);
    let out = jobs(&sb, &coord, &["show", &id, "--json"]);
    let shown = json_of(&out);
    doc.check("server jobs show ID", &shown);
    doc.check_object("JobSubtask", &shown["subtasks"][0]);

    // list: the table and the documented JSON.
    let out = jobs(&sb, &coord, &["list"]);
    assert!(
        out.stdout.contains(&id) && out.stdout.contains("running"),
        "{}",
        out.text()
    );
    let listed = json_of(&jobs(
        &sb,
        &coord,
        &["list", "--json", "--state", "running"],
    ));
    doc.check("server jobs list", &listed);
    doc.check_object("JobSummary", &listed["jobs"][0]);
    assert_eq!(listed["jobs"].as_array().map(Vec::len), Some(2), "{listed}");

    // wait gives up after --timeout (124) and the job goes on.
    let out = jobs(&sb, &coord, &["wait", &id, "--timeout", "1s"]);
    assert_eq!(out.code, Some(124), "{}", out.text());

    // cancel, then wait: 130, and --json prints the cancelled Job.
    let out = jobs(&sb, &coord, &["cancel", &id]);
    assert_eq!(out.code, Some(0), "{}", out.text());
    assert!(
        out.stdout.contains(&format!("job {id} cancel")),
        "{}",
        out.text()
    );
    let out = jobs(&sb, &coord, &["wait", &id, "--json"]);
    assert_eq!(out.code, Some(130), "{}", out.text());
    let waited = json_of(&out);
    doc.check("server jobs wait ID", &waited);
    assert_eq!(waited["state"], "cancelled", "{waited}");
    let subs = waited["subtasks"].as_array().expect("subtasks");
    assert!(
        subs.iter()
            .all(|s| s["state"] != "queued" && s["state"] != "running"),
        "an open subtask outlived the cancel: {waited}"
    );
}

#[tokio::test]
async fn jobs_bad_input_is_refused_with_what_to_do() {
    let sb = Sandbox::new();
    let stand_in = stub(json!([subtask("a", &[])]));
    let coord = coordinator(&sb, &stand_in);
    for (args, code, says) in [
        (vec!["submit", "  "], 2, "the prompt is empty"),
        (
            vec!["submit", "x", "--lang", "cobol"],
            2,
            "use one of python",
        ),
        (
            vec!["submit", "x", "--max-subtasks", "0"],
            2,
            "give 1 to 128",
        ),
        (vec!["submit", "x", "--out", "o"], 2, "add --wait"),
        (vec!["submit", "x", "--timeout", "1m"], 2, "add --wait"),
        (
            vec!["submit", "x", "--wait", "--follow"],
            2,
            "cannot be used with",
        ),
        (vec!["submit", "x", "--follow", "--json"], 2, "choose one"),
        (vec!["submit", "x", "--file", "missing.py"], 2, "missing.py"),
        (vec!["list", "--state", "done"], 2, "use one of decomposing"),
        (vec!["show", "no-such-job"], 4, "no-such-job"),
        (vec!["cancel", "no-such-job"], 4, "no-such-job"),
    ] {
        let out = jobs(&sb, &coord, &args);
        assert_eq!(out.code, Some(code), "{args:?}: {}", out.text());
        assert!(out.stderr.contains(says), "{args:?}: {}", out.text());
        assert!(!out.stderr.contains("panicked"), "{args:?}: {}", out.text());
    }
    // At the wire: a part check the shell cannot take is refused, naming the field.
    for bad in ["  ", "a\0b"] {
        let mut req = crate::jobs_graph::job_request("x");
        req.part_check = Some(bad.into());
        let refused = coord.admin().submit_job(&req).await.expect_err("refused");
        assert_eq!(refused.status(), Some(400), "{refused}");
        assert!(
            refused
                .to_string()
                .contains("part_check must be a shell command"),
            "{refused}"
        );
    }
    // Nothing was submitted by any of them.
    let listed = coord.admin().jobs(None, None).await.expect("jobs");
    assert!(listed.jobs.is_empty(), "{listed:?}");
}

#[tokio::test]
async fn jobs_submit_wait_exits_by_outcome_and_writes_out_refusing_changed_files() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    // One subtask: two independent ones may both write the same path (the model chooses), a
    // conflict that fails the job whatever this test is about.
    let stand_in = stub(json!([subtask("a", &[])]));
    let coord = coordinator(&sb, &stand_in);
    let _node = start_node(
        &coord,
        "coder",
        &[
            ("EDGECODER_OPENAI_BASE_URL", model.base_url.as_str()),
            ("EDGECODER_OPENAI_MODEL", model.model),
            ("MAX_CONCURRENT_TASKS", "2"),
        ],
    )
    .await;
    std::fs::write(sb.path().join("notes.txt"), "given\n").expect("input");
    let long = Duration::from_secs(600);
    let common = [
        "--file",
        "notes.txt",
        "--max-iterations",
        "1",
        "--check",
        "test -f notes.txt",
    ];

    // Succeeded: exit 0, the Job on stdout, the merged files written into --out.
    let mut args = vec!["submit", "hello", "--wait", "--json", "--out", "out"];
    args.extend(common);
    let out = jobs_long(&sb, &coord, &args, long);
    assert_eq!(out.code, Some(0), "{}", out.text());
    let job = json_of(&out);
    crate::cli_server::documented().check("server jobs submit PROMPT --wait", &job);
    assert_eq!(job["state"], "succeeded", "{job}");
    crate::cli_server::documented().check_object("JobResult", &job["result"]);
    // What the model wrote is its own; that the merged tree landed in --out whole is ours.
    let files = job["result"]["files"].as_array().expect("files");
    assert!(
        files.iter().any(|f| f["path"] == "notes.txt"),
        "the inputs are in the merged tree: {job}"
    );
    for f in files {
        let path = f["path"].as_str().expect("path");
        assert_eq!(
            std::fs::read_to_string(sb.path().join("out").join(path))
                .ok()
                .as_deref(),
            f["content"].as_str(),
            "{path} in --out"
        );
    }

    // --out holding a file changed since the job started: refused (5), left as it was.
    std::fs::create_dir_all(sb.path().join("mine")).expect("dir");
    std::fs::write(sb.path().join("mine/notes.txt"), "my own edits\n").expect("edit");
    let mut args = vec!["submit", "hello again", "--wait", "--out", "mine"];
    args.extend(common);
    let out = jobs_long(&sb, &coord, &args, long);
    assert_eq!(out.code, Some(5), "{}", out.text());
    assert!(out.stderr.contains("--force"), "{}", out.text());
    assert_eq!(
        std::fs::read_to_string(sb.path().join("mine/notes.txt")).expect("kept"),
        "my own edits\n"
    );

    // The job's own check fails: exit 1; --follow told the claims and the iterations.
    let out = jobs_long(
        &sb,
        &coord,
        &[
            "submit",
            "hello, checked wrongly",
            "--follow",
            "--max-iterations",
            "1",
            "--check",
            "false",
        ],
        long,
    );
    assert_eq!(out.code, Some(1), "{}", out.text());
    assert!(out.stdout.contains("claimed by node"), "{}", out.text());
    assert!(out.stdout.contains("iteration 1/1"), "{}", out.text());
}
