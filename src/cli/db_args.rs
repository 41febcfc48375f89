//! `edgecoder db`: the coordinator's database, outside a running `serve`.

use super::common_args::ConfigArgs;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Which database the coordinator uses, its schema version and the migrations pending.
    Status(DbStatusArgs),
    /// Bring the schema up to date now (`serve` also does this when it starts; coordinators
    /// sharing a PostgreSQL database migrate it once between them).
    Migrate(DbTarget),
    /// Copy every row of a coordinator's database into another, empty one (a SQLite
    /// coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first.
    Copy(DbCopyArgs),
}

#[derive(Debug, Args)]
pub struct DbCopyArgs {
    /// The database to read: `sqlite:PATH`, or `postgres://…`.
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The database to fill: `postgres://…` or `sqlite:PATH`; made and migrated if need be,
    /// and it must hold no data yet.
    #[arg(long, value_name = "URL")]
    pub to: String,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Which database: the same settings `serve` reads.
#[derive(Debug, Args)]
pub struct DbTarget {
    /// `sqlite` (edgecoder.db in the data dir), `sqlite:PATH` or `postgres://user@host/db`
    /// (default: EDGECODER_DATABASE_URL, else sqlite).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// The coordinator's data dir (where a SQLite database lives).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct DbStatusArgs {
    #[command(flatten)]
    pub target: DbTarget,
    /// Machine-readable output (see docs/json-output.md).
    #[arg(
        long,
        default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
        help_heading = "Output options"
    )]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json; strings print raw).
    #[arg(long, value_name = "EXPR", help_heading = "Output options")]
    pub jq: Option<String>,
}
