//! Jobs on the coordinator, their graph logic end to end: a real coordinator (its real
//! `InferenceClient`) talking to a stand-in inference service at the wire level
//! (`tests/support/inference_stub.py`, fixed decompositions and escalations, every call
//! recorded), and real agents whose model is the test model. Subtask checks are `true`, `false`
//! or `test -f` of what the inputs guarantee, so no outcome depends on how well a 135M model
//! codes.

use crate::common::*;
use crate::llm;
use crate::worker_common::{Node, fast_env, start_node};
use edgecoder::api::client::Client;
use edgecoder::api::*;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "stub-inference-token-0123456789";

/// The stand-in inference service; dies with the test (it watches its stdin).
pub struct Stub {
    port: u16,
    answers: PathBuf,
    calls: PathBuf,
    child: Option<Child>,
}

impl Stub {
    /// Prepared on a free port, not started: `start` brings it up.
    pub fn new(sb: &Sandbox, answers: serde_json::Value) -> Stub {
        let answers_path = sb.path().join("answers.json");
        std::fs::write(&answers_path, answers.to_string()).expect("answers");
        Stub {
            port: free_port(),
            answers: answers_path,
            calls: sb.path().join("calls.log"),
            child: None,
        }
    }

    pub fn start(&mut self) {
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/inference_stub.py");
        let child = Command::new("python3")
            .arg(script)
            .arg(self.port.to_string())
            .arg(TOKEN)
            .arg(&self.answers)
            .arg(&self.calls)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start python3 inference_stub.py");
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the stub inference service did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The calls it answered, by path.
    pub fn calls(&self, path: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.calls)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(' '))
            .filter(|(p, _)| *p == path)
            .filter_map(|(_, body)| serde_json::from_str(body).ok())
            .collect()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn subtask(id: &str, prompt: &str, deps: &[&str], check: &str) -> serde_json::Value {
    json!({
        "id": id, "title": id, "prompt": prompt, "language": "python",
        "files": [], "depends_on": deps, "check": check,
    })
}

pub fn decomposition(subtasks: Vec<serde_json::Value>) -> serde_json::Value {
    json!({
        "decompose": {
            "subtasks": subtasks, "log": ["stub: fixed decomposition"],
            "model": "stub-model", "tokens_in": 10, "tokens_out": 20,
        },
        "escalate": {
            "files": [{"path": "repaired.py", "content": "print('repaired')\n"}],
            "explanation": "stub: a repaired attempt", "model": "stub-strong",
            "tokens_in": 5, "tokens_out": 6,
        },
    })
}

/// A coordinator (no local worker) on `port` that reaches the stub.
pub fn coordinator(sb: &Sandbox, port: u16, stub: &Stub) -> Coordinator {
    let mut env = fast_env(sb, "300ms");
    env.push(("EDGECODER_INFERENCE_URL".into(), stub.url()));
    env.push(("EDGECODER_INFERENCE_TOKEN".into(), TOKEN.into()));
    Coordinator::start_with(
        sb,
        CoordinatorOptions {
            args: vec![
                "--port".into(),
                port.to_string(),
                "--mode".into(),
                "coordinator".into(),
            ],
            env,
            ..Default::default()
        },
    )
}

pub async fn model_node(coord: &Coordinator, name: &str, model: &llm::LlmServer) -> Node {
    start_node(
        coord,
        name,
        &[
            ("EDGECODER_OPENAI_BASE_URL", model.base_url.as_str()),
            ("EDGECODER_OPENAI_MODEL", model.model),
            ("MAX_CONCURRENT_TASKS", "1"),
            // Two agents share one small model server on a loaded machine: a reply may queue.
            ("EDGECODER_MODEL_IDLE_TIMEOUT", "900s"),
        ],
    )
    .await
}

pub fn job_request(prompt: &str) -> JobSubmitRequest {
    JobSubmitRequest {
        prompt: prompt.into(),
        language: "python".into(),
        files: vec![TaskFile {
            path: "input.txt".into(),
            content: "given\n".into(),
        }],
        source: None,
        check: None,
        part_check: None,
        model: None,
        max_subtasks: Some(8),
        decompose: DecomposeMode::Auto,
        max_iterations: Some(1),
        idempotency_key: None,
    }
}

pub async fn wait_final(admin: &Client, id: &str, within: Duration) -> JobInfo {
    eventually(within, || async {
        admin.job(id).await.ok().filter(|j| j.state.is_final())
    })
    .await
}

pub fn sub<'a>(job: &'a JobInfo, id: &str) -> &'a JobSubtask {
    job.subtasks
        .iter()
        .find(|s| s.subtask.id == id)
        .unwrap_or_else(|| panic!("no subtask {id} in {job:#?}"))
}

