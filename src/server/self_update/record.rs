//! The `updates` table: an update's state and history, kept in the database so both the process
//! that started an update and the one it re-executed into can read and finish it.

use crate::api::{UpdateInfo, UpdateState};
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;
use crate::server::store::audit::Actor;
use crate::server::store::db::{self, Db, OptionalExtension, Row, params};
use crate::server::store::nodes::{self, NodeAction};

const COLUMNS: &str = "id, state, from_version, to_version, \"binary\", sha256, started_by, \
                       started_at, updated_at, finished_at, drain_deadline, message";

/// How many past updates `GET /api/v1/update` lists.
pub const HISTORY_LEN: u32 = 20;

fn from_row(row: &Row<'_>) -> db::Result<UpdateInfo> {
    let state: String = row.get(1)?;
    Ok(UpdateInfo {
        id: row.get(0)?,
        // The CHECK constraint admits only known states; an unknown one reads as failed.
        state: UpdateState::parse(&state).unwrap_or(UpdateState::Failed),
        from_version: row.get(2)?,
        to_version: row.get(3)?,
        binary: row.get(4)?,
        sha256: row.get(5)?,
        started_by: row.get(6)?,
        started_at: row.get(7)?,
        updated_at: row.get(8)?,
        finished_at: row.get(9)?,
        drain_deadline: row.get(10)?,
        message: row.get(11)?,
    })
}

pub struct NewUpdate {
    pub id: String,
    pub from_version: String,
    pub to_version: String,
    pub binary: String,
    pub sha256: String,
    pub started_by: String,
    pub drain_deadline: i64,
    /// The local worker's node, drained by this update unless it was draining already.
    pub local_node: Option<String>,
}

/// Records a new update and drains the local worker, in one transaction. Refuses a second one
/// while another is unfinished.
pub fn insert(ctx: &mut WriteCtx<'_>, new: NewUpdate) -> Result<UpdateInfo, ApiError> {
    if let Some(open) = current(ctx.conn)? {
        return Err(ApiError::conflict(
            "update_in_progress",
            format!(
                "update {} is {}: wait for it to end (`edgecoder server update status`)",
                open.id,
                open.state.as_str()
            ),
        ));
    }
    let mut drained = None;
    if let Some(node) = &new.local_node {
        let info = nodes::get(ctx.conn, node)?;
        if !info.draining {
            nodes::act(
                ctx,
                node,
                NodeAction::Drain,
                &Actor::coordinator("self-update"),
            )?;
            drained = Some(node.clone());
        }
    }
    ctx.conn.execute(
        "INSERT INTO updates (id, state, from_version, to_version, \"binary\", sha256, started_by, \
         started_at, updated_at, drain_deadline, drained_local_node, message) \
         VALUES (?1, 'deferred', ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10)",
        params![
            new.id,
            new.from_version,
            new.to_version,
            new.binary,
            new.sha256,
            new.started_by,
            ctx.now,
            new.drain_deadline,
            drained,
            "waiting for the local worker's running tasks",
        ],
    )?;
    ctx.event(
        "update.deferred",
        None,
        None,
        &serde_json::json!({"id": new.id, "to_version": new.to_version}),
    )?;
    get(ctx.conn, &new.id)
}

pub fn get(conn: &Db, id: &str) -> Result<UpdateInfo, ApiError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM updates WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| ApiError::not_found("update", id))
}

/// The unfinished update, if any.
pub fn current(conn: &Db) -> Result<Option<UpdateInfo>, ApiError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM updates WHERE state IN ('deferred', 'restarting') \
             ORDER BY started_at DESC LIMIT 1"
        ))?
        .query_row([], from_row)
        .optional()?)
}

pub fn history(conn: &Db, limit: u32) -> Result<Vec<UpdateInfo>, ApiError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM updates ORDER BY started_at DESC, id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Tasks the node holds a lease on (claimed, accepted or running).
pub fn running_on(conn: &Db, node: &str) -> Result<u64, ApiError> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM leases WHERE node_id = ?1")?
        .query_row([node], |r| r.get::<i64>(0))
        .map(|n| n.max(0) as u64)?)
}

/// Moves an update on. A terminal state also gives the local worker back its work.
pub fn set_state(
    ctx: &mut WriteCtx<'_>,
    id: &str,
    state: UpdateState,
    message: &str,
) -> Result<UpdateInfo, ApiError> {
    let finished = state.is_terminal().then_some(ctx.now);
    ctx.conn.execute(
        "UPDATE updates SET state = ?2, message = ?3, updated_at = ?4, \
         finished_at = COALESCE(?5, finished_at) WHERE id = ?1",
        params![id, state.as_str(), message, ctx.now, finished],
    )?;
    if state.is_terminal() {
        undrain_local(ctx, id)?;
    }
    ctx.event(
        &format!("update.{}", state.as_str()),
        None,
        None,
        &serde_json::json!({"id": id, "message": message}),
    )?;
    get(ctx.conn, id)
}

fn undrain_local(ctx: &mut WriteCtx<'_>, id: &str) -> Result<(), ApiError> {
    let drained: Option<String> = ctx
        .conn
        .prepare_cached("SELECT drained_local_node FROM updates WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten();
    if let Some(node) = drained {
        ctx.conn.execute(
            "UPDATE updates SET drained_local_node = NULL WHERE id = ?1",
            [id],
        )?;
        match nodes::act(
            ctx,
            &node,
            NodeAction::Undrain,
            &Actor::coordinator("self-update"),
        ) {
            Ok(_) => {}
            // The node was removed meanwhile: nothing to give back.
            Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// At start: finishes the update a previous process left open. A `restarting` update succeeded
/// when this process runs the version it was going to, and was rolled back otherwise; a
/// `deferred` one died with the process that was draining for it.
pub fn recover(
    ctx: &mut WriteCtx<'_>,
    running_version: &str,
) -> Result<Option<UpdateInfo>, ApiError> {
    let Some(open) = current(ctx.conn)? else {
        return Ok(None);
    };
    let (state, message) = match open.state {
        UpdateState::Restarting if open.to_version == running_version => (
            UpdateState::Succeeded,
            format!("version {running_version} is running"),
        ),
        UpdateState::Restarting => (
            UpdateState::RolledBack,
            format!(
                "version {} did not come up; version {running_version} runs again",
                open.to_version
            ),
        ),
        _ => (
            UpdateState::Failed,
            "the coordinator stopped during the drain; the binary was not replaced".to_string(),
        ),
    };
    set_state(ctx, &open.id, state, &message).map(Some)
}
