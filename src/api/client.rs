//! The typed HTTP client of a coordinator: used by the CLI, the dashboard, the agent (remote or
//! local worker alike) and the tests, so there is one way to talk to the API.

use super::url::CoordinatorUrl;
use super::*;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

mod blobs;
mod jobs;
pub use blobs::Progress;
pub mod inference;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("coordinator at {url} not reachable: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{message} ({code}, HTTP {status})")]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the coordinator at {url} answered something that is not edgecoder's API: {reason}")]
    Garbage { url: String, reason: String },
    /// Nothing was sent, or the answer was not followed: a bad URL, a secret that would go over
    /// plain HTTP to another machine, a redirect.
    #[error("{reason}")]
    Refused { url: String, reason: String },
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct Client {
    base: String,
    url: CoordinatorUrl,
    token: Option<String>,
    mesh_token: Option<String>,
    /// Send secrets over plain HTTP to another machine (the user said the network is trusted).
    allow_insecure: bool,
    http: reqwest::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("Client").field("base", &self.base).finish()
    }
}

impl Client {
    pub fn new(base: &str, token: Option<String>) -> Result<Client, ClientError> {
        let url = CoordinatorUrl::parse(base).map_err(|reason| ClientError::Refused {
            url: base.to_string(),
            reason,
        })?;
        Self::for_url(&url, token)
    }

    /// The same credentials, sent to another coordinator (of a group sharing one database).
    pub fn pointed_at(&self, base: &str) -> Result<Client, ClientError> {
        let mut other = Client::new(base, self.token.clone())?;
        other.mesh_token = self.mesh_token.clone();
        other.allow_insecure = self.allow_insecure;
        Ok(other)
    }

