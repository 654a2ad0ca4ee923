//! A child's piped standard streams as async I/O: `eddy-net`'s pipe ends underneath.
//!
//! std's pipe ends become [`pipe::Sender`] and [`pipe::Receiver`], registered with the reactor
//! of the runtime that spawned the child; every read and write is theirs, so a child's pipes and
//! a pipe from `eddy::net::unix::pipe` follow one readiness protocol written once. A write to a
//! pipe whose reader is gone fails with `BrokenPipe` (Rust ignores `SIGPIPE`); a read after the
//! writer is gone returns 0.
//!
//! The three types differ only in the pipe end they wrap and in reading or writing, so one
//! macro writes what they share (registration, giving the descriptor back, the fd and `Debug`
//! impls) and each keeps its own `AsyncRead` or `AsyncWrite` forwarding.

use eddy_io::{AsyncRead, AsyncWrite, ReadBuf};
use eddy_net::unix::pipe;
use eddy_reactor::driver::Handle;
use std::fmt;
use std::io::{self, IoSlice};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Context, Poll};

/// A child's pipe type: the struct over its `eddy-net` pipe end, its constructors, the way back
/// to a blocking descriptor or `Stdio`, and the fd and `Debug` impls.
macro_rules! child_pipe {
    ($(#[$docs:meta])* $name:ident($std:ty) => $end:ty) => {
        $(#[$docs])*
        pub struct $name {
            inner: $end,
        }

        impl $name {
            /// Registers std's handle with the current reactor.
            ///
            /// # Panics
            ///
            /// Outside a runtime, or in a runtime built without I/O.
            #[track_caller]
            pub fn from_std(inner: $std) -> io::Result<$name> {
                $name::with_handle(inner, Handle::current())
            }

            pub(crate) fn with_handle(inner: $std, handle: Handle) -> io::Result<$name> {
                let inner = <$end>::from_owned_fd_with_handle(inner.into(), handle)?;
                Ok($name { inner })
            }

            /// Deregisters the pipe and returns it as a blocking descriptor.
            pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
                self.inner.into_blocking_fd()
            }
        }

        impl TryFrom<$name> for Stdio {
            type Error = io::Error;

            /// Hands the pipe to another child as one of its standard streams, in blocking
            /// mode (`a | b` as two processes).
            fn try_from(pipe: $name) -> io::Result<Stdio> {
                pipe.into_owned_fd().map(Stdio::from)
            }
        }

        impl AsRawFd for $name {
            fn as_raw_fd(&self) -> RawFd {
                self.inner.as_raw_fd()
            }
        }

        impl AsFd for $name {
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.inner.as_fd()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("fd", &self.as_raw_fd())
                    .finish()
            }
        }
    };
}

child_pipe! {
    /// The child's standard input, writable without blocking the runtime.
    ///
    /// Dropping it closes the pipe, which the child reads as end of input.
    ChildStdin(std::process::ChildStdin) => pipe::Sender
}

child_pipe! {
    /// The child's standard output, readable without blocking the runtime.
    ChildStdout(std::process::ChildStdout) => pipe::Receiver
}

child_pipe! {
    /// The child's standard error, readable without blocking the runtime.
    ChildStderr(std::process::ChildStderr) => pipe::Receiver
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
