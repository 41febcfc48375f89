//! `/api/v1/agent/*`: what an enrolled node calls, authenticated by its own credential.

use crate::api::{
    ClaimRequest, ClaimResponse, CompleteRequest, CompleteResponse, HeartbeatRequest,
    HeartbeatResponse, LeaseRef, LogUpload, LogUploadResponse, NodeInfo, ReleaseRequest,
    ReregisterRequest, TaskInfo,
};
use crate::server::AppState;
use crate::server::auth::NodeCaller;
use crate::server::error::ApiError;
use crate::server::extract::{ApiJson, ApiPath};
use crate::server::store::blacklist::canonical_address;
use crate::server::store::{leases, nodes, secrets};
use axum::extract::{ConnectInfo, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::time::Instant;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/agent/me", get(me))
        .route("/api/v1/agent/offline", post(offline))
        .route("/api/v1/agent/register", post(reregister))
        .route("/api/v1/agent/heartbeat", post(heartbeat))
        .route("/api/v1/agent/claim", post(claim))
        .route("/api/v1/agent/tasks/{id}/start", post(start))
        .route("/api/v1/agent/tasks/{id}/logs", post(upload_log))
        .route("/api/v1/agent/tasks/{id}/complete", post(complete))
        .route("/api/v1/agent/tasks/{id}/release", post(release))
}

/// The calling node as the coordinator sees it (for `edgecoder status`); changes nothing.
async fn me(State(app): State<AppState>, node: NodeCaller) -> Result<Json<NodeInfo>, ApiError> {
    let info = app
        .store
        .read(move |c| nodes::get(c, &node.node_id))
        .await?;
    Ok(Json(info))
}

/// The node says it is leaving (`agent --ephemeral` after its one task): offline at once rather
/// than when its heartbeats are missed. Its credential stays good: it may come back.
async fn offline(
    State(app): State<AppState>,
    node: NodeCaller,
) -> Result<Json<NodeInfo>, ApiError> {
    let id = node.node_id.clone();
    let info = app
        .store
        .write(move |ctx| nodes::go_offline(ctx, &id))
        .await?;
    Ok(Json(info))
}

async fn reregister(
    State(app): State<AppState>,
    node: NodeCaller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<ReregisterRequest>,
) -> Result<Json<NodeInfo>, ApiError> {
    app.control.check_peer(peer.ip())?;
    let id = node.node_id.clone();
    let info = app
        .store
        .write(move |ctx| {
            nodes::reregister(
                ctx,
                &id,
                req.name,
                req.labels,
                &req.capabilities,
                Some(canonical_address(peer.ip())),
            )
        })
        .await?;
    app.mark_known(&node.node_id);
    Ok(Json(info))
}

async fn heartbeat(
    State(app): State<AppState>,
    node: NodeCaller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<HeartbeatRequest>,
) -> Result<Json<HeartbeatResponse>, ApiError> {
    // A blacklisted address is refused here; a blacklisted node inside the write job.
    app.control.check_peer(peer.ip())?;
    let id = node.node_id.clone();
    let ttl = app.settings.intervals.lease_ttl_ms as i64;
    let outcome = app
        .store
        .write(move |ctx| {
            nodes::heartbeat(ctx, &id, req.load, &req.running, req.host.as_ref(), ttl)
        })
        .await?;
    Ok(Json(HeartbeatResponse {
        state: outcome.node.state,
        draining: outcome.node.draining,
        intervals: app.settings.intervals,
        cancel: outcome.cancel,
        reregister: !app.is_known(&node.node_id),
    }))
}

