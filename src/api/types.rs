//! Wire types shared by the coordinator, the agent and every client.
//!
//! Request types refuse unknown fields so a typo in a client is an error, not a silently ignored
//! setting. Response types accept unknown fields so an older client keeps working against a newer
//! coordinator.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The error envelope every non-2xx answer carries.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Owner,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Owner => "owner",
            Role::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "owner" => Some(Role::Owner),
            "user" => Some(Role::User),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// An API token with a role.
    Api,
    /// An enrollment token traded for a node credential.
    Enroll,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenCreateRequest {
    /// Defaults to an API token with the `user` role.
    #[serde(default)]
    pub kind: Option<TokenKind>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub name: Option<String>,
    /// Seconds until the token stops working; none means it does not expire.
    #[serde(default)]
    pub expires_in_secs: Option<u64>,
    /// Enrollment tokens only: how many nodes may enroll with it (default 1).
    #[serde(default)]
    pub uses: Option<u32>,
    /// Enrollment tokens only: nodes enrolled with it start approved.
    #[serde(default)]
    pub auto_approve: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TokenInfo {
    pub id: String,
    pub kind: TokenKind,
    pub role: Option<Role>,
    pub name: String,
    pub created_at: i64,
    pub created_by: Option<String>,
    pub expires_at: Option<i64>,
    pub uses_left: Option<u32>,
    pub auto_approve: bool,
    pub revoked_at: Option<i64>,
}

/// The only answer that ever carries a token's secret; it is not stored and cannot be shown again.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TokenCreated {
    pub token: String,
    pub info: TokenInfo,
}

/// How a client is known to the coordinator, from `GET /api/v1/whoami`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WhoAmI {
    pub token_id: String,
    pub role: Role,
    pub name: String,
}

/// The intervals the coordinator sets for every agent, so an operator tunes a fleet in one place.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct Intervals {
    /// Heartbeat period while the node runs nothing.
    pub heartbeat_ms: u64,
    /// Heartbeat period while the node runs tasks: this is how fast cancellation reaches it.
    pub active_heartbeat_ms: u64,
    /// How long one claim long-poll may wait for work.
    pub claim_wait_ms: u64,
    /// How long a claimed task waits for the agent's start call before it is re-queued.
    pub accept_window_ms: u64,
    /// A lease lives this long past the node's last sign of life.
    pub lease_ttl_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, schemars::JsonSchema)]
pub struct Gpu {
    pub name: String,
    pub vram_mib: u64,
}

/// What a node can do. Every field is optional on the wire so agents of other versions interoperate.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, schemars::JsonSchema)]
#[serde(default)]
pub struct Capabilities {
    pub os: String,
    pub arch: String,
    pub hostname: String,
    pub cpus: u32,
    /// CPUs allowed by a cgroup quota, when one is set.
    pub cpu_quota: Option<f64>,
    pub memory_total_mib: u64,
    pub memory_available_mib: u64,
    /// The cgroup memory limit, when one is set.
    pub memory_limit_mib: Option<u64>,
    pub gpus: Vec<Gpu>,
    pub toolchains: Vec<String>,
    /// Names of the models the node serves (every backend together).
    pub models: Vec<String>,
    /// The same models with what their backends say about them.
    pub model_details: Vec<super::ModelInfo>,
    /// The configured model backends and whether they answered.
    pub model_backends: Vec<super::BackendStatus>,
    pub max_concurrent_tasks: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub enrollment_token: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub capabilities: Capabilities,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RegisterResponse {
    pub node_id: String,
    /// The node's credential; the coordinator keeps only its hash.
    pub node_secret: String,
    pub state: NodeState,
    pub intervals: Intervals,
}

/// Sent by an already enrolled node (with its credential) when the coordinator asks it to.
#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReregisterRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub capabilities: Capabilities,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatRequest {
    /// Load average over one minute, as the node sees it.
    #[serde(default)]
    pub load: Option<f64>,
    /// Ids of the tasks the node is running now.
    #[serde(default)]
    pub running: Vec<String>,
    /// What the owner's host policy lets the node do now; absent from agents that predate it.
    #[serde(default)]
    pub host: Option<HostStatus>,
}

