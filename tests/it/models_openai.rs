//! Our OpenAI-compatible client against the real test model (llama.cpp's server with
//! SmolLM2-135M), and against servers that misbehave: refused, garbage, silent.

use crate::common::free_port;
use edgecoder::models::{
    Backends, ChatRequest, Finish, Message, ModelBackend, ModelError, ModelSettings, OpenAiClient,
    OpenAiSettings, Role, Sampling, Timeouts,
};
use std::sync::Mutex;
use std::time::Duration;

/// The real model server is shared by every model test in the run and answers one request at a
/// time, so a request queued behind a long generation sees no byte for minutes. These tests check
/// what the answer is, not how soon it starts.
const SHARED_SERVER_IDLE_MS: u64 = 600_000;

fn timeouts(idle_ms: u64) -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        idle: Duration::from_millis(idle_ms),
    }
}

fn request(model: &str, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        model: model.to_string(),
        messages: vec![
            Message::new(Role::System, "You are a terse assistant."),
            Message::new(Role::User, "Write a Python program that prints 42."),
        ],
        sampling: Sampling {
            temperature: 0.0,
            seed: 7,
            max_tokens,
            num_ctx: 4096,
        },
        schema: None,
    }
}

#[tokio::test]
async fn lists_the_test_model_with_its_context_length() {
    let Some(server) = crate::llm::shared() else {
        return;
    };
    // The base URL works with and without `/v1`.
    for base in [server.base_url.clone(), format!("{}/v1/", server.base_url)] {
        let client =
            OpenAiClient::new(&base, None, timeouts(SHARED_SERVER_IDLE_MS)).expect("client");
        let models = client.list_models().await.expect("list");
        assert_eq!(models.len(), 1, "{models:?}");
        assert_eq!(models[0].name, server.model);
        assert_eq!(models[0].backend, "openai");
        assert!(models[0].context_length.unwrap_or(0) >= 512, "{models:?}");
    }
}

#[tokio::test]
async fn a_streamed_chat_counts_tokens_streams_deltas_and_repeats_itself() {
    let Some(server) = crate::llm::shared() else {
        return;
    };
    let client =
        OpenAiClient::new(&server.base_url, None, timeouts(SHARED_SERVER_IDLE_MS)).expect("client");
    let deltas = Mutex::new(Vec::<String>::new());
    let on_text = |t: &str| deltas.lock().expect("lock").push(t.to_string());
    let first = client
        .chat(&request(server.model, 12), &on_text)
        .await
        .expect("chat");
    let pieces = deltas.lock().expect("lock").clone();
    assert!(pieces.len() > 1, "the answer came in pieces: {pieces:?}");
    assert_eq!(pieces.concat(), first.content);
    assert!(first.tokens_in > 0 && first.tokens_out > 0, "{first:?}");
    assert!(first.tokens_out <= 12, "{first:?}");
    assert_eq!(first.model, server.model);
    let second = client
        .chat(&request(server.model, 12), &|_| {})
        .await
        .expect("chat again");
    assert_eq!(
        first.content, second.content,
        "temperature 0 and a seed repeat"
    );
}

#[tokio::test]
async fn an_answer_cut_by_max_tokens_says_length() {
    let Some(server) = crate::llm::shared() else {
        return;
    };
    let client =
        OpenAiClient::new(&server.base_url, None, timeouts(SHARED_SERVER_IDLE_MS)).expect("client");
    let answer = client
        .chat(&request(server.model, 4), &|_| {})
        .await
        .expect("chat");
    assert_eq!(answer.finish, Finish::Length, "{answer:?}");
    assert_eq!(answer.tokens_out, 4);
}

