//! `edgecoder status`: this node at a glance, and where its files are.

use super::args::StatusArgs;
use super::common_args::discovery;
use super::exit::{CliError, OK};
use crate::agent::credentials;
use crate::api::client::{Client, ClientError};
use crate::config;
use serde_json::json;
use std::collections::BTreeMap;

pub fn run(args: StatusArgs) -> Result<u8, CliError> {
    let resolved = config::resolve(&BTreeMap::new(), &discovery(&args.config))?;
    let cred_path = credentials::path_for(&resolved.env_file);
    let secret = credentials::load(&cred_path).ok().flatten();
    let url = resolved.get("coordinator_url").map(str::to_string);
    let data_dir = resolved
        .get("data_dir")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(config::paths::default_data_dir);
    let log_dir = resolved
        .get("log_dir")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(config::paths::default_log_dir);

    let (reachable, node, problem) = match (&url, &secret) {
        (Some(url), Some(secret)) => {
            let client = Client::new(url, Some(secret.clone()))
                .map_err(|e| CliError::error(e.to_string()))?
                .with_mesh_token(resolved.get("mesh_auth_token").map(str::to_string));
            let rt = super::runtime()?;
            match rt.block_on(client.me()) {
                Ok(node) => (true, Some(node), None),
                Err(e @ ClientError::Unreachable { .. }) => (false, None, Some(e.to_string())),
                Err(e) => (true, None, Some(e.to_string())),
            }
        }
        _ => (false, None, None),
    };
    let enrolled = secret.is_some() && url.is_some();
    let connected = node.as_ref().map(agent_has_connected);
    // The owner's own pause, as this machine has it (the coordinator hears of it by heartbeat).
    let state_dir = crate::agent::control_socket::state_dir_for(&resolved.env_file);
    let now = crate::api::now_ms();
    let owner_pause = crate::agent::host::owner_pause::read(&state_dir)
        .ok()
        .flatten()
        .filter(|p| p.until_ms.is_none_or(|u| u > now));
    if args.json {
        let doc = json!({
            "enrolled": enrolled,
            "node_id": node.as_ref().map(|n| n.id.clone()).or_else(|| resolved.get("agent_id").map(str::to_string)),
            "coordinator_url": url,
            "coordinator_reachable": reachable,
            "state": node.as_ref().map(|n| n.state.as_str()),
            "online": node.as_ref().map(|n| n.online && connected == Some(true)),
            "agent_connected": connected,
            "running_tasks": node.as_ref().map(|n| n.running_tasks),
            "host": node.as_ref().and_then(|n| n.host.clone()),
            "owner_pause": owner_pause,
            "problem": problem,
            "credential_file": cred_path,
            "env_file": resolved.env_file,
            "data_dir": data_dir,
            "log_dir": log_dir,
        });
        super::output::print_json(&doc)?;
        return Ok(OK);
    }
    if enrolled {
        println!(
            "enrolled:     yes, node {}",
            resolved.get("agent_id").unwrap_or("(id unknown)")
        );
    } else {
        println!("enrolled:     no (run `edgecoder enroll --token TOKEN --coordinator URL`)");
    }
    println!("coordinator:  {}", url.as_deref().unwrap_or("not set"));
    if enrolled {
        println!("reachable:    {}", if reachable { "yes" } else { "no" });
    }
    if let Some(node) = &node {
        println!(
            "state:        {}{}",
            node.state.as_str(),
            if node.draining { ", draining" } else { "" }
        );
        if connected == Some(false) {
            println!(
                "online:       not yet: the agent has not connected since enrollment \
                 (start it with `edgecoder agent`, or start its service)"
            );
        } else {
            println!("online:       {}", if node.online { "yes" } else { "no" });
        }
        println!("host:         {}", node.host_label());
        println!("running:      {} task(s)", node.running_tasks);
    }
    if let Some(pause) = &owner_pause {
        let until = match pause.until_ms {
            Some(until) => format!("until {}", crate::agent::host::hours::local_hh_mm(until)),
            None => "until `edgecoder agent resume`".to_string(),
        };
        println!("owner pause:  {until}");
    }
    if let Some(problem) = &problem {
        println!("problem:      {problem}");
    }
    println!("credential:   {}", cred_path.display());
    println!("env file:     {}", resolved.env_file.display());
    println!("data dir:     {}", data_dir.display());
    println!("logs:         {}", log_dir.display());
    Ok(OK)
}

/// Whether the agent has spoken to the coordinator since enrolling: enrollment itself records
/// the node as seen at its registration instant, so a node whose last contact is still that instant
/// has never run its agent (a heartbeat or a re-registration always comes later).
fn agent_has_connected(node: &crate::api::NodeInfo) -> bool {
    node.last_heartbeat_at
        .is_some_and(|seen| seen > node.registered_at)
}
