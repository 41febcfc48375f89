//! What a task keeps when it ends (issue 17): the artifact globs and caches a submission asks
//! for, checked at submit so a worker never gets one it could not honour, handed to the agent
//! with the lease, and the artifacts an attempt reports, checked against the blob store (each
//! must be stored with the size it claims) before they become part of the task. Artifact blobs
//! are tied to their task in `blob_refs`, so reading follows task visibility and the retention
//! sweep keeps them while the task exists.

use super::WriteCtx;
use crate::api::{ArtifactInfo, CacheSpec, SubmitRequest};
use crate::server::error::ApiError;
use crate::server::store::db::{Db, OptionalExtension, params};
use axum::http::StatusCode;
use std::collections::BTreeSet;
use std::path::{Component, Path};

/// Most globs and caches one submission may name.
const MAX_GLOBS: usize = 64;
const MAX_CACHES: usize = 16;
const MAX_PATH_CHARS: usize = 1024;
/// Most artifacts one attempt may report.
pub const MAX_ARTIFACTS: usize = 10_000;

/// `kind` of an artifact in `blob_refs`.
pub const ARTIFACT: &str = "artifact";

/// A path relative to the working dir that stays inside it: no `..`, not absolute, no NUL.
pub fn inside_relative(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= MAX_PATH_CHARS
        && !path.contains('\0')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && Path::new(path)
            .components()
            .any(|c| matches!(c, Component::Normal(_)))
}

/// A cache name: what tasks of one account share it by.
pub fn valid_cache_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
}

/// Refuses globs and caches no worker could honour (400, saying what to change).
pub fn check(req: &SubmitRequest) -> Result<(), ApiError> {
    if req.artifacts.len() > MAX_GLOBS {
        return Err(ApiError::bad_request(format!(
            "{} artifact globs; at most {MAX_GLOBS} are accepted: combine them (`{{a,b}}/*.xml`)",
            req.artifacts.len()
        )));
    }
    for glob in &req.artifacts {
        let stem = glob.trim_start_matches("./");
        if !inside_relative(stem) {
            return Err(ApiError::bad_request(format!(
                "artifact glob {glob:?} must be relative to the working dir, without `..`"
            )));
        }
        if let Err(e) = globset::Glob::new(stem) {
            return Err(ApiError::bad_request(format!(
                "artifact glob {glob:?} is not a valid glob: {e}"
            )));
        }
    }
    if req.caches.len() > MAX_CACHES {
        return Err(ApiError::bad_request(format!(
            "{} caches; at most {MAX_CACHES} are accepted",
            req.caches.len()
        )));
    }
    let (mut names, mut paths) = (BTreeSet::new(), BTreeSet::new());
    for CacheSpec { name, path } in &req.caches {
        if !valid_cache_name(name) {
            return Err(ApiError::bad_request(format!(
                "cache name {name:?}: use 1 to 64 letters, digits, `-`, `_` or `.` (not first)"
            )));
        }
        if !inside_relative(path) {
            return Err(ApiError::bad_request(format!(
                "cache {name}: path {path:?} must be a directory inside the working dir \
                 (relative, without `..`), such as `target` or `.venv`"
            )));
        }
        if !names.insert(name.as_str()) || !paths.insert(path.trim_end_matches('/')) {
            return Err(ApiError::bad_request(format!(
                "cache {name}={path} repeats a cache name or path of this submission"
            )));
        }
    }
    Ok(())
}

fn json_or_null<T: serde::Serialize>(items: &[T]) -> Result<Option<String>, ApiError> {
    if items.is_empty() {
        return Ok(None);
    }
    Ok(Some(serde_json::to_string(items)?))
}

fn parse_list<T: serde::de::DeserializeOwned>(text: Option<String>) -> Result<Vec<T>, ApiError> {
    match text {
        None => Ok(Vec::new()),
        Some(t) => Ok(serde_json::from_str(&t)?),
    }
}

/// Stores what a new task asked to keep (called right after its row is written).
pub fn store_spec(ctx: &WriteCtx<'_>, task_id: &str, req: &SubmitRequest) -> Result<(), ApiError> {
    if req.artifacts.is_empty() && req.caches.is_empty() {
        return Ok(());
    }
    ctx.conn
        .prepare_cached("UPDATE tasks SET artifact_globs = ?2, caches = ?3 WHERE id = ?1")?
        .execute(params![
            task_id,
            json_or_null(&req.artifacts)?,
            json_or_null(&req.caches)?
        ])?;
    Ok(())
}

