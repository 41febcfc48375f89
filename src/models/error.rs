//! What can go wrong talking to a model server, each with what to do about it.

use std::time::Duration;

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ModelError {
    /// Nothing answered at the URL (refused, DNS, connect timeout).
    #[error("the {backend} server at {url} did not answer ({detail}); is it running?")]
    Unreachable {
        backend: &'static str,
        url: String,
        detail: String,
    },
    /// The model asked for is not on any configured server.
    #[error("{}", not_installed(model, available))]
    NotInstalled {
        model: String,
        available: Vec<String>,
    },
    /// The server answered with an error (an HTTP error, or an `{"error":…}` line mid-stream).
    #[error("the model server said: {message}")]
    Server {
        status: Option<u16>,
        message: String,
    },
    /// The server answered something that is not its protocol.
    #[error("the model server's answer could not be read: {0}")]
    Garbage(String),
    /// The stream went quiet for longer than the idle timeout.
    #[error("the model server stopped sending for {}s; raise EDGECODER_MODEL_IDLE_TIMEOUT if the model is slow to load", after.as_secs())]
    Stalled { after: Duration },
    /// The stream ended before the server said the answer was done.
    #[error("the model server's answer ended before it was done: {0}")]
    Cut(String),
    /// A setting that names a model server is wrong (its URL, its key file).
    #[error("{0}")]
    Settings(String),
    /// No backend is configured at all.
    #[error("no model backend is configured: set OLLAMA_HOST or EDGECODER_OPENAI_BASE_URL")]
    NoBackend,
}

fn not_installed(model: &str, available: &[String]) -> String {
    if available.is_empty() {
        format!("model {model:?} is not installed, and this node serves no models")
    } else {
        format!(
            "model {model:?} is not installed; this node serves: {}",
            available.join(", ")
        )
    }
}
