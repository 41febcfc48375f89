//! edgecoder: one binary that turns machines people own or volunteer into a swarm for coding and
//! compute work. See DESIGN.md for the shape; each module's doc says its part.

pub mod agent;
pub mod api;
pub mod cli;
pub mod coding;
pub mod config;
pub mod files;
pub mod fmt;
pub mod hardening;
pub mod ide;
pub mod inference;
pub mod job_tree;
pub mod models;
pub mod runs;
pub mod sd_notify;
pub mod secret_store;
pub mod server;
pub mod sources;
#[cfg(test)]
mod test_support;
pub mod tui;
pub mod version;

#[cfg(test)]
mod arch_tests;
