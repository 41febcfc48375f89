//! `edgecoder server …`, `login` and `logout` against a real coordinator process: exit codes
//! passed through, `--json` shapes as documented, following output across a coordinator
//! restart, a CI-style script, and every kind of bad input.

use crate::common::*;
use crate::worker_common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

fn run(sb: &Sandbox, url: &str, args: &[&str]) -> Out {
    cli_with(server_cmd(sb, url), args, None)
}

fn json_of(out: &Out) -> serde_json::Value {
    assert_eq!(out.code, Some(0), "{out:?}");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {out:?}"))
}

/// A one-line error on stderr that starts with `error:` and is no panic.
fn assert_one_line_error(out: &Out, code: i32, needle: &str) {
    assert_eq!(out.code, Some(code), "{out:?}");
    let err = out.stderr.trim_end();
    assert_eq!(err.lines().count(), 1, "one line: {out:?}");
    assert!(err.starts_with("error: "), "{out:?}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    assert!(!out.text().contains("panicked"), "{out:?}");
}

#[test]
fn submit_wait_passes_the_task_exit_code_through() {
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let url = &coord.url;
    let ok = run(
        &sb,
        url,
        &[
            "server", "tasks", "submit", "--wait", "--", "sh", "-c", "exit 0",
        ],
    );
    assert_eq!(ok.code, Some(0), "{ok:?}");
    assert!(ok.stderr.contains("succeeded"), "{ok:?}");

    let three = run(
        &sb,
        url,
        &[
            "server",
            "tasks",
            "submit",
            "--wait",
            "--max-attempts",
            "1",
            "--",
            "sh",
            "-c",
            "exit 3",
        ],
    );
    assert_eq!(three.code, Some(3), "{three:?}");
    assert!(three.stderr.contains("failed"), "{three:?}");

    let slow = run(
        &sb,
        url,
        &[
            "server",
            "tasks",
            "submit",
            "--wait",
            "--timeout",
            "1s",
            "--",
            "sleep",
            "30",
        ],
    );
    assert_eq!(slow.code, Some(124), "{slow:?}");
    assert!(slow.stderr.contains("timed_out"), "{slow:?}");

    // `tasks wait` on a task that is still going gives up after --timeout with 124 too, and the
    // task goes on.
    let id = run(
        &sb,
        url,
        &["server", "tasks", "submit", "--", "sleep", "30"],
    );
    assert_eq!(id.code, Some(0), "{id:?}");
    let id = id.stdout.trim().to_string();
    let gave_up = run(
        &sb,
        url,
        &["server", "tasks", "wait", "--timeout", "500ms", &id],
    );
    assert_eq!(gave_up.code, Some(124), "{gave_up:?}");
    assert!(gave_up.stderr.contains("go on"), "{gave_up:?}");
    let cancelled = run(&sb, url, &["server", "tasks", "cancel", &id[..8]]);
    assert_eq!(cancelled.code, Some(0), "{cancelled:?}");
    let waited = run(&sb, url, &["server", "tasks", "wait", &id]);
    assert_eq!(waited.code, Some(130), "a cancelled task: {waited:?}");
}

/// The documented shapes in docs/json-output.md: named objects and the command table.
pub struct Documented {
    objects: BTreeMap<String, BTreeSet<String>>,
    commands: BTreeMap<String, String>,
}

fn keys_in(braced: &str) -> BTreeSet<String> {
    braced
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .split(',')
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

pub fn documented() -> Documented {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-output.md"))
        .expect("docs/json-output.md");
    let section = doc
        .split("## `edgecoder server … --json`")
        .nth(1)
        .expect("a section for server --json")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let mut objects = BTreeMap::new();
    let mut commands = BTreeMap::new();
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix("- **") {
            let (name, keys) = rest.split_once("** `").expect("- **Name** `{keys}`");
            objects.insert(name.to_string(), keys_in(keys.trim_end_matches('`')));
        } else if let Some(rest) = line.strip_prefix("| `server") {
            let cells: Vec<&str> = rest.split('|').map(str::trim).collect();
            let command = format!("server {}", cells[0].trim_end_matches('`'));
            commands.insert(command, cells[1].to_string());
        }
    }
    Documented { objects, commands }
}

impl Documented {
    /// Checks a printed object against the documented keys of the object `name`.
    pub fn check_object(&self, name: &str, value: &serde_json::Value) {
        let expected = self
            .objects
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in docs/json-output.md"));
        let actual: BTreeSet<String> = value
            .as_object()
            .unwrap_or_else(|| panic!("{name}: an object, got {value}"))
            .keys()
            .cloned()
            .collect();
        assert_eq!(&actual, expected, "{name}: printed keys vs documented keys");
    }

    /// Checks a printed value against the documented shape of `command`.
    pub fn check(&self, command: &str, value: &serde_json::Value) {
        let shape = self
            .commands
            .get(command)
            .unwrap_or_else(|| panic!("{command} is not in docs/json-output.md"));
        let (expected, is_array) = if let Some(inner) = shape.strip_prefix('[') {
            (self.objects[inner.trim_end_matches(']')].clone(), true)
        } else if shape.starts_with('`') {
            (keys_in(shape.trim_matches('`')), false)
        } else {
            (self.objects[shape.as_str()].clone(), false)
        };
        let object = if is_array {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{command}: an array"));
            assert!(!items.is_empty(), "{command}: a non-empty array to check");
            &items[0]
        } else {
            value
        };
        let actual: BTreeSet<String> = object
            .as_object()
            .unwrap_or_else(|| panic!("{command}: an object, got {object}"))
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            actual, expected,
            "{command}: printed keys vs documented keys"
        );
    }
}

