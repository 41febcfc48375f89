//! The worker's cache of recent sources, by hash: a source submitted again (the same tree, a
//! retry, a matrix of tasks) is not downloaded again. Bounded by `EDGECODER_SOURCE_CACHE_MB`
//! (default 1024): after each download the least recently used archives go until the rest fit.
//! Files are written by `Client::get_blob` (verified, then renamed), so a reader never sees a
//! partial one; the directory is 0700, out of the tasks' reach.

use crate::api::client::{Client, ClientError};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The default bound, in MiB.
pub const DEFAULT_MB: u64 = 1024;

/// The bound from `EDGECODER_SOURCE_CACHE_MB`; a value that is not a number is refused by name.
pub fn limit_bytes() -> Result<u64, String> {
    match std::env::var("EDGECODER_SOURCE_CACHE_MB") {
        Ok(v) => {
            v.trim().parse::<u64>().map(|mb| mb << 20).map_err(|_| {
                format!("EDGECODER_SOURCE_CACHE_MB={v:?} is not a whole number of MiB")
            })
        }
        Err(_) => Ok(DEFAULT_MB << 20),
    }
}

/// Where the archive `sha256` is, downloaded now unless it was cached. The error says whether
/// the coordinator or this node failed.
pub async fn fetch(client: &Client, dir: &Path, sha256: &str) -> Result<PathBuf, ClientError> {
    let local = |e: std::io::Error| ClientError::Refused {
        url: client.base_url().to_string(),
        reason: format!("cannot use the source cache {}: {e}", dir.display()),
    };
    crate::config::private_dir::make_private(dir).map_err(local)?;
    let path = dir.join(format!("{sha256}.tgz"));
    if path.is_file() {
        // Touched: the least recently *used* goes first.
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        return Ok(path);
    }
    client.get_blob(sha256, &path).await?;
    let limit = limit_bytes().unwrap_or(DEFAULT_MB << 20);
    evict(dir, limit, &path);
    Ok(path)
}

/// Removes the least recently used archives until the cache fits `limit` (never `keep`).
fn evict(dir: &Path, limit: u64, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(SystemTime, u64, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            let name = e.file_name();
            if !meta.is_file() || !name.to_string_lossy().ends_with(".tgz") {
                return None;
            }
            Some((meta.modified().ok()?, meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|(_, len, _)| len).sum();
    files.sort();
    for (_, len, path) in files {
        if total <= limit {
            break;
        }
        if path == keep {
            continue;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}
