//! `edgecoder code "PROMPT" …`: the coding loop on this machine, with its own model server and
//! sandbox, and no coordinator. It is recorded as a local run (`task list/show/logs` see it, `gc`
//! removes it): the progress in the run's stdout.txt, the whole result in `code-result.json`.
//! Nothing leaves the machine unless the user asks with `--handoff`, which gives the task (with
//! its history and current files) to the swarm when the loop gives up here.

use super::code_args::CodeArgs;
use super::exit::{CONFLICT, CliError, ERROR, OK, UNREACHABLE};
use super::local_args::RunsDirArgs;
use super::remote::{self, RemoteArgs};
use super::task_cmd::Local;
use super::task_cmd::run::StopSignals;
use crate::agent::confinement::{Policy, Protections};
use crate::agent::sandbox::CancelFlag;
use crate::api::{
    CodeResult, CodeSpec, CodeStatus, MAX_ITERATIONS_LIMIT, Placement, Requirements, SubmitRequest,
    TaskCommand, TaskFile,
};
use crate::coding::{self, InputLimits, LoopParams, SandboxChecker, language};
use crate::models::{Backends, ModelBackend, ModelError, ModelSettings};
use crate::runs::{self, NewRun, STDOUT_FILE, Status, WORK_DIR};
use clap::Args;
use std::io::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// The result of a local coding run, beside its run-info.
pub const CODE_RESULT_FILE: &str = "code-result.json";
/// A prompt longer than this is refused: no local model reads it, and it is surely a mistake.
const MAX_PROMPT_BYTES: usize = 64 << 10;
const FALLBACK_TIMEOUT: Duration = Duration::from_secs(3600);

#[derive(Debug, Args)]
pub struct LocalCodeArgs {
    #[command(flatten)]
    pub code: CodeArgs,
    /// When the loop gives up here, submit the same task, with its history, to the coordinator.
    /// Without it nothing leaves this machine.
    #[arg(long)]
    pub handoff: bool,
    /// The coordinator --handoff submits to (default: EDGECODER_URL, the configured one, the
    /// local server.json, then http://127.0.0.1:4301). The token: EDGECODER_TOKEN or `login`.
    #[arg(long, env = "EDGECODER_URL", value_name = "URL")]
    pub server: Option<String>,
    /// Allow --handoff to send the token over plain HTTP to a host that is not this machine.
    #[arg(long)]
    pub allow_insecure: bool,
    #[command(flatten)]
    pub dirs: RunsDirArgs,
}

pub fn run(args: LocalCodeArgs) -> Result<u8, CliError> {
    let spec = spec_of(&args.code)?;
    let local = Local::open(&args.dirs)?;
    let inputs = coding::read_inputs(
        &args.code.files,
        args.code.dir.as_deref(),
        InputLimits::default(),
    )
    .map_err(|e| CliError::usage(e.to_string()))?;
    let settings = ModelSettings::from_resolved(&local.resolved)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let backends = Backends::from_settings(&settings).map_err(|e| model_error(&e))?;
    let policy = Policy::from_resolved(&local.resolved)?;
    let protections = Protections::detect(policy, None);
    let timeout = local
        .resolved
        .duration("default_task_timeout")?
        .unwrap_or(FALLBACK_TIMEOUT);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::error(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(run_local(Job {
        args: &args,
        spec,
        inputs,
        local: &local,
        backends,
        num_ctx: settings.num_ctx,
        confine: protections.landlock_abi,
        timeout,
    }))
}

/// The task as the loop (and a hand-off) sees it, after checking what a user may get wrong.
fn spec_of(a: &CodeArgs) -> Result<CodeSpec, CliError> {
    if a.prompt.trim().is_empty() {
        return Err(CliError::usage("the prompt is empty: say what to write"));
    }
    if a.prompt.len() > MAX_PROMPT_BYTES {
        return Err(CliError::usage(format!(
            "the prompt is {} bytes; at most {MAX_PROMPT_BYTES} are taken (put long material in a --file)",
            a.prompt.len()
        )));
    }
    if language::lookup(&a.language).is_none() {
        return Err(CliError::usage(language::unknown(&a.language)));
    }
    if a.max_iterations == 0 || a.max_iterations > MAX_ITERATIONS_LIMIT {
        return Err(CliError::usage(format!(
            "--max-iterations must be 1 to {MAX_ITERATIONS_LIMIT}"
        )));
    }
    let check_timeout_secs = match &a.check_timeout {
        Some(text) => {
            let d = super::task_cmd::parse_duration("--check-timeout", text)?;
            Some(d.as_secs().max(1))
        }
        None => None,
    };
    Ok(CodeSpec {
        prompt: a.prompt.clone(),
        language: a.language.clone(),
        check: a.check.clone().filter(|c| !c.trim().is_empty()),
        model: a.model.clone(),
        max_iterations: Some(a.max_iterations),
        check_timeout_secs,
        history: Vec::new(),
    })
}

struct Job<'a> {
    args: &'a LocalCodeArgs,
    spec: CodeSpec,
    inputs: Vec<TaskFile>,
    local: &'a Local,
    backends: Backends,
    num_ctx: u32,
    confine: Option<u32>,
    timeout: Duration,
}

