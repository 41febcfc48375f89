//! `/api/v1/blobs/{sha256}`: the content-addressed blob store (task sources in, artifacts out).
//!
//! An upload is streamed to a temp file under `blobs/tmp/`, hashed and counted as it arrives, and
//! renamed into place only when the whole body came and its sha256 is the one in the path; a cut
//! upload, a wrong hash, a body over the limit or a full disk leave nothing behind. Downloads are
//! streamed from the file. See `store::blobs` for who may read what.

use crate::api::BlobInfo;
use crate::server::AppState;
use crate::server::auth::BlobCaller;
use crate::server::error::ApiError;
use crate::server::extract::ApiPath;
use crate::server::store::blobs;
use crate::sources::hashing::HashingWriter;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::StreamExt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/v1/blobs/{sha256}",
        get(download).head(exists).put(upload),
    )
}

const CHUNK: usize = 64 * 1024;

/// 200 with the size in `content-length` when the blob is stored, else 404. Any caller may ask:
/// a hash names bytes the asker already has.
async fn exists(
    State(app): State<AppState>,
    _: BlobCaller,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Response, ApiError> {
    blobs::check_hash(&sha256)?;
    let key = sha256.clone();
    let size = app.store.read(move |c| blobs::size_of(c, &key)).await?;
    match size {
        Some(size) => Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(OCTETS)),
                (header::CONTENT_LENGTH, HeaderValue::from(size)),
            ],
        )
            .into_response()),
        None => Err(ApiError::not_found("blob", &sha256)),
    }
}

const OCTETS: &str = "application/octet-stream";

async fn download(
    State(app): State<AppState>,
    caller: BlobCaller,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Response, ApiError> {
    blobs::check_hash(&sha256)?;
    let key = sha256.clone();
    let allowed = app
        .store
        .read(move |c| match &caller {
            BlobCaller::User(user) => {
                let who = crate::server::routes::tasks::only_submitted_by(user);
                blobs::user_may_read(c, &key, who.as_deref())
            }
            BlobCaller::Node(node) => blobs::node_may_read(c, &key, node),
        })
        .await?;
    // Not stored and not yours look the same: a caller learns nothing about others' blobs.
    if !allowed {
        return Err(ApiError::not_found("blob", &sha256));
    }
    let path = blobs::path_of(&app.settings.data_dir, &sha256);
    let file = std::fs::File::open(&path).map_err(|e| {
        ApiError::internal(format!("blob {sha256} is recorded but unreadable: {e}"))
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        loop {
            let mut buf = vec![0u8; CHUNK];
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    buf.truncate(n);
                    if tx.blocking_send(Ok(Bytes::from(buf))).is_err() {
                        break;
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
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(OCTETS)),
            (header::CONTENT_LENGTH, HeaderValue::from(size)),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// 201 when the bytes were stored, 200 when they already were (the body is then still read and
/// checked, so a wrong body is refused either way).
async fn upload(
    State(app): State<AppState>,
    _: BlobCaller,
    ApiPath(sha256): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<BlobInfo>), ApiError> {
    blobs::check_hash(&sha256)?;
    let limit = app.settings.max_blob_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let tmp_dir = app.settings.data_dir.join("blobs").join("tmp");
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(8);
    let writer = tokio::task::spawn_blocking(move || write_temp(&tmp_dir, rx, limit));
    let mut stream = body.into_data_stream();
    let mut cut = false;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => {
                if tx.send(bytes).await.is_err() {
                    break; // the writer stopped (over the limit, disk full): it says why
                }
            }
            Err(_) => {
                cut = true;
                break;
            }
        }
    }
    drop(tx);
    let written = writer
        .await
        .map_err(|e| ApiError::internal(format!("blob writer failed: {e}")))?;
    let temp = match (written, cut) {
        (Err(e), _) => return Err(e),
        (Ok(t), true) => {
            t.discard();
            return Err(ApiError::bad_request(
                "the upload was cut off before its end; nothing was stored: send it again",
            ));
        }
        (Ok(t), false) => t,
    };
    if temp.sha256 != sha256 {
        let got = temp.sha256.clone();
        temp.discard();
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
            format!(
                "the body's sha256 is {got}, not {sha256} as the path says; nothing was stored \
                 (name a blob by `sha256sum` of the exact bytes sent)"
            ),
        ));
    }
    let size = temp.size;
    let target = blobs::path_of(&app.settings.data_dir, &sha256);
    let key = sha256.clone();
    let created = app
        .store
        .write(move |ctx| {
            let created = blobs::size_of(ctx.conn, &key)?.is_none() || !target.exists();
            temp.place(&target)?;
            blobs::record(ctx, &key, size)?;
            Ok(created)
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(BlobInfo {
            sha256,
            size,
            created,
        }),
    ))
}

fn too_large(limit: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "blob_too_large",
        format!(
            "a blob may have at most {limit} bytes on this coordinator \
             (EDGECODER_MAX_BLOB_BYTES); make the source smaller (an .edgecoderignore) or ask \
             its admin to raise the limit"
        ),
    )
}

fn disk_error(e: io::Error) -> ApiError {
    if e.kind() == io::ErrorKind::StorageFull || e.kind() == io::ErrorKind::QuotaExceeded {
        ApiError::new(
            StatusCode::INSUFFICIENT_STORAGE,
            "storage_full",
            "the coordinator's disk is full; nothing was stored: try again once its admin \
             freed space",
        )
    } else {
        ApiError::internal(format!("cannot store a blob: {e}"))
    }
}

/// A fully written, hashed temp file, not yet in place.
struct TempBlob {
    path: PathBuf,
    sha256: String,
    size: u64,
}

impl TempBlob {
    fn discard(self) {
        let _ = std::fs::remove_file(&self.path);
    }

    /// Renames the temp file to its content address (same filesystem: atomic).
    fn place(&self, target: &Path) -> Result<(), ApiError> {
        let placed = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(&self.path, target));
        if let Err(e) = placed {
            let _ = std::fs::remove_file(&self.path);
            return Err(disk_error(e));
        }
        Ok(())
    }
}

/// Writes the chunks to a new temp file, hashing them; removes it on any failure.
fn write_temp(
    dir: &Path,
    mut rx: tokio::sync::mpsc::Receiver<Bytes>,
    limit: u64,
) -> Result<TempBlob, ApiError> {
    std::fs::create_dir_all(dir).map_err(disk_error)?;
    let path = dir.join(format!("{}.part", crate::server::auth::random_hex(12)));
    let file = crate::files::create_new(&path, 0o600).map_err(disk_error)?;
    let result = (|| {
        let mut w = HashingWriter::new(io::BufWriter::with_capacity(CHUNK, file));
        while let Some(bytes) = rx.blocking_recv() {
            if w.written() + bytes.len() as u64 > limit {
                return Err(too_large(limit));
            }
            w.write_all(&bytes).map_err(disk_error)?;
        }
        let (buf, sha256, size) = w.finish();
        let file = buf.into_inner().map_err(|e| disk_error(e.into_error()))?;
        file.sync_all().map_err(disk_error)?;
        Ok((sha256, size))
    })();
    match result {
        Ok((sha256, size)) => Ok(TempBlob { path, sha256, size }),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e)
        }
    }
}
