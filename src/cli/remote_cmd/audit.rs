//! `server audit`: the record of admin and owner actions, newest first.

use super::Ctx;
use crate::api::AuditEntry;
use crate::cli::control_args::AuditArgs;
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{Table, Tone, age, clip, print_json};

pub fn run(ctx: &Ctx, args: AuditArgs) -> Result<u8, CliError> {
    let page = ctx.call(
        ctx.remote
            .client
            .audit(args.limit, None, args.target.as_deref()),
    )?;
    if ctx.json {
        print_json(&page)?;
        return Ok(OK);
    }
    if page.entries.is_empty() {
        println!("no recorded actions");
        return Ok(OK);
    }
    let now = crate::api::now_ms();
    let mut table = Table::new(&["ID", "AGE", "ACTOR", "ACTION", "TARGET", "CHANGE"]);
    for e in &page.entries {
        table.row(vec![
            (e.id.to_string(), Tone::Dim),
            (age(e.at, now), Tone::Plain),
            (format!("{} ({})", e.actor_name, e.actor), Tone::Plain),
            (e.action.clone(), Tone::Plain),
            (e.target.clone(), Tone::Plain),
            (clip(&change(e), 80), Tone::Plain),
        ]);
    }
    print!("{}", table.render(ctx.colour));
    if page.next_before.is_some() {
        println!("(older entries left out: raise --limit to see more)");
    }
    Ok(OK)
}

/// `before → after`, compact, for one table cell.
fn change(e: &AuditEntry) -> String {
    let show = |v: &Option<serde_json::Value>| match v {
        Some(v) => v.to_string(),
        None => "-".into(),
    };
    format!("{} → {}", show(&e.before), show(&e.after))
}
