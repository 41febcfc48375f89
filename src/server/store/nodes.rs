//! The node registry: enrollment, heartbeats, and the owner's decisions about each node.

use super::WriteCtx;
use super::audit::{self, Actor};
use super::blacklist;
use crate::api::{Capabilities, HostStatus, NodeInfo, NodeState};
use crate::server::auth::{hash_secret, new_node_secret, random_hex};
use crate::server::error::ApiError;
use crate::server::store::db::{self, Db, OptionalExtension, Row, params};
use axum::http::StatusCode;
use std::collections::BTreeMap;

const NODE_COLUMNS: &str = "id, name, state, online, draining, labels, capabilities, \
     registered_at, last_heartbeat_at, load, running_tasks, address, blacklisted, decided_by, \
     decided_by_name, decided_at, host_paused, host_reason, drain_deadline";

/// The labels the scheduler trusts; fixed at enrollment (see `reregister`).
pub const TRUST_LABELS: [&str; 3] = ["local", "trusted", "owned"];

fn node_from_row(row: &Row<'_>) -> db::Result<NodeInfo> {
    let state: String = row.get(2)?;
    let labels: String = row.get(5)?;
    let caps: String = row.get(6)?;
    let host_paused: Option<bool> = row.get(16)?;
    let host_reason: Option<String> = row.get(17)?;
    Ok(NodeInfo {
        id: row.get(0)?,
        name: row.get(1)?,
        state: NodeState::parse(&state).unwrap_or(NodeState::Pending),
        online: row.get(3)?,
        draining: row.get(4)?,
        labels: serde_json::from_str(&labels).unwrap_or_default(),
        capabilities: serde_json::from_str(&caps).unwrap_or_default(),
        registered_at: row.get(7)?,
        last_heartbeat_at: row.get(8)?,
        load: row.get(9)?,
        running_tasks: row.get(10)?,
        address: row.get(11)?,
        blacklisted: row.get(12)?,
        decided_by: row.get(13)?,
        decided_by_name: row.get(14)?,
        decided_at: row.get(15)?,
        host: host_paused.map(|paused| HostStatus {
            paused,
            reason: host_reason,
        }),
        drain_deadline: row.get(18)?,
    })
}

pub fn get(conn: &Db, id: &str) -> Result<NodeInfo, ApiError> {
    conn.prepare_cached(&format!("SELECT {NODE_COLUMNS} FROM nodes WHERE id = ?1"))?
        .query_row([id], node_from_row)
        .optional()?
        .ok_or_else(|| ApiError::not_found("node", id))
}

/// Resolves a node id, a unique prefix of one, or a unique node name.
pub fn resolve_id(conn: &Db, given: &str) -> Result<String, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM nodes WHERE id = ?1 UNION SELECT id FROM nodes WHERE name = ?1 \
         UNION SELECT id FROM nodes WHERE substr(id, 1, length(CAST(?1 AS TEXT))) = ?1 LIMIT 3",
    )?;
    let ids: Vec<String> = stmt
        .query_map([given], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if ids.iter().any(|id| id == given) {
        return Ok(given.to_string());
    }
    match ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ApiError::not_found("node", given)),
        _ => Err(ApiError::conflict(
            "ambiguous_id",
            format!("{given:?} matches more than one node: give more characters"),
        )),
    }
}