/// Every task the job made, by name: none made twice.
pub async fn tasks_by_name(admin: &Client) -> Vec<TaskSummary> {
    admin.tasks("limit=200").await.expect("tasks").tasks
}

#[tokio::test]
async fn subtasks_run_in_dependency_order_in_parallel_and_a_failure_is_escalated_once() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let hello = "Write a Python program main.py that prints hello.";
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![
            subtask("a", hello, &[], "test -f input.txt"),
            subtask("b", hello, &["a"], "test -f input.txt"),
            subtask("d", hello, &[], "false"),
            subtask("e", hello, &["d"], "true"),
        ]),
    );
    stub.start();
    let coord = coordinator(&sb, free_port(), &stub);
    let admin = coord.admin();
    let _n1 = model_node(&coord, "one", model).await;
    let _n2 = model_node(&coord, "two", model).await;
    let job = admin
        .submit_job(&job_request("hello, in four parts"))
        .await
        .expect("submit")
        .job;
    assert_eq!(job.state, JobState::Decomposing);

    // Parallel: two independent subtasks' tasks running at the same time, on two nodes.
    let both = eventually(Duration::from_secs(600), || async {
        let j = admin.job(&job.id).await.ok()?;
        let running: Vec<&JobSubtask> = j
            .subtasks
            .iter()
            .filter(|s| matches!(s.state, Some(TaskState::Running)))
            .collect();
        let nodes: std::collections::BTreeSet<_> =
            running.iter().filter_map(|s| s.node_id.clone()).collect();
        (nodes.len() >= 2).then(|| {
            running
                .iter()
                .map(|s| s.subtask.id.clone())
                .collect::<Vec<_>>()
        })
    })
    .await;
    assert!(
        !both.contains(&"b".to_string()) && !both.contains(&"e".to_string()),
        "dependants ran before their dependencies: {both:?}"
    );

    let done = wait_final(&admin, &job.id, Duration::from_secs(1800)).await;
    assert_eq!(done.state, JobState::Partial, "{done:#?}");
    let (a, b) = (sub(&done, "a"), sub(&done, "b"));
    assert_eq!(a.state, Some(TaskState::Succeeded), "{done:#?}");
    assert_eq!(b.state, Some(TaskState::Succeeded), "{done:#?}");
    // B's task was created only after A's succeeded, and started from A's files.
    let a_task = admin
        .task(a.task_id.as_deref().expect("a's task"))
        .await
        .expect("a");
    let b_task = admin
        .task(b.task_id.as_deref().expect("b's task"))
        .await
        .expect("b");
    assert!(
        b_task.created_at >= a_task.finished_at.expect("a finished"),
        "b was queued before a ended"
    );
    let a_files = a_task.code_result.expect("a's result").files;
    let b_inputs = match &b_task.command {
        TaskCommand::Code(spec) => spec.prompt.clone(),
        other => panic!("b is not a coding task: {other:?}"),
    };
    assert!(b_inputs.contains("Done before this part"), "{b_inputs}");
    let b_started_from = b_task.code_result.expect("b's result").files;
    for f in a_files.iter().filter(|f| f.path != "input.txt") {
        assert!(
            b_started_from.iter().any(|g| g.path == f.path),
            "b's files lack a's {}",
            f.path
        );
    }
    // D failed, was escalated exactly once, and its re-run's history ends with the escalation.
    let d = sub(&done, "d");
    assert!(d.escalated, "{d:#?}");
    assert_eq!(d.state, Some(TaskState::Failed), "{d:#?}");
    assert_eq!(stub.calls("/v1/escalate").len(), 1);
    assert_eq!(stub.calls("/v1/decompose").len(), 1);
    assert!(
        d.iterations.iter().any(|i| i
            .error
            .as_deref()
            .is_some_and(|e| e.contains("escalated to stub-strong"))),
        "{d:#?}"
    );
    // E depended on D: it never ran, and says why.
    let e = sub(&done, "e");
    assert_eq!(e.task_id, None, "{e:#?}");
    assert!(
        e.error.as_deref().is_some_and(|m| m.contains("d")),
        "{e:#?}"
    );
    let result = done.result.expect("a result");
    assert_eq!(
        result.failed_subtasks,
        vec!["d".to_string(), "e".to_string()]
    );
    assert!(result.files.iter().any(|f| f.path == "input.txt"));
    assert!(result.tokens_in > 0);
    assert!(
        done.log.iter().any(|l| l.message.contains("escalat")),
        "{:#?}",
        done.log
    );
}

