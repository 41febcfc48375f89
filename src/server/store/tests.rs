//! The store's own behaviour: the writer thread, group commit and the WAL's upkeep.

use super::*;

fn meta_rows(store: &Store) -> i64 {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(store.read(|c| {
        Ok(c.query_row(
            "SELECT COUNT(*) FROM meta WHERE key LIKE 'test-%'",
            [],
            |r| r.get(0),
        )?)
    }))
    .expect("read")
}

#[test]
fn a_job_that_fails_after_writing_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&dir.path().join("t.db")).expect("open");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let failed = rt.block_on(store.write(|ctx| {
        ctx.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('test-half', 'written')",
            [],
        )?;
        Err::<(), _>(ApiError::bad_request("refused after writing"))
    }));
    assert!(failed.is_err());
    assert_eq!(meta_rows(&store), 0, "the half-done write was rolled back");
    let ok = rt.block_on(store.write(|ctx| {
        ctx.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('test-whole', 'written')",
            [],
        )?;
        Ok(())
    }));
    assert!(ok.is_ok());
    assert_eq!(meta_rows(&store), 1);
}

#[test]
fn a_refusal_before_writing_does_not_disturb_its_batch() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Arc::new(Store::open(&dir.path().join("t.db")).expect("open"));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let results = rt.block_on(async {
        let mut handles = Vec::new();
        for i in 0..50 {
            let store = store.clone();
            handles.push(tokio::spawn(async move {
                store
                    .write(move |ctx| {
                        if i % 2 == 0 {
                            return Err(ApiError::bad_request("refused"));
                        }
                        ctx.conn.execute(
                            "INSERT INTO meta (key, value) VALUES (?1, 'x')",
                            [format!("test-{i}")],
                        )?;
                        Ok(())
                    })
                    .await
            }));
        }
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.expect("join"));
        }
        out
    });
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 25);
    assert_eq!(meta_rows(&store), 25);
}

#[test]
fn the_wal_starts_over_under_a_steady_load() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.db");
    let store = Arc::new(Store::open(&db).expect("open"));
    let wal = dir.path().join("t.db-wal");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    // Four writers keep the store busy without a pause, as a loaded coordinator does: the
    // checkpoint thread alone never catches the last frames then.
    let value = "x".repeat(16 * 1024);
    let started = std::time::Instant::now();
    let (written, restarts, largest_wal) = rt.block_on(async {
        let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut writers = Vec::new();
        for w in 0..4 {
            let (store, value, written) = (store.clone(), value.clone(), written.clone());
            writers.push(tokio::spawn(async move {
                let mut i = 0u64;
                while written.load(std::sync::atomic::Ordering::Relaxed) < 128 << 20
                    || started.elapsed() < std::time::Duration::from_secs(3)
                {
                    let (key, value) = (format!("k{w}-{i}"), value.clone());
                    store
                        .write(move |ctx| {
                            ctx.conn.execute(
                                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                                [key, value],
                            )?;
                            Ok(())
                        })
                        .await
                        .expect("write");
                    written.fetch_add(16 * 1024, std::sync::atomic::Ordering::Relaxed);
                    i += 1;
                }
            }));
        }
        // The WAL header's checkpoint sequence number (bytes 12..16) grows each time the WAL
        // starts over.
        let restart_count = |wal: &std::path::Path| {
            std::fs::read(wal).ok().and_then(|b| {
                b.get(12..16)
                    .and_then(|s| s.try_into().ok())
                    .map(u32::from_be_bytes)
            })
        };
        let (mut last, mut restarts, mut largest) = (None, 0, 0);
        while writers.iter().any(|w| !w.is_finished()) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let now = restart_count(&wal);
            if last.is_some() && now.is_some() && now != last {
                restarts += 1;
            }
            last = now.or(last);
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        for w in writers {
            w.await.expect("join");
        }
        (
            written.load(std::sync::atomic::Ordering::Relaxed),
            restarts,
            largest,
        )
    });
    // Without the writer's catch-up the WAL never starts over while writes go on, and holds
    // everything written.
    assert!(
        restarts >= 2,
        "the WAL started over {restarts} times while {written} bytes were written; it \
         reached {largest_wal} bytes"
    );
}
