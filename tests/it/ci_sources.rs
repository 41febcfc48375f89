//! Sources in (issue 17), end to end: a coordinator and an enrolled agent in separate homes; a
//! project submitted with `server tasks submit --dir` runs its own tests on the agent, without
//! its ignored files; the same tree again uploads nothing; archives that try to leave the working
//! dir fail their task once, with a clear error.

use crate::common::*;
use crate::machine::skip_unless_ci;
use crate::worker_common::*;
use edgecoder::api::*;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Duration;

fn project(dir: &Path) {
    std::fs::create_dir_all(dir.join("calc")).expect("mkdir");
    std::fs::write(
        dir.join("calc/__init__.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("test_calc.py"),
        "import unittest\nfrom calc import add\n\n\
         class T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n\
         \x20   def test_neg(self):\n        self.assertEqual(add(-2, 2), 0)\n",
    )
    .expect("write");
    std::fs::write(dir.join(".gitignore"), "secret.txt\n__pycache__/\n").expect("write");
    std::fs::write(dir.join("secret.txt"), "not for the worker").expect("write");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_sent_with_dir_runs_its_own_tests_and_is_sent_once() {
    if !Path::new("/usr/bin/python3").exists() {
        skip_unless_ci("no /usr/bin/python3 for the task to run the project's tests with");
        return;
    }
    let sb = Sandbox::new();
    let coord = fast_coordinator(&sb, "1s");
    let _node = start_node(&coord, "ci", &[]).await;
    let src = tempfile::tempdir().expect("project");
    project(src.path());
    // Exits 0 only when the ignored file stayed home and both tests ran and passed.
    let check = "test ! -e secret.txt && test -f calc/__init__.py && \
                 python3 -m unittest -v 2>&1 | tee /dev/stderr | grep -q 'Ran 2 tests' && \
                 python3 -m unittest";
    let submit = || {
        let mut c = server_cmd(&sb, &coord.url);
        c.args(["server", "tasks", "submit", "--dir"])
            .arg(src.path())
            .args(["--wait", "--", "sh", "-c", check]);
        run_to_end(c, Duration::from_secs(60))
    };
    let (code, out, err) = submit();
    assert_eq!(code, Some(0), "stdout: {out}\nstderr: {err}");
    assert!(err.contains("bytes uploaded"), "{err}");
    let (code, out, err) = submit();
    assert_eq!(code, Some(0), "stdout: {out}\nstderr: {err}");
    assert!(
        err.contains("already on the coordinator (nothing uploaded)"),
        "{err}"
    );
    // The coordinator agrees: one upload of the blob route in all.
    let metrics = http()
        .get(format!("{}/metrics", coord.url))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let puts: Vec<&str> = metrics
        .lines()
        .filter(|l| {
            l.contains("/api/v1/blobs/{sha256}") && l.contains("PUT") && l.contains("_count")
        })
        .collect();
    assert!(
        puts.len() == 1 && puts[0].trim_end().ends_with(" 1"),
        "{puts:?}"
    );
}

/// A gzip'd tar with one entry whose name is written raw (the tar crate refuses to write bad
/// names), of the given type.
fn evil_archive(name: &str, kind: tar::EntryType, link: Option<&str>) -> Vec<u8> {
    let mut header = tar::Header::new_old();
    {
        let old = header.as_old_mut();
        old.name[..name.len()].copy_from_slice(name.as_bytes());
        if let Some(link) = link {
            old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
    }
    let body: &[u8] = if kind == tar::EntryType::Regular {
        b"owned\n"
    } else {
        b""
    };
    header.set_entry_type(kind);
    header.set_size(body.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    let mut raw = Vec::new();
    raw.extend_from_slice(header.as_bytes());
    raw.extend_from_slice(body);
    raw.resize(raw.len().div_ceil(512) * 512, 0);
    raw.extend_from_slice(&[0u8; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &raw).expect("gzip");
    gz.finish().expect("gzip")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archives_that_escape_the_workdir_fail_their_task_once() {
    let sb = Sandbox::new();
    let coord = fast_coordinator(&sb, "1s");
    let admin = coord.admin();
    let node = start_node(&coord, "strict", &[]).await;
    let files = tempfile::tempdir().expect("dir");
    let cases = [
        (
            "../escaped.txt",
            tar::EntryType::Regular,
            None,
            "escapes the working dir",
        ),
        (
            "/tmp/edgecoder-escaped.txt",
            tar::EntryType::Regular,
            None,
            "escapes the working dir",
        ),
        (
            "out",
            tar::EntryType::Symlink,
            Some("/etc"),
            "outside the working dir",
        ),
    ];
    let mut ids = Vec::new();
    for (i, (name, kind, link, _)) in cases.iter().enumerate() {
        let bytes = evil_archive(name, *kind, *link);
        let hash = hex::encode(Sha256::digest(&bytes));
        let path = files.path().join(format!("{i}.tgz"));
        std::fs::write(&path, &bytes).expect("write");
        admin.put_blob(&hash, &path, None).await.expect("put");
        let mut req = SubmitRequest::argv(vec!["true".into()]);
        req.source = Some(TaskSource::Blob {
            sha256: hash,
            size: bytes.len() as u64,
        });
        req.max_attempts = Some(3);
        ids.push(submit(&admin, &req).await);
    }
    for (id, (name, _, _, why)) in ids.iter().zip(cases) {
        let task = wait_done(&admin, id, Duration::from_secs(30)).await;
        assert_eq!(task.state, TaskState::Failed, "{name}: {task:?}");
        assert_eq!(task.attempts, 1, "{name}: retried: {task:?}");
        let error = task.error.unwrap_or_default();
        assert!(
            error.contains(why) && error.contains("refused"),
            "{name}: {error}"
        );
    }
    assert!(!Path::new("/tmp/edgecoder-escaped.txt").exists());
    drop(node);
}

/// A small Rust crate sent with `--dir` runs its own `cargo test` on the agent: the node's task
/// PATH (`EDGECODER_TASK_PATH`) holds the toolchain, so the node advertises `cargo` and takes a
/// `--requires cargo` task, and the crate's ignored build dir stays home.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rust_crate_sent_with_dir_runs_its_own_cargo_test() {
    // The toolchain that builds these tests (not a rustup proxy, which would need RUSTUP_HOME).
    let toolchain = Path::new(env!("CARGO"))
        .parent()
        .expect("cargo's directory")
        .to_path_buf();
    let task_path = format!("{}:/usr/local/bin:/usr/bin:/bin", toolchain.display());
    let sb = Sandbox::new();
    let coord = fast_coordinator(&sb, "1s");
    let _node = start_node(&coord, "rusty", &[("EDGECODER_TASK_PATH", &task_path)]).await;
    let src = tempfile::tempdir().expect("crate");
    let root = src.path();
    std::fs::create_dir_all(root.join("src")).expect("mkdir");
    std::fs::create_dir_all(root.join("target")).expect("mkdir");
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"adder\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n",
    )
    .expect("write");
    std::fs::write(
        root.join("src/lib.rs"),
        "pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n\n\
         #[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {\n        assert_eq!(super::add(2, 3), 5);\n    }\n\n\
         \x20   #[test]\n    fn cancels() {\n        assert_eq!(super::add(-2, 2), 0);\n    }\n}\n",
    )
    .expect("write");
    std::fs::write(root.join(".gitignore"), "target/\n").expect("write");
    std::fs::write(root.join("target/stale"), "not for the worker").expect("write");
    let mut c = server_cmd(&sb, &coord.url);
    c.args(["server", "tasks", "submit", "--dir"])
        .arg(root)
        .args(["--requires", "cargo", "--wait", "--", "sh", "-c"])
        .arg("test ! -e target/stale && cargo test --offline 2>&1");
    let (code, out, err) = run_to_end(c, Duration::from_secs(180));
    assert_eq!(code, Some(0), "stdout: {out}\nstderr: {err}");
    assert!(
        out.contains("test result: ok. 2 passed"),
        "the crate's own tests did not run: {out}"
    );
}
