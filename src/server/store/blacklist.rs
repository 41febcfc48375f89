//! The blacklist: nodes refused by id or by address, each entry with a reason.
//!
//! `nodes.blacklisted` caches whether any entry matches a node (its id, or the address it last
//! registered from), so the claim and heartbeat paths read one column they already fetch. It is
//! recomputed by [`refresh_node`] whenever an entry is added or removed, and whenever a node's
//! address changes.

use super::WriteCtx;
use super::audit::{self, Actor};
use super::transitions::take_back_work;
use crate::api::{BlacklistAdd, BlacklistChange, BlacklistEntry};
use crate::server::auth::random_hex;
use crate::server::error::ApiError;
use crate::server::store::db::{self, Db, OptionalExtension, Row, params};
use axum::http::StatusCode;
use std::net::IpAddr;

const MAX_REASON_CHARS: usize = 500;

/// The canonical text of an address (IPv4-mapped IPv6 addresses become IPv4), so one address is
/// always written the same way in entries and in `nodes.address`.
pub fn canonical_address(ip: IpAddr) -> String {
    ip.to_canonical().to_string()
}

pub fn parse_address(given: &str) -> Result<String, ApiError> {
    given
        .trim()
        .parse::<IpAddr>()
        .map(canonical_address)
        .map_err(|_| {
            ApiError::bad_request(format!(
                "{given:?} is not an IP address: give one address such as 203.0.113.7 or \
                 2001:db8::7 (ranges are not supported)"
            ))
        })
}

pub fn blacklisted_error(node_id: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "node_blacklisted",
        format!(
            "node {node_id} is blacklisted on this coordinator: it may not heartbeat or take \
             work; ask the coordinator's admin (`edgecoder server blacklist list`)"
        ),
    )
}

pub fn address_blacklisted_error(address: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "address_blacklisted",
        format!(
            "address {address} is blacklisted on this coordinator: nodes connecting from it are \
             refused; ask the coordinator's admin"
        ),
    )
}

const ENTRY_COLUMNS: &str = "id, node_id, address, reason, created_at, created_by";

fn entry_from_row(row: &Row<'_>) -> db::Result<BlacklistEntry> {
    Ok(BlacklistEntry {
        id: row.get(0)?,
        node_id: row.get(1)?,
        address: row.get(2)?,
        reason: row.get(3)?,
        created_at: row.get(4)?,
        created_by: row.get(5)?,
        nodes: Vec::new(),
    })
}

/// The nodes an entry matches (removed nodes left out).
fn matched_nodes(conn: &Db, entry: &BlacklistEntry) -> Result<Vec<String>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM nodes WHERE (id = ?1 OR address = ?2) AND state != 'removed' \
         ORDER BY registered_at",
    )?;
    let ids = stmt
        .query_map(params![entry.node_id, entry.address], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

fn with_nodes(conn: &Db, mut entry: BlacklistEntry) -> Result<BlacklistEntry, ApiError> {
    entry.nodes = matched_nodes(conn, &entry)?;
    Ok(entry)
}

pub fn list(conn: &Db) -> Result<Vec<BlacklistEntry>, ApiError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM blacklist ORDER BY created_at, id"
    ))?;
    let entries: Vec<BlacklistEntry> = stmt
        .query_map([], entry_from_row)?
        .collect::<Result<_, _>>()?;
    entries.into_iter().map(|e| with_nodes(conn, e)).collect()
}

