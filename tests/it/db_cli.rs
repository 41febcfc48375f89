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
    assert_eq!(
        status["pending"],
        serde_json::json!([status["latest"]]),
        "{status}"
    );
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
    let check =
        edgecoder::server::store::db::Db::connect_postgres(&url.parse().expect("the test URL"))
            .expect("connect");
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
