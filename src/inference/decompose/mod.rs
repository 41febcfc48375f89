//! Decomposition: a coding request → subtasks the coordinator can schedule. The model answers
//! under a JSON schema (Ollama's `format`, OpenAI's `response_format`), the answer is validated
//! (`validate`), a broken one is sent back once with the validation error, and a second broken one
//! becomes a single subtask — the request as it is — with `fallback` saying why. Every step is a
//! line of `log`, which the coordinator copies into the job's log.
//!
//! A request that lists its parts (numbered or bulleted lines) is asked for exactly one subtask per
//! part, ids fixed by position, so it comes back in parts even from a small model; any other
//! request gets between 1 and the limit (docs/decisions.md).

pub mod parse;
pub mod validate;

use super::{Service, call};
use crate::api::{
    DEFAULT_MAX_SUBTASKS, DecomposeRequest, DecomposeResponse, LANGUAGES, MAX_SUBTASKS_LIMIT,
    Subtask,
};
use crate::models::{Message, OutputSchema, Role};
use crate::server::error::ApiError;
use serde_json::{Value, json};

/// Output tokens per subtask the model may use, and the floor and cap of the whole answer.
const TOKENS_PER_SUBTASK: u32 = 400;
const MIN_ANSWER_TOKENS: u32 = 1024;
const MAX_ANSWER_TOKENS: u32 = 8192;

const SYSTEM: &str = "You split a programming request into subtasks, each done by a \
different programmer who sees only their own subtask and the files of the subtasks it depends \
on. Answer with one JSON object and nothing else, like: {\"subtasks\": [{\"id\": \"s1\", \
\"title\": \"parser\", \"prompt\": \"Write parser.py with a function parse(text).\", \
\"language\": \"python\", \"files\": [\"parser.py\"], \"depends_on\": [], \"check\": null}, \
{\"id\": \"s2\", \"title\": \"tests\", \"prompt\": \"Write test_parser.py that tests parse.\", \
\"language\": \"python\", \"files\": [\"test_parser.py\"], \"depends_on\": [\"s1\"], \"check\": \
null}]}. One subtask per part of the request. Ids are s1, s2, s3 in order. depends_on names only \
earlier subtasks, usually none. Each file belongs to one subtask.";

/// Decomposes `req` with the service's models; only a model backend that fails is an error.
pub async fn run(svc: &Service, req: &DecomposeRequest) -> Result<DecomposeResponse, ApiError> {
    let limit = limit(req)?;
    if req.prompt.trim().is_empty() {
        return Err(ApiError::bad_request(
            "the prompt is empty: say what the job should build",
        ));
    }
    if !LANGUAGES.contains(&req.language.as_str()) {
        return Err(ApiError::bad_request(format!(
            "language {:?} is not one of: {}",
            req.language,
            LANGUAGES.join(", ")
        )));
    }
    let mut log = Vec::new();
    if req.max_subtasks.is_some_and(|m| m > MAX_SUBTASKS_LIMIT) {
        log.push(format!(
            "asked for up to {} subtasks; the limit is {MAX_SUBTASKS_LIMIT}",
            req.max_subtasks.unwrap_or_default()
        ));
    }
    let parts = listed_parts(&req.prompt).clamp(1, limit);
    let schema = OutputSchema {
        name: "decomposition".into(),
        schema: schema(parts, limit),
    };
    let max_tokens =
        (TOKENS_PER_SUBTASK * limit as u32).clamp(MIN_ANSWER_TOKENS, MAX_ANSWER_TOKENS);
    let wanted = req.model.as_deref().or(svc.model.as_deref());
    let mut messages = vec![
        Message::new(Role::System, SYSTEM),
        Message::new(Role::User, request_text(req, parts, limit)),
    ];
    let (mut tokens_in, mut tokens_out) = (0, 0);
    let mut model = String::new();
    let mut last_error = String::new();
    for attempt in 1..=2 {
        let answer = call::chat(
            svc,
            wanted,
            messages.clone(),
            max_tokens,
            Some(schema.clone()),
        )
        .await?;
        tokens_in += answer.tokens_in;
        tokens_out += answer.tokens_out;
        model = answer.model.clone();
        let cut = matches!(answer.finish, crate::models::Finish::Length);
        let checked = parse::subtasks(&answer.content).and_then(|s| validate::validate(s, limit));
        match checked {
            Ok(subtasks) => {
                log.push(format!(
                    "attempt {attempt}: {} with {} subtask(s)",
                    answer.model,
                    subtasks.len()
                ));
                svc.metrics.decomposed(attempt - 1, false);
                return Ok(DecomposeResponse {
                    subtasks,
                    fallback: None,
                    log,
                    model,
                    tokens_in,
                    tokens_out,
                });
            }
            Err(e) => {
                let e = if cut {
                    format!(
                        "{e} (the answer was cut off at the output limit of {max_tokens} tokens)"
                    )
                } else {
                    e
                };
                log.push(format!(
                    "attempt {attempt}: {} answered an unusable decomposition: {e}",
                    answer.model
                ));
                if attempt == 1 {
                    log.push("asking again with the validation error".into());
                    messages.push(Message::new(Role::Assistant, answer.content));
                    messages.push(Message::new(
                        Role::User,
                        format!(
                            "That answer cannot be used: {e}. Answer again with the corrected \
                             JSON object only."
                        ),
                    ));
                }
                last_error = e;
            }
        }
    }
    svc.metrics.decomposed(1, true);
    let why = format!("the model's decomposition was unusable twice; the last error: {last_error}");
    log.push(format!("falling back to one subtask: {why}"));
    Ok(DecomposeResponse {
        subtasks: vec![whole(req)],
        fallback: Some(why),
        log,
        model,
        tokens_in,
        tokens_out,
    })
}

