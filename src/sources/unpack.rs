//! Unpacking a task's source on the worker. Whatever the archive says, nothing lands outside the
//! working dir: entries must be relative without `..`, a link must point inside the tree
//! (`paths::link_stays_inside`), nothing is written through a link (an entry whose parent, or
//! which itself, is already a link is refused), and only directories, files and links are
//! accepted (no hard links, devices or fifos). The archive is unpacked into a fresh directory
//! beside the working dir and renamed over it only when every entry is in, so a failure leaves
//! nothing half-unpacked.

use super::paths::{inside, link_stays_inside};
use flate2::read::GzDecoder;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Who should own what is unpacked (the task user), as uid and gid.
pub type Owner = Option<(u32, u32)>;

/// Unpacks `archive` (a source made by `pack`) to become `workdir`, which must be empty or
/// absent. Returns the number of files. The error says which entry was refused and why.
pub fn unpack(archive: &Path, workdir: &Path, owner: Owner) -> Result<u64, String> {
    let parent = workdir
        .parent()
        .ok_or_else(|| format!("{} has no parent directory", workdir.display()))?;
    let name = workdir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.unpacking"));
    match fs::remove_dir_all(&staging) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(format!("cannot clear {}: {e}", staging.display()));
        }
        _ => {}
    }
    fs::create_dir(&staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let result = unpack_into(archive, &staging, owner).and_then(|files| {
        match fs::remove_dir(workdir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(format!("cannot replace {}: {e}", workdir.display()));
            }
            _ => {}
        }
        fs::rename(&staging, workdir)
            .map_err(|e| format!("cannot move the source into {}: {e}", workdir.display()))?;
        Ok(files)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn unpack_into(archive: &Path, root: &Path, owner: Owner) -> Result<u64, String> {
    let file =
        fs::File::open(archive).map_err(|e| format!("cannot open the source archive: {e}"))?;
    let mut tar = tar::Archive::new(GzDecoder::new(io::BufReader::new(file)));
    let corrupt = |e: io::Error| format!("the source archive is corrupt: {e}");
    let mut files = 0;
    for entry in tar.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        let raw = entry.path().map_err(corrupt)?.into_owned();
        let refuse = |why: &str| {
            format!(
                "the source archive's entry {:?} {why}: refused, nothing was unpacked",
                raw.display().to_string()
            )
        };
        let rel = inside(&raw)
            .ok_or_else(|| refuse("escapes the working dir (an absolute path or `..`)"))?;
        let dest = root.join(&rel);
        check_no_links(root, &rel)
            .map_err(|through| refuse(&format!("goes through the link {}", through.display())))?;
        let kind = entry.header().entry_type();
        match kind {
            tar::EntryType::Directory => {
                make_dirs(root, &rel, owner).map_err(|e| refuse(&e.to_string()))?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                if let Some(dir) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    make_dirs(root, dir, owner).map_err(|e| refuse(&e.to_string()))?;
                }
                let mode = entry.header().mode().unwrap_or(0o644);
                let exec = mode & 0o111 != 0;
                let mut out = new_file(&dest, exec).map_err(|e| refuse(&e.to_string()))?;
                io::copy(&mut entry, &mut out).map_err(corrupt)?;
                set_owner(&dest, owner).map_err(|e| refuse(&e.to_string()))?;
                files += 1;
            }
            tar::EntryType::Symlink => {
                let target = entry
                    .link_name()
                    .map_err(corrupt)?
                    .ok_or_else(|| refuse("is a link with no target"))?
                    .into_owned();
                if !link_stays_inside(&rel, &target) {
                    return Err(refuse(&format!(
                        "is a link to {}, outside the working dir",
                        target.display()
                    )));
                }
                if let Some(dir) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    make_dirs(root, dir, owner).map_err(|e| refuse(&e.to_string()))?;
                }
                symlink(&target, &dest).map_err(|e| refuse(&e.to_string()))?;
                set_owner(&dest, owner).map_err(|e| refuse(&e.to_string()))?;
            }
            // pax headers and GNU long names are read by `entries` itself.
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => {}
            other => {
                return Err(refuse(&format!(
                    "is a {other:?} entry: only files, directories and links inside the tree \
                     are accepted"
                )));
            }
        }
    }
    Ok(files)
}

/// The first link among `rel`'s ancestors and `rel` itself, if any, as already unpacked.
fn check_no_links(root: &Path, rel: &Path) -> Result<(), PathBuf> {
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(at.strip_prefix(root).unwrap_or(&at).to_path_buf());
            }
            Ok(_) => {}
            Err(_) => return Ok(()), // not made yet: nothing below it exists either
        }
    }
    Ok(())
}

fn make_dirs(root: &Path, rel: &Path, owner: Owner) -> io::Result<()> {
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} is already a file", rel.display()),
                ));
            }
            Err(_) => {
                fs::create_dir(&at)?;
                set_owner(&at, owner)?;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn new_file(path: &Path, exec: bool) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if exec { 0o755 } else { 0o644 })
        .open(path)
}

#[cfg(not(unix))]
fn new_file(path: &Path, _exec: bool) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn symlink(target: &Path, at: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _at: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "links in a source are supported on Unix workers only",
    ))
}

#[cfg(unix)]
fn set_owner(path: &Path, owner: Owner) -> io::Result<()> {
    match owner {
        Some((uid, gid)) => std::os::unix::fs::lchown(path, Some(uid), Some(gid)),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn set_owner(_path: &Path, _owner: Owner) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::pack::{Selection, pack};

    #[test]
    fn a_packed_tree_unpacks_the_same_and_packs_to_the_same_hash() {
        let dir = tempfile::tempdir().expect("dir");
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("pkg/empty")).expect("mkdir");
        fs::write(src.join("pkg/a.py"), "print(1)\n").expect("write");
        fs::write(src.join("ignored.log"), "x").expect("write");
        fs::write(src.join(".gitignore"), "*.log\n").expect("write");
        symlink(Path::new("pkg/a.py"), &src.join("link.py")).expect("link");
        let first = pack(&src, Selection::Ignores, &dir.path().join("1.tgz"), None).expect("pack");
        let again = pack(&src, Selection::Ignores, &dir.path().join("2.tgz"), None).expect("pack");
        assert_eq!(first.sha256, again.sha256);
        let work = dir.path().join("work");
        fs::create_dir(&work).expect("workdir");
        unpack(&dir.path().join("1.tgz"), &work, None).expect("unpack");
        assert_eq!(
            fs::read_to_string(work.join("link.py")).expect("read"),
            "print(1)\n"
        );
        assert!(work.join("pkg/empty").is_dir());
        assert!(!work.join("ignored.log").exists());
    }

    #[test]
    fn a_link_out_of_the_tree_is_refused_when_packing() {
        let dir = tempfile::tempdir().expect("dir");
        let out = tempfile::tempdir().expect("out");
        symlink(Path::new("/etc/passwd"), &dir.path().join("out")).expect("link");
        let err = pack(
            dir.path(),
            Selection::Ignores,
            &out.path().join("x.tgz"),
            None,
        )
        .expect_err("refused");
        assert!(err.contains("out is a symlink to /etc/passwd"), "{err}");
    }
}
