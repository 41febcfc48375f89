//! The two file disciplines of the whole program, written once:
//!
//! - **Replacing a file**: a temp file beside the target (created with the caller's mode, 0600 for
//!   secrets), filled, fsynced, renamed over the target, then the directory fsynced, so a reader
//!   sees the old file or the whole new one, and a crash after we return cannot undo the rename.
//! - **Lock files**: `flock`-style exclusive locks through std's `File::lock`/`try_lock`. A lock
//!   file is never deleted: unlinking it lets a waiter hold a lock on an orphaned inode while a
//!   newcomer locks a fresh file beside it (two writers).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Replaces `path` with `data`, atomically and durably; the new file has `mode`.
pub fn write_atomic(path: &Path, data: &[u8], mode: u32) -> io::Result<()> {
    replace_with(path, mode, |file| file.write_all(data))
}

/// Replaces `path` with what `fill` writes into the temp file. The temp file has `mode` from its
/// creation (umask aside, then set exactly); `fill` may change owner or mode further (the env file
/// keeps its group). On any error the temp file is removed and the target is untouched.
pub fn replace_with(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = temp_name(&dir, path)?;
    let result = (|| {
        let mut file = create_new(&tmp, mode)?;
        fill(&mut file)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(&dir)
}

/// A name no other writer uses at the same time: the pid tells processes apart, the counter
/// threads of one process.
fn temp_name(dir: &Path, path: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file path", path.display()),
        )
    })?;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(dir.join(format!(
        ".{}.{}.{n}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Creates a file that must not exist yet, with `mode` exactly (temp files of streamed writes).
#[cfg(unix)]
pub fn create_new(tmp: &Path, mode: u32) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(tmp)?;
    // The umask may have taken bits away (a unit file wants 0644 under our 077 umask).
    file.set_permissions(fs::Permissions::from_mode(mode))?;
    Ok(file)
}

/// Creates a file that must not exist yet (`mode` is a Unix notion).
#[cfg(not(unix))]
pub fn create_new(tmp: &Path, _mode: u32) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(tmp)
}

/// Makes a rename in `dir` durable; filesystems that cannot sync directories are tolerated.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    use io::ErrorKind::{InvalidInput, Unsupported};
    match File::open(dir).and_then(|d| d.sync_all()) {
        Err(e) if !matches!(e.kind(), InvalidInput | Unsupported) => Err(e),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// An exclusive lock on a lock file, released when this is dropped (the file stays).
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

impl Drop for FileLock {
    /// Unlocks before the file closes: a process forked at that moment (every spawn forks) holds
    /// a copy of the descriptor until it execs, and a plain close would leave the lock held
    /// through that copy. Unlocking releases it for every copy at once.
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

impl FileLock {
    /// Blocks until `path` is locked exclusively; creates the file (mode 0600), never removes it.
    pub fn acquire(path: &Path) -> io::Result<FileLock> {
        let file = open_lock_file(path)?;
        loop {
            match file.lock() {
                Ok(()) => return Ok(FileLock { file }),
                // A signal woke the wait; std does not retry flock for us.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Locks `path` if no one else holds it: `Ok(None)` when another holder has it.
    pub fn try_acquire(path: &Path) -> io::Result<Option<FileLock>> {
        let file = open_lock_file(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock { file })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("record.json");
        write_atomic(&path, b"one", 0o600).unwrap();
        write_atomic(&path, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), vec!["record.json".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn the_callers_mode_is_kept_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for mode in [0o600, 0o644, 0o755] {
            let path = dir.path().join(format!("f{mode:o}"));
            write_atomic(&path, b"x", mode).unwrap();
            let got = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
            assert_eq!(got, mode);
        }
    }

    #[test]
    fn a_failed_fill_leaves_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keep");
        write_atomic(&path, b"old", 0o600).unwrap();
        let err = replace_with(&path, 0o600, |f| {
            f.write_all(b"half")?;
            Err(io::Error::other("model went away"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "model went away");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), vec!["keep".to_string()]);
    }

    #[test]
    fn a_held_lock_is_refused_and_the_file_outlives_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        let held = FileLock::acquire(&path).unwrap();
        assert!(FileLock::try_acquire(&path).unwrap().is_none());
        drop(held);
        assert!(path.exists(), "lock files are never deleted");
        let again = FileLock::try_acquire(&path).unwrap();
        assert!(again.is_some(), "free again once dropped");
    }

    #[test]
    fn a_dropped_lock_is_free_even_while_processes_are_being_spawned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let spawner = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = std::process::Command::new("true").status();
                }
            })
        };
        let (mut refused, mut rounds, began) = (0, 0, std::time::Instant::now());
        // Half a second of forks: without the unlock in `drop`, about 90 rounds were refused.
        while rounds < 3000 || began.elapsed() < std::time::Duration::from_millis(500) {
            rounds += 1;
            drop(FileLock::acquire(&path).unwrap());
            if FileLock::try_acquire(&path).unwrap().is_none() {
                refused += 1;
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        spawner.join().unwrap();
        assert_eq!(refused, 0, "a dropped lock was still held {refused} times");
    }
}