/// The request's limit of subtasks: its own (at most [`MAX_SUBTASKS_LIMIT`]) or the default.
fn limit(req: &DecomposeRequest) -> Result<usize, ApiError> {
    match req.max_subtasks {
        Some(0) => Err(ApiError::bad_request(
            "max_subtasks is 0: ask for at least 1 (1 keeps the request whole)",
        )),
        Some(n) => Ok(n.min(MAX_SUBTASKS_LIMIT) as usize),
        None => Ok(DEFAULT_MAX_SUBTASKS as usize),
    }
}

/// The request as one subtask: the fallback, and what `decompose: never` means.
pub fn whole(req: &DecomposeRequest) -> Subtask {
    Subtask {
        id: "s1".into(),
        title: validate::first_line(&req.prompt),
        prompt: req.prompt.clone(),
        language: req.language.clone(),
        files: req.files.clone(),
        depends_on: Vec::new(),
        check: req.check.clone(),
    }
}

/// Lines of the request that list a part of it (`1.`, `2)`, `-`, `*`): the fewest subtasks to
/// ask for.
pub fn listed_parts(prompt: &str) -> usize {
    prompt
        .lines()
        .map(str::trim_start)
        .filter(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let after = &line[digits..];
            (digits > 0 && (after.starts_with(". ") || after.starts_with(") ")))
                || line.starts_with("- ")
                || line.starts_with("* ")
        })
        .count()
}

fn request_text(req: &DecomposeRequest, parts: usize, limit: usize) -> String {
    let mut text = format!(
        "Request:\n{}\n\nLanguage: {}\n",
        req.prompt.trim(),
        req.language
    );
    if !req.files.is_empty() {
        text.push_str(&format!("Existing files: {}\n", req.files.join(", ")));
    }
    if let Some(check) = &req.check {
        text.push_str(&format!("All subtasks together must pass: {check}\n"));
    }
    if parts > 1 {
        text.push_str(&format!(
            "The request lists {parts} parts: give at least {parts} subtasks, one per part, at \
             most {limit}.\n"
        ));
    } else {
        text.push_str(&format!("Give between 1 and {limit} subtasks.\n"));
    }
    text
}

