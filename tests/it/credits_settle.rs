//! Credits against the real binary: holds on submit, settlement on completion with exact integer
//! arithmetic, releases, retries, failures, fencing, concurrency, and `--free`.

use crate::common::*;
use crate::credits_common::*;
use edgecoder::api::*;
use std::time::Duration;

/// 1 credit per CPU-second, 10 % fee, minimum 0.005, new tokens get 100 credits.
fn priced() -> CoordinatorOptions {
    coordinator_with(&[
        ("EDGECODER_CREDITS_PER_CPU_SECOND", "1"),
        ("EDGECODER_CREDITS_PER_GPU_SECOND", "4"),
        ("EDGECODER_CREDITS_MIN_PER_TASK", "0.005"),
        ("COORDINATOR_FEE_BPS", "1000"),
        ("EDGECODER_CREDITS_NEW_TOKEN_GRANT", "100"),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submitting_holds_the_worst_case_and_a_short_balance_is_refused() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(
        &sb,
        coordinator_with(&[("EDGECODER_CREDITS_NEW_TOKEN_GRANT", "1")]),
    );
    let admin = coord.admin();
    let (user, acct) = user(&admin).await;
    assert_eq!(
        account(&user, "me").await.balance,
        1000,
        "the new-token grant"
    );

    // Nothing queued, no node online: load 0.8; 1000 s × 1 milli/s × 0.8 = 800 milli.
    let first = user.submit(&task(1000)).await.expect("first submit");
    let charge = user.task_charge(&first.task.id).await.expect("charge");
    assert_eq!(
        (charge.state.as_str(), charge.account.as_str()),
        ("held", acct.as_str())
    );
    assert_eq!(
        charge.hold,
        expected_charge(1_000_000, 1, charge.multiplier_bps, 10, i64::MAX)
    );
    let a = account(&user, "me").await;
    assert_eq!((a.balance, a.held), (1000 - charge.hold, charge.hold));

    let before = entries(&admin).await.len();
    let refused = user.submit(&task(1000)).await;
    assert_api_error(refused, 402, "insufficient_credits");
    assert_eq!(
        entries(&admin).await.len(),
        before,
        "a refusal writes no entry"
    );
    let tasks = admin.tasks("limit=100").await.expect("tasks").tasks;
    assert_eq!(tasks.len(), 1, "a refused submission leaves no task behind");

    // A quote says what a submission would hold before it is made.
    let (code, out, err) = {
        let created = admin
            .create_token(&TokenCreateRequest {
                role: Some(Role::User),
                ..Default::default()
            })
            .await
            .expect("token");
        cli(
            &sb,
            &coord.url,
            &created.token,
            &[
                "server",
                "credits",
                "quote",
                "--timeout",
                "1000s",
                "--",
                "make",
            ],
        )
    };
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("hold ") && out.contains("enough"), "{out}");

    // The admin token pays from the treasury, which may go below zero: a fresh coordinator works.
    let by_admin = admin.submit(&task(1000)).await.expect("admin submit");
    let c = admin.task_charge(&by_admin.task.id).await.expect("charge");
    assert_eq!(c.account, "treasury");
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_settles_on_measured_time_with_exact_integers() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, priced());
    let admin = coord.admin();
    let (user, acct) = user(&admin).await;
    let (node, node_id) = enroll_as(&admin, "n1", &[], caps(4096, 0), true).await;
    let _hb = Heartbeat::start(&node);

    let submitted = user.submit(&task(60)).await.expect("submit");
    let id = submitted.task.id.clone();
    let claimed = claim_now(&node).await.expect("claimed");
    node.start(&id, &claimed.lease.lease_id)
        .await
        .expect("start");
    // Long enough that the coordinator saw more wall time than the reported CPU time / 2 CPUs.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let mut done = complete_req(&claimed.lease.lease_id, Outcome::Succeeded, None);
    done.cpu_ms = Some(1234);
    node.complete(&id, &done).await.expect("complete");

    let c = user.task_charge(&id).await.expect("charge");
    assert_eq!(c.state, "settled");
    assert_eq!(c.node_id.as_deref(), Some(node_id.as_str()));
    assert_eq!(c.billable_ms, Some(1234), "the reported CPU time is billed");
    let charged = expected_charge(1234, 1000, c.multiplier_bps, 5, c.hold);
    let fee = charged * 1000 / 10_000;
    assert_eq!((c.charged, c.fee), (Some(charged), Some(fee)));
    assert!(charged < c.hold, "the hold is the worst case");

    let u = account(&user, "me").await;
    assert_eq!(
        (u.balance, u.held, u.spent),
        (100_000 - charged, 0, charged)
    );
    let n = account(&admin, &format!("node:{node_id}")).await;
    assert_eq!((n.balance, n.earned), (charged - fee, charged - fee));
    let t = account(&admin, "treasury").await;
    assert_eq!(t.balance, -100_000 + fee, "grant out, fee in");

    let mine: Vec<(String, String, i64)> = entries(&admin)
        .await
        .into_iter()
        .filter(|e| e.task_id.as_deref() == Some(id.as_str()))
        .map(|e| (e.kind, e.account, e.amount))
        .collect();
    let node_acct = format!("node:{node_id}");
    assert_eq!(
        mine,
        vec![
            ("hold".into(), acct.clone(), -c.hold),
            ("release".into(), acct.clone(), c.hold),
            ("settle".into(), acct.clone(), -charged),
            ("earn".into(), node_acct, charged - fee),
            ("fee".into(), "treasury".into(), fee),
        ]
    );
    let verdict = admin.ledger_verify().await.expect("verify");
    assert!(verdict.ok, "{verdict:?}");
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_releases_retries_pay_once_and_failures_earn_nothing() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, priced());
    let admin = coord.admin();
    let (user, _) = user(&admin).await;

    // Cancelled while queued: the whole hold comes back.
    let queued = user.submit(&task(30)).await.expect("submit");
    user.cancel(&queued.task.id).await.expect("cancel");
    let c = user.task_charge(&queued.task.id).await.expect("charge");
    assert_eq!(c.state, "released");
    let u = account(&user, "me").await;
    assert_eq!((u.balance, u.held, u.spent), (100_000, 0, 0));

    let (node, node_id) = enroll_as(&admin, "n1", &[], caps(4096, 0), true).await;
    let _hb = Heartbeat::start(&node);
    let node_acct = format!("node:{node_id}");

    // Fails once, then succeeds: one hold, one settlement, paid once.
    let mut req = task(30);
    req.max_attempts = Some(2);
    let retried = user.submit(&req).await.expect("submit");
    let id = retried.task.id.clone();
    let first = claim_now(&node).await.expect("claim");
    node.start(&id, &first.lease.lease_id).await.expect("start");
    node.complete(
        &id,
        &complete_req(&first.lease.lease_id, Outcome::Failed, Some("boom")),
    )
    .await
    .expect("fail");
    assert_eq!(
        account(&admin, &node_acct).await.earned,
        0,
        "a failed attempt earns nothing"
    );
    let second = eventually(Duration::from_secs(20), || async { claim_now(&node).await }).await;
    assert_eq!(second.lease.attempt, 2);
    node.start(&id, &second.lease.lease_id)
        .await
        .expect("start");
    node.complete(
        &id,
        &complete_req(&second.lease.lease_id, Outcome::Succeeded, None),
    )
    .await
    .expect("succeed");
    let kinds: Vec<String> = entries(&admin)
        .await
        .into_iter()
        .filter(|e| e.task_id.as_deref() == Some(id.as_str()))
        .map(|e| e.kind)
        // (The minimum charge's 10 % fee rounds down to 0, and zero entries are not written.)
        .filter(|k| k != "fee")
        .collect();
    assert_eq!(kinds, ["hold", "release", "settle", "earn"], "charged once");
    let c = user.task_charge(&id).await.expect("charge");
    let paid = c.charged.expect("charged") - c.fee.expect("fee");
    assert_eq!(account(&admin, &node_acct).await.earned, paid);

    // Fails on its only attempt: released in full, the node earns nothing more.
    let mut req = task(30);
    req.max_attempts = Some(1);
    let failing = user.submit(&req).await.expect("submit");
    let a = claim_now(&node).await.expect("claim");
    node.start(&failing.task.id, &a.lease.lease_id)
        .await
        .expect("start");
    node.complete(
        &failing.task.id,
        &complete_req(&a.lease.lease_id, Outcome::Failed, Some("exit 1")),
    )
    .await
    .expect("fail");
    let c = user.task_charge(&failing.task.id).await.expect("charge");
    assert_eq!((c.state.as_str(), c.charged), ("released", None));
    assert_eq!(account(&admin, &node_acct).await.earned, paid);
    let u = account(&user, "me").await;
    assert_eq!(u.held, 0);
    assert_eq!(u.balance, 100_000 - u.spent);
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_holder_of_the_live_lease_is_paid() {
    let sb = Sandbox::new();
    let mut opts = fast();
    opts.env.push(("COORDINATOR_FEE_BPS".into(), "1000".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let (user, _) = user(&admin).await;
    let (a, a_id) = enroll_as(&admin, "a", &[], caps(4096, 0), true).await;
    let (b, b_id) = enroll_as(&admin, "b", &[], caps(4096, 0), true).await;
    let _ha = Heartbeat::start(&a);
    let _hb = Heartbeat::start(&b);

    let id = user.submit(&task(30)).await.expect("submit").task.id;
    // A claims and never accepts: the task goes back and B runs it.
    let stale = claim_now(&a).await.expect("a claims");
    let fresh = eventually(Duration::from_secs(20), || async { claim_now(&b).await }).await;
    b.start(&id, &fresh.lease.lease_id).await.expect("start");
    b.complete(
        &id,
        &complete_req(&fresh.lease.lease_id, Outcome::Succeeded, None),
    )
    .await
    .expect("b completes");
    let late = a
        .complete(
            &id,
            &complete_req(&stale.lease.lease_id, Outcome::Succeeded, None),
        )
        .await;
    assert_api_error(late, 409, "stale_lease");
    let c = user.task_charge(&id).await.expect("charge");
    assert_eq!(c.node_id.as_deref(), Some(b_id.as_str()));
    assert_eq!(account(&admin, &format!("node:{a_id}")).await.earned, 0);
    assert!(account(&admin, &format!("node:{b_id}")).await.earned > 0);
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submits_and_completions_never_double_spend() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(
        &sb,
        coordinator_with(&[("EDGECODER_CREDITS_NEW_TOKEN_GRANT", "10")]),
    );
    let admin = coord.admin();
    let (user, _) = user(&admin).await;
    // Each hold is 500–1000 milli (500 s at 1 milli/s × load 1.0–1.6, or 0.8 → 400): at most
    // 25 of 60 fit in 10 credits.
    let mut handles = Vec::new();
    for _ in 0..60 {
        let user = user.clone();
        handles.push(tokio::spawn(async move { user.submit(&task(500)).await }));
    }
    let mut accepted = Vec::new();
    for h in handles {
        match h.await.expect("join") {
            Ok(r) => accepted.push(r.task.id),
            Err(e) => assert_eq!(e.code(), Some("insufficient_credits"), "{e}"),
        }
    }
    assert!(
        !accepted.is_empty() && accepted.len() < 60,
        "{}",
        accepted.len()
    );
    let mut held = 0;
    for id in &accepted {
        held += user.task_charge(id).await.expect("charge").hold;
    }
    let u = account(&user, "me").await;
    assert!(u.balance >= 0, "{u:?}");
    assert_eq!((u.balance, u.held), (10_000 - held, held));
    assert_eq!(
        admin.tasks("limit=1000").await.expect("tasks").tasks.len(),
        accepted.len(),
        "no task without a hold, no hold without a task"
    );

    // Several nodes complete them all at once.
    let mut workers = Vec::new();
    for i in 0..4 {
        let (node, _) = enroll_as(&admin, &format!("n{i}"), &[], caps(4096, 0), true).await;
        workers.push(tokio::spawn(async move {
            let _hb = Heartbeat::start(&node);
            let mut done = 0;
            while let Some(c) = claim_now(&node).await {
                let id = c.task.id.clone();
                node.start(&id, &c.lease.lease_id).await.expect("start");
                let mut req = complete_req(&c.lease.lease_id, Outcome::Succeeded, None);
                req.cpu_ms = Some(3);
                node.complete(&id, &req).await.expect("complete");
                done += 1;
            }
            done
        }));
    }
    let mut completed = 0;
    for w in workers {
        completed += w.await.expect("join");
    }
    assert_eq!(completed, accepted.len());
    let mut charged = 0;
    let mut fees = 0;
    for id in &accepted {
        let c = user.task_charge(id).await.expect("charge");
        assert_eq!(c.state, "settled");
        charged += c.charged.expect("charged");
        fees += c.fee.expect("fee");
    }
    let u = account(&user, "me").await;
    assert_eq!((u.balance, u.held, u.spent), (10_000 - charged, 0, charged));
    let all = admin.credit_accounts().await.expect("accounts").accounts;
    let earned: i64 = all
        .iter()
        .filter(|a| a.kind == "node")
        .map(|a| a.earned)
        .sum();
    assert_eq!(
        earned + fees,
        charged,
        "every milli-credit paid went somewhere"
    );
    let total: i64 = all.iter().map(|a| a.balance).sum();
    assert_eq!(total, 0, "no credits were made or lost (no issuance ran)");
    assert!(admin.ledger_verify().await.expect("verify").ok);
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_mode_holds_and_grants_nothing() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.args.push("--free".into());
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let (user, _) = user(&admin).await;
    let (node, _) = enroll_as(&admin, "n1", &[], caps(4096, 0), true).await;
    let id = user.submit(&task(100_000)).await.expect("submit").task.id;
    succeed_next(&node, &id).await;
    assert!(entries(&admin).await.is_empty(), "no ledger activity");
    assert_api_error(user.task_charge(&id).await, 404, "not_found");
    let q = user.quote(&task(100)).await.expect("quote");
    assert!(!q.pricing && q.hold == 0, "{q:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gpu_task_pays_the_gpu_rate_for_its_wall_time() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, priced());
    let admin = coord.admin();
    let (user, _) = user(&admin).await;
    let (node, _) = enroll_as(&admin, "gpu", &[], caps(4096, 1), true).await;
    let _hb = Heartbeat::start(&node);
    let mut req = task(10);
    req.requirements.gpu = true;
    let id = user.submit(&req).await.expect("submit").task.id;
    let held = user.task_charge(&id).await.expect("charge");
    assert!(held.gpu);
    assert_eq!(held.rate_per_second, 4000, "4 credits per GPU-second");
    assert_eq!(
        held.hold,
        expected_charge(10_000, 4000, held.multiplier_bps, 5, i64::MAX)
    );
    let c = claim_now(&node).await.expect("claim");
    node.start(&id, &c.lease.lease_id).await.expect("start");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut done = complete_req(&c.lease.lease_id, Outcome::Succeeded, None);
    done.duration_ms = Some(1000);
    done.cpu_ms = Some(5);
    node.complete(&id, &done).await.expect("complete");
    let c = user.task_charge(&id).await.expect("charge");
    assert_eq!(c.billable_ms, Some(1000), "wall time, not CPU time");
    assert_eq!(
        c.charged,
        Some(expected_charge(1000, 4000, c.multiplier_bps, 5, c.hold))
    );
    // A node cannot bill more time than the coordinator saw.
    let id = user.submit(&req).await.expect("submit").task.id;
    let c = claim_now(&node).await.expect("claim");
    node.start(&id, &c.lease.lease_id).await.expect("start");
    let mut inflated = complete_req(&c.lease.lease_id, Outcome::Succeeded, None);
    inflated.duration_ms = Some(9_000);
    node.complete(&id, &inflated).await.expect("complete");
    let c = user.task_charge(&id).await.expect("charge");
    assert!(c.billable_ms.is_some_and(|ms| ms < 9_000), "{c:?}");
    assert_cache_matches_entries(&sb);
}
