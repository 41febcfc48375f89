//! Whether a node meets a task's requirements, and why a task no node meets waits.
//!
//! One function ([`unmet`]) decides a node's fit: the scheduler (`NodeView::meets`), the
//! warning a submission gets when no known node could ever run it, and the "waiting: …" line
//! of `tasks show` all ask it, so what the user is told is exactly what the scheduler applies.
//! The explanation is computed when asked (never stored): nodes come, go and change their
//! toolchains, and a stored reason would go stale.

use crate::api::{Capabilities, NodeInfo, NodeState, Placement, Requirements};
use crate::server::error::ApiError;
use crate::server::store::db::Db;
use std::collections::BTreeMap;

/// The requirements of `req` this node does not meet, each said as what is missing
/// ("toolchain `cargo`", "a GPU"); empty when it meets them all.
pub fn unmet(
    caps: &Capabilities,
    labels: &BTreeMap<String, String>,
    req: &Requirements,
) -> Vec<String> {
    let mut missing = Vec::new();
    if req.gpu && caps.gpus.is_empty() {
        missing.push("a GPU".to_string());
    }
    if let Some(min) = req.min_memory_mib {
        let usable = caps
            .memory_limit_mib
            .map_or(caps.memory_total_mib, |l| l.min(caps.memory_total_mib));
        if usable < min {
            missing.push(format!("{} of memory", crate::fmt::mib(min)));
        }
    }
    if let Some(os) = req
        .os
        .as_ref()
        .filter(|os| !os.eq_ignore_ascii_case(&caps.os))
    {
        missing.push(format!("os `{os}`"));
    }
    if let Some(arch) = req
        .arch
        .as_ref()
        .filter(|a| !a.eq_ignore_ascii_case(&caps.arch))
    {
        missing.push(format!("arch `{arch}`"));
    }
    models_unmet(caps, req, &mut missing);
    for tool in &req.toolchains {
        if !caps.toolchains.iter().any(|t| t == tool) {
            missing.push(format!("toolchain `{tool}`"));
        }
    }
    for (k, v) in &req.labels {
        if labels.get(k) != Some(v) {
            missing.push(format!("label `{k}={v}`"));
        }
    }
    missing
}

/// The model requirements: the exact name (as the node's backend lists it), some model of
/// the family, or any model at all.
fn models_unmet(caps: &Capabilities, req: &Requirements, missing: &mut Vec<String>) {
    let names = || {
        caps.models
            .iter()
            .map(String::as_str)
            .chain(caps.model_details.iter().map(|m| m.name.as_str()))
    };
    if req.any_model && names().next().is_none() {
        missing.push("a model".to_string());
    }
    if let Some(model) = req.model.as_ref().filter(|m| !names().any(|n| n == *m)) {
        missing.push(format!("model `{model}`"));
    }
    if let Some(family) = &req.model_family
        && !caps.model_details.iter().any(|m| {
            m.family
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(family))
        })
    {
        missing.push(format!("a model of family `{family}`"));
    }
}

/// Nodes that may ever run work: approved, not removed, not blacklisted; for a local-only task,
/// only the ones the owner vouches for.
fn known_nodes(conn: &Db, placement: Placement) -> Result<Vec<NodeInfo>, ApiError> {
    let nodes = super::nodes::list(conn, Some(NodeState::Approved))?;
    Ok(nodes
        .into_iter()
        .filter(|n| !n.blacklisted)
        .filter(|n| {
            placement != Placement::LocalOnly
                || super::nodes::TRUST_LABELS
                    .iter()
                    .any(|k| n.labels.contains_key(*k))
        })
        .collect())
}

/// True when some node surely fits: the task asks nothing of its node and one is approved. The
/// submit route asks this inside its write and reads the whole fleet ([`submit_warnings`]) only
/// when it says false, after the commit: listing every node (and parsing its capabilities) on
/// each submission took a third of the store writer's time with 50 nodes.
pub fn quick_fit(conn: &Db, req: &Requirements, placement: Placement) -> Result<bool, ApiError> {
    Ok(*req == Requirements::default() && placement == Placement::Mesh && any_open_node(conn)?)
}

