//! Streaming a task's output to the coordinator by byte offset: batched, masked, cut only at
//! character boundaries, resent at the same offset while the coordinator is away, and stopped
//! when the lease is gone.
//!
//! Two paces: a process's output is batched for up to [`UPLOAD_EVERY`] (fewer, larger uploads);
//! an inference task's answer goes out as soon as a piece of it is there ([`Pace::LowLatency`]),
//! because an editor is waiting on each token. While one upload is in flight the next pieces
//! gather, so a fast model still makes few requests.

use super::mask::Masker;
use super::sandbox::StreamKind;
use super::task::StopSignal;
use crate::api::LogUpload;
use crate::api::backoff::Backoff;
use crate::api::client::{Client, ClientError};
use std::time::Duration;
use tokio::sync::mpsc;

const UPLOAD_BATCH_BYTES: usize = 64 << 10;
const UPLOAD_EVERY: Duration = Duration::from_millis(100);

/// Turns byte chunks into UTF-8 text without splitting a character across uploads.
#[derive(Default)]
struct Utf8Carry {
    pending: Vec<u8>,
}

impl Utf8Carry {
    fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let valid_up_to = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        let rest = self.pending.split_off(valid_up_to);
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending = rest;
        text
    }

    fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        text
    }
}

/// How long output waits to be batched before it is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pace {
    /// Up to [`UPLOAD_EVERY`] or [`UPLOAD_BATCH_BYTES`].
    Batched,
    /// At once: what is already there when the first piece arrives, and no more.
    LowLatency,
}

pub(super) async fn upload_logs(
    client: Client,
    task_id: String,
    lease_id: String,
    mut rx: mpsc::UnboundedReceiver<(StreamKind, Vec<u8>)>,
    stop: StopSignal,
    masker: Masker,
    pace: Pace,
) {
    let mut offset = 0u64;
    let mut carries = [Utf8Carry::default(), Utf8Carry::default()];
    let mut maskers = [masker.clone(), masker];
    let mut open = true;
    while open {
        let mut batch: Vec<(StreamKind, String)> = Vec::new();
        let mut size = 0;
        let mut deadline = tokio::time::Instant::now() + UPLOAD_EVERY;
        let mut first = true;
        while size < UPLOAD_BATCH_BYTES {
            let next = if pace == Pace::LowLatency && first {
                Ok(rx.recv().await)
            } else {
                // A deadline already past still takes what is ready (the receive is polled first).
                tokio::time::timeout_at(deadline, rx.recv()).await
            };
            if pace == Pace::LowLatency {
                deadline = tokio::time::Instant::now();
            }
            first = false;
            match next {
                Ok(Some((kind, bytes))) => {
                    let text = maskers[kind as usize].push(&carries[kind as usize].push(&bytes));
                    size += text.len();
                    match batch.last_mut() {
                        Some((k, t)) if *k == kind => t.push_str(&text),
                        _ => batch.push((kind, text)),
                    }
                }
                Ok(None) => {
                    open = false;
                    for kind in [StreamKind::Stdout, StreamKind::Stderr] {
                        let masker = &mut maskers[kind as usize];
                        let mut text = masker.push(&carries[kind as usize].finish());
                        text.push_str(&masker.finish());
                        if !text.is_empty() {
                            batch.push((kind, text));
                        }
                    }
                    break;
                }
                Err(_) => break,
            }
        }
        for (kind, data) in batch {
            if data.is_empty() {
                continue;
            }
            let upload = LogUpload {
                lease_id: lease_id.clone(),
                offset,
                stream: match kind {
                    StreamKind::Stdout => "stdout".into(),
                    StreamKind::Stderr => "stderr".into(),
                },
                data,
            };
            match send_chunk(&client, &task_id, &upload).await {
                Some(answer) => {
                    offset = answer.0;
                    if answer.1 {
                        stop.cancel();
                    }
                }
                None => {
                    stop.lease_lost();
                    // Keep draining so the sandbox never blocks on a full channel.
                    while rx.recv().await.is_some() {}
                    return;
                }
            }
        }
    }
}

/// Sends one chunk, retrying the same offset while the coordinator is unreachable (a resend is
/// idempotent). Returns (next offset, cancel), or None when the lease is gone.
async fn send_chunk(client: &Client, task_id: &str, upload: &LogUpload) -> Option<(u64, bool)> {
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
    loop {
        match client.upload_log(task_id, upload).await {
            Ok(answer) => return Some((answer.next_offset, answer.cancel)),
            Err(ClientError::Api { status: 409, .. })
            | Err(ClientError::Api { status: 404, .. }) => {
                return None;
            }
            Err(e) => {
                tracing::debug!(task = %task_id, "log upload failed, retrying: {e}");
                backoff.sleep().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Utf8Carry;

    #[test]
    fn split_characters_are_kept_whole() {
        let bytes = "héllo €".as_bytes();
        let mut carry = Utf8Carry::default();
        let mut out = String::new();
        for b in bytes {
            out.push_str(&carry.push(&[*b]));
        }
        out.push_str(&carry.finish());
        assert_eq!(out, "héllo €");
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut carry = Utf8Carry::default();
        let text = carry.push(&[b'a', 0xff, b'b']);
        assert_eq!(text, "a\u{fffd}b");
    }
}
