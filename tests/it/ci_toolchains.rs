//! Toolchains as tasks see them: a node advertises what is on its tasks' PATH
//! (`EDGECODER_TASK_PATH`, `EDGECODER_TASK_TOOLCHAINS`), `--requires TOOL` sends a task only to
//! such a node, and a submission no known node could run is queued with a warning while
//! `tasks show` says why it waits. Real coordinator, real agents in homes of their own, the real
//! CLI.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

/// A node's sandbox with a `mytool` program in a dir of its own, and the env that puts that dir
/// on the tasks' PATH.
fn tool_home() -> (Sandbox, Vec<(String, String)>) {
    let sb = Sandbox::new();
    let tools = sb.path().join("tools");
    std::fs::create_dir(&tools).unwrap();
    let tool = tools.join("mytool");
    std::fs::write(&tool, "#!/bin/sh\necho \"mytool-ran $*\"\n").unwrap();
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    let env = vec![
        (
            "EDGECODER_TASK_PATH".to_string(),
            format!("/usr/local/bin:/usr/bin:/bin:{}", tools.display()),
        ),
        (
            "EDGECODER_TASK_TOOLCHAINS".to_string(),
            "mytool".to_string(),
        ),
    ];
    (sb, env)
}

fn enroll_with(sb: &Sandbox, url: &str, token: &str, name: &str, env: &[(String, String)]) {
    let mut c = cmd(sb);
    c.envs(env.iter().map(|(k, v)| (k, v)));
    let file = sb.path().join("enroll.token");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    let out = cli_with(
        c,
        &[
            "enroll",
            "--token-file",
            &file.display().to_string(),
            "--coordinator",
            url,
            "--name",
            name,
        ],
        None,
    );
    assert_eq!(out.code, Some(0), "enroll {name}: {out:?}");
}

fn start_agent(sb: &Sandbox, env: &[(String, String)]) -> Agent {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Agent::start(sb, &env)
}

/// A node whose tasks' PATH holds `mytool` advertises it and runs the `--requires mytool`
/// task; a node without it, online and taking other work, is never offered it (the task waits
/// for the capable node, and `tasks show` says it waits for that node).
#[tokio::test]
async fn a_tool_on_the_task_path_is_advertised_and_only_its_node_runs_the_task() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let token = enroll_token(&admin, true, 2).await;

    let (a_sb, a_env) = tool_home();
    enroll_with(&a_sb, &coord.url, &token, "with-tool", &a_env);
    let a_id = env_value(&a_sb, "AGENT_ID").expect("AGENT_ID");
    // Node B looks for mytool too, but its tasks' PATH does not have it.
    let b_sb = Sandbox::new();
    let b_env = vec![(
        "EDGECODER_TASK_TOOLCHAINS".to_string(),
        "mytool".to_string(),
    )];
    enroll_with(&b_sb, &coord.url, &token, "without-tool", &b_env);
    let b_id = env_value(&b_sb, "AGENT_ID").expect("AGENT_ID");

    let tools_of = |id: String| {
        let admin = admin.clone();
        async move { admin.node(&id).await.unwrap().capabilities.toolchains }
    };
    assert!(
        tools_of(a_id.clone()).await.contains(&"mytool".to_string()),
        "the node with mytool on its tasks' PATH advertises it"
    );
    assert!(!tools_of(b_id.clone()).await.contains(&"mytool".to_string()));

    // Only B runs: it takes other work but not the mytool task.
    let _b = start_agent(&b_sb, &b_env);
    wait_online(&admin, &b_id).await;
    let server = |args: &[&str]| cli_with(server_cmd(&csb, &coord.url), args, None);
    let out = server(&[
        "server",
        "tasks",
        "submit",
        "--requires",
        "mytool",
        "--",
        "mytool",
        "hello",
    ]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        !out.stderr.contains("warning"),
        "node A could run it: {out:?}"
    );
    let id = out.stdout.trim().to_string();
    let probe = submit(&admin, &sh("echo probe")).await;
    let probe = wait_done(&admin, &probe, Duration::from_secs(30)).await;
    assert_eq!(probe.node_id.as_deref(), Some(b_id.as_str()));
    let task = admin.task(&id).await.unwrap();
    assert_eq!(
        task.state,
        TaskState::Queued,
        "B must not take it: {task:?}"
    );
    assert_eq!(task.requirements.toolchains, vec!["mytool".to_string()]);
    let show = server(&["server", "tasks", "show", &id]);
    // Node A registered at enrollment and has not timed out yet, or has: either way the line
    // says the task waits for the node that has the tool, not that no node could run it.
    assert!(
        show.stdout.contains("waiting") && show.stdout.contains("that can run it"),
        "show says it waits for the capable node: {show:?}"
    );

    // A comes: it runs the task with mytool from its tasks' PATH.
    let _a = start_agent(&a_sb, &a_env);
    let done = wait_done(&admin, &id, Duration::from_secs(30)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert_eq!(done.node_id.as_deref(), Some(a_id.as_str()));
    assert_eq!(full_log(&admin, &id).await, "mytool-ran hello\n");
}

