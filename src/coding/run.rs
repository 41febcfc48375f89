//! The loop: plan → write → check → (repair → check)… until the check passes, the iterations
//! run out, the time runs out, or the task is stopped. Every model call is deterministic
//! (temperature 0, a fixed seed) so the same task on the same model does the same thing, and
//! every call races the stop flag and the deadline so a slow model never holds a task hostage.

use super::answer::parse_answer;
use super::check::{CheckRun, Checker};
use super::language::{self, Language};
use super::{prompts, workdir};
use crate::agent::sandbox::CancelFlag;
use crate::api::{CodeIteration, CodeResult, CodeSpec, CodeStatus, TaskFile};
use crate::models::{ChatAnswer, ChatRequest, Finish, Message, ModelBackend, ModelError, Sampling};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// One run of the check may take this long when the task names no limit.
pub const DEFAULT_CHECK_TIMEOUT: Duration = Duration::from_secs(60);
/// The seed of every call (with temperature 0: the same answer every time).
pub const SEED: u64 = 42;
const PLAN_MAX_TOKENS: u32 = 256;
const CODE_MAX_TOKENS: u32 = 1024;

/// Everything one run of the loop needs besides the model backend.
pub struct LoopParams<'a> {
    /// The model to call, as the backend names it.
    pub model: &'a str,
    pub spec: &'a CodeSpec,
    /// The files the task starts from (after a hand-off: the files its history ended with).
    pub inputs: &'a [TaskFile],
    /// Exists; the checks run in it and the files are written there.
    pub workdir: &'a Path,
    pub checker: &'a dyn Checker,
    /// Gets each progress line (no newline) as it happens.
    pub progress: &'a (dyn Fn(&str) + Send + Sync),
    pub stop: CancelFlag,
    pub deadline: Instant,
    /// Context window asked of the model (Ollama's `num_ctx`).
    pub num_ctx: u32,
}

