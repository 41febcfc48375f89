//! Starting the service: standalone (`serve --mode inference`: its own port, a token the owner
//! configured) or inside an all-in-one coordinator (loopback, an ephemeral port, a fresh random
//! token nobody has to manage, handed to the coordinator as its [`InferenceEndpoint`]).

use super::{Listening, Service, metrics, routes};
use crate::api::client::inference::InferenceEndpoint;
use crate::config::Resolved;
use crate::models::Backends;
use crate::server::auth::{hash_secret, random_hex};
use crate::server::http::ConnLimits;
use crate::server::{BindRequest, bind_fresh};
use std::sync::Arc;
use std::time::Duration;

/// The port the service listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4302;
/// A prompt, a history and files fit; a request past this is a mistake, not a job.
const DEFAULT_MAX_BODY: usize = 8 << 20;

/// What the service needs, resolved from the settings.
pub struct InferenceSettings {
    pub bind: BindRequest,
    /// The bearer token callers must send; only its hash is kept once started.
    pub token: String,
    pub model: Option<String>,
    pub escalation_model: Option<String>,
    pub backends: Backends,
    pub max_body_bytes: usize,
    pub conn_limits: ConnLimits,
}

impl std::fmt::Debug for InferenceSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("InferenceSettings")
            .field("bind", &self.bind)
            .field("model", &self.model)
            .field("escalation_model", &self.escalation_model)
            .finish()
    }
}

/// The message a start without a token gets: how to make one.
pub const NO_TOKEN: &str = "the inference service needs a token of its own and none is \
     configured: make one with `openssl rand -hex 32`, set it as EDGECODER_INFERENCE_TOKEN here \
     (e.g. `edgecoder config set EDGECODER_INFERENCE_TOKEN <token>`) and on the coordinator, \
     then start again";

impl InferenceSettings {
    /// From the resolved settings of `serve --mode inference`; no token is an error with
    /// [`NO_TOKEN`]'s advice. `backends` are the machine's model backends.
    pub fn from_resolved(
        r: &Resolved,
        backends: Backends,
        conn_limits: ConnLimits,
    ) -> Result<InferenceSettings, String> {
        let text = |key: &str| {
            r.get(key)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let token = text("inference_token").ok_or_else(|| NO_TOKEN.to_string())?;
        if token.len() < 16 {
            return Err(
                "EDGECODER_INFERENCE_TOKEN is shorter than 16 characters: make a longer one \
                 with `openssl rand -hex 32`"
                    .to_string(),
            );
        }
        let port = r
            .number::<u16>("port")
            .map_err(|e| e.to_string())?
            .unwrap_or(DEFAULT_PORT);
        Ok(InferenceSettings {
            bind: BindRequest {
                host: r.get("host").unwrap_or("127.0.0.1").to_string(),
                port,
                explicit: r.is_explicit("port"),
                port_source: r
                    .source("port")
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "default".into()),
            },
            token,
            model: text("inference_model"),
            escalation_model: text("escalation_model"),
            backends,
            max_body_bytes: r
                .number("max_body_bytes")
                .map_err(|e| e.to_string())?
                .unwrap_or(DEFAULT_MAX_BODY),
            conn_limits,
        })
    }
}

/// A bound service, serving in the background until its shutdown future resolves.
pub struct Started {
    pub listening: Listening,
    pub task: tokio::task::JoinHandle<()>,
}

/// Binds and serves in a background task until `shutdown` resolves.
pub async fn start(
    settings: InferenceSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<Started, String> {
    let listener = bind_fresh(&settings.bind)
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}", addr.port());
    let svc = Arc::new(Service {
        backends: settings.backends,
        token_hash: hash_secret(&settings.token),
        model: settings.model,
        escalation_model: settings.escalation_model,
        metrics: metrics::Metrics::default(),
    });
    let router = routes::router(svc, settings.max_body_bytes);
    let task = tokio::spawn(crate::server::http::serve(
        listener,
        router,
        settings.conn_limits,
        shutdown,
    ));
    Ok(Started {
        listening: Listening { url, addr },
        task,
    })
}

/// All-in-one: the service on loopback, an ephemeral port and a fresh random token, serving for
/// the life of the process; returns where the coordinator reaches it.
pub async fn spawn_local(
    backends: Backends,
    model: Option<String>,
    escalation_model: Option<String>,
) -> Result<(InferenceEndpoint, Started), String> {
    let token = random_hex(32);
    let settings = InferenceSettings {
        bind: BindRequest {
            host: "127.0.0.1".into(),
            port: 0,
            explicit: true,
            port_source: "all-in-one (an ephemeral port)".into(),
        },
        token: token.clone(),
        model,
        escalation_model,
        backends,
        max_body_bytes: DEFAULT_MAX_BODY,
        conn_limits: ConnLimits {
            max_connections: 256,
            header_read_timeout: Duration::from_secs(10),
        },
    };
    let started = start(settings, std::future::pending()).await?;
    let endpoint = InferenceEndpoint {
        url: started.listening.url.clone(),
        token,
    };
    Ok((endpoint, started))
}
