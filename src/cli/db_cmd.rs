//! `edgecoder db status` and `db migrate`.

use super::db_args::{DbArgs, DbCommand, DbCopyArgs, DbStatusArgs, DbTarget};
use super::exit::{CliError, OK};
use crate::config::{self, paths};
use crate::server::store::Location;
use crate::server::store::db::Db;
use crate::server::store::migrations;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `db status --json` (docs/json-output.md, "DbStatus").
#[derive(Serialize)]
struct DbStatus {
    backend: &'static str,
    /// The database, a PostgreSQL password masked.
    database: String,
    /// 0: nothing has been written to it yet.
    version: u32,
    latest: u32,
    pending: Vec<u32>,
}

pub fn run(args: DbArgs) -> Result<u8, CliError> {
    match args.command {
        DbCommand::Status(args) => status(args),
        DbCommand::Migrate(target) => migrate(target),
        DbCommand::Copy(args) => copy(args),
    }
}

fn location(target: &DbTarget) -> Result<Location, CliError> {
    let mut flags: BTreeMap<&'static str, String> = BTreeMap::new();
    if let Some(d) = &target.database {
        flags.insert("database", d.clone());
    }
    if let Some(d) = &target.data_dir {
        flags.insert("data_dir", d.display().to_string());
    }
    let resolved = config::resolve(&flags, &super::common_args::discovery(&target.config))?;
    let data_dir = resolved
        .get("data_dir")
        .map(PathBuf::from)
        .unwrap_or_else(paths::default_data_dir);
    super::database::location(&resolved, &data_dir)
}

/// What a failure of `location` tells the user.
fn failed(location: &Location) -> impl Fn(String) -> CliError + '_ {
    move |why| CliError::error(format!("database {}: {why}", location.describe()))
}

/// Opens the database without creating it: a SQLite file that is not there yet is an error
/// that says so, not a new empty file.
fn open(location: &Location) -> Result<Db, CliError> {
    if let Location::Sqlite(path) = location
        && !path.exists()
    {
        return Err(CliError::error(format!(
            "no database at {} yet: `edgecoder serve` creates it (or give --data-dir / --database)",
            path.display()
        )));
    }
    location.connect(false).map_err(failed(location))
}

fn status(args: DbStatusArgs) -> Result<u8, CliError> {
    let location = location(&args.target)?;
    let db = open(&location)?;
    let found = migrations::status(&db).map_err(failed(&location))?;
    let report = DbStatus {
        backend: found.backend.as_str(),
        database: location.describe(),
        version: found.version,
        latest: found.latest,
        pending: found.pending,
    };
    if args.json {
        super::output::print_json(&report)?;
        return Ok(OK);
    }
    println!("backend:  {}", report.backend);
    println!("database: {}", report.database);
    println!(
        "schema:   version {} (this edgecoder writes {})",
        report.version, report.latest
    );
    match report.pending.as_slice() {
        [] if report.version > report.latest => {
            println!("pending:  none; the schema is newer than this edgecoder: run the newer one")
        }
        [] => println!("pending:  none"),
        pending => println!(
            "pending:  {} (`edgecoder db migrate` applies them; `serve` does at start)",
            pending
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
    Ok(OK)
}

fn migrate(target: DbTarget) -> Result<u8, CliError> {
    let location = location(&target)?;
    let mut db = open_or_create(&location)?;
    let before = migrations::status(&db).map_err(failed(&location))?.version;
    migrations::run(&mut db).map_err(failed(&location))?;
    let after = migrations::status(&db).map_err(failed(&location))?.version;
    if before == after {
        println!("{}: already at schema version {after}", location.describe());
    } else {
        println!(
            "{}: migrated from schema version {before} to {after}",
            location.describe()
        );
    }
    Ok(OK)
}

fn copy(args: DbCopyArgs) -> Result<u8, CliError> {
    let target = |database: &str| DbTarget {
        database: Some(database.to_string()),
        data_dir: None,
        config: args.config.clone(),
    };
    let from = location(&target(&args.from))?;
    let to = location(&target(&args.to))?;
    // A coordinator still writing to a SQLite source would write after the snapshot is taken:
    // hold its data dir's lock, as a second `serve` would, for the whole copy.
    let _held = match &from {
        Location::Sqlite(path) => Some(hold_data_dir(path)?),
        Location::Postgres(_) => None,
    };
    let source = open(&from)?;
    let mut target = open_or_create(&to)?;
    let report = crate::server::store::copy::copy(&source, &mut target).map_err(|why| {
        CliError::error(format!(
            "copy from {} to {}: {why}",
            from.describe(),
            to.describe()
        ))
    })?;
    for (table, rows) in &report.tables {
        println!("{rows:>9}  {table}");
    }
    println!(
        "copied {} rows from {} to {}",
        report.rows(),
        from.describe(),
        to.describe()
    );
    println!(
        "next: start the coordinator on it with the data dir that holds its keys \
         (ledger-signing.key, task-secrets.key), then `edgecoder server ledger verify`"
    );
    Ok(OK)
}

fn hold_data_dir(db_file: &std::path::Path) -> Result<crate::files::FileLock, CliError> {
    let dir = db_file.parent().unwrap_or(std::path::Path::new("."));
    match crate::files::FileLock::try_acquire(&dir.join("coordinator.lock")) {
        Ok(Some(lock)) => Ok(lock),
        Ok(None) => Err(CliError::error(format!(
            "a coordinator is running on {}: stop it first, so nothing it writes is left behind",
            dir.display()
        ))),
        Err(e) => Err(CliError::error(format!(
            "cannot lock {}: {e}",
            dir.join("coordinator.lock").display()
        ))),
    }
}

/// Opens the database, making a SQLite file (in a private data dir, as `serve` would) when
/// there is none yet.
fn open_or_create(location: &Location) -> Result<Db, CliError> {
    Ok(match location {
        // A new SQLite file is made by migrating, in a private data dir, as `serve` would.
        Location::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.exists()) {
                crate::config::private_dir::make_private(dir).map_err(|e| {
                    CliError::error(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
            location.connect(false).map_err(failed(location))?
        }
        Location::Postgres(_) => open(location)?,
    })
}