async fn run_local(job: Job<'_>) -> Result<u8, CliError> {
    let mut stop_signals = StopSignals::install()?;
    let chosen = job
        .backends
        .choose(job.spec.model.as_deref())
        .await
        .map_err(|e| unreachable_servers(&job.backends, model_error(&e)))?;
    let project = runs::project_from_dir(
        &std::env::current_dir()
            .map_err(|e| CliError::error(format!("cannot read the current directory ({e})")))?,
    );
    let cmd = vec![
        "edgecoder".to_string(),
        "code".to_string(),
        "--lang".to_string(),
        job.spec.language.clone(),
        crate::api::clip_chars(&job.spec.prompt, 200),
    ];
    let (info, run_dir) = job.local.store.create_run(&NewRun {
        project: &project,
        cmd: &cmd,
        timeout_secs: job.timeout.as_secs().max(1),
    })?;
    let task_id = info.task_id.clone();
    let workdir = run_dir.join(WORK_DIR);
    std::fs::create_dir(&workdir)
        .map_err(|e| CliError::error(format!("creating {}: {e}", workdir.display())))?;
    let log = Mutex::new(
        std::fs::OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(run_dir.join(STDOUT_FILE))
            .map_err(|e| CliError::error(format!("creating the run's log: {e}")))?,
    );
    // On stderr, so `--json` keeps stdout a single document.
    let progress = |line: &str| {
        if let Ok(mut f) = log.lock() {
            let _ = writeln!(f, "{line}");
        }
        eprintln!("{line}");
    };
    progress(&format!(
        "local task {task_id} (project {project}): `edgecoder task stop {task_id}` stops it"
    ));
    progress(&match job.confine {
        Some(abi) => {
            format!("checks run in the sandbox, confined by Landlock (ABI {abi}), without network")
        }
        None => "checks run in the sandbox without network, NOT confined (Landlock is off or \
                 not offered here): they can reach what your user can"
            .to_string(),
    });
    let checker = SandboxChecker {
        network: false,
        run_as: None,
        confine: job.confine.is_some(),
        ..SandboxChecker::default()
    };
    let stop = CancelFlag::new();
    let started = Instant::now();
    let params = LoopParams {
        model: &chosen.model,
        spec: &job.spec,
        inputs: &job.inputs,
        workdir: &workdir,
        checker: &checker,
        progress: &progress,
        stop: stop.clone(),
        deadline: started + job.timeout,
        num_ctx: job.num_ctx,
    };
    let looping = coding::run(&chosen.backend, params);
    tokio::pin!(looping);
    let result = loop {
        tokio::select! {
            result = &mut looping => break result,
            () = stop_signals.recv() => stop.cancel(),
        }
    };
    let recorded = record(&job, &run_dir, &result, started.elapsed());
    let _ = std::fs::remove_dir_all(&workdir);
    if let Err(e) = recorded {
        eprintln!("edgecoder: could not record the end of task {task_id}: {e}");
    }
    finish(&job, &task_id, &result).await
}

/// The result file and the run's record.
fn record(
    job: &Job<'_>,
    run_dir: &Path,
    result: &CodeResult,
    elapsed: Duration,
) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(result).map_err(std::io::Error::other)?;
    crate::files::write_atomic(&run_dir.join(CODE_RESULT_FILE), &json, 0o600)?;
    let status = match result.status {
        CodeStatus::Succeeded => Status::Succeeded,
        CodeStatus::TimedOut => Status::TimedOut,
        CodeStatus::Cancelled => Status::Cancelled,
        _ => Status::Failed,
    };
    job.local.store.update(run_dir, |i| {
        i.status = status;
        i.ended_at = Some(SystemTime::now());
        i.exit_code = Some(if status == Status::Succeeded { 0 } else { 1 });
        i.duration_ms = Some(elapsed.as_millis() as u64);
        i.error = result
            .reason
            .as_ref()
            .map(|r| format!("{}: {r}", result.status.as_str()));
    })?;
    Ok(())
}