    pub fn for_url(url: &CoordinatorUrl, token: Option<String>) -> Result<Client, ClientError> {
        let base = url.as_str();
        // HTTPS uses rustls with the ring provider; an already installed provider is kept.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .pool_max_idle_per_host(64)
            // A redirect would carry the token and mesh token to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ClientError::Unreachable {
                url: base.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Client {
            base: base.to_string(),
            url: url.clone(),
            token,
            mesh_token: None,
            allow_insecure: false,
            http,
        })
    }

    pub fn with_allow_insecure(mut self, allow: bool) -> Self {
        self.allow_insecure = allow;
        self
    }

    /// Refuses before sending when a secret would go over plain HTTP to another machine.
    fn check_transport(&self) -> Result<(), ClientError> {
        if self.token.is_none() && self.mesh_token.is_none() {
            return Ok(());
        }
        self.url
            .check_secret_transport(self.allow_insecure)
            .map_err(|reason| ClientError::Refused {
                url: self.base.clone(),
                reason,
            })
    }

    /// A redirect is not followed (it would take the headers elsewhere): say so.
    fn refuse_redirect(&self, resp: &reqwest::Response) -> ClientError {
        let to = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("(no location)");
        ClientError::Refused {
            url: self.base.clone(),
            reason: format!(
                "the coordinator at {} answered with a redirect (HTTP {}) to {to}; edgecoder \
                 follows no redirects, so tokens never go to another host: use the final URL",
                self.base,
                resp.status().as_u16()
            ),
        }
    }

    pub fn with_mesh_token(mut self, mesh: Option<String>) -> Self {
        self.mesh_token = mesh;
        self
    }

    pub fn with_token(mut self, token: Option<String>) -> Self {
        self.token = token;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&(impl Serialize + ?Sized)>,
        timeout: Duration,
    ) -> Result<T, ClientError> {
        self.check_transport()?;
        let url = format!("{}{}", self.base, path);
        let mut req = self.http.request(method, &url).timeout(timeout);
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(mesh) = &self.mesh_token {
            req = req.header("x-mesh-token", mesh);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.map_err(|e| self.unreachable(&e))?;
        self.answer(resp).await
    }

    /// Reads an answer: a redirect is refused, an error status becomes the API's error, a
    /// success is the JSON document `T`.
    pub(super) async fn answer<T: DeserializeOwned>(
        &self,
        resp: reqwest::Response,
    ) -> Result<T, ClientError> {
        let status = resp.status();
        if status.is_redirection() {
            return Err(self.refuse_redirect(&resp));
        }
        let bytes = resp.bytes().await.map_err(|e| self.unreachable(&e))?;
        if !status.is_success() {
            return Err(self.api_error(status, &bytes));
        }
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Garbage {
            url: self.base.clone(),
            reason: e.to_string(),
        })
    }

    /// Opens a long-lived GET (an SSE stream): no overall timeout, only the connect timeout.
    pub(crate) async fn open_stream(
        &self,
        path: &str,
        last_id: Option<i64>,
    ) -> Result<reqwest::Response, ClientError> {
        self.check_transport()?;
        let url = format!("{}{}", self.base, path);
        let mut req = self.http.get(&url).header("accept", "text/event-stream");
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(id) = last_id {
            req = req.header("last-event-id", id.to_string());
        }
        let resp = req.send().await.map_err(|e| self.unreachable(&e))?;
        let status = resp.status();
        if status.is_redirection() {
            return Err(self.refuse_redirect(&resp));
        }
        if !status.is_success() {
            let bytes = resp.bytes().await.map_err(|e| self.unreachable(&e))?;
            return Err(self.api_error(status, &bytes));
        }
        Ok(resp)
    }

    fn unreachable(&self, e: &reqwest::Error) -> ClientError {
        ClientError::Unreachable {
            url: self.base.clone(),
            reason: describe(e),
        }
    }

    fn api_error(&self, status: reqwest::StatusCode, bytes: &[u8]) -> ClientError {
        match serde_json::from_slice::<ErrorBody>(bytes) {
            Ok(body) => ClientError::Api {
                status: status.as_u16(),
                code: body.error.code,
                message: body.error.message,
            },
            Err(_) => ClientError::Garbage {
                url: self.base.clone(),
                reason: format!(
                    "HTTP {status} with a body that is not an edgecoder error: {}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
                ),
            },
        }
    }

    pub(super) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.call(Method::GET, path, None::<&()>, DEFAULT_TIMEOUT)
            .await
    }

    pub(super) async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &(impl Serialize + ?Sized),
    ) -> Result<T, ClientError> {
        self.call(Method::POST, path, Some(body), DEFAULT_TIMEOUT)
            .await
    }

    /// Any method with an optional JSON body and the default timeout.
    pub(super) async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<T, ClientError> {
        self.call(method, path, body, DEFAULT_TIMEOUT).await
    }

    pub async fn health(&self) -> Result<serde_json::Value, ClientError> {
        self.get("/health").await
    }

    pub async fn status(&self) -> Result<ServerStatus, ClientError> {
        self.get("/api/v1/status").await
    }

    pub async fn whoami(&self) -> Result<WhoAmI, ClientError> {
        self.get("/api/v1/whoami").await
    }

    pub async fn create_token(
        &self,
        req: &TokenCreateRequest,
    ) -> Result<TokenCreated, ClientError> {
        self.post("/api/v1/tokens", req).await
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, ClientError> {
        self.get("/api/v1/tokens").await
    }

    pub async fn revoke_token(&self, id: &str) -> Result<TokenInfo, ClientError> {
        self.call(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", seg(id)),
            None::<&()>,
            DEFAULT_TIMEOUT,
        )
        .await
    }

    pub async fn register(&self, req: &RegisterRequest) -> Result<RegisterResponse, ClientError> {
        self.post("/api/v1/nodes/register", req).await
    }

    pub async fn nodes(&self) -> Result<NodeList, ClientError> {
        self.get("/api/v1/nodes").await
    }

    pub async fn node(&self, id: &str) -> Result<NodeInfo, ClientError> {
        self.get(&format!("/api/v1/nodes/{}", seg(id))).await
    }

    /// `action` is approve, reject, drain or undrain.
    pub async fn node_action(&self, id: &str, action: &str) -> Result<NodeInfo, ClientError> {
        self.post(&format!("/api/v1/nodes/{}/{action}", seg(id)), &())
            .await
    }

    pub async fn remove_node(&self, id: &str) -> Result<NodeInfo, ClientError> {
        self.call(
            Method::DELETE,
            &format!("/api/v1/nodes/{}", seg(id)),
            None::<&()>,
            DEFAULT_TIMEOUT,
        )
        .await
    }

    pub async fn submit(&self, req: &SubmitRequest) -> Result<SubmitResponse, ClientError> {
        self.post("/api/v1/tasks", req).await
    }

    /// `query` is a ready query string without `?` (e.g. `state=queued&limit=10`).
    pub async fn tasks(&self, query: &str) -> Result<TaskList, ClientError> {
        self.get(&format!("/api/v1/tasks?{query}")).await
    }

    pub async fn task(&self, id: &str) -> Result<TaskInfo, ClientError> {
        self.get(&format!("/api/v1/tasks/{}", seg(id))).await
    }

    pub async fn cancel(&self, id: &str) -> Result<TaskInfo, ClientError> {
        self.post(&format!("/api/v1/tasks/{}/cancel", seg(id)), &())
            .await
    }

    pub async fn logs(&self, id: &str, offset: u64) -> Result<LogPage, ClientError> {
        self.get(&format!("/api/v1/tasks/{}/logs?offset={offset}", seg(id)))
            .await
    }

    /// A page of one attempt's log (`None`: the latest attempt) from `offset`.
    pub async fn attempt_logs(
        &self,
        id: &str,
        attempt: Option<u32>,
        offset: u64,
    ) -> Result<LogPage, ClientError> {
        let attempt = attempt.map(|a| format!("&attempt={a}")).unwrap_or_default();
        self.get(&format!(
            "/api/v1/tasks/{}/logs?offset={offset}{attempt}",
            seg(id)
        ))
        .await
    }

    pub async fn queue(&self) -> Result<QueueSummary, ClientError> {
        self.get("/api/v1/queue").await
    }

    // --- credits and ledger (absent on a coordinator without them: 404 `no_route`) ---

    pub async fn credit_accounts(&self) -> Result<AccountList, ClientError> {
        self.get("/api/v1/credits/accounts").await
    }

    pub async fn credit_account(&self, id: &str) -> Result<Account, ClientError> {
        self.get(&format!("/api/v1/credits/accounts/{}", seg(id)))
            .await
    }

    pub async fn ledger(&self, after: i64, limit: u32) -> Result<LedgerPage, ClientError> {
        self.get(&format!("/api/v1/ledger?after={after}&limit={limit}"))
            .await
    }

    pub async fn ledger_verify(&self) -> Result<LedgerVerify, ClientError> {
        self.get("/api/v1/ledger/verify").await
    }

    pub async fn ledger_checkpoints(&self) -> Result<CheckpointList, ClientError> {
        self.get("/api/v1/ledger/checkpoints").await
    }

    pub async fn credit_history(
        &self,
        account: &str,
        after: i64,
        limit: u32,
    ) -> Result<LedgerPage, ClientError> {
        self.get(&format!(
            "/api/v1/credits/accounts/{}/history?after={after}&limit={limit}",
            seg(account)
        ))
        .await
    }

    pub async fn grant(&self, req: &GrantRequest) -> Result<CreditMove, ClientError> {
        self.post("/api/v1/credits/grant", req).await
    }

    pub async fn transfer(&self, req: &TransferRequest) -> Result<CreditMove, ClientError> {
        self.post("/api/v1/credits/transfer", req).await
    }

    pub async fn quote(&self, req: &SubmitRequest) -> Result<Quote, ClientError> {
        self.post("/api/v1/credits/quote", req).await
    }

    pub async fn task_charge(&self, task_id: &str) -> Result<TaskCharge, ClientError> {
        self.get(&format!("/api/v1/credits/tasks/{}", seg(task_id)))
            .await
    }

    // --- self-update ---

    pub async fn update_status(&self) -> Result<UpdateStatus, ClientError> {
        self.get("/api/v1/update").await
    }

    pub async fn update_start(&self, req: &UpdateStartRequest) -> Result<UpdateInfo, ClientError> {
        self.post("/api/v1/update", req).await
    }

    // --- agent side: the token is the node credential ---

    /// This node leaves: the coordinator shows it offline until it is heard from again.
    pub async fn go_offline(&self) -> Result<NodeInfo, ClientError> {
        self.post("/api/v1/agent/offline", &()).await
    }

    pub async fn me(&self) -> Result<NodeInfo, ClientError> {
        self.get("/api/v1/agent/me").await
    }

    pub async fn reregister(&self, req: &ReregisterRequest) -> Result<NodeInfo, ClientError> {
        self.post("/api/v1/agent/register", req).await
    }

    pub async fn heartbeat(
        &self,
        req: &HeartbeatRequest,
    ) -> Result<HeartbeatResponse, ClientError> {
        self.post("/api/v1/agent/heartbeat", req).await
    }

    pub async fn claim(&self, wait: Duration) -> Result<ClaimResponse, ClientError> {
        let req = ClaimRequest {
            wait_ms: Some(wait.as_millis() as u64),
        };
        self.call(
            Method::POST,
            "/api/v1/agent/claim",
            Some(&req),
            wait + Duration::from_secs(15),
        )
        .await
    }

    pub async fn start(&self, task_id: &str, lease_id: &str) -> Result<TaskInfo, ClientError> {
        let req = LeaseRef {
            lease_id: lease_id.to_string(),
        };
        self.post(&format!("/api/v1/agent/tasks/{}/start", seg(task_id)), &req)
            .await
    }

    pub async fn upload_log(
        &self,
        task_id: &str,
        req: &LogUpload,
    ) -> Result<LogUploadResponse, ClientError> {
        self.post(&format!("/api/v1/agent/tasks/{}/logs", seg(task_id)), req)
            .await
    }

    pub async fn complete(
        &self,
        task_id: &str,
        req: &CompleteRequest,
    ) -> Result<CompleteResponse, ClientError> {
        self.post(
            &format!("/api/v1/agent/tasks/{}/complete", seg(task_id)),
            req,
        )
        .await
    }

    /// Hands a leased task back to the queue unfinished, with the reason a person reads; the
    /// attempt does not count against the task's retries. A stale lease is refused (409).
    pub async fn release_task(
        &self,
        task_id: &str,
        lease_id: &str,
        reason: &str,
    ) -> Result<TaskInfo, ClientError> {
        let req = ReleaseRequest {
            lease_id: lease_id.to_string(),
            reason: reason.to_string(),
        };
        self.post(
            &format!("/api/v1/agent/tasks/{}/release", seg(task_id)),
            &req,
        )
        .await
    }

    /// Drains a node; with a deadline, the tasks it still runs then are handed back to the
    /// queue (whole seconds; a partial one rounds up).
    pub async fn drain_node(
        &self,
        id: &str,
        deadline: Option<Duration>,
    ) -> Result<NodeInfo, ClientError> {
        let query = match deadline {
            Some(d) => format!(
                "?deadline_secs={}",
                d.as_secs() + u64::from(d.subsec_nanos() > 0)
            ),
            None => String::new(),
        };
        self.post(&format!("/api/v1/nodes/{}/drain{query}", seg(id)), &())
            .await
    }
}

/// Escapes an id for use as one path segment, so no id can reach another route.
pub(super) fn seg(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".to_string()
    } else if e.is_connect() {
        "connection refused or failed".to_string()
    } else {
        let mut msg = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            msg.push_str(&format!(": {s}"));
            source = s.source();
        }
        msg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn https_is_supported_and_failures_are_described() {
        // Nothing listens on port 1: the point is that an https URL gets as far as connecting.
        let client = Client::new("https://127.0.0.1:1", None).expect("https client");
        match client.health().await {
            Err(ClientError::Unreachable { url, .. }) => assert_eq!(url, "https://127.0.0.1:1"),
            other => panic!("expected unreachable, got {other:?}"),
        }
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        assert_eq!(seg("abc-1_2.3"), "abc-1_2.3");
        assert_eq!(seg("../admin"), "..%2Fadmin");
        assert_eq!(seg("a b?c"), "a%20b%3Fc");
    }
}
