//! Wake-ups between coordinators that share a PostgreSQL database: each write batch that
//! appended events or queued work sends one `NOTIFY` (at commit); every coordinator's listener
//! moves its own event watermark and wakes its waiting claims, as its own writer would. A
//! missed notification costs at most a second: the listener also reads the newest event id
//! whenever a second passes without one.

use super::db::Db;
use super::location::PostgresTarget;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

pub(super) const CHANNEL: &str = "edgecoder";

/// The payload a write batch sends: the newest event id it wrote and how many tasks it made
/// claimable.
pub(super) fn payload(last_event: i64, newly_queued: u32) -> String {
    format!("{last_event} {newly_queued}")
}

fn parse(payload: &str) -> Option<(i64, u32)> {
    let (event, queued) = payload.split_once(' ')?;
    Some((event.parse().ok()?, queued.parse().ok()?))
}

/// Listens until the store is gone (no one watches its events any more), reconnecting when the
/// connection drops.
pub(super) fn run(target: PostgresTarget, events: watch::Sender<i64>, queue: Arc<Notify>) {
    let advance = |id: i64| {
        events.send_if_modified(|newest| {
            let moved = id > *newest;
            *newest = (*newest).max(id);
            moved
        });
    };
    while !events.is_closed() {
        let db = match listening(&target) {
            Ok(db) => db,
            Err(why) => {
                tracing::debug!("the store's listener cannot connect yet: {why}");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        while !events.is_closed() && !db.is_closed() {
            match db.notifications(Duration::from_secs(1)) {
                Ok(payloads) if payloads.is_empty() => {
                    if let Ok(newest) =
                        db.query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))
                    {
                        advance(newest);
                    }
                }
                Ok(payloads) => {
                    for (event, queued) in payloads.iter().filter_map(|p| parse(p)) {
                        advance(event);
                        for _ in 0..queued.min(1024) {
                            queue.notify_one();
                        }
                    }
                }
                Err(why) => {
                    tracing::debug!("the store's listener lost its connection: {why}");
                    break;
                }
            }
        }
    }
}

fn listening(target: &PostgresTarget) -> Result<Db, String> {
    let db = target.connect().map_err(|e| e.to_string())?;
    db.execute_batch(&format!("LISTEN {CHANNEL}"))
        .map_err(|e| e.to_string())?;
    Ok(db)
}
