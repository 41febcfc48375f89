//! Counters and the request latency histogram behind `/metrics` (Prometheus text format).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    total: u64,
    sum: f64,
}

/// The `method` label: a fixed set, so a client cannot grow the metrics with made-up methods.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[derive(Default)]
pub struct Metrics {
    pub claims: AtomicU64,
    pub lease_expiries: AtomicU64,
    pub tasks_submitted: AtomicU64,
    requests: Mutex<BTreeMap<(&'static str, String), Histogram>>,
}

impl Metrics {
    pub fn observe_request(&self, method: &'static str, route: &str, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        if let Ok(mut map) = self.requests.lock() {
            let h = map.entry((method, route.to_string())).or_default();
            for (i, le) in BUCKETS.iter().enumerate() {
                if secs <= *le {
                    h.counts[i] += 1;
                }
            }
            h.total += 1;
            h.sum += secs;
        }
    }

    /// Renders the counters with the gauges the caller read from the store.
    pub fn render(&self, tasks_by_state: &BTreeMap<String, u64>, nodes: (u64, u64)) -> String {
        let mut out = String::new();
        let queued = tasks_by_state.get("queued").copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "# HELP edgecoder_queue_depth Tasks waiting to be claimed."
        );
        let _ = writeln!(out, "# TYPE edgecoder_queue_depth gauge");
        let _ = writeln!(out, "edgecoder_queue_depth {queued}");
        let _ = writeln!(out, "# HELP edgecoder_tasks Tasks by state.");
        let _ = writeln!(out, "# TYPE edgecoder_tasks gauge");
        for (state, n) in tasks_by_state {
            let _ = writeln!(out, "edgecoder_tasks{{state=\"{state}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP edgecoder_nodes Nodes online and approved, and pending."
        );
        let _ = writeln!(out, "# TYPE edgecoder_nodes gauge");
        let _ = writeln!(out, "edgecoder_nodes{{status=\"online\"}} {}", nodes.0);
        let _ = writeln!(out, "edgecoder_nodes{{status=\"pending\"}} {}", nodes.1);
        for (name, help, value) in [
            (
                "edgecoder_claims_total",
                "Tasks handed to agents.",
                &self.claims,
            ),
            (
                "edgecoder_lease_expiries_total",
                "Leases ended by the coordinator (not accepted, node lost, deadline passed).",
                &self.lease_expiries,
            ),
            (
                "edgecoder_tasks_submitted_total",
                "Tasks accepted into the queue.",
                &self.tasks_submitted,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        self.render_requests(&mut out);
        out
    }

    /// The request latency histogram by method and route (the inference service's too).
    pub fn render_requests(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP edgecoder_request_duration_seconds HTTP request latency by route."
        );
        let _ = writeln!(out, "# TYPE edgecoder_request_duration_seconds histogram");
        if let Ok(map) = self.requests.lock() {
            for ((method, route), h) in map.iter() {
                let labels = format!("method=\"{method}\",route=\"{route}\"");
                for (i, le) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "edgecoder_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "edgecoder_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                    h.total
                );
                let _ = writeln!(
                    out,
                    "edgecoder_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "edgecoder_request_duration_seconds_count{{{labels}}} {}",
                    h.total
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::method_label;
    use axum::http::Method;

    #[test]
    fn method_labels_come_from_a_fixed_set() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::OPTIONS), "OPTIONS");
        assert_eq!(method_label(&Method::TRACE), "other");
        let made_up = Method::from_bytes(b"X-ANYTHING-AT-ALL").expect("method");
        assert_eq!(method_label(&made_up), "other");
    }
}