pub fn list(conn: &Db, state: Option<NodeState>) -> Result<Vec<NodeInfo>, ApiError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {NODE_COLUMNS} FROM nodes WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) \
         AND state != 'removed' ORDER BY registered_at"
    ))?;
    let rows = stmt.query_map([state.map(NodeState::as_str)], node_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn enroll_error(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}

pub struct NewNode {
    pub enrollment_token: String,
    pub name: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub capabilities: Capabilities,
    pub address: Option<String>,
    /// The coordinator's own local worker enrolls without a token and starts approved.
    pub local: bool,
}

/// Trades an enrollment token (one use of it) for a node credential. Returns (node, secret).
pub fn register(ctx: &mut WriteCtx<'_>, new: NewNode) -> Result<(NodeInfo, String), ApiError> {
    // Checked again here (the route checks its in-memory copy first) so an entry committed just
    // before cannot be slipped past; before the token is touched, so a refusal uses nothing.
    if !new.local
        && let Some(address) = &new.address
        && blacklist::address_listed(ctx.conn, address)?
    {
        return Err(blacklist::address_blacklisted_error(address));
    }
    // Who approved the node, when it starts approved.
    let (auto_approve, decider) = if new.local {
        (
            true,
            ("coordinator".to_string(), "local worker".to_string()),
        )
    } else {
        let hash = hash_secret(&new.enrollment_token);
        let token = ctx
            .conn
            .prepare_cached(
                "SELECT id, kind, expires_at, uses_left, auto_approve, revoked_at, name \
                 FROM tokens WHERE hash = ?1",
            )?
            .query_row([&hash[..]], |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<i64>>(2)?,
                    r.get::<Option<i64>>(3)?,
                    r.get::<bool>(4)?,
                    r.get::<Option<i64>>(5)?,
                    r.get::<String>(6)?,
                ))
            })
            .optional()?;
        let Some((token_id, kind, expires_at, uses_left, auto, revoked, token_name)) = token else {
            return Err(enroll_error(
                "unknown_enrollment_token",
                "unknown enrollment token: ask the coordinator's admin for a new one \
                 (`edgecoder server tokens create --kind enroll`)",
            ));
        };
        if kind != "enroll" {
            return Err(enroll_error(
                "not_an_enrollment_token",
                "this is an API token, not an enrollment token: make one with \
                 `edgecoder server tokens create --kind enroll`",
            ));
        }
        if revoked.is_some() {
            return Err(enroll_error(
                "enrollment_token_revoked",
                "this enrollment token was revoked: ask for a new one",
            ));
        }
        if expires_at.is_some_and(|t| t <= ctx.now) {
            return Err(enroll_error(
                "enrollment_token_expired",
                "this enrollment token has expired: ask for a new one",
            ));
        }
        if uses_left.is_some_and(|n| n <= 0) {
            return Err(enroll_error(
                "enrollment_token_used_up",
                "this enrollment token has been used as many times as it allows: ask for a new one",
            ));
        }
        ctx.conn
            .prepare_cached(
                "UPDATE tokens SET uses_left = uses_left - 1 WHERE id = ?1 AND uses_left IS NOT NULL",
            )?
            .execute([&token_id])?;
        (auto, (token_id, token_name))
    };
    let id = format!("n{}", random_hex(6));
    let secret = new_node_secret(&id);
    let state = if auto_approve { "approved" } else { "pending" };
    let name = new
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| {
            if new.capabilities.hostname.is_empty() {
                id.clone()
            } else {
                new.capabilities.hostname.clone()
            }
        });
    let (decided_by, decided_by_name, decided_at) = if auto_approve {
        (Some(decider.0), Some(decider.1), Some(ctx.now))
    } else {
        (None, None, None)
    };
    ctx.conn
        .prepare_cached(
            "INSERT INTO nodes (id, name, secret_hash, state, online, labels, capabilities, \
             registered_at, last_heartbeat_at, address, decided_by, decided_by_name, decided_at) \
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            id,
            name,
            &hash_secret(&secret)[..],
            state,
            serde_json::to_string(&new.labels)?,
            serde_json::to_string(&new.capabilities)?,
            ctx.now,
            new.address,
            decided_by,
            decided_by_name,
            decided_at,
        ])?;
    ctx.event(
        "node.registered",
        None,
        Some(&id),
        &serde_json::json!({"state": state, "name": name}),
    )?;
    if auto_approve {
        ctx.queue_changed();
    }
    Ok((get(ctx.conn, &id)?, secret))
}

