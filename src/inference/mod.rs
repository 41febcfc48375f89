//! The inference service (`edgecoder serve --mode inference`, or inside `serve` in all-in-one):
//! the coordinator's own model calls — split a request into subtasks, repair a failed task with a
//! stronger model, a plain chat — served over HTTP with a token of its own, on the model backends
//! of the machine that runs it (`EDGECODER_MODEL_*`, as an agent's).
//!
//! A separate process so the coordinator never needs a GPU or a model server, and the models the
//! coordinator leans on can live on the one machine that has them. It keeps no state: every call
//! stands alone, so the coordinator retries a call that failed without anything to undo.

mod auth;
mod call;
pub mod decompose;
mod escalate;
mod metrics;
pub mod openapi;
mod routes;
pub mod serve;

use crate::models::Backends;
use std::net::SocketAddr;
use std::sync::Arc;

pub use serve::{InferenceSettings, Started, spawn_local};

/// What every request of the service shares.
pub struct Service {
    pub(crate) backends: Backends,
    /// sha256 of the bearer token: compared in constant time, the token itself is not kept.
    token_hash: [u8; 32],
    /// `EDGECODER_INFERENCE_MODEL`: decomposition and chat (None: the backend's default).
    pub(crate) model: Option<String>,
    /// `EDGECODER_ESCALATION_MODEL` (None: the largest the backends serve).
    pub(crate) escalation_model: Option<String>,
    metrics: metrics::Metrics,
}

pub type ServiceState = Arc<Service>;

/// Where a started service listens.
#[derive(Debug, Clone)]
pub struct Listening {
    pub url: String,
    pub addr: SocketAddr,
}