/// The node's own verdict on lending itself right now, decided on the node from live readings
/// (power, heat, load, owner activity, hours, an owner's pause) and reported in heartbeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostStatus {
    /// True while the node takes no new work.
    pub paused: bool,
    /// Why, in words a person reads: `on battery 23 %`, `owner active`,
    /// `outside 22:00-07:00`, `paused by owner until 14:05`. Absent while running.
    #[serde(default)]
    pub reason: Option<String>,
}

impl HostStatus {
    /// `running`, or `paused: <reason>`, as node lists and the dashboard show it.
    pub fn label(&self) -> String {
        match (self.paused, self.reason.as_deref()) {
            (false, _) => "running".to_string(),
            // A reason that says it already (`paused by owner until 14:05`) is not repeated.
            (true, Some(reason)) if reason.starts_with("paused") => reason.to_string(),
            (true, Some(reason)) if !reason.trim().is_empty() => format!("paused: {reason}"),
            (true, _) => "paused".to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HeartbeatResponse {
    pub state: NodeState,
    pub draining: bool,
    pub intervals: Intervals,
    /// Tasks the node must stop now (cancelled, or no longer leased to it).
    pub cancel: Vec<String>,
    /// The coordinator has no capabilities for this node since it started: send them again.
    pub reregister: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeState {
    Pending,
    Approved,
    Rejected,
    Removed,
}

impl NodeState {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeState::Pending => "pending",
            NodeState::Approved => "approved",
            NodeState::Rejected => "rejected",
            NodeState::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<NodeState> {
        match s {
            "pending" => Some(NodeState::Pending),
            "approved" => Some(NodeState::Approved),
            "rejected" => Some(NodeState::Rejected),
            "removed" => Some(NodeState::Removed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NodeInfo {
    pub id: String,
    pub name: String,
    pub state: NodeState,
    pub online: bool,
    pub draining: bool,
    pub labels: BTreeMap<String, String>,
    pub capabilities: Capabilities,
    pub registered_at: i64,
    pub last_heartbeat_at: Option<i64>,
    pub load: Option<f64>,
    pub running_tasks: u32,
    pub address: Option<String>,
    /// Refused by the control plane's blacklist (by id or address); see `server blacklist`.
    #[serde(default)]
    pub blacklisted: bool,
    /// The token id that last approved or rejected the node (an auto-approving enrollment
    /// token's id, or `coordinator` for its local worker); absent while pending.
    #[serde(default)]
    pub decided_by: Option<String>,
    /// That token's name when it decided.
    #[serde(default)]
    pub decided_by_name: Option<String>,
    /// When (unix ms).
    #[serde(default)]
    pub decided_at: Option<i64>,
    /// The node's own verdict on lending itself, from its last heartbeat; absent for agents
    /// that do not report one. A paused node is offered no work.
    #[serde(default)]
    pub host: Option<HostStatus>,
    /// While draining with a deadline: when (unix ms) the tasks it still runs are handed back
    /// to the queue.
    #[serde(default)]
    pub drain_deadline: Option<i64>,
}

impl NodeInfo {
    /// What the node's host lets it do, from its last heartbeat: `running` (also for an agent
    /// that does not report, since it is offered work) or `paused: <reason>`.
    pub fn host_label(&self) -> String {
        self.host
            .as_ref()
            .map_or_else(|| "running".to_string(), HostStatus::label)
    }

    /// True while the node's last heartbeat said its host is paused.
    pub fn host_paused(&self) -> bool {
        self.host.as_ref().is_some_and(|h| h.paused)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NodeList {
    pub nodes: Vec<NodeInfo>,
}

/// A lease holder hands its task back to the queue unfinished (`POST
/// /api/v1/agent/tasks/{id}/release`): the attempt does not count against the task's retries.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    pub lease_id: String,
    /// Why, in words a person reads (`paused: on battery 10 %`); kept in the task's history.
    pub reason: String,
}

/// `POST /api/v1/nodes/{id}/drain?deadline_secs=…`: how long running tasks may go on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrainQuery {
    /// Seconds from now after which the tasks the node still runs are handed back to the queue
    /// (not counted as attempts) and the node is told to stop them; none: they finish.
    #[serde(default)]
    pub deadline_secs: Option<u64>,
}
