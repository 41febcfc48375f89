//! A throwaway PostgreSQL server for the tests (unit and integration): one per test process,
//! on a unix socket in a temp dir, stopped when the process ends however it ends.
//!
//! Not used by the coordinator itself; it lives here so both kinds of test share one.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const SUPERUSER: &str = "postgres";
const PORT: u16 = 5432;

pub struct TestCluster {
    socket_dir: PathBuf,
    databases_made: AtomicU32,
}

impl TestCluster {
    /// Connection parameters for database `name`.
    pub fn url(&self, name: &str) -> String {
        format!(
            "host={} port={PORT} user={SUPERUSER} dbname={name} connect_timeout=10",
            self.socket_dir.display()
        )
    }

    /// A new empty database of its own, for one test; its connection parameters.
    pub fn fresh_database(&self) -> Result<String, String> {
        let n = self.databases_made.fetch_add(1, Ordering::Relaxed);
        let name = format!("test_{n}");
        // Tests on a tokio runtime call this too: the client runs its own, off theirs.
        super::off_the_runtime(|| {
            let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
                .map_err(|e| format!("cannot reach the test PostgreSQL: {e}"))?;
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .map_err(|e| format!("cannot create database {name}: {e}"))
        })?;
        Ok(self.url(&name))
    }
}

/// The process's test server, started on first use; `Err` says why there is none (no
/// PostgreSQL installed, say), for `skip_unless_ci`.
pub fn shared() -> Result<&'static TestCluster, String> {
    static CLUSTER: OnceLock<Result<TestCluster, String>> = OnceLock::new();
    CLUSTER
        .get_or_init(start_on_keeper_thread)
        .as_ref()
        .map_err(Clone::clone)
}

/// The server is a child of a thread that never ends, so that its parent-death signal fires
/// when the process ends, not when the test that happened to start it returns.
fn start_on_keeper_thread() -> Result<TestCluster, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("test-postgres".into())
        .spawn(move || {
            let _ = tx.send(start());
            loop {
                std::thread::park();
            }
        })
        .map_err(|e| format!("cannot start the test PostgreSQL's thread: {e}"))?;
    rx.recv()
        .map_err(|_| "the test PostgreSQL's thread ended before it started".to_string())?
}

/// Where `initdb` and `postgres` are: `EDGECODER_PG_BINDIR`, `pg_config --bindir`, or the newest
/// of Debian's `/usr/lib/postgresql/N/bin`.
fn bindir() -> Result<PathBuf, String> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Ok(dir) = std::env::var("EDGECODER_PG_BINDIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let dir = e.path().join("bin");
            has_server(&dir).then_some((version, dir))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, dir)| dir).ok_or_else(|| {
        "no PostgreSQL server is installed (no initdb under /usr/lib/postgresql/*/bin; \
         install postgresql, or set EDGECODER_PG_BINDIR)"
            .to_string()
    })
}

fn start() -> Result<TestCluster, String> {
    let bin = bindir()?;
    remove_stale_dirs();
    let dir = std::env::temp_dir().join(format!("edgecoder-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    // initdb refuses to run as root: as root, the server runs as the distribution's user.
    // SAFETY: geteuid only reads the process's credentials.
    let run_as = if unsafe { libc::geteuid() } == 0 {
        let user = crate::agent::task_user::lookup(SUPERUSER)?
            .ok_or("running as root, the test PostgreSQL needs the `postgres` user")?;
        std::os::unix::fs::chown(&dir, Some(user.uid), Some(user.gid))
            .map_err(|e| format!("cannot hand {} to postgres: {e}", dir.display()))?;
        Some(user)
    } else {
        None
    };
    let command = |program: &str| {
        let mut cmd = Command::new(bin.join(program));
        if let Some(user) = &run_as {
            cmd.uid(user.uid).gid(user.gid);
        }
        cmd.env_remove("PGDATA").current_dir(&dir);
        cmd
    };
    let data = dir.join("data");
    let initdb = command("initdb")
        .arg("-D")
        .arg(&data)
        .args([
            "-N",
            "-A",
            "trust",
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--no-locale",
        ])
        .output()
        .map_err(|e| format!("cannot run initdb: {e}"))?;
    if !initdb.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr).trim()
        ));
    }
    let log = std::fs::File::create(dir.join("server.log"))
        .map_err(|e| format!("cannot make the server log: {e}"))?;
    let mut server = command("postgres");
    server
        .arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(&dir)
        .args([
            "-p",
            &PORT.to_string(),
            "-c",
            "listen_addresses=",
            "-c",
            "fsync=off",
        ])
        .args(["-c", "max_connections=200"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    // SAFETY: prctl is async-signal-safe; it runs after the uid change, which would clear it.
    unsafe {
        server.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = server
        .spawn()
        .map_err(|e| format!("cannot start postgres: {e}"))?;
    let cluster = TestCluster {
        socket_dir: dir.clone(),
        databases_made: AtomicU32::new(0),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if postgres::Client::connect(&cluster.url("postgres"), postgres::NoTls).is_ok() {
            return Ok(cluster);
        }
        let log = || std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("postgres exited ({status}): {}", log().trim()));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!(
                "postgres did not accept connections in 30 s: {}",
                log()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Data dirs left by test processes that have ended.
fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("edgecoder-pg-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
