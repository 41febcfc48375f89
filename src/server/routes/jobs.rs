//! `/api/v1/jobs`: submitting a coding request to be decomposed, run across the swarm and
//! aggregated, and watching it. Who may see a job is who may see a task: its submitter, an owner
//! or an admin; anyone else gets the 404 of a job that does not exist.

use crate::api::{JobInfo, JobList, JobSubmitRequest, JobSubmitResponse};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath, ApiQuery};
use crate::server::store::{blobs, jobs};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/jobs", get(list).post(submit))
        .route("/api/v1/jobs/{id}", get(show))
        .route("/api/v1/jobs/{id}/cancel", post(cancel))
}

async fn submit(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<JobSubmitRequest>,
) -> Result<(StatusCode, Json<JobSubmitResponse>), ApiError> {
    let limits = app.settings.submit_limits;
    let by = caller.token_id.clone();
    let payer = crate::server::routes::credits::payer(&app, &caller);
    let (job, created) = app
        .store
        .write(move |ctx| {
            if let Some(source) = &req.source {
                blobs::check_source(ctx.conn, source)?;
            }
            let (id, created) = jobs::insert(ctx, req, &by, &limits, &payer)?;
            Ok((jobs::get(ctx.conn, &id)?, created))
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(JobSubmitResponse { job, created })))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Only jobs in this state.
    state: Option<String>,
    /// At most this many (newest first); 50 when absent.
    limit: Option<u32>,
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<JobList>, ApiError> {
    let state = match q.state.as_deref() {
        None => None,
        Some(s) => Some(jobs::parse_state(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown state {s:?}: use one of {}",
                jobs::ALL_STATES.map(|s| s.as_str()).join(", ")
            ))
        })?),
    };
    let who = super::tasks::only_submitted_by(&caller);
    let limit = q.limit.unwrap_or(50);
    let jobs = app
        .store
        .read(move |c| jobs::list(c, state, limit, who.as_deref()))
        .await?;
    Ok(Json(JobList { jobs }))
}

async fn show(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<JobInfo>, ApiError> {
    let who = super::tasks::only_submitted_by(&caller);
    let job = app
        .store
        .read(move |c| {
            let id = jobs::resolve_visible_id(c, &id, who.as_deref())?;
            jobs::get(c, &id)
        })
        .await?;
    Ok(Json(job))
}

async fn cancel(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<JobInfo>, ApiError> {
    let who = super::tasks::only_submitted_by(&caller);
    let id = app
        .store
        .read(move |c| jobs::resolve_visible_id(c, &id, who.as_deref()))
        .await?;
    let job = app
        .store
        .write(move |ctx| {
            crate::server::jobs::cancel(ctx, &id)?;
            jobs::get(ctx.conn, &id)
        })
        .await?;
    Ok(Json(job))
}
