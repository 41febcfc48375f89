//! The coordinator's SQLite store: one writer thread with group commit, a small pool of readers.
//!
//! Every change goes through [`Store::write`]: the writer thread gathers the jobs waiting at that
//! moment into one transaction and answers each caller only after the commit. Jobs refuse bad
//! input before they write, so a refusal leaves nothing behind; a job that fails after writing (a
//! store error) rolls back its whole batch, and every caller in it is told to retry. Accepted therefore means durable, while a busy
//! coordinator pays for one commit per batch instead of one per request.

mod migrations;
mod wal;

use crate::server::error::ApiError;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, oneshot, watch};

/// The most jobs committed together; bounds the latency one batch adds to its first job.
const MAX_BATCH: usize = 512;
const READ_POOL_SIZE: usize = 8;

/// What a write job sees: the connection inside the batch's transaction and the batch's clock.
pub struct WriteCtx<'a> {
    pub conn: &'a Connection,
    pub now: i64,
    /// The ledger's head and account figures as the writer left them (`ledger::WriterCache`).
    pub(crate) ledger: crate::server::store::ledger::WriterCache,
    last_event: i64,
    newly_queued: u32,
}

impl WriteCtx<'_> {
    /// Appends to the event log that feeds every SSE stream; returns the event id.
    pub fn event(
        &mut self,
        kind: &str,
        task_id: Option<&str>,
        node_id: Option<&str>,
        data: &serde_json::Value,
    ) -> Result<i64, ApiError> {
        self.conn
            .prepare_cached(
                "INSERT INTO events (at, kind, task_id, node_id, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(rusqlite::params![
                self.now,
                kind,
                task_id,
                node_id,
                data.to_string()
            ])?;
        let id = self.conn.last_insert_rowid();
        self.last_event = self.last_event.max(id);
        Ok(id)
    }

    /// Appends an event of a job (`job.*`), which the event stream's `job=` filter follows.
    pub fn job_event(
        &mut self,
        kind: &str,
        job_id: &str,
        task_id: Option<&str>,
        data: &serde_json::Value,
    ) -> Result<i64, ApiError> {
        self.conn
            .prepare_cached(
                "INSERT INTO events (at, kind, task_id, node_id, data, job_id) \
                 VALUES (?1, ?2, ?3, NULL, ?4, ?5)",
            )?
            .execute(rusqlite::params![
                self.now,
                kind,
                task_id,
                data.to_string(),
                job_id
            ])?;
        let id = self.conn.last_insert_rowid();
        self.last_event = self.last_event.max(id);
        Ok(id)
    }

    /// Marks that a task became claimable (or a node became able to claim), so one waiting
    /// claim looks again after the commit. Waking one per change, not all of them, keeps an idle
    /// fleet from turning every submission into a write per waiting agent; a waiter that is not
    /// woken still looks again within a second.
    pub fn queue_changed(&mut self) {
        self.newly_queued = self.newly_queued.saturating_add(1);
    }
}

