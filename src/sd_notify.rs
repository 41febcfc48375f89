//! The systemd notify protocol, written out instead of pulling in libsystemd: one datagram of
//! `KEY=value` lines to the unix socket named by `$NOTIFY_SOCKET`. Without that variable (not run
//! by systemd with `Type=notify`) every call does nothing, so callers never need to check.
//!
//! `READY=1` once serving, `STOPPING=1` when a shutdown begins, `WATCHDOG=1` as a sign of life
//! (the unit's `WatchdogSec=`); `$WATCHDOG_USEC` says how often systemd expects one.

use std::time::Duration;

/// Sends `state` (newline-separated `KEY=value` lines) to systemd; a missing socket is Ok.
pub fn notify(state: &str) -> std::io::Result<()> {
    let Some(socket) = std::env::var_os("NOTIFY_SOCKET") else {
        return Ok(());
    };
    send(&socket, state)
}

pub fn ready() {
    log_failure(notify("READY=1"));
}

pub fn stopping() {
    log_failure(notify("STOPPING=1"));
}

pub fn watchdog() {
    log_failure(notify("WATCHDOG=1"));
}

/// A free-form line for `systemctl status`.
pub fn status(text: &str) {
    let line: String = text.chars().filter(|c| *c != '\n').collect();
    log_failure(notify(&format!("STATUS={line}")));
}

/// How often to pet the watchdog: half the interval systemd set, or None when it set none.
pub fn watchdog_period() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    // WATCHDOG_PID, when set, names the process the watchdog is for; a child must not pet.
    if let Some(pid) = std::env::var("WATCHDOG_PID")
        .ok()
        .and_then(|p| p.parse::<u32>().ok())
        && pid != std::process::id()
    {
        return None;
    }
    (usec > 0).then(|| Duration::from_micros(usec / 2))
}

fn log_failure(result: std::io::Result<()>) {
    if let Err(e) = result {
        tracing::debug!("sd_notify failed: {e}");
    }
}

#[cfg(unix)]
fn send(socket: &std::ffi::OsStr, state: &str) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::net::UnixDatagram;
    let bytes = socket.as_bytes();
    let sock = UnixDatagram::unbound()?;
    if let Some(name) = bytes.strip_prefix(b"@") {
        // An abstract socket (Linux): the name follows a NUL byte, not a path.
        #[cfg(target_os = "linux")]
        {
            use std::os::linux::net::SocketAddrExt;
            let addr = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
            sock.send_to_addr(state.as_bytes(), &addr)?;
            return Ok(());
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = name;
            return Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                "abstract NOTIFY_SOCKET outside Linux",
            ));
        }
    }
    sock.send_to(state.as_bytes(), std::path::Path::new(socket))?;
    Ok(())
}

#[cfg(not(unix))]
fn send(_socket: &std::ffi::OsStr, _state: &str) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixDatagram;

    #[test]
    fn a_datagram_reaches_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify.sock");
        let listener = UnixDatagram::bind(&path).unwrap();
        send(path.as_os_str(), "READY=1\nSTATUS=up").unwrap();
        let mut buf = [0u8; 64];
        let n = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1\nSTATUS=up");
    }

    #[test]
    fn abstract_sockets_work_on_linux() {
        #[cfg(target_os = "linux")]
        {
            use std::os::linux::net::SocketAddrExt;
            let name = format!("edgecoder-notify-test-{}", std::process::id());
            let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
            let listener = UnixDatagram::bind_addr(&addr).unwrap();
            send(std::ffi::OsStr::new(&format!("@{name}")), "WATCHDOG=1").unwrap();
            let mut buf = [0u8; 32];
            let n = listener.recv(&mut buf).unwrap();
            assert_eq!(&buf[..n], b"WATCHDOG=1");
        }
    }
}
