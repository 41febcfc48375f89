//! Task caches on a node (`--cache NAME=PATH`): a directory of the working dir kept between
//! tasks of one account naming one cache.
//!
//! Each cache is `<root>/<key>/` where the key is a hash of (account, name), so one account
//! never reaches another's. It holds `tree/` (the saved directory), `lock` (an flock) and
//! `stamp` (its mtime is the last use, for least-recently-used eviction).
//!
//! Two tasks at once cannot corrupt a cache: a restore copies `tree/` into the task's own
//! working dir under the lock (each task has its own copy), and a save copies the task's
//! directory into a staging dir with no lock held, then, under the lock, renames the old tree
//! away and the new one in. The last save wins, whole. Copies are reflinks where the filesystem
//! offers them (btrfs, XFS), else plain copies; never hard links, which a task writing a file
//! in place would change in the cache too.

use super::sandbox::RunAs;
use sha2::{Digest, Sha256};
use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt, lchown, symlink};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

const TREE: &str = "tree";
const LOCK: &str = "lock";
const STAMP: &str = "stamp";

/// The node's caches, bounded to `limit` bytes in all.
#[derive(Debug, Clone)]
pub struct CacheStore {
    root: PathBuf,
    limit: u64,
}

/// Holds a cache's flock until dropped.
struct Locked(#[allow(dead_code)] fs::File);

impl CacheStore {
    pub fn new(root: PathBuf, limit: u64) -> Self {
        CacheStore { root, limit }
    }

    fn dir_of(&self, account: &str, name: &str) -> PathBuf {
        let mut h = Sha256::new();
        h.update(account.as_bytes());
        h.update([0]);
        h.update(name.as_bytes());
        self.root.join(hex::encode(&h.finalize()[..16]))
    }

    fn lock(dir: &Path) -> io::Result<Locked> {
        fs::create_dir_all(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)?;
        Ok(Locked(file))
    }

    /// Copies the saved cache into `workdir/<path>`, handing it to the task user. `Ok(None)`:
    /// nothing saved yet.
    pub fn restore(
        &self,
        account: &str,
        spec: &crate::api::CacheSpec,
        workdir: &Path,
        run_as: Option<RunAs>,
    ) -> Result<Option<u64>, String> {
        let dest = inside(workdir, &spec.path)?;
        let dir = self.dir_of(account, &spec.name);
        if !dir.join(TREE).is_dir() {
            return Ok(None);
        }
        let _lock = Self::lock(&dir).map_err(|e| format!("cannot lock the cache: {e}"))?;
        let tree = dir.join(TREE);
        if !tree.is_dir() {
            return Ok(None);
        }
        let bytes = copy_tree(&tree, &dest, u64::MAX, run_as)
            .map_err(|e| format!("copying it into {}: {e}", spec.path))?;
        touch(&dir);
        Ok(Some(bytes))
    }

    /// Saves `workdir/<path>` as the cache, replacing what was saved (whole), then evicts the
    /// least recently used caches beyond the limit. `Ok(None)`: the directory does not exist.
    pub fn save(
        &self,
        account: &str,
        spec: &crate::api::CacheSpec,
        workdir: &Path,
    ) -> Result<Option<u64>, String> {
        let src = inside(workdir, &spec.path)?;
        match fs::symlink_metadata(&src) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
            Ok(m) if !m.is_dir() => {
                return Err(format!("{} is not a directory", spec.path));
            }
            Ok(_) => {}
        }
        let dir = self.dir_of(account, &spec.name);
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let staging = dir.join(format!("new-{}", crate::server::auth::random_hex(6)));
        let copied = copy_tree(&src, &staging, self.limit, None);
        let bytes = match copied {
            Ok(b) => b,
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                if e.kind() == io::ErrorKind::StorageFull {
                    return Err(format!(
                        "{} is larger than the room for caches on this node ({} MiB, \
                         EDGECODER_CACHE_MB)",
                        spec.path,
                        self.limit >> 20
                    ));
                }
                return Err(format!("copying {}: {e}", spec.path));
            }
        };
        let old = dir.join(format!("old-{}", crate::server::auth::random_hex(6)));
        {
            let _lock = Self::lock(&dir).map_err(|e| format!("cannot lock the cache: {e}"))?;
            let tree = dir.join(TREE);
            let had = match fs::rename(&tree, &old) {
                Ok(()) => true,
                Err(e) if e.kind() == io::ErrorKind::NotFound => false,
                Err(e) => return Err(e.to_string()),
            };
            if let Err(e) = fs::rename(&staging, &tree) {
                if had {
                    let _ = fs::rename(&old, &tree);
                }
                let _ = fs::remove_dir_all(&staging);
                return Err(e.to_string());
            }
            let _ = fs::write(dir.join("size"), bytes.to_string());
            touch(&dir);
        }
        let _ = fs::remove_dir_all(&old);
        self.evict(&dir);
        Ok(Some(bytes))
    }

    /// Removes whole caches, least recently used first, until all fit in the limit; `keep` (the
    /// one just saved) goes last. A cache in use (locked) is skipped this time.
    fn evict(&self, keep: &Path) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        let mut caches: Vec<(bool, SystemTime, u64, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join(TREE).is_dir())
            .map(|p| {
                let used = fs::metadata(p.join(STAMP))
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                let size = fs::read_to_string(p.join("size"))
                    .ok()
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or_else(|| tree_size(&p.join(TREE)));
                (p == keep, used, size, p)
            })
            .collect();
        let mut total: u64 = caches.iter().map(|c| c.2).sum();
        caches.sort();
        for (_, _, size, dir) in caches {
            if total <= self.limit {
                break;
            }
            let Ok(lock) = fs::OpenOptions::new().write(true).open(dir.join(LOCK)) else {
                continue;
            };
            let op = rustix::fs::FlockOperation::NonBlockingLockExclusive;
            if rustix::fs::flock(&lock, op).is_err() {
                continue;
            }
            let gone = dir.join(format!("old-{}", crate::server::auth::random_hex(6)));
            if fs::rename(dir.join(TREE), &gone).is_ok() {
                total = total.saturating_sub(size);
                let _ = fs::remove_file(dir.join("size"));
                drop(lock);
                let _ = fs::remove_dir_all(&gone);
                tracing::info!(cache = %dir.display(), size, "cache evicted (least recently used)");
            }
        }
    }
}

