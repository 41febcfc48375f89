//! Issue 12, section 1: a task must reach nothing of its coordinator's or agent's. Each test
//! runs the daemon as an unprivileged user (through `setpriv` when the test runs as root), as a
//! developer's shell or the packaged unit would, where only Landlock stands between a task
//! and the daemon's files: the task tries each forbidden read, write and signal and prints
//! `DENIED:<what>` or `LEAK:<what>` for each.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The uid and gid daemons run as when the test runs as root (`nobody`).
const UNPRIVILEGED: u32 = 65534;

/// Landlock is what these tests exercise: without it they cannot pass, and CI must have it.
fn require_landlock() -> bool {
    if edgecoder::agent::sandbox::confine::abi().is_some() {
        return true;
    }
    skip_unless_ci("this kernel offers no Landlock");
    false
}

/// Hands the sandbox to the unprivileged user (as root) so a daemon run as that user can use
/// it; returns the program to start the binary with and the arguments before the binary's.
fn unprivileged_command(sb: &Sandbox) -> Command {
    if !is_root() {
        return sb.command();
    }
    chown_tree(sb.path());
    let mut cmd = sb.command_for(Path::new("setpriv"));
    cmd.args([
        format!("--reuid={UNPRIVILEGED}"),
        format!("--regid={UNPRIVILEGED}"),
        "--clear-groups".to_string(),
        "--".to_string(),
        reachable_binary(sb).display().to_string(),
    ]);
    cmd
}

fn chown_tree(path: &Path) {
    std::os::unix::fs::lchown(path, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).expect("chown");
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        for entry in fs::read_dir(path).expect("read_dir") {
            chown_tree(&entry.expect("entry").path());
        }
    }
}

