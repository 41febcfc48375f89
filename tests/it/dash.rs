//! `edgecoder dash` end to end: the real binary in a pseudo-terminal (portable-pty, so nothing
//! needs installing) against a real coordinator; the screen is read through a vt100 emulator.

use crate::common::*;
use edgecoder::api::SubmitRequest;
use portable_pty::{Child, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

/// A dashboard running in a pseudo-terminal of 120×30.
struct Dash {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    // Held open so the terminal's settings can still be read after the dashboard exits.
    _slave: Box<dyn portable_pty::SlavePty + Send>,
}

impl Dash {
    fn start(sb: &Sandbox, url: &str, token: &str, args: &[&str]) -> Dash {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = sb.pty_command();
        cmd.arg("dash");
        cmd.args(args);
        cmd.env("EDGECODER_URL", url);
        cmd.env("EDGECODER_TOKEN", token);
        let child = pair.slave.spawn_command(cmd).expect("spawn edgecoder dash");
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::MIN.saturating_add(29),
            std::num::NonZeroU16::MIN.saturating_add(119),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (screen.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = s.lock() {
                    p.process(&buf[..n]);
                }
                if let Ok(mut v) = r.lock() {
                    v.extend_from_slice(&buf[..n]);
                }
            }
        });
        Dash {
            child,
            master: pair.master,
            writer,
            screen,
            raw,
            _slave: pair.slave,
        }
    }

    fn text(&self) -> String {
        self.screen
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until the screen satisfies `ok`; fails with the screen as it is.
    fn wait_for(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text();
            if ok(&text) {
                return text;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("dash exited ({status:?}) while waiting for {what}; screen:\n{text}");
            }
            assert!(
                Instant::now() < deadline,
                "no {what} within {WAIT:?}; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("flush");
    }

    /// Canonical mode and echo: what a shell expects, and what raw mode turns off.
    fn cooked(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("pty fd");
        // SAFETY: tcgetattr fills a termios we own, from a descriptor we hold open.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0, "tcgetattr");
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }

    fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "dash did not exit; screen:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The pty's output once its reader has caught up with the exited process: the last bytes
    /// (leaving the alternate screen, showing the cursor) may still be in flight when the exit
    /// is seen. Gives up after WAIT and returns what arrived, for the assertions to judge.
    fn output_once_restored(&self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let out = self.raw_output();
            let restored = out.rfind("\x1b[?1049h").is_some_and(|entered| {
                out[entered..]
                    .find("\x1b[?1049l")
                    .is_some_and(|left| out[entered + left..].contains("\x1b[?25h"))
            });
            if restored || Instant::now() >= deadline {
                return out;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn raw_output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().map(|v| v.clone()).unwrap_or_default())
            .into_owned()
    }

    /// Quits with `q` and checks the terminal is as it was: main screen, raw mode off.
    fn quit_and_check_restored(mut self) {
        self.keys("q");
        assert_eq!(self.wait_exit(), 0, "q must exit 0");
        let out = self.output_once_restored();
        let entered = out
            .rfind("\x1b[?1049h")
            .expect("entered the alternate screen");
        let left = out.rfind("\x1b[?1049l").expect("left the alternate screen");
        assert!(left > entered, "the alternate screen was not left last");
        assert!(out[left..].contains("\x1b[?25h"), "cursor not shown again");
        assert!(self.cooked(), "raw mode is still on after exit");
    }
}

impl Drop for Dash {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn row_of<'a>(screen: &'a str, id_prefix: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(id_prefix))
}

#[test]
fn dash_shows_a_task_run_live_and_restores_the_terminal() {
    let sb = Sandbox::new();
    let coord = Coordinator::start(&sb);
    let mut dash = Dash::start(&sb, &coord.url, ADMIN_TOKEN, &[]);
    assert!(dash.cooked(), "a fresh pty starts in cooked mode");
    dash.wait_for("a live connection", |s| s.contains("● live"));
    assert!(!dash.cooked(), "the dashboard runs in raw mode");
    dash.wait_for("the local worker as a node", |s| s.contains("1 online"));

    let rt = rt();
    let req = SubmitRequest::argv(
        ["sh", "-c", "echo dash-e2e-output; sleep 1"]
            .map(String::from)
            .to_vec(),
    );
    let task = rt
        .block_on(coord.admin().submit(&req))
        .expect("submit")
        .task;
    let prefix = &task.id[..11];
    dash.wait_for("the task's row", |s| row_of(s, prefix).is_some());
    let screen = dash.wait_for("the task to finish", |s| {
        row_of(s, prefix).is_some_and(|r| r.contains("succeeded"))
    });
    assert_eq!(
        screen.lines().filter(|l| l.contains(prefix)).count(),
        1,
        "one row per task:\n{screen}"
    );

    // Its detail has the attempt and the log.
    dash.keys("\r");
    dash.wait_for("the task's log tail", |s| {
        s.contains("dash-e2e-output") && s.contains("Attempts")
    });
    dash.keys("\x1b");
    dash.wait_for("the list again", |s| s.contains("Tasks by state"));

    // Credits: the task was paid for, so the ledger verifies and the node has earned.
    dash.keys("3");
    dash.wait_for("the verified ledger and balances", |s| {
        s.contains("verified") && s.contains("treasury") && s.contains("earn")
    });
    dash.keys("?");
    dash.wait_for("the help", |s| s.contains("any key closes this help"));
    dash.keys("x");
    dash.quit_and_check_restored();
}

