//! The inference service (`serve --mode inference`, and inside an all-in-one `serve`): its
//! refusals (no token, a wrong token, bad bodies, a model backend that is down), its OpenAPI
//! document against what it serves, decomposition with the real test model, and the retry and
//! fallback of a decomposition against a wire-level stand-in model server that answers garbage
//! and then a cycle (answers the real server cannot be made to give on demand).

use crate::common::{Coordinator, CoordinatorOptions, Sandbox, free_port, http, run_to_end, send};
use crate::llm;
use edgecoder::api::client::inference::InferenceClient;
use edgecoder::api::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// `serve --mode inference` on a free port with the token and these model settings.
fn start_service(sb: &Sandbox, env: &[(&str, &str)]) -> Coordinator {
    let mut all = vec![("EDGECODER_INFERENCE_TOKEN".to_string(), TOKEN.to_string())];
    all.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Coordinator::start_with(
        sb,
        CoordinatorOptions {
            args: vec![
                "--mode".into(),
                "inference".into(),
                "--port".into(),
                "0".into(),
            ],
            env: all,
            admin_token: None,
        },
    )
}

fn client(url: &str) -> InferenceClient {
    InferenceClient::new(url, TOKEN).expect("client")
}

#[test]
fn without_a_token_it_refuses_to_start_and_says_how_to_make_one() {
    let sb = Sandbox::new();
    let mut cmd = sb.command();
    cmd.args(["serve", "--mode", "inference", "--port", "0"]);
    let (code, out, err) = run_to_end(cmd, Duration::from_secs(20));
    assert_ne!(code, Some(0), "started without a token: {out}");
    assert!(err.contains("EDGECODER_INFERENCE_TOKEN"), "{err}");
    assert!(err.contains("openssl rand -hex 32"), "{err}");
    assert!(!out.contains("listening on"), "{out}");
}

#[tokio::test]
async fn tokens_bodies_and_a_backend_that_is_down_are_refused_clearly() {
    let sb = Sandbox::new();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let svc = start_service(
        &sb,
        &[
            ("EDGECODER_OPENAI_BASE_URL", dead.as_str()),
            ("EDGECODER_MAX_BODY_BYTES", "4096"),
        ],
    );
    let chat = json!({"messages": [{"role": "user", "content": "hi"}]});
    let url = format!("{}/v1/chat", svc.url);

    send(http().post(&url).json(&chat))
        .await
        .assert_error(401, "unauthorized");
    send(http().post(&url).bearer_auth("not-the-token").json(&chat))
        .await
        .assert_error(401, "unauthorized");
    send(
        http()
            .post(&url)
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body("{\"messages\": [oops"),
    )
    .await
    .assert_error(400, "invalid_json");
    let huge = json!({"messages": [{"role": "user", "content": "x".repeat(10_000)}]});
    let raw = send(http().post(&url).bearer_auth(TOKEN).json(&huge)).await;
    assert_eq!(raw.status, 413, "{}", raw.text);

    // The backend is down: 503 with what to do, and /ready says so.
    let raw = send(http().post(&url).bearer_auth(TOKEN).json(&chat)).await;
    raw.assert_error(503, "unavailable");
    let message = raw.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("did not answer"), "{message}");
    let err = client(&svc.url)
        .chat(&serde_json::from_value(chat.clone()).expect("request"))
        .await
        .expect_err("down");
    assert!(err.retryable(), "{err}");
    let ready = send(http().get(format!("{}/ready", svc.url))).await;
    assert_eq!(ready.status, 503, "{}", ready.text);
    assert_eq!(ready.json()["ready"], false);
    assert!(
        ready.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("no model backend answers"))
    );
    let health = send(http().get(format!("{}/health", svc.url))).await;
    assert_eq!(health.status, 200);

    // A 4xx is not retryable.
    let bad = InferenceClient::new(&svc.url, "wrong-token-wrong-token").expect("client");
    let err = bad
        .chat(&serde_json::from_value(chat).expect("request"))
        .await
        .expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert!(!err.retryable());
}

