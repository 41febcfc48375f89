//! Coding tasks on a worker, end to end with a real model: `edgecoder serve` and its local
//! worker, whose model backend is the test model (SmolLM2-135M on llama.cpp's OpenAI-compatible
//! server), a `code` task submitted through the API. These assert the mechanics (iterations,
//! the log, the result, one attempt), never the cleverness of a 135M model: a check that must
//! pass only asks for the entry file; one that must fail can never pass.

use crate::common::*;
use crate::llm;
use crate::machine::skip_unless_ci;
use crate::worker_common::server_cmd;
use edgecoder::api::*;
use std::time::{Duration, Instant};

/// A coordinator whose local worker uses the test model, with a 300 ms heartbeat: a lease lives
/// 900 ms past the last sign of life, far less than one model call.
fn coordinator(model: &llm::LlmServer) -> (Sandbox, Coordinator) {
    let sb = Sandbox::new();
    let opts = CoordinatorOptions {
        env: vec![
            ("EDGECODER_OPENAI_BASE_URL".into(), model.base_url.clone()),
            ("EDGECODER_OPENAI_MODEL".into(), model.model.into()),
            ("EDGECODER_HEARTBEAT_INTERVAL".into(), "300ms".into()),
            // The checks run as the worker (root in CI) and unconfined, like the worker suites'
            // tasks (see worker_common.rs); security_sandbox.rs tests the confinement.
            ("EDGECODER_TASK_USER".into(), "root".into()),
            ("EDGECODER_TASK_LANDLOCK".into(), "false".into()),
            ("EDGECODER_ALLOW_UNCONFINED_TASKS".into(), "true".into()),
        ],
        ..Default::default()
    };
    let coord = Coordinator::start_with(&sb, opts);
    (sb, coord)
}

fn code_task(spec: CodeSpec) -> SubmitRequest {
    let mut req = SubmitRequest::argv(Vec::new());
    req.command = TaskCommand::Code(Box::new(spec));
    req.network = false;
    req.max_attempts = Some(1);
    req.timeout_secs = Some(600);
    req
}

fn spec(prompt: &str, check: &str, max_iterations: u32) -> CodeSpec {
    CodeSpec {
        prompt: prompt.into(),
        language: "python".into(),
        check: Some(check.into()),
        model: None,
        max_iterations: Some(max_iterations),
        check_timeout_secs: None,
        history: Vec::new(),
    }
}

/// Submits and waits for the end; the task and its whole log.
async fn run_to_end(
    coord: &Coordinator,
    req: SubmitRequest,
    within: Duration,
) -> (TaskInfo, String) {
    let admin = coord.admin();
    let id = admin.submit(&req).await.expect("submit").task.id;
    let task = eventually(within, || {
        let admin = admin.clone();
        let id = id.clone();
        async move {
            let t = admin.task(&id).await.ok()?;
            t.state.is_terminal().then_some(t)
        }
    })
    .await;
    let mut log = String::new();
    let mut offset = 0;
    loop {
        let page = admin.logs(&id, offset).await.expect("logs");
        if page.chunks.is_empty() {
            break;
        }
        for c in &page.chunks {
            log.push_str(&c.data);
        }
        offset = page.next_offset;
    }
    (task, log)
}

const HELLO: &str = "Write a Python program main.py that prints hello.";

#[tokio::test]
async fn a_passing_check_succeeds_once_with_its_iterations_in_the_log() {
    let Some(model) = llm::shared() else { return };
    let (_sb, coord) = coordinator(model);
    let (task, log) = run_to_end(
        &coord,
        code_task(spec(HELLO, "test -f main.py", 3)),
        Duration::from_secs(300),
    )
    .await;
    assert_eq!(task.state, TaskState::Succeeded, "{task:?}\n{log}");
    assert!(log.contains("iteration 1/3"), "{log}");
    assert!(log.contains("check passed"), "{log}");
    // Model calls far longer than the 900 ms lease: the heartbeats kept it, one attempt only.
    assert_eq!(task.attempts, 1, "{task:?}");
    let result = task
        .code_result
        .expect("the coordinator stores the code result");
    assert_eq!(result.status, CodeStatus::Succeeded);
    assert!(!result.iterations.is_empty());
    assert!(result.tokens_in > 0 && result.tokens_out > 0, "{result:?}");
    assert!(
        result.files.iter().any(|f| f.path == "main.py"),
        "{result:?}"
    );
    assert_eq!(result.backend, "openai");
}

