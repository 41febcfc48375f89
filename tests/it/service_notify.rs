//! The systemd notify protocol as the real binary speaks it, read from a datagram socket of the
//! test's own: `serve` says READY=1 once listening, pets the watchdog, and says STOPPING=1 on
//! SIGTERM; the agent pets the watchdog only while its coordinator answers its heartbeats.

use crate::common::*;
use crate::worker_common::*;
use std::os::unix::net::UnixDatagram;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct NotifySocket {
    sock: UnixDatagram,
    path: PathBuf,
}

impl NotifySocket {
    fn new(sb: &Sandbox) -> NotifySocket {
        let path = sb.path().join("notify.sock");
        let sock = UnixDatagram::bind(&path).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        NotifySocket { sock, path }
    }

    fn env(&self) -> (String, String) {
        ("NOTIFY_SOCKET".into(), self.path.display().to_string())
    }

    /// Every message that arrives within `window`.
    fn collect(&self, window: Duration) -> Vec<String> {
        let until = Instant::now() + window;
        let mut out = Vec::new();
        let mut buf = [0u8; 512];
        while Instant::now() < until {
            if let Ok(n) = self.sock.recv(&mut buf) {
                out.push(String::from_utf8_lossy(&buf[..n]).into_owned());
            }
        }
        out
    }

    /// Waits for a message equal to `want`; panics after `within`.
    fn wait_for(&self, want: &str, within: Duration) {
        let until = Instant::now() + within;
        let mut seen = Vec::new();
        let mut buf = [0u8; 512];
        while Instant::now() < until {
            if let Ok(n) = self.sock.recv(&mut buf) {
                let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
                if msg == want {
                    return;
                }
                seen.push(msg);
            }
        }
        panic!("no {want:?} within {within:?}; got {seen:?}");
    }
}

#[test]
fn serve_reports_ready_pets_the_watchdog_and_reports_stopping() {
    let sb = Sandbox::new();
    let notify = NotifySocket::new(&sb);
    let mut opts = coordinator_only();
    opts.env = vec![notify.env(), ("WATCHDOG_USEC".into(), "600000".into())];
    let mut coord = Coordinator::start_with(&sb, opts);
    notify.wait_for("READY=1", Duration::from_secs(20));
    notify.wait_for("WATCHDOG=1", Duration::from_secs(20));
    coord.signal(libc::SIGTERM);
    notify.wait_for("STOPPING=1", Duration::from_secs(20));
    assert_eq!(coord.wait_exit(Duration::from_secs(30)), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_agent_pets_the_watchdog_only_while_heartbeats_are_answered() {
    let csb = Sandbox::new();
    let mut coord = fast_coordinator(&csb, "300ms");
    let token = enroll_token(&coord.admin(), true, 1).await;
    let sb = Sandbox::new();
    enroll_ok(&sb, &coord.url, &token, &[]);
    let notify = NotifySocket::new(&sb);
    let (key, value) = notify.env();
    let mut agent = Agent::start(&sb, &[(key.as_str(), value.as_str())]);
    notify.wait_for("READY=1", Duration::from_secs(20));
    notify.wait_for("WATCHDOG=1", Duration::from_secs(20));
    let answered = notify.collect(Duration::from_secs(3));
    let pets = answered.iter().filter(|m| *m == "WATCHDOG=1").count();
    assert!(
        pets >= 2,
        "heartbeats every 300 ms gave {pets} pets in 3 s: {answered:?}"
    );

    // The coordinator is gone: heartbeats fail, and the watchdog is left alone.
    coord.signal(libc::SIGKILL);
    coord.wait_exit(Duration::from_secs(10));
    notify.collect(Duration::from_secs(1));
    let unanswered = notify.collect(Duration::from_secs(3));
    assert!(
        !unanswered.iter().any(|m| m == "WATCHDOG=1"),
        "the agent petted the watchdog with no coordinator: {unanswered:?}"
    );
    agent.signal(libc::SIGTERM);
    agent.wait_exit(Duration::from_secs(30));
}