#[tokio::test]
async fn every_served_route_is_in_its_own_openapi_document() {
    let sb = Sandbox::new();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let svc = start_service(&sb, &[("EDGECODER_OPENAI_BASE_URL", dead.as_str())]);
    let doc = send(http().get(format!("{}/openapi.json", svc.url)))
        .await
        .json();
    let paths = doc["paths"].as_object().expect("paths");
    let routes = edgecoder::inference::openapi::ROUTES;
    assert_eq!(
        paths
            .values()
            .map(|p| p.as_object().map_or(0, |o| o.len()))
            .sum::<usize>(),
        routes.len()
    );
    for route in routes {
        assert!(
            doc["paths"][route.path][route.method].is_object(),
            "{} {} undocumented",
            route.method,
            route.path
        );
        let url = format!("{}{}", svc.url, route.path);
        let req = match route.method {
            "get" => http().get(&url),
            _ => http().post(&url).json(&json!({})),
        };
        let raw = send(req.bearer_auth(TOKEN)).await;
        let code = if raw.status == 404 {
            raw.json()["error"]["code"].clone()
        } else {
            Value::Null
        };
        assert_ne!(
            code,
            json!("no_route"),
            "{} {} documented but not served",
            route.method,
            route.path
        );
    }
    // And nothing else is served.
    send(
        http()
            .get(format!("{}/v1/other", svc.url))
            .bearer_auth(TOKEN),
    )
    .await
    .assert_error(404, "no_route");
    let metrics = send(http().get(format!("{}/metrics", svc.url))).await;
    assert!(
        metrics.text.contains("edgecoder_inference_requests_total"),
        "{}",
        metrics.text
    );
    assert!(
        metrics.text.contains("edgecoder_inference_tokens_in_total"),
        "{}",
        metrics.text
    );
}

#[tokio::test]
async fn the_real_model_decomposes_a_request_in_parts_chats_and_escalates() {
    let Some(llm) = llm::shared() else { return };
    let sb = Sandbox::new();
    let svc = start_service(&sb, &[("EDGECODER_OPENAI_BASE_URL", llm.base_url.as_str())]);
    // A CPU model on a loaded machine can take minutes per answer.
    let c = client(&svc.url).with_timeout(Duration::from_secs(1800));
    crate::common::eventually(Duration::from_secs(60), || async {
        c.ready().await.ok().filter(|r| r["ready"] == true)
    })
    .await;

    let req = DecomposeRequest {
        prompt: "Build a small Python package:\n1. a module shapes.py with a function area(w, h)\n\
                 2. a module greet.py with a function hello(name)\n3. a test file test_all.py \
                 that checks both"
            .into(),
        language: "python".into(),
        files: vec![],
        check: None,
        max_subtasks: Some(3),
        model: None,
    };
    let answer = c.decompose(&req).await.expect("decompose");
    assert!(answer.fallback.is_none(), "fell back: {:?}", answer.log);
    assert!(answer.subtasks.len() >= 2, "{:?}", answer.subtasks);
    assert!(answer.subtasks.len() <= 3, "{:?}", answer.subtasks);
    let ids: std::collections::BTreeSet<_> = answer.subtasks.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), answer.subtasks.len(), "ids unique");
    for s in &answer.subtasks {
        assert!(LANGUAGES.contains(&s.language.as_str()), "{s:?}");
        assert!(!s.prompt.trim().is_empty(), "{s:?}");
        assert!(s.depends_on.iter().all(|d| ids.contains(d)), "{s:?}");
    }
    assert!(answer.tokens_out > 0);

    let chat = c
        .chat(&InferenceChatRequest {
            messages: vec![InferenceMessage {
                role: "user".into(),
                content: "Say hello.".into(),
            }],
            model: None,
            max_tokens: Some(16),
            schema: None,
        })
        .await
        .expect("chat");
    assert!(!chat.content.trim().is_empty(), "{chat:?}");
    assert_eq!(chat.model, llm::MODEL);

    let escalated = c
        .escalate(&EscalateRequest {
            spec: CodeSpec {
                prompt: "Write a Python program that prints 42.".into(),
                language: "python".into(),
                check: None,
                model: None,
                max_iterations: None,
                check_timeout_secs: None,
                history: vec![],
            },
            files: vec![TaskFile {
                path: "main.py".into(),
                content: "print(41\n".into(),
            }],
            model: None,
        })
        .await
        .expect("escalate");
    assert!(
        escalated.files.iter().any(|f| f.path == "main.py"),
        "{escalated:?}"
    );
    assert!(
        escalated.files.iter().all(|f| !f.path.contains("..")),
        "{escalated:?}"
    );
}

/// What the stand-in model server was asked.
type Seen = Arc<Mutex<Vec<Value>>>;

