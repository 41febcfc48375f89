//! The node contributor's commands as a user runs them: `enroll` and its faults, `env`,
//! `status`, `agent --detect`, and the all-in-one `serve` with its local worker.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

/// Wrong, used-up and missing tokens, an unreachable coordinator, the token from stdin, a clean
/// re-enrollment, and a corrupt env file: each with its exit code and a clear message, and no
/// half-written state.
#[tokio::test]
async fn enrollment_faults() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "1s");
    let admin = coord.admin();

    // A token the coordinator never made.
    let sb = Sandbox::new();
    let out = enroll(&sb, &coord.url, "ece_not-a-real-token-0000", &[]);
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(out.stderr.contains("unknown enrollment token"), "{out:?}");
    assert!(!sb.env_file().exists() && !credential_path(&sb).exists());

    // An API token is not an enrollment token.
    let out = enroll(&sb, &coord.url, ADMIN_TOKEN, &[]);
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(out.stderr.contains("not an enrollment token"), "{out:?}");
    assert!(!out.text().contains(ADMIN_TOKEN), "the token is not echoed");

    // A one-use token works once.
    let once = enroll_token(&admin, true, 1).await;
    let first = Sandbox::new();
    let first_id = enroll_ok(&first, &coord.url, &once, &[]);
    let out = enroll(&sb, &coord.url, &once, &[]);
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(out.stderr.contains("used as many times"), "{out:?}");
    assert!(!sb.env_file().exists() && !credential_path(&sb).exists());

    // Nobody listening.
    let down = format!("http://127.0.0.1:{}", closed_port());
    let token = enroll_token(&admin, true, 1).await;
    let out = enroll(&sb, &down, &token, &[]);
    assert_eq!(out.code, Some(6), "{out:?}");
    assert!(
        out.stderr.contains("not reachable") && out.stderr.contains(&down),
        "{out:?}"
    );
    assert!(!sb.env_file().exists());

    // No token at all is a usage error.
    let out = cli(&sb, &["enroll", "--coordinator", &coord.url], None);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("--token"), "{out:?}");

    // `--token -` reads it from stdin (the token unused above still works).
    let out = cli(
        &sb,
        &["enroll", "--token", "-", "--coordinator", &coord.url],
        Some(&format!("{token}\n")),
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let stdin_id = env_value(&sb, "AGENT_ID").expect("AGENT_ID");
    assert_eq!(
        admin.node(&stdin_id).await.unwrap().state,
        NodeState::Approved
    );

    // Enrolling again with a new token re-enrolls cleanly: a new node and credential, one
    // AGENT_ID line, and the user's own lines kept.
    let old_secret = node_secret(&first);
    let mut text = std::fs::read_to_string(first.env_file()).unwrap();
    text.insert_str(0, "# my notes\n");
    text.push_str("MY_OWN_KEY=kept\n");
    std::fs::write(first.env_file(), &text).unwrap();
    let again = enroll_token(&admin, true, 1).await;
    let second_id = enroll_ok(&first, &coord.url, &again, &[]);
    assert_ne!(second_id, first_id);
    assert_ne!(node_secret(&first), old_secret);
    let text = std::fs::read_to_string(first.env_file()).unwrap();
    assert!(text.starts_with("# my notes\n"), "{text}");
    assert!(text.contains("MY_OWN_KEY=kept\n"), "{text}");
    assert_eq!(text.matches("AGENT_ID=").count(), 1, "{text}");
    assert_eq!(text.matches("COORDINATOR_URL=").count(), 1, "{text}");

    // A corrupt env file: every command that reads it names the file and the line, and
    // nothing is written (the token is not spent either).
    let bad = Sandbox::new();
    std::fs::create_dir_all(bad.env_file().parent().unwrap()).unwrap();
    let corrupt = "# hand edited\nthis is not valid\nCOORDINATOR_URL=http://127.0.0.1:1\n";
    std::fs::write(bad.env_file(), corrupt).unwrap();
    let token = enroll_token(&admin, true, 1).await;
    let path = bad.env_file().display().to_string();
    let runs = [
        ("enroll", enroll(&bad, &coord.url, &token, &[])),
        ("agent", cli(&bad, &["agent"], None)),
        ("status", cli(&bad, &["status"], None)),
        (
            "env get",
            cli(&bad, &["env", "get", "COORDINATOR_URL"], None),
        ),
        ("env set", cli(&bad, &["env", "set", "MY_KEY", "x"], None)),
    ];
    for (what, out) in runs {
        assert!(
            !matches!(out.code, Some(0) | None),
            "{what} must fail: {out:?}"
        );
        assert!(
            out.stderr.contains(&path) && out.stderr.contains("line 2"),
            "{what} names the file and line: {out:?}"
        );
    }
    assert_eq!(std::fs::read_to_string(bad.env_file()).unwrap(), corrupt);
    assert!(!credential_path(&bad).exists());
    let info = admin.tokens().await.unwrap();
    let unspent = info
        .iter()
        .filter(|t| t.kind == TokenKind::Enroll && t.uses_left == Some(1))
        .count();
    assert!(unspent >= 1, "the token was not spent: {info:?}");
}

