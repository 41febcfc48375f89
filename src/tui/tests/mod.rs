//! Tests of the dashboard against a known state: `render` (snapshots with ratatui's TestBackend
//! at 80×24 and 160×48) and `keys` (the update function). This file holds the known state.

mod jobs;
mod keys;
mod render;
mod rough_edges;

use super::msg::{Effect, Failure, Msg, Net, Request};
use super::state::*;
use super::update::update;
use super::{apply, view};
use crate::api::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;

pub const NOW: i64 = 1_700_000_000_000;

pub fn task(n: usize, state: TaskState, node: Option<&str>, cmd: &str, age_s: i64) -> TaskInfo {
    TaskInfo {
        id: format!("t{n:04}-5c1a9e77b2d04f6e8a11"),
        state,
        command: TaskCommand::Argv(cmd.split(' ').map(str::to_string).collect()),
        env: BTreeMap::new(),
        timeout_secs: 600,
        requirements: Requirements::default(),
        placement: Placement::Mesh,
        priority: (n % 3) as i32,
        max_attempts: 3,
        attempts: u32::from(state != TaskState::Queued),
        idempotency_key: None,
        submitted_by: "admin".into(),
        created_at: NOW - age_s * 1000,
        updated_at: NOW - age_s * 500,
        finished_at: None,
        node_id: node.map(str::to_string),
        exit_code: match state {
            TaskState::Succeeded => Some(0),
            TaskState::Failed => Some(2),
            _ => None,
        },
        error: (state == TaskState::Failed).then(|| "exit status 2".to_string()),
        cancel_requested: false,
        network: true,
        attempt_history: Vec::new(),
        code_result: None,
        name: None,
        retry: None,
        source: None,
        waiting: None,
        artifacts: Vec::new(),
    }
}

pub fn node(n: usize, name: &str, state: NodeState, online: bool) -> NodeInfo {
    NodeInfo {
        id: format!("n{n:03}-9f2e4b7c1d"),
        name: name.into(),
        state,
        online,
        draining: false,
        labels: [("zone".to_string(), format!("eu-{n}"))]
            .into_iter()
            .collect(),
        capabilities: Capabilities {
            os: "linux".into(),
            arch: "x86_64".into(),
            hostname: format!("{name}.lan"),
            cpus: 8,
            memory_total_mib: 16_384,
            memory_available_mib: 9_000,
            gpus: if n == 1 {
                vec![Gpu {
                    name: "A100".into(),
                    vram_mib: 40_960,
                }]
            } else {
                vec![]
            },
            max_concurrent_tasks: 4,
            ..Default::default()
        },
        registered_at: NOW - 86_400_000,
        last_heartbeat_at: online.then_some(NOW - 3_000),
        load: Some(0.5),
        running_tasks: if online { 1 } else { 0 },
        address: Some("127.0.0.1".into()),
        blacklisted: false,
        decided_by: None,
        decided_by_name: None,
        decided_at: None,
        host: None,
        drain_deadline: None,
    }
}

fn status() -> ServerStatus {
    let counts = [
        ("queued", 2),
        ("leased", 0),
        ("running", 2),
        ("succeeded", 41),
        ("failed", 1),
        ("cancelled", 1),
        ("timed_out", 0),
    ];
    ServerStatus {
        version: "0.1.0".into(),
        mode: "all-in-one".into(),
        started_at: NOW - 3_600_000,
        uptime_secs: 3600,
        queue: QueueSummary {
            counts: counts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            oldest_queued_age_ms: Some(95_000),
            backlog: vec![],
            nodes_online: 2,
            nodes_pending: 1,
        },
    }
}

pub fn snapshot() -> Snapshot {
    snapshot_of(&full_tasks())
}

/// The snapshot's tasks as `show` returns them; listings carry their summaries.
pub fn full_tasks() -> Vec<TaskInfo> {
    let a = "n000-9f2e4b7c1d";
    let b = "n001-9f2e4b7c1d";
    vec![
        task(6, TaskState::Queued, None, "cargo test --workspace", 5),
        task(5, TaskState::Queued, None, "make -j8 all", 20),
        task(
            4,
            TaskState::Running,
            Some(a),
            "python train.py --epochs 3",
            65,
        ),
        task(
            3,
            TaskState::Running,
            Some(b),
            "ollama run llama3 summarise",
            130,
        ),
        task(2, TaskState::Failed, Some(a), "sh -c exit 2", 600),
        task(1, TaskState::Succeeded, Some(b), "echo hello", 4000),
    ]
}