/// Long-polls for work: answers at once when an eligible task is queued, else waits for one up to
/// the claim wait, then answers with nothing.
async fn claim(
    State(app): State<AppState>,
    node: NodeCaller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<ClaimRequest>,
) -> Result<Json<ClaimResponse>, ApiError> {
    app.control.check_peer(peer.ip())?;
    let intervals = app.settings.intervals;
    let wait = req
        .wait_ms
        .unwrap_or(intervals.claim_wait_ms)
        .min(intervals.claim_wait_ms);
    let deadline = Instant::now() + Duration::from_millis(wait);
    let queue = app.store.signals().queue;
    let mut shutdown = app.shutdown.subscribe();
    loop {
        // Registered before looking, so work queued while this claim runs is not missed.
        let woken = queue.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let id = node.node_id.clone();
        // Read for each look, so a long-poll follows a mode change made while it waits.
        let mode = app.control.network_mode();
        // Only the lease holder ever gets a task's secrets, and only in this answer. They and
        // the task's source are read in the claim's own write (index probes that find nothing
        // for most tasks) rather than in a read after it, which cost a thread hop per claim.
        let claimed = app
            .store
            .write(move |ctx| {
                let Some(mut claimed) = leases::claim(ctx, &id, &intervals, mode)? else {
                    return Ok(None);
                };
                let task_id = &claimed.task.id;
                let sealed = secrets::sealed(ctx.conn, task_id)?;
                if let Some(source) =
                    crate::server::store::git_sources::source_of(ctx.conn, task_id)?
                {
                    claimed.task.source = Some(source);
                }
                Ok(Some((claimed, sealed)))
            })
            .await?;
        if let Some((mut claimed, sealed)) = claimed {
            claimed.secrets = secrets::open(&app.secrets_key, &claimed.task.id, sealed)?;
            app.metrics.claims.fetch_add(1, Ordering::Relaxed);
            return Ok(Json(ClaimResponse {
                claimed: Some(claimed),
            }));
        }
        let now = Instant::now();
        if now >= deadline || *shutdown.borrow() {
            return Ok(Json(ClaimResponse { claimed: None }));
        }
        // Wake on new work; look again every second anyway for retries whose backoff ended.
        let nap = (deadline - now).min(Duration::from_secs(1));
        tokio::select! {
            _ = &mut woken => {}
            _ = shutdown.changed() => {}
            _ = tokio::time::sleep(nap) => {}
        }
    }
}

async fn start(
    State(app): State<AppState>,
    node: NodeCaller,
    ApiPath(task_id): ApiPath<String>,
    ApiJson(req): ApiJson<LeaseRef>,
) -> Result<Json<TaskInfo>, ApiError> {
    let intervals = app.settings.intervals;
    let task = app
        .store
        .write(move |ctx| leases::start(ctx, &node.node_id, &task_id, &req.lease_id, &intervals))
        .await?;
    Ok(Json(task))
}

async fn upload_log(
    State(app): State<AppState>,
    node: NodeCaller,
    ApiPath(task_id): ApiPath<String>,
    ApiJson(req): ApiJson<LogUpload>,
) -> Result<Json<LogUploadResponse>, ApiError> {
    let intervals = app.settings.intervals;
    let (next_offset, cancel) = app
        .store
        .write(move |ctx| leases::append_log(ctx, &node.node_id, &task_id, &req, &intervals))
        .await?;
    Ok(Json(LogUploadResponse {
        next_offset,
        cancel,
    }))
}

async fn complete(
    State(app): State<AppState>,
    node: NodeCaller,
    ApiPath(task_id): ApiPath<String>,
    ApiJson(req): ApiJson<CompleteRequest>,
) -> Result<Json<CompleteResponse>, ApiError> {
    crate::server::store::task_outputs::check_size(
        &req.artifacts,
        app.settings.submit_limits.fields.artifacts,
    )?;
    let task = app
        .store
        .write(move |ctx| leases::complete(ctx, &node.node_id, &task_id, &req))
        .await?;
    Ok(Json(CompleteResponse { task }))
}

/// The lease holder gives its task back unfinished; see [`leases::release`].
async fn release(
    State(app): State<AppState>,
    node: NodeCaller,
    ApiPath(task_id): ApiPath<String>,
    ApiJson(req): ApiJson<ReleaseRequest>,
) -> Result<Json<TaskInfo>, ApiError> {
    let task = app
        .store
        .write(move |ctx| leases::release(ctx, &node.node_id, &task_id, &req.lease_id, &req.reason))
        .await?;
    Ok(Json(task))
}
