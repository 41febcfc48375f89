//! Sources in (issue 17): a directory packed on the submitter's machine into one deterministic,
//! gzip-compressed tar, stored once in the coordinator's blob store by its sha256, and unpacked
//! on the worker into the task's working dir. Packing and unpacking live here, apart from the
//! CLI and the agent, so both sides share one archive format and one set of path rules.

pub mod cache;
pub mod hashing;
pub mod pack;
pub mod paths;
pub mod unpack;
pub mod upload;
