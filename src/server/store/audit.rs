//! The audit log: every admin and owner action, with who, when, what and the state before and
//! after. Written by [`record`] inside the action's own write job, so an action and its record
//! commit (or roll back) together: there is never an action without a record, nor the reverse.

use super::WriteCtx;
use crate::api::{AuditEntry, AuditPage};
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::store::db::{self, Db, Row, params};
use serde_json::Value;

/// Who acted: an API token's id and its name at the time.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
}

impl Actor {
    /// The coordinator acting on its own (self-update draining its local worker).
    pub fn coordinator(what: &str) -> Actor {
        Actor {
            id: "coordinator".to_string(),
            name: what.to_string(),
        }
    }

    pub fn of(caller: &Caller) -> Actor {
        Actor {
            id: caller.token_id.clone(),
            name: caller.name.clone(),
        }
    }
}

/// Records one action. Call it inside the action's write job, after the action's own checks,
/// so a refused action leaves no record. `before`/`after` are small JSON views of the target
/// (None where it did not exist before, or no longer exists after).
///
/// ```ignore
/// store.write(move |ctx| {
///     let before = ...;            // read and check first
///     ...                          // then change
///     audit::record(ctx, &actor, "credits.grant", &account, Some(&before), Some(&after))?;
///     Ok(...)
/// })
/// ```
pub fn record(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    action: &str,
    target: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<i64, ApiError> {
    let id = ctx
        .conn
        .prepare_cached(
            "INSERT INTO audit (at, actor, actor_name, action, target, before, after) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )?
        .query_row(
            params![
                ctx.now,
                actor.id,
                actor.name,
                action,
                target,
                before.map(Value::to_string),
                after.map(Value::to_string),
            ],
            |row| row.get(0),
        )?;
    Ok(id)
}

fn entry_from_row(row: &Row<'_>) -> db::Result<AuditEntry> {
    // A record whose JSON does not parse is still shown, as a string, rather than hiding it.
    let json =
        |text: Option<String>| text.map(|t| serde_json::from_str(&t).unwrap_or(Value::String(t)));
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        actor_name: row.get(3)?,
        action: row.get(4)?,
        target: row.get(5)?,
        before: json(row.get(6)?),
        after: json(row.get(7)?),
    })
}

/// Newest first, `limit` entries older than `before` (an entry id), optionally one target's.
pub fn list(
    conn: &Db,
    limit: u32,
    before: Option<i64>,
    target: Option<&str>,
) -> Result<AuditPage, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, actor_name, action, target, before, after FROM audit \
         WHERE id < ?1 AND (CAST(?2 AS TEXT) IS NULL OR target = ?2) ORDER BY id DESC LIMIT ?3",
    )?;
    let entries: Vec<AuditEntry> = stmt
        .query_map(
            params![before.unwrap_or(i64::MAX), target, limit as i64 + 1],
            entry_from_row,
        )?
        .collect::<Result<_, _>>()?;
    let more = entries.len() > limit as usize;
    let entries: Vec<AuditEntry> = entries.into_iter().take(limit as usize).collect();
    let next_before = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage {
        entries,
        next_before,
    })
}
