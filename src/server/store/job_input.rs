//! What a job may carry: refused at submission, naming the field and what to change, before
//! anything is stored or asked of the inference service. A job's subtasks become coding tasks,
//! so the job is also checked as the task its subtasks would be (files, model name, limits).

use crate::api::{
    CodeSpec, DecomposeMode, JobSubmitRequest, LANGUAGES, MAX_ITERATIONS_LIMIT, MAX_SUBTASKS_LIMIT,
    SubmitRequest, TaskCommand,
};
use crate::server::error::ApiError;
use crate::server::store::tasks::{self, SubmitLimits};

/// The task a job's subtask would be, less what the driver adds: used to refuse a job whose
/// subtasks could never be accepted (files, model name, iterations) before it is stored.
fn template_task(req: &JobSubmitRequest) -> SubmitRequest {
    let mut task = SubmitRequest::argv(Vec::new());
    task.command = TaskCommand::Code(Box::new(CodeSpec {
        prompt: req.prompt.clone(),
        language: req.language.clone(),
        check: None,
        model: req.model.clone(),
        max_iterations: req.max_iterations,
        check_timeout_secs: None,
        history: Vec::new(),
    }));
    task.files = req.files.clone();
    task.source = req.source.clone();
    task.idempotency_key = req.idempotency_key.clone();
    task
}

/// Refuses a job that cannot run, naming the field and what to change.
pub fn validate(req: &JobSubmitRequest, limits: &SubmitLimits) -> Result<(), ApiError> {
    if req.prompt.trim().is_empty() {
        return Err(ApiError::bad_request(
            "prompt is empty: say what the code should do",
        ));
    }
    if !LANGUAGES.contains(&req.language.as_str()) {
        return Err(ApiError::bad_request(format!(
            "language {:?} is not one this coordinator knows: use one of {}",
            req.language,
            LANGUAGES.join(", ")
        )));
    }
    if let Some(n) = req.max_subtasks
        && !(1..=MAX_SUBTASKS_LIMIT).contains(&n)
    {
        return Err(ApiError::bad_request(format!(
            "max_subtasks is {n}: it must be between 1 and {MAX_SUBTASKS_LIMIT}"
        )));
    }
    if let Some(n) = req.max_iterations
        && !(1..=MAX_ITERATIONS_LIMIT).contains(&n)
    {
        return Err(ApiError::bad_request(format!(
            "max_iterations is {n}: it must be between 1 and {MAX_ITERATIONS_LIMIT}"
        )));
    }
    for (field, check) in [("check", &req.check), ("part_check", &req.part_check)] {
        if let Some(check) = check
            && (check.trim().is_empty() || check.contains('\0') || check.len() > 64 << 10)
        {
            return Err(ApiError::bad_request(format!(
                "{field} must be a shell command of 1 byte to 64 KiB, without NUL bytes"
            )));
        }
    }
    tasks::validate(&template_task(req), limits)
}

/// Tasks a job may create at most: every subtask once, each escalated once, and the check.
pub fn worst_case_tasks(req: &JobSubmitRequest) -> u64 {
    let subtasks = match req.decompose {
        DecomposeMode::Never => 1,
        DecomposeMode::Auto => req
            .max_subtasks
            .unwrap_or(crate::api::DEFAULT_MAX_SUBTASKS)
            .min(MAX_SUBTASKS_LIMIT),
    } as u64;
    subtasks + 1
}
