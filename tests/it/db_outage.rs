//! A coordinator on PostgreSQL whose database goes away under load and comes back: meanwhile it
//! answers 503 with "retry" and `/ready` is false; afterwards it works again, and every task it
//! accepted is there, once.

use crate::common::*;
use edgecoder::api::SubmitRequest;
use std::collections::BTreeSet;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_killed_and_restarted_under_load_loses_nothing_accepted() {
    let cluster = match edgecoder::server::store::db::test_cluster::private() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a database");
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_on(&url));
    let admin = coord.admin();
    assert_eq!(ready_status(&coord.url).await, 200);

    // A client that keeps submitting, each task under its own idempotency key, and resubmits
    // a key until the coordinator accepts it, as a CI script retrying on 503 would.
    let (stop_tx, mut stop) = tokio::sync::watch::channel(false);
    let submitter = {
        let admin = admin.clone();
        tokio::spawn(async move {
            let mut accepted = BTreeSet::new();
            let mut refusals = Vec::new();
            let mut key = 0u32;
            while !*stop.borrow_and_update() {
                let mut req = SubmitRequest::argv(vec!["true".into()]);
                req.idempotency_key = Some(format!("outage-{key}"));
                match admin.submit(&req).await {
                    Ok(answer) => {
                        accepted.insert(answer.task.id);
                        key += 1;
                    }
                    Err(e) => {
                        refusals.push((e.status(), e.to_string()));
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
            (accepted, refusals, key)
        })
    };
    eventually(Duration::from_secs(20), || async {
        let n: i64 = query_i64(&postgres_at(&url), "SELECT COUNT(*) FROM tasks");
        (n >= 50).then_some(())
    })
    .await;

    cluster.stop().expect("stop the database");
    eventually(Duration::from_secs(10), || async {
        (ready_status(&coord.url).await == 503).then_some(())
    })
    .await;
    let refused = admin
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect_err("no database, no acceptance");
    assert_eq!(refused.status(), Some(503), "{refused}");
    assert!(refused.to_string().contains("retry"), "{refused}");
    let read = admin.task("0000").await;
    assert_eq!(
        read.as_ref().err().and_then(|e| e.status()),
        Some(503),
        "reads say so too: {read:?}"
    );

    cluster.start().expect("start the database again");
    eventually(Duration::from_secs(20), || async {
        (ready_status(&coord.url).await == 200).then_some(())
    })
    .await;
    // Writes go on after the outage.
    let before_stop: i64 = query_i64(&postgres_at(&url), "SELECT COUNT(*) FROM tasks");
    eventually(Duration::from_secs(20), || async {
        let n: i64 = query_i64(&postgres_at(&url), "SELECT COUNT(*) FROM tasks");
        (n >= before_stop + 20).then_some(())
    })
    .await;
    stop_tx.send(true).expect("stop the submitter");
    let (accepted, refusals, keys) = submitter.await.expect("submitter");
    assert!(
        refusals.iter().all(|(status, _)| *status == Some(503)),
        "only 503s while the database was away: {refusals:?}"
    );
    assert!(!refusals.is_empty(), "the outage was seen by the client");
    let stored: i64 = query_i64(&postgres_at(&url), "SELECT COUNT(*) FROM tasks");
    assert_eq!(
        stored, keys as i64,
        "one task per idempotency key, none lost, none twice"
    );
    for id in &accepted {
        admin.task(id).await.expect("every accepted task is there");
    }
}
