//! Packing a directory into one deterministic archive: a tar (gzip-compressed) of the selected
//! entries in sorted path order, with every mtime, owner and group zeroed and modes normalised
//! (0755 for directories and executables, 0644 for other files), so the same tree always gives the
//! same bytes and therefore the same sha256: submitting it again finds it stored and uploads
//! nothing. The archive is written to a file and hashed while it is written; it is never whole in
//! memory.
//!
//! What is packed: by default what git would consider (`.gitignore`, `.git/info/exclude`) minus
//! what an `.edgecoderignore` excludes, even outside a git repository; with `--git-files`, exactly
//! `git ls-files`. The `.git` directory itself is never packed. A symlink is packed as a link only
//! when it points inside the tree; one that points out is refused, named.

use super::hashing::HashingWriter;
use super::paths::link_stays_inside;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

/// Which files of the directory go in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Everything not ignored by `.gitignore` files and `.edgecoderignore` files.
    Ignores,
    /// Exactly the files `git ls-files` lists.
    GitFiles,
}

/// The packed archive, in a file the caller owns.
#[derive(Debug, Clone)]
pub struct Packed {
    pub sha256: String,
    pub size: u64,
    pub files: u64,
    /// Bytes of file content before compression.
    pub content_bytes: u64,
}

/// Told entries and content bytes packed so far (a progress bar).
pub type PackProgress<'a> = &'a dyn Fn(u64, u64);

/// Packs `dir` into a new file `out` (which must not exist); on failure `out` is removed.
pub fn pack(
    dir: &Path,
    selection: Selection,
    out: &Path,
    progress: Option<PackProgress<'_>>,
) -> Result<Packed, String> {
    let meta = std::fs::metadata(dir)
        .map_err(|e| format!("cannot read the directory {}: {e}", dir.display()))?;
    if !meta.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let entries = match selection {
        Selection::Ignores => walk(dir)?,
        Selection::GitFiles => git_files(dir)?,
    };
    let file = crate::files::create_new(out, 0o600)
        .map_err(|e| format!("cannot write the archive {}: {e}", out.display()))?;
    let result = write_archive(dir, &entries, file, progress);
    if result.is_err() {
        let _ = std::fs::remove_file(out);
    }
    result
}

fn write_archive(
    dir: &Path,
    entries: &[PathBuf],
    file: File,
    progress: Option<PackProgress<'_>>,
) -> Result<Packed, String> {
    let io_err = |what: &Path, e: io::Error| format!("cannot pack {}: {e}", what.display());
    let hashing = HashingWriter::new(BufWriter::with_capacity(256 * 1024, file));
    let gz = GzEncoder::new(hashing, Compression::new(3));
    let mut tar = tar::Builder::new(gz);
    tar.follow_symlinks(false);
    let (mut files, mut content_bytes) = (0u64, 0u64);
    for rel in entries {
        let full = dir.join(rel);
        let meta = std::fs::symlink_metadata(&full).map_err(|e| io_err(rel, e))?;
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        let kind = meta.file_type();
        if kind.is_symlink() {
            let target = std::fs::read_link(&full).map_err(|e| io_err(rel, e))?;
            if !link_stays_inside(rel, &target) {
                return Err(format!(
                    "{} is a symlink to {}, outside the directory: sources may only link inside \
                     their tree (replace it with a copy, or add it to .edgecoderignore)",
                    rel.display(),
                    target.display()
                ));
            }
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_mode(0o777);
            header.set_size(0);
            tar.append_link(&mut header, rel, &target)
                .map_err(|e| io_err(rel, e))?;
        } else if kind.is_dir() {
            header.set_entry_type(tar::EntryType::Directory);
            header.set_mode(0o755);
            header.set_size(0);
            tar.append_data(&mut header, rel, io::empty())
                .map_err(|e| io_err(rel, e))?;
        } else if kind.is_file() {
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(if executable(&meta) { 0o755 } else { 0o644 });
            header.set_size(meta.len());
            let reader = File::open(&full).map_err(|e| io_err(rel, e))?;
            // A file that changed size while packed would corrupt the archive: refuse it.
            let mut limited = io::Read::take(reader, meta.len());
            tar.append_data(&mut header, rel, &mut limited)
                .map_err(|e| io_err(rel, e))?;
            files += 1;
            content_bytes += meta.len();
        } else {
            // Sockets, fifos, devices: nothing a build reads as a file.
            continue;
        }
        if let Some(p) = progress {
            p(files, content_bytes);
        }
    }
    let gz = tar
        .into_inner()
        .map_err(|e| format!("cannot finish the archive: {e}"))?;
    let hashing = gz
        .finish()
        .map_err(|e| format!("cannot finish the archive: {e}"))?;
    let (buf, sha256, size) = hashing.finish();
    let file = buf
        .into_inner()
        .map_err(|e| format!("cannot finish the archive: {}", e.error()))?;
    file.sync_all()
        .map_err(|e| format!("cannot finish the archive: {e}"))?;
    Ok(Packed {
        sha256,
        size,
        files,
        content_bytes,
    })
}

#[cfg(unix)]
fn executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable(_meta: &std::fs::Metadata) -> bool {
    false
}

/// The entries `.gitignore` and `.edgecoderignore` leave, relative and sorted; directories too,
/// so empty ones survive.
fn walk(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .parents(false)
        .git_global(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(".edgecoderignore")
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        if rel.as_os_str().is_empty() {
            continue;
        }
        found.push(rel.to_path_buf());
    }
    found.sort();
    Ok(found)
}

/// Exactly what `git ls-files` lists (tracked files), sorted; ones deleted from the work tree are
/// skipped.
fn git_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-files", "-z"])
        .output()
        .map_err(|e| format!("--git-files needs git: cannot run it: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "--git-files: `git ls-files` failed in {}: {} (is it a git repository?)",
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let mut found: Vec<PathBuf> = out
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .filter_map(|p| std::str::from_utf8(p).ok().map(PathBuf::from))
        .filter(|p| std::fs::symlink_metadata(dir.join(p)).is_ok_and(|m| !m.is_dir()))
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}
