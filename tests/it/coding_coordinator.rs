//! The coordinator's side of coding tasks (issue 14): what a submission may carry, which nodes
//! are offered one (by model name, family, or any model), the result stored with the task and
//! shown by the real CLI, and the retry policy by the result's status. The node is driven
//! through the API client with capabilities that list a model, and completes with a result the
//! test builds: no model is needed here (coding_worker.rs runs the real one).

use crate::coding_common::*;
use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;

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
    let db = sb.db();
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
