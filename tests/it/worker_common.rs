//! Helpers for the worker tests (tests/it/worker_*.rs): CLI runs, enrollment through the real
//! `edgecoder enroll`, and `edgecoder agent` processes. Built on tests/it/common.rs (the shared
//! harness).

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The sandbox's command with logs kept inside the sandbox too (as root the default log dir is
/// `/var/log/edgecoder`, which a test must not touch).
pub fn cmd(sb: &Sandbox) -> Command {
    let mut c = sb.command();
    c.env("EDGECODER_LOG_DIR", sb.path().join("logs"));
    c
}

/// The result of one short CLI run.
#[derive(Debug)]
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `edgecoder ARGS` in the sandbox, optionally feeding stdin, and waits up to 30 s.
pub fn cli(sb: &Sandbox, args: &[&str], stdin: Option<&str>) -> Out {
    cli_with(cmd(sb), args, stdin)
}

pub fn cli_with(mut c: Command, args: &[&str], stdin: Option<&str>) -> Out {
    c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        c.stdin(Stdio::piped());
    }
    let mut child = c.spawn().expect("spawn edgecoder");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    let stdout = collect(child.stdout.take().expect("stdout"));
    let stderr = collect(child.stderr.take().expect("stderr"));
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("edgecoder {args:?} did not finish within 30 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Out {
        code: status.code(),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

fn collect(mut r: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
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

/// Coordinator options for worker tests: no local worker, fast intervals, logs in the sandbox.
pub fn fast_coordinator_options(sb: &Sandbox, heartbeat: &str) -> CoordinatorOptions {
    CoordinatorOptions {
        args: vec![
            "--port".into(),
            "0".into(),
            "--mode".into(),
            "coordinator".into(),
        ],
        env: fast_env(sb, heartbeat),
        ..Default::default()
    }
}

pub fn fast_env(sb: &Sandbox, heartbeat: &str) -> Vec<(String, String)> {
    vec![
        ("EDGECODER_HEARTBEAT_INTERVAL".into(), heartbeat.into()),
        ("EDGECODER_ACCEPT_WINDOW".into(), "1s".into()),
        ("EDGECODER_CLAIM_WAIT".into(), "1s".into()),
        (
            "EDGECODER_LOG_DIR".into(),
            sb.path().join("logs").display().to_string(),
        ),
    ]
}

/// A coordinator without a local worker, with a short heartbeat interval.
pub fn fast_coordinator(sb: &Sandbox, heartbeat: &str) -> Coordinator {
    Coordinator::start_with(sb, fast_coordinator_options(sb, heartbeat))
}

/// A fresh enrollment token.
pub async fn enroll_token(admin: &Client, auto_approve: bool, uses: u32) -> String {
    admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            auto_approve,
            uses: Some(uses),
            ..Default::default()
        })
        .await
        .expect("enrollment token")
        .token
}

/// `edgecoder enroll --token-file F --coordinator URL EXTRA…` in the sandbox.
pub fn enroll(sb: &Sandbox, url: &str, token: &str, extra: &[&str]) -> Out {
    let file = sb.path().join("enroll.token");
    std::fs::write(&file, format!("{token}\n")).expect("token file");
    let file = file.display().to_string();
    let mut args = vec!["enroll", "--token-file", &file, "--coordinator", url];
    args.extend_from_slice(extra);
    cli(sb, &args, None)
}

/// Enrolls and asserts success; returns the node id written to the env file.
pub fn enroll_ok(sb: &Sandbox, url: &str, token: &str, extra: &[&str]) -> String {
    let out = enroll(sb, url, token, extra);
    assert_eq!(out.code, Some(0), "enroll failed: {out:?}");
    env_value(sb, "AGENT_ID").expect("AGENT_ID in the env file")
}

/// A value from the sandbox's env file, read the simple way (plain `KEY=value` lines).
pub fn env_value(sb: &Sandbox, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(sb.env_file()).ok()?;
    text.lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
        .next_back()
}

