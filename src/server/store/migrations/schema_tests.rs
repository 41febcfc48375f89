//! Both backends' migrations reach one schema: the same tables, with the same columns in the
//! same order (type, nullability, default), the same named indexes over the same columns, and
//! the same triggers. Add a migration to one list and not the other, and this fails.

use super::super::db::{Db, test_cluster};
use super::introspect::schema;

#[test]
fn both_backends_migrate_to_the_same_schema() {
    let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory SQLite");
    super::sqlite::run(&mut conn).expect("SQLite migrations");
    let sqlite = schema(&Db::from_sqlite(conn)).expect("SQLite's schema");
    assert!(sqlite.table("tasks").is_some() && sqlite.indexes.contains_key("tasks_queue"));
    for (table, columns) in &sqlite.tables {
        for column in columns {
            assert_ne!(
                column.class, "unknown",
                "{table}.{} has a type the store does not use",
                column.name
            );
        }
    }
    let cluster = match test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return crate::test_support::skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a test database");
    let mut db = Db::connect_postgres(&url.parse().expect("a test URL")).expect("connect");
    // The baseline (version 15 in one step), then each later version.
    let pending = super::status(&db).expect("status").pending;
    assert_eq!(pending.first(), Some(&15), "{pending:?}");
    assert_eq!(pending.last(), Some(&super::latest()), "{pending:?}");
    super::run(&mut db).expect("PostgreSQL migrations");
    let postgres = schema(&db).expect("PostgreSQL's schema");
    for (table, columns) in &sqlite.tables {
        assert_eq!(
            Some(columns.as_slice()),
            postgres.table(table),
            "table {table} differs between SQLite and PostgreSQL"
        );
    }
    let names =
        |s: &super::introspect::Schema| s.tables.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&sqlite),
        names(&postgres),
        "the same tables, made in the same order"
    );
    assert_eq!(sqlite.indexes, postgres.indexes, "the same indexes");
    assert_eq!(sqlite.triggers, postgres.triggers, "the same triggers");
}

#[test]
fn postgres_migrates_once_and_reports_where_it_stands() {
    let cluster = match test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return crate::test_support::skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a test database");
    // Coordinators starting together: each migrates, one at a time, and the second finds
    // nothing left to do.
    let racers: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut db =
                    Db::connect_postgres(&url.parse().expect("a test URL")).expect("connect");
                super::run(&mut db)
            })
        })
        .collect();
    for racer in racers {
        racer.join().expect("no panic").expect("migrated");
    }
    let db = Db::connect_postgres(&url.parse().expect("a test URL")).expect("connect");
    let status = super::status(&db).expect("status");
    assert_eq!(
        (status.version, status.latest, status.pending.len()),
        (super::latest(), super::latest(), 0)
    );
    let applied: i64 = db
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .expect("count");
    assert_eq!(
        applied,
        super::postgres::pending(0).len() as i64,
        "each migration was applied once"
    );
    db.execute(
        "INSERT INTO schema_migrations VALUES (?1, 0)",
        [i64::from(super::latest()) + 1],
    )
    .expect("a version from the future");
    let mut newer = Db::connect_postgres(&url.parse().expect("a test URL")).expect("connect");
    let err = super::run(&mut newer).expect_err("a newer schema is refused");
    assert!(err.contains("newer than this edgecoder knows"), "{err}");
}
