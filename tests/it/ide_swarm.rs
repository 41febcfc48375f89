//! The IDE provider's swarm route end to end (issue 16): an IDE provider on "machine A" (its own
//! home, no local model, `EDGECODER_IDE_ROUTE=swarm`, the developer's coordinator token), a
//! coordinator, and an agent on "machine B" (its own home) whose backend is the real test model.
//! The answer streams from B through the coordinator to the client; killing B mid-answer ends
//! the stream with an error chunk; the submitter pays B by tokens. These check the mechanics,
//! never what a 135M model says.

use crate::common::*;
use crate::llm;
use crate::worker_common::{Node, start_node};
use edgecoder::api::*;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The IDE provider's own bearer token (what an editor is given).
const IDE_TOKEN: &str = "eci_swarmtesttoken0123456789abcdef";

/// 1 credit per 1,000 tokens (one milli-credit a token), 10 % fee, 300 ms heartbeats (a lease
/// lives 900 ms past a node's last sign of life).
fn coordinator(sb: &Sandbox) -> Coordinator {
    let mut opts = crate::worker_common::fast_coordinator_options(sb, "300ms");
    for (k, v) in [
        ("EDGECODER_CREDITS_PER_1K_TOKENS", "1"),
        ("EDGECODER_CREDITS_MIN_PER_TASK", "0.001"),
        ("COORDINATOR_FEE_BPS", "1000"),
        ("EDGECODER_CREDITS_NEW_TOKEN_GRANT", "100"),
    ] {
        opts.env.push((k.into(), v.into()));
    }
    Coordinator::start_with(sb, opts)
}

/// Machine B: an agent whose model backend is the test model; waits until it advertises it.
async fn machine_b(coord: &Coordinator, model: &llm::LlmServer) -> Node {
    let node = start_node(
        coord,
        "machine-b",
        &[
            ("EDGECODER_OPENAI_BASE_URL", model.base_url.as_str()),
            ("EDGECODER_OPENAI_MODEL", model.model),
        ],
    )
    .await;
    let admin = coord.admin();
    eventually(Duration::from_secs(30), || {
        let admin = admin.clone();
        let id = node.id.clone();
        async move {
            let n = admin.node(&id).await.ok()?;
            n.capabilities
                .models
                .iter()
                .any(|m| m == llm::MODEL)
                .then_some(())
        }
    })
    .await;
    node
}

/// Machine A: `edgecoder ide` with no local model, the swarm route and a user's token.
struct Provider {
    child: Child,
    url: String,
    _sandbox: Sandbox,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn machine_a(coord_url: &str, user_token: &str) -> Provider {
    let sb = Sandbox::new();
    let token_file = sb.path().join("ide-token");
    std::fs::write(&token_file, format!("{IDE_TOKEN}\n")).expect("token file");
    std::fs::set_permissions(
        &token_file,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod");
    let port = free_port();
    let child = sb
        .command()
        .args(["ide", "--port", &port.to_string()])
        .env("EDGECODER_IDE_ROUTE", "swarm")
        .env("EDGECODER_IDE_TOKEN_FILE", &token_file)
        .env("EDGECODER_URL", coord_url)
        .env("EDGECODER_TOKEN", user_token)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn edgecoder ide");
    let url = format!("http://127.0.0.1:{port}");
    let provider = Provider {
        child,
        url: url.clone(),
        _sandbox: sb,
    };
    eventually(Duration::from_secs(20), || {
        let url = url.clone();
        async move {
            http()
                .get(format!("{url}/v1/models"))
                .bearer_auth(IDE_TOKEN)
                .send()
                .await
                .ok()
                .filter(|r| r.status().is_success())
                .map(|_| ())
        }
    })
    .await;
    provider
}

async fn user_token(admin: &edgecoder::api::client::Client) -> (String, String) {
    let created = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            name: Some("developer".into()),
            ..Default::default()
        })
        .await
        .expect("user token");
    (created.token, created.info.id)
}

fn chat(prompt: &str, max_tokens: u64) -> serde_json::Value {
    serde_json::json!({
        "model": llm::MODEL,
        "stream": true,
        "stream_options": {"include_usage": true},
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": prompt}],
    })
}

