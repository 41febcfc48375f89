//! Binding the listener, the data-dir lock, and `server.json` (how local clients find us).

use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write as _;
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
    _file: File,
}

impl DataDirLock {
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, BindError> {
        let path = data_dir.join("coordinator.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| BindError::Lock(path.clone(), e.to_string()))?;
        lock_exclusive(&file).map_err(|e| {
            if e.kind() == std::io::ErrorKind::WouldBlock {
                BindError::Locked(data_dir.to_path_buf())
            } else {
                BindError::Lock(path.clone(), e.to_string())
            }
        })?;
        Ok(DataDirLock { _file: file })
    }
}

#[cfg(unix)]
fn lock_exclusive(file: &File) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor we own; no memory is shared with the kernel.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        Ok(())
    } else {
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
            Err(std::io::Error::new(std::io::ErrorKind::WouldBlock, err))
        } else {
            Err(err)
        }
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_file: &File) -> std::io::Result<()> {
    Ok(())
}

/// The contents of `<data dir>/server.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerJson {
    pub url: String,
    pub pid: u32,
    pub started_at: i64,
}

pub fn server_json_path(data_dir: &Path) -> PathBuf {
    data_dir.join("server.json")
}

pub fn write_server_json(data_dir: &Path, url: &str) -> std::io::Result<()> {
    let record = ServerJson {
        url: url.to_string(),
        pid: std::process::id(),
        started_at: crate::api::now_ms(),
    };
    let path = server_json_path(data_dir);
    let tmp = data_dir.join(".server.json.tmp");
    let mut f = File::create(&tmp)?;
    f.write_all(serde_json::to_string_pretty(&record)?.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)
}

pub fn remove_server_json(data_dir: &Path) {
    let _ = std::fs::remove_file(server_json_path(data_dir));
}
