//! `server queue`.

use super::Ctx;
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{Table, Tone, print_json, short_duration};

const STATES: [&str; 7] = [
    "queued",
    "leased",
    "running",
    "succeeded",
    "failed",
    "cancelled",
    "timed_out",
];

pub fn run(ctx: &Ctx) -> Result<u8, CliError> {
    let q = ctx.get(|| ctx.remote.client.queue())?;
    if ctx.json {
        print_json(&q)?;
        return Ok(OK);
    }
    let mut t = Table::new(&["STATE", "TASKS"]);
    for state in STATES {
        let n = q.counts.get(state).copied().unwrap_or(0);
        t.row(vec![
            (state.to_string(), Tone::of_state(state)),
            (n.to_string(), Tone::Plain),
        ]);
    }
    print!("{}", t.render(ctx.colour));
    if let Some(ms) = q.oldest_queued_age_ms {
        println!(
            "\noldest queued task waited {}",
            short_duration(ms.max(0) as u64 / 1000)
        );
    }
    println!(
        "nodes: {} online, {} pending approval",
        q.nodes_online, q.nodes_pending
    );
    if !q.backlog.is_empty() {
        println!("\nqueued by requirements:");
        let mut t = Table::new(&["REQUIRES", "QUEUED"]);
        for b in &q.backlog {
            let r = &b.requirements;
            let mut parts = Vec::new();
            if r.gpu {
                parts.push("gpu".to_string());
            }
            if let Some(m) = r.min_memory_mib {
                parts.push(format!("memory>={}", crate::cli::output::mib(m)));
            }
            parts.extend(r.os.iter().map(|o| format!("os={o}")));
            parts.extend(r.arch.iter().map(|a| format!("arch={a}")));
            parts.extend(r.labels.iter().map(|(k, v)| format!("{k}={v}")));
            parts.extend(r.model.iter().map(|m| format!("model={m}")));
            parts.extend(r.model_family.iter().map(|f| format!("model-family={f}")));
            if r.any_model && r.model.is_none() && r.model_family.is_none() {
                parts.push("a model".to_string());
            }
            let what = if parts.is_empty() {
                "anything".to_string()
            } else {
                parts.join(" ")
            };
            t.plain_row(vec![what, b.queued.to_string()]);
        }
        print!("{}", t.render(ctx.colour));
    }
    Ok(OK)
}
