//! The files a coding task starts from, read from the user's disk: `--file` paths (kept relative
//! to the current dir, so the model sees the names the user typed) and a `--dir` packed up as its
//! `.gitignore`/`.edgecoderignore` say. A task's files are text (the model reads them), and a
//! path that leaves the current dir or the packed dir is refused: what we send is exactly what
//! the user pointed at.

use crate::api::TaskFile;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// How much a task may start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// All files' bytes together.
    pub max_total_bytes: u64,
    pub max_files: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        // The coordinator's own request limit is larger; a model's context is far smaller.
        InputLimits {
            max_total_bytes: 4 << 20,
            max_files: 1000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(
        "{path}: outside the current directory; --file takes paths inside it (cd to the project first)"
    )]
    Escapes { path: String },
    #[error("{path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: not a text (UTF-8) file; coding tasks take text files only (leave it out, or list it in .edgecoderignore)"
    )]
    Binary { path: String },
    #[error("{path}: not a regular file; --file takes files (use --dir for a directory)")]
    NotAFile { path: String },
    #[error("{path}: a symbolic link leading outside {root}; it is not sent")]
    SymlinkOut { path: String, root: String },
    #[error(
        "the input files add up to more than {limit} bytes (at {path}); pass fewer files or list some in .edgecoderignore"
    )]
    TooBig { limit: u64, path: String },
    #[error("more than {limit} input files; pass fewer, or list some in .edgecoderignore")]
    TooMany { limit: usize },
    #[error("--dir {path}: {detail}")]
    Walk { path: String, detail: String },
}

/// Reads `files` (relative to the current dir) and the text files under `dir` (named relative
/// to `dir`), in a stable order, a path given twice once.
pub fn read_inputs(
    files: &[PathBuf],
    dir: Option<&Path>,
    limits: InputLimits,
) -> Result<Vec<TaskFile>, InputError> {
    let cwd = std::env::current_dir().map_err(|source| InputError::Read {
        path: ".".into(),
        source,
    })?;
    let mut out = BTreeMap::new();
    let mut total = 0u64;
    for file in files {
        let display = file.display().to_string();
        let rel = relative_inside(&cwd, file).ok_or_else(|| InputError::Escapes {
            path: display.clone(),
        })?;
        let full = cwd.join(&rel);
        // Through symlinks too: the real file must be inside the current dir.
        let real = std::fs::canonicalize(&full).map_err(|source| InputError::Read {
            path: display.clone(),
            source,
        })?;
        let real_cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd.clone());
        if !real.starts_with(&real_cwd) {
            return Err(InputError::Escapes { path: display });
        }
        if !real.is_file() {
            return Err(InputError::NotAFile { path: display });
        }
        let content = read_text(&real, &display)?;
        add(&mut out, &mut total, limits, slash_path(&rel), content)?;
    }
    if let Some(dir) = dir {
        walk_dir(dir, limits, &mut out, &mut total)?;
    }
    Ok(out
        .into_iter()
        .map(|(path, content)| TaskFile { path, content })
        .collect())
}

fn add(
    out: &mut BTreeMap<String, String>,
    total: &mut u64,
    limits: InputLimits,
    path: String,
    content: String,
) -> Result<(), InputError> {
    if out.contains_key(&path) {
        return Ok(());
    }
    *total += content.len() as u64;
    if *total > limits.max_total_bytes {
        return Err(InputError::TooBig {
            limit: limits.max_total_bytes,
            path,
        });
    }
    if out.len() >= limits.max_files {
        return Err(InputError::TooMany {
            limit: limits.max_files,
        });
    }
    out.insert(path, content);
    Ok(())
}

