//! A real language model for the tests: SmolLM2-135M on llama.cpp's OpenAI-compatible server
//! (`.ci/llm` installs it; `tests/support/llm_server.py` serves it). One server per test binary,
//! started on first use on a free loopback port and shared by every test; it dies with the test
//! process (it watches its stdin, which only this process holds).
//!
//! `EDGECODER_TEST_LLM` names the directory `.ci/llm` printed (`venv/`, `model.gguf`). Without
//! it, [`shared`] says why in one line and returns `None`; under CI that is a failure.

use crate::common::free_port;
use crate::machine::skip_unless_ci;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The name the server gives its one model (`/v1/models`, the `model` of a request).
pub const MODEL: &str = "smollm2-135m";

pub struct LlmServer {
    /// `http://127.0.0.1:PORT`, without `/v1`.
    pub base_url: String,
    pub model: &'static str,
    _child: std::sync::Mutex<Child>,
}

/// The shared server, started on first use; `None` (after saying why) where no model is
/// installed, a failure under CI.
pub fn shared() -> Option<&'static LlmServer> {
    static SERVER: OnceLock<Result<LlmServer, String>> = OnceLock::new();
    match SERVER.get_or_init(start) {
        Ok(server) => Some(server),
        Err(why) => {
            skip_unless_ci(why);
            None
        }
    }
}

fn start() -> Result<LlmServer, String> {
    let dir = std::env::var_os("EDGECODER_TEST_LLM")
        .map(PathBuf::from)
        .ok_or_else(|| {
            "no test model: run `export EDGECODER_TEST_LLM=$(.ci/llm)` to install and use one"
                .to_string()
        })?;
    let python = dir.join("venv/bin/python");
    let model = dir.join("model.gguf");
    for needed in [&python, &model] {
        if !needed.exists() {
            return Err(format!(
                "{} is missing: run .ci/llm again to install the test model",
                needed.display()
            ));
        }
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/llm_server.py");
    let port = free_port();
    let child = Command::new(&python)
        .arg(&script)
        .arg(&model)
        .arg(port.to_string())
        .arg(MODEL)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    let base_url = format!("http://127.0.0.1:{port}");
    let server = LlmServer {
        base_url: base_url.clone(),
        model: MODEL,
        _child: std::sync::Mutex::new(child),
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if health_ok(port) {
            return Ok(server);
        }
        if let Ok(mut child) = server._child.lock()
            && let Ok(Some(status)) = child.try_wait()
        {
            return Err(format!("the test model server exited at start ({status})"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "the test model server at {base_url} was not ready after 120 s"
    ))
}

/// `GET /health` answers `{"status":"ok"}` (a blocking call: this runs outside any runtime).
fn health_ok(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /health HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200") && answer.contains("\"ok\"")
}

#[tokio::test]
async fn the_test_model_answers_a_chat_deterministically() {
    let Some(server) = shared() else { return };
    let ask = || async {
        let body = serde_json::json!({
            "model": server.model,
            "messages": [{"role": "user", "content": "Write a Python program that prints 42."}],
            "temperature": 0, "seed": 7, "max_tokens": 48,
        });
        // The one model server is shared by every model test of this binary: an answer may
        // wait in its queue behind long ones, so only a stall fails here, not a queue.
        let answer: serde_json::Value =
            crate::common::http_with_timeout(std::time::Duration::from_secs(600))
                .post(format!("{}/v1/chat/completions", server.base_url))
                .json(&body)
                .send()
                .await
                .expect("chat request")
                .json()
                .await
                .expect("chat answer");
        answer["choices"][0]["message"]["content"]
            .as_str()
            .expect("content")
            .to_string()
    };
    let first = ask().await;
    assert!(!first.is_empty(), "the model said nothing");
    assert_eq!(
        first,
        ask().await,
        "same seed, temperature 0: the same answer"
    );
}
