//! Clap definitions of `edgecoder server …`, `login` and `logout`; the work is in `cli/remote_cmd/`.

use super::control_args::{AuditArgs, BlacklistCommand, ModeArgs};
use super::remote::RemoteArgs;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ServerArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Machine-readable output (shapes in docs/json-output.md).
    #[arg(
        long,
        global = true,
        default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
        help_heading = "Output options"
    )]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json; strings print raw).
    #[arg(
        long,
        value_name = "EXPR",
        global = true,
        help_heading = "Output options"
    )]
    pub jq: Option<String>,
    #[command(subcommand)]
    pub command: ServerCommand,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Coordinator version, uptime, mode, queue counts, nodes online/pending.
    Status,
    /// List and manage worker nodes.
    #[command(subcommand)]
    Nodes(NodesCommand),
    /// Submit, list, follow and cancel tasks.
    #[command(subcommand)]
    Tasks(TasksCommand),
    /// Queue counts by state and the backlog by requirements.
    Queue,
    /// Create, list and revoke API and enrollment tokens.
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Print the coordinator's live event stream (until Ctrl-C).
    Events(EventsArgs),
    /// Refuse nodes by id or address: add, remove, list.
    #[command(subcommand)]
    Blacklist(BlacklistCommand),
    /// The record of admin and owner actions, newest first.
    Audit(AuditArgs),
    /// Show or set the network mode (enterprise_overlay or public_mesh).
    Mode(ModeArgs),
    /// Balances, history, grants, transfers and price quotes.
    #[command(subcommand)]
    Credits(super::credits_args::CreditsCommand),
    /// Verify and export the hash-chained ledger.
    #[command(subcommand)]
    Ledger(super::credits_args::LedgerCommand),
    /// Replace the coordinator's binary, draining its local worker first (admin).
    #[command(subcommand)]
    Update(UpdateCommand),
    /// Submit a coding task: a worker's model writes code until the check passes.
    #[command(after_long_help = crate::cli::examples::SERVER_CODE)]
    Code(Box<ServerCodeArgs>),
    /// Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel.
    #[command(subcommand)]
    Jobs(super::jobs_args::JobsCommand),
}

#[derive(Debug, Args)]
pub struct ServerCodeArgs {
    #[command(flatten)]
    pub code: super::code_args::CodeArgs,
    /// Wait for the task to end; exit 0 when the check passed (and write the files into --out).
    #[arg(long)]
    pub wait: bool,
    /// Like --wait, streaming the model's progress and the check's output while it runs.
    #[arg(long)]
    pub follow: bool,
    /// The task's wall-clock limit, e.g. 10m (default: the coordinator's).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Run only on a node with some model of this family (`qwen2`, `llama`).
    #[arg(long, value_name = "FAMILY")]
    pub model_family: Option<String>,
    /// Higher runs first (default 0).
    #[arg(long, allow_negative_numbers = true)]
    pub priority: Option<i32>,
    /// Run only on nodes this coordinator's owner trusts.
    #[arg(long)]
    pub local_only: bool,
    /// Let the check reach the network (off by default: a model's code runs cut off).
    #[arg(long)]
    pub network: bool,
}

#[derive(Debug, Subcommand)]
pub enum UpdateCommand {
    /// The running version, the update in progress and recent updates.
    Status,
    /// Check a new binary, drain the local worker, swap and restart on the same port.
    Start(UpdateStartArgs),
}

