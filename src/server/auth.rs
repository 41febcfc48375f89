//! Who is calling: API tokens with roles, node credentials, the optional mesh token.
//!
//! Secrets are random and long, so a SHA-256 hash is enough at rest; lookups go by hash and the
//! final comparison is constant-time. No secret is ever logged.

use crate::api::Role;
use crate::server::AppState;
use crate::server::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const API_TOKEN_PREFIX: &str = "eca_";
pub const ENROLL_TOKEN_PREFIX: &str = "ece_";
pub const NODE_SECRET_PREFIX: &str = "ecn_";

pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

pub fn hashes_equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Random lowercase hex of `bytes` bytes from the OS generator.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    if getrandom::fill(&mut buf).is_err() {
        // The OS generator failing is not recoverable: refusing to mint weak secrets is the only
        // safe answer, and it happens before any request is served.
        panic!("the operating system's random number generator failed");
    }
    hex::encode(buf)
}

pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_hex(24))
}

pub fn new_enroll_token() -> String {
    format!("{ENROLL_TOKEN_PREFIX}{}", random_hex(24))
}

/// A node's credential names its node so the coordinator can find the hash to compare with.
pub fn new_node_secret(node_id: &str) -> String {
    format!("{NODE_SECRET_PREFIX}{node_id}.{}", random_hex(24))
}

/// The node id inside a node credential, if it has the right shape.
pub fn node_id_of_secret(secret: &str) -> Option<&str> {
    let rest = secret.strip_prefix(NODE_SECRET_PREFIX)?;
    let (id, _) = rest.split_once('.')?;
    (!id.is_empty()).then_some(id)
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::unauthorized(
                "missing Authorization header: send `Authorization: Bearer <token>` \
                 (make one with `edgecoder server tokens create`)",
            )
        })?
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not valid text"))?;
    value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer <token>`"))
}

/// A caller holding an API token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: String,
    pub role: Role,
    pub name: String,
}

impl Caller {
    /// Admin may do everything an owner may, and an owner everything a user may.
    pub fn has(&self, needed: Role) -> bool {
        let rank = |r: Role| match r {
            Role::User => 0,
            Role::Owner => 1,
            Role::Admin => 2,
        };
        rank(self.role) >= rank(needed)
    }

    /// For checks that depend on the request's content (what role a new token asks for); a
    /// handler whose every call needs a role takes the `Owner` or `Admin` extractor instead.
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.has(needed) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this needs the {} role; your token has {}",
                needed.as_str(),
                self.role.as_str()
            )))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        app.auth.api_caller(&app.store, token).await
    }
}

/// A caller whose token has at least the owner role; any lower role gets 403. Put it first among
/// a handler's extractors so the role is checked before the body is read.
#[derive(Debug, Clone)]
pub struct Owner(pub Caller);

/// A caller whose token has the admin role; any lower role gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

async fn caller_with(parts: &mut Parts, app: &AppState, needed: Role) -> Result<Caller, ApiError> {
    let caller = Caller::from_request_parts(parts, app).await?;
    caller.require(needed)?;
    Ok(caller)
}

impl FromRequestParts<AppState> for Owner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        caller_with(parts, app, Role::Owner).await.map(Owner)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        caller_with(parts, app, Role::Admin).await.map(Admin)
    }
}

/// An enrolled node calling with its credential (and the mesh token, when one is configured).
#[derive(Debug, Clone)]
pub struct NodeCaller {
    pub node_id: String,
}

impl FromRequestParts<AppState> for NodeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        check_mesh_token(parts, app)?;
        let secret = bearer(parts)?;
        let node_id = app.auth.node_caller(&app.store, secret).await?;
        Ok(NodeCaller { node_id })
    }
}

/// Agent routes that take no node credential yet (registration) still need the mesh token.
pub struct MeshChecked;

impl FromRequestParts<AppState> for MeshChecked {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        check_mesh_token(parts, app)?;
        Ok(MeshChecked)
    }
}

/// A caller of the blob store: a user's API token (sources) or a node's credential (artifacts,
/// and the sources of the tasks leased to it). Told apart by the credential's shape.
#[derive(Debug, Clone)]
pub enum BlobCaller {
    User(Caller),
    Node(String),
}

impl FromRequestParts<AppState> for BlobCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        if node_id_of_secret(token).is_some() {
            check_mesh_token(parts, app)?;
            let node_id = app.auth.node_caller(&app.store, token).await?;
            Ok(BlobCaller::Node(node_id))
        } else {
            Ok(BlobCaller::User(
                app.auth.api_caller(&app.store, token).await?,
            ))
        }
    }
}

fn check_mesh_token(parts: &Parts, app: &AppState) -> Result<(), ApiError> {
    let Some(expected) = app.settings.mesh_token_hash else {
        return Ok(());
    };
    let given = parts
        .headers
        .get("x-mesh-token")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "this coordinator requires the mesh token: send it in the x-mesh-token header \
                 (MESH_AUTH_TOKEN in the agent's env file)",
            )
        })?;
    if hashes_equal(&hash_secret(given), &expected) {
        Ok(())
    } else {
        Err(ApiError::unauthorized("wrong mesh token (x-mesh-token)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role) -> Caller {
        Caller {
            token_id: "t".into(),
            role,
            name: "n".into(),
        }
    }

    #[test]
    fn each_role_includes_the_ones_below_it() {
        assert!(caller(Role::Admin).has(Role::Owner));
        assert!(caller(Role::Owner).has(Role::User));
        assert!(!caller(Role::Owner).has(Role::Admin));
        assert!(!caller(Role::User).has(Role::Owner));
        let refused = caller(Role::User).require(Role::Admin).unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::FORBIDDEN);
        assert_eq!(
            refused.message,
            "this needs the admin role; your token has user"
        );
    }
}
