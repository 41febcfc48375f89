//! The blob store's client side: files go up and come down streamed, in chunks, never whole in
//! memory; a download is written to a temp file beside its target, checked against its sha256 and
//! only then renamed into place, so a cut or corrupt download leaves nothing behind.

use super::{Client, ClientError, seg};
use crate::api::BlobInfo;
use crate::sources::hashing::HashingWriter;
use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::Method;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const CHUNK: usize = 256 * 1024;

/// Told how many bytes moved so far (a progress bar).
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// A transfer may take long, but not forever: two minutes, plus a second per megabyte.
fn transfer_timeout(size: u64) -> Duration {
    Duration::from_secs(120 + size / (1 << 20))
}

impl Client {
    fn blob_request(
        &self,
        method: Method,
        sha256: &str,
    ) -> Result<reqwest::RequestBuilder, ClientError> {
        self.check_transport()?;
        let url = format!("{}/api/v1/blobs/{}", self.base, seg(sha256));
        let mut req = self.http.request(method, &url);
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(mesh) = &self.mesh_token {
            req = req.header("x-mesh-token", mesh);
        }
        Ok(req)
    }

    /// The size of a stored blob, or None when the coordinator does not hold it.
    pub async fn blob_exists(&self, sha256: &str) -> Result<Option<u64>, ClientError> {
        let resp = self
            .blob_request(Method::HEAD, sha256)?
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let status = resp.status();
        if status.is_redirection() {
            return Err(self.refuse_redirect(&resp));
        }
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            // A HEAD answer has no body: name the status.
            return Err(ClientError::Api {
                status: status.as_u16(),
                code: "blob_head".into(),
                message: format!("asking whether blob {sha256} is stored failed"),
            });
        }
        // Read from the header: a HEAD answer's body is empty whatever its length says.
        let size = resp
            .headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok(Some(size))
    }

    /// Uploads a file as the blob `sha256` (the caller hashed it), streamed from disk.
    pub async fn put_blob(
        &self,
        sha256: &str,
        file: &Path,
        progress: Option<Progress>,
    ) -> Result<BlobInfo, ClientError> {
        let local = |e: io::Error| ClientError::Refused {
            url: self.base.clone(),
            reason: format!("cannot read {}: {e}", file.display()),
        };
        let mut reader = std::fs::File::open(file).map_err(local)?;
        let size = reader.metadata().map_err(local)?.len();
        let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<Bytes>>(4);
        tokio::task::spawn_blocking(move || {
            let mut sent = 0u64;
            loop {
                let mut buf = vec![0u8; CHUNK];
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        sent += n as u64;
                        if tx.blocking_send(Ok(Bytes::from(buf))).is_err() {
                            break;
                        }
                        if let Some(p) = &progress {
                            p(sent);
                        }
                    }
                    Err(e) => {
                        let _ = tx.blocking_send(Err(e));
                        break;
                    }
                }
            }
        });
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        });
        let resp = self
            .blob_request(Method::PUT, sha256)?
            .timeout(transfer_timeout(size))
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .header(reqwest::header::CONTENT_LENGTH, size)
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        self.answer(resp).await
    }

    /// Downloads the blob `sha256` to `dest`, streamed, verified against its hash, then renamed
    /// into place; on any failure `dest` is untouched and no temp file is left. Returns the size.
    pub async fn get_blob(&self, sha256: &str, dest: &Path) -> Result<u64, ClientError> {
        let resp = self
            .blob_request(Method::GET, sha256)?
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let status = resp.status();
        if status.is_redirection() {
            return Err(self.refuse_redirect(&resp));
        }
        if !status.is_success() {
            let bytes = resp.bytes().await.map_err(|e| self.unreachable(&e))?;
            return Err(self.api_error(status, &bytes));
        }
        let size = resp.content_length().unwrap_or(0);
        let local = |what: String| ClientError::Refused {
            url: self.base.clone(),
            reason: what,
        };
        let dir = dest
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(
            ".{}.{}.{n}.part",
            &sha256[..sha256.len().min(16)],
            std::process::id()
        ));
        let file = crate::files::create_new(&tmp, 0o600)
            .map_err(|e| local(format!("cannot write {}: {e}", tmp.display())))?;
        let result = async {
            let mut w = HashingWriter::new(io::BufWriter::new(file));
            let mut body = resp.bytes_stream();
            let deadline = tokio::time::Instant::now() + transfer_timeout(size);
            while let Some(chunk) = tokio::time::timeout_at(deadline, body.next())
                .await
                .map_err(|_| local(format!("downloading blob {sha256} took too long")))?
            {
                let chunk = chunk.map_err(|e| self.unreachable(&e))?;
                w.write_all(&chunk)
                    .map_err(|e| local(format!("cannot write {}: {e}", tmp.display())))?;
            }
            let (buf, got, n) = w.finish();
            buf.into_inner()
                .map_err(|e| local(format!("cannot write {}: {}", tmp.display(), e.error())))?
                .sync_all()
                .map_err(|e| local(format!("cannot write {}: {e}", tmp.display())))?;
            if got != sha256 {
                return Err(ClientError::Garbage {
                    url: self.base.clone(),
                    reason: format!("blob {sha256} arrived with sha256 {got} ({n} bytes): corrupt"),
                });
            }
            std::fs::rename(&tmp, dest)
                .map_err(|e| local(format!("cannot write {}: {e}", dest.display())))?;
            Ok(n)
        }
        .await;
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}
