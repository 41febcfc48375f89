//! Test harness: starts the real `edgecoder` binary on loopback with its own temp dirs.
//!
//! Every test gets a fresh HOME, XDG dirs, env file path and data dir, so nothing leaks between
//! tests or from the machine running them (root included: system paths are never used).
#![allow(dead_code)]

use edgecoder::api::client::Client;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_edgecoder")
}

/// A private set of directories standing in for one machine's user account.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    pub fn env_file(&self) -> PathBuf {
        self.path().join("config/edgecoder.env")
    }

    /// A command for the binary with this sandbox's environment and nothing of the caller's
    /// edgecoder settings.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(bin());
        for (key, _) in std::env::vars() {
            if key.starts_with("EDGECODER_")
                || [
                    "EDGE_RUNTIME_MODE",
                    "AGENT_ID",
                    "COORDINATOR_URL",
                    "MESH_AUTH_TOKEN",
                    "ADMIN_API_TOKEN",
                    "MAX_CONCURRENT_TASKS",
                    "NETWORK_MODE",
                    "AGENT_REGISTRATION_TOKEN",
                ]
                .contains(&key.as_str())
            {
                cmd.env_remove(key);
            }
        }
        let p = self.path();
        cmd.current_dir(p)
            .env("HOME", p.join("home"))
            .env("XDG_CONFIG_HOME", p.join("config-home"))
            .env("XDG_DATA_HOME", p.join("data-home"))
            .env("XDG_STATE_HOME", p.join("state-home"))
            .env("EDGECODER_ENV_FILE", self.env_file())
            .env("EDGECODER_DATA_DIR", self.data_dir())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        cmd
    }
}

/// A running coordinator process; killed when dropped.
pub struct Coordinator {
    pub child: Child,
    pub url: String,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

pub struct CoordinatorOptions {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub admin_token: Option<String>,
}

impl Default for CoordinatorOptions {
    fn default() -> Self {
        CoordinatorOptions {
            args: vec!["--port".into(), "0".into()],
            env: vec![],
            admin_token: Some(ADMIN_TOKEN.to_string()),
        }
    }
}

fn pump(stream: impl std::io::Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Ok(mut s) = into.lock() {
                s.push_str(&line);
                s.push('\n');
            }
        }
    });
}

impl Coordinator {
    pub fn start(sb: &Sandbox) -> Coordinator {
        Self::start_with(sb, CoordinatorOptions::default())
    }

    /// Starts `edgecoder serve` and waits until it prints its URL and answers /health.
    pub fn start_with(sb: &Sandbox, opts: CoordinatorOptions) -> Coordinator {
        Self::try_start(sb, opts).unwrap_or_else(|e| panic!("coordinator did not start: {e}"))
    }

    pub fn try_start(sb: &Sandbox, opts: CoordinatorOptions) -> Result<Coordinator, String> {
        let mut cmd = sb.command();
        cmd.arg("serve")
            .args(&opts.args)
            .env("EDGECODER_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(t) = &opts.admin_token {
            cmd.env("ADMIN_API_TOKEN", t);
        }
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        pump(child.stdout.take().ok_or("no stdout")?, stdout.clone());
        pump(child.stderr.take().ok_or("no stderr")?, stderr.clone());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = stdout.lock().map(|s| s.clone()).unwrap_or_default();
            if let Some(line) = out.lines().find(|l| l.contains("listening on ")) {
                let url = line
                    .rsplit("listening on ")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                return Ok(Coordinator {
                    child,
                    url,
                    stdout,
                    stderr,
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                return Err(format!(
                    "exited with {status}; stderr: {}",
                    stderr.lock().map(|s| s.clone()).unwrap_or_default()
                ));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err("no URL printed within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn client(&self, token: &str) -> Client {
        Client::new(&self.url, Some(token.to_string())).expect("client")
    }

    pub fn admin(&self) -> Client {
        self.client(ADMIN_TOKEN)
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(self.child.id() as i32, sig);
        }
    }

    /// Waits for the process to exit; returns its exit code (None when killed by a signal).
    pub fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "process did not exit in {within:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Coordinator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it returns Some or the time is up.
pub async fn eventually<T, F, Fut>(within: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "condition not met within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Enrolls a node with a fresh auto-approved enrollment token; returns a client using its
/// credential and the node id.
pub async fn enroll_node(admin: &Client, name: &str) -> (Client, String) {
    use edgecoder::api::*;
    let token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .expect("enrollment token");
    let anon = Client::new(admin.base_url(), None).expect("client");
    let reg = anon
        .register(&RegisterRequest {
            enrollment_token: token.token,
            name: Some(name.to_string()),
            labels: Default::default(),
            capabilities: Capabilities {
                os: std::env::consts::OS.into(),
                arch: std::env::consts::ARCH.into(),
                cpus: 2,
                memory_total_mib: 4096,
                ..Default::default()
            },
        })
        .await
        .expect("register");
    (
        Client::new(admin.base_url(), Some(reg.node_secret)).expect("client"),
        reg.node_id,
    )
}