/// The node secret `enroll` stored beside the env file.
pub fn node_secret(sb: &Sandbox) -> String {
    std::fs::read_to_string(credential_path(sb))
        .expect("node.secret")
        .trim()
        .to_string()
}

pub fn credential_path(sb: &Sandbox) -> PathBuf {
    sb.env_file().with_file_name("node.secret")
}

/// A running `edgecoder agent`; SIGKILLed when dropped if still running.
pub struct Agent {
    pub child: Child,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

/// The setting a root agent runs tasks as (its default is `nobody`).
pub const TASK_USER: &str = "EDGECODER_TASK_USER";
/// Whether tasks are confined with Landlock (default true).
pub const LANDLOCK: &str = "EDGECODER_TASK_LANDLOCK";

impl Agent {
    /// Starts `edgecoder agent` for an enrolled sandbox with extra environment. Its tasks run
    /// as the agent, root included, unless `env` names a task user: the suites' tasks write pid
    /// files into the tests' private temp dirs (0700), which an unprivileged task user could
    /// not reach. [`Agent::start_default_user`] keeps the product's default.
    pub fn start(sb: &Sandbox, env: &[(&str, &str)]) -> Agent {
        let mut env = env.to_vec();
        if !env.iter().any(|(k, _)| *k == TASK_USER) {
            env.push((TASK_USER, "root"));
        }
        // For the same reason no Landlock (which keeps a task inside its workdir), which
        // leaves these agents unconfined: their owner (the test) allows that explicitly.
        // tests/it/security_sandbox.rs tests the confinement these suites turn off.
        if !env.iter().any(|(k, _)| *k == LANDLOCK) {
            env.push((LANDLOCK, "false"));
            env.push(("EDGECODER_ALLOW_UNCONFINED_TASKS", "true"));
        }
        Self::start_default_user(sb, &env)
    }