fn walk_dir(
    dir: &Path,
    limits: InputLimits,
    out: &mut BTreeMap<String, String>,
    total: &mut u64,
) -> Result<(), InputError> {
    let shown = dir.display().to_string();
    let root = std::fs::canonicalize(dir).map_err(|source| InputError::Read {
        path: shown.clone(),
        source,
    })?;
    if !root.is_dir() {
        return Err(InputError::Walk {
            path: shown,
            detail: "not a directory".into(),
        });
    }
    let walker = ignore::WalkBuilder::new(&root)
        .follow_links(false)
        // .gitignore counts even outside a git checkout: it says what the user does not ship.
        .require_git(false)
        .add_custom_ignore_filename(".edgecoderignore")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| InputError::Walk {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        let Some(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(&root) else {
            continue;
        };
        let rel_shown = slash_path(rel);
        if kind.is_symlink() {
            // A link is sent as the file it names only when that file is inside the dir.
            let Ok(real) = std::fs::canonicalize(path) else {
                continue;
            };
            if !real.starts_with(&root) {
                return Err(InputError::SymlinkOut {
                    path: format!("{shown}/{rel_shown}"),
                    root: shown,
                });
            }
            if !real.is_file() {
                continue;
            }
            let content = read_text(&real, &rel_shown)?;
            add(out, total, limits, rel_shown, content)?;
        } else if kind.is_file() {
            let content = read_text(path, &rel_shown)?;
            add(out, total, limits, rel_shown, content)?;
        }
    }
    Ok(())
}

fn read_text(path: &Path, shown: &str) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Read {
        path: shown.to_string(),
        source,
    })?;
    if bytes.contains(&0) {
        return Err(InputError::Binary {
            path: shown.to_string(),
        });
    }
    String::from_utf8(bytes).map_err(|_| InputError::Binary {
        path: shown.to_string(),
    })
}

/// `path` (relative to `base`, or absolute) as a normal relative path inside `base`, lexically;
/// `None` when it leaves `base`.
pub(crate) fn relative_inside(base: &Path, path: &Path) -> Option<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let normal = normalise(&joined)?;
    let base = normalise(base)?;
    let rel = normal.strip_prefix(&base).ok()?;
    if rel.as_os_str().is_empty() {
        return None;
    }
    Some(rel.to_path_buf())
}

/// Resolves `.` and `..` lexically; `None` when `..` climbs above the root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_inside() {
        let base = Path::new("/home/u/proj");
        assert_eq!(
            relative_inside(base, Path::new("a/../b.py")),
            Some(PathBuf::from("b.py"))
        );
        assert_eq!(
            relative_inside(base, Path::new("/home/u/proj/src/x.py")),
            Some(PathBuf::from("src/x.py"))
        );
        assert_eq!(relative_inside(base, Path::new("../x.py")), None);
        assert_eq!(relative_inside(base, Path::new("/etc/passwd")), None);
        assert_eq!(relative_inside(base, Path::new(".")), None);
    }

    #[test]
    fn a_dir_is_packed_respecting_its_ignore_files() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        std::fs::write(d.join("main.py"), "print(1)\n").unwrap();
        std::fs::write(d.join(".gitignore"), "build/\n").unwrap();
        std::fs::write(d.join(".edgecoderignore"), "secret.txt\n").unwrap();
        std::fs::write(d.join("secret.txt"), "x").unwrap();
        std::fs::create_dir(d.join("build")).unwrap();
        std::fs::write(d.join("build/out.txt"), "x").unwrap();
        std::fs::create_dir(d.join("src")).unwrap();
        std::fs::write(d.join("src/lib.py"), "x = 1\n").unwrap();
        let files = read_inputs(&[], Some(d), InputLimits::default()).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["main.py", "src/lib.py"]);
    }

    #[test]
    fn binary_files_and_links_out_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("p");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("a.bin"), [0u8, 1, 2]).unwrap();
        let err = read_inputs(&[], Some(&d), InputLimits::default()).unwrap_err();
        assert!(err.to_string().contains("a.bin"), "{err}");
        std::fs::remove_file(d.join("a.bin")).unwrap();
        std::fs::write(tmp.path().join("outside.txt"), "x").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("outside.txt"), d.join("link.txt")).unwrap();
        let err = read_inputs(&[], Some(&d), InputLimits::default()).unwrap_err();
        assert!(matches!(err, InputError::SymlinkOut { .. }), "{err}");
    }

    #[test]
    fn the_size_limit_is_enforced() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("a.txt"), "0123456789").unwrap();
        let limits = InputLimits {
            max_total_bytes: 5,
            max_files: 10,
        };
        let err = read_inputs(&[], Some(tmp.path()), limits).unwrap_err();
        assert!(matches!(err, InputError::TooBig { .. }), "{err}");
    }
}
