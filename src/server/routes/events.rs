//! Server-Sent Events from the one event log: `/api/v1/events` for dashboards and
//! `/api/v1/tasks/{id}/stream` for one task's log lines and state changes.
//!
//! Streams read the durable log from the client's position, so a slow client only falls behind
//! (it never loses events), a new one gets a backlog, and `Last-Event-ID` resumes exactly.

use crate::api::Event;
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::extract::{ApiPath, ApiQuery};
use crate::server::store::db::{self, Db, params};
use crate::server::store::{jobs, tasks, tokens};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{self, KeepAlive, Sse};
use axum::routing::get;
use futures_util::Stream;
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How many recent events a new dashboard subscriber gets before live ones.
const BACKLOG: i64 = 200;
const PAGE: i64 = 500;
/// The all-events stream scans at most this many event ids per read and moves past what it
/// scanned, so the events it filters out (another user's, or logs) are never read twice.
const SCAN_WINDOW: i64 = 5000;
/// How often an open stream re-checks its token, so a revoked or expired one loses its streams
/// within about this long (the client sees the stream end, and a reconnect is refused).
const TOKEN_RECHECK: Duration = Duration::from_secs(2);

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
    /// Only this job's events and those of its tasks (`/api/v1/events` only); the stream ends
    /// once the job has ended and every event of it was sent.
    job: Option<String>,
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
    let latest = *app.store.signals().events.borrow();
    let resume = last_event_id(&headers)?.or(q.after);
    let job = match q.job {
        None => None,
        Some(job) => {
            let who = super::tasks::only_submitted_by(&caller);
            Some(
                app.store
                    .read(move |c| {
                        let id = jobs::resolve_visible_id(c, &job, who.as_deref())?;
                        // A new follower of a job gets all of it, from its first event.
                        let first: i64 = c
                            .prepare_cached(
                                "SELECT COALESCE(MIN(id), 1) - 1 FROM events WHERE job_id = ?1",
                            )?
                            .query_row([&id], |r| r.get(0))?;
                        Ok((id, first))
                    })
                    .await?,
            )
        }
    };
    let after = match (resume, &job) {
        (Some(id), _) => id,
        (None, Some((_, first))) => *first,
        (None, None) => (latest - BACKLOG).max(0),
    };
    let mut cursor = EventCursor::new(app, caller, None, q.include_logs, after);
    cursor.job_id = job.map(|(id, _)| id);
    Ok(sse_response(cursor))
}

async fn task_stream(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<sse::Event, Infallible>>>, ApiError> {
    if q.job.is_some() {
        return Err(ApiError::bad_request(
            "job= filters /api/v1/events only: a task's stream is that task's already",
        ));
    }
    let who = super::tasks::only_submitted_by(&caller);
    let id = app
        .store
        .read(move |c| tasks::resolve_visible_id(c, &id, who.as_deref()))
        .await?;
    let after = last_event_id(&headers)?.or(q.after).unwrap_or(0);
    Ok(sse_response(EventCursor::new(
        app,
        caller,
        Some(id),
        true,
        after,
    )))
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
    /// Whose token keeps this stream open (re-checked every [`TOKEN_RECHECK`]).
    caller: Caller,
    token_checked_at: Instant,
    /// `Some(token id)`: only events of tasks that token submitted (a `user` caller).
    only_submitted_by: Option<String>,
    task_id: Option<String>,
    /// Only this job's events and its tasks' (the `job=` filter).
    job_id: Option<String>,
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
    fn new(
        app: AppState,
        caller: Caller,
        task_id: Option<String>,
        include_logs: bool,
        after: i64,
    ) -> Self {
        let events = app.store.signals().events;
        let shutdown = app.shutdown.subscribe();
        EventCursor {
            app,
            only_submitted_by: super::tasks::only_submitted_by(&caller),
            caller,
            token_checked_at: Instant::now(),
            task_id,
            job_id: None,
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
                if self.job_id.is_some() && event.kind == "job.finished" {
                    self.done = true;
                }
                return Some(event);
            }
            if self.done || *self.shutdown.borrow() {
                return None;
            }
            if self.token_checked_at.elapsed() >= TOKEN_RECHECK {
                if !self.token_still_valid().await {
                    return None;
                }
                self.token_checked_at = Instant::now();
            }
            self.events.borrow_and_update();
            let query = PageQuery {
                task_id: self.task_id.clone(),
                job_id: self.job_id.clone(),
                only_submitted_by: self.only_submitted_by.clone(),
                include_logs: self.include_logs,
                after: self.last_id,
            };
            let page = self.app.store.read(move |c| read_page(c, &query)).await;
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
                if page.scanned_to > self.last_id {
                    // Nothing wanted in that window: skip it, and look at the next one at once.
                    self.last_id = page.scanned_to;
                    continue;
                }
                tokio::select! {
                    _ = self.events.changed() => {}
                    _ = self.shutdown.changed() => {}
                    _ = tokio::time::sleep(TOKEN_RECHECK) => {}
                }
            }
            self.buffer.extend(page.events);
        }
    }
}

