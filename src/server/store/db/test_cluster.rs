//! A throwaway PostgreSQL server for the tests (unit and integration) and the benchmarks: one
//! shared per test process, or a private one a test may stop and start; on a unix socket in a
//! temp dir, stopped when the process ends however it ends.
//!
//! Not used by the coordinator itself; it lives here so the tests and benchmarks share one.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

const SUPERUSER: &str = "postgres";
const PORT: u16 = 5432;

pub struct TestCluster {
    dir: PathBuf,
    bin: PathBuf,
    run_as: Option<crate::agent::sandbox::RunAs>,
    databases_made: AtomicU32,
    /// The running server; `None` while stopped (a private cluster only).
    server: Mutex<Option<Child>>,
}

impl TestCluster {
    /// Connection parameters for database `name`.
    pub fn url(&self, name: &str) -> String {
        format!(
            "host={} port={PORT} user={SUPERUSER} dbname={name} connect_timeout=10",
            self.dir.display()
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

    /// Stops the server as a crash would (immediate shutdown: no checkpoint, every connection
    /// cut), for tests of a database that goes away; [`TestCluster::start`] brings it back.
    pub fn stop(&self) -> Result<(), String> {
        let mut server = self
            .server
            .lock()
            .map_err(|_| "the server lock is poisoned")?;
        if let Some(mut child) = server.take() {
            // SAFETY: a signal to our own child process.
            unsafe { libc::kill(child.id() as i32, libc::SIGQUIT) };
            child
                .wait()
                .map_err(|e| format!("waiting for postgres to stop: {e}"))?;
        }
        Ok(())
    }

    /// Starts the server again on the same data (after [`TestCluster::stop`]).
    pub fn start(&self) -> Result<(), String> {
        let mut server = self
            .server
            .lock()
            .map_err(|_| "the server lock is poisoned")?;
        if server.is_none() {
            *server = Some(self.spawn_server()?);
        }
        Ok(())
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        if let Some(user) = &self.run_as {
            cmd.uid(user.uid).gid(user.gid);
        }
        cmd.env_remove("PGDATA").current_dir(&self.dir);
        cmd
    }

    fn spawn_server(&self) -> Result<Child, String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .map_err(|e| format!("cannot open the server log: {e}"))?;
        let mut server = self.command("postgres");
        server
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-k")
            .arg(&self.dir)
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
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            // The probe may run on an async thread; the child stays this thread's, so that its
            // parent-death signal follows this thread, not a probe's.
            let url = self.url("postgres");
            if super::off_the_runtime(|| postgres::Client::connect(&url, postgres::NoTls).is_ok()) {
                return Ok(child);
            }
            let log = || std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
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
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A server of the test's own, which it may stop and start; stopped and removed when dropped
/// (and by its parent-death signal when the thread that started it ends).
pub fn private() -> Result<TestCluster, String> {
    static MADE: AtomicU32 = AtomicU32::new(0);
    let n = MADE.fetch_add(1, Ordering::Relaxed);
    start(&format!("edgecoder-pg-{}-{n}", std::process::id()))
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
            let _ = tx.send(start(&format!("edgecoder-pg-{}", std::process::id())));
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

/// Makes a cluster in `<temp dir>/<name>` and starts its server.
fn start(name: &str) -> Result<TestCluster, String> {
    let bin = bindir()?;
    remove_stale_dirs();
    let dir = std::env::temp_dir().join(name);
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
    let cluster = TestCluster {
        dir,
        bin,
        run_as,
        databases_made: AtomicU32::new(0),
        server: Mutex::new(None),
    };
    let initdb = cluster
        .command("initdb")
        .arg("-D")
        .arg(cluster.dir.join("data"))
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
    cluster.start()?;
    Ok(cluster)
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
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
