//! The client side of issue #12's HTTP findings: one URL type and its plain-HTTP check, no
//! redirects, the first admin token kept off logs, and `task run` when its output is lost.

use crate::common::*;
use std::io::Read;
use std::process::Command;
use std::time::{Duration, Instant};

/// A documentation address (TEST-NET-2): never this machine, and nothing answers there.
const FAR: &str = "HTTP://198.51.100.7:4301";

#[test]
fn an_upper_case_http_url_to_another_machine_gets_no_secret() {
    let sb = Sandbox::new();
    let refused = |what: &str, cmd: Command| {
        let started = Instant::now();
        let (code, out, err) = run_to_end(cmd, Duration::from_secs(30));
        assert_eq!(code, Some(2), "{what}: {out}\n{err}");
        assert!(err.contains("plain HTTP"), "{what}: {err}");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{what} tried to connect first"
        );
    };

    let mut enroll = sb.command();
    enroll.args([
        "enroll",
        "--token",
        "ece_0123456789abcdef0123",
        "--coordinator",
        FAR,
    ]);
    refused("enroll", enroll);
    assert!(!sb.env_file().exists(), "enroll wrote its env file");

    // An enrolled agent whose env file names the coordinator in upper case.
    let config = sb.env_file();
    std::fs::create_dir_all(config.parent().expect("config dir")).expect("config dir");
    std::fs::write(&config, format!("COORDINATOR_URL={FAR}\n")).expect("env file");
    let secret = config.with_file_name("node.secret");
    std::fs::write(&secret, "ecn_n1.0123456789abcdef").expect("secret");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).expect("0600");
    }
    let mut agent = sb.command();
    agent.arg("agent");
    refused("agent", agent);

    let mut login = sb.command();
    login
        .args(["login", "--server", FAR])
        .env("EDGECODER_TOKEN", ADMIN_TOKEN);
    refused("login", login);

    let mut status = sb.command();
    status
        .args(["server", "status", "--server", FAR])
        .env("EDGECODER_TOKEN", ADMIN_TOKEN);
    refused("server status", status);
}

/// Answers every request on one port with a 307 to the other, which records what reaches it.
async fn redirect_pair() -> (String, std::sync::Arc<std::sync::Mutex<String>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let target = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let target_port = target.local_addr().expect("addr").port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = target.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = s.read(&mut buf).await.unwrap_or(0);
            if let Ok(mut seen) = record.lock() {
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                .await;
        }
    });
    let redirector = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://127.0.0.1:{}",
        redirector.local_addr().expect("addr").port()
    );
    tokio::spawn(async move {
        while let Ok((mut s, _)) = redirector.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = s.read(&mut buf).await;
            let answer = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://localhost:{target_port}/api/v1/whoami\r\n\
                 content-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = s.write_all(answer.as_bytes()).await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_tokens_stay_home() {
    let (url, seen) = redirect_pair().await;
    let client = edgecoder::api::client::Client::new(&url, Some(ADMIN_TOKEN.into()))
        .expect("client")
        .with_mesh_token(Some("mesh-secret-0123456789".into()));
    let err = client.whoami().await.expect_err("a redirect was followed");
    assert!(err.to_string().contains("redirect"), "{err}");

    // The CLI says the same, and exits non-zero.
    let sb = Sandbox::new();
    let mut status = sb.command();
    status
        .args(["server", "status", "--server", &url])
        .env("EDGECODER_TOKEN", ADMIN_TOKEN);
    let (code, out, err) =
        tokio::task::spawn_blocking(move || run_to_end(status, Duration::from_secs(30)))
            .await
            .expect("join");
    assert_ne!(code, Some(0), "{out}");
    assert!(err.contains("redirect"), "{err}");

    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(
        !seen.contains(ADMIN_TOKEN) && !seen.contains("mesh-secret"),
        "a token reached the redirect's target:\n{seen}"
    );
    assert!(seen.is_empty(), "the redirect was followed:\n{seen}");
}

#[tokio::test]
async fn the_first_admin_token_goes_to_a_0600_file_when_stdout_is_a_pipe() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.admin_token = None;
    let coord = Coordinator::start_with(&sb, opts);
    let file = sb.data_dir().join("initial-admin-token");
    eventually(Duration::from_secs(5), || async {
        coord
            .stdout()
            .contains(&file.display().to_string())
            .then_some(())
    })
    .await;
    let token = std::fs::read_to_string(&file).expect("token file");
    let token = token.trim();
    assert!(token.starts_with("eca_"), "{token}");
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "token file mode {mode:o}");
    assert!(!coord.stdout().contains(token), "the token is on stdout");
    assert!(!coord.stderr().contains(token), "the token is in the log");
    coord.client(token).whoami().await.expect("the token works");
}

#[test]
fn the_first_admin_token_is_printed_on_a_terminal() {
    use portable_pty::{PtySize, native_pty_system};
    let sb = Sandbox::new();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = sb.pty_command();
    cmd.args(["serve", "--port", "0", "--mode", "coordinator"]);
    let mut child = pair.slave.spawn_command(cmd).expect("spawn serve");
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let into = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut s) = into.lock() {
                s.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let printed = loop {
        let text = seen.lock().map(|s| s.clone()).unwrap_or_default();
        if text.contains("admin token: eca_") {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        printed,
        "no token on the terminal: {}",
        seen.lock().map(|s| s.clone()).unwrap_or_default()
    );
    assert!(
        !sb.data_dir().join("initial-admin-token").exists(),
        "a token file was written although stdout is a terminal"
    );
}

#[test]
fn task_run_exits_non_zero_when_its_output_cannot_be_written() {
    let sb = Sandbox::new();
    let run = |stdout: std::process::Stdio| {
        let mut cmd = sb.command();
        cmd.args(["task", "run", "--project", "p", "--", "echo", "hello"])
            .stdout(stdout)
            .stderr(std::process::Stdio::piped());
        let child = cmd.spawn().expect("spawn");
        let out = child.wait_with_output().expect("wait");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let (code, err) = run(full.into());
    assert_eq!(code, Some(1), "> /dev/full: {err}");
    assert!(err.contains("could not write"), "{err}");

    // The same run with somewhere to write succeeds.
    let (code, err) = run(std::process::Stdio::piped());
    assert_eq!(code, Some(0), "{err}");
}
