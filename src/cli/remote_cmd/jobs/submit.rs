//! `server jobs submit "PROMPT"`: the request from the flags (`--file` inputs read as
//! `server code` reads them, `--dir` packed and uploaded as `tasks submit --dir` does), then,
//! with `--wait`/`--follow`, waiting for the end and writing the merged files into `--out` with
//! the one writer (`coding::write_outputs`: it refuses to overwrite a file the user changed
//! since the job started, unless `--force`).

use super::{exit_code_of, render, wait};
use crate::api::{DecomposeMode, JobInfo, JobState, JobSubmitRequest, LANGUAGES, TaskFile};
use crate::cli::exit::{CONFLICT, CliError, OK};
use crate::cli::jobs_args::JobSubmitArgs;
use crate::cli::output::print_json;
use crate::cli::parse;
use crate::cli::remote_cmd::Ctx;
use crate::coding::{InputLimits, OutputError, read_inputs, write_outputs};

pub fn run(ctx: &Ctx, args: JobSubmitArgs) -> Result<u8, CliError> {
    let wait_for_end = args.wait || args.follow;
    if args.follow && ctx.json {
        return Err(CliError::usage(
            "--follow prints the job's events and --json prints a document: choose one",
        ));
    }
    if !wait_for_end {
        if args.out.is_some() {
            return Err(CliError::usage(
                "--out writes the merged files once the job has ended: add --wait (or --follow)",
            ));
        }
        if args.timeout.is_some() {
            return Err(CliError::usage(
                "--timeout limits how long we wait for the job: add --wait (or --follow)",
            ));
        }
    }
    if args.force && args.out.is_none() {
        return Err(CliError::usage(
            "--force lets --out overwrite changed files: give --out DIR too",
        ));
    }
    let give_up_after = args
        .timeout
        .as_deref()
        .map(|t| parse::duration("--timeout", t))
        .transpose()?;
    let mut req = request(&args)?;
    // What the files under --out are compared with before they are overwritten: the inputs as
    // they were when the job started, --dir's text files included.
    let started_from = started_from(&args, &req.files);
    if let Some(dir) = &args.dir {
        req.source = Some(crate::cli::remote_cmd::submit::send_source(
            ctx, dir, false,
        )?);
    }
    let submitted = ctx.call(ctx.remote.client.submit_job(&req))?;
    let id = submitted.job.id.clone();
    if !wait_for_end {
        if ctx.json {
            print_json(&submitted)?;
        } else {
            // The id alone on stdout, so `id=$(edgecoder server jobs submit …)` works.
            println!("{id}");
        }
        return Ok(OK);
    }
    if !ctx.json && !args.follow && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!("submitted job {id}");
    }
    let job = match wait::wait(ctx, &id, args.follow, give_up_after)? {
        wait::Waited::Finished(job) => job,
        wait::Waited::Stopped(code) => return Ok(code),
    };
    finish(ctx, &args, &started_from, &job)
}

/// The job has ended: report it, and write its merged files into `--out` when it has any.
fn finish(
    ctx: &Ctx,
    args: &JobSubmitArgs,
    started_from: &[TaskFile],
    job: &JobInfo,
) -> Result<u8, CliError> {
    if ctx.json {
        print_json(job)?;
    } else {
        eprint!("{}", render::details(job, crate::api::now_ms()));
    }
    let code = exit_code_of(job.state);
    let Some(out) = &args.out else {
        return Ok(code);
    };
    // A partial job keeps what succeeded: its files are worth having, but the exit code stays 1.
    let Some(result) = job
        .result
        .as_ref()
        .filter(|_| matches!(job.state, JobState::Succeeded | JobState::Partial))
    else {
        if !ctx.json {
            eprintln!(
                "nothing written into {}: the job {}",
                out.display(),
                job.state.as_str()
            );
        }
        return Ok(code);
    };
    match write_outputs(out, started_from, &result.files, args.force) {
        Ok(report) => {
            if !ctx.json {
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
            Ok(code)
        }
        Err(e @ OutputError::Changed { .. }) => Err(CliError::new(
            CONFLICT,
            format!(
                "{e}. The result stays with job {}: `edgecoder server jobs show {} --json`",
                job.id, job.id
            ),
        )),
        Err(e) => Err(CliError::error(e.to_string())),
    }
}

/// The `--file` inputs plus `--dir`'s text files, as the user's disk holds them now. `--dir`
/// travels as a packed tree, so a tree too big to read as text files only loses this check's
/// knowledge of its files (they count as changed, and --force is needed to replace them).
fn started_from(args: &JobSubmitArgs, files: &[TaskFile]) -> Vec<TaskFile> {
    match &args.dir {
        None => files.to_vec(),
        Some(dir) => read_inputs(&args.files, Some(dir), InputLimits::default())
            .unwrap_or_else(|_| files.to_vec()),
    }
}

/// The request the flags describe, with the `--file` inputs read from disk (`--dir` is added
/// by the caller once uploaded).
fn request(args: &JobSubmitArgs) -> Result<JobSubmitRequest, CliError> {
    if args.prompt.trim().is_empty() {
        return Err(CliError::usage(
            "the prompt is empty: say what you want written, e.g. \
             `edgecoder server jobs submit 'a CSV parser with tests'`",
        ));
    }
    let language = args.language.trim().to_ascii_lowercase();
    if !LANGUAGES.contains(&language.as_str()) {
        return Err(CliError::usage(format!(
            "--lang {:?} is not a language edgecoder codes in: use one of {}",
            args.language,
            LANGUAGES.join(", ")
        )));
    }
    if let Some(n) = args.max_subtasks
        && !(1..=crate::api::MAX_SUBTASKS_LIMIT).contains(&n)
    {
        return Err(CliError::usage(format!(
            "--max-subtasks {n}: give 1 to {} (default {})",
            crate::api::MAX_SUBTASKS_LIMIT,
            crate::api::DEFAULT_MAX_SUBTASKS
        )));
    }
    if let Some(n) = args.max_iterations
        && !(1..=crate::api::MAX_ITERATIONS_LIMIT).contains(&n)
    {
        return Err(CliError::usage(format!(
            "--max-iterations {n}: give 1 to {}",
            crate::api::MAX_ITERATIONS_LIMIT
        )));
    }
    if let Some(dir) = &args.dir
        && !dir.is_dir()
    {
        return Err(CliError::usage(format!(
            "--dir {}: not a directory",
            dir.display()
        )));
    }
    let files = read_inputs(&args.files, None, InputLimits::default())
        .map_err(|e| CliError::usage(e.to_string()))?;
    Ok(JobSubmitRequest {
        prompt: args.prompt.clone(),
        language,
        files,
        source: None,
        check: args.check.clone().filter(|c| !c.trim().is_empty()),
        part_check: args.part_check.clone().filter(|c| !c.trim().is_empty()),
        model: args.model.clone(),
        max_subtasks: args.max_subtasks,
        decompose: if args.no_decompose {
            DecomposeMode::Never
        } else {
            DecomposeMode::Auto
        },
        max_iterations: args.max_iterations,
        idempotency_key: None,
    })
}
