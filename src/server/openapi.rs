//! `/api/v1/openapi.json`, built from one table of routes. A test walks the same table against a
//! running coordinator, so a route that is documented but not served (or renamed) fails CI.

use serde_json::{Map, Value, json};

pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// `none`, `token` (API token, least role named in the summary), `node` (node credential).
    pub auth: &'static str,
    pub request: Option<&'static str>,
    pub response: &'static str,
}

const fn route(
    method: &'static str,
    path: &'static str,
    auth: &'static str,
    request: Option<&'static str>,
    response: &'static str,
    summary: &'static str,
) -> RouteDoc {
    RouteDoc {
        method,
        path,
        summary,
        auth,
        request,
        response,
    }
}

pub const ROUTES: &[RouteDoc] = &[
    route(
        "get",
        "/health",
        "none",
        None,
        "Health",
        "Liveness: the process answers.",
    ),
    route(
        "get",
        "/ready",
        "none",
        None,
        "Health",
        "Readiness: 503 while starting or draining.",
    ),
    route(
        "get",
        "/metrics",
        "none",
        None,
        "text/plain",
        "Prometheus metrics.",
    ),
    route(
        "get",
        "/api/v1/openapi.json",
        "none",
        None,
        "OpenAPI",
        "This document.",
    ),
    route(
        "get",
        "/api/v1/status",
        "token",
        None,
        "ServerStatus",
        "Version, mode, uptime, queue (user).",
    ),
    route(
        "get",
        "/api/v1/whoami",
        "token",
        None,
        "WhoAmI",
        "The caller's token id and role (user).",
    ),
    route(
        "get",
        "/api/v1/tokens",
        "token",
        None,
        "TokenInfo[]",
        "List tokens (owner).",
    ),
    route(
        "post",
        "/api/v1/tokens",
        "token",
        Some("TokenCreateRequest"),
        "TokenCreated",
        "Create an API or enrollment token (owner; admin for owner/admin roles).",
    ),
    route(
        "delete",
        "/api/v1/tokens/{id}",
        "token",
        None,
        "TokenInfo",
        "Revoke a token (owner; admin for owner/admin tokens).",
    ),
    route(
        "post",
        "/api/v1/nodes/register",
        "none",
        Some("RegisterRequest"),
        "RegisterResponse",
        "Trade an enrollment token for a node credential (mesh token when configured).",
    ),
    route(
        "get",
        "/api/v1/nodes",
        "token",
        None,
        "NodeList",
        "List nodes; ?state= filters (user).",
    ),
    route(
        "get",
        "/api/v1/nodes/{id}",
        "token",
        None,
        "NodeInfo",
        "Show a node by id, unique prefix or name (user).",
    ),
    route(
        "delete",
        "/api/v1/nodes/{id}",
        "token",
        None,
        "NodeInfo",
        "Remove a node; its leases are re-queued (owner).",
    ),
    route(
        "post",
        "/api/v1/nodes/{id}/approve",
        "token",
        None,
        "NodeInfo",
        "Approve a pending node (owner).",
    ),
    route(
        "post",
        "/api/v1/nodes/{id}/reject",
        "token",
        None,
        "NodeInfo",
        "Reject a node (owner).",
    ),
    route(
        "post",
        "/api/v1/nodes/{id}/drain",
        "token",
        None,
        "NodeInfo",
        "Stop offering work to a node (owner).",
    ),
    route(
        "post",
        "/api/v1/nodes/{id}/undrain",
        "token",
        None,
        "NodeInfo",
        "Offer work to a drained node again (owner).",
    ),
    route(
        "get",
        "/api/v1/agent/me",
        "node",
        None,
        "NodeInfo",
        "The calling node as the coordinator sees it; changes nothing.",
    ),
    route(
        "post",
        "/api/v1/agent/register",
        "node",
        Some("ReregisterRequest"),
        "NodeInfo",
        "An enrolled node re-sends its capabilities.",
    ),
    route(
        "post",
        "/api/v1/agent/heartbeat",
        "node",
        Some("HeartbeatRequest"),
        "HeartbeatResponse",
        "Liveness, load and running tasks; answers with intervals, cancellations and whether to re-register.",
    ),
    route(
        "post",
        "/api/v1/agent/claim",
        "node",
        Some("ClaimRequest"),
        "ClaimResponse",
        "Long-poll for a task; returns a task with a lease.",
    ),
    route(
        "post",
        "/api/v1/agent/tasks/{id}/start",
        "node",
        Some("LeaseRef"),
        "TaskInfo",
        "Accept a claimed task within the accept window.",
    ),
    route(
        "post",
        "/api/v1/agent/tasks/{id}/logs",
        "node",
        Some("LogUpload"),
        "LogUploadResponse",
        "Append log bytes at an offset; resends are ignored.",
    ),
    route(
        "post",
        "/api/v1/agent/tasks/{id}/complete",
        "node",
        Some("CompleteRequest"),
        "CompleteResponse",
        "Report an attempt's result; 409 for a stale lease.",
    ),
    route(
        "get",
        "/api/v1/tasks",
        "token",
        None,
        "TaskList",
        "List tasks; ?state= ?node= ?limit= ?cursor= (user).",
    ),
    route(
        "post",
        "/api/v1/tasks",
        "token",
        Some("SubmitRequest"),
        "SubmitResponse",
        "Submit a task; 201 when created, 200 for a known idempotency key (user).",
    ),
    route(
        "get",
        "/api/v1/tasks/{id}",
        "token",
        None,
        "TaskInfo",
        "Show a task with its attempts, by id or unique prefix (user).",
    ),
    route(
        "post",
        "/api/v1/tasks/{id}/cancel",
        "token",
        None,
        "TaskInfo",
        "Cancel a task (its submitter, owner or admin).",
    ),
    route(
        "get",
        "/api/v1/tasks/{id}/logs",
        "token",
        None,
        "LogPage",
        "A page of a task's log; ?attempt= ?offset= ?limit= (user).",
    ),
    route(
        "get",
        "/api/v1/tasks/{id}/stream",
        "token",
        None,
        "text/event-stream",
        "SSE of one task's log and state events; resumes with Last-Event-ID (user).",
    ),
    route(
        "get",
        "/api/v1/queue",
        "token",
        None,
        "QueueSummary",
        "Counts by state, oldest queued age, backlog by requirements (user).",
    ),
    route(
        "get",
        "/api/v1/events",
        "token",
        None,
        "text/event-stream",
        "SSE of the event log; ?include_logs=true adds log lines; resumes with Last-Event-ID (user).",
    ),
    route(
        "get",
        "/api/v1/blacklist",
        "token",
        None,
        "BlacklistList",
        "Blacklist entries with their reasons and the nodes they refuse (owner).",
    ),
    route(
        "post",
        "/api/v1/blacklist",
        "token",
        Some("BlacklistAdd"),
        "BlacklistChange",
        "Blacklist a node (id) or an address, with a reason; its tasks are re-queued (admin).",
    ),
    route(
        "delete",
        "/api/v1/blacklist/{id}",
        "token",
        None,
        "BlacklistChange",
        "Remove an entry, by its id or the node or address it names (admin).",
    ),
    route(
        "get",
        "/api/v1/network-mode",
        "token",
        None,
        "NetworkModeInfo",
        "The network mode in force and who set it (user).",
    ),
    route(
        "put",
        "/api/v1/network-mode",
        "token",
        Some("NetworkModeSet"),
        "NetworkModeInfo",
        "Set the network mode: enterprise_overlay or public_mesh (admin).",
    ),
    route(
        "get",
        "/api/v1/audit",
        "token",
        None,
        "AuditPage",
        "Admin and owner actions, newest first; ?limit=&before=&target= (owner).",
    ),
    route(
        "get",
        "/api/v1/credits/accounts",
        "token",
        None,
        "AccountList",
        "Credit accounts: every one (owner), or the caller's own and its nodes' (user).",
    ),
    route(
        "get",
        "/api/v1/credits/accounts/{id}",
        "token",
        None,
        "Account",
        "One account (`me`: the caller's); users see only their own and their nodes'.",
    ),
    route(
        "get",
        "/api/v1/credits/accounts/{id}/history",
        "token",
        None,
        "LedgerPage",
        "An account's ledger entries; ?after= ?limit= (as for the account).",
    ),
    route(
        "post",
        "/api/v1/credits/grant",
        "token",
        Some("GrantRequest"),
        "CreditMove",
        "Grant credits from the treasury to an account (admin).",
    ),
    route(
        "post",
        "/api/v1/credits/transfer",
        "token",
        Some("TransferRequest"),
        "CreditMove",
        "Move credits from the caller's account (or a node it enrolled) to another (user).",
    ),
    route(
        "post",
        "/api/v1/credits/quote",
        "token",
        Some("SubmitRequest"),
        "Quote",
        "What submitting this task would hold now (user).",
    ),
    route(
        "get",
        "/api/v1/credits/tasks/{id}",
        "token",
        None,
        "TaskCharge",
        "A task's hold and, once ended, its charge (its payer, owner or admin).",
    ),
    route(
        "get",
        "/api/v1/ledger",
        "token",
        None,
        "LedgerPage",
        "Ledger entries in order; ?after=SEQ ?limit= (user).",
    ),
    route(
        "get",
        "/api/v1/ledger/verify",
        "token",
        None,
        "LedgerVerify",
        "Walk the hash chain and signed checkpoints; names the first bad entry (user).",
    ),
    route(
        "get",
        "/api/v1/ledger/checkpoints",
        "token",
        None,
        "CheckpointList",
        "Signed checkpoints and the coordinator's ledger public key (user).",
    ),
    route(
        "get",
        "/api/v1/update",
        "token",
        None,
        "UpdateStatus",
        "Running version, the update in progress and recent updates (owner).",
    ),
    route(
        "post",
        "/api/v1/update",
        "token",
        Some("UpdateStartRequest"),
        "UpdateInfo",
        "Self-update: check the candidate, drain the local worker, swap, restart on the same port; 202 (admin).",
    ),
];

pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let entry = paths
            .entry(r.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        let mut op = json!({
            "summary": r.summary,
            "responses": {
                "200": {"description": format!("{} (JSON unless a media type is named)", r.response)},
                "default": {"description": "Error envelope: {\"error\":{\"code\",\"message\"}}"}
            }
        });
        if r.auth != "none" {
            op["security"] =
                json!([{ if r.auth == "node" { "nodeCredential" } else { "apiToken" }: [] }]);
        }
        if let Some(req) = r.request {
            op["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": {"title": req}}}
            });
        }
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        if let Value::Object(map) = entry {
            map.insert(r.method.to_string(), op);
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "edgecoder coordinator", "version": crate::version::current()},
        "components": {"securitySchemes": {
            "apiToken": {"type": "http", "scheme": "bearer"},
            "nodeCredential": {"type": "http", "scheme": "bearer"}
        }},
        "paths": paths,
    })
}
