//! Looks up who holds a token or node credential, with a small cache so the hot agent routes do
//! not read the database for every call. Revoking or removing clears the cache entry at once.

use crate::api::{NodeState, Role, TokenKind};
use crate::server::auth::{Caller, hash_secret, hashes_equal, node_id_of_secret};
use crate::server::error::ApiError;
use crate::server::store::{Store, nodes, tokens};
use axum::http::StatusCode;
use std::collections::HashMap;
use std::sync::Mutex;

/// Bounds the cache; past it, the cache is cleared (it refills from the database as needed).
const MAX_CACHED: usize = 100_000;

/// A known token's caller and expiry (unix ms), by the hash of its secret.
type TokenCache = HashMap<[u8; 32], (Caller, Option<i64>)>;

#[derive(Default)]
pub struct AuthCache {
    tokens: Mutex<TokenCache>,
    nodes: Mutex<HashMap<String, [u8; 32]>>,
}

impl AuthCache {
    pub async fn api_caller(&self, store: &Store, token: &str) -> Result<Caller, ApiError> {
        let hash = hash_secret(token);
        let now = crate::api::now_ms();
        if let Ok(cache) = self.tokens.lock()
            && let Some((caller, expires_at)) = cache.get(&hash)
            && expires_at.is_none_or(|t| t > now)
        {
            return Ok(caller.clone());
        }
        let owned = token.to_string();
        let info = store
            .read(move |conn| tokens::by_secret(conn, &owned))
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "unknown token: check it, or ask the coordinator's admin for one \
                     (`edgecoder server tokens create`)",
                )
            })?;
        if info.kind == TokenKind::Enroll {
            return Err(ApiError::unauthorized(
                "this is an enrollment token: use it with `edgecoder enroll --token`",
            ));
        }
        if info.revoked_at.is_some() {
            return Err(ApiError::unauthorized("this token was revoked"));
        }
        if info.expires_at.is_some_and(|t| t <= now) {
            return Err(ApiError::unauthorized("this token has expired"));
        }
        let caller = Caller {
            token_id: info.id,
            role: info.role.unwrap_or(Role::User),
            name: info.name,
        };
        if let Ok(mut cache) = self.tokens.lock() {
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
            cache.insert(hash, (caller.clone(), info.expires_at));
        }
        Ok(caller)
    }

    pub fn forget_token(&self, token_id: &str) {
        if let Ok(mut cache) = self.tokens.lock() {
            cache.retain(|_, (caller, _)| caller.token_id != token_id);
        }
    }

    /// Authenticates a node credential; returns the node id.
    pub async fn node_caller(&self, store: &Store, secret: &str) -> Result<String, ApiError> {
        let node_id = node_id_of_secret(secret)
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "not a node credential: enroll this machine with `edgecoder enroll`",
                )
            })?
            .to_string();
        let hash = hash_secret(secret);
        if let Ok(cache) = self.nodes.lock()
            && let Some(known) = cache.get(&node_id)
        {
            return if hashes_equal(known, &hash) {
                Ok(node_id)
            } else {
                Err(ApiError::unauthorized("wrong node credential"))
            };
        }
        let id = node_id.clone();
        let found = store.read(move |conn| nodes::credential(conn, &id)).await?;
        let Some((stored, state)) = found else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unknown_node",
                format!(
                    "this coordinator does not know node {node_id}: enroll again with \
                     `edgecoder enroll --token …`"
                ),
            ));
        };
        if !hashes_equal(&stored, &hash) {
            return Err(ApiError::unauthorized("wrong node credential"));
        }
        if state == NodeState::Removed.as_str() {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "node_removed",
                format!(
                    "node {node_id} was removed from this coordinator: enroll again with a new token"
                ),
            ));
        }
        if let Ok(mut cache) = self.nodes.lock() {
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
            cache.insert(node_id.clone(), hash);
        }
        Ok(node_id)
    }

    pub fn forget_node(&self, node_id: &str) {
        if let Ok(mut cache) = self.nodes.lock() {
            cache.remove(node_id);
        }
    }
}