#[test]
fn json_output_matches_the_documented_shapes() {
    let doc = documented();
    assert!(
        doc.objects.len() >= 5 && doc.commands.len() >= 12,
        "parsed the doc"
    );
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let url = &coord.url;
    let j = |args: &[&str]| json_of(&run(&sb, url, &[&["server", "--json"], args].concat()));

    doc.check("server status", &j(&["status"]));
    doc.check("server queue", &j(&["queue"]));
    let nodes = j(&["nodes", "list"]);
    doc.check("server nodes list", &nodes);
    let node_id = nodes["nodes"][0]["id"]
        .as_str()
        .expect("the local worker")
        .to_string();
    doc.check("server nodes show ID", &j(&["nodes", "show", &node_id]));

    let submitted = j(&["tasks", "submit", "--", "echo", "hi"]);
    doc.check("server tasks submit -- CMD", &submitted);
    let id = submitted["task"]["id"].as_str().expect("id").to_string();
    let waited = j(&["tasks", "submit", "--wait", "--", "echo", "again"]);
    doc.check("server tasks submit --wait -- CMD", &waited);
    assert_eq!(waited["state"], "succeeded");
    let other = waited["id"].as_str().expect("id").to_string();
    doc.check(
        "server tasks wait ID ID",
        &j(&["tasks", "wait", &id, &other]),
    );
    doc.check("server tasks list", &j(&["tasks", "list"]));
    let shown = j(&["tasks", "show", &id]);
    doc.check("server tasks show ID", &shown);
    assert!(
        !shown["attempt_history"]
            .as_array()
            .expect("attempts")
            .is_empty()
    );
    let queued = j(&["tasks", "submit", "--requires", "gpu", "--", "true"]);
    let gpu_id = queued["task"]["id"].as_str().expect("id").to_string();
    doc.check("server tasks cancel ID", &j(&["tasks", "cancel", &gpu_id]));
    doc.check(
        "server tokens create",
        &j(&["tokens", "create", "--name", "ci"]),
    );
    doc.check("server tokens list", &j(&["tokens", "list"]));

    // `events --json` prints JSON lines as they arrive; read the backlog, then stop it.
    let mut events = server_cmd(&sb, url);
    events
        .args(["server", "events", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = events.spawn().expect("events");
    let stdout = child.stdout.take().expect("stdout");
    let first = std::io::BufRead::lines(std::io::BufReader::new(stdout))
        .next()
        .expect("an event line")
        .expect("read");
    let _ = child.kill();
    let _ = child.wait();
    doc.check(
        "server events",
        &serde_json::from_str(&first).expect("JSON line"),
    );
}

/// A task writes lines for a few seconds while the coordinator is stopped and started again on
/// the same port: `--follow` prints every line exactly once and exits with the task's code.
#[tokio::test]
async fn follow_survives_a_coordinator_restart() {
    let csb = Sandbox::new();
    let mut coord = fast_coordinator(&csb, "300ms");
    let port = port_of(&coord.url);
    let _node = start_node(&coord, "steady", &[("MAX_CONCURRENT_TASKS", "1")]).await;

    let mut follow = server_cmd(&csb, &coord.url);
    follow
        .args([
            "server",
            "tasks",
            "submit",
            "--follow",
            "--max-attempts",
            "1",
        ])
        .args(["--", "sh", "-c"])
        .arg("for i in 1 2 3 4 5 6 7 8 9 10; do echo line-$i; sleep 0.4; done; exit 7")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = follow.spawn().expect("follow");
    // Lines as `--follow` prints them, so the restart can wait for the first one.
    let stdout = child.stdout.take().expect("stdout");
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    let stdout_reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
            all.push_str(&line);
            all.push('\n');
            let _ = lines_tx.send(line);
        }
        all
    });
    let output = std::thread::spawn(move || child.wait_with_output().expect("output"));

    // Stopped mid-task, once `--follow` has printed output of it: lines before the restart
    // and lines after it must both come out exactly once.
    let first = tokio::task::spawn_blocking(move || lines.recv_timeout(Duration::from_secs(30)))
        .await
        .expect("join")
        .expect("--follow printed the task's first line");
    assert_eq!(first, "line-1");
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(15)), Some(0));
    // Started again at once: the follower's stream died with the old process, so it must
    // reconnect whatever the pause (no guessed outage; a pause also lets another test take
    // the port).
    let mut opts = fast_coordinator_options(&csb, "300ms");
    opts.args = vec![
        "--port".into(),
        port.to_string(),
        "--mode".into(),
        "coordinator".into(),
    ];
    let _coord = Coordinator::start_with(&csb, opts);

    let out = tokio::task::spawn_blocking(move || output.join().expect("join"))
        .await
        .expect("join");
    let stdout = stdout_reader.join().expect("stdout reader");
    let expected: String = (1..=10).map(|i| format!("line-{i}\n")).collect();
    assert_eq!(
        stdout,
        expected,
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(7));
}

