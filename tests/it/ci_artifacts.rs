//! Artifacts (`--artifact GLOB`, issue 17) end to end: a coordinator and an agent in separate
//! homes; a task writes a JUnit-style report, `server tasks artifacts` downloads it
//! byte-identical, a glob matching nothing and a link out of the working dir are notes in the
//! task's log, and artifacts over the limit (the agent's, then the coordinator's) fail the task
//! with a message naming the setting.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::TaskState;
use std::time::Duration;

const WITHIN: Duration = Duration::from_secs(60);

const JUNIT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="calc" tests="2" failures="0">
<testcase classname="calc" name="adds"/><testcase classname="calc" name="subtracts"/>
</testsuite></testsuites>
"#;

/// Submits through the CLI (so the flags are what is tested); the task id.
fn submit_cli(sb: &Sandbox, url: &str, globs: &[&str], script: &str) -> String {
    let mut args = vec!["server", "tasks", "submit", "--max-attempts", "1"];
    for g in globs {
        args.extend(["--artifact", g]);
    }
    args.extend(["--", "sh", "-c", script]);
    let out = cli_with(server_cmd(sb, url), &args, None);
    assert_eq!(out.code, Some(0), "{}", out.text());
    out.stdout.trim().to_string()
}

#[tokio::test]
async fn a_report_comes_back_byte_identical_and_limits_are_enforced() {
    let sb = Sandbox::new();
    let mut opts = fast_coordinator_options(&sb, "300ms");
    opts.env
        .push(("EDGECODER_MAX_ARTIFACT_BYTES".into(), "50000".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let _node = start_node(
        &coord,
        "builder",
        &[("EDGECODER_MAX_ARTIFACT_BYTES", "100000")],
    )
    .await;

    // The report, a glob that matches nothing, and a link to a file outside the working dir.
    let report_script = format!(
        "mkdir -p reports && cat > reports/junit.xml <<'EOF'\n{JUNIT}EOF\n\
         ln -s /etc/hostname reports/leak.xml; echo tests ran"
    );
    let id = submit_cli(
        &sb,
        &coord.url,
        &["reports/*.xml", "coverage/*.json"],
        &report_script,
    );
    let task = wait_done(&admin, &id, WITHIN).await;
    let log = full_log(&admin, &id).await;
    assert_eq!(task.state, TaskState::Succeeded, "{task:?}\n{log}");
    let paths: Vec<&str> = task.artifacts.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, vec!["reports/junit.xml"], "{log}");
    assert_eq!(task.artifacts[0].size, JUNIT.len() as u64);
    assert!(
        log.contains("\"coverage/*.json\" matched no file"),
        "no warning for the empty glob: {log}"
    );
    assert!(
        log.contains("reports/leak.xml is a link to outside the working dir"),
        "{log}"
    );

    let shown = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "tasks", "show", &id],
        None,
    );
    let line = format!("artifacts    reports/junit.xml ({} bytes)", JUNIT.len());
    assert!(shown.stdout.contains(&line), "{}", shown.text());

    let out_dir = sb.path().join("downloaded");
    let out_arg = out_dir.display().to_string();
    let got = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "tasks", "artifacts", &id, "--out", &out_arg],
        None,
    );
    assert_eq!(got.code, Some(0), "{}", got.text());
    let bytes = std::fs::read(out_dir.join("reports/junit.xml")).expect("downloaded report");
    assert_eq!(bytes, JUNIT.as_bytes());

    let listed = cli_with(
        server_cmd(&sb, &coord.url),
        &[
            "server",
            "tasks",
            "artifacts",
            &id,
            "--out",
            &out_arg,
            "--json",
            "*/junit.*",
        ],
        None,
    );
    assert_eq!(listed.code, Some(0), "{}", listed.text());
    let doc: serde_json::Value = serde_json::from_str(&listed.stdout).expect("json");
    crate::cli_server::documented().check("server tasks artifacts ID", &doc);
    assert_eq!(doc[0]["path"], "reports/junit.xml");
    assert_eq!(doc[0]["sha256"], task.artifacts[0].sha256.as_str());
    let none = cli_with(
        server_cmd(&sb, &coord.url),
        &["server", "tasks", "artifacts", &id, "nothing-*"],
        None,
    );
    assert_eq!(none.code, Some(4), "{}", none.text());
    assert!(
        none.stderr.contains("it kept: reports/junit.xml"),
        "{}",
        none.text()
    );

    // Over the agent's limit (100000): refused on the node, nothing uploaded.
    let big = submit_cli(
        &sb,
        &coord.url,
        &["big.bin"],
        "head -c 200000 /dev/zero > big.bin",
    );
    let task = wait_done(&admin, &big, WITHIN).await;
    assert_eq!(task.state, TaskState::Failed, "{task:?}");
    let error = task.error.clone().unwrap_or_default();
    assert!(
        error.contains("EDGECODER_MAX_ARTIFACT_BYTES") && error.contains("200000 bytes"),
        "{error}"
    );
    assert!(task.artifacts.is_empty());

    // Under the agent's limit but over the coordinator's (50000): the coordinator refuses.
    let mid = submit_cli(
        &sb,
        &coord.url,
        &["mid.bin"],
        "head -c 75000 /dev/zero > mid.bin",
    );
    let task = wait_done(&admin, &mid, WITHIN).await;
    assert_eq!(task.state, TaskState::Failed, "{task:?}");
    let error = task.error.clone().unwrap_or_default();
    assert!(
        error.contains("EDGECODER_MAX_ARTIFACT_BYTES") && error.contains("at most 50000"),
        "{error}"
    );
    assert!(task.artifacts.is_empty());
}
