//! The agent's local control socket: how `edgecoder agent pause|resume` reach the running agent
//! on the same machine (after Buildkite's `agent pause`).
//!
//! Why a socket and a file both: the owner's pause must outlive the agent (a restart keeps it
//! until it expires), so the state is `owner-pause.json` in the agent's state dir, read by the
//! host policy at every evaluation. The socket only makes a change take effect at once: the
//! agent writes or removes the file and pokes its host watcher, which re-evaluates and sends a
//! heartbeat now instead of at the next interval. With no agent listening, the command changes
//! the file itself and the agent honours it when it starts.
//!
//! Who may talk to it: the socket file is 0600 in the state dir (bound under a private name,
//! restricted, then renamed into place, so it is never reachable with a wider mode), the agent
//! answers only peers whose uid (SO_PEERCRED) is its own, and the client refuses a socket that
//! is not a socket, not its own, or readable by others.

use crate::agent::host::owner_pause::{self, OwnerPause};
use serde::{Deserialize, Serialize};
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::Notify;

pub const SOCKET_NAME: &str = "agent.sock";

/// The longest request line read; a request is a few dozen bytes.
const MAX_REQUEST: u64 = 4096;
/// How long one exchange may take, either side.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the agent keeps its state (the owner's pause, this socket): beside its credential.
pub fn state_dir_for(env_file: &Path) -> PathBuf {
    crate::agent::credentials::path_for(env_file)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn socket_path(state_dir: &Path) -> PathBuf {
    state_dir.join(SOCKET_NAME)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// Pause until `until_ms` (unix ms), or until `resume` when absent.
    Pause {
        #[serde(default)]
        until_ms: Option<i64>,
    },
    Resume,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub ok: bool,
    pub message: String,
}

impl Reply {
    fn ok(message: impl Into<String>) -> Reply {
        Reply {
            ok: true,
            message: message.into(),
        }
    }
    fn refused(message: impl Into<String>) -> Reply {
        Reply {
            ok: false,
            message: message.into(),
        }
    }
}

/// Records the owner's pause (`owner-pause.json`, 0600, replaced atomically).
pub fn write_pause(state_dir: &Path, pause: &OwnerPause) -> io::Result<()> {
    let json = serde_json::to_vec(pause).map_err(io::Error::other)?;
    crate::files::write_atomic(&owner_pause::path_in(state_dir), &json, 0o600)
}

/// Removes the owner's pause; false when there was none.
pub fn remove_pause(state_dir: &Path) -> io::Result<bool> {
    match std::fs::remove_file(owner_pause::path_in(state_dir)) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Applies a request to the pause file: what both the agent and, with no agent, the command do.
pub fn apply(state_dir: &Path, req: &Request, now_ms: i64) -> Result<String, String> {
    let file = owner_pause::path_in(state_dir);
    match req {
        Request::Pause { until_ms } => {
            if until_ms.is_some_and(|u| u <= now_ms) {
                return Err("the pause would end before it starts: give a positive --for".into());
            }
            let pause = OwnerPause {
                since_ms: now_ms,
                until_ms: *until_ms,
            };
            write_pause(state_dir, &pause)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            Ok(match until_ms {
                Some(until) => format!("paused for {}", left(*until, now_ms)),
                None => "paused until `edgecoder agent resume`".to_string(),
            })
        }
        Request::Resume => match remove_pause(state_dir) {
            Ok(true) => Ok("resumed".to_string()),
            Ok(false) => Ok("was not paused by its owner".to_string()),
            Err(e) => Err(format!("cannot remove {}: {e}", file.display())),
        },
    }
}

/// The time left, rounded up to whole seconds (`2h`, `1s`).
fn left(until_ms: i64, now_ms: i64) -> String {
    let secs = ((until_ms - now_ms).max(0) as u64).div_ceil(1000);
    crate::fmt::short_duration(secs.max(1))
}

fn own_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// The listening socket of a running agent; removed when dropped.
pub struct ControlSocket {
    path: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ControlSocket {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_file(&self.path);
    }
}

impl ControlSocket {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Listens at `agent.sock` in `state_dir`; each accepted change pokes `wake` (the host
    /// watcher's). Refuses to start beside another live agent or over a file that is not a
    /// socket; a socket left by an agent that died is replaced. Needs a Tokio runtime.
    pub fn start(state_dir: &Path, wake: Arc<Notify>) -> io::Result<ControlSocket> {
        Self::start_for(state_dir, wake, own_uid())
    }

    /// [`ControlSocket::start`] answering only peers of uid `owner` (tests pick another).
    fn start_for(state_dir: &Path, wake: Arc<Notify>, owner: u32) -> io::Result<ControlSocket> {
        let path = socket_path(state_dir);
        clear_stale(&path)?;
        let private = state_dir.join(format!(".{SOCKET_NAME}.{}", std::process::id()));
        let _ = std::fs::remove_file(&private);
        let listener = UnixListener::bind(&private)?;
        let placed = std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600))
            .and_then(|()| std::fs::rename(&private, &path));
        if let Err(e) = placed {
            let _ = std::fs::remove_file(&private);
            return Err(e);
        }
        let dir = state_dir.to_path_buf();
        let task = tokio::spawn(async move {
            loop {
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of descriptors, say: wait a little rather than spin.
                        tracing::debug!("control socket: accept: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let (dir, wake) = (dir.clone(), wake.clone());
                tokio::spawn(async move {
                    let served = tokio::time::timeout(
                        EXCHANGE_TIMEOUT,
                        serve_one(stream, &dir, &wake, owner),
                    )
                    .await;
                    if let Ok(Err(e)) = served {
                        tracing::debug!("control socket: {e}");
                    }
                });
            }
        });
        Ok(ControlSocket { path, task })
    }
}

/// Removes a socket nobody answers at `path`; refuses a live one or anything else.
fn clear_stale(path: &Path) -> io::Result<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if !meta.file_type().is_socket() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} exists and is not a socket: move it away",
                path.display()
            ),
        ));
    }
    if std::os::unix::net::UnixStream::connect(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            format!(
                "another agent answers at {}: one agent per state dir",
                path.display()
            ),
        ));
    }
    std::fs::remove_file(path)
}

