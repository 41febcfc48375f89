//! Our real `OllamaClient` against a stand-in that speaks Ollama's wire protocol (no Ollama can
//! run here): `/api/tags`, `/api/show`, `/api/chat` streamed as NDJSON, and its failures.
//! The stand-in is shared with `models_detect` (a model pulled while an agent runs).

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use edgecoder::models::{
    ChatRequest, Finish, Message, ModelBackend, ModelError, OllamaClient, Role, Sampling, Timeouts,
};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One model the stand-in serves.
#[derive(Clone)]
pub struct StandInModel {
    pub name: String,
    pub family: &'static str,
    pub parameter_size: &'static str,
    pub quantization: &'static str,
    pub context_length: u64,
}

impl StandInModel {
    pub fn new(name: &str) -> StandInModel {
        StandInModel {
            name: name.to_string(),
            family: "qwen2",
            parameter_size: "7.6B",
            quantization: "Q4_K_M",
            context_length: 32768,
        }
    }
}

#[derive(Default)]
struct Inner {
    models: Vec<StandInModel>,
    /// The bodies of the `/api/chat` requests, as received.
    chats: Vec<Value>,
}

/// An Ollama stand-in on a free loopback port. Chat answers depend on the model's name:
/// `good…` streams "Hel", "lo" then `done`; `broken…` sends an `{"error":…}` line after a
/// chunk; `long…` ends with `done_reason: "length"`; `slow-<ms>…` waits that long before its
/// first byte; `garbage…` answers lines that are not JSON; unknown names get Ollama's 404.
#[derive(Clone)]
pub struct OllamaStandIn {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl OllamaStandIn {
    pub async fn start(models: &[&str]) -> OllamaStandIn {
        let inner = Arc::new(Mutex::new(Inner {
            models: models.iter().map(|m| StandInModel::new(m)).collect(),
            chats: Vec::new(),
        }));
        let app = Router::new()
            .route("/api/tags", get(tags))
            .route("/api/show", post(show))
            .route("/api/chat", post(chat))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        OllamaStandIn { url, inner }
    }

    /// `ollama pull`, as far as the API can tell.
    pub fn add_model(&self, model: StandInModel) {
        self.inner.lock().expect("lock").models.push(model);
    }

    fn chats(&self) -> Vec<Value> {
        self.inner.lock().expect("lock").chats.clone()
    }
}

fn find(inner: &Mutex<Inner>, name: &str) -> Option<StandInModel> {
    let inner = inner.lock().expect("lock");
    inner.models.iter().find(|m| m.name == name).cloned()
}

fn details(m: &StandInModel) -> Value {
    json!({"parent_model": "", "format": "gguf", "family": m.family, "families": [m.family],
           "parameter_size": m.parameter_size, "quantization_level": m.quantization})
}

async fn tags(State(inner): State<Arc<Mutex<Inner>>>) -> Json<Value> {
    let models: Vec<Value> = inner
        .lock()
        .expect("lock")
        .models
        .iter()
        .map(|m| {
            json!({"name": m.name, "model": m.name, "modified_at": "2026-11-24T10:00:00Z",
                   "size": 4683087332u64, "digest": "2bada8a74506", "details": details(m)})
        })
        .collect();
    Json(json!({ "models": models }))
}

async fn show(State(inner): State<Arc<Mutex<Inner>>>, Json(body): Json<Value>) -> Response {
    let name = body["model"].as_str().unwrap_or_default().to_string();
    let Some(m) = find(&inner, &name) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("model '{name}' not found")})),
        )
            .into_response();
    };
    let arch = m.family;
    Json(json!({
        "modelfile": "# Modelfile", "parameters": "stop \"<|im_end|>\"", "template": "{{ .Prompt }}",
        "details": details(&m),
        "model_info": {
            "general.architecture": arch,
            "general.parameter_count": 7615616512u64,
            format!("{arch}.context_length"): m.context_length,
            format!("{arch}.embedding_length"): 3584,
        },
        "capabilities": ["completion"],
    }))
    .into_response()
}

