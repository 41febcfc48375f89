//! Issue 17, tasks behaving like CI steps: a failing run is the answer (no retry unless asked),
//! `--wait` prints the task's output, SIGTERM to a waiting client cancels the task, `tasks logs`
//! picks streams, lines and attempts, names show in lists, and `agent --ephemeral` runs one
//! task and leaves. Real coordinator, real agents, the real CLI.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::TaskState;
use std::process::Stdio;
use std::time::Duration;

/// A coordinator whose local worker runs tasks as root, unconfined, so tasks can keep state in
/// the test's own directory (a counter across attempts).
fn local_coordinator(sb: &Sandbox) -> Coordinator {
    Coordinator::start_with(
        sb,
        CoordinatorOptions {
            env: vec![
                (TASK_USER.into(), "root".into()),
                (LANDLOCK.into(), "false".into()),
                ("EDGECODER_ALLOW_UNCONFINED_TASKS".into(), "true".into()),
            ],
            ..Default::default()
        },
    )
}

fn run_cli(sb: &Sandbox, url: &str, args: &[&str]) -> Out {
    cli_with(server_cmd(sb, url), args, Some(""))
}

/// `sh -c` text that counts its runs in `counter` and exits with `code` on each.
fn counted(counter: &std::path::Path, code: i32) -> String {
    format!(
        "n=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}; \
         echo out$n; echo err$n >&2; printf 'l1\\nl2\\nl3\\n'; exit {code}",
        c = counter.display()
    )
}

#[tokio::test]
async fn a_failing_run_is_the_answer_unless_a_rule_says_retry() {
    let sb = Sandbox::new();
    let coord = local_coordinator(&sb);
    let admin = coord.admin();
    let url = coord.url.as_str();

    // No rule: reported once, output printed where the task wrote it.
    let once = sb.path().join("once");
    let failed = run_cli(
        &sb,
        url,
        &[
            "server",
            "tasks",
            "submit",
            "--wait",
            "--",
            "sh",
            "-c",
            &counted(&once, 3),
        ],
    );
    assert_eq!(failed.code, Some(3), "{failed:?}");
    assert!(failed.stdout.contains("out1\nl1\nl2\nl3\n"), "{failed:?}");
    assert!(!failed.stdout.contains("err1"), "{failed:?}");
    assert!(failed.stderr.contains("err1"), "{failed:?}");
    assert!(failed.stderr.contains("failed"), "{failed:?}");
    assert_eq!(
        std::fs::read_to_string(&once).unwrap().trim(),
        "1",
        "ran once"
    );

    // --quiet: the summary, not the output.
    let quiet = run_cli(
        &sb,
        url,
        &[
            "server", "tasks", "submit", "--wait", "--quiet", "--", "echo", "hidden",
        ],
    );
    assert_eq!(quiet.code, Some(0), "{quiet:?}");
    assert!(!quiet.text().contains("hidden"), "{quiet:?}");
    assert!(quiet.stderr.contains("succeeded"), "{quiet:?}");

    // --retry 2 --retry-on-exit 3: exit 3 is run three times in all.
    let threes = sb.path().join("threes");
    let retried = run_cli(
        &sb,
        url,
        &[
            "server",
            "--json",
            "tasks",
            "submit",
            "--wait",
            "--retry",
            "2",
            "--retry-on-exit",
            "3,75",
            "--",
            "sh",
            "-c",
            &counted(&threes, 3),
        ],
    );
    assert_eq!(retried.code, Some(3), "{retried:?}");
    let task: serde_json::Value = serde_json::from_str(&retried.stdout).expect("json");
    assert_eq!(task["attempts"], 3, "{task}");
    assert_eq!(task["retry"]["retries"], 2, "{task}");
    assert_eq!(std::fs::read_to_string(&threes).unwrap().trim(), "3");

    // ... and exit 4 is not retried under the same rule.
    let fours = sb.path().join("fours");
    let not_retried = run_cli(
        &sb,
        url,
        &[
            "server",
            "tasks",
            "submit",
            "--wait",
            "--retry",
            "2",
            "--retry-on-exit",
            "3",
            "--",
            "sh",
            "-c",
            &counted(&fours, 4),
        ],
    );
    assert_eq!(not_retried.code, Some(4), "{not_retried:?}");
    assert_eq!(std::fs::read_to_string(&fours).unwrap().trim(), "1");

    // A rule the coordinator cannot use is refused, saying why.
    let bad = run_cli(
        &sb,
        url,
        &[
            "server",
            "tasks",
            "submit",
            "--retry",
            "2",
            "--retry-on-exit",
            "0",
            "--",
            "true",
        ],
    );
    assert_eq!(bad.code, Some(2), "{bad:?}");
    assert!(bad.stderr.contains("exit_codes"), "{bad:?}");
    let listed = admin.tasks("limit=50").await.expect("list");
    assert_eq!(
        listed.tasks.len(),
        4,
        "nothing was queued by the refused submit"
    );
}