/// What a CI job does: `set -e`, twenty submissions, one wait on all, no terminal anywhere.
#[test]
fn a_ci_script_submits_twenty_tasks_and_waits_unattended() {
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let script = sb.path().join("ci.sh");
    std::fs::write(
        &script,
        r#"set -eu
ids=""
for i in $(seq 1 20); do
  ids="$ids $("$EDGECODER" server tasks submit -- sh -c "echo task-$i")"
done
"$EDGECODER" server tasks wait $ids
echo ALL-DONE
"$EDGECODER" server tasks submit --wait --max-attempts 1 -- sh -c 'exit 5'
echo NOT-REACHED
"#,
    )
    .expect("script");
    let mut c = server_cmd(&sb, &coord.url);
    c.env("EDGECODER", bin());
    let out = cli_with_program(c, "sh", &[script.to_str().expect("path")]);
    assert!(out.stdout.contains("ALL-DONE"), "{out:?}");
    assert!(!out.stdout.contains("NOT-REACHED"), "{out:?}");
    assert_eq!(
        out.code,
        Some(5),
        "the failing task's code stops the script: {out:?}"
    );
    assert_eq!(out.stderr.matches("succeeded").count(), 20, "{out:?}");
    assert!(
        !out.text().contains('\u{1b}'),
        "no terminal escapes without a TTY: {out:?}"
    );
}

/// Runs another program (a shell) with the sandbox's environment.
fn cli_with_program(template: Command, program: &str, args: &[&str]) -> Out {
    let mut c = Command::new(program);
    for (k, v) in template.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    if let Some(dir) = template.get_current_dir() {
        c.current_dir(dir);
    }
    cli_with(c, args, None)
}

