//! `server ledger verify | export`.

use super::Ctx;
use crate::api::ledger_chain::EXPORT_FORMAT;
use crate::api::{ExportLine, LedgerVerify};
use crate::cli::credits_args::LedgerCommand;
use crate::cli::exit::{CliError, ERROR, OK};
use crate::cli::output::{Tone, paint, print_json};
use std::io::Write as _;

const EXPORT_PAGE: u32 = 10_000;

pub fn run(ctx: &Ctx, cmd: LedgerCommand) -> Result<u8, CliError> {
    match cmd {
        LedgerCommand::Verify => {
            let verdict = ctx.call(ctx.remote.client.ledger_verify())?;
            if ctx.json {
                print_json(&verdict)?;
            } else {
                let key = ctx.call(ctx.remote.client.ledger_checkpoints())?.public_key;
                print_verdict(&verdict, ctx.colour);
                println!("ledger key: {key}");
            }
            Ok(if verdict.ok { OK } else { ERROR })
        }
        LedgerCommand::Export { since } => export(ctx, since),
    }
}

/// The human form of a verdict, shared with the offline `edgecoder ledger verify`.
pub fn print_verdict(v: &LedgerVerify, colour: bool) {
    if v.ok {
        println!(
            "{}: {} entries, head seq {} hash {}, {} signed checkpoints checked",
            paint("OK", Tone::Good, colour),
            v.count,
            v.head_seq,
            v.head_hash,
            v.checkpoints_checked
        );
    } else {
        let at = v
            .first_bad_seq
            .map(|s| format!(" at seq {s}"))
            .unwrap_or_default();
        println!(
            "{}{at}: {}",
            paint("BAD", Tone::Bad, colour),
            v.reason.as_deref().unwrap_or("unknown")
        );
        println!(
            "  {} entries verified before it (head seq {}, hash {})",
            v.count, v.head_seq, v.head_hash
        );
    }
}

fn export(ctx: &Ctx, since: i64) -> Result<u8, CliError> {
    if since < 0 {
        return Err(CliError::usage("--since must be 0 or more"));
    }
    let checkpoints = ctx.call(ctx.remote.client.ledger_checkpoints())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut line = |l: &ExportLine| -> Result<(), CliError> {
        let text = serde_json::to_string(l)
            .map_err(|e| CliError::error(format!("cannot encode an export line: {e}")))?;
        writeln!(out, "{text}").map_err(|e| CliError::error(format!("cannot write: {e}")))
    };
    line(&ExportLine::Header {
        format: EXPORT_FORMAT.to_string(),
        public_key: checkpoints.public_key.clone(),
        since,
    })?;
    let mut after = since;
    let mut head = since;
    loop {
        let page = ctx.call(ctx.remote.client.ledger(after, EXPORT_PAGE))?;
        for e in page.entries {
            head = e.seq;
            line(&ExportLine::Entry(e))?;
        }
        match page.next_after {
            Some(next) => after = next,
            None => break,
        }
    }
    // Only checkpoints this export's entries can be checked against.
    for c in checkpoints.checkpoints {
        if c.seq > since && c.seq <= head {
            line(&ExportLine::Checkpoint(c))?;
        }
    }
    out.flush()
        .map_err(|e| CliError::error(format!("cannot write: {e}")))?;
    Ok(OK)
}
