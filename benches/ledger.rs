//! Ledger benchmark: how fast `ledger verify` walks the chain (target: ≥ 500,000 entries/s), and
//! how fast entries are appended through the store's writer.
//!
//! Builds a fresh SQLite store in a temp dir with ENTRIES entries (default 1,000,000; `-- --entries
//! N`) written through `ledger::post` in batches of 1,000, signs one checkpoint, then times the
//! same verification `GET /api/v1/ledger/verify` runs (chain, checkpoint signature, cached
//! balances against the entries). Prints numbers; never fails on them.

use edgecoder::server::store::Store;
use edgecoder::server::store::ledger::pricing::LedgerSettings;
use edgecoder::server::store::ledger::{self, Posting, checkpoints};
use std::time::{Duration, Instant};

const TARGET_PER_SEC: f64 = 500_000.0;
const BATCH: usize = 1000;

fn entries_wanted() -> usize {
    let mut it = std::env::args().skip(1);
    let mut from_args = None;
    while let Some(a) = it.next() {
        if a == "--entries" {
            from_args = it.next();
        } else if let Some(v) = a.strip_prefix("--entries=") {
            from_args = Some(v.to_string());
        }
    }
    from_args
        .or_else(|| std::env::var("ENTRIES").ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000usize)
        .max(BATCH)
}

fn main() {
    let wanted = entries_wanted();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ledger.db");
    let store = Store::open(&path).expect("store");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let accounts: Vec<String> = (0..50).map(|i| format!("user:tokbench{i:02}")).collect();
    let t0 = Instant::now();
    let mut written = 0usize;
    while written < wanted {
        let accounts = accounts.clone();
        rt.block_on(store.write(move |ctx| {
            // Grants: the treasury pays (it may go negative), each user receives.
            let postings: Vec<Posting<'_>> = (0..BATCH / 2)
                .flat_map(|i| {
                    let to = &accounts[i % accounts.len()];
                    [
                        Posting {
                            kind: "grant",
                            account: ledger::TREASURY,
                            amount: -1234,
                            task_id: None,
                            actor: Some("bench"),
                        },
                        Posting {
                            kind: "grant",
                            account: to,
                            amount: 1234,
                            task_id: None,
                            actor: Some("bench"),
                        },
                    ]
                })
                .collect();
            ledger::post(ctx, &postings)
        }))
        .expect("append");
        written += BATCH;
    }
    let append_secs = t0.elapsed().as_secs_f64();
    let key = ed25519_dalek::SigningKey::from_bytes(&[42; 32]);
    let settings = LedgerSettings::default();
    rt.block_on(store.write(move |ctx| checkpoints::checkpoint_if_due(ctx, &key, &settings, true)))
        .expect("checkpoint");
    let public = ed25519_dalek::SigningKey::from_bytes(&[42; 32])
        .verifying_key()
        .to_bytes();
    rt.block_on(store.checkpoint()).expect("WAL checkpoint");

    let conn = edgecoder::server::store::db::Db::from_sqlite(
        rusqlite::Connection::open(&path).expect("open"),
    );
    let mut runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let verdict = ledger::verify::verify(&conn, &public, 60_000, edgecoder::api::now_ms())
            .expect("verify");
        let secs = t.elapsed().as_secs_f64();
        assert!(verdict.ok, "{verdict:?}");
        runs.push((secs, verdict.count));
    }
    let best = runs.iter().map(|(s, _)| *s).fold(f64::INFINITY, f64::min);
    let count = runs[0].1;
    println!("ledger benchmark: {count} entries");
    println!(
        "  append through the store writer: {:.1} s, {:.0} entries/s (batches of {BATCH})",
        append_secs,
        written as f64 / append_secs
    );
    for (i, (secs, _)) in runs.iter().enumerate() {
        println!(
            "  verify run {}: {:.2} s, {:.0} entries/s",
            i + 1,
            secs,
            count as f64 / secs
        );
    }
    let rate = count as f64 / best;
    println!(
        "  best verify: {:.0} entries/s (target ≥ {:.0}): {}",
        rate,
        TARGET_PER_SEC,
        if rate >= TARGET_PER_SEC {
            "met"
        } else {
            "MISSED"
        }
    );
    rt.shutdown_timeout(Duration::from_secs(1));
}
