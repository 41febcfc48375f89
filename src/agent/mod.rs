//! The worker side: sandboxed task execution (enrollment and the run loop build on it).

pub mod sandbox;
