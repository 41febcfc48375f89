//! `server nodes …`.

mod drain;

use super::Ctx;
use crate::api::NodeInfo;
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{Table, Tone, age, clip, mib, print_json};
use crate::cli::server_args::NodesCommand;

pub fn run(ctx: &Ctx, cmd: NodesCommand) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    let (node, verb) = match cmd {
        NodesCommand::List { state } => {
            let list = match &state {
                None => ctx.get(|| client.nodes())?,
                Some(state) => {
                    if crate::api::NodeState::parse(state).is_none() {
                        return Err(CliError::usage(format!(
                            "--state {state:?} is not a node state: use pending, approved, \
                             rejected or removed"
                        )));
                    }
                    ctx.get(|| client.nodes_in_state(state))?
                }
            };
            if ctx.json {
                print_json(&list)?;
            } else {
                print!("{}", table(&list.nodes, ctx.colour));
            }
            return Ok(OK);
        }
        NodesCommand::Show { id } => (ctx.get(|| client.node(&id))?, None),
        NodesCommand::Approve { id } => (
            ctx.call(client.node_action(&id, "approve"))?,
            Some("approved"),
        ),
        NodesCommand::Reject { id } => (
            ctx.call(client.node_action(&id, "reject"))?,
            Some("rejected"),
        ),
        NodesCommand::Drain(args) => return drain::run(ctx, args),
        NodesCommand::Undrain { id } => (
            ctx.call(client.node_action(&id, "undrain"))?,
            Some("undrained: it is offered work again"),
        ),
        NodesCommand::Remove { id } => (ctx.call(client.remove_node(&id))?, Some("removed")),
    };
    if ctx.json {
        print_json(&node)?;
    } else if let Some(verb) = verb {
        println!("node {} ({}) {verb}", node.id, node.name);
    } else {
        print!("{}", details(&node));
        if verb.is_none() {
            print!("{}", recent_tasks(ctx, &node.id)?);
        }
    }
    Ok(OK)
}

/// How many of a node's latest tasks `nodes show` lists.
const RECENT_TASKS: u32 = 10;

/// The node's latest tasks (those whose last attempt ran there), newest first; the whole list
/// is `tasks list --node ID`.
fn recent_tasks(ctx: &Ctx, node_id: &str) -> Result<String, CliError> {
    let client = &ctx.remote.client;
    let query = format!("limit={RECENT_TASKS}&node={node_id}");
    let list = ctx.get(|| client.tasks(&query))?;
    if list.tasks.is_empty() {
        return Ok("\nrecent tasks: none\n".to_string());
    }
    let now = crate::api::now_ms();
    let mut t = Table::new(&["ID", "NAME", "STATE", "EXIT", "AGE", "COMMAND"]);
    for task in &list.tasks {
        let state = task.state.as_str();
        t.row(vec![
            (task.id.clone(), Tone::Plain),
            (
                task.name.as_deref().map_or("-".into(), |n| clip(n, 24)),
                Tone::Plain,
            ),
            (state.to_string(), Tone::of_state(state)),
            (
                task.exit_code.map_or("-".into(), |c| c.to_string()),
                Tone::Plain,
            ),
            (age(task.created_at, now), Tone::Plain),
            (clip(&task.command, 40), Tone::Plain),
        ]);
    }
    Ok(format!("\nrecent tasks:\n{}", t.render(ctx.colour)))
}

/// One word for where a node stands, most important first.
pub fn status_word(n: &NodeInfo) -> &'static str {
    if n.blacklisted {
        "blacklisted"
    } else if n.state != crate::api::NodeState::Approved {
        n.state.as_str()
    } else if n.draining {
        "draining"
    } else if n.online {
        "online"
    } else {
        "offline"
    }
}

fn table(nodes: &[NodeInfo], colour: bool) -> String {
    if nodes.is_empty() {
        return "no nodes yet: enroll one with `edgecoder server tokens create --kind enroll`, \
                then `edgecoder enroll --token …` on the machine\n"
            .to_string();
    }
    let now = crate::api::now_ms();
    let mut t = Table::new(&[
        "ID", "NAME", "STATUS", "STATE", "CPUS", "MEMORY", "GPUS", "RUNNING", "SEEN",
    ]);
    for n in nodes {
        let status = status_word(n);
        t.row(vec![
            (n.id.clone(), Tone::Plain),
            (n.name.clone(), Tone::Plain),
            (status.to_string(), Tone::of_state(status)),
            (
                crate::fmt::clip(&n.host_label(), 40),
                if n.host_paused() {
                    Tone::Warn
                } else {
                    Tone::Plain
                },
            ),
            (n.capabilities.cpus.to_string(), Tone::Plain),
            (mib(n.capabilities.memory_total_mib), Tone::Plain),
            (n.capabilities.gpus.len().to_string(), Tone::Plain),
            (n.running_tasks.to_string(), Tone::Plain),
            (
                n.last_heartbeat_at
                    .map(|at| format!("{} ago", age(at, now)))
                    .unwrap_or_else(|| "never".into()),
                Tone::Plain,
            ),
        ]);
    }
    t.render(colour)
}

fn details(n: &NodeInfo) -> String {
    let now = crate::api::now_ms();
    let caps = &n.capabilities;
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<13}{v}\n"));
    line("id", n.id.clone());
    line("name", n.name.clone());
    line("status", status_word(n).to_string());
    line("state", n.state.as_str().to_string());
    line("host", n.host_label());
    if let Some(at) = n.drain_deadline {
        let when = if at > now {
            format!("in {}", age(now, at))
        } else {
            "now".to_string()
        };
        line("drain", format!("running tasks are handed back {when}"));
    }
    line(
        "labels",
        n.labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    line("os/arch", format!("{}/{}", caps.os, caps.arch));
    line("cpus", caps.cpus.to_string());
    line(
        "memory",
        format!(
            "{} total, {} available",
            mib(caps.memory_total_mib),
            mib(caps.memory_available_mib)
        ),
    );
    let gpus: Vec<String> = caps
        .gpus
        .iter()
        .map(|g| format!("{} ({})", g.name, mib(g.vram_mib)))
        .collect();
    line(
        "gpus",
        if gpus.is_empty() {
            "none".into()
        } else {
            gpus.join(", ")
        },
    );
    line("toolchains", caps.toolchains.join(", "));
    line("running", format!("{} task(s)", n.running_tasks));
    line("registered", format!("{} ago", age(n.registered_at, now)));
    line(
        "last seen",
        n.last_heartbeat_at
            .map(|at| format!("{} ago", age(at, now)))
            .unwrap_or_else(|| "never".into()),
    );
    if let Some(addr) = &n.address {
        line("address", addr.clone());
    }
    if let Some(at) = n.decided_at {
        let who = n
            .decided_by_name
            .as_deref()
            .or(n.decided_by.as_deref())
            .unwrap_or("?");
        line("decided", format!("{} ago by {who}", age(at, now)));
    }
    out
}
