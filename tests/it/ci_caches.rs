//! Task caches (`--cache NAME=PATH`, issue 17) end to end: a coordinator and an agent in
//! separate homes; tasks of one account share a cache, another account's task never sees it,
//! and two tasks saving one cache at once leave it whole, one of theirs.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::client::Client;
use edgecoder::api::{CacheSpec, Role, SubmitRequest, TaskState, TokenCreateRequest, TokenKind};
use std::time::Duration;

const WITHIN: Duration = Duration::from_secs(60);

async fn user(coord: &Coordinator, name: &str) -> Client {
    let created = coord
        .admin()
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            name: Some(name.into()),
            ..Default::default()
        })
        .await
        .expect("user token");
    coord.client(&created.token)
}

fn cached(text: &str) -> SubmitRequest {
    SubmitRequest {
        caches: vec![CacheSpec {
            name: "cargo".into(),
            path: "target".into(),
        }],
        max_attempts: Some(1),
        ..script(text)
    }
}

async fn run(client: &Client, admin: &Client, req: &SubmitRequest) -> String {
    let id = submit(client, req).await;
    let task = wait_done(admin, &id, WITHIN).await;
    let log = full_log(admin, &id).await;
    assert_eq!(task.state, TaskState::Succeeded, "{task:?}\n{log}");
    log
}

#[tokio::test]
async fn a_cache_is_restored_for_the_same_account_only() {
    let sb = Sandbox::new();
    let coord = fast_coordinator(&sb, "300ms");
    let admin = coord.admin();
    let _node = start_node(&coord, "cacher", &[("MAX_CONCURRENT_TASKS", "1")]).await;
    let (alice, bob) = (user(&coord, "alice").await, user(&coord, "bob").await);

    let first = run(
        &alice,
        &admin,
        &cached("mkdir -p target/deep && echo built-once > target/deep/x"),
    )
    .await;
    assert!(first.contains("cache cargo: nothing saved yet"), "{first}");
    assert!(first.contains("cache cargo: saved target"), "{first}");

    let second = run(&alice, &admin, &cached("cat target/deep/x")).await;
    assert!(second.contains("built-once"), "{second}");
    assert!(second.contains("cache cargo: restored target"), "{second}");

    let other = run(
        &bob,
        &admin,
        &cached("if [ -e target/deep/x ]; then echo LEAKED; else echo clean; fi"),
    )
    .await;
    assert!(
        other.contains("clean") && !other.contains("LEAKED"),
        "{other}"
    );

    // A task that fails does not save: the cache stays what the last success left.
    let failed = submit(&alice, &cached("echo broken > target/deep/x; exit 3")).await;
    assert_eq!(
        wait_done(&admin, &failed, WITHIN).await.state,
        TaskState::Failed
    );
    let after = run(&alice, &admin, &cached("cat target/deep/x")).await;
    assert!(
        after.contains("built-once") && !after.contains("broken"),
        "{after}"
    );
}

#[tokio::test]
async fn two_tasks_saving_one_cache_at_once_leave_one_whole() {
    let sb = Sandbox::new();
    let coord = fast_coordinator(&sb, "300ms");
    let admin = coord.admin();
    let _node = start_node(&coord, "racer", &[("MAX_CONCURRENT_TASKS", "2")]).await;
    let alice = user(&coord, "alice").await;
    // Both tasks wait for each other, so they surely run (and save) at the same time.
    let barrier = tempfile::tempdir().expect("barrier");
    let bar = barrier.path().display().to_string();
    let writer = |me: &str, other: &str| {
        cached(&format!(
            "mkdir -p target; i=0; while [ $i -lt 200 ]; do echo {me} > target/f$i; \
             i=$((i+1)); done; touch {bar}/{me}; \
             while [ ! -e {bar}/{other} ]; do sleep 0.02; done"
        ))
    };
    let a = submit(&alice, &writer("A", "B")).await;
    let b = submit(&alice, &writer("B", "A")).await;
    for id in [&a, &b] {
        let task = wait_done(&admin, id, WITHIN).await;
        assert_eq!(task.state, TaskState::Succeeded, "{task:?}");
    }
    let check = run(
        &alice,
        &admin,
        &cached("ls target | wc -l; cat target/* | sort | uniq -c"),
    )
    .await;
    let whole_a = check.contains("200 A") && !check.contains(" B\n");
    let whole_b = check.contains("200 B") && !check.contains(" A\n");
    assert!(
        check.lines().any(|l| l.trim() == "200"),
        "the cache lost files: {check}"
    );
    assert!(whole_a || whole_b, "the cache mixes both tasks: {check}");
}