fn line(model: &str, content: &str) -> String {
    json!({"model": model, "created_at": "2026-11-24T10:00:00Z",
           "message": {"role": "assistant", "content": content}, "done": false})
    .to_string()
        + "\n"
}

fn done(model: &str, reason: &str) -> String {
    json!({"model": model, "created_at": "2026-11-24T10:00:01Z",
           "message": {"role": "assistant", "content": ""}, "done_reason": reason, "done": true,
           "total_duration": 5_000_000u64, "load_duration": 1_000_000u64,
           "prompt_eval_count": 12, "prompt_eval_duration": 1_000_000u64,
           "eval_count": 3, "eval_duration": 2_000_000u64})
    .to_string()
        + "\n"
}

async fn chat(State(inner): State<Arc<Mutex<Inner>>>, Json(body): Json<Value>) -> Response {
    inner.lock().expect("lock").chats.push(body.clone());
    let name = body["model"].as_str().unwrap_or_default().to_string();
    if find(&inner, &name).is_none() {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("model \"{name}\" not found, try pulling it first")})),
        )
            .into_response();
    }
    if let Some(rest) = name.strip_prefix("slow-") {
        let ms: u64 = rest
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let lines: Vec<String> = if name.starts_with("broken") {
        vec![
            line(&name, "Hel"),
            "{\"error\":\"an error was encountered while running the model: out of memory\"}\n"
                .into(),
        ]
    } else if name.starts_with("long") {
        vec![line(&name, "Hel"), line(&name, "lo"), done(&name, "length")]
    } else if name.starts_with("garbage") {
        vec!["<html>not ndjson</html>\n".into()]
    } else {
        vec![line(&name, "Hel"), line(&name, "lo"), done(&name, "stop")]
    };
    // Each line its own chunk, a little apart, as a model writes them.
    let stream = futures_util::stream::unfold(lines.into_iter(), |mut lines| async move {
        let next = lines.next()?;
        tokio::time::sleep(Duration::from_millis(15)).await;
        Some((Ok::<_, std::convert::Infallible>(next), lines))
    });
    Response::builder()
        .header("content-type", "application/x-ndjson")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn client(url: &str, idle_ms: u64) -> OllamaClient {
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        idle: Duration::from_millis(idle_ms),
    };
    OllamaClient::new(url, timeouts).expect("client")
}

fn request(model: &str) -> ChatRequest {
    ChatRequest {
        model: model.to_string(),
        messages: vec![Message::new(Role::User, "Say hello.")],
        sampling: Sampling {
            temperature: 0.0,
            seed: 7,
            max_tokens: 64,
            num_ctx: 8192,
        },
        schema: None,
    }
}

#[tokio::test]
async fn lists_models_with_their_details() {
    let ollama = OllamaStandIn::start(&["qwen2.5-coder:7b", "good"]).await;
    // OLLAMA_HOST's `host:port` form works too.
    let bare = ollama.url.trim_start_matches("http://").to_string();
    for url in [ollama.url.clone(), bare] {
        let models = client(&url, 5000).list_models().await.expect("list");
        assert_eq!(models.len(), 2);
        let m = &models[0];
        assert_eq!(m.name, "qwen2.5-coder:7b");
        assert_eq!(m.backend, "ollama");
        assert_eq!(m.family.as_deref(), Some("qwen2"));
        assert_eq!(m.parameter_size.as_deref(), Some("7.6B"));
        assert_eq!(m.quantization.as_deref(), Some("Q4_K_M"));
        assert_eq!(m.context_length, Some(32768));
    }
}

