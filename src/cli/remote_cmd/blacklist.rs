//! `server blacklist add | remove | list`.

use super::Ctx;
use crate::api::{BlacklistAdd, BlacklistChange, BlacklistEntry};
use crate::cli::control_args::{BlacklistAddArgs, BlacklistCommand};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{Table, Tone, age, clip, print_json, short_id};

pub fn run(ctx: &Ctx, command: BlacklistCommand) -> Result<u8, CliError> {
    match command {
        BlacklistCommand::Add(args) => add(ctx, args),
        BlacklistCommand::Remove { id } => remove(ctx, &id),
        BlacklistCommand::List => list(ctx),
    }
}

fn target(entry: &BlacklistEntry) -> String {
    match (&entry.node_id, &entry.address) {
        (Some(node), _) => format!("node {node}"),
        (None, Some(address)) => format!("address {address}"),
        (None, None) => "?".into(),
    }
}

fn add(ctx: &Ctx, args: BlacklistAddArgs) -> Result<u8, CliError> {
    let req = BlacklistAdd {
        node_id: args.node,
        address: args.address,
        reason: args.reason,
    };
    let change = ctx.call(ctx.remote.client.blacklist_add(&req))?;
    if ctx.json {
        print_json(&change)?;
        return Ok(OK);
    }
    println!(
        "blacklisted {} (entry {})",
        target(&change.entry),
        change.entry.id
    );
    print_effect(&change, "refused from now on");
    if !change.requeued.is_empty() {
        println!(
            "{} task(s) taken back and queued again: {}",
            change.requeued.len(),
            change.requeued.join(", ")
        );
    }
    Ok(OK)
}

fn print_effect(change: &BlacklistChange, what: &str) {
    if change.nodes.is_empty() {
        println!("no enrolled node's standing changed");
    } else {
        println!("node(s) {what}: {}", change.nodes.join(", "));
    }
}

fn remove(ctx: &Ctx, id: &str) -> Result<u8, CliError> {
    let change = ctx.call(ctx.remote.client.blacklist_remove(id))?;
    if ctx.json {
        print_json(&change)?;
        return Ok(OK);
    }
    println!(
        "removed blacklist entry {} ({})",
        change.entry.id,
        target(&change.entry)
    );
    print_effect(&change, "may work again");
    Ok(OK)
}

fn list(ctx: &Ctx) -> Result<u8, CliError> {
    let list = ctx.call(ctx.remote.client.blacklist())?;
    if ctx.json {
        print_json(&list)?;
        return Ok(OK);
    }
    if list.entries.is_empty() {
        println!("the blacklist is empty");
        return Ok(OK);
    }
    let now = crate::api::now_ms();
    let mut table = Table::new(&["ID", "TARGET", "NODES", "AGE", "BY", "REASON"]);
    for e in &list.entries {
        table.row(vec![
            (e.id.clone(), Tone::Plain),
            (target(e), Tone::Bad),
            (
                e.nodes
                    .iter()
                    .map(|n| short_id(n))
                    .collect::<Vec<_>>()
                    .join(","),
                Tone::Plain,
            ),
            (age(e.created_at, now), Tone::Dim),
            (e.created_by.clone(), Tone::Plain),
            (clip(&e.reason, 60), Tone::Plain),
        ]);
    }
    print!("{}", table.render(ctx.colour));
    Ok(OK)
}