/// `edgecoder env` edits keep everything else byte for byte; known keys are validated,
/// unknown ones kept with a warning; secrets are masked; a missing key exits 4.
#[test]
fn env_command_keeps_the_file_as_written() {
    let sb = Sandbox::new();
    let path = sb.env_file();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let original = "\
# edgecoder settings, edited by hand
export FOO=bar

COORDINATOR_URL=http://127.0.0.1:4301
   # an indented comment
UNKNOWN_TOOL_SETTING='kept as is'
MESH_AUTH_TOKEN=\"mesh-secret-value-0123456789\"
MAX_CONCURRENT_TASKS=4
";
    std::fs::write(&path, original).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let env = |args: &[&str]| {
        let mut all = vec!["env"];
        all.extend_from_slice(args);
        cli(&sb, &all, None)
    };
    let read = || std::fs::read_to_string(&path).unwrap();

    // Setting a key to its current value changes nothing, however it was quoted.
    for (k, v) in [
        ("MAX_CONCURRENT_TASKS", "4"),
        ("MESH_AUTH_TOKEN", "mesh-secret-value-0123456789"),
        ("UNKNOWN_TOOL_SETTING", "kept as is"),
        ("FOO", "bar"),
    ] {
        let out = env(&["set", k, v]);
        assert_eq!(out.code, Some(0), "{out:?}");
        assert_eq!(read(), original, "set {k} to its value rewrote the file");
    }

    let out = env(&["path"]);
    assert_eq!(out.stdout.trim(), path.display().to_string());

    // A change touches only its line.
    let out = env(&["set", "MAX_CONCURRENT_TASKS", "8"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let expected = original.replace("MAX_CONCURRENT_TASKS=4", "MAX_CONCURRENT_TASKS=8");
    assert_eq!(read(), expected);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file's mode is kept");

    // Known keys are validated, and a refused value changes nothing.
    let out = env(&["set", "EDGE_RUNTIME_MODE", "banana"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    for choice in ["all-in-one", "coordinator", "worker"] {
        assert!(out.stderr.contains(choice), "names the choices: {out:?}");
    }
    assert_eq!(read(), expected);
    let out = env(&["set", "MAX_CONCURRENT_TASKS", "lots"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    let out = env(&["set", "NOTE", "two\nlines"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("newlines"), "{out:?}");
    assert_eq!(read(), expected);

    // Unknown keys warn and are kept; values that need quoting are quoted.
    let out = env(&["set", "MY_TOOL_FLAG", "a b # c"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("warning") && out.stderr.contains("MY_TOOL_FLAG"),
        "{out:?}"
    );
    let expected = format!("{expected}MY_TOOL_FLAG='a b # c'\n");
    assert_eq!(read(), expected);
    assert_eq!(env(&["get", "MY_TOOL_FLAG"]).stdout, "a b # c\n");
    assert_eq!(env(&["get", "UNKNOWN_TOOL_SETTING"]).stdout, "kept as is\n");

    // Unset removes only that line.
    let out = env(&["unset", "FOO"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let expected = expected.replace("export FOO=bar\n", "");
    assert_eq!(read(), expected);
    assert_eq!(env(&["unset", "FOO"]).code, Some(4));

    // list: in file order, secrets masked unless asked.
    let out = env(&["list"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        !out.stdout.contains("mesh-secret-value-0123456789"),
        "{out:?}"
    );
    assert!(out.stdout.contains("MESH_AUTH_TOKEN="), "{out:?}");
    let keys: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k))
        .collect();
    assert_eq!(
        keys,
        [
            "COORDINATOR_URL",
            "UNKNOWN_TOOL_SETTING",
            "MESH_AUTH_TOKEN",
            "MAX_CONCURRENT_TASKS",
            "MY_TOOL_FLAG"
        ]
    );
    let out = env(&["list", "--show-secrets"]);
    assert!(
        out.stdout
            .contains("MESH_AUTH_TOKEN=mesh-secret-value-0123456789"),
        "{out:?}"
    );
    let out = env(&["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["COORDINATOR_URL"], "http://127.0.0.1:4301");
    assert_ne!(doc["MESH_AUTH_TOKEN"], "mesh-secret-value-0123456789");

    let out = env(&["get", "MISSING_KEY"]);
    assert_eq!(out.code, Some(4), "{out:?}");
    assert!(out.stderr.contains("MISSING_KEY"), "{out:?}");
    assert_eq!(read(), expected, "reads never write");
}

/// `agent --detect --json` describes this machine; `status --json` tells enrolled from not,
/// pending from approved, and a reachable coordinator from a stopped one.
#[tokio::test]
async fn detect_and_status() {
    let sb = Sandbox::new();
    let out = cli(&sb, &["agent", "--detect", "--json"], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    let caps: Capabilities = serde_json::from_str(&out.stdout).expect("capabilities JSON");
    assert!(caps.cpus >= 1, "{caps:?}");
    assert!(caps.memory_total_mib > 0, "{caps:?}");
    assert_eq!(caps.os, std::env::consts::OS);
    assert_eq!(caps.arch, std::env::consts::ARCH);
    assert!(caps.max_concurrent_tasks >= 1);
    let raw: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(raw["memory_total_mib"].as_u64().unwrap_or(0) > 0);

    let status = |sb: &Sandbox| {
        let out = cli(sb, &["status", "--json"], None);
        assert_eq!(out.code, Some(0), "{out:?}");
        serde_json::from_str::<serde_json::Value>(&out.stdout).expect("status JSON")
    };
    let doc = status(&sb);
    assert_eq!(doc["enrolled"], false, "{doc}");
    assert_eq!(doc["coordinator_reachable"], false, "{doc}");
    assert_eq!(
        doc["env_file"].as_str(),
        Some(sb.env_file().display().to_string().as_str())
    );

    let csb = Sandbox::new();
    let mut coord = fast_coordinator(&csb, "1s");
    let admin = coord.admin();
    let token = enroll_token(&admin, false, 1).await;
    let id = enroll_ok(&sb, &coord.url, &token, &[]);
    let doc = status(&sb);
    assert_eq!(doc["enrolled"], true, "{doc}");
    assert_eq!(doc["coordinator_reachable"], true, "{doc}");
    assert_eq!(doc["state"], "pending", "{doc}");
    assert_eq!(doc["node_id"].as_str(), Some(id.as_str()));
    assert_eq!(
        doc["credential_file"].as_str(),
        Some(credential_path(&sb).display().to_string().as_str())
    );

    admin.node_action(&id, "approve").await.unwrap();
    let doc = status(&sb);
    assert_eq!(doc["state"], "approved", "{doc}");
    assert_eq!(doc["coordinator_reachable"], true, "{doc}");

    coord.signal(libc::SIGTERM);
    coord.wait_exit(Duration::from_secs(15));
    let doc = status(&sb);
    assert_eq!(doc["enrolled"], true, "{doc}");
    assert_eq!(doc["coordinator_reachable"], false, "{doc}");
    assert!(
        doc["problem"]
            .as_str()
            .unwrap_or("")
            .contains("not reachable")
    );
}

/// Plain `edgecoder serve` runs submitted work with no other setup through its local worker,
/// labelled `local`; a restart reuses the same local node.
#[tokio::test]
async fn all_in_one_serve_runs_tasks_with_its_local_worker() {
    let sb = Sandbox::new();
    let opts = || CoordinatorOptions {
        env: vec![(
            "EDGECODER_LOG_DIR".into(),
            sb.path().join("logs").display().to_string(),
        )],
        ..Default::default()
    };
    let mut coord = Coordinator::start_with(&sb, opts());
    eventually(Duration::from_secs(10), || async {
        coord.stdout().contains("local worker: on").then_some(())
    })
    .await;
    let admin = coord.admin();
    let id = submit(&admin, &sh("echo from-local")).await;
    let t = wait_done(&admin, &id, Duration::from_secs(30)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    assert_eq!(full_log(&admin, &id).await, "from-local\n");
    let local_id = t.node_id.clone().expect("node");
    let nodes = admin.nodes().await.unwrap().nodes;
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    assert_eq!(nodes[0].id, local_id);
    assert!(nodes[0].labels.contains_key("local"), "{:?}", nodes[0]);
    assert_eq!(nodes[0].state, NodeState::Approved);

    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(15)), Some(0));
    drop(coord);

    let coord = Coordinator::start_with(&sb, opts());
    let admin = coord.admin();
    let id = submit(&admin, &sh("echo again")).await;
    let t = wait_done(&admin, &id, Duration::from_secs(30)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    assert_eq!(t.node_id.as_deref(), Some(local_id.as_str()));
    let nodes = admin.nodes().await.unwrap().nodes;
    assert_eq!(nodes.len(), 1, "no new node per start: {nodes:?}");
}