/// A known node sends its capabilities again (after a coordinator restart, or coming back online).
pub fn reregister(
    ctx: &mut WriteCtx<'_>,
    id: &str,
    name: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    capabilities: &Capabilities,
    address: Option<String>,
) -> Result<NodeInfo, ApiError> {
    let before = get(ctx.conn, id)?;
    if before.blacklisted {
        return Err(blacklist::blacklisted_error(id));
    }
    // The trust labels stay as enrolled: a node may not make itself trusted (nor shed the mark).
    let labels = labels.map(|mut given| {
        given.retain(|k, _| !TRUST_LABELS.contains(&k.as_str()));
        for (k, v) in &before.labels {
            if TRUST_LABELS.contains(&k.as_str()) {
                given.insert(k.clone(), v.clone());
            }
        }
        given
    });
    let address_changed = address.is_some() && address != before.address;
    ctx.conn
        .prepare_cached(
            "UPDATE nodes SET name = COALESCE(?2, name), labels = COALESCE(?3, labels), \
             capabilities = ?4, online = 1, last_heartbeat_at = ?5, \
             address = COALESCE(?6, address) WHERE id = ?1",
        )?
        .execute(params![
            id,
            name.filter(|n| !n.trim().is_empty()),
            labels.map(|l| serde_json::to_string(&l)).transpose()?,
            serde_json::to_string(capabilities)?,
            ctx.now,
            address,
        ])?;
    if address_changed {
        blacklist::refresh_node(ctx, id)?;
    }
    if !before.online {
        announce_online(ctx, id)?;
    }
    ctx.queue_changed();
    get(ctx.conn, id)
}

pub struct HeartbeatOutcome {
    pub node: NodeInfo,
    /// Tasks the node reported running that it must stop.
    pub cancel: Vec<String>,
}

