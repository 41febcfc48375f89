//! The store's one writer thread: it gathers the jobs waiting at that moment into one
//! transaction, commits, and only then answers each caller.

use super::db::{self, Db};
use super::location::Location;
use super::{Job, WriteCtx, wal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use tokio::sync::{Notify, watch};

/// The most jobs committed together; bounds the latency one batch adds to its first job.
const MAX_BATCH: usize = 512;

/// Taken by every write batch on PostgreSQL, so the coordinators sharing a database commit one
/// at a time: event ids and ledger entries are then numbered in commit order.
const WRITE_LOCK: i64 = 0x6564_6765_7772_6974; // "edgewrit"

pub(super) struct Writer {
    pub(super) conn: Db,
    pub(super) location: Location,
    pub(super) events: watch::Sender<i64>,
    pub(super) queue: Arc<Notify>,
    pub(super) wal: Arc<wal::WalUpkeep>,
    pub(super) writes_ok: Arc<AtomicBool>,
}

/// How a write batch starts. SQLite takes its write lock up front, so a batch never fails
/// half-way for want of it; PostgreSQL takes the group's write lock, released at commit.
fn begin_write(conn: &Db) -> String {
    match conn.kind() {
        db::Kind::Sqlite => "BEGIN IMMEDIATE".into(),
        db::Kind::Postgres => format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"),
    }
}

/// One tiny write in its own transaction: does the disk take writes again?
fn probe_write(conn: &Db, now: i64) -> Result<(), String> {
    let probe = format!(
        "{}; INSERT INTO meta (key, value) VALUES ('writer_probe', '{now}') \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value; COMMIT;",
        begin_write(conn)
    );
    let ran = conn.execute_batch(&probe);
    ran.map_err(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        e.to_string()
    })
}

impl Writer {
    fn writes_ok(&self) -> bool {
        self.writes_ok.load(Ordering::Relaxed)
    }

    /// Logs a failed commit (once per failing spell, then again when writes recover) and keeps
    /// the readiness flag in step.
    fn note_commit(&self, commit: &Result<(), String>) {
        let was_ok = self.writes_ok.swap(commit.is_ok(), Ordering::Relaxed);
        match commit {
            Err(why) if was_ok => tracing::error!(
                "the store cannot commit ({why}); /ready answers 503 until a write succeeds \
                 (a full disk, or the database unreachable?)"
            ),
            Err(why) => tracing::debug!("the store still cannot commit: {why}"),
            Ok(()) if !was_ok => tracing::info!("the store commits again; ready"),
            Ok(()) => {}
        }
    }

    /// A PostgreSQL connection that the server or the network closed is opened again before
    /// the next batch; until that works, batches fail and their callers are told to retry.
    fn reconnect_if_lost(&mut self) {
        if !self.conn.is_closed() {
            return;
        }
        match self.location.connect(false) {
            Ok(conn) => {
                tracing::info!("the store reconnected to {}", self.location.describe());
                self.conn = conn;
            }
            Err(why) => tracing::debug!("the store cannot reconnect yet: {why}"),
        }
    }

    pub(super) fn run(mut self, jobs: mpsc::Receiver<Box<dyn Job>>) {
        let mut last_event = *self.events.borrow();
        let mut ledger = crate::server::store::ledger::WriterCache::default();
        // Another coordinator may write between two batches: then nothing read in one batch
        // may be trusted in the next.
        let shared = self.conn.kind() == db::Kind::Postgres;
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.reconnect_if_lost();
            let conn = &self.conn;
            if shared {
                ledger = Default::default();
            }
            let mut ctx = WriteCtx {
                conn,
                now: crate::api::now_ms(),
                ledger: std::mem::take(&mut ledger),
                last_event,
                newly_queued: 0,
            };
            let changes_before = conn.total_changes();
            let commit = match conn.execute_batch(&begin_write(conn)) {
                Ok(()) => {
                    conn.take_failed();
                    let mut clean = batch.iter_mut().all(|job| job.run(&mut ctx));
                    // Other coordinators on the database learn of new events and work at the
                    // commit: one notification per batch.
                    if clean && shared && (ctx.last_event > last_event || ctx.newly_queued > 0) {
                        let payload = super::listener::payload(ctx.last_event, ctx.newly_queued);
                        clean = conn
                            .execute(
                                "SELECT pg_notify(?1, ?2)",
                                [super::listener::CHANNEL, &payload],
                            )
                            .is_ok();
                    }
                    // On PostgreSQL any failed statement has already doomed the transaction
                    // (a COMMIT would quietly roll it back), whether or not it wrote.
                    if clean && !conn.take_failed() {
                        conn.execute_batch("COMMIT").map_err(|e| {
                            let _ = conn.execute_batch("ROLLBACK");
                            e.to_string()
                        })
                    } else {
                        let _ = conn.execute_batch("ROLLBACK");
                        Err("a write failed part-way, so its batch was rolled back; retry".into())
                    }
                }
                Err(e) => Err(e.to_string()),
            };
            let committed = commit.is_ok();
            // A batch that wrote nothing proves nothing about the disk: while writes fail, a
            // small probe write decides when the store is ready again.
            if committed && conn.total_changes() == changes_before && !self.writes_ok() {
                self.note_commit(&probe_write(conn, ctx.now));
            } else {
                self.note_commit(&commit);
            }
            let (new_last_event, newly_queued) = (ctx.last_event, ctx.newly_queued);
            // A rolled-back batch's entries never happened: read the ledger afresh next time.
            if committed {
                ledger = ctx.ledger;
            }
            if let Some(sqlite) = conn.sqlite() {
                self.wal.truncate_if_requested(sqlite);
            }
            for job in batch {
                job.reply(commit.clone());
            }
            if committed {
                if new_last_event > last_event {
                    last_event = new_last_event;
                    self.events.send_replace(last_event);
                }
                for _ in 0..newly_queued.min(1024) {
                    self.queue.notify_one();
                }
                if let Some(sqlite) = conn.sqlite() {
                    self.wal.after_commit(sqlite);
                }
            } else {
                // Event ids handed out in a rolled-back batch were never committed.
                last_event = *self.events.borrow();
            }
        }
        if let Some(sqlite) = self.conn.sqlite() {
            wal::truncate(sqlite);
        }
    }
}
