//! Coding loop benchmark: with the real test model (`EDGECODER_TEST_LLM`, see `.ci/llm`), runs
//! the loop RUNS times on a small task whose check never passes (so every run makes ITERATIONS
//! iterations), and prints the loop's own cost per iteration: its wall time minus the model
//! call and minus the check (target: under 50 ms), with p50/p95.
//!
//! Run: `EDGECODER_TEST_LLM=$PWD/target/llm cargo bench --bench coding_loop` (env: RUNS, ITERATIONS).
//! Prints numbers; never fails on them.

mod support;

use edgecoder::agent::sandbox::CancelFlag;
use edgecoder::api::CodeSpec;
use edgecoder::coding::{self, LoopParams, SandboxChecker};
use edgecoder::models::{Backends, ModelSettings, OpenAiSettings};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::percentile;

const MODEL: &str = "smollm2-135m";

fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let Some(dir) = std::env::var_os("EDGECODER_TEST_LLM").map(PathBuf::from) else {
        eprintln!("no test model: run with EDGECODER_TEST_LLM=$(.ci/llm)");
        return;
    };
    let runs = env_num("RUNS", 5);
    let iterations = env_num("ITERATIONS", 3) as u32;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/llm_server.py");
    let server = support::Killed(
        Command::new(dir.join("venv/bin/python"))
            .arg(script)
            .arg(dir.join("model.gguf"))
            .arg(port.to_string())
            .arg(MODEL)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the model server"),
    );
    let base_url = format!("http://127.0.0.1:{port}");
    let settings = ModelSettings {
        openai: Some(OpenAiSettings {
            base_url: base_url.clone(),
            api_key: None,
            model: Some(MODEL.into()),
        }),
        ..ModelSettings::default()
    };
    let backends = Backends::from_settings(&settings).expect("backends");
    let started = Instant::now();
    let chosen = loop {
        match backends.choose(Some(MODEL)).await {
            Ok(c) => break c,
            Err(e) if started.elapsed() > Duration::from_secs(120) => {
                panic!("the model server did not come up: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };
    let spec = CodeSpec {
        prompt: "Write a Python program main.py that prints hello.".into(),
        language: "python".into(),
        check: Some("exit 1".into()),
        model: None,
        max_iterations: Some(iterations),
        check_timeout_secs: Some(10),
        history: Vec::new(),
    };
    let checker = SandboxChecker::default();
    let (mut overhead, mut model, mut check) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let work = tempfile::tempdir().expect("workdir");
        let result = coding::run(
            &chosen.backend,
            LoopParams {
                model: &chosen.model,
                spec: &spec,
                inputs: &[],
                workdir: work.path(),
                checker: &checker,
                progress: &|_| {},
                stop: CancelFlag::new(),
                deadline: Instant::now() + Duration::from_secs(600),
                num_ctx: 4096,
            },
        )
        .await;
        for it in &result.iterations {
            let own = it.duration_ms.saturating_sub(it.model_ms + it.check_ms);
            overhead.push(own as f64);
            model.push(it.model_ms as f64);
            check.push(it.check_ms as f64);
        }
    }
    for v in [&mut overhead, &mut model, &mut check] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "coding loop, {runs} runs x {iterations} iterations ({} measured) on {MODEL}",
        overhead.len()
    );
    for (name, v) in [
        ("loop overhead (ms)", &overhead),
        ("model call (ms)", &model),
        ("check run (ms)", &check),
    ] {
        println!(
            "  {name:<20} p50 {:>8.1}  p95 {:>8.1}  max {:>8.1}",
            percentile(v, 0.50),
            percentile(v, 0.95),
            v.last().copied().unwrap_or(f64::NAN)
        );
    }
    drop(server);
}