/// Reads an SSE body's `data:` payloads as they come.
struct DataLines {
    resp: reqwest::Response,
    pending: String,
}

impl DataLines {
    /// The next payload; None at the end of the body or after `within`.
    async fn next(&mut self, within: Duration) -> Option<String> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let frame: String = self.pending.drain(..end + 2).collect();
                let data: Vec<&str> = frame
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim)
                    .collect();
                if !data.is_empty() {
                    return Some(data.join("\n"));
                }
                continue;
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            match tokio::time::timeout(left, self.resp.chunk()).await {
                Ok(Ok(Some(bytes))) => self.pending.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}

async fn open_stream(provider: &Provider, body: &serde_json::Value) -> (String, DataLines) {
    let resp = http()
        .post(format!("{}/v1/chat/completions", provider.url))
        .bearer_auth(IDE_TOKEN)
        .json(body)
        .timeout(Duration::from_secs(300))
        .send()
        .await
        .expect("chat request");
    assert_eq!(resp.status().as_u16(), 200, "{:?}", resp.headers());
    let route = resp
        .headers()
        .get("x-edgecoder-route")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (
        route,
        DataLines {
            resp,
            pending: String::new(),
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_streams_from_machine_b_through_the_coordinator_and_b_is_paid_by_tokens() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let coord = coordinator(&sb);
    let admin = coord.admin();
    let b = machine_b(&coord, model).await;
    let (token, token_id) = user_token(&admin).await;
    let provider = machine_a(&coord.url, &token).await;

    // The swarm's model is listed on both surfaces, once.
    let models = http()
        .get(format!("{}/v1/models", provider.url))
        .bearer_auth(IDE_TOKEN)
        .send()
        .await
        .expect("models")
        .json::<serde_json::Value>()
        .await
        .expect("json");
    let ids: Vec<&str> = models["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, vec![llm::MODEL], "{models}");
    let tags = http()
        .get(format!("{}/api/tags", provider.url))
        .bearer_auth(IDE_TOKEN)
        .send()
        .await
        .expect("tags")
        .json::<serde_json::Value>()
        .await
        .expect("json");
    assert!(tags.to_string().contains(llm::MODEL), "{tags}");

    let (route, mut lines) = open_stream(&provider, &chat("Count from one to ten.", 40)).await;
    assert_eq!(
        route,
        format!("swarm:{}", b.id),
        "the route names machine B"
    );
    let mut content_chunks = 0;
    let mut finish = None;
    let mut usage = None;
    let mut done = false;
    while let Some(data) = lines.next(Duration::from_secs(120)).await {
        if data == "[DONE]" {
            done = true;
            break;
        }
        let chunk: serde_json::Value = serde_json::from_str(&data).expect("a JSON chunk");
        assert!(chunk.get("error").is_none(), "{chunk}");
        assert!(
            chunk["choices"].is_array(),
            "every chunk has choices: {chunk}"
        );
        if let Some(choice) = chunk["choices"].get(0) {
            if choice["delta"]["content"]
                .as_str()
                .is_some_and(|c| !c.is_empty())
            {
                assert!(finish.is_none(), "text after the finish: {chunk}");
                content_chunks += 1;
            }
            if let Some(f) = choice["finish_reason"].as_str() {
                finish = Some(f.to_string());
            }
        }
        if chunk["usage"].is_object() {
            usage = Some(chunk["usage"].clone());
        }
    }
    assert!(done, "the stream ends with [DONE]");
    assert!(
        content_chunks >= 3,
        "the answer came in pieces, not at once: {content_chunks} chunks"
    );
    assert!(finish.is_some(), "a finish_reason on the last chunk");
    let usage = usage.expect("usage, as asked");
    let total = usage["total_tokens"].as_u64().expect("total_tokens");
    assert!(total > 0);

    // The submitter paid exactly the token rate and B earned it less the fee.
    let user = edgecoder::api::client::Client::new(&coord.url, Some(token)).expect("client");
    let task = eventually(Duration::from_secs(20), || {
        let user = user.clone();
        async move {
            let list = user.tasks("limit=10").await.ok()?;
            let t = list.tasks.into_iter().find(|t| t.kind == "inference")?;
            (t.state == TaskState::Succeeded).then_some(t)
        }
    })
    .await;
    assert_eq!(task.node_id.as_deref(), Some(b.id.as_str()));
    let charge = user.task_charge(&task.id).await.expect("charge");
    assert_eq!(charge.state, "settled");
    assert_eq!(
        charge.tokens,
        Some(total),
        "paid by the tokens the client saw"
    );
    let paid = total as i64;
    let fee = paid / 10;
    assert_eq!(charge.charged, Some(paid));
    assert_eq!(charge.fee, Some(fee));
    let me = user.credit_account("me").await.expect("account");
    assert_eq!(me.id, format!("user:{token_id}"));
    assert_eq!(me.balance, 100_000 - paid);
    let earned = admin
        .credit_account(&format!("node:{}", b.id))
        .await
        .expect("node account");
    assert_eq!(earned.balance, paid - fee);

    // A model nobody has: 404 in OpenAI's shape, naming what exists.
    let mut unknown = chat("hi", 8);
    unknown["model"] = "no-such-model".into();
    let resp = http()
        .post(format!("{}/v1/chat/completions", provider.url))
        .bearer_auth(IDE_TOKEN)
        .json(&unknown)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 404);
    let body: serde_json::Value = resp.json().await.expect("json");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains(llm::MODEL), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_machine_b_mid_answer_ends_the_stream_with_an_error_chunk() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let coord = coordinator(&sb);
    let admin = coord.admin();
    let b = machine_b(&coord, model).await;
    let (token, _) = user_token(&admin).await;
    let provider = machine_a(&coord.url, &token).await;

    let (route, mut lines) = open_stream(
        &provider,
        &chat(
            "Count from 1 to 2000, one number per line, and never stop.",
            4000,
        ),
    )
    .await;
    assert_eq!(route, format!("swarm:{}", b.id));
    // The first piece of text: B is answering.
    loop {
        let data = lines
            .next(Duration::from_secs(120))
            .await
            .expect("a first chunk");
        let chunk: serde_json::Value = serde_json::from_str(&data).expect("a JSON chunk");
        if chunk["choices"][0]["delta"]["content"]
            .as_str()
            .is_some_and(|c| !c.is_empty())
        {
            break;
        }
    }
    b.agent.signal(libc::SIGKILL);
    let killed = Instant::now();
    let mut error = None;
    while let Some(data) = lines.next(Duration::from_secs(30)).await {
        if data == "[DONE]" {
            break;
        }
        let chunk: serde_json::Value = serde_json::from_str(&data).expect("a JSON chunk");
        assert!(
            chunk["choices"][0]["finish_reason"].as_str().is_none(),
            "the answer did not finish normally: {chunk}"
        );
        if chunk.get("error").is_some() {
            error = Some(chunk);
        }
    }
    let took = killed.elapsed();
    let error = error.expect("an error chunk, not a hang or a clean end");
    assert!(
        error["choices"].is_array(),
        "even the error chunk has choices"
    );
    assert!(
        took < Duration::from_secs(15),
        "the end came {took:?} after the kill"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_that_goes_away_cancels_the_swarm_task() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let coord = coordinator(&sb);
    let admin = coord.admin();
    let _b = machine_b(&coord, model).await;
    let (token, _) = user_token(&admin).await;
    let provider = machine_a(&coord.url, &token).await;

    let (_, mut lines) = open_stream(
        &provider,
        &chat(
            "Count from 1 to 2000, one number per line, and never stop.",
            4000,
        ),
    )
    .await;
    lines
        .next(Duration::from_secs(120))
        .await
        .expect("a first chunk");
    drop(lines);
    let user = edgecoder::api::client::Client::new(&coord.url, Some(token)).expect("client");
    let task = eventually(Duration::from_secs(20), || {
        let user = user.clone();
        async move {
            let list = user.tasks("limit=10").await.ok()?;
            let t = list.tasks.into_iter().find(|t| t.kind == "inference")?;
            t.state.is_terminal().then_some(t)
        }
    })
    .await;
    assert_eq!(task.state, TaskState::Cancelled, "{task:?}");
}
