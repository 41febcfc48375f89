//! The command line, as clap definitions only; the work lives in one module per command family.

pub use super::common_args::ConfigArgs;
pub use super::dash_args::DashArgs;
use super::local_args::{GcArgs, TaskArgs};
pub use super::server_args::*;
pub use super::service_args::*;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "edgecoder",
    version,
    about = "Run coding and compute work on a swarm of machines people own or volunteer",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM.
    #[command(after_long_help = crate::cli::examples::SERVE)]
    Serve(ServeArgs),
    /// Run this machine as a worker node in the foreground (what the service runs).
    #[command(after_long_help = crate::cli::examples::AGENT)]
    Agent(AgentArgs),
    /// Enroll this machine with a coordinator using an enrollment token.
    #[command(after_long_help = crate::cli::examples::ENROLL)]
    Enroll(EnrollArgs),
    /// Show this node: enrolled, coordinator reachable, approved, where its files are.
    #[command(after_long_help = crate::cli::examples::STATUS)]
    Status(StatusArgs),
    /// Read and edit the env file (comments, order and unknown keys are kept).
    Env(EnvArgs),
    /// Read the log files of `serve` and `agent` on this machine.
    Logs(LogsArgs),
    /// The coordinator's database: which one, its schema version, migrations.
    #[command(after_long_help = crate::cli::examples::DB)]
    Db(super::db_args::DbArgs),
    /// Inspect the resolved configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Drive a running coordinator: status, nodes, tasks, queue, tokens, events.
    Server(ServerArgs),
    /// Check an API token against a coordinator and store it for later commands.
    #[command(after_long_help = crate::cli::examples::LOGIN)]
    Login(LoginArgs),
    /// Forget the stored token of a coordinator.
    Logout(LogoutArgs),
    /// Install, remove or inspect the systemd unit (Linux) or launchd plist (macOS).
    Service(ServiceArgs),
    /// Watches a coordinator's self-update and rolls it back if needed (started by the
    /// coordinator itself).
    #[command(name = "__update-guard", hide = true)]
    UpdateGuard(UpdateGuardArgs),
    /// Check a ledger export offline (`ledger verify --file export.jsonl`).
    Ledger(super::credits_args::OfflineLedgerArgs),
    /// A live terminal dashboard of a coordinator: queue, nodes, credits, events.
    #[command(after_long_help = crate::cli::examples::DASH)]
    Dash(DashArgs),
    /// Run commands on this machine with no coordinator, and read their records.
    Task(TaskArgs),
    /// Write code with this machine's own model, checked in the sandbox, with no coordinator
    /// (recorded as a local run; `--handoff` gives it to the swarm when it gives up).
    #[command(after_long_help = crate::cli::examples::CODE)]
    Code(super::code_cmd::LocalCodeArgs),
    /// Delete old finished local runs (`edgecoder task`) and say what that freed.
    Gc(GcArgs),
    /// Print a shell completion script (or write every shell's with --dir).
    Completions(CompletionsArgs),
    /// Print the man page (or write one page per command with --dir).
    Man(ManArgs),
    /// Who you are to a coordinator and where your token comes from (`auth status`).
    Auth(super::auth_args::AuthArgs),
    /// Serve this machine's model (or the swarm's) to editors on a local OpenAI- and
    /// Ollama-compatible endpoint (`ide token` prints the key to give them).
    Ide(super::ide_args::IdeArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print a script for (bash, zsh, fish, elvish, powershell).
    #[arg(value_enum)]
    pub shell: Option<clap_complete::Shell>,
    /// Write the scripts into this directory under their installed names.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command into this directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Keep printing new lines as they are written.
    #[arg(short, long)]
    pub follow: bool,
    /// Print only the last N lines (default: all; 20 with --follow).
    #[arg(short = 'n', long = "lines", value_name = "N")]
    pub lines: Option<usize>,
    /// Only lines newer than this, e.g. 10m or 2h.
    #[arg(long, value_name = "DURATION")]
    pub since: Option<String>,
    /// Only lines at this level or above: trace, debug, info, warn, error.
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Print the raw JSON lines.
    #[arg(
        long,
        default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
        help_heading = "Output options"
    )]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json; strings print raw).
    #[arg(long, value_name = "EXPR", help_heading = "Output options")]
    pub jq: Option<String>,
    /// Read logs from this directory instead of the configured one.
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AgentArgs {
    /// The owner's override of a running agent: `pause [--for 2h]`, `resume`.
    #[command(subcommand)]
    pub command: Option<super::agent_args::AgentCommand>,
    /// Print this machine's capabilities and exit.
    #[arg(long)]
    pub detect: bool,
    /// With --detect: machine-readable output.
    #[arg(
        long,
        requires = "detect",
        default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
        help_heading = "Output options"
    )]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json; strings print raw).
    #[arg(
        long,
        value_name = "EXPR",
        requires = "detect",
        help_heading = "Output options"
    )]
    pub jq: Option<String>,
    /// Coordinator URL (default: COORDINATOR_URL from the env file).
    #[arg(long, value_name = "URL")]
    pub coordinator: Option<String>,
    /// Tasks to run at once (default: MAX_CONCURRENT_TASKS, else the number of CPUs).
    #[arg(long, value_name = "N")]
    pub max_concurrent: Option<u32>,
    /// Keep each task's working directory after it ends (for debugging).
    #[arg(long)]
    pub keep_workdirs: bool,
    /// Where task working directories are made.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Log filter: error, warn, info, debug, trace (or a tracing directive).
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
    /// Run one task, then exit (a clean one-job worker, as GitHub's `--ephemeral`): the node
    /// shows offline afterwards; the exit code is 0 whatever the task's outcome.
    #[arg(long)]
    pub ephemeral: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// The enrollment token; `-` reads it from stdin (keeps it out of the process list).
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
    pub token: Option<String>,
    /// Read the enrollment token from a file.
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Coordinator URL (default: COORDINATOR_URL from the env file).
    #[arg(long, value_name = "URL")]
    pub coordinator: Option<String>,
    /// Name shown for this node (default: the hostname).
    #[arg(long)]
    pub name: Option<String>,
    /// A label for scheduling, KEY=VALUE; repeatable.
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Allow sending the token over plain HTTP to a host that is not this machine.
    #[arg(long)]
    pub allow_insecure: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
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
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    #[command(subcommand)]
    pub command: EnvCommand,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Print every KEY=value (secrets masked).
    List {
        /// Print secrets instead of masking them.
        #[arg(long)]
        show_secrets: bool,
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
    /// Print one value (exit 4 when unset).
    Get {
        /// The setting's name, e.g. COORDINATOR_URL (see `edgecoder config show`).
        key: String,
    },
    /// Set a value (known keys are validated; unknown keys are kept with a warning).
    #[command(after_long_help = crate::cli::examples::ENV_SET)]
    Set {
        /// The setting's name, e.g. MAX_CONCURRENT_TASKS (see `edgecoder config show`).
        key: String,
        /// The new value (quote it if it has spaces).
        value: String,
    },
    /// Remove a key.
    Unset {
        /// The setting's name, e.g. OLLAMA_MODEL.
        key: String,
    },
    /// Print the env file's path.
    Path,
    /// Open the env file in $EDITOR; it is checked before it replaces the original.
    Edit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Coordinator plus a local worker in the same process.
    AllInOne,
    /// Coordinator only.
    Coordinator,
    /// Worker only (same as `edgecoder agent`).
    Worker,
    /// The operator routes of a group of coordinators on one PostgreSQL database (approvals,
    /// tokens, blacklist, mode, audit, credits), scheduling nothing (port 4303).
    ControlPlane,
    /// The inference service the coordinator decomposes and escalates jobs with (port 4302).
    Inference,
    /// The IDE provider only (same as `edgecoder ide`; port 4304).
    IdeProvider,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::AllInOne => "all-in-one",
            Mode::Coordinator => "coordinator",
            Mode::Worker => "worker",
            Mode::ControlPlane => "control-plane",
            Mode::Inference => "inference",
            Mode::IdeProvider => "ide-provider",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        <Mode as ValueEnum>::value_variants()
            .iter()
            .copied()
            .find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long)]
    pub host: Option<String>,
    /// Port to listen on; given explicitly it is tried once, else up to 100 ports from 4301
    /// (4302 in inference mode).
    #[arg(long)]
    pub port: Option<u16>,
    /// Where the database, server.json and task working dirs live.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Where the queue and ledger live: `sqlite` (default: edgecoder.db in the data dir),
    /// `sqlite:PATH`, or `postgres://user@host/db`, which several coordinators can share
    /// (EDGECODER_DATABASE_URL; the password may come from EDGECODER_DATABASE_PASSWORD_FILE).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// What this process runs (EDGE_RUNTIME_MODE; default all-in-one).
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// Do not start the local worker in all-in-one mode.
    #[arg(long)]
    pub no_local_worker: bool,
    /// Turn pricing off: nothing is held, charged or granted (EDGECODER_PRICING=false).
    #[arg(long)]
    pub free: bool,
    /// Delete finished tasks, their logs and events this many days after they end; 0 keeps
    /// them forever (EDGECODER_RETENTION_DAYS, default 30).
    #[arg(long, value_name = "DAYS")]
    pub retention_days: Option<f64>,
    /// Log filter: error, warn, info, debug, trace (or a tracing directive).
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print every setting, its value, and where the value came from.
    Show {
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
        /// Print secrets instead of masking them.
        #[arg(long)]
        show_secrets: bool,
        #[command(flatten)]
        config: ConfigArgs,
    },
}
