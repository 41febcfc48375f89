//! The run-info record: what one local run was, as a plain JSON file a person or `jq` can read.
//! Times are RFC 3339 in UTC (`2025-01-31T12:00:00.123Z`) so the file reads without tools;
//! unknown fields are ignored, so older binaries read newer records.

use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// Bumped only if a field changes meaning; new fields are simply added.
pub const RUN_INFO_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    /// Stopped on request: `task stop`, Ctrl-C, SIGTERM or SIGHUP of `task run`.
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::TimedOut => "timed_out",
            Status::Cancelled => "cancelled",
        }
    }

    /// A run that did not do its job on its own (what `gc --keep-failed` keeps).
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Failed | Status::TimedOut)
    }
}

/// `<run dir>/run-info.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunInfo {
    pub version: u32,
    pub task_id: String,
    pub run_id: String,
    pub project: String,
    /// As recorded. A `running` record whose process is gone is shown as failed
    /// (see [`super::Store::scan`]); the file itself is not rewritten by readers.
    pub status: Status,
    /// Program and arguments, exactly as given.
    pub cmd: Vec<String>,
    /// The `edgecoder task run` process supervising the run.
    pub pid: u32,
    /// That process's start time (`/proc/<pid>/stat` field 22, clock ticks since boot), so a
    /// recycled pid is not taken for the run; `None` where it cannot be read.
    pub pid_start_time: Option<u64>,
    /// The task's own process, which leads its process group; `None` until it has started.
    pub task_pid: Option<u32>,
    pub task_pid_start_time: Option<u64>,
    #[serde(with = "rfc3339")]
    pub started_at: SystemTime,
    #[serde(with = "rfc3339_opt")]
    pub ended_at: Option<SystemTime>,
    pub timeout_secs: u64,
    /// The code a shell would report: the exit status, 128+signal, 124 on timeout.
    pub exit_code: Option<i32>,
    /// The signal that ended the task's process, if one did.
    pub signal: Option<i32>,
    pub duration_ms: Option<u64>,
    /// Bytes of output the task wrote, including any dropped by the cap.
    pub output_bytes: Option<u64>,
    /// Output beyond the cap was not written to stdout.txt/stderr.txt.
    pub truncated: bool,
    /// Why the run failed when the task's exit status does not say it.
    pub error: Option<String>,
}

/// (De)serialises a `SystemTime` as an RFC 3339 UTC string with milliseconds.
pub mod rfc3339 {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::SystemTime;

    pub fn serialize<S: Serializer>(at: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&humantime::format_rfc3339_millis(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_rfc3339_weak(&text).map_err(|e| {
            serde::de::Error::custom(format!("{text:?} is not an RFC 3339 UTC time ({e})"))
        })
    }
}

/// Like [`rfc3339`], for an optional time (`null` when absent).
pub mod rfc3339_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::SystemTime;

    pub fn serialize<S: Serializer>(at: &Option<SystemTime>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => super::rfc3339::serialize(at, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SystemTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => humantime::parse_rfc3339_weak(&text).map(Some).map_err(|e| {
                serde::de::Error::custom(format!("{text:?} is not an RFC 3339 UTC time ({e})"))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn round_trips_with_readable_times() {
        let info = RunInfo {
            version: RUN_INFO_VERSION,
            task_id: "abc".into(),
            run_id: "def".into(),
            project: "p".into(),
            status: Status::TimedOut,
            cmd: vec!["sleep".into(), "5".into()],
            pid: 7,
            pid_start_time: Some(99),
            task_pid: None,
            task_pid_start_time: None,
            started_at: UNIX_EPOCH + Duration::from_millis(1_700_000_000_123),
            ended_at: None,
            timeout_secs: 1,
            exit_code: Some(124),
            signal: None,
            duration_ms: Some(1000),
            output_bytes: Some(0),
            truncated: false,
            error: None,
        };
        let text = serde_json::to_string(&info).unwrap();
        assert!(
            text.contains("\"started_at\":\"2023-11-14T22:13:20.123Z\""),
            "{text}"
        );
        assert!(text.contains("\"status\":\"timed_out\""), "{text}");
        let back: RunInfo = serde_json::from_str(&text).unwrap();
        assert_eq!(back.started_at, info.started_at);
        assert_eq!(back.ended_at, None);
    }

    #[test]
    fn a_bad_time_is_an_error_not_a_default() {
        let text = r#"{"version":1,"task_id":"a","run_id":"b","project":"p","status":"running",
            "cmd":["x"],"pid":1,"pid_start_time":null,"task_pid":null,"task_pid_start_time":null,
            "started_at":"yesterday","ended_at":null,"timeout_secs":1,"exit_code":null,
            "signal":null,"duration_ms":null,"output_bytes":null,"truncated":false,"error":null}"#;
        let err = serde_json::from_str::<RunInfo>(text).unwrap_err();
        assert!(err.to_string().contains("RFC 3339"), "{err}");
    }
}
