//! The control plane's state in memory: the network mode in force (read by every claim), the
//! blacklisted addresses (checked against each agent's socket peer), and the per-address rate
//! limit on registration. The store holds the durable truth; this is its fast copy, loaded at
//! start and updated after each committed change.

use crate::api::NetworkMode;
use crate::server::error::ApiError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// A token bucket per source address: `burst` requests at once, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// 0 turns the limit off.
    pub per_minute: u32,
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_minute: 60,
            burst: 20,
        }
    }
}

/// Past this many tracked addresses, full (idle) buckets are forgotten: a full bucket is the
/// same as no bucket, so memory stays bounded without letting anyone skip the limit.
const MAX_TRACKED: usize = 10_000;

struct Bucket {
    tokens: f64,
    updated: Instant,
}

pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<Option<IpAddr>, Bucket>>,
}

/// A request refused by a rate limit: 429 with `Retry-After`.
#[derive(Debug)]
pub struct RateLimited {
    pub retry_after_secs: u64,
    pub message: String,
}

impl IntoResponse for RateLimited {
    fn into_response(self) -> Response {
        let mut response =
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", self.message)
                .into_response();
        if let Ok(v) = HeaderValue::from_str(&self.retry_after_secs.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `addr`, or says how long until one is free.
    pub fn check(&self, addr: Option<IpAddr>, what: &str) -> Result<(), RateLimited> {
        if self.limit.per_minute == 0 {
            return Ok(());
        }
        let per_sec = f64::from(self.limit.per_minute) / 60.0;
        let burst = f64::from(self.limit.burst.max(1));
        let now = Instant::now();
        // A poisoned lock only means another request panicked mid-update; the map is still sound.
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_TRACKED {
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * per_sec < burst
            });
        }
        let bucket = buckets.entry(addr).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let refill = now.duration_since(bucket.updated).as_secs_f64() * per_sec;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = Duration::from_secs_f64((1.0 - bucket.tokens) / per_sec);
        let retry_after_secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let from = addr.map_or_else(|| "this address".to_string(), |a| a.to_string());
        Err(RateLimited {
            retry_after_secs: retry_after_secs.max(1),
            message: format!(
                "too many {what} from {from} (limit: {} at once, then {} a minute): \
                 try again in {} s",
                self.limit.burst.max(1),
                self.limit.per_minute,
                retry_after_secs.max(1)
            ),
        })
    }
}

pub struct ControlPlane {
    mode: AtomicU8,
    /// The `NETWORK_MODE` setting this process started with.
    pub configured: NetworkMode,
    blocked: RwLock<HashSet<IpAddr>>,
    /// Node registration (enrollment-token use) per source address.
    pub registrations: RateLimiter,
}

fn mode_code(mode: NetworkMode) -> u8 {
    match mode {
        NetworkMode::EnterpriseOverlay => 0,
        NetworkMode::PublicMesh => 1,
    }
}

impl ControlPlane {
    pub fn new(configured: NetworkMode, registrations: RateLimit) -> ControlPlane {
        ControlPlane {
            mode: AtomicU8::new(mode_code(configured)),
            configured,
            blocked: RwLock::new(HashSet::new()),
            registrations: RateLimiter::new(registrations),
        }
    }

    /// The mode every claim applies. Set after the change committed, so once `mode set` has
    /// answered, every later claim sees the new mode.
    pub fn network_mode(&self) -> NetworkMode {
        match self.mode.load(Ordering::Acquire) {
            0 => NetworkMode::EnterpriseOverlay,
            _ => NetworkMode::PublicMesh,
        }
    }

    pub fn set_network_mode(&self, mode: NetworkMode) {
        self.mode.store(mode_code(mode), Ordering::Release);
    }

    /// Replaces the set of blacklisted addresses (after a committed change, or at start).
    pub fn set_blocked_addresses(&self, addresses: &[String]) {
        let set: HashSet<IpAddr> = addresses
            .iter()
            .filter_map(|a| a.parse::<IpAddr>().ok())
            .map(|ip| ip.to_canonical())
            .collect();
        if let Ok(mut blocked) = self.blocked.write() {
            *blocked = set;
        }
    }

    /// Refuses a connection from a blacklisted address.
    pub fn check_peer(&self, peer: IpAddr) -> Result<(), ApiError> {
        let peer = peer.to_canonical();
        let blocked = self
            .blocked
            .read()
            .map(|b| b.contains(&peer))
            // Fail closed: if the set cannot be read, refuse rather than let a ban lapse.
            .unwrap_or(true);
        if blocked {
            Err(crate::server::store::blacklist::address_blacklisted_error(
                &peer.to_string(),
            ))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_with_a_wait() {
        let limiter = RateLimiter::new(RateLimit {
            per_minute: 60,
            burst: 3,
        });
        let a: IpAddr = "10.0.0.1".parse().expect("ip");
        let b: IpAddr = "10.0.0.2".parse().expect("ip");
        for _ in 0..3 {
            assert!(limiter.check(Some(a), "registrations").is_ok());
        }
        let refused = limiter
            .check(Some(a), "registrations")
            .expect_err("past the burst");
        assert_eq!(refused.retry_after_secs, 1);
        assert!(refused.message.contains("10.0.0.1"), "{}", refused.message);
        assert!(
            limiter.check(Some(b), "registrations").is_ok(),
            "another address has its own bucket"
        );
    }

    #[test]
    fn zero_per_minute_is_no_limit() {
        let limiter = RateLimiter::new(RateLimit {
            per_minute: 0,
            burst: 1,
        });
        for _ in 0..100 {
            assert!(limiter.check(None, "registrations").is_ok());
        }
    }

    #[test]
    fn mapped_ipv4_peers_match_plain_ipv4_entries() {
        let control = ControlPlane::new(NetworkMode::PublicMesh, RateLimit::default());
        control.set_blocked_addresses(&["192.0.2.9".into()]);
        let mapped: IpAddr = "::ffff:192.0.2.9".parse().expect("ip");
        assert!(control.check_peer(mapped).is_err());
        assert!(
            control
                .check_peer("192.0.2.10".parse().expect("ip"))
                .is_ok()
        );
    }
}
