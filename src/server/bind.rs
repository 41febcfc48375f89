//! Binding the listener and the data-dir lock (`server.json` is `crate::config::server_json`).

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct BindRequest {
    pub host: String,
    pub port: u16,
    /// Given by flag or environment: one attempt. Otherwise up to 100 consecutive ports.
    pub explicit: bool,
    /// Where the port came from, for the error message.
    pub port_source: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BindError {
    #[error(
        "cannot listen on {host}:{port} (port from {source_name}): {reason}; choose another port with --port, or stop what is using it"
    )]
    Explicit {
        host: String,
        port: u16,
        source_name: String,
        reason: String,
    },
    #[error(
        "no free port on {host} between {first} and {last}: {reason}; pass --port to choose one"
    )]
    Exhausted {
        host: String,
        first: u16,
        last: u16,
        reason: String,
    },
    #[error(
        "another edgecoder coordinator is using the data dir {0}: stop it, or pass another --data-dir"
    )]
    Locked(PathBuf),
    #[error("cannot lock the data dir {0}: {1}")]
    Lock(PathBuf, String),
}

pub async fn bind(req: &BindRequest) -> Result<tokio::net::TcpListener, BindError> {
    // A coordinator that updated itself handed its socket over: same port, no gap in listening.
    if let Some(std_listener) = super::self_update::swap::adopt_listener() {
        let adopted = std_listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(std_listener));
        match adopted {
            Ok(listener) => {
                if let Ok(addr) = listener.local_addr() {
                    tracing::info!("listening on the socket handed over by the update ({addr})");
                }
                return Ok(listener);
            }
            Err(e) => tracing::warn!("cannot use the handed-over socket ({e}); binding anew"),
        }
    }
    bind_fresh(req).await
}

/// Binds a new socket, never the one a self-update handed over (the inference service inside an
/// all-in-one coordinator must not take the coordinator's).
pub async fn bind_fresh(req: &BindRequest) -> Result<tokio::net::TcpListener, BindError> {
    if req.explicit || req.port == 0 {
        return tokio::net::TcpListener::bind((req.host.as_str(), req.port))
            .await
            .map_err(|e| BindError::Explicit {
                host: req.host.clone(),
                port: req.port,
                source_name: req.port_source.clone(),
                reason: e.to_string(),
            });
    }
    let last = req.port.saturating_add(99);
    let mut last_error = String::new();
    for port in req.port..=last {
        match tokio::net::TcpListener::bind((req.host.as_str(), port)).await {
            Ok(listener) => {
                if port != req.port {
                    tracing::info!("port {} is taken; using {port}", req.port);
                }
                return Ok(listener);
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    Err(BindError::Exhausted {
        host: req.host.clone(),
        first: req.port,
        last,
        reason: last_error,
    })
}

/// An exclusive lock on `<data dir>/coordinator.lock`, held for the life of the process. The file is
/// never deleted: unlinking a lock file lets a newcomer lock a fresh inode beside a live holder.
pub struct DataDirLock {
    _lock: crate::files::FileLock,
}

impl DataDirLock {
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, BindError> {
        let path = data_dir.join("coordinator.lock");
        match crate::files::FileLock::try_acquire(&path) {
            Ok(Some(lock)) => Ok(DataDirLock { _lock: lock }),
            Ok(None) => Err(BindError::Locked(data_dir.to_path_buf())),
            Err(e) => Err(BindError::Lock(path, e.to_string())),
        }
    }
}
