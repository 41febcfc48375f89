//! The host policy end to end (issue 20): a real coordinator, a real `edgecoder agent` in its
//! own home, and a prepared sysfs tree standing in for the machine's battery. The agent reads
//! the tree with its real parsers and decides with its real policy; the tests change the tree
//! and watch what the agent does (claims or not, suspends, hands back) and says.

use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const HEARTBEAT: &str = "300ms";
const WITHIN: Duration = Duration::from_secs(20);

/// A fake `/sys` with a mains adapter and a battery, and an empty `/proc` (no load readings).
struct FakeHost {
    dir: tempfile::TempDir,
}

impl FakeHost {
    fn on_ac() -> FakeHost {
        let host = FakeHost {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(host.proc()).expect("proc");
        host.set_power(true, 80);
        host
    }

    fn sys(&self) -> PathBuf {
        self.dir.path().join("sys")
    }

    fn proc(&self) -> PathBuf {
        self.dir.path().join("proc")
    }

    /// Rewrites the supply files as a laptop's kernel would show them.
    fn set_power(&self, ac: bool, percent: u8) {
        let supply = self.sys().join("class/power_supply");
        let write = |dev: &str, file: &str, value: &str| {
            let dir = supply.join(dev);
            std::fs::create_dir_all(&dir).expect("supply dir");
            std::fs::write(dir.join(file), format!("{value}\n")).expect("supply file");
        };
        write("AC", "type", "Mains");
        write("AC", "online", if ac { "1" } else { "0" });
        write("BAT0", "type", "Battery");
        write("BAT0", "capacity", &percent.to_string());
        write(
            "BAT0",
            "status",
            if ac { "Charging" } else { "Discharging" },
        );
    }

    /// The agent's environment: a laptop policy reading this tree, with the rules these tests
    /// do not drive turned off so that this machine's own state cannot pause the agent.
    fn env<'a>(&self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, String)> {
        let mut env = vec![
            ("EDGECODER_HOST_POLICY", "laptop".to_string()),
            ("EDGECODER_HOST_SYSFS", self.sys().display().to_string()),
            ("EDGECODER_HOST_PROCFS", self.proc().display().to_string()),
            ("EDGECODER_HOST_OWNER_IDLE", "off".to_string()),
            ("EDGECODER_HOST_MAX_LOAD", "off".to_string()),
            ("EDGECODER_HOST_MAX_MEMORY_PRESSURE", "off".to_string()),
            ("EDGECODER_HOST_CPU_CAP", "off".to_string()),
        ];
        for (k, v) in extra {
            env.retain(|(key, _)| key != k);
            env.push((k, v.to_string()));
        }
        env
    }
}

/// An enrolled, running agent on its own "machine" (its sandbox holds its state dir).
struct Laptop {
    /// Declared first so it is stopped before its sandbox's files are removed.
    agent: Agent,
    sb: Sandbox,
    id: String,
}

async fn node(coord: &Coordinator, host: &FakeHost, extra: &[(&str, &str)]) -> Laptop {
    let env = host.env(extra);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let admin = coord.admin();
    let sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    let id = enroll_ok(&sb, &coord.url, &token, &["--name", "laptop"]);
    let agent = Agent::start(&sb, &env);
    wait_online(&admin, &id).await;
    Laptop { agent, sb, id }
}

/// Returns once the coordinator has heard `n` more heartbeats (or claims) from the node: the
/// agent has had `n` chances to claim.
async fn heartbeats(admin: &Client, node_id: &str, n: usize) {
    let seen = std::sync::Mutex::new(Vec::new());
    let seen = &seen;
    eventually(WITHIN, || async move {
        let at = admin.node(node_id).await.ok()?.last_heartbeat_at;
        let mut seen = seen.lock().ok()?;
        if seen.last() != Some(&at) {
            seen.push(at);
        }
        (seen.len() > n).then_some(())
    })
    .await;
}

async fn state(admin: &Client, id: &str) -> TaskState {
    admin.task(id).await.expect("task").state
}

/// The process state letter of `pid` (`T` when stopped).
fn proc_state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

fn read_pid_file(path: &Path) -> i32 {
    read_pid(path, WITHIN)
}

