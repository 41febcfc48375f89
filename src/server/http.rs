//! Serving connections: hyper directly (axum's router as the service) so a slow or silent client
//! cannot hold the coordinator.
//!
//! - A header-read timeout: a request head not complete within it closes the connection. hyper
//!   starts that timer whenever it waits for a request head, so it is also the idle keep-alive
//!   timeout between requests; it never runs while a response (an SSE stream) is being written.
//! - A cap on open connections: beyond it a connection gets a short `503` JSON answer with
//!   `Connection: close` and is closed, so the client sees why (docs/decisions.md).
//! - Graceful shutdown: stop accepting, let every connection finish the request in flight.

use crate::api::{ErrorBody, ErrorDetail};
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use rustix::process::{Resource, Rlimit};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// Connection limits, resolved by `cli::serve`.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Open connections served at once; more are refused with a 503.
    pub max_connections: usize,
    /// Time to send a whole request head (and the longest a kept-alive connection idles).
    pub header_read_timeout: Duration,
}

/// Refused connections answered at once; beyond this a refused connection is closed unanswered
/// (a flood must not turn the refusals themselves into held sockets).
const MAX_REFUSING: usize = 256;

/// File descriptors kept for the database, logs, tasks and the refusals themselves.
const RESERVED_FDS: u64 = 256;

/// 10,000, or fewer where the open-files limit would not allow that many sockets.
pub fn default_max_connections(nofile: u64) -> usize {
    nofile.saturating_sub(RESERVED_FDS).clamp(64, 10_000) as usize
}

/// The soft open-files limit now.
pub fn open_files_limit() -> u64 {
    soft_limit(&rustix::process::getrlimit(Resource::Nofile))
}

/// Raises the soft open-files limit to the hard one (a default soft limit of 1024 is far below
/// what a coordinator with thousands of agents needs). Returns the soft limit in force.
pub fn raise_open_files_limit() -> u64 {
    let lim = rustix::process::getrlimit(Resource::Nofile);
    if lim.current != lim.maximum {
        let wanted = Rlimit {
            current: lim.maximum,
            maximum: lim.maximum,
        };
        if rustix::process::setrlimit(Resource::Nofile, wanted).is_ok() {
            return soft_limit(&wanted);
        }
        tracing::warn!(
            soft = soft_limit(&lim),
            hard = lim.maximum.unwrap_or(u64::MAX),
            "cannot raise the open-files limit"
        );
    }
    soft_limit(&lim)
}

/// `None` is "unlimited".
fn soft_limit(lim: &Rlimit) -> u64 {
    lim.current.unwrap_or(u64::MAX)
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains the open connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, mostly: wait for some to close instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            if let Ok(permit) = refusing.clone().try_acquire_owned() {
                let max = limits.max_connections;
                tokio::spawn(async move {
                    refuse(stream, max).await;
                    drop(permit);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            tower_service::Service::call(&mut router, req)
        });
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Tells a connection beyond the cap why it is closed, then closes it.
async fn refuse(mut stream: TcpStream, max: usize) {
    let body = ErrorBody {
        error: ErrorDetail {
            code: "too_many_connections".into(),
            message: format!(
                "the coordinator has its limit of {max} connections open; retry shortly"
            ),
        },
    };
    let body = serde_json::to_string(&body).unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let done = async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        // Read what the client sent until it closes: closing with unread input would reset the
        // connection and could discard the answer before the client reads it.
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<(), std::io::Error>(())
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), done).await;
}

#[cfg(test)]
mod tests {
    use super::default_max_connections;

    #[test]
    fn the_default_cap_follows_the_open_files_limit() {
        assert_eq!(default_max_connections(1_048_576), 10_000);
        assert_eq!(default_max_connections(1024), 768);
        assert_eq!(default_max_connections(100), 64);
    }
}
