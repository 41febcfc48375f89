//! Wire types of coding tasks: what a user asks for (a prompt, a language, files, a check), what
//! a worker's model did about it (the plan, every iteration, the final files, tokens), and what a
//! node says about its models.

use super::TaskFile;
use serde::{Deserialize, Serialize};

/// Iterations a coding task gets when the submitter names none.
pub const DEFAULT_MAX_ITERATIONS: u32 = 3;
/// The most iterations a coding task may ask for.
pub const MAX_ITERATIONS_LIMIT: u32 = 20;

/// The languages a coding task may name. Each has a default entry file and a way to run it when
/// the task gives no check (see `coding::language`).
pub const LANGUAGES: &[&str] = &[
    "python",
    "javascript",
    "typescript",
    "rust",
    "go",
    "c",
    "cpp",
    "java",
    "ruby",
    "shell",
];

/// A coding task: a worker's model plans, writes files, runs the check in the sandbox and
/// repairs from its output until the check passes or the iterations run out. The task's input
/// files travel in [`super::SubmitRequest::files`] like any task's.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSpec {
    /// What the user wants, in their words.
    pub prompt: String,
    /// One of [`LANGUAGES`].
    pub language: String,
    /// A shell command run in the task's working dir that must exit 0 (`pytest -q`,
    /// `cargo test`, `node test.js`). Without one, the produced program must run and exit 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// The exact model wanted; absent: the node's default model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Model calls with a check after each, at most; [`DEFAULT_MAX_ITERATIONS`] when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iterations: Option<u32>,
    /// Seconds one run of the check may take; the task's remaining time bounds it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_timeout_secs: Option<u64>,
    /// Iterations already tried elsewhere (a local run handed to the swarm): the worker starts
    /// from their last files and counts on from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<CodeIteration>,
}

impl CodeSpec {
    pub fn max_iterations(&self) -> u32 {
        self.max_iterations.unwrap_or(DEFAULT_MAX_ITERATIONS)
    }
}

/// How a coding task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeStatus {
    /// The check passed.
    Succeeded,
    /// Every iteration ran and the check never passed.
    CheckNeverPassed,
    /// The model server did not answer, or the model is not installed there.
    ModelUnreachable,
    /// The model answered, but nothing in its answers could be used (no code, paths that
    /// escape the working dir, an answer cut off every time).
    ModelOutputUnusable,
    /// The task's time ran out.
    TimedOut,
    /// Cancelled by its submitter, or stopped by the node.
    Cancelled,
}

impl CodeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeStatus::Succeeded => "succeeded",
            CodeStatus::CheckNeverPassed => "check_never_passed",
            CodeStatus::ModelUnreachable => "model_unreachable",
            CodeStatus::ModelOutputUnusable => "model_output_unusable",
            CodeStatus::TimedOut => "timed_out",
            CodeStatus::Cancelled => "cancelled",
        }
    }
}

/// One model call and the check run after it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct CodeIteration {
    /// 1-based, counted across hand-offs.
    pub number: u32,
    /// Files this iteration wrote (paths relative to the working dir).
    pub files_changed: Vec<String>,
    /// Whether the check ran and exited 0.
    pub check_passed: bool,
    /// The check's exit code; absent when it did not run (no usable code) or was killed.
    pub check_exit_code: Option<i32>,
    /// The end of the check's output (stdout then stderr), capped.
    pub check_output_tail: String,
    /// Why the iteration did not reach a passing check, in one line, when it did not.
    pub error: Option<String>,
    /// Wall time of the whole iteration.
    pub duration_ms: u64,
    /// Of which in the model call.
    pub model_ms: u64,
    /// Of which running the check.
    pub check_ms: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// The model stopped because it hit the output limit (`length`), not because it was done.
    #[serde(default)]
    pub truncated: bool,
}

/// What a coding task produced, stored with the task and returned by `tasks show`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct CodeResult {
    pub status: CodeStatus,
    /// Why it did not succeed, for a person.
    pub reason: Option<String>,
    /// The model's plan, from the first call.
    pub plan: String,
    /// The working dir's files at the end (the inputs included, as changed).
    pub files: Vec<TaskFile>,
    pub iterations: Vec<CodeIteration>,
    /// The model that did the work, as its backend names it.
    pub model: String,
    /// `ollama` or `openai`.
    pub backend: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
}

/// A model a node's backend serves, as `agent --detect` and the node's capabilities show it.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq, schemars::JsonSchema)]
#[serde(default)]
pub struct ModelInfo {
    /// The name a request uses (`qwen2.5-coder:7b`).
    pub name: String,
    /// `ollama` or `openai`.
    pub backend: String,
    /// The model's family (`qwen2`, `llama`), when the backend says.
    pub family: Option<String>,
    /// As the backend writes it (`7.6B`).
    pub parameter_size: Option<String>,
    /// As the backend writes it (`Q4_K_M`).
    pub quantization: Option<String>,
    /// Tokens of context the model takes, when the backend says.
    pub context_length: Option<u64>,
}

/// A configured model backend and whether it answered the last time the node asked.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq, schemars::JsonSchema)]
#[serde(default)]
pub struct BackendStatus {
    /// `ollama` or `openai`.
    pub backend: String,
    pub url: String,
    pub reachable: bool,
    /// Why it is unreachable, when it is.
    pub error: Option<String>,
}
