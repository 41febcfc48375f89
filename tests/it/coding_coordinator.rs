//! The coordinator's side of coding tasks (issue 14): what a submission may carry, which nodes
//! are offered one (by model name, family, or any model), the result stored with the task and
//! shown by the real CLI, the retry policy by the result's status, and `server code --wait`
//! writing the files. The node is driven through the API client with capabilities that list a
//! model, and completes with a result the test builds: no model is needed here.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::Duration;

fn code_req(prompt: &str) -> SubmitRequest {
    let mut req = SubmitRequest::argv(vec!["unused".into()]);
    req.command = TaskCommand::Code(Box::new(CodeSpec {
        prompt: prompt.into(),
        language: "python".into(),
        check: Some("python3 test_main.py".into()),
        model: None,
        max_iterations: None,
        check_timeout_secs: None,
        history: Vec::new(),
    }));
    req
}

fn with_spec(prompt: &str, change: impl FnOnce(&mut CodeSpec)) -> SubmitRequest {
    let mut req = code_req(prompt);
    if let TaskCommand::Code(spec) = &mut req.command {
        change(spec);
    }
    req
}

/// Capabilities of a node serving these models (name, family).
fn model_caps(models: &[(&str, &str)]) -> Capabilities {
    let mut c = caps(4096, 0);
    c.models = models.iter().map(|(n, _)| n.to_string()).collect();
    c.model_details = models
        .iter()
        .map(|(n, f)| ModelInfo {
            name: n.to_string(),
            backend: "ollama".into(),
            family: Some(f.to_string()),
            ..Default::default()
        })
        .collect();
    c
}

fn iteration(number: u32, passed: bool, tail: &str) -> CodeIteration {
    CodeIteration {
        number,
        files_changed: vec!["main.py".into()],
        check_passed: passed,
        check_exit_code: Some(if passed { 0 } else { 1 }),
        check_output_tail: tail.into(),
        error: (!passed).then(|| "check failed".to_string()),
        duration_ms: 1500,
        model_ms: 1200,
        check_ms: 250,
        tokens_in: 400,
        tokens_out: 120,
        truncated: false,
    }
}

fn result(
    status: CodeStatus,
    files: &[(&str, &str)],
    iterations: Vec<CodeIteration>,
) -> CodeResult {
    CodeResult {
        status,
        reason: (status != CodeStatus::Succeeded).then(|| format!("{} (test)", status.as_str())),
        plan: "write add() and test it".into(),
        files: files
            .iter()
            .map(|(p, c)| TaskFile {
                path: p.to_string(),
                content: c.to_string(),
            })
            .collect(),
        tokens_in: iterations.iter().map(|i| i.tokens_in).sum(),
        tokens_out: iterations.iter().map(|i| i.tokens_out).sum(),
        iterations,
        model: "qwen2.5-coder:7b".into(),
        backend: "ollama".into(),
    }
}

fn completion(lease_id: &str, code: CodeResult) -> CompleteRequest {
    let outcome = if code.status == CodeStatus::Succeeded {
        Outcome::Succeeded
    } else {
        Outcome::Failed
    };
    CompleteRequest {
        code: Some(code),
        ..complete_req(lease_id, outcome, None)
    }
}

/// Claims (long-polling) until the node is offered a task, and accepts it.
async fn claim_and_start(node: &Client) -> ClaimedTask {
    let claimed = eventually(Duration::from_secs(20), || async {
        node.claim(Duration::from_secs(2))
            .await
            .expect("claim")
            .claimed
    })
    .await;
    node.start(&claimed.task.id, &claimed.lease.lease_id)
        .await
        .expect("start");
    claimed
}