#[tokio::test]
async fn a_streamed_chat_delivers_pieces_tokens_and_sends_the_sampling() {
    let ollama = OllamaStandIn::start(&["good"]).await;
    let pieces = Mutex::new(Vec::<String>::new());
    let answer = client(&ollama.url, 5000)
        .chat(&request("good"), &|t| {
            pieces.lock().expect("lock").push(t.into())
        })
        .await
        .expect("chat");
    assert_eq!(answer.content, "Hello");
    assert_eq!(*pieces.lock().expect("lock"), vec!["Hel", "lo"]);
    assert_eq!((answer.tokens_in, answer.tokens_out), (12, 3));
    assert_eq!(answer.finish, Finish::Stop);
    assert_eq!(answer.model, "good");
    let sent = ollama.chats();
    assert_eq!(sent.len(), 1);
    let sent = &sent[0];
    assert_eq!(sent["stream"], json!(true));
    assert_eq!(sent["options"]["temperature"], json!(0.0));
    assert_eq!(sent["options"]["seed"], json!(7));
    assert_eq!(sent["options"]["num_predict"], json!(64));
    assert_eq!(sent["options"]["num_ctx"], json!(8192));
    assert_eq!(
        sent["messages"][0],
        json!({"role": "user", "content": "Say hello."})
    );
}

#[tokio::test]
async fn an_error_line_mid_stream_is_the_servers_error() {
    let ollama = OllamaStandIn::start(&["broken"]).await;
    match client(&ollama.url, 5000)
        .chat(&request("broken"), &|_| {})
        .await
    {
        Err(ModelError::Server { message, .. }) => {
            assert!(message.contains("out of memory"), "{message}")
        }
        other => panic!("expected Server, got {other:?}"),
    }
}

#[tokio::test]
async fn done_reason_length_is_a_cut_off_answer() {
    let ollama = OllamaStandIn::start(&["long"]).await;
    let answer = client(&ollama.url, 5000)
        .chat(&request("long"), &|_| {})
        .await
        .expect("chat");
    assert_eq!(answer.finish, Finish::Length);
    assert_eq!(answer.content, "Hello");
}

#[tokio::test]
async fn an_unknown_model_is_not_installed_with_the_names_there_are() {
    let ollama = OllamaStandIn::start(&["good", "qwen2.5-coder:7b"]).await;
    match client(&ollama.url, 5000)
        .chat(&request("llama3:70b"), &|_| {})
        .await
    {
        Err(e @ ModelError::NotInstalled { .. }) => {
            let ModelError::NotInstalled { model, available } = &e else {
                unreachable!()
            };
            assert_eq!(model, "llama3:70b");
            assert_eq!(
                available,
                &vec!["good".to_string(), "qwen2.5-coder:7b".to_string()]
            );
            assert!(e.to_string().contains("qwen2.5-coder:7b"), "{e}");
        }
        other => panic!("expected NotInstalled, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_first_byte_stalls_but_one_just_inside_the_timeout_succeeds() {
    let ollama = OllamaStandIn::start(&["slow-1500", "slow-300"]).await;
    let err = client(&ollama.url, 600)
        .chat(&request("slow-1500"), &|_| {})
        .await
        .expect_err("too slow");
    assert!(matches!(err, ModelError::Stalled { .. }), "{err:?}");
    let answer = client(&ollama.url, 1000)
        .chat(&request("slow-300"), &|_| {})
        .await
        .expect("inside the idle timeout");
    assert_eq!(answer.content, "Hello");
}

#[tokio::test]
async fn garbage_lines_are_garbage_and_a_dead_host_is_unreachable() {
    let ollama = OllamaStandIn::start(&["garbage"]).await;
    let err = client(&ollama.url, 5000)
        .chat(&request("garbage"), &|_| {})
        .await
        .expect_err("garbage");
    assert!(matches!(err, ModelError::Garbage(_)), "{err:?}");
    let dead = format!("127.0.0.1:{}", crate::common::free_port());
    let err = client(&dead, 5000).list_models().await.expect_err("dead");
    assert!(matches!(err, ModelError::Unreachable { .. }), "{err:?}");
}
