//! Escalation: a coding task that failed every attempt goes to the service's strongest model with
//! its history, and comes back as a repaired set of files for the coordinator to check again on a
//! node. The prompt and the reading of files are the coding loop's own (`coding::prompts::repair`,
//! `coding::parse_answer`), so an escalated answer is held to the same rules as any other.

use super::{Service, call};
use crate::api::{CodeIteration, EscalateRequest, EscalateResponse, ModelInfo, TaskFile};
use crate::coding::{language, parse_answer, prompts};
use crate::models::ModelBackend;
use crate::server::error::ApiError;
use axum::http::StatusCode;

/// Output tokens of the repaired attempt.
const MAX_TOKENS: u32 = 4096;
/// Most characters of explanation kept.
const EXPLANATION_CHARS: usize = 2000;

pub async fn run(svc: &Service, req: &EscalateRequest) -> Result<EscalateResponse, ApiError> {
    let lang = language::lookup(&req.spec.language)
        .ok_or_else(|| ApiError::bad_request(language::unknown(&req.spec.language)))?;
    if req.spec.prompt.trim().is_empty() {
        return Err(ApiError::bad_request(
            "the task's prompt is empty: send the failed task's spec as it was asked",
        ));
    }
    for f in &req.files {
        if crate::coding::outputs::safe_relative(&f.path).is_none() {
            return Err(ApiError::bad_request(format!(
                "file path {:?} leaves the working dir: send paths relative to it",
                f.path
            )));
        }
    }
    let model = match (&req.model, &svc.escalation_model) {
        (Some(m), _) | (None, Some(m)) => Some(m.clone()),
        (None, None) => largest_model(svc).await.or_else(|| svc.model.clone()),
    };
    let failure = failure_text(&req.spec.history);
    let messages = prompts::repair(&req.spec, lang, "", &req.files, &failure);
    let answer = call::chat(svc, model.as_deref(), messages, MAX_TOKENS, None).await?;
    let default_path = match req.files.as_slice() {
        [only] => only.path.clone(),
        _ => lang.entry.to_string(),
    };
    let parsed = parse_answer(&answer.content, lang, &default_path).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unusable_answer",
            format!(
                "the escalation model {} answered without usable files: {e}; the task stays \
                 failed",
                answer.model
            ),
        )
    })?;
    let mut files: Vec<TaskFile> = req.files.clone();
    for (path, content) in parsed.files {
        match files.iter_mut().find(|f| f.path == path) {
            Some(f) => f.content = content,
            None => files.push(TaskFile { path, content }),
        }
    }
    Ok(EscalateResponse {
        files,
        explanation: explanation(&answer.content),
        model: answer.model,
        tokens_in: answer.tokens_in,
        tokens_out: answer.tokens_out,
    })
}

/// Every iteration in a line, then the last one's check output: what the stronger model must fix.
fn failure_text(history: &[CodeIteration]) -> String {
    let mut text = String::new();
    for it in history {
        text.push_str(&format!(
            "iteration {}: {}\n",
            it.number,
            match (&it.error, it.check_exit_code) {
                (Some(e), _) => e.clone(),
                (None, Some(code)) => format!("the check exited {code}"),
                (None, None) => "the check did not run".into(),
            }
        ));
    }
    if let Some(last) = history.last() {
        text.push_str(&last.check_output_tail);
    }
    if text.is_empty() {
        text.push_str("(no history was sent: the task failed before any iteration ran)");
    }
    prompts::tail(&text, prompts::OUTPUT_TAIL_BYTES)
}

/// The answer's words outside its code blocks.
fn explanation(content: &str) -> String {
    let mut inside = false;
    let mut words = Vec::new();
    for line in content.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside;
            continue;
        }
        if !inside && !line.trim().is_empty() {
            words.push(line.trim());
        }
    }
    let text = words.join("\n");
    if text.is_empty() {
        return "(the model gave the files without an explanation)".into();
    }
    text.chars().take(EXPLANATION_CHARS).collect()
}

/// The model with the most parameters any backend serves, when the backends say how many.
async fn largest_model(svc: &Service) -> Option<String> {
    let mut models: Vec<ModelInfo> = Vec::new();
    for (backend, _) in &svc.backends.backends {
        if let Ok(list) = backend.list_models().await {
            models.extend(list);
        }
    }
    models
        .iter()
        .filter_map(|m| Some((parameters(m.parameter_size.as_deref()?)?, m)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, m)| m.name.clone())
}

/// `7.6B`, `135M`, `1.5b`, `500K` as a number of parameters.
pub fn parameters(size: &str) -> Option<f64> {
    let size = size.trim();
    let unit = size.chars().last()?.to_ascii_uppercase();
    let scale = match unit {
        'K' => 1e3,
        'M' => 1e6,
        'B' => 1e9,
        'T' => 1e12,
        _ => return size.parse().ok(),
    };
    let number: f64 = size[..size.len() - 1].trim().parse().ok()?;
    Some(number * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_sizes_compare_across_units() {
        assert_eq!(parameters("7.6B"), Some(7.6e9));
        assert_eq!(parameters("135M"), Some(135e6));
        assert_eq!(parameters("1.5b"), Some(1.5e9));
        assert_eq!(parameters("big"), None);
        assert!(parameters("70B") > parameters("135M"));
    }

    #[test]
    fn the_explanation_is_the_text_outside_code() {
        let answer = "Fixed the off-by-one.\n```python main.py\nprint(1)\n```\nDone.";
        assert_eq!(explanation(answer), "Fixed the off-by-one.\nDone.");
        assert!(explanation("```py\nx\n```").contains("without an explanation"));
    }
}
