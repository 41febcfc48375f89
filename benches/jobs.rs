//! The scheduling overhead of a job (issue 15): a real `edgecoder serve --mode coordinator` on
//! loopback whose real `InferenceClient` talks to a stand-in inference service at the wire level
//! (in this process) that splits every request into N independent subtasks at once; W simulated
//! nodes claim, start and complete the subtasks' coding tasks through the agent API as fast as
//! they can, with a small succeeded result (no model runs: the coordinator's side only).
//!
//! Measures, per job: from submission to the last subtask claimed (decomposition, scheduling,
//! claims), and from the last subtask's completion to the job's end (`job.finished` on the
//! job's event stream: aggregation, merging, the result). Target: under 1 s each.
//!
//! N is 100, as the issue names it (the subtask limit, `MAX_SUBTASKS_LIMIT`, is 128). Run: `cargo bench --bench jobs [-- --jobs 5 --workers 8]` (env JOBS,
//! WORKERS). Prints numbers and whether the targets were met; never fails on them.

mod support;

use edgecoder::api::client::Client;
use edgecoder::api::follow::{Follower, Update};
use edgecoder::api::*;
use serde_json::json;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::{Killed, command, percentile, start_listening};
use tokio::sync::Mutex;

const ADMIN: &str = "bench-admin-token-0123456789abcdef";
const INFERENCE_TOKEN: &str = "bench-inference-token-0123456789";
const MODEL: &str = "qwen2.5-coder:7b";
const TARGET_MS: f64 = 1000.0;

