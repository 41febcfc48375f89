//! `edgecoder db status` and `db migrate` on both backends, `serve --database` on PostgreSQL,
//! and the database password kept out of everything printed.

use crate::common::*;
use serde_json::Value;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(30);

fn db_cli(sb: &Sandbox, args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = sb.command();
    cmd.arg("db").args(args);
    run_to_end(cmd, LIMIT)
}

fn status_json(sb: &Sandbox, database: &str) -> Value {
    let (code, out, err) = db_cli(sb, &["status", "--json", "--database", database]);
    assert_eq!(code, Some(0), "db status failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn sqlite_status_before_and_after_migrate() {
    let sb = Sandbox::new();
    let (code, _, err) = db_cli(&sb, &["status", "--database", "sqlite"]);
    assert_eq!(code, Some(1), "no file yet is an error: {err}");
    assert!(
        err.contains("no database at") && err.contains("serve"),
        "{err}"
    );
    assert!(
        !sb.data_dir().join("edgecoder.db").exists(),
        "status does not create the file"
    );

    let (code, out, err) = db_cli(&sb, &["migrate", "--database", "sqlite"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("migrated from schema version 0 to"), "{out}");
    let status = status_json(&sb, "sqlite");
    assert_eq!(status["backend"], "sqlite");
    assert_eq!(status["version"], status["latest"], "{status}");
    assert_eq!(status["pending"], serde_json::json!([]), "{status}");
    let (code, out, _) = db_cli(&sb, &["migrate", "--database", "sqlite"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("already at schema version"), "{out}");

    let (code, _, err) = db_cli(&sb, &["status", "--database", "mysql://root:hunter2@db/x"]);
    assert_eq!(
        code,
        Some(2),
        "an unknown kind of database is a usage error: {err}"
    );
    assert!(
        err.contains("postgres://") && !err.contains("hunter2"),
        "{err}"
    );
}

#[test]
fn postgres_status_migrate_and_serve_without_showing_the_password() {
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let sb = Sandbox::new();
    // The test server trusts local connections, so any password gets in: it is here to be
    // kept out of what is printed.
    let url = format!(
        "{} password=hunter2-secret",
        cluster.fresh_database().expect("a database")
    );

    let status = status_json(&sb, &url);
    assert_eq!(status["backend"], "postgres");
    assert_eq!(status["version"], 0, "{status}");
    let pending = status["pending"].as_array().expect("pending versions");
    assert_eq!(
        pending.first(),
        Some(&serde_json::json!(15)),
        "the baseline first: {status}"
    );
    assert_eq!(pending.last(), Some(&status["latest"]), "{status}");
    assert!(
        status["database"]
            .as_str()
            .is_some_and(|d| d.contains("password=****")),
        "{status}"
    );

    let (code, out, err) = db_cli(&sb, &["migrate", "--database", &url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("migrated from schema version 0"), "{out}");
    let status = status_json(&sb, &url);
    assert_eq!(status["version"], status["latest"], "{status}");

    // A coordinator on it: the task it accepts is in PostgreSQL, and nothing it prints (nor
    // `config show`) has the password.
    let mut coord = Coordinator::start_with(
        &sb,
        CoordinatorOptions {
            args: vec![
                "--port".into(),
                "0".into(),
                "--no-local-worker".into(),
                "--database".into(),
                url.clone(),
            ],
            ..Default::default()
        },
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let id = rt
        .block_on(
            coord
                .admin()
                .submit(&edgecoder::api::SubmitRequest::argv(vec!["true".into()])),
        )
        .expect("submit")
        .task
        .id;
    let check = postgres_at(&url);
    let stored: i64 = check
        .query_row("SELECT COUNT(*) FROM tasks WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(stored, 1, "the accepted task is in PostgreSQL");
    assert!(
        !sb.data_dir().join("edgecoder.db").exists(),
        "and no SQLite file was made"
    );
    let mut show = sb.command();
    show.args(["config", "show", "--json"])
        .env("EDGECODER_DATABASE_URL", &url);
    let (code, out, _) = run_to_end(show, LIMIT);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("password=****") && !out.contains("hunter2"),
        "{out}"
    );
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(15)), Some(0));
    for printed in [coord.stdout(), coord.stderr()] {
        assert!(!printed.contains("hunter2"), "{printed}");
    }
}

/// Rows per table, the same way on either backend.
fn counts(db: &edgecoder::server::store::db::Db, tables: &[&str]) -> Vec<(String, i64)> {
    tables
        .iter()
        .map(|t| {
            (
                t.to_string(),
                query_i64(db, &format!("SELECT COUNT(*) FROM {t}")),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn db_copy_moves_a_sqlite_coordinator_onto_postgres_with_its_ledger_intact() {
    use edgecoder::api::{Outcome, SubmitRequest};
    let cluster = match edgecoder::server::store::db::test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return skip_unless_ci(&why),
    };
    let sb = Sandbox::new();
    let sqlite_only = |extra: &[&str]| CoordinatorOptions {
        args: ["--port", "0", "--mode", "coordinator"]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect(),
        ..Default::default()
    };
    // A SQLite coordinator with pricing on: 2,000 tasks, some run, some cancelled.
    let mut coord = Coordinator::start_with(&sb, sqlite_only(&["--database", "sqlite"]));
    let admin = coord.admin();
    let (node, _) = enroll_node(&admin, "copy-node").await;
    let _beat = Heartbeat::start(&node);
    let mut ids = Vec::new();
    for i in 0..2000 {
        let req = SubmitRequest::argv(vec!["echo".into(), i.to_string()]);
        ids.push(admin.submit(&req).await.expect("submit").task.id);
    }
    for id in ids.iter().rev().take(100) {
        admin.cancel(id).await.expect("cancel");
    }
    for _ in 0..60 {
        let claimed = crate::coding_common::claim_and_start(&node).await;
        node.complete(
            &claimed.task.id,
            &complete_req(&claimed.lease.lease_id, Outcome::Succeeded, None),
        )
        .await
        .expect("complete");
    }
    assert!(admin.ledger_verify().await.expect("verify").ok);
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(15)), Some(0));
    drop(coord);

    let url = cluster.fresh_database().expect("a database");
    let from = format!("sqlite:{}", sb.data_dir().join("edgecoder.db").display());
    let (code, out, err) = db_cli(&sb, &["copy", "--from", &from, "--to", &url]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("copied") && out.contains("tasks"), "{out}");
    let tables = [
        "tasks",
        "events",
        "ledger",
        "credit_accounts",
        "nodes",
        "tokens",
        "attempts",
    ];
    let sqlite = edgecoder::server::store::db::Db::from_sqlite(
        rusqlite::Connection::open(sb.data_dir().join("edgecoder.db")).expect("open"),
    );
    let postgres = postgres_at(&url);
    let copied = counts(&postgres, &tables);
    assert_eq!(counts(&sqlite, &tables), copied, "every row arrived");
    assert!(copied[0].1 == 2000 && copied[2].1 > 2000, "{copied:?}");

    // Into a database that holds data already: refused, and nothing is written.
    let (code, _, err) = db_cli(&sb, &["copy", "--from", &from, "--to", &url]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("already holds data"), "{err}");
    assert_eq!(counts(&postgres, &tables), copied);

    // The coordinator on PostgreSQL, with its data dir (and keys): the ledger verifies, old
    // tasks are there, and new ones get new ids and events after the old ones.
    let coord = Coordinator::start_with(&sb, sqlite_only(&["--database", &url]));
    let admin = coord.admin();
    let report = admin.ledger_verify().await.expect("verify");
    assert!(report.ok, "{report:?}");
    let old = admin.task(&ids[0]).await.expect("an old task");
    assert_eq!(old.id, ids[0]);
    let newest_event: i64 = postgres
        .query_row("SELECT MAX(id) FROM events", [], |r| r.get(0))
        .expect("events");
    let fresh = admin
        .submit(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("a new task after the copy");
    assert!(fresh.created);
    let after: i64 = postgres
        .query_row("SELECT MAX(id) FROM events", [], |r| r.get(0))
        .expect("events");
    assert!(after > newest_event, "new events follow the copied ones");
    let (_, status_out, _) = db_cli(&sb, &["status", "--json", "--database", &url]);
    assert!(status_out.contains("\"pending\": []"), "{status_out}");
}
