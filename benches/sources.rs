//! Sources benchmark (issue 17): pack and upload a tree of FILES files (default 10,000) holding
//! MB megabytes (default 100) to a real coordinator, through the same code `server tasks submit
//! --dir` runs (`sources::upload::upload_dir`): wall time and this process's peak memory
//! (VmHWM), then the same tree again (packed, found stored, nothing uploaded).
//!
//! Run: `cargo bench --bench sources` (env: FILES, MB). Prints numbers; never fails on them.

mod support;

use edgecoder::api::client::Client;
use edgecoder::sources::pack::Selection;
use edgecoder::sources::upload::upload_dir;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{command, proc_kib, start_listening};

const ADMIN: &str = "bench-admin-token-0123456789abcdef";

fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Source-like bytes: words from a small vocabulary, so they compress as code does (about 3:1).
fn fill(seed: u64, len: usize) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "fn ", "let ", "mut ", "self", ".iter()", "match ", "=> ", "Some(", "None", "Ok(", "?;\n",
        "    ", "pub ", "struct ", "impl ", "return ", "{\n", "}\n", "x", "y", "count", "value",
    ];
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        | 1;
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let word = WORDS[(state % WORDS.len() as u64) as usize];
        out.extend_from_slice(word.as_bytes());
        if state.is_multiple_of(5) {
            out.extend_from_slice(format!("{}", state % 100_000).as_bytes());
        }
    }
    out.truncate(len);
    out
}

#[tokio::main]
async fn main() {
    let files = env_num("FILES", 10_000);
    let mb = env_num("MB", 100);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let tree = root.join("tree");
    let per_file = (mb << 20) / files.max(1);
    for i in 0..files {
        let sub = tree.join(format!("dir{:03}", i % 100));
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(
            sub.join(format!("file{i:05}.rs")),
            fill(i, per_file as usize),
        )
        .expect("write");
    }

    let mut coord = command(root);
    coord
        .args(["serve", "--mode", "coordinator", "--port", "0"])
        .arg("--data-dir")
        .arg(root.join("coord"))
        .env("ADMIN_API_TOKEN", ADMIN)
        .stderr(Stdio::null());
    let (_coord, url) = start_listening(coord, Duration::from_secs(30));
    let client = Client::new(&url, Some(ADMIN.into())).expect("client");
    let me = std::process::id();
    let before = proc_kib(me, "VmHWM");

    let started = Instant::now();
    let first = upload_dir(&client, &tree, Selection::Ignores)
        .await
        .unwrap_or_else(|e| panic!("first upload: {e:?}"));
    let first_time = started.elapsed();
    let peak = proc_kib(me, "VmHWM");
    let started = Instant::now();
    let second = upload_dir(&client, &tree, Selection::Ignores)
        .await
        .unwrap_or_else(|e| panic!("second upload: {e:?}"));
    let second_time = started.elapsed();
    let edgecoder::api::TaskSource::Blob { size, .. } = &first.source else {
        unreachable!("a --dir source is a blob");
    };
    println!(
        "tree: {} files, {} MiB of content; archive {:.1} MiB",
        first.files,
        (per_file * files) >> 20,
        *size as f64 / (1 << 20) as f64
    );
    println!(
        "first submit (pack + upload): {:.2} s; peak memory (VmHWM) {} MiB (before: {} MiB)",
        first_time.as_secs_f64(),
        peak / 1024,
        before / 1024
    );
    println!(
        "second submit (unchanged tree: not packed, found stored): {:.2} s; uploaded: {}; same hash: {}",
        second_time.as_secs_f64(),
        second.sent,
        second.source == first.source
    );
}
