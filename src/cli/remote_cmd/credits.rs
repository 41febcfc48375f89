//! `server credits balance | history | grant | transfer | quote`.

use super::Ctx;
use crate::api::{
    Account, GrantRequest, LedgerEntry, Requirements, SubmitRequest, TransferRequest,
    format_credits, parse_credits,
};
use crate::cli::credits_args::{CreditsCommand, QuoteArgs};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{Table, Tone, age, print_json, short_id};

pub fn run(ctx: &Ctx, cmd: CreditsCommand) -> Result<u8, CliError> {
    match cmd {
        CreditsCommand::Balance { account, all } => balance(ctx, account, all),
        CreditsCommand::History {
            account,
            after,
            limit,
        } => history(ctx, account, after, limit),
        CreditsCommand::Grant { account, amount } => {
            let amount = amount_arg(&amount)?;
            let req = GrantRequest {
                account: account.clone(),
                amount,
            };
            let moved = ctx.call(ctx.remote.client.grant(&req))?;
            if ctx.json {
                print_json(&moved)?;
            } else {
                println!(
                    "granted {} credits to {account}; its balance is now {}",
                    format_credits(amount),
                    format_credits(moved.account.balance)
                );
            }
            Ok(OK)
        }
        CreditsCommand::Transfer { to, amount, from } => {
            let amount = amount_arg(&amount)?;
            let req = TransferRequest {
                to: to.clone(),
                amount,
                from,
            };
            let moved = ctx.call(ctx.remote.client.transfer(&req))?;
            if ctx.json {
                print_json(&moved)?;
            } else {
                println!(
                    "moved {} credits from {} to {to}; {} has {} left",
                    format_credits(amount),
                    moved.account.id,
                    moved.account.id,
                    format_credits(moved.account.balance)
                );
            }
            Ok(OK)
        }
        CreditsCommand::Quote(args) => quote(ctx, args),
    }
}

/// Decimal credits from the command line, or a usage error naming the rule.
fn amount_arg(text: &str) -> Result<i64, CliError> {
    let amount = parse_credits(text).map_err(CliError::usage)?;
    if amount == 0 {
        return Err(CliError::usage("amount must be more than 0"));
    }
    Ok(amount)
}

fn balance(ctx: &Ctx, account: Option<String>, all: bool) -> Result<u8, CliError> {
    let accounts: Vec<Account> = if all {
        ctx.call(ctx.remote.client.credit_accounts())?.accounts
    } else {
        let id = account.unwrap_or_else(|| "me".into());
        vec![ctx.call(ctx.remote.client.credit_account(&id))?]
    };
    if ctx.json {
        if all {
            print_json(&crate::api::AccountList { accounts })?;
        } else if let Some(one) = accounts.first() {
            print_json(one)?;
        }
        return Ok(OK);
    }
    let mut table = Table::new(&["ACCOUNT", "NAME", "BALANCE", "HELD", "EARNED", "SPENT"]);
    for a in &accounts {
        let tone = if a.balance < 0 {
            Tone::Bad
        } else {
            Tone::Plain
        };
        table.row(vec![
            (a.id.clone(), Tone::Plain),
            (a.name.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
            (format_credits(a.balance), tone),
            (format_credits(a.held), Tone::Plain),
            (format_credits(a.earned), Tone::Plain),
            (format_credits(a.spent), Tone::Plain),
        ]);
    }
    print!("{}", table.render(ctx.colour));
    Ok(OK)
}

fn history(ctx: &Ctx, account: Option<String>, after: i64, limit: u32) -> Result<u8, CliError> {
    let id = account.unwrap_or_else(|| "me".into());
    let page = ctx.call(ctx.remote.client.credit_history(&id, after, limit))?;
    if ctx.json {
        print_json(&page)?;
        return Ok(OK);
    }
    // The account's name (its token's or node's), so a person sees whose history this is.
    let shown = match ctx.call(ctx.remote.client.credit_account(&id)) {
        Ok(crate::api::Account {
            id, name: Some(n), ..
        }) => format!("{id} ({n})"),
        Ok(a) => a.id,
        Err(_) => id.clone(),
    };
    if page.entries.is_empty() {
        println!("no entries for {shown}");
        return Ok(OK);
    }
    println!("ledger entries of {shown}");
    print!("{}", entry_table(&page.entries).render(ctx.colour));
    if let Some(next) = page.next_after {
        println!("more: --after {next}");
    }
    Ok(OK)
}

pub fn entry_table(entries: &[LedgerEntry]) -> Table {
    let now = crate::api::now_ms();
    let mut table = Table::new(&["SEQ", "AGE", "KIND", "ACCOUNT", "AMOUNT", "TASK", "ACTOR"]);
    for e in entries {
        let tone = if e.amount < 0 { Tone::Bad } else { Tone::Good };
        table.row(vec![
            (e.seq.to_string(), Tone::Plain),
            (age(e.at, now), Tone::Plain),
            (e.kind.clone(), Tone::Plain),
            (e.account.clone(), Tone::Plain),
            (format_credits(e.amount), tone),
            (
                e.task_id.as_deref().map(short_id).unwrap_or_default(),
                Tone::Plain,
            ),
            (e.actor.clone().unwrap_or_default(), Tone::Dim),
        ]);
    }
    table
}

fn quote(ctx: &Ctx, args: QuoteArgs) -> Result<u8, CliError> {
    let mut argv = args.command;
    if argv.is_empty() {
        // The price does not depend on the command; any runnable one will do.
        argv.push("true".into());
    }
    let mut req = SubmitRequest::argv(argv);
    if let Some(t) = &args.timeout {
        let d = humantime::parse_duration(t).map_err(|e| {
            CliError::usage(format!(
                "--timeout {t:?} is not a duration like 30s or 10m ({e})"
            ))
        })?;
        req.timeout_secs = Some(d.as_secs().max(1));
    }
    let mut needs = Requirements::default();
    for what in &args.requires {
        match what.as_str() {
            "gpu" => needs.gpu = true,
            other => {
                return Err(CliError::usage(format!(
                    "--requires {other:?} is not known: use --requires gpu"
                )));
            }
        }
    }
    req.requirements = needs;
    let q = ctx.call(ctx.remote.client.quote(&req))?;
    if ctx.json {
        print_json(&q)?;
        return Ok(OK);
    }
    if !q.pricing {
        println!("pricing is off on this coordinator (serve --free): nothing would be held");
        return Ok(OK);
    }
    let unit = if q.gpu { "GPU" } else { "CPU" };
    println!(
        "hold        {} credits ({} s × {} credits per {unit}-second × load {}, minimum {})",
        format_credits(q.hold),
        q.timeout_secs,
        format_credits(q.rate_per_second),
        multiplier(q.multiplier_bps),
        format_credits(q.minimum)
    );
    println!(
        "load        {} queued, {} nodes online",
        q.queued, q.nodes_online
    );
    println!(
        "account     {} has {} spendable: {}",
        q.account,
        format_credits(q.balance),
        if q.enough {
            "enough"
        } else {
            "NOT enough: the submission would be refused"
        }
    );
    println!("the task pays for its measured time at completion; the rest of the hold is released");
    Ok(OK)
}

/// 12500 basis points → "1.25".
fn multiplier(bps: u32) -> String {
    let s = format!("{}.{:04}", bps / 10_000, bps % 10_000);
    let s = s.trim_end_matches('0');
    s.strip_suffix('.').unwrap_or(s).to_string()
}