#[derive(Debug, Args)]
pub struct UpdateStartArgs {
    /// The new binary, as a path on the coordinator's machine.
    #[arg(long, value_name = "PATH")]
    pub binary: PathBuf,
    /// Its expected SHA-256 (hex, as `sha256sum` prints it); refused when it differs.
    #[arg(long, value_name = "HEX")]
    pub sha256: Option<String>,
    /// Give up when the local worker's running tasks take longer than this (default 10m).
    #[arg(long, value_name = "DURATION")]
    pub drain_timeout: Option<String>,
    /// Wait until the update has ended; exit 0 only when the new version runs.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Subcommand)]
pub enum NodesCommand {
    /// Every node with its state, resources and running tasks.
    #[command(after_long_help = crate::cli::examples::NODES_LIST)]
    List {
        /// Only nodes in this state: pending, approved, rejected, removed.
        #[arg(long)]
        state: Option<String>,
    },
    /// One node in full (id, a unique prefix, or its name).
    Show {
        /// The node: its id, a unique prefix of it, or its name.
        id: String,
    },
    /// Let a pending node run tasks.
    #[command(after_long_help = crate::cli::examples::NODES_APPROVE)]
    Approve {
        /// The node: its id, a unique prefix of it, or its name.
        id: String,
    },
    /// Refuse a pending or approved node.
    Reject {
        /// The node: its id, a unique prefix of it, or its name.
        id: String,
    },
    /// Stop giving the node new tasks; its running tasks finish (or are handed back at
    /// `--deadline`).
    Drain(DrainArgs),
    /// Give a drained node new tasks again.
    Undrain {
        /// The node: its id, a unique prefix of it, or its name.
        id: String,
    },
    /// Forget the node; it must enroll again.
    Remove {
        /// The node: its id, a unique prefix of it, or its name.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct DrainArgs {
    /// The node: its id, a unique prefix of it, or its name.
    pub id: String,
    /// Hand the tasks the node still runs back to the queue after this long (not counted as
    /// attempts; the node is told to stop them), e.g. 10m.
    #[arg(long, value_name = "DURATION")]
    pub deadline: Option<String>,
    /// Return only when the node runs nothing.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: give up after this long (exit 124); the drain goes on.
    #[arg(long, value_name = "DURATION", requires = "wait")]
    pub timeout: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`).
    #[command(after_long_help = crate::cli::examples::TASKS_SUBMIT)]
    Submit(Box<SubmitArgs>),
    /// Tasks, newest first.
    #[command(after_long_help = crate::cli::examples::TASKS_LIST)]
    List(ListArgs),
    /// One task with its attempts.
    #[command(after_long_help = crate::cli::examples::TASKS_SHOW)]
    Show {
        /// The task id, or a unique prefix of it.
        id: String,
    },
    /// Cancel a queued or running task.
    Cancel {
        /// The task id, or a unique prefix of it.
        id: String,
    },
    /// Print a task's output; `-f` follows it until the task ends.
    #[command(after_long_help = crate::cli::examples::TASKS_LOGS)]
    Logs(LogsArgs),
    /// Wait until every task given has ended; exits with the task's code (non-zero if any failed).
    #[command(after_long_help = crate::cli::examples::TASKS_WAIT)]
    Wait(WaitArgs),
    /// Download the files a task kept (`submit --artifact`), verified; `--json` lists them.
    Artifacts(ArtifactsArgs),
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The task id, or a unique prefix of it.
    pub id: String,
    /// Keep printing new output until the task ends (rides out coordinator restarts).
    #[arg(short, long, conflicts_with_all = ["attempt", "tail"])]
    pub follow: bool,
    /// Only what the task wrote to its standard output.
    #[arg(long, conflicts_with = "stderr")]
    pub stdout: bool,
    /// Only what the task wrote to its standard error.
    #[arg(long)]
    pub stderr: bool,
    /// Only the last N lines.
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,
    /// The output of this attempt (from 1; default: the latest).
    #[arg(long, value_name = "N")]
    pub attempt: Option<u32>,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Wait for the task to end, print its output, and exit with its exit code (124 when it
    /// timed out; SIGTERM with no terminal cancels the task and exits 143).
    #[arg(long)]
    pub wait: bool,
    /// With --wait: stream the task's output while it runs (implies --wait).
    #[arg(long)]
    pub follow: bool,
    // --- behaving like a CI step (issue 17) ---
    /// With --wait: do not print the task's output when it ends (the summary line stays).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// A short name for the task, shown in lists (a matrix entry, a CI job's name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Run a task that exited non-zero again, up to N more times (default: never; its failure
    /// is the answer). Lost nodes and agent shutdowns are retried regardless.
    #[arg(long, value_name = "N")]
    pub retry: Option<u32>,
    /// With --retry: retry only these exit codes, comma separated (e.g. 3,75).
    #[arg(long, value_name = "CODES", requires = "retry", value_delimiter = ',')]
    pub retry_on_exit: Vec<i32>,
    /// Environment variables for the task from a file of KEY=VALUE lines (the env file format);
    /// --env wins over it. Not to be confused with --env-file, edgecoder's own settings.
    #[arg(long, value_name = "FILE")]
    pub task_env_file: Option<PathBuf>,
    // --- end of CI step flags ---
    /// The task's wall-clock limit, e.g. 30s, 10m (default: the coordinator's).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Run only on a node with what is named: `gpu`, or a toolchain its tasks can run (`cargo`,
    /// `python3`, any name a node advertises); repeatable.
    #[arg(long = "requires", value_name = "WHAT")]
    pub requires: Vec<String>,
    /// Run only on a node with at least this much memory, e.g. 512M, 4G.
    #[arg(long, value_name = "SIZE")]
    pub min_memory: Option<String>,
    /// Run only on a node with this label, KEY=VALUE; repeatable.
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Higher runs first (default 0).
    #[arg(long, allow_negative_numbers = true)]
    pub priority: Option<i32>,
    /// Run the task at most this many times when attempts fail (default: the coordinator's).
    #[arg(long, value_name = "N")]
    pub max_attempts: Option<u32>,
    /// Submitting again with the same key returns the first task instead of a new one.
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// An environment variable for the task, KEY=VALUE; repeatable.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// A secret env var for the task, KEY=VALUE, or KEY alone to take the value from this
    /// environment (keeps it out of argv); repeatable. Stored encrypted, never shown, masked in
    /// the task's output.
    #[arg(long = "secret", value_name = "KEY[=VALUE]")]
    pub secrets: Vec<String>,
    /// Secrets from a file of KEY=VALUE lines (the env file format).
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Run only on nodes this coordinator's owner trusts.
    #[arg(long)]
    pub local_only: bool,
    /// Cut the task off the network where the node can.
    #[arg(long)]
    pub no_network: bool,
    /// Run in a checkout of this git repository (https://, ssh:// or file:// URL); the worker
    /// clones it shallow into its cache. Needs --ref.
    #[arg(long, value_name = "URL", requires = "git_ref", conflicts_with = "dir")]
    pub git: Option<String>,
    /// With --git: the branch, tag or commit to check out.
    #[arg(long = "ref", value_name = "REV", requires = "git")]
    pub git_ref: Option<String>,
    /// With --git: the task secret (a --secret name) holding the credentials for a private
    /// repository: a token, or USER:TOKEN. Never put in argv or logs.
    #[arg(long, value_name = "NAME", requires = "git")]
    pub git_secret: Option<String>,
    /// Run this shell script instead of a command.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["file", "command"])]
    pub script: Option<PathBuf>,
    /// Submit every line of this JSON-lines file (each a submit request; see docs/json-output.md).
    #[arg(long, value_name = "FILE", conflicts_with = "command")]
    pub file: Option<PathBuf>,
    /// Run in a copy of this directory: packed (its .gitignore and .edgecoderignore respected),
    /// uploaded once by content hash (an unchanged tree uploads nothing), unpacked on the worker.
    #[arg(long, value_name = "PATH")]
    pub dir: Option<PathBuf>,
    /// With --dir: pack exactly the files `git ls-files` lists.
    #[arg(long, requires = "dir")]
    pub git_files: bool,
    /// Keep the files matching this glob (relative to the working dir; `**/*.xml` crosses
    /// directories) as artifacts when the task ends; repeatable. `tasks artifacts ID` fetches them.
    #[arg(long = "artifact", value_name = "GLOB")]
    pub artifacts: Vec<String>,
    /// Keep this directory of the working dir on the node between your tasks naming the same
    /// cache, NAME=PATH (e.g. cargo=target); repeatable. Restored before, saved after success.
    #[arg(long = "cache", value_name = "NAME=PATH")]
    pub caches: Vec<String>,
    /// The command and its arguments, after `--`.
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only tasks in this state: queued, leased, running, succeeded, failed, cancelled, timed_out.
    #[arg(long)]
    pub state: Option<String>,
    /// Only tasks that ran on this node.
    #[arg(long, value_name = "ID")]
    pub node: Option<String>,
    /// At most this many (default 50).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// The tasks to wait for: ids or unique prefixes.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Give up after this long (exit 124), e.g. 10m.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Do not print the tasks' output when they end (the summary lines stay).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Make a token; its secret is printed once.
    Create(TokenCreateArgs),
    List,
    /// Revoke a token by id.
    Revoke {
        /// The token's id (from `server tokens list`), not its secret.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// api (for people and scripts) or enroll (for nodes).
    #[arg(long, default_value = "api")]
    pub kind: String,
    /// For api tokens: user, owner or admin.
    #[arg(long)]
    pub role: Option<String>,
    /// A note saying what the token is for.
    #[arg(long)]
    pub name: Option<String>,
    /// Expire after this long, e.g. 1h, 7d.
    #[arg(long, value_name = "DURATION")]
    pub expires_in: Option<String>,
    /// For enroll tokens: how many nodes may use it.
    #[arg(long, value_name = "N")]
    pub uses: Option<u32>,
    /// For enroll tokens: nodes that enroll with it are approved at once.
    #[arg(long)]
    pub auto_approve: bool,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Include every task's log lines.
    #[arg(long)]
    pub include_logs: bool,
    /// Start after this event id instead of the recent backlog.
    #[arg(long, value_name = "ID")]
    pub after: Option<i64>,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Forget the tokens of every coordinator.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct ArtifactsArgs {
    /// The task id, or a unique prefix of it.
    pub id: String,
    /// Only the artifacts whose path matches this glob (e.g. `reports/*.xml`).
    #[arg(value_name = "PATTERN")]
    pub pattern: Option<String>,
    /// Where to write them, keeping their paths (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
}
