//! What a coding task costs the coordinator next to a plain task (issue 14: at most 2×). A real
//! `edgecoder serve --mode coordinator` on loopback; W simulated nodes that serve a model each run
//! the whole cycle, submit → claim → start → complete, as fast as they can: first with plain argv
//! tasks, then with coding tasks (a ~1 KB prompt and input file, completed with a realistic
//! result of a few KB: two files, three iterations with check output, token counts). No model
//! runs: this measures the coordinator's side only (validation, scheduling by model, storing
//! the result).
//!
//! Run: `cargo bench --bench coding_coordinator [-- --tasks 1500 --workers 8]` (env TASKS, WORKERS).
//! Prints numbers and whether the target was met; never fails on them.

mod support;

use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{Killed, command, percentile, start_listening};

const ADMIN: &str = "bench-admin-token-0123456789abcdef";
const MODEL: &str = "qwen2.5-coder:7b";
const TARGET_RATIO: f64 = 2.0;

fn opt(name: &str, env: &str, default: usize) -> usize {
    let mut args = std::env::args().skip_while(|a| a != &format!("--{name}"));
    args.nth(1)
        .or_else(|| std::env::var(env).ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn start_coordinator(root: &std::path::Path) -> (Killed, String) {
    let mut cmd = command(root);
    cmd.args(["serve", "--mode", "coordinator", "--port", "0"])
        .arg("--data-dir")
        .arg(root.join("coord"))
        .env("ADMIN_API_TOKEN", ADMIN)
        .env("EDGECODER_REGISTER_PER_MINUTE", "0")
        .stderr(Stdio::null());
    let (child, url) = start_listening(cmd, Duration::from_secs(30));
    (child, url)
}

fn text(bytes: usize, seed: &str) -> String {
    let line = format!("    value = compute({seed}, x) + 1  # keep going\n");
    line.repeat(bytes / line.len() + 1)[..bytes].to_string()
}

fn coding_request() -> SubmitRequest {
    let mut req = SubmitRequest::argv(vec!["unused".into()]);
    req.command = TaskCommand::Code(Box::new(CodeSpec {
        prompt: text(1000, "prompt"),
        language: "python".into(),
        check: Some("python3 -m pytest -q".into()),
        model: Some(MODEL.into()),
        max_iterations: Some(3),
        check_timeout_secs: None,
        history: Vec::new(),
    }));
    req.files = vec![TaskFile {
        path: "main.py".into(),
        content: text(1000, "input"),
    }];
    req
}

fn code_result() -> CodeResult {
    let iteration = |n: u32| CodeIteration {
        number: n,
        files_changed: vec!["main.py".into(), "test_main.py".into()],
        check_passed: n == 3,
        check_exit_code: Some(if n == 3 { 0 } else { 1 }),
        check_output_tail: text(800, "tail"),
        error: (n != 3).then(|| "check failed: 1 test failed".into()),
        duration_ms: 4000,
        model_ms: 3500,
        check_ms: 400,
        tokens_in: 900,
        tokens_out: 300,
        truncated: false,
    };
    CodeResult {
        status: CodeStatus::Succeeded,
        reason: None,
        plan: text(400, "plan"),
        files: vec![
            TaskFile {
                path: "main.py".into(),
                content: text(1500, "main"),
            },
            TaskFile {
                path: "test_main.py".into(),
                content: text(1000, "test"),
            },
        ],
        iterations: (1..=3).map(iteration).collect(),
        model: MODEL.into(),
        backend: "ollama".into(),
        tokens_in: 2700,
        tokens_out: 900,
    }
}

struct Run {
    tasks_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Each node runs `per_node` whole cycles; returns throughput and cycle latency.
async fn run(admin: &Client, nodes: &[Client], per_node: usize, coding: bool) -> Run {
    let started = Instant::now();
    let mut handles = Vec::new();
    for node in nodes {
        let (admin, node) = (admin.clone(), node.clone());
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_node);
            for i in 0..per_node {
                let t0 = Instant::now();
                let req = if coding {
                    coding_request()
                } else {
                    SubmitRequest::argv(vec!["echo".into(), i.to_string()])
                };
                admin.submit(&req).await.expect("submit");
                let claimed = loop {
                    if let Some(c) = node
                        .claim(Duration::from_secs(1))
                        .await
                        .expect("claim")
                        .claimed
                    {
                        break c;
                    }
                };
                let lease = claimed.lease.lease_id.clone();
                node.start(&claimed.task.id, &lease).await.expect("start");
                let is_code = matches!(claimed.task.command, TaskCommand::Code(_));
                let done = CompleteRequest {
                    lease_id: lease,
                    outcome: Outcome::Succeeded,
                    exit_code: Some(0),
                    error: None,
                    duration_ms: Some(10),
                    cpu_ms: Some(5),
                    peak_rss_kib: Some(1000),
                    stdout_tail: None,
                    stderr_tail: None,
                    code: is_code.then(code_result),
                    artifacts: Vec::new(),
                    permanent: false,
                    inference: None,
                };
                node.complete(&claimed.task.id, &done)
                    .await
                    .expect("complete");
                latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.expect("worker"));
    }
    let secs = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    Run {
        tasks_per_sec: all.len() as f64 / secs,
        p50_ms: percentile(&all, 0.50),
        p99_ms: percentile(&all, 0.99),
    }
}

fn main() {
    let tasks = opt("tasks", "TASKS", 1500);
    let workers = opt("workers", "WORKERS", 8).max(1);
    let per_node = (tasks / workers).max(1);
    let root = tempfile::tempdir().expect("temp dir");
    let (_coord, url) = start_coordinator(root.path());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let admin = Client::new(&url, Some(ADMIN.into())).expect("client");
        let nodes = support::enroll_model_nodes(&url, &admin, workers, "bench-coder", MODEL).await;
        // Warm-up: both kinds, so neither pays for first statements or page faults.
        run(&admin, &nodes, 20, false).await;
        run(&admin, &nodes, 20, true).await;
        let plain = run(&admin, &nodes, per_node, false).await;
        let coding = run(&admin, &nodes, per_node, true).await;
        let ratio = plain.tasks_per_sec / coding.tasks_per_sec;
        println!(
            "coding bench: {} workers, {} tasks of each kind (submit → claim → start → complete)",
            workers,
            per_node * workers
        );
        for (name, r) in [("plain", &plain), ("coding", &coding)] {
            println!(
                "  {name:<7} {:>7.0} tasks/s   cycle p50 {:>6.2} ms   p99 {:>6.2} ms",
                r.tasks_per_sec, r.p50_ms, r.p99_ms
            );
        }
        println!(
            "  cost of a coding task: {ratio:.2}× a plain task (target ≤ {TARGET_RATIO}×): {}",
            if ratio <= TARGET_RATIO {
                "met"
            } else {
                "NOT met"
            }
        );
    });
}
