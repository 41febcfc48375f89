//! The store's one query interface, over SQLite (the embedded default) or PostgreSQL.
//!
//! The store writes its SQL once, in the form both databases accept: `?N` placeholders, `ON
//! CONFLICT` upserts, `RETURNING` for new ids, `CAST(SUM(…) AS BIGINT)`. The PostgreSQL side
//! rewrites the placeholders to `$N` and drops SQLite's `INDEXED BY` planner hints; values cross
//! as [`Value`], SQLite's five storage classes, so one row mapper serves both backends.
//! What stays per-backend (opening, pragmas, migrations, the writer's transaction) asks
//! [`Db::sqlite`] or [`Db::kind`].

mod pg;
mod sqlite;
pub mod test_cluster;
mod value;

#[cfg(test)]
mod tests;

pub use crate::__store_params as params;
pub use pg::{may_block, off_the_runtime};
pub use value::{FromValue, Params, ToValue, Value};

/// Which database a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        }
    }
}

#[derive(Debug)]
pub enum Error {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
    /// A query that must return a row returned none.
    NoRows,
    /// A value could not become what the caller asked for (a row mapper's own check included).
    Conversion(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A column's value that the mapper cannot use.
    pub fn column(index: usize, why: impl std::fmt::Display) -> Error {
        Error::Conversion(format!("column {index}: {why}"))
    }

    /// Whether the database could not be reached (down, restarting, the connection cut): the
    /// caller should retry, not report a fault.
    pub fn is_unavailable(&self) -> bool {
        use postgres::error::SqlState;
        match self {
            Error::Postgres(e) => {
                e.is_closed()
                    || match e.code() {
                        Some(code) => {
                            code.code().starts_with("08")
                                || [
                                    SqlState::ADMIN_SHUTDOWN,
                                    SqlState::CRASH_SHUTDOWN,
                                    SqlState::CANNOT_CONNECT_NOW,
                                ]
                                .contains(code)
                        }
                        // No answer from the server at all: the connection failed.
                        None => e.as_db_error().is_none(),
                    }
            }
            _ => false,
        }
    }

    /// Whether the database refused the write for want of disk space.
    pub fn is_disk_full(&self) -> bool {
        match self {
            Error::Sqlite(e) => {
                matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DiskFull))
            }
            Error::Postgres(e) => e.code() == Some(&postgres::error::SqlState::DISK_FULL),
            _ => false,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Sqlite(e) => write!(f, "{e}"),
            Error::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "{}: {}", db.code().code(), db.message()),
                None => write!(f, "{e}"),
            },
            Error::NoRows => write!(f, "the query returned no rows"),
            Error::Conversion(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRows,
            e => Error::Sqlite(e),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Postgres(e)
    }
}

/// `query_row(…).optional()`: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// One connection to the store's database.
pub struct Db {
    backend: Backend,
}

enum Backend {
    Sqlite(rusqlite::Connection),
    Postgres(Box<pg::PgConn>),
}

impl Db {
    pub fn from_sqlite(conn: rusqlite::Connection) -> Db {
        Db {
            backend: Backend::Sqlite(conn),
        }
    }

    pub fn connect_postgres(config: &postgres::Config) -> Result<Db> {
        Ok(Db {
            backend: Backend::Postgres(Box::new(pg::PgConn::connect(config)?)),
        })
    }

    pub fn kind(&self) -> Kind {
        match self.backend {
            Backend::Sqlite(_) => Kind::Sqlite,
            Backend::Postgres(_) => Kind::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, the WAL, `user_version`).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.backend {
            Backend::Sqlite(conn) => Some(conn),
            Backend::Postgres(_) => None,
        }
    }

