//! The IDE provider's OpenAI surface (`/v1`), with the real test model (llama.cpp's server) as
//! the local backend: the official `openai` Python client drives it as an editor would, every
//! SSE chunk is checked against OpenAI's chunk shape, bad input gets OpenAI-shaped errors, and a
//! client that leaves mid-stream stops the model. Also the token (made once, 0600, required
//! beyond loopback) and a model server that is down. Helpers here are shared with
//! `ide_ollama`.

use crate::common::{Coordinator, CoordinatorOptions, Sandbox, eventually, free_port, run_to_end};
use crate::llm;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// A running IDE provider and the token it accepts.
pub struct Provider {
    pub process: Coordinator,
    pub token: String,
    _sandbox: Sandbox,
}

impl Provider {
    /// `http://127.0.0.1:PORT` (the Ollama URL; the OpenAI base URL adds `/v1`).
    pub fn url(&self) -> &str {
        &self.process.url
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        client()
            .post(format!("{}{path}", self.url()))
            .bearer_auth(&self.token)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        client()
            .get(format!("{}{path}", self.url()))
            .bearer_auth(&self.token)
    }
}

/// A client with room for a slow model on a loaded machine.
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(180))
        .build()
        .expect("http client")
}

/// The token from `edgecoder ide token --json` in the sandbox (made there the first time).
pub fn token_of(sb: &Sandbox) -> Value {
    let mut cmd = sb.command();
    cmd.args(["ide", "token", "--json"])
        .env("EDGECODER_KEYRING", "off");
    let (code, out, err) = run_to_end(cmd, Duration::from_secs(30));
    assert_eq!(code, Some(0), "ide token failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// Starts `serve --mode ide-provider` with `env`, after making its token.
pub fn start(env: Vec<(&str, String)>) -> Provider {
    let sb = Sandbox::new();
    let token = token_of(&sb)["token"]
        .as_str()
        .expect("a token")
        .to_string();
    let mut all = vec![("EDGECODER_KEYRING".to_string(), "off".to_string())];
    all.extend(env.into_iter().map(|(k, v)| (k.to_string(), v)));
    let process = Coordinator::try_start(
        &sb,
        CoordinatorOptions {
            args: ["--mode", "ide-provider", "--port", "0"]
                .map(String::from)
                .to_vec(),
            env: all,
            admin_token: None,
        },
    )
    .unwrap_or_else(|e| panic!("the IDE provider did not start: {e}"));
    Provider {
        process,
        token,
        _sandbox: sb,
    }
}

/// A provider whose local backend is the test model; `None` where there is no test model.
pub fn with_model() -> Option<(Provider, &'static llm::LlmServer)> {
    let server = llm::shared()?;
    let provider = start(vec![("EDGECODER_OPENAI_BASE_URL", server.base_url.clone())]);
    Some((provider, server))
}

/// The `data:` payloads of an SSE body, in order.
fn sse_data(body: &str) -> Vec<String> {
    body.split("\n\n")
        .filter(|frame| !frame.trim().is_empty())
        .map(|frame| {
            let data: Vec<&str> = frame
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(str::trim_start)
                .collect();
            assert!(!data.is_empty(), "an SSE frame without data: {frame:?}");
            data.join("\n")
        })
        .collect()
}

fn assert_openai_error(status: u16, body: &str, want: u16) -> Value {
    assert_eq!(status, want, "{body}");
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let error = &v["error"];
    assert!(error["message"].is_string(), "{body}");
    assert!(error["type"].is_string(), "{body}");
    assert!(
        error.get("param").is_some() && error.get("code").is_some(),
        "{body}"
    );
    error.clone()
}

#[tokio::test]
async fn the_openai_python_client_lists_streams_and_gets_a_schema_constrained_answer() {
    let Some((provider, server)) = with_model() else {
        return;
    };
    let dir = PathBuf::from(std::env::var_os("EDGECODER_TEST_LLM").expect("set by llm::shared"));
    let python = dir.join("venv/bin/python");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/openai_client.py");
    let mut cmd = std::process::Command::new(python);
    cmd.arg(script)
        .arg(format!("{}/v1", provider.url()))
        .arg(&provider.token)
        .arg(server.model);
    let (code, out, err) = run_to_end(cmd, Duration::from_secs(600));
    assert_eq!(
        code,
        Some(0),
        "the openai client failed (run `.ci/llm` to install it):\n{err}"
    );
    let seen: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(seen["route"], "local", "{seen}");
    assert_eq!(seen["wrong_token"], 401, "{seen}");
    assert_eq!(seen["unknown_model"], 404, "{seen}");
    assert!(seen["json"]["answer"].is_string(), "{seen}");
    assert!(seen["chunks"].as_u64().unwrap_or(0) >= 3, "{seen}");
}

#[tokio::test]
async fn every_sse_chunk_has_the_openai_chunk_shape_and_the_route_is_a_header() {
    let Some((provider, server)) = with_model() else {
        return;
    };
    let response = provider
        .post("/v1/chat/completions")
        .json(&json!({
            "model": server.model,
            "messages": [{"role": "user", "content": "Say hello."}],
            "max_tokens": 8, "temperature": 0, "seed": 3,
            "stream": true, "stream_options": {"include_usage": true},
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-edgecoder-route"], "local");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/event-stream")
    );
    let body = response.text().await.expect("body");
    assert!(
        !body.contains("edgecoder-route"),
        "route in the body: {body}"
    );
    let data = sse_data(&body);
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"), "{body}");
    let chunks: Vec<Value> = data[..data.len() - 1]
        .iter()
        .map(|d| serde_json::from_str(d).unwrap_or_else(|e| panic!("{e}: {d}")))
        .collect();
    assert!(chunks.len() >= 3, "{body}");
    let id = &chunks[0]["id"];
    let mut finishes = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        assert_eq!(chunk["object"], "chat.completion.chunk", "{chunk}");
        assert_eq!(&chunk["id"], id, "one id for the whole stream: {chunk}");
        assert!(chunk["created"].is_u64(), "{chunk}");
        assert!(chunk["model"].is_string(), "{chunk}");
        let choices = chunk["choices"]
            .as_array()
            .unwrap_or_else(|| panic!("no choices: {chunk}"));
        for choice in choices {
            assert_eq!(choice["index"], 0, "{chunk}");
            assert!(choice["delta"].is_object(), "{chunk}");
            if !choice["finish_reason"].is_null() {
                finishes.push(i);
            }
        }
    }
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert_eq!(finishes.len(), 1, "one finish_reason: {body}");
    let last = chunks.last().expect("chunks");
    assert_eq!(
        last["choices"],
        json!([]),
        "usage comes last, with empty choices"
    );
    assert!(
        last["usage"]["completion_tokens"].as_u64().unwrap_or(0) > 0,
        "{last}"
    );
    assert_eq!(
        finishes[0],
        chunks.len() - 2,
        "finish_reason on the last choice chunk"
    );
    for chunk in &chunks[..chunks.len() - 1] {
        assert!(
            chunk["usage"].is_null(),
            "usage only on the last chunk: {chunk}"
        );
    }
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert!(!text.is_empty(), "{body}");

    // Whole, the same header and OpenAI's completion shape.
    let response = provider
        .post("/v1/chat/completions")
        .json(&json!({
            "model": server.model, "max_completion_tokens": 8, "temperature": 0,
            "messages": [{"role": "developer", "content": "Be brief."},
                         {"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.headers()["x-edgecoder-route"], "local");
    let whole: Value = response.json().await.expect("json");
    assert_eq!(whole["object"], "chat.completion", "{whole}");
    assert_eq!(whole["choices"][0]["message"]["role"], "assistant");
    assert!(whole["choices"][0]["finish_reason"].is_string(), "{whole}");
    assert!(
        whole["usage"]["total_tokens"].as_u64().unwrap_or(0) > 0,
        "{whole}"
    );
}

#[tokio::test]
async fn bad_input_gets_errors_in_openais_shape() {
    let Some((provider, server)) = with_model() else {
        return;
    };
    let url = format!("{}/v1/chat/completions", provider.url());
    let chat = json!({"model": server.model, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2});

    let r = client().post(&url).json(&chat).send().await.expect("sent");
    let (status, body) = (r.status().as_u16(), r.text().await.expect("body"));
    let e = assert_openai_error(status, &body, 401);
    assert_eq!(e["code"], "invalid_api_key");
    let r = client()
        .get(format!("{}/v1/models", provider.url()))
        .bearer_auth("eci_wrong")
        .send()
        .await
        .expect("sent");
    let (status, body) = (r.status().as_u16(), r.text().await.expect("body"));
    assert_openai_error(status, &body, 401);
    assert!(!body.contains(&provider.token), "the token leaked: {body}");

    let r = provider
        .post("/v1/chat/completions")
        .json(&json!({"model": "gpt-nobody", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("sent");
    let (status, body) = (r.status().as_u16(), r.text().await.expect("body"));
    let e = assert_openai_error(status, &body, 404);
    assert_eq!(e["code"], "model_not_found");
    let message = e["message"].as_str().unwrap_or("");
    assert!(
        message.contains("gpt-nobody") && message.contains(server.model),
        "{message}"
    );

    let r = provider
        .post("/v1/chat/completions")
        .header("content-type", "application/json")
        .body("{\"model\": ")
        .send()
        .await
        .expect("sent");
    let (status, body) = (r.status().as_u16(), r.text().await.expect("body"));
    assert_openai_error(status, &body, 400);

    let r = provider
        .post("/v1/chat/completions")
        .json(&json!({"model": server.model, "messages": [{"role": "robot", "content": "hi"}]}))
        .send()
        .await
        .expect("sent");
    let (status, body) = (r.status().as_u16(), r.text().await.expect("body"));
    let e = assert_openai_error(status, &body, 400);
    assert_eq!(e["param"], "messages[0]");

    let huge = "x".repeat(10 * 1024 * 1024);
    let r = provider
        .post("/v1/chat/completions")
        .json(&json!({"model": server.model, "messages": [{"role": "user", "content": huge}]}))
        .send()
        .await
        .expect("sent");
    let (status, body) = (r.status().as_u16(), r.text().await.expect("body"));
    let e = assert_openai_error(status, &body, 413);
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("EDGECODER_IDE_MAX_BODY_BYTES"),
        "{body}"
    );

    // The provider still answers after all that.
    let models: Value = provider
        .get("/v1/models")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(models["object"], "list");
    let ids: Vec<&str> = models["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, vec![server.model], "{models}");
}

/// Whether the model server is generating for the request with this `n_predict` (llama.cpp's
/// `/slots` shows each slot's parameters while it works).
async fn generating(server: &llm::LlmServer, n_predict: u64) -> bool {
    let Ok(r) = client()
        .get(format!("{}/slots", server.base_url))
        .send()
        .await
    else {
        return false;
    };
    let slots: Value = r.json().await.unwrap_or(Value::Null);
    slots.as_array().is_some_and(|slots| {
        slots.iter().any(|s| {
            s["is_processing"] == true && s["params"]["n_predict"].as_u64() == Some(n_predict)
        })
    })
}

#[tokio::test]
async fn a_client_that_leaves_mid_stream_stops_the_model() {
    let Some((provider, server)) = with_model() else {
        return;
    };
    // Thousands of tokens with the end-of-text token ignored (a llama.cpp field, passed through
    // as the editor wrote it): minutes of work unless the request is stopped.
    const N_PREDICT: u64 = 3001;
    let mut response = provider
        .post("/v1/chat/completions")
        .json(&json!({
            "model": server.model, "stream": true, "max_tokens": N_PREDICT, "ignore_eos": true,
            "temperature": 0, "seed": 11,
            "messages": [{"role": "user", "content": "Count from one to a thousand."}],
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let mut received = String::new();
    while !received.contains("\"content\":\"") || received.matches("data:").count() < 3 {
        let chunk = response
            .chunk()
            .await
            .expect("read")
            .expect("the stream goes on");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        generating(server, N_PREDICT).await,
        "the model is not generating"
    );
    drop(response);
    eventually(Duration::from_secs(20), || async {
        (!generating(server, N_PREDICT).await).then_some(())
    })
    .await;
}

#[test]
fn a_token_is_made_once_kept_0600_and_needed_before_listening_beyond_loopback() {
    let sb = Sandbox::new();
    // No token yet: a non-loopback address is refused, saying what to do.
    let mut cmd = sb.command();
    cmd.args([
        "serve",
        "--mode",
        "ide-provider",
        "--host",
        "0.0.0.0",
        "--port",
        "0",
    ])
    .env("EDGECODER_KEYRING", "off");
    let (code, _, err) = run_to_end(cmd, Duration::from_secs(30));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("without a token") && err.contains("edgecoder ide token"),
        "{err}"
    );

    let first = token_of(&sb);
    assert_eq!(first["made"], true, "{first}");
    assert_eq!(first["stored_in"], "file", "{first}");
    let token = first["token"].as_str().expect("token");
    assert!(token.starts_with("eci_") && token.len() > 40, "{first}");
    let path = PathBuf::from(first["path"].as_str().expect("path"));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("token file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The keys docs/json-output.md gives are the keys printed.
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-output.md"))
        .expect("docs/json-output.md");
    let section = doc
        .split("## `edgecoder ide token --json`")
        .nth(1)
        .expect("a section for ide token --json");
    let braced = section.split('`').nth(1).expect("`{keys}`");
    let documented: std::collections::BTreeSet<String> = braced
        .trim_matches(['{', '}'])
        .split(',')
        .map(|k| k.trim().to_string())
        .collect();
    let printed: std::collections::BTreeSet<String> =
        first.as_object().expect("object").keys().cloned().collect();
    assert_eq!(printed, documented, "docs/json-output.md drifted");
    let again = token_of(&sb);
    assert_eq!(again["token"], first["token"]);
    assert_eq!(again["made"], false);

    // With the token made beforehand, the same address is served.
    let provider = Coordinator::try_start(
        &sb,
        CoordinatorOptions {
            args: ["--mode", "ide-provider", "--host", "0.0.0.0", "--port", "0"]
                .map(String::from)
                .to_vec(),
            env: vec![("EDGECODER_KEYRING".into(), "off".into())],
            admin_token: None,
        },
    )
    .expect("starts with a token");
    assert!(!provider.stdout().contains(token), "the token was printed");
}

#[tokio::test]
async fn a_model_server_that_is_down_is_a_503_naming_its_url() {
    let down = format!("http://127.0.0.1:{}", free_port());
    let provider = start(vec![("EDGECODER_OPENAI_BASE_URL", down.clone())]);
    let r = provider
        .post("/v1/chat/completions")
        .json(&json!({"model": "any", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("sent");
    let (status, body) = (r.status().as_u16(), r.text().await.expect("body"));
    let e = assert_openai_error(status, &body, 503);
    assert!(
        e["message"].as_str().unwrap_or("").contains(&down),
        "{body}"
    );
    // The Ollama surface says the same in its shape.
    let r = provider
        .post("/api/chat")
        .json(&json!({"model": "any", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 503);
    let v: Value = r.json().await.expect("json");
    assert!(v["error"].as_str().unwrap_or("").contains(&down), "{v}");
}
