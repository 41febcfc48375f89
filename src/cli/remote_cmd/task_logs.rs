//! A task's stored output, whole: `tasks logs` and what `submit --wait` prints when the task
//! ends. Read page by page by byte offset, so a coordinator that drops out halfway is asked
//! again from where the last page ended and nothing is printed twice.

use super::Ctx;
use crate::api::{LogChunk, TaskInfo};
use crate::cli::exit::CliError;
use serde::Serialize;
use std::io::Write;

/// Which of a task's streams to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streams {
    Both,
    Stdout,
    Stderr,
}

impl Streams {
    fn keeps(self, stream: &str) -> bool {
        match self {
            Streams::Both => true,
            Streams::Stdout => stream != "stderr",
            Streams::Stderr => stream == "stderr",
        }
    }
}

/// What to read and print of a task's log.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub streams: Streams,
    /// Only the last this many lines (of the streams kept, in the order they were written).
    pub tail: Option<usize>,
    /// This attempt (from 1); `None`: the latest.
    pub attempt: Option<u32>,
}

impl Selection {
    /// Everything of the latest attempt.
    pub const ALL: Selection = Selection {
        streams: Streams::Both,
        tail: None,
        attempt: None,
    };
}

/// The selected output of one attempt, as `tasks logs --json` prints it (docs/json-output.md).
#[derive(Debug, Serialize)]
pub struct TaskOutput {
    pub task_id: String,
    pub attempt: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    /// The pieces in the order they were written, each with its stream.
    pub chunks: Vec<Piece>,
}

/// A run of output written to one stream.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Piece {
    pub stream: String,
    pub data: String,
}

/// Reads the selected output of `task` (already looked up, so its id is whole).
pub fn read(ctx: &Ctx, task: &TaskInfo, sel: Selection) -> Result<TaskOutput, CliError> {
    if let Some(n) = sel.attempt
        && (n == 0 || n > task.attempts)
    {
        return Err(CliError::usage(format!(
            "--attempt {n}: task {} has made {} attempt(s); give 1 to {}",
            task.id,
            task.attempts,
            task.attempts.max(1)
        )));
    }
    let client = &ctx.remote.client;
    let mut chunks: Vec<LogChunk> = Vec::new();
    let mut offset = 0;
    let attempt = loop {
        // Each page is asked for by offset, so a retried request resumes where we were.
        let page = ctx.get(|| client.attempt_logs(&task.id, sel.attempt, offset))?;
        if page.chunks.is_empty() || page.next_offset <= offset {
            break page.attempt;
        }
        offset = page.next_offset;
        chunks.extend(page.chunks);
    };
    let pieces = select(&chunks, sel.streams, sel.tail);
    let joined = |stream: &str| -> String {
        pieces
            .iter()
            .filter(|p| (p.stream == "stderr") == (stream == "stderr"))
            .map(|p| p.data.as_str())
            .collect()
    };
    Ok(TaskOutput {
        task_id: task.id.clone(),
        attempt,
        stdout: (sel.streams != Streams::Stderr).then(|| joined("stdout")),
        stderr: (sel.streams != Streams::Stdout).then(|| joined("stderr")),
        chunks: pieces,
    })
}

/// Writes the output where the task wrote it: its stdout to ours, its stderr to ours.
pub fn print(output: &TaskOutput) {
    let mut out = std::io::stdout().lock();
    for piece in &output.chunks {
        if piece.stream == "stderr" {
            let _ = out.flush();
            let _ = std::io::stderr().write_all(piece.data.as_bytes());
        } else {
            let _ = out.write_all(piece.data.as_bytes());
        }
    }
    let _ = out.flush();
}

/// The chunks of the kept streams, runs of one stream joined, cut to the last `tail` lines.
fn select(chunks: &[LogChunk], streams: Streams, tail: Option<usize>) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    for c in chunks.iter().filter(|c| streams.keeps(&c.stream)) {
        match pieces.last_mut() {
            Some(last) if last.stream == c.stream => last.data.push_str(&c.data),
            _ => pieces.push(Piece {
                stream: c.stream.clone(),
                data: c.data.clone(),
            }),
        }
    }
    let Some(tail) = tail else {
        return pieces;
    };
    // Walk back line by line until `tail` lines are kept.
    let mut kept: Vec<Piece> = Vec::new();
    let mut left = tail;
    for piece in pieces.iter().rev() {
        if left == 0 {
            break;
        }
        let lines: Vec<&str> = piece.data.split_inclusive('\n').collect();
        let take = lines.len().min(left);
        left -= take;
        kept.push(Piece {
            stream: piece.stream.clone(),
            data: lines[lines.len() - take..].concat(),
        });
    }
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(stream: &str, data: &str) -> LogChunk {
        LogChunk {
            attempt: 1,
            offset: 0,
            stream: stream.into(),
            data: data.into(),
        }
    }

    #[test]
    fn streams_are_kept_apart_and_the_tail_counts_lines() {
        let chunks = [
            chunk("stdout", "a\nb"),
            chunk("stdout", "\nc\n"),
            chunk("stderr", "oops\n"),
            chunk("stdout", "d\n"),
        ];
        let all = select(&chunks, Streams::Both, None);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].data, "a\nb\nc\n");
        let out = select(&chunks, Streams::Stdout, Some(2));
        assert_eq!(
            out,
            vec![Piece {
                stream: "stdout".into(),
                data: "c\nd\n".into()
            }]
        );
        let both = select(&chunks, Streams::Both, Some(2));
        assert_eq!(both.len(), 2);
        assert_eq!(
            (both[0].data.as_str(), both[1].data.as_str()),
            ("oops\n", "d\n")
        );
        assert!(select(&chunks, Streams::Stderr, Some(0)).is_empty());
    }
}
