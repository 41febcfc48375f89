//! The worker side: capability detection, the sandbox, running claimed tasks, and the worker
//! loop shared by `edgecoder agent` and the coordinator's local worker. It reaches the
//! coordinator only through `api::client`, exactly as a remote node does.

pub mod artifacts;
pub mod caches;
pub mod capabilities;
mod code_task;
pub mod confinement;
pub mod control_socket;
pub mod credentials;
pub mod git_source;
pub mod host;
mod inference_task;
mod log_upload;
pub mod mask;
mod model_refresh;
pub mod outputs;
pub mod sandbox;
pub mod task;
pub mod task_env;
pub mod task_user;
pub mod worker;
