//! A claimed inference task on this worker: answer an editor's chat request with the model it
//! names, and stream the answer into the task's stdout one [`InferenceLine`] per piece, uploaded
//! at once (the low-latency pace of `log_upload`), so the editor sees each token as the model
//! makes it. The completion reports the tokens the task is paid by.
//!
//! A cancel (from the heartbeat's cancel list or a log upload's answer) drops the model call at
//! once: the HTTP request to the model server is closed, which stops the generation there too.

use super::log_upload::Pace;
use super::sandbox::StreamKind;
use super::task::{
    REASON_LEASE_LOST, REASON_NONE, REASON_SHUTDOWN, TaskRun, failure, report_result,
    start_log_upload_paced,
};
use crate::api::{CompleteRequest, InferenceLine, InferenceSpec, InferenceUsage, Outcome};
use crate::models::{
    ChatAnswer, ChatRequest, Finish, Message, ModelBackend, ModelError, Role, Sampling,
};
use std::time::{Duration, Instant};

/// How often a running model call looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(20);

/// How a model call ended.
enum Ended {
    Answered(ChatAnswer),
    Failed(String),
    Stopped,
    TimedOut,
}

/// What the task ended with, for the worker's log.
pub async fn run(job: &TaskRun, spec: &InferenceSpec, lease_id: &str) -> Outcome {
    let task = &job.claimed.task;
    let started = Instant::now();
    let (tx, uploader, _masker) = start_log_upload_paced(job, lease_id, Pace::LowLatency);
    let send = move |line: &InferenceLine| {
        let _ = tx.send((StreamKind::Stdout, line.to_line().into_bytes()));
    };
    let ended = call(job, spec, &send).await;
    let complete = match ended {
        Ended::Answered(answer) => {
            let finish_reason = match &answer.finish {
                Finish::Stop => "stop".to_string(),
                Finish::Length => "length".to_string(),
                Finish::Other(o) => o.clone(),
            };
            send(&InferenceLine::Done {
                finish_reason: finish_reason.clone(),
                tokens_in: answer.tokens_in,
                tokens_out: answer.tokens_out,
                model: answer.model.clone(),
            });
            CompleteRequest {
                outcome: Outcome::Succeeded,
                exit_code: Some(0),
                error: None,
                duration_ms: Some(started.elapsed().as_millis() as u64),
                inference: Some(InferenceUsage {
                    tokens_in: answer.tokens_in,
                    tokens_out: answer.tokens_out,
                    finish_reason: Some(finish_reason),
                }),
                ..failure(lease_id, String::new())
            }
        }
        Ended::Failed(message) => {
            send(&InferenceLine::Error {
                message: message.clone(),
            });
            CompleteRequest {
                permanent: true,
                ..failure(lease_id, message)
            }
        }
        Ended::TimedOut => {
            let message = format!(
                "the model did not finish within the task's {}s",
                task.timeout_secs
            );
            send(&InferenceLine::Error {
                message: message.clone(),
            });
            CompleteRequest {
                outcome: Outcome::TimedOut,
                ..failure(lease_id, message)
            }
        }
        Ended::Stopped if job.stop.reason() == REASON_SHUTDOWN => failure(
            lease_id,
            "the agent shut down while the model answered".into(),
        ),
        Ended::Stopped => CompleteRequest {
            outcome: Outcome::Cancelled,
            ..failure(lease_id, "cancelled while the model answered".into())
        },
    };
    // `send` held the channel's sender: dropping it lets the uploader drain the last lines.
    drop(send);
    let _ = uploader.await;
    let outcome = complete.outcome;
    if job.stop.reason() == REASON_LEASE_LOST {
        tracing::info!(task = %task.id, "lease lost; not reporting a result");
    } else {
        report_result(&job.client, &task.id, &complete).await;
    }
    outcome
}

/// The model call, raced against the stop flag and the task's time.
async fn call(
    job: &TaskRun,
    spec: &InferenceSpec,
    send: &(dyn Fn(&InferenceLine) + Send + Sync),
) -> Ended {
    let deadline = Instant::now() + Duration::from_secs(job.claimed.task.timeout_secs.max(1));
    let stop = job.stop.clone();
    let stopped = async move {
        while stop.reason() == REASON_NONE && !stop.flag.is_cancelled() {
            tokio::time::sleep(STOP_POLL).await;
        }
    };
    let work = async {
        let chosen = job.models.choose(Some(&spec.model)).await?;
        let request = chat_request(spec, &chosen.model, job.models.num_ctx())?;
        let on_text = |piece: &str| {
            send(&InferenceLine::Delta {
                text: piece.to_string(),
            })
        };
        chosen.backend.chat(&request, &on_text).await
    };
    tokio::select! {
        answer = work => match answer {
            Ok(answer) => Ended::Answered(answer),
            Err(e) => Ended::Failed(e.to_string()),
        },
        _ = stopped => Ended::Stopped,
        _ = tokio::time::sleep_until(deadline.into()) => Ended::TimedOut,
    }
}

/// The chat call an OpenAI chat-completions body asks for: its messages (text content, or the
/// text parts of an array), its output limit, temperature and seed.
fn chat_request(
    spec: &InferenceSpec,
    model: &str,
    num_ctx: u32,
) -> Result<ChatRequest, ModelError> {
    let body = &spec.request;
    let messages = body
        .get("messages")
        .and_then(|m| m.as_array())
        .ok_or_else(|| ModelError::Garbage("the request has no messages".into()))?
        .iter()
        .map(|m| {
            let role = match m.get("role").and_then(|r| r.as_str()) {
                Some("system") | Some("developer") => Role::System,
                Some("assistant") => Role::Assistant,
                _ => Role::User,
            };
            Message::new(role, text_of(m.get("content")))
        })
        .collect();
    let defaults = Sampling::default();
    Ok(ChatRequest {
        model: model.to_string(),
        messages,
        sampling: Sampling {
            temperature: body
                .get("temperature")
                .and_then(|t| t.as_f64())
                .map_or(defaults.temperature, |t| t as f32),
            seed: body
                .get("seed")
                .and_then(|s| s.as_u64())
                .unwrap_or(defaults.seed),
            max_tokens: u32::try_from(spec.max_tokens()).unwrap_or(u32::MAX),
            num_ctx,
        },
    })
}

/// A message's text: a string, or the `text` of each part of an array.
fn text_of(content: Option<&serde_json::Value>) -> String {
    match content {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(|t| t.as_str()))
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_openai_body_becomes_a_chat_call() {
        let spec = InferenceSpec {
            model: "m".into(),
            request: serde_json::json!({
                "messages": [
                    {"role": "developer", "content": "be brief"},
                    {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
                ],
                "max_tokens": 7, "temperature": 0.5, "seed": 3,
            }),
        };
        let r = chat_request(&spec, "m:latest", 4096).expect("request");
        assert_eq!(r.model, "m:latest");
        assert_eq!(r.messages[0], Message::new(Role::System, "be brief"));
        assert_eq!(r.messages[1], Message::new(Role::User, "ab"));
        assert_eq!(r.sampling.max_tokens, 7);
        assert_eq!(r.sampling.seed, 3);
        assert_eq!(r.sampling.temperature, 0.5);
    }
}
