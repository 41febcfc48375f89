//! Structured logs: human-readable to stderr, JSON lines to a rotating file in the log dir that
//! `edgecoder logs` reads back. No code path formats a secret into a log line.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Rotate past this size, keeping this many old files (`NAME.log.1` is the newest old one).
const ROTATE_BYTES: u64 = 10 << 20;
const KEEP_FILES: u32 = 5;

fn filter(level: &str) -> EnvFilter {
    EnvFilter::try_new(level)
        .or_else(|_| EnvFilter::try_new("info"))
        .unwrap_or_default()
}

fn ansi() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Logs to stderr and to `<log_dir>/<name>.log` (long-running commands). A log dir that cannot
/// be written is reported once and stderr logging goes on.
pub fn init_with_file(level: &str, log_dir: &Path, name: &str) {
    let file = match RotatingFile::open(log_dir, name) {
        Ok(f) => Some(f),
        Err(e) => {
            eprintln!(
                "warning: cannot write logs to {}: {e}; logging to stderr only",
                log_dir.display()
            );
            None
        }
    };
    let stderr_layer = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_ansi(ansi())
        .with_target(false);
    let file_layer = file.map(|f| {
        tracing_subscriber::fmt::layer()
            .json()
            .with_writer(f)
            .with_target(false)
            .with_current_span(false)
    });
    let _ = tracing_subscriber::registry()
        .with(filter(level))
        .with(stderr_layer)
        .with(file_layer)
        .try_init();
}

#[derive(Clone)]
struct RotatingFile {
    inner: Arc<Mutex<Rotating>>,
}

struct Rotating {
    path: PathBuf,
    file: File,
    size: u64,
}

impl RotatingFile {
    fn open(dir: &Path, name: &str) -> io::Result<RotatingFile> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("{name}.log"));
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        let size = file.metadata()?.len();
        Ok(RotatingFile {
            inner: Arc::new(Mutex::new(Rotating { path, file, size })),
        })
    }
}

impl Rotating {
    fn rotate(&mut self) -> io::Result<()> {
        let numbered = |n: u32| PathBuf::from(format!("{}.{n}", self.path.display()));
        let _ = std::fs::remove_file(numbered(KEEP_FILES));
        for n in (1..KEEP_FILES).rev() {
            let _ = std::fs::rename(numbered(n), numbered(n + 1));
        }
        std::fs::rename(&self.path, numbered(1))?;
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Ok(mut r) = self.inner.lock() else {
            return Ok(buf.len());
        };
        if r.size + buf.len() as u64 > ROTATE_BYTES && r.size > 0 {
            // A failed rotation keeps appending to the current file rather than losing lines.
            let _ = r.rotate();
        }
        let n = r.file.write(buf)?;
        r.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.inner.lock() {
            Ok(mut r) => r.file.flush(),
            Err(_) => Ok(()),
        }
    }
}

impl<'a> MakeWriter<'a> for RotatingFile {
    type Writer = RotatingFile;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Logging for a long-running command: stderr plus `<log dir>/<name>.log`.
pub fn init_service(resolved: &crate::config::Resolved, name: &str) {
    let dir = resolved
        .get("log_dir")
        .map(PathBuf::from)
        .unwrap_or_else(crate::config::paths::default_log_dir);
    init_with_file(resolved.get("log_level").unwrap_or("info"), &dir, name);
}
