//! The data dir is private to its owner: 0700, and nothing in it readable or
//! writable by group or others, whoever made it (root included).
//!
//! New files get that from the daemon's umask (`hardening::harden_daemon`
//! sets 077, which also covers SQLite's `-wal`/`-shm`, logs and locks); this
//! module fixes what an older version, or another umask, left behind.

use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

/// Task working dirs live here; the worker sets their modes itself (a task
/// user must be able to pass through, see `agent::task_user::WorkRoot`).
const WORK_DIR: &str = "work";

/// Creates `dir` (0700) if missing, then takes group and other permissions off
/// it and everything under it (symlinks are not followed), but the work dir.
pub fn make_private(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    tighten(dir, true)
}

fn tighten(path: &Path, top: bool) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    let mode = meta.permissions().mode() & 0o7777;
    // Owner bits kept (a staged binary stays executable), the rest taken away.
    let private = mode & 0o700;
    if private != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(private))?;
    }
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            if top && entry.file_name() == WORK_DIR {
                continue;
            }
            tighten(&entry.path(), false)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_data_dir_is_made_private() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        let db = data.join("edgecoder.db");
        std::fs::write(&db, "x").unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        let work = data.join(WORK_DIR);
        std::fs::create_dir(&work).unwrap();
        std::fs::set_permissions(&work, std::fs::Permissions::from_mode(0o711)).unwrap();
        make_private(&data).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&work), 0o711, "the worker owns the work dir's mode");
    }
}
