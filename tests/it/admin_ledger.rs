//! The ledger for an admin: `server ledger export --format csv` with `--since/--until` (RFC 3339
//! or a date), accounts named by their token, the JSON-lines window still checkable offline, and
//! `credits balance --all` showing names.

use crate::common::*;
use crate::worker_common::{Out, cli_with};
use edgecoder::api::client::Client;
use edgecoder::api::{Role, TokenCreateRequest, TokenKind, now_ms};
use std::time::{Duration, UNIX_EPOCH};

async fn user_token(admin: &Client, name: &str) -> String {
    admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            name: Some(name.into()),
            ..Default::default()
        })
        .await
        .expect("user token")
        .info
        .id
}

fn rfc3339(ms: i64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms as u64)).to_string()
}

fn admin_cli(sb: &Sandbox, url: &str, args: &[&str]) -> Out {
    let mut cmd = sb.command();
    cmd.env("EDGECODER_TOKEN", ADMIN_TOKEN);
    let mut all = vec!["server", "--server", url];
    all.extend_from_slice(args);
    cli_with(cmd, &all, None)
}

/// The data rows of a CSV export, after checking its header.
fn rows(out: &Out) -> Vec<Vec<String>> {
    assert_eq!(out.code, Some(0), "{out:?}");
    let mut lines = out.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("seq,time,kind,account,account_name,amount,task_id,actor,actor_name,hash")
    );
    lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// Waits until the coordinator's clock (the same as ours) has moved past `ms`, so the next
/// entry is written strictly after it.
async fn past(ms: i64) {
    eventually(Duration::from_secs(5), || async {
        (now_ms() > ms).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_export_of_a_time_window_names_the_accounts() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let before_alice = now_ms();
    past(before_alice).await;
    let alice = user_token(&admin, "alice-ci").await;
    // Alice's entries are at or before now; one past that, the cut is strictly after them.
    let cut = now_ms() + 1;
    past(cut).await;
    let bob = user_token(&admin, "bob-laptop").await;
    let (alice_acct, bob_acct) = (format!("user:{alice}"), format!("user:{bob}"));

    // Since the cut: bob's welcome grant only, named.
    let out = admin_cli(
        &sb,
        &coord.url,
        &[
            "ledger",
            "export",
            "--format",
            "csv",
            "--since",
            &rfc3339(cut),
        ],
    );
    let after = rows(&out);
    assert!(!after.is_empty(), "{out:?}");
    assert!(
        after
            .iter()
            .any(|r| r[3] == bob_acct && r[4] == "bob-laptop" && r[5] == "100"),
        "bob's grant is not in the window, named: {out:?}"
    );
    assert!(
        after.iter().all(|r| r[3] != alice_acct),
        "alice's entries came before --since: {out:?}"
    );
    // The treasury's side of the grant has no name; the actor (the admin token) is shown by id.
    assert!(
        after
            .iter()
            .any(|r| r[3] == "treasury" && r[4].is_empty() && r[5] == "-100")
    );

    // From alice's creation until the cut (RFC 3339 with an offset): alice only.
    let until_plus_one = {
        let t = UNIX_EPOCH + Duration::from_millis((cut + 3_600_000) as u64);
        let s = humantime::format_rfc3339_millis(t).to_string();
        format!("{}+01:00", s.trim_end_matches('Z'))
    };
    let out = admin_cli(
        &sb,
        &coord.url,
        &[
            "ledger",
            "export",
            "--format",
            "csv",
            "--since",
            &rfc3339(before_alice),
            "--until",
            &until_plus_one,
        ],
    );
    let window = rows(&out);
    assert!(
        window
            .iter()
            .any(|r| r[3] == alice_acct && r[4] == "alice-ci"),
        "{out:?}"
    );
    assert!(window.iter().all(|r| r[3] != bob_acct), "{out:?}");

    // Dates: from a day long past up to today (the whole of today) is everything.
    let today = &rfc3339(now_ms())[..10];
    let out = admin_cli(
        &sb,
        &coord.url,
        &[
            "ledger",
            "export",
            "--format",
            "csv",
            "--since",
            "2000-01-01",
            "--until",
            today,
        ],
    );
    let all = rows(&out);
    assert!(all.len() >= after.len() + window.len(), "{out:?}");
    assert!(all.iter().any(|r| r[3] == alice_acct) && all.iter().any(|r| r[3] == bob_acct));

    // The JSON-lines window (the default format) is still checkable offline.
    let out = admin_cli(
        &sb,
        &coord.url,
        &["ledger", "export", "--since", &rfc3339(cut)],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.lines().count() >= 3, "{out:?}");
    let header: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().expect("header")).expect("json");
    assert_eq!(header["type"], "header");
    assert!(header["since"].as_i64().expect("since") > 0, "{header}");
    let file = sb.path().join("window.jsonl");
    std::fs::write(&file, &out.stdout).expect("write export");
    let verified = cli_with(
        sb.command(),
        &["ledger", "verify", "--file", file.to_str().expect("path")],
        None,
    );
    assert_eq!(verified.code, Some(0), "{verified:?}");

    // Bad input says which forms are accepted.
    let out = admin_cli(
        &sb,
        &coord.url,
        &["ledger", "export", "--since", "last tuesday"],
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("RFC 3339") && out.stderr.contains("2026-11-24"),
        "{out:?}"
    );

    // Balances name the accounts too.
    let out = admin_cli(&sb, &coord.url, &["credits", "balance", "--all"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("NAME"), "{out:?}");
    for line in [(&alice_acct, "alice-ci"), (&bob_acct, "bob-laptop")] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.contains(line.0.as_str()) && l.contains(line.1)),
            "{} is not shown with {}: {out:?}",
            line.0,
            line.1
        );
    }
    let out = admin_cli(&sb, &coord.url, &["--json", "credits", "balance", "--all"]);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let bob_json = list["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["id"] == bob_acct.as_str())
        .expect("bob's account");
    assert_eq!(bob_json["name"], "bob-laptop");
}
