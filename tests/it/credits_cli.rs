//! The credits commands and their bad input against the real binary: every refusal is one clear
//! line with the right exit code and writes nothing; issuance over a short window.

use crate::common::*;
use crate::credits_common::*;
use edgecoder::api::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn balance_history_grant_and_transfer() {
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let admin = coord.admin();
    let alice = admin
        .create_token(&TokenCreateRequest {
            role: Some(Role::User),
            name: Some("alice".into()),
            ..Default::default()
        })
        .await
        .expect("token");
    let (_, bob) = user(&admin).await;
    let alice_acct = format!("user:{}", alice.info.id);
    let run = |token: &str, args: &[&str]| cli(&sb, &coord.url, token, args);

    let (code, out, err) = run(
        &admin_token(),
        &["server", "credits", "grant", &alice_acct, "2.5"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("granted 2.5 credits") && out.contains("102.5"),
        "{out}"
    );
    // The grant is in the audit log with the account's balance before and after.
    let audit = admin
        .audit(10, None, Some(&alice_acct))
        .await
        .expect("audit");
    let entry = audit
        .entries
        .iter()
        .find(|e| e.action == "credits.grant")
        .expect("a credits.grant audit entry");
    assert_eq!(entry.before.as_ref().expect("before")["balance"], 100_000);
    assert_eq!(entry.after.as_ref().expect("after")["balance"], 102_500);

    let (code, out, _) = run(
        &alice.token,
        &["server", "credits", "transfer", &bob, "0.75"],
    );
    assert_eq!(code, Some(0));
    assert!(out.contains("101.75"), "{out}");
    let (code, out, _) = run(&alice.token, &["server", "--json", "credits", "balance"]);
    assert_eq!(code, Some(0));
    let me: Account = serde_json::from_str(&out).expect("account json");
    assert_eq!((me.id.as_str(), me.balance), (alice_acct.as_str(), 101_750));
    let (code, out, _) = run(&alice.token, &["server", "credits", "history"]);
    assert_eq!(code, Some(0));
    for needle in ["grant", "transfer", "-0.75", "2.5"] {
        assert!(out.contains(needle), "history lacks {needle}: {out}");
    }
    // A user sees only its own account; an admin sees all.
    let (code, _, err) = run(&alice.token, &["server", "credits", "balance", &bob]);
    assert_eq!(code, Some(3), "{err}");
    let (code, out, _) = run(&admin_token(), &["server", "credits", "balance", "--all"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("treasury") && out.contains(&bob) && out.contains(&alice_acct));
    assert_cache_matches_entries(&sb);
}

fn admin_token() -> String {
    ADMIN_TOKEN.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_amounts_unknown_accounts_and_missing_roles_write_nothing() {
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let admin = coord.admin();
    let (alice, alice_acct) = user(&admin).await;
    let other_token = {
        let t = admin
            .create_token(&TokenCreateRequest {
                role: Some(Role::User),
                ..Default::default()
            })
            .await
            .expect("token");
        t.token
    };
    let before = entries(&admin).await;
    let run = |token: &str, args: &[&str]| cli(&sb, &coord.url, token, args);

    // The CLI refuses bad amounts before sending anything (usage, exit 2).
    for (amount, why) in [
        ("-5", "negative"),
        ("1.2345", "more than 3 decimals"),
        ("99999999999999999", "too large"),
        ("ten", "not a number"),
        ("0", "more than 0"),
    ] {
        let (code, _, err) = run(
            ADMIN_TOKEN,
            &["server", "credits", "grant", &alice_acct, amount],
        );
        assert_eq!(code, Some(2), "{amount}: {err}");
        assert!(
            err.contains(why) && err.lines().count() == 1,
            "{amount}: {err}"
        );
    }
    // The API refuses them too.
    let bad = admin
        .grant(&GrantRequest {
            account: alice_acct.clone(),
            amount: -1,
        })
        .await;
    assert_api_error(bad, 400, "bad_request");
    // An amount past what an account can hold is refused (the treasury would underflow).
    let huge = admin
        .grant(&GrantRequest {
            account: alice_acct.clone(),
            amount: i64::MAX,
        })
        .await;
    assert_api_error(huge, 409, "amount_overflow");
    // Unknown and malformed accounts.
    let (code, _, err) = run(
        &other_token,
        &["server", "credits", "transfer", "user:tok0000000000", "1"],
    );
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("no account"), "{err}");
    let (code, _, err) = run(&other_token, &["server", "credits", "transfer", "bob", "1"]);
    assert_eq!(code, Some(2), "{err}");
    // More than the balance.
    let short = alice
        .transfer(&TransferRequest {
            to: "treasury".into(),
            amount: 100_001,
            from: None,
        })
        .await;
    assert_api_error(short, 402, "insufficient_credits");
    // Spending someone else's account.
    let theirs = alice
        .transfer(&TransferRequest {
            to: alice_acct.clone(),
            amount: 1,
            from: Some("treasury".into()),
        })
        .await;
    assert_api_error(theirs, 403, "forbidden");
    // A grant needs the admin role.
    let (code, _, err) = run(
        &other_token,
        &["server", "credits", "grant", &alice_acct, "5"],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("admin"), "{err}");

    assert_eq!(entries(&admin).await, before, "nothing was written");
    assert!(admin.ledger_verify().await.expect("verify").ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuance_splits_each_window_among_contributors() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(
        &sb,
        coordinator_with(&[
            ("EDGECODER_CREDITS_ISSUANCE_WINDOW", "1s"),
            ("EDGECODER_CREDITS_ISSUANCE_AMOUNT", "10"),
        ]),
    );
    let admin = coord.admin();
    let (node, node_id) = enroll_as(&admin, "n1", &[], caps(4096, 0), true).await;
    let id = admin.submit(&task(30)).await.expect("submit").task.id;
    succeed_next(&node, &id).await;
    let acct = format!("node:{node_id}");
    let issued = eventually(Duration::from_secs(20), || async {
        entries(&admin)
            .await
            .into_iter()
            .find(|e| e.kind == "issue")
    })
    .await;
    assert_eq!(issued.account, acct, "the only contributor gets it all");
    assert_eq!(issued.amount, 10_000);
    assert_eq!(issued.actor.as_deref(), Some("coordinator"));
    // Windows with no work issue nothing.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let issues = entries(&admin)
        .await
        .into_iter()
        .filter(|e| e.kind == "issue")
        .count();
    assert_eq!(issues, 1);
    let n = account(&admin, &acct).await;
    assert!(n.earned > 10_000, "{n:?}");
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contribution_first_gate_asks_net_spenders_to_contribute() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(
        &sb,
        coordinator_with(&[
            ("EDGECODER_CREDITS_CONTRIBUTION_FIRST", "true"),
            ("EDGECODER_CREDITS_BURST_ALLOWANCE", "100"),
            ("EDGECODER_CREDITS_NEW_TOKEN_GRANT", "100.005"),
        ]),
    );
    let admin = coord.admin();
    let (user_client, _) = user(&admin).await;
    let (node, _) = enroll_as(&admin, "n1", &[], caps(4096, 0), true).await;
    // First task: allowed (nothing spent yet); it settles for the minimum and more.
    let id = user_client.submit(&task(5)).await.expect("submit").task.id;
    succeed_next(&node, &id).await;
    // Now it has spent more than it earned and holds under 100 credits: refused.
    let refused = user_client.submit(&task(5)).await;
    assert_api_error(refused, 402, "contribute_first");
}
