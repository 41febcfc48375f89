//! Wire types of inference tasks: an editor's chat request served by one node's model and streamed
//! back through the coordinator (the IDE provider's swarm route).
//!
//! The answer travels in the task's stdout log, one JSON object per line ([`InferenceLine`]), so
//! it rides the existing log upload (by byte offset, idempotent) and the task stream (resumable
//! with `Last-Event-ID`) with no channel of its own. A log chunk may cut a line anywhere:
//! [`LineSplitter`] puts them back together on the reading side.

use serde::{Deserialize, Serialize};

/// Output tokens an inference task is held for when its request names no `max_tokens`.
pub const DEFAULT_INFERENCE_MAX_TOKENS: u64 = 2048;
/// The most output tokens an inference task may ask for.
pub const MAX_INFERENCE_TOKENS: u64 = 131_072;
/// Tokens the hold adds for the chat template around the messages.
pub const TEMPLATE_TOKENS: u64 = 256;

/// An inference task: `request` is an OpenAI chat-completions body, answered by `model` on the
/// node that claims the task. Offered only to nodes that advertise `model`; run once (a retry
/// would repeat text the client already has).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InferenceSpec {
    /// The exact model name a node advertises.
    pub model: String,
    /// An OpenAI chat-completions request body (`messages`, `max_tokens`, `temperature`…).
    pub request: serde_json::Value,
}

impl InferenceSpec {
    /// The output limit the request asks for (`max_completion_tokens` wins over `max_tokens`),
    /// or [`DEFAULT_INFERENCE_MAX_TOKENS`].
    pub fn max_tokens(&self) -> u64 {
        ["max_completion_tokens", "max_tokens"]
            .iter()
            .find_map(|k| self.request.get(*k).and_then(serde_json::Value::as_u64))
            .unwrap_or(DEFAULT_INFERENCE_MAX_TOKENS)
    }

    /// An upper bound of the tokens the task may use: every byte of the request as a token (no
    /// tokenizer makes more tokens than bytes of text), the template, and the output limit.
    pub fn token_bound(&self) -> u64 {
        let request_bytes = serde_json::to_vec(&self.request).map_or(0, |b| b.len() as u64);
        request_bytes
            .saturating_add(TEMPLATE_TOKENS)
            .saturating_add(self.max_tokens())
    }

    /// The first user message's first line, for listings.
    pub fn display(&self) -> String {
        let first = self
            .request
            .get("messages")
            .and_then(|m| m.as_array())
            .and_then(|m| m.last())
            .and_then(|m| m.get("content"))
            .and_then(|c| c.as_str())
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("");
        format!("inference ({}): {first}", self.model)
    }
}

/// What an inference task's node reports with its completion: the tokens it is paid for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InferenceUsage {
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// `stop`, `length`…, as the model server said; absent when the call did not finish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
}

/// One line of an inference task's stdout.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InferenceLine {
    /// The next piece of the answer's text.
    Delta { text: String },
    /// Tool-call deltas in OpenAI's streaming shape, passed on as the model server wrote them.
    ToolCalls { calls: Vec<serde_json::Value> },
    /// The answer is complete.
    Done {
        finish_reason: String,
        tokens_in: u64,
        tokens_out: u64,
        /// The model that answered, as its server names it.
        model: String,
    },
    /// The model call failed; the task fails with the same message.
    Error { message: String },
}

impl InferenceLine {
    /// The line as the node writes it, newline included.
    pub fn to_line(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string());
        s.push('\n');
        s
    }
}

/// Puts log chunks back into whole lines and reads each as an [`InferenceLine`].
#[derive(Debug, Default)]
pub struct LineSplitter {
    pending: String,
}

impl LineSplitter {
    /// The complete lines in `chunk` (with what was pending before it); a line that is not an
    /// inference line is an `Err` with the line, so the caller can say what came instead.
    pub fn push(&mut self, chunk: &str) -> Vec<Result<InferenceLine, String>> {
        self.pending.push_str(chunk);
        let mut out = Vec::new();
        while let Some(end) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=end).collect();
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            out.push(serde_json::from_str(line).map_err(|_| line.to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_cut_anywhere_come_back_whole() {
        let text = [
            InferenceLine::Delta { text: "Hé".into() },
            InferenceLine::Delta {
                text: "llo\n".into(),
            },
            InferenceLine::Done {
                finish_reason: "stop".into(),
                tokens_in: 3,
                tokens_out: 2,
                model: "m".into(),
            },
        ]
        .iter()
        .map(InferenceLine::to_line)
        .collect::<String>();
        for cut in 0..text.len() {
            if !text.is_char_boundary(cut) {
                continue;
            }
            let mut s = LineSplitter::default();
            let mut got = s.push(&text[..cut]);
            got.extend(s.push(&text[cut..]));
            assert_eq!(got.len(), 3, "cut at {cut}");
            assert!(got.iter().all(Result::is_ok));
        }
        let mut s = LineSplitter::default();
        assert_eq!(s.push("garbage\n"), vec![Err("garbage".to_string())]);
    }

    #[test]
    fn the_hold_bound_covers_the_request_and_the_output_limit() {
        let spec = InferenceSpec {
            model: "m".into(),
            request: serde_json::json!({"messages": [], "max_tokens": 100}),
        };
        assert_eq!(spec.max_tokens(), 100);
        let bytes = serde_json::to_vec(&spec.request).unwrap().len() as u64;
        assert_eq!(spec.token_bound(), bytes + TEMPLATE_TOKENS + 100);
        let default = InferenceSpec {
            model: "m".into(),
            request: serde_json::json!({}),
        };
        assert_eq!(default.max_tokens(), DEFAULT_INFERENCE_MAX_TOKENS);
    }
}
