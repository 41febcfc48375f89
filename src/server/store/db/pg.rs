//! The PostgreSQL side of the query interface: SQL rewritten once per statement, values
//! converted by the types the server declared for each parameter and column.

use super::{Error, Params, Result, Value};
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

pub(super) struct PgConn {
    /// Always `Some` but while being dropped (see `Drop`).
    client: RefCell<Option<postgres::Client>>,
    statements: RefCell<HashMap<String, (postgres::Statement, bool)>>,
    changes: Cell<u64>,
    /// Set by any statement that failed: PostgreSQL has then aborted the open transaction.
    failed: Cell<bool>,
}

pub(super) struct PgStmt<'c> {
    conn: &'c PgConn,
    statement: postgres::Statement,
    /// Whether its rows count as changes (`INSERT … RETURNING`), not reads.
    changes_rows: bool,
}

impl PgConn {
    pub(super) fn connect(config: &postgres::Config) -> Result<PgConn> {
        let mut client = off_the_runtime(|| config.connect(postgres::NoTls))?;
        // A transaction left open by a coordinator that hung must not hold the write lock; the
        // server's notices (`already exists, skipping`) are not news to the log.
        off_the_runtime(|| {
            client.batch_execute(
                "SET idle_in_transaction_session_timeout = '30s'; SET client_min_messages = warning",
            )
        })?;
        Ok(PgConn {
            client: RefCell::new(Some(client)),
            statements: RefCell::new(HashMap::new()),
            changes: Cell::new(0),
            failed: Cell::new(false),
        })
    }

    /// Prepares `sql` (written for both backends) once per connection.
    pub(super) fn prepare(&self, sql: &str) -> Result<PgStmt<'_>> {
        if let Some((statement, changes_rows)) = self.statements.borrow().get(sql) {
            return Ok(PgStmt {
                conn: self,
                statement: statement.clone(),
                changes_rows: *changes_rows,
            });
        }
        let translated = translate(sql);
        let statement = self.call(|client| client.prepare(&translated))?;
        let first_word = sql.split_whitespace().next().unwrap_or("");
        let changes_rows = ["INSERT", "UPDATE", "DELETE"]
            .iter()
            .any(|w| first_word.eq_ignore_ascii_case(w));
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), (statement.clone(), changes_rows));
        Ok(PgStmt {
            conn: self,
            statement,
            changes_rows,
        })
    }

    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        self.call(|client| client.batch_execute(sql))
    }

    /// Whether a statement failed since the last call.
    pub(super) fn take_failed(&self) -> bool {
        self.failed.replace(false)
    }

    pub(super) fn is_closed(&self) -> bool {
        self.client
            .try_borrow()
            .is_ok_and(|c| c.as_ref().is_none_or(postgres::Client::is_closed))
    }

    /// Runs one client call, off the async threads if need be, noting a failure.
    fn call<T: Send>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> std::result::Result<T, postgres::Error> + Send,
    ) -> Result<T> {
        let mut client = self.client()?;
        let client: &mut postgres::Client = &mut client;
        off_the_runtime(move || f(client)).map_err(|e| {
            self.failed.set(true);
            Error::from(e)
        })
    }

    /// Waits up to `wait` for a notification on a channel this connection `LISTEN`s to, then
    /// takes every one already arrived: their payloads (none: the wait ran out, or the
    /// connection closed, which `is_closed` then says).
    pub(super) fn notifications(&self, wait: std::time::Duration) -> Result<Vec<String>> {
        use postgres::fallible_iterator::FallibleIterator;
        self.call(|client| {
            let mut notifications = client.notifications();
            let mut payloads = Vec::new();
            let first = notifications.timeout_iter(wait).next()?;
            if let Some(first) = first {
                payloads.push(first.payload().to_string());
                let mut pending = notifications.iter();
                while let Some(more) = pending.next()? {
                    payloads.push(more.payload().to_string());
                }
            }
            Ok(payloads)
        })
    }

    pub(super) fn total_changes(&self) -> u64 {
        self.changes.get()
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, postgres::Client>> {
        let borrowed = self.client.try_borrow_mut().map_err(|_| {
            Error::Conversion("a PostgreSQL connection was used inside its own query".into())
        })?;
        std::cell::RefMut::filter_map(borrowed, Option::as_mut)
            .map_err(|_| Error::Conversion("the PostgreSQL connection is being closed".into()))
    }
}

impl Drop for PgConn {
    /// Closing runs the client's runtime too (a store dropped as `serve` returns).
    fn drop(&mut self) {
        if let Some(client) = self.client.get_mut().take() {
            off_the_runtime(move || drop(client));
        }
    }
}