#[tokio::test]
async fn on_battery_the_agent_stops_claiming_and_on_ac_it_claims_again() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let admin = coord.admin();
    let host = FakeHost::on_ac();
    let mut n = node(&coord, &host, &[]).await;
    let first = submit(&admin, &sh("echo on mains")).await;
    assert_eq!(
        wait_done(&admin, &first, WITHIN).await.state,
        TaskState::Succeeded
    );

    host.set_power(false, 10);
    let switched = Instant::now();
    n.agent
        .wait_for_log("host policy: paused: on battery 10 %", WITHIN);
    // One heartbeat (300 ms, jittered) plus the time a loaded test machine needs to notice.
    assert!(
        switched.elapsed() < Duration::from_secs(3),
        "the pause took {:?}",
        switched.elapsed()
    );
    // The heartbeat carried the verdict: the coordinator shows it, and offers no work.
    eventually(WITHIN, || async {
        let node = admin.node(&n.id).await.ok()?;
        (node.host_label() == "paused: on battery 10 %").then_some(())
    })
    .await;
    let show = cli_with(
        server_cmd(&csb, &coord.url),
        &["server", "nodes", "show", &n.id],
        None,
    );
    assert!(
        show.stdout.contains("paused: on battery 10 %"),
        "`server nodes show` names the reason: {}",
        show.text()
    );
    let held = submit(&admin, &sh("echo back on mains")).await;
    heartbeats(&admin, &n.id, 4).await;
    assert_eq!(
        state(&admin, &held).await,
        TaskState::Queued,
        "claimed on battery"
    );

    host.set_power(true, 11);
    let done = wait_done(&admin, &held, WITHIN).await;
    assert_eq!(done.state, TaskState::Succeeded);
    assert_eq!(done.attempts, 1);
    n.agent.wait_for_log("host policy: running", WITHIN);
    eventually(WITHIN, || async {
        let node = admin.node(&n.id).await.ok()?;
        (node.host_label() == "running").then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_running_task_is_suspended_and_resumed_with_its_output_complete() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let admin = coord.admin();
    let host = FakeHost::on_ac();
    let mut n = node(
        &coord,
        &host,
        &[("EDGECODER_HOST_PAUSE_RUNNING", "suspend")],
    )
    .await;
    let pid_file = host.dir.path().join("task.pid");
    // The second half waits for a file the test writes after the resume, so however slow the
    // machine, the task is still running when the pause comes.
    let go_file = host.dir.path().join("go");
    let task = submit(
        &admin,
        &sh(&format!(
            "echo $$ > {pid}; i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo line $i; \
             if [ $i -eq 20 ]; then while [ ! -e {go} ]; do sleep 0.05; done; fi; done",
            pid = pid_file.display(),
            go = go_file.display()
        )),
    )
    .await;
    let pid = read_pid_file(&pid_file);
    eventually(WITHIN, || async {
        full_log(&admin, &task)
            .await
            .contains("line 2\n")
            .then_some(())
    })
    .await;

    host.set_power(false, 10);
    n.agent
        .wait_for_log("suspended (the host policy paused)", WITHIN);
    eventually(WITHIN, || async {
        (proc_state(pid) == Some('T')).then_some(())
    })
    .await;
    // Stopped, not ended: several heartbeats later it is still running and still stopped.
    heartbeats(&admin, &n.id, 3).await;
    assert_eq!(state(&admin, &task).await, TaskState::Running);
    assert_eq!(proc_state(pid), Some('T'));

    host.set_power(true, 12);
    n.agent
        .wait_for_log("resumed (the host policy runs again)", WITHIN);
    std::fs::write(&go_file, b"").expect("write the go file");
    let done = wait_done(&admin, &task, WITHIN).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert_eq!(done.attempts, 1);
    let log = full_log(&admin, &task).await;
    let expected: String = (1..=40).map(|i| format!("line {i}\n")).collect();
    assert_eq!(
        log, expected,
        "output lost or repeated across the suspension"
    );
}

#[tokio::test]
async fn a_pause_that_outlasts_the_lease_hands_the_task_back_uncounted() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let admin = coord.admin();
    let host = FakeHost::on_ac();
    let mut n = node(
        &coord,
        &host,
        &[("EDGECODER_HOST_PAUSE_RUNNING", "suspend")],
    )
    .await;
    let pid_file = host.dir.path().join("task.pid");
    let mut req = sh(&format!(
        "echo $$ > {}; echo started; sleep 3; echo finished",
        pid_file.display()
    ));
    req.max_attempts = Some(1);
    req.timeout_secs = Some(60);
    let task = submit(&admin, &req).await;
    let pid = read_pid_file(&pid_file);
    wait_running(&admin, &task, WITHIN).await;

    // The owner pauses for an hour, past the lease's deadline: the task goes back to the queue
    // rather than sit stopped until it times out.
    let state_dir = credential_path(&n.sb).parent().map(Path::to_path_buf);
    let state_dir = state_dir.expect("state dir");
    let now_ms = edgecoder::agent::host::watcher::unix_ms();
    std::fs::write(
        state_dir.join("owner-pause.json"),
        format!(
            r#"{{"since_ms":{now_ms},"until_ms":{}}}"#,
            now_ms + 3_600_000
        ),
    )
    .expect("pause file");
    n.agent.wait_for_log("handed back to the queue", WITHIN);
    eventually(WITHIN, || async {
        (state(&admin, &task).await == TaskState::Queued).then_some(())
    })
    .await;
    assert!(gone_within(pid, WITHIN), "the handed-back task still runs");

    // Resumed by removing the pause (what `agent resume` does): the one allowed attempt is
    // still there, so the task runs to its end.
    std::fs::remove_file(state_dir.join("owner-pause.json")).expect("resume");
    let done = wait_done(&admin, &task, Duration::from_secs(30)).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    assert!(full_log(&admin, &task).await.contains("finished"));
}

