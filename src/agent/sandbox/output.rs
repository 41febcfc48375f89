//! Output: one reader thread per pipe delivers chunks to the sink under a cap
//! shared by stdout and stderr, and keeps each stream's tail for the outcome.
//! Separate because it is plain byte plumbing, independent of how the child
//! was started or is supervised.

use super::{Sink, StreamKind};
use rustix::event::{PollFd, PollFlags};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Bytes per read from a pipe (the Linux pipe buffer is 64 KiB, so one read
/// usually empties it).
const READ_CHUNK: usize = 64 * 1024;
/// How often an idle reader wakes to see whether it should give up.
const READER_POLL: rustix::event::Timespec = rustix::event::Timespec {
    tv_sec: 0,
    tv_nsec: 100_000_000,
};

/// Shared by both readers: the cap counts stdout and stderr together.
pub(super) struct OutputShared<'a> {
    pub(super) sink: Sink<'a>,
    pub(super) cap: u64,
    pub(super) delivered: AtomicU64,
    pub(super) total: AtomicU64,
    pub(super) truncated: AtomicBool,
    /// Readers stop at their next wake-up, even with the pipe still open.
    pub(super) give_up: AtomicBool,
}

impl OutputShared<'_> {
    fn deliver(&self, kind: StreamKind, chunk: &[u8]) {
        let len = chunk.len() as u64;
        self.total.fetch_add(len, Ordering::Relaxed);
        // Reserve our share of the cap atomically, so two readers never overshoot it.
        let before = self.delivered.fetch_add(len, Ordering::Relaxed);
        let room = self.cap.saturating_sub(before).min(len);
        let take = usize::try_from(room).unwrap_or(chunk.len());
        if take < chunk.len() {
            self.truncated.store(true, Ordering::Relaxed);
        }
        if take > 0 {
            (self.sink)(kind, &chunk[..take]);
        }
    }
}

/// Reads one pipe to EOF (or until told to give up); returns the stream's tail.
/// Waits in poll() with a timeout rather than a blocking read, so a pipe held
/// open by an escaped descendant cannot keep this thread forever.
pub(super) fn read_stream(
    fd: OwnedFd,
    kind: StreamKind,
    output: &OutputShared<'_>,
    tail_bytes: usize,
) -> Vec<u8> {
    set_nonblocking(&fd);
    let mut pipe = File::from(fd);
    let mut buf = vec![0u8; READ_CHUNK];
    let mut tail = Tail::new(tail_bytes);
    while !output.give_up.load(Ordering::Relaxed) {
        let mut pfd = [PollFd::new(&pipe, PollFlags::IN)];
        match rustix::event::poll(&mut pfd, Some(&READER_POLL)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => continue,
            Ok(_) => {}
            Err(_) => break,
        }
        // Readable, hung up or in error: read() tells which.
        match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                output.deliver(kind, &buf[..n]);
                tail.push(&buf[..n]);
            }
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
                ) => {}
            Err(_) => break,
        }
    }
    tail.into_vec()
}

/// Best effort: poll() already says when data is there; non-blocking only
/// guards against a spurious wake-up blocking the read.
fn set_nonblocking(fd: &OwnedFd) {
    let _ = rustix::io::ioctl_fionbio(fd, true);
}

/// The last `cap` bytes of a stream.
pub(super) struct Tail {
    cap: usize,
    /// Read directly by the tests.
    pub(super) buf: VecDeque<u8>,
}

impl Tail {
    pub(super) fn new(cap: usize) -> Self {
        Tail {
            cap,
            buf: VecDeque::new(),
        }
    }

    pub(super) fn push(&mut self, chunk: &[u8]) {
        if chunk.len() >= self.cap {
            self.buf.clear();
            self.buf.extend(&chunk[chunk.len() - self.cap..]);
            return;
        }
        let excess = (self.buf.len() + chunk.len()).saturating_sub(self.cap);
        self.buf.drain(..excess);
        self.buf.extend(chunk);
    }

    pub(super) fn into_vec(self) -> Vec<u8> {
        self.buf.into()
    }
}
