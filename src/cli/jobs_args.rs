//! Clap definitions of `edgecoder server jobs …`; the work is in `cli/remote_cmd/jobs/`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Submit a coding request that the coordinator splits into subtasks across the swarm.
    #[command(after_long_help = crate::cli::examples::JOBS_SUBMIT)]
    Submit(Box<JobSubmitArgs>),
    /// Jobs, newest first.
    #[command(after_long_help = crate::cli::examples::JOBS_LIST)]
    List(JobListArgs),
    /// One job: its subtasks as a tree (state, dependencies, node, escalation), its log and
    /// its result.
    Show {
        /// The job id, or a unique prefix of it.
        id: String,
    },
    /// Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial,
    /// 130 when it was cancelled.
    Wait(JobWaitArgs),
    /// Cancel a job and its open subtasks.
    Cancel {
        /// The job id, or a unique prefix of it.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct JobSubmitArgs {
    /// What you want written, in your words.
    #[arg(value_name = "PROMPT")]
    pub prompt: String,
    /// The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby,
    /// shell).
    #[arg(long = "lang", default_value = "python", value_name = "LANG")]
    pub language: String,
    /// A directory every subtask starts from: packed (its .gitignore and .edgecoderignore
    /// respected) and uploaded once by content hash.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A file every subtask starts from (repeatable); sent with its path relative to the
    /// current dir.
    #[arg(long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// A command run on the merged files once every subtask has ended; the job succeeds only
    /// when it exits 0 (`pytest -q`, `cargo test`).
    #[arg(long, value_name = "CMD")]
    pub check: Option<String>,
    /// The command each subtask must pass when the decomposition gives it no check of its own
    /// (default: a syntax check of its language's files, so a module need not run alone).
    #[arg(long, value_name = "CMD")]
    pub part_check: Option<String>,
    /// The model every subtask asks for (default: each node's configured model).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,
    /// Split into at most this many subtasks (default: the coordinator's, 8).
    #[arg(long, value_name = "N")]
    pub max_subtasks: Option<u32>,
    /// Do not split: run the request as one subtask.
    #[arg(long)]
    pub no_decompose: bool,
    /// Model calls (each followed by the subtask's check) each subtask gets at most (default:
    /// the coordinator's, 3).
    #[arg(long, value_name = "N")]
    pub max_iterations: Option<u32>,
    /// Wait for the job to end; exit 0 when it succeeded (and write the files into --out).
    #[arg(long, conflicts_with = "follow")]
    pub wait: bool,
    /// Like --wait, printing a line per job event (decomposed, subtask claimed, iteration
    /// failed, …) while it runs.
    #[arg(long)]
    pub follow: bool,
    /// With --wait or --follow: stop waiting after this long (exit 124), e.g. 30m; the job goes
    /// on.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// With --wait or --follow: write the merged files into this directory when the job
    /// succeeded or is partial.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite files in --out that differ from what the job started from.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct JobListArgs {
    /// Only jobs in this state: decomposing, running, aggregating, succeeded, partial, failed,
    /// cancelled.
    #[arg(long)]
    pub state: Option<String>,
    /// At most this many (default 50).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct JobWaitArgs {
    /// The job id, or a unique prefix of it.
    pub id: String,
    /// Print a line per job event while waiting.
    #[arg(long)]
    pub follow: bool,
    /// Give up after this long (exit 124), e.g. 30m; the job goes on.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
}
