//! `server nodes drain ID [--deadline D] [--wait [--timeout D]]`, after Nomad's `node drain`:
//! the node gets no new work; with a deadline, the coordinator hands back what it still runs
//! when the deadline passes; with `--wait`, this command returns once the node runs nothing.
//!
//! "Runs nothing" is judged from both sides: no task is leased to the node on the coordinator,
//! and the node itself (while online) reports no running task, so a task handed back at the
//! deadline counts as ended only once the agent has stopped it.

use super::super::wait::{INTERRUPTED, TIMED_OUT};
use super::super::{Ctx, retry};
use crate::api::client::{Client, ClientError};
use crate::api::{NodeInfo, TaskState};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::print_json;
use crate::cli::parse;
use crate::cli::server_args::DrainArgs;
use std::time::Duration;

/// How often `--wait` looks at the node.
const POLL: Duration = Duration::from_millis(500);
/// Tries of one look while the coordinator cannot be reached (then exit 6).
const TRIES: u32 = 8;

pub fn run(ctx: &Ctx, args: DrainArgs) -> Result<u8, CliError> {
    let deadline = args
        .deadline
        .as_deref()
        .map(|d| parse::duration("--deadline", d))
        .transpose()?;
    let give_up = args
        .timeout
        .as_deref()
        .map(|d| parse::duration("--timeout", d))
        .transpose()?;
    let client = &ctx.remote.client;
    let node = ctx.call(client.drain_node(&args.id, deadline))?;
    if !ctx.json {
        let then = match deadline {
            Some(d) => format!(
                "; tasks still running in {} are handed back",
                crate::fmt::short_duration(d.as_secs().max(1))
            ),
            None => "; its running tasks finish".to_string(),
        };
        println!("node {} ({}) draining{then}", node.id, node.name);
    }
    if !args.wait {
        if ctx.json {
            print_json(&node)?;
        }
        return Ok(OK);
    }
    let outcome = ctx.rt.block_on(async {
        let give_up = async {
            match give_up {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            done = wait_idle(client, &node.id) => Waited::Done(Box::new(done)),
            _ = give_up => Waited::GaveUp,
            _ = tokio::signal::ctrl_c() => Waited::Interrupted,
        }
    });
    match outcome {
        Waited::Done(done) => match *done {
            Ok(node) => {
                if ctx.json {
                    print_json(&node)?;
                } else {
                    println!("node {} ({}) runs nothing now", node.id, node.name);
                }
                Ok(OK)
            }
            Err(e) => Err(ctx.remote.error(e)),
        },
        Waited::GaveUp => {
            eprintln!(
                "gave up waiting; node {} is still draining: see `edgecoder server nodes show {}`",
                node.id, node.id
            );
            Ok(TIMED_OUT)
        }
        Waited::Interrupted => {
            eprintln!(
                "stopped waiting; node {} is still draining (`edgecoder server nodes undrain {}` \
                 takes it back)",
                node.id, node.id
            );
            Ok(INTERRUPTED)
        }
    }
}

enum Waited {
    Done(Box<Result<NodeInfo, ClientError>>),
    GaveUp,
    Interrupted,
}

/// Returns the node once it runs nothing.
async fn wait_idle(client: &Client, id: &str) -> Result<NodeInfo, ClientError> {
    loop {
        let node = retry(|| client.node(id), TRIES).await?;
        if !node.draining {
            // Undrained by someone else meanwhile: there is nothing left to wait for.
            return Ok(node);
        }
        let idle_here = !node.online || node.running_tasks == 0;
        if idle_here && leased_to(client, id).await? == 0 {
            return Ok(node);
        }
        tokio::time::sleep(POLL).await;
    }
}

/// How many tasks the coordinator has leased to the node (handed out or running).
async fn leased_to(client: &Client, id: &str) -> Result<usize, ClientError> {
    let mut held = 0;
    for state in [TaskState::Leased, TaskState::Running] {
        let query = format!("state={}&node={id}&limit=1", state.as_str());
        held += retry(|| client.tasks(&query), TRIES).await?.tasks.len();
    }
    Ok(held)
}