impl EventCursor {
    /// False once the stream's token is revoked, expired or gone: the stream then ends, and the
    /// client's reconnect is refused with 401 by the usual token check.
    async fn token_still_valid(&self) -> bool {
        let token_id = self.caller.token_id.clone();
        let info = self
            .app
            .store
            .read(move |c| tokens::get(c, &token_id))
            .await;
        match info {
            Ok(info) => {
                let expired = info.expires_at.is_some_and(|t| t <= crate::api::now_ms());
                if info.revoked_at.is_some() || expired {
                    tracing::info!(
                        token = %self.caller.token_id,
                        "ending an event stream: its token was revoked or expired"
                    );
                    return false;
                }
                true
            }
            Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => false,
            // A failed read is not a revocation: keep the stream, check again next time.
            Err(_) => true,
        }
    }
}

/// What one page of a stream reads.
struct PageQuery {
    task_id: Option<String>,
    job_id: Option<String>,
    only_submitted_by: Option<String>,
    include_logs: bool,
    after: i64,
}

struct Page {
    events: Vec<Event>,
    /// For a task stream: the task has ended and every event of it was read.
    task_finished: bool,
    /// Every event id up to here was looked at (0 for a task stream, which reads by index).
    scanned_to: i64,
}

fn read_page(c: &Db, q: &PageQuery) -> Result<Page, ApiError> {
    let (task_id, after) = (q.task_id.as_deref(), q.after);
    let map = |r: &db::Row<'_>| {
        let data: String = r.get(5)?;
        let mut data = serde_json::from_str(&data).unwrap_or(serde_json::Value::Null);
        // A `task.log` event points at its chunk; the text lives once, in task_logs.
        if let (Some(text), Some(fields)) = (r.get::<Option<String>>(6)?, data.as_object_mut()) {
            fields.insert("data".into(), serde_json::Value::String(text));
        }
        Ok(Event {
            id: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            task_id: r.get(3)?,
            node_id: r.get(4)?,
            data,
        })
    };
    // Only ids already committed: the single writer commits in id order, so every id up to the
    // newest one visible now is final, and a window never ends past an event still to come.
    let newest: i64 = c
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM events")?
        .query_row([], |r| r.get(0))?;
    let upto = newest.min(after.saturating_add(SCAN_WINDOW));
    let events: Vec<Event> = match task_id {
        Some(id) => c
            .prepare_cached(
                "SELECT e.id, e.at, e.kind, e.task_id, e.node_id, e.data, l.data \
                 FROM events e LEFT JOIN task_logs l ON e.kind = 'task.log' \
                 AND l.task_id = e.task_id AND l.attempt = CAST(e.data ->> '$.attempt' AS INTEGER) \
                 AND l.\"offset\" = CAST(e.data ->> '$.offset' AS INTEGER) \
                 WHERE e.task_id = ?1 AND e.id > ?2 ORDER BY e.id LIMIT ?3",
            )?
            .query_map(params![id, after, PAGE], map)?
            .collect::<Result<_, _>>()?,
        None => c
            .prepare_cached(
                "SELECT e.id, e.at, e.kind, e.task_id, e.node_id, e.data, l.data \
                 FROM events e LEFT JOIN task_logs l ON e.kind = 'task.log' \
                 AND l.task_id = e.task_id AND l.attempt = CAST(e.data ->> '$.attempt' AS INTEGER) \
                 AND l.\"offset\" = CAST(e.data ->> '$.offset' AS INTEGER) \
                 WHERE e.id > ?1 AND e.id <= ?5 AND (?2 OR e.kind != 'task.log') \
                 AND (CAST(?4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM tasks t \
                      WHERE t.id = e.task_id AND t.submitted_by = ?4) \
                      OR EXISTS (SELECT 1 FROM jobs j \
                      WHERE j.id = e.job_id AND j.submitted_by = ?4)) \
                 AND (CAST(?6 AS TEXT) IS NULL OR e.job_id = ?6 OR e.task_id IN \
                      (SELECT jt.task_id FROM job_tasks jt WHERE jt.job_id = ?6)) \
                 ORDER BY e.id LIMIT ?3",
            )?
            .query_map(
                params![
                    after,
                    q.include_logs,
                    PAGE,
                    q.only_submitted_by,
                    upto,
                    q.job_id
                ],
                map,
            )?
            .collect::<Result<_, _>>()?,
    };
    let task_finished = match (task_id, q.job_id.as_deref(), events.is_empty()) {
        (Some(id), _, true) => tasks::get(c, id)?.state.is_terminal(),
        // Every id up to `upto` was read: a job that has ended has nothing more to say.
        (None, Some(job), true) if upto >= newest => jobs::get_row(c, job)?.state.is_final(),
        _ => false,
    };
    let scanned_to = match task_id {
        None if (events.len() as i64) < PAGE => upto,
        _ => 0,
    };
    Ok(Page {
        events,
        task_finished,
        scanned_to,
    })
}