/// Every blacklisted address, for the coordinator's in-memory check of connecting peers.
pub fn addresses(conn: &Db) -> Result<Vec<String>, ApiError> {
    let mut stmt =
        conn.prepare_cached("SELECT address FROM blacklist WHERE address IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether an entry names this address (checked again inside registration's write job).
pub fn address_listed(conn: &Db, address: &str) -> Result<bool, ApiError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM blacklist WHERE address = ?1")?
        .query_row([address], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Recomputes a node's cached flag from the entries; returns (before, after).
pub fn refresh_node(ctx: &mut WriteCtx<'_>, node_id: &str) -> Result<(bool, bool), ApiError> {
    let before: bool = ctx
        .conn
        .prepare_cached("SELECT blacklisted FROM nodes WHERE id = ?1")?
        .query_row([node_id], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    let after: bool = ctx
        .conn
        .prepare_cached(
            "UPDATE nodes SET blacklisted = CASE WHEN \
             EXISTS (SELECT 1 FROM blacklist b WHERE b.node_id = nodes.id) \
             OR EXISTS (SELECT 1 FROM blacklist b WHERE b.address = nodes.address) \
             THEN 1 ELSE 0 END WHERE id = ?1 RETURNING blacklisted",
        )?
        .query_row([node_id], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    Ok((before, after))
}

fn validate_reason(reason: &str) -> Result<String, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::bad_request(
            "a blacklist entry needs a reason: say why (`--reason TEXT`)",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::bad_request(format!(
            "the reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    Ok(reason.to_string())
}

fn entry_json(entry: &BlacklistEntry) -> serde_json::Value {
    serde_json::json!({
        "id": entry.id,
        "node_id": entry.node_id,
        "address": entry.address,
        "reason": entry.reason,
    })
}

/// Adds an entry; the nodes it matches are refused from now on and their work re-queued.
pub fn add(
    ctx: &mut WriteCtx<'_>,
    req: &BlacklistAdd,
    actor: &Actor,
) -> Result<BlacklistChange, ApiError> {
    // Every check comes before the first write: a refusal leaves nothing behind.
    let reason = validate_reason(&req.reason)?;
    let (node_id, address) = match (req.node_id.as_deref(), req.address.as_deref()) {
        (Some(node), None) => (Some(super::nodes::resolve_id(ctx.conn, node.trim())?), None),
        (None, Some(addr)) => (None, Some(parse_address(addr)?)),
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of node_id and address (`--node ID` or `--address IP`)",
            ));
        }
    };
    let existing = ctx
        .conn
        .prepare_cached("SELECT id FROM blacklist WHERE node_id = ?1 OR address = ?2")?
        .query_row(params![node_id, address], |r| r.get::<String>(0))
        .optional()?;
    if let Some(id) = existing {
        return Err(ApiError::conflict(
            "already_blacklisted",
            format!(
                "{} is already blacklisted (entry {id})",
                node_id
                    .as_deref()
                    .map(|n| format!("node {n}"))
                    .or(address.as_deref().map(|a| format!("address {a}")))
                    .unwrap_or_default()
            ),
        ));
    }
    let entry = BlacklistEntry {
        id: format!("bl{}", random_hex(5)),
        node_id,
        address,
        reason,
        created_at: ctx.now,
        created_by: actor.id.clone(),
        nodes: Vec::new(),
    };
    ctx.conn
        .prepare_cached(
            "INSERT INTO blacklist (id, node_id, address, reason, created_at, created_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            entry.id,
            entry.node_id,
            entry.address,
            entry.reason,
            entry.created_at,
            entry.created_by
        ])?;
    let entry = with_nodes(ctx.conn, entry)?;
    let mut changed = Vec::new();
    let mut requeued = Vec::new();
    for node in &entry.nodes {
        let (before, after) = refresh_node(ctx, node)?;
        if after {
            let why = format!("node {node} was blacklisted: {}", entry.reason);
            requeued.extend(take_back_work(ctx, node, "blacklisted", &why)?);
        }
        if after && !before {
            ctx.event(
                "node.blacklisted",
                None,
                Some(node),
                &serde_json::json!({"entry": entry.id, "reason": entry.reason, "by": actor.id}),
            )?;
            changed.push(node.clone());
        }
    }
    audit::record(
        ctx,
        actor,
        "blacklist.add",
        &entry.id,
        None,
        Some(&serde_json::json!({
            "entry": entry_json(&entry), "nodes": changed, "requeued": requeued,
        })),
    )?;
    Ok(BlacklistChange {
        entry,
        nodes: changed,
        requeued,
    })
}

/// Finds the entry named by its id, or by the node or address it lists.
fn find(conn: &Db, given: &str) -> Result<BlacklistEntry, ApiError> {
    let given = given.trim();
    let address = parse_address(given).ok();
    let node = super::nodes::resolve_id(conn, given).ok();
    conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM blacklist WHERE id = ?1 OR address = ?2 OR node_id = ?3 \
         ORDER BY id = ?1 DESC LIMIT 1"
    ))?
    .query_row(params![given, address, node], entry_from_row)
    .optional()?
    .ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "no blacklist entry {given:?} (by entry id, node or address): see `edgecoder \
                 server blacklist list`"
            ),
        )
    })
}

/// Removes an entry; nodes no other entry matches may work again.
pub fn remove(
    ctx: &mut WriteCtx<'_>,
    given: &str,
    actor: &Actor,
) -> Result<BlacklistChange, ApiError> {
    let entry = with_nodes(ctx.conn, find(ctx.conn, given)?)?;
    ctx.conn
        .prepare_cached("DELETE FROM blacklist WHERE id = ?1")?
        .execute([&entry.id])?;
    let mut changed = Vec::new();
    for node in &entry.nodes {
        let (before, after) = refresh_node(ctx, node)?;
        if before && !after {
            ctx.event(
                "node.unblacklisted",
                None,
                Some(node),
                &serde_json::json!({"entry": entry.id, "by": actor.id}),
            )?;
            changed.push(node.clone());
        }
    }
    if !changed.is_empty() {
        ctx.queue_changed();
    }
    audit::record(
        ctx,
        actor,
        "blacklist.remove",
        &entry.id,
        Some(&serde_json::json!({"entry": entry_json(&entry), "nodes": entry.nodes})),
        None,
    )?;
    Ok(BlacklistChange {
        entry,
        nodes: changed,
        requeued: Vec::new(),
    })
}