#[tokio::test]
async fn submissions_that_no_worker_could_run_are_refused_with_what_to_do() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    // A body limit above 10 MB, so the prompt's own limit is the one that answers.
    opts.env
        .push(("EDGECODER_MAX_BODY_BYTES".into(), (32u64 << 20).to_string()));
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let before = store_view(&admin).await;

    let empty = admin
        .submit(&code_req("   "))
        .await
        .expect_err("empty prompt");
    assert_eq!(empty.status(), Some(400), "{empty}");
    assert!(empty.to_string().contains("prompt is empty"), "{empty}");

    let unknown = admin
        .submit(&with_spec("x", |s| s.language = "cobol".into()))
        .await
        .expect_err("unknown language");
    assert_eq!(unknown.status(), Some(400), "{unknown}");
    for lang in LANGUAGES {
        assert!(unknown.to_string().contains(lang), "{unknown}");
    }

    let huge = admin
        .submit(&code_req(&"a".repeat(10 << 20)))
        .await
        .expect_err("10 MB prompt");
    assert_eq!(huge.status(), Some(413), "{huge}");
    assert!(
        huge.to_string().contains("EDGECODER_MAX_PROMPT_BYTES"),
        "{huge}"
    );

    for n in [0, 99] {
        let err = admin
            .submit(&with_spec("x", |s| s.max_iterations = Some(n)))
            .await
            .expect_err("iterations out of range");
        assert_eq!(err.status(), Some(400), "{err}");
        assert!(err.to_string().contains("max_iterations"), "{err}");
    }
    for (what, bad) in [
        ("check", with_spec("x", |s| s.check = Some("  ".into()))),
        (
            "model",
            with_spec("x", |s| s.model = Some("a model".into())),
        ),
        ("prompt", code_req("nul\0byte")),
    ] {
        let err = admin.submit(&bad).await.expect_err(what);
        assert_eq!(err.status(), Some(400), "{what}: {err}");
    }
    let mut conflicting = with_spec("x", |s| s.model = Some("a:1b".into()));
    conflicting.requirements.model = Some("b:1b".into());
    let err = admin.submit(&conflicting).await.expect_err("two models");
    assert_eq!(err.status(), Some(400), "{err}");
    assert_eq!(
        store_view(&admin).await,
        before,
        "a refusal stored something"
    );

    // The real CLI says the same, as a one-line error.
    let out = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "code", "add two numbers", "--lang", "cobol"],
        None,
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("python, javascript"), "{out:?}");
}

#[tokio::test]
async fn a_coding_task_is_offered_only_to_nodes_that_serve_its_model() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (plain, _) = enroll_as(&admin, "plain", &[], caps(4096, 0), true).await;
    let (qwen, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let (llama, _) = enroll_as(
        &admin,
        "llama",
        &[],
        model_caps(&[("llama3.2:3b", "llama")]),
        true,
    )
    .await;

    // Exact name.
    let named = admin
        .submit(&with_spec("x", |s| {
            s.model = Some("qwen2.5-coder:7b".into())
        }))
        .await
        .expect("submit")
        .task;
    assert!(named.requirements.any_model);
    assert_eq!(
        named.requirements.model.as_deref(),
        Some("qwen2.5-coder:7b")
    );
    let queue = admin.queue().await.expect("queue");
    assert!(
        queue
            .backlog
            .iter()
            .any(|b| b.requirements.model.as_deref() == Some("qwen2.5-coder:7b")),
        "{queue:?}"
    );
    assert!(claim_now(&plain).await.is_none());
    assert!(claim_now(&llama).await.is_none());
    assert_eq!(claim_now(&qwen).await.expect("offered").task.id, named.id);

    // A family.
    let mut family = code_req("y");
    family.requirements.model_family = Some("llama".into());
    let family = admin.submit(&family).await.expect("submit").task;
    assert!(claim_now(&plain).await.is_none());
    assert!(claim_now(&qwen).await.is_none());
    assert_eq!(claim_now(&llama).await.expect("offered").task.id, family.id);

    // Any model.
    let any = admin.submit(&code_req("z")).await.expect("submit").task;
    assert!(claim_now(&plain).await.is_none());
    assert_eq!(claim_now(&qwen).await.expect("offered").task.id, any.id);
}

