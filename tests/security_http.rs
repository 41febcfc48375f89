//! Issue #12, section 4 and the smaller HTTP findings: a flood of half-open connections, the
//! connection cap, slowloris, a corrupt database, `/ready` while writes fail, the last admin token,
//! store errors and metrics labels, URLs and redirects, the first admin token, `task run` output.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

/// Raises this test process's soft open-files limit to its hard one (the flood needs > 1,100).
fn raise_own_nofile() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
    }
    lim.rlim_cur
}

/// A sandbox command whose process starts with a soft open-files limit of 1024 (the common
/// default), as a coordinator started from a shell or an old unit would.
fn command_with_low_nofile(sb: &Sandbox) -> Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = sb.command();
    // SAFETY: only async-signal-safe calls (getrlimit, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let mut lim = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
            lim.rlim_cur = lim.rlim_cur.min(1024);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            Ok(())
        });
    }
    cmd
}

fn addr_of(coord: &Coordinator) -> String {
    coord.url.trim_start_matches("http://").to_string()
}

/// Opens a connection and sends half a request (no end of the head), then holds it.
fn half_open(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .expect("half a request");
    s
}

/// Reads until the peer closes; None when it is still open after `within`.
fn read_to_close(s: &mut TcpStream, within: Duration) -> Option<String> {
    s.set_read_timeout(Some(within)).expect("timeout");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(String::from_utf8_lossy(&got).into_owned());
            }
            Err(_) => return None,
        }
        if Instant::now() > deadline {
            return None;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_heartbeats_answer_through_1100_half_open_connections() {
    let have = raise_own_nofile();
    if have < 1300 {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "this test needs an open-files limit of 1300, the hard limit is {have}"
        );
        eprintln!("skipped: hard open-files limit {have} < 1300");
        return;
    }
    let sb = Sandbox::new();
    let coord =
        Coordinator::try_start_cmd(command_with_low_nofile(&sb), coordinator_only()).expect("start");
    let admin = coord.admin();
    let (node, _) = enroll_node(&admin, "flooded").await;
    let addr = addr_of(&coord);
    let flood: Vec<TcpStream> = (0..1100).map(|_| half_open(&addr)).collect();

    let started = Instant::now();
    let health = tokio::time::timeout(Duration::from_secs(1), edgecoder::api::client::Client::new(&coord.url, None).expect("client").health()).await;
    assert!(
        matches!(health, Ok(Ok(_))),
        "/health did not answer within 1 s of 1,100 half-open connections: {health:?}"
    );
    let started_hb = Instant::now();
    let hb = tokio::time::timeout(
        Duration::from_secs(1),
        node.heartbeat(&edgecoder::api::HeartbeatRequest {
            load: Some(0.1),
            running: vec![],
        }),
    )
    .await;
    assert!(
        matches!(hb, Ok(Ok(_))),
        "a heartbeat did not answer within 1 s of the flood: {hb:?}"
    );
    eprintln!(
        "with 1,100 half-open connections: /health {:?}, heartbeat {:?}",
        started_hb - started,
        started_hb.elapsed()
    );
    drop(flood);
}

#[test]
fn connections_beyond_the_cap_get_a_clear_503() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_MAX_CONNECTIONS".into(), "20".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let addr = addr_of(&coord);
    let held: Vec<TcpStream> = (0..20).map(|_| half_open(&addr)).collect();
    let mut extra = TcpStream::connect(&addr).expect("connect");
    extra
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("request");
    let answer = read_to_close(&mut extra, Duration::from_secs(5))
        .expect("a connection beyond the cap was not answered and closed");
    assert!(
        answer.starts_with("HTTP/1.1 503"),
        "not a 503: {answer:?}"
    );
    assert!(answer.contains("too_many_connections"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
    // Room again once the held connections close.
    drop(held);
    let mut ok = None;
    for _ in 0..100 {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("request");
        let answer = read_to_close(&mut s, Duration::from_secs(5)).unwrap_or_default();
        if answer.starts_with("HTTP/1.1 200") {
            ok = Some(answer);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(ok.is_some(), "no 200 after the held connections closed");
}

#[test]
fn a_slowloris_connection_is_closed_after_the_header_timeout() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_HEADER_READ_TIMEOUT".into(), "1s".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let addr = addr_of(&coord);

    // One byte every 100 ms: never a whole head.
    let mut slow = TcpStream::connect(&addr).expect("connect");
    let started = Instant::now();
    let head = b"GET /health HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut closed_at = None;
    for byte in head.iter() {
        if slow.write_all(&[*byte]).is_err() {
            closed_at = Some(started.elapsed());
            break;
        }
        slow.set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let mut buf = [0u8; 512];
        match slow.read(&mut buf) {
            Ok(_) => {
                closed_at = Some(started.elapsed());
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed_at = Some(started.elapsed());
                break;
            }
        }
    }
    let closed_at = closed_at.expect("a slowloris connection was held for 4.5 s");
    assert!(
        closed_at >= Duration::from_millis(900) && closed_at < Duration::from_secs(3),
        "closed after {closed_at:?}, expected about the 1 s header timeout"
    );

    // An idle kept-alive connection is closed after the same timeout.
    let mut idle = TcpStream::connect(&addr).expect("connect");
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("request");
    let answer = read_to_close(&mut idle, Duration::from_secs(4))
        .expect("an idle keep-alive connection stayed open 4 s");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