#[tokio::test]
async fn inference_down_at_submit_makes_the_job_wait_then_proceed_and_cancel_ends_it() {
    let sb = Sandbox::new();
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![
            subtask("first", "Write main.py.", &[], "true"),
            subtask("second", "Write more.", &["first"], "true"),
        ]),
    );
    // No agent: the subtask stays queued, so the job is still open when it is cancelled.
    let coord = coordinator(&sb, free_port(), &stub);
    let admin = coord.admin();
    let job = admin
        .submit_job(&job_request("two parts"))
        .await
        .expect("submit")
        .job;
    // The service is down: the job waits and says so in its log, retrying.
    let waiting = eventually(Duration::from_secs(30), || async {
        let j = admin.job(&job.id).await.ok()?;
        (j.log
            .iter()
            .filter(|l| l.message.contains("retrying in"))
            .count()
            >= 2)
            .then_some(j)
    })
    .await;
    assert_eq!(waiting.state, JobState::Decomposing, "{waiting:#?}");
    stub.start();
    let running = eventually(Duration::from_secs(60), || async {
        let j = admin.job(&job.id).await.ok()?;
        (j.state == JobState::Running && j.subtasks.iter().any(|s| s.task_id.is_some()))
            .then_some(j)
    })
    .await;
    assert_eq!(running.subtasks.len(), 2);
    let first = sub(&running, "first")
        .task_id
        .clone()
        .expect("first's task");
    assert_eq!(
        sub(&running, "second").task_id,
        None,
        "second waits for first"
    );

    // A stranger sees no such job.
    let user = admin
        .create_token(&TokenCreateRequest {
            kind: None,
            role: Some(Role::User),
            name: Some("stranger".into()),
            expires_in_secs: None,
            uses: None,
            auto_approve: false,
        })
        .await
        .expect("token");
    let stranger = coord.client(&user.token);
    let hidden = stranger.job(&job.id).await.expect_err("hidden");
    assert_eq!(hidden.status(), Some(404));
    assert!(stranger.cancel_job(&job.id).await.is_err());

    let cancelled = admin.cancel_job(&job.id).await.expect("cancel");
    assert_eq!(cancelled.state, JobState::Cancelled);
    let task = admin.task(&first).await.expect("task");
    assert_eq!(task.state, TaskState::Cancelled);
    let again = admin.cancel_job(&job.id).await.expect_err("already ended");
    assert_eq!(again.status(), Some(409));
    let listed = admin
        .jobs(Some(JobState::Cancelled), Some(10))
        .await
        .expect("list");
    assert!(listed.jobs.iter().any(|j| j.id == job.id));

    // The event stream follows the job from its first event to its end, its tasks' included,
    // and ends by itself; a stranger cannot follow it.
    let follow = |token: &str| {
        http()
            .get(format!("{}/api/v1/events?job={}", coord.url, job.id))
            .bearer_auth(token.to_string())
            .send()
    };
    let resp = follow(ADMIN_TOKEN).await.expect("events");
    assert_eq!(resp.status().as_u16(), 200);
    let events = SseReader::new(resp)
        .collect_to_end(Duration::from_secs(20))
        .await;
    let kinds: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    for kind in [
        "job.created",
        "job.decompose_retry",
        "job.decomposed",
        "job.subtask_started",
        "task.submitted",
        "job.finished",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(kinds.last(), Some(&"job.finished"), "{kinds:?}");
    assert!(
        events.iter().all(|e| {
            let event = e.json();
            event["data"]["job"] == json!(job.id) || event["task_id"] == json!(first)
        }),
        "{events:?}"
    );
    let refused = follow(&user.token).await.expect("events");
    assert_eq!(refused.status().as_u16(), 404);
}

