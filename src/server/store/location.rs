//! Where the store keeps its data, and opening connections to it: a SQLite file in the data
//! dir (the default, nothing to set up) or a PostgreSQL database several coordinators share.

use super::db::{self, Db};
use super::wal;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(Box<PostgresTarget>),
}

/// A PostgreSQL database to connect to; shown (in logs, errors, `Debug`) without its password.
#[derive(Clone)]
pub struct PostgresTarget {
    config: postgres::Config,
    shown: String,
}

impl PostgresTarget {
    /// Reads a `postgres://` URL or libpq's `host=… user=…` pairs.
    pub fn parse(url: &str) -> Result<PostgresTarget, String> {
        let shown = crate::config::mask_database_url(url);
        let mut config: postgres::Config = url.parse().map_err(|e| format!("{shown}: {e}"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        // A coordinator killed mid-transaction, or cut off, must not hold the write lock long.
        config
            .keepalives(true)
            .keepalives_idle(std::time::Duration::from_secs(10));
        Ok(PostgresTarget { config, shown })
    }

    /// The password read from a file (`EDGECODER_DATABASE_PASSWORD_FILE`).
    pub fn with_password(mut self, password: &[u8]) -> PostgresTarget {
        self.config.password(password);
        self
    }

    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub fn connect(&self) -> db::Result<Db> {
        Db::connect_postgres(&self.config)
    }
}

impl std::fmt::Debug for PostgresTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Location {
    /// Says where, for messages and logs: a PostgreSQL password is never shown.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(target) => target.shown().to_string(),
        }
    }

    pub fn kind(&self) -> db::Kind {
        match self {
            Location::Sqlite(_) => db::Kind::Sqlite,
            Location::Postgres(_) => db::Kind::Postgres,
        }
    }

    /// A connection for the writer (`read_only` false) or a reader.
    pub fn connect(&self, read_only: bool) -> Result<Db, String> {
        match self {
            Location::Sqlite(path) => open_connection(path, read_only)
                .map(Db::from_sqlite)
                .map_err(|e| format!("cannot open: {e}")),
            Location::Postgres(target) => {
                target.connect().map_err(|e| format!("cannot connect: {e}"))
            }
        }
    }
}

#[derive(Debug)]
pub struct StoreOpenError {
    pub location: String,
    pub reason: String,
}

impl StoreOpenError {
    pub(super) fn new(location: &Location, reason: impl Into<String>) -> Self {
        StoreOpenError {
            location: location.describe(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for StoreOpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database {}: {}", self.location, self.reason)
    }
}

impl std::error::Error for StoreOpenError {}

pub(super) fn open_connection(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    if !read_only {
        // WAL with synchronous=NORMAL: a committed transaction survives the process being killed
        // at any moment; only an OS crash or power cut can lose the last few commits.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Checkpoints run on their own thread (see `wal`), not inside the writer's commits,
        // where they took an eighth of its time.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", wal::WAL_SIZE_LIMIT_BYTES)?;
        // 16 MiB of page cache keeps the hot queue in memory without a large RSS.
        conn.pragma_update(None, "cache_size", -16384)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
    }
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}
