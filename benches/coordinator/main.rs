//! Coordinator benchmark: a real `edgecoder serve --mode coordinator` on loopback, driven through
//! the typed client by N simulated agents (claim → start → complete, as fast as they can) and a
//! few submitters of no-op tasks.
//!
//! Phase 1 measures, over a fixed window after a warm-up: end-to-end tasks per second (completions),
//! the latency of each call (claim latency counts only claims that returned a task), and the
//! coordinator's RSS and CPU. Phase 2 registers many nodes through the API (each then sends one
//! heartbeat, as a live fleet would) and reports the coordinator's RSS after.
//!
//! Run: `cargo bench --bench coordinator [-- --agents 50 --secs 10 …]`. Every option also reads an
//! env var: AGENTS, DURATION_SECS, WARMUP_SECS, SUBMITTERS, BACKLOG, NODES, NODE_CONCURRENCY,
//! COORD_WORKERS (the coordinator's async worker threads; tokio's default, one per core, if unset).
//! `--free` (or PRICING=off) starts the coordinator with pricing off; by default pricing is on and
//! every task is held at submission and settled at completion (the admin token pays from the
//! treasury), so the two runs compare settlement's cost on the queue.
//! `--postgres` (or BACKEND=postgres) puts the coordinator on a PostgreSQL server the benchmark
//! starts for itself (as the tests do) instead of its SQLite file; the store's size is then the
//! database's growth over the run.
//! Prints numbers and whether each target was met; never fails on them.

mod load;
mod machine;
mod report;
#[path = "../support/mod.rs"]
mod support;

use edgecoder::api::client::{Client, ClientError};
use edgecoder::api::*;
use futures_util::StreamExt;
use load::{Errors, Sample, Samples, Window, agent_loop, submit_loop};
use machine::{
    cores, dir_bytes, loadavg, machine_ticks, mb, stop_gracefully, table_bytes, thread_cpu,
    thread_ticks,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Killed, command, cpu_ticks, percentile, proc_kib, start_listening};
use tokio::sync::Semaphore;

const ADMIN: &str = "bench-admin-token-0123456789abcdef";
/// A run is cut off this long after its measured window should have ended.
const OVERRUN: Duration = Duration::from_secs(240);
/// How long one simulated agent's claim may wait for work.
const CLAIM_WAIT: Duration = Duration::from_secs(2);

// Targets: issue 2 (RSS) and issue 21 (throughput, latency, bytes per task, heartbeats).
const TARGET_TPS: f64 = 10_000.0;
const TARGET_P99_MS: f64 = 10.0;
const TARGET_RSS_MB: f64 = 100.0;
const TARGET_BYTES_PER_TASK: f64 = 1024.0;
const TARGET_HEARTBEAT_P99_MS: f64 = 50.0;
/// The throughput of a long window may fall at most this far below its first slice's.
const TARGET_DRIFT: f64 = 0.05;

#[derive(Debug, Clone)]
struct Opts {
    agents: usize,
    secs: u64,
    warmup: u64,
    submitters: usize,
    /// Most tasks submitted but not yet completed: keeps a queue in front of the agents without
    /// letting it grow without bound.
    backlog: usize,
    nodes: usize,
    node_concurrency: usize,
    /// Async worker threads of the coordinator (TOKIO_WORKER_THREADS); its default when absent.
    coord_workers: Option<u64>,
    /// `serve --free`: no holds or settlements.
    free: bool,
    /// The coordinator on PostgreSQL (`--database`), not SQLite.
    postgres: bool,
}

