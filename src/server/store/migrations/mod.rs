//! The store's schema versions, one numbered list per backend that must reach the same schema
//! (`schema_tests.rs` compares them). Run at every start; `edgecoder db migrate` runs them alone
//! and `edgecoder db status` reports them.

use super::db::{Db, Kind};

pub mod introspect;
mod postgres;
mod sqlite;

#[cfg(test)]
mod schema_tests;

/// The schema version this edgecoder writes.
pub fn latest() -> u32 {
    sqlite::MIGRATIONS.len() as u32
}

/// Where a database's schema stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    pub backend: Kind,
    /// 0 for a database nothing has been written to.
    pub version: u32,
    pub latest: u32,
    /// The versions a migration would apply, in order (on PostgreSQL the first brings an empty
    /// database straight to its baseline).
    pub pending: Vec<u32>,
}

/// Brings the schema up to date; refuses a database made by a newer edgecoder. On PostgreSQL
/// coordinators starting together take turns, so each migration runs once.
pub fn run(db: &mut Db) -> Result<(), String> {
    match db.sqlite_mut() {
        Some(conn) => sqlite::run(conn),
        None => postgres::run(db),
    }
}

pub fn status(db: &Db) -> Result<SchemaStatus, String> {
    let (version, pending): (u32, Vec<u32>) = match db.sqlite() {
        Some(conn) => {
            let version = sqlite::version(conn)?;
            (version, (version + 1..=latest()).collect())
        }
        None => {
            let version = postgres::version(db)?;
            (version, postgres::pending(version))
        }
    };
    Ok(SchemaStatus {
        backend: db.kind(),
        version,
        latest: latest(),
        pending,
    })
}

fn refuse_newer(current: u32) -> Result<(), String> {
    let known = latest();
    if current > known {
        return Err(format!(
            "schema version {current} is newer than this edgecoder knows ({known}); \
             run the newer edgecoder, or point it at another database"
        ));
    }
    Ok(())
}
