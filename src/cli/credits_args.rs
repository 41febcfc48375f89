//! Clap definitions of `edgecoder server credits …`, `server ledger …` and the offline
//! `edgecoder ledger verify`; the work is in `cli/remote_cmd/credits.rs`,
//! `cli/remote_cmd/ledger.rs` and `cli/ledger_offline.rs`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum CreditsCommand {
    /// An account's balance (default: yours); `--all` lists every account you may see.
    Balance {
        /// treasury, user:<token id>, node:<node id>, or `me`.
        account: Option<String>,
        /// Every account you may see (all of them for an admin).
        #[arg(long, conflicts_with = "account")]
        all: bool,
    },
    /// An account's ledger entries, oldest first (default: yours).
    History {
        /// treasury, user:<token id>, node:<node id>, or `me` (the default).
        account: Option<String>,
        /// Only entries after this sequence number.
        #[arg(long, value_name = "SEQ", default_value_t = 0)]
        after: i64,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`.
    Grant {
        /// The account to credit: user:<token id> or node:<node id>.
        account: String,
        /// Decimal credits, at most 3 decimals (1.5 = 1500 milli-credits).
        #[arg(allow_negative_numbers = true)]
        amount: String,
    },
    /// Move credits from your account (or `--from` a node you enrolled) to another account.
    Transfer {
        /// The account that receives: user:<token id> or node:<node id>.
        to: String,
        /// Decimal credits, at most 3 decimals.
        #[arg(allow_negative_numbers = true)]
        amount: String,
        /// Pay from this account instead of yours: a node you enrolled (node:<node id>).
        #[arg(long, value_name = "ACCOUNT")]
        from: Option<String>,
    },
    /// What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`.
    Quote(QuoteArgs),
}

#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// The task's wall-clock limit, e.g. 30s, 10m (default: the coordinator's).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// What the task needs: `gpu`.
    #[arg(long = "requires", value_name = "WHAT")]
    pub requires: Vec<String>,
    /// The command, after `--` (the price does not depend on it).
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry.
    Verify,
    /// Print the ledger: JSON lines with the signed checkpoints (checked offline by
    /// `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window.
    Export {
        /// Entries from this time on: RFC 3339 (2026-11-24T09:30:00Z, or with an offset like
        /// +01:00) or a date (2026-11-24, from its start, UTC); a plain number N means the
        /// entries after sequence number N.
        #[arg(long, value_name = "TIME|SEQ", default_value = "0")]
        since: String,
        /// Entries before this time: RFC 3339, or a date (up to its end, so the day is
        /// included, UTC).
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        /// jsonl: the verifiable export (header, entries, checkpoints); csv: one row per entry
        /// with the names of accounts' tokens and nodes, amounts in credits.
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
    },
}

/// The forms of `server ledger export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Header, entries and checkpoints as JSON lines, checkable by `edgecoder ledger verify`.
    Jsonl,
    /// One row per entry with account and actor names, amounts in credits.
    Csv,
}

/// `edgecoder ledger …`: checks that need no coordinator.
#[derive(Debug, Args)]
pub struct OfflineLedgerArgs {
    #[command(subcommand)]
    pub command: OfflineLedgerCommand,
}

#[derive(Debug, Subcommand)]
pub enum OfflineLedgerCommand {
    /// Check an export from `edgecoder server ledger export`: the chain and its signatures.
    Verify {
        /// The JSON-lines export.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// The coordinator's ledger public key (hex) to trust instead of the one in the file.
        #[arg(long, value_name = "HEX")]
        public_key: Option<String>,
        /// Machine-readable output (see docs/json-output.md).
        #[arg(
            long,
            default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
            help_heading = "Output options"
        )]
        json: bool,
        /// Filter the JSON output with a jq expression (implies --json; strings print raw).
        #[arg(long, value_name = "EXPR", help_heading = "Output options")]
        jq: Option<String>,
    },
}
