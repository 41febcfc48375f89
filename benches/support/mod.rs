//! Pieces the benchmarks share: an isolated command for the binary, a child killed on drop,
//! readings from /proc, enrolled simulated nodes. Not a benchmark itself (cargo only runs
//! `benches/*.rs`).
#![allow(dead_code)]

pub mod chat_stream;

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A command for the binary that sees none of the caller's edgecoder settings and whose every
/// default path lies inside `root`, so the run never reads or writes the machine's real config.
pub fn command(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_edgecoder"));
    for (key, _) in std::env::vars() {
        if edgecoder::config::env_scrub::is_edgecoder_env(&key) {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(root)
        .env("HOME", root.join("home"))
        .env("XDG_CONFIG_HOME", root.join("config-home"))
        .env("XDG_DATA_HOME", root.join("data-home"))
        .env("XDG_STATE_HOME", root.join("state-home"))
        .env("EDGECODER_ENV_FILE", root.join("config-home/edgecoder.env"))
        .env("EDGECODER_LOG_DIR", root.join("logs"))
        // As root the default is /var/lib/edgecoder: the machine's, not the run's.
        .env("EDGECODER_DATA_DIR", root.join("data"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cmd` with its stdout piped and waits up to `wait` for its `listening on URL` line;
/// keeps reading stdout after, so the process never writes into a closed pipe.
pub fn start_listening(mut cmd: Command, wait: std::time::Duration) -> (Killed, String) {
    use std::io::BufRead;
    let mut child = Killed(cmd.stdout(Stdio::piped()).spawn().expect("start"));
    let out = child.0.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if !sent && let Some(url) = line.split("listening on ").nth(1) {
                let _ = tx.send(url.trim().to_string());
                sent = true;
            }
        }
    });
    let url = rx
        .recv_timeout(wait)
        .expect("no `listening on URL` line in time");
    (child, url)
}

pub fn proc_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// utime + stime of a process (`self` or a pid), in clock ticks (USER_HZ, 100 on Linux).
pub fn cpu_ticks(pid: &str) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    let Some((_, after)) = stat.rsplit_once(')') else {
        return 0;
    };
    let f: Vec<&str> = after.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    n(11) + n(12)
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Registers `workers` auto-approved nodes that serve `model`, each a client with its secret.
pub async fn enroll_model_nodes(
    url: &str,
    admin: &edgecoder::api::client::Client,
    workers: usize,
    name_prefix: &str,
    model: &str,
) -> Vec<edgecoder::api::client::Client> {
    use edgecoder::api::client::Client;
    use edgecoder::api::{Capabilities, RegisterRequest, TokenCreateRequest, TokenKind};
    let token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            uses: Some(workers as u32),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .expect("enrollment token");
    let anon = Client::new(url, None).expect("client");
    let mut nodes = Vec::new();
    for i in 0..workers {
        let reg = anon
            .register(&RegisterRequest {
                enrollment_token: token.token.clone(),
                name: Some(format!("{name_prefix}-{i}")),
                labels: Default::default(),
                capabilities: Capabilities {
                    os: std::env::consts::OS.into(),
                    arch: std::env::consts::ARCH.into(),
                    cpus: 4,
                    memory_total_mib: 8192,
                    max_concurrent_tasks: 64,
                    models: vec![model.into()],
                    ..Default::default()
                },
            })
            .await
            .expect("register");
        nodes.push(Client::new(url, Some(reg.node_secret)).expect("client"));
    }
    nodes
}