#[tokio::test]
async fn a_check_that_never_passes_fails_after_exactly_its_iterations() {
    let Some(model) = llm::shared() else { return };
    let (_sb, coord) = coordinator(model);
    let (task, log) = run_to_end(
        &coord,
        code_task(spec(HELLO, "exit 1", 2)),
        Duration::from_secs(300),
    )
    .await;
    assert_eq!(task.state, TaskState::Failed, "{task:?}\n{log}");
    let error = task.error.clone().unwrap_or_default();
    assert!(error.contains("check_never_passed"), "{error}\n{log}");
    assert!(log.contains("iteration 1/2"), "{log}");
    assert!(log.contains("iteration 2/2"), "{log}");
    assert!(!log.contains("iteration 3/"), "{log}");
    let result = task
        .code_result
        .expect("the coordinator stores the code result");
    assert_eq!(result.status, CodeStatus::CheckNeverPassed);
    assert_eq!(result.iterations.len(), 2, "{result:?}");
    assert!(result.iterations.iter().all(|i| !i.check_passed));
}

#[tokio::test]
async fn a_check_that_loops_forever_is_cut_by_its_timeout() {
    let Some(model) = llm::shared() else { return };
    let (_sb, coord) = coordinator(model);
    let mut s = spec(HELLO, "while true; do :; done", 1);
    s.check_timeout_secs = Some(1);
    let started = Instant::now();
    let (task, log) = run_to_end(&coord, code_task(s), Duration::from_secs(300)).await;
    assert_eq!(task.state, TaskState::Failed, "{task:?}\n{log}");
    assert!(log.contains("check timed out after 1s"), "{log}");
    assert!(started.elapsed() < Duration::from_secs(290));
}

#[tokio::test]
async fn a_check_that_forks_a_bomb_ends_as_a_failed_iteration() {
    if !edgecoder::agent::sandbox::pids_cgroup_available() {
        // As root without a pids cgroup nothing caps a fork bomb: not on a shared machine.
        skip_unless_ci("no pids cgroup here to contain a fork bomb");
        return;
    }
    let Some(model) = llm::shared() else { return };
    let (_sb, coord) = coordinator(model);
    let mut s = spec(HELLO, "b() { b | b & }; b; wait; exit 1", 1);
    s.check_timeout_secs = Some(3);
    let (task, log) = run_to_end(&coord, code_task(s), Duration::from_secs(300)).await;
    assert_eq!(task.state, TaskState::Failed, "{task:?}\n{log}");
    assert!(log.contains("iteration 1/1"), "{log}");
    assert!(!log.contains("check passed"), "{log}");
}

/// The user's whole path: `edgecoder server code --wait` against a coordinator whose local worker
/// runs the real model; the CLI exits with the check's verdict, follows every iteration, writes the
/// files into --out, and `--json` carries the history and the tokens.
#[tokio::test(flavor = "multi_thread")]
async fn server_code_runs_on_the_swarm_and_brings_the_files_back() {
    let Some(model) = llm::shared() else { return };
    let (sb, coord) = coordinator(model);
    let cli = |args: &[&str]| {
        let mut c = server_cmd(&sb, &coord.url);
        c.args(args);
        crate::common::run_to_end(c, Duration::from_secs(300))
    };
    let (exit, stdout, stderr) = cli(&[
        "server",
        "code",
        HELLO,
        "--check",
        "test -f main.py",
        "--max-iterations",
        "2",
        "--follow",
        "--out",
        "out",
    ]);
    assert_eq!(exit, Some(0), "{stdout}\n{stderr}");
    // --follow prints the task's log live: the worker's progress lines.
    assert!(stdout.contains("iteration 1/2"), "{stdout}\n{stderr}");
    assert!(
        sb.path().join("out/main.py").is_file(),
        "{stdout}\n{stderr}"
    );

    let (exit, stdout, stderr) = cli(&[
        "server",
        "code",
        HELLO,
        "--check",
        "exit 1",
        "--max-iterations",
        "2",
        "--wait",
        "--json",
    ]);
    assert_eq!(exit, Some(1), "{stdout}\n{stderr}");
    let task: serde_json::Value = serde_json::from_str(&stdout).expect("--json prints the task");
    let result = &task["code_result"];
    assert_eq!(result["status"], "check_never_passed", "{task}");
    assert_eq!(
        result["iterations"].as_array().map(Vec::len),
        Some(2),
        "{task}"
    );
    assert!(result["tokens_in"].as_u64() > Some(0), "{task}");
    assert!(result["tokens_out"].as_u64() > Some(0), "{task}");
}