/// Prints the end, writes the files or hands the task off; the exit code.
async fn finish(job: &Job<'_>, task_id: &str, result: &CodeResult) -> Result<u8, CliError> {
    let args = &job.args.code;
    let mut written = None;
    if result.status == CodeStatus::Succeeded
        && let Some(out) = &args.out
    {
        match coding::write_outputs(out, &job.inputs, &result.files, args.force) {
            Ok(report) => written = Some(report),
            Err(e @ coding::OutputError::Changed { .. }) => {
                return Err(CliError::new(CONFLICT, e.to_string()));
            }
            Err(e) => return Err(CliError::error(e.to_string())),
        }
    }
    let mut handed = None;
    if result.status != CodeStatus::Succeeded
        && result.status != CodeStatus::Cancelled
        && job.args.handoff
    {
        handed = Some(handoff(job, result).await?);
    }
    if args.json {
        let doc = serde_json::json!({
            "task_id": task_id,
            "code": result,
            "written": written.as_ref().map(|w| &w.written),
            "handed_off": handed.as_ref().map(|(id, url)| serde_json::json!({"task_id": id, "server": url})),
        });
        crate::cli::output::print_json(&doc)?;
    } else {
        print_human(job, task_id, result, written.as_ref(), handed.as_ref());
    }
    Ok(if result.status == CodeStatus::Succeeded {
        OK
    } else {
        ERROR
    })
}

fn print_human(
    job: &Job<'_>,
    task_id: &str,
    result: &CodeResult,
    written: Option<&coding::WriteReport>,
    handed: Option<&(String, String)>,
) {
    let n = result.iterations.len();
    let tokens = format!("{} tokens in, {} out", result.tokens_in, result.tokens_out);
    if result.status == CodeStatus::Succeeded {
        println!(
            "the check passed after {n} iteration(s) with {} ({tokens})",
            result.model
        );
        match (written, &job.args.code.out) {
            (Some(w), Some(out)) => {
                for path in w.written.iter().chain(&w.overwritten) {
                    println!("wrote {}", out.join(path).display());
                }
                if !w.unchanged.is_empty() {
                    println!("unchanged: {}", w.unchanged.join(", "));
                }
            }
            _ => {
                let names: Vec<&str> = result.files.iter().map(|f| f.path.as_str()).collect();
                println!(
                    "files: {} (pass --out DIR to write them; `edgecoder task show {task_id}` has the record)",
                    names.join(", ")
                );
            }
        }
        return;
    }
    let reason = result.reason.as_deref().unwrap_or("");
    println!("gave up ({}): {reason} ({tokens})", result.status.as_str());
    if let Some(last) = result.iterations.last()
        && !last.check_output_tail.trim().is_empty()
    {
        println!("the last check's output (its end):");
        println!("{}", last.check_output_tail.trim_end());
    }
    match handed {
        Some((id, url)) => println!(
            "handed off to {url} as task {id}: `edgecoder server tasks show {id}` follows it"
        ),
        None if result.status != CodeStatus::Cancelled => println!(
            "nothing left this machine; rerun with --handoff to give the task and its history to the swarm"
        ),
        None => {}
    }
}

/// Submits the task with what the loop did here to the coordinator: (task id, URL).
async fn handoff(job: &Job<'_>, result: &CodeResult) -> Result<(String, String), CliError> {
    let remote = remote::connect(&RemoteArgs {
        server: job.args.server.clone(),
        token: std::env::var("EDGECODER_TOKEN").ok(),
        allow_insecure: job.args.allow_insecure,
        config: job.args.dirs.config.clone(),
    })?;
    let mut spec = job.spec.clone();
    spec.history = result.iterations.clone();
    let files = if result.files.is_empty() {
        job.inputs.clone()
    } else {
        result.files.clone()
    };
    let mut req = SubmitRequest::argv(Vec::new());
    req.command = TaskCommand::Code(Box::new(spec));
    req.files = files;
    req.network = false;
    req.placement = Placement::Mesh;
    req.requirements = Requirements {
        model: job.spec.model.clone(),
        any_model: true,
        ..Requirements::default()
    };
    let answer = remote
        .client
        .submit(&req)
        .await
        .map_err(|e| remote.error(e))?;
    Ok((answer.task.id, remote.url))
}

/// When no server answered, every configured one is named, so the one the user meant is too.
fn unreachable_servers(backends: &Backends, mut err: CliError) -> CliError {
    if err.code == UNREACHABLE && backends.backends.len() > 1 {
        let all: Vec<String> = backends
            .backends
            .iter()
            .map(|(b, _)| format!("{} at {}", b.kind(), b.url()))
            .collect();
        err.message = format!(
            "{}; no configured model server answered ({})",
            err.message,
            all.join(", ")
        );
    }
    err
}

/// A model error as the user's message and exit code.
fn model_error(e: &ModelError) -> CliError {
    let code = match e {
        ModelError::Unreachable { .. } | ModelError::Stalled { .. } => UNREACHABLE,
        ModelError::NoBackend => super::exit::USAGE,
        _ => ERROR,
    };
    CliError::new(code, e.to_string())
}
