//! Configuration precedence (flag > environment > env file > config file > default), seen through
//! `edgecoder config show --json` and through what a real `serve` binds; malformed files stop
//! both with the file, line and reason; secrets are masked.

use crate::common::*;
use edgecoder::api::*;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(15);

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

fn config_file(sb: &Sandbox) -> std::path::PathBuf {
    sb.path().join("edgecoder.toml")
}

/// Runs `edgecoder config show --json` (plus `args`) with extra environment variables.
fn config_show(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Value {
    let mut cmd = sb.command();
    cmd.args(["config", "show", "--json"]).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (code, out, err) = run_to_end(cmd, LIMIT);
    assert_eq!(code, Some(0), "config show failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn setting<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no setting {key} in {doc}"))
}

#[track_caller]
fn assert_setting(doc: &Value, key: &str, value: &str, source: &str) {
    let s = setting(doc, key);
    assert_eq!(s["value"], value, "value of {key}: {s}");
    assert_eq!(s["source"], source, "source of {key}: {s}");
}

#[test]
fn config_show_resolves_env_over_env_file_over_config_file_over_default() {
    let sb = Sandbox::new();
    write(
        &config_file(&sb),
        "# comment\nheartbeat_interval = \"7s\"\nclaim_wait = \"17s\"\naccept_window = \"27s\"\nmax_attempts = 7\n",
    );
    write(
        &sb.env_file(),
        "# written by hand\nEDGECODER_CLAIM_WAIT=16s\nEDGECODER_ACCEPT_WINDOW=26s\nSOME_OTHER_TOOL=x\n",
    );
    let env_file = sb.env_file().display().to_string();
    let doc = config_show(&sb, &[], &[("EDGECODER_ACCEPT_WINDOW", "25s")]);

    assert_eq!(doc["config_file"], "edgecoder.toml");
    assert_eq!(doc["env_file"], env_file.as_str());
    assert_eq!(doc["env_file_exists"], true);
    let from_config = "config file edgecoder.toml";
    let from_env_file = format!("env file {env_file}");
    assert_setting(&doc, "heartbeat_interval", "7s", from_config);
    assert_setting(&doc, "max_attempts", "7", from_config);
    assert_setting(&doc, "claim_wait", "16s", &from_env_file);
    assert_setting(&doc, "accept_window", "25s", "environment");
    assert_setting(&doc, "max_body_bytes", "8388608", "default");
    assert_setting(&doc, "mode", "all-in-one", "default");
    let s = setting(&doc, "accept_window");
    assert_eq!(s["env"], "EDGECODER_ACCEPT_WINDOW");
    assert_eq!(s["secret"], false);
    // Every setting has the same shape.
    for s in doc["settings"].as_array().unwrap() {
        let mut keys: Vec<_> = s.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["env", "key", "secret", "source", "value"], "{s}");
    }
    let unset = setting(&doc, "ollama_model");
    assert!(unset["value"].is_null() && unset["source"].is_null());

    // --config (and EDGECODER_CONFIG) pick another file over the discovered one.
    let other = sb.path().join("other.toml");
    write(&other, "heartbeat_interval = \"9s\"\n");
    let other_name = other.display().to_string();
    for doc in [
        config_show(&sb, &["--config", &other_name], &[]),
        config_show(&sb, &[], &[("EDGECODER_CONFIG", &other_name)]),
    ] {
        assert_eq!(doc["config_file"], other_name.as_str());
        assert_setting(
            &doc,
            "heartbeat_interval",
            "9s",
            &format!("config file {other_name}"),
        );
        // The discovered file is not read at all when another is named.
        assert_setting(&doc, "max_attempts", "3", "default");
    }
    // --env-file names another env file.
    let other_env = sb.path().join("other.env");
    write(&other_env, "EDGECODER_CLAIM_WAIT=15s\n");
    let doc = config_show(&sb, &["--env-file", &other_env.display().to_string()], &[]);
    assert_setting(
        &doc,
        "claim_wait",
        "15s",
        &format!("env file {}", other_env.display()),
    );
}

