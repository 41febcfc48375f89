//! Network isolation (Linux only): moving the child into a new, empty network
//! namespace, with a user namespace when we lack CAP_SYS_ADMIN, and telling the
//! parent through a pipe whether it worked. Separate because it is the
//! platform-specific part of the child setup, with its own parent-side helpers
//! (the report pipe).

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{OwnedFd, RawFd};

/// A line for `/proc/self/{u,g}id_map`, formatted in the parent.
#[derive(Clone, Copy)]
struct MapLine {
    buf: [u8; 48],
    len: usize,
}

impl MapLine {
    fn identity(id: u32) -> Self {
        let text = format!("{id} {id} 1\n");
        let mut buf = [0u8; 48];
        let len = text.len().min(buf.len());
        buf[..len].copy_from_slice(&text.as_bytes()[..len]);
        MapLine { buf, len }
    }
}

#[derive(Clone, Copy)]
pub(super) struct Isolation {
    /// Write end of the report pipe: the child writes b'1' when isolated, b'0' when not.
    report_fd: RawFd,
    uid_map: MapLine,
    gid_map: MapLine,
    /// Fall back to a user namespace when a plain network namespace is refused.
    allow_userns: bool,
}

impl Isolation {
    pub(super) fn new(report_fd: RawFd, allow_userns: bool) -> Self {
        let (uid, gid) = (
            rustix::process::getuid().as_raw(),
            rustix::process::getgid().as_raw(),
        );
        Isolation {
            report_fd,
            uid_map: MapLine::identity(uid),
            gid_map: MapLine::identity(gid),
            allow_userns,
        }
    }

    /// In the child: move into a new, empty network namespace, with a new
    /// user namespace when we lack CAP_SYS_ADMIN. Never fails the spawn:
    /// without isolation the task runs anyway and the parent is told.
    pub(super) fn enter_and_report(&self) {
        let isolated = self.enter();
        let byte = if isolated { b'1' } else { b'0' };
        // SAFETY: writing one byte from a local to a pipe we own.
        unsafe { libc::write(self.report_fd, (&raw const byte).cast(), 1) };
    }

    fn enter(&self) -> bool {
        // SAFETY: unshare only changes this (single-threaded, forked) process.
        if unsafe { libc::unshare(libc::CLONE_NEWNET) } == 0 {
            loopback_up();
            return true;
        }
        if !self.allow_userns {
            return false;
        }
        // SAFETY: as above.
        if unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) } != 0 {
            return false;
        }
        // Map our own ids so the task keeps its uid/gid instead of
        // "nobody". Best effort: without the maps it is still isolated.
        write_proc(c"/proc/self/setgroups", b"deny");
        write_proc(c"/proc/self/uid_map", &self.uid_map.buf[..self.uid_map.len]);
        write_proc(c"/proc/self/gid_map", &self.gid_map.buf[..self.gid_map.len]);
        loopback_up();
        true
    }
}

fn write_proc(path: &std::ffi::CStr, data: &[u8]) {
    // SAFETY: open/write/close on a NUL-terminated literal and a borrowed buffer.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd >= 0 {
            libc::write(fd, data.as_ptr().cast(), data.len());
            libc::close(fd);
        }
    }
}

/// A new namespace's `lo` is down; test suites often bind 127.0.0.1.
fn loopback_up() {
    // SAFETY: socket/ioctl/close on a local ifreq; failures are ignored.
    unsafe {
        let sock = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if sock < 0 {
            return;
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        req.ifr_name[0] = b'l' as libc::c_char;
        req.ifr_name[1] = b'o' as libc::c_char;
        if libc::ioctl(sock, libc::SIOCGIFFLAGS as _, &raw mut req) == 0 {
            req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            libc::ioctl(sock, libc::SIOCSIFFLAGS as _, &raw const req);
        }
        libc::close(sock);
    }
}

/// Close-on-exec pipe through which the child says whether isolation worked.
pub(super) fn report_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    use rustix::pipe::{PipeFlags, pipe_with};
    Ok(pipe_with(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?)
}

/// Called after spawn returned, i.e. after the child's pre_exec ran, so the
/// byte is already in the pipe.
pub(super) fn read_report(read_end: OwnedFd) -> bool {
    let mut byte = [0u8; 1];
    matches!(File::from(read_end).read(&mut byte), Ok(1)) && byte[0] == b'1'
}
