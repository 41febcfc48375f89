//! API and enrollment tokens. Only hashes are stored; the secret is shown once at creation.

use super::WriteCtx;
use crate::api::{Role, TokenCreateRequest, TokenInfo, TokenKind};
use crate::server::auth::{hash_secret, new_api_token, new_enroll_token, random_hex};
use crate::server::error::ApiError;
use crate::server::store::db::{self, Db, OptionalExtension, Row, params};

const TOKEN_COLUMNS: &str =
    "id, kind, role, name, created_at, created_by, expires_at, uses_left, auto_approve, revoked_at";

fn token_from_row(row: &Row<'_>) -> db::Result<TokenInfo> {
    let kind: String = row.get(1)?;
    let role: Option<String> = row.get(2)?;
    Ok(TokenInfo {
        id: row.get(0)?,
        kind: if kind == "enroll" {
            TokenKind::Enroll
        } else {
            TokenKind::Api
        },
        role: role.as_deref().and_then(Role::parse),
        name: row.get(3)?,
        created_at: row.get(4)?,
        created_by: row.get(5)?,
        expires_at: row.get(6)?,
        uses_left: row.get(7)?,
        auto_approve: row.get(8)?,
        revoked_at: row.get(9)?,
    })
}

pub fn get(conn: &Db, id: &str) -> Result<TokenInfo, ApiError> {
    conn.prepare_cached(&format!("SELECT {TOKEN_COLUMNS} FROM tokens WHERE id = ?1"))?
        .query_row([id], token_from_row)
        .optional()?
        .ok_or_else(|| ApiError::not_found("token", id))
}

/// The token a secret belongs to, if any (revoked and expired ones included: the caller decides).
pub fn by_secret(conn: &Db, secret: &str) -> Result<Option<TokenInfo>, ApiError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {TOKEN_COLUMNS} FROM tokens WHERE hash = ?1"
        ))?
        .query_row([&hash_secret(secret)[..]], token_from_row)
        .optional()?)
}

pub fn list(conn: &Db) -> Result<Vec<TokenInfo>, ApiError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([], token_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Creates a token. `secret` is given only for the bootstrap admin token (ADMIN_API_TOKEN).
pub fn create(
    ctx: &mut WriteCtx<'_>,
    req: &TokenCreateRequest,
    created_by: Option<&str>,
    secret: Option<String>,
) -> Result<(TokenInfo, String), ApiError> {
    let kind = req.kind.unwrap_or(TokenKind::Api);
    let (kind_str, role, secret) = match kind {
        TokenKind::Api => (
            "api",
            Some(req.role.unwrap_or(Role::User)),
            secret.unwrap_or_else(new_api_token),
        ),
        TokenKind::Enroll => {
            if req.role.is_some() {
                return Err(ApiError::bad_request(
                    "enrollment tokens have no role: leave `role` out",
                ));
            }
            ("enroll", None, secret.unwrap_or_else(new_enroll_token))
        }
    };
    if kind == TokenKind::Api && (req.uses.is_some() || req.auto_approve) {
        return Err(ApiError::bad_request(
            "`uses` and `auto_approve` apply to enrollment tokens only",
        ));
    }
    if req.uses == Some(0) {
        return Err(ApiError::bad_request("`uses` must be at least 1"));
    }
    let name = req.name.clone().unwrap_or_default();
    if name.len() > 200 {
        return Err(ApiError::bad_request(
            "token name is longer than 200 characters",
        ));
    }
    let expires_at = match req.expires_in_secs {
        Some(0) => return Err(ApiError::bad_request("expires_in_secs must be at least 1")),
        Some(s) => Some(
            ctx.now
                .saturating_add((s.min(i64::MAX as u64 / 2000) * 1000) as i64),
        ),
        None => None,
    };
    let uses_left = match kind {
        TokenKind::Enroll => Some(req.uses.unwrap_or(1)),
        TokenKind::Api => None,
    };
    let id = format!("tok{}", random_hex(5));
    ctx.conn
        .prepare_cached(
            "INSERT INTO tokens (id, kind, role, name, hash, created_at, created_by, expires_at, \
             uses_left, auto_approve) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            id,
            kind_str,
            role.map(Role::as_str),
            name,
            &hash_secret(&secret)[..],
            ctx.now,
            created_by,
            expires_at,
            uses_left,
            req.auto_approve,
        ])?;
    ctx.event(
        "token.created",
        None,
        None,
        &serde_json::json!({"id": id, "kind": kind_str, "by": created_by}),
    )?;
    Ok((get(ctx.conn, &id)?, secret))
}

pub fn revoke(ctx: &mut WriteCtx<'_>, id: &str, actor: &str) -> Result<TokenInfo, ApiError> {
    let token = get(ctx.conn, id)?;
    if token.revoked_at.is_none() {
        if is_last_admin(ctx, &token)? {
            return Err(ApiError::conflict(
                "last_admin",
                "this is the last admin token: revoking it would leave no one able to administer                  the coordinator (and ADMIN_API_TOKEN with its secret could not start it again);                  create another admin token first (`edgecoder server tokens create --role admin`)",
            ));
        }
        ctx.conn.execute(
            "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1",
            params![id, ctx.now],
        )?;
        ctx.event(
            "token.revoked",
            None,
            None,
            &serde_json::json!({"id": id, "by": actor}),
        )?;
    }
    get(ctx.conn, id)
}

/// Whether `token` is an admin API token and no other usable (not revoked, not expired) one is
/// left. Checked in the writer's transaction, so two revocations cannot both pass it.
fn is_last_admin(ctx: &WriteCtx<'_>, token: &TokenInfo) -> Result<bool, ApiError> {
    if token.kind != TokenKind::Api || token.role != Some(Role::Admin) {
        return Ok(false);
    }
    let others: i64 = ctx.conn.query_row(
        "SELECT COUNT(*) FROM tokens WHERE kind = 'api' AND role = 'admin' AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > ?2) AND id != ?1",
        params![token.id, ctx.now],
        |r| r.get(0),
    )?;
    Ok(others == 0)
}

/// Whether any admin token exists (first start makes one).
pub fn has_admin(conn: &Db) -> Result<bool, ApiError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM tokens WHERE kind = 'api' AND role = 'admin' AND revoked_at IS NULL \
             LIMIT 1",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