#[tokio::test]
async fn serve_binds_by_flag_over_env_over_env_file_over_config_file() {
    let sb = Sandbox::new();
    let no_port = || {
        let mut o = coordinator_only();
        o.args = vec!["--mode".into(), "coordinator".into()];
        o
    };
    // Config file only.
    let p1 = free_port();
    write(
        &config_file(&sb),
        &format!("port = {p1}\nheartbeat_interval = \"7s\"\n"),
    );
    let coord = Coordinator::start_with(&sb, no_port());
    assert_eq!(coord.port(), p1, "port from the config file");
    let (_, reg) = register(&coord).await;
    assert_eq!(reg.intervals.heartbeat_ms, 7000);
    drop(coord);

    // The env file beats the config file.
    let p2 = free_port();
    write(
        &sb.env_file(),
        &format!("EDGECODER_PORT={p2}\nEDGECODER_HEARTBEAT_INTERVAL=6s\n"),
    );
    let coord = Coordinator::start_with(&sb, no_port());
    assert_eq!(coord.port(), p2, "port from the env file");
    let (_, reg) = register(&coord).await;
    assert_eq!(reg.intervals.heartbeat_ms, 6000);
    drop(coord);

    // The environment beats the env file.
    let p3 = free_port();
    let mut opts = no_port();
    opts.env = vec![
        ("EDGECODER_PORT".into(), p3.to_string()),
        ("EDGECODER_HEARTBEAT_INTERVAL".into(), "4s".into()),
    ];
    let coord = Coordinator::start_with(&sb, opts);
    assert_eq!(coord.port(), p3, "port from the environment");
    let (_, reg) = register(&coord).await;
    assert_eq!(reg.intervals.heartbeat_ms, 4000);
    assert_eq!(reg.intervals.lease_ttl_ms, 12_000);
    drop(coord);

    // A flag beats them all.
    let p4 = free_port();
    let mut opts = no_port();
    opts.args.extend(["--port".into(), p4.to_string()]);
    opts.env = vec![("EDGECODER_PORT".into(), p3.to_string())];
    let coord = Coordinator::start_with(&sb, opts);
    assert_eq!(coord.port(), p4, "port from the flag");
    assert_eq!(coord.url, format!("http://127.0.0.1:{p4}"));
    coord.admin().whoami().await.unwrap();
}

async fn register(coord: &Coordinator) -> (edgecoder::api::client::Client, RegisterResponse) {
    let admin = coord.admin();
    let token = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Enroll),
            ..Default::default()
        })
        .await
        .unwrap();
    let anon = edgecoder::api::client::Client::new(&coord.url, None).unwrap();
    let reg = anon
        .register(&RegisterRequest {
            enrollment_token: token.token,
            name: None,
            labels: Default::default(),
            capabilities: caps(1024, 0),
        })
        .await
        .unwrap();
    (anon, reg)
}

// No --port: a port in the file under test must not be overridden by a flag.
const SERVE: &[&str] = &["serve", "--mode", "coordinator"];
const SHOW: &[&str] = &["config", "show", "--json"];

/// Runs `serve` and `config show`; both must stop with an error containing every `needle`.
#[track_caller]
fn assert_both_refuse(sb: &Sandbox, needles: &[&str]) {
    assert_refuse(sb, &[SERVE, SHOW], needles);
}

#[track_caller]
fn assert_refuse(sb: &Sandbox, commands: &[&[&str]], needles: &[&str]) {
    for &args in commands {
        let mut cmd = sb.command();
        cmd.args(args).env("ADMIN_API_TOKEN", ADMIN_TOKEN);
        let (code, out, err) = run_to_end(cmd, LIMIT);
        assert!(
            code.is_some_and(|c| c != 0),
            "{args:?} did not fail (exit {code:?}); stdout: {out}"
        );
        for needle in needles {
            assert!(
                err.contains(needle),
                "{args:?}: the error lacks {needle:?}: {err}"
            );
        }
        assert!(!out.contains("listening on"), "{args:?} started anyway");
        assert!(!sb.data_dir().join("server.json").exists());
    }
}

