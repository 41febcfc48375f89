//! `server code "PROMPT"`: submits a coding task to the swarm. Without `--wait` it prints the
//! task id like `tasks submit`; with `--wait`/`--follow` it waits through the one waiting code
//! (`wait.rs`), then writes the final files into `--out` when the check passed (refusing to
//! overwrite files the user changed) and exits 0, or prints why not and the last check output
//! and exits 1. The result's rendering for people (`code_details`) is shared with `tasks show`.

use super::Ctx;
use super::wait::{self, WaitOptions, Waited};
use crate::api::{
    CodeResult, CodeSpec, CodeStatus, Placement, Requirements, SubmitRequest, TaskCommand,
    TaskFile, TaskInfo, TaskState,
};
use crate::cli::code_args::CodeArgs;
use crate::cli::exit::{CONFLICT, CliError, ERROR, OK};
use crate::cli::output::print_json;
use crate::cli::parse;
use crate::cli::server_args::ServerCodeArgs;
use crate::coding::{InputLimits, OutputError, read_inputs, write_outputs};

pub fn run(ctx: &Ctx, args: ServerCodeArgs) -> Result<u8, CliError> {
    let json = ctx.json || args.code.json;
    let wait_for_end = args.wait || args.follow;
    if args.follow && json {
        return Err(CliError::usage(
            "--follow prints the task's progress and --json prints a document: choose one",
        ));
    }
    if args.code.out.is_some() && !wait_for_end {
        return Err(CliError::usage(
            "--out writes the files once the task has ended: add --wait (or --follow)",
        ));
    }
    let req = request(&args)?;
    let started_from = req.files.clone();
    let submitted = ctx.call(ctx.remote.client.submit(&req))?;
    let id = submitted.task.id.clone();
    if !wait_for_end {
        if json {
            print_json(&submitted)?;
        } else {
            // The id alone on stdout, so `id=$(edgecoder server code …)` works.
            println!("{id}");
        }
        return Ok(OK);
    }
    if !json && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!("submitted coding task {id}");
    }
    let opts = WaitOptions {
        follow: args.follow,
        give_up_after: None,
        // The coding result is printed instead (wait_until_done never prints output).
        print_output: false,
    };
    let task = match wait::wait_until_done(ctx, std::slice::from_ref(&id), opts)? {
        Waited::Finished(mut finished) => match finished.pop() {
            Some(task) => task,
            None => {
                return Err(CliError::error(format!(
                    "task {id} vanished while waited on"
                )));
            }
        },
        Waited::Stopped(code) => return Ok(code),
    };
    finish(json, &args.code, &started_from, &task)
}

/// The task has ended: report it, and write its files when it succeeded.
fn finish(
    json: bool,
    code_args: &CodeArgs,
    started_from: &[TaskFile],
    task: &TaskInfo,
) -> Result<u8, CliError> {
    let succeeded = task.state == TaskState::Succeeded
        && task
            .code_result
            .as_ref()
            .is_some_and(|c| c.status == CodeStatus::Succeeded);
    if json {
        print_json(task)?;
    } else {
        eprintln!("{}", wait::summary(task));
        if let Some(code) = &task.code_result {
            eprint!("{}", code_details(code));
        }
    }
    if !succeeded {
        if !json {
            eprintln!("{}", why_failed(task));
        }
        return Ok(ERROR);
    }
    let Some(code) = &task.code_result else {
        return Ok(ERROR);
    };
    let Some(out) = &code_args.out else {
        if !json {
            eprintln!(
                "files are not written without --out; see them with `edgecoder server tasks \
                 show {} --json`",
                task.id
            );
        }
        return Ok(OK);
    };
    match write_outputs(out, started_from, &code.files, code_args.force) {
        Ok(report) => {
            if !json {
                eprintln!(
                    "wrote {} file(s) into {} ({} already up to date{})",
                    report.written.len() + report.overwritten.len(),
                    out.display(),
                    report.unchanged.len(),
                    if report.overwritten.is_empty() {
                        String::new()
                    } else {
                        format!(", overwrote {}", report.overwritten.join(", "))
                    }
                );
            }
            Ok(OK)
        }
        Err(e @ OutputError::Changed { .. }) => Err(CliError::new(
            CONFLICT,
            format!(
                "{e}. The result stays with task {}: `edgecoder server tasks show {} --json`",
                task.id, task.id
            ),
        )),
        Err(e) => Err(CliError::error(e.to_string())),
    }
}

