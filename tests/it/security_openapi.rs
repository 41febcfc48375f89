//! Issue #12, the OpenAPI document: every operation of the served document describes its bodies,
//! queries and answers with schemas generated from the wire types, and the routers cannot take a
//! body or a query the document does not describe. (`.ci/schemathesis` fuzzes the server against
//! this same document; `tests/it/coordinator_runtime.rs` checks every route is listed and served.)

use crate::common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "head"];

async fn served_document() -> (Coordinator, Value) {
    // reqwest is built without a default TLS provider; the typed client installs this one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sb = Box::leak(Box::new(Sandbox::new()));
    let coord = Coordinator::start_with(sb, coordinator_only());
    let raw = send(http().get(format!("{}/api/v1/openapi.json", coord.url))).await;
    assert_eq!(raw.status, 200, "{}", raw.text);
    (coord, raw.json())
}

/// Follows a `$ref` into `components/schemas`; panics on one that names nothing.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        None => schema,
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("a $ref outside components/schemas: {reference}"));
            let target = &doc["components"]["schemas"][name];
            assert!(target.is_object(), "$ref to a missing schema: {reference}");
            target
        }
    }
}

/// Every `$ref` anywhere in the document.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            assert!(METHODS.contains(&method.as_str()), "odd method {method}");
            ops.push((method.clone(), path.clone(), op));
        }
    }
    ops
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_has_response_schemas_and_the_error_envelope() {
    let (_coord, doc) = served_document().await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.0.")),
        "OpenAPI 3.0.x expected: {}",
        doc["openapi"]
    );
    for scheme in ["apiToken", "nodeCredential"] {
        let s = &doc["components"]["securitySchemes"][scheme];
        assert_eq!(
            (s["type"].as_str(), s["scheme"].as_str()),
            (Some("http"), Some("bearer"))
        );
    }
    let envelope = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(envelope["required"], json!(["error"]), "{envelope}");
    let detail = resolve(&doc, &envelope["properties"]["error"]);
    assert_eq!(detail["required"], json!(["code", "message"]), "{detail}");

    let mut all_refs = Vec::new();
    refs(&doc, &mut all_refs);
    for r in &all_refs {
        resolve(&doc, &json!({ "$ref": r }));
    }

    let ops = operations(&doc);
    assert!(ops.len() >= 50, "too few operations: {}", ops.len());
    for (method, path, op) in ops {
        let what = format!("{method} {path}");
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            !responses.contains_key("default"),
            "{what}: a catch-all `default` answer"
        );
        let success: Vec<_> = responses.keys().filter(|s| s.starts_with('2')).collect();
        assert!(!success.is_empty(), "{what}: no success answer");
        for (status, answer) in responses {
            let content = answer["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{what} {status}: no content"));
            assert!(!content.is_empty(), "{what} {status}: no media type");
            for (media, body) in content {
                let schema = &body["schema"];
                assert!(
                    schema.as_object().is_some_and(|s| !s.is_empty()),
                    "{what} {status} {media}: no schema"
                );
                if status.starts_with('4') || status.starts_with('5') && path != "/ready" {
                    assert_eq!(
                        schema["$ref"], "#/components/schemas/ErrorBody",
                        "{what} {status}: not the error envelope"
                    );
                }
            }
        }
        if op["security"].is_array() {
            for status in ["401", "403"] {
                assert!(
                    responses.contains_key(status),
                    "{what}: {status} undocumented"
                );
            }
        }
        if path.contains('{') {
            assert!(responses.contains_key("404"), "{what}: 404 undocumented");
        }
        if let Some(body) = op.get("requestBody") {
            for status in ["400", "413", "415", "422"] {
                assert!(
                    responses.contains_key(status),
                    "{what}: {status} undocumented"
                );
            }
            let schema = &body["content"]["application/json"]["schema"];
            // Every request type refuses unknown fields; the document must say so, or generated
            // clients and fuzzers would send fields the server refuses. (A blob upload's body is
            // raw bytes, not JSON.)
            if body["content"]["application/octet-stream"].is_object() {
                continue;
            }
            assert_eq!(
                schema["additionalProperties"],
                json!(false),
                "{what}: request schema allows unknown fields: {schema}"
            );
        }
        for param in op["parameters"].as_array().into_iter().flatten() {
            assert!(
                param["schema"]["type"].is_string(),
                "{what}: parameter without a typed schema: {param}"
            );
        }
    }
}