thread_local! {
    static MAY_BLOCK: Cell<bool> = const { Cell::new(false) };
}

/// Marks the current thread, for the duration of `f`, as one where PostgreSQL calls may block
/// (the store's readers, which run on tokio's blocking threads).
pub fn may_block<T>(f: impl FnOnce() -> T) -> T {
    let before = MAY_BLOCK.replace(true);
    let result = f();
    MAY_BLOCK.set(before);
    result
}

/// Runs `f` where it may block on the PostgreSQL client's own runtime, which cannot start on
/// an async thread: there (a test, a command's async code) on a scoped thread of its own; on
/// the writer thread and the readers, in place.
pub fn off_the_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() || MAY_BLOCK.get() {
        return f();
    }
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// The parameters as PostgreSQL takes them: one reference per value.
fn values<P: Params>(params: &P) -> Vec<Value<'_>> {
    (0..params.count()).map(|i| params.value(i)).collect()
}

impl PgStmt<'_> {
    pub(super) fn execute<P: Params>(&self, params: &P) -> Result<usize> {
        let values = values(params);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        let statement = &self.statement;
        let changed = self.conn.call(|client| client.execute(statement, &refs))?;
        self.conn.changes.set(self.conn.changes.get() + changed);
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub(super) fn query<P: Params>(&self, params: &P) -> Result<Vec<postgres::Row>> {
        let values = values(params);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        let statement = &self.statement;
        let rows = self.conn.call(|client| client.query(statement, &refs))?;
        // `INSERT … RETURNING` and the like change rows too.
        if self.changes_rows {
            self.conn
                .changes
                .set(self.conn.changes.get() + rows.len() as u64);
        }
        Ok(rows)
    }
}

/// SQLite's `?N` placeholders become `$N` (a bare `?` takes the next number), SQLite's
/// `INDEXED BY name` planner hints are dropped, and a JSON field of a text column,
/// `col ->> '$.key'`, reads `col::jsonb ->> 'key'`; other quoted text is left alone.
pub(super) fn translate(sql: &str) -> String {
    let sql = sql.replace(" ->> '$.", "::jsonb ->> '");
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next_bare = 0u32;
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                if digits.is_empty() {
                    next_bare += 1;
                    digits = next_bare.to_string();
                }
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    drop_indexed_by(&out)
}

fn drop_indexed_by(sql: &str) -> String {
    const HINT: &str = " INDEXED BY ";
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(HINT) {
        out.push_str(&rest[..at]);
        let after = &rest[at + HINT.len()..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out
}

/// Column `index` of a PostgreSQL row, by the type the server gave it.
pub(super) fn value_at(row: &postgres::Row, index: usize) -> Result<Value<'_>> {
    let column = row
        .columns()
        .get(index)
        .ok_or_else(|| Error::column(index, "the query has no such column"))?;
    let ty = column.type_().clone();
    let value = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)?
            .map(|i| Value::Int(i.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)?
            .map(|i| Value::Int(i.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(index)?
            .map(|b| Value::Int(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(index)?
            .map(|f| Value::Real(f.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            row.try_get::<_, Option<&str>>(index)?.map(Value::Text)
        }
        Type::BYTEA => row.try_get::<_, Option<&[u8]>>(index)?.map(Value::Blob),
        Type::NUMERIC => {
            return Err(Error::column(
                index,
                format!(
                    "`{}` is NUMERIC (a SUM or AVG of integers?): CAST it AS BIGINT in the query",
                    column.name()
                ),
            ));
        }
        other => {
            return Err(Error::column(
                index,
                format!(
                    "`{}` has type {other}, which the store does not read",
                    column.name()
                ),
            ));
        }
    };
    Ok(value.unwrap_or(Value::Null))
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (*self, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Int(i), &Type::INT4) => i32::try_from(i)?.to_sql(ty, out),
            (Value::Int(i), &Type::INT2) => i16::try_from(i)?.to_sql(ty, out),
            (Value::Int(i), &Type::BOOL) => (i != 0).to_sql(ty, out),
            (Value::Int(i), &Type::FLOAT8) => (i as f64).to_sql(ty, out),
            (Value::Int(i), &Type::TEXT) => i.to_string().to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT4) => (f as f32).to_sql(ty, out),
            (Value::Text(s), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME) => {
                s.to_sql(ty, out)
            }
            (Value::Blob(b), &Type::BYTEA) => b.to_sql(ty, out),
            (value, ty) => Err(format!("cannot send {} as a {ty} parameter", value.kind()).into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}
