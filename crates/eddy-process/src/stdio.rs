//! A child's piped standard streams as async I/O: `eddy-net`'s pipe ends underneath.
//!
//! std's pipe ends become [`pipe::Sender`] and [`pipe::Receiver`], registered with the reactor
//! of the runtime that spawned the child; every read and write is theirs, so a child's pipes and
//! a pipe from `eddy::net::unix::pipe` follow one readiness protocol written once. A write to a
//! pipe whose reader is gone fails with `BrokenPipe` (Rust ignores `SIGPIPE`); a read after the
//! writer is gone returns 0.

use eddy_io::{AsyncRead, AsyncWrite, ReadBuf};
use eddy_net::unix::pipe;
use eddy_reactor::driver::Handle;
use std::fmt;
use std::io::{self, IoSlice};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Context, Poll};

/// The child's standard input, writable without blocking the runtime.
///
/// Dropping it closes the pipe, which the child reads as end of input.
pub struct ChildStdin {
    inner: pipe::Sender,
}

/// The child's standard output, readable without blocking the runtime.
pub struct ChildStdout {
    inner: pipe::Receiver,
}

/// The child's standard error, readable without blocking the runtime.
pub struct ChildStderr {
    inner: pipe::Receiver,
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
        let inner = pipe::Sender::from_owned_fd_with_handle(inner.into(), handle)?;
        Ok(ChildStdin { inner })
    }

    /// Deregisters the pipe and returns it as a blocking descriptor.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        self.inner.into_blocking_fd()
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
        let inner = pipe::Receiver::from_owned_fd_with_handle(inner.into(), handle)?;
        Ok(ChildStdout { inner })
    }

    /// Deregisters the pipe and returns it as a blocking descriptor.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        self.inner.into_blocking_fd()
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
        let inner = pipe::Receiver::from_owned_fd_with_handle(inner.into(), handle)?;
        Ok(ChildStderr { inner })
    }

    /// Deregisters the pipe and returns it as a blocking descriptor.
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        self.inner.into_blocking_fd()
    }
}

impl AsyncWrite for ChildStdin {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl AsyncRead for ChildStdout {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncRead for ChildStderr {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
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
