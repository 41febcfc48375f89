//! The one contract between the parts: wire types and the typed HTTP client.

pub mod backoff;
mod blobs;
mod ci;
pub mod client;
mod code;
pub mod codes;
mod control;
mod credits;
pub mod follow;
pub mod git;
mod inference;
mod inference_task;
mod jobs;
pub mod ledger_chain;
mod self_update;
pub mod sse;
mod tasks;
mod types;
pub mod url;

pub use blobs::*;
pub use ci::*;
pub use code::*;
pub use control::*;
pub use credits::*;
pub use inference::*;
pub use inference_task::*;
pub use jobs::*;
pub use self_update::*;
pub use tasks::*;
pub use types::*;

/// The longest pause an agent makes between retries while its coordinator is unreachable (its
/// backoff cap with the largest jitter). A restarted coordinator allows this on top of a lease's
/// time before it declares a node lost, so its own downtime never costs a running task.
pub const AGENT_MAX_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_secs(20);

/// Milliseconds since the Unix epoch: the one time format on the wire and in the store.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
