//! Issue #12, section 4 and the smaller HTTP findings: a flood of half-open connections, the
//! connection cap, slowloris, a corrupt database, `/ready` while writes fail, the last admin token,
//! store errors and metrics labels, URLs and redirects, the first admin token, `task run` output.

mod clients;

use crate::common::*;
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
        skip_unless_ci(&format!(
            "this test needs an open-files limit of 1300, the hard limit is {have}"
        ));
        return;
    }
    let sb = Sandbox::new();
    let coord = Coordinator::try_start_cmd(command_with_low_nofile(&sb), coordinator_only())
        .expect("start");
    let admin = coord.admin();
    let (node, _) = enroll_node(&admin, "flooded").await;
    let addr = addr_of(&coord);
    let flood: Vec<TcpStream> = (0..1100).map(|_| half_open(&addr)).collect();

    let started = Instant::now();
    let health = tokio::time::timeout(
        Duration::from_secs(1),
        edgecoder::api::client::Client::new(&coord.url, None)
            .expect("client")
            .health(),
    )
    .await;
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
            host: None,
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
    assert!(answer.starts_with("HTTP/1.1 503"), "not a 503: {answer:?}");
    assert!(answer.contains("too_many_connections"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
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

#[tokio::test]
async fn a_database_with_a_corrupt_page_refuses_to_start() {
    let sb = Sandbox::new();
    let mut coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    // Enough rows for the file to have pages in the middle that belong to tables.
    for i in 0..200 {
        let mut req = edgecoder::api::SubmitRequest::argv(vec!["echo".into(), i.to_string()]);
        req.env.insert("PAD".into(), "x".repeat(400));
        admin.submit(&req).await.expect("submit");
    }
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(10)), Some(0));
    drop(coord);

    let db = sb.data_dir().join("edgecoder.db");
    {
        // Fold the write-ahead log in, so the pages live in the database file itself.
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
    }
    let len = std::fs::metadata(&db).expect("db").len();
    assert!(
        len >= 40 * 4096,
        "database too small to corrupt: {len} bytes"
    );
    let page = (len / 4096 / 2) * 4096;
    {
        use std::os::unix::fs::FileExt;
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&db)
            .expect("open db");
        f.write_all_at(&[0x5a; 4096], page)
            .expect("overwrite a page");
    }
    let refused = Coordinator::try_start(&sb, coordinator_only())
        .err()
        .expect("a corrupt database started");
    assert!(refused.contains("corrupt"), "{refused}");
    assert!(refused.contains(".recover"), "{refused}");
    assert!(refused.contains("backup"), "{refused}");
}

/// Sets another process's soft file-size limit (hard left alone).
fn set_file_size_limit(pid: u32, soft: Option<u64>) {
    let mut old = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: prlimit reads and writes only the structs passed; the pid is our own child.
    unsafe {
        assert_eq!(
            libc::prlimit(pid as i32, libc::RLIMIT_FSIZE, std::ptr::null(), &mut old),
            0
        );
        let new = libc::rlimit {
            rlim_cur: soft.unwrap_or(old.rlim_max),
            rlim_max: old.rlim_max,
        };
        assert_eq!(
            libc::prlimit(pid as i32, libc::RLIMIT_FSIZE, &new, std::ptr::null_mut()),
            0,
            "prlimit: {}",
            std::io::Error::last_os_error()
        );
    }
}

/// A file-size limit of one byte makes every database write fail as a full disk would, for root
/// as for anyone, without mount rights (docs/decisions.md).
#[tokio::test]
async fn ready_turns_false_while_writes_fail_and_back_after() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    assert_eq!(ready_status(&coord.url).await, 200);
    set_file_size_limit(coord.child.id(), Some(1));
    let echo = edgecoder::api::SubmitRequest::argv(vec!["echo".into(), "hi".into()]);
    let refused = send(
        http()
            .post(format!("{}/api/v1/tasks", coord.url))
            .bearer_auth(ADMIN_TOKEN)
            .json(&echo),
    )
    .await;
    assert!(refused.status >= 500, "a write succeeded: {refused:?}");
    assert!(
        !refused.text.to_ascii_lowercase().contains("disk i/o")
            && !refused.text.contains("SQLITE")
            && !refused.text.contains("sqlite"),
        "SQLite's text reached the client: {}",
        refused.text
    );
    eventually(Duration::from_secs(5), || async {
        (ready_status(&coord.url).await == 503).then_some(())
    })
    .await;
    eventually(Duration::from_secs(5), || async {
        coord.stderr().contains("cannot commit").then_some(())
    })
    .await;

    set_file_size_limit(coord.child.id(), None);
    eventually(Duration::from_secs(5), || async {
        (ready_status(&coord.url).await == 200).then_some(())
    })
    .await;
    admin.submit(&echo).await.expect("a write after recovery");
}

