//! `edgecoder db copy`: every row of one coordinator database into another, empty one (SQLite
//! to PostgreSQL, to move a coordinator; or back), in one transaction on each side, so the copy
//! is a consistent snapshot and either all of it lands or none of it.

use super::db::{Db, Kind, ToValue, Value};
use super::migrations::{self, introspect};

/// What was copied: each table and its rows, in the order copied.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub tables: Vec<(String, u64)>,
}

impl CopyReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Copies `from` into `to`. `from` must be at this edgecoder's schema version; `to` is migrated
/// to it and must hold no data yet (the rows migrations themselves write to `meta` excepted).
pub fn copy(from: &Db, to: &mut Db) -> Result<CopyReport, String> {
    let source = migrations::status(from)?;
    if source.version != source.latest {
        return Err(format!(
            "the source is at schema version {} and this edgecoder writes {}: run \
             `edgecoder db migrate` on it first",
            source.version, source.latest
        ));
    }
    migrations::run(to)?;
    let schema = introspect::schema(from)?;
    for (table, _) in schema.tables.iter().filter(|(t, _)| t != "meta") {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(table));
        let holds: bool = to
            .query_row(&sql, [], |r| r.get(0))
            .map_err(|e| format!("cannot read the target's {table}: {e}"))?;
        if holds {
            return Err(format!(
                "the target already holds data ({table} has rows): copy into an empty database"
            ));
        }
    }
    let snapshot = match from.kind() {
        Kind::Sqlite => "BEGIN",
        Kind::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    from.execute_batch(snapshot)
        .map_err(|e| format!("cannot start reading the source: {e}"))?;
    to.execute_batch("BEGIN")
        .map_err(|e| format!("cannot start writing the target: {e}"))?;
    let copied = copy_tables(from, to, &schema).and_then(|report| {
        if to.kind() == Kind::Postgres {
            continue_identities(to)?;
        }
        Ok(report)
    });
    let _ = from.execute_batch("ROLLBACK");
    match copied {
        Ok(report) => {
            to.execute_batch("COMMIT")
                .map_err(|e| format!("cannot commit the copy: {e}"))?;
            Ok(report)
        }
        Err(why) => {
            let _ = to.execute_batch("ROLLBACK");
            Err(format!("{why}; nothing was written to the target"))
        }
    }
}

fn copy_tables(from: &Db, to: &Db, schema: &introspect::Schema) -> Result<CopyReport, String> {
    let mut report = CopyReport::default();
    for (table, columns) in &schema.tables {
        let names: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let mut insert_sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quoted(table),
            names.join(", "),
            placeholders.join(", ")
        );
        // Migrations write a few `meta` rows of their own; the source's values win.
        if table == "meta" {
            insert_sql.push_str(" ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        }
        let failed = |e: super::db::Error| format!("copying {table}: {e}");
        let mut insert = to.prepare(&insert_sql).map_err(failed)?;
        let mut select = from
            .prepare(&format!(
                "SELECT {} FROM {}",
                names.join(", "),
                quoted(table)
            ))
            .map_err(failed)?;
        let mut rows = select.query([]).map_err(failed)?;
        let mut count = 0u64;
        while let Some(row) = rows.next().map_err(failed)? {
            let values: Vec<Value<'_>> = (0..names.len())
                .map(|i| row.get_value(i))
                .collect::<Result<_, _>>()
                .map_err(failed)?;
            let params: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect();
            insert.execute(&params[..]).map_err(failed)?;
            count += 1;
        }
        report.tables.push((table.clone(), count));
    }
    Ok(report)
}

/// PostgreSQL's identity columns hand out the next id from a sequence the copy did not
/// advance: each continues after the highest id copied.
fn continue_identities(to: &Db) -> Result<(), String> {
    let mut stmt = to
        .prepare(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .map_err(|e| format!("cannot list identity columns: {e}"))?;
    let identities: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(|e| format!("cannot list identity columns: {e}"))?;
    for (table, column) in identities {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence(?1, ?2), COALESCE(MAX({c}), 0) + 1, false) \
             FROM {t}",
            c = quoted(&column),
            t = quoted(&table)
        );
        to.query_row(&sql, [&table, &column], |r| r.get::<i64>(0))
            .map_err(|e| format!("cannot continue {table}.{column}: {e}"))?;
    }
    Ok(())
}
