//! The client the coordinator reaches the inference service with (`serve --mode inference`):
//! the coordinator's [`Client`] HTTP pieces with the service's own bearer token, a timeout that
//! fits a model call, and errors that say whether a retry can help, so a job waits out a service
//! that is down instead of failing at once.

use super::{Client, ClientError};
use crate::api::{
    DecomposeRequest, DecomposeResponse, EscalateRequest, EscalateResponse, InferenceChatRequest,
    InferenceChatResponse,
};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// A model call on a CPU can take minutes; longer than this is a stuck service.
pub const DEFAULT_INFERENCE_TIMEOUT: Duration = Duration::from_secs(600);

/// What went wrong talking to the inference service; [`InferenceError::retryable`] says whether
/// the same request may succeed later.
#[derive(Debug, thiserror::Error)]
pub enum InferenceError {
    #[error("the inference service at {url} is not reachable: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the inference service answered HTTP {status} ({code}): {message}")]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the inference service at {url} answered something that is not its API: {reason}")]
    Garbage { url: String, reason: String },
    /// Nothing was sent: a bad URL, a token that would go over plain HTTP to another machine.
    #[error("{reason}")]
    Refused { url: String, reason: String },
}

impl InferenceError {
    /// Unreachable, 5xx, 408 and 429 may pass (the service restarts, its model loads); any other
    /// 4xx or a refusal to send is this request's or this configuration's fault and will not.
    pub fn retryable(&self) -> bool {
        match self {
            InferenceError::Unreachable { .. } | InferenceError::Garbage { .. } => true,
            InferenceError::Api { status, .. } => {
                *status >= 500 || *status == 408 || *status == 429
            }
            InferenceError::Refused { .. } => false,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            InferenceError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<ClientError> for InferenceError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Unreachable { url, reason } => InferenceError::Unreachable { url, reason },
            ClientError::Api {
                status,
                code,
                message,
            } => InferenceError::Api {
                status,
                code,
                message,
            },
            ClientError::Garbage { url, reason } => InferenceError::Garbage { url, reason },
            ClientError::Refused { url, reason } => InferenceError::Refused { url, reason },
        }
    }
}

/// Where the coordinator reaches its inference service: `EDGECODER_INFERENCE_URL` and
/// `EDGECODER_INFERENCE_TOKEN`, or the one an all-in-one `serve` started inside itself.
#[derive(Clone, PartialEq, Eq)]
pub struct InferenceEndpoint {
    pub url: String,
    pub token: String,
}

impl std::fmt::Debug for InferenceEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("InferenceEndpoint")
            .field("url", &self.url)
            .finish()
    }
}

impl InferenceEndpoint {
    /// A client for this endpoint.
    pub fn client(&self) -> Result<InferenceClient, InferenceError> {
        InferenceClient::new(&self.url, &self.token)
    }
}

/// The inference service at a base URL, with its token.
#[derive(Clone, Debug)]
pub struct InferenceClient {
    client: Client,
    timeout: Duration,
}

impl InferenceClient {
    /// `base`: the service's URL (`EDGECODER_INFERENCE_URL`); `token`: its bearer token
    /// (`EDGECODER_INFERENCE_TOKEN`), never the coordinator's.
    pub fn new(base: &str, token: &str) -> Result<InferenceClient, InferenceError> {
        let client = Client::new(base, Some(token.to_string()))?;
        Ok(InferenceClient {
            client,
            timeout: DEFAULT_INFERENCE_TIMEOUT,
        })
    }

    /// Send the token over plain HTTP to another machine (the network is trusted).
    pub fn with_allow_insecure(mut self, allow: bool) -> Self {
        self.client = self.client.with_allow_insecure(allow);
        self
    }

    /// The longest one call may take, the model's answer included.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn base_url(&self) -> &str {
        self.client.base_url()
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &(impl Serialize + ?Sized),
    ) -> Result<T, InferenceError> {
        Ok(self
            .client
            .call(Method::POST, path, Some(body), self.timeout)
            .await?)
    }

    /// Splits a request into validated subtasks (or one, with `fallback` saying why).
    pub async fn decompose(
        &self,
        req: &DecomposeRequest,
    ) -> Result<DecomposeResponse, InferenceError> {
        self.post("/v1/decompose", req).await
    }

    /// A failed task's history → a repaired attempt from the escalation model.
    pub async fn escalate(
        &self,
        req: &EscalateRequest,
    ) -> Result<EscalateResponse, InferenceError> {
        self.post("/v1/escalate", req).await
    }

    /// One plain model call.
    pub async fn chat(
        &self,
        req: &InferenceChatRequest,
    ) -> Result<InferenceChatResponse, InferenceError> {
        self.post("/v1/chat", req).await
    }

    /// `/ready`: whether a model backend answers (`{"ready": bool, ...}`; 503 when not).
    pub async fn ready(&self) -> Result<serde_json::Value, InferenceError> {
        Ok(self
            .client
            .call(Method::GET, "/ready", None::<&()>, Duration::from_secs(30))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_faults_that_can_pass_are_retryable() {
        let api = |status| InferenceError::Api {
            status,
            code: "x".into(),
            message: "m".into(),
        };
        assert!(api(503).retryable());
        assert!(api(500).retryable());
        assert!(api(429).retryable());
        assert!(!api(400).retryable());
        assert!(!api(401).retryable());
        assert!(!api(422).retryable());
        let unreachable = InferenceError::Unreachable {
            url: "u".into(),
            reason: "r".into(),
        };
        assert!(unreachable.retryable());
        let refused = InferenceError::Refused {
            url: "u".into(),
            reason: "r".into(),
        };
        assert!(!refused.retryable());
    }

    #[tokio::test]
    async fn a_service_that_is_down_is_retryable_and_named() {
        let client = InferenceClient::new("http://127.0.0.1:1", "t").expect("client");
        let err = client
            .chat(&InferenceChatRequest {
                messages: vec![],
                model: None,
                max_tokens: None,
                schema: None,
            })
            .await
            .expect_err("nothing listens on port 1");
        assert!(err.retryable(), "{err}");
        assert!(err.to_string().contains("inference service"), "{err}");
    }
}
