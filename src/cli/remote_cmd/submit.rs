//! `server tasks submit`: one task from `-- CMD…` or `--script FILE`, or many from `--file`.

use super::Ctx;
use super::secrets;
use super::wait::{self, WaitOptions};
use crate::api::{
    Placement, Requirements, RetryRule, SubmitRequest, SubmitResponse, TaskCommand, TaskSource,
};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::print_json;
use crate::cli::parse;
use crate::cli::server_args::SubmitArgs;
use crate::config::envfile;
use crate::sources::pack::Selection;
use crate::sources::upload::{UploadError, upload_dir};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

pub fn run(ctx: &Ctx, args: SubmitArgs) -> Result<u8, CliError> {
    let wait_for_end = args.wait || args.follow;
    if args.follow && ctx.json {
        return Err(CliError::usage(
            "--follow prints the task's output and --json prints a document: choose one",
        ));
    }
    let mut requests = match &args.file {
        Some(path) => read_jsonl(path)?,
        None => vec![request(&args)?],
    };
    if let Some(dir) = &args.dir {
        let source = send_source(ctx, dir, args.git_files)?;
        for req in &mut requests {
            req.source = Some(source.clone());
        }
    }
    let mut submitted = Vec::with_capacity(requests.len());
    for (index, req) in requests.iter().enumerate() {
        let client = &ctx.remote.client;
        // Resending is safe only when the coordinator can recognise the repeat.
        let result = if req.idempotency_key.is_some() {
            ctx.get(|| client.submit(req))
        } else {
            ctx.call(client.submit(req))
        };
        match result {
            Ok(resp) => {
                // On stderr even with --json, so a CI log shows it and stdout stays parseable.
                for warning in &resp.warnings {
                    eprintln!("warning: task {}: {warning}", resp.task.id);
                }
                submitted.push(resp)
            }
            Err(mut e) => {
                if requests.len() > 1 {
                    e.message = format!(
                        "task {} of {} was not submitted: {}{}",
                        index + 1,
                        requests.len(),
                        e.message,
                        already_submitted(&submitted)
                    );
                }
                return Err(e);
            }
        }
    }
    if !wait_for_end {
        print_submitted(ctx, &submitted)?;
        return Ok(OK);
    }
    let ids: Vec<String> = submitted.iter().map(|s| s.task.id.clone()).collect();
    if !ctx.json && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        for s in &submitted {
            eprintln!("submitted task {}", s.task.id);
        }
    }
    wait::run_wait(
        ctx,
        &ids,
        WaitOptions {
            follow: args.follow,
            give_up_after: None,
            print_output: !args.quiet,
        },
    )
}

/// Packs and uploads `--dir` (only when the coordinator lacks it) and says so on stderr.
pub(super) fn send_source(ctx: &Ctx, dir: &Path, git_files: bool) -> Result<TaskSource, CliError> {
    let selection = if git_files {
        Selection::GitFiles
    } else {
        Selection::Ignores
    };
    let sent = ctx
        .rt
        .block_on(upload_dir(&ctx.remote.client, dir, selection))
        .map_err(|e| match e {
            UploadError::Local(message) => CliError::usage(format!("--dir: {message}")),
            UploadError::Remote(e) => ctx.remote.error(e),
        })?;
    let TaskSource::Blob { sha256, size } = &sent.source else {
        return Ok(sent.source);
    };
    let short = &sha256[..12];
    if sent.sent {
        eprintln!(
            "source {short}: {} files, {size} bytes uploaded",
            sent.files
        );
    } else {
        eprintln!(
            "source {short}: {} files, already on the coordinator (nothing uploaded)",
            sent.files
        );
    }
    Ok(sent.source)
}

fn already_submitted(done: &[SubmitResponse]) -> String {
    if done.is_empty() {
        String::new()
    } else {
        let ids: Vec<&str> = done.iter().map(|s| s.task.id.as_str()).collect();
        format!(" (already submitted: {})", ids.join(" "))
    }
}

fn print_submitted(ctx: &Ctx, submitted: &[SubmitResponse]) -> Result<(), CliError> {
    if ctx.json {
        return match submitted {
            [one] => print_json(one),
            many => print_json(&many),
        };
    }
    for s in submitted {
        // The id alone on stdout, so `id=$(edgecoder server tasks submit -- …)` works.
        println!("{}", s.task.id);
        if !s.created {
            eprintln!(
                "task {} already existed for this idempotency key: nothing new was queued",
                s.task.id
            );
        }
    }
    Ok(())
}

