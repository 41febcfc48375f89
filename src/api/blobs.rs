//! Wire types of the content-addressed blob store (`/api/v1/blobs/{sha256}`), which holds task
//! sources and artifacts by the sha256 of their bytes.

use serde::{Deserialize, Serialize};

/// A stored blob, as `PUT` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BlobInfo {
    pub sha256: String,
    pub size: u64,
    /// False when the coordinator already held these bytes (nothing new was stored).
    pub created: bool,
}
