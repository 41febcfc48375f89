//! Server-Sent Events from the one event log: `/api/v1/events` for dashboards and
//! `/api/v1/tasks/{id}/stream` for one task's log lines and state changes.
//!
//! Streams read the durable log from the client's position, so a slow client only falls behind
//! (it never loses events), a new one gets a backlog, and `Last-Event-ID` resumes exactly.

use crate::api::{Event, Role};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::extract::{ApiPath, ApiQuery};
use crate::server::store::tasks;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{self, KeepAlive, Sse};
use axum::routing::get;
use futures_util::Stream;
use rusqlite::{Connection, params};
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::watch;

/// How many recent events a new dashboard subscriber gets before live ones.
const BACKLOG: i64 = 200;
const PAGE: i64 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events", get(all_events))
        .route("/api/v1/tasks/{id}/stream", get(task_stream))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventsQuery {
    /// Resume after this event id (the `Last-Event-ID` header wins when both are given).
    after: Option<i64>,
    #[serde(default)]
    include_logs: bool,
}

fn last_event_id(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    match headers.get("last-event-id") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map(Some)
            .ok_or_else(|| ApiError::bad_request("Last-Event-ID must be an event id (a number)")),
    }
}

async fn all_events(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<sse::Event, Infallible>>>, ApiError> {
    caller.require(Role::User)?;
    let latest = *app.store.signals().events.borrow();
    let after = match last_event_id(&headers)?.or(q.after) {
        Some(id) => id,
        None => (latest - BACKLOG).max(0),
    };
    Ok(sse_response(EventCursor::new(
        app,
        None,
        q.include_logs,
        after,
    )))
}

async fn task_stream(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<sse::Event, Infallible>>>, ApiError> {
    caller.require(Role::User)?;
    let id = app.store.read(move |c| tasks::resolve_id(c, &id)).await?;
    let after = last_event_id(&headers)?.or(q.after).unwrap_or(0);
    Ok(sse_response(EventCursor::new(app, Some(id), true, after)))
}

fn sse_response(cursor: EventCursor) -> Sse<impl Stream<Item = Result<sse::Event, Infallible>>> {
    let stream = futures_util::stream::unfold(cursor, |mut cursor| async move {
        let event = cursor.next().await?;
        let data = serde_json::to_string(&event).unwrap_or_else(|_| "{}".to_string());
        let sse_event = sse::Event::default()
            .id(event.id.to_string())
            .event(event.kind.clone())
            .data(data);
        Some((Ok(sse_event), cursor))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

struct EventCursor {
    app: AppState,
    task_id: Option<String>,
    include_logs: bool,
    last_id: i64,
    buffer: VecDeque<Event>,
    events: watch::Receiver<i64>,
    shutdown: watch::Receiver<bool>,
    done: bool,
}

fn is_terminal_kind(kind: &str) -> bool {
    matches!(
        kind,
        "task.succeeded" | "task.failed" | "task.cancelled" | "task.timed_out"
    )
}

impl EventCursor {
    fn new(app: AppState, task_id: Option<String>, include_logs: bool, after: i64) -> Self {
        let events = app.store.signals().events;
        let shutdown = app.shutdown.subscribe();
        EventCursor {
            app,
            task_id,
            include_logs,
            last_id: after,
            buffer: VecDeque::new(),
            events,
            shutdown,
            done: false,
        }
    }

    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.last_id = event.id;
                if self.task_id.is_some() && is_terminal_kind(&event.kind) {
                    self.done = true;
                }
                return Some(event);
            }
            if self.done || *self.shutdown.borrow() {
                return None;
            }
            self.events.borrow_and_update();
            let (task_id, include_logs, after) =
                (self.task_id.clone(), self.include_logs, self.last_id);
            let page = self
                .app
                .store
                .read(move |c| read_page(c, task_id.as_deref(), include_logs, after))
                .await;
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    tracing::warn!("event stream read failed: {e}");
                    return None;
                }
            };
            if page.events.is_empty() {
                if page.task_finished {
                    return None;
                }
                tokio::select! {
                    _ = self.events.changed() => {}
                    _ = self.shutdown.changed() => {}
                    _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                }
            }
            self.buffer.extend(page.events);
        }
    }
}

struct Page {
    events: Vec<Event>,
    /// For a task stream: the task has ended and every event of it was read.
    task_finished: bool,
}

fn read_page(
    c: &Connection,
    task_id: Option<&str>,
    include_logs: bool,
    after: i64,
) -> Result<Page, ApiError> {
    let map = |r: &rusqlite::Row<'_>| {
        let data: String = r.get(5)?;
        Ok(Event {
            id: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            task_id: r.get(3)?,
            node_id: r.get(4)?,
            data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
        })
    };
    let events: Vec<Event> = match task_id {
        Some(id) => c
            .prepare_cached(
                "SELECT id, at, kind, task_id, node_id, data FROM events \
                 WHERE task_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
            )?
            .query_map(params![id, after, PAGE], map)?
            .collect::<Result<_, _>>()?,
        None => c
            .prepare_cached(
                "SELECT id, at, kind, task_id, node_id, data FROM events \
                 WHERE id > ?1 AND (?2 OR kind != 'task.log') ORDER BY id LIMIT ?3",
            )?
            .query_map(params![after, include_logs, PAGE], map)?
            .collect::<Result<_, _>>()?,
    };
    let task_finished = match (task_id, events.is_empty()) {
        (Some(id), true) => tasks::get(c, id)?.state.is_terminal(),
        _ => false,
    };
    Ok(Page {
        events,
        task_finished,
    })
}
