//! Test harness: starts the real `edgecoder` binary on loopback with its own temp dirs.
//!
//! Every test gets a fresh HOME, XDG dirs, env file path and data dir, so nothing leaks between
//! tests or from the machine running them (root included: system paths are never used).

pub use crate::{machine::*, raw_http::*, waits::*};
use edgecoder::api::client::Client;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_edgecoder")
}

/// A private set of directories standing in for one machine's user account.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    /// The coordinator's PostgreSQL database when the suite runs on that backend
    /// (`EDGECODER_TEST_BACKEND=postgres`): a new one per sandbox, as its data dir is.
    pub database_url: Option<String>,
}

/// The one integer a query returns (`SELECT COUNT(*) …`), on either backend.
pub fn query_i64(db: &edgecoder::server::store::db::Db, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A connection to the PostgreSQL database at `url` (a test's own).
pub fn postgres_at(url: &str) -> edgecoder::server::store::db::Db {
    edgecoder::server::store::db::Db::connect_postgres(&url.parse().expect("a database URL"))
        .expect("connect to the test PostgreSQL")
}

/// Whether this run puts coordinators on PostgreSQL (`EDGECODER_TEST_BACKEND=postgres`); the
/// default, SQLite in the data dir, needs nothing set.
pub fn on_postgres() -> bool {
    match std::env::var("EDGECODER_TEST_BACKEND").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("EDGECODER_TEST_BACKEND={other}: use sqlite or postgres"),
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let database_url = on_postgres().then(|| {
            edgecoder::server::store::db::test_cluster::shared()
                .and_then(|cluster| cluster.fresh_database())
                .unwrap_or_else(|why| panic!("EDGECODER_TEST_BACKEND=postgres, but {why}"))
        });
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
            database_url,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    /// A connection to this sandbox's coordinator database, whichever backend the run uses,
    /// for tests that check what was stored (or tamper with it).
    pub fn db(&self) -> edgecoder::server::store::db::Db {
        use edgecoder::server::store::db::Db;
        match &self.database_url {
            Some(url) => postgres_at(url),
            None => {
                let conn = rusqlite::Connection::open(self.data_dir().join("edgecoder.db"))
                    .expect("open the coordinator's SQLite file");
                conn.busy_timeout(Duration::from_secs(10))
                    .expect("busy timeout");
                Db::from_sqlite(conn)
            }
        }
    }

    pub fn env_file(&self) -> PathBuf {
        self.path().join("config/edgecoder.env")
    }

    /// A command for the binary with this sandbox's environment and nothing of the caller's
    /// edgecoder settings.
    pub fn command(&self) -> Command {
        self.command_for(Path::new(bin()))
    }

    /// [`Sandbox::command`] for another copy of the binary (self-update tests run a copy).
    pub fn command_for(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        for (key, _) in std::env::vars() {
            if edgecoder::config::env_scrub::is_edgecoder_env(&key) {
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
            .env("EDGECODER_LOG_DIR", p.join("logs"))
            .env("NO_COLOR", "1")
            // Never the caller's desktop keyring (tests that need one start their own).
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("XDG_RUNTIME_DIR", p.join("run"))
            .stdin(Stdio::null());
        if let Some(url) = &self.database_url {
            cmd.env("EDGECODER_DATABASE_URL", url);
        }
        cmd
    }

    /// [`Sandbox::command`] for a terminal: the same scrubbed environment and directories, run
    /// in a pseudo-terminal, with colours left on (`NO_COLOR` removed) as a person would see them.
    pub fn pty_command(&self) -> portable_pty::CommandBuilder {
        let mut cmd = portable_pty::CommandBuilder::new(bin());
        for (key, _) in std::env::vars() {
            if edgecoder::config::env_scrub::is_edgecoder_env(&key) || key == "NO_COLOR" {
                cmd.env_remove(key);
            }
        }
        let p = self.path();
        cmd.cwd(p);
        cmd.env("HOME", p.join("home"));
        cmd.env("XDG_CONFIG_HOME", p.join("config-home"));
        cmd.env("XDG_DATA_HOME", p.join("data-home"));
        cmd.env("XDG_STATE_HOME", p.join("state-home"));
        cmd.env("EDGECODER_ENV_FILE", self.env_file());
        cmd.env("EDGECODER_DATA_DIR", self.data_dir());
        cmd.env("EDGECODER_LOG_DIR", p.join("logs"));
        cmd.env("TERM", "xterm-256color");
        if let Some(url) = &self.database_url {
            cmd.env("EDGECODER_DATABASE_URL", url);
        }
        cmd
    }
}

/// A running coordinator process; killed when dropped.
pub struct Coordinator {
    pub child: Child,
    pub url: String,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
    /// How many of stdout and stderr have reached end of file (2: the process wrote its last).
    pub closed: Arc<AtomicUsize>,
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

fn pump(
    stream: impl std::io::Read + Send + 'static,
    into: Arc<Mutex<String>>,
    closed: Arc<AtomicUsize>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Ok(mut s) = into.lock() {
                s.push_str(&line);
                s.push('\n');
            }
        }
        closed.fetch_add(1, Ordering::SeqCst);
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
        Self::try_start_cmd(sb.command(), opts)
    }

    /// Starts `serve` from the command given (the sandbox's command for some binary).
    pub fn try_start_cmd(
        mut cmd: Command,
        opts: CoordinatorOptions,
    ) -> Result<Coordinator, String> {
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
        let closed = Arc::new(AtomicUsize::new(0));
        pump(
            child.stdout.take().ok_or("no stdout")?,
            stdout.clone(),
            closed.clone(),
        );
        pump(
            child.stderr.take().ok_or("no stderr")?,
            stderr.clone(),
            closed.clone(),
        );
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
                    closed,
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                let drained = Instant::now() + Duration::from_secs(2);
                while closed.load(Ordering::SeqCst) < 2 && Instant::now() < drained {
                    std::thread::sleep(Duration::from_millis(10));
                }
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

    /// Waits until the process has closed stdout and stderr and everything it wrote was read.
    pub fn wait_output_closed(&self, within: Duration) {
        let deadline = Instant::now() + within;
        while self.closed.load(Ordering::SeqCst) < 2 {
            assert!(Instant::now() < deadline, "output not closed in {within:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The bound port, from the printed URL.
    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {}", self.url))
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
    let capabilities = edgecoder::api::Capabilities {
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
        cpus: 2,
        memory_total_mib: 4096,
        ..Default::default()
    };
    enroll_as(admin, name, &[], capabilities, true).await
}

// ---------------------------------------------------------------------------------------------
// Helpers for the coordinator suites (leases, scheduler, bad input, runtime, config).
// ---------------------------------------------------------------------------------------------

/// A coordinator only, pricing off, on the PostgreSQL database at `url`.
pub fn coordinator_on(url: &str) -> CoordinatorOptions {
    let mut options = coordinator_only();
    options
        .args
        .extend(["--free", "--database", url].map(String::from));
    options
}

/// A coordinator only (no local worker to take tasks away), on any free port, default intervals.
pub fn coordinator_only() -> CoordinatorOptions {
    CoordinatorOptions {
        args: vec![
            "--port".into(),
            "0".into(),
            "--mode".into(),
            "coordinator".into(),
        ],
        ..Default::default()
    }
}

/// A coordinator only with short intervals: heartbeat 300 ms (so a lease lives 900 ms past the
/// last sign of life), accept window 500 ms, claim long-poll at most 3 s.
pub fn fast() -> CoordinatorOptions {
    let mut opts = coordinator_only();
    opts.env = vec![
        ("EDGECODER_HEARTBEAT_INTERVAL".into(), "300ms".into()),
        ("EDGECODER_ACCEPT_WINDOW".into(), "500ms".into()),
        ("EDGECODER_CLAIM_WAIT".into(), "3s".into()),
    ];
    opts
}

/// Capabilities of a test node on this machine's OS and architecture.
pub fn caps(memory_mib: u64, gpus: usize) -> edgecoder::api::Capabilities {
    edgecoder::api::Capabilities {
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
        cpus: 2,
        memory_total_mib: memory_mib,
        gpus: (0..gpus)
            .map(|i| edgecoder::api::Gpu {
                name: format!("gpu{i}"),
                vram_mib: 16_384,
            })
            .collect(),
        ..Default::default()
    }
}

/// Enrolls a node with its own one-use enrollment token; returns its client and node id.
pub async fn enroll_as(
    admin: &Client,
    name: &str,
    labels: &[(&str, &str)],
    capabilities: edgecoder::api::Capabilities,
    auto_approve: bool,
) -> (Client, String) {
    let (client, id, _) = enroll_with_secret(admin, name, labels, capabilities, auto_approve).await;
    (client, id)
}

/// [`enroll_as`], also returning the node's credential for requests made by hand.
pub async fn enroll_with_secret(
    admin: &Client,
    name: &str,
    labels: &[(&str, &str)],
    capabilities: edgecoder::api::Capabilities,
    auto_approve: bool,
) -> (Client, String, String) {
    use edgecoder::api::*;
    let token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            auto_approve,
            ..Default::default()
        })
        .await
        .expect("enrollment token");
    let anon = Client::new(admin.base_url(), None).expect("client");
    let reg = anon
        .register(&RegisterRequest {
            enrollment_token: token.token,
            name: Some(name.to_string()),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            capabilities,
        })
        .await
        .expect("register");
    (
        Client::new(admin.base_url(), Some(reg.node_secret.clone())).expect("client"),
        reg.node_id,
        reg.node_secret,
    )
}

/// Keeps a node alive: heartbeats every 100 ms, reporting `running`, until dropped.
pub struct Heartbeat {
    handle: tokio::task::JoinHandle<()>,
    pub running: Arc<Mutex<Vec<String>>>,
    /// Every task id the coordinator told this node to stop.
    pub cancelled: Arc<Mutex<Vec<String>>>,
}

impl Heartbeat {
    pub fn start(node: &Client) -> Heartbeat {
        let node = node.clone();
        let running = Arc::new(Mutex::new(Vec::new()));
        let cancelled = Arc::new(Mutex::new(Vec::new()));
        let (r, c) = (running.clone(), cancelled.clone());
        let handle = tokio::spawn(async move {
            loop {
                let req = edgecoder::api::HeartbeatRequest {
                    load: Some(0.1),
                    running: r.lock().map(|v| v.clone()).unwrap_or_default(),
                    host: None,
                };
                if let Ok(resp) = node.heartbeat(&req).await
                    && let Ok(mut seen) = c.lock()
                {
                    seen.extend(resp.cancel);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        Heartbeat {
            handle,
            running,
            cancelled,
        }
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// Claims one task at once (no long-poll); None when nothing eligible is queued.
pub async fn claim_now(node: &Client) -> Option<edgecoder::api::ClaimedTask> {
    node.claim(Duration::ZERO).await.expect("claim").claimed
}

pub fn complete_req(
    lease_id: &str,
    outcome: edgecoder::api::Outcome,
    error: Option<&str>,
) -> edgecoder::api::CompleteRequest {
    edgecoder::api::CompleteRequest {
        lease_id: lease_id.to_string(),
        outcome,
        // A failure here is one the task did not answer with an exit code of its own (what an
        // agent reports when the sandbox could not run it): retried while attempts remain.
        // A run that exited non-zero is not (issue 17; tests/it/ci_step.rs).
        exit_code: match outcome {
            edgecoder::api::Outcome::Succeeded => Some(0),
            edgecoder::api::Outcome::Failed => None,
            _ => Some(1),
        },
        error: error.map(str::to_string),
        duration_ms: Some(3),
        cpu_ms: Some(1),
        peak_rss_kib: Some(100),
        stdout_tail: None,
        stderr_tail: None,
        code: None,
        artifacts: Vec::new(),
        permanent: false,
        inference: None,
    }
}

/// Asserts that a typed-client call failed with this HTTP status and error code.
#[track_caller]
pub fn assert_api_error<T: std::fmt::Debug>(
    result: Result<T, edgecoder::api::client::ClientError>,
    status: u16,
    code: &str,
) {
    match result {
        Err(e) => {
            assert_eq!(e.status(), Some(status), "wrong status: {e}");
            assert_eq!(e.code(), Some(code), "wrong code: {e}");
        }
        Ok(v) => panic!("expected HTTP {status} {code}, got success: {v:?}"),
    }
}

/// Everything a bad request must leave alone: tasks, queue counts, nodes and tokens.
#[derive(Debug, PartialEq)]
pub struct StoreView {
    pub tasks: Vec<(String, edgecoder::api::TaskState, u32, bool, i64)>,
    pub counts: std::collections::BTreeMap<String, u64>,
    pub nodes: Vec<(String, edgecoder::api::NodeState, bool)>,
    pub tokens: Vec<(String, Option<u32>, Option<i64>)>,
}

pub async fn store_view(admin: &Client) -> StoreView {
    let tasks = admin.tasks("limit=1000").await.expect("task list");
    let queue = admin.queue().await.expect("queue");
    let nodes = admin.nodes().await.expect("node list");
    let tokens = admin.tokens().await.expect("token list");
    StoreView {
        tasks: tasks
            .tasks
            .into_iter()
            .map(|t| (t.id, t.state, t.attempts, t.cancel_requested, t.updated_at))
            .collect(),
        counts: queue.counts,
        nodes: nodes
            .nodes
            .into_iter()
            .map(|n| (n.id, n.state, n.draining))
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| (t.id, t.uses_left, t.revoked_at))
            .collect(),
    }
}

/// Runs a command that is expected to end on its own; kills it and fails the test if it does
/// not end in time. Returns (exit code, stdout, stderr).
pub fn run_to_end(mut cmd: Command, within: Duration) -> (Option<i32>, String, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = Arc::new(Mutex::new(String::new()));
    let err = Arc::new(Mutex::new(String::new()));
    let closed = Arc::new(AtomicUsize::new(0));
    pump(
        child.stdout.take().expect("stdout"),
        out.clone(),
        closed.clone(),
    );
    pump(
        child.stderr.take().expect("stderr"),
        err.clone(),
        closed.clone(),
    );
    let deadline = Instant::now() + within;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "command did not end within {within:?}; stdout: {}; stderr: {}",
                out.lock().map(|s| s.clone()).unwrap_or_default(),
                err.lock().map(|s| s.clone()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let drained = Instant::now() + Duration::from_secs(5);
    while closed.load(Ordering::SeqCst) < 2 && Instant::now() < drained {
        std::thread::sleep(Duration::from_millis(5));
    }
    let get = |s: &Arc<Mutex<String>>| s.lock().map(|s| s.clone()).unwrap_or_default();
    (status.code(), get(&out), get(&err))
}

/// A port that was free a moment ago (bound to port 0, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}
