//! What a CI task brings and keeps (issue 17): where its working dir comes from, the caches
//! kept on the node between runs, when a failed run is tried again, and the artifacts it left.

use serde::{Deserialize, Serialize};

/// Where a task's working dir comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskSource {
    /// A packed tree in the coordinator's blob store, by the sha256 of the packed bytes.
    Blob { sha256: String, size: u64 },
    /// A git repository the worker clones (shallow) at `rev`; `credentials_secret` names the
    /// task secret holding credentials for a private one (never in argv or logs).
    Git {
        url: String,
        rev: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credentials_secret: Option<String>,
    },
}

/// A directory of the working dir (`target`, `.venv`) restored before the task and saved after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CacheSpec {
    /// The cache's name, per account: tasks naming the same cache share it.
    pub name: String,
    /// Relative to the working dir.
    pub path: String,
}

/// Opt-in retries of tasks that ran and failed (GitLab's `retry:when`, Buildkite's `exit_status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetryRule {
    /// How many more times a failed run is tried.
    pub retries: u32,
    /// Only these exit codes are retried; absent: any non-zero exit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_codes: Option<Vec<i32>>,
}

impl RetryRule {
    /// Whether a run that exited with `code` may be tried again under this rule, given how
    /// many runs of the task have already exited non-zero (this one included).
    pub fn allows(&self, code: i32, exited_so_far: u32) -> bool {
        code != 0
            && exited_so_far <= self.retries
            && self
                .exit_codes
                .as_ref()
                .is_none_or(|codes| codes.contains(&code))
    }
}

/// A file kept from a task's working dir, stored in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtifactInfo {
    /// Relative to the working dir.
    pub path: String,
    pub size: u64,
    pub sha256: String,
}