/// The test binary when every directory above it lets others through, else a copy in the
/// sandbox (a build dir under a private home).
fn reachable_binary(sb: &Sandbox) -> PathBuf {
    let bin = PathBuf::from(bin());
    let open = bin
        .ancestors()
        .skip(1)
        .all(|dir| fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
    if open {
        return bin;
    }
    let copy = sb.path().join("edgecoder-bin");
    fs::copy(&bin, &copy).expect("copy the binary");
    std::os::unix::fs::chown(&copy, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).expect("chown");
    copy
}

/// Polls `check` for up to 20 s.
fn wait_for<T>(mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "not within 20 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The script every attack task runs: one line per attempt, which must all be refused.
/// `DATA`, `ENVFILE`, `TARGET_PID`, `OTHER` and `EXTRA` come from the task's environment.
const ATTACK: &str = r#"
try() { what=$1; shift; if "$@" >/dev/null 2>&1; then echo "LEAK:$what"; else echo "DENIED:$what"; fi; }
try db-read cat "$DATA/edgecoder.db"
try db-write sh -c 'printf x >> "$DATA/edgecoder.db"'
try wal-read cat "$DATA/edgecoder.db-wal"
try wal-write sh -c 'printf x >> "$DATA/edgecoder.db-wal"'
try data-dir-list ls "$DATA"
try env-file cat "$ENVFILE"
try worker-secret cat "$DATA/local-worker.secret"
try ledger-key cat "$DATA/ledger-signing.key"
try server-json cat "$DATA/server.json"
try environ cat /proc/$TARGET_PID/environ
try mem dd if=/proc/$TARGET_PID/mem of=/dev/null bs=1 count=1 skip=4096
try signal kill -0 $TARGET_PID
try other-task cat "$OTHER/mine"
try extra cat "$EXTRA"
try home ls "$OWNER_HOME"
echo "own:$(echo ok > own && cat own)"
echo END
"#;

fn attack_task(env: &[(&str, String)]) -> SubmitRequest {
    let mut req = script(ATTACK);
    for (k, v) in env {
        req.env.insert((*k).to_string(), v.clone());
    }
    req.timeout_secs = Some(60);
    req.max_attempts = Some(1);
    req
}

/// Asserts the task tried every attempt and each was refused.
fn assert_all_denied(log: &str, attempts: &[&str]) {
    assert!(
        log.contains("own:ok"),
        "the task could not use its own dir:\n{log}"
    );
    assert!(log.contains("END"), "the task did not finish:\n{log}");
    assert!(
        !log.contains("LEAK:"),
        "a task reached what it must not:\n{log}"
    );
    for what in attempts {
        assert!(
            log.contains(&format!("DENIED:{what}")),
            "no {what} attempt:\n{log}"
        );
    }
}

/// A coordinator run as an unprivileged user with its local worker: a `script` task can
/// neither read nor write its database, read its env file, credentials, ledger key,
/// server.json, environment or memory, nor another task's dir, nor signal it; the tokens
/// are unchanged after.
#[tokio::test]
async fn a_task_on_the_local_worker_reaches_nothing_of_its_coordinator() {
    if !require_landlock() {
        return;
    }
    let sb = Sandbox::new();
    fs::create_dir_all(sb.env_file().parent().expect("parent")).expect("config dir");
    fs::write(
        sb.env_file(),
        "# owner's settings\nMAX_CONCURRENT_TASKS=2\n",
    )
    .expect("env");
    let coord =
        Coordinator::try_start_cmd(unprivileged_command(&sb), CoordinatorOptions::default())
            .unwrap_or_else(|e| panic!("coordinator did not start: {e}"));
    let out = wait_for(|| Some(coord.stdout()).filter(|o| o.contains("local worker:")));
    assert!(out.contains("task protections: landlock ABI"), "{out}");
    assert!(out.contains("local worker: on"), "{out}");
    let admin = coord.admin();
    let data = sb.data_dir();
    for file in [
        "edgecoder.db",
        "edgecoder.db-wal",
        "local-worker.secret",
        "ledger-signing.key",
        "server.json",
    ] {
        let path = data.join(file);
        let meta = eventually(Duration::from_secs(20), || async {
            fs::metadata(&path).ok()
        })
        .await;
        assert_eq!(
            meta.permissions().mode() & 0o077,
            0,
            "{file} is open to others"
        );
    }
    assert_eq!(
        fs::metadata(&data).expect("data dir").permissions().mode() & 0o777,
        0o700
    );
    let tokens_before = admin.tokens().await.expect("tokens").len();

    // Another task, still running, whose dir the attack must not reach.
    let other = submit(
        &admin,
        &script("echo private > mine\necho \"dir:$PWD\"\nsleep 60\n"),
    )
    .await;
    let other_dir = eventually(Duration::from_secs(30), || async {
        let log = full_log(&admin, &other).await;
        log.lines()
            .find_map(|l| l.strip_prefix("dir:"))
            .map(str::to_string)
    })
    .await;

    let serve_pid = coord.child.id().to_string();
    let task = attack_task(&[
        ("DATA", data.display().to_string()),
        ("ENVFILE", sb.env_file().display().to_string()),
        ("TARGET_PID", serve_pid),
        ("OTHER", other_dir),
        ("EXTRA", sb.path().join("logs").display().to_string()),
        ("OWNER_HOME", sb.path().join("home").display().to_string()),
    ]);
    let id = submit(&admin, &task).await;
    let done = wait_done(&admin, &id, Duration::from_secs(60)).await;
    let log = full_log(&admin, &id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}\n{log}");
    assert_all_denied(
        &log,
        &[
            "db-read",
            "db-write",
            "wal-read",
            "wal-write",
            "data-dir-list",
            "env-file",
            "worker-secret",
            "ledger-key",
            "server-json",
            "environ",
            "mem",
            "signal",
            "other-task",
        ],
    );
    assert_eq!(admin.tokens().await.expect("tokens").len(), tokens_before);
    assert_eq!(admin.whoami().await.expect("whoami").role, Role::Admin);
    let _ = admin.cancel(&other).await;
}

/// A running agent, its output in a file; killed when dropped.
struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Daemon {
    fn start(mut cmd: Command, log: PathBuf) -> Daemon {
        let file = fs::File::create(&log).expect("log file");
        cmd.stdout(file.try_clone().expect("clone")).stderr(file);
        Daemon {
            child: cmd.spawn().expect("spawn"),
            log,
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log)
            .unwrap_or_else(|e| format!("(cannot read {}: {e})", self.log.display()))
    }

    fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Enrolls a fresh machine with the coordinator and starts its agent as the unprivileged
/// owner with `env`.
async fn unprivileged_agent(
    coord: &Coordinator,
    env: &[(&str, &str)],
) -> (Sandbox, Daemon, String) {
    let sb = Sandbox::new();
    let token = enroll_token(&coord.admin(), true, 1).await;
    let id = enroll_ok(&sb, &coord.url, &token, &["--name", "owner"]);
    fs::create_dir_all(sb.path().join("home/projects")).expect("home");
    fs::write(sb.path().join("home/projects/notes"), "private").expect("notes");
    let mut cmd = unprivileged_command(&sb);
    cmd.arg("agent")
        .env("EDGECODER_LOG", "info")
        .env("EDGECODER_LOG_DIR", sb.path().join("logs"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let log = sb.path().join("agent.out");
    let agent = Daemon::start(cmd, log);
    (sb, agent, id)
}

/// The README's flow: `edgecoder agent` run as its owner. A task from an ordinary user token
/// cannot read the node secret, the env file, the agent's data, nor the owner's home.
#[tokio::test]
async fn a_task_on_an_owners_agent_reaches_nothing_of_the_owner() {
    if !require_landlock() {
        return;
    }
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let (sb, agent, id) = unprivileged_agent(&coord, &[]).await;
    wait_online(&coord.admin(), &id).await;
    let log = wait_for(|| Some(agent.log()).filter(|l| l.contains("task protections:")));
    assert!(log.contains("task protections: landlock ABI"), "{log}");

    let user = coord
        .admin()
        .create_token(&TokenCreateRequest {
            role: Some(Role::User),
            ..Default::default()
        })
        .await
        .expect("user token")
        .token;
    let user = coord.client(&user);
    let task = attack_task(&[
        ("DATA", sb.data_dir().display().to_string()),
        ("ENVFILE", sb.env_file().display().to_string()),
        ("TARGET_PID", agent.child.id().to_string()),
        ("OTHER", sb.path().join("home").display().to_string()),
        ("EXTRA", credential_path(&sb).display().to_string()),
        ("OWNER_HOME", sb.path().join("home").display().to_string()),
    ]);
    let task_id = user.submit(&task).await.expect("submit").task.id;
    let done = wait_done(&coord.admin(), &task_id, Duration::from_secs(60)).await;
    let log = full_log(&coord.admin(), &task_id).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}\n{log}");
    assert!(credential_path(&sb).exists());
    assert_all_denied(
        &log,
        &[
            "env-file",
            "environ",
            "mem",
            "signal",
            "extra",
            "home",
            "data-dir-list",
        ],
    );
}

/// With Landlock turned off by its owner, an unprivileged agent has no confinement: it
/// says so and refuses to take work, unless the owner allows unconfined tasks.
#[tokio::test]
async fn an_unconfined_agent_refuses_work_unless_its_owner_allows_it() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let (_sb, mut agent, _) =
        unprivileged_agent(&coord, &[("EDGECODER_TASK_LANDLOCK", "false")]).await;
    let status = agent
        .wait_exit(Duration::from_secs(20))
        .expect("the agent kept running");
    assert!(!status.success());
    let log = agent.log();
    assert!(log.contains("landlock off"), "{log}");
    assert!(log.contains("EDGECODER_ALLOW_UNCONFINED_TASKS"), "{log}");

    let (_sb, mut allowed, id) = unprivileged_agent(
        &coord,
        &[
            ("EDGECODER_TASK_LANDLOCK", "false"),
            ("EDGECODER_ALLOW_UNCONFINED_TASKS", "true"),
        ],
    )
    .await;
    wait_online(&coord.admin(), &id).await;
    assert!(allowed.wait_exit(Duration::from_millis(200)).is_none());
}

/// The same for the coordinator's local worker: the coordinator serves, its worker does not.
#[tokio::test]
async fn an_unconfined_local_worker_is_not_started() {
    let sb = Sandbox::new();
    let opts = CoordinatorOptions {
        env: vec![("EDGECODER_TASK_LANDLOCK".into(), "false".into())],
        ..Default::default()
    };
    let coord = Coordinator::try_start_cmd(unprivileged_command(&sb), opts)
        .unwrap_or_else(|e| panic!("coordinator did not start: {e}"));
    let out = wait_for(|| Some(coord.stdout()).filter(|o| o.contains("local worker:")));
    assert!(out.contains("local worker: refused"), "{out}");
    assert!(!out.contains("local worker: on"), "{out}");
    coord
        .admin()
        .whoami()
        .await
        .expect("the coordinator still serves");
}

/// `kill -9` of an agent: within a second none of its task's processes is left, neither a
/// background child nor one that left the process group with `setsid`.
#[tokio::test]
async fn a_tasks_processes_die_within_a_second_of_their_agent() {
    if !edgecoder::agent::sandbox::pids_cgroup_available() {
        // The reaper kills a dead worker's task cgroups: without them there is nothing to test.
        skip_unless_ci("no pids cgroup can be made here");
        return;
    }
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let node = start_node_default_user(&coord, "doomed", &[]).await;
    let mut task = script("sleep 300 &\necho bg:$!\nsetsid sleep 300 &\necho sid:$!\nwait\n");
    task.timeout_secs = Some(120);
    let id = submit(&admin, &task).await;
    let pids: Vec<i32> = eventually(Duration::from_secs(30), || async {
        let log = full_log(&admin, &id).await;
        let pid = |prefix: &str| {
            log.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .and_then(|p| p.trim().parse::<i32>().ok())
        };
        Some(vec![pid("bg:")?, pid("sid:")?])
    })
    .await;
    for pid in &pids {
        assert!(process_alive(*pid), "{pid} is not running");
    }
    node.agent.signal(libc::SIGKILL);
    let killed = Instant::now();
    for pid in &pids {
        let left = Duration::from_secs(1).saturating_sub(killed.elapsed());
        assert!(
            gone_within(*pid, left),
            "process {pid} outlived its agent by a second"
        );
    }
}