    /// Starts `edgecoder agent` with extra environment and no task user of the test's choosing:
    /// as root, tasks run as `nobody`.
    pub fn start_default_user(sb: &Sandbox, env: &[(&str, &str)]) -> Agent {
        let mut c = cmd(sb);
        c.arg("agent")
            .env("EDGECODER_LOG", "info")
            // The host policy reads this machine (a developer's laptop would pause on battery
            // or while its owner types): off unless a test drives it (tests/it/host_policy.rs).
            .env("EDGECODER_HOST_POLICY", "off")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            c.env(k, v);
        }
        let mut child = c.spawn().expect("spawn edgecoder agent");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        pump(child.stdout.take().expect("stdout"), stdout.clone());
        pump(child.stderr.take().expect("stderr"), stderr.clone());
        Agent {
            child,
            stdout,
            stderr,
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn log(&self) -> String {
        let out = self.stdout.lock().map(|s| s.clone()).unwrap_or_default();
        let err = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
        format!("{out}{err}")
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(self.pid(), sig);
        }
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits until the agent's output contains `needle`.
    pub fn wait_for_log(&mut self, needle: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            if self.log().contains(needle) {
                return;
            }
            if !self.running() {
                panic!(
                    "agent exited before logging {needle:?}; its output:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "agent did not log {needle:?} within {within:?}; its output:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the agent to exit; its exit status.
    pub fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "agent did not exit within {within:?}; its output:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            // Cancel running tasks first so no task process outlives the test, then make sure.
            self.signal(libc::SIGTERM);
            std::thread::sleep(Duration::from_millis(100));
            self.signal(libc::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(8);
            while Instant::now() < deadline {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// One enrolled, running agent on its own "machine".
pub struct Node {
    /// Declared first so it is dropped (stopped) before its sandbox's files are removed.
    pub agent: Agent,
    /// Held only so the agent's files live as long as it does.
    _sandbox: Sandbox,
    pub id: String,
}

/// Enrolls a fresh sandbox with an auto-approved token through the CLI and starts its agent;
/// returns once the coordinator sees the node online.
pub async fn start_node(coord: &Coordinator, name: &str, env: &[(&str, &str)]) -> Node {
    start_node_with(coord, name, env, Agent::start).await
}

/// [`start_node`] with the product's default task user (see [`Agent::start_default_user`]).
pub async fn start_node_default_user(
    coord: &Coordinator,
    name: &str,
    env: &[(&str, &str)],
) -> Node {
    start_node_with(coord, name, env, Agent::start_default_user).await
}

async fn start_node_with(
    coord: &Coordinator,
    name: &str,
    env: &[(&str, &str)],
    start: fn(&Sandbox, &[(&str, &str)]) -> Agent,
) -> Node {
    let admin = coord.admin();
    let sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    let id = enroll_ok(&sb, &coord.url, &token, &["--name", name]);
    let agent = start(&sb, env);
    wait_online(&admin, &id).await;
    Node {
        agent,
        _sandbox: sb,
        id,
    }
}

/// Waits until the coordinator lists the node as online (it registered and heartbeats).
pub async fn wait_online(admin: &Client, id: &str) {
    eventually(Duration::from_secs(20), || async {
        admin
            .node(id)
            .await
            .ok()
            .filter(|n| n.online && n.state == NodeState::Approved)
    })
    .await;
}

/// A shell command as an argv task.
pub fn sh(script: &str) -> SubmitRequest {
    SubmitRequest::argv(vec!["sh".into(), "-c".into(), script.into()])
}

pub fn script(text: &str) -> SubmitRequest {
    SubmitRequest {
        command: TaskCommand::Script(text.into()),
        ..SubmitRequest::argv(vec![])
    }
}

pub async fn submit(admin: &Client, req: &SubmitRequest) -> String {
    admin.submit(req).await.expect("submit").task.id
}

/// Waits until the task is in a terminal state; returns it with its attempt history.
pub async fn wait_done(admin: &Client, id: &str, within: Duration) -> TaskInfo {
    let deadline = Instant::now() + within;
    loop {
        let task = admin.task(id).await.expect("task");
        if task.state.is_terminal() {
            return task;
        }
        assert!(
            Instant::now() < deadline,
            "task {id} not finished within {within:?}: {task:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the task is running; returns it.
pub async fn wait_running(admin: &Client, id: &str, within: Duration) -> TaskInfo {
    eventually(within, || async {
        admin
            .task(id)
            .await
            .ok()
            .filter(|t| t.state == TaskState::Running)
    })
    .await
}

/// Every log chunk of the task's current attempt, concatenated.
pub async fn full_log(admin: &Client, id: &str) -> String {
    let mut out = String::new();
    let mut offset = 0;
    loop {
        let page = admin.logs(id, offset).await.expect("logs");
        if page.chunks.is_empty() {
            return out;
        }
        for c in &page.chunks {
            out.push_str(&c.data);
        }
        if page.next_offset <= offset {
            return out;
        }
        offset = page.next_offset;
    }
}

/// Alive and not a zombie (a container's init may never reap orphans).
pub fn process_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    if unsafe { libc::kill(pid, 0) } != 0 {
        return false;
    }
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        && let Some((_, rest)) = stat.rsplit_once(") ")
        && (rest.starts_with('Z') || rest.starts_with('X'))
    {
        return false;
    }
    true
}

pub fn gone_within(pid: i32, within: Duration) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        if !process_alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    !process_alive(pid)
}

/// Reads a pid a task wrote to a file.
pub fn read_pid(path: &Path, within: Duration) -> i32 {
    let until = Instant::now() + within;
    loop {
        if let Ok(pid) = std::fs::read_to_string(path)
            .unwrap_or_default()
            .trim()
            .parse()
        {
            return pid;
        }
        assert!(Instant::now() < until, "no pid in {}", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A loopback port nothing listens on (bound then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// The port of a coordinator URL such as `http://127.0.0.1:4301`.
pub fn port_of(url: &str) -> u16 {
    url.rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("no port in {url}"))
}

/// `edgecoder ARGS` in the sandbox, talking to the coordinator at `url` with the admin token in
/// the environment.
pub fn server_cmd(sb: &Sandbox, url: &str) -> Command {
    let mut c = cmd(sb);
    c.env("EDGECODER_URL", url)
        .env("EDGECODER_TOKEN", ADMIN_TOKEN);
    c
}