pub fn heartbeat(
    ctx: &mut WriteCtx<'_>,
    id: &str,
    load: Option<f64>,
    running: &[String],
    host: Option<&HostStatus>,
    lease_ttl_ms: i64,
) -> Result<HeartbeatOutcome, ApiError> {
    let (was_online, blacklisted, was_paused): (bool, bool, Option<bool>) = ctx
        .conn
        .prepare_cached("SELECT online, blacklisted, host_paused FROM nodes WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| ApiError::not_found("node", id))?;
    if blacklisted {
        return Err(blacklist::blacklisted_error(id));
    }
    let paused = host.map(|h| h.paused);
    let reason = host.and_then(|h| h.reason.as_deref()).map(host_reason);
    ctx.conn
        .prepare_cached(
            "UPDATE nodes SET online = 1, last_heartbeat_at = ?2, load = ?3, running_tasks = ?4, \
             host_paused = ?5, host_reason = ?6 WHERE id = ?1",
        )?
        .execute(params![
            id,
            ctx.now,
            load,
            running.len() as i64,
            paused,
            reason
        ])?;
    let (was, now) = (was_paused == Some(true), paused == Some(true));
    if was != now {
        let kind = if now { "node.paused" } else { "node.resumed" };
        ctx.event(kind, None, Some(id), &serde_json::json!({"reason": reason}))?;
        if !now {
            // Long-polls of this node waiting for work look again at once.
            ctx.queue_changed();
        }
    }
    // Only the leases of tasks the node says it runs (or has not started yet) live on: a node
    // that restarted and lost a task stops extending its lease, so the task goes back to the
    // queue once the lease runs out instead of waiting for its deadline.
    let expires_at = ctx.now + lease_ttl_ms;
    ctx.conn
        .prepare_cached(
            "UPDATE leases SET expires_at = ?2 WHERE node_id = ?1 AND started_at IS NULL",
        )?
        .execute(params![id, expires_at])?;
    let mut extend = ctx
        .conn
        .prepare_cached("UPDATE leases SET expires_at = ?3 WHERE node_id = ?1 AND task_id = ?2")?;
    for task_id in running {
        extend.execute(params![id, task_id, expires_at])?;
    }
    drop(extend);
    if !was_online {
        announce_online(ctx, id)?;
    }
    let mut cancel = Vec::new();
    let mut stmt = ctx.conn.prepare_cached(
        "SELECT t.cancel_requested, l.node_id FROM tasks t LEFT JOIN leases l ON l.task_id = t.id \
         WHERE t.id = ?1",
    )?;
    for task_id in running {
        let row = stmt
            .query_row([task_id], |r| {
                Ok((r.get::<bool>(0)?, r.get::<Option<String>>(1)?))
            })
            .optional()?;
        let keep = matches!(&row, Some((false, Some(holder))) if holder == id);
        if !keep {
            cancel.push(task_id.clone());
        }
    }
    Ok(HeartbeatOutcome {
        node: get(ctx.conn, id)?,
        cancel,
    })
}

/// The longest pause reason kept; a node's words are shown in terminals and the dashboard.
const HOST_REASON_MAX: usize = 120;

/// A node's reason as it is stored and shown: one line, no control characters, clipped.
fn host_reason(given: &str) -> String {
    crate::fmt::one_line(given, HOST_REASON_MAX)
}

/// Records that a node offline until now was heard from again.
/// The node left on its own (an ephemeral agent's task is done): offline now, announced. Its
/// leases, if any, are ended by the sweeper as those of any offline node.
pub fn go_offline(ctx: &mut WriteCtx<'_>, id: &str) -> Result<NodeInfo, ApiError> {
    let was_online: Option<bool> = ctx
        .conn
        .prepare_cached("SELECT online FROM nodes WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match was_online {
        None => return Err(ApiError::not_found("node", id)),
        Some(true) => {
            ctx.conn
                .prepare_cached("UPDATE nodes SET online = 0 WHERE id = ?1")?
                .execute([id])?;
            ctx.event(
                "node.offline",
                None,
                Some(id),
                &serde_json::json!({"online": false, "reason": "the agent left"}),
            )?;
        }
        Some(false) => {}
    }
    get(ctx.conn, id)
}

pub(super) fn announce_online(ctx: &mut WriteCtx<'_>, id: &str) -> Result<(), ApiError> {
    ctx.event(
        "node.online",
        None,
        Some(id),
        &serde_json::json!({"online": true}),
    )?;
    Ok(())
}

/// Treats a coordinator restart as having heard from every node, so nodes and their leases are
/// not declared lost for the time the coordinator itself was down. Agents that found it down are
/// backing off, so their next call may come up to [`crate::api::AGENT_MAX_RETRY_PAUSE`] later:
/// that is allowed on top (the node's last sign of life is set that far ahead; its first real
/// heartbeat replaces it).
pub fn restart_grace(ctx: &mut WriteCtx<'_>, lease_ttl_ms: i64) -> Result<(), ApiError> {
    let pause_ms = crate::api::AGENT_MAX_RETRY_PAUSE.as_millis() as i64;
    ctx.conn.execute(
        "UPDATE nodes SET last_heartbeat_at = ?1 WHERE online = 1",
        [ctx.now + pause_ms],
    )?;
    ctx.conn.execute(
        "UPDATE leases SET expires_at = ?1 WHERE expires_at < ?1",
        [ctx.now + lease_ttl_ms + pause_ms],
    )?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub enum NodeAction {
    Approve,
    Reject,
    Drain,
    Undrain,
    Remove,
}

impl NodeAction {
    /// The name in the audit log.
    pub fn audit_name(self) -> &'static str {
        match self {
            NodeAction::Approve => "node.approve",
            NodeAction::Reject => "node.reject",
            NodeAction::Drain => "node.drain",
            NodeAction::Undrain => "node.undrain",
            NodeAction::Remove => "node.remove",
        }
    }
}

/// What the audit log keeps of a node: its standing, not its capabilities.
fn audit_view(node: &NodeInfo) -> serde_json::Value {
    serde_json::json!({
        "name": node.name,
        "state": node.state.as_str(),
        "draining": node.draining,
        "drain_deadline": node.drain_deadline,
        "online": node.online,
        "blacklisted": node.blacklisted,
    })
}

/// Applies an owner's decision and records it in the audit log; returns the node after it.
pub fn act(
    ctx: &mut WriteCtx<'_>,
    id: &str,
    action: NodeAction,
    actor: &Actor,
) -> Result<NodeInfo, ApiError> {
    act_with(ctx, id, action, None, actor)
}

/// Drains a node; with a deadline (ms from now), the tasks it still runs then are handed back
/// to the queue by the sweeper. Draining again replaces the deadline (none: they finish).
pub fn drain(
    ctx: &mut WriteCtx<'_>,
    id: &str,
    deadline_ms: Option<i64>,
    actor: &Actor,
) -> Result<NodeInfo, ApiError> {
    act_with(ctx, id, NodeAction::Drain, deadline_ms, actor)
}

fn act_with(
    ctx: &mut WriteCtx<'_>,
    id: &str,
    action: NodeAction,
    drain_deadline_ms: Option<i64>,
    actor: &Actor,
) -> Result<NodeInfo, ApiError> {
    let before = get(ctx.conn, id)?;
    if before.state == NodeState::Removed {
        return Err(ApiError::not_found("node", id));
    }
    let (sql, kind) = match action {
        NodeAction::Approve => (
            "UPDATE nodes SET state = 'approved' WHERE id = ?1",
            "node.approved",
        ),
        NodeAction::Reject => (
            "UPDATE nodes SET state = 'rejected' WHERE id = ?1",
            "node.rejected",
        ),
        NodeAction::Drain => (
            "UPDATE nodes SET draining = 1, drain_deadline = ?2 WHERE id = ?1",
            "node.draining",
        ),
        NodeAction::Undrain => (
            "UPDATE nodes SET draining = 0, drain_deadline = NULL WHERE id = ?1",
            "node.undrained",
        ),
        NodeAction::Remove => (
            "UPDATE nodes SET state = 'removed', online = 0 WHERE id = ?1",
            "node.removed",
        ),
    };
    let deadline = drain_deadline_ms.map(|ms| ctx.now.saturating_add(ms));
    if matches!(action, NodeAction::Drain) {
        ctx.conn.execute(sql, params![id, deadline])?;
    } else {
        ctx.conn.execute(sql, [id])?;
    }
    if matches!(action, NodeAction::Approve | NodeAction::Reject) {
        ctx.conn
            .prepare_cached(
                "UPDATE nodes SET decided_by = ?2, decided_by_name = ?3, decided_at = ?4 \
                 WHERE id = ?1",
            )?
            .execute(params![id, actor.id, actor.name, ctx.now])?;
    }
    if matches!(action, NodeAction::Reject | NodeAction::Remove) {
        super::transitions::release_node_leases(ctx, id)?;
    }
    if matches!(action, NodeAction::Approve | NodeAction::Undrain) {
        ctx.queue_changed();
    }
    ctx.event(
        kind,
        None,
        Some(id),
        &serde_json::json!({"by": actor.id, "before": before.state.as_str(),
                            "drain_deadline": deadline}),
    )?;
    let after = get(ctx.conn, id)?;
    audit::record(
        ctx,
        actor,
        action.audit_name(),
        id,
        Some(&audit_view(&before)),
        Some(&audit_view(&after)),
    )?;
    Ok(after)
}

/// The stored hash of a node's secret and its state, for authentication.
pub fn credential(conn: &Db, id: &str) -> Result<Option<(Vec<u8>, String)>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT secret_hash, state FROM nodes WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn counts(conn: &Db) -> Result<(u64, u64), ApiError> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(CASE WHEN online = 1 AND state = 'approved' THEN 1 END), \
             COUNT(CASE WHEN state = 'pending' THEN 1 END) FROM nodes",
        )?
        .query_row([], |r| {
            Ok((r.get::<i64>(0)? as u64, r.get::<i64>(1)? as u64))
        })?)
}