impl Opts {
    fn parse() -> Opts {
        let mut args: BTreeMap<String, String> = BTreeMap::new();
        let mut free = std::env::var("PRICING").is_ok_and(|v| v == "off");
        let mut postgres = std::env::var("BACKEND").is_ok_and(|v| v == "postgres");
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            if a == "--free" {
                free = true;
                continue;
            }
            if a == "--postgres" {
                postgres = true;
                continue;
            }
            // cargo bench passes `--bench`; anything we do not know is ignored.
            let Some(name) = a.strip_prefix("--") else {
                continue;
            };
            if let Some((k, v)) = name.split_once('=') {
                args.insert(k.to_string(), v.to_string());
            } else if [
                "agents",
                "secs",
                "warmup",
                "submitters",
                "backlog",
                "nodes",
                "node-concurrency",
                "coord-workers",
            ]
            .contains(&name)
                && let Some(v) = it.next()
            {
                args.insert(name.to_string(), v);
            }
        }
        let get = |arg: &str, env: &str, default: u64| -> u64 {
            args.get(arg)
                .cloned()
                .or_else(|| std::env::var(env).ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        let agents = get("agents", "AGENTS", 50).max(1) as usize;
        Opts {
            agents,
            secs: get("secs", "DURATION_SECS", 10).clamp(1, 900),
            warmup: get("warmup", "WARMUP_SECS", 2).min(30),
            // Enough submitters that the queue never runs dry: an empty queue would make claims
            // wait for work, and their latency would measure the submitters, not the scheduler.
            submitters: get("submitters", "SUBMITTERS", (agents as u64 / 2).max(4)).max(1) as usize,
            backlog: get("backlog", "BACKLOG", 4 * agents as u64).max(1) as usize,
            nodes: get("nodes", "NODES", 10_000) as usize,
            node_concurrency: get("node-concurrency", "NODE_CONCURRENCY", 32).max(1) as usize,
            coord_workers: Some(get("coord-workers", "COORD_WORKERS", 0)).filter(|n| *n > 0),
            free,
            postgres,
        }
    }
}

/// Starts the coordinator and returns it with the URL it printed.
fn start_coordinator(
    root: &Path,
    workers: Option<u64>,
    free: bool,
    database: Option<&str>,
) -> (Killed, String) {
    let mut cmd = command(root);
    cmd.env_remove("TOKIO_WORKER_THREADS");
    if let Some(n) = workers {
        cmd.env("TOKIO_WORKER_THREADS", n.to_string());
    }
    cmd.args(["serve", "--mode", "coordinator", "--port", "0"]);
    if free {
        cmd.arg("--free");
    }
    if let Some(url) = database {
        cmd.arg("--database").arg(url);
    }
    cmd.arg("--data-dir")
        .arg(root.join("coord"))
        .env("ADMIN_API_TOKEN", ADMIN)
        // Phase 2 registers thousands of nodes from this one address: no registration limit.
        .env("EDGECODER_REGISTER_PER_MINUTE", "0")
        .stderr(Stdio::null());
    let (child, url) = start_listening(cmd, Duration::from_secs(30));
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "the coordinator listens on {url}, not loopback"
    );
    (child, url)
}

fn capabilities(host: String) -> Capabilities {
    Capabilities {
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
        hostname: host,
        cpus: 2,
        memory_total_mib: 4096,
        memory_available_mib: 3072,
        toolchains: vec!["rust".into(), "python3".into()],
        max_concurrent_tasks: 1,
        ..Default::default()
    }
}

/// What phase 1 measured.
struct Throughput {
    tps: f64,
    completed: usize,
    samples: Samples,
    window: Window,
    coord_cpu_pct: f64,
    bench_cpu_pct: f64,
    rss_before_kib: u64,
    rss_peak_sampled_kib: u64,
    rss_after_kib: u64,
    errors: u64,
    first_errors: Vec<String>,
    /// Share of all cores busy in the window (anything on the machine, this run included).
    machine_busy_pct: f64,
    /// Share of all cores the hypervisor gave to someone else.
    steal_pct: f64,
    /// Coordinator CPU by thread name: (name, % of one core, threads).
    threads: Vec<(String, f64, usize)>,
    /// Queued tasks, least and most seen in the window.
    queued_min: u64,
    queued_max: u64,
}

