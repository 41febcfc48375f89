//! What a task leaves behind on a node and sends back (issue 17): its caches, restored before it
//! runs and saved after (`caches`), and its artifacts, uploaded when it ends (`artifacts`). This
//! module holds the node's settings for both and the two hooks the task flow calls, so the flow
//! itself (`task`) only says when.

use super::caches::CacheStore;
use super::sandbox::{RunAs, StreamKind};
use super::task::OutputSender;
use crate::api::client::Client;
use crate::api::{ArtifactInfo, CacheSpec, ClaimedTask};
use std::path::{Path, PathBuf};

/// Default room for caches: `EDGECODER_CACHE_MB`.
const DEFAULT_CACHE_MB: u64 = 4096;
/// Default per-task artifact limit: `EDGECODER_MAX_ARTIFACT_BYTES`.
pub const DEFAULT_MAX_ARTIFACT_BYTES: u64 = 256 << 20;

/// The node's settings for caches and artifacts.
#[derive(Debug, Clone)]
pub struct OutputSettings {
    /// Where caches live: `<data dir>/caches`, private to the agent.
    pub cache_root: PathBuf,
    /// Room for all caches together; the least recently used go first.
    pub cache_bytes: u64,
    /// The most one task's artifacts may take together.
    pub max_artifact_bytes: u64,
}

impl OutputSettings {
    /// Reads `cache_mb` and `max_artifact_bytes`; caches go under `data_dir`.
    pub fn from_resolved(
        resolved: &crate::config::Resolved,
        data_dir: &Path,
    ) -> Result<Self, crate::config::ConfigError> {
        let mb: u64 = resolved.number("cache_mb")?.unwrap_or(DEFAULT_CACHE_MB);
        Ok(OutputSettings {
            cache_root: data_dir.join("caches"),
            cache_bytes: mb.saturating_mul(1 << 20),
            max_artifact_bytes: resolved
                .number("max_artifact_bytes")?
                .unwrap_or(DEFAULT_MAX_ARTIFACT_BYTES),
        })
    }
}

/// One attempt's caches and artifacts: what to restore, save and upload, and where its notes
/// (warnings for the task's own log) go.
#[derive(Clone)]
pub struct TaskOutputs {
    store: CacheStore,
    account: String,
    caches: Vec<CacheSpec>,
    globs: Vec<String>,
    workdir: PathBuf,
    run_as: Option<RunAs>,
    max_artifact_bytes: u64,
    notes: OutputSender,
}

impl TaskOutputs {
    pub fn new(
        settings: &OutputSettings,
        claimed: &ClaimedTask,
        workdir: &Path,
        run_as: Option<RunAs>,
        notes: OutputSender,
    ) -> Self {
        TaskOutputs {
            store: CacheStore::new(settings.cache_root.clone(), settings.cache_bytes),
            account: claimed.task.submitted_by.clone(),
            caches: claimed.caches.clone(),
            globs: claimed.artifact_globs.clone(),
            workdir: workdir.to_path_buf(),
            run_as,
            max_artifact_bytes: settings.max_artifact_bytes,
            notes,
        }
    }

    /// A line in the task's log (stderr), prefixed so it is not mistaken for the task's own.
    pub fn note(&self, text: &str) {
        let line = format!("edgecoder: {text}\n");
        let _ = self.notes.send((StreamKind::Stderr, line.into_bytes()));
    }

    /// Restores the task's caches into its fresh working dir (blocking). A cache that cannot
    /// be restored is a note, never a failure: the task runs without it.
    pub fn restore_caches(&self) {
        for spec in &self.caches {
            match self
                .store
                .restore(&self.account, spec, &self.workdir, self.run_as)
            {
                Ok(Some(bytes)) => self.note(&format!(
                    "cache {}: restored {} ({bytes} bytes)",
                    spec.name, spec.path
                )),
                Ok(None) => self.note(&format!(
                    "cache {}: nothing saved yet; {} starts empty",
                    spec.name, spec.path
                )),
                Err(e) => self.note(&format!("cache {}: not restored: {e}", spec.name)),
            }
        }
    }

    /// Saves the caches of a task that succeeded (a failed build may leave a broken one).
    pub async fn save_caches(&self) {
        if self.caches.is_empty() {
            return;
        }
        let this = self.clone();
        let _ = tokio::task::spawn_blocking(move || {
            for spec in &this.caches {
                match this.store.save(&this.account, spec, &this.workdir) {
                    Ok(Some(bytes)) => this.note(&format!(
                        "cache {}: saved {} ({bytes} bytes)",
                        spec.name, spec.path
                    )),
                    Ok(None) => this.note(&format!(
                        "cache {}: {} does not exist after the task; nothing saved",
                        spec.name, spec.path
                    )),
                    Err(e) => this.note(&format!("cache {}: not saved: {e}", spec.name)),
                }
            }
        })
        .await;
    }

    /// Collects and uploads the artifacts; `Err`: a message for the task's result (over the
    /// size limit, or an upload that failed), with nothing listed.
    pub async fn upload_artifacts(&self, client: &Client) -> Result<Vec<ArtifactInfo>, String> {
        if self.globs.is_empty() {
            return Ok(Vec::new());
        }
        let (globs, workdir) = (self.globs.clone(), self.workdir.clone());
        let found =
            tokio::task::spawn_blocking(move || super::artifacts::collect(&globs, &workdir))
                .await
                .map_err(|e| format!("collecting artifacts crashed: {e}"))??;
        for note in &found.notes {
            self.note(note);
        }
        let total: u64 = found.files.iter().map(|f| f.info.size).sum();
        if total > self.max_artifact_bytes {
            let msg = format!(
                "artifacts refused: {} file(s) take {total} bytes, more than this node's limit of \
                 {} bytes per task (EDGECODER_MAX_ARTIFACT_BYTES): narrow the --artifact globs",
                found.files.len(),
                self.max_artifact_bytes
            );
            self.note(&msg);
            return Err(msg);
        }
        let mut kept = Vec::with_capacity(found.files.len());
        for file in found.files {
            super::artifacts::upload(client, &file)
                .await
                .map_err(|e| format!("artifact {} not uploaded: {e}", file.info.path))?;
            kept.push(file.info);
        }
        if !kept.is_empty() {
            self.note(&format!("kept {} artifact(s), {total} bytes", kept.len()));
        }
        Ok(kept)
    }
}
