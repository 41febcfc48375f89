//! The blob store's rows: which content-addressed files the coordinator holds and which tasks
//! refer to them. The bytes live beside the database (`<data dir>/blobs/ab/abcdef…`); a row is
//! written only after its file was renamed into place, in the same write job, and a sweep removes
//! a row and its file in one job, so the writer thread orders the two and a row never names a
//! file that a concurrent sweep is taking away.
//!
//! Who may read a blob follows task visibility: a user reads the blobs of the tasks it may see
//! (its own), an owner or admin any, a node those of the tasks leased to it. Knowing a hash
//! (`HEAD`) tells only that someone stored those exact bytes, which whoever computes it already has.

use super::WriteCtx;
use crate::api::TaskSource;
use crate::server::error::ApiError;
use crate::server::store::db::{Db, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// An unreferenced blob younger than this is kept: it may be a source uploaded just now whose
/// task is about to be submitted.
pub const UNREFERENCED_GRACE_MS: i64 = 3_600_000;

/// `kind` of a task's source in `blob_refs` (artifacts use `artifact`).
pub const SOURCE: &str = "source";

/// Refuses anything but 64 lowercase hex digits, so a hash can never name another path.
pub fn check_hash(sha256: &str) -> Result<(), ApiError> {
    if sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "a blob is named by its sha256: 64 lowercase hex digits (`sha256sum FILE`)",
        ))
    }
}

/// Where a (checked) hash's bytes live: a fan-out directory by its first two digits.
pub fn path_of(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join("blobs").join(&sha256[..2]).join(sha256)
}

/// The stored size of a blob, if it is stored.
pub fn size_of(conn: &Db, sha256: &str) -> Result<Option<u64>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT size FROM blobs WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get::<i64>(0))
        .optional()?
        .map(|s| s as u64))
}

/// Records a blob whose file is in place (again: an upload of known bytes only refreshes it).
pub fn record(ctx: &WriteCtx<'_>, sha256: &str, size: u64) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "INSERT INTO blobs (sha256, size, created_at, last_referenced_at) \
             VALUES (?1, ?2, ?3, ?3) \
             ON CONFLICT (sha256) DO UPDATE SET last_referenced_at = ?3",
        )?
        .execute(params![sha256, size as i64, ctx.now])?;
    Ok(())
}

/// Checks that a submission's source is stored with the size it claims, before the task exists.
pub fn check_source(conn: &Db, source: &TaskSource) -> Result<(), ApiError> {
    let TaskSource::Blob { sha256, size } = source else {
        return Ok(());
    };
    check_hash(sha256)?;
    match size_of(conn, sha256)? {
        Some(stored) if stored == *size => Ok(()),
        Some(stored) => Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_source",
            format!("source blob {sha256} has {stored} bytes, the submission says {size}"),
        )),
        None => Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_source",
            format!(
                "source blob {sha256} is not on this coordinator: upload it first \
                 (PUT /api/v1/blobs/{sha256}; `server tasks submit --dir` does both)"
            ),
        )),
    }
}

/// Ties a blob to a task (`kind`: [`SOURCE`] or `artifact`) and refreshes its age.
pub fn refer(ctx: &WriteCtx<'_>, task_id: &str, sha256: &str, kind: &str) -> Result<(), ApiError> {
    ctx.conn
        .prepare_cached(
            "INSERT INTO blob_refs (sha256, task_id, kind) VALUES (?1, ?2, ?3) \
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![sha256, task_id, kind])?;
    ctx.conn
        .prepare_cached("UPDATE blobs SET last_referenced_at = ?2 WHERE sha256 = ?1")?
        .execute(params![sha256, ctx.now])?;
    Ok(())
}

/// A task's source, as the agent that runs it and `tasks show` see it.
pub fn source_of(conn: &Db, task_id: &str) -> Result<Option<TaskSource>, ApiError> {
    Ok(conn
        .prepare_cached(
            "SELECT b.sha256, b.size FROM blob_refs r JOIN blobs b ON b.sha256 = r.sha256 \
             WHERE r.task_id = ?1 AND r.kind = 'source' LIMIT 1",
        )?
        .query_row([task_id], |r| {
            Ok(TaskSource::Blob {
                sha256: r.get(0)?,
                size: r.get::<i64>(1)? as u64,
            })
        })
        .optional()?)
}

/// Whether an API caller may read a blob: `submitted_by` None for an owner or an admin (any
/// stored blob), else the caller's token id (a blob of one of its tasks).
pub fn user_may_read(
    conn: &Db,
    sha256: &str,
    submitted_by: Option<&str>,
) -> Result<bool, ApiError> {
    let Some(by) = submitted_by else {
        return Ok(size_of(conn, sha256)?.is_some());
    };
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM blob_refs r JOIN tasks t ON t.id = r.task_id \
             WHERE r.sha256 = ?1 AND t.submitted_by = ?2)",
        )?
        .query_row(params![sha256, by], |r| r.get(0))?)
}

/// Whether a node may read a blob: one of the tasks leased to it now refers to it.
pub fn node_may_read(conn: &Db, sha256: &str, node_id: &str) -> Result<bool, ApiError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM blob_refs r JOIN leases l ON l.task_id = r.task_id \
             WHERE r.sha256 = ?1 AND l.node_id = ?2)",
        )?
        .query_row(params![sha256, node_id], |r| r.get(0))?)
}

/// Forgets the references of a task being deleted (retention).
pub fn drop_refs(ctx: &WriteCtx<'_>, task_id: &str) -> Result<u64, ApiError> {
    Ok(ctx
        .conn
        .prepare_cached("DELETE FROM blob_refs WHERE task_id = ?1")?
        .execute([task_id])? as u64)
}

/// Removes up to `limit` blobs that no task refers to and that were last referenced (or
/// uploaded) before `cutoff`: their rows, then their files. Returns how many went.
pub fn sweep_unreferenced(
    ctx: &WriteCtx<'_>,
    data_dir: &Path,
    cutoff: i64,
    limit: u32,
) -> Result<u64, ApiError> {
    let doomed: Vec<String> = ctx
        .conn
        .prepare_cached(
            "SELECT sha256 FROM blobs b WHERE last_referenced_at < ?1 \
             AND NOT EXISTS (SELECT 1 FROM blob_refs r WHERE r.sha256 = b.sha256) \
             ORDER BY last_referenced_at LIMIT ?2",
        )?
        .query_map(params![cutoff, limit], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut removed = 0;
    for sha in doomed {
        ctx.conn
            .prepare_cached("DELETE FROM blobs WHERE sha256 = ?1")?
            .execute([&sha])?;
        match std::fs::remove_file(path_of(data_dir, &sha)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(blob = %sha, "cannot remove an unreferenced blob: {e}"),
        }
        removed += 1;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_64_lowercase_hex_digits_only() {
        assert!(check_hash(&"a".repeat(64)).is_ok());
        for bad in [
            "".to_string(),
            "A".repeat(64),
            "a".repeat(63),
            format!("../{}", "a".repeat(61)),
        ] {
            assert!(check_hash(&bad).is_err(), "{bad}");
        }
    }
}