async fn phase_throughput(opts: &Opts, url: &str, admin: &Client, pid: u32) -> Throughput {
    let rss_before_kib = proc_kib(pid, "VmRSS:");
    let token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            name: Some("bench agents".into()),
            uses: Some(opts.agents as u32),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .expect("enrollment token");
    let anon = Client::new(url, None).expect("client");
    let mut agents = Vec::new();
    for i in 0..opts.agents {
        let reg = anon
            .register(&RegisterRequest {
                enrollment_token: token.token.clone(),
                name: Some(format!("bench-agent-{i}")),
                labels: BTreeMap::new(),
                capabilities: capabilities(format!("bench-agent-{i}")),
            })
            .await
            .expect("register agent");
        assert_eq!(reg.state, NodeState::Approved, "auto-approve did not apply");
        // Each agent has its own client (its own connection), as separate machines would.
        let client = Client::new(url, Some(reg.node_secret)).expect("client");
        agents.push((client, reg.intervals));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let backlog = Arc::new(Semaphore::new(opts.backlog));
    let errors = Arc::new(Errors::default());
    let t0 = Instant::now();
    let window_end = Duration::from_secs(opts.warmup + opts.secs);
    let mut workers = Vec::new();
    let mut heartbeats = Vec::new();
    for (client, intervals) in agents {
        // Agents heartbeat as real ones do while busy, so their leases and online state live.
        let hb = client.clone();
        let every = Duration::from_millis(intervals.active_heartbeat_ms.max(100));
        let hb_stop = stop.clone();
        heartbeats.push(tokio::spawn(async move {
            let mut s = Samples::default();
            while !hb_stop.load(Ordering::Relaxed) {
                tokio::time::sleep(every).await;
                let t = Instant::now();
                if hb.heartbeat(&HeartbeatRequest::default()).await.is_ok() {
                    s.heartbeat.push(Sample {
                        at: t0.elapsed(),
                        ms: t.elapsed().as_secs_f64() * 1000.0,
                    });
                }
            }
            s
        }));
        workers.push(tokio::spawn(agent_loop(
            client,
            t0,
            stop.clone(),
            backlog.clone(),
            errors.clone(),
        )));
    }
    for _ in 0..opts.submitters {
        workers.push(tokio::spawn(submit_loop(
            admin.clone(),
            t0,
            stop.clone(),
            backlog.clone(),
            errors.clone(),
        )));
    }
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(proc_kib(pid, "VmRSS:"), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };

    let window = Window {
        from: Duration::from_secs(opts.warmup),
        to: Duration::from_secs(opts.warmup + opts.secs),
    };
    // Queue depth twice a second: if it ever reaches zero, claims waited for work.
    let depth = {
        let admin = admin.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            loop {
                if let Ok(q) = admin.queue().await {
                    let at = t0.elapsed();
                    seen.push((at, q.counts.get("queued").copied().unwrap_or(0)));
                }
                if t0.elapsed() >= window_end {
                    return seen;
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        })
    };
    tokio::time::sleep_until((t0 + window.from).into()).await;
    let threads0 = thread_ticks(pid);
    let m0 = machine_ticks();
    let (c0, b0, w0) = (
        cpu_ticks(&pid.to_string()),
        cpu_ticks("self"),
        Instant::now(),
    );
    tokio::time::sleep_until((t0 + window.to).into()).await;
    let (c1, b1, wall) = (
        cpu_ticks(&pid.to_string()),
        cpu_ticks("self"),
        w0.elapsed().as_secs_f64(),
    );
    let m1 = machine_ticks();
    let threads = thread_cpu(&threads0, &thread_ticks(pid), wall);
    stop.store(true, Ordering::Relaxed);
    backlog.close();

    let mut samples = Samples::default();
    for w in workers {
        match tokio::time::timeout(CLAIM_WAIT + Duration::from_secs(20), w).await {
            Ok(Ok(s)) => samples.merge(s),
            Ok(Err(e)) => eprintln!("a worker panicked: {e}"),
            Err(_) => eprintln!("a worker did not stop in time"),
        }
    }
    for h in heartbeats {
        match tokio::time::timeout(Duration::from_secs(20), h).await {
            Ok(Ok(s)) => samples.merge(s),
            _ => eprintln!("a heartbeat loop did not stop in time"),
        }
    }
    sampler.abort();
    let depths: Vec<u64> = depth
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|(at, _)| *at >= window.from)
        .map(|(_, n)| n)
        .collect();
    let completed = window.ms_in(&samples.complete).len();
    let first_errors = errors.first.lock().map(|v| v.clone()).unwrap_or_default();
    Throughput {
        tps: completed as f64 / (window.to - window.from).as_secs_f64(),
        completed,
        window,
        coord_cpu_pct: (c1 - c0) as f64 / wall,
        bench_cpu_pct: (b1 - b0) as f64 / wall,
        rss_before_kib,
        rss_peak_sampled_kib: peak.load(Ordering::Relaxed),
        rss_after_kib: proc_kib(pid, "VmRSS:"),
        errors: errors.count.load(Ordering::Relaxed),
        first_errors,
        samples,
        threads,
        machine_busy_pct: (m1.0 - m0.0) as f64 / (m1.1 - m0.1).max(1) as f64 * 100.0,
        steal_pct: (m1.2 - m0.2) as f64 / (m1.1 - m0.1).max(1) as f64 * 100.0,
        queued_min: depths.iter().copied().min().unwrap_or(0),
        queued_max: depths.iter().copied().max().unwrap_or(0),
    }
}

