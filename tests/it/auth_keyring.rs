//! `login`, `auth status` and `logout` against a real Secret Service: a private `dbus-daemon` and
//! an unlocked `gnome-keyring-daemon` on it (Debian packages `dbus`, `gnome-keyring`; `.ci/run`
//! installs them), read back with `secret-tool` (`libsecret-tools`). And the fallback with no
//! session bus: the 0600 file, said so. Also the prompt that does not echo the pasted token.

use crate::common::*;
use crate::worker_common::{Out, cli_with};
use edgecoder::api::client::Client;
use edgecoder::api::{Role, TokenCreateRequest, TokenKind};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private session bus with an unlocked keyring on it; both killed when dropped.
struct SecretService {
    address: String,
    runtime_dir: PathBuf,
    children: Vec<Child>,
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl SecretService {
    /// Starts the bus and the keyring in `sb`'s home; None (after `skip_unless_ci`) where the
    /// programs are missing.
    fn start(sb: &Sandbox) -> Option<SecretService> {
        for program in [
            "dbus-daemon",
            "dbus-send",
            "gnome-keyring-daemon",
            "secret-tool",
        ] {
            if !have(program) {
                skip_unless_ci(&format!(
                    "{program} is not installed (apt-get install dbus gnome-keyring libsecret-tools)"
                ));
                return None;
            }
        }
        let runtime_dir = sb.path().join("run");
        std::fs::create_dir_all(&runtime_dir).expect("runtime dir");
        std::fs::set_permissions(&runtime_dir, std::fs::Permissions::from_mode(0o700))
            .expect("chmod runtime dir");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .arg(format!(
                "--address=unix:path={}",
                runtime_dir.join("bus").display()
            ))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().expect("bus stdout"))
            .read_line(&mut line)
            .expect("dbus-daemon prints its address");
        let mut service = SecretService {
            address: line.trim().to_string(),
            runtime_dir,
            children: vec![bus],
        };
        assert!(
            service.address.starts_with("unix:"),
            "dbus-daemon address: {line:?}"
        );
        let mut keyring_cmd = Command::new("gnome-keyring-daemon");
        let mut keyring = service
            .env(&mut keyring_cmd, sb)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        // --unlock reads the new login keyring's password from stdin, to its end.
        let mut stdin = keyring.stdin.take().expect("keyring stdin");
        stdin.write_all(b"test-keyring-password").expect("password");
        drop(stdin);
        service.children.push(keyring);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !service.secrets_on_bus(sb) {
            assert!(
                Instant::now() < deadline,
                "gnome-keyring-daemon did not take org.freedesktop.secrets on the bus"
            );
            std::thread::yield_now();
        }
        Some(service)
    }

    /// `cmd` pointed at this bus, with the sandbox's home (where the keyring keeps its files).
    fn env<'a>(&self, cmd: &'a mut Command, sb: &Sandbox) -> &'a mut Command {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", &self.runtime_dir)
            .env("HOME", sb.path().join("home"))
            .env("XDG_DATA_HOME", sb.path().join("data-home"))
            .env("XDG_CONFIG_HOME", sb.path().join("config-home"))
    }

    fn secrets_on_bus(&self, sb: &Sandbox) -> bool {
        let out = self
            .env(&mut Command::new("dbus-send"), sb)
            .args([
                "--session",
                "--dest=org.freedesktop.DBus",
                "--print-reply",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .expect("dbus-send");
        String::from_utf8_lossy(&out.stdout).contains("boolean true")
    }

    /// What `secret-tool` finds for edgecoder's login entry of `url` (None: nothing).
    fn lookup(&self, sb: &Sandbox, url: &str) -> Option<String> {
        let out = self
            .env(&mut Command::new("secret-tool"), sb)
            .args(["lookup", "service", "edgecoder", "username"])
            .arg(format!("login:{url}"))
            .output()
            .expect("secret-tool");
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !text.is_empty()).then_some(text)
    }

    fn cli(&self, sb: &Sandbox, args: &[&str], stdin: Option<&str>) -> Out {
        let mut c = sb.command();
        self.env(&mut c, sb);
        cli_with(c, args, stdin)
    }
}

/// The sandbox's command with no session bus at all (the harness already drops the caller's).
fn no_bus(sb: &Sandbox) -> Command {
    let mut c = sb.command();
    let empty = sb.path().join("no-run");
    std::fs::create_dir_all(&empty).expect("empty runtime dir");
    c.env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", empty);
    c
}

