//! The coordinator's own worker (all-in-one mode) enrolls itself: no token, approved, labelled
//! `local`. Its credential is kept in the data dir so every start reuses the same node.

use super::auth::{hash_secret, hashes_equal, node_id_of_secret};
use super::store::nodes::{self, NewNode};
use super::{AppState, ServeError};
use crate::api::{Capabilities, NodeState};
use crate::config::secret_file;
use std::collections::BTreeMap;

const SECRET_FILE: &str = "local-worker.secret";

/// Returns the local worker's node credential, enrolling it on first use.
pub async fn credential(app: &AppState, capabilities: Capabilities) -> Result<String, ServeError> {
    let path = app.settings.data_dir.join(SECRET_FILE);
    if let Ok(Some(saved)) = secret_file::load(&path) {
        if let Some(id) = node_id_of_secret(&saved).map(str::to_string) {
            let found = app
                .store
                .read(move |c| nodes::credential(c, &id))
                .await
                .map_err(|e| ServeError::Setup(e.detail()))?;
            if let Some((hash, state)) = found
                && hashes_equal(&hash, &hash_secret(&saved))
                && state == NodeState::Approved.as_str()
            {
                app.self_update.set_local_node(id_of(&saved));
                return Ok(saved);
            }
        }
        tracing::info!("the saved local worker credential is no longer valid; enrolling anew");
    }
    let mut labels = BTreeMap::new();
    labels.insert("local".to_string(), "true".to_string());
    let new = NewNode {
        enrollment_token: String::new(),
        name: Some("local".to_string()),
        labels,
        capabilities,
        address: Some("127.0.0.1".to_string()),
        local: true,
    };
    let (node, secret) = app
        .store
        .write(move |ctx| nodes::register(ctx, new))
        .await
        .map_err(|e| ServeError::Setup(e.detail()))?;
    app.mark_known(&node.id);
    app.self_update.set_local_node(&node.id);
    secret_file::save(&path, &secret)
        .map_err(|e| ServeError::Setup(format!("cannot save {}: {e}", path.display())))?;
    Ok(secret)
}

fn id_of(secret: &str) -> &str {
    node_id_of_secret(secret).unwrap_or_default()
}
