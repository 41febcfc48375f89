//! Host watcher benchmark: what the host policy costs the owner's machine while the agent is
//! idle. It has no thread or timer of its own: the heartbeat loop calls it once per interval
//! (and when the owner's `agent pause` pokes it). So its cost is one evaluation's CPU time per
//! heartbeat. This measures that CPU time (the process's own plus the children it spawns, i.e.
//! `loginctl`) over many evaluations against this machine's real /sys and /proc, in three
//! setups, and the wakeups: evaluations per heartbeat interval over a run of the same loop the
//! worker runs.
//!
//! Run: `cargo bench --bench host_watcher` (env: EVALS, default 2000). Prints numbers; never
//! fails on them. Target: under 0.1 % of one core at the default 5 s interval.

use edgecoder::agent::host::readings::Roots;
use edgecoder::agent::host::{HostSettings, HostWatch};
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

fn cpu_time() -> Duration {
    let usage = |who| {
        // SAFETY: getrusage fills a plain struct we own.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(who, &mut u) };
        let tv = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        tv(u.ru_utime) + tv(u.ru_stime)
    };
    usage(libc::RUSAGE_SELF) + usage(libc::RUSAGE_CHILDREN)
}

fn settings(owner_idle: Option<Duration>) -> HostSettings {
    let mut s = HostSettings::off();
    s.profile = edgecoder::agent::host::settings::Profile::Laptop;
    s.battery = edgecoder::agent::host::settings::BatteryRule::AcOnly;
    s.pause_heat = Some(edgecoder::agent::host::readings::HeatTier::Serious);
    s.max_others_cpu = Some(75);
    s.max_memory_pressure = Some(25);
    s.owner_idle = owner_idle;
    s
}

fn measure(name: &str, watch: &HostWatch, evals: u32) {
    watch.evaluate();
    let cpu0 = cpu_time();
    let wall0 = Instant::now();
    for _ in 0..evals {
        std::hint::black_box(watch.evaluate());
    }
    let cpu = cpu_time().saturating_sub(cpu0);
    let per = cpu / evals;
    let per_hour = per * (3600 / DEFAULT_INTERVAL.as_secs() as u32);
    let share = per.as_secs_f64() / DEFAULT_INTERVAL.as_secs_f64() * 100.0;
    println!(
        "{name:<44} {:>8.1} µs CPU/eval  {:>8.1} ms CPU/hour  {:.4} % of a core  (wall {:.1} µs/eval)",
        per.as_secs_f64() * 1e6,
        per_hour.as_secs_f64() * 1e3,
        share,
        wall0.elapsed().as_secs_f64() * 1e6 / f64::from(evals),
    );
}

fn main() {
    let evals: u32 = std::env::var("EVALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let state = tempfile::tempdir().expect("temp dir");
    let roots = |activity| Roots {
        sysfs: "/sys".into(),
        procfs: "/proc".into(),
        state_dir: state.path().to_path_buf(),
        watch_activity: activity,
    };
    println!("host watcher, {evals} evaluations each, default interval {DEFAULT_INTERVAL:?}");
    let server = HostWatch::new(settings(None), roots(false));
    measure("laptop rules, activity not watched", &server, evals);
    let laptop = HostWatch::new(settings(Some(Duration::from_secs(300))), roots(true));
    measure(
        "+ owner activity (this machine's loginctl)",
        &laptop,
        evals.min(500),
    );
    // A stand-in `loginctl` with one graphical session, so that the per-evaluation
    // `show-session` call really runs (a machine without logind lists no session and never
    // makes it). It is a shell script: its start costs about what loginctl's does, but not
    // loginctl's D-Bus round trip to logind, which a real desktop adds.
    let fake = state.path().join("bin");
    std::fs::create_dir_all(&fake).expect("bin dir");
    let script = fake.join("loginctl");
    std::fs::write(
        &script,
        "#!/bin/sh\ncase \"$1\" in\n list-sessions) echo '  2 1000 owner seat0 tty2' ;;\n \
         show-session) printf 'Type=wayland\\nIdleHint=no\\nIdleSinceHint=0\\n' ;;\nesac\n",
    )
    .expect("fake loginctl");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let path = format!(
        "{}:{}",
        fake.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // SAFETY: no other thread runs yet (the runtime below starts later).
    unsafe { std::env::set_var("PATH", path) };
    let desktop = HostWatch::new(settings(Some(Duration::from_secs(300))), roots(true));
    measure(
        "+ owner activity (a graphical session)",
        &desktop,
        evals.min(300),
    );
    // A running task: its process group's CPU time is read from /proc at each evaluation.
    let mut child = std::process::Command::new("sleep")
        .arg("600")
        .process_group(0)
        .spawn()
        .expect("sleep");
    let stop = edgecoder::agent::task::StopSignal::default();
    stop.set_group(child.id() as i32);
    server.tasks.track("t", "l", i64::MAX, stop);
    measure(
        "laptop rules, one task running (/proc scan)",
        &server,
        evals.min(500),
    );
    let _ = child.kill();
    let _ = child.wait();

    // Wakeups: the worker's loop (sleep one interval, or until poked; evaluate) over a run at a
    // short interval; the policy adds no timer, so evaluations per interval should be 1.
    let interval = Duration::from_millis(50);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let (evaluations, elapsed) = rt.block_on(async {
        let wake = server.wake_handle();
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_secs(2) {
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = wake.notified() => {}
            }
            server.evaluate();
            n += 1;
        }
        (n, start.elapsed())
    });
    let intervals = elapsed.as_secs_f64() / interval.as_secs_f64();
    println!(
        "wakeups: {evaluations} evaluations in {intervals:.1} heartbeat intervals = {:.2} per interval",
        f64::from(evaluations) / intervals
    );
}