#[tokio::test]
async fn a_coordinator_killed_mid_job_finishes_it_after_restart_without_running_anything_twice() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let hello = "Write a Python program main.py that prints hello.";
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![
            subtask("one", hello, &[], "test -f input.txt"),
            subtask("two", hello, &["one"], "test -f input.txt"),
        ]),
    );
    stub.start();
    let port = free_port();
    let mut coord = coordinator(&sb, port, &stub);
    let admin = coord.admin();
    let _node = model_node(&coord, "only", model).await;
    let job = admin
        .submit_job(&job_request("two parts, killed between"))
        .await
        .expect("submit")
        .job;
    eventually(Duration::from_secs(60), || async {
        let j = admin.job(&job.id).await.ok()?;
        j.subtasks.iter().any(|s| s.task_id.is_some()).then_some(())
    })
    .await;
    coord.signal(libc::SIGKILL);
    coord.wait_exit(Duration::from_secs(10));
    let coord = coordinator(&sb, port, &stub);
    let admin = coord.admin();
    let done = wait_final(&admin, &job.id, Duration::from_secs(1800)).await;
    assert_eq!(done.state, JobState::Succeeded, "{done:#?}");
    let names: Vec<String> = tasks_by_name(&admin)
        .await
        .into_iter()
        .filter_map(|t| t.name)
        .collect();
    for name in [format!("job {} one", job.id), format!("job {} two", job.id)] {
        assert_eq!(
            names.iter().filter(|n| **n == name).count(),
            1,
            "{name} in {names:?}"
        );
    }
    assert_eq!(stub.calls("/v1/decompose").len(), 1);
}

#[tokio::test]
async fn two_unrelated_subtasks_writing_one_path_fail_the_job_naming_it() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    // The model writes what it writes (the same for the same prompt); the checks write one path
    // differently, so the conflict does not depend on how well a tiny model codes.
    let hello = "Write a Python program main.py that prints hello.";
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![
            subtask("apple", hello, &[], "echo apple > shared.txt"),
            subtask("banana", hello, &[], "echo banana > shared.txt"),
        ]),
    );
    stub.start();
    let coord = coordinator(&sb, free_port(), &stub);
    let admin = coord.admin();
    let _n1 = model_node(&coord, "one", model).await;
    let _n2 = model_node(&coord, "two", model).await;
    let mut req = job_request("apple and banana");
    req.check = Some("true".into());
    let job = admin.submit_job(&req).await.expect("submit").job;
    let done = wait_final(&admin, &job.id, Duration::from_secs(1800)).await;
    let result = done.result.clone().expect("result");
    let both_wrote = sub(&done, "apple").state == Some(TaskState::Succeeded)
        && sub(&done, "banana").state == Some(TaskState::Succeeded);
    assert!(both_wrote, "{done:#?}");
    let conflict = result
        .conflicts
        .iter()
        .find(|c| c.path == "shared.txt")
        .unwrap_or_else(|| panic!("no conflict on shared.txt: {done:#?}"));
    assert_eq!(conflict.kept, None);
    assert_eq!(done.state, JobState::Failed);
    assert!(
        done.error
            .as_deref()
            .is_some_and(|e| e.contains("shared.txt")),
        "{done:#?}"
    );
    assert_eq!(result.check_task_id, None, "no check on a conflicted tree");
}
