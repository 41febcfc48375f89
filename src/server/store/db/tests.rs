//! The query interface behaves the same on both backends: each check runs on SQLite and on a
//! real PostgreSQL (skipped outside CI when none is installed).

use super::test_cluster;
use super::{Db, Error, Kind, OptionalExtension, Row, params};

fn sqlite() -> Db {
    Db::from_sqlite(rusqlite::Connection::open_in_memory().expect("an in-memory SQLite"))
}

/// The same table on each backend, in the types the store's schema maps SQLite's onto.
fn with_table(db: &Db) -> &Db {
    let ddl = match db.kind() {
        Kind::Sqlite => {
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, r REAL, \
             s TEXT UNIQUE, b BLOB, flag INTEGER NOT NULL DEFAULT 0)"
        }
        Kind::Postgres => {
            "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, n BIGINT, r DOUBLE PRECISION, \
             s TEXT UNIQUE, b BYTEA, flag BIGINT NOT NULL DEFAULT 0)"
        }
    };
    db.execute_batch(ddl).expect("the test table");
    db
}

/// Runs `check` on SQLite and on PostgreSQL.
fn on_both(check: impl Fn(&Db)) {
    check(with_table(&sqlite()));
    match test_cluster::shared() {
        Ok(cluster) => {
            let url = cluster.fresh_database().expect("a test database");
            let db = Db::connect_postgres(&url.parse().expect("a test URL"))
                .expect("connect to the test PostgreSQL");
            check(with_table(&db));
        }
        Err(why) => crate::test_support::skip_unless_ci(&why),
    }
}

#[derive(Debug, PartialEq)]
struct Item {
    n: Option<i64>,
    r: f64,
    s: String,
    b: Vec<u8>,
    flag: bool,
}

fn item(row: &Row<'_>) -> super::Result<Item> {
    Ok(Item {
        n: row.get(0)?,
        r: row.get(1)?,
        s: row.get(2)?,
        b: row.get(3)?,
        flag: row.get(4)?,
    })
}

#[test]
fn values_round_trip_on_both_backends() {
    on_both(|db| {
        let none: Option<i64> = None;
        let id: i64 = db
            .query_row(
                "INSERT INTO t (n, r, s, b, flag) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                params![none, 2.5, "ä text", &b"\x00\xff"[..], true],
                |row| row.get(0),
            )
            .expect("insert returning the new id");
        db.execute(
            "INSERT INTO t (n, r, s, b, flag) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![i64::MAX, 3i64, "other", vec![1u8], false],
        )
        .expect("a second row, an integer sent as a real");
        let got = db
            .query_row("SELECT n, r, s, b, flag FROM t WHERE id = ?1", [id], item)
            .expect("the row");
        assert_eq!(
            got,
            Item {
                n: None,
                r: 2.5,
                s: "ä text".into(),
                b: vec![0, 255],
                flag: true
            }
        );
        let mut stmt = db
            .prepare_cached("SELECT n, r, s, b, flag FROM t ORDER BY id")
            .expect("prepare");
        let all: Vec<Item> = stmt
            .query_map([], item)
            .expect("query")
            .collect::<super::Result<_>>()
            .expect("rows");
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].n, Some(i64::MAX));
        assert_eq!(all[1].r, 3.0);
        assert!(!all[1].flag);
    });
}

#[test]
fn upserts_counts_and_missing_rows_agree() {
    on_both(|db| {
        let before = db.total_changes();
        for n in [1i64, 2] {
            db.execute(
                "INSERT INTO t (s, n) VALUES (?1, ?2) ON CONFLICT (s) DO UPDATE SET n = excluded.n",
                params!["key", n],
            )
            .expect("upsert");
        }
        assert_eq!(
            db.total_changes() - before,
            2,
            "{:?} counts changes",
            db.kind()
        );
        let n: i64 = db
            .query_row("SELECT n FROM t WHERE s = ?", ["key"], |r| r.get(0))
            .expect("one row");
        assert_eq!(n, 2, "the second write updated the first");
        let missing: Option<i64> = db
            .query_row("SELECT n FROM t WHERE s = ?1", ["nope"], |r| r.get(0))
            .optional()
            .expect("no row is not an error");
        assert_eq!(missing, None);
        let counted: i64 = db
            .query_row(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT), COUNT(*) > 0 FROM t",
                [],
                |r| {
                    assert!(r.get::<bool>(1)?, "a comparison reads as a flag");
                    r.get(0)
                },
            )
            .expect("a cast sum");
        assert_eq!(counted, 2);
        let mut rows_left = db
            .prepare("SELECT s FROM t WHERE 'a ?1 b' <> ?1")
            .expect("a placeholder inside quotes stays text");
        let mut rows = rows_left.query(["x"]).expect("query");
        let row = rows.next().expect("row").expect("one row");
        assert_eq!(row.get_value(0).expect("value").as_str(), Some("key"));
    });
}

#[test]
fn wrong_types_are_errors_that_say_what_was_found() {
    on_both(|db| {
        db.execute("INSERT INTO t (s, n) VALUES ('x', 5)", [])
            .expect("a row");
        let err = db
            .query_row("SELECT s FROM t", [], |r| r.get::<i64>(0))
            .expect_err("text is not an integer");
        assert!(
            matches!(&err, Error::Conversion(why) if why.contains("expected an integer, found text")),
            "{err}"
        );
        let small: u8 = db
            .query_row("SELECT n FROM t", [], |r| r.get(0))
            .expect("5 fits a u8");
        assert_eq!(small, 5);
        if db.kind() == Kind::Postgres {
            let err = db
                .query_row("SELECT SUM(n) FROM t", [], |r| r.get::<i64>(0))
                .expect_err("a NUMERIC sum is refused");
            assert!(err.to_string().contains("CAST it AS BIGINT"), "{err}");
        }
    });
}

#[test]
fn postgres_placeholders_and_hints_are_rewritten() {
    assert_eq!(
        super::pg::translate("SELECT a FROM t INDEXED BY t_queue WHERE a = ?1 AND b = ?12"),
        "SELECT a FROM t WHERE a = $1 AND b = $12"
    );
    assert_eq!(
        super::pg::translate("UPDATE t SET s = '?' , n = ? WHERE id = ?"),
        "UPDATE t SET s = '?' , n = $1 WHERE id = $2"
    );
    assert_eq!(
        super::pg::translate(r#"SELECT "offset" FROM t WHERE s = 'it''s ?1'"#),
        r#"SELECT "offset" FROM t WHERE s = 'it''s ?1'"#
    );
}
