//! Settlement benchmark: what pricing costs the store writer per task, without HTTP in the way.
//!
//! Opens a fresh store, registers 50 nodes, then runs rounds of ROUND tasks (default 8) through
//! the same store functions the routes call, each step's jobs sent together so they commit as one
//! batch: submit → claim → start → complete. Rounds alternate between pricing on (the treasury
//! pays, so every task is held and settled: five ledger entries) and off, on the same database,
//! so drift in the machine falls on both alike. Prints the median time per task of each step and
//! the difference. The ledger upkeep (bulk account index, checkpoints) does not run here; the
//! coordinator benchmark includes it. The end-to-end figure the issue sets its target on is `cargo bench --bench
//! coordinator` (with and without `--free`); this one shows where the difference comes from.
//!
//! Run: `cargo bench --bench settlement [-- --secs 20 --round 8]`. Never fails on the numbers.

use edgecoder::api::{CompleteRequest, NetworkMode, Outcome, SubmitRequest};
use edgecoder::server::Settings;
use edgecoder::server::store::ledger;
use edgecoder::server::store::ledger::charges::Payer;
use edgecoder::server::store::ledger::pricing::Pricing;
use edgecoder::server::store::nodes::{self, NewNode};
use edgecoder::server::store::tasks::{self, SubmitLimits};
use edgecoder::server::store::{Store, leases};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NODES: usize = 50;

fn option(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == &format!("--{name}"))
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn request() -> SubmitRequest {
    serde_json::from_value(serde_json::json!({"command": {"argv": ["true"]}, "timeout_secs": 60}))
        .expect("request")
}

async fn all<T: Send + 'static>(jobs: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        out.push(job.await.expect("join"));
    }
    out
}

/// One round: `round` tasks from submission to settlement, each step one batch. Returns each
/// step's wall time in µs: submit, claim, start, complete.
async fn round(store: &Arc<Store>, node_ids: &[String], round: usize, payer: &Payer) -> [f64; 4] {
    let mut steps = [0.0; 4];
    let mut t = Instant::now();
    let mut lap = |i: usize, t: &mut Instant| {
        steps[i] = t.elapsed().as_secs_f64() * 1e6;
        *t = Instant::now();
    };
    let limits = SubmitLimits {
        default_timeout_secs: 60,
        max_timeout_secs: 3600,
        default_max_attempts: 1,
        fields: Default::default(),
    };
    let intervals = Settings::intervals_for(
        Duration::from_secs(5),
        Duration::from_secs(1),
        Duration::from_secs(30),
    );
    let submits = (0..round)
        .map(|_| {
            let (store, payer) = (store.clone(), payer.clone());
            tokio::spawn(async move {
                store
                    .write(move |ctx| tasks::submit(ctx, request(), "bench", limits, &payer))
                    .await
                    .expect("submit")
            })
        })
        .collect();
    all(submits).await;
    lap(0, &mut t);
    let claims = node_ids[..round]
        .iter()
        .map(|node| {
            let (store, node) = (store.clone(), node.clone());
            tokio::spawn(async move {
                let claimed = store
                    .write({
                        let node = node.clone();
                        move |ctx| leases::claim(ctx, &node, &intervals, NetworkMode::PublicMesh)
                    })
                    .await
                    .expect("claim")
                    .expect("a queued task");
                (node, claimed.task.id, claimed.lease.lease_id)
            })
        })
        .collect();
    let claimed = all(claims).await;
    lap(1, &mut t);
    let starts = claimed
        .iter()
        .cloned()
        .map(|(node, task, lease)| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .write(move |ctx| leases::start(ctx, &node, &task, &lease, &intervals))
                    .await
                    .expect("start")
            })
        })
        .collect();
    all(starts).await;
    lap(2, &mut t);
    let completes = claimed
        .into_iter()
        .map(|(node, task, lease)| {
            let store = store.clone();
            tokio::spawn(async move {
                let done = CompleteRequest {
                    lease_id: lease,
                    outcome: Outcome::Succeeded,
                    exit_code: Some(0),
                    error: None,
                    duration_ms: Some(3),
                    cpu_ms: Some(2),
                    peak_rss_kib: None,
                    stdout_tail: None,
                    stderr_tail: None,
                    code: None,
                    artifacts: Vec::new(),
                    permanent: false,
                    inference: None,
                };
                store
                    .write(move |ctx| leases::complete(ctx, &node, &task, &done))
                    .await
                    .expect("complete")
            })
        })
        .collect();
    all(completes).await;
    lap(3, &mut t);
    steps
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let secs = option("secs", 20);
    let per_round = (option("round", 8) as usize).clamp(1, NODES);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Store::open(&dir.path().join("settle.db")).expect("store"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let node_ids: Vec<String> = (0..NODES)
        .map(|i| {
            let new = NewNode {
                enrollment_token: String::new(),
                name: Some(format!("bench-{i}")),
                labels: Default::default(),
                capabilities: Default::default(),
                address: None,
                local: true,
            };
            rt.block_on(store.write(move |ctx| nodes::register(ctx, new)))
                .expect("register")
                .0
                .id
        })
        .collect();
    let payer = |enabled: bool| Payer {
        pricing: Pricing {
            enabled,
            ..Pricing::default()
        },
        account: ledger::TREASURY.to_string(),
        actor: "bench".to_string(),
        multiplier_bps: 10_000,
    };
    let (on, off) = (payer(true), payer(false));
    // Per mode, per step (and the whole round last): µs per task of each round.
    let mut on_us: [Vec<f64>; 5] = Default::default();
    let mut off_us: [Vec<f64>; 5] = Default::default();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(secs) {
        for (payer, times) in [(&on, &mut on_us), (&off, &mut off_us)] {
            let steps = rt.block_on(round(&store, &node_ids, per_round, payer));
            for (i, us) in steps.iter().enumerate() {
                times[i].push(us / per_round as f64);
            }
            times[4].push(steps.iter().sum::<f64>() / per_round as f64);
        }
    }
    println!(
        "settlement benchmark: {} rounds of {per_round} tasks each way, {NODES} nodes; \
         µs per task, median of rounds",
        on_us[4].len()
    );
    println!(
        "  {:<12} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "", "submit", "claim", "start", "complete", "total"
    );
    let medians = |v: &[Vec<f64>; 5]| v.clone().map(median);
    let (on_med, off_med) = (medians(&on_us), medians(&off_us));
    for (name, m) in [("pricing off", off_med), ("pricing on", on_med)] {
        println!(
            "  {name:<12} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            m[0], m[1], m[2], m[3], m[4]
        );
    }
    println!(
        "  settlement adds {:.1} µs per task, {:+.1} %",
        on_med[4] - off_med[4],
        (on_med[4] / off_med[4] - 1.0) * 100.0
    );
}
