//! The file and process work of an update: the rollback copy, the atomic swap, handing the
//! listening socket to the next process image, and re-executing.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The listening socket's descriptor, for a coordinator started by a coordinator that updated
/// itself. A process that finds it adopts the socket instead of binding, so the port never closes.
pub const LISTEN_FD_ENV: &str = "EDGECODER_LISTEN_FD";
/// The guard process of the update that started this process, reaped once it is done.
pub const GUARD_PID_ENV: &str = "EDGECODER_UPDATE_GUARD_PID";

/// Where the binary that ran before an update is kept: `<data dir>/update/edgecoder.previous`.
pub fn rollback_path(data_dir: &Path) -> PathBuf {
    data_dir.join("update").join("edgecoder.previous")
}

/// Copies the running binary aside so it can be put back.
pub fn keep_rollback_copy(exe: &Path, data_dir: &Path) -> std::io::Result<PathBuf> {
    let target = rollback_path(data_dir);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    place(exe, &target)?;
    Ok(target)
}

/// Puts `source` at `target` atomically: a copy beside the target, synced, then renamed over it,
/// so `target` is at every moment either the old file or the whole new one.
pub fn place(source: &Path, target: &Path) -> std::io::Result<()> {
    let mut from = std::fs::File::open(source)?;
    crate::files::replace_with(target, 0o755, |file| {
        std::io::copy(&mut from, file).map(drop)
    })
}

/// A copy of the listening descriptor (close-on-exec until [`exec`] clears it), so the socket
/// outlives the server that owns the original and stays open across the exec.
#[cfg(unix)]
pub fn dup_listener(fd: i32) -> std::io::Result<i32> {
    // SAFETY: fcntl on a descriptor this process owns; F_DUPFD_CLOEXEC returns a new descriptor.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(new)
    }
}

#[cfg(unix)]
pub fn set_inherit(fd: i32, inherit: bool) -> std::io::Result<()> {
    // SAFETY: F_GETFD/F_SETFD on a descriptor number; no memory is passed.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        if flags < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let flags = if inherit {
            flags & !libc::FD_CLOEXEC
        } else {
            flags | libc::FD_CLOEXEC
        };
        if libc::fcntl(fd, libc::F_SETFD, flags) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The socket a previous process image handed over (see [`LISTEN_FD_ENV`]), if it is a
/// listening TCP socket; anything else in the variable is ignored with a warning.
#[cfg(unix)]
pub fn adopt_listener() -> Option<std::net::TcpListener> {
    use std::os::unix::io::FromRawFd;
    let raw = std::env::var(LISTEN_FD_ENV).ok()?;
    let fd: i32 = match raw.parse() {
        Ok(fd) if fd > 2 => fd,
        _ => {
            tracing::warn!("{LISTEN_FD_ENV}={raw:?} is not a descriptor number; binding anew");
            return None;
        }
    };
    let mut listening: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `listening`, which we own.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ACCEPTCONN,
            (&mut listening as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if rc != 0 || listening == 0 {
        tracing::warn!(
            "descriptor {fd} from {LISTEN_FD_ENV} is not a listening socket; binding anew"
        );
        return None;
    }
    // SAFETY: the descriptor was handed to this process image for exactly this use, and nothing
    // else in the process owns it.
    let listener = unsafe { std::net::TcpListener::from_raw_fd(fd) };
    if listener.local_addr().is_err() || set_inherit(fd, false).is_err() {
        tracing::warn!("descriptor {fd} from {LISTEN_FD_ENV} is not a TCP socket; binding anew");
        std::mem::forget(listener);
        return None;
    }
    Some(listener)
}

#[cfg(not(unix))]
pub fn adopt_listener() -> Option<std::net::TcpListener> {
    None
}

/// Replaces this process image with `exe` (same pid, same arguments), handing it `listen_fd`.
/// Returns only when the exec failed.
#[cfg(unix)]
pub fn exec(
    exe: &Path,
    args: &[OsString],
    listen_fd: i32,
    guard_pid: Option<u32>,
) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    if let Err(e) = set_inherit(listen_fd, true) {
        return e;
    }
    let mut cmd = std::process::Command::new(exe);
    if let Some((arg0, rest)) = args.split_first() {
        cmd.arg0(arg0).args(rest);
    }
    cmd.env(LISTEN_FD_ENV, listen_fd.to_string());
    // The secrets this process took out of its environment at start (see `hardening`).
    cmd.envs(crate::hardening::taken_secrets());
    match guard_pid {
        Some(pid) => cmd.env(GUARD_PID_ENV, pid.to_string()),
        None => cmd.env_remove(GUARD_PID_ENV),
    };
    let _ = std::io::stdout().flush();
    cmd.exec()
}

/// Reaps the guard of the update that started this process once it exits (it is our child:
/// it was spawned by the process image this one replaced).
#[cfg(unix)]
pub fn reap_guard() {
    let Some(pid) = std::env::var(GUARD_PID_ENV)
        .ok()
        .and_then(|p| p.parse::<i32>().ok())
        .filter(|p| *p > 1)
    else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("update-guard-reaper".into())
        .spawn(move || {
            let mut status = 0;
            // SAFETY: waitpid on a specific pid; ECHILD (not our child) simply returns.
            unsafe { libc::waitpid(pid, &mut status, 0) };
        });
}

#[cfg(not(unix))]
pub fn reap_guard() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_replaces_the_target_whole_and_executable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (src, dst) = (dir.path().join("new"), dir.path().join("edgecoder"));
        std::fs::write(&src, b"new contents").unwrap();
        std::fs::write(&dst, b"old").unwrap();
        place(&src, &dst).unwrap();
        assert_eq!(std::fs::read(&dst).unwrap(), b"new contents");
        let mode = std::fs::metadata(&dst).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "a temp file was left behind: {names:?}");
    }

    #[test]
    fn a_listener_survives_its_original_being_closed() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let copy = dup_listener(std::os::unix::io::AsRawFd::as_raw_fd(&listener)).unwrap();
        drop(listener);
        // The port is still bound through the copy: a second bind fails.
        assert!(std::net::TcpListener::bind(addr).is_err());
        // SAFETY: test-owned descriptor.
        unsafe { libc::close(copy) };
    }
}