#[tokio::test]
async fn a_backlog_needing_a_model_nobody_has_never_hides_plain_work() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let mut first_code = None;
    for i in 0..50 {
        let t = admin
            .submit(&with_spec(&format!("task {i}"), |s| {
                s.model = Some("rare-model:70b".into())
            }))
            .await
            .expect("submit")
            .task;
        first_code.get_or_insert(t.id);
    }
    let plain_task = admin
        .submit(&SubmitRequest::argv(vec!["echo".into(), "hi".into()]))
        .await
        .expect("submit")
        .task;
    let (plain, _) = enroll_as(&admin, "plain", &[], caps(4096, 0), true).await;
    let (rare, _) = enroll_as(
        &admin,
        "rare",
        &[],
        model_caps(&[("rare-model:70b", "rare")]),
        true,
    )
    .await;
    assert_eq!(
        claim_now(&plain).await.expect("plain work").task.id,
        plain_task.id
    );
    assert_eq!(
        Some(claim_now(&rare).await.expect("coding work").task.id),
        first_code
    );
}

#[tokio::test]
async fn a_completed_coding_task_shows_its_result_and_a_stale_lease_changes_nothing() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let task = admin
        .submit(&code_req("add two numbers"))
        .await
        .expect("submit")
        .task;
    let claimed = claim_and_start(&node).await;
    assert_eq!(claimed.task.id, task.id);
    let code = result(
        CodeStatus::Succeeded,
        &[("main.py", "def add(a, b):\n    return a + b\n")],
        vec![
            iteration(1, false, "AssertionError: 3 != 4"),
            iteration(2, true, "ok"),
        ],
    );
    let done = node
        .complete(&task.id, &completion(&claimed.lease.lease_id, code.clone()))
        .await
        .expect("complete")
        .task;
    assert_eq!(done.state, TaskState::Succeeded);

    let show = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "tasks", "show", &task.id, "--json"],
        None,
    );
    assert_eq!(show.code, Some(0), "{show:?}");
    let shown: TaskInfo = serde_json::from_str(&show.stdout).expect("task JSON");
    assert_eq!(shown.code_result.as_ref(), Some(&code));
    assert_eq!(
        shown
            .code_result
            .as_ref()
            .map(|c| (c.tokens_in, c.tokens_out)),
        Some((800, 240))
    );

    // The token totals are on the task row itself, where the ledger's entries point.
    let db = rusqlite::Connection::open_with_flags(
        sb.data_dir().join("edgecoder.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the database");
    let tokens: (i64, i64) = db
        .query_row(
            "SELECT tokens_in, tokens_out FROM tasks WHERE id = ?1",
            [&task.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("tokens");
    assert_eq!(tokens, (800, 240));

    let human = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "tasks", "show", &task.id],
        None,
    );
    assert_eq!(human.code, Some(0), "{human:?}");
    for needle in [
        "succeeded (model qwen2.5-coder:7b via ollama)",
        "check failed, exit 1",
        "check passed, exit 0",
        "main.py",
        "800 in, 240 out",
    ] {
        assert!(human.stdout.contains(needle), "{needle:?} in {human:?}");
    }

    // Listings stay small: no result in them.
    let list = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "tasks", "list", "--json"],
        None,
    );
    assert!(!list.stdout.contains("code_result"), "{list:?}");
    assert!(!list.stdout.contains("def add"), "{list:?}");

    // A second completion with the same (now stale) lease is refused and changes nothing.
    let other = result(CodeStatus::CheckNeverPassed, &[("evil.py", "x")], vec![]);
    let again = node
        .complete(&task.id, &completion(&claimed.lease.lease_id, other))
        .await;
    assert_api_error(again, 409, "stale_lease");
    let after = admin.task(&task.id).await.expect("task");
    assert_eq!(after.state, TaskState::Succeeded);
    assert_eq!(after.code_result.as_ref(), Some(&code));
}