trait Job: Send {
    /// Runs the job inside the batch's transaction. Returns false when the job failed after it
    /// had already written: its changes cannot be undone alone, so the whole batch rolls back.
    fn run(&mut self, ctx: &mut WriteCtx<'_>) -> bool;
    fn reply(self: Box<Self>, commit: Result<(), String>);
}

struct TypedJob<T, F> {
    f: Option<F>,
    result: Option<Result<T, ApiError>>,
    reply_to: oneshot::Sender<Result<T, ApiError>>,
}

impl<T, F> Job for TypedJob<T, F>
where
    T: Send,
    F: FnOnce(&mut WriteCtx<'_>) -> Result<T, ApiError> + Send,
{
    fn run(&mut self, ctx: &mut WriteCtx<'_>) -> bool {
        let Some(f) = self.f.take() else { return true };
        // No savepoint per job (they cost a tenth of the writer's time): jobs check their input
        // before writing, so a refusal leaves nothing behind. A job that fails after writing (a
        // store error) is caught by the change counter and takes the batch down with it.
        let before = ctx.conn.total_changes();
        let result = f(ctx);
        let clean = result.is_ok() || ctx.conn.total_changes() == before;
        self.result = Some(result);
        clean
    }

    fn reply(self: Box<Self>, commit: Result<(), String>) {
        let result = match (commit, self.result) {
            (Ok(()), Some(result)) => result,
            // The writer logged why (SQLite's text); the client only learns that it failed.
            (Err(_), Some(Ok(_))) | (Err(_), None) => Err(ApiError::unavailable(
                "the store could not commit this write, so nothing was written; retry later",
            )),
            (_, Some(Err(e))) => Err(e),
            (Ok(()), None) => Err(ApiError::internal("write job did not run")),
        };
        let _ = self.reply_to.send(result);
    }
}

/// Signals the writer raises after a commit.
#[derive(Clone)]
pub struct Signals {
    /// The id of the newest committed event.
    pub events: watch::Receiver<i64>,
    /// Notified once per task that became claimable.
    pub queue: Arc<Notify>,
}

pub struct Store {
    jobs: mpsc::SyncSender<Box<dyn Job>>,
    readers: Arc<Mutex<Vec<Connection>>>,
    path: PathBuf,
    signals: Signals,
    wal: Arc<wal::WalUpkeep>,
    /// False from a failed commit until the next one succeeds: `/ready` answers 503 meanwhile.
    writes_ok: Arc<AtomicBool>,
}

impl Store {
    /// Opens (creating if needed) the database, runs migrations and starts the writer thread.
    pub fn open(path: &Path) -> Result<Store, StoreOpenError> {
        let mut conn = open_connection(path, false)
            .map_err(|e| StoreOpenError::new(path, format!("cannot open: {e}")))?;
        integrity::check(&conn).map_err(|e| StoreOpenError::new(path, e))?;
        migrations::run(&mut conn).map_err(|e| StoreOpenError::new(path, e))?;
        let last_event: i64 = conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))
            .map_err(|e| StoreOpenError::new(path, e.to_string()))?;
        let (events_tx, events_rx) = watch::channel(last_event);
        let queue = Arc::new(Notify::new());
        let (jobs_tx, jobs_rx) = mpsc::sync_channel::<Box<dyn Job>>(4096);
        let wal = Arc::new(wal::WalUpkeep::default());
        let writes_ok = Arc::new(AtomicBool::new(true));
        let writer = Writer {
            writes_ok: writes_ok.clone(),
            conn,
            events: events_tx,
            queue: queue.clone(),
            wal: wal.clone(),
        };
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer.run(jobs_rx))
            .map_err(|e| StoreOpenError::new(path, format!("cannot start writer: {e}")))?;
        let checkpoint_path = path.to_path_buf();
        let checkpoint_wal = wal.clone();
        std::thread::Builder::new()
            .name("store-checkpoint".into())
            .spawn(move || wal::checkpointer(&checkpoint_path, &checkpoint_wal))
            .map_err(|e| StoreOpenError::new(path, format!("cannot start checkpointer: {e}")))?;
        Ok(Store {
            jobs: jobs_tx,
            readers: Arc::new(Mutex::new(Vec::new())),
            path: path.to_path_buf(),
            signals: Signals {
                events: events_rx,
                queue,
            },
            wal,
            writes_ok,
        })
    }

    /// Whether the last write batch committed (false while the disk is full or failing).
    pub fn writes_ok(&self) -> bool {
        self.writes_ok.load(Ordering::Relaxed)
    }

    pub fn signals(&self) -> Signals {
        self.signals.clone()
    }

    /// Runs `f` in the writer's transaction; answers after the commit.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut WriteCtx<'_>) -> Result<T, ApiError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job = Box::new(TypedJob {
            f: Some(f),
            result: None,
            reply_to: tx,
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(job)) => {
                // The writer is far behind: wait for room off the async threads.
                let jobs = self.jobs.clone();
                tokio::task::spawn_blocking(move || jobs.send(job))
                    .await
                    .map_err(|e| ApiError::internal(format!("store writer join: {e}")))?
                    .map_err(|_| ApiError::unavailable("the store is shut down"))?;
            }
            Err(mpsc::TrySendError::Disconnected(_)) => {
                return Err(ApiError::unavailable("the store is shut down"));
            }
        }
        rx.await
            .map_err(|_| ApiError::unavailable("the store writer stopped"))?
    }

    /// Runs `f` on a read-only connection (WAL lets reads proceed beside the writer).
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let readers = self.readers.clone();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().ok().and_then(|mut pool| pool.pop());
            let conn = match pooled {
                Some(conn) => conn,
                None => open_connection(&path, true)?,
            };
            let result = f(&conn);
            if let Ok(mut pool) = readers.lock()
                && pool.len() < READ_POOL_SIZE
            {
                pool.push(conn);
            }
            result
        })
        .await
        .map_err(|e| ApiError::internal(format!("store reader join: {e}")))?
    }

    /// Folds the write-ahead log into the database file, for a clean shutdown.
    pub async fn checkpoint(&self) -> Result<(), ApiError> {
        // A checkpoint cannot run inside a transaction: the writer runs it after this job's commit.
        self.wal.request_truncate();
        self.write(|_| Ok(())).await
    }
}

