//! Wire types of jobs: a coding request the coordinator has decomposed into subtasks (coding
//! tasks of the one queue, each with its parent job), run in dependency order, aggregated into
//! one tree and checked as a whole.

use super::{CodeIteration, Subtask, TaskFile, TaskSource, TaskState};
use serde::{Deserialize, Serialize};

/// Whether the coordinator asks the inference service to split the request.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DecomposeMode {
    /// Split when the inference service finds more than one piece.
    #[default]
    Auto,
    /// One subtask: the request as it is.
    Never,
}

/// `POST /api/v1/jobs`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSubmitRequest {
    pub prompt: String,
    /// One of [`super::LANGUAGES`].
    pub language: String,
    /// Input files every subtask starts from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<TaskFile>,
    /// A packed source tree (`--dir`), as tasks take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<TaskSource>,
    /// Run on the merged tree after every subtask ended; the job succeeds only if it exits 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// The check of every subtask whose decomposition gives it none (or one that was dropped);
    /// absent: its language's syntax check when the job has several subtasks, its run command
    /// when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_check: Option<String>,
    /// The exact model every subtask asks for; absent: each node's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// At most this many subtasks (see [`super::DEFAULT_MAX_SUBTASKS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_subtasks: Option<u32>,
    #[serde(default)]
    pub decompose: DecomposeMode,
    /// Iterations each subtask gets (see [`super::DEFAULT_MAX_ITERATIONS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iterations: Option<u32>,
    /// A resubmission with the same key returns the first job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Accepted; the inference service has not answered yet (it is retried with backoff).
    Decomposing,
    /// Subtasks are queued or running.
    Running,
    /// Every subtask ended; the merged tree's check is running.
    Aggregating,
    Succeeded,
    /// Some subtasks (named in the result) failed even after escalation; the rest is kept.
    Partial,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Decomposing => "decomposing",
            JobState::Running => "running",
            JobState::Aggregating => "aggregating",
            JobState::Succeeded => "succeeded",
            JobState::Partial => "partial",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Succeeded | JobState::Partial | JobState::Failed | JobState::Cancelled
        )
    }
}

/// A subtask of a job and the task that runs it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobSubtask {
    /// As the decomposition named it.
    pub subtask: Subtask,
    /// The queue's task running it now (the escalated one after an escalation); absent while it
    /// waits for its dependencies.
    pub task_id: Option<String>,
    /// Absent while no task exists for it.
    pub state: Option<TaskState>,
    /// Whether it was handed to the inference service's stronger model after failing.
    #[serde(default)]
    pub escalated: bool,
    pub node_id: Option<String>,
    /// Why it failed, or why it will never run (a dependency failed).
    pub error: Option<String>,
    /// Every iteration of every attempt, the escalation's included.
    #[serde(default)]
    pub iterations: Vec<CodeIteration>,
}

/// One line of a job's log: what the coordinator did about it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobLogLine {
    pub at: i64,
    pub message: String,
}

/// A path two subtasks both wrote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobConflict {
    pub path: String,
    /// The subtask ids that wrote it, in dependency order.
    pub subtasks: Vec<String>,
    /// The subtask whose version the merged tree keeps; absent when it could not be decided
    /// (neither depends on the other), which fails the job.
    pub kept: Option<String>,
}

/// What a finished job produced.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobResult {
    /// The merged tree: the inputs, then every succeeded subtask's files in dependency order.
    pub files: Vec<TaskFile>,
    #[serde(default)]
    pub conflicts: Vec<JobConflict>,
    /// The task that ran the job-level check on the merged tree.
    pub check_task_id: Option<String>,
    pub check_passed: Option<bool>,
    /// The end of the check's output.
    pub check_output: Option<String>,
    /// Subtasks that did not succeed.
    #[serde(default)]
    pub failed_subtasks: Vec<String>,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// Credits the job's tasks spent, in total.
    pub credits: i64,
}

/// A job, as `jobs show` prints it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobInfo {
    pub id: String,
    pub state: JobState,
    pub prompt: String,
    pub language: String,
    pub check: Option<String>,
    /// What a subtask without a check of its own runs (see [`JobSubmitRequest::part_check`]).
    #[serde(default)]
    pub part_check: Option<String>,
    pub model: Option<String>,
    pub decompose: DecomposeMode,
    pub max_subtasks: Option<u32>,
    pub submitted_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    /// Why the job did not succeed, in one line.
    pub error: Option<String>,
    pub subtasks: Vec<JobSubtask>,
    #[serde(default)]
    pub log: Vec<JobLogLine>,
    /// Present once the job has ended.
    pub result: Option<JobResult>,
}

/// `POST /api/v1/jobs` answers with the job and whether it was made now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobSubmitResponse {
    pub job: JobInfo,
    pub created: bool,
}

/// One job in a listing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobSummary {
    pub id: String,
    pub state: JobState,
    /// The prompt's first line, clipped.
    pub prompt: String,
    pub language: String,
    pub subtasks: u32,
    pub subtasks_succeeded: u32,
    pub submitted_by: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct JobList {
    pub jobs: Vec<JobSummary>,
}
