//! `/api/v1/openapi.json`, built from one table of routes. Every body and query is described by a
//! schema generated (schemars) from the very types the handlers parse and answer with, so the
//! document cannot drift from the wire. Tests walk the same table against a running coordinator
//! and against the routers' source, so a route that is served but not documented, documented but
//! not served, or that takes a body or query the table does not describe, fails CI.

mod build;

pub use build::{document, document_of, error_statuses};

use crate::api::*;
use crate::server::routes::{control, credits, events, jobs, nodes, tasks};
use schemars::generate::SchemaGenerator;
use schemars::{JsonSchema, Schema};

/// Describes one type in a generator (see [`of`] and [`inline`]).
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// A named type: a `$ref` into `components/schemas` (responses) or inlined (requests). An inlined
/// schema keeps its type's name as its title, so a test can tie it to the handler's `ApiJson<T>`.
pub(crate) fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    let mut schema = generator.subschema_for::<T>();
    if generator.settings().inline_subschemas && schema.as_object().is_some() {
        schema.insert("title".into(), T::schema_name().into());
    }
    schema
}

/// A query struct's own object schema, whose properties become query parameters.
fn inline<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    T::json_schema(generator)
}

/// What a route answers with on success.
#[derive(Clone, Copy)]
pub enum Body {
    Json(SchemaFn),
    /// A non-JSON media type (`text/plain`, `text/event-stream`).
    Text(&'static str),
}

pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// `none`, `token` (API token, least role named in the summary), `node` (node credential).
    pub auth: &'static str,
    pub query: Option<SchemaFn>,
    pub request: Option<SchemaFn>,
    /// The success status (200, 201 or 202).
    pub status: u16,
    pub response: Body,
    /// A second status answered with the success body's shape (`/ready`'s 503), not the envelope.
    pub also: Option<u16>,
    /// Error statuses this route answers beyond those its shape implies (see [`error_statuses`]).
    pub errors: &'static [u16],
    /// A request body of raw bytes of this media type (a blob upload), instead of JSON.
    pub raw_request: Option<&'static str>,
}

const fn op(
    method: &'static str,
    path: &'static str,
    response: Body,
    summary: &'static str,
) -> RouteDoc {
    RouteDoc {
        method,
        path,
        summary,
        auth: "none",
        query: None,
        request: None,
        status: 200,
        response,
        also: None,
        errors: &[],
        raw_request: None,
    }
}

impl RouteDoc {
    pub(crate) const fn token(mut self) -> Self {
        self.auth = "token";
        self
    }
    const fn node(mut self) -> Self {
        self.auth = "node";
        self
    }
    const fn query(mut self, schema: SchemaFn) -> Self {
        self.query = Some(schema);
        self
    }
    pub(crate) const fn body(mut self, schema: SchemaFn) -> Self {
        self.request = Some(schema);
        self
    }
    const fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
    pub(crate) const fn also(mut self, status: u16) -> Self {
        self.also = Some(status);
        self
    }
    pub(crate) const fn errors(mut self, errors: &'static [u16]) -> Self {
        self.errors = errors;
        self
    }
    const fn raw_body(mut self, media: &'static str) -> Self {
        self.raw_request = Some(media);
        self
    }
}

pub(crate) const fn get(path: &'static str, response: Body, summary: &'static str) -> RouteDoc {
    op("get", path, response, summary)
}
pub(crate) const fn post(path: &'static str, response: Body, summary: &'static str) -> RouteDoc {
    op("post", path, response, summary)
}
const fn delete(path: &'static str, response: Body, summary: &'static str) -> RouteDoc {
    op("delete", path, response, summary)
}
const fn put(path: &'static str, response: Body, summary: &'static str) -> RouteDoc {
    op("put", path, response, summary)
}
const fn head(path: &'static str, response: Body, summary: &'static str) -> RouteDoc {
    op("head", path, response, summary)
}

/// A JSON object with no wire type of its own (`/health`, `/ready`, this document).
fn any_object(_: &mut SchemaGenerator) -> Schema {
    schemars::json_schema!({"type": "object"})
}

