//! What a newcomer is told to do next: `serve`'s first start explains credits and `--free`, a
//! refusal for credits names the commands that fix it, and `enroll` suggests the system service
//! only to root (a normal user gets `edgecoder agent` or `service install --user`).

use crate::common::*;
use crate::worker_common::{Out, cli_with, enroll, enroll_token};
use edgecoder::api::{Role, TokenCreateRequest, TokenKind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

async fn stdout_with(coord: &Coordinator, needle: &str) -> String {
    eventually(Duration::from_secs(20), || async {
        let out = coord.stdout();
        out.contains(needle).then_some(out)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_start_says_credits_are_on_what_a_token_gets_and_how_to_run_without() {
    let sb = Sandbox::new();
    let first = CoordinatorOptions {
        admin_token: None,
        ..coordinator_only()
    };
    let coord = Coordinator::start_with(&sb, first);
    let out = stdout_with(&coord, "a private coordinator without credits").await;
    for needle in [
        "credits:  on (a new user token starts with 100 credits",
        "Credits are on: every task is paid from its submitter's account",
        "A new user token starts with 100 credits",
        // The default 1 h timeout at 0.001 credit per CPU-second holds 3.6 credits.
        "3.6 credits for the default 1h timeout",
        "about 27 such tasks queued at once",
        "edgecoder server credits grant user:<token id> AMOUNT",
        "edgecoder serve --free",
        "EDGECODER_PRICING=false",
    ] {
        assert!(out.contains(needle), "first start lacks {needle:?}:\n{out}");
    }
    drop(coord);

    // Later starts keep the one-line summary, not the explanation.
    let again = Coordinator::start_with(
        &sb,
        CoordinatorOptions {
            admin_token: None,
            ..coordinator_only()
        },
    );
    let out = stdout_with(&again, "credits:").await;
    assert!(!out.contains("Credits are on"), "{out}");
    drop(again);

    let sb = Sandbox::new();
    let mut free = coordinator_only();
    free.args.push("--free".into());
    free.admin_token = None;
    let coord = Coordinator::start_with(&sb, free);
    let out = stdout_with(&coord, "Credits are off").await;
    assert!(out.contains("credits:  off"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_for_credits_names_the_grant_and_the_free_coordinator() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_CREDITS_NEW_TOKEN_GRANT".into(), "1".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let made = coord
        .admin()
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            name: Some("ci-loop".into()),
            ..Default::default()
        })
        .await
        .expect("user token");
    let mut cmd = sb.command();
    cmd.env("EDGECODER_TOKEN", &made.token);
    let out = cli_with(
        cmd,
        &[
            "server", "--server", &coord.url, "tasks", "submit", "--", "true",
        ],
        None,
    );
    assert_eq!(
        out.code,
        Some(5),
        "a refusal for credits is exit 5: {out:?}"
    );
    let account = format!("user:{}", made.info.id);
    for needle in [
        // The shortfall follows (1 credit spendable, the hold depends on the queue).
        format!("edgecoder server credits grant {account} "),
        "edgecoder serve --free".to_string(),
        "EDGECODER_PRICING=false".to_string(),
    ] {
        assert!(
            out.stderr.contains(&needle),
            "refusal lacks {needle:?}: {out:?}"
        );
    }
}

/// `edgecoder enroll` with a fresh enrollment token of `coord`, run by `cmd`'s user.
async fn enroll_text(coord: &Coordinator, sb: &Sandbox, cmd: Command) -> Out {
    let token = enroll_token(&coord.admin(), true, 1).await;
    let file = sb.path().join("enroll.token");
    std::fs::write(&file, format!("{token}\n")).expect("token file");
    let file = file.display().to_string();
    cli_with(
        cmd,
        &["enroll", "--token-file", &file, "--coordinator", &coord.url],
        None,
    )
}

/// The binary, where the unprivileged user can reach it (a hard link into `dir`, else a copy):
/// the checkout it was built in may sit under a directory that user cannot enter.
fn binary_in(dir: &Path) -> PathBuf {
    let to = dir.join("edgecoder");
    if std::fs::hard_link(bin(), &to).is_err() {
        std::fs::copy(bin(), &to).expect("copy the binary");
    }
    to
}

/// `sb.command_for(program)` run as `nobody` through `setpriv`, with the same environment.
fn as_nobody(sb: &Sandbox, program: &Path) -> Command {
    let base = sb.command_for(program);
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(program);
    for (key, value) in base.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    if let Some(dir) = base.get_current_dir() {
        cmd.current_dir(dir);
    }
    cmd
}

fn chown_tree(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).expect("chown");
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("read dir") {
            chown_tree(&entry.expect("entry").path(), uid);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enroll_suggests_the_system_service_to_root_and_the_user_service_to_anyone_else() {
    if !is_root() {
        // Run as a normal user, this is the user's case; the root case needs root.
        let sb = Sandbox::new();
        let coord = Coordinator::start_with(&sb, coordinator_only());
        let out = enroll(
            &sb,
            &coord.url,
            &enroll_token(&coord.admin(), true, 1).await,
            &[],
        );
        assert_user_text(&out);
        skip_unless_ci("enroll's text for root needs root");
        return;
    }
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());

    // Root: the system service (with a note, since the test's env file is not the one it reads).
    let out = enroll_text(&coord, &sb, sb.command()).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("systemctl enable --now edgecoder"),
        "root is sent to the system service: {out:?}"
    );
    assert!(
        out.stdout
            .contains("the system service reads /etc/edgecoder/edgecoder.env"),
        "{out:?}"
    );
    assert!(!out.stdout.contains("--user"), "{out:?}");

    // Anyone else: never the system unit.
    if Command::new("setpriv").arg("--version").output().is_err() {
        skip_unless_ci("setpriv (util-linux) is not installed");
        return;
    }
    let user = Sandbox::new();
    chown_tree(user.path(), 65534);
    // The binary stays root's (0755): a link into a root-owned directory nobody can read.
    std::fs::create_dir_all(user.path().join("bin")).expect("bin dir");
    let program = binary_in(&user.path().join("bin"));
    let out = enroll_text(&coord, &user, as_nobody(&user, &program)).await;
    assert_user_text(&out);
}

fn assert_user_text(out: &Out) {
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("start the worker:   edgecoder agent"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("edgecoder service install --user"),
        "a user is offered the per-user service: {out:?}"
    );
    assert!(
        !out.stdout.contains("systemctl"),
        "a user must not be sent to the system unit: {out:?}"
    );
}

#[test]
fn service_install_user_writes_a_user_unit_that_runs_the_agent() {
    let sb = Sandbox::new();
    let out = crate::worker_common::cli(&sb, &["service", "install", "--user"], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    let unit = sb
        .path()
        .join("config-home/systemd/user/edgecoder-agent.service");
    let text = std::fs::read_to_string(&unit).expect("the user unit");
    assert!(
        text.contains(" agent\n") && text.contains("WantedBy=default.target"),
        "{text}"
    );
    assert!(
        !text.contains("/etc/edgecoder") && !text.contains("User="),
        "{text}"
    );
    assert!(
        out.stdout
            .contains("systemctl --user enable --now edgecoder-agent.service"),
        "{out:?}"
    );
    let out = crate::worker_common::cli(&sb, &["service", "status", "--user", "--json"], None);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(status["installed"], true);
    assert_eq!(status["up_to_date"], true);
    let out = crate::worker_common::cli(&sb, &["service", "uninstall", "--user"], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("systemctl --user disable --now"),
        "{out:?}"
    );
    assert!(!unit.exists());
}
