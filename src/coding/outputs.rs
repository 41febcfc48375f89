//! The files a coding task produced, written onto the user's disk (`--out`). They came from a
//! model: every path is checked again here (relative, no `..`, never through a symlink), and a
//! file the user changed meanwhile is not overwritten unless they say `--force`. Conflicts are
//! found before anything is written, so a refusal leaves the directory as it was.

use crate::api::TaskFile;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// What `write_outputs` did, file by file (paths relative to the out dir).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// New files, or files that still held what the task started from.
    pub written: Vec<String>,
    /// Already held the result.
    pub unchanged: Vec<String>,
    /// Differed from both the start and the result, replaced because of `--force`.
    pub overwritten: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("the result names {path:?}, which leaves {out}; nothing was written")]
    Escapes { path: String, out: String },
    #[error("{} changed on disk since the task started and differs from the result: {}; nothing was written (pass --force to overwrite, or choose another --out)", out, paths.join(", "))]
    Changed { out: String, paths: Vec<String> },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Writes `result_files` under `out_dir` (created when missing), atomically file by file.
pub fn write_outputs(
    out_dir: &Path,
    started_from: &[TaskFile],
    result_files: &[TaskFile],
    force: bool,
) -> Result<WriteReport, OutputError> {
    let shown = out_dir.display().to_string();
    std::fs::create_dir_all(out_dir).map_err(|source| OutputError::Io {
        path: shown.clone(),
        source,
    })?;
    let start: BTreeMap<&str, &str> = started_from
        .iter()
        .map(|f| (f.path.as_str(), f.content.as_str()))
        .collect();
    let mut plan = Vec::new();
    let mut conflicts = Vec::new();
    let mut report = WriteReport::default();
    for file in result_files {
        let rel = safe_relative(&file.path).ok_or_else(|| OutputError::Escapes {
            path: file.path.clone(),
            out: shown.clone(),
        })?;
        if through_symlink(out_dir, &rel) {
            return Err(OutputError::Escapes {
                path: file.path.clone(),
                out: shown.clone(),
            });
        }
        let target = out_dir.join(&rel);
        match std::fs::read(&target) {
            Ok(on_disk) if on_disk == file.content.as_bytes() => {
                report.unchanged.push(file.path.clone());
            }
            Ok(on_disk) => {
                let was_start = start
                    .get(file.path.as_str())
                    .is_some_and(|s| s.as_bytes() == on_disk);
                if was_start {
                    plan.push((target, file, false));
                } else if force {
                    plan.push((target, file, true));
                } else {
                    conflicts.push(file.path.clone());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => plan.push((target, file, false)),
            Err(source) => {
                return Err(OutputError::Io {
                    path: target.display().to_string(),
                    source,
                });
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(OutputError::Changed {
            out: shown,
            paths: conflicts,
        });
    }
    for (target, file, forced) in plan {
        let io = |source| OutputError::Io {
            path: target.display().to_string(),
            source,
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        crate::files::write_atomic(&target, file.content.as_bytes(), 0o644).map_err(io)?;
        if forced {
            report.overwritten.push(file.path.clone());
        } else {
            report.written.push(file.path.clone());
        }
    }
    Ok(report)
}

/// A model-given path as a plain relative path: `None` for absolute paths, `..`, empty names.
pub(crate) fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\0') || path.contains('\\') {
        return None;
    }
    let p = Path::new(path);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.as_os_str().is_empty() {
        None
    } else {
        Some(out)
    }
}

/// Whether any existing component of `base/rel` (below `base`) is a symlink.
fn through_symlink(base: &Path, rel: &Path) -> bool {
    let mut at = base.to_path_buf();
    for c in rel.components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, content: &str) -> TaskFile {
        TaskFile {
            path: path.into(),
            content: content.into(),
        }
    }

    #[test]
    fn new_and_unchanged_files_are_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let start = [f("a.py", "old")];
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a.py"), "old").unwrap();
        let report =
            write_outputs(&out, &start, &[f("a.py", "new"), f("d/b.py", "b")], false).unwrap();
        assert_eq!(report.written, ["a.py", "d/b.py"]);
        assert_eq!(std::fs::read_to_string(out.join("a.py")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(out.join("d/b.py")).unwrap(), "b");
    }

    #[test]
    fn a_changed_file_is_kept_unless_forced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::write(out.join("a.py"), "mine").unwrap();
        std::fs::write(out.join("c.py"), "old").unwrap();
        let start = [f("a.py", "old"), f("c.py", "old")];
        let result = [f("a.py", "new"), f("c.py", "new")];
        let err = write_outputs(out, &start, &result, false).unwrap_err();
        assert!(err.to_string().contains("a.py"), "{err}");
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(std::fs::read_to_string(out.join("a.py")).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(out.join("c.py")).unwrap(), "old");
        let report = write_outputs(out, &start, &result, true).unwrap();
        assert_eq!(report.overwritten, ["a.py"]);
        assert_eq!(std::fs::read_to_string(out.join("a.py")).unwrap(), "new");
    }

    #[test]
    fn escaping_paths_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", ""] {
            let err = write_outputs(tmp.path(), &[], &[f(bad, "x")], false).unwrap_err();
            assert!(matches!(err, OutputError::Escapes { .. }), "{bad}: {err}");
        }
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), tmp.path().join("link")).unwrap();
        let err = write_outputs(tmp.path(), &[], &[f("link/x", "x")], false).unwrap_err();
        assert!(matches!(err, OutputError::Escapes { .. }), "{err}");
        assert!(!elsewhere.path().join("x").exists());
    }
}
