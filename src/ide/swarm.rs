//! The swarm route: a call becomes an inference task on the coordinator (submitted with the
//! developer's own credentials, resolved as `edgecoder server …` resolves them), offered only to
//! nodes that advertise the model; its answer comes back through the task's event stream (the
//! one resuming follower, `api::follow`), one [`InferenceLine`] per piece.
//!
//! - The call is answered once a node holds the task, so the `X-Edgecoder-Route` header can name
//!   it (`swarm:<node id>`); a task nobody takes within [`CLAIM_WAIT`] is cancelled and the call
//!   refused (503).
//! - The client going away drops the stream, which cancels the task: the node stops its model.
//! - A node that dies mid-answer loses its lease after three missed heartbeats (15 s with the
//!   default 5 s interval); the coordinator fails the task (inference tasks run once) and the
//!   stream ends with an error piece instead of hanging.

use super::call::ChatCall;
use super::router::Route;
use super::upstream::{Opened, Piece, PieceStream, UpstreamError, Usage};
use crate::api::client::{Client, ClientError};
use crate::api::follow::{Follower, Update, is_auth_error};
use crate::api::{
    Event, InferenceLine, InferenceSpec, LineSplitter, ModelInfo, NodeState, SubmitRequest,
    TaskCommand,
};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long a call waits for a node to take its task.
pub const CLAIM_WAIT: Duration = Duration::from_secs(30);
/// How long the coordinator may be unreachable mid-answer before the call gives up.
const UNREACHABLE_GRACE: Duration = Duration::from_secs(20);
/// The task's time limit: the longest answer the swarm route waits for.
const TASK_TIMEOUT_SECS: u64 = 900;

/// The coordinator the swarm route uses.
#[derive(Debug, Clone, Default)]
pub struct Swarm {
    /// `None`: no coordinator; why, for the refusal.
    client: Option<Client>,
    why_none: String,
}

impl Swarm {
    /// No swarm: every call is refused with what to configure.
    pub fn none() -> Swarm {
        Swarm {
            client: None,
            why_none: "no coordinator configured for the swarm route: set COORDINATOR_URL and \
                       log in (`edgecoder login`), or use a local model \
                       (EDGECODER_IDE_ROUTE=local-only)"
                .into(),
        }
    }

    /// The swarm reached with this client (the developer's coordinator and token).
    pub fn with_client(client: Client) -> Swarm {
        Swarm {
            client: Some(client),
            why_none: String::new(),
        }
    }

    /// No swarm, for the reason given (a coordinator URL that does not parse…).
    pub fn unavailable(why: String) -> Swarm {
        Swarm {
            client: None,
            why_none: why,
        }
    }

    fn client(&self) -> Result<&Client, UpstreamError> {
        self.client
            .as_ref()
            .ok_or_else(|| UpstreamError::Unavailable(self.why_none.clone()))
    }

    /// The models the swarm's approved, online nodes advertise, each once; empty when the
    /// coordinator cannot be asked.
    pub async fn models(&self) -> Vec<ModelInfo> {
        match self.listed().await {
            Ok(models) => models,
            Err(e) => {
                tracing::debug!("the swarm's models could not be listed: {e}");
                Vec::new()
            }
        }
    }

    async fn listed(&self) -> Result<Vec<ModelInfo>, UpstreamError> {
        let client = self.client()?;
        let nodes = client.nodes().await.map_err(coordinator_error)?;
        let mut models: Vec<ModelInfo> = Vec::new();
        for node in nodes.nodes {
            if node.state != NodeState::Approved || !node.online || node.blacklisted {
                continue;
            }
            let caps = node.capabilities;
            let details = caps.model_details;
            for name in caps.models {
                if models.iter().any(|m| m.name == name) {
                    continue;
                }
                let info = details
                    .iter()
                    .find(|d| d.name == name)
                    .cloned()
                    .unwrap_or_else(|| ModelInfo {
                        name: name.clone(),
                        ..ModelInfo::default()
                    });
                models.push(info);
            }
        }
        Ok(models)
    }

