//! Wire types and client calls of the control plane: the blacklist, the network mode and the
//! audit log.

use super::client::{Client, ClientError, seg};
use reqwest::Method;
use serde::{Deserialize, Serialize};

/// Who may run work on this coordinator (`NETWORK_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NetworkMode {
    /// Only nodes labelled `local`, `trusted` or `owned` take work.
    EnterpriseOverlay,
    /// Approved external nodes also take `mesh` tasks; `local-only` stays on trusted nodes.
    PublicMesh,
}

impl NetworkMode {
    pub const ALL: [NetworkMode; 2] = [NetworkMode::EnterpriseOverlay, NetworkMode::PublicMesh];

    pub fn as_str(self) -> &'static str {
        match self {
            NetworkMode::EnterpriseOverlay => "enterprise_overlay",
            NetworkMode::PublicMesh => "public_mesh",
        }
    }

    pub fn parse(s: &str) -> Option<NetworkMode> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// What the mode means, for people.
    pub fn describe(self) -> &'static str {
        match self {
            NetworkMode::EnterpriseOverlay => {
                "only nodes labelled local, trusted or owned take work"
            }
            NetworkMode::PublicMesh => {
                "approved external nodes take mesh tasks; local-only tasks stay on trusted nodes"
            }
        }
    }
}

/// `GET /api/v1/network-mode`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct NetworkModeInfo {
    pub mode: NetworkMode,
    /// The `NETWORK_MODE` setting the coordinator started with; a mode set at run time wins.
    pub configured: NetworkMode,
    /// The token that last set the mode at run time (absent: the setting applies).
    #[serde(default)]
    pub set_by: Option<String>,
    #[serde(default)]
    pub set_by_name: Option<String>,
    #[serde(default)]
    pub set_at: Option<i64>,
}

/// `PUT /api/v1/network-mode`. A string, not the enum, so an unknown value gets our message.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkModeSet {
    pub mode: String,
}

/// `POST /api/v1/blacklist`: exactly one of `node_id` and `address`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlacklistAdd {
    /// A node id, a unique prefix of one, or a unique node name.
    #[serde(default)]
    pub node_id: Option<String>,
    /// An IPv4 or IPv6 address, as the coordinator sees the node's connection.
    #[serde(default)]
    pub address: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct BlacklistEntry {
    pub id: String,
    pub node_id: Option<String>,
    pub address: Option<String>,
    pub reason: String,
    pub created_at: i64,
    /// The token id that added it.
    pub created_by: String,
    /// Nodes this entry refuses now (by id, or recorded at this address).
    #[serde(default)]
    pub nodes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BlacklistList {
    pub entries: Vec<BlacklistEntry>,
}

/// The answer to an add or remove: the entry and what it changed.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BlacklistChange {
    pub entry: BlacklistEntry,
    /// Nodes whose blacklisted flag changed.
    pub nodes: Vec<String>,
    /// Tasks taken back from those nodes and queued again (add only).
    #[serde(default)]
    pub requeued: Vec<String>,
}

/// One recorded admin or owner action.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    /// The acting token's id.
    pub actor: String,
    /// The acting token's name when it acted.
    pub actor_name: String,
    /// e.g. `node.approve`, `blacklist.add`, `token.create`, `network_mode.set`.
    pub action: String,
    /// What was acted on: a node, token or blacklist entry id, or `network_mode`.
    pub target: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Newest first; pass `next_before` as `before` for the next (older) page.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_before: Option<i64>,
}

impl Client {
    /// Nodes in one state (`pending` for the approval queue).
    pub async fn nodes_in_state(&self, state: &str) -> Result<super::NodeList, ClientError> {
        self.get(&format!("/api/v1/nodes?state={}", seg(state)))
            .await
    }

    pub async fn blacklist(&self) -> Result<BlacklistList, ClientError> {
        self.get("/api/v1/blacklist").await
    }

    pub async fn blacklist_add(&self, req: &BlacklistAdd) -> Result<BlacklistChange, ClientError> {
        self.post("/api/v1/blacklist", req).await
    }

    /// `id` is the entry's id, or the node id or address it names.
    pub async fn blacklist_remove(&self, id: &str) -> Result<BlacklistChange, ClientError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/blacklist/{}", seg(id)),
            None::<&()>,
        )
        .await
    }

    pub async fn network_mode(&self) -> Result<NetworkModeInfo, ClientError> {
        self.get("/api/v1/network-mode").await
    }

    pub async fn set_network_mode(&self, mode: &str) -> Result<NetworkModeInfo, ClientError> {
        let req = NetworkModeSet {
            mode: mode.to_string(),
        };
        self.send(Method::PUT, "/api/v1/network-mode", Some(&req))
            .await
    }

    /// Newest first; `before` is an entry id to page back from; `target` keeps one target's.
    pub async fn audit(
        &self,
        limit: u32,
        before: Option<i64>,
        target: Option<&str>,
    ) -> Result<AuditPage, ClientError> {
        let mut path = format!("/api/v1/audit?limit={limit}");
        if let Some(b) = before {
            path.push_str(&format!("&before={b}"));
        }
        if let Some(t) = target {
            path.push_str(&format!("&target={}", seg(t)));
        }
        self.get(&path).await
    }
}
