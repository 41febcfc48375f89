//! The one retry pause: capped exponential backoff with jitter, used by every loop that waits
//! for a coordinator to come back (the agent's claims, heartbeats, results and log uploads, the
//! CLI's idempotent requests and waits, and the event-stream follower).

use std::time::Duration;

/// Capped exponential backoff: `first`, then doubling to `cap`, each pause jittered ±20% so a
/// fleet does not meet a restarted coordinator all at once. Optionally logs the first failure
/// and the recovery, once each, instead of every attempt.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    cap: Duration,
    failures: u32,
    /// What is being retried, for the log; `None` keeps the backoff quiet.
    what: Option<&'static str>,
}

impl Backoff {
    /// The follower's and the CLI's policy: 200 ms doubling to 5 s.
    pub const FIRST: Duration = Duration::from_millis(200);
    pub const CAP: Duration = Duration::from_secs(5);

    /// A quiet backoff from `first`, doubling up to `cap`.
    pub const fn new(first: Duration, cap: Duration) -> Self {
        Backoff {
            first,
            cap,
            failures: 0,
            what: None,
        }
    }

    /// The default policy: [`Backoff::FIRST`] doubling to [`Backoff::CAP`].
    pub const fn standard() -> Self {
        Backoff::new(Backoff::FIRST, Backoff::CAP)
    }

    /// Logs the first failure (a warning) and the recovery (info) of `what`.
    pub fn logged(mut self, what: &'static str) -> Self {
        self.what = Some(what);
        self
    }

    /// How many failures in a row since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The longest pause this backoff can return (its cap with the largest jitter).
    pub fn longest_pause(&self) -> Duration {
        self.cap.mul_f64(1.0 + JITTER)
    }

    /// Records a failure; returns how long to wait before the next try.
    pub fn failed(&mut self, why: &dyn std::fmt::Display) -> Duration {
        if self.failures == 0
            && let Some(what) = self.what
        {
            tracing::warn!("{what} failed: {why}; retrying with backoff");
        }
        self.next_pause()
    }

    /// Counts a failure and returns the pause before the next try, without logging.
    pub fn next_pause(&mut self) -> Duration {
        let doublings = self.failures.min(16);
        self.failures = self.failures.saturating_add(1);
        let base = self
            .first
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.cap)
            .min(self.cap);
        jittered(base)
    }

    /// Records a success: the next failure starts again from `first`.
    pub fn succeeded(&mut self) {
        if self.failures > 0
            && let Some(what) = self.what
        {
            tracing::info!("{what} working again after {} failures", self.failures);
        }
        self.failures = 0;
    }

    /// Waits out the next pause (a failure without logging).
    pub async fn sleep(&mut self) {
        tokio::time::sleep(self.next_pause()).await;
    }
}

/// The jitter's half-width: pauses fall in [0.8, 1.2] × the base.
const JITTER: f64 = 0.2;

/// `d` ±20%, so many clients retrying at once spread out.
pub fn jittered(d: Duration) -> Duration {
    let mut b = [0u8; 2];
    let r = if getrandom::fill(&mut b).is_ok() {
        u16::from_le_bytes(b) as f64 / u16::MAX as f64
    } else {
        0.5
    };
    d.mul_f64(1.0 - JITTER + 2.0 * JITTER * r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_from_first_to_the_cap_within_the_jitter() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_millis(450));
        let within = |d: Duration, base: u64| {
            let base = Duration::from_millis(base);
            d >= base.mul_f64(0.8) && d <= base.mul_f64(1.2)
        };
        assert!(within(b.next_pause(), 100));
        assert!(within(b.next_pause(), 200));
        assert!(within(b.next_pause(), 400));
        assert!(within(b.next_pause(), 450));
        for _ in 0..100 {
            assert!(within(b.next_pause(), 450));
        }
        assert_eq!(b.failures(), 104);
        b.succeeded();
        assert_eq!(b.failures(), 0);
        assert!(within(b.next_pause(), 100));
        assert!(b.longest_pause() <= Duration::from_millis(540));
    }
}
