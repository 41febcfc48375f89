//! The network mode set at run time, kept in `meta` so it outlives a restart.

use super::WriteCtx;
use super::audit::{self, Actor};
use crate::api::{NetworkMode, NetworkModeInfo};
use crate::server::error::ApiError;
use crate::server::store::db::{Db, OptionalExtension};
use serde::{Deserialize, Serialize};

const META_KEY: &str = "network_mode";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    mode: String,
    set_by: String,
    set_by_name: String,
    set_at: i64,
}

/// The mode in force: the one an admin set at run time, else the configured setting.
pub fn load(conn: &Db, configured: NetworkMode) -> Result<NetworkModeInfo, ApiError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([META_KEY], |r| r.get(0))
        .optional()?;
    let stored = text.and_then(|t| serde_json::from_str::<Stored>(&t).ok());
    Ok(
        match stored.and_then(|s| Some((NetworkMode::parse(&s.mode)?, s))) {
            Some((mode, s)) => NetworkModeInfo {
                mode,
                configured,
                set_by: Some(s.set_by),
                set_by_name: Some(s.set_by_name),
                set_at: Some(s.set_at),
            },
            None => NetworkModeInfo {
                mode: configured,
                configured,
                set_by: None,
                set_by_name: None,
                set_at: None,
            },
        },
    )
}

pub fn parse(given: &str) -> Result<NetworkMode, ApiError> {
    NetworkMode::parse(given.trim()).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "unknown_network_mode",
            format!(
                "unknown network mode {given:?}: use enterprise_overlay or public_mesh \
                 (nothing was changed)"
            ),
        )
    })
}

/// Sets the mode durably and records it in the audit log. Setting the mode in force changes
/// nothing and records nothing.
pub fn set(
    ctx: &mut WriteCtx<'_>,
    given: &str,
    configured: NetworkMode,
    actor: &Actor,
) -> Result<NetworkModeInfo, ApiError> {
    let mode = parse(given)?;
    let before = load(ctx.conn, configured)?;
    if before.mode == mode {
        return Ok(before);
    }
    let stored = Stored {
        mode: mode.as_str().to_string(),
        set_by: actor.id.clone(),
        set_by_name: actor.name.clone(),
        set_at: ctx.now,
    };
    ctx.conn
        .prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute([META_KEY, &serde_json::to_string(&stored)?])?;
    audit::record(
        ctx,
        actor,
        "network_mode.set",
        "network_mode",
        Some(&serde_json::json!({"mode": before.mode.as_str()})),
        Some(&serde_json::json!({"mode": mode.as_str()})),
    )?;
    ctx.event(
        "network_mode.changed",
        None,
        None,
        &serde_json::json!({"mode": mode.as_str(), "before": before.mode.as_str(), "by": actor.id}),
    )?;
    // Nodes refused under the old mode may take work under the new one.
    ctx.queue_changed();
    load(ctx.conn, configured)
}
