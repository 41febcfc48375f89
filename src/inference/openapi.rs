//! The inference service's own OpenAPI document (`/openapi.json`), built by the coordinator's
//! machinery from this table; kept apart from the coordinator's `ROUTES`, which Schemathesis runs
//! against the coordinator. A test walks this table against a running service.

use crate::api::*;
use crate::server::openapi::{Body, JSON_ANY, RouteDoc, get, of, post};

/// Every route the service serves.
pub const ROUTES: &[RouteDoc] = &[
    get("/health", JSON_ANY, "Liveness: the process answers."),
    get(
        "/ready",
        JSON_ANY,
        "Readiness: 503 while no model backend answers.",
    )
    .also(503),
    get("/metrics", Body::Text("text/plain"), "Prometheus metrics."),
    get("/openapi.json", JSON_ANY, "This document."),
    post(
        "/v1/decompose",
        Body::Json(of::<DecomposeResponse>),
        "Split a coding request into validated subtasks (one, with `fallback`, when the model's answers are unusable).",
    )
    .token()
    .body(of::<DecomposeRequest>),
    post(
        "/v1/escalate",
        Body::Json(of::<EscalateResponse>),
        "A failed task's history to a repaired attempt from the escalation model.",
    )
    .token()
    .body(of::<EscalateRequest>),
    post(
        "/v1/chat",
        Body::Json(of::<InferenceChatResponse>),
        "One model call, optionally constrained by a JSON schema.",
    )
    .token()
    .body(of::<InferenceChatRequest>),
];

pub fn document() -> serde_json::Value {
    crate::server::openapi::document_of("edgecoder inference service", ROUTES)
}