#[derive(Debug)]
pub struct StoreOpenError {
    pub path: PathBuf,
    pub reason: String,
}

impl StoreOpenError {
    fn new(path: &Path, reason: impl Into<String>) -> Self {
        StoreOpenError {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for StoreOpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database {}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for StoreOpenError {}

pub(super) fn open_connection(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    if !read_only {
        // WAL with synchronous=NORMAL: a committed transaction survives the process being killed
        // at any moment; only an OS crash or power cut can lose the last few commits.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Checkpoints run on their own thread (see `wal`), not inside the writer's commits,
        // where they took an eighth of its time.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", wal::WAL_SIZE_LIMIT_BYTES)?;
        // 16 MiB of page cache keeps the hot queue in memory without a large RSS.
        conn.pragma_update(None, "cache_size", -16384)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
    }
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

struct Writer {
    conn: Connection,
    events: watch::Sender<i64>,
    queue: Arc<Notify>,
    wal: Arc<wal::WalUpkeep>,
    writes_ok: Arc<AtomicBool>,
}

/// One tiny write in its own transaction: does the disk take writes again?
fn probe_write(conn: &Connection, now: i64) -> Result<(), String> {
    let probe = "BEGIN IMMEDIATE; \
                 INSERT OR REPLACE INTO meta (key, value) VALUES ('writer_probe', ?1); COMMIT;";
    let ran = conn.execute_batch(&probe.replace("?1", &format!("'{now}'")));
    ran.map_err(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        e.to_string()
    })
}

/// A file-size limit (`ulimit -f`) must fail the write, like a full disk, not kill the process:
/// SIGXFSZ's default action terminates. A handler (not SIG_IGN) so that, reset by exec, the tasks
/// a local worker starts still get the default action.
pub fn survive_file_size_limit() {
    extern "C" fn on_xfsz(_: libc::c_int) {}
    // SAFETY: installs an empty, async-signal-safe handler; the sigaction struct is zeroed and
    // then filled before use.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_xfsz as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = libc::SA_RESTART;
        libc::sigaction(libc::SIGXFSZ, &action, std::ptr::null_mut());
    }
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
                 (a full disk? free space)"
            ),
            Err(why) => tracing::debug!("the store still cannot commit: {why}"),
            Ok(()) if !was_ok => tracing::info!("the store commits again; ready"),
            Ok(()) => {}
        }
    }

    fn run(self, jobs: mpsc::Receiver<Box<dyn Job>>) {
        let conn = &self.conn;
        let mut last_event = *self.events.borrow();
        let mut ledger = crate::server::store::ledger::WriterCache::default();
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let mut ctx = WriteCtx {
                conn,
                now: crate::api::now_ms(),
                ledger: std::mem::take(&mut ledger),
                last_event,
                newly_queued: 0,
            };
            let changes_before = conn.total_changes();
            let commit = match conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => {
                    let clean = batch.iter_mut().all(|job| job.run(&mut ctx));
                    if clean {
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
            self.wal.truncate_if_requested(conn);
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
                self.wal.after_commit(conn);
            } else {
                // Event ids handed out in a rolled-back batch were never committed.
                last_event = *self.events.borrow();
            }
        }
        wal::truncate(conn);
    }
}

pub mod audit;
pub mod blacklist;
pub mod blobs;
pub mod code_input;
pub mod code_result;
pub mod git_sources;
pub mod inference_input;
mod inference_result;
mod integrity;
pub mod job_input;
pub mod jobs;
pub mod leases;
pub mod ledger;
pub mod network_mode;
pub mod nodes;
pub mod retention;
mod retry;
pub mod secrets;
pub mod sweep;
pub mod task_input;
pub mod task_outputs;
pub mod tasks;
pub mod tokens;
pub mod transitions;
pub mod why_waiting;

#[cfg(test)]
mod tests;
