//! Keeps the coordinator's view of this node's models current: every `EDGECODER_MODEL_REFRESH`
//! the worker lists its backends' models again and, only when something changed (a model pulled
//! or removed, a backend that came up or went down), sends its capabilities again with the same
//! re-register call the coordinator can ask for. A model pulled while the agent runs is thus
//! schedulable without a restart, and an unchanged node costs the coordinator nothing.

use crate::agent::capabilities;
use crate::api::ReregisterRequest;
use crate::api::client::Client;
use crate::models::Backends;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Runs until the worker aborts it. `register` is the request the heartbeat loop re-sends when
/// the coordinator asks, so both always send the latest capabilities.
pub(super) async fn run(
    client: Client,
    register: Arc<Mutex<ReregisterRequest>>,
    backends: Backends,
    every: Duration,
) {
    if backends.is_empty() {
        return;
    }
    // A change the coordinator has not taken yet (the last send failed).
    let mut pending = false;
    loop {
        tokio::time::sleep(every).await;
        let detected = backends.detect().await;
        let request = {
            let Ok(mut current) = register.lock() else {
                return;
            };
            let changed = capabilities::set_models(&mut current.capabilities, &detected);
            if !changed && !pending {
                continue;
            }
            current.clone()
        };
        tracing::info!(
            models = %request.capabilities.models.join(", "),
            "the node's models changed; telling the coordinator"
        );
        pending = match client.reregister(&request).await {
            Ok(_) => false,
            Err(e) => {
                // Sent again next round (or by a re-register the coordinator asks for).
                tracing::warn!("sending the new model list failed: {e}");
                true
            }
        };
    }
}
