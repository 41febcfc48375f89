//! The options of a coding task, shared by `edgecoder code` (this machine's model, no
//! coordinator) and `edgecoder server code` (a worker of the swarm), so both take the same flags.

use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct CodeArgs {
    /// What you want written, in your words.
    #[arg(value_name = "PROMPT")]
    pub prompt: String,
    /// The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell).
    #[arg(long = "lang", default_value = "python", value_name = "LANG")]
    pub language: String,
    /// A file the model starts from (repeatable); sent with its path relative to the current dir.
    #[arg(long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// A directory the model starts from, packed up (its .gitignore and .edgecoderignore respected).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A command that must exit 0 for the code to count as done (`pytest -q`, `cargo test`);
    /// without one, the program must run and exit 0.
    #[arg(long, value_name = "CMD")]
    pub check: Option<String>,
    /// The model to use (default: the node's configured model).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,
    /// How many model calls, each followed by the check, at most.
    #[arg(long, default_value_t = crate::api::DEFAULT_MAX_ITERATIONS, value_name = "N")]
    pub max_iterations: u32,
    /// Seconds one run of the check may take.
    #[arg(long, value_name = "DURATION")]
    pub check_timeout: Option<String>,
    /// Write the final files into this directory; without it they are listed, not written.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite files in --out that differ from what the task started from.
    #[arg(long)]
    pub force: bool,
    /// Print the result as JSON (the task, or the local run, with its code result).
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