#[tokio::test]
async fn the_last_admin_token_cannot_be_revoked() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let me = admin.whoami().await.expect("whoami");
    let first = me.token_id;
    let refused = send(
        http()
            .delete(format!("{}/api/v1/tokens/{first}", coord.url))
            .bearer_auth(ADMIN_TOKEN),
    )
    .await;
    refused.assert_error(409, "last_admin");
    assert!(refused.text.contains("last admin"), "{}", refused.text);
    admin.whoami().await.expect("still an admin");

    // With a second admin, the first can go; then the second is the last one.
    let second = admin
        .create_token(&edgecoder::api::TokenCreateRequest {
            kind: Some(edgecoder::api::TokenKind::Api),
            role: Some(edgecoder::api::Role::Admin),
            name: Some("second".into()),
            ..Default::default()
        })
        .await
        .expect("second admin");
    admin.revoke_token(&first).await.expect("revoke the first");
    let other = coord.client(&second.token);
    assert_api_error(other.revoke_token(&second.info.id).await, 409, "last_admin");
}

#[tokio::test]
async fn a_store_error_answers_without_sqlite_text_and_with_the_request_id() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    {
        sb.db()
            .execute_batch("DROP TABLE audit")
            .expect("drop audit");
    }
    let answer = send(
        http()
            .get(format!("{}/api/v1/audit", coord.url))
            .bearer_auth(ADMIN_TOKEN),
    )
    .await;
    answer.assert_error(500, "internal");
    let id = answer.request_id().expect("request id").to_string();
    let lower = answer.text.to_ascii_lowercase();
    assert!(
        !lower.contains("no such table") && !lower.contains("sqlite") && !lower.contains("audit"),
        "store internals reached the client: {}",
        answer.text
    );
    assert!(answer.text.contains(&id), "{}", answer.text);
    eventually(Duration::from_secs(5), || async {
        coord
            .stderr()
            .lines()
            // The database's own words: SQLite's, or PostgreSQL's on that backend.
            .any(|l| {
                l.contains(&id)
                    && (l.contains("no such table: audit")
                        || l.contains("relation \"audit\" does not exist"))
            })
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn an_unknown_method_is_labelled_other_in_metrics() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let method = reqwest::Method::from_bytes(b"BREWCOFFEE").expect("method");
    let answer = send(http().request(method, format!("{}/health", coord.url))).await;
    assert_eq!(answer.status, 405, "{answer:?}");
    let metrics = send(http().get(format!("{}/metrics", coord.url))).await;
    assert!(
        metrics.text.contains("method=\"other\""),
        "{}",
        metrics.text
    );
    assert!(!metrics.text.contains("BREWCOFFEE"), "{}", metrics.text);
}

#[tokio::test]
async fn an_event_stream_outlives_the_idle_timeout() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_HEADER_READ_TIMEOUT".into(), "1s".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let resp = http()
        .get(format!("{}/api/v1/events", coord.url))
        .bearer_auth(ADMIN_TOKEN)
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("stream");
    assert_eq!(resp.status().as_u16(), 200);
    let mut events = SseReader::new(resp);
    let echo = edgecoder::api::SubmitRequest::argv(vec!["echo".into(), "hi".into()]);
    let first = admin.submit(&echo).await.expect("submit").task.id;
    let seen = |events: Vec<SseEvent>, id: &str| events.iter().any(|e| e.data.contains(id));
    let mut got = Vec::new();
    while !seen(got.clone(), &first) {
        got.push(
            events
                .next(Duration::from_secs(5))
                .await
                .expect("stream open"),
        );
    }
    // Quiet for well past the 1 s idle timeout: the wait is the thing under test.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let second = admin.submit(&echo).await.expect("submit").task.id;
    let mut got = Vec::new();
    while !seen(got.clone(), &second) {
        got.push(
            events
                .next(Duration::from_secs(5))
                .await
                .expect("the stream was cut by the idle timeout"),
        );
    }
}