/// Runs the loop to its end; never fails: how it ended is in the result's status.
pub async fn run<B: ModelBackend>(backend: &B, p: LoopParams<'_>) -> CodeResult {
    let spec = p.spec;
    let mut result = CodeResult {
        status: CodeStatus::CheckNeverPassed,
        reason: None,
        plan: String::new(),
        files: p.inputs.to_vec(),
        iterations: spec.history.clone(),
        model: p.model.to_string(),
        backend: backend.kind().to_string(),
        tokens_in: spec.history.iter().map(|i| i.tokens_in).sum(),
        tokens_out: spec.history.iter().map(|i| i.tokens_out).sum(),
    };
    let Some(lang) = language::lookup(&spec.language) else {
        result.reason = Some(language::unknown(&spec.language));
        return result;
    };
    let mut files: BTreeMap<String, String> = p
        .inputs
        .iter()
        .map(|f| (f.path.clone(), f.content.clone()))
        .collect();
    let default_path = match p.inputs {
        [only] => only.path.clone(),
        _ => lang.entry.to_string(),
    };
    let command = spec.check.clone().unwrap_or_else(|| lang.run.to_string());
    let first = spec.history.last().map(|i| i.number).unwrap_or(0);
    let total = first + spec.max_iterations().max(1);
    // After a hand-off the loop goes straight to repairing what the history ended with.
    let mut failure = spec.history.last().map(failure_of);
    let mut plan_messages = Vec::new();

    if failure.is_none() {
        (p.progress)(&format!(
            "planning with {} ({} at {})",
            p.model,
            backend.kind(),
            backend.url()
        ));
        plan_messages = prompts::plan(spec, lang, p.inputs);
        match call(backend, &p, plan_messages.clone(), PLAN_MAX_TOKENS).await {
            Ok(answer) => {
                result.tokens_in += answer.tokens_in;
                result.tokens_out += answer.tokens_out;
                result.plan = answer.content.trim().to_string();
            }
            Err(end) => {
                if let Some((status, reason)) = end.fatal() {
                    return finish(result, files, status, reason, &p);
                }
                (p.progress)(&format!(
                    "planning failed ({}); writing without a plan",
                    end
                ));
            }
        }
    }

    let mut any_code = false;
    for number in first + 1..=total {
        let started = Instant::now();
        let tag = format!("iteration {number}/{total}");
        let mut it = CodeIteration {
            number,
            files_changed: Vec::new(),
            check_passed: false,
            check_exit_code: None,
            check_output_tail: String::new(),
            error: None,
            duration_ms: 0,
            model_ms: 0,
            check_ms: 0,
            tokens_in: 0,
            tokens_out: 0,
            truncated: false,
        };
        let current: Vec<TaskFile> = to_task_files(&files);
        let messages = match &failure {
            None => prompts::write(&plan_messages, &result.plan, lang),
            Some(f) => prompts::repair(spec, lang, &result.plan, &current, f),
        };
        (p.progress)(&format!("{tag}: asking {}", p.model));
        let asked = Instant::now();
        let called = call(backend, &p, messages, CODE_MAX_TOKENS).await;
        it.model_ms = ms(asked.elapsed());
        let answer = match called {
            Ok(a) => a,
            Err(end) => {
                it.error = Some(end.to_string());
                it.duration_ms = ms(started.elapsed());
                result.iterations.push(it);
                if let Some((status, reason)) = end.fatal() {
                    (p.progress)(&format!("{tag}: {reason}"));
                    return finish(result, files, status, reason, &p);
                }
                (p.progress)(&format!("{tag}: the model call failed: {end}"));
                failure = Some(format!("The model call failed: {end}"));
                continue;
            }
        };
        it.tokens_in = answer.tokens_in;
        it.tokens_out = answer.tokens_out;
        it.truncated = answer.finish == Finish::Length;
        result.tokens_in += answer.tokens_in;
        result.tokens_out += answer.tokens_out;
        let parsed = match parse_answer(&answer.content, lang, &default_path) {
            Ok(a) => a,
            Err(e) => {
                let why = if it.truncated {
                    format!("{e} (the answer was cut off at the output limit)")
                } else {
                    e.to_string()
                };
                (p.progress)(&format!("{tag}: no usable code: {why}"));
                it.error = Some(why.clone());
                it.duration_ms = ms(started.elapsed());
                result.iterations.push(it);
                failure = Some(format!(
                    "Your answer could not be used: {why}. Reply with each file in a fenced block."
                ));
                continue;
            }
        };
        any_code = true;
        it.truncated |= parsed.cut_off;
        for (path, content) in parsed.files {
            if files.get(&path) != Some(&content) {
                it.files_changed.push(path.clone());
                files.insert(path, content);
            }
        }
        let Some(left) = p.deadline.checked_duration_since(Instant::now()) else {
            it.duration_ms = ms(started.elapsed());
            result.iterations.push(it);
            return finish(result, files, CodeStatus::TimedOut, timed_out(), &p);
        };
        if p.stop.is_cancelled() {
            it.duration_ms = ms(started.elapsed());
            result.iterations.push(it);
            return finish(result, files, CodeStatus::Cancelled, cancelled(), &p);
        }
        let written = if it.files_changed.is_empty() {
            "no file changed".to_string()
        } else {
            format!("wrote {}", it.files_changed.join(", "))
        };
        (p.progress)(&format!("{tag}: {written}; running `{command}`"));
        let timeout = spec
            .check_timeout_secs
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_CHECK_TIMEOUT)
            .min(left)
            .max(Duration::from_secs(1));
        let to_write = files
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
            .collect();
        let checked_at = Instant::now();
        let run = p
            .checker
            .check(p.workdir, to_write, &command, timeout, p.stop.clone())
            .await;
        it.check_ms = ms(checked_at.elapsed());
        if run.error.is_none() {
            files = workdir::read_back(p.workdir);
        }
        it.check_passed = run.passed;
        it.check_exit_code = run.exit_code;
        it.check_output_tail = run.output.clone();
        it.duration_ms = ms(started.elapsed());
        let line = outcome_line(&run, timeout);
        it.error = (!run.passed).then(|| line.clone());
        result.iterations.push(it);
        (p.progress)(&format!("{tag}: {line}"));
        if run.passed {
            return finish(result, files, CodeStatus::Succeeded, String::new(), &p);
        }
        if run.cancelled || p.stop.is_cancelled() {
            return finish(result, files, CodeStatus::Cancelled, cancelled(), &p);
        }
        if Instant::now() >= p.deadline {
            return finish(result, files, CodeStatus::TimedOut, timed_out(), &p);
        }
        failure = Some(format!("`{command}` {line}\n{}", run.output));
    }
    let done = total - first;
    let (status, reason) = if any_code {
        (
            CodeStatus::CheckNeverPassed,
            format!("the check `{command}` did not pass in {done} iteration(s)"),
        )
    } else {
        (
            CodeStatus::ModelOutputUnusable,
            format!("no usable code in {done} answer(s) of {}", p.model),
        )
    };
    finish(result, files, status, reason, &p)
}

