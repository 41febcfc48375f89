//! The swarm route: a call becomes an inference task on the coordinator, offered only to nodes
//! that advertise the model, its answer streamed back through the task's event stream.
//!
//! Not built yet (issue #16's swarm part fills this in): with no coordinator every call is
//! refused with a message saying so, and the swarm lists no models.

use super::call::ChatCall;
use super::upstream::{Opened, UpstreamError};

/// The coordinator the swarm route uses; `None`: none configured.
#[derive(Debug, Clone, Default)]
pub struct Swarm {
    pub coordinator: Option<String>,
}

impl Swarm {
    /// No swarm: every call is refused with what to configure.
    pub fn none() -> Swarm {
        Swarm::default()
    }

    pub async fn open(&self, call: ChatCall) -> Result<Opened, UpstreamError> {
        let _ = call;
        Err(UpstreamError::Unavailable(
            "no coordinator configured for the swarm route: set COORDINATOR_URL and log in \
             (`edgecoder login`), or use a local model (EDGECODER_IDE_ROUTE=local-only)"
                .into(),
        ))
    }

    /// The models the swarm's nodes advertise.
    pub async fn models(&self) -> Vec<crate::api::ModelInfo> {
        Vec::new()
    }
}