#[test]
fn a_malformed_config_file_stops_serve_and_config_show() {
    let sb = Sandbox::new();
    let path = config_file(&sb);
    let cases: &[(&str, &[&str])] = &[
        ("port = 4400\nhost = = \"x\"\n", &["line 2"]),
        (
            "# the port\nport = 4400\nmax_attempts = 2\n[section\n",
            &["line 4"],
        ),
        (
            "port = 4400\nheartbeat_interval = \"7s\"\nport = 4500\n",
            &["line 3", "duplicate key"],
        ),
        ("port = 4400\ncolour = \"blue\"\n", &["\"colour\""]),
        ("port = \"not a port\"\n", &["port", "whole number"]),
        ("port = [1, 2]\n", &["port", "array"]),
    ];
    for (text, needles) in cases {
        write(&path, text);
        let mut all = vec!["edgecoder.toml"];
        all.extend_from_slice(needles);
        assert_both_refuse(&sb, &all);
    }
    // A value only `serve` interprets: `config show` prints it as written, `serve` refuses it.
    write(&path, "heartbeat_interval = \"soon\"\n");
    assert_refuse(
        &sb,
        &[SERVE],
        &["edgecoder.toml", "heartbeat_interval", "\"soon\""],
    );

    // A config file named explicitly must exist.
    std::fs::remove_file(&path).unwrap();
    let missing = sb.path().join("missing.toml").display().to_string();
    let mut cmd = sb.command();
    cmd.args(["config", "show", "--config", &missing]);
    let (code, _, err) = run_to_end(cmd, LIMIT);
    assert!(code.is_some_and(|c| c != 0));
    assert!(
        err.contains(&missing) && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn a_malformed_env_file_stops_serve_and_config_show() {
    let sb = Sandbox::new();
    let env_file = sb.env_file().display().to_string();
    let cases: &[(&[u8], &[&str])] = &[
        (
            b"# ok\nEDGECODER_PORT=4400\nthis is not an assignment\n",
            &["line 3"],
        ),
        (b"A=1\nB=\"unterminated\n", &["line 2"]),
        (b"A=1\nB=2\nC=\xff\xfe\n", &["line 3", "UTF-8"]),
        (
            b"EDGECODER_PORT=99999\n",
            &["EDGECODER_PORT", "whole number"],
        ),
        (
            b"COORDINATOR_FEE_BPS=20000\n",
            &["COORDINATOR_FEE_BPS", "whole number"],
        ),
    ];
    for (text, needles) in cases {
        if let Some(dir) = sb.env_file().parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(sb.env_file(), text).unwrap();
        let mut all = vec![env_file.as_str()];
        all.extend_from_slice(needles);
        assert_both_refuse(&sb, &all);
    }
}

#[test]
fn secrets_are_masked_unless_asked_for() {
    let sb = Sandbox::new();
    let admin_secret = "admin-secret-value-0123456789";
    let mesh_secret = "mesh-secret-value-abcdefghij";
    write(
        &sb.env_file(),
        &format!("ADMIN_API_TOKEN={admin_secret}\nOLLAMA_MODEL=llama3\n"),
    );
    let env = [("MESH_AUTH_TOKEN", mesh_secret)];

    let doc = config_show(&sb, &[], &env);
    let text = doc.to_string();
    for secret in [admin_secret, mesh_secret] {
        assert!(!text.contains(secret), "a secret is shown: {text}");
    }
    for (key, source) in [
        (
            "admin_api_token",
            format!("env file {}", sb.env_file().display()),
        ),
        ("mesh_auth_token", "environment".to_string()),
    ] {
        let s = setting(&doc, key);
        assert_eq!(s["secret"], true, "{s}");
        assert_eq!(s["source"], source.as_str());
        let shown = s["value"].as_str().expect("a masked value, not nothing");
        assert!(!shown.is_empty());
    }
    assert_setting(
        &doc,
        "ollama_model",
        "llama3",
        &format!("env file {}", sb.env_file().display()),
    );
    assert_eq!(setting(&doc, "ollama_model")["secret"], false);

    // The table view masks too.
    let mut cmd = sb.command();
    cmd.args(["config", "show"])
        .env("MESH_AUTH_TOKEN", mesh_secret);
    let (code, out, err) = run_to_end(cmd, LIMIT);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("llama3"));
    assert!(
        !out.contains(admin_secret) && !out.contains(mesh_secret),
        "{out}"
    );
    assert!(!err.contains(admin_secret) && !err.contains(mesh_secret));

    // --show-secrets shows them.
    let doc = config_show(&sb, &["--show-secrets"], &env);
    assert_eq!(setting(&doc, "admin_api_token")["value"], admin_secret);
    assert_eq!(setting(&doc, "mesh_auth_token")["value"], mesh_secret);
}