async fn user_token(admin: &Client, name: &str) -> (String, String) {
    let made = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(Role::User),
            name: Some(name.into()),
            ..Default::default()
        })
        .await
        .expect("user token");
    (made.token, made.info.id)
}

/// The keys docs/json-output.md gives for `auth status --json`.
fn documented_keys() -> Vec<String> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json-output.md"))
            .expect("docs/json-output.md");
    let section = doc
        .split("## `edgecoder auth status --json`")
        .nth(1)
        .expect("an auth status section");
    let braced = section.split('`').nth(1).expect("the shape in backticks");
    let mut keys: Vec<String> = braced
        .trim_matches(['{', '}'])
        .split(',')
        .map(|k| k.trim().to_string())
        .collect();
    keys.sort();
    keys
}

fn json_keys(value: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn login_file(sb: &Sandbox) -> PathBuf {
    sb.path().join("config-home/edgecoder/logins.json")
}

fn file_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_keeps_the_token_in_a_real_secret_service_and_logout_removes_it() {
    let sb = Sandbox::new();
    let Some(keyring) = SecretService::start(&sb) else {
        return;
    };
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let (token, token_id) = user_token(&coord.admin(), "alice-laptop").await;
    let url = coord.url.clone();

    let out = keyring.cli(
        &sb,
        &["login", "--server", &url],
        Some(&format!("{token}\n")),
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("OS keyring (Secret Service)"),
        "login must say the keyring was used: {out:?}"
    );
    assert!(!out.text().contains(&token), "login printed the token");
    assert_eq!(
        keyring.lookup(&sb, &url).as_deref(),
        Some(token.as_str()),
        "the Secret Service does not hold the token"
    );
    assert!(
        !file_text(&login_file(&sb)).contains(&token),
        "the token was also written to the login file"
    );

    let out = keyring.cli(&sb, &["auth", "status", "--server", &url], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    for needle in [
        "alice-laptop",
        token_id.as_str(),
        "role user",
        "OS keyring",
        &url,
    ] {
        assert!(
            out.stdout.contains(needle),
            "auth status lacks {needle}: {out:?}"
        );
    }
    let out = keyring.cli(&sb, &["auth", "whoami", "--json", "--server", &url], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    let status: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(status["token_source"], "keyring");
    assert_eq!(status["logged_in"], true);
    assert_eq!(status["name"], "alice-laptop");
    assert_eq!(status["role"], "user");
    assert_eq!(status["token_file"], serde_json::Value::Null);

    // Another command finds the token in the keyring on its own.
    let out = keyring.cli(
        &sb,
        &["server", "--server", &url, "credits", "balance"],
        None,
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("alice-laptop"), "{out:?}");

    // With the keyring out of reach, commands say where the token is, not "not logged in".
    let out = cli_with(no_bus(&sb), &["auth", "status", "--server", &url], None);
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(
        out.stderr
            .contains("is in the OS keyring, which did not answer"),
        "{out:?}"
    );
    let out = cli_with(no_bus(&sb), &["server", "--server", &url, "status"], None);
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(out.stderr.contains("unlock the keyring"), "{out:?}");

    let out = keyring.cli(&sb, &["logout", "--server", &url], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("forgot the token"), "{out:?}");
    assert_eq!(
        keyring.lookup(&sb, &url),
        None,
        "logout left the token in the keyring"
    );
    let out = keyring.cli(&sb, &["auth", "status", "--server", &url], None);
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(out.stderr.contains("not logged in"), "{out:?}");

    // `logout --all` reaches the keyring too.
    let out = keyring.cli(&sb, &["login", "--server", &url], Some(&token));
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(keyring.lookup(&sb, &url).is_some());
    let out = keyring.cli(&sb, &["logout", "--all"], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        keyring.lookup(&sb, &url),
        None,
        "logout --all left the token"
    );
    assert!(
        !login_file(&sb).exists(),
        "logout --all left the login file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_session_bus_login_falls_back_to_a_private_file_and_says_so() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let (token, _) = user_token(&coord.admin(), "ci-runner").await;
    let url = coord.url.clone();

    let started = Instant::now();
    let out = cli_with(no_bus(&sb), &["login", "--server", &url], Some(&token));
    assert_eq!(out.code, Some(0), "{out:?}");
    let path = login_file(&sb);
    assert!(
        out.stdout.contains(&path.display().to_string())
            && out.stdout.contains("not in the OS keyring"),
        "login must name the file and say why not the keyring: {out:?}"
    );
    // A missing bus is an immediate failure, not the keyring's 3 s timeout.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "login took {:?} without a bus",
        started.elapsed()
    );
    assert!(file_text(&path).contains(&token));
    let mode = std::fs::metadata(&path)
        .expect("login file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    let out = cli_with(
        no_bus(&sb),
        &["auth", "status", "--json", "--server", &url],
        None,
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let status: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        json_keys(&status),
        documented_keys(),
        "docs/json-output.md drifted"
    );
    assert_eq!(status["token_source"], "file");
    assert_eq!(status["token_file"], path.display().to_string());
    assert_eq!(status["name"], "ci-runner");

    // The flag and the environment win over the stored token, and say so.
    let mut env = no_bus(&sb);
    env.env("EDGECODER_TOKEN", ADMIN_TOKEN);
    let out = cli_with(env, &["auth", "status", "--server", &url], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("EDGECODER_TOKEN") && out.stdout.contains("role admin"),
        "{out:?}"
    );
    let out = cli_with(
        no_bus(&sb),
        &[
            "auth",
            "status",
            "--server",
            &url,
            "--token",
            "ect_wrong.token",
        ],
        None,
    );
    assert_eq!(out.code, Some(3), "a refused token is exit 3: {out:?}");

    let out = cli_with(no_bus(&sb), &["logout", "--server", &url], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        !file_text(&path).contains(&token),
        "logout left the token in the file"
    );
    let out = cli_with(
        no_bus(&sb),
        &["auth", "status", "--json", "--server", &url],
        None,
    );
    assert_eq!(out.code, Some(3), "{out:?}");
    let status: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(status["logged_in"], false);
    assert_eq!(status["token_source"], "none");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_prompt_does_not_echo_the_pasted_token() {
    use portable_pty::{PtySize, native_pty_system};
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let (token, _) = user_token(&coord.admin(), "typed").await;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = sb.pty_command();
    cmd.env("EDGECODER_KEYRING", "off");
    cmd.args(["login", "--server", &coord.url]);
    let mut child = pair.slave.spawn_command(cmd).expect("spawn login");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let read_until = |needle: &str, seen: &mut String| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !seen.contains(needle) {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(bytes) => seen.push_str(&String::from_utf8_lossy(&bytes)),
                Err(_) => panic!("no {needle:?} on the terminal; it shows: {seen:?}"),
            }
        }
    };
    read_until("API token (not shown): ", &mut seen);
    // The prompt comes first, then echo goes off: type only once the terminal says it is off,
    // so the check below is about the program, not about a race.
    let fd = pair.master.as_raw_fd().expect("pty fd");
    let echo_on = || {
        // SAFETY: tcgetattr fills a termios we own, from a descriptor we hold open.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0, "tcgetattr");
        t.c_lflag & libc::ECHO != 0
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while echo_on() {
        assert!(
            Instant::now() < deadline,
            "login never turned the terminal's echo off; it shows: {seen:?}"
        );
        std::thread::yield_now();
    }
    writer
        .write_all(format!("{token}\r").as_bytes())
        .expect("type the token");
    read_until("logged in to", &mut seen);
    let status = child.wait().expect("login exits");
    assert!(status.success(), "{seen}");
    assert!(
        !seen.contains(&token),
        "the terminal echoed the token: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_bus_that_never_answers_costs_only_the_keyring_timeout() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let (token, _) = user_token(&coord.admin(), "patient").await;
    // A bus that takes the connection and then says nothing, as a wedged one would.
    let socket = sb.path().join("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let mut cmd = sb.command();
    cmd.env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", socket.display()),
    )
    .env("EDGECODER_KEYRING_TIMEOUT_MS", "700");
    let started = Instant::now();
    let out = cli_with(cmd, &["login", "--server", &coord.url], Some(&token));
    let took = started.elapsed();
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("did not answer within 700 ms")
            && out.stdout.contains(&login_file(&sb).display().to_string()),
        "login must fall back to the file and say why: {out:?}"
    );
    assert!(took < Duration::from_secs(15), "login took {took:?}");
    assert!(file_text(&login_file(&sb)).contains(&token));
}
