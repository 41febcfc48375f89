//! Tasks that misbehave, run by a real `edgecoder agent` against a real coordinator: timeouts
//! that must take the whole process group, output floods, signals, missing programs, the
//! secrets a task must never see, fork bombs, processes that leave the group, and a root
//! agent's tasks running as an unprivileged user.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// Taken for writing by the fork bomb test and for reading by the others: where no pids cgroup
/// holds it, the bomb uses up its user's RLIMIT_NPROC for a moment, and tasks of other tests
/// running as that user could not fork meanwhile.
static BOMB: RwLock<()> = RwLock::const_new(());

/// A timeout ends the task `timed_out` and kills its whole process group, a backgrounded
/// grandchild included; a task that ignores SIGTERM is still ended (SIGKILL after the grace).
#[tokio::test]
async fn timeout_kills_the_whole_process_group() {
    let _bomb = BOMB.read().await;
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let node = start_node(&coord, "timer", &[("MAX_CONCURRENT_TASKS", "2")]).await;

    let grandchild_file = csb.path().join("grandchild.pid");
    let mut forks = script("sleep 1000 &\necho $! > \"$PIDFILE\"\nsleep 1000\n");
    forks
        .env
        .insert("PIDFILE".into(), grandchild_file.display().to_string());
    forks.timeout_secs = Some(2);
    forks.max_attempts = Some(1);

    let stubborn_file = csb.path().join("stubborn.pid");
    let mut stubborn = script("trap '' TERM\nsleep 1000 &\necho $! > \"$PIDFILE\"\nwait $!\n");
    stubborn
        .env
        .insert("PIDFILE".into(), stubborn_file.display().to_string());
    stubborn.timeout_secs = Some(1);
    stubborn.max_attempts = Some(1);

    let started = Instant::now();
    let forks = submit(&admin, &forks).await;
    let stubborn = submit(&admin, &stubborn).await;
    let grandchild = read_pid(&grandchild_file, Duration::from_secs(15));
    let stubborn_child = read_pid(&stubborn_file, Duration::from_secs(15));
    assert!(process_alive(grandchild) && process_alive(stubborn_child));

    let t = wait_done(&admin, &forks, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::TimedOut, "{t:?}");
    assert_eq!(t.exit_code, Some(124));
    assert_eq!(t.node_id.as_deref(), Some(node.id.as_str()));
    assert!(
        gone_within(grandchild, Duration::from_secs(3)),
        "the grandchild {grandchild} outlived the timeout"
    );

    let t = wait_done(&admin, &stubborn, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::TimedOut, "{t:?}");
    assert!(
        gone_within(stubborn_child, Duration::from_secs(3)),
        "the process ignoring SIGTERM ({stubborn_child}) outlived the timeout"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

/// Bad tasks fail cleanly and leave the agent healthy: an output flood is cut (and says so), a
/// task killed by a signal says which, a missing program exits 127, and a task's environment
/// holds neither the node secret nor the enrollment token (both scrubbed from what it inherits).
#[tokio::test]
async fn bad_tasks_fail_cleanly_and_secrets_stay_out_of_tasks() {
    let _bomb = BOMB.read().await;
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    // Enroll by hand so the agent's own environment holds the enrollment token, as it would
    // when an installer leaves AGENT_REGISTRATION_TOKEN in the service's env file.
    let sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    let node_id = enroll_ok(&sb, &coord.url, &token, &["--name", "victim"]);
    let secret = node_secret(&sb);
    let mut agent = Agent::start(
        &sb,
        &[
            ("MAX_CONCURRENT_TASKS", "2"),
            ("AGENT_REGISTRATION_TOKEN", token.as_str()),
        ],
    );
    wait_online(&admin, &node_id).await;

    let one_try = |mut req: SubmitRequest| {
        req.max_attempts = Some(1);
        req
    };
    let flood = submit(
        &admin,
        &one_try(sh("head -c 200000000 /dev/zero | tr '\\0' a")),
    )
    .await;
    let signalled = submit(&admin, &one_try(sh("echo going; kill -9 $$"))).await;
    let missing = submit(
        &admin,
        &one_try(SubmitRequest::argv(vec![
            "edgecoder-no-such-program-xyz".into(),
        ])),
    )
    .await;
    let mut env_req = one_try(SubmitRequest::argv(vec!["env".into()]));
    env_req.env.insert("TASK_OWN".into(), "visible".into());
    let env_task = submit(&admin, &env_req).await;
    let mut elsewhere = sh("echo never");
    elsewhere
        .requirements
        .labels
        .insert("zone".into(), "mars".into());
    let elsewhere = submit(&admin, &elsewhere).await;

    let t = wait_done(&admin, &flood, Duration::from_secs(60)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    let note = t.error.clone().unwrap_or_default();
    assert!(
        note.contains("output cut") && note.contains("200000000"),
        "the run says its output was cut: {note:?}"
    );
    let log_len = full_log(&admin, &flood).await.len();
    assert!(
        log_len <= 16 << 20,
        "stored output is capped, got {log_len} bytes"
    );
    assert!(
        log_len >= 1 << 20,
        "output up to the cap is kept: {log_len}"
    );

    let t = wait_done(&admin, &signalled, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Failed, "{t:?}");
    assert!(
        t.error
            .as_deref()
            .unwrap_or_default()
            .contains("killed by signal 9"),
        "{t:?}"
    );
    assert_eq!(t.exit_code, Some(128 + 9));
    assert_eq!(full_log(&admin, &signalled).await, "going\n");

    let t = wait_done(&admin, &missing, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Failed, "{t:?}");
    assert_eq!(t.exit_code, Some(127), "{t:?}");
    assert!(
        full_log(&admin, &missing)
            .await
            .contains("edgecoder-no-such-program-xyz"),
        "the log names the missing program"
    );

    let t = wait_done(&admin, &env_task, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    let env = full_log(&admin, &env_task).await;
    assert!(env.contains("TASK_OWN=visible"), "{env}");
    assert!(env.contains("PATH="), "{env}");
    assert!(!env.contains(&secret), "the node secret leaked:\n{env}");
    assert!(!env.contains(&token), "the enrollment token leaked:\n{env}");
    for inherited in [
        "AGENT_REGISTRATION_TOKEN",
        "EDGECODER_",
        "ADMIN_API_TOKEN",
        "MAX_CONCURRENT_TASKS",
    ] {
        assert!(
            !env.contains(inherited),
            "{inherited} reached the task:\n{env}"
        );
    }

    // Still healthy after all that: it takes and runs the next task.
    let next = submit(&admin, &sh("echo still-here")).await;
    let t = wait_done(&admin, &next, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    assert_eq!(t.node_id.as_deref(), Some(node_id.as_str()));
    assert_eq!(full_log(&admin, &next).await, "still-here\n");
    assert!(agent.running(), "agent still running:\n{}", agent.log());
    // A task whose requirements this node does not meet was never offered to it.
    let t = admin.task(&elsewhere).await.unwrap();
    assert_eq!(t.state, TaskState::Queued, "{t:?}");
    assert!(t.attempt_history.is_empty(), "{t:?}");
}

/// Live processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmd| String::from_utf8_lossy(&cmd).contains(needle))
        })
        .filter(|pid| process_alive(*pid))
        .collect()
}

/// A root agent with no task user set runs tasks as `nobody`: `id -u` says so, a root-owned
/// 0755 directory is closed to the task while its workdir is its own. Its data dir is made
/// private (0700) here, which nobody cannot pass, so the workdirs go under a private temp dir
/// of the agent's, removed when it stops.
#[tokio::test]
async fn root_agent_runs_tasks_as_nobody() {
    let _bomb = BOMB.read().await;
    if !is_root() {
        skip_unless_ci("the agent is not root, so its tasks run as its own user");
        return;
    }
    let Some(nobody) = edgecoder::agent::task_user::lookup("nobody").expect("lookup") else {
        skip_unless_ci("there is no user nobody here");
        return;
    };
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let sb = Sandbox::new();
    std::fs::set_permissions(sb.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let token = enroll_token(&admin, true, 1).await;
    let node_id = enroll_ok(&sb, &coord.url, &token, &["--name", "dropper"]);
    let mut agent = Agent::start_default_user(&sb, &[]);
    wait_online(&admin, &node_id).await;
    agent.wait_for_log("tasks run as an unprivileged user", Duration::from_secs(10));
    agent.wait_for_log("task workdirs go under", Duration::from_secs(10));

    let closed = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(closed.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut req = script(
        "id -u\n\
         echo x 2>/dev/null > \"$CLOSED/x\" && echo wrote-closed || echo closed-denied\n\
         echo mine > mine && cat mine\n\
         echo tmp > \"$TMPDIR/t\" && cat \"$TMPDIR/t\"\n",
    );
    req.env
        .insert("CLOSED".into(), closed.path().display().to_string());
    req.max_attempts = Some(1);
    let id = submit(&admin, &req).await;
    let t = wait_done(&admin, &id, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    assert_eq!(
        full_log(&admin, &id).await,
        format!("{}\nclosed-denied\nmine\ntmp\n", nobody.uid)
    );
    assert!(!closed.path().join("x").exists());

    let log = agent.log();
    let moved = log
        .split("task workdirs go under ")
        .nth(1)
        .and_then(|rest| rest.split(" for this run").next())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| panic!("the agent says where workdirs went:\n{log}"));
    assert!(moved.is_dir(), "{}", moved.display());
    agent.signal(libc::SIGTERM);
    agent.wait_exit(Duration::from_secs(15));
    assert!(!moved.exists(), "{} outlived the agent", moved.display());
}

/// A fork bomb (`f(){ f|f & }; f`) ends timed out or failed, nothing of it survives, and the
/// agent goes on taking work. The script refuses to fork unless something holds it (a pids
/// cgroup, or a user other than root, whom RLIMIT_NPROC holds).
#[tokio::test]
async fn fork_bomb_is_contained_and_leaves_nothing_behind() {
    let _bomb = BOMB.write().await;
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let mut node = start_node_default_user(&coord, "bombed", &[]).await;
    node.agent
        .wait_for_log("registered; approved", Duration::from_secs(10));
    if is_root()
        && !node
            .agent
            .log()
            .contains("tasks run as an unprivileged user")
        && !node.agent.log().contains("each task runs in a pids cgroup")
    {
        skip_unless_ci("tasks would run as root with no pids cgroup; a bomb would not be held");
        return;
    }
    let mut req = script(
        "if [ \"$(id -u)\" = 0 ] && ! grep -q /edgecoder/ /proc/self/cgroup; then\n\
           echo not contained; exit 99\n\
         fi\n\
         f(){ f|f & }; f\n\
         sleep 10\n",
    );
    req.timeout_secs = Some(3);
    req.max_attempts = Some(1);
    let started = Instant::now();
    let id = submit(&admin, &req).await;
    let t = wait_done(&admin, &id, Duration::from_secs(30)).await;
    assert!(
        matches!(t.state, TaskState::TimedOut | TaskState::Failed),
        "{t:?}"
    );
    assert_ne!(
        t.exit_code,
        Some(99),
        "the bomb found nothing holding it: {t:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    // The workdir, and so the script's path that every fork carries, holds the task id.
    let until = Instant::now() + Duration::from_secs(5);
    let mut left = processes_mentioning(&id);
    while !left.is_empty() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = processes_mentioning(&id);
    }
    assert!(left.is_empty(), "processes of the bomb survived: {left:?}");

    let next = submit(&admin, &sh("echo fine")).await;
    let t = wait_done(&admin, &next, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    assert_eq!(full_log(&admin, &next).await, "fine\n");
    assert!(node.agent.running(), "{}", node.agent.log());
}

/// A process that leaves the task's process group with setsid is killed when the task ends,
/// where tasks get a pids cgroup; where they do not, it survives (documented) and is cleaned up
/// here.
#[tokio::test]
async fn escaped_process_is_killed_at_task_end() {
    let _bomb = BOMB.read().await;
    if !std::path::Path::new("/usr/bin/setsid").exists() {
        skip_unless_ci("there is no setsid(1)");
        return;
    }
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "500ms");
    let admin = coord.admin();
    let mut node = start_node_default_user(&coord, "escapee", &[]).await;
    node.agent
        .wait_for_log("registered; approved", Duration::from_secs(10));
    let contained = node.agent.log().contains("each task runs in a pids cgroup");
    // The pid file is written after setsid(), so the task ends only once it has left the group.
    let mut req = script(
        "setsid sh -c 'echo $$ > esc.tmp && mv esc.tmp esc.pid; exec sleep 1000' &\n\
         while [ ! -e esc.pid ]; do sleep 0.01; done\n\
         cat esc.pid\n",
    );
    req.max_attempts = Some(1);
    let id = submit(&admin, &req).await;
    let t = wait_done(&admin, &id, Duration::from_secs(20)).await;
    assert_eq!(t.state, TaskState::Succeeded, "{t:?}");
    let escaped: i32 = full_log(&admin, &id)
        .await
        .trim()
        .parse()
        .expect("the escaped pid");
    if contained {
        assert!(
            gone_within(escaped, Duration::from_secs(3)),
            "the escaped process {escaped} outlived its task"
        );
    } else {
        let alive = process_alive(escaped);
        // SAFETY: cleaning up the process this test's task started.
        unsafe { libc::kill(escaped, libc::SIGKILL) };
        eprintln!("no pids cgroup here: the escaped process survived its task, as documented");
        assert!(
            alive,
            "it left the group, so only a cgroup could have killed it"
        );
    }
}