fn opt(name: &str, env: &str, default: usize) -> usize {
    let mut args = std::env::args().skip_while(|a| a != &format!("--{name}"));
    args.nth(1)
        .or_else(|| std::env::var(env).ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The stand-in inference service: every decomposition is `n` independent subtasks.
async fn stand_in(n: u32) -> String {
    use axum::routing::post;
    let subtasks: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("s{i}"), "title": format!("part {i}"), "prompt": "print hello",
                "language": "python", "files": [format!("part_{i}.py")], "depends_on": [],
                "check": "true",
            })
        })
        .collect();
    let doc = json!({
        "subtasks": subtasks, "log": [], "model": "stand-in", "tokens_in": 1, "tokens_out": 1,
    });
    let app = axum::Router::new().route(
        "/v1/decompose",
        post(move || {
            let doc = doc.clone();
            async move { axum::Json(doc) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the stand-in");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

fn start_coordinator(root: &std::path::Path, inference: &str) -> (Killed, String) {
    let mut cmd = command(root);
    cmd.args(["serve", "--mode", "coordinator", "--port", "0"])
        .arg("--data-dir")
        .arg(root.join("coord"))
        .env("ADMIN_API_TOKEN", ADMIN)
        .env("EDGECODER_REGISTER_PER_MINUTE", "0")
        .env("EDGECODER_INFERENCE_URL", inference)
        .env("EDGECODER_INFERENCE_TOKEN", INFERENCE_TOKEN)
        .stderr(Stdio::null());
    let (child, url) = start_listening(cmd, Duration::from_secs(30));
    (child, url)
}

fn result_of(task: &TaskInfo) -> CodeResult {
    let files = match &task.command {
        TaskCommand::Code(spec) => vec![TaskFile {
            path: format!("{}.py", spec.prompt.len()),
            content: "print('hello')\n".into(),
        }],
        _ => Vec::new(),
    };
    CodeResult {
        status: CodeStatus::Succeeded,
        reason: None,
        plan: "print it".into(),
        files,
        iterations: vec![CodeIteration {
            number: 1,
            files_changed: vec!["main.py".into()],
            check_passed: true,
            check_exit_code: Some(0),
            check_output_tail: String::new(),
            error: None,
            duration_ms: 1,
            model_ms: 1,
            check_ms: 1,
            tokens_in: 10,
            tokens_out: 5,
            truncated: false,
        }],
        model: MODEL.into(),
        backend: "openai".into(),
        tokens_in: 10,
        tokens_out: 5,
    }
}

/// What the simulated nodes saw of one job.
#[derive(Default)]
struct Seen {
    claims: Vec<Instant>,
    /// Unix ms when each completion was answered.
    completions: Vec<i64>,
}

/// The nodes claim and complete whatever is queued until `stop`; what they saw goes in `seen`.
fn serve(
    nodes: &[Client],
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    nodes
        .iter()
        .cloned()
        .map(|node| {
            let (stop, seen) = (stop.clone(), seen.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let Ok(resp) = node.claim(Duration::from_millis(500)).await else {
                        continue;
                    };
                    let Some(c) = resp.claimed else { continue };
                    seen.lock().await.claims.push(Instant::now());
                    let lease = c.lease.lease_id.clone();
                    if node.start(&c.task.id, &lease).await.is_err() {
                        continue;
                    }
                    let is_code = matches!(c.task.command, TaskCommand::Code(_));
                    let done = CompleteRequest {
                        lease_id: lease,
                        outcome: Outcome::Succeeded,
                        exit_code: Some(0),
                        error: None,
                        duration_ms: Some(2),
                        cpu_ms: Some(1),
                        peak_rss_kib: Some(1000),
                        stdout_tail: None,
                        stderr_tail: None,
                        code: is_code.then(|| result_of(&c.task)),
                        artifacts: Vec::new(),
                        permanent: false,
                        inference: None,
                    };
                    if node.complete(&c.task.id, &done).await.is_ok() {
                        seen.lock().await.completions.push(now_ms());
                    }
                }
            })
        })
        .collect()
}

struct One {
    to_last_claim_ms: f64,
    last_completion_to_result_ms: f64,
    state: JobState,
    subtasks: usize,
}

async fn one_job(admin: &Client, nodes: &[Client], n: u32) -> One {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers = serve(nodes, stop.clone(), seen.clone());
    let req = JobSubmitRequest {
        prompt: "n independent no-op parts".into(),
        language: "python".into(),
        files: Vec::new(),
        source: None,
        check: None,
        part_check: None,
        model: None,
        max_subtasks: Some(n),
        decompose: DecomposeMode::Auto,
        max_iterations: Some(1),
        idempotency_key: None,
    };
    let submitted_at = Instant::now();
    let job = admin.submit_job(&req).await.expect("submit").job;
    // The job's stream says when it ended, with the coordinator's own timestamp.
    let path = format!("/api/v1/events?job={}", job.id);
    let mut follower = Follower::new(admin.clone(), path, None);
    let finished_at = loop {
        match follower.next().await {
            Ok(Update::Event(e)) if e.kind == "job.finished" => break e.at,
            Ok(_) => {}
            Err(e) => panic!("the job's event stream failed: {e}"),
        }
    };
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        let _ = w.await;
    }
    let done = admin.job(&job.id).await.expect("job");
    let seen = seen.lock().await;
    // No job-level check: every claim and completion was a subtask's.
    let last_claim = seen.claims.iter().max().copied().unwrap_or(submitted_at);
    let last_completion = seen
        .completions
        .iter()
        .max()
        .copied()
        .unwrap_or(finished_at);
    One {
        to_last_claim_ms: last_claim.duration_since(submitted_at).as_secs_f64() * 1000.0,
        last_completion_to_result_ms: (finished_at - last_completion).max(0) as f64,
        state: done.state,
        subtasks: done.subtasks.len(),
    }
}

fn main() {
    let jobs = opt("jobs", "JOBS", 5).max(1);
    let workers = opt("workers", "WORKERS", 8).max(1);
    let n: u32 = 100;
    let root = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let inference = stand_in(n).await;
        let (_coord, url) = start_coordinator(root.path(), &inference);
        let admin = Client::new(&url, Some(ADMIN.into())).expect("client");
        let nodes = support::enroll_model_nodes(&url, &admin, workers, "bench-jobs", MODEL).await;
        // Warm-up: first statements and page faults are not the scheduler's.
        one_job(&admin, &nodes, n).await;
        let mut to_claim = Vec::new();
        let mut to_result = Vec::new();
        for _ in 0..jobs {
            let one = one_job(&admin, &nodes, n).await;
            assert_eq!(one.subtasks, n as usize, "the job was not split into {n}");
            if one.state != JobState::Succeeded {
                println!("  (a job ended {}, not succeeded)", one.state.as_str());
            }
            to_claim.push(one.to_last_claim_ms);
            to_result.push(one.last_completion_to_result_ms);
        }
        to_claim.sort_by(f64::total_cmp);
        to_result.sort_by(f64::total_cmp);
        println!(
            "jobs bench: {jobs} jobs of {n} independent no-op subtasks, {workers} simulated nodes"
        );
        for (name, v) in [
            ("submission → last subtask claimed", &to_claim),
            ("last completion → job result     ", &to_result),
        ] {
            let p50 = percentile(v, 0.5);
            let max = v.last().copied().unwrap_or(f64::NAN);
            println!(
                "  {name}  p50 {p50:>7.1} ms   max {max:>7.1} ms   (target < {TARGET_MS} ms): {}",
                if max < TARGET_MS { "met" } else { "NOT met" }
            );
        }
    });
}
