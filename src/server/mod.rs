//! The coordinator: HTTP API, store, scheduler and the background sweeper.
//!
//! `server` never imports `cli` or `tui`; it is started by `cli::serve` with resolved settings.

pub mod auth;
mod bind;
pub mod control;
mod credentials;
pub mod error;
pub(crate) mod extract;
pub mod http;
pub mod jobs;
use store::ledger;
pub mod local_worker;
pub(crate) mod metrics;
pub mod openapi;
mod routes;
pub mod self_update;
pub(crate) mod shared_state;
pub mod store;

use crate::api::{Intervals, TokenCreateRequest, TokenKind};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::Store;
use store::tasks::SubmitLimits;
use tokio::sync::watch;

pub use bind::{BindError, BindRequest, bind_fresh};

pub type AppState = Arc<App>;

/// Everything the coordinator needs to know, resolved by `cli::serve` from flags, env and files.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: String,
    pub data_dir: PathBuf,
    /// Where the queue and ledger live (by default `edgecoder.db` in the data dir).
    pub database: store::Location,
    pub bind: BindRequest,
    pub intervals: Intervals,
    pub submit_limits: SubmitLimits,
    pub max_body_bytes: usize,
    /// A node is offline, and its leases lost, after this long without a heartbeat.
    pub offline_after_ms: i64,
    /// Finished tasks, their logs and events are deleted this long after they end; None keeps
    /// them forever.
    pub retention: Option<Duration>,
    pub mesh_token_hash: Option<[u8; 32]>,
    /// ADMIN_API_TOKEN: makes this secret an admin token instead of minting one.
    pub admin_token: Option<String>,
    /// NETWORK_MODE: the mode until an admin sets one at run time (which is stored and wins).
    pub network_mode: crate::api::NetworkMode,
    /// Node registrations (enrollment-token use) allowed per source address.
    pub register_limit: control::RateLimit,
    /// Prices, grants and the contribution gate; `serve --free` turns pricing off.
    pub pricing: ledger::pricing::Pricing,
    /// Checkpoints and issuance.
    pub ledger: ledger::pricing::LedgerSettings,
    /// Header-read timeout and the cap on open connections.
    pub conn_limits: http::ConnLimits,
    /// The largest blob (a packed source, an artifact) one upload may store.
    pub max_blob_bytes: u64,
    /// The inference service jobs are decomposed and escalated with: `EDGECODER_INFERENCE_URL`
    /// and its token, or the one an all-in-one `serve` runs inside itself; None: not configured.
    pub inference: Option<crate::api::client::inference::InferenceEndpoint>,
}

impl Settings {
    /// False for a control plane (`--mode control-plane`): it serves operators and hands out
    /// no work, so it neither sweeps, drives jobs, nor takes part in the group's leadership.
    pub fn schedules(&self) -> bool {
        self.mode != "control-plane"
    }

    pub fn intervals_for(heartbeat: Duration, claim_wait: Duration, accept: Duration) -> Intervals {
        let hb = heartbeat.as_millis().max(100) as u64;
        Intervals {
            heartbeat_ms: hb,
            active_heartbeat_ms: hb.min(1000),
            claim_wait_ms: claim_wait.as_millis() as u64,
            accept_window_ms: accept.as_millis().max(100) as u64,
            lease_ttl_ms: hb * 3,
        }
    }
}

pub struct App {
    pub store: Store,
    pub settings: Settings,
    auth: credentials::AuthCache,
    metrics: metrics::Metrics,
    pub started_at: i64,
    /// Nodes that sent their capabilities since this process started.
    known_nodes: Mutex<HashSet<String>>,
    /// True once shutdown began: long-polls and streams end, readiness fails.
    pub shutdown: watch::Sender<bool>,
    /// Self-update: the binary and socket to hand over, the local worker to drain.
    pub self_update: self_update::Updater,
    /// The network mode, blacklisted addresses and rate limits, in memory.
    pub control: control::ControlPlane,
    /// Signs ledger checkpoints (loaded from, or made in, the data dir).
    pub ledger_key: ed25519_dalek::SigningKey,
    /// Seals task secrets at rest (loaded from, or made in, the data dir).
    pub secrets_key: store::secrets::SecretsKey,
    /// Queue pressure, refreshed by the ledger loop so a submission prices without counting.
    pub pressure: Pressure,
    /// This process among the coordinators sharing a PostgreSQL database; `None` alone on
    /// SQLite.
    pub group_id: Option<String>,
}