/// An OpenAI-compatible stand-in that answers its n-th chat with `answers[n]` (streamed as one
/// delta), so the service's real client code path reads it.
async fn stand_in(answers: Vec<String>) -> (String, Seen) {
    use axum::routing::{get, post};
    let seen: Seen = Arc::default();
    let answers = Arc::new(answers);
    let router = axum::Router::new()
        .route(
            "/v1/models",
            get(|| async { axum::Json(json!({"data": [{"id": "stand-in"}]})) }),
        )
        .route(
            "/v1/chat/completions",
            post({
                let seen = seen.clone();
                move |axum::Json(body): axum::Json<Value>| {
                    let seen = seen.clone();
                    let answers = answers.clone();
                    async move {
                        let n = {
                            let mut s = seen.lock().expect("seen");
                            s.push(body);
                            s.len() - 1
                        };
                        let text = answers.get(n).cloned().unwrap_or_default();
                        let delta = json!({"choices": [{"delta": {"content": text}, "finish_reason": null}]});
                        let end = json!({"choices": [{"delta": {}, "finish_reason": "stop"}],
                                         "usage": {"prompt_tokens": 10, "completion_tokens": 5}});
                        (
                            [("content-type", "text/event-stream")],
                            format!("data: {delta}\n\ndata: {end}\n\ndata: [DONE]\n\n"),
                        )
                    }
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn garbage_then_a_cycle_is_retried_once_then_one_subtask_with_the_reason_in_the_log() {
    let cycle = json!({"subtasks": [
        {"id": "a", "title": "A", "prompt": "write a", "language": "python", "files": ["a.py"], "depends_on": ["b"], "check": null},
        {"id": "b", "title": "B", "prompt": "write b", "language": "python", "files": ["b.py"], "depends_on": ["a"], "check": null}
    ]});
    let (model_url, seen) = stand_in(vec![
        "I am sorry, I cannot split this.".into(),
        format!("Here you go:\n```json\n{cycle}\n```"),
    ])
    .await;
    let sb = Sandbox::new();
    let svc = start_service(&sb, &[("EDGECODER_OPENAI_BASE_URL", model_url.as_str())]);
    let req = DecomposeRequest {
        prompt: "Write a\nand b".into(),
        language: "python".into(),
        files: vec!["a.py".into()],
        check: Some("python3 a.py".into()),
        max_subtasks: None,
        model: None,
    };
    let answer = client(&svc.url).decompose(&req).await.expect("decompose");
    let seen = seen.lock().expect("seen").clone();
    assert_eq!(seen.len(), 2, "one retry, no more");
    // Schema-constrained both times; the retry carries the validation error.
    for body in &seen {
        assert_eq!(body["response_format"]["type"], "json_schema", "{body}");
        assert_eq!(
            body["response_format"]["json_schema"]["strict"], true,
            "{body}"
        );
    }
    let retry = seen[1]["messages"].to_string();
    assert!(retry.contains("not JSON"), "{retry}");
    assert_eq!(answer.subtasks.len(), 1, "{answer:?}");
    let only = &answer.subtasks[0];
    assert_eq!(only.prompt, req.prompt);
    assert_eq!(only.check, req.check);
    assert_eq!(only.files, req.files);
    let why = answer.fallback.clone().expect("fallback set");
    assert!(why.contains("cycle"), "{why}");
    let log = answer.log.join("\n");
    assert!(
        log.contains("attempt 1") && log.contains("not JSON"),
        "{log}"
    );
    assert!(log.contains("asking again"), "{log}");
    assert!(
        log.contains("attempt 2") && log.contains("cycle (a → b → a)"),
        "{log}"
    );
    assert!(log.contains("falling back to one subtask"), "{log}");
    assert_eq!(answer.tokens_out, 10);
}

#[tokio::test]
async fn all_in_one_serves_the_inference_service_inside_behind_a_token() {
    let sb = Sandbox::new();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let coord = Coordinator::start_with(
        &sb,
        CoordinatorOptions {
            args: vec!["--port".into(), "0".into(), "--no-local-worker".into()],
            env: vec![("EDGECODER_OPENAI_BASE_URL".into(), dead)],
            ..CoordinatorOptions::default()
        },
    );
    let out = coord.stdout();
    let url = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("inference: "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no inference line: {out}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_ne!(url, coord.url);
    let health = send(http().get(format!("{url}/health"))).await;
    assert_eq!(health.status, 200, "{}", health.text);
    send(
        http()
            .post(format!("{url}/v1/chat"))
            .json(&json!({"messages": []})),
    )
    .await
    .assert_error(401, "unauthorized");
    assert!(!out.contains(TOKEN));
}
