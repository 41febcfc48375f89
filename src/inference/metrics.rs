//! `/metrics` of the inference service (Prometheus text): calls and errors by route, tokens in
//! and out, and the request latency histogram the coordinator keeps too (one implementation:
//! `server::metrics`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Default)]
pub struct Metrics {
    latency: crate::server::metrics::Metrics,
    /// (route, status) → count.
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    tokens_in: AtomicU64,
    tokens_out: AtomicU64,
    /// Decompositions that came back as one subtask because the model's answers were unusable.
    fallbacks: AtomicU64,
    /// Retries with the validation error.
    retries: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, method: &'static str, route: &str, status: u16, elapsed: Duration) {
        self.latency.observe_request(method, route, elapsed);
        if let Ok(mut map) = self.requests.lock() {
            *map.entry((route.to_string(), status)).or_default() += 1;
        }
    }

    pub fn tokens(&self, tokens_in: u64, tokens_out: u64) {
        self.tokens_in.fetch_add(tokens_in, Ordering::Relaxed);
        self.tokens_out.fetch_add(tokens_out, Ordering::Relaxed);
    }

    pub fn decomposed(&self, retries: u64, fell_back: bool) {
        self.retries.fetch_add(retries, Ordering::Relaxed);
        if fell_back {
            self.fallbacks.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP edgecoder_inference_requests_total Requests by route and status."
        );
        let _ = writeln!(out, "# TYPE edgecoder_inference_requests_total counter");
        let _ = writeln!(
            out,
            "# HELP edgecoder_inference_errors_total Requests answered with an error status."
        );
        let _ = writeln!(out, "# TYPE edgecoder_inference_errors_total counter");
        let mut errors: BTreeMap<String, u64> = BTreeMap::new();
        if let Ok(map) = self.requests.lock() {
            for ((route, status), n) in map.iter() {
                let _ = writeln!(
                    out,
                    "edgecoder_inference_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
                if *status >= 400 {
                    *errors.entry(route.clone()).or_default() += n;
                }
            }
        }
        for (route, n) in errors {
            let _ = writeln!(
                out,
                "edgecoder_inference_errors_total{{route=\"{route}\"}} {n}"
            );
        }
        for (name, help, value) in [
            (
                "edgecoder_inference_tokens_in_total",
                "Prompt tokens sent to the models.",
                &self.tokens_in,
            ),
            (
                "edgecoder_inference_tokens_out_total",
                "Tokens the models answered with.",
                &self.tokens_out,
            ),
            (
                "edgecoder_inference_decompose_retries_total",
                "Decompositions asked again with the validation error.",
                &self.retries,
            ),
            (
                "edgecoder_inference_decompose_fallbacks_total",
                "Decompositions that became one subtask.",
                &self.fallbacks,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        self.latency.render_requests(&mut out);
        out
    }
}
