//! Starting a subtask whose dependencies all succeeded: its task gets the job's inputs and the
//! dependencies' final files, a prompt that places it in the whole request and says what came
//! before, and its check (its own, the job's part check, or its language's syntax check).

use super::advance::{StepEnv, create_task, final_files, task_key};
use super::graph;
use crate::api::{CodeSpec, SubmitRequest, Subtask, TaskCommand, TaskFile};
use crate::server::error::ApiError;
use crate::server::store::jobs::{self, JobRow, SubtaskRow, SubtaskState};
use crate::server::store::{WriteCtx, code_result};

/// Characters of a dependency's plan handed to its dependants.
const SUMMARY_CHARS: usize = 400;

fn summary_of(conn: &crate::server::store::db::Db, row: &SubtaskRow) -> Result<String, ApiError> {
    let Some(task_id) = &row.task_id else {
        return Ok(String::new());
    };
    let files: Vec<String> = final_files(conn, task_id)?
        .into_iter()
        .map(|f| f.path)
        .collect();
    let plan = code_result::load(conn, task_id)?
        .map(|c| crate::api::clip_chars(c.plan.trim(), SUMMARY_CHARS))
        .unwrap_or_default();
    Ok(format!(
        "- {} ({}): files {}{}",
        row.spec.id,
        row.spec.title,
        files.join(", "),
        if plan.is_empty() {
            String::new()
        } else {
            format!("; its plan: {plan}")
        }
    ))
}

/// The task of a subtask whose dependencies all succeeded: the job's inputs and the
/// dependencies' final files (in dependency order), and a prompt that says what they did.
pub(super) fn start_subtask(
    ctx: &mut WriteCtx<'_>,
    env: &StepEnv,
    job: &JobRow,
    row: &mut SubtaskRow,
) -> Result<(), ApiError> {
    let all = jobs::subtasks(ctx.conn, &job.id)?;
    let specs: Vec<Subtask> = all.iter().map(|r| r.spec.clone()).collect();
    let mut files: Vec<TaskFile> = job.request.files.clone();
    let mut context = Vec::new();
    for i in graph::order(&specs).unwrap_or_default() {
        let dep = &all[i];
        if !row.spec.depends_on.contains(&dep.spec.id) {
            continue;
        }
        let Some(task_id) = &dep.task_id else {
            continue;
        };
        for f in final_files(ctx.conn, task_id)? {
            files.retain(|g| g.path != f.path);
            files.push(f);
        }
        context.push(summary_of(ctx.conn, dep)?);
    }
    let mut prompt = row.spec.prompt.clone();
    if specs.len() > 1 {
        prompt.push_str(&format!(
            "\n\nThis is one part of a larger request: {}",
            crate::api::clip_chars(&job.request.prompt, 1000)
        ));
        if !row.spec.files.is_empty() {
            prompt.push_str(&format!(
                "\nThis part writes: {}",
                row.spec.files.join(", ")
            ));
        }
    }
    if !context.is_empty() {
        prompt.push_str(&format!(
            "\nDone before this part (their files are in the working dir):\n{}",
            context.join("\n")
        ));
    }
    let (check, why) = check_of(row, job, specs.len());
    let mut req = SubmitRequest::argv(Vec::new());
    req.command = TaskCommand::Code(Box::new(CodeSpec {
        prompt,
        language: row.spec.language.clone(),
        check: check.clone(),
        model: job.request.model.clone(),
        max_iterations: job.request.max_iterations,
        check_timeout_secs: None,
        history: Vec::new(),
    }));
    req.files = files;
    req.name = Some(format!("job {} {}", job.id, row.spec.id));
    req.idempotency_key = Some(task_key(&job.id, &row.spec.id, row.round));
    match create_task(ctx, env, job, req, Some(&row.spec.id), row.round) {
        Ok(task_id) => {
            row.state = SubtaskState::Running;
            row.task_id = Some(task_id.clone());
            jobs::set_subtask(ctx, &job.id, row)?;
            jobs::log(
                ctx,
                &job.id,
                "job.subtask_started",
                Some(&task_id),
                &match (why, &check) {
                    (Some(why), Some(c)) => format!(
                        "subtask {} queued as task {task_id}; it brings no check, so {why} (`{c}`)",
                        row.spec.id
                    ),
                    _ => format!("subtask {} queued as task {task_id}", row.spec.id),
                },
                serde_json::json!({"subtask": row.spec.id, "round": row.round, "check": check}),
            )
        }
        Err(e) => {
            // Refused before anything was written (a short balance, files past the limits).
            row.state = SubtaskState::Failed;
            row.error = Some(format!("its task was refused: {}", e.message));
            jobs::set_subtask(ctx, &job.id, row)?;
            jobs::log(
                ctx,
                &job.id,
                "job.subtask_failed",
                None,
                &format!("subtask {} could not be queued: {}", row.spec.id, e.message),
                serde_json::json!({"subtask": row.spec.id}),
            )
        }
    }
}

/// The check a subtask's task runs, and, when the subtask brings none, where it came from in
/// words for the job's log.
fn check_of(
    row: &SubtaskRow,
    job: &JobRow,
    subtasks: usize,
) -> (Option<String>, Option<&'static str>) {
    if let Some(own) = &row.spec.check {
        return (Some(own.clone()), None);
    }
    if let Some(given) = &job.request.part_check {
        return (Some(given.clone()), Some("it runs the job's part check"));
    }
    match part_check(&row.spec.language, subtasks) {
        Some(syntax) => (Some(syntax), Some("its files are checked for syntax")),
        None => (None, None),
    }
}

/// The check of a part that brings none: a part of a larger job is often a module that does
/// not run alone, so its files are checked for syntax, and the job-level check on the merged
/// tree judges what they do. A job of one subtask keeps the coding task's default (its program
/// must run), as does a language without a syntax check.
fn part_check(language: &str, subtasks: usize) -> Option<String> {
    if subtasks < 2 {
        return None;
    }
    crate::coding::language::lookup(language)
        .and_then(|l| l.syntax)
        .map(str::to_string)
}
