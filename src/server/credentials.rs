//! Looks up who holds a token or node credential, with a small cache so the hot agent routes do
//! not read the database for every call. Revoking or removing clears the cache entry at once;
//! coordinators sharing a database cannot clear each other's, so there an entry is trusted for
//! a second only, and a token revoked through one coordinator is refused by all within it.

use crate::api::{NodeState, Role, TokenKind};
use crate::server::auth::{Caller, hash_secret, hashes_equal, node_id_of_secret};
use crate::server::error::ApiError;
use crate::server::store::{Store, nodes, tokens};
use axum::http::StatusCode;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Bounds the cache; past it, the cache is cleared (it refills from the database as needed).
const MAX_CACHED: usize = 100_000;

/// How long a cached credential is trusted when other coordinators share the database.
const SHARED_TTL: Duration = Duration::from_secs(1);

/// A known token's caller, expiry (unix ms) and when it was read, by the hash of its secret.
type TokenCache = HashMap<[u8; 32], (Caller, Option<i64>, Instant)>;

#[derive(Default)]
pub struct AuthCache {
    tokens: Mutex<TokenCache>,
    nodes: Mutex<HashMap<String, ([u8; 32], Instant)>>,
    /// `Some` when other coordinators share the database: entries older than this are read
    /// again.
    ttl: Option<Duration>,
}

impl AuthCache {
    /// A cache for a coordinator alone on its database (`shared` false), or one of a group.
    pub fn new(shared: bool) -> AuthCache {
        AuthCache {
            ttl: shared.then_some(SHARED_TTL),
            ..AuthCache::default()
        }
    }

    fn fresh(&self, read_at: Instant) -> bool {
        self.ttl.is_none_or(|ttl| read_at.elapsed() < ttl)
    }

    pub async fn api_caller(&self, store: &Store, token: &str) -> Result<Caller, ApiError> {
        let hash = hash_secret(token);
        let now = crate::api::now_ms();
        if let Ok(cache) = self.tokens.lock()
            && let Some((caller, expires_at, read_at)) = cache.get(&hash)
            && expires_at.is_none_or(|t| t > now)
            && self.fresh(*read_at)
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
            cache.insert(hash, (caller.clone(), info.expires_at, Instant::now()));
        }
        Ok(caller)
    }

    pub fn forget_token(&self, token_id: &str) {
        if let Ok(mut cache) = self.tokens.lock() {
            cache.retain(|_, (caller, _, _)| caller.token_id != token_id);
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
            && let Some((known, read_at)) = cache.get(&node_id)
            && self.fresh(*read_at)
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
            cache.insert(node_id.clone(), (hash, Instant::now()));
        }
        Ok(node_id)
    }

    pub fn forget_node(&self, node_id: &str) {
        if let Ok(mut cache) = self.nodes.lock() {
            cache.remove(node_id);
        }
    }
}
