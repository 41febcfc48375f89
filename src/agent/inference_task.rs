//! A claimed inference task on this worker: answer an editor's chat request with the model it
//! names, and stream the answer into the task's stdout one [`InferenceLine`] per piece, uploaded
//! at once (the low-latency pace of `log_upload`), so the editor sees each token as the model
//! makes it. The completion reports the tokens the task is paid by.
//!
//! The model server is called as the IDE provider's local route calls it (`ide::local`), so the
//! editor's body reaches it as written (tools, response format, stop…) and the answer comes
//! back as the same pieces on either route.
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
use crate::ide::local::Local;
use crate::ide::{ChatCall, Piece, UpstreamError, Usage};
use futures_util::StreamExt;
use std::time::{Duration, Instant};

/// How often a running model call looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(20);
/// The node's own limit is its task slots; this only sizes the per-call route.
const CALLS_AT_ONCE: usize = 1;

/// A whole answer.
struct Answer {
    model: String,
    finish_reason: Option<String>,
    usage: Usage,
}

/// How a model call ended.
enum Ended {
    Answered(Answer),
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
            let finish_reason = answer.finish_reason.unwrap_or_else(|| "stop".into());
            let (tokens_in, tokens_out) =
                (answer.usage.prompt_tokens, answer.usage.completion_tokens);
            send(&InferenceLine::Done {
                finish_reason: finish_reason.clone(),
                tokens_in,
                tokens_out,
                model: answer.model,
            });
            CompleteRequest {
                outcome: Outcome::Succeeded,
                exit_code: Some(0),
                error: None,
                duration_ms: Some(started.elapsed().as_millis() as u64),
                inference: Some(InferenceUsage {
                    tokens_in,
                    tokens_out,
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
    tokio::select! {
        answer = answer(job, spec, send) => match answer {
            Ok(answer) => Ended::Answered(answer),
            Err(e) => Ended::Failed(e.to_string()),
        },
        _ = stopped => Ended::Stopped,
        _ = tokio::time::sleep_until(deadline.into()) => Ended::TimedOut,
    }
}

/// Streams the answer of the node's model server, reached as the IDE provider's local route
/// reaches it (`ide::local`: an OpenAI-compatible server gets the body as written, Ollama a
/// translation), so `tools`, `response_format`… work the same through the swarm.
async fn answer(
    job: &TaskRun,
    spec: &InferenceSpec,
    send: &(dyn Fn(&InferenceLine) + Send + Sync),
) -> Result<Answer, UpstreamError> {
    let mut body = spec.request.as_object().cloned().unwrap_or_default();
    body.insert("model".into(), serde_json::json!(spec.model));
    let call = ChatCall::from_openai(serde_json::Value::Object(body))?;
    let local = Local::new(job.models.raw.clone(), CALLS_AT_ONCE, job.models.num_ctx());
    let mut opened = local.open(call, true).await?;
    let mut answer = Answer {
        model: opened.model.clone(),
        finish_reason: None,
        usage: Usage::default(),
    };
    while let Some(piece) = opened.pieces.next().await {
        match piece? {
            Piece::Text(text) => send(&InferenceLine::Delta { text }),
            Piece::ToolCalls(calls) => send(&InferenceLine::ToolCalls { calls }),
            Piece::Finish(reason) => answer.finish_reason = Some(reason),
            Piece::Usage(usage) => answer.usage = usage,
        }
    }
    Ok(answer)
}
