//! Artifacts (`--artifact GLOB`): after the task, the files of its working dir matching the
//! submission's globs, hashed, uploaded to the coordinator's blob store and listed in the
//! result.
//!
//! Globs are shell-like and relative to the working dir: `*` stays within one directory, `**`
//! crosses them (`**/*.xml`). The walk never follows a directory link; a matching file that is
//! a link is kept only when it resolves to a file inside the working dir (its content is read
//! from there), else it is refused with a note, so a task cannot send the node's own files.
//! The sandbox's own entries (`.tmp`, the script file) are never artifacts.

use super::sandbox::{SCRIPT_FILE_NAME, TMP_DIR_NAME};
use crate::api::ArtifactInfo;
use crate::api::client::Client;
use globset::{Glob, GlobBuilder, GlobMatcher};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// A file to keep: what the result lists and where its bytes are read from.
#[derive(Debug)]
pub struct Collected {
    pub info: ArtifactInfo,
    pub source: PathBuf,
}

/// What the globs found, and the notes for the task's log (a glob matching nothing, a link
/// out of the working dir).
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<Collected>,
    pub notes: Vec<String>,
}

fn matcher(glob: &str) -> Result<GlobMatcher, String> {
    let stem = glob.trim_start_matches("./");
    GlobBuilder::new(stem)
        .literal_separator(true)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| format!("artifact glob {glob:?} is not valid: {e}"))
}

/// Walks `workdir` and hashes the files the globs match.
pub fn collect(globs: &[String], workdir: &Path) -> Result<Found, String> {
    let matchers = globs
        .iter()
        .map(|g| matcher(g))
        .collect::<Result<Vec<_>, _>>()?;
    let root = fs::canonicalize(workdir)
        .map_err(|e| format!("the working dir {} is gone: {e}", workdir.display()))?;
    let mut hits = vec![0usize; matchers.len()];
    let mut found = Found::default();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel_dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(root.join(&rel_dir)) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let rel = rel_dir.join(entry.file_name());
            if rel_dir.as_os_str().is_empty()
                && (entry.file_name() == TMP_DIR_NAME || entry.file_name() == SCRIPT_FILE_NAME)
            {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(rel);
                continue;
            }
            let mut matched = false;
            for (i, m) in matchers.iter().enumerate() {
                if m.is_match(&rel) {
                    hits[i] += 1;
                    matched = true;
                }
            }
            if !matched {
                continue;
            }
            let Some(rel_text) = rel.to_str().map(str::to_string) else {
                found.notes.push(format!(
                    "artifact {} has a name that is not UTF-8; skipped",
                    rel.display()
                ));
                continue;
            };
            let source = if kind.is_symlink() {
                match fs::canonicalize(root.join(&rel)) {
                    Ok(target) if target.starts_with(&root) && target.is_file() => target,
                    _ => {
                        found.notes.push(format!(
                            "artifact {rel_text} is a link to outside the working dir (or to no \
                             file); refused"
                        ));
                        continue;
                    }
                }
            } else if kind.is_file() {
                root.join(&rel)
            } else {
                continue;
            };
            let (size, sha256) =
                hash_file(&source).map_err(|e| format!("reading artifact {rel_text}: {e}"))?;
            found.files.push(Collected {
                info: ArtifactInfo {
                    path: rel_text,
                    size,
                    sha256,
                },
                source,
            });
        }
    }
    for (glob, n) in globs.iter().zip(hits) {
        if n == 0 {
            found
                .notes
                .push(format!("warning: artifact glob {glob:?} matched no file"));
        }
    }
    found.files.sort_by(|a, b| a.info.path.cmp(&b.info.path));
    Ok(found)
}

/// Size and sha256 of a file, read in pieces. The last component is opened without following
/// a link, so a file swapped for one after the walk is not read through it.
fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// Uploads one artifact unless the blob store has it already.
pub async fn upload(client: &Client, file: &Collected) -> Result<(), String> {
    let sha = &file.info.sha256;
    if client
        .blob_exists(sha)
        .await
        .map_err(|e| e.to_string())?
        .is_some_and(|size| size == file.info.size)
    {
        return Ok(());
    }
    client
        .put_blob(sha, &file.source, None)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_files_and_warn_on_none() {
        let tmp = tempfile::tempdir().expect("tmp");
        let w = tmp.path();
        fs::create_dir_all(w.join("out/deep")).expect("dirs");
        fs::write(w.join("out/junit.xml"), "<x/>").expect("x");
        fs::write(w.join("out/deep/more.xml"), "<y/>").expect("y");
        fs::write(w.join("top.xml"), "t").expect("t");
        let globs = vec!["out/*.xml".to_string(), "nothing/*".to_string()];
        let found = collect(&globs, w).expect("collect");
        let paths: Vec<_> = found.files.iter().map(|f| f.info.path.as_str()).collect();
        assert_eq!(paths, vec!["out/junit.xml"]);
        assert_eq!(found.files[0].info.size, 4);
        assert_eq!(found.notes.len(), 1);
        assert!(found.notes[0].contains("nothing/*"));
        let all = collect(&["**/*.xml".to_string()], w).expect("all");
        assert_eq!(all.files.len(), 3);
    }

    #[test]
    fn links_out_of_the_workdir_are_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let w = tmp.path().join("w");
        fs::create_dir_all(&w).expect("w");
        fs::write(tmp.path().join("secret"), "s").expect("secret");
        std::os::unix::fs::symlink(tmp.path().join("secret"), w.join("a.txt")).expect("link");
        fs::write(w.join("real"), "r").expect("real");
        std::os::unix::fs::symlink(w.join("real"), w.join("b.txt")).expect("inner link");
        let found = collect(&["*.txt".to_string()], &w).expect("collect");
        let paths: Vec<_> = found.files.iter().map(|f| f.info.path.as_str()).collect();
        assert_eq!(paths, vec!["b.txt"]);
        assert!(
            found
                .notes
                .iter()
                .any(|n| n.contains("a.txt") && n.contains("refused"))
        );
    }
}