#[tokio::test]
async fn choose_checks_the_list_not_the_server() {
    let Some(server) = crate::llm::shared() else {
        return;
    };
    let settings = ModelSettings {
        openai: Some(OpenAiSettings {
            base_url: server.base_url.clone(),
            api_key: None,
            model: None,
        }),
        timeouts: timeouts(SHARED_SERVER_IDLE_MS),
        ..ModelSettings::default()
    };
    let backends = Backends::from_settings(&settings).expect("backends");
    let chosen = backends.choose(None).await.expect("the first listed model");
    assert_eq!(chosen.model, server.model);
    assert_eq!(chosen.backend.kind(), "openai");
    match backends.choose(Some("qwen2.5-coder:7b")).await {
        Err(e @ ModelError::NotInstalled { .. }) => {
            let ModelError::NotInstalled { available, .. } = &e else {
                unreachable!()
            };
            assert_eq!(available, &vec![server.model.to_string()]);
            assert!(e.to_string().contains("smollm2-135m"), "{e}");
        }
        other => panic!("expected NotInstalled, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_port_is_unreachable() {
    let port = free_port();
    let client = OpenAiClient::new(&format!("http://127.0.0.1:{port}"), None, timeouts(2000))
        .expect("client");
    let err = client.list_models().await.expect_err("nothing listens");
    assert!(matches!(err, ModelError::Unreachable { .. }), "{err:?}");
    let err = client
        .chat(&request("m", 4), &|_| {})
        .await
        .expect_err("refused");
    assert!(matches!(err, ModelError::Unreachable { .. }), "{err:?}");
    let settings = ModelSettings {
        openai: Some(OpenAiSettings {
            base_url: format!("http://127.0.0.1:{port}"),
            api_key: None,
            model: None,
        }),
        timeouts: timeouts(2000),
        ..ModelSettings::default()
    };
    let backends = Backends::from_settings(&settings).expect("backends");
    let err = backends.choose(None).await.expect_err("no backend answers");
    assert!(matches!(err, ModelError::Unreachable { .. }), "{err:?}");
}

/// A TCP server that answers every connection with `answer` (or never, when None).
async fn raw_server(answer: Option<&'static [u8]>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            match answer {
                Some(bytes) => {
                    tokio::spawn(async move {
                        use tokio::io::{AsyncReadExt, AsyncWriteExt};
                        let mut buf = [0u8; 4096];
                        let _ = socket.read(&mut buf).await;
                        let _ = socket.write_all(bytes).await;
                        let _ = socket.shutdown().await;
                    });
                }
                None => held.push(socket),
            }
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn garbage_is_garbage_not_a_panic() {
    let not_http = raw_server(Some(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01garbage")).await;
    let client = OpenAiClient::new(&not_http, None, timeouts(5000)).expect("client");
    let err = client.list_models().await.expect_err("garbage");
    assert!(matches!(err, ModelError::Garbage(_)), "{err:?}");
    let err = client
        .chat(&request("m", 4), &|_| {})
        .await
        .expect_err("garbage");
    assert!(matches!(err, ModelError::Garbage(_)), "{err:?}");

    let not_json = raw_server(Some(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: {not json\n\nwhatever\n",
    ))
    .await;
    let client = OpenAiClient::new(&not_json, None, timeouts(5000)).expect("client");
    let err = client.list_models().await.expect_err("not a list");
    assert!(matches!(err, ModelError::Garbage(_)), "{err:?}");
    let err = client
        .chat(&request("m", 4), &|_| {})
        .await
        .expect_err("not events");
    assert!(matches!(err, ModelError::Garbage(_)), "{err:?}");
}

#[tokio::test]
async fn a_stream_that_ends_early_is_cut_and_an_http_error_is_the_servers() {
    let cut = raw_server(Some(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n",
    ))
    .await;
    let client = OpenAiClient::new(&cut, None, timeouts(5000)).expect("client");
    let err = client
        .chat(&request("m", 4), &|_| {})
        .await
        .expect_err("cut");
    assert!(matches!(err, ModelError::Cut(_)), "{err:?}");

    let refused = raw_server(Some(
        b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"error\":{\"message\":\"Invalid API key\"}}",
    ))
    .await;
    let client =
        OpenAiClient::new(&refused, Some("sk-test".into()), timeouts(5000)).expect("client");
    match client.chat(&request("m", 4), &|_| {}).await {
        Err(ModelError::Server { status, message }) => {
            assert_eq!(status, Some(401));
            assert!(message.contains("Invalid API key"), "{message}");
        }
        other => panic!("expected Server, got {other:?}"),
    }
    assert!(
        !format!("{client:?}").contains("sk-test"),
        "the key is never printed"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_is_stalled() {
    let silent = raw_server(None).await;
    let client = OpenAiClient::new(&silent, None, timeouts(500)).expect("client");
    let err = client
        .chat(&request("m", 4), &|_| {})
        .await
        .expect_err("silent");
    assert!(matches!(err, ModelError::Stalled { .. }), "{err:?}");
    let err = client.list_models().await.expect_err("silent");
    assert!(matches!(err, ModelError::Stalled { .. }), "{err:?}");
}