/// The request the flags describe.
fn request(args: &SubmitArgs) -> Result<SubmitRequest, CliError> {
    let command = match (&args.script, args.command.is_empty()) {
        (Some(path), _) => TaskCommand::Script(read_script(path)?),
        (None, false) => TaskCommand::Argv(args.command.clone()),
        (None, true) => {
            return Err(CliError::usage(
                "nothing to run: give a command after `--` (e.g. `edgecoder server tasks submit \
                 -- make test`), --script FILE, or --file tasks.jsonl",
            ));
        }
    };
    let mut requirements = Requirements {
        labels: parse::key_values("label", &args.labels)?,
        min_memory_mib: args
            .min_memory
            .as_deref()
            .map(|m| parse::size_mib("--min-memory", m))
            .transpose()?,
        ..Requirements::default()
    };
    for need in &args.requires {
        match need.trim() {
            "gpu" => requirements.gpu = true,
            tool if crate::api::is_toolchain_name(tool) => {
                if !requirements.toolchains.iter().any(|t| t == tool) {
                    requirements.toolchains.push(tool.to_string());
                }
            }
            other => {
                return Err(CliError::usage(format!(
                    "--requires {other:?} is neither gpu nor a toolchain name (such as cargo, \
                     python3 or node: letters, digits, `.`, `_`, `+`, `-`); see the node's \
                     toolchains with `edgecoder server nodes show NODE`"
                )));
            }
        }
    }
    let timeout_secs = args
        .timeout
        .as_deref()
        .map(|t| parse::duration("--timeout", t).map(|d| d.as_secs().max(1)))
        .transpose()?;
    Ok(SubmitRequest {
        command,
        env: task_env(args)?,
        secrets: secrets::from_args(&args.secrets, args.secret_file.as_deref())?,
        files: Vec::new(),
        timeout_secs,
        requirements,
        placement: if args.local_only {
            Placement::LocalOnly
        } else {
            Placement::Mesh
        },
        priority: args.priority.unwrap_or(0),
        max_attempts: args.max_attempts,
        idempotency_key: args.idempotency_key.clone(),
        network: !args.no_network,
        name: args.name.clone(),
        retry: retry_rule(args),
        source: git_source(args)?,
        artifacts: args.artifacts.clone(),
        caches: caches(&args.caches)?,
    })
}

/// `--task-env-file` then `--env` (a flag wins over the file).
fn task_env(args: &SubmitArgs) -> Result<BTreeMap<String, String>, CliError> {
    let mut env = BTreeMap::new();
    if let Some(path) = &args.task_env_file {
        let parsed = envfile::load(path)
            .map_err(|e| CliError::usage(format!("--task-env-file: {e}")))?
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--task-env-file {}: no such file (KEY=VALUE lines, # comments)",
                    path.display()
                ))
            })?;
        env.extend(parsed.entries());
    }
    env.extend(parse::key_values("--env", &args.env)?);
    Ok(env)
}

/// `--retry N [--retry-on-exit CODES]`; the coordinator checks the numbers.
fn retry_rule(args: &SubmitArgs) -> Option<RetryRule> {
    args.retry.map(|retries| RetryRule {
        retries,
        exit_codes: (!args.retry_on_exit.is_empty()).then(|| args.retry_on_exit.clone()),
    })
}

/// `--git URL --ref REV [--git-secret NAME]`: a checkout of the repository as the working dir.
fn git_source(args: &SubmitArgs) -> Result<Option<TaskSource>, CliError> {
    let (Some(url), Some(rev)) = (&args.git, &args.git_ref) else {
        return Ok(None);
    };
    crate::api::git::check_url(url).map_err(CliError::usage)?;
    crate::api::git::check_rev(rev).map_err(CliError::usage)?;
    if let Some(name) = &args.git_secret {
        let named = args
            .secrets
            .iter()
            .any(|s| s.split_once('=').map_or(s.as_str(), |(k, _)| k) == name);
        if !named && args.secret_file.is_none() {
            return Err(CliError::usage(format!(
                "--git-secret {name} names no task secret: add --secret {name} (its value taken \
                 from this environment) or --secret-file FILE holding {name}=…"
            )));
        }
    }
    Ok(Some(TaskSource::Git {
        url: url.clone(),
        rev: rev.clone(),
        credentials_secret: args.git_secret.clone(),
    }))
}

/// `--cache NAME=PATH` flags as the submission's caches.
fn caches(flags: &[String]) -> Result<Vec<crate::api::CacheSpec>, CliError> {
    flags
        .iter()
        .map(|flag| match flag.split_once('=') {
            Some((name, path)) if !name.is_empty() && !path.is_empty() => {
                Ok(crate::api::CacheSpec {
                    name: name.to_string(),
                    path: path.to_string(),
                })
            }
            _ => Err(CliError::usage(format!(
                "--cache {flag:?}: give NAME=PATH, e.g. --cache cargo=target"
            ))),
        })
        .collect()
}

fn read_script(path: &Path) -> Result<String, CliError> {
    let mut text = String::new();
    let result = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    result
        .map_err(|e| CliError::usage(format!("cannot read the script {}: {e}", path.display())))?;
    if text.trim().is_empty() {
        return Err(CliError::usage(format!(
            "the script {} is empty",
            path.display()
        )));
    }
    Ok(text)
}

/// Every line a submit request (blank lines and `#` comments skipped). All lines are checked
/// before anything is submitted, so a typo on line 20 does not leave 19 tasks behind.
fn read_jsonl(path: &Path) -> Result<Vec<SubmitRequest>, CliError> {
    let text = if path == Path::new("-") {
        let mut t = String::new();
        std::io::stdin().read_to_string(&mut t).map(|_| t)
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let req: SubmitRequest = serde_json::from_str(line).map_err(|e| {
            CliError::usage(format!(
                "{}:{}: not a submit request ({e}); each line is a JSON object such as \
                 {{\"command\":{{\"argv\":[\"make\",\"test\"]}}}}; nothing was submitted",
                path.display(),
                n + 1
            ))
        })?;
        out.push(req);
    }
    if out.is_empty() {
        return Err(CliError::usage(format!(
            "{} holds no tasks",
            path.display()
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_errors_name_the_line_and_submit_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(
            &path,
            "{\"command\":{\"argv\":[\"true\"]}}\n\n# c\n{\"command\":42}\n",
        )
        .unwrap();
        let err = read_jsonl(&path).unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.contains("t.jsonl:4"), "{}", err.message);
        std::fs::write(&path, "{\"command\":{\"script\":\"echo hi\"}}\n").unwrap();
        assert_eq!(read_jsonl(&path).unwrap().len(), 1);
    }
}