    /// Submits the call as an inference task and answers once a node holds it.
    pub async fn open(&self, call: ChatCall) -> Result<Opened, UpstreamError> {
        let client = self.client()?.clone();
        let models = self.listed().await?;
        let Some(model) = crate::models::find_listed(&models, &call.model) else {
            return Err(UpstreamError::UnknownModel {
                model: call.model,
                available: models.into_iter().map(|m| m.name).collect(),
            });
        };
        let mut body = call.body;
        body.insert("model".into(), serde_json::json!(model));
        body.remove("stream");
        body.remove("stream_options");
        let mut req = SubmitRequest::argv(Vec::new());
        req.command = TaskCommand::Inference(Box::new(InferenceSpec {
            model: model.clone(),
            request: serde_json::Value::Object(body),
        }));
        req.timeout_secs = Some(TASK_TIMEOUT_SECS);
        req.name = Some("ide".into());
        let task = client.submit(&req).await.map_err(coordinator_error)?.task;
        let mut answer = Answer {
            follower: Follower::new(
                client.clone(),
                format!("/api/v1/tasks/{}/stream", task.id),
                None,
            ),
            cancel: CancelOnDrop {
                client,
                task_id: task.id,
                armed: true,
            },
            splitter: LineSplitter::default(),
            ready: VecDeque::new(),
            finished: false,
            ended: false,
            node: None,
        };
        let node = match tokio::time::timeout(CLAIM_WAIT, answer.until_held()).await {
            Ok(Ok(node)) => node,
            Ok(Err(e)) => return Err(e),
            Err(_) => {
                return Err(UpstreamError::Unavailable(format!(
                    "no node of the swarm took the request for {model} within {}s: the nodes \
                     that serve it are busy or offline",
                    CLAIM_WAIT.as_secs()
                )));
            }
        };
        Ok(Opened {
            route: Route::Swarm { node },
            model,
            pieces: pieces(answer),
        })
    }
}

/// A coordinator's refusal or absence, as the editor should see it.
fn coordinator_error(e: ClientError) -> UpstreamError {
    if is_auth_error(&e) {
        return UpstreamError::Unavailable(format!(
            "the coordinator refused this machine's token ({e}): run `edgecoder login`, or set \
             EDGECODER_TOKEN"
        ));
    }
    match e {
        ClientError::Api { status: 400, .. } | ClientError::Api { status: 413, .. } => {
            UpstreamError::BadRequest {
                message: format!("the coordinator refused the request: {e}"),
                param: None,
            }
        }
        ClientError::Api { status: 402, .. } => {
            UpstreamError::Unavailable(format!("the swarm route needs credits: {e}"))
        }
        e @ ClientError::Unreachable { .. } => UpstreamError::Unavailable(e.to_string()),
        e => UpstreamError::BadGateway(format!("the coordinator: {e}")),
    }
}

/// Cancels the task when the answer is dropped before it ended (the client went away).
struct CancelOnDrop {
    client: Client,
    task_id: String,
    armed: bool,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let client = self.client.clone();
        let id = std::mem::take(&mut self.task_id);
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                if let Err(e) = client.cancel(&id).await {
                    tracing::debug!(task = %id, "could not cancel the abandoned task: {e}");
                }
            });
        }
    }
}

/// An answer under way: the task's events, read into pieces.
struct Answer {
    follower: Follower,
    cancel: CancelOnDrop,
    splitter: LineSplitter,
    ready: VecDeque<Result<Piece, UpstreamError>>,
    /// A `done` line came: the answer is whole.
    finished: bool,
    ended: bool,
    /// The node holding the task, once one does.
    node: Option<String>,
}

impl Answer {
    /// Reads events until a node holds the task; its id.
    async fn until_held(&mut self) -> Result<String, UpstreamError> {
        loop {
            if let Some(node) = &self.node {
                return Ok(node.clone());
            }
            if self.ended {
                return Err(match self.ready.pop_front() {
                    Some(Err(e)) => e,
                    _ => UpstreamError::BadGateway(
                        "the swarm's task ended before a node took it".into(),
                    ),
                });
            }
            self.step().await;
        }
    }