#[test]
fn dash_says_unauthorised_for_a_wrong_token_and_does_not_spin() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.env.push(("EDGECODER_LOG".into(), "debug".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let mut dash = Dash::start(&sb, &coord.url, "not-the-token", &["--read-only"]);
    dash.wait_for("the unauthorised screen", |s| {
        s.contains("Unauthorised") && s.contains("refused the token")
    });
    // It stops asking: the coordinator logs (at debug) no more API requests. Any route counts:
    // the dashboard asks for status, tasks, nodes and events at once and stops at the first
    // refusal, so under load the status call may never be sent at all.
    let status_calls = || {
        let log = coord.stdout() + &coord.stderr();
        log.lines().filter(|l| l.contains("/api/v1/")).count()
    };
    // The refused requests are logged as they are answered, around when the screen shows it.
    let logged_by = Instant::now() + WAIT;
    while status_calls() == 0 && Instant::now() < logged_by {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The first look's requests go out together and are logged as each is answered: let them
    // all land before counting.
    let mut before = status_calls();
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = status_calls();
        if now == before || Instant::now() >= logged_by {
            break;
        }
        before = now;
    }
    assert!(
        before >= 1,
        "the refused request was not logged; the check below would be empty"
    );
    // The quiet time is what is tested: several refresh intervals with no new request.
    std::thread::sleep(Duration::from_secs(6));
    assert_eq!(
        status_calls(),
        before,
        "the dashboard keeps calling with a refused token"
    );
    dash.quit_and_check_restored();
}

#[test]
fn dash_waits_for_a_coordinator_and_follows_it_through_a_restart() {
    let sb = Sandbox::new();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut dash = Dash::start(&sb, &url, ADMIN_TOKEN, &[]);
    dash.wait_for("the unreachable screen", |s| {
        s.contains("Coordinator not reachable") && s.contains(&url)
    });

    let mut opts = coordinator_only();
    opts.args = vec![
        "--port".into(),
        port.to_string(),
        "--mode".into(),
        "coordinator".into(),
    ];
    let coord = Coordinator::start_with(&sb, opts);
    dash.wait_for("a live connection", |s| s.contains("● live"));
    let rt = rt();
    let req = SubmitRequest::argv(vec!["true".into()]);
    let task = rt
        .block_on(coord.admin().submit(&req))
        .expect("submit")
        .task;
    let prefix = task.id[..11].to_string();
    dash.wait_for("the queued task", |s| {
        row_of(s, &prefix).is_some_and(|r| r.contains("queued"))
    });

    // Restart the coordinator on the same port and data: the dashboard reconnects.
    drop(coord);
    dash.wait_for("reconnecting", |s| s.contains("reconnecting"));
    let mut opts = coordinator_only();
    opts.args = vec![
        "--port".into(),
        port.to_string(),
        "--mode".into(),
        "coordinator".into(),
    ];
    let coord = Coordinator::start_with(&sb, opts);
    dash.wait_for("live again", |s| s.contains("● live"));
    let req = SubmitRequest::argv(vec!["false".into()]);
    let second = rt
        .block_on(coord.admin().submit(&req))
        .expect("submit")
        .task;
    let second_prefix = second.id[..11].to_string();
    dash.wait_for("the second task", |s| row_of(s, &second_prefix).is_some());

    // The resumed event stream repeated nothing: each submission is listed once.
    dash.keys("4");
    let screen = dash.wait_for("both submissions in the events", |s| {
        s.contains("Events, newest first") && s.contains(&second_prefix) && s.contains(&prefix)
    });
    for p in [&prefix, &second_prefix] {
        let rows = screen
            .lines()
            .filter(|l| l.contains(p.as_str()) && l.contains("task.submitted"))
            .count();
        assert_eq!(
            rows, 1,
            "task.submitted of {p} listed {rows} times:\n{screen}"
        );
    }
    dash.quit_and_check_restored();
}
