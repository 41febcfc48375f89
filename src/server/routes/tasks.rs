//! `/api/v1/tasks` and `/api/v1/queue`: submitting work and watching it.

use crate::api::{
    LogPage, QueueSummary, RequirementBacklog, Role, SubmitRequest, SubmitResponse, TaskInfo,
    TaskList, TaskState,
};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath, ApiQuery};
use crate::server::store::db::Db;
use crate::server::store::{blobs, git_sources, nodes, secrets, tasks, why_waiting};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::atomic::Ordering;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tasks", get(list).post(submit))
        .route("/api/v1/tasks/{id}", get(show))
        .route("/api/v1/tasks/{id}/cancel", post(cancel))
        .route("/api/v1/tasks/{id}/logs", get(logs))
        .route("/api/v1/queue", get(queue))
}

async fn submit(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<SubmitRequest>,
) -> Result<(StatusCode, Json<SubmitResponse>), ApiError> {
    let limits = app.settings.submit_limits;
    let by = caller.token_id.clone();
    let payer = crate::server::routes::credits::payer(&app, &caller);
    let mut req = req;
    let task_secrets = std::mem::take(&mut req.secrets);
    secrets::validate(&task_secrets, &req.env)?;
    let key = app.secrets_key.clone();
    let (task, created, fits) = app
        .store
        .write(move |ctx| {
            let source = req.source.clone();
            if let Some(source) = &source {
                blobs::check_source(ctx.conn, source)?;
                git_sources::check(source, &task_secrets)?;
            }
            let (mut task, created) = tasks::submit(ctx, req, &by, limits, &payer)?;
            if created {
                secrets::save(ctx.conn, &key, &task.id, &task_secrets)?;
                if let Some(crate::api::TaskSource::Blob { sha256, .. }) = &source {
                    blobs::refer(ctx, &task.id, sha256, blobs::SOURCE)?;
                }
                if let Some(source) = &source {
                    git_sources::save(ctx, &task.id, source)?;
                }
            }
            if let Some(source) = git_sources::source_of(ctx.conn, &task.id)? {
                task.source = Some(source);
            }
            let fits = why_waiting::quick_fit(ctx.conn, &task.requirements, task.placement)?;
            Ok((task, created, fits))
        })
        .await?;
    // Advisory, so read after the commit rather than on the writer's time.
    let warnings = if fits {
        Vec::new()
    } else {
        let (req, placement) = (task.requirements.clone(), task.placement);
        app.store
            .read(move |conn| why_waiting::submit_warnings(conn, &req, placement))
            .await?
    };
    let status = if created {
        app.metrics.tasks_submitted.fetch_add(1, Ordering::Relaxed);
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(SubmitResponse {
            task,
            created,
            warnings,
        }),
    ))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    state: Option<String>,
    node: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<TaskList>, ApiError> {
    let state = match q.state.as_deref() {
        None => None,
        Some(s) => Some(TaskState::parse(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown state {s:?}: use one of {}",
                TaskState::ALL.map(TaskState::as_str).join(", ")
            ))
        })?),
    };
    let before_seq =
        match q.cursor.as_deref() {
            None => None,
            Some(c) => Some(c.parse::<i64>().map_err(|_| {
                ApiError::bad_request("cursor must be a next_cursor from a listing")
            })?),
        };
    let (tasks, next) = app
        .store
        .read(move |c| {
            let node_id = q.node.map(|n| nodes::resolve_id(c, &n)).transpose()?;
            let filter = tasks::ListFilter {
                state,
                node_id,
                limit: q.limit.unwrap_or(50),
                before_seq,
                submitted_by: only_submitted_by(&caller),
            };
            tasks::list(c, &filter)
        })
        .await?;
    Ok(Json(TaskList {
        tasks,
        next_cursor: next.map(|s| s.to_string()),
    }))
}

async fn show(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TaskInfo>, ApiError> {
    let who = only_submitted_by(&caller);
    let task = app
        .store
        .read(move |c| {
            let id = tasks::resolve_visible_id(c, &id, who.as_deref())?;
            let mut task = tasks::get(c, &id)?;
            task.attempt_history = tasks::attempts(c, &id)?;
            task.code_result = crate::server::store::code_result::load(c, &id)?;
            if let Some(source) = git_sources::source_of(c, &id)? {
                task.source = Some(source);
            }
            if task.state == TaskState::Queued {
                task.waiting = Some(why_waiting::explain(c, &task.requirements, task.placement)?);
            }
            task.artifacts = crate::server::store::task_outputs::load(c, &id)?;
            Ok(task)
        })
        .await?;
    Ok(Json(task))
}

async fn cancel(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TaskInfo>, ApiError> {
    // A user reaches only its own tasks; an owner or an admin may cancel any.
    let who = only_submitted_by(&caller);
    let id = app
        .store
        .read(move |c| tasks::resolve_visible_id(c, &id, who.as_deref()))
        .await?;
    let task = app.store.write(move |ctx| tasks::cancel(ctx, &id)).await?;
    Ok(Json(task))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogsQuery {
    attempt: Option<u32>,
    offset: Option<u64>,
    limit: Option<u32>,
}

async fn logs(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<LogsQuery>,
) -> Result<Json<LogPage>, ApiError> {
    let who = only_submitted_by(&caller);
    let page = app
        .store
        .read(move |c| {
            let id = tasks::resolve_visible_id(c, &id, who.as_deref())?;
            tasks::logs(
                c,
                &id,
                q.attempt,
                q.offset.unwrap_or(0),
                q.limit.unwrap_or(1000),
            )
        })
        .await?;
    Ok(Json(page))
}

/// Whose tasks the caller may see: `None` for everyone's (an owner or an admin), else the
/// caller's own. A user's credits account is `user:<its token id>` (`ledger::account_of`), so
/// "submitted by this token" and "paid by its account" are the same set of tasks.
pub fn only_submitted_by(caller: &Caller) -> Option<String> {
    if caller.has(Role::Owner) {
        None
    } else {
        Some(caller.token_id.clone())
    }
}

async fn queue(State(app): State<AppState>, _: Caller) -> Result<Json<QueueSummary>, ApiError> {
    Ok(Json(app.store.read(queue_summary).await?))
}

pub fn queue_summary(c: &Db) -> Result<QueueSummary, ApiError> {
    let counts = tasks::counts_by_state(c)?;
    let oldest: Option<i64> = c.query_row(
        "SELECT MIN(created_at) FROM tasks WHERE state = 'queued'",
        [],
        |r| r.get(0),
    )?;
    let mut stmt = c.prepare_cached(
        "SELECT requirements, COUNT(*) FROM tasks WHERE state = 'queued' \
         GROUP BY requirements ORDER BY COUNT(*) DESC LIMIT 20",
    )?;
    let backlog = stmt
        .query_map([], |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|(req, n)| {
            Ok(RequirementBacklog {
                requirements: serde_json::from_str(&req)?,
                queued: n as u64,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let (online, pending) = nodes::counts(c)?;
    Ok(QueueSummary {
        counts,
        oldest_queued_age_ms: oldest.map(|t| crate::api::now_ms() - t),
        backlog,
        nodes_online: online,
        nodes_pending: pending,
    })
}