/// Queued tasks and online nodes as last counted, and the load multiplier they give.
#[derive(Default)]
pub struct Pressure {
    pub queued: AtomicU64,
    pub online: AtomicU64,
    pub multiplier_bps: AtomicU32,
}

impl Pressure {
    fn set(&self, queued: u64, online: u64) {
        self.queued.store(queued, Ordering::Relaxed);
        self.online.store(online, Ordering::Relaxed);
        self.multiplier_bps.store(
            ledger::pricing::load_multiplier_bps(queued, online),
            Ordering::Relaxed,
        );
    }
}

impl App {
    pub fn mark_known(&self, node_id: &str) {
        if let Ok(mut known) = self.known_nodes.lock() {
            known.insert(node_id.to_string());
        }
    }

    pub fn is_known(&self, node_id: &str) -> bool {
        self.known_nodes
            .lock()
            .map(|k| k.contains(node_id))
            .unwrap_or(true)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Bind(#[from] BindError),
    #[error("{0}")]
    Store(#[from] store::StoreOpenError),
    #[error("{0}")]
    Setup(String),
}

/// What a running coordinator tells its starter: where it listens, and the admin token if it made
/// one on this (first) start.
pub struct Started {
    pub url: String,
    pub addr: SocketAddr,
    pub new_admin_token: Option<String>,
    pub app: AppState,
}

/// A bound, ready coordinator; `run` serves until `shutdown` resolves.
pub struct Coordinator {
    listener: tokio::net::TcpListener,
    started: Started,
    _lock: bind::DataDirLock,
}

impl Coordinator {
    pub async fn start(settings: Settings) -> Result<Coordinator, ServeError> {
        // 0700 and nothing in it open to others, also when made by root (issue 12).
        crate::config::private_dir::make_private(&settings.data_dir).map_err(|e| {
            ServeError::Setup(format!(
                "cannot create data dir {}: {e}",
                settings.data_dir.display()
            ))
        })?;
        let lock = bind::DataDirLock::acquire(&settings.data_dir)?;
        store::survive_file_size_limit();
        let store = Store::open_at(settings.database.clone())?;
        // Coordinators that may share the database keep nothing in memory that another could
        // change without telling them.
        let shared = store.is_shared();
        let ledger_key = ledger::checkpoints::load_or_create_key(&settings.data_dir)
            .map_err(ServeError::Setup)?;
        let secrets_key = store::secrets::SecretsKey::load_or_create(&settings.data_dir)
            .map_err(ServeError::Setup)?;
        let (shutdown, _) = watch::channel(false);
        let app = Arc::new(App {
            store,
            settings: settings.clone(),
            auth: credentials::AuthCache::new(shared),
            metrics: metrics::Metrics::default(),
            started_at: crate::api::now_ms(),
            known_nodes: Mutex::new(HashSet::new()),
            shutdown,
            control: control::ControlPlane::new(settings.network_mode, settings.register_limit),
            ledger_key,
            secrets_key,
            pressure: Pressure::default(),
            self_update: self_update::Updater::default(),
            group_id: (shared && settings.schedules()).then(|| format!("c{}", auth::random_hex(6))),
        });
        if shared {
            shared_state::check_group_keys(&app)
                .await
                .map_err(ServeError::Setup)?;
        }
        let new_admin_token = bootstrap_admin(&app).await?;
        load_control_state(&app).await?;
        let ttl = settings.intervals.lease_ttl_ms as i64;
        if !settings.schedules() {
            tracing::info!("the group's control plane: operator routes only, no work handed out");
        } else if shared_state::join_group(&app)
            .await
            .map_err(|e| ServeError::Setup(e.detail()))?
        {
            tracing::info!(
                "other coordinators of the group are running: the fleet's leases are left as they are"
            );
        } else {
            app.store
                .write(move |ctx| store::nodes::restart_grace(ctx, ttl))
                .await
                .map_err(|e| ServeError::Setup(e.detail()))?;
        }
        // Entries written since the last checkpoint (a crash) are signed before anything new.
        ledger_checkpoint(&app, true)
            .await
            .map_err(|e| ServeError::Setup(format!("ledger checkpoint: {}", e.detail())))?;
        refresh_pressure(&app).await;
        let listener = bind::bind(&settings.bind).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServeError::Setup(format!("cannot read the bound address: {e}")))?;
        let url = format!("http://{}", display_addr(addr));
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            app.self_update.set_listener(
                listener.as_raw_fd(),
                &format!("http://{}", loopback_of(addr)),
            );
        }

        crate::config::server_json::ServerJson::for_this_process(&url)
            .write(&settings.data_dir)
            .map_err(|e| ServeError::Setup(format!("cannot write server.json: {e}")))?;
        Ok(Coordinator {
            listener,
            started: Started {
                url,
                addr,
                new_admin_token,
                app,
            },
            _lock: lock,
        })
    }

    pub fn started(&self) -> &Started {
        &self.started
    }

    /// Serves until `stop` resolves (or an update asks to restart), then drains: stops accepting,
    /// ends long-polls and streams, finishes in-flight requests, checkpoints SQLite and removes
    /// server.json. Returns the restart an update asked for; the caller execs it.
    pub async fn run(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Option<self_update::RestartPlan> {
        let app = self.started.app.clone();
        let schedules = app.settings.schedules();
        let sweeper = schedules.then(|| tokio::spawn(sweep_loop(app.clone())));
        let ledger_upkeep = tokio::spawn(ledger_loop(app.clone()));
        let job_driver = schedules.then(|| jobs::spawn(app.clone()));
        let shared_refresh = app
            .store
            .is_shared()
            .then(|| tokio::spawn(shared_state::refresh_loop(app.clone())));
        tokio::spawn(finish_update(app.clone()));
        let router = routes::router(app.clone());
        let shutdown_app = app.clone();
        let graceful = async move {
            tokio::select! {
                _ = stop => {}
                _ = shutdown_app.self_update.restart_requested() => {}
            }
            tracing::info!("shutting down: no new connections; finishing requests in flight");
            shutdown_app.shutdown.send_replace(true);
        };
        http::serve(self.listener, router, app.settings.conn_limits, graceful).await;
        for task in [sweeper, job_driver].into_iter().flatten() {
            task.abort();
        }
        ledger_upkeep.abort();
        if let Some(refresh) = shared_refresh {
            refresh.abort();
            shared_state::leave_group(&app).await;
        }
        if let Err(e) = ledger_checkpoint(&app, true).await {
            tracing::warn!("final ledger checkpoint failed: {e}");
        }
        if let Err(e) = app.store.checkpoint().await {
            tracing::warn!("final checkpoint failed: {e}");
        }
        let restart = app.self_update.take_restart();
        if restart.is_none() {
            crate::config::server_json::remove(&app.settings.data_dir);
        }
        tracing::info!("coordinator stopped");
        restart
    }
}

/// Where this process can reach a socket bound to `addr` (a wildcard address means loopback).
fn loopback_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(v4) if v4.is_unspecified() => {
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        }
        std::net::IpAddr::V6(v6) if v6.is_unspecified() => {
            std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        }
        ip => ip,
    };
    display_addr(SocketAddr::new(ip, addr.port()))
}