fn finish(
    mut result: CodeResult,
    files: BTreeMap<String, String>,
    status: CodeStatus,
    reason: String,
    p: &LoopParams<'_>,
) -> CodeResult {
    result.files = to_task_files(&files);
    result.status = status;
    result.reason = (status != CodeStatus::Succeeded).then_some(reason);
    if let Some(reason) = &result.reason {
        (p.progress)(&format!("gave up: {reason}"));
    }
    result
}

fn to_task_files(files: &BTreeMap<String, String>) -> Vec<TaskFile> {
    files
        .iter()
        .map(|(path, content)| TaskFile {
            path: path.clone(),
            content: content.clone(),
        })
        .collect()
}

/// What the repair prompt is told about an iteration handed over from elsewhere.
fn failure_of(it: &CodeIteration) -> String {
    let head = it
        .error
        .clone()
        .unwrap_or_else(|| "the check failed".into());
    format!("{head}\n{}", it.check_output_tail)
}

/// `check passed`, `check failed (exit 1): NameError: …`, `check timed out after 5s`.
fn outcome_line(run: &CheckRun, timeout: Duration) -> String {
    if run.passed {
        return "check passed".into();
    }
    if let Some(e) = &run.error {
        return format!("the check could not run: {e}");
    }
    if run.timed_out {
        return format!("check timed out after {}s", timeout.as_secs());
    }
    if run.cancelled {
        return "check stopped (cancelled)".into();
    }
    let code = run.exit_code.unwrap_or(-1);
    // The last line of output is where an interpreter puts the error itself.
    match run.output.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(line) => format!(
            "check failed (exit {code}): {}",
            crate::api::clip_chars(line.trim(), 200)
        ),
        None => format!("check failed (exit {code})"),
    }
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

fn cancelled() -> String {
    "cancelled".into()
}

fn timed_out() -> String {
    "the task's time ran out".into()
}

/// How a model call ended when it did not answer.
enum CallEnd {
    Model(ModelError),
    Cancelled,
    TimedOut,
}

impl std::fmt::Display for CallEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallEnd::Model(e) => write!(f, "{e}"),
            CallEnd::Cancelled => write!(f, "cancelled"),
            CallEnd::TimedOut => write!(f, "the task's time ran out during a model call"),
        }
    }
}

impl CallEnd {
    /// Ends that stop the loop, with the status they end it with.
    fn fatal(&self) -> Option<(CodeStatus, String)> {
        match self {
            CallEnd::Cancelled => Some((CodeStatus::Cancelled, cancelled())),
            CallEnd::TimedOut => Some((CodeStatus::TimedOut, timed_out())),
            CallEnd::Model(
                e @ (ModelError::Unreachable { .. }
                | ModelError::NotInstalled { .. }
                | ModelError::Stalled { .. }
                | ModelError::NoBackend),
            ) => Some((CodeStatus::ModelUnreachable, e.to_string())),
            CallEnd::Model(_) => None,
        }
    }
}

/// One model call, raced against the stop flag and the deadline.
async fn call<B: ModelBackend>(
    backend: &B,
    p: &LoopParams<'_>,
    messages: Vec<Message>,
    max_tokens: u32,
) -> Result<ChatAnswer, CallEnd> {
    let request = ChatRequest {
        model: p.model.to_string(),
        messages,
        sampling: Sampling {
            temperature: 0.0,
            seed: SEED,
            max_tokens,
            num_ctx: p.num_ctx,
        },
        schema: None,
    };
    let stop = p.stop.clone();
    let stopped = async move {
        while !stop.is_cancelled() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::select! {
        answer = backend.chat(&request, &|_| {}) => answer.map_err(CallEnd::Model),
        _ = stopped => Err(CallEnd::Cancelled),
        _ = tokio::time::sleep_until(p.deadline.into()) => Err(CallEnd::TimedOut),
    }
}

/// The language of a spec, or the error a user sees.
pub fn language_of(spec: &CodeSpec) -> Result<&'static Language, String> {
    language::lookup(&spec.language).ok_or_else(|| language::unknown(&spec.language))
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