    /// Reads the next update into `ready`, `node` or `ended`.
    async fn step(&mut self) {
        let down_since: Instant = match self.follower.next().await {
            Ok(Update::Event(event)) => return self.event(&event),
            Ok(Update::Up) | Ok(Update::Skipped(_)) => return,
            Ok(Update::Down(down)) => down.since,
            Err(e) => {
                return self.fail(UpstreamError::BadGateway(format!(
                    "the coordinator stopped the task's stream: {e}"
                )));
            }
        };
        if down_since.elapsed() > UNREACHABLE_GRACE {
            self.fail(UpstreamError::BadGateway(format!(
                "the coordinator has been unreachable for {}s mid-answer",
                UNREACHABLE_GRACE.as_secs()
            )));
        }
    }

    fn fail(&mut self, e: UpstreamError) {
        self.ready.push_back(Err(e));
        self.ended = true;
        // The task may still run: stop it.
        self.cancel.armed = true;
    }

    fn event(&mut self, event: &Event) {
        match event.kind.as_str() {
            "task.leased" | "task.started" if self.node.is_none() => {
                self.node = event.node_id.clone();
            }
            "task.log" if event.data["stream"].as_str() == Some("stdout") => {
                let text = event.data["data"].as_str().unwrap_or("");
                for line in self.splitter.push(text) {
                    self.line(line);
                }
            }
            "task.succeeded" | "task.failed" | "task.cancelled" | "task.timed_out" => {
                self.ended = true;
                self.cancel.armed = false;
                if !self.finished {
                    let why = event.data["error"]
                        .as_str()
                        .or_else(|| event.data["reason"].as_str())
                        .unwrap_or("no reason given");
                    let state = event.kind.trim_start_matches("task.");
                    self.ready.push_back(Err(UpstreamError::BadGateway(format!(
                        "the swarm's answer broke off: the task {state} on node {} ({why})",
                        self.node.as_deref().unwrap_or("?")
                    ))));
                }
            }
            _ => {}
        }
    }

    fn line(&mut self, line: Result<InferenceLine, String>) {
        if self.finished {
            return;
        }
        match line {
            Ok(InferenceLine::Delta { text }) => self.ready.push_back(Ok(Piece::Text(text))),
            Ok(InferenceLine::ToolCalls { calls }) => {
                self.ready.push_back(Ok(Piece::ToolCalls(calls)))
            }
            Ok(InferenceLine::Done {
                finish_reason,
                tokens_in,
                tokens_out,
                ..
            }) => {
                self.finished = true;
                self.cancel.armed = false;
                self.ready.push_back(Ok(Piece::Finish(finish_reason)));
                self.ready.push_back(Ok(Piece::Usage(Usage {
                    prompt_tokens: tokens_in,
                    completion_tokens: tokens_out,
                })));
            }
            Ok(InferenceLine::Error { message }) => {
                self.finished = true;
                self.ready.push_back(Err(UpstreamError::BadGateway(format!(
                    "the node's model failed: {message}"
                ))));
            }
            Err(other) => {
                self.finished = true;
                self.ready.push_back(Err(UpstreamError::BadGateway(format!(
                    "the node sent something that is not an answer: {}",
                    crate::api::clip_chars(&other, 80)
                ))));
            }
        }
    }
}

/// The pieces of the answer, in order; the stream ends after the finish (and usage) or an error.
fn pieces(answer: Answer) -> PieceStream {
    Box::pin(futures_util::stream::unfold(answer, |mut a| async move {
        loop {
            if let Some(next) = a.ready.pop_front() {
                let last = next.is_err();
                if last {
                    a.ready.clear();
                    a.finished = true;
                    a.ended = true;
                }
                return Some((next, a));
            }
            // Whole: nothing more is read (the task's own end comes after and changes nothing).
            if a.finished || a.ended {
                return None;
            }
            a.step().await;
        }
    }))
}
