//! Reading a coding task's working dir back after a check: the result is what is on disk (the
//! check may have generated or formatted files), as text, without the sandbox's own files and
//! without following a link anywhere.

use crate::agent::sandbox::{SCRIPT_FILE_NAME, TMP_DIR_NAME};
use std::collections::BTreeMap;
use std::path::Path;

/// Bytes of text read back at most (a check that writes a huge log does not balloon the result).
const MAX_TOTAL_BYTES: u64 = 4 << 20;
const MAX_FILES: usize = 1000;
/// Directories of build products and dependencies, never part of the answer.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "__pycache__",
    "node_modules",
    "target",
    ".pytest_cache",
];

/// The text files under `workdir`, by `/`-separated relative path.
pub fn read_back(workdir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut total = 0u64;
    walk(workdir, "", &mut out, &mut total);
    out
}

fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>, total: &mut u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if prefix.is_empty() && (name == SCRIPT_FILE_NAME || name == TMP_DIR_NAME) {
            continue;
        }
        if kind.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) {
                walk(&entry.path(), &rel, out, total);
            }
        } else if kind.is_file() {
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            if out.len() >= MAX_FILES || *total + meta.len() > MAX_TOTAL_BYTES {
                continue;
            }
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            if bytes.contains(&0) {
                continue;
            }
            if let Ok(text) = String::from_utf8(bytes) {
                *total += text.len() as u64;
                out.insert(rel, text);
            }
        }
    }
}
