//! A child's piped standard streams as async I/O: pipes registered with the reactor.
//!
//! std's pipe ends are switched to non-blocking mode and wrapped in mio's pipe types, then
//! registered (edge-triggered, once) like sockets: reads and writes follow the reactor's
//! readiness protocol through [`PollEvented`]. A write to a pipe whose reader is gone fails
//! with `BrokenPipe` (Rust ignores `SIGPIPE`); a read after the writer is gone returns 0.

use eddy_io::{AsyncRead, AsyncWrite, ReadBuf};
use eddy_reactor::driver::Handle;
use eddy_reactor::{Interest, PollEvented};
use mio::unix::pipe::{Receiver, Sender};
use std::fmt;
use std::io::{self, IoSlice};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{ready, Context, Poll};

/// The child's standard input, writable without blocking the runtime.
///
/// Dropping it closes the pipe, which the child reads as end of input.
pub struct ChildStdin {
    inner: PollEvented<Sender>,
}

/// The child's standard output, readable without blocking the runtime.
pub struct ChildStdout {
    inner: PollEvented<Receiver>,
}

/// The child's standard error, readable without blocking the runtime.
pub struct ChildStderr {
    inner: PollEvented<Receiver>,
}

impl ChildStdin {
    /// Registers std's handle with the current reactor.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn from_std(inner: std::process::ChildStdin) -> io::Result<ChildStdin> {
        ChildStdin::with_handle(inner, Handle::current())
    }

    pub(crate) fn with_handle(
        inner: std::process::ChildStdin,
        handle: Handle,
    ) -> io::Result<ChildStdin> {
        let sender = Sender::from(inner);
        sender.set_nonblocking(true)?;
        let inner = PollEvented::new_with_interest_and_handle(sender, Interest::WRITABLE, handle)?;
        Ok(ChildStdin { inner })
    }

    /// Deregisters the pipe and returns it as a blocking descriptor.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        let sender = self.inner.into_inner()?;
        sender.set_nonblocking(false)?;
        Ok(OwnedFd::from(sender))
    }
}

impl ChildStdout {
    /// Registers std's handle with the current reactor.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn from_std(inner: std::process::ChildStdout) -> io::Result<ChildStdout> {
        ChildStdout::with_handle(inner, Handle::current())
    }

    pub(crate) fn with_handle(
        inner: std::process::ChildStdout,
        handle: Handle,
    ) -> io::Result<ChildStdout> {
        let inner = register_receiver(Receiver::from(inner), handle)?;
        Ok(ChildStdout { inner })
    }

    /// Deregisters the pipe and returns it as a blocking descriptor.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        into_blocking_fd(self.inner)
    }
}

impl ChildStderr {
    /// Registers std's handle with the current reactor.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn from_std(inner: std::process::ChildStderr) -> io::Result<ChildStderr> {
        ChildStderr::with_handle(inner, Handle::current())
    }

    pub(crate) fn with_handle(
        inner: std::process::ChildStderr,
        handle: Handle,
    ) -> io::Result<ChildStderr> {
        let inner = register_receiver(Receiver::from(inner), handle)?;
        Ok(ChildStderr { inner })
    }

    /// Deregisters the pipe and returns it as a blocking descriptor.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        into_blocking_fd(self.inner)
    }
}

fn register_receiver(receiver: Receiver, handle: Handle) -> io::Result<PollEvented<Receiver>> {
    receiver.set_nonblocking(true)?;
    PollEvented::new_with_interest_and_handle(receiver, Interest::READABLE, handle)
}

fn into_blocking_fd(inner: PollEvented<Receiver>) -> io::Result<OwnedFd> {
    let receiver = inner.into_inner()?;
    receiver.set_nonblocking(false)?;
    Ok(OwnedFd::from(receiver))
}

/// Reads into the unfilled part of `buf`.
fn poll_read_pipe(
    inner: &PollEvented<Receiver>,
    cx: &mut Context<'_>,
    buf: &mut ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    let n = ready!(inner.poll_read(cx, buf.initialize_unfilled()))?;
    buf.advance(n);
    Poll::Ready(Ok(()))
}

impl AsyncWrite for ChildStdin {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.inner.poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.inner.poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // A pipe has no user-space buffer to flush.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The pipe closes when the handle is dropped, as with Tokio.
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for ChildStdout {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        poll_read_pipe(&self.inner, cx, buf)
    }
}

impl AsyncRead for ChildStderr {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        poll_read_pipe(&self.inner, cx, buf)
    }
}

impl TryFrom<ChildStdin> for Stdio {
    type Error = io::Error;

    /// Hands the pipe to another child as its stdin (or stdout/stderr), in blocking mode.
    fn try_from(stdin: ChildStdin) -> io::Result<Stdio> {
        stdin.into_owned_fd().map(Stdio::from)
    }
}

impl TryFrom<ChildStdout> for Stdio {
    type Error = io::Error;

    /// Hands the pipe to another child, in blocking mode: `a | b` as two processes.
    fn try_from(stdout: ChildStdout) -> io::Result<Stdio> {
        stdout.into_owned_fd().map(Stdio::from)
    }
}

impl TryFrom<ChildStderr> for Stdio {
    type Error = io::Error;

    /// Hands the pipe to another child, in blocking mode.
    fn try_from(stderr: ChildStderr) -> io::Result<Stdio> {
        stderr.into_owned_fd().map(Stdio::from)
    }
}

impl AsRawFd for ChildStdin {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl AsRawFd for ChildStdout {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl AsRawFd for ChildStderr {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl AsFd for ChildStdin {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsFd for ChildStdout {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsFd for ChildStderr {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl fmt::Debug for ChildStdin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildStdin")
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

impl fmt::Debug for ChildStdout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildStdout")
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

impl fmt::Debug for ChildStderr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildStderr")
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
