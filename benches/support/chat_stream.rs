//! A streamed chat completion timed at the client: what the IDE provider's benchmarks (local and
//! swarm route) measure against the model server directly.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The test model's name, as `.ci/llm`'s server serves it.
pub const MODEL: &str = "smollm2-135m";

pub fn env_num(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One streamed answer: time to the first token and the tokens per second after it.
pub struct Timing {
    pub first_token: Duration,
    pub tokens_per_s: f64,
}

pub async fn stream_once(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    tokens: u64,
) -> Timing {
    let body = json!({
        "model": MODEL, "stream": true, "max_tokens": tokens, "ignore_eos": true,
        "temperature": 0, "seed": 1,
        "messages": [{"role": "user", "content": "Count from one to a hundred."}],
    });
    let mut request = client
        .post(format!("{url}/v1/chat/completions"))
        .json(&body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let started = Instant::now();
    let mut response = request.send().await.expect("sent");
    assert!(response.status().is_success(), "{}", response.status());
    let mut buf = String::new();
    let (mut first, mut last, mut count) = (None, started, 0u64);
    while let Some(chunk) = response.chunk().await.expect("read") {
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let Some(data) = frame.trim().strip_prefix("data: ") else {
                continue;
            };
            let Ok(v) = serde_json::from_str::<Value>(data) else {
                continue;
            };
            if v["choices"][0]["delta"]["content"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
            {
                let now = Instant::now();
                first.get_or_insert(now - started);
                last = now;
                count += 1;
            }
        }
    }
    let first_token = first.expect("no token came");
    let span = (last - started - first_token).as_secs_f64();
    Timing {
        first_token,
        tokens_per_s: if span > 0.0 {
            (count.saturating_sub(1)) as f64 / span
        } else {
            0.0
        },
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Each answer's time to first token in milliseconds, sorted (for `percentile`).
pub fn first_token_ms(timings: &[Timing]) -> Vec<f64> {
    let mut v: Vec<f64> = timings
        .iter()
        .map(|t| t.first_token.as_secs_f64() * 1e3)
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Each answer's tokens per second, sorted (for `percentile`).
pub fn tokens_per_s(timings: &[Timing]) -> Vec<f64> {
    let mut v: Vec<f64> = timings.iter().map(|t| t.tokens_per_s).collect();
    v.sort_by(f64::total_cmp);
    v
}