/// Why a coding task did not succeed, with the last check output it got.
fn why_failed(task: &TaskInfo) -> String {
    let Some(code) = &task.code_result else {
        return format!(
            "the coding task ended {} without a result{}",
            task.state.as_str(),
            task.error
                .as_deref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default()
        );
    };
    let mut out = format!(
        "the check did not pass: {}",
        code.reason
            .as_deref()
            .or(task.error.as_deref())
            .unwrap_or(code.status.as_str())
    );
    if let Some(last) = code.iterations.last()
        && !last.check_output_tail.trim().is_empty()
    {
        out.push_str(&format!(
            "\nlast check output (iteration {}):\n{}",
            last.number,
            last.check_output_tail.trim_end()
        ));
    }
    out
}

/// A coding task's result for people: status, one line per iteration, files and tokens.
pub fn code_details(code: &CodeResult) -> String {
    let mut out = format!(
        "code         {} (model {} via {})\n",
        code.status.as_str(),
        code.model,
        code.backend
    );
    if let Some(reason) = &code.reason {
        out.push_str(&format!("reason       {reason}\n"));
    }
    for it in &code.iterations {
        out.push_str(&format!(
            "iteration {:<3}check {}, exit {}, {:.1}s, {} tokens in / {} out{}\n",
            it.number,
            if it.check_passed { "passed" } else { "failed" },
            it.check_exit_code
                .map(|c| c.to_string())
                .unwrap_or_else(|| "-".into()),
            it.duration_ms as f64 / 1000.0,
            it.tokens_in,
            it.tokens_out,
            it.error
                .as_deref()
                .map(|e| format!(": {}", crate::api::clip_chars(e, 80)))
                .unwrap_or_default()
        ));
    }
    let names: Vec<&str> = code.files.iter().map(|f| f.path.as_str()).collect();
    out.push_str(&format!(
        "files        {}\n",
        if names.is_empty() {
            "(none)".to_string()
        } else {
            names.join(", ")
        }
    ));
    out.push_str(&format!(
        "tokens       {} in, {} out\n",
        code.tokens_in, code.tokens_out
    ));
    out
}

/// The request the flags describe, with the input files read from disk.
fn request(args: &ServerCodeArgs) -> Result<SubmitRequest, CliError> {
    let c = &args.code;
    let files = read_inputs(&c.files, c.dir.as_deref(), InputLimits::default())
        .map_err(|e| CliError::usage(e.to_string()))?;
    let check_timeout_secs = c
        .check_timeout
        .as_deref()
        .map(|t| parse::duration("--check-timeout", t).map(|d| d.as_secs().max(1)))
        .transpose()?;
    let timeout_secs = args
        .timeout
        .as_deref()
        .map(|t| parse::duration("--timeout", t).map(|d| d.as_secs().max(1)))
        .transpose()?;
    let spec = CodeSpec {
        prompt: c.prompt.clone(),
        language: c.language.to_ascii_lowercase(),
        check: c.check.clone(),
        model: c.model.clone(),
        max_iterations: Some(c.max_iterations),
        check_timeout_secs,
        history: Vec::new(),
    };
    Ok(SubmitRequest {
        command: TaskCommand::Code(Box::new(spec)),
        env: Default::default(),
        secrets: Default::default(),
        files,
        timeout_secs,
        requirements: Requirements {
            model_family: args.model_family.clone(),
            ..Requirements::default()
        },
        placement: if args.local_only {
            Placement::LocalOnly
        } else {
            Placement::Mesh
        },
        priority: args.priority.unwrap_or(0),
        max_attempts: None,
        idempotency_key: None,
        network: args.network,
        ..SubmitRequest::argv(Vec::new())
    })
}