/// `workdir/<rel>`, refusing a path that leaves it and a symlink on the way (the task made
/// them: following one would write or read outside its working dir).
fn inside(workdir: &Path, rel: &str) -> Result<PathBuf, String> {
    let mut path = workdir.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => return Err(format!("{rel:?} leaves the working dir")),
        }
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!("{rel:?} goes through a symbolic link; refused"));
        }
    }
    if path == workdir {
        return Err(format!("{rel:?} is the working dir itself"));
    }
    Ok(path)
}

fn touch(dir: &Path) {
    let _ = fs::write(dir.join(STAMP), b"");
}

fn tree_size(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => tree_size(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map(|m| m.len()).unwrap_or(0),
            _ => 0,
        })
        .sum()
}

/// Copies `src` into `dest` (made if missing) without following symlinks: files are reflinked
/// or copied, links recreated, anything else skipped. Over `budget` bytes: `StorageFull`.
/// With `run_as`, everything made is handed to that user. Returns the bytes copied.
fn copy_tree(src: &Path, dest: &Path, budget: u64, run_as: Option<RunAs>) -> io::Result<u64> {
    let mut used = 0u64;
    copy_dir(src, dest, budget, run_as, &mut used)?;
    Ok(used)
}

fn copy_dir(
    src: &Path,
    dest: &Path,
    budget: u64,
    run_as: Option<RunAs>,
    used: &mut u64,
) -> io::Result<()> {
    match fs::symlink_metadata(dest) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            fs::remove_file(dest)?;
            fs::create_dir(dest)?;
        }
        Err(_) => fs::create_dir(dest)?,
    }
    let mode = fs::symlink_metadata(src)?.mode() & 0o7777;
    fs::set_permissions(dest, fs::Permissions::from_mode(mode | 0o700))?;
    own(dest, run_as)?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let (from, to) = (entry.path(), dest.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_dir(&from, &to, budget, run_as, used)?;
            continue;
        }
        if fs::symlink_metadata(&to).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&to)?;
        }
        if kind.is_symlink() {
            symlink(fs::read_link(&from)?, &to)?;
        } else if kind.is_file() {
            let meta = entry.metadata()?;
            *used = used.saturating_add(meta.len());
            if *used > budget {
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            copy_file(&from, &to, meta.mode() & 0o777)?;
        } else {
            continue;
        }
        own(&to, run_as)?;
    }
    Ok(())
}

