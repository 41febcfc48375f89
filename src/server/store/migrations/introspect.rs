//! What a database's schema is, read back from the database itself: for `db copy` (which
//! tables and columns to carry over) and for the test that keeps both backends' schemas equal.

use super::super::db::{Db, Kind, ToValue, Value};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// SQLite's storage class: integer, real, text or blob.
    pub class: &'static str,
    pub not_null: bool,
    pub default: Option<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// The store's tables in the order they were made (a table before those that refer to it),
    /// without the migrations' own bookkeeping.
    pub tables: Vec<(String, Vec<Column>)>,
    /// index name → (table, columns); only the indexes the schema names itself.
    pub indexes: BTreeMap<String, (String, Vec<String>)>,
    pub triggers: BTreeSet<String>,
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&[Column]> {
        self.tables
            .iter()
            .find(|(table, _)| table == name)
            .map(|(_, columns)| columns.as_slice())
    }
}

pub fn schema(db: &Db) -> Result<Schema, String> {
    match db.kind() {
        Kind::Sqlite => sqlite_schema(db),
        Kind::Postgres => postgres_schema(db),
    }
    .map_err(|e| format!("cannot read the schema: {e}"))
}

type Strings = Vec<Vec<Option<String>>>;

/// Every row of a query, each value as text (integers written out), for reading catalogs.
fn strings(db: &Db, sql: &str, args: &[&str]) -> super::super::db::Result<Strings> {
    let mut stmt = db.prepare(sql)?;
    let params: Vec<&dyn ToValue> = args.iter().map(|a| a as &dyn ToValue).collect();
    let mut rows = stmt.query(&params[..])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::new();
        let mut i = 0;
        while let Ok(value) = row.get_value(i) {
            values.push(match value {
                Value::Null => None,
                Value::Int(n) => Some(n.to_string()),
                v => v.as_str().map(str::to_string),
            });
            i += 1;
        }
        out.push(values);
    }
    Ok(out)
}

fn field(row: &[Option<String>], i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

fn class(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "real" | "double precision" => "real",
        "text" => "text",
        "blob" | "bytea" => "blob",
        _ => "unknown",
    }
}

fn sqlite_schema(db: &Db) -> super::super::db::Result<Schema> {
    let mut schema = Schema::default();
    let listed = "SELECT type, name, tbl_name FROM sqlite_master \
                  WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid";
    for row in strings(db, listed, &[])? {
        let (kind, name, table) = (field(&row, 0), field(&row, 1), field(&row, 2));
        match kind.as_str() {
            "table" => {
                let info = "SELECT name, type, \"notnull\", dflt_value, pk \
                            FROM pragma_table_info(?1) ORDER BY cid";
                let columns = strings(db, info, &[&name])?
                    .iter()
                    .map(|c| Column {
                        name: field(c, 0),
                        class: class(&field(c, 1)),
                        not_null: field(c, 2) == "1" || field(c, 4) != "0",
                        default: c.get(3).cloned().flatten(),
                    })
                    .collect();
                schema.tables.push((name, columns));
            }
            "index" => {
                let info = "SELECT name FROM pragma_index_info(?1) ORDER BY seqno";
                let columns = strings(db, info, &[&name])?
                    .iter()
                    .map(|c| field(c, 0))
                    .collect();
                schema.indexes.insert(name, (table, columns));
            }
            "trigger" => {
                schema.triggers.insert(name);
            }
            _ => {}
        }
    }
    Ok(schema)
}

fn postgres_schema(db: &Db) -> super::super::db::Result<Schema> {
    let mut schema = Schema::default();
    // Creation order: a fresh table's oid is above every older one's.
    let tables = "SELECT c.relname::text FROM pg_class c \
                  JOIN pg_namespace n ON n.oid = c.relnamespace \
                  WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> ?1 \
                  ORDER BY c.oid";
    for row in strings(db, tables, &["schema_migrations"])? {
        let table = field(&row, 0);
        let info = "SELECT column_name::text, data_type::text, is_nullable::text, \
                    column_default::text FROM information_schema.columns \
                    WHERE table_schema = current_schema() AND table_name = ?1 \
                    ORDER BY ordinal_position";
        let columns = strings(db, info, &[&table])?
            .iter()
            .map(|c| Column {
                name: field(c, 0),
                class: class(&field(c, 1)),
                not_null: field(c, 2) == "NO",
                // `'{}'::text` is SQLite's `'{}'`.
                default: c
                    .get(3)
                    .cloned()
                    .flatten()
                    .map(|d| d.trim_end_matches("::text").to_string()),
            })
            .collect();
        schema.tables.push((table, columns));
    }
    // Not the indexes behind PRIMARY KEY and UNIQUE constraints, which SQLite does not name.
    let indexes = "SELECT indexname::text, tablename::text, indexdef FROM pg_indexes \
                   WHERE schemaname = current_schema() AND tablename <> ?1 \
                   AND indexname NOT IN (SELECT conname FROM pg_constraint)";
    for row in strings(db, indexes, &["schema_migrations"])? {
        let definition = field(&row, 2);
        let columns = definition
            .split_once(" USING btree (")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(list, _)| {
                list.split(", ")
                    .map(|c| c.split(' ').next().unwrap_or(c).to_string())
                    .collect()
            })
            .unwrap_or_default();
        schema
            .indexes
            .insert(field(&row, 0), (field(&row, 1), columns));
    }
    let triggers = "SELECT DISTINCT trigger_name::text FROM information_schema.triggers \
                    WHERE trigger_schema = current_schema()";
    for row in strings(db, triggers, &[])? {
        schema.triggers.insert(field(&row, 0));
    }
    Ok(schema)
}