#[tokio::test]
async fn bad_input_gets_a_one_line_error_and_the_right_exit_code() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let url = &coord.url;
    let admin = coord.admin();
    // Seventeen tasks: two of them must share a first hex digit.
    let mut ids = Vec::new();
    for _ in 0..17 {
        ids.push(admin.submit(&sh("true")).await.expect("submit").task.id);
    }
    let shared = ids
        .iter()
        .map(|id| &id[..1])
        .find(|p| ids.iter().filter(|id| id.starts_with(*p)).count() > 1)
        .expect("a shared prefix");

    assert_one_line_error(
        &run(&sb, url, &["server", "tasks", "show", "abcdef0123"]),
        4,
        "no task",
    );
    assert_one_line_error(
        &run(&sb, url, &["server", "tasks", "show", shared]),
        5,
        "more than one",
    );
    assert_one_line_error(
        &run(&sb, url, &["server", "nodes", "approve", "nobody"]),
        4,
        "node",
    );
    let bad_duration = [
        "server",
        "tasks",
        "submit",
        "--timeout",
        "soon",
        "--",
        "true",
    ];
    assert_one_line_error(&run(&sb, url, &bad_duration), 2, "30s");
    let bad_size = [
        "server",
        "tasks",
        "submit",
        "--min-memory",
        "4X",
        "--",
        "true",
    ];
    assert_one_line_error(&run(&sb, url, &bad_size), 2, "512M");
    assert_one_line_error(
        &run(&sb, url, &["server", "tasks", "list", "--state", "done"]),
        2,
        "queued",
    );
    assert_one_line_error(&run(&sb, url, &["server", "tasks", "submit"]), 2, "--");
    let nothing_new = admin.tasks("limit=100").await.expect("list").tasks.len();
    assert_eq!(nothing_new, 17, "no bad submission reached the queue");

    let mut wrong = server_cmd(&sb, url);
    wrong.env("EDGECODER_TOKEN", "eca_not-a-real-token");
    assert_one_line_error(&cli_with(wrong, &["server", "status"], None), 3, "token");

    let down = format!("http://127.0.0.1:{}", free_port());
    assert_one_line_error(
        &run(&sb, &down, &["server", "status"]),
        6,
        "edgecoder serve",
    );

    // Something that answers HTTP but is not a coordinator.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let garbage_url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            let _ = std::io::Write::write_all(
                &mut stream,
                b"HTTP/1.1 200 OK\r\ncontent-length: 11\r\nconnection: close\r\n\r\nhello world",
            );
        }
    });
    assert_one_line_error(
        &run(&sb, &garbage_url, &["server", "status"]),
        1,
        "not edgecoder",
    );

    // A token is never sent over plain HTTP to another machine without --allow-insecure.
    let remote = run(&sb, "http://192.0.2.10:4301", &["server", "status"]);
    assert_one_line_error(&remote, 2, "allow-insecure");
}

