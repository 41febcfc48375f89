//! Both backends' migrations reach one schema: the same tables, with the same columns in the
//! same order (type, nullability, default), the same named indexes over the same columns, and
//! the same triggers. Add a migration to one list and not the other, and this fails.

use super::super::db::{Db, ToValue, test_cluster};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, PartialEq, Eq)]
struct Column {
    name: String,
    /// SQLite's storage class: integer, real, text or blob.
    class: &'static str,
    not_null: bool,
    default: Option<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, Vec<Column>>,
    /// index name → (table, columns)
    indexes: BTreeMap<String, (String, Vec<String>)>,
    triggers: BTreeSet<String>,
}

fn strings(db: &Db, sql: &str, args: &[&str]) -> Vec<Vec<Option<String>>> {
    let mut stmt = db.prepare(sql).expect("prepare");
    let params: Vec<&dyn ToValue> = args.iter().map(|a| a as &dyn ToValue).collect();
    let mut rows = stmt.query(&params[..]).expect("query");
    let mut out = Vec::new();
    while let Some(row) = rows.next().expect("row") {
        let mut values = Vec::new();
        let mut i = 0;
        while let Ok(value) = row.get_value(i) {
            values.push(match value {
                super::super::db::Value::Null => None,
                super::super::db::Value::Int(n) => Some(n.to_string()),
                v => v.as_str().map(str::to_string),
            });
            i += 1;
        }
        out.push(values);
    }
    out
}

fn field(row: &[Option<String>], i: usize) -> String {
    row[i].clone().unwrap_or_default()
}

fn class(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "real" | "double precision" => "real",
        "text" => "text",
        "blob" | "bytea" => "blob",
        other => panic!("a column type the store does not use: {other}"),
    }
}

fn sqlite_schema() -> Schema {
    let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory SQLite");
    super::sqlite::run(&mut conn).expect("SQLite migrations");
    let db = Db::from_sqlite(conn);
    let mut schema = Schema::default();
    let listed = "SELECT type, name, tbl_name FROM sqlite_master \
                  WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'";
    for row in strings(&db, listed, &[]) {
        let (kind, name, table) = (field(&row, 0), field(&row, 1), field(&row, 2));
        match kind.as_str() {
            "table" => {
                let info = format!(
                    "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{name}')"
                );
                let columns = strings(&db, &info, &[])
                    .iter()
                    .map(|c| Column {
                        name: field(c, 0),
                        class: class(&field(c, 1)),
                        not_null: field(c, 2) == "1" || field(c, 4) != "0",
                        default: c[3].clone(),
                    })
                    .collect();
                schema.tables.insert(name, columns);
            }
            "index" => {
                let info = format!("SELECT name FROM pragma_index_info('{name}') ORDER BY seqno");
                let columns = strings(&db, &info, &[])
                    .iter()
                    .map(|c| field(c, 0))
                    .collect();
                schema.indexes.insert(name, (table, columns));
            }
            "trigger" => {
                schema.triggers.insert(name);
            }
            other => panic!("an unexpected schema object: {other} {name}"),
        }
    }
    schema
}

fn postgres_schema(db: &Db) -> Schema {
    let mut schema = Schema::default();
    let tables = "SELECT table_name::text FROM information_schema.tables \
                  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
                  AND table_name <> ?1";
    for row in strings(db, tables, &["schema_migrations"]) {
        let table = field(&row, 0);
        let info = "SELECT column_name::text, data_type::text, is_nullable::text, \
                    column_default::text FROM information_schema.columns \
                    WHERE table_schema = 'public' AND table_name = ?1 ORDER BY ordinal_position";
        let columns = strings(db, info, &[&table])
            .iter()
            .map(|c| Column {
                name: field(c, 0),
                class: class(&field(c, 1)),
                not_null: field(c, 2) == "NO",
                // `'{}'::text` is SQLite's `'{}'`.
                default: c[3]
                    .as_ref()
                    .map(|d| d.trim_end_matches("::text").to_string()),
            })
            .collect();
        schema.tables.insert(table, columns);
    }
    // Indexes the schema names itself, not those behind PRIMARY KEY and UNIQUE constraints.
    let indexes = "SELECT indexname::text, tablename::text, indexdef FROM pg_indexes \
                   WHERE schemaname = 'public' AND tablename <> ?1 \
                   AND indexname NOT IN (SELECT conname FROM pg_constraint)";
    for row in strings(db, indexes, &["schema_migrations"]) {
        let definition = field(&row, 2);
        let columns = definition
            .split_once(" USING btree (")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(list, _)| {
                list.split(", ")
                    .map(|c| c.split(' ').next().unwrap_or(c).to_string())
            })
            .expect("an index over columns")
            .collect();
        schema
            .indexes
            .insert(field(&row, 0), (field(&row, 1), columns));
    }
    let triggers = "SELECT DISTINCT trigger_name::text FROM information_schema.triggers \
                    WHERE trigger_schema = 'public'";
    for row in strings(db, triggers, &[]) {
        schema.triggers.insert(field(&row, 0));
    }
    schema
}

#[test]
fn both_backends_migrate_to_the_same_schema() {
    let sqlite = sqlite_schema();
    assert!(sqlite.tables.contains_key("tasks") && sqlite.indexes.contains_key("tasks_queue"));
    let cluster = match test_cluster::shared() {
        Ok(cluster) => cluster,
        Err(why) => return crate::test_support::skip_unless_ci(&why),
    };
    let url = cluster.fresh_database().expect("a test database");
    let mut db = Db::connect_postgres(&url.parse().expect("a test URL")).expect("connect");
    assert_eq!(
        super::status(&db).expect("status").pending,
        vec![super::latest()]
    );
    super::run(&mut db).expect("PostgreSQL migrations");
    let postgres = postgres_schema(&db);
    for (table, columns) in &sqlite.tables {
        assert_eq!(
            Some(columns),
            postgres.tables.get(table),
            "table {table} differs between SQLite and PostgreSQL"
        );
    }
    assert_eq!(
        sqlite.tables.keys().collect::<Vec<_>>(),
        postgres.tables.keys().collect::<Vec<_>>(),
        "the same tables"
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
    assert_eq!(applied, 1, "the baseline was applied once");
    db.execute(
        "INSERT INTO schema_migrations VALUES (?1, 0)",
        [i64::from(super::latest()) + 1],
    )
    .expect("a version from the future");
    let mut newer = Db::connect_postgres(&url.parse().expect("a test URL")).expect("connect");
    let err = super::run(&mut newer).expect_err("a newer schema is refused");
    assert!(err.contains("newer than this edgecoder knows"), "{err}");
}
