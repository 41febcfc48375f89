//! `<data dir>/server.json`: how local clients find the running coordinator. Written by
//! `serve` once it listens, removed on a clean stop, read by the CLI when no URL is given.
//!
//! A file left behind by a crash must not send clients to a stranger that later got the same
//! pid, so the record carries the kernel's start time of the process and the reader accepts it
//! only when both pid and start time still match (the same check local runs use,
//! `crate::runs::liveness`).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const FILE_NAME: &str = "server.json";

/// The contents of `server.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerJson {
    pub url: String,
    pub pid: u32,
    /// Wall-clock start, milliseconds since the epoch (for people reading the file).
    pub started_at: i64,
    /// The process's start time in clock ticks since boot (`/proc/<pid>/stat`); absent where
    /// the platform has no `/proc`, or in a file from an older version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_start: Option<u64>,
}

impl ServerJson {
    /// The record for this process, serving at `url`.
    pub fn for_this_process(url: &str) -> ServerJson {
        ServerJson {
            url: url.to_string(),
            pid: std::process::id(),
            started_at: crate::api::now_ms(),
            process_start: crate::runs::liveness::own_start_time(),
        }
    }

    /// True while the process that wrote the record is still running (same pid, same start).
    pub fn is_live(&self) -> bool {
        crate::runs::liveness::is_alive(self.pid, self.process_start)
    }

    /// Writes the record atomically (0600, like everything in the data dir).
    pub fn write(&self, data_dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self)?;
        crate::files::write_atomic(&path(data_dir), text.as_bytes(), 0o600)
    }

    /// The record in `data_dir` when there is one and it parses.
    pub fn read(data_dir: &Path) -> Option<ServerJson> {
        let text = std::fs::read_to_string(path(data_dir)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The record in `data_dir` when the coordinator that wrote it is still that process.
    pub fn read_live(data_dir: &Path) -> Option<ServerJson> {
        Self::read(data_dir).filter(ServerJson::is_live)
    }
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// Removes the record on a clean stop; a missing file is fine.
pub fn remove(data_dir: &Path) {
    let _ = std::fs::remove_file(path(data_dir));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_round_trips_and_is_live() {
        let dir = tempfile::tempdir().unwrap();
        let record = ServerJson::for_this_process("http://127.0.0.1:4301");
        record.write(dir.path()).unwrap();
        assert_eq!(ServerJson::read(dir.path()), Some(record.clone()));
        assert_eq!(ServerJson::read_live(dir.path()), Some(record));
        remove(dir.path());
        assert_eq!(ServerJson::read(dir.path()), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_recycled_pid_is_not_the_coordinator() {
        let dir = tempfile::tempdir().unwrap();
        let mut record = ServerJson::for_this_process("http://127.0.0.1:4301");
        // Our pid is alive, but a process that started at another time is someone else.
        record.process_start = record.process_start.map(|t| t + 1);
        record.write(dir.path()).unwrap();
        assert!(ServerJson::read(dir.path()).is_some());
        assert_eq!(ServerJson::read_live(dir.path()), None);
    }

    #[test]
    fn an_unreadable_record_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(path(dir.path()), b"{not json").unwrap();
        assert_eq!(ServerJson::read_live(dir.path()), None);
    }
}
