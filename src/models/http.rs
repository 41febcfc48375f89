//! The HTTP plumbing both model clients share, so the timeout rules and the error mapping have
//! one implementation: a connect timeout (nothing answered → `Unreachable`), an idle timeout on
//! every wait for bytes, the response headers included (silence → `Stalled`), and an HTTP error
//! read into `Server` with the server's own message when its body carries one.

use super::{ModelError, Timeouts};
use std::time::Duration;

/// A reqwest client with the connect timeout; no redirects (an API key must not follow one).
pub(super) fn client(
    timeouts: Timeouts,
    backend: &'static str,
    url: &str,
) -> Result<reqwest::Client, ModelError> {
    // HTTPS uses rustls with the ring provider; an already installed provider is kept.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        // A fresh connection per call: a model call takes seconds, so reuse saves nothing, and a
        // kept-alive connection the server has meanwhile closed (llama.cpp closes idle ones)
        // fails the next request with "connection closed before message completed".
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ModelError::Unreachable {
            backend,
            url: url.to_string(),
            detail: e.to_string(),
        })
}

/// Sends a request and waits at most `idle` for the response headers.
pub(super) async fn send(
    request: reqwest::RequestBuilder,
    idle: Duration,
    backend: &'static str,
    url: &str,
) -> Result<reqwest::Response, ModelError> {
    let response = match tokio::time::timeout(idle, request.send()).await {
        Err(_) => return Err(ModelError::Stalled { after: idle }),
        Ok(Err(e)) => return Err(send_error(e, idle, backend, url)),
        Ok(Ok(response)) => response,
    };
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status();
    let body = match tokio::time::timeout(idle, response.bytes()).await {
        Ok(Ok(body)) => body,
        _ => Default::default(),
    };
    Err(ModelError::Server {
        status: Some(status.as_u16()),
        message: error_message(status, &body),
    })
}

/// The next piece of a streamed body: `Ok(None)` at its end, `Stalled` after `idle` of silence.
pub(super) async fn chunk(
    response: &mut reqwest::Response,
    idle: Duration,
) -> Result<Option<bytes::Bytes>, ModelError> {
    match tokio::time::timeout(idle, response.chunk()).await {
        Err(_) => Err(ModelError::Stalled { after: idle }),
        Ok(Ok(chunk)) => Ok(chunk),
        Ok(Err(e)) if e.is_timeout() => Err(ModelError::Stalled { after: idle }),
        Ok(Err(e)) => Err(ModelError::Cut(format!(
            "the connection broke: {}",
            chain(&e)
        ))),
    }
}

/// A whole (small) JSON body, read under the idle timeout.
pub(super) async fn json<T: serde::de::DeserializeOwned>(
    mut response: reqwest::Response,
    idle: Duration,
    what: &str,
) -> Result<T, ModelError> {
    let mut body = Vec::new();
    while let Some(piece) = chunk(&mut response, idle).await? {
        body.extend_from_slice(&piece);
    }
    serde_json::from_slice(&body).map_err(|e| ModelError::Garbage(format!("{what}: {e}")))
}

fn send_error(e: reqwest::Error, idle: Duration, backend: &'static str, url: &str) -> ModelError {
    if e.is_connect() {
        ModelError::Unreachable {
            backend,
            url: url.to_string(),
            detail: root_cause(&e),
        }
    } else if e.is_timeout() {
        ModelError::Stalled { after: idle }
    } else {
        // It connected, then what came back was not HTTP (or the connection closed at once).
        ModelError::Garbage(format!("not an HTTP answer: {}", chain(&e)))
    }
}

/// The message of an error body: OpenAI's `{"error":{"message":…}}`, Ollama's `{"error":"…"}`,
/// else the start of the text.
pub(super) fn error_message(status: reqwest::StatusCode, body: &[u8]) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let from_json = parsed.as_ref().and_then(|v| {
        let error = v.get("error")?;
        error
            .as_str()
            .or_else(|| error.get("message")?.as_str())
            .map(str::to_string)
    });
    match from_json {
        Some(message) => format!("HTTP {status}: {message}"),
        None => {
            let text: String = String::from_utf8_lossy(body).chars().take(200).collect();
            if text.trim().is_empty() {
                format!("HTTP {status}")
            } else {
                format!("HTTP {status}: {}", text.trim())
            }
        }
    }
}

/// The innermost cause ("Connection refused (os error 111)"): what a user can act on.
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// An error with its causes, which reqwest keeps out of its own message.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A model server's base URL, normalised: `http://` added when no scheme is given (Ollama's
/// `OLLAMA_HOST=127.0.0.1:11434` form), no trailing slash, and without `suffix` (`/v1`) when
/// the user included it.
pub(super) fn base_url(text: &str, suffix: &str, setting: &str) -> Result<String, String> {
    let text = text.trim();
    let bad = |why: &str| {
        format!(
            "{setting}={text:?} is not a model server URL ({why}): give one like http://127.0.0.1:11434"
        )
    };
    if text.is_empty() {
        return Err(bad("it is empty"));
    }
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let (_, base) = crate::api::url::parse_http_base(&with_scheme).map_err(|why| bad(&why))?;
    let base = base.as_str();
    let base = base
        .strip_suffix(suffix)
        .unwrap_or(base)
        .trim_end_matches('/');
    Ok(base.to_string())
}

/// The start of something a server sent, for an error message.
pub(super) fn clip(text: &str) -> String {
    crate::api::clip_chars(text, 120)
}

#[cfg(test)]
mod tests {
    use super::base_url;

    #[test]
    fn base_urls_take_the_forms_users_write() {
        let ok = |t: &str, s: &str| base_url(t, s, "X").expect(t);
        assert_eq!(
            ok("http://127.0.0.1:8080/v1", "/v1"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            ok("http://127.0.0.1:8080/v1/", "/v1"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(ok("http://127.0.0.1:8080", "/v1"), "http://127.0.0.1:8080");
        assert_eq!(ok("HTTP://Host:8080/", ""), "http://host:8080");
        assert_eq!(ok("127.0.0.1:11434", ""), "http://127.0.0.1:11434");
        assert_eq!(
            ok("https://proxy.example.com/llm/v1", "/v1"),
            "https://proxy.example.com/llm"
        );
        for bad in ["", "ftp://x", "http://u:p@h", "http://h/?q=1", "http://"] {
            assert!(base_url(bad, "/v1", "X").is_err(), "{bad} parsed");
        }
    }
}
