//! The owner's override (issue 20): `edgecoder agent pause [--for D]` and `agent resume` against
//! a real coordinator and a real agent in its own home, through the agent's control socket or,
//! with no agent running, through the pause file it honours when it starts.
//!
//! The heartbeat is long (10 s) on purpose: a pause seen by the coordinator within a few seconds
//! can only have come through the socket's poke, not a regular heartbeat.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

const HEARTBEAT: &str = "10s";
const WITHIN: Duration = Duration::from_secs(30);
/// Well under a heartbeat: what "at once" means here.
const AT_ONCE: Duration = Duration::from_secs(6);

/// A server policy, so that nothing of this machine's own state pauses the agent.
const ENV: &[(&str, &str)] = &[
    ("EDGECODER_HOST_POLICY", "server"),
    ("EDGECODER_HOST_CPU_CAP", "off"),
];

/// An enrolled machine whose agent may be started and stopped.
struct Machine {
    sb: Sandbox,
    id: String,
}

impl Machine {
    async fn enroll(coord: &Coordinator) -> Machine {
        let sb = Sandbox::new();
        let token = enroll_token(&coord.admin(), true, 1).await;
        let id = enroll_ok(&sb, &coord.url, &token, &["--name", "laptop"]);
        Machine { sb, id }
    }

    async fn start(&self, coord: &Coordinator) -> Agent {
        let agent = Agent::start(&self.sb, ENV);
        wait_online(&coord.admin(), &self.id).await;
        agent
    }

    fn edgecoder(&self, args: &[&str]) -> Out {
        cli(&self.sb, args, None)
    }

    fn pause_file(&self) -> std::path::PathBuf {
        self.sb.env_file().with_file_name("owner-pause.json")
    }
}

/// Waits until the coordinator shows the node's host `paused` (or not); returns the node.
async fn host_is(admin: &Client, id: &str, paused: bool, within: Duration) -> NodeInfo {
    eventually(within, || async {
        let n = admin.node(id).await.ok()?;
        (n.host_paused() == paused && n.host.is_some()).then_some(n)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_pause_takes_effect_at_once_and_lifts_by_itself() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let admin = coord.admin();
    let m = Machine::enroll(&coord).await;
    let agent = m.start(&coord).await;
    host_is(&admin, &m.id, false, WITHIN).await;

    let asked = Instant::now();
    let out = m.edgecoder(&["agent", "pause", "--for", "2s"]);
    assert_eq!(out.code, Some(0), "{out:?}\nagent:\n{}", agent.log());
    assert!(out.stdout.contains("agent paused for 2s"), "{out:?}");
    let file = m.pause_file();
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let until = doc["until_ms"].as_i64().expect("until_ms");
    assert!(doc["since_ms"].as_i64().is_some_and(|s| s < until), "{doc}");

    let node = host_is(&admin, &m.id, true, AT_ONCE).await;
    assert!(
        asked.elapsed() < AT_ONCE,
        "seen after {:?}: not through the socket",
        asked.elapsed()
    );
    let why = node.host.and_then(|h| h.reason).unwrap_or_default();
    assert!(why.starts_with("paused by owner until"), "{why}");

    // Queued while paused: claimed only once the pause has run out, then run to the end.
    let id = submit(&admin, &sh("echo done")).await;
    let done = wait_done(&admin, &id, WITHIN).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    let claimed_at = done.attempt_history[0].claimed_at;
    assert!(
        claimed_at >= until,
        "claimed {} ms before the pause ended",
        until - claimed_at
    );
    host_is(&admin, &m.id, false, WITHIN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_outlives_the_agent_and_resume_lifts_it_at_once() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let admin = coord.admin();
    let m = Machine::enroll(&coord).await;

    // No agent running: the file is the state, and the agent honours it from its start.
    let out = m.edgecoder(&["agent", "pause"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("no agent is running"), "{out:?}");
    assert!(m.pause_file().exists());
    let id = submit(&admin, &sh("echo done")).await;
    let agent = m.start(&coord).await;
    let node = host_is(&admin, &m.id, true, WITHIN).await;
    assert_eq!(node.host_label(), "paused by owner");
    let status = m.edgecoder(&["status"]);
    assert!(
        status.stdout.contains("host:         paused by owner"),
        "{status:?}"
    );
    assert!(
        status
            .stdout
            .contains("owner pause:  until `edgecoder agent resume`"),
        "{status:?}"
    );
    let status = m.edgecoder(&["status", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&status.stdout).expect("status json");
    assert_eq!(doc["host"]["paused"], true, "{doc}");
    assert_eq!(
        doc["owner_pause"]["until_ms"],
        serde_json::Value::Null,
        "{doc}"
    );
    assert!(doc["owner_pause"]["since_ms"].is_i64(), "{doc}");
    assert_eq!(admin.task(&id).await.unwrap().state, TaskState::Queued);
    let nodes = cli_with(
        server_cmd(&csb, &coord.url),
        &["server", "nodes", "list"],
        None,
    );
    assert!(nodes.stdout.contains("paused by owner"), "{nodes:?}");

    let asked = Instant::now();
    let out = m.edgecoder(&["agent", "resume"]);
    assert_eq!(out.code, Some(0), "{out:?}\nagent:\n{}", agent.log());
    assert_eq!(out.stdout.trim(), "agent resumed");
    assert!(!m.pause_file().exists());
    host_is(&admin, &m.id, false, AT_ONCE).await;
    let status = m.edgecoder(&["status", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&status.stdout).expect("status json");
    assert_eq!(doc["owner_pause"], serde_json::Value::Null, "{doc}");
    let done = wait_done(&admin, &id, WITHIN).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert!(
        asked.elapsed() < AT_ONCE + Duration::from_secs(3),
        "resumed work only after {:?}",
        asked.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_socket_open_to_others_is_not_trusted() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let m = Machine::enroll(&coord).await;
    let _agent = m.start(&coord).await;
    let socket = m.sb.env_file().with_file_name("agent.sock");
    eventually(WITHIN, || async { socket.exists().then_some(()) }).await;
    assert_eq!(
        std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = m.edgecoder(&["agent", "pause"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("not trusting it"), "{out:?}");
    assert!(!m.pause_file().exists(), "nothing was paused");
}
