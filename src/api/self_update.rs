//! Wire types of the coordinator's self-update (`/api/v1/update`).

use serde::{Deserialize, Serialize};

/// `POST /api/v1/update` (admin): replace the coordinator's binary with `binary` and restart.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStartRequest {
    /// Absolute path of the candidate binary on the coordinator's machine.
    pub binary: String,
    /// Expected SHA-256 of the candidate, hex; the update is refused when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// How long to wait for the local worker's running tasks (default 10 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drain_timeout_secs: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UpdateState {
    /// Accepted; waiting for the local worker's running tasks before the swap.
    Deferred,
    /// Binary swapped; the coordinator is re-executing itself.
    Restarting,
    /// The new version came up.
    Succeeded,
    /// Abandoned before the swap (drain deadline, swap error); the old binary still runs.
    Failed,
    /// The new version did not come up; the previous binary was restored.
    RolledBack,
}

impl UpdateState {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateState::Deferred => "deferred",
            UpdateState::Restarting => "restarting",
            UpdateState::Succeeded => "succeeded",
            UpdateState::Failed => "failed",
            UpdateState::RolledBack => "rolled_back",
        }
    }

    pub fn parse(s: &str) -> Option<UpdateState> {
        [
            UpdateState::Deferred,
            UpdateState::Restarting,
            UpdateState::Succeeded,
            UpdateState::Failed,
            UpdateState::RolledBack,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    pub fn is_terminal(self) -> bool {
        !matches!(self, UpdateState::Deferred | UpdateState::Restarting)
    }
}

/// One update, as stored (it survives the re-exec).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UpdateInfo {
    pub id: String,
    pub state: UpdateState,
    pub from_version: String,
    pub to_version: String,
    pub binary: String,
    /// SHA-256 of the candidate as the coordinator read it.
    pub sha256: String,
    /// Token id of the admin who started it.
    pub started_by: String,
    pub started_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    /// Deadline of the drain (ms since the epoch).
    pub drain_deadline: i64,
    /// What happened last, in words.
    pub message: Option<String>,
}

/// `GET /api/v1/update` (owner).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UpdateStatus {
    /// The version running now.
    pub version: String,
    /// The update in progress, if any.
    pub current: Option<UpdateInfo>,
    /// Running tasks of the local worker (what a drain waits for).
    pub local_running: u64,
    /// Recent updates, newest first.
    pub history: Vec<UpdateInfo>,
}
