//! `server ledger verify | export`.

use super::Ctx;
use super::ledger_window::{self, Step, Window};
use crate::api::ledger_chain::EXPORT_FORMAT;
use crate::api::{ExportLine, LedgerVerify};
use crate::cli::credits_args::{ExportFormat, LedgerCommand};
use crate::cli::exit::{CliError, ERROR, OK};
use crate::cli::output::{Tone, paint, print_json};
use std::collections::BTreeMap;
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
        LedgerCommand::Export {
            since,
            until,
            format,
        } => {
            let since = ledger_window::parse_since(&since)?;
            let until = until
                .as_deref()
                .map(ledger_window::parse_until)
                .transpose()?;
            let window = ledger_window::Window::new(since, until);
            match format {
                ExportFormat::Jsonl => export(ctx, window),
                ExportFormat::Csv => export_csv(ctx, window),
            }
        }
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

/// Every entry of the window, in order, page by page; `write` gets each one.
fn each_entry(
    ctx: &Ctx,
    mut window: Window,
    mut write: impl FnMut(&crate::api::LedgerEntry) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let mut after = window.after();
    loop {
        let page = ctx.call(ctx.remote.client.ledger(after, EXPORT_PAGE))?;
        for e in &page.entries {
            match window.step(e) {
                Step::Before => {}
                Step::Inside => write(e)?,
                Step::Past => return Ok(()),
            }
        }
        match page.next_after {
            Some(next) => after = next,
            None => return Ok(()),
        }
    }
}

fn export(ctx: &Ctx, window: Window) -> Result<u8, CliError> {
    if window.after() < 0 {
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
    let header = |since: i64| ExportLine::Header {
        format: EXPORT_FORMAT.to_string(),
        public_key: checkpoints.public_key.clone(),
        since,
    };
    // The header says where the chain picks up: just before the window's first entry.
    let mut since = None;
    let mut head = window.after();
    each_entry(ctx, window, |e| {
        if since.is_none() {
            since = Some(e.seq - 1);
            line(&header(e.seq - 1))?;
        }
        head = e.seq;
        line(&ExportLine::Entry(e.clone()))
    })?;
    let since = match since {
        Some(s) => s,
        None => {
            line(&header(window.after()))?;
            window.after()
        }
    };
    // Only checkpoints this export's entries can be checked against.
    for c in &checkpoints.checkpoints {
        if c.seq > since && c.seq <= head {
            line(&ExportLine::Checkpoint(c.clone()))?;
        }
    }
    out.flush()
        .map_err(|e| CliError::error(format!("cannot write: {e}")))?;
    Ok(OK)
}

fn export_csv(ctx: &Ctx, window: Window) -> Result<u8, CliError> {
    if window.after() < 0 {
        return Err(CliError::usage("--since must be 0 or more"));
    }
    // The accounts this token may see, with the names of their tokens and nodes; for an admin
    // also every token's name, so actors without an account (admins) are named too.
    let mut names: BTreeMap<String, String> = ctx
        .call(ctx.remote.client.credit_accounts())?
        .accounts
        .into_iter()
        .filter_map(|a| a.name.map(|n| (a.id, n)))
        .collect();
    if let Ok(tokens) = ctx.rt.block_on(ctx.remote.client.tokens()) {
        for t in tokens {
            names.entry(format!("user:{}", t.id)).or_insert(t.name);
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let fail = |e: std::io::Error| CliError::error(format!("cannot write: {e}"));
    writeln!(out, "{}", ledger_window::CSV_HEADER).map_err(fail)?;
    each_entry(ctx, window, |e| {
        writeln!(out, "{}", ledger_window::csv_row(e, &names)).map_err(fail)
    })?;
    out.flush().map_err(fail)?;
    Ok(OK)
}
