//! The coordinators of a group sharing one database: each renews its row every second while it
//! runs. The live one with the smallest id sweeps; a coordinator starting while another is
//! alive does not stretch the fleet's leases as one starting after an outage of them all does.

use super::WriteCtx;
use super::db::Db;
use crate::server::error::ApiError;

/// A coordinator not seen for this long is taken for gone.
pub const ALIVE_FOR_MS: i64 = 3_000;

/// Records (or renews) this coordinator.
pub fn renew(ctx: &mut WriteCtx<'_>, me: &str, started_at: i64) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "INSERT INTO coordinators (id, started_at, seen_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
        )?
        .execute(super::db::params![me, started_at, ctx.now])?;
    // Rows of coordinators long gone are not kept.
    ctx.conn
        .prepare_cached("DELETE FROM coordinators WHERE seen_at < ?1")?
        .execute([ctx.now - 60 * ALIVE_FOR_MS])?;
    Ok(())
}

/// Whether another coordinator is alive now.
pub fn others_alive(ctx: &mut WriteCtx<'_>, me: &str) -> Result<bool, ApiError> {
    Ok(ctx
        .conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM coordinators WHERE id <> ?1 AND seen_at >= ?2)",
        )?
        .query_row(super::db::params![me, ctx.now - ALIVE_FOR_MS], |r| r.get(0))?)
}

/// Whether `me` is the group's leader at `now`: the live coordinator with the smallest id. It
/// sweeps and drives jobs; the others serve requests.
pub fn leads(conn: &Db, me: &str, now: i64) -> Result<bool, ApiError> {
    let leader: Option<String> = conn
        .prepare_cached("SELECT MIN(id) FROM coordinators WHERE seen_at >= ?1")?
        .query_row([now - ALIVE_FOR_MS], |r| r.get(0))?;
    Ok(leader.is_none_or(|leader| leader.as_str() >= me))
}

/// A clean stop: this coordinator is gone at once, not after `ALIVE_FOR_MS`.
pub fn leave(ctx: &mut WriteCtx<'_>, me: &str) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached("DELETE FROM coordinators WHERE id = ?1")?
        .execute([me])?;
    Ok(())
}