/// The artifact globs and caches of a task, for the agent that runs it.
pub fn spec_of(conn: &Db, task_id: &str) -> Result<(Vec<String>, Vec<CacheSpec>), ApiError> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT artifact_globs, caches FROM tasks WHERE id = ?1")?
        .query_row(params![task_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (globs, caches) = row.unwrap_or_default();
    Ok((parse_list(globs)?, parse_list(caches)?))
}

/// The artifacts a task kept (its last reported attempt's).
pub fn load(conn: &Db, task_id: &str) -> Result<Vec<ArtifactInfo>, ApiError> {
    let text: Option<Option<String>> = conn
        .prepare_cached("SELECT artifacts FROM tasks WHERE id = ?1")?
        .query_row(params![task_id], |r| r.get(0))
        .optional()?;
    parse_list(text.flatten())
}

/// Refuses artifacts over the coordinator's per-task limit (413, naming the setting).
pub fn check_size(artifacts: &[ArtifactInfo], limit: u64) -> Result<(), ApiError> {
    let total: u64 = artifacts
        .iter()
        .map(|a| a.size)
        .fold(0, u64::saturating_add);
    if total > limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "artifacts_too_large",
            format!(
                "the task's artifacts take {total} bytes; this coordinator keeps at most {limit} \
                 bytes per task (EDGECODER_MAX_ARTIFACT_BYTES): narrow the --artifact globs"
            ),
        ));
    }
    if artifacts.len() > MAX_ARTIFACTS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "artifacts_too_many",
            format!(
                "{} artifacts; at most {MAX_ARTIFACTS} per task: pack them into an archive",
                artifacts.len()
            ),
        ));
    }
    Ok(())
}

/// Checks an attempt's artifacts (each path inside the working dir, each blob stored with the
/// size it claims), records them on the task and ties their blobs to it.
pub fn accept(
    ctx: &WriteCtx<'_>,
    task_id: &str,
    artifacts: &[ArtifactInfo],
) -> Result<(), ApiError> {
    if artifacts.is_empty() {
        return Ok(());
    }
    let mut seen = BTreeSet::new();
    for a in artifacts {
        if !inside_relative(&a.path) || !seen.insert(a.path.as_str()) {
            return Err(ApiError::bad_request(format!(
                "artifact path {:?} is not a unique path inside the working dir",
                a.path
            )));
        }
        super::blobs::check_hash(&a.sha256)?;
        match super::blobs::size_of(ctx.conn, &a.sha256)? {
            Some(size) if size == a.size => {}
            Some(size) => {
                return Err(ApiError::bad_request(format!(
                    "artifact {}: blob {} has {size} bytes, the result says {}",
                    a.path, a.sha256, a.size
                )));
            }
            None => {
                return Err(ApiError::bad_request(format!(
                    "artifact {}: blob {} is not on this coordinator: upload it first",
                    a.path, a.sha256
                )));
            }
        }
    }
    for a in artifacts {
        super::blobs::refer(ctx, task_id, &a.sha256, ARTIFACT)?;
    }
    ctx.conn
        .prepare_cached("UPDATE tasks SET artifacts = ?2 WHERE id = ?1")?
        .execute(params![task_id, serde_json::to_string(artifacts)?])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside() {
        assert!(inside_relative("target"));
        assert!(inside_relative("./out/junit.xml"));
        assert!(!inside_relative("../x"));
        assert!(!inside_relative("a/../../x"));
        assert!(!inside_relative("/etc/passwd"));
        assert!(!inside_relative("."));
        assert!(!inside_relative(""));
    }

    #[test]
    fn cache_names_are_plain() {
        assert!(valid_cache_name("cargo-target_1.2"));
        assert!(!valid_cache_name(""));
        assert!(!valid_cache_name(".."));
        assert!(!valid_cache_name("a/b"));
    }

    #[test]
    fn size_limit_names_the_setting() {
        let a = ArtifactInfo {
            path: "x".into(),
            size: 11,
            sha256: "0".repeat(64),
        };
        assert!(check_size(std::slice::from_ref(&a), 11).is_ok());
        let e = check_size(&[a], 10).expect_err("over");
        assert!(format!("{e:?}").contains("EDGECODER_MAX_ARTIFACT_BYTES"));
    }
}
