//! The client side of the coordinator's Server-Sent Events: `/api/v1/events` and a task's
//! `/stream`. One parser, under the one resuming follower (`api::follow`) that `server events`,
//! `tasks logs -f`, `--follow` and the dashboard use.
//!
//! A stream remembers the id of the last event it handed out; reconnecting with that id
//! (`Last-Event-ID`) continues exactly where the dropped connection stopped, with no repeats.
//!
//! [`SseParser`] is the wire format alone (bytes in, frames out); the OpenAI-compatible model
//! client (`models::openai`) reads its streamed answers with it too, so there is one parser.

use super::Event;
use super::client::{Client, ClientError};
use futures_util::{Stream, StreamExt};
use std::pin::Pin;

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

/// An open SSE connection that yields the coordinator's events in order.
pub struct EventStream {
    url: String,
    body: ByteStream,
    parser: SseParser,
    last_id: Option<i64>,
}

/// One event of an SSE stream: its `id:` (when it had one) and its `data:` lines joined by `\n`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SseFrame {
    pub id: Option<String>,
    pub data: String,
}

/// The SSE wire format: feed it bytes as they arrive, take complete frames out. Comments
/// (keep-alives) and frames without data are skipped; `event:` and `retry:` are ignored.
#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
    frame: SseFrame,
}

impl SseParser {
    pub fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete frame in what was pushed so far, if any.
    pub fn next_frame(&mut self) -> Option<SseFrame> {
        while let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=pos).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if let Some(frame) = self.feed(line) {
                return Some(frame);
            }
        }
        None
    }

    /// Whether bytes of an unfinished line or frame are waiting.
    pub fn has_partial(&self) -> bool {
        !self.buf.is_empty() || !self.frame.data.is_empty()
    }

    /// Takes one line of the stream; returns a frame when a blank line completes one.
    fn feed(&mut self, line: &str) -> Option<SseFrame> {
        if line.is_empty() {
            let frame = std::mem::take(&mut self.frame);
            return (!frame.data.is_empty()).then_some(frame);
        }
        if line.starts_with(':') {
            return None; // keep-alive comment
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "id" => self.frame.id = Some(value.trim().to_string()),
            "data" => {
                if !self.frame.data.is_empty() {
                    self.frame.data.push('\n');
                }
                self.frame.data.push_str(value);
            }
            _ => {} // `event:` repeats the kind that the data carries; `retry:` is not used
        }
        None
    }
}

impl Client {
    /// Opens `path` (e.g. `/api/v1/events` or `/api/v1/tasks/ID/stream`) as an SSE stream,
    /// resuming after `last_id` when given.
    pub async fn event_stream(
        &self,
        path: &str,
        last_id: Option<i64>,
    ) -> Result<EventStream, ClientError> {
        let resp = self.open_stream(path, last_id).await?;
        Ok(EventStream {
            url: self.base_url().to_string(),
            body: Box::pin(resp.bytes_stream()),
            parser: SseParser::default(),
            last_id,
        })
    }
}

impl EventStream {
    /// A stream over fixed bytes, as if the coordinator had sent them, for the follower's tests.
    #[cfg(test)]
    pub(crate) fn from_chunks(chunks: Vec<String>) -> EventStream {
        let items: Vec<reqwest::Result<bytes::Bytes>> = chunks
            .into_iter()
            .map(|c| Ok(bytes::Bytes::from(c)))
            .collect();
        EventStream {
            url: "http://127.0.0.1:1".into(),
            body: Box::pin(futures_util::stream::iter(items)),
            parser: SseParser::default(),
            last_id: None,
        }
    }

    /// The id of the last event handed out: pass it to [`Client::event_stream`] to resume.
    pub fn last_id(&self) -> Option<i64> {
        self.last_id
    }

    /// The next event; `None` when the coordinator ended the stream (a task stream ends after
    /// the task's last event), an error when the connection broke or sent something that is
    /// not an event.
    pub async fn next(&mut self) -> Option<Result<Event, ClientError>> {
        loop {
            if let Some(frame) = self.parser.next_frame() {
                return Some(self.event(frame));
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.parser.push(&chunk),
                Some(Err(e)) => {
                    return Some(Err(ClientError::Unreachable {
                        url: self.url.clone(),
                        reason: format!("the event stream broke: {e}"),
                    }));
                }
                None => return None,
            }
        }
    }

    fn event(&mut self, frame: SseFrame) -> Result<Event, ClientError> {
        let parsed = serde_json::from_str::<Event>(&frame.data).map_err(|e| ClientError::Garbage {
            url: self.url.clone(),
            reason: format!("an event that is not edgecoder's: {e}"),
        });
        if let Ok(event) = &parsed {
            let id = frame.id.and_then(|id| id.parse().ok());
            self.last_id = Some(id.unwrap_or(event.id));
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_of(chunks: Vec<&'static str>) -> EventStream {
        let items: Vec<reqwest::Result<bytes::Bytes>> = chunks
            .into_iter()
            .map(|c| Ok(bytes::Bytes::from_static(c.as_bytes())))
            .collect();
        EventStream {
            url: "http://x".into(),
            body: Box::pin(futures_util::stream::iter(items)),
            parser: SseParser::default(),
            last_id: None,
        }
    }

    #[tokio::test]
    async fn events_split_across_chunks_parse_and_track_their_id() {
        let ev = r#"{"id":7,"at":1,"kind":"task.queued","task_id":"t","node_id":null,"data":{}}"#;
        let text: &'static str = Box::leak(
            format!(": keep-alive\n\nid: 7\nevent: task.queued\ndata: {ev}\n\n").into_boxed_str(),
        );
        let (a, b) = text.split_at(30);
        let mut s = stream_of(vec![a, b]);
        let event = s.next().await.expect("one event").expect("parses");
        assert_eq!(event.id, 7);
        assert_eq!(event.kind, "task.queued");
        assert_eq!(s.last_id(), Some(7));
        assert!(s.next().await.is_none());
    }

    #[tokio::test]
    async fn garbage_data_is_an_error_not_a_panic() {
        let mut s = stream_of(vec!["id: 1\ndata: not json\n\n"]);
        assert!(matches!(
            s.next().await,
            Some(Err(ClientError::Garbage { .. }))
        ));
        assert_eq!(s.last_id(), None);
    }
}
