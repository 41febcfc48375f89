//! Keeping the write-ahead log small while the writer never stops.
//!
//! A checkpoint copies committed frames from the WAL into the database file; SQLite starts the
//! WAL over from its beginning only at a write that finds *every* frame copied. The bulk copy
//! runs on its own thread ([`checkpointer`]) so the writer does not pay for it, but under a steady
//! load the writer commits while that copy runs, so the copy never catches the last frames and
//! the WAL grows without end (1.5 GB in ten seconds of the coordinator benchmark, with the kernel
//! zeroing every new block of it on the writer's time: a fifth of the writer's CPU). So when the
//! WAL is still long after the thread's copy, the writer copies the few frames left between two
//! batches ([`WalUpkeep::after_commit`], 5–15 ms about once a second under that load); the
//! next batch starts the WAL over, and `journal_size_limit` cuts the file back.

use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// How far the WAL file is cut back when it starts over.
pub(super) const WAL_SIZE_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// A WAL longer than this after the thread's copy did not start over since the last one: the
/// writer kept it going (the copy reports every frame it saw as copied, but the writer has
/// added more since), so the writer is asked to copy the rest itself. 32 MiB of 4 KiB pages: each
/// such copy holds the writer for 5–15 ms on this project's test machine (mostly the two syncs
/// a checkpoint makes), so it should come about once a second at full load, not four times.
const CATCH_UP_FRAMES: i64 = 8192;

/// Requests the writer acts on between batches.
#[derive(Default)]
pub(super) struct WalUpkeep {
    /// Fold the whole WAL into the database and empty it (a clean shutdown).
    truncate: AtomicBool,
    /// Copy the frames the checkpointer thread could not reach.
    catch_up: AtomicBool,
}

impl WalUpkeep {
    pub(super) fn request_truncate(&self) {
        self.truncate.store(true, Ordering::SeqCst);
    }

    /// A clean shutdown's fold, on the writer's connection outside any transaction: run before
    /// the batch's replies, so the shutdown that asked for it waits for it (answered first, the
    /// process exited while the fold was still to come, leaving the WAL behind).
    pub(super) fn truncate_if_requested(&self, conn: &Connection) {
        if self.truncate.swap(false, Ordering::SeqCst) {
            self.catch_up.store(false, Ordering::SeqCst);
            truncate(conn);
        }
    }

    /// The catch-up copy, on the writer's connection outside any transaction, after the
    /// batch's replies: the next batch waits for it, the answered one does not.
    pub(super) fn after_commit(&self, conn: &Connection) {
        if self.catch_up.swap(false, Ordering::SeqCst)
            && let Err(e) = checkpoint(conn, "PASSIVE")
        {
            tracing::warn!("WAL checkpoint (PASSIVE) failed: {e}");
        }
    }
}

/// Runs one checkpoint: whether it reached every frame (false: a reader or another checkpoint
/// was in the way).
fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<bool> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        Ok(r.get::<_, i64>(0)? == 0)
    })
}

/// Folds the whole WAL in and empties it. A TRUNCATE that finds the checkpointer thread's own
/// copy running is refused at once (SQLite calls no busy handler for that lock), and one that
/// finds a reader on an old snapshot gives up after the busy timeout, leaving the WAL unfolded;
/// at shutdown it is worth a few more tries.
pub(super) fn truncate(conn: &Connection) {
    const TRIES: u32 = 40;
    for attempt in 1..=TRIES {
        match checkpoint(conn, "TRUNCATE") {
            Ok(true) => return,
            Ok(false) if attempt == TRIES => {
                tracing::warn!(
                    "WAL checkpoint (TRUNCATE) was kept busy; the WAL is left for the next start to fold in"
                )
            }
            Err(e) if attempt == TRIES => tracing::warn!("WAL checkpoint (TRUNCATE) failed: {e}"),
            _ => std::thread::sleep(std::time::Duration::from_millis(25)),
        }
    }
}

/// Four times a second copies the WAL into the database without blocking the writer (PASSIVE
/// never waits for locks); when frames were left behind, asks the writer to finish the job.
pub(super) fn checkpointer(path: &Path, upkeep: &WalUpkeep) {
    let conn = match super::location::open_connection(path, false) {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!("WAL checkpointer could not open the database: {e}");
            return;
        }
    };
    loop {
        std::thread::sleep(std::time::Duration::from_millis(250));
        // Columns: busy, frames in the WAL, frames copied into the database.
        let copied = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        });
        match copied {
            Ok((frames, _)) if frames > CATCH_UP_FRAMES => {
                upkeep.catch_up.store(true, Ordering::SeqCst)
            }
            Ok(_) => {}
            Err(e) => tracing::debug!("passive WAL checkpoint: {e}"),
        }
    }
}