/// What phase 2 measured.
struct Registry {
    registered: usize,
    register_secs: f64,
    heartbeats: usize,
    heartbeat_secs: f64,
    rss_before_kib: u64,
    rss_registered_kib: u64,
    rss_after_kib: u64,
    errors: u64,
    first_errors: Vec<String>,
}

async fn phase_registry(opts: &Opts, admin: &Client, pid: u32) -> Registry {
    let rss_before_kib = proc_kib(pid, "VmRSS:");
    let errors = Arc::new(Errors::default());
    let token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            name: Some("bench fleet".into()),
            uses: Some(opts.nodes as u32),
            auto_approve: true,
            ..Default::default()
        })
        .await
        .expect("enrollment token");
    // One shared connection pool: 10,000 nodes need not mean 10,000 sockets on loopback.
    let anon = Client::new(admin.base_url(), None).expect("client");
    let started = Instant::now();
    let secrets: Vec<String> = futures_util::stream::iter(0..opts.nodes)
        .map(|i| {
            let (anon, token, errors) = (anon.clone(), token.token.clone(), errors.clone());
            async move {
                let req = RegisterRequest {
                    enrollment_token: token,
                    name: Some(format!("fleet-{i:05}")),
                    labels: BTreeMap::from([("pool".to_string(), format!("p{}", i % 16))]),
                    capabilities: capabilities(format!("fleet-{i:05}.example")),
                };
                match anon.register(&req).await {
                    Ok(r) => Some(r.node_secret),
                    Err(e) => {
                        errors.record("register", &e);
                        None
                    }
                }
            }
        })
        .buffer_unordered(opts.node_concurrency)
        .filter_map(|s| async move { s })
        .collect()
        .await;
    let register_secs = started.elapsed().as_secs_f64();
    let rss_registered_kib = proc_kib(pid, "VmRSS:");

    let started = Instant::now();
    let heartbeats = futures_util::stream::iter(secrets.iter())
        .map(|secret| {
            let (client, errors) = (
                anon.clone().with_token(Some(secret.clone())),
                errors.clone(),
            );
            async move {
                match client.heartbeat(&HeartbeatRequest::default()).await {
                    Ok(_) => 1usize,
                    Err(e) => {
                        errors.record("heartbeat", &e);
                        0
                    }
                }
            }
        })
        .buffer_unordered(opts.node_concurrency)
        .fold(0usize, |n, ok| async move { n + ok })
        .await;
    let heartbeat_secs = started.elapsed().as_secs_f64();
    let first_errors = errors.first.lock().map(|v| v.clone()).unwrap_or_default();
    Registry {
        registered: secrets.len(),
        register_secs,
        heartbeats,
        heartbeat_secs,
        rss_before_kib,
        rss_registered_kib,
        rss_after_kib: proc_kib(pid, "VmRSS:"),
        errors: errors.count.load(Ordering::Relaxed),
        first_errors,
    }
}

