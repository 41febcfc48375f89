//! Layering rules checked on the source text: the coordinator (`server`) never depends on the
//! client side (`cli`, `tui`), and the dashboard never on the CLI, so each can change alone.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    found
}

/// The lines of `text` that name one of `modules` as a path (`crate::cli`, `crate::cli::…`).
fn lines_naming(text: &str, modules: &[&str]) -> Vec<String> {
    text.lines()
        .filter(|line| {
            modules.iter().any(|m| {
                let path = format!("crate::{m}");
                line.match_indices(&path).any(|(at, _)| {
                    // `crate::cli` but not `crate::client`.
                    let after = line[at + path.len()..].chars().next();
                    !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            })
        })
        .map(str::to_string)
        .collect()
}

/// Files under `src/<dir>` that name any of `modules`, with the offending lines.
fn violations(dir: &str, modules: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let files = rust_files(&root);
    assert!(
        !files.is_empty(),
        "no sources found under {}",
        root.display()
    );
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for line in lines_naming(&text, modules) {
            found.push(format!("{}: {}", file.display(), line.trim()));
        }
    }
    found
}

#[test]
fn the_rule_catches_a_path_and_spares_lookalikes() {
    let text = "use crate::cli::output::age;\nuse crate::client::X;\nlet t = crate::tui::run;";
    assert_eq!(lines_naming(text, &["cli", "tui"]).len(), 2);
    assert!(lines_naming("use crate::api::client;", &["cli"]).is_empty());
}

#[test]
fn the_coordinator_never_names_the_client_side() {
    let found = violations("server", &["cli", "tui"]);
    assert!(
        found.is_empty(),
        "src/server must not depend on crate::cli or crate::tui:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_dashboard_never_names_the_cli() {
    let found = violations("tui", &["cli"]);
    assert!(
        found.is_empty(),
        "src/tui must not depend on crate::cli (shared helpers go in crate::fmt or crate::api):\n{}",
        found.join("\n")
    );
}