const SSE: &str = "text/event-stream";
const OCTETS: &str = "application/octet-stream";
pub(crate) const JSON_ANY: Body = Body::Json(any_object);
const NODE: Body = Body::Json(of::<NodeInfo>);
const TASK: Body = Body::Json(of::<TaskInfo>);
const CONFLICT: &[u16] = &[409];

pub const ROUTES: &[RouteDoc] = &[
    get("/health", JSON_ANY, "Liveness: the process answers."),
    get("/ready", JSON_ANY, "Readiness: 503 while starting or draining.").also(503),
    get("/metrics", Body::Text("text/plain"), "Prometheus metrics."),
    get("/api/v1/openapi.json", JSON_ANY, "This document."),
    get("/api/v1/status", Body::Json(of::<ServerStatus>), "Version, mode, uptime, queue (user).")
        .token(),
    get("/api/v1/whoami", Body::Json(of::<WhoAmI>), "The caller's token id and role (user).")
        .token(),
    get("/api/v1/tokens", Body::Json(of::<Vec<TokenInfo>>), "List tokens (owner).").token(),
    post(
        "/api/v1/tokens",
        Body::Json(of::<TokenCreated>),
        "Create an API or enrollment token (owner; admin for owner/admin roles).",
    )
    .token()
    .body(of::<TokenCreateRequest>)
    .status(201),
    delete(
        "/api/v1/tokens/{id}",
        Body::Json(of::<TokenInfo>),
        "Revoke a token (owner; admin for owner/admin tokens).",
    )
    .token()
    .errors(CONFLICT),
    post(
        "/api/v1/nodes/register",
        Body::Json(of::<RegisterResponse>),
        "Trade an enrollment token for a node credential (mesh token when configured).",
    )
    .body(of::<RegisterRequest>)
    .status(201)
    .errors(&[401, 403, 429]),
    get("/api/v1/nodes", Body::Json(of::<NodeList>), "List nodes; ?state= filters (user).")
        .token()
        .query(inline::<nodes::ListQuery>),
    get("/api/v1/nodes/{id}", NODE, "Show a node by id, unique prefix or name (user).")
        .token()
        .errors(CONFLICT),
    delete("/api/v1/nodes/{id}", NODE, "Remove a node; its leases are re-queued (owner).")
        .token()
        .errors(CONFLICT),
    post("/api/v1/nodes/{id}/approve", NODE, "Approve a pending node (owner).")
        .token()
        .errors(CONFLICT),
    post("/api/v1/nodes/{id}/reject", NODE, "Reject a node (owner).")
        .token()
        .errors(CONFLICT),
    post(
        "/api/v1/nodes/{id}/drain",
        NODE,
        "Stop offering work to a node; ?deadline_secs= hands its running tasks back after that long (owner).",
    )
    .token()
    .query(inline::<DrainQuery>)
    .errors(CONFLICT),
    post("/api/v1/nodes/{id}/undrain", NODE, "Offer work to a drained node again (owner).")
        .token()
        .errors(CONFLICT),
    get("/api/v1/agent/me", NODE, "The calling node as the coordinator sees it; changes nothing.")
        .node(),
    post(
        "/api/v1/agent/offline",
        NODE,
        "The calling node leaves (an ephemeral agent after its task): shown offline until it is heard from again.",
    )
    .node(),
    post("/api/v1/agent/register", NODE, "An enrolled node re-sends its capabilities.")
        .node()
        .body(of::<ReregisterRequest>),
    post(
        "/api/v1/agent/heartbeat",
        Body::Json(of::<HeartbeatResponse>),
        "Liveness, load and running tasks; answers with intervals, cancellations and whether to re-register.",
    )
    .node()
    .body(of::<HeartbeatRequest>),
    post(
        "/api/v1/agent/claim",
        Body::Json(of::<ClaimResponse>),
        "Long-poll for a task; returns a task with a lease.",
    )
    .node()
    .body(of::<ClaimRequest>),
    post("/api/v1/agent/tasks/{id}/start", TASK, "Accept a claimed task within the accept window.")
        .node()
        .body(of::<LeaseRef>)
        .errors(CONFLICT),
    post(
        "/api/v1/agent/tasks/{id}/logs",
        Body::Json(of::<LogUploadResponse>),
        "Append log bytes at an offset; resends are ignored.",
    )
    .node()
    .body(of::<LogUpload>)
    .errors(CONFLICT),
    post(
        "/api/v1/agent/tasks/{id}/complete",
        Body::Json(of::<CompleteResponse>),
        "Report an attempt's result; 409 for a stale lease.",
    )
    .node()
    .body(of::<CompleteRequest>)
    .errors(CONFLICT),
    post(
        "/api/v1/agent/tasks/{id}/release",
        TASK,
        "Hand a leased task back to the queue unfinished; the attempt does not count. 409 for a stale lease.",
    )
    .node()
    .body(of::<ReleaseRequest>)
    .errors(CONFLICT),
    get(
        "/api/v1/tasks",
        Body::Json(of::<TaskList>),
        "List tasks; ?state= ?node= ?limit= ?cursor= (user).",
    )
    .token()
    .query(inline::<tasks::ListQuery>)
    // `?node=` names a node that must exist.
    .errors(&[404]),
    post(
        "/api/v1/tasks",
        Body::Json(of::<SubmitResponse>),
        "Submit a task; 201 when created, 200 for a known idempotency key (user).",
    )
    .token()
    .body(of::<SubmitRequest>)
    .status(201)
    .also(200)
    .errors(&[402, 409, 429]),
    get("/api/v1/tasks/{id}", TASK, "Show a task with its attempts, by id or unique prefix (user).")
        .token()
        .errors(CONFLICT),
    post("/api/v1/tasks/{id}/cancel", TASK, "Cancel a task (its submitter, owner or admin).")
        .token()
        .errors(CONFLICT),
    get(
        "/api/v1/tasks/{id}/logs",
        Body::Json(of::<LogPage>),
        "A page of a task's log; ?attempt= ?offset= ?limit= (user).",
    )
    .token()
    .query(inline::<tasks::LogsQuery>)
    .errors(CONFLICT),
    get(
        "/api/v1/tasks/{id}/stream",
        Body::Text(SSE),
        "SSE of one task's log and state events; resumes with Last-Event-ID (user).",
    )
    .token()
    .query(inline::<events::EventsQuery>)
    .errors(CONFLICT),
    get(
        "/api/v1/queue",
        Body::Json(of::<QueueSummary>),
        "Counts by state, oldest queued age, backlog by requirements (user).",
    )
    .token(),
    get(
        "/api/v1/events",
        Body::Text(SSE),
        "SSE of the event log; ?include_logs=true adds log lines; resumes with Last-Event-ID (user).",
    )
    .token()
    .query(inline::<events::EventsQuery>),
    get(
        "/api/v1/blacklist",
        Body::Json(of::<BlacklistList>),
        "Blacklist entries with their reasons and the nodes they refuse (owner).",
    )
    .token(),
    post(
        "/api/v1/blacklist",
        Body::Json(of::<BlacklistChange>),
        "Blacklist a node (id) or an address, with a reason; its tasks are re-queued (admin).",
    )
    .token()
    .body(of::<BlacklistAdd>)
    .status(201)
    .errors(&[404, 409]),
    delete(
        "/api/v1/blacklist/{id}",
        Body::Json(of::<BlacklistChange>),
        "Remove an entry, by its id or the node or address it names (admin).",
    )
    .token()
    .errors(CONFLICT),
    get(
        "/api/v1/network-mode",
        Body::Json(of::<NetworkModeInfo>),
        "The network mode in force and who set it (user).",
    )
    .token(),
    put(
        "/api/v1/network-mode",
        Body::Json(of::<NetworkModeInfo>),
        "Set the network mode: enterprise_overlay or public_mesh (admin).",
    )
    .token()
    .body(of::<NetworkModeSet>),
    get(
        "/api/v1/audit",
        Body::Json(of::<AuditPage>),
        "Admin and owner actions, newest first; ?limit=&before=&target= (owner).",
    )
    .token()
    .query(inline::<control::AuditQuery>),
    get(
        "/api/v1/credits/accounts",
        Body::Json(of::<AccountList>),
        "Credit accounts: every one (owner), or the caller's own and its nodes' (user).",
    )
    .token(),
    get(
        "/api/v1/credits/accounts/{id}",
        Body::Json(of::<Account>),
        "One account (`me`: the caller's); users see only their own and their nodes'.",
    )
    .token(),
    get(
        "/api/v1/credits/accounts/{id}/history",
        Body::Json(of::<LedgerPage>),
        "An account's ledger entries; ?after= ?limit= (as for the account).",
    )
    .token()
    .query(inline::<credits::PageQuery>),
    post(
        "/api/v1/credits/grant",
        Body::Json(of::<CreditMove>),
        "Grant credits from the treasury to an account (admin).",
    )
    .token()
    .body(of::<GrantRequest>)
    .errors(&[402, 404, 409]),
    post(
        "/api/v1/credits/transfer",
        Body::Json(of::<CreditMove>),
        "Move credits from the caller's account (or a node it enrolled) to another (user).",
    )
    .token()
    .body(of::<TransferRequest>)
    .errors(&[402, 404, 409]),
    post(
        "/api/v1/credits/quote",
        Body::Json(of::<Quote>),
        "What submitting this task would hold now (user).",
    )
    .token()
    .body(of::<SubmitRequest>),
    get(
        "/api/v1/credits/tasks/{id}",
        Body::Json(of::<TaskCharge>),
        "A task's hold and, once ended, its charge (its payer, owner or admin).",
    )
    .token()
    .errors(CONFLICT),
    get(
        "/api/v1/ledger",
        Body::Json(of::<LedgerPage>),
        "Ledger entries in order; ?after=SEQ ?limit= (user).",
    )
    .token()
    .query(inline::<credits::PageQuery>),
    get(
        "/api/v1/ledger/verify",
        Body::Json(of::<LedgerVerify>),
        "Walk the hash chain and signed checkpoints; names the first bad entry (user).",
    )
    .token(),
    get(
        "/api/v1/ledger/checkpoints",
        Body::Json(of::<CheckpointList>),
        "Signed checkpoints and the coordinator's ledger public key (user).",
    )
    .token(),
    get(
        "/api/v1/update",
        Body::Json(of::<UpdateStatus>),
        "Running version, the update in progress and recent updates (owner).",
    )
    .token(),
    post(
        "/api/v1/update",
        Body::Json(of::<UpdateInfo>),
        "Self-update: check the candidate, drain the local worker, swap, restart on the same port; 202 (admin).",
    )
    .token()
    .body(of::<UpdateStartRequest>)
    .status(202)
    .errors(CONFLICT),
    head(
        "/api/v1/blobs/{sha256}",
        Body::Text(OCTETS),
        "Whether the blob is stored: 200 with its size in content-length, else 404 (user or node).",
    )
    .token(),
    get(
        "/api/v1/blobs/{sha256}",
        Body::Text(OCTETS),
        "Download a blob, streamed: a user those of its tasks, an owner any, a node those of its leased tasks.",
    )
    .token(),
    put(
        "/api/v1/blobs/{sha256}",
        Body::Json(of::<BlobInfo>),
        "Upload a blob, streamed and checked against its sha256; 201 stored, 200 already held (user or node).",
    )
    .token()
    .raw_body(OCTETS)
    .status(201)
    .also(200)
    .errors(&[413, 422, 507]),
    get(
        "/api/v1/jobs",
        Body::Json(of::<JobList>),
        "List jobs, newest first; ?state= ?limit= (user: its own).",
    )
    .token()
    .query(inline::<jobs::ListQuery>),
    post(
        "/api/v1/jobs",
        Body::Json(of::<JobSubmitResponse>),
        "Submit a job (a request decomposed into subtasks); 201 when created, 200 for a known idempotency key (user).",
    )
    .token()
    .body(of::<JobSubmitRequest>)
    .status(201)
    .also(200)
    .errors(&[402, 404, 413]),
    get("/api/v1/jobs/{id}", Body::Json(of::<JobInfo>), "Show a job with its subtasks, log and result, by id or unique prefix (user).")
        .token()
        .errors(CONFLICT),
    post("/api/v1/jobs/{id}/cancel", Body::Json(of::<JobInfo>), "Cancel a job and its open subtasks (its submitter, owner or admin).")
        .token()
        .errors(CONFLICT),
];