/// A submission that no known node could ever run is queued, with a warning on stderr naming
/// what is missing (and in `--json`), and `tasks show` says why it waits.
#[tokio::test]
async fn a_submission_no_node_could_run_is_queued_with_a_warning_and_show_says_why() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let token = enroll_token(&admin, true, 1).await;
    let sb = Sandbox::new();
    enroll_with(&sb, &coord.url, &token, "plain", &[]);
    let node = env_value(&sb, "AGENT_ID").expect("AGENT_ID");
    let _agent = start_agent(&sb, &[]);
    wait_online(&admin, &node).await;
    let server = |args: &[&str]| cli_with(server_cmd(&csb, &coord.url), args, None);

    let out = server(&[
        "server",
        "tasks",
        "submit",
        "--requires",
        "nosuchtool",
        "--label",
        "zone=mars",
        "--",
        "true",
    ]);
    assert_eq!(out.code, Some(0), "accepted: {out:?}");
    let id = out.stdout.trim().to_string();
    assert!(
        !id.is_empty() && !id.contains('\n'),
        "the id alone: {out:?}"
    );
    assert!(
        out.stderr.contains("warning")
            && out
                .stderr
                .contains("no node has toolchain `nosuchtool`, label `zone=mars`"),
        "{out:?}"
    );
    assert_eq!(admin.task(&id).await.unwrap().state, TaskState::Queued);

    let show = server(&["server", "tasks", "show", &id]);
    assert_eq!(show.code, Some(0), "{show:?}");
    assert!(
        show.stdout
            .contains("no node has toolchain `nosuchtool`, label `zone=mars` (1 node online)"),
        "{show:?}"
    );

    let json = server(&[
        "server",
        "tasks",
        "submit",
        "--json",
        "--requires",
        "gpu",
        "--",
        "true",
    ]);
    assert_eq!(json.code, Some(0), "{json:?}");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON document");
    let warnings = doc["warnings"].as_array().expect("warnings in --json");
    assert!(
        warnings[0].as_str().unwrap().contains("no node has a GPU"),
        "{doc}"
    );

    // What a node has draws no warning and no "no node has" line.
    let ok = server(&["server", "tasks", "submit", "--", "true"]);
    assert_eq!(ok.code, Some(0), "{ok:?}");
    assert!(!ok.stderr.contains("warning"), "{ok:?}");
    let ok_id = ok.stdout.trim().to_string();
    let ok_task = wait_done(&admin, &ok_id, Duration::from_secs(30)).await;
    assert_eq!(ok_task.state, TaskState::Succeeded);
    // The unsatisfiable one still waits after the node took other work.
    let still = admin.task(&id).await.unwrap();
    assert_eq!(still.state, TaskState::Queued);
    assert!(
        still
            .waiting
            .as_deref()
            .unwrap_or_default()
            .contains("no node has"),
        "{still:?}"
    );
}