/// The submit schema describes what the server parses: unknown fields refused (also nested), the
/// command's three shapes, and a body the schema allows is accepted by the real server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_schema_refuses_unknown_fields_as_the_server_does() {
    let (coord, doc) = served_document().await;
    let submit = &doc["paths"]["/api/v1/tasks"]["post"];
    let schema = &submit["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(schema["title"], "SubmitRequest", "{schema}");
    assert_eq!(schema["additionalProperties"], json!(false), "{schema}");
    assert_eq!(schema["required"], json!(["command"]), "{schema}");
    let requirements = &schema["properties"]["requirements"];
    assert_eq!(
        requirements["additionalProperties"],
        json!(false),
        "{requirements}"
    );
    let file = &schema["properties"]["files"]["items"];
    assert_eq!(file["additionalProperties"], json!(false), "{file}");
    let shapes: Vec<&str> = schema["properties"]["command"]["oneOf"]
        .as_array()
        .expect("command is one of its shapes")
        .iter()
        .filter_map(|s| s["required"][0].as_str())
        .collect();
    assert_eq!(shapes, ["argv", "script", "code", "inference"]);
    assert_eq!(
        doc["paths"]["/api/v1/credits/quote"]["post"]["requestBody"], submit["requestBody"],
        "quote takes the submit body"
    );
    let created = &submit["responses"]["201"]["content"]["application/json"]["schema"];
    assert_eq!(created["$ref"], "#/components/schemas/SubmitResponse");

    // The server agrees with the schema on both sides of the line.
    let url = format!("{}/api/v1/tasks", coord.url);
    let known = json!({"command": {"argv": ["true"]}, "priority": 1});
    let ok = send(http().post(&url).bearer_auth(ADMIN_TOKEN).json(&known)).await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    let unknown = json!({"command": {"argv": ["true"]}, "priorty": 1});
    send(http().post(&url).bearer_auth(ADMIN_TOKEN).json(&unknown))
        .await
        .assert_error(422, "invalid_body");
    let nested = json!({"command": {"argv": ["true"]}, "requirements": {"gpus": 1}});
    send(http().post(&url).bearer_auth(ADMIN_TOKEN).json(&nested))
        .await
        .assert_error(422, "invalid_body");
}

/// What one handler parses and answers, read from its signature.
#[derive(Debug)]
struct Handler {
    /// `T` of its `ApiJson<T>` argument.
    body: Option<String>,
    /// Whether it takes an `ApiQuery<_>`.
    query: bool,
    /// `T` of the `Json<T>` it answers with; `Sse` for an event stream; none otherwise.
    answer: Option<String>,
}

