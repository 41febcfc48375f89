//! Remembering what a tree packed to, so submitting an unchanged tree again neither packs nor
//! uploads: a fingerprint of the selected entries' paths and metadata (size, mtime and ctime to
//! the nanosecond, inode, mode, link target), as git's index does, maps to the archive's sha256
//! and size. A hit is used only when the coordinator still holds that blob. The index lives in
//! the user's own cache dir (0700): one planted by someone else could point a tree at their blob.

use std::path::{Path, PathBuf};

/// The fingerprint of `entries` (relative to `dir`) and how many are files; None when one
/// cannot be read (then the tree is packed).
pub fn fingerprint(dir: &Path, entries: &[PathBuf]) -> Option<(String, u64)> {
    use sha2::{Digest, Sha256};
    let mut files = 0;
    let mut h = Sha256::new();
    h.update(b"edgecoder-source-index-1\0");
    for rel in entries {
        let full = dir.join(rel);
        let meta = std::fs::symlink_metadata(&full).ok()?;
        h.update(rel.to_string_lossy().as_bytes());
        h.update([0]);
        h.update(stamp(&meta).as_bytes());
        files += u64::from(meta.is_file());
        if meta.file_type().is_symlink() {
            h.update(std::fs::read_link(&full).ok()?.to_string_lossy().as_bytes());
        }
        h.update(b"\n");
    }
    Some((hex::encode(h.finalize()), files))
}

#[cfg(unix)]
fn stamp(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!(
        "{} {} {}.{} {}.{} {}",
        meta.len(),
        meta.mode(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
        meta.ino()
    )
}

#[cfg(not(unix))]
fn stamp(meta: &std::fs::Metadata) -> String {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{} {mtime}", meta.len())
}

fn index_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "edgecoder").map(|d| d.cache_dir().join("sources"))
}

/// The archive `(sha256, size)` an identical tree packed to before, if remembered.
pub fn lookup(fingerprint: &str) -> Option<(String, u64)> {
    let text = std::fs::read_to_string(index_dir()?.join(fingerprint)).ok()?;
    let (sha, size) = text.trim().split_once(' ')?;
    let valid = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| Some((sha.to_string(), size.parse().ok()?)))?
}

/// Remembers what the tree packed to; failing to is harmless (the next submit packs again).
pub fn remember(fingerprint: &str, sha256: &str, size: u64) {
    let Some(dir) = index_dir() else {
        return;
    };
    if crate::config::private_dir::make_private(&dir).is_ok() {
        let _ = crate::files::write_atomic(
            &dir.join(fingerprint),
            format!("{sha256} {size}\n").as_bytes(),
            0o600,
        );
    }
}
