//! Wire types of tasks: submission, listing, the agent's claim/start/log/complete calls, events.

use super::{ArtifactInfo, CacheSpec, RetryRule, TaskSource};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskCommand {
    /// Run a program with arguments, no shell involved.
    Argv(Vec<String>),
    /// Run a POSIX shell script.
    Script(String),
    /// Have a worker's model write code until a check passes (see [`super::CodeSpec`]).
    Code(Box<super::CodeSpec>),
    /// Answer a chat request with a node's model, streamed back (see [`super::InferenceSpec`]).
    Inference(Box<super::InferenceSpec>),
}

impl TaskCommand {
    /// One line a person can read in a table.
    pub fn display(&self) -> String {
        match self {
            TaskCommand::Argv(argv) => argv.join(" "),
            TaskCommand::Script(s) => s.lines().next().unwrap_or("").to_string(),
            TaskCommand::Code(c) => format!("code ({}): {}", c.language, first_line(&c.prompt)),
            TaskCommand::Inference(i) => i.display(),
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    /// Only nodes this coordinator's owner trusts (labelled `trusted` or `local`).
    LocalOnly,
    /// Any approved node.
    #[default]
    Mesh,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::LocalOnly => "local-only",
            Placement::Mesh => "mesh",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Requirements {
    pub gpu: bool,
    pub min_memory_mib: Option<u64>,
    pub os: Option<String>,
    pub arch: Option<String>,
    /// Every label here must be on the node with the same value.
    pub labels: BTreeMap<String, String>,
    /// The node must serve this model (exact name, as its backend lists it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The node must serve some model of this family (`qwen2`, `llama`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_family: Option<String>,
    /// The node must serve some model (every coding task asks this at least).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub any_model: bool,
    /// Every toolchain named here (`cargo`, `python3`, `node`) must be among those the node
    /// advertises, as its tasks see them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub toolchains: Vec<String>,
}

/// A toolchain as `--requires` and a node's capabilities name one: a program name, no path.
pub fn is_toolchain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['-', '.'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    /// Relative to the task's working directory; `..` and absolute paths are refused.
    pub path: String,
    pub content: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    pub command: TaskCommand,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Env vars whose values are secret: stored sealed, never returned by any route, handed only
    /// to the task's process, and masked (`***`) in its logs and result.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, String>,
    #[serde(default)]
    pub files: Vec<TaskFile>,
    /// Wall-clock limit; the coordinator's default when absent.
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    #[serde(default)]
    pub requirements: Requirements,
    #[serde(default)]
    pub placement: Placement,
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub max_attempts: Option<u32>,
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// `false` asks the sandbox to cut the task off the network where the platform allows it.
    #[serde(default = "default_true")]
    pub network: bool,
    /// A short name for people (lists, matrix entries); not unique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the working dir starts with: a packed tree from the blob store, or a git checkout.
    /// Empty when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<TaskSource>,
    /// Globs, relative to the working dir, of the files to keep as artifacts when the task ends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<String>,
    /// Directories of the working dir kept on the node between tasks of the same account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caches: Vec<CacheSpec>,
    /// When a task that ran and exited non-zero is tried again; absent: never (its failure is the
    /// answer). Infrastructure failures are retried up to `max_attempts` either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryRule>,
}

fn default_true() -> bool {
    true
}

impl SubmitRequest {
    pub fn argv(argv: Vec<String>) -> Self {
        SubmitRequest {
            command: TaskCommand::Argv(argv),
            env: BTreeMap::new(),
            secrets: BTreeMap::new(),
            files: Vec::new(),
            timeout_secs: None,
            requirements: Requirements::default(),
            placement: Placement::Mesh,
            priority: 0,
            max_attempts: None,
            idempotency_key: None,
            network: true,
            name: None,
            source: None,
            artifacts: Vec::new(),
            caches: Vec::new(),
            retry: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Queued,
    Leased,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}

impl TaskState {
    pub const ALL: [TaskState; 7] = [
        TaskState::Queued,
        TaskState::Leased,
        TaskState::Running,
        TaskState::Succeeded,
        TaskState::Failed,
        TaskState::Cancelled,
        TaskState::TimedOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Queued => "queued",
            TaskState::Leased => "leased",
            TaskState::Running => "running",
            TaskState::Succeeded => "succeeded",
            TaskState::Failed => "failed",
            TaskState::Cancelled => "cancelled",
            TaskState::TimedOut => "timed_out",
        }
    }

    pub fn parse(s: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            TaskState::Succeeded | TaskState::Failed | TaskState::Cancelled | TaskState::TimedOut
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attempt {
    pub number: u32,
    pub node_id: String,
    pub lease_id: String,
    pub claimed_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// `running`, `succeeded`, `failed`, `timed_out`, `cancelled` or `lost`.
    pub outcome: String,
    pub exit_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: Option<u64>,
    pub cpu_ms: Option<u64>,
    pub peak_rss_kib: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TaskInfo {
    pub id: String,
    pub state: TaskState,
    pub command: TaskCommand,
    pub env: BTreeMap<String, String>,
    pub timeout_secs: u64,
    pub requirements: Requirements,
    pub placement: Placement,
    pub priority: i32,
    pub max_attempts: u32,
    pub attempts: u32,
    pub idempotency_key: Option<String>,
    pub submitted_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    pub node_id: Option<String>,
    pub exit_code: Option<i32>,
    pub error: Option<String>,
    pub cancel_requested: bool,
    pub network: bool,
    /// Filled by `show`; empty in listings.
    #[serde(default)]
    pub attempt_history: Vec<Attempt>,
    /// Coding tasks, once an attempt reported: the plan, the iterations, the final files and
    /// the tokens. Filled by `show`; absent in listings and for other tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_result: Option<super::CodeResult>,
    /// The submitter's short name for the task (`--name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When a run that exited non-zero is tried again (`--retry`, `--retry-on-exit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryRule>,
    /// Where the task's working dir comes from (issue 17): a packed tree in the blob store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<TaskSource>,
    /// Queued tasks, filled by `show`: why it waits ("waiting: no node has toolchain `cargo`
    /// (3 nodes online)"), computed when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<String>,
    /// The files the task kept (`--artifact`), in the blob store. Filled by `show`; empty in
    /// listings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<ArtifactInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubmitResponse {
    pub task: TaskInfo,
    /// False when an earlier submission with the same idempotency key was returned instead.
    pub created: bool,
    /// What the submitter should know: no known node could run the task as it stands
    /// (naming what is missing). The task is queued all the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One task in a listing: what a table or dashboard shows, never the task's env, files, full
/// command or output (those come from `show` and `logs`), so a listing stays small however big
/// the tasks are.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct TaskSummary {
    pub id: String,
    pub state: TaskState,
    /// `argv` or `script`.
    pub kind: String,
    /// The command on one line (a script's first line), clipped to [`SUMMARY_CHARS`] characters.
    pub command: String,
    pub priority: i32,
    pub placement: Placement,
    pub timeout_secs: u64,
    pub max_attempts: u32,
    pub attempts: u32,
    pub submitted_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    pub node_id: Option<String>,
    pub exit_code: Option<i32>,
    /// Clipped to [`SUMMARY_CHARS`] characters; `show` has all of it.
    pub error: Option<String>,
    pub cancel_requested: bool,
    /// The submitter's short name for the task, when it was given one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// How many characters of a command or error a listing carries.
pub const SUMMARY_CHARS: usize = 200;

/// `text` cut to at most `max` characters, with `…` when something was cut.
pub fn clip_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

impl TaskInfo {
    /// The task as a listing shows it.
    pub fn summary(&self) -> TaskSummary {
        TaskSummary {
            id: self.id.clone(),
            state: self.state,
            kind: self.command.kind().to_string(),
            command: self.command.summary(),
            priority: self.priority,
            placement: self.placement,
            timeout_secs: self.timeout_secs,
            max_attempts: self.max_attempts,
            attempts: self.attempts,
            submitted_by: self.submitted_by.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            finished_at: self.finished_at,
            node_id: self.node_id.clone(),
            exit_code: self.exit_code,
            error: self.error.as_deref().map(|e| clip_chars(e, SUMMARY_CHARS)),
            cancel_requested: self.cancel_requested,
            name: self.name.clone(),
        }
    }
}

impl TaskCommand {
    /// `argv` or `script`, as listings name it.
    pub fn kind(&self) -> &'static str {
        match self {
            TaskCommand::Argv(_) => "argv",
            TaskCommand::Script(_) => "script",
            TaskCommand::Code(_) => "code",
            TaskCommand::Inference(_) => "inference",
        }
    }

    /// The listing's one-line summary of the command.
    pub fn summary(&self) -> String {
        clip_chars(&self.display(), SUMMARY_CHARS)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TaskList {
    pub tasks: Vec<TaskSummary>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogChunk {
    pub attempt: u32,
    pub offset: u64,
    pub stream: String,
    pub data: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogPage {
    pub task_id: String,
    pub attempt: u32,
    pub chunks: Vec<LogChunk>,
    /// Ask again from here for more.
    pub next_offset: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    /// How long to wait for work, at most the coordinator's claim wait.
    #[serde(default)]
    pub wait_ms: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Lease {
    pub lease_id: String,
    pub attempt: u32,
    /// Unix ms by which the agent must call start, or the task goes back to the queue.
    pub accept_by: i64,
    /// Unix ms after which the coordinator ends the attempt as timed out.
    pub deadline: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClaimedTask {
    pub task: TaskInfo,
    pub files: Vec<TaskFile>,
    /// The task's secrets, for the agent holding the lease only: env vars of the task's process,
    /// to be masked in its output.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, String>,
    pub lease: Lease,
    /// Globs of the files to keep as artifacts when the task ends (the submission's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifact_globs: Vec<String>,
    /// Directories to restore before the task and save after it (the submission's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caches: Vec<CacheSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClaimResponse {
    /// None when the wait ended with no eligible work.
    pub claimed: Option<ClaimedTask>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaseRef {
    pub lease_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogUpload {
    pub lease_id: String,
    /// Byte offset of `data` within this attempt's log; a resend of a known offset is ignored.
    pub offset: u64,
    #[serde(default = "default_stream")]
    pub stream: String,
    pub data: String,
}

fn default_stream() -> String {
    "stdout".to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogUploadResponse {
    pub next_offset: u64,
    /// The task was cancelled: stop it now.
    pub cancel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    pub lease_id: String,
    pub outcome: Outcome,
    #[serde(default)]
    pub exit_code: Option<i32>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    #[serde(default)]
    pub cpu_ms: Option<u64>,
    #[serde(default)]
    pub peak_rss_kib: Option<u64>,
    #[serde(default)]
    pub stdout_tail: Option<String>,
    #[serde(default)]
    pub stderr_tail: Option<String>,
    /// Coding tasks: what the model did, whatever the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<super::CodeResult>,
    /// The artifacts the agent uploaded to the blob store, as the submission's globs matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<ArtifactInfo>,
    /// The failure is the task's own and would fail the same anywhere (its source archive is
    /// corrupt or escapes the working dir): not retried.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub permanent: bool,
    /// Inference tasks: the tokens the model used, which the task is paid by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference: Option<super::InferenceUsage>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompleteResponse {
    pub task: TaskInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RequirementBacklog {
    pub requirements: Requirements,
    pub queued: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct QueueSummary {
    pub counts: BTreeMap<String, u64>,
    pub oldest_queued_age_ms: Option<i64>,
    pub backlog: Vec<RequirementBacklog>,
    pub nodes_online: u64,
    pub nodes_pending: u64,
}

/// One entry of the coordinator's event log; `id` is what SSE clients resume from.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Event {
    pub id: i64,
    pub at: i64,
    pub kind: String,
    pub task_id: Option<String>,
    pub node_id: Option<String>,
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServerStatus {
    pub version: String,
    pub mode: String,
    pub started_at: i64,
    pub uptime_secs: u64,
    pub queue: QueueSummary,
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}