    pub fn sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.backend {
            Backend::Sqlite(conn) => Some(conn),
            Backend::Postgres(_) => None,
        }
    }

    /// A statement kept prepared for the next call with the same SQL.
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        Ok(Stmt {
            inner: match &self.backend {
                Backend::Sqlite(conn) => StmtInner::Cached(conn.prepare_cached(sql)?),
                Backend::Postgres(conn) => StmtInner::Postgres(conn.prepare(sql)?),
            },
        })
    }

    /// A statement for SQL that varies (built at run time): not kept on SQLite.
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        Ok(Stmt {
            inner: match &self.backend {
                Backend::Sqlite(conn) => StmtInner::Plain(conn.prepare(sql)?),
                Backend::Postgres(conn) => StmtInner::Postgres(conn.prepare(sql)?),
            },
        })
    }

    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare(sql)?.execute(params)
    }

    pub fn query_row<T, P, F>(&self, sql: &str, params: P, map: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.prepare(sql)?.query_row(params, map)
    }

    /// Runs statements without parameters, one after another.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Backend::Postgres(conn) => conn.batch(sql),
        }
    }

    /// Whether a statement failed since the last call (PostgreSQL has then aborted the open
    /// transaction; SQLite has not, so there it is always false).
    pub fn take_failed(&self) -> bool {
        match &self.backend {
            Backend::Sqlite(_) => false,
            Backend::Postgres(conn) => conn.take_failed(),
        }
    }

    /// Whether the server or the network closed the connection (never, for SQLite).
    pub fn is_closed(&self) -> bool {
        match &self.backend {
            Backend::Sqlite(_) => false,
            Backend::Postgres(conn) => conn.is_closed(),
        }
    }

    /// PostgreSQL's notifications on the channels this connection `LISTEN`s to: waits up to
    /// `wait` for one, then takes all that have arrived. SQLite has none to give.
    pub fn notifications(&self, wait: std::time::Duration) -> Result<Vec<String>> {
        match &self.backend {
            Backend::Sqlite(_) => Err(Error::Conversion(
                "SQLite has no notifications: only a PostgreSQL store listens".into(),
            )),
            Backend::Postgres(conn) => conn.notifications(wait),
        }
    }

    /// Rows changed since the connection opened: a job that changed none left nothing behind.
    pub fn total_changes(&self) -> u64 {
        match &self.backend {
            Backend::Sqlite(conn) => conn.total_changes(),
            Backend::Postgres(conn) => conn.total_changes(),
        }
    }
}

/// A prepared statement.
pub struct Stmt<'c> {
    inner: StmtInner<'c>,
}

/// A statement of either backend, borrowed for one call.
enum Either<'s, 'c> {
    Sqlite(&'s mut rusqlite::Statement<'c>),
    Postgres(&'s pg::PgStmt<'c>),
}

enum StmtInner<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Plain(rusqlite::Statement<'c>),
    Postgres(pg::PgStmt<'c>),
}

impl<'c> Stmt<'c> {
    fn backend(&mut self) -> Either<'_, 'c> {
        match &mut self.inner {
            StmtInner::Cached(stmt) => Either::Sqlite(stmt),
            StmtInner::Plain(stmt) => Either::Sqlite(stmt),
            StmtInner::Postgres(stmt) => Either::Postgres(stmt),
        }
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match self.backend() {
            Either::Sqlite(stmt) => Ok(stmt.execute(sqlite::bind(&params))?),
            Either::Postgres(stmt) => stmt.execute(&params),
        }
    }

    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let inner = match self.backend() {
            Either::Sqlite(stmt) => RowsInner::Sqlite(stmt.query(sqlite::bind(&params))?),
            Either::Postgres(stmt) => RowsInner::Postgres {
                rows: stmt.query(&params)?.into_iter(),
                current: None,
            },
        };
        Ok(Rows { inner })
    }

    pub fn query_map<T, P, F>(&mut self, params: P, map: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            map,
        })
    }

    /// The first row, mapped; [`Error::NoRows`] when there is none.
    pub fn query_row<T, P, F>(&mut self, params: P, map: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => map(&row),
            None => Err(Error::NoRows),
        }
    }

    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        Ok(self.query(params)?.next()?.is_some())
    }
}

/// The rows of a query, read one at a time.
pub struct Rows<'s> {
    inner: RowsInner<'s>,
}

enum RowsInner<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres {
        rows: std::vec::IntoIter<postgres::Row>,
        current: Option<postgres::Row>,
    },
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)] // a lending iterator: each row borrows the cursor
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match &mut self.inner {
            RowsInner::Sqlite(rows) => Ok(rows.next()?.map(|row| Row {
                inner: RowInner::Sqlite(row),
            })),
            RowsInner::Postgres { rows, current } => {
                *current = rows.next();
                Ok(current.as_ref().map(|row| Row {
                    inner: RowInner::Postgres(row),
                }))
            }
        }
    }
}

/// Rows turned into values by a mapper, as an iterator.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    map: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.map)(&row)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One row of a result.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// The value of column `index` (from 0), borrowed from the row.
    pub fn get_value(&self, index: usize) -> Result<Value<'_>> {
        match &self.inner {
            RowInner::Sqlite(row) => sqlite::value_at(row, index),
            RowInner::Postgres(row) => pg::value_at(row, index),
        }
    }

    /// Column `index` (from 0) as `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T> {
        T::from_value(self.get_value(index)?).map_err(|why| Error::column(index, why))
    }
}
