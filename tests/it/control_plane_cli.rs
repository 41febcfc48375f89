//! The control plane through real processes: a real `edgecoder agent` that gets blacklisted
//! while it runs a task, and the `edgecoder server blacklist | mode | audit` commands.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;
use std::time::Duration;

/// `edgecoder server ARGS` against `url` with `token`.
fn server(sb: &Sandbox, url: &str, token: &str, args: &[&str]) -> Out {
    let mut c = cmd(sb);
    c.env("EDGECODER_URL", url).env("EDGECODER_TOKEN", token);
    let mut all = vec!["server"];
    all.extend_from_slice(args);
    cli_with(c, &all, None)
}

fn json(out: &Out) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.text()))
}

#[tokio::test]
async fn a_blacklisted_agent_stops_its_task_and_another_node_finishes_it() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let mut bad = start_node(&coord, "bad", &[]).await;

    // The first run records its pid and sleeps; a second run (elsewhere) finishes at once.
    let pidfile = csb.path().join("task.pid");
    let mut req = script(
        "if [ -e \"$PIDFILE\" ]; then echo second run; exit 0; fi\n\
         echo $$ > \"$PIDFILE\"\nexec sleep 60\n",
    );
    req.env
        .insert("PIDFILE".into(), pidfile.display().to_string());
    req.max_attempts = Some(1);
    let task = submit(&admin, &req).await;
    wait_running(&admin, &task, Duration::from_secs(15)).await;
    let pid = read_pid(&pidfile, Duration::from_secs(5));

    let out = server(
        &csb,
        &coord.url,
        ADMIN_TOKEN,
        &[
            "blacklist",
            "add",
            "--node",
            &bad.id,
            "--reason",
            "untrusted build",
            "--json",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.text());
    let change = json(&out);
    assert_eq!(change["requeued"][0], task.as_str());
    assert_eq!(change["entry"]["node_id"], bad.id.as_str());

    // Back in the queue at once, its one attempt not used up.
    let t = admin.task(&task).await.unwrap();
    assert_eq!(t.state, TaskState::Queued, "{t:?}");
    assert_eq!(t.attempt_history[0].outcome, "blacklisted");

    // The agent is told at its next heartbeat and stops the task's processes; it stays up,
    // asking again, in case the entry is removed.
    bad.agent
        .wait_for_log("the coordinator refuses this node", Duration::from_secs(10));
    assert!(gone_within(pid, Duration::from_secs(10)), "task pid {pid}");
    assert!(bad.agent.running(), "the agent keeps running");
    assert!(admin.node(&bad.id).await.unwrap().blacklisted);

    let good = start_node(&coord, "good", &[]).await;
    let done = wait_done(&admin, &task, Duration::from_secs(30)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert_eq!(done.node_id.as_deref(), Some(good.id.as_str()));
    assert!(full_log(&admin, &task).await.contains("second run"));
}

#[tokio::test]
async fn blacklist_mode_and_audit_commands() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (_, node) = enroll_as(&admin, "worker-1", &[], caps(4096, 0), true).await;
    let url = coord.url.clone();
    let run = |args: &[&str]| server(&sb, &url, ADMIN_TOKEN, args);

    // Bad input: one-line errors with the right exit codes, nothing written.
    let out = run(&[
        "blacklist",
        "add",
        "--node",
        "no-such-node",
        "--reason",
        "x",
    ]);
    assert_eq!(out.code, Some(4), "{}", out.text());
    assert!(out.stderr.contains("no-such-node"), "{}", out.stderr);
    let out = run(&["blacklist", "add", "--reason", "x"]);
    assert_eq!(out.code, Some(2), "a target is required: {}", out.text());
    let out = run(&[
        "blacklist",
        "add",
        "--address",
        "not-an-ip",
        "--reason",
        "x",
    ]);
    assert_eq!(out.code, Some(2), "{}", out.text());
    assert!(out.stderr.contains("not an IP address"), "{}", out.stderr);
    assert!(admin.blacklist().await.unwrap().entries.is_empty());

    let out = run(&[
        "blacklist",
        "add",
        "--node",
        "worker-1",
        "--reason",
        "flaky disk",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.text());
    assert!(
        out.stdout.contains(&format!("blacklisted node {node}")),
        "{}",
        out.stdout
    );
    let out = run(&["blacklist", "list"]);
    assert_eq!(out.code, Some(0));
    assert!(
        out.stdout.contains("REASON") && out.stdout.contains("flaky disk"),
        "{}",
        out.stdout
    );
    let out = run(&["blacklist", "list", "--json"]);
    let entry_id = json(&out)["entries"][0]["id"]
        .as_str()
        .expect("entry id")
        .to_string();
    let out = run(&["blacklist", "remove", &entry_id]);
    assert_eq!(out.code, Some(0), "{}", out.text());
    assert!(out.stdout.contains("may work again"), "{}", out.stdout);
    let out = run(&["blacklist", "remove", &entry_id]);
    assert_eq!(out.code, Some(4), "{}", out.text());

    // Mode: show (the default subcommand), an unknown value refused, then set.
    let out = run(&["mode"]);
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.contains("public_mesh"), "{}", out.stdout);
    let out = run(&["mode", "set", "walled_garden"]);
    assert_eq!(out.code, Some(2), "{}", out.text());
    assert!(
        out.stderr.contains("enterprise_overlay or public_mesh"),
        "{}",
        out.stderr
    );
    assert_eq!(
        json(&run(&["mode", "show", "--json"]))["mode"],
        "public_mesh",
        "nothing was written"
    );
    let user = admin
        .create_token(&TokenCreateRequest {
            name: Some("someone".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .token;
    let out = server(&sb, &url, &user, &["mode", "set", "enterprise_overlay"]);
    assert_eq!(out.code, Some(3), "a user may not: {}", out.text());
    let out = run(&["mode", "set", "enterprise_overlay", "--json"]);
    assert_eq!(out.code, Some(0), "{}", out.text());
    assert_eq!(json(&out)["mode"], "enterprise_overlay");

    // Audit: newest first, with --limit, and a readable table.
    let out = run(&["audit", "--json", "--limit", "2"]);
    assert_eq!(out.code, Some(0), "{}", out.text());
    let page = json(&out);
    let entries = page["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "network_mode.set");
    assert_eq!(entries[0]["before"]["mode"], "public_mesh");
    assert_eq!(entries[1]["action"], "token.create");
    assert!(page["next_before"].is_i64());
    let out = run(&["audit"]);
    assert_eq!(out.code, Some(0));
    for needle in [
        "ACTION",
        "blacklist.add",
        "blacklist.remove",
        "network_mode.set",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
    let out = server(&sb, &url, &user, &["audit"]);
    assert_eq!(out.code, Some(3), "{}", out.text());
}