fn display_addr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(v4) => v4.to_string(),
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
    }
}

/// Serving: an update that re-executed into this process (or was rolled back to it) is finished.
async fn finish_update(app: AppState) {
    self_update::swap::reap_guard();
    let version = crate::version::current();
    match app
        .store
        .write(move |ctx| self_update::record::recover(ctx, version))
        .await
    {
        Ok(Some(done)) => tracing::info!(
            update = %done.id,
            state = done.state.as_str(),
            "{}",
            done.message.as_deref().unwrap_or_default()
        ),
        Ok(None) => {}
        Err(e) => tracing::error!("cannot finish the previous update's record: {e}"),
    }
}

/// Makes the first admin token (returned to be shown once), or installs ADMIN_API_TOKEN's.
async fn bootstrap_admin(app: &AppState) -> Result<Option<String>, ServeError> {
    let setup =
        |e: error::ApiError| ServeError::Setup(format!("admin token setup: {}", e.detail()));
    if let Some(secret) = app.settings.admin_token.clone() {
        if secret.len() < 16 {
            return Err(ServeError::Setup(
                "ADMIN_API_TOKEN is shorter than 16 characters: use a long random value \
                 (for example `openssl rand -hex 24`)"
                    .into(),
            ));
        }
        app.store
            .write(move |ctx| {
                match store::tokens::by_secret(ctx.conn, &secret)? {
                    Some(t)
                        if t.revoked_at.is_none() && t.role == Some(crate::api::Role::Admin) => {}
                    Some(_) => {
                        return Err(error::ApiError::conflict(
                            "admin_token_taken",
                            "ADMIN_API_TOKEN matches a token that is revoked or not an admin \
                             token: choose another value",
                        ));
                    }
                    None => {
                        let req = admin_request("admin (ADMIN_API_TOKEN)");
                        store::tokens::create(ctx, &req, None, Some(secret))?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(setup)?;
        return Ok(None);
    }
    app.store
        .write(|ctx| {
            if store::tokens::has_admin(ctx.conn)? {
                return Ok(None);
            }
            let (_, token) = store::tokens::create(ctx, &admin_request("admin"), None, None)?;
            Ok(Some(token))
        })
        .await
        .map_err(setup)
}

/// Loads the stored network mode and the blacklisted addresses into memory.
async fn load_control_state(app: &AppState) -> Result<(), ServeError> {
    let setup = |e: error::ApiError| ServeError::Setup(format!("control plane: {}", e.detail()));
    let configured = app.settings.network_mode;
    let info = shared_state::apply_control_state(app)
        .await
        .map_err(setup)?;
    if info.mode != configured {
        tracing::warn!(
            "network mode is {} as set at run time by {}; the NETWORK_MODE setting ({}) applies \
             only until an admin sets one (`edgecoder server mode set`)",
            info.mode.as_str(),
            info.set_by_name.as_deref().unwrap_or("an admin"),
            configured.as_str()
        );
    }
    Ok(())
}

fn admin_request(name: &str) -> TokenCreateRequest {
    TokenCreateRequest {
        kind: Some(TokenKind::Api),
        role: Some(crate::api::Role::Admin),
        name: Some(name.to_string()),
        ..Default::default()
    }
}

/// Ends leases whose time is up and marks silent nodes offline, a few times a second; then
/// deletes one small batch of what outlived the retention.
async fn sweep_loop(app: AppState) {
    let period = Duration::from_millis((app.settings.intervals.heartbeat_ms / 4).clamp(100, 1000));
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        tick.tick().await;
        ticks += 1;
        if ticks % 64 == 1 {
            blob_tick(&app).await;
        }
        let offline_after = app.settings.offline_after_ms;
        let group_id = app.group_id.clone();
        match app
            .store
            .write(move |ctx| {
                // In a group one coordinator sweeps at a time: the others' sweeps would find
                // nothing left, but would each take the write lock to learn it.
                if let Some(me) = &group_id
                    && !store::coordinators::leads(ctx.conn, me, ctx.now)?
                {
                    return Ok(Default::default());
                }
                store::sweep::sweep(ctx, offline_after)
            })
            .await
        {
            Ok(report) => {
                let expired = report.not_accepted + report.lost + report.timed_out;
                if expired > 0 {
                    app.metrics
                        .lease_expiries
                        .fetch_add(expired, Ordering::Relaxed);
                    tracing::info!(
                        not_accepted = report.not_accepted,
                        lost = report.lost,
                        timed_out = report.timed_out,
                        "leases ended by the coordinator"
                    );
                }
                if report.drained > 0 {
                    tracing::info!(
                        count = report.drained,
                        "tasks handed back at drain deadlines"
                    );
                }
                if report.nodes_offline > 0 {
                    tracing::info!(count = report.nodes_offline, "nodes went offline");
                }
            }
            Err(e) => tracing::warn!("sweep failed: {e}"),
        }
        if let Some(retention) = app.settings.retention {
            retention_tick(&app, retention).await;
        }
    }
}

/// Removes a batch of blobs no task refers to any more (their tasks were deleted, or an upload
/// was never submitted) once they are older than the grace period. Runs whatever the task
/// retention is: an unreferenced blob is never anyone's record.
async fn blob_tick(app: &AppState) {
    const BLOBS_PER_TICK: u32 = 200;
    let cutoff = crate::api::now_ms() - store::blobs::UNREFERENCED_GRACE_MS;
    let data_dir = app.settings.data_dir.clone();
    match app
        .store
        .write(move |ctx| store::blobs::sweep_unreferenced(ctx, &data_dir, cutoff, BLOBS_PER_TICK))
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(blobs = n, "retention removed unreferenced blobs"),
        Err(e) => tracing::warn!("blob retention failed: {e}"),
    }
}

/// Deletes one small batch of what outlived the retention, in its own transaction so the lease
/// sweep and agents' writes never wait long behind it.
async fn retention_tick(app: &AppState, retention: Duration) {
    const ROWS_PER_TICK: u64 = 2000;
    let cutoff = crate::api::now_ms() - retention.as_millis().min(i64::MAX as u128) as i64;
    match app
        .store
        .write(move |ctx| store::retention::purge(ctx, cutoff, ROWS_PER_TICK))
        .await
    {
        Ok(report) if report.tasks > 0 => {
            tracing::info!(
                tasks = report.tasks,
                rows = report.rows,
                "retention deleted old tasks"
            )
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("retention failed: {e}"),
    }
}

/// Signs a ledger checkpoint when one is due (or at once with `force`).
async fn ledger_checkpoint(app: &AppState, force: bool) -> Result<Option<i64>, error::ApiError> {
    let key = app.ledger_key.clone();
    let settings = app.settings.ledger;
    app.store
        .write(move |ctx| ledger::checkpoints::checkpoint_if_due(ctx, &key, &settings, force))
        .await
}

async fn refresh_pressure(app: &AppState) {
    let counted = app
        .store
        .read(|c| {
            let queued: i64 = c.query_row(
                "SELECT COUNT(*) FROM tasks WHERE state = 'queued'",
                [],
                |r| r.get(0),
            )?;
            let (online, _) = store::nodes::counts(c)?;
            Ok((queued.max(0) as u64, online))
        })
        .await;
    match counted {
        Ok((queued, online)) => app.pressure.set(queued, online),
        Err(e) => tracing::warn!("counting queue pressure failed: {e}"),
    }
}

/// The ledger's upkeep, every half second: queue pressure for prices, then the account index,
/// due checkpoints and issuance in one write job (one writer transaction a tick, not one each).
async fn ledger_loop(app: AppState) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        refresh_pressure(&app).await;
        let key = app.ledger_key.clone();
        let settings = app.settings.ledger;
        let upkeep = app
            .store
            .write(move |ctx| {
                ledger::history::index_accounts(ctx)?;
                ledger::checkpoints::checkpoint_if_due(ctx, &key, &settings, false)?;
                ledger::issuance::issue_due(ctx, &settings)
            })
            .await;
        match upkeep {
            Ok(0) => {}
            Ok(n) => tracing::info!(entries = n, "credits issued to contributors"),
            Err(e) => tracing::warn!("ledger upkeep (index, checkpoint, issuance) failed: {e}"),
        }
    }
}