/// Whether some node is approved and not blacklisted.
fn any_open_node(conn: &Db) -> Result<bool, ApiError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM nodes WHERE state = ?1 AND blacklisted = 0)")?
        .query_row([NodeState::Approved.as_str()], |r| r.get(0))?)
}

/// What keeps every known node from running the task, or `None` when one of them could.
fn never_runnable(nodes: &[NodeInfo], req: &Requirements, placement: Placement) -> Option<String> {
    let local = if placement == Placement::LocalOnly {
        " trusted"
    } else {
        ""
    };
    if nodes.is_empty() {
        return Some(format!("no{local} node is approved yet"));
    }
    let per_node: Vec<Vec<String>> = nodes
        .iter()
        .map(|n| unmet(&n.capabilities, &n.labels, req))
        .collect();
    if per_node.iter().any(Vec::is_empty) {
        return None;
    }
    // What no node has at all; when each part is somewhere but never all on one node, say so.
    let nowhere: Vec<&String> = per_node[0]
        .iter()
        .filter(|m| per_node.iter().all(|u| u.contains(m)))
        .collect();
    Some(if nowhere.is_empty() {
        format!(
            "no{local} node has everything it requires at once ({})",
            per_node[0].join(", ")
        )
    } else {
        let list: Vec<&str> = nowhere.iter().map(|s| s.as_str()).collect();
        format!("no{local} node has {}", list.join(", "))
    })
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Warnings for a submission no known node could ever run; empty when some node could.
pub fn submit_warnings(
    conn: &Db,
    req: &Requirements,
    placement: Placement,
) -> Result<Vec<String>, ApiError> {
    if quick_fit(conn, req, placement)? {
        return Ok(Vec::new());
    }
    let nodes = known_nodes(conn, placement)?;
    Ok(never_runnable(&nodes, req, placement)
        .map(|why| {
            vec![format!(
                "{why} ({} known): the task was queued and waits until a node that has it \
                 joins; cancel it with `edgecoder server tasks cancel ID` otherwise",
                count(nodes.len(), "node")
            )]
        })
        .unwrap_or_default())
}

/// Why a queued task waits, said when shown: "waiting: no node has toolchain `cargo` (3 nodes
/// online)", the nodes that could run it being offline, or busy.
pub fn explain(conn: &Db, req: &Requirements, placement: Placement) -> Result<String, ApiError> {
    let nodes = known_nodes(conn, placement)?;
    let online = nodes.iter().filter(|n| n.online).count();
    let online_text = count(online, "node");
    if let Some(why) = never_runnable(&nodes, req, placement) {
        return Ok(format!("waiting: {why} ({online_text} online)"));
    }
    let able: Vec<&NodeInfo> = nodes
        .iter()
        .filter(|n| unmet(&n.capabilities, &n.labels, req).is_empty())
        .collect();
    let able_online = able.iter().filter(|n| n.online && !n.draining).count();
    Ok(if able_online == 0 {
        format!(
            "waiting: the {} that can run it {} offline or draining",
            count(able.len(), "node"),
            if able.len() == 1 { "is" } else { "are" }
        )
    } else {
        format!(
            "waiting: for a free slot on {} that can run it",
            count(able_online, "online node")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_toolchain_and_label_are_named() {
        let caps = Capabilities {
            toolchains: vec!["git".into()],
            ..Capabilities::default()
        };
        let req = Requirements {
            toolchains: vec!["git".into(), "cargo".into()],
            labels: [("zone".to_string(), "eu".to_string())].into(),
            ..Requirements::default()
        };
        assert_eq!(
            unmet(&caps, &BTreeMap::new(), &req),
            vec!["toolchain `cargo`", "label `zone=eu`"]
        );
        let fits = Requirements {
            toolchains: vec!["git".into()],
            ..Requirements::default()
        };
        assert!(unmet(&caps, &BTreeMap::new(), &fits).is_empty());
    }
}
