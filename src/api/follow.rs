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
    matches!(
        e,
        ClientError::Api {
            status: 401 | 403,
            ..
        }
    )
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
            None => Ok(self.went_down("the coordinator closed the event stream".into(), true)),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A loopback port with nothing listening: a coordinator that is down.
    fn closed_port() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        drop(listener);
        port
    }

    fn follower_of_nothing() -> Follower {
        let url = format!("http://127.0.0.1:{}", closed_port());
        let client = Client::new(&url, Some("t".into())).expect("client");
        Follower::new(client, "/api/v1/events", Some(7))
    }

    fn down(update: Result<Update, ClientError>) -> Down {
        match update {
            Ok(Update::Down(d)) => d,
            other => panic!("expected a Down notice, got {other:?}"),
        }
    }

    /// Down at the start is not an error: the follower says so and keeps trying, with the
    /// documented backoff, and keeps the resume point.
    #[tokio::test]
    async fn a_coordinator_down_at_start_is_reported_and_retried_with_backoff() {
        let mut f = follower_of_nothing();
        let first = down(f.next().await);
        assert!(first.first && !first.was_up && !first.closed, "{first:?}");
        assert!(first.retry_in >= Backoff::FIRST.mul_f64(0.8));
        assert!(first.retry_in <= Backoff::FIRST.mul_f64(1.2));
        let started = Instant::now();
        let second = down(f.next().await);
        // The second try came after the first pause, and is the same outage.
        assert!(
            started.elapsed() >= first.retry_in,
            "{:?}",
            started.elapsed()
        );
        assert!(!second.first && !second.was_up);
        assert_eq!(second.since, first.since);
        assert!(second.retry_in >= Backoff::FIRST.mul_f64(2.0 * 0.8));
        for _ in 0..8 {
            f.retry_now();
            let later = down(f.next().await);
            assert!(later.retry_in <= Backoff::CAP.mul_f64(1.2), "{later:?}");
        }
        assert_eq!(f.last_id(), Some(7));
        assert!(!f.is_connected());
    }

    /// `retry_now` skips the owed pause, even after a cancelled wait (the dashboard's `r`).
    #[tokio::test]
    async fn retry_now_skips_the_pause_and_waiting_is_cancel_safe() {
        let mut f = follower_of_nothing();
        let _ = down(f.next().await);
        for _ in 0..6 {
            f.retry_now();
            let _ = down(f.next().await); // pauses grow to seconds
        }
        // Cancelled mid-pause: nothing is lost, the pause is still owed.
        let cut = tokio::time::timeout(Duration::from_millis(50), f.next()).await;
        assert!(cut.is_err(), "the pause was skipped without retry_now");
        f.retry_now();
        let quick = tokio::time::timeout(Duration::from_secs(2), f.next()).await;
        assert!(matches!(quick, Ok(Ok(Update::Down(_)))), "{quick:?}");
    }

    /// An unreadable event is skipped and said, and the events after it still come; the end
    /// of the stream is a clean close, and the resume point is the last good event.
    #[tokio::test]
    async fn an_unreadable_event_is_skipped_and_the_stream_goes_on() {
        let event = |id: i64| {
            format!(
                "id: {id}\ndata: {{\"id\":{id},\"at\":1,\"kind\":\"task.log\",\
                 \"task_id\":\"t\",\"node_id\":null,\"data\":{{}}}}\n\n"
            )
        };
        let mut f = follower_of_nothing();
        f.stream = Some(EventStream::from_chunks(vec![
            event(8),
            "id: 9\ndata: {not an event\n\n".into(),
            event(10),
        ]));
        assert!(matches!(f.next().await, Ok(Update::Event(e)) if e.id == 8));
        assert!(
            matches!(f.next().await, Ok(Update::Skipped(why)) if why.contains("not edgecoder's"))
        );
        assert!(matches!(f.next().await, Ok(Update::Event(e)) if e.id == 10));
        assert_eq!(f.last_id(), Some(10));
        let end = down(f.next().await);
        assert!(end.closed && end.first, "{end:?}");
        assert!(!f.is_connected());
    }

    #[test]
    fn refused_tokens_are_auth_errors_and_nothing_else_is() {
        let api = |status| ClientError::Api {
            status,
            code: super::super::codes::UNAUTHORIZED.into(),
            message: "m".into(),
        };
        assert!(is_auth_error(&api(401)));
        assert!(is_auth_error(&api(403)));
        assert!(!is_auth_error(&api(404)));
        assert!(!is_auth_error(&ClientError::Unreachable {
            url: "u".into(),
            reason: "refused".into(),
        }));
    }
}
