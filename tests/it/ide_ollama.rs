//! The IDE provider's Ollama surface (`/api`), as Continue's Ollama provider calls it, with the
//! real test model as the local backend: `/api/show`, `/api/chat` streamed as NDJSON,
//! `/api/generate` with a suffix (fill-in-the-middle), `/api/tags`, `/api/version`, `/api/ps`;
//! bad input gets Ollama's `{"error": "…"}` with the right status.

use crate::ide_openai::{client, with_model};
use serde_json::{Value, json};

/// The lines of an NDJSON body, each parsed; every one must be a JSON object.
fn ndjson(body: &str) -> Vec<Value> {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            assert!(v.is_object(), "{l}");
            v
        })
        .collect()
}

/// Checks a stream of Ollama answer lines: the model on each, `done: false` until the last,
/// which says why it stopped and counts tokens. Returns the text (`field` of each line).
fn check_stream(lines: &[Value], model: &str, text_of: impl Fn(&Value) -> Option<&str>) -> String {
    assert!(lines.len() >= 2, "{lines:?}");
    let (last, rest) = lines.split_last().expect("lines");
    for line in rest {
        assert_eq!(line["done"], false, "{line}");
        assert_eq!(line["model"], model, "{line}");
        assert!(line["created_at"].is_string(), "{line}");
    }
    assert_eq!(last["done"], true, "{last}");
    assert!(last["done_reason"].is_string(), "{last}");
    assert!(last["eval_count"].as_u64().unwrap_or(0) > 0, "{last}");
    lines.iter().filter_map(text_of).collect()
}

#[tokio::test]
async fn continue_style_ollama_requests_get_well_formed_answers() {
    let Some((provider, server)) = with_model() else {
        return;
    };
    let model = server.model;
    let version: Value = provider
        .get("/api/version")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(version["version"].is_string(), "{version}");

    let tags: Value = provider
        .get("/api/tags")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let names: Vec<&str> = tags["models"]
        .as_array()
        .expect("models")
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(names, vec![model], "{tags}");
    assert!(tags["models"][0]["details"].is_object(), "{tags}");

    // Continue asks /api/show for the context length and the capabilities.
    let show: Value = provider
        .post("/api/show")
        .json(&json!({"name": model}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let info = show["model_info"].as_object().expect("model_info");
    let arch = info["general.architecture"].as_str().expect("architecture");
    assert_eq!(info[&format!("{arch}.context_length")], 4096, "{show}");
    assert!(
        show["capabilities"]
            .as_array()
            .is_some_and(|c| !c.is_empty()),
        "{show}"
    );
    assert!(show["details"].is_object(), "{show}");

    // /api/chat as Continue sends it: streamed by default.
    let response = provider
        .post("/api/chat")
        .json(&json!({
            "model": model,
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello."}],
            "options": {"temperature": 0, "num_predict": 8, "seed": 5, "num_ctx": 4096},
            "keep_alive": 1800,
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-edgecoder-route"], "local");
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let lines = ndjson(&response.text().await.expect("body"));
    for line in &lines[..lines.len() - 1] {
        assert_eq!(line["message"]["role"], "assistant", "{line}");
    }
    let text = check_stream(&lines, model, |l| l["message"]["content"].as_str());
    assert!(!text.is_empty(), "{lines:?}");

    // "stream": false: one object.
    let whole: Value = provider
        .post("/api/chat")
        .json(&json!({"model": model, "stream": false, "options": {"num_predict": 6, "temperature": 0},
                      "messages": [{"role": "user", "content": "Hi"}]}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("one object");
    assert_eq!(whole["done"], true, "{whole}");
    assert!(
        whole["message"]["content"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "{whole}"
    );

    // /api/generate with a suffix: Continue's autocomplete (fill-in-the-middle).
    let response = provider
        .post("/api/generate")
        .json(&json!({
            "model": model,
            "prompt": "def add(a, b):\n    return ",
            "suffix": "\n\nprint(add(1, 2))\n",
            "options": {"temperature": 0, "num_predict": 12, "stop": ["\n\n"]},
            "raw": true,
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let lines = ndjson(&response.text().await.expect("body"));
    check_stream(&lines, model, |l| l["response"].as_str());
    assert!(lines.iter().all(|l| l["response"].is_string()), "{lines:?}");

    let ps: Value = provider
        .get("/api/ps")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(ps["models"][0]["name"], model, "{ps}");
}

#[tokio::test]
async fn bad_input_gets_errors_in_ollamas_shape() {
    let Some((provider, server)) = with_model() else {
        return;
    };
    let error_of = |status: u16, body: &str, want: u16| -> String {
        assert_eq!(status, want, "{body}");
        let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
        v["error"]
            .as_str()
            .unwrap_or_else(|| panic!("not Ollama's shape: {body}"))
            .to_string()
    };
    let chat = json!({"model": server.model, "messages": [{"role": "user", "content": "hi"}]});

    let r = client()
        .post(format!("{}/api/chat", provider.url()))
        .json(&chat)
        .send()
        .await
        .expect("sent");
    let (s, b) = (r.status().as_u16(), r.text().await.expect("body"));
    assert!(error_of(s, &b, 401).contains("edgecoder ide token"), "{b}");
    let r = client()
        .get(format!("{}/api/tags", provider.url()))
        .bearer_auth("nope")
        .send()
        .await
        .expect("sent");
    let (s, b) = (r.status().as_u16(), r.text().await.expect("body"));
    error_of(s, &b, 401);

    for (path, body) in [
        (
            "/api/chat",
            json!({"model": "llama3", "messages": [{"role": "user", "content": "hi"}]}),
        ),
        (
            "/api/generate",
            json!({"model": "llama3", "prompt": "x", "suffix": "y"}),
        ),
        ("/api/show", json!({"model": "llama3"})),
    ] {
        let r = provider.post(path).json(&body).send().await.expect("sent");
        let (s, b) = (r.status().as_u16(), r.text().await.expect("body"));
        let message = error_of(s, &b, 404);
        assert!(
            message.contains("llama3") && message.contains(server.model),
            "{path}: {message}"
        );
    }

    let r = provider
        .post("/api/chat")
        .header("content-type", "application/json")
        .body("not json")
        .send()
        .await
        .expect("sent");
    let (s, b) = (r.status().as_u16(), r.text().await.expect("body"));
    error_of(s, &b, 400);
    let r = provider
        .post("/api/chat")
        .json(&json!({"model": server.model}))
        .send()
        .await
        .expect("sent");
    let (s, b) = (r.status().as_u16(), r.text().await.expect("body"));
    assert!(error_of(s, &b, 400).contains("messages"), "{b}");

    let huge = "x".repeat(10 * 1024 * 1024);
    let r = provider
        .post("/api/generate")
        .json(&json!({"model": server.model, "prompt": huge}))
        .send()
        .await
        .expect("sent");
    let (s, b) = (r.status().as_u16(), r.text().await.expect("body"));
    assert!(
        error_of(s, &b, 413).contains("EDGECODER_IDE_MAX_BODY_BYTES"),
        "{b}"
    );
}
