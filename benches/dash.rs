//! Dashboard benchmark: frame render time and memory with 10,000 tasks and 1,000 nodes, and the
//! idle CPU of a real `edgecoder dash` in a pseudo-terminal against a real coordinator.
//!
//! Targets (issue 6): a frame under 5 ms, memory under 50 MB, idle CPU under 1% of a core.
//! `cargo bench --bench dash`; IDLE_SECS (default 20) sets the idle measurement.

mod support;

use edgecoder::api::*;
use edgecoder::tui::msg::{Msg, Net};
use edgecoder::tui::state::{CreditData, Credits, Snapshot, State, Tab};
use edgecoder::tui::{apply, update, view};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::*;

const TASKS: usize = 10_000;
const NODES: usize = 1_000;
const ADMIN: &str = "bench-admin-token-0123456789abcdef";

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn task(i: usize, now: i64) -> TaskInfo {
    let state = TaskState::ALL[i % 7];
    TaskInfo {
        id: format!("{i:016x}"),
        state,
        command: TaskCommand::Argv(vec![
            "cargo".into(),
            "test".into(),
            format!("--package=crate-{i}"),
        ]),
        env: BTreeMap::new(),
        timeout_secs: 600,
        requirements: Requirements::default(),
        placement: Placement::Mesh,
        priority: (i % 5) as i32,
        max_attempts: 3,
        attempts: 1,
        idempotency_key: None,
        submitted_by: "admin".into(),
        created_at: now - i as i64 * 1000,
        updated_at: now,
        finished_at: None,
        node_id: Some(format!("node-{:04}", i % NODES)),
        exit_code: None,
        error: None,
        cancel_requested: false,
        network: true,
        attempt_history: vec![],
        code_result: None,
        name: None,
        retry: None,
        source: None,
        waiting: None,
        artifacts: Vec::new(),
    }
}

fn node(i: usize, now: i64) -> NodeInfo {
    NodeInfo {
        id: format!("node-{i:04}"),
        name: format!("worker-{i}"),
        state: NodeState::Approved,
        online: !i.is_multiple_of(10),
        draining: i.is_multiple_of(50),
        labels: [("zone".to_string(), format!("z{}", i % 8))].into(),
        capabilities: Capabilities {
            os: "linux".into(),
            arch: "x86_64".into(),
            hostname: format!("host-{i}"),
            cpus: 16,
            memory_total_mib: 65_536,
            memory_available_mib: 30_000,
            gpus: vec![],
            max_concurrent_tasks: 8,
            ..Default::default()
        },
        registered_at: now - 86_400_000,
        last_heartbeat_at: Some(now - 2_000),
        load: Some(1.5),
        running_tasks: 3,
        address: Some("10.0.0.1".into()),
        blacklisted: i.is_multiple_of(97),
        decided_by: None,
        decided_by_name: None,
        decided_at: None,
        host: None,
        drain_deadline: None,
    }
}

fn big_state(size: (u16, u16)) -> State {
    let now = now_ms();
    let mut state = State::new("http://127.0.0.1:4301", false, true, size, now);
    let counts: BTreeMap<String, u64> = TaskState::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), (TASKS / 7) as u64))
        .collect();
    let snapshot = Snapshot {
        status: ServerStatus {
            version: "0.1.0".into(),
            mode: "all-in-one".into(),
            started_at: now,
            uptime_secs: 1,
            queue: QueueSummary {
                counts,
                oldest_queued_age_ms: Some(1000),
                backlog: vec![],
                nodes_online: 900,
                nodes_pending: 0,
            },
        },
        tasks: (0..TASKS).map(|i| task(i, now).summary()).collect(),
        nodes: (0..NODES).map(|i| node(i, now)).collect(),
        at: now,
    };
    apply::snapshot(&mut state, snapshot);
    let accounts = (0..NODES)
        .map(|i| Account {
            id: format!("node:node-{i:04}"),
            kind: "node".into(),
            balance: i as i64 * 10,
            held: 0,
            earned: i as i64 * 10,
            spent: 0,
            name: None,
        })
        .collect();
    update::update(
        &mut state,
        Msg::Net(Net::Credits(Credits::Loaded(CreditData {
            accounts,
            entries: vec![],
            verify: None,
            sees_every_account: true,
        }))),
    );
    for id in 0..2000 {
        let e = Event {
            id,
            at: now,
            kind: "task.succeeded".into(),
            task_id: Some(format!("{:016x}", id)),
            node_id: Some("node-0001".into()),
            data: serde_json::json!({"exit_code": 0}),
        };
        update::update(&mut state, Msg::Net(Net::Event(e)));
    }
    state
}

