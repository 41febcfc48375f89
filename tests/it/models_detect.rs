//! Model detection through the real binary: `edgecoder agent --detect --json` against the real
//! test model and a dead Ollama, `config show` with the model settings, and a model pulled while
//! a coordinator's local worker runs appearing on the coordinator without a restart.

use crate::common::*;
use crate::models_ollama::{OllamaStandIn, StandInModel};
use serde_json::Value;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn agent_detect_lists_the_test_model_and_a_dead_ollama_as_unreachable() {
    let Some(server) = crate::llm::shared() else {
        return;
    };
    let sb = Sandbox::new();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let mut cmd = sb.command();
    cmd.args(["agent", "--detect", "--json"])
        .env(
            "EDGECODER_OPENAI_BASE_URL",
            format!("{}/v1", server.base_url),
        )
        .env("OLLAMA_HOST", &dead);
    let (code, out, err) = run_to_end(cmd, LIMIT);
    assert_eq!(code, Some(0), "{err}");
    let caps: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(caps["models"], serde_json::json!([server.model]), "{caps}");
    let model = &caps["model_details"][0];
    assert_eq!(model["name"], server.model);
    assert_eq!(model["backend"], "openai");
    assert!(
        model["context_length"].as_u64().unwrap_or(0) >= 512,
        "{model}"
    );
    let backends = caps["model_backends"].as_array().expect("backends");
    let ollama = backends
        .iter()
        .find(|b| b["backend"] == "ollama")
        .expect("ollama listed");
    assert_eq!(ollama["reachable"], false, "{ollama}");
    assert_eq!(ollama["url"], dead.as_str());
    assert!(
        ollama["error"]
            .as_str()
            .unwrap_or("")
            .contains("did not answer"),
        "{ollama}"
    );
    let openai = backends
        .iter()
        .find(|b| b["backend"] == "openai")
        .expect("openai listed");
    assert_eq!(openai["reachable"], true, "{openai}");

    // The human form says the same.
    let mut cmd = sb.command();
    cmd.args(["agent", "--detect"])
        .env("EDGECODER_OPENAI_BASE_URL", &server.base_url)
        .env("OLLAMA_HOST", &dead);
    let (code, out, err) = run_to_end(cmd, LIMIT);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(&format!("ollama {dead}: UNREACHABLE")),
        "{out}"
    );
    assert!(
        out.contains(&format!("- {} (openai", server.model)),
        "{out}"
    );
    assert!(out.contains("context "), "{out}");
}

#[test]
fn config_show_lists_the_model_settings_and_never_the_key() {
    let sb = Sandbox::new();
    let key_file = sb.path().join("openai.key");
    std::fs::write(&key_file, "sk-very-secret-key-123\n").expect("write key");
    if let Some(dir) = sb.env_file().parent() {
        std::fs::create_dir_all(dir).expect("env file dir");
    }
    std::fs::write(
        sb.env_file(),
        format!(
            "EDGECODER_OPENAI_BASE_URL=http://127.0.0.1:8080/v1\nEDGECODER_OPENAI_API_KEY_FILE={}\n",
            key_file.display()
        ),
    )
    .expect("write env file");
    for json in [true, false] {
        let mut cmd = sb.command();
        cmd.args(["config", "show"])
            .env("EDGECODER_MODEL_REFRESH", "10s");
        if json {
            cmd.arg("--json");
        }
        let (code, out, err) = run_to_end(cmd, LIMIT);
        assert_eq!(code, Some(0), "{err}");
        assert!(
            !out.contains("sk-very-secret") && !err.contains("sk-very-secret"),
            "{out}"
        );
        assert!(out.contains(&key_file.display().to_string()), "{out}");
        if !json {
            continue;
        }
        let doc: Value = serde_json::from_str(&out).expect("json");
        let setting = |key: &str| {
            doc["settings"]
                .as_array()
                .expect("settings")
                .iter()
                .find(|s| s["key"] == key)
                .cloned()
                .unwrap_or_else(|| panic!("no {key} in {doc}"))
        };
        assert_eq!(
            setting("openai_base_url")["value"],
            "http://127.0.0.1:8080/v1"
        );
        assert!(
            setting("openai_base_url")["source"]
                .as_str()
                .unwrap_or("")
                .starts_with("env file")
        );
        assert_eq!(setting("model_refresh")["value"], "10s");
        assert_eq!(setting("model_refresh")["source"], "environment");
        for (key, default) in [
            ("model_connect_timeout", "5s"),
            ("model_idle_timeout", "120s"),
            ("model_num_ctx", "4096"),
        ] {
            assert_eq!(setting(key)["value"], default, "{key}");
            assert_eq!(setting(key)["source"], "default", "{key}");
        }
        assert_eq!(setting("openai_model")["value"], Value::Null);
    }

    // An unreadable key file stops the agent with what to do, and names no key.
    std::fs::remove_file(&key_file).expect("remove key");
    let mut cmd = sb.command();
    cmd.args(["agent", "--detect"]);
    let (code, out, err) = run_to_end(cmd, LIMIT);
    assert_ne!(code, Some(0), "{out}");
    assert!(
        err.contains("EDGECODER_OPENAI_API_KEY_FILE") && err.contains("cannot read"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_pulled_while_the_local_worker_runs_appears_on_the_coordinator() {
    let ollama = OllamaStandIn::start(&["good"]).await;
    let sb = Sandbox::new();
    let opts = CoordinatorOptions {
        env: vec![
            (
                "EDGECODER_LOG_DIR".into(),
                sb.path().join("logs").display().to_string(),
            ),
            ("OLLAMA_HOST".into(), ollama.url.clone()),
            ("EDGECODER_MODEL_REFRESH".into(), "1s".into()),
        ],
        ..Default::default()
    };
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let models_of_node = || async {
        let nodes = admin.nodes().await.ok()?.nodes;
        let node = nodes.first()?;
        Some(node.capabilities.clone())
    };
    let caps = eventually(Duration::from_secs(20), || async {
        models_of_node()
            .await
            .filter(|c| c.models == vec!["good".to_string()])
    })
    .await;
    assert_eq!(caps.model_details[0].context_length, Some(32768));
    assert!(
        caps.model_backends
            .iter()
            .any(|b| b.backend == "ollama" && b.reachable)
    );

    ollama.add_model(StandInModel::new("qwen2.5-coder:7b"));
    let caps = eventually(Duration::from_secs(10), || async {
        models_of_node()
            .await
            .filter(|c| c.models.iter().any(|m| m == "qwen2.5-coder:7b"))
    })
    .await;
    assert_eq!(caps.models, vec!["good", "qwen2.5-coder:7b"]);
    let pulled = caps
        .model_details
        .iter()
        .find(|m| m.name == "qwen2.5-coder:7b")
        .expect("details");
    assert_eq!(pulled.parameter_size.as_deref(), Some("7.6B"));
}
