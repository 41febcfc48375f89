//! Clap definitions of the local-only run commands, `edgecoder task …` and `edgecoder gc`; the
//! work is in `cli/task_cmd/` and `cli/gc.rs`.

use super::common_args::ConfigArgs;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// Where the run records live; shared by `task` and `gc`.
#[derive(Debug, Clone, Args, Default)]
pub struct RunsDirArgs {
    /// Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs).
    #[arg(long, global = true, value_name = "DIR")]
    pub runs_dir: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct TaskArgs {
    #[command(flatten)]
    pub dirs: RunsDirArgs,
    #[command(subcommand)]
    pub command: TaskCommand,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with
    /// the command's exit code (124 on timeout).
    Run(TaskRunArgs),
    /// Local runs, newest first.
    #[command(after_long_help = crate::cli::examples::TASK_LIST)]
    List(TaskListArgs),
    /// One task with its runs (id or unique prefix).
    Show {
        /// The local task id, or a unique prefix of it.
        id: String,
        /// Machine-readable output (see docs/json-output.md).
        #[arg(
            long,
            default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
            help_heading = "Output options"
        )]
        json: bool,
        /// Filter the JSON output with a jq expression (implies --json; strings print raw).
        #[arg(long, value_name = "EXPR", help_heading = "Output options")]
        jq: Option<String>,
    },
    /// Print a task's output: stdout to stdout, stderr to stderr.
    Logs {
        /// The local task id, or a unique prefix of it.
        id: String,
        /// Keep printing output until the run ends.
        #[arg(short, long)]
        follow: bool,
    },
    /// Stop a running task (from any terminal); it is recorded as cancelled.
    Stop {
        /// The local task id, or a unique prefix of it.
        id: String,
    },
    /// Delete a task's records and output (refused while it runs).
    Rm {
        /// The local task id, or a unique prefix of it.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct TaskRunArgs {
    /// Group the record under this project (default: the current directory's name).
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// Stop the task after this long, e.g. 30s, 10m, 2h (default: EDGECODER_DEFAULT_TASK_TIMEOUT).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Keep the task's working directory (`<run dir>/work`) after it ends.
    #[arg(long)]
    pub keep_workdir: bool,
    /// The command and its arguments.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TaskListArgs {
    /// Only this project's tasks.
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// Machine-readable output (see docs/json-output.md).
    #[arg(
        long,
        default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
        help_heading = "Output options"
    )]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json; strings print raw).
    #[arg(long, value_name = "EXPR", help_heading = "Output options")]
    pub jq: Option<String>,
}

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Delete finished runs that ended longer ago than this, e.g. 12h, 7d.
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub older_than: String,
    /// Only say what would be deleted.
    #[arg(long)]
    pub dry_run: bool,
    /// Keep failed and timed-out runs.
    #[arg(long)]
    pub keep_failed: bool,
    /// Only this project's runs.
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// Machine-readable output (see docs/json-output.md).
    #[arg(
        long,
        default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
        help_heading = "Output options"
    )]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json; strings print raw).
    #[arg(long, value_name = "EXPR", help_heading = "Output options")]
    pub jq: Option<String>,
    #[command(flatten)]
    pub dirs: RunsDirArgs,
}