/// A reflink where the filesystem offers one (the copy shares blocks until either changes),
/// else a plain copy.
fn copy_file(from: &Path, to: &Path, mode: u32) -> io::Result<()> {
    let src = fs::File::open(from)?;
    let dst = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    if rustix::fs::ioctl_ficlone(&dst, &src).is_err() {
        let (mut src, mut dst) = (&src, &dst);
        io::copy(&mut src, &mut dst)?;
    }
    dst.set_permissions(fs::Permissions::from_mode(mode))
}

fn own(path: &Path, run_as: Option<RunAs>) -> io::Result<()> {
    match run_as {
        Some(u) => lchown(path, Some(u.uid), Some(u.gid)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CacheSpec;

    fn spec(name: &str, path: &str) -> CacheSpec {
        CacheSpec {
            name: name.into(),
            path: path.into(),
        }
    }

    #[test]
    fn saves_and_restores_per_account() {
        let tmp = tempfile::tempdir().expect("tmp");
        let store = CacheStore::new(tmp.path().join("caches"), 1 << 20);
        let work = tmp.path().join("w1");
        fs::create_dir_all(work.join("target/sub")).expect("dirs");
        fs::write(work.join("target/sub/x"), "built").expect("x");
        let s = spec("t", "target");
        assert_eq!(store.save("alice", &s, &work).expect("save"), Some(5));
        let w2 = tmp.path().join("w2");
        fs::create_dir_all(&w2).expect("w2");
        assert_eq!(store.restore("alice", &s, &w2, None).expect("r"), Some(5));
        assert_eq!(
            fs::read_to_string(w2.join("target/sub/x")).expect("x"),
            "built"
        );
        let w3 = tmp.path().join("w3");
        fs::create_dir_all(&w3).expect("w3");
        assert_eq!(store.restore("bob", &s, &w3, None).expect("r"), None);
        assert!(!w3.join("target").exists());
    }

    #[test]
    fn least_recently_used_is_evicted() {
        let tmp = tempfile::tempdir().expect("tmp");
        let store = CacheStore::new(tmp.path().join("caches"), 150);
        let work = tmp.path().join("w");
        fs::create_dir_all(work.join("d")).expect("d");
        fs::write(work.join("d/f"), [0u8; 100]).expect("f");
        store.save("a", &spec("one", "d"), &work).expect("one");
        store.save("a", &spec("two", "d"), &work).expect("two");
        let w = tmp.path().join("r");
        fs::create_dir_all(&w).expect("r");
        assert_eq!(
            store.restore("a", &spec("one", "d"), &w, None).expect("1"),
            None
        );
        assert!(
            store
                .restore("a", &spec("two", "d"), &w, None)
                .expect("2")
                .is_some()
        );
    }

    #[test]
    fn too_big_and_symlinked_paths_are_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let store = CacheStore::new(tmp.path().join("caches"), 10);
        let work = tmp.path().join("w");
        fs::create_dir_all(work.join("d")).expect("d");
        fs::write(work.join("d/f"), [0u8; 100]).expect("f");
        let e = store.save("a", &spec("c", "d"), &work).expect_err("big");
        assert!(e.contains("EDGECODER_CACHE_MB"), "{e}");
        symlink("/etc", work.join("l")).expect("link");
        let e = store.save("a", &spec("c", "l"), &work).expect_err("link");
        assert!(e.contains("symbolic link"), "{e}");
    }
}
