//! The disk disciplines of the run store: one lock file, never deleted, and whole-file
//! replacement (both from `crate::files`, with the store's paths in their errors), private
//! directories, and sizes.

use std::fs;
use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

/// Held while the store is changed; the lock is released when this is dropped (the file
/// stays). The one lock-file discipline of the program, see `crate::files`.
pub use crate::files::FileLock as StoreLock;

/// Makes `dir` and its missing parents, private to the owner (task output may hold secrets).
pub fn make_private_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| annotate(e, "creating", dir))
}

/// Replaces `path` with `data` atomically and durably, private to the owner.
pub fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    crate::files::write_atomic(path, data, 0o600).map_err(|e| annotate(e, "writing", path))
}

/// Bytes of every file under `path` (not following symlinks).
pub fn size_on_disk(path: &Path) -> u64 {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| size_on_disk(&entry.path()))
                .sum()
        })
        .unwrap_or(0)
}

pub fn annotate(err: io::Error, doing: &str, path: &Path) -> io::Error {
    io::Error::new(err.kind(), format!("{doing} {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run-info.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only the record is left");
    }

    #[test]
    fn the_lock_file_outlives_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        drop(StoreLock::acquire(&path).unwrap());
        assert!(path.exists(), "lock files are never deleted");
        let _again = StoreLock::acquire(&path).unwrap();
    }
}
