//! `--jq EXPR` on real commands against a real coordinator: the JSON output filtered by jaq, strings
//! printed raw, and a bad expression refused as a usage error with jaq's reason.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;

/// The coordinator with a few tasks and one node, and the CLI pointed at it.
async fn coordinator_with_work(sb: &Sandbox) -> Coordinator {
    let coord = fast_coordinator(sb, "1s");
    let admin = coord.admin();
    for i in 0..3 {
        admin
            .submit(&SubmitRequest::argv(vec!["echo".into(), format!("{i}")]))
            .await
            .expect("submit");
    }
    let node_sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    enroll_ok(&node_sb, &coord.url, &token, &["--name", "jq-node"]);
    coord
}

#[tokio::test]
async fn jq_filters_three_commands() {
    let sb = Sandbox::new();
    let coord = coordinator_with_work(&sb).await;
    let run = |args: &[&str]| cli_with(server_cmd(&sb, &coord.url), args, None);

    let out = run(&["server", "tasks", "list", "--jq", ".tasks | length"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, "3\n");

    // Strings print raw, one result per line; `--jq` implies `--json`.
    let out = run(&["server", "nodes", "list", "--jq", ".nodes[].name"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, "jq-node\n");
    let out = run(&[
        "server",
        "nodes",
        "list",
        "--jq",
        ".nodes[0] | {name, state}",
    ]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        out.stdout,
        "{\n  \"name\": \"jq-node\",\n  \"state\": \"approved\"\n}\n"
    );

    // A local command too: the resolved configuration.
    let port = coord.port().to_string();
    let mut c = cmd(&sb);
    c.env("EDGECODER_PORT", &port);
    let out = cli_with(
        c,
        &[
            "config",
            "show",
            "--jq",
            r#".settings[] | select(.key == "port") | .value"#,
        ],
        None,
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, format!("{port}\n"));
}

#[tokio::test]
async fn a_bad_expression_is_a_usage_error() {
    let sb = Sandbox::new();
    let coord = fast_coordinator(&sb, "1s");
    let run = |args: &[&str]| cli_with(server_cmd(&sb, &coord.url), args, None);

    let out = run(&["server", "tasks", "list", "--jq", ".tasks |"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(
        out.stderr.contains("not a valid jq expression") && out.stderr.contains("expected term"),
        "{out:?}"
    );
    let out = run(&["server", "status", "--jq", "no_such_filter(1)"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("undefined filter `no_such_filter`"),
        "{out:?}"
    );

    // A filter that fails on the data is an error (1), not a crash.
    let out = run(&["server", "status", "--jq", ". + 1"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("--jq:"), "{out:?}");
}
