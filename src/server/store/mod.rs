//! The coordinator's store (a SQLite file, or a PostgreSQL database several coordinators
//! share): one writer thread with group commit, a small pool of readers.
//!
//! Every change goes through [`Store::write`]: the writer thread gathers the jobs waiting at that
//! moment into one transaction and answers each caller only after the commit. Jobs refuse bad
//! input before they write, so a refusal leaves nothing behind; a job that fails after writing (a
//! store error) rolls back its whole batch, and every caller in it is told to retry. Accepted therefore means durable, while a busy
//! coordinator pays for one commit per batch instead of one per request.

mod listener;
mod location;
pub mod migrations;
mod wal;
mod writer;

use crate::server::error::ApiError;
use db::Db;
pub use location::{Location, PostgresTarget, StoreOpenError};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, oneshot, watch};
use writer::Writer;

const READ_POOL_SIZE: usize = 8;

/// What a write job sees: the connection inside the batch's transaction and the batch's clock.
pub struct WriteCtx<'a> {
    pub conn: &'a Db,
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
        let id: i64 = self
            .conn
            .prepare_cached(
                "INSERT INTO events (at, kind, task_id, node_id, data) \
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            )?
            .query_row(
                db::params![self.now, kind, task_id, node_id, data.to_string()],
                |row| row.get(0),
            )?;
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
        let id: i64 = self
            .conn
            .prepare_cached(
                "INSERT INTO events (at, kind, task_id, node_id, data, job_id) \
                 VALUES (?1, ?2, ?3, NULL, ?4, ?5) RETURNING id",
            )?
            .query_row(
                db::params![self.now, kind, task_id, data.to_string(), job_id],
                |row| row.get(0),
            )?;
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
    readers: Arc<Mutex<Vec<Db>>>,
    location: Location,
    signals: Signals,
    wal: Arc<wal::WalUpkeep>,
    /// False from a failed commit until the next one succeeds: `/ready` answers 503 meanwhile.
    writes_ok: Arc<AtomicBool>,
}

impl Store {
    /// Opens (creating if needed) a SQLite store, runs migrations and starts the writer thread.
    pub fn open(path: &Path) -> Result<Store, StoreOpenError> {
        Store::open_at(Location::Sqlite(path.to_path_buf()))
    }

    /// Opens the store wherever it is, runs migrations and starts the writer thread.
    pub fn open_at(location: Location) -> Result<Store, StoreOpenError> {
        let failed = |why: String| StoreOpenError::new(&location, why);
        let mut conn = location.connect(false).map_err(failed)?;
        if let Some(sqlite) = conn.sqlite() {
            integrity::check(sqlite).map_err(failed)?;
        }
        migrations::run(&mut conn).map_err(failed)?;
        let last_event: i64 = conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))
            .map_err(|e| failed(e.to_string()))?;
        let (events_tx, events_rx) = watch::channel(last_event);
        let queue = Arc::new(Notify::new());
        let (jobs_tx, jobs_rx) = mpsc::sync_channel::<Box<dyn Job>>(4096);
        let wal = Arc::new(wal::WalUpkeep::default());
        let writes_ok = Arc::new(AtomicBool::new(true));
        let writer = Writer {
            writes_ok: writes_ok.clone(),
            conn,
            location: location.clone(),
            events: events_tx.clone(),
            queue: queue.clone(),
            wal: wal.clone(),
        };
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer.run(jobs_rx))
            .map_err(|e| failed(format!("cannot start writer: {e}")))?;
        if let Location::Postgres(target) = &location {
            let (target, events, queue) =
                (target.as_ref().clone(), events_tx.clone(), queue.clone());
            std::thread::Builder::new()
                .name("store-listener".into())
                .spawn(move || listener::run(target, events, queue))
                .map_err(|e| failed(format!("cannot start the listener: {e}")))?;
        }
        if let Location::Sqlite(path) = &location {
            let checkpoint_path = path.clone();
            let checkpoint_wal = wal.clone();
            std::thread::Builder::new()
                .name("store-checkpoint".into())
                .spawn(move || wal::checkpointer(&checkpoint_path, &checkpoint_wal))
                .map_err(|e| failed(format!("cannot start checkpointer: {e}")))?;
        }
        Ok(Store {
            jobs: jobs_tx,
            readers: Arc::new(Mutex::new(Vec::new())),
            location,
            signals: Signals {
                events: events_rx,
                queue,
            },
            wal,
            writes_ok,
        })
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Whether other coordinators may share this store's database (PostgreSQL).
    pub fn is_shared(&self) -> bool {
        self.location.kind() == db::Kind::Postgres
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

    /// Runs `f` on a reader connection (WAL lets SQLite's reads proceed beside the writer).
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, ApiError> + Send + 'static,
    {
        let readers = self.readers.clone();
        let location = self.location.clone();
        tokio::task::spawn_blocking(move || {
            db::may_block(|| {
                let pooled = readers.lock().ok().and_then(|mut pool| pool.pop());
                let conn = match pooled {
                    Some(conn) if !conn.is_closed() => conn,
                    _ => location.connect(true).map_err(|why| {
                        tracing::debug!("the store cannot open a reader: {why}");
                        ApiError::database_unreachable()
                    })?,
                };
                let result = f(&conn);
                // A reader that failed (PostgreSQL has then left it in an aborted state, or the
                // connection is gone) is not kept.
                if !conn.take_failed()
                    && let Ok(mut pool) = readers.lock()
                    && pool.len() < READ_POOL_SIZE
                {
                    pool.push(conn);
                }
                result
            })
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

pub mod audit;
pub mod blacklist;
pub mod blobs;
pub mod code_input;
pub mod code_result;
pub mod coordinators;
pub mod copy;
pub mod db;
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