/// The first `Name<…>` type argument in `text`, with its nested angle brackets.
fn type_argument(text: &str, name: &str) -> Option<String> {
    let start = text.find(&format!("{name}<"))? + name.len() + 1;
    let mut depth = 1;
    for (i, c) in text[start..].char_indices() {
        match c {
            '<' => depth += 1,
            '>' if depth == 1 => return Some(text[start..start + i].trim().to_string()),
            '>' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Each handler by (method, path), read from the routers' source.
fn parsed_handlers() -> BTreeMap<(String, String), Handler> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server/routes");
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("routes dir") {
        let file = entry.expect("dir entry").path();
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("router source");
        for call in text.split(".route(\"").skip(1) {
            let (path, rest) = call.split_once('"').expect("route path");
            // `get(a).post(b))`: the handlers up to the `.route(` call's closing parenthesis.
            let handlers = rest.split_once("))").map_or(rest, |(h, _)| h);
            for part in handlers.trim_start_matches([',', ' ', '\n']).split('.') {
                let Some((method, handler)) = part.trim().split_once('(') else {
                    continue;
                };
                let handler = handler.trim_end_matches(')').trim();
                let (args, returns) = text
                    .split_once(&format!("async fn {handler}("))
                    .and_then(|(_, after)| after.split_once(") ->"))
                    .map(|(args, rest)| (args, rest.split_once('{').map_or(rest, |(r, _)| r)))
                    .unwrap_or_else(|| panic!("{}: no handler {handler}", file.display()));
                let answer = if returns.contains("Sse<") {
                    Some("Sse".to_string())
                } else {
                    type_argument(returns, "Json")
                };
                let parsed = Handler {
                    body: type_argument(args, "ApiJson"),
                    query: args.contains("ApiQuery<"),
                    answer,
                };
                found.insert((method.to_string(), path.to_string()), parsed);
            }
        }
    }
    found
}

/// Whether a documented success answer describes the handler's `Json<T>`.
fn answers_with(doc: &Value, op: &Value, answer: &str) -> Result<(), String> {
    let responses = op["responses"].as_object().ok_or("no responses")?;
    let (_, success) = responses
        .iter()
        .find(|(status, _)| status.starts_with('2'))
        .ok_or("no success answer")?;
    if answer == "Sse" {
        return match success["content"]["text/event-stream"].is_object() {
            true => Ok(()),
            false => Err(format!("not documented as an event stream: {success}")),
        };
    }
    let schema = &success["content"]["application/json"]["schema"];
    let (expected, got) = match answer.strip_prefix("Vec<") {
        Some(item) => (item.trim_end_matches('>'), &schema["items"]["$ref"]),
        None if answer == "Value" => {
            return match resolve(doc, schema)["type"] == "object" {
                true => Ok(()),
                false => Err(format!("not an object: {schema}")),
            };
        }
        None => (answer, &schema["$ref"]),
    };
    match got.as_str() == Some(&format!("#/components/schemas/{expected}")) {
        true => Ok(()),
        false => Err(format!("documented {schema}, the handler answers {answer}")),
    }
}

/// A new route that takes a body or a query, or answers with a type, other than `openapi::ROUTES`
/// describes fails here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_body_query_and_answer_a_handler_has_is_documented() {
    let (_coord, doc) = served_document().await;
    let handlers = parsed_handlers();
    assert!(
        handlers.len() >= 50,
        "the source scan found too little: {handlers:?}"
    );
    assert!(
        handlers.values().filter(|h| h.body.is_some()).count() >= 15,
        "{handlers:?}"
    );
    assert!(
        handlers.values().filter(|h| h.query).count() >= 6,
        "{handlers:?}"
    );
    assert!(
        handlers.values().filter(|h| h.answer.is_some()).count() >= 45,
        "{handlers:?}"
    );
    for ((method, path), handler) in &handlers {
        let op = &doc["paths"][path][method];
        assert!(
            op.is_object(),
            "{method} {path} is served but not documented"
        );
        let documented = op["requestBody"]["content"]["application/json"]["schema"]["title"]
            .as_str()
            .map(str::to_string);
        assert_eq!(
            documented, handler.body,
            "{method} {path}: request body schema"
        );
        let query_params = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .count();
        assert_eq!(
            query_params > 0,
            handler.query,
            "{method} {path}: {query_params} query parameters documented; handler takes a query: {}",
            handler.query
        );
        if let Some(answer) = &handler.answer
            && let Err(e) = answers_with(&doc, op, answer)
        {
            panic!("{method} {path}: {e}");
        }
    }
}

/// Found by Schemathesis: serde reads a struct from a JSON array too, so `[]` created a token and
/// `[null, null]` re-registered a node, though the document says every body is an object.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_an_object_is_refused() {
    let (coord, doc) = served_document().await;
    let schema = &doc["paths"]["/api/v1/tokens"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(schema["type"], "object", "{schema}");
    let url = format!("{}/api/v1/tokens", coord.url);
    let before = coord.admin().tokens().await.expect("tokens").len();
    for body in ["[]", " [null, null]", "[\"api\"]"] {
        let req = http()
            .post(&url)
            .bearer_auth(ADMIN_TOKEN)
            .header("content-type", "application/json")
            .body(body);
        send(req).await.assert_error(422, "invalid_body");
    }
    let after = coord.admin().tokens().await.expect("tokens").len();
    assert_eq!(before, after, "a token was created from an array body");
    // An object still works.
    let ok = send(http().post(&url).bearer_auth(ADMIN_TOKEN).json(&json!({}))).await;
    assert_eq!(ok.status, 201, "{}", ok.text);
}

/// Integer widths come with their range, so a schema-valid number is one the server can take.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integer_parameters_carry_their_range() {
    let (coord, doc) = served_document().await;
    let limit = doc["paths"]["/api/v1/tasks"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "limit")
        .expect("a limit parameter")
        .clone();
    assert_eq!(limit["schema"]["maximum"], json!(u32::MAX), "{limit}");
    let max_memory = &doc["paths"]["/api/v1/tasks"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["properties"]["requirements"]["properties"]["min_memory_mib"];
    assert_eq!(max_memory["maximum"], json!(u64::MAX), "{max_memory}");
    // One past the documented range is refused with the envelope, not a 5xx.
    let past = u64::from(u32::MAX) + 1;
    let url = format!("{}/api/v1/tasks?limit={past}", coord.url);
    send(http().get(&url).bearer_auth(ADMIN_TOKEN))
        .await
        .assert_error(400, "bad_request");
}
