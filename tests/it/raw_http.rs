//! HTTP below the typed client: answers read in full (status, headers, body) and Server-Sent
//! Events read one by one, for the checks the client hides.

use std::time::Duration;

/// An HTTP answer read in full, for checks the typed client hides (status, headers, raw body).
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Raw {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text))
    }

    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, the `{"error":{"code","message"}}` envelope and the request id.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "wrong status; body: {}", self.text);
        let body = self.json();
        assert_eq!(
            body["error"]["code"].as_str(),
            Some(code),
            "wrong error code; body: {}",
            self.text
        );
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "no error message: {}", self.text);
        assert_eq!(
            body.as_object().map(|o| o.len()),
            Some(1),
            "envelope has extra fields: {}",
            self.text
        );
        assert!(
            self.request_id().is_some_and(|id| !id.is_empty()),
            "no x-request-id header"
        );
    }
}

/// The status `/ready` answers with (0 when nothing answers).
pub async fn ready_status(url: &str) -> u16 {
    http()
        .get(format!("{url}/ready"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

pub fn http() -> reqwest::Client {
    http_with_timeout(Duration::from_secs(20))
}

/// [`http`] with another time limit per request.
pub fn http_with_timeout(timeout: Duration) -> reqwest::Client {
    // As the crate's own client does: reqwest is built without a provider, and which test of
    // this one binary makes the first client must not matter.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .expect("http client")
}

pub async fn send(req: reqwest::RequestBuilder) -> Raw {
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body read");
    Raw {
        status,
        headers,
        text,
    }
}

/// One Server-Sent Event.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub id: Option<i64>,
    pub event: String,
    pub data: String,
}

impl SseEvent {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).unwrap_or(serde_json::Value::Null)
    }
}

/// Reads an SSE response event by event.
pub struct SseReader {
    resp: reqwest::Response,
    buf: String,
}

impl SseReader {
    pub fn new(resp: reqwest::Response) -> SseReader {
        SseReader {
            resp,
            buf: String::new(),
        }
    }

    /// The next event; None when the server ended the stream. Panics if none comes in `within`.
    pub async fn next(&mut self, within: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut event = SseEvent {
                    id: None,
                    event: "message".into(),
                    data: String::new(),
                };
                let mut any = false;
                for line in block.lines() {
                    let (field, value) = line.split_once(':').unwrap_or((line, ""));
                    let value = value.strip_prefix(' ').unwrap_or(value);
                    match field {
                        "id" => {
                            event.id = value.parse().ok();
                            any = true;
                        }
                        "event" => {
                            event.event = value.to_string();
                            any = true;
                        }
                        "data" => {
                            if !event.data.is_empty() {
                                event.data.push('\n');
                            }
                            event.data.push_str(value);
                            any = true;
                        }
                        _ => {}
                    }
                }
                if any {
                    return Some(event);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk())
                .await
                .unwrap_or_else(|_| panic!("no SSE event within {within:?}; have {:?}", self.buf))
                .expect("SSE stream read");
            match chunk {
                Some(bytes) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                None => return None,
            }
        }
    }

    /// Every event until the server ends the stream.
    pub async fn collect_to_end(&mut self, within: Duration) -> Vec<SseEvent> {
        let deadline = tokio::time::Instant::now() + within;
        let mut all = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Some(e) => all.push(e),
                None => return all,
            }
        }
    }
}