fn print_latency(name: &str, v: &[f64]) {
    println!(
        "  {:<26} {:>9} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
        name,
        v.len(),
        percentile(v, 0.5),
        percentile(v, 0.9),
        percentile(v, 0.99),
        v.last().copied().unwrap_or(f64::NAN)
    );
}

async fn run(opts: Opts, database: Option<String>) {
    let load_start = loadavg();
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let (coord, url) = start_coordinator(root, opts.coord_workers, opts.free, database.as_deref());
    let pid = coord.0.id();
    let admin = Client::new(&url, Some(ADMIN.into())).expect("client");
    let ready = Instant::now();
    while admin.health().await.is_err() {
        assert!(
            ready.elapsed() < Duration::from_secs(10),
            "coordinator not healthy"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "edgecoder coordinator benchmark: {} cores, load average {load_start}, {url} (pid {pid}), \
         store on {}",
        cores(),
        if database.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let size_before = database.as_deref().map(postgres_bytes);
    println!(
        "phase 1: {} agents, {} submitters, backlog ≤ {}, {} s warm-up + {} s measured, pricing {}",
        opts.agents,
        opts.submitters,
        opts.backlog,
        opts.warmup,
        opts.secs,
        if opts.free { "off (--free)" } else { "on" }
    );
    let tp = phase_throughput(&opts, &url, &admin, pid).await;
    let queue = admin.queue().await.ok();
    let nodes_phase = if opts.nodes > 0 {
        println!(
            "phase 2: registering {} nodes, {} at a time, then one heartbeat each",
            opts.nodes, opts.node_concurrency
        );
        Some(phase_registry(&opts, &admin, pid).await)
    } else {
        None
    };
    let hwm = proc_kib(pid, "VmHWM:");
    // A clean stop folds the WAL into the database, so what is measured is the data itself.
    stop_gracefully(pid);
    let (store_bytes, tables) = match (&database, size_before) {
        (Some(url), Some(before)) => (postgres_bytes(url).saturating_sub(before), Vec::new()),
        _ => (
            dir_bytes(&root.join("coord")),
            table_bytes(&root.join("coord")),
        ),
    };
    let load_end = loadavg();
    drop(coord);

    let finished = queue.as_ref().map_or(0, |q| {
        ["succeeded", "failed", "cancelled", "timed_out"]
            .iter()
            .filter_map(|k| q.counts.get(*k))
            .sum::<u64>()
    });
    let store = report::StoreSize {
        bytes: store_bytes,
        finished,
        tables,
    };
    report::print(
        &opts,
        &tp,
        queue.as_ref(),
        nodes_phase.as_ref(),
        hwm,
        &load_end,
        &store,
    );
}

/// The PostgreSQL database's size on disk.
fn postgres_bytes(url: &str) -> u64 {
    let db = edgecoder::server::store::db::Db::connect_postgres(&url.parse().expect("URL"))
        .expect("connect to the benchmark's PostgreSQL");
    db.query_row("SELECT pg_database_size(current_database())", [], |r| {
        r.get(0)
    })
    .expect("database size")
}

fn main() {
    let opts = Opts::parse();
    // The server is started here, before the runtime, and lives as long as `main`.
    let cluster = opts.postgres.then(|| {
        edgecoder::server::store::db::test_cluster::private()
            .unwrap_or_else(|why| panic!("--postgres: {why}"))
    });
    let database = cluster
        .as_ref()
        .map(|c| c.fresh_database().expect("a benchmark database"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let limit = Duration::from_secs(opts.warmup + opts.secs) + OVERRUN;
        if tokio::time::timeout(limit, run(opts, database))
            .await
            .is_err()
        {
            eprintln!(
                "the benchmark ran past {} s and was stopped",
                limit.as_secs()
            );
        }
    });
    // Tasks still running (heartbeats, stragglers) end with the runtime.
    rt.shutdown_timeout(Duration::from_secs(1));
}
