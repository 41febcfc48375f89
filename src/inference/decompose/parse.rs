//! Reading a decomposition out of a model's answer. A schema-constrained answer is bare JSON, but
//! a server that ignores the schema, or a model that talks anyway, wraps it in prose or a code
//! fence: the first JSON value in the text is the answer.

use crate::api::Subtask;
use serde_json::Value;

/// How many places a JSON value may start before the text counts as having none.
const MAX_STARTS: usize = 64;

/// The first complete JSON object or array in `text`.
pub fn first_json(text: &str) -> Option<Value> {
    text.char_indices()
        .filter(|(_, c)| *c == '{' || *c == '[')
        .take(MAX_STARTS)
        .find_map(|(at, _)| {
            let mut values = serde_json::Deserializer::from_str(&text[at..]).into_iter::<Value>();
            values.next().and_then(Result::ok)
        })
}

/// The subtasks of an answer: `{"subtasks": [...]}` or a bare array of them.
pub fn subtasks(text: &str) -> Result<Vec<Subtask>, String> {
    let value = first_json(text).ok_or_else(|| {
        format!(
            "the answer is not JSON (it starts {:?}): answer with one JSON object",
            text.chars().take(60).collect::<String>()
        )
    })?;
    let list = match value {
        Value::Object(mut map) => map.remove("subtasks").ok_or_else(|| {
            "the JSON object has no \"subtasks\" array: answer {\"subtasks\": [...]}".to_string()
        })?,
        list @ Value::Array(_) => list,
        _ => return Err("the answer is not a JSON object".into()),
    };
    serde_json::from_value(list)
        .map_err(|e| format!("the subtasks do not have the expected fields and types: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"subtasks":[{"id":"s1","title":"t","prompt":"p","language":"python","files":[],"depends_on":[]}]}"#;

    #[test]
    fn bare_fenced_and_prose_wrapped_answers_parse() {
        assert_eq!(subtasks(ONE).expect("bare").len(), 1);
        let fenced = format!("Here is the plan:\n```json\n{ONE}\n```\nDone.");
        assert_eq!(subtasks(&fenced).expect("fenced")[0].id, "s1");
        let array = r#"Sure! [{"id":"a","title":"t","prompt":"p","language":"go"}] ok"#;
        assert_eq!(subtasks(array).expect("array")[0].language, "go");
    }

    #[test]
    fn a_broken_brace_before_the_answer_is_skipped() {
        let text = format!("use {{curly}} braces: {ONE}");
        assert_eq!(subtasks(&text).expect("second start").len(), 1);
    }

    #[test]
    fn garbage_and_wrong_shapes_say_what_is_wrong() {
        assert!(subtasks("no json here").unwrap_err().contains("not JSON"));
        assert!(
            subtasks(r#"{"tasks": []}"#)
                .unwrap_err()
                .contains("no \"subtasks\"")
        );
        let err = subtasks(r#"{"subtasks": [{"id": 3}]}"#).unwrap_err();
        assert!(err.contains("expected fields"), "{err}");
    }
}