#[tokio::test]
async fn an_unreachable_model_requeues_the_task_with_the_reason() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let caps = model_caps(&[("qwen2.5-coder:7b", "qwen2")]);
    let (a, a_id) = enroll_as(&admin, "a", &[], caps.clone(), true).await;
    let (b, b_id) = enroll_as(&admin, "b", &[], caps, true).await;
    let mut req = code_req("add two numbers");
    req.max_attempts = Some(3);
    let task = admin.submit(&req).await.expect("submit").task;
    let claimed = claim_and_start(&a).await;
    let mut lost = result(CodeStatus::ModelUnreachable, &[], vec![]);
    lost.reason = Some("ollama at http://127.0.0.1:11434: connection refused".into());
    a.complete(&task.id, &completion(&claimed.lease.lease_id, lost))
        .await
        .expect("complete");
    let back = admin.task(&task.id).await.expect("task");
    assert_eq!(back.state, TaskState::Queued, "{back:?}");
    assert_eq!(back.attempt_history.len(), 1);
    assert!(
        back.attempt_history[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("connection refused")),
        "{back:?}"
    );
    // Another node takes it (after the retry backoff).
    let again = claim_and_start(&b).await;
    assert_eq!(again.task.id, task.id);
    assert_eq!(again.task.node_id.as_deref(), Some(b_id.as_str()));
    assert_ne!(a_id, b_id);
}

#[tokio::test]
async fn a_loop_that_ran_to_its_end_is_final_and_not_retried() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    for status in [
        CodeStatus::CheckNeverPassed,
        CodeStatus::ModelOutputUnusable,
    ] {
        let mut req = code_req("add two numbers");
        req.max_attempts = Some(3);
        let task = admin.submit(&req).await.expect("submit").task;
        let claimed = claim_and_start(&node).await;
        assert_eq!(claimed.task.id, task.id);
        let failed = result(
            status,
            &[],
            vec![iteration(1, false, "boom"), iteration(2, false, "boom")],
        );
        let done = node
            .complete(&task.id, &completion(&claimed.lease.lease_id, failed))
            .await
            .expect("complete")
            .task;
        assert_eq!(done.state, TaskState::Failed, "{status:?}: {done:?}");
        assert_eq!(done.attempts, 1);
        assert!(
            done.error
                .as_deref()
                .is_some_and(|e| e.contains(status.as_str()))
        );
        assert!(claim_now(&node).await.is_none(), "{status:?} was retried");
    }
}

