//! The one contract between the parts: wire types and the typed HTTP client.

pub mod client;
mod control;
mod credits;
pub mod ledger_chain;
pub mod sse;
mod tasks;
mod types;
mod update;

pub use control::*;
pub use credits::*;
pub use tasks::*;
pub use types::*;
pub use update::*;

/// Milliseconds since the Unix epoch: the one time format on the wire and in the store.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