/// The JSON schema of an answer: between `min` and `max` subtasks of the wire's shape, ids
/// `s1`…`s<max>` each depending only on lower ones, the language one of [`LANGUAGES`]. Strings and lists are
/// bounded: a small model under a grammar otherwise writes one string or list until the output
/// limit, and the answer is cut off. (The validator still checks everything: a server may ignore
/// the schema.)
pub fn schema(min: usize, max: usize) -> Value {
    let list = if min >= 2 {
        // A request that lists its parts: one subtask per part, ids fixed by position.
        let items: Vec<Value> = (1..=min).map(subtask_schema).collect();
        json!({"type": "array", "prefixItems": items, "minItems": min, "maxItems": min})
    } else {
        let items: Vec<Value> = (1..=max).map(subtask_schema).collect();
        json!({"type": "array", "minItems": min, "maxItems": max, "items": {"anyOf": items}})
    };
    json!({
        "type": "object",
        "properties": {
            "subtasks": list,
        },
        "required": ["subtasks"],
        "additionalProperties": false,
    })
}

/// Subtask `s<n>`: it may depend only on `s1`…`s<n-1>`, so the grammar cannot write a cycle.
fn subtask_schema(n: usize) -> Value {
    let earlier: Vec<String> = (1..n).map(|k| format!("s{k}")).collect();
    let depends_on = if earlier.is_empty() {
        json!({"type": "array", "maxItems": 0})
    } else {
        json!({
            "type": "array",
            "maxItems": earlier.len().min(3),
            "items": {"type": "string", "enum": earlier},
        })
    };
    json!({
        "type": "object",
        "properties": {
            "id": {"type": "string", "enum": [format!("s{n}")]},
            "title": {"type": "string", "minLength": 1, "maxLength": 30},
            "prompt": {"type": "string", "minLength": 1, "maxLength": 160},
            "language": {"type": "string", "enum": LANGUAGES},
            "files": {
                "type": "array",
                "maxItems": 2,
                "items": {"type": "string", "minLength": 1, "maxLength": 40},
            },
            "depends_on": depends_on,
            "check": {"type": ["string", "null"], "maxLength": 80},
        },
        "required": ["id", "title", "prompt", "language", "files", "depends_on", "check"],
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_parts_count_numbered_and_bulleted_lines() {
        assert_eq!(listed_parts("write a parser"), 0);
        assert_eq!(listed_parts("Do:\n1. a parser\n2. a printer\n3) tests"), 3);
        assert_eq!(listed_parts("- one\n* two\n-three"), 2);
        assert_eq!(listed_parts("version 1.2 is out"), 0);
    }

    #[test]
    fn the_schema_bounds_the_list() {
        let s = schema(1, 5);
        let list = &s["properties"]["subtasks"];
        assert_eq!(list["minItems"], 1);
        assert_eq!(list["maxItems"], 5);
        let items = list["items"]["anyOf"]
            .as_array()
            .expect("one schema per id");
        assert_eq!(items.len(), 5);
        assert_eq!(items[0]["properties"]["depends_on"]["maxItems"], 0);
        assert_eq!(items[2]["properties"]["id"]["enum"], json!(["s3"]));
        assert_eq!(
            items[2]["properties"]["depends_on"]["items"]["enum"],
            json!(["s1", "s2"])
        );
        assert!(
            items[0]["properties"]["language"]["enum"]
                .as_array()
                .is_some_and(|l| l.iter().any(|v| v == "python"))
        );
        // Listed parts: exactly one subtask per part, in order.
        let parts = schema(3, 5);
        let tuple = parts["properties"]["subtasks"]["prefixItems"]
            .as_array()
            .expect("a tuple");
        assert_eq!(tuple.len(), 3);
        assert_eq!(tuple[1]["properties"]["id"]["enum"], json!(["s2"]));
    }

    #[test]
    fn the_limit_is_capped_and_zero_is_refused() {
        let mut req = DecomposeRequest {
            prompt: "p".into(),
            language: "python".into(),
            files: vec![],
            check: None,
            max_subtasks: Some(1000),
            model: None,
        };
        assert_eq!(limit(&req).expect("capped"), MAX_SUBTASKS_LIMIT as usize);
        req.max_subtasks = None;
        assert_eq!(limit(&req).expect("default"), DEFAULT_MAX_SUBTASKS as usize);
        req.max_subtasks = Some(0);
        assert!(limit(&req).is_err());
    }
}
