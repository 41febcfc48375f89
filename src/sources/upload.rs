//! The submitter's side: pack a directory into a temp file (hashed as it is written), ask the
//! coordinator whether it holds that hash, and upload only when it does not. A progress bar runs
//! while packing and uploading when stderr is a terminal; otherwise nothing is drawn.

use super::pack::{Selection, pack};
use crate::api::TaskSource;
use crate::api::client::{Client, ClientError};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// What happened to the packed source.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub source: TaskSource,
    pub files: u64,
    /// False when the coordinator already held these exact bytes: nothing was sent.
    pub sent: bool,
}

/// Why a source could not be sent: on this machine (`Local`) or by the coordinator.
#[derive(Debug)]
pub enum UploadError {
    Local(String),
    Remote(ClientError),
}

/// Packs `dir` and makes sure the coordinator holds it. The temp archive is removed either way.
pub async fn upload_dir(
    client: &Client,
    dir: &Path,
    selection: Selection,
) -> Result<Uploaded, UploadError> {
    let scratch = std::env::temp_dir().join(format!(
        "edgecoder-source-{}-{}",
        std::process::id(),
        crate::server::auth::random_hex(6)
    ));
    crate::config::private_dir::make_private(&scratch)
        .map_err(|e| UploadError::Local(format!("cannot make {}: {e}", scratch.display())))?;
    let result = pack_and_send(client, dir, selection, &scratch).await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

async fn pack_and_send(
    client: &Client,
    dir: &Path,
    selection: Selection,
    scratch: &Path,
) -> Result<Uploaded, UploadError> {
    let archive = scratch.join("source.tgz");
    let bar = bar();
    let packed = {
        let (dir, archive, bar) = (dir.to_path_buf(), archive.clone(), bar.clone());
        tokio::task::spawn_blocking(move || {
            if let Some(b) = &bar {
                b.set_message("packing");
            }
            let tick = |files: u64, bytes: u64| {
                if let Some(b) = &bar {
                    b.set_position(bytes);
                    b.set_message(format!("packing: {files} files"));
                }
            };
            pack(&dir, selection, &archive, Some(&tick))
        })
        .await
        .map_err(|e| UploadError::Local(format!("packing crashed: {e}")))?
        .map_err(UploadError::Local)?
    };
    let source = TaskSource::Blob {
        sha256: packed.sha256.clone(),
        size: packed.size,
    };
    let held = client
        .blob_exists(&packed.sha256)
        .await
        .map_err(UploadError::Remote)?;
    if held == Some(packed.size) {
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        return Ok(Uploaded {
            source,
            files: packed.files,
            sent: false,
        });
    }
    let progress = bar.clone().map(|b| {
        b.set_length(packed.size);
        b.set_position(0);
        b.set_message("uploading");
        Arc::new(move |n: u64| b.set_position(n)) as crate::api::client::Progress
    });
    client
        .put_blob(&packed.sha256, &archive, progress)
        .await
        .map_err(UploadError::Remote)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    Ok(Uploaded {
        source,
        files: packed.files,
        sent: true,
    })
}

/// A byte progress bar on a terminal; None when stderr is not one (CI logs stay clean).
fn bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg} {bytes} {binary_bytes_per_sec}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}