#[tokio::test]
async fn outside_the_allowed_hours_the_agent_takes_no_work_and_says_why() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let admin = coord.admin();
    let host = FakeHost::on_ac();
    // A one-hour window starting two hours from now (local time): now is outside it.
    let now = edgecoder::agent::host::hours::local_minute(
        edgecoder::agent::host::watcher::unix_ms() / 1000,
    )
    .expect("local time");
    let start = (now + 120) % 1440;
    let end = (start + 60) % 1440;
    let window = format!(
        "{:02}:{:02}-{:02}:{:02}",
        start / 60,
        start % 60,
        end / 60,
        end % 60
    );
    let mut n = node(&coord, &host, &[("EDGECODER_HOST_HOURS", &window)]).await;
    n.agent
        .wait_for_log(&format!("host policy: paused: outside {window}"), WITHIN);
    let task = submit(&admin, &sh("echo too early")).await;
    heartbeats(&admin, &n.id, 4).await;
    assert_eq!(state(&admin, &task).await, TaskState::Queued);
    assert!(
        n.agent.log().contains(&format!("hours {window}")),
        "the start message names the policy: {}",
        n.agent.log()
    );
}

#[test]
fn an_allowed_hours_value_that_does_not_parse_refuses_the_start() {
    let sb = Sandbox::new();
    let out = cli_with(
        {
            let mut c = cmd(&sb);
            c.env("EDGECODER_HOST_HOURS", "nightly")
                .env("COORDINATOR_URL", "http://127.0.0.1:9");
            c
        },
        &["agent"],
        None,
    );
    assert_ne!(out.code, Some(0), "{}", out.text());
    let text = out.text();
    assert!(
        text.contains("EDGECODER_HOST_HOURS")
            && text.contains("nightly")
            && text.contains("22:00-07:00"),
        "the error names the setting, the value and a form that works: {text}"
    );
}

/// The caps reach the tasks by whichever means the start message names: cgroup v2 `cpu.max` and
/// `memory.max` over all tasks, or nice 19 and a per-task `RLIMIT_AS` where no cgroup can hold
/// them (cgroup v1, no delegation).
#[tokio::test]
async fn the_cpu_and_memory_caps_reach_the_tasks() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, HEARTBEAT);
    let admin = coord.admin();
    let host = FakeHost::on_ac();
    let n = node(
        &coord,
        &host,
        &[
            ("EDGECODER_HOST_CPU_CAP", "50"),
            ("EDGECODER_HOST_MEMORY_CAP", "512M"),
        ],
    )
    .await;
    let task = submit(
        &admin,
        &sh("echo nice=$(nice); echo vmem=$(ulimit -v); cat /proc/self/cgroup"),
    )
    .await;
    let done = wait_done(&admin, &task, WITHIN).await;
    assert_eq!(done.state, TaskState::Succeeded, "{done:?}");
    let out = full_log(&admin, &task).await;
    let said = n.agent.log();
    if said.contains("cgroup cpu.max") {
        assert!(
            said.contains("memory capped at 512 MiB (cgroup memory.max)"),
            "{said}"
        );
        // The task's cgroup is `<agent's>/edgecoder/<n>`; the caps sit on `edgecoder`.
        let path = out
            .lines()
            .find_map(|l| l.strip_prefix("0::"))
            .expect("a v2 cgroup line");
        let parent = Path::new("/sys/fs/cgroup")
            .join(path.trim_start_matches('/'))
            .parent()
            .map(Path::to_path_buf)
            .expect("parent cgroup");
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
        let cpu_max = std::fs::read_to_string(parent.join("cpu.max")).expect("cpu.max");
        assert_eq!(cpu_max.trim(), format!("{} 100000", 50_000 * cpus));
        let mem_max = std::fs::read_to_string(parent.join("memory.max")).expect("memory.max");
        assert_eq!(mem_max.trim(), (512u64 << 20).to_string());
    } else {
        assert!(
            said.contains("tasks run at nice 19 with idle I/O priority")
                && said.contains("memory capped at 512 MiB per task (RLIMIT_AS)"),
            "the start message names neither means: {said}"
        );
        assert!(out.contains("nice=19\n"), "{out}");
        assert!(out.contains(&format!("vmem={}\n", 512 * 1024)), "{out}");
    }
}
