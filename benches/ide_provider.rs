//! IDE provider benchmark: time to first token and tokens/s of a streamed chat completion
//! through the provider (`serve --mode ide-provider`, local route) versus the model server
//! directly, with the real test model (`EDGECODER_TEST_LLM`, see `.ci/llm`). Requests alternate
//! between the two so a drift of the machine's load hits both alike. Targets: first-token
//! overhead under 5 ms, throughput within 5 %.
//!
//! Run: `EDGECODER_TEST_LLM=$PWD/target/llm cargo bench --bench ide_provider` (env: RUNS,
//! TOKENS). Prints numbers; never fails on them.

mod support;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::chat_stream::{MODEL, env_num, first_token_ms, free_port, stream_once, tokens_per_s};
use support::percentile;

#[tokio::main]
async fn main() {
    let Some(dir) = std::env::var_os("EDGECODER_TEST_LLM").map(PathBuf::from) else {
        eprintln!("no test model: run with EDGECODER_TEST_LLM=$(.ci/llm)");
        return;
    };
    let runs = env_num("RUNS", 10) as usize;
    let tokens = env_num("TOKENS", 64);
    let port = free_port();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/llm_server.py");
    let _server = support::Killed(
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
    let direct = format!("http://127.0.0.1:{port}");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(300))
        .build()
        .expect("client");
    let started = Instant::now();
    while !client
        .get(format!("{direct}/health"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the model server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let root = tempfile::tempdir().expect("temp dir");
    let with_env = |mut cmd: Command| {
        cmd.env("EDGECODER_KEYRING", "off")
            .env("EDGECODER_OPENAI_BASE_URL", &direct)
            .env("EDGECODER_DATA_DIR", root.path().join("data"));
        cmd
    };
    let out = with_env(support::command(root.path()))
        .args(["ide", "token", "--json"])
        .output()
        .expect("ide token");
    let token: Value = serde_json::from_slice(&out.stdout).expect("token JSON");
    let token = token["token"].as_str().expect("token").to_string();
    let mut provider_cmd = with_env(support::command(root.path()));
    provider_cmd
        .args(["serve", "--mode", "ide-provider", "--port", "0"])
        .stderr(Stdio::null());
    let (_provider, provider) = support::start_listening(provider_cmd, Duration::from_secs(60));
    // Warm both (model load, prompt cache, connection setup of the first call).
    stream_once(&client, &direct, None, tokens).await;
    stream_once(&client, &provider, Some(&token), tokens).await;
    let (mut d, mut p) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        d.push(stream_once(&client, &direct, None, tokens).await);
        p.push(stream_once(&client, &provider, Some(&token), tokens).await);
    }
    let (dm, pm, dt, pt) = (
        first_token_ms(&d),
        first_token_ms(&p),
        tokens_per_s(&d),
        tokens_per_s(&p),
    );
    println!(
        "ide provider vs model server directly: {runs} streamed answers of {tokens} tokens each"
    );
    println!("| path | first token p50 | first token p95 | tokens/s p50 |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| model server directly | {:.1} ms | {:.1} ms | {:.1} |",
        percentile(&dm, 0.5),
        percentile(&dm, 0.95),
        percentile(&dt, 0.5)
    );
    println!(
        "| through the IDE provider | {:.1} ms | {:.1} ms | {:.1} |",
        percentile(&pm, 0.5),
        percentile(&pm, 0.95),
        percentile(&pt, 0.5)
    );
    let overhead = percentile(&pm, 0.5) - percentile(&dm, 0.5);
    let ratio = percentile(&pt, 0.5) / percentile(&dt, 0.5).max(f64::MIN_POSITIVE);
    println!("first-token overhead (p50): {overhead:.2} ms (target under 5 ms)");
    println!(
        "throughput through the provider: {:.1} % of direct (target within 5 %)",
        ratio * 100.0
    );
}