/// Runs `server code …` in the background while the test drives the node.
fn spawn_cli(
    sb: &Sandbox,
    url: &str,
    args: &[&str],
) -> tokio::task::JoinHandle<(Option<i32>, String, String)> {
    let mut c = server_cmd(sb, url);
    c.args(args);
    tokio::task::spawn_blocking(move || run_to_end(c, Duration::from_secs(60)))
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_wait_writes_the_files_when_the_check_passed() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    std::fs::write(sb.path().join("main.py"), "def add(a, b):\n    pass\n").expect("input");
    let cli = spawn_cli(
        &sb,
        &coord.url,
        &[
            "server",
            "code",
            "make add() work",
            "--file",
            "main.py",
            "--check",
            "python3 test_main.py",
            "--model",
            "qwen2.5-coder:7b",
            "--wait",
            "--out",
            "out",
        ],
    );
    let claimed = claim_and_start(&node).await;
    match &claimed.task.command {
        TaskCommand::Code(spec) => {
            assert_eq!(spec.prompt, "make add() work");
            assert_eq!(spec.check.as_deref(), Some("python3 test_main.py"));
            assert_eq!(spec.model.as_deref(), Some("qwen2.5-coder:7b"));
        }
        other => panic!("not a coding task: {other:?}"),
    }
    assert_eq!(claimed.files.len(), 1);
    assert_eq!(claimed.files[0].path, "main.py");
    let files = [
        ("main.py", "def add(a, b):\n    return a + b\n"),
        (
            "test_main.py",
            "from main import add\nassert add(1, 2) == 3\n",
        ),
    ];
    let code = result(CodeStatus::Succeeded, &files, vec![iteration(1, true, "")]);
    node.complete(&claimed.task.id, &completion(&claimed.lease.lease_id, code))
        .await
        .expect("complete");
    let (exit, _, stderr) = cli.await.expect("cli");
    assert_eq!(exit, Some(0), "{stderr}");
    assert!(stderr.contains("iteration 1"), "{stderr}");
    for (path, content) in files {
        let written = std::fs::read_to_string(sb.path().join("out").join(path)).expect(path);
        assert_eq!(written, content);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_wait_exits_1_with_the_reason_and_the_last_check_output() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let cli = spawn_cli(
        &sb,
        &coord.url,
        &[
            "server",
            "code",
            "make add() work",
            "--check",
            "false",
            "--wait",
            "--out",
            "out",
        ],
    );
    let claimed = claim_and_start(&node).await;
    let failed = result(
        CodeStatus::CheckNeverPassed,
        &[("main.py", "broken")],
        vec![
            iteration(1, false, "first failure"),
            iteration(2, false, "AssertionError: 3 != 4"),
        ],
    );
    node.complete(
        &claimed.task.id,
        &completion(&claimed.lease.lease_id, failed),
    )
    .await
    .expect("complete");
    let (exit, _, stderr) = cli.await.expect("cli");
    assert_eq!(exit, Some(1), "{stderr}");
    assert!(stderr.contains("check_never_passed (test)"), "{stderr}");
    assert!(stderr.contains("AssertionError: 3 != 4"), "{stderr}");
    assert!(
        !sb.path().join("out").join("main.py").exists(),
        "a failed result was written"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_refuses_to_overwrite_a_changed_file_without_force() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let out = sb.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    std::fs::write(out.join("main.py"), "# my own work\n").expect("mine");
    let files = [("main.py", "print('model')\n")];
    for force in [false, true] {
        let mut args = vec![
            "server",
            "code",
            "print something",
            "--wait",
            "--out",
            "out",
        ];
        if force {
            args.push("--force");
        }
        let cli = spawn_cli(&sb, &coord.url, &args);
        let claimed = claim_and_start(&node).await;
        let code = result(CodeStatus::Succeeded, &files, vec![iteration(1, true, "")]);
        node.complete(&claimed.task.id, &completion(&claimed.lease.lease_id, code))
            .await
            .expect("complete");
        let (exit, _, stderr) = cli.await.expect("cli");
        let on_disk = std::fs::read_to_string(out.join("main.py")).expect("read");
        if force {
            assert_eq!(exit, Some(0), "{stderr}");
            assert_eq!(on_disk, "print('model')\n");
        } else {
            assert_eq!(exit, Some(5), "{stderr}");
            assert!(stderr.contains("--force"), "{stderr}");
            assert!(stderr.contains(&claimed.task.id), "{stderr}");
            assert_eq!(on_disk, "# my own work\n", "a changed file was overwritten");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_json_matches_the_documented_shapes() {
    let doc = crate::cli_server::documented();
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let submitted = cli_with(
        server_cmd(&sb, &coord.url),
        &[
            "server",
            "code",
            "add",
            "--check",
            "true",
            "--model",
            "qwen2.5-coder:7b",
            "--json",
        ],
        None,
    );
    assert_eq!(submitted.code, Some(0), "{submitted:?}");
    let submitted: serde_json::Value = serde_json::from_str(&submitted.stdout).expect("JSON");
    doc.check("server code PROMPT", &submitted);
    doc.check_object("CodeSpec", &submitted["task"]["command"]["code"]);
    let claimed = claim_and_start(&node).await;
    node.complete(
        &claimed.task.id,
        &completion(
            &claimed.lease.lease_id,
            result(CodeStatus::CheckNeverPassed, &[], vec![]),
        ),
    )
    .await
    .expect("complete");

    let cli = spawn_cli(
        &sb,
        &coord.url,
        &["server", "--json", "code", "add", "--wait"],
    );
    let claimed = claim_and_start(&node).await;
    let code = result(
        CodeStatus::Succeeded,
        &[("main.py", "print(1)\n")],
        vec![iteration(1, false, "x"), iteration(2, true, "")],
    );
    node.complete(&claimed.task.id, &completion(&claimed.lease.lease_id, code))
        .await
        .expect("complete");
    let (exit, stdout, stderr) = cli.await.expect("cli");
    assert_eq!(exit, Some(0), "{stderr}");
    let task: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    doc.check("server code PROMPT --wait", &task);
    doc.check_object("CodeResult", &task["code_result"]);
    doc.check_object("CodeIteration", &task["code_result"]["iterations"][0]);
    assert_eq!(task["requirements"]["any_model"], true);
}