#[test]
fn login_checks_the_token_and_keeps_it_private() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let plain = |args: &[&str], stdin: Option<&str>| {
        let mut c = cmd(&sb);
        c.env("EDGECODER_URL", &coord.url);
        cli_with(c, args, stdin)
    };
    let login_file = sb.path().join("config-home/edgecoder/logins.json");

    let refused = plain(&["login"], Some("eca_wrong\n"));
    assert_one_line_error(&refused, 3, "token");
    assert!(!login_file.exists(), "a refused token is not stored");

    let anonymous = plain(&["server", "status"], None);
    assert_one_line_error(&anonymous, 3, "edgecoder login");

    let ok = plain(&["login"], Some(&format!("{ADMIN_TOKEN}\n")));
    assert_eq!(ok.code, Some(0), "{ok:?}");
    assert!(
        ok.stdout.contains("0600"),
        "says where the token went: {ok:?}"
    );
    assert!(!ok.text().contains(ADMIN_TOKEN), "never prints the token");
    let mode = std::fs::metadata(&login_file)
        .expect("login file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let status = plain(&["server", "status"], None);
    assert_eq!(status.code, Some(0), "the stored token is used: {status:?}");

    let out = plain(&["logout"], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_one_line_error(&plain(&["server", "status"], None), 3, "edgecoder login");
}

/// `--server` > EDGECODER_URL > COORDINATOR_URL (env file) > the local server.json.
#[test]
fn the_coordinator_is_found_in_the_documented_order() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let dead = format!("http://127.0.0.1:{}", free_port());
    let with_token = || {
        let mut c = cmd(&sb);
        c.env("EDGECODER_TOKEN", ADMIN_TOKEN);
        c
    };
    let status =
        |c: Command, extra: &[&str]| cli_with(c, &[&["server", "status"], extra].concat(), None);

    // Nothing set: the running coordinator's server.json in the data dir.
    let found = status(with_token(), &[]);
    assert_eq!(found.code, Some(0), "{found:?}");
    assert!(found.stdout.contains(&coord.url), "{found:?}");

    // The env file's COORDINATOR_URL comes before server.json.
    std::fs::create_dir_all(sb.env_file().parent().expect("dir")).expect("dir");
    std::fs::write(sb.env_file(), format!("COORDINATOR_URL={dead}\n")).expect("env file");
    assert_eq!(status(with_token(), &[]).code, Some(6));

    // EDGECODER_URL comes before the env file, and --server before EDGECODER_URL.
    let mut c = with_token();
    c.env("EDGECODER_URL", &coord.url);
    assert_eq!(status(c, &[]).code, Some(0));
    let mut c = with_token();
    c.env("EDGECODER_URL", &dead);
    assert_eq!(status(c, &["--server", &coord.url]).code, Some(0));
}

/// Ctrl-C (SIGINT) while a script waits (no terminal): no question is asked, the task is
/// cancelled as a CI runner's cancel expects (issue 17), and the wait ends with 130.
#[tokio::test]
async fn interrupting_an_unattended_wait_cancels_the_task() {
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let admin = coord.admin();
    let mut waiting = server_cmd(&sb, &coord.url);
    waiting
        .args(["server", "tasks", "submit", "--wait", "--", "sleep", "30"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = waiting.spawn().expect("spawn");
    let pid = child.id() as i32;
    let task = eventually(Duration::from_secs(20), || async {
        let list = admin.tasks("state=running").await.ok()?;
        list.tasks.into_iter().next()
    })
    .await;
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().expect("output"))
        .await
        .expect("join");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("SIGINT with no terminal"), "{stderr}");
    assert!(
        !stderr.contains("[y/N]"),
        "no question without a terminal: {stderr}"
    );
    let ended = eventually(Duration::from_secs(15), || async {
        admin
            .task(&task.id)
            .await
            .ok()
            .filter(|t| t.state.is_terminal())
    })
    .await;
    assert_eq!(ended.state, edgecoder::api::TaskState::Cancelled);
}

/// `server events` rides out a coordinator restart even when it had seen no event yet, and prints
/// what happens after it.
#[tokio::test]
async fn events_keep_following_across_a_restart() {
    let sb = Sandbox::new();
    let mut coord = Coordinator::start_with(&sb, coordinator_only());
    let port = port_of(&coord.url);
    let mut events = server_cmd(&sb, &coord.url);
    events
        // Past the bootstrap's one event: nothing is printed before the restart.
        .args(["server", "events", "--after", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = events.spawn().expect("events");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Stopped once the follower is connected (its stream counts as answered when it starts),
    // so it is a live stream that the restart cuts.
    eventually(Duration::from_secs(20), || async {
        (requests_answered(&coord.url, "/api/v1/events").await >= 1).then_some(())
    })
    .await;
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(15)), Some(0));
    let mut opts = coordinator_only();
    opts.args = vec![
        "--port".into(),
        port.to_string(),
        "--mode".into(),
        "coordinator".into(),
    ];
    let coord = Coordinator::start_with(&sb, opts);
    let id = coord
        .admin()
        .submit(&sh("true"))
        .await
        .expect("submit")
        .task
        .id;
    let seen = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
                && line.contains("task.submitted")
                && line.contains(&id)
            {
                return true;
            }
        }
        false
    })
    .await
    .expect("join");
    let still_running = child.try_wait().expect("try_wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "server events gave up during the restart");
    assert!(seen, "the event after the restart was printed");
}
