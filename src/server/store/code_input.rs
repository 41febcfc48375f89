//! What a coding task may carry. The prompt, check and history end up in a model's context and
//! in a worker's shell, so they are refused at submission (400/413) rather than accepted and
//! failed on every node: an empty or oversized prompt, a language no worker knows, an iteration
//! count outside the limit, a model name no backend could serve.
//!
//! Accepting a coding task also sets what it asks of a node (`requirements.any_model`, and the
//! model by name when one is given), so the scheduler offers it only to nodes with a model.

use super::task_input::FieldLimits;
use crate::api::{CodeSpec, LANGUAGES, MAX_ITERATIONS_LIMIT, Requirements, TaskCommand};
use crate::server::error::ApiError;
use axum::http::StatusCode;

/// Longest model name accepted (Ollama's `hf.co/owner/repo:quant` names stay well under it).
const MODEL_NAME_MAX: usize = 256;
/// Largest check output tail one handed-off iteration may carry.
const HISTORY_TAIL_MAX: usize = 64 << 10;
/// Most file names one handed-off iteration may list.
const HISTORY_FILES_MAX: usize = 1000;

/// Refuses a coding task no worker could run, with what to change.
pub fn check_code(spec: &CodeSpec, limits: &FieldLimits) -> Result<(), ApiError> {
    if spec.prompt.trim().is_empty() {
        return Err(ApiError::bad_request(
            "command.code.prompt is empty: say what the code should do",
        ));
    }
    if spec.prompt.len() > limits.prompt {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "field_too_large",
            format!(
                "command.code.prompt is {} bytes; this coordinator accepts at most {} bytes \
                 (EDGECODER_MAX_PROMPT_BYTES): shorten it, or pass the material as files",
                spec.prompt.len(),
                limits.prompt
            ),
        ));
    }
    if spec.prompt.contains('\0') {
        return Err(ApiError::bad_request(
            "command.code.prompt contains a NUL byte",
        ));
    }
    if !LANGUAGES.contains(&spec.language.as_str()) {
        return Err(ApiError::bad_request(format!(
            "command.code.language {:?} is not one this coordinator knows: use one of {}",
            spec.language,
            LANGUAGES.join(", ")
        )));
    }
    if let Some(n) = spec.max_iterations
        && !(1..=MAX_ITERATIONS_LIMIT).contains(&n)
    {
        return Err(ApiError::bad_request(format!(
            "command.code.max_iterations is {n}: it must be between 1 and \
             {MAX_ITERATIONS_LIMIT}"
        )));
    }
    if spec.check_timeout_secs == Some(0) {
        return Err(ApiError::bad_request(
            "command.code.check_timeout_secs must be at least 1 (leave it out to use the \
             task's timeout)",
        ));
    }
    if let Some(check) = &spec.check {
        check_check(check, limits)?;
    }
    if let Some(model) = &spec.model {
        check_model_name("command.code.model", model)?;
    }
    check_history(spec)
}

fn check_check(check: &str, limits: &FieldLimits) -> Result<(), ApiError> {
    if check.trim().is_empty() {
        return Err(ApiError::bad_request(
            "command.code.check is empty: give a command that exits 0 when the code is right \
             (e.g. `pytest -q`), or leave it out to just run the program",
        ));
    }
    if check.contains('\0') {
        return Err(ApiError::bad_request(
            "command.code.check contains a NUL byte, which no shell can be given",
        ));
    }
    if check.len() > limits.script {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "field_too_large",
            format!(
                "command.code.check is {} bytes; this coordinator accepts at most {} bytes \
                 (EDGECODER_MAX_SCRIPT_BYTES): put a long check in a file and run that",
                check.len(),
                limits.script
            ),
        ));
    }
    Ok(())
}