fn render_bench() {
    println!("== render: {TASKS} tasks, {NODES} nodes, 2000 events ==");
    for size in [(80u16, 24u16), (160, 48), (250, 70)] {
        let mut state = big_state(size);
        let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
        for tab in Tab::ALL {
            state.tab = tab;
            let mut times = Vec::new();
            for i in 0..300 {
                // Move the selection so frames differ, as they do when someone scrolls.
                state.pos[tab.index()].selected =
                    (i * 37) % state.visible[tab.index()].len().max(1);
                state.pos[tab.index()].offset = state.pos[tab.index()].selected;
                let t = Instant::now();
                terminal.draw(|f| view::draw(f, &state)).expect("draw");
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(|a, b| a.total_cmp(b));
            let mean = times.iter().sum::<f64>() / times.len() as f64;
            println!(
                "{}x{} {:<8} frame mean {:.3} ms  p99 {:.3} ms",
                size.0,
                size.1,
                tab.title(),
                mean,
                percentile(&times, 0.99)
            );
        }
    }
    // A filter over all 10,000 tasks, recomputed as each key is typed.
    let mut state = big_state((160, 48));
    state.filters[0] = "crate-99".into();
    let t = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        state.refilter(Tab::Queue);
    }
    println!(
        "filter of {TASKS} tasks: {:.2} ms per keystroke ({} rows match)",
        t.elapsed().as_secs_f64() * 1000.0 / rounds as f64,
        state.visible[0].len()
    );
    // A fresh poll of the whole data set applied to the state.
    let now = now_ms();
    let t = Instant::now();
    let snapshot = Snapshot {
        status: state.status.clone().expect("status"),
        tasks: (0..TASKS).map(|i| task(i, now).summary()).collect(),
        nodes: (0..NODES).map(|i| node(i, now)).collect(),
        at: now,
    };
    apply::snapshot(&mut state, snapshot);
    println!(
        "build and apply a snapshot of {TASKS} tasks and {NODES} nodes: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}

fn memory_bench() {
    println!("== memory ==");
    let pid = std::process::id();
    let before = proc_kib(pid, "VmRSS:");
    let state = big_state((160, 48));
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    terminal.draw(|f| view::draw(f, &state)).expect("draw");
    let after = proc_kib(pid, "VmRSS:");
    println!(
        "state with {TASKS} tasks, {NODES} nodes, {NODES} accounts, 2000 events: +{:.1} MiB \
         (process RSS {:.1} MiB, peak {:.1} MiB)",
        after.saturating_sub(before) as f64 / 1024.0,
        after as f64 / 1024.0,
        proc_kib(pid, "VmHWM:") as f64 / 1024.0
    );
    drop(state);
}

fn start_coordinator(root: &std::path::Path) -> (Killed, String) {
    let mut coord = command(root);
    coord
        .args(["serve", "--mode", "coordinator", "--port", "0"])
        .arg("--data-dir")
        .arg(root.join("coord"))
        .env("ADMIN_API_TOKEN", ADMIN)
        .stderr(Stdio::null());
    start_listening(coord, Duration::from_secs(30))
}

/// Runs `edgecoder dash` in a pty for `secs` and returns (CPU % of one core, RSS MiB).
fn measure_dash(root: &std::path::Path, url: &str, secs: u64) -> (f64, f64) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 48,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_edgecoder"));
    cmd.arg("dash");
    cmd.cwd(root);
    cmd.env("HOME", root.join("home"));
    cmd.env("XDG_CONFIG_HOME", root.join("config-home"));
    cmd.env("EDGECODER_ENV_FILE", root.join("config-home/edgecoder.env"));
    cmd.env("EDGECODER_URL", url);
    cmd.env("EDGECODER_TOKEN", ADMIN);
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn dash");
    let mut reader = pair.master.try_clone_reader().expect("reader");
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
    });
    let pid = child.process_id().expect("pid").to_string();
    std::thread::sleep(Duration::from_secs(4)); // first polls and the event backlog
    let start = cpu_ticks(&pid);
    let t = Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    let ticks = cpu_ticks(&pid) - start;
    let cpu = ticks as f64 / 100.0 / t.elapsed().as_secs_f64() * 100.0;
    let rss = proc_kib(pid.parse().unwrap_or(0), "VmRSS:") as f64 / 1024.0;
    let _ = child.kill();
    let _ = child.wait();
    (cpu, rss)
}

async fn idle_bench() {
    let secs = env_num("IDLE_SECS", 20);
    println!("== idle dash, 160x48 pty, {secs} s ==");
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let (_coord, url) = start_coordinator(root);
    let (cpu, rss) = measure_dash(root, &url, secs);
    println!("empty coordinator: dash CPU {cpu:.2}% of a core, RSS {rss:.1} MiB");

    // The same with a backlog of 10,000 queued tasks (no worker takes them).
    let admin = edgecoder::api::client::Client::new(&url, Some(ADMIN.into())).expect("client");
    let submitted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut jobs = Vec::new();
    for w in 0..16 {
        let (admin, submitted) = (admin.clone(), submitted.clone());
        jobs.push(tokio::spawn(async move {
            for i in (w..TASKS).step_by(16) {
                let req = SubmitRequest::argv(vec!["echo".into(), i.to_string()]);
                match admin.submit(&req).await {
                    Ok(_) => {
                        submitted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Err(e) => {
                        eprintln!("submit failed: {e}");
                        return;
                    }
                }
            }
        }));
    }
    for j in jobs {
        let _ = j.await;
    }
    let n = submitted.load(std::sync::atomic::Ordering::Relaxed);
    let root = root.to_path_buf();
    let (cpu, rss) = tokio::task::spawn_blocking(move || measure_dash(&root, &url, secs))
        .await
        .expect("join");
    println!("{n} queued tasks: dash CPU {cpu:.2}% of a core, RSS {rss:.1} MiB");
}

#[tokio::main]
async fn main() {
    // Memory first: later allocations would leave the allocator's pages in the baseline.
    memory_bench();
    render_bench();
    idle_bench().await;
}
