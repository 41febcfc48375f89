//! The one resuming follower of the coordinator's Server-Sent Events (`/api/v1/events` and a
//! task's `/stream`), used by `server events`, `tasks --follow`/`wait`/`logs -f` and the
//! dashboard. Callers keep only what is theirs (when a task ended, what the screen shows).
//!
//! The policy, the same for every caller (docs/decisions.md, "Event-stream follower"):
//! - **Resume**: every reconnect sends `Last-Event-ID` (the last event handed out), so a dropped
//!   connection or a coordinator restart neither loses nor repeats events.
//! - **Backoff**: [`Backoff::standard`], 200 ms doubling to 5 s, ±20% jitter; a successful
//!   connection starts it again from 200 ms.
//! - **Down, at the start or later**: keep trying; each failed try is reported as
//!   [`Update::Down`] (with when the outage began), so a caller can say so, or give up on its
//!   own terms.
//! - **An unreadable event**: skipped and reported as [`Update::Skipped`]; the stream goes on.
//! - **401/403** (the token was revoked or has expired, or lacks the role): the follow stops
//!   with that error ([`is_auth_error`]); asking again would only be refused again. Any other
//!   refusal by the coordinator (a 404 for a task that is not there) stops it too.

use super::Event;
use super::backoff::Backoff;
use super::client::{Client, ClientError};
use super::sse::EventStream;
use std::time::{Duration, Instant};

/// What a follower reports.
#[derive(Debug)]
pub enum Update {
    /// Connected (again); events follow.
    Up,
    /// The next event, in order, never repeated.
    Event(Event),
    /// An event that could not be read was skipped; why.
    Skipped(String),
    /// Not connected; the follower tries again after `retry_in`.
    Down(Down),
}

/// A failed connection, or a stream that ended or broke.
#[derive(Debug, Clone)]
pub struct Down {
    /// Why, in words ("the coordinator closed the event stream", "connection refused"…).
    pub reason: String,
    /// When this outage began (the first failure since the last connection).
    pub since: Instant,
    /// Whether the follower was ever connected; `false` means the coordinator was down at start.
    pub was_up: bool,
    /// The first notice of this outage (print once, not at every try).
    pub first: bool,
    /// The stream ended cleanly (the coordinator closed it, as a task's stream does after the
    /// task's last event), rather than failing to connect or breaking.
    pub closed: bool,
    /// The pause before the next try.
    pub retry_in: Duration,
}

/// Whether `e` means the token was refused (401: revoked, expired, unknown; 403: the role).
pub fn is_auth_error(e: &ClientError) -> bool {
    matches!(e, ClientError::Api { status: 401 | 403, .. })
}

/// Follows one SSE path, reconnecting and resuming by itself. Call [`Follower::next`] in a loop.
pub struct Follower {
    client: Client,
    path: String,
    stream: Option<EventStream>,
    last_id: Option<i64>,
    backoff: Backoff,
    /// The pause owed before the next connection attempt.
    pause: Option<Duration>,
    down_since: Option<Instant>,
    was_up: bool,
}

impl Follower {
    /// Follows `path` (e.g. `/api/v1/events?include_logs=true`), starting after event `after`.
    pub fn new(client: Client, path: impl Into<String>, after: Option<i64>) -> Self {
        Follower {
            client,
            path: path.into(),
            stream: None,
            last_id: after,
            backoff: Backoff::standard(),
            pause: None,
            down_since: None,
            was_up: false,
        }
    }

    /// The id of the last event handed out.
    pub fn last_id(&self) -> Option<i64> {
        self.last_id
    }

    /// Whether a stream is open now.
    pub fn is_connected(&self) -> bool {
        self.stream.is_some()
    }

    /// Skips the pause before the next attempt (the user asked to retry now).
    pub fn retry_now(&mut self) {
        self.pause = None;
    }

    /// The next update. An `Err` is the coordinator refusing us (see the module's policy): the
    /// follow should stop, though calling `next` again tries once more.
    ///
    /// Cancel-safe while not connected (during the pause or the connection attempt): dropping
    /// the future keeps the owed pause and the resume point.
    pub async fn next(&mut self) -> Result<Update, ClientError> {
        let Some(stream) = self.stream.as_mut() else {
            return self.connect().await;
        };
        match stream.next().await {
            Some(Ok(event)) => {
                self.last_id = stream.last_id().or(self.last_id);
                Ok(Update::Event(event))
            }
            Some(Err(ClientError::Garbage { reason, .. })) => Ok(Update::Skipped(reason)),
            Some(Err(ClientError::Unreachable { reason, .. })) => Ok(self.went_down(reason, false)),
            Some(Err(e)) => {
                self.stream = None;
                Err(e)
            }
            None => Ok(self.went_down(
                "the coordinator closed the event stream".into(),
                true,
            )),
        }
    }

    async fn connect(&mut self) -> Result<Update, ClientError> {
        if let Some(pause) = self.pause {
            tokio::time::sleep(pause).await;
            self.pause = None;
        }
        match self.client.event_stream(&self.path, self.last_id).await {
            Ok(stream) => {
                self.stream = Some(stream);
                self.backoff.succeeded();
                self.down_since = None;
                self.was_up = true;
                Ok(Update::Up)
            }
            Err(ClientError::Unreachable { reason, .. }) => Ok(self.went_down(reason, false)),
            // A 503 is a coordinator starting or draining: it will be back.
            Err(ClientError::Api {
                status: 502..=504,
                message,
                ..
            }) => Ok(self.went_down(message, false)),
            Err(e) => {
                // Not worth a quick retry: the same answer would come back.
                self.pause = Some(self.backoff.next_pause());
                Err(e)
            }
        }
    }

    fn went_down(&mut self, reason: String, closed: bool) -> Update {
        self.stream = None;
        let first = self.down_since.is_none();
        let since = *self.down_since.get_or_insert_with(Instant::now);
        let retry_in = self.backoff.next_pause();
        self.pause = Some(retry_in);
        Update::Down(Down {
            reason,
            since,
            was_up: self.was_up,
            first,
            closed,
            retry_in,
        })
    }
}