#[tokio::test]
async fn task_env_file_names_and_listings() {
    let sb = Sandbox::new();
    let coord = local_coordinator(&sb);
    let url = coord.url.as_str();
    let env = sb.path().join("task.env");
    std::fs::write(&env, "# for the task\nGREETING=hello\nOTHER=file\n").unwrap();
    let env = env.display().to_string();
    let out = run_cli(
        &sb,
        url,
        &[
            "server",
            "tasks",
            "submit",
            "--wait",
            "--name",
            "unit tests (py3.12)",
            "--task-env-file",
            &env,
            "--env",
            "OTHER=flag",
            "--",
            "sh",
            "-c",
            "echo $GREETING $OTHER",
        ],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        out.stdout, "hello flag\n",
        "the flag wins over the file: {out:?}"
    );

    let missing = run_cli(
        &sb,
        url,
        &[
            "server",
            "tasks",
            "submit",
            "--task-env-file",
            "/nonexistent/t.env",
            "--",
            "true",
        ],
    );
    assert_eq!(missing.code, Some(2), "{missing:?}");
    assert!(missing.stderr.contains("--task-env-file"), "{missing:?}");

    let list = run_cli(&sb, url, &["server", "tasks", "list"]);
    assert_eq!(list.code, Some(0), "{list:?}");
    for column in ["NAME", "DURATION", "BY", "unit tests (py3.12)"] {
        assert!(list.stdout.contains(column), "{column}: {}", list.stdout);
    }
    let json = run_cli(&sb, url, &["server", "tasks", "list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let task = &doc["tasks"][0];
    assert_eq!(task["name"], "unit tests (py3.12)", "{doc}");
    let id = task["id"].as_str().expect("id").to_string();
    let node = task["node_id"].as_str().expect("node").to_string();

    let show = run_cli(&sb, url, &["server", "tasks", "show", &id]);
    assert!(
        show.stdout.contains("name         unit tests (py3.12)"),
        "{show:?}"
    );
    assert!(show.stdout.contains("retry        never"), "{show:?}");

    let node_show = run_cli(&sb, url, &["server", "nodes", "show", &node]);
    assert_eq!(node_show.code, Some(0), "{node_show:?}");
    assert!(node_show.stdout.contains("recent tasks:"), "{node_show:?}");
    assert!(node_show.stdout.contains(&id), "{node_show:?}");
}

#[tokio::test]
async fn tasks_logs_picks_streams_lines_and_attempts() {
    let sb = Sandbox::new();
    let coord = local_coordinator(&sb);
    let url = coord.url.as_str();
    let counter = sb.path().join("runs");
    // Fails the first time (exit 3, retried by the rule), succeeds the second.
    let script = format!(
        "{}; [ $n -ge 2 ] || exit 3",
        counted(&counter, 0).trim_end_matches("; exit 0")
    );
    let out = run_cli(
        &sb,
        url,
        &[
            "server", "tasks", "submit", "--wait", "--quiet", "--retry", "1", "--", "sh", "-c",
            &script,
        ],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let id = admin_first_task(&coord).await;

    let logs = |args: &[&str]| {
        let mut all = vec!["server", "tasks", "logs", id.as_str()];
        all.extend_from_slice(args);
        run_cli(&sb, url, &all)
    };
    let both = logs(&[]);
    assert_eq!(both.stdout, "out2\nl1\nl2\nl3\n", "{both:?}");
    assert_eq!(both.stderr, "err2\n", "{both:?}");
    let stdout = logs(&["--stdout"]);
    assert_eq!(
        (stdout.stdout.as_str(), stdout.stderr.as_str()),
        ("out2\nl1\nl2\nl3\n", "")
    );
    let stderr = logs(&["--stderr", "--attempt", "1"]);
    assert_eq!(
        (stderr.stdout.as_str(), stderr.stderr.as_str()),
        ("", "err1\n")
    );
    let tail = logs(&["--stdout", "--tail", "2"]);
    assert_eq!(tail.stdout, "l2\nl3\n", "{tail:?}");
    let json = logs(&["--json", "--attempt", "1"]);
    assert_eq!(json.code, Some(0), "{json:?}");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(doc["task_id"], id.as_str());
    assert_eq!(doc["attempt"], 1);
    assert_eq!(doc["stdout"], "out1\nl1\nl2\nl3\n");
    assert_eq!(doc["stderr"], "err1\n");
    // Two pipes give no order between the streams, so only each stream's own order is checked.
    let joined = |stream: &str| -> String {
        doc["chunks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["stream"] == stream)
            .filter_map(|c| c["data"].as_str())
            .collect()
    };
    assert_eq!(
        (joined("stdout").as_str(), joined("stderr").as_str()),
        ("out1\nl1\nl2\nl3\n", "err1\n"),
        "{doc}"
    );
    crate::cli_server::documented().check("server tasks logs ID", &doc);
    let beyond = logs(&["--attempt", "9"]);
    assert_eq!(beyond.code, Some(2), "{beyond:?}");
    assert!(beyond.stderr.contains("made 2 attempt(s)"), "{beyond:?}");
}

async fn admin_first_task(coord: &Coordinator) -> String {
    let list = coord.admin().tasks("limit=1").await.expect("list");
    list.tasks[0].id.clone()
}

/// What a CI runner does to cancel a step: SIGTERM to the waiting client, no terminal. The task
/// ends cancelled on the coordinator and the client exits 143.
#[tokio::test]
async fn sigterm_to_a_waiting_client_cancels_the_task() {
    let sb = Sandbox::new();
    let coord = local_coordinator(&sb);
    let admin = coord.admin();
    let mut waiting = server_cmd(&sb, &coord.url);
    waiting
        .args(["server", "tasks", "submit", "--wait", "--", "sleep", "30"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = waiting.spawn().expect("spawn");
    let pid = child.id() as i32;
    let task = eventually(Duration::from_secs(20), || async {
        let list = admin.tasks("state=running").await.ok()?;
        list.tasks.into_iter().next()
    })
    .await;
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().expect("output"))
        .await
        .expect("join");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("cancelling task"), "{stderr}");
    let ended = wait_done(&admin, &task.id, Duration::from_secs(15)).await;
    assert_eq!(ended.state, TaskState::Cancelled, "{ended:?}");
}

/// An agent killed mid-task is an infrastructure failure: the task runs again (and succeeds)
/// though it had no retry rule.
#[tokio::test]
async fn a_task_of_a_killed_agent_is_still_retried() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    let node = enroll_ok(&sb, &coord.url, &token, &["--name", "victim"]);
    let mut agent = Agent::start(&sb, &[]);
    wait_online(&admin, &node).await;
    let marker = csb.path().join("ran-once");
    let req = sh(&format!(
        "if [ -e {m} ]; then echo second; exit 0; fi; touch {m}; exec sleep 60",
        m = marker.display()
    ));
    let id = submit(&admin, &req).await;
    wait_running(&admin, &id, Duration::from_secs(15)).await;
    eventually(Duration::from_secs(5), || async {
        marker.exists().then_some(())
    })
    .await;
    agent.signal(libc::SIGKILL);
    agent.wait_exit(Duration::from_secs(5));
    let _again = Agent::start(&sb, &[]);
    let done = wait_done(&admin, &id, Duration::from_secs(30)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert_eq!(done.attempt_history.len(), 2, "{done:?}");
    assert_eq!(done.attempt_history[0].outcome, "lost", "{done:?}");
}

/// `agent --ephemeral` takes one task, runs it to its end, leaves the coordinator (offline at
/// once, not when its heartbeats are missed), and exits 0 although the task failed; the next
/// task stays queued.
#[tokio::test]
async fn an_ephemeral_agent_runs_one_task_and_leaves() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "300ms");
    let admin = coord.admin();
    let sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    let node = enroll_ok(&sb, &coord.url, &token, &["--name", "one-job"]);
    let first = submit(&admin, &sh("sleep 1; exit 5")).await;
    let second = submit(&admin, &sh("echo never")).await;
    let mut agent = cmd(&sb);
    agent
        .args(["agent", "--ephemeral"])
        .env("EDGECODER_LOG", "info")
        .env("EDGECODER_HOST_POLICY", "off")
        .env(TASK_USER, "root")
        .env(LANDLOCK, "false")
        .env("EDGECODER_ALLOW_UNCONFINED_TASKS", "true");
    let (code, stdout, stderr) =
        tokio::task::spawn_blocking(move || run_to_end(agent, Duration::from_secs(60)))
            .await
            .expect("join");
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let seen = admin.node(&node).await.expect("node");
    assert!(!seen.online, "offline as soon as it left: {seen:?}");
    assert!(
        format!("{stdout}{stderr}").contains("this node is offline"),
        "{stdout}{stderr}"
    );
    let first = admin.task(&first).await.expect("first");
    assert_eq!(
        (first.state, first.exit_code, first.attempts),
        (TaskState::Failed, Some(5), 1),
        "{first:?}"
    );
    let second = admin.task(&second).await.expect("second");
    assert_eq!(second.state, TaskState::Queued, "{second:?}");
}
