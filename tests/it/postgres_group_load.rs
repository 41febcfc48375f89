//! Three coordinators on one PostgreSQL behind a round-robin proxy, twelve simulated agents
//! spread over them, 2,000 tasks with pricing on, one coordinator killed with SIGKILL mid-run
//! and started again: every accepted task ends exactly once, idempotent resubmissions make one
//! task, the ledger verifies with one settlement per task, credits are conserved, and an event
//! follower hopping between coordinators sees the events table's ids, no gap, no duplicate.

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::{Outcome, SubmitRequest};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

const TASKS: usize = 2000;
const AGENTS: usize = 12;

/// Each new connection goes to the next coordinator that takes it, as a layer-4 balancer does.
async fn round_robin_proxy(backends: Vec<SocketAddr>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
    let addr = listener.local_addr().expect("proxy address");
    tokio::spawn(async move {
        let mut next = 0usize;
        while let Ok((mut inbound, _)) = listener.accept().await {
            let backends = backends.clone();
            let first = next;
            next += 1;
            tokio::spawn(async move {
                for i in 0..backends.len() {
                    let backend = backends[(first + i) % backends.len()];
                    if let Ok(mut outbound) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn address_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .parse()
        .expect("a loopback address")
}

/// A coordinator of the group, pricing on, on `port` (0: any).
fn member(url: &str, port: u16) -> CoordinatorOptions {
    let mut options = coordinator_on(url);
    options.args.retain(|a| a != "--free");
    options.args[1] = port.to_string();
    options.env = vec![
        ("EDGECODER_ACCEPT_WINDOW".into(), "1s".into()),
        ("EDGECODER_CLAIM_WAIT".into(), "1s".into()),
    ];
    options
}

async fn agent(node: Client, done: Arc<AtomicBool>) {
    let mut beat = tokio::time::Instant::now();
    while !done.load(Ordering::Relaxed) {
        if beat.elapsed() > Duration::from_millis(500) {
            let _ = node.heartbeat(&Default::default()).await;
            beat = tokio::time::Instant::now();
        }
        let claimed = match node.claim(Duration::from_millis(500)).await {
            Ok(answer) => answer.claimed,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(claimed) = claimed else { continue };
        let (task, lease) = (&claimed.task.id, &claimed.lease.lease_id);
        // A lease lost with a coordinator is the queue's to hand out again; errors are retried
        // by the next claim, as a real agent's are.
        if node.start(task, lease).await.is_ok() {
            let _ = node
                .complete(task, &complete_req(lease, Outcome::Succeeded, None))
                .await;
        }
    }
}

async fn submitter(admin: Client, keys: std::ops::Range<usize>) -> Vec<String> {
    let mut ids = Vec::new();
    for key in keys {
        let mut req = SubmitRequest::argv(vec!["true".into()]);
        req.idempotency_key = Some(format!("load-{key}"));
        // Every tenth key is sent twice: the second answer must be the first task.
        let sends = if key % 10 == 0 { 2 } else { 1 };
        let mut first: Option<String> = None;
        for _ in 0..sends {
            let id = loop {
                match admin.submit(&req).await {
                    Ok(answer) => break answer.task.id,
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            };
            if let Some(first) = &first {
                assert_eq!(first, &id, "a resubmitted key made a second task");
            }
            first = Some(id);
        }
        ids.extend(first);
    }
    ids
}

/// Follows the event stream, reconnecting with `Last-Event-ID` to another coordinator after
/// every few events (or when one is down), until `done` and caught up with `newest`.
async fn hopping_follower(
    urls: Vec<String>,
    done: Arc<AtomicBool>,
    newest: Arc<Mutex<i64>>,
) -> Vec<i64> {
    let mut seen: Vec<i64> = Vec::new();
    let mut hop = 0usize;
    loop {
        let last = seen.last().copied().unwrap_or(0);
        if done.load(Ordering::Relaxed) && newest.lock().map(|n| last >= *n).unwrap_or(false) {
            return seen;
        }
        hop += 1;
        let url = &urls[hop % urls.len()];
        let request = http()
            .get(format!("{url}/api/v1/events"))
            .bearer_auth(ADMIN_TOKEN)
            .header("last-event-id", last.to_string());
        let Ok(resp) = request.send().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        if resp.status() != 200 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        let mut stream = SseReader::new(resp);
        for _ in 0..7 {
            let next =
                tokio::time::timeout(Duration::from_secs(2), stream.next(Duration::from_secs(3)))
                    .await;
            match next {
                Ok(Some(event)) => {
                    if let Some(id) = event.id {
                        seen.push(id);
                    }
                }
                _ => break,
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_coordinators_a_kill_and_a_restart_lose_and_repeat_nothing() {
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a database");
    let db = postgres_at(&url);
    let sandboxes = [Sandbox::new(), Sandbox::new(), Sandbox::new()];
    let first = Coordinator::start_with(&sandboxes[0], member(&url, 0));
    for sb in &sandboxes[1..] {
        crate::postgres_group::give_keys(&sandboxes[0], sb);
    }
    let mut group = [
        first,
        Coordinator::start_with(&sandboxes[1], member(&url, 0)),
        Coordinator::start_with(&sandboxes[2], member(&url, 0)),
    ];
    let urls: Vec<String> = group.iter().map(|c| c.url.clone()).collect();
    let proxy = round_robin_proxy(urls.iter().map(|u| address_of(u)).collect()).await;
    let through_proxy = format!("http://{proxy}");
    let admin = Client::new(&through_proxy, Some(ADMIN_TOKEN.into())).expect("client");

    let done = Arc::new(AtomicBool::new(false));
    let newest = Arc::new(Mutex::new(i64::MAX));
    let follower = tokio::spawn(hopping_follower(urls.clone(), done.clone(), newest.clone()));
    let mut agents = Vec::new();
    for i in 0..AGENTS {
        let (node, _) = enroll_node(&admin, &format!("agent-{i}")).await;
        agents.push(tokio::spawn(agent(node, done.clone())));
    }
    let per = TASKS / 4;
    let submitters: Vec<_> = (0..4)
        .map(|s| tokio::spawn(submitter(admin.clone(), s * per..(s + 1) * per)))
        .collect();

    // A third of the way, the second coordinator is killed outright, then started again on
    // its port (the proxy knows it by address).
    eventually(Duration::from_secs(120), || async {
        (query_i64(&db, "SELECT COUNT(*) FROM tasks WHERE state = 'succeeded'") >= 600)
            .then_some(())
    })
    .await;
    let port = address_of(&urls[1]).port();
    group[1].signal(libc::SIGKILL);
    assert_eq!(
        group[1].wait_exit(Duration::from_secs(10)),
        None,
        "killed by the signal"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    group[1] = Coordinator::start_with(&sandboxes[1], member(&url, port));
    // Restarted while the others run, it leaves the fleet's leases as they are.
    eventually(Duration::from_secs(10), || async {
        let restarted = &group[1];
        (restarted.stdout() + &restarted.stderr())
            .contains("leases are left as they are")
            .then_some(())
    })
    .await;

    let mut accepted = std::collections::BTreeSet::new();
    for s in submitters {
        accepted.extend(s.await.expect("submitter"));
    }
    assert_eq!(accepted.len(), TASKS, "one task per key");
    eventually(Duration::from_secs(180), || async {
        (query_i64(&db, "SELECT COUNT(*) FROM tasks WHERE state = 'succeeded'") == TASKS as i64)
            .then_some(())
    })
    .await;
    done.store(true, Ordering::Relaxed);
    for a in agents {
        a.await.expect("agent");
    }
    *newest.lock().expect("lock") = query_i64(&db, "SELECT COALESCE(MAX(id), 0) FROM events");
    let followed = follower.await.expect("follower");

    assert_eq!(query_i64(&db, "SELECT COUNT(*) FROM tasks"), TASKS as i64);
    assert_eq!(
        query_i64(
            &db,
            "SELECT COUNT(*) FROM (SELECT task_id FROM attempts WHERE outcome = 'succeeded' \
             GROUP BY task_id HAVING COUNT(*) > 1) twice"
        ),
        0,
        "no task completed twice"
    );
    assert_eq!(
        query_i64(&db, "SELECT COUNT(*) FROM leases"),
        0,
        "no lease left live"
    );
    assert_eq!(
        query_i64(
            &db,
            "SELECT COUNT(DISTINCT task_id) FROM ledger WHERE kind = 'settle'"
        ),
        TASKS as i64,
        "every task settled"
    );
    assert_eq!(
        query_i64(
            &db,
            "SELECT COUNT(*) FROM (SELECT task_id FROM ledger WHERE kind = 'settle' \
             GROUP BY task_id HAVING COUNT(*) > 1) twice"
        ),
        0,
        "one settlement per task"
    );
    assert_eq!(
        query_i64(
            &db,
            "SELECT CAST(COALESCE(SUM(balance + held), 0) AS BIGINT) FROM credit_accounts"
        ),
        0,
        "credits are only moved, never made or lost"
    );
    let verdict = admin.ledger_verify().await.expect("verify");
    assert!(verdict.ok, "{verdict:?}");
    let mut stmt = db
        .prepare("SELECT id FROM events WHERE kind <> 'task.log' ORDER BY id")
        .expect("prepare");
    let stored: Vec<i64> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .expect("event ids");
    assert_eq!(
        followed.len(),
        stored.len(),
        "as many events followed as stored"
    );
    assert!(
        followed == stored,
        "the follower saw every event once, in order"
    );
}