pub fn snapshot_of(tasks: &[TaskInfo]) -> Snapshot {
    let mut nodes = vec![
        node(0, "build-box", NodeState::Approved, true),
        node(1, "gpu-rig", NodeState::Approved, true),
        node(2, "laptop", NodeState::Pending, true),
        node(3, "old-server", NodeState::Approved, false),
        node(4, "spammer", NodeState::Approved, true),
    ];
    nodes[4].blacklisted = true;
    nodes[1].draining = true;
    Snapshot {
        status: status(),
        tasks: tasks.iter().map(TaskInfo::summary).collect(),
        nodes,
        at: NOW,
    }
}

fn event(id: i64, kind: &str, task: Option<&str>, node: Option<&str>) -> Event {
    Event {
        id,
        at: NOW - (100 - id) * 1000,
        kind: kind.into(),
        task_id: task.map(str::to_string),
        node_id: node.map(str::to_string),
        data: if kind == "task.failed" {
            serde_json::json!({"exit_code": 2})
        } else {
            serde_json::json!({})
        },
    }
}

fn credits() -> Credits {
    let account = |id: &str, kind: &str, balance, earned| Account {
        id: id.into(),
        kind: kind.into(),
        balance,
        held: 0,
        earned,
        spent: 0,
        name: None,
    };
    let entry = |seq: i64, kind: &str, account: &str, amount: i64| LedgerEntry {
        seq,
        at: NOW - (20 - seq) * 60_000,
        kind: kind.into(),
        account: account.into(),
        amount,
        task_id: Some("t0001-5c1a9e77b2d04f6e8a11".into()),
        actor: Some("coordinator".into()),
        prev_hash: "00".repeat(32),
        hash: "ab".repeat(32),
    };
    Credits::Loaded(CreditData {
        accounts: vec![
            account("treasury", "treasury", 1_000_000, 0),
            account("node:n000-9f2e4b7c1d", "node", 12_500, 12_500),
            account("user:admin", "user", 87_500, 0),
        ],
        entries: vec![
            entry(4, "earn", "node:n000-9f2e4b7c1d", 12_500),
            entry(3, "fee", "treasury", 625),
            entry(2, "settle", "user:admin", -13_125),
            entry(1, "issue", "user:admin", 100_000),
        ],
        verify: Some(LedgerVerify {
            ok: true,
            count: 4,
            head_seq: 4,
            head_hash: "3f9a".repeat(16),
            checkpoints_checked: 1,
            first_bad_seq: None,
            reason: None,
        }),
        sees_every_account: true,
    })
}

/// A dashboard that has polled once, read the credits and seen a few events.
pub fn known(size: (u16, u16)) -> State {
    let mut s = State::new("http://127.0.0.1:4301", false, true, size, NOW);
    update(&mut s, Msg::Net(Net::StreamUp));
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snapshot()))));
    update(&mut s, Msg::Net(Net::Credits(credits())));
    let t4 = "t0004-5c1a9e77b2d04f6e8a11";
    for e in [
        event(90, "node.registered", None, Some("n002-9f2e4b7c1d")),
        event(91, "task.submitted", Some(t4), None),
        event(92, "task.leased", Some(t4), Some("n000-9f2e4b7c1d")),
        event(93, "task.started", Some(t4), Some("n000-9f2e4b7c1d")),
        event(94, "task.failed", Some("t0002-5c1a9e77b2d04f6e8a11"), None),
    ] {
        update(&mut s, Msg::Net(Net::Event(e)));
    }
    s.throughput.buckets = [0, 2, 5, 3, 8, 13, 7, 4, 9, 11, 6, 2, 0, 1, 4]
        .into_iter()
        .cycle()
        .take(60)
        .collect();
    s
}

pub fn render(state: &State) -> TestBackend {
    let mut terminal =
        Terminal::new(TestBackend::new(state.size.0, state.size.1)).expect("test terminal");
    terminal.draw(|f| view::draw(f, state)).expect("draw");
    terminal.backend().clone()
}

fn screen_text(state: &State) -> String {
    render(state).to_string()
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn press(state: &mut State, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| update(state, ch(c))).collect()
}