async fn serve_one(stream: UnixStream, dir: &Path, wake: &Notify, owner: u32) -> io::Result<()> {
    let peer = stream.peer_cred()?.uid();
    let (read, mut write) = stream.into_split();
    let reply = if peer != owner {
        tracing::warn!(
            uid = peer,
            "control socket: refused a caller that is not the owner"
        );
        Reply::refused(format!(
            "refused: uid {peer} is not this agent's owner (uid {owner}); run the command as \
             the user the agent runs as"
        ))
    } else {
        let mut line = String::new();
        BufReader::new(read.take(MAX_REQUEST))
            .read_line(&mut line)
            .await?;
        match serde_json::from_str::<Request>(&line) {
            Err(e) => Reply::refused(format!("not a request ({e})")),
            Ok(req) => match apply(dir, &req, crate::api::now_ms()) {
                Ok(message) => {
                    tracing::info!("owner: {message}");
                    // The watcher re-evaluates and heartbeats now, not at the next interval.
                    wake.notify_one();
                    Reply::ok(message)
                }
                Err(message) => Reply::refused(message),
            },
        }
    };
    let mut out = serde_json::to_vec(&reply).map_err(io::Error::other)?;
    out.push(b'\n');
    write.write_all(&out).await?;
    write.shutdown().await
}

/// What became of a request sent by `agent pause|resume`.
#[derive(Debug)]
pub enum Sent {
    /// The running agent answered.
    Answered(Reply),
    /// No agent listens (no socket, or one left by an agent that died).
    NoAgent,
}

/// Sends `req` to the agent whose state dir is `state_dir`. Refuses (Err) to talk to a socket
/// that is not a socket, belongs to another user, or that others may open.
pub async fn send(state_dir: &Path, req: &Request) -> Result<Sent, String> {
    let path = socket_path(state_dir);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Sent::NoAgent),
        Err(e) => return Err(format!("cannot look at {}: {e}", path.display())),
    };
    check_socket_file(&path, &meta, own_uid())?;
    let mut stream = match UnixStream::connect(&path).await {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
            ) =>
        {
            return Ok(Sent::NoAgent);
        }
        Err(e) => return Err(format!("cannot reach the agent at {}: {e}", path.display())),
    };
    let exchange = async {
        let mut line = serde_json::to_vec(req).map_err(io::Error::other)?;
        line.push(b'\n');
        stream.write_all(&line).await?;
        let mut answer = String::new();
        BufReader::new(stream.take(MAX_REQUEST))
            .read_line(&mut answer)
            .await?;
        Ok::<_, io::Error>(answer)
    };
    let answer = tokio::time::timeout(EXCHANGE_TIMEOUT, exchange)
        .await
        .map_err(|_| format!("the agent at {} did not answer in time", path.display()))?
        .map_err(|e| format!("talking to the agent at {}: {e}", path.display()))?;
    serde_json::from_str(&answer)
        .map(Sent::Answered)
        .map_err(|e| format!("the agent at {} answered nonsense ({e})", path.display()))
}

/// The client's side of "owner only": the socket is ours and nobody else's.
fn check_socket_file(path: &Path, meta: &std::fs::Metadata, uid: u32) -> Result<(), String> {
    if !meta.file_type().is_socket() {
        return Err(format!(
            "{} is not a socket: not talking to it (move it away; the agent makes a new one)",
            path.display()
        ));
    }
    if meta.uid() != uid {
        return Err(format!(
            "{} belongs to uid {}, not to you (uid {uid}): run this as the user the agent runs as",
            path.display(),
            meta.uid()
        ));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} has mode {mode:o}, open to other users: not trusting it; restart the agent \
             (it makes a 0600 one)",
            path.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
