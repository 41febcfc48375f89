//! The completions/ and man/ files checked in are exactly what the binary generates from its
//! clap definitions: a command or flag added without regenerating them fails here.

use crate::common::Sandbox;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const REGENERATE: &str = "regenerate with `rm -f man/*.1 && cargo run -q -- completions --dir \
                          completions && cargo run -q -- man --dir man` and commit the result";

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}; {REGENERATE}", dir.display()))
        .map(|entry| {
            let entry = entry.expect("dir entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(entry.path()).expect("read"))
        })
        .collect()
}

fn check(what: &str, args: &[&str]) {
    let sb = Sandbox::new();
    let out_dir = sb.path().join(what);
    let status = sb
        .command()
        .args(args)
        .arg("--dir")
        .arg(&out_dir)
        .status()
        .expect("run edgecoder");
    assert!(status.success(), "edgecoder {args:?} failed");
    let generated = files_in(&out_dir);
    let checked_in = files_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join(what));
    assert!(!generated.is_empty());
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&checked_in),
        names(&generated),
        "{what}/ file names drifted: {REGENERATE}"
    );
    for (name, bytes) in &generated {
        assert!(
            checked_in.get(name) == Some(bytes),
            "{what}/{name} drifted from the clap definitions: {REGENERATE}"
        );
    }
}

#[test]
fn completions_match_the_command_line() {
    check("completions", &["completions"]);
}

#[test]
fn man_pages_match_the_command_line() {
    check("man", &["man"]);
}

#[test]
fn a_single_completion_script_goes_to_stdout() {
    let out = Command::new(env!("CARGO_BIN_EXE_edgecoder"))
        .args(["completions", "bash"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("edgecoder") && text.contains("complete"),
        "{text}"
    );
    let none = Command::new(env!("CARGO_BIN_EXE_edgecoder"))
        .arg("completions")
        .output()
        .expect("run");
    assert_eq!(none.status.code(), Some(2));
}
