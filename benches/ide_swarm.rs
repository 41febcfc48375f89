//! Swarm-route benchmark (issue 16): time to first token and tokens/s of a streamed chat
//! completion through the IDE provider's swarm route (provider → coordinator → an agent on
//! another "machine" → its model server, and back through the task stream) versus the model
//! server directly, with the real test model (`EDGECODER_TEST_LLM`, see `.ci/llm`). Requests
//! alternate between the two. No target: the issue asks for the numbers.
//!
//! Run: `EDGECODER_TEST_LLM=$PWD/target/llm cargo bench --profile dev --bench ide_swarm` (env:
//! RUNS, TOKENS). Prints numbers; never fails on them.

mod support;

use edgecoder::api::client::Client;
use edgecoder::api::{Role, TokenCreateRequest, TokenKind};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::chat_stream::{MODEL, env_num, first_token_ms, free_port, stream_once, tokens_per_s};
use support::{Killed, percentile, start_listening};

const ADMIN: &str = "bench-admin-token-0123456789abcdef";
const IDE_TOKEN: &str = "eci_benchswarmtoken0123456789abcdef";

async fn wait_ok(client: &reqwest::Client, url: &str, token: Option<&str>) {
    let started = Instant::now();
    loop {
        let mut request = client.get(url);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let ok = request.send().await.is_ok_and(|r| r.status().is_success());
        if ok {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{url} did not come up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Machine B: enrolled with an auto-approved token, its backend the model server.
async fn machine_b(root: &Path, coord: &str, admin: &Client, model_url: &str) -> Killed {
    let enroll = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .expect("enrollment token");
    let token_file = root.join("enroll-token");
    std::fs::write(&token_file, &enroll.token).expect("token file");
    let enrolled = support::command(root)
        .args(["enroll", "--coordinator", coord, "--token-file"])
        .arg(&token_file)
        .stdout(Stdio::null())
        .status()
        .expect("enroll");
    assert!(enrolled.success(), "enroll failed");
    let agent = support::command(root)
        .arg("agent")
        .env("EDGECODER_OPENAI_BASE_URL", model_url)
        .env("EDGECODER_OPENAI_MODEL", MODEL)
        .env("EDGECODER_HOST_POLICY", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start agent");
    Killed(agent)
}

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
    let _server = Killed(
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
    wait_ok(&client, &format!("{direct}/health"), None).await;

    let a = tempfile::tempdir().expect("machine A");
    let b = tempfile::tempdir().expect("machine B");
    let c = tempfile::tempdir().expect("coordinator");
    let mut coord = support::command(c.path());
    coord
        .args(["serve", "--mode", "coordinator", "--port", "0"])
        .arg("--data-dir")
        .arg(c.path().join("data"))
        .env("ADMIN_API_TOKEN", ADMIN)
        .env("EDGECODER_HEARTBEAT_INTERVAL", "1s")
        .stderr(Stdio::null());
    let (_coord, coord_url) = start_listening(coord, Duration::from_secs(60));
    let admin = Client::new(&coord_url, Some(ADMIN.into())).expect("client");
    let _agent = machine_b(b.path(), &coord_url, &admin, &direct).await;
    let user = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            ..Default::default()
        })
        .await
        .expect("user token");
    let token_file = a.path().join("ide-token");
    std::fs::write(&token_file, IDE_TOKEN).expect("ide token");
    std::fs::set_permissions(
        &token_file,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod");
    let mut ide = support::command(a.path());
    ide.args(["ide", "--port", "0"])
        .env("EDGECODER_IDE_ROUTE", "swarm")
        .env("EDGECODER_IDE_TOKEN_FILE", &token_file)
        .env("EDGECODER_URL", &coord_url)
        .env("EDGECODER_TOKEN", &user.token)
        .stderr(Stdio::null());
    let (_ide, provider) = start_listening(ide, Duration::from_secs(60));
    // The provider lists the model once B advertises it.
    let started = Instant::now();
    loop {
        let listed = client
            .get(format!("{provider}/v1/models"))
            .bearer_auth(IDE_TOKEN)
            .send()
            .await
            .ok();
        let body = match listed {
            Some(r) => r.text().await.unwrap_or_default(),
            None => String::new(),
        };
        if body.contains(MODEL) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "machine B never advertised the model"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    stream_once(&client, &direct, None, tokens).await;
    stream_once(&client, &provider, Some(IDE_TOKEN), tokens).await;
    let (mut d, mut s) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        d.push(stream_once(&client, &direct, None, tokens).await);
        s.push(stream_once(&client, &provider, Some(IDE_TOKEN), tokens).await);
    }
    let (dm, sm, dt, st) = (
        first_token_ms(&d),
        first_token_ms(&s),
        tokens_per_s(&d),
        tokens_per_s(&s),
    );
    println!(
        "swarm route vs model server directly: {runs} streamed answers of {tokens} tokens each"
    );
    println!("| path | first token p50 | first token p95 | tokens/s p50 |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, m, t) in [
        ("model server directly", &dm, &dt),
        ("IDE provider, swarm route", &sm, &st),
    ] {
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {:.1} |",
            percentile(m, 0.5),
            percentile(m, 0.95),
            percentile(t, 0.5)
        );
    }
    println!(
        "first-token overhead of the swarm (p50): {:.1} ms",
        percentile(&sm, 0.5) - percentile(&dm, 0.5)
    );
}
