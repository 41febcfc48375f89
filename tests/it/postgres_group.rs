//! Two coordinators on one PostgreSQL database (the start of issue 19's group): what one
//! writes, a client of the other sees, live.

use crate::common::*;
use edgecoder::api::{Outcome, SubmitRequest};
use std::time::Duration;

/// Two coordinators on the database at `url`, holding the same keys (the group's, see the last
/// test), each with a data dir of its own.
fn pair(url: &str) -> (Sandbox, Coordinator, Sandbox, Coordinator) {
    let (sa, sb) = (Sandbox::new(), Sandbox::new());
    let coordinator_on = |url: &str| {
        let mut options = coordinator_on(url);
        options
            .env
            .push(("EDGECODER_ACCEPT_WINDOW".into(), "1s".into()));
        options
    };
    let a = Coordinator::start_with(&sa, coordinator_on(url));
    give_keys(&sa, &sb);
    let b = Coordinator::start_with(&sb, coordinator_on(url));
    (sa, a, sb, b)
}

/// Copies the group's key files from one member's data dir into another's.
pub fn give_keys(from: &Sandbox, to: &Sandbox) {
    std::fs::create_dir_all(to.data_dir()).expect("a data dir");
    for key in ["ledger-signing.key", "task-secrets.key"] {
        std::fs::copy(from.data_dir().join(key), to.data_dir().join(key)).expect("copy a key");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_written_through_one_coordinator_reaches_a_follower_of_the_other() {
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a database");
    let (_sa, a, _sb, b) = pair(&url);

    let resp = http()
        .get(format!("{}/api/v1/events", b.url))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("follow B's events");
    assert_eq!(resp.status(), 200);
    let mut follower = SseReader::new(resp);
    let task = a
        .admin()
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit through A")
        .task;
    // B wrote nothing, so only the database can tell it (its listener's notification, or at
    // worst the stream's own re-read every 2 s); a follower waits no longer than that.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    let seen = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let event = follower.next(left).await.expect("B's stream stays open");
        if event.json()["task_id"] == task.id.as_str() {
            break event;
        }
    };
    assert_eq!(seen.event, "task.submitted", "{}", seen.data);

    // A node that long-polls B is given the task A accepted, and its completion through B is
    // what A reports.
    let (node, _) = enroll_node(&b.admin(), "group-node").await;
    let _beat = Heartbeat::start(&node);
    let claimed = crate::coding_common::claim_and_start(&node).await;
    assert_eq!(claimed.task.id, task.id);
    node.complete(
        &claimed.task.id,
        &complete_req(&claimed.lease.lease_id, Outcome::Succeeded, None),
    )
    .await
    .expect("complete through B");
    let through_a = a.admin().task(&task.id).await.expect("the task through A");
    assert_eq!(through_a.state, edgecoder::api::TaskState::Succeeded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_an_admin_changes_through_one_coordinator_holds_on_the_other() {
    use edgecoder::api::{BlacklistAdd, Role, TokenCreateRequest};
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a database");
    let (_sa, a, _sb, b) = pair(&url);

    // A user's token, used (and so cached) on B, revoked through A: B refuses it soon after.
    let created = a
        .admin()
        .create_token(&TokenCreateRequest {
            role: Some(Role::User),
            name: Some("short-lived".into()),
            ..Default::default()
        })
        .await
        .expect("a user token");
    let user_on_b = b.client(&created.token);
    user_on_b.whoami().await.expect("valid on B");
    a.admin()
        .revoke_token(&created.info.id)
        .await
        .expect("revoke through A");
    eventually(Duration::from_secs(5), || async {
        let refused = user_on_b.whoami().await.err()?;
        (refused.status() == Some(401)).then_some(())
    })
    .await;

    // An address blacklisted through A: B refuses the nodes connecting from it.
    let (node, _) = enroll_node(&b.admin(), "doomed-node").await;
    node.claim(Duration::from_millis(10))
        .await
        .expect("claims are taken before");
    a.admin()
        .blacklist_add(&BlacklistAdd {
            node_id: None,
            address: Some("127.0.0.1".into()),
            reason: "test".into(),
        })
        .await
        .expect("blacklist through A");
    eventually(Duration::from_secs(5), || async {
        let refused = node.claim(Duration::from_millis(10)).await.err()?;
        (refused.status() == Some(403)).then_some(())
    })
    .await;
}

#[test]
fn a_coordinator_with_other_keys_is_refused_by_the_group() {
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a database");
    let (sa, sb) = (Sandbox::new(), Sandbox::new());
    let _a = Coordinator::start_with(&sa, coordinator_on(&url));
    // B makes keys of its own in its empty data dir.
    let refused = Coordinator::try_start(&sb, coordinator_on(&url))
        .err()
        .expect("B is refused");
    assert!(
        refused.contains("ledger-signing.key") && refused.contains("copy"),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_sweeping_coordinator_dies_another_sweeps() {
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a database");
    let (_sa, mut a, _sb, mut b) = pair(&url);
    let db = postgres_at(&url);
    let live = || query_i64(&db, "SELECT COUNT(*) FROM coordinators");
    eventually(Duration::from_secs(10), || async {
        (live() == 2).then_some(())
    })
    .await;
    let leader: String = db
        .query_row("SELECT MIN(id) FROM coordinators", [], |r| r.get(0))
        .expect("the leader");
    let joined = |c: &Coordinator| (c.stdout() + &c.stderr()).contains(&format!("as {leader}"));
    let (dead, survivor) = if joined(&a) {
        (&mut a, &b)
    } else {
        (&mut b, &a)
    };
    dead.signal(libc::SIGKILL);
    assert_eq!(dead.wait_exit(Duration::from_secs(10)), None, "killed");

    // A node takes a task through the survivor and never starts it: only a sweep gives it
    // back, and the one that swept is gone.
    let admin = survivor.admin();
    let (node, _) = enroll_node(&admin, "slow-node").await;
    let _beat = Heartbeat::start(&node);
    let task = admin
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit")
        .task;
    let claimed = eventually(Duration::from_secs(10), || async {
        node.claim(Duration::from_secs(1)).await.ok()?.claimed
    })
    .await;
    assert_eq!(claimed.task.id, task.id);
    eventually(Duration::from_secs(20), || async {
        let now = admin.task(&task.id).await.ok()?;
        (now.state == edgecoder::api::TaskState::Queued).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_plane_serves_operators_and_sends_agents_elsewhere() {
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a database");
    let (sa, coordinator, _sb, _b) = pair(&url);

    // On SQLite there is no group to be the control plane of.
    let alone = Sandbox::new();
    let refused = Coordinator::try_start(
        &alone,
        CoordinatorOptions {
            args: [
                "--port",
                "0",
                "--mode",
                "control-plane",
                "--database",
                "sqlite",
            ]
            .map(String::from)
            .to_vec(),
            ..Default::default()
        },
    )
    .err()
    .expect("refused on SQLite");
    assert!(refused.contains("PostgreSQL"), "{refused}");

    let mut options = coordinator_on(&url);
    options.args[3] = "control-plane".into();
    let sc = Sandbox::new();
    give_keys(&sa, &sc);
    let control = Coordinator::start_with(&sc, options);
    assert!(
        control.stdout().contains("mode:     control-plane"),
        "{}",
        control.stdout()
    );

    // An agent enrolled through a coordinator is refused by the control plane with where to go…
    let (node, node_id) = enroll_node(&coordinator.admin(), "a-node").await;
    let through_control = node
        .pointed_at(&control.url)
        .expect("the node's client, pointed at the control plane");
    let refused = through_control
        .claim(Duration::from_millis(10))
        .await
        .expect_err("no work from the control plane");
    assert_eq!(refused.status(), Some(409), "{refused}");
    assert!(
        refused.to_string().contains("--mode coordinator"),
        "{refused}"
    );

    // …while an operator drains it there, and the coordinator hands it nothing.
    control
        .admin()
        .drain_node(&node_id, None)
        .await
        .expect("an operator route on the control plane");
    let task = coordinator
        .admin()
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("submit")
        .task;
    let offered = node.claim(Duration::from_millis(500)).await.expect("claim");
    assert!(
        offered.claimed.is_none(),
        "a drained node was given {}",
        task.id
    );
}
