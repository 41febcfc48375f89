//! The git source of a task (`TaskSource::Git`): stored beside the task at submission, read
//! back for `tasks show` and for the agent that claims it. Blob sources live in `blobs`; this
//! module answers "what is this task's source" for both.

use super::WriteCtx;
use crate::api::TaskSource;
use crate::server::error::ApiError;
use crate::server::store::db::{Db, OptionalExtension, params};
use std::collections::BTreeMap;

/// Checks a git source before the task exists: a URL and rev git may be given, and a
/// credentials secret that is one of the task's secrets.
pub fn check(source: &TaskSource, secrets: &BTreeMap<String, String>) -> Result<(), ApiError> {
    let TaskSource::Git {
        url,
        rev,
        credentials_secret,
    } = source
    else {
        return Ok(());
    };
    crate::api::git::check_url(url).map_err(ApiError::bad_request)?;
    crate::api::git::check_rev(rev).map_err(ApiError::bad_request)?;
    if let Some(name) = credentials_secret
        && !secrets.contains_key(name)
    {
        return Err(ApiError::bad_request(format!(
            "credentials_secret {name:?} is not one of the task's secrets: add it to `secrets`"
        )));
    }
    Ok(())
}

pub fn save(ctx: &mut WriteCtx<'_>, task_id: &str, source: &TaskSource) -> Result<(), ApiError> {
    if let TaskSource::Git {
        url,
        rev,
        credentials_secret,
    } = source
    {
        ctx.conn
            .prepare_cached(
                "INSERT INTO task_git_sources (task_id, url, rev, credentials_secret) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (task_id) DO UPDATE SET url = excluded.url, \
                 rev = excluded.rev, credentials_secret = excluded.credentials_secret",
            )?
            .execute(params![task_id, url, rev, credentials_secret])?;
    }
    Ok(())
}

/// The task's source, blob or git.
pub fn source_of(conn: &Db, task_id: &str) -> Result<Option<TaskSource>, ApiError> {
    if let Some(blob) = super::blobs::source_of(conn, task_id)? {
        return Ok(Some(blob));
    }
    Ok(conn
        .prepare_cached(
            "SELECT url, rev, credentials_secret FROM task_git_sources WHERE task_id = ?1",
        )?
        .query_row([task_id], |r| {
            Ok(TaskSource::Git {
                url: r.get(0)?,
                rev: r.get(1)?,
                credentials_secret: r.get(2)?,
            })
        })
        .optional()?)
}
