//! `edgecoder ledger verify --file export.jsonl`: checks an export with no coordinator, using the
//! same chain rules as the coordinator (src/api/ledger_chain.rs).

use super::credits_args::{OfflineLedgerArgs, OfflineLedgerCommand};
use super::exit::{CliError, ERROR, OK};
use super::output::{colour_enabled, print_json};
use crate::api::ledger_chain::{ChainVerifier, EXPORT_FORMAT, EntryFields, hash_from_hex};
use crate::api::{Checkpoint, ExportLine, LedgerEntry};
use std::io::BufRead as _;

pub fn run(args: OfflineLedgerArgs) -> Result<u8, CliError> {
    match args.command {
        OfflineLedgerCommand::Verify {
            file,
            public_key,
            json,
            ..
        } => {
            let shown = file.display().to_string();
            let f = std::fs::File::open(&file)
                .map_err(|e| CliError::error(format!("cannot read {shown}: {e}")))?;
            let mut header: Option<(String, i64)> = None;
            let mut entries: Vec<LedgerEntry> = Vec::new();
            let mut checkpoints: Vec<Checkpoint> = Vec::new();
            for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
                let line =
                    line.map_err(|e| CliError::error(format!("cannot read {shown}: {e}")))?;
                if line.trim().is_empty() {
                    continue;
                }
                let parsed: ExportLine = serde_json::from_str(&line).map_err(|e| {
                    CliError::error(format!(
                        "{shown} line {}: not a line of `edgecoder server ledger export` ({e})",
                        n + 1
                    ))
                })?;
                match parsed {
                    ExportLine::Header {
                        format,
                        public_key,
                        since,
                    } => {
                        if format != EXPORT_FORMAT {
                            return Err(CliError::error(format!(
                                "{shown}: export format {format:?} is not {EXPORT_FORMAT:?}: \
                                 use the edgecoder that made it"
                            )));
                        }
                        header = Some((public_key, since));
                    }
                    ExportLine::Entry(e) => entries.push(e),
                    ExportLine::Checkpoint(c) => checkpoints.push(c),
                }
            }
            let (file_key, since) = header.ok_or_else(|| {
                CliError::error(format!(
                    "{shown} has no header line: make it with `edgecoder server ledger export`"
                ))
            })?;
            let trusted_from_flag = public_key.is_some();
            let key_hex = public_key.unwrap_or(file_key);
            let key = hash_from_hex(&key_hex).ok_or_else(|| {
                CliError::usage(format!(
                    "public key {key_hex:?} is not 32 bytes of hex (64 characters)"
                ))
            })?;
            let mut walker = ChainVerifier::new(&checkpoints, Some(&key), since == 0);
            for e in &entries {
                let fields = EntryFields::from(e);
                let prev = hex::decode(&e.prev_hash).unwrap_or_default();
                let hash = hex::decode(&e.hash).unwrap_or_default();
                if !walker.push(&fields, &prev, &hash) {
                    break;
                }
            }
            let verdict = walker.finish();
            if json {
                print_json(&verdict)?;
            } else {
                super::remote_cmd::print_verdict(&verdict, colour_enabled());
                if since > 0 {
                    println!(
                        "  the export starts after seq {since}: its first entry's link to earlier \
                         entries was taken as given"
                    );
                }
                if !trusted_from_flag {
                    println!(
                        "  signatures were checked with the key in the file; pass --public-key \
                         with the key `edgecoder server ledger verify` shows to trust no file"
                    );
                }
            }
            Ok(if verdict.ok { OK } else { ERROR })
        }
    }
}