/// A model name as backends write them: printable, no spaces, bounded.
pub fn check_model_name(field: &str, name: &str) -> Result<(), ApiError> {
    let sane = !name.is_empty()
        && name.len() <= MODEL_NAME_MAX
        && name
            .chars()
            .all(|c| c.is_ascii_graphic() || c.is_alphanumeric());
    if sane {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "{field} {:?} is not a model name: give the name the backend lists (e.g. \
             `qwen2.5-coder:7b`), at most {MODEL_NAME_MAX} characters without spaces",
            crate::api::clip_chars(name, 80)
        )))
    }
}

fn check_history(spec: &CodeSpec) -> Result<(), ApiError> {
    if spec.history.len() > MAX_ITERATIONS_LIMIT as usize {
        return Err(ApiError::bad_request(format!(
            "command.code.history has {} iterations; at most {MAX_ITERATIONS_LIMIT} may be \
             handed on",
            spec.history.len()
        )));
    }
    for (i, it) in spec.history.iter().enumerate() {
        if it.check_output_tail.len() > HISTORY_TAIL_MAX
            || it.files_changed.len() > HISTORY_FILES_MAX
            || it
                .error
                .as_ref()
                .is_some_and(|e| e.len() > HISTORY_TAIL_MAX)
        {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "field_too_large",
                format!(
                    "command.code.history[{i}] is too large: an iteration may carry at most \
                     {HISTORY_TAIL_MAX} bytes of check output and {HISTORY_FILES_MAX} file names"
                ),
            ));
        }
    }
    Ok(())
}

/// The requirements a task is stored with: a coding task needs a node with a model (the one it
/// names, when it names one), an inference task the model it names; any other task's are the
/// submitter's.
pub fn effective_requirements(command: &TaskCommand, given: Requirements) -> Requirements {
    match command {
        TaskCommand::Code(spec) => Requirements {
            any_model: true,
            model: spec.model.clone().or(given.model.clone()),
            ..given
        },
        TaskCommand::Inference(spec) => Requirements {
            any_model: true,
            model: Some(spec.model.clone()),
            ..given
        },
        _ => given,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(prompt: &str) -> CodeSpec {
        CodeSpec {
            prompt: prompt.into(),
            language: "python".into(),
            check: None,
            model: None,
            max_iterations: None,
            check_timeout_secs: None,
            history: Vec::new(),
        }
    }

    #[test]
    fn refuses_what_no_worker_could_run() {
        let limits = FieldLimits::default();
        assert!(check_code(&spec("add two numbers"), &limits).is_ok());
        let bad = [
            spec("  "),
            CodeSpec {
                language: "cobol".into(),
                ..spec("x")
            },
            CodeSpec {
                max_iterations: Some(0),
                ..spec("x")
            },
            CodeSpec {
                max_iterations: Some(MAX_ITERATIONS_LIMIT + 1),
                ..spec("x")
            },
            CodeSpec {
                check: Some(" ".into()),
                ..spec("x")
            },
            CodeSpec {
                check: Some("a\0b".into()),
                ..spec("x")
            },
            CodeSpec {
                model: Some("two words".into()),
                ..spec("x")
            },
            spec("a\0b"),
        ];
        for s in bad {
            assert!(check_code(&s, &limits).is_err(), "{s:?} accepted");
        }
        let big = spec(&"x".repeat(limits.prompt + 1));
        let err = check_code(&big, &limits).expect_err("too big");
        assert!(
            format!("{err:?}").contains("EDGECODER_MAX_PROMPT_BYTES"),
            "{err:?}"
        );
    }

    #[test]
    fn a_coding_task_needs_a_model() {
        let mut s = spec("x");
        let cmd = TaskCommand::Code(Box::new(s.clone()));
        let r = effective_requirements(&cmd, Requirements::default());
        assert!(r.any_model && r.model.is_none());
        s.model = Some("qwen2.5-coder:7b".into());
        let r = effective_requirements(&TaskCommand::Code(Box::new(s)), Requirements::default());
        assert_eq!(r.model.as_deref(), Some("qwen2.5-coder:7b"));
        let plain =
            effective_requirements(&TaskCommand::Script("ls".into()), Requirements::default());
        assert_eq!(plain, Requirements::default());
    }
}
