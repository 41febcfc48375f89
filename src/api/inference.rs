//! Wire types of the inference service (`serve --mode inference`): the coordinator's own calls
//! to a model — split a request into subtasks, repair a failed one with a stronger model, and a
//! plain chat — never a user's.

use super::{CodeSpec, TaskFile};
use serde::{Deserialize, Serialize};

/// The most subtasks a decomposition may return, whatever the request asks.
pub const MAX_SUBTASKS_LIMIT: u32 = 128;
/// Subtasks a decomposition returns at most when the request names no limit.
pub const DEFAULT_MAX_SUBTASKS: u32 = 8;

/// `POST /v1/decompose`: a coding request to split into subtasks.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecomposeRequest {
    /// What the user wants, in their words.
    pub prompt: String,
    /// One of [`super::LANGUAGES`]: the job's language, and the default of every subtask.
    pub language: String,
    /// Paths of the job's input files, so subtasks can own or read them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The job-level check, when there is one: subtasks should make it pass together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// At most this many subtasks ([`DEFAULT_MAX_SUBTASKS`] when absent, capped at
    /// [`MAX_SUBTASKS_LIMIT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_subtasks: Option<u32>,
    /// The model to decompose with; absent: the service's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// One piece of a job, as the decomposition names it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subtask {
    /// Stable within the job (`s1`, `parser`): what `depends_on` refers to.
    pub id: String,
    /// One line for tables and trees.
    pub title: String,
    /// What the worker's model is asked to do.
    pub prompt: String,
    /// One of [`super::LANGUAGES`].
    pub language: String,
    /// Paths this subtask writes; another subtask writing one of them is a conflict.
    #[serde(default)]
    pub files: Vec<String>,
    /// Ids of subtasks that must succeed first; their files are this one's context.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// A check of this subtask alone, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

/// The answer to a decomposition.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct DecomposeResponse {
    /// Validated: unique ids, known dependencies, no cycle, known languages, within the limit.
    pub subtasks: Vec<Subtask>,
    /// Set when the model's answers could not be used and the request became one subtask: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// What happened, line by line (a retry with the validation error, the fallback), for the
    /// job's log.
    #[serde(default)]
    pub log: Vec<String>,
    /// The model that answered.
    pub model: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
}

/// `POST /v1/escalate`: a coding task that failed every attempt, for a stronger model to repair.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalateRequest {
    /// The failed task as it was asked, its `history` holding every iteration tried.
    pub spec: CodeSpec,
    /// The task's files at the end of its last attempt.
    #[serde(default)]
    pub files: Vec<TaskFile>,
    /// The model to escalate to; absent: the service's escalation model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// A repaired attempt: files to run the check on again (the coordinator does that on a node).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct EscalateResponse {
    /// The working dir's files as the stronger model would have them.
    pub files: Vec<TaskFile>,
    /// What it changed and why, in its words.
    pub explanation: String,
    pub model: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
}

/// One message of a chat call.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InferenceMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    pub content: String,
}

/// `POST /v1/chat`: one model call for the coordinator's own use.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InferenceChatRequest {
    pub messages: Vec<InferenceMessage>,
    /// Absent: the service's default model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// A JSON schema the answer must follow (sent as Ollama's `format` or OpenAI's
    /// `response_format`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct InferenceChatResponse {
    pub content: String,
    pub model: String,
    /// `stop`, `length` or what the server said.
    pub finish: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
}
