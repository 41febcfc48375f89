//! Git sources end to end: `server tasks submit --git file://…bare.git --ref main` runs the
//! repository's own script on an agent in a home of its own; the next task of that repository
//! fetches into the node's cached mirror instead of cloning again; a ref the repository lacks
//! fails once with a clear message; the credentials secret shows up in no output.

use crate::common::*;
use crate::machine::skip_unless_ci;
use crate::worker_common::*;
use edgecoder::api::*;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const SECRET: &str = "tok-3f9a1c-very-secret-value";

fn git(dir: &Path, script: &str) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("sh");
    assert!(out.status.success(), "{script}: {out:?}");
}

/// Every directory named `name` under `root`.
fn find_dirs(root: &Path, name: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if path.file_name().is_some_and(|n| n == name) {
                found.push(path.clone());
            }
            find_dirs(&path, name, found);
        }
    }
}

/// The node's one mirror (`<work root>/.git-cache/<hash>.git`).
fn mirror_of(agent_home: &Path) -> PathBuf {
    let mut caches = Vec::new();
    find_dirs(agent_home, ".git-cache", &mut caches);
    assert_eq!(caches.len(), 1, "one git cache: {caches:?}");
    let mirrors: Vec<PathBuf> = std::fs::read_dir(&caches[0])
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "git"))
        .collect();
    assert_eq!(mirrors.len(), 1, "one mirror: {mirrors:?}");
    mirrors[0].clone()
}

#[tokio::test]
async fn a_git_source_runs_the_repos_script_reuses_the_mirror_and_a_missing_ref_fails_once() {
    if Command::new("git").arg("--version").output().is_err() {
        skip_unless_ci("git is not installed");
        return;
    }
    // The repository: a script that prints a file of the checkout, and whether it sees the
    // credentials variable (it must not: they are for the checkout).
    let repo_sb = Sandbox::new();
    git(
        repo_sb.path(),
        "git init -q -b main src && cd src && echo v1 > version.txt && \
         printf 'echo \"from-repo $(cat version.txt)\"\\nenv | grep -c GIT_TOKEN_X || true\\n' \
         > run.sh && git add . && git commit -q -m one && cd .. && \
         git clone -q --bare src repo.git",
    );
    let url = format!("file://{}/repo.git", repo_sb.path().display());

    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let token = enroll_token(&admin, true, 1).await;
    let asb = Sandbox::new();
    let node = enroll_ok(&asb, &coord.url, &token, &[]);
    let mut agent = Agent::start(&asb, &[("EDGECODER_GIT_ALLOW_FILE", "true")]);
    wait_online(&admin, &node).await;

    let submit_git = |rev: &str| {
        let mut c = server_cmd(&csb, &coord.url);
        c.env("GIT_TOKEN_X", SECRET);
        cli_with(
            c,
            &[
                "server",
                "tasks",
                "submit",
                "--git",
                &url,
                "--ref",
                rev,
                "--secret",
                "GIT_TOKEN_X",
                "--git-secret",
                "GIT_TOKEN_X",
                "--",
                "sh",
                "run.sh",
            ],
            None,
        )
    };
    let mut outputs = String::new();

    let first = submit_git("main");
    assert_eq!(first.code, Some(0), "{first:?}");
    outputs.push_str(&first.text());
    let first_id = first.stdout.trim().to_string();
    let done = wait_done(&admin, &first_id, Duration::from_secs(60)).await;
    assert_eq!(
        done.state,
        TaskState::Succeeded,
        "{done:?}\n{}",
        agent.log()
    );
    let log = full_log(&admin, &first_id).await;
    assert_eq!(
        log, "from-repo v1\n0\n",
        "the repo's script ran in its checkout"
    );
    outputs.push_str(&log);
    let mirror = mirror_of(asb.path());
    let inode = std::fs::metadata(&mirror).unwrap().ino();

    // A new commit on main: the second task fetches it into the same mirror.
    git(
        repo_sb.path(),
        "cd src && echo v2 > version.txt && git commit -q -am two && git push -q ../repo.git main",
    );
    let second = submit_git("main");
    assert_eq!(second.code, Some(0), "{second:?}");
    outputs.push_str(&second.text());
    let second_id = second.stdout.trim().to_string();
    let done = wait_done(&admin, &second_id, Duration::from_secs(60)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    let log = full_log(&admin, &second_id).await;
    assert_eq!(log, "from-repo v2\n0\n");
    outputs.push_str(&log);
    assert_eq!(mirror_of(asb.path()), mirror);
    assert_eq!(
        std::fs::metadata(&mirror).unwrap().ino(),
        inode,
        "the same mirror, not a second clone"
    );
    agent.wait_for_log("reusing the mirror", Duration::from_secs(10));
    assert_eq!(
        agent
            .log()
            .matches("new mirror for this repository")
            .count(),
        1,
        "one clone for two tasks: {}",
        agent.log()
    );

    // A ref the repository does not have: a clear failure, once.
    let missing = submit_git("no-such-branch");
    assert_eq!(missing.code, Some(0), "{missing:?}");
    outputs.push_str(&missing.text());
    let missing_id = missing.stdout.trim().to_string();
    let done = wait_done(&admin, &missing_id, Duration::from_secs(60)).await;
    assert_eq!(done.state, TaskState::Failed, "{done:?}");
    assert_eq!(done.attempts, 1, "not retried: {done:?}");
    let error = done.error.clone().unwrap_or_default();
    assert!(
        error.contains("`no-such-branch` does not exist"),
        "a clear message: {error}"
    );
    let show = cli_with(
        server_cmd(&csb, &coord.url),
        &["server", "tasks", "show", &missing_id, "--json"],
        None,
    );
    outputs.push_str(&show.text());
    let doc: serde_json::Value = serde_json::from_str(&show.stdout).expect("JSON");
    assert_eq!(doc["source"]["kind"], "git", "{doc}");
    assert_eq!(
        doc["source"]["credentials_secret"], "GIT_TOKEN_X",
        "the name, never the value"
    );

    for text in [outputs, agent.log(), coord.stdout(), coord.stderr()] {
        assert!(!text.contains(SECRET), "the credentials leaked: {text}");
    }
}
