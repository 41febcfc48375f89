//! Agent benchmark: idle RSS and CPU of a real `edgecoder agent`, and task start overhead (from
//! the claim answer to the task's process running), read from the agent's own JSON log.
//!
//! Run: `cargo bench --bench agent` (env: IDLE_SECS, TASKS). Prints numbers; never fails on them.

mod support;

use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{Killed, command, cpu_ticks, percentile, proc_kib, start_listening};

const ADMIN: &str = "bench-admin-token-0123456789abcdef";

fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let idle_secs = env_num("IDLE_SECS", 20);
    let tasks = env_num("TASKS", 200);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();

    let mut coord = command(root);
    coord
        .args(["serve", "--mode", "coordinator", "--port", "0"])
        .arg("--data-dir")
        .arg(root.join("coord"))
        .env("ADMIN_API_TOKEN", ADMIN)
        .stderr(Stdio::null());
    let (coord, url) = start_listening(coord, Duration::from_secs(30));
    let admin = Client::new(&url, Some(ADMIN.into())).expect("client");
    let token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .expect("token");
    let token_file = root.join("token");
    std::fs::write(&token_file, &token.token).expect("token file");
    let enrolled = command(root)
        .args(["enroll", "--coordinator", &url, "--token-file"])
        .arg(&token_file)
        .stdout(Stdio::null())
        .status()
        .expect("enroll");
    assert!(enrolled.success(), "enroll failed");
    let agent = command(root)
        .arg("agent")
        .env("EDGECODER_DATA_DIR", root.join("agent"))
        .env("MAX_CONCURRENT_TASKS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start agent");
    let agent = Killed(agent);
    let pid = agent.0.id();

    // Let it register and settle, then measure a quiet period.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let ticks_per_sec = 100.0; // USER_HZ on Linux
    let t0 = cpu_ticks(&pid.to_string());
    let wall = Instant::now();
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let t1 = cpu_ticks(&pid.to_string());
    let idle_cpu_pct =
        (t1.saturating_sub(t0)) as f64 / ticks_per_sec / wall.elapsed().as_secs_f64() * 100.0;
    let idle_rss_kib = proc_kib(pid, "VmRSS:");

    // Start overhead: run many no-op tasks one at a time.
    let started = Instant::now();
    let mut ids = Vec::new();
    for _ in 0..tasks {
        let t = admin
            .submit(&SubmitRequest::argv(vec!["true".into()]))
            .await
            .expect("submit");
        ids.push(t.task.id);
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let list = admin
            .tasks("state=succeeded&limit=1000")
            .await
            .expect("list");
        if list.tasks.len() as u64 >= tasks || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let elapsed = started.elapsed();
    let busy_rss_kib = proc_kib(pid, "VmHWM:");
    let log = std::fs::read_to_string(root.join("logs/agent.log")).unwrap_or_default();
    let mut overheads: Vec<f64> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["fields"]["start_overhead_ms"].as_f64())
        .collect();
    overheads.sort_by(|a, b| a.total_cmp(b));
    drop(agent);
    drop(coord);

    let p50 = percentile(&overheads, 0.5);
    let p99 = percentile(&overheads, 0.99);
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!("edgecoder agent benchmark ({} cores)", num_cpus());
    println!(
        "{:<38} {:>12} {:>12} {:>8}",
        "measure", "value", "target", ""
    );
    println!(
        "{:<38} {:>9} MB {:>9} MB {:>8}",
        "idle RSS",
        format!("{:.1}", idle_rss_kib as f64 / 1024.0),
        "< 15",
        verdict((idle_rss_kib as f64) / 1024.0 < 15.0)
    );
    println!(
        "{:<38} {:>10.3} % {:>10} % {:>8}",
        format!("idle CPU over {idle_secs} s"),
        idle_cpu_pct,
        "< 0.5",
        verdict(idle_cpu_pct < 0.5)
    );
    println!(
        "{:<38} {:>9.2} ms {:>9} ms {:>8}",
        format!("start overhead p50 ({} tasks)", overheads.len()),
        p50,
        "< 5",
        verdict(p50 < 5.0)
    );
    println!("{:<38} {:>9.2} ms", "start overhead p99", p99);
    println!(
        "{:<38} {:>9.1} MB",
        "peak RSS while running tasks",
        busy_rss_kib as f64 / 1024.0
    );
    println!(
        "{:<38} {:>9.1} /s",
        "sequential no-op tasks (1 slot)",
        tasks as f64 / elapsed.as_secs_f64()
    );
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
