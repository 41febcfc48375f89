//! Turns [`super::ROUTES`] into the OpenAPI 3.0 document: operations, parameters, bodies, the
//! statuses each route answers, and the schemas schemars generates for them.

use super::{Body, RouteDoc, SSE, SchemaFn};
use crate::api::ErrorBody;
use schemars::Schema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value, json};

/// Every error status a route may answer with the `{"error":{code,message}}` envelope: those its
/// shape implies (auth, a path id, a body, a query), 503 (draining, full disk) and its own extras.
pub fn error_statuses(route: &RouteDoc) -> Vec<u16> {
    let mut statuses = Vec::new();
    if route.auth != "none" {
        statuses.extend([401, 403]);
    }
    if route.path.contains('{') {
        // 400: a segment that is not a valid id or name (bad UTF-8, an unknown account kind).
        statuses.extend([400, 404]);
    }
    if route.query.is_some() {
        statuses.push(400);
    }
    if route.request.is_some() {
        statuses.extend([400, 413, 415, 422]);
    }
    if route.raw_request.is_some() {
        statuses.extend([400, 413, 415]);
    }
    if route.path != "/health" && route.path != "/api/v1/openapi.json" {
        statuses.push(503);
    }
    statuses.extend_from_slice(route.errors);
    statuses.retain(|s| Some(*s) != route.also);
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

/// schemars names an integer's width (`format: uint32`) but not its range, so a client (or a
/// fuzzer) reading the document could send a number the server must refuse: spell the range out.
fn integer_bounds(schema: &mut Schema) {
    let range = match schema.get("format").and_then(Value::as_str) {
        Some("uint8") => Some((json!(0), json!(u8::MAX))),
        Some("uint16") => Some((json!(0), json!(u16::MAX))),
        Some("uint32") => Some((json!(0), json!(u32::MAX))),
        Some("uint64") => Some((json!(0), json!(u64::MAX))),
        Some("int8") => Some((json!(i8::MIN), json!(i8::MAX))),
        Some("int16") => Some((json!(i16::MIN), json!(i16::MAX))),
        Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
        Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
        _ => None,
    };
    if let Some((min, max)) = range {
        if schema.get("minimum").is_none() {
            schema.insert("minimum".into(), min);
        }
        if schema.get("maximum").is_none() {
            schema.insert("maximum".into(), max);
        }
    }
    schemars::transform::transform_subschemas(&mut integer_bounds, schema);
}

/// Applies the generator's OpenAPI transforms (nullable, no boolean schemas...) to a schema it
/// handed out directly rather than through its definitions.
fn finish(generator: &mut SchemaGenerator, mut schema: Schema) -> Value {
    for transform in generator.transforms_mut() {
        transform.transform(&mut schema);
    }
    schema.to_value()
}

/// Query parameters from a query struct's object schema: one parameter per property.
fn query_parameters(generator: &mut SchemaGenerator, query: SchemaFn) -> Vec<Value> {
    let schema = query(generator);
    let object = finish(generator, schema);
    let required: Vec<&str> = object["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = object["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, schema)| {
            let mut schema = schema.clone();
            // A query parameter is absent or has a value: `nullable` means nothing here and would
            // invite generated `?limit=` (empty) values the parser rightly refuses.
            if let Some(obj) = schema.as_object_mut() {
                obj.remove("nullable");
            }
            json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "schema": schema,
            })
        })
        .collect()
}

fn operation(
    r: &RouteDoc,
    requests: &mut SchemaGenerator,
    responses: &mut SchemaGenerator,
) -> Value {
    let success = match r.response {
        Body::Json(schema) => {
            let schema = schema(responses);
            json!({"application/json": {"schema": finish(responses, schema)}})
        }
        Body::Text(media) => json!({ media: {"schema": {"type": "string"}} }),
    };
    let mut answers = Map::new();
    let described = json!({"description": "Success.", "content": success});
    answers.insert(r.status.to_string(), described.clone());
    if let Some(also) = r.also {
        answers.insert(also.to_string(), described);
    }
    let envelope = responses.subschema_for::<ErrorBody>().to_value();
    for status in error_statuses(r) {
        answers.insert(
            status.to_string(),
            json!({
                "description": "The error envelope.",
                "content": {"application/json": {"schema": envelope}},
            }),
        );
    }
    let mut op = json!({"summary": r.summary, "responses": answers});
    if r.auth != "none" {
        let scheme = if r.auth == "node" {
            "nodeCredential"
        } else {
            "apiToken"
        };
        op["security"] = json!([{ scheme: [] }]);
    }
    if let Some(request) = r.request {
        let schema = request(requests);
        op["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": finish(requests, schema)}}
        });
    }
    if let Some(media) = r.raw_request {
        op["requestBody"] = json!({
            "required": true,
            "content": {media: {"schema": {"type": "string", "format": "binary"}}}
        });
    }
    let mut params: Vec<Value> = r
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            // A blob is named by its hash: say so, so clients and fuzzers send real names.
            let schema = if name == "sha256" {
                json!({"type": "string", "pattern": "^[0-9a-f]{64}$"})
            } else {
                json!({"type": "string"})
            };
            json!({"name": name, "in": "path", "required": true, "schema": schema})
        })
        .collect();
    if let Some(query) = r.query {
        params.extend(query_parameters(requests, query));
    }
    if matches!(r.response, Body::Text(SSE)) {
        params.push(json!({
            "name": "Last-Event-ID", "in": "header", "required": false,
            "description": "Resume after this event id; wins over `?after=`.",
            "schema": {"type": "integer", "format": "int64"}
        }));
    }
    if !params.is_empty() {
        op["parameters"] = Value::Array(params);
    }
    op
}

pub fn document() -> Value {
    document_of("edgecoder coordinator", super::ROUTES)
}

/// The document of any table of routes (the inference service has its own).
pub fn document_of(title: &str, routes: &[RouteDoc]) -> Value {
    // Requests are described as the server parses them and inlined; responses as it writes them,
    // named in `components/schemas`. Two contracts, so they cannot share definitions.
    let mut requests = SchemaSettings::openapi3()
        .for_deserialize()
        .with(|s| s.inline_subschemas = true)
        .with_transform(integer_bounds)
        .into_generator();
    let mut responses = SchemaSettings::openapi3()
        .for_serialize()
        .with_transform(integer_bounds)
        .into_generator();
    let mut paths = Map::new();
    for r in routes {
        let op = operation(r, &mut requests, &mut responses);
        if let Value::Object(map) = paths
            .entry(r.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            map.insert(r.method.to_string(), op);
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": crate::version::current()},
        "components": {
            "securitySchemes": {
                "apiToken": {"type": "http", "scheme": "bearer"},
                "nodeCredential": {"type": "http", "scheme": "bearer"}
            },
            "schemas": responses.take_definitions(true),
        },
        "paths": paths,
    })
}
