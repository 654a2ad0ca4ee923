//! [`StreamCore`]: the readiness-driven I/O that TCP and Unix streams share.
//!
//! A stream is a connected mio source registered for reads and writes. Everything a stream does
//! besides addresses and options is the same for both families: wait for readiness, try a
//! syscall, clear the observed readiness on `WouldBlock` (or at once after a short read, which
//! proves the socket drained), and shut the write side down. `TcpStream`, `UnixStream` and their
//! split halves keep their own public methods and docs and forward here; the macros below write
//! their `AsyncRead`/`AsyncWrite` impls, which cannot be blanket impls (the traits are foreign).

use crate::socket_recv::{poll_recv, Recv};
use eddy_io::ReadBuf;
use eddy_reactor::driver::Handle;
use eddy_reactor::{Interest, PollEvented, Ready};
use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::net::Shutdown;
use std::os::fd::AsFd;
use std::task::{Context, Poll};

/// A connected stream socket of type `E`, registered with a reactor for reads and writes.
pub(crate) struct StreamCore<E: mio::event::Source> {
    io: PollEvented<E>,
}

impl<E: mio::event::Source> StreamCore<E> {
    /// Registers `io` for reads and writes with the driver of `handle`.
    pub(crate) fn new(io: E, handle: Handle) -> io::Result<Self> {
        let interest = Interest::READABLE | Interest::WRITABLE;
        Ok(StreamCore {
            io: PollEvented::new_with_interest_and_handle(io, interest, handle)?,
        })
    }

    /// The registered source, for the calls mio offers directly (addresses, options).
    pub(crate) fn io(&self) -> &PollEvented<E> {
        &self.io
    }

    /// Deregisters the source and returns it.
    pub(crate) fn into_inner(self) -> io::Result<E> {
        self.io.into_inner()
    }

    /// Marks the stream ready for `ready` before the OS reports it (see
    /// `Registration::assume_ready`).
    pub(crate) fn assume_ready(&self, ready: Ready) {
        self.io.registration().assume_ready(ready);
    }

    /// Waits until a connection in progress is writable (established or failed).
    pub(crate) async fn wait_connected(&self) -> io::Result<()> {
        std::future::poll_fn(|cx| self.poll_write_ready(cx)).await
    }

    /// Waits for any of the readiness in `interest`.
    pub(crate) async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        let event = self.io.registration().readiness(interest).await?;
        Ok(event.ready())
    }

    /// Polls for read readiness (one polling task at a time).
    pub(crate) fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.registration().poll_read_ready(cx).map_ok(drop)
    }

    /// Polls for write readiness (one polling task at a time).
    pub(crate) fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.registration().poll_write_ready(cx).map_ok(drop)
    }

    /// Runs `f` if the source is ready for `interest`, clearing the readiness on `WouldBlock`.
    pub(crate) fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.registration().try_io(interest, f)
    }

    /// Runs `f` until it does not return `WouldBlock`, waiting for `interest` in between.
    pub(crate) async fn async_io<R>(
        &self,
        interest: Interest,
        f: impl FnMut() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.registration().async_io(interest, f).await
    }
}

impl<E> StreamCore<E>
where
    E: mio::event::Source + AsFd,
    for<'a> &'a E: Read + Write,
{
    /// Reads what is there without waiting.
    pub(crate) fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.try_io(Interest::READABLE, || (&*self.io).read(buf))
    }

    /// Reads what is there into several buffers without waiting.
    pub(crate) fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.try_io(Interest::READABLE, || (&*self.io).read_vectored(bufs))
    }

    /// Reads what is there into the free room of `buf` without waiting; `buf` grows by the
    /// bytes read.
    #[cfg(feature = "util")]
    pub(crate) fn try_read_buf<B: bytes::BufMut + ?Sized>(&self, buf: &mut B) -> io::Result<usize> {
        self.try_io(Interest::READABLE, || {
            crate::sys::fill_buf_mut(buf, |read_buf| {
                crate::sys::recv_into(self.io.as_fd(), read_buf, 0)
            })
        })
    }

    /// Writes what fits without waiting.
    pub(crate) fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.try_io(Interest::WRITABLE, || (&*self.io).write(buf))
    }

    /// Writes what fits from several buffers without waiting.
    pub(crate) fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.try_io(Interest::WRITABLE, || (&*self.io).write_vectored(bufs))
    }

    /// Polls to peek into `buf`; returns the bytes peeked.
    pub(crate) fn poll_peek(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<usize>> {
        poll_recv(&self.io, cx, buf, Recv::Peek)
    }

    /// `AsyncRead::poll_read` for the stream and its read halves.
    pub(crate) fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        poll_recv(&self.io, cx, buf, Recv::Stream).map_ok(drop)
    }

    /// `AsyncWrite::poll_write` for the stream and its write halves.
    pub(crate) fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io.poll_write(cx, buf)
    }

    /// `AsyncWrite::poll_write_vectored` for the stream and its write halves.
    pub(crate) fn poll_write_vectored(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_write_vectored(cx, bufs)
    }
}

/// The sources a stream can be built on: both shut down through a `Shutdown` argument.
pub(crate) trait ShutdownSource {
    /// Shuts down reading, writing or both.
    fn shutdown(&self, how: Shutdown) -> io::Result<()>;
}

impl ShutdownSource for mio::net::TcpStream {
    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        mio::net::TcpStream::shutdown(self, how)
    }
}

impl ShutdownSource for mio::net::UnixStream {
    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        mio::net::UnixStream::shutdown(self, how)
    }
}

impl<E: mio::event::Source + ShutdownSource> StreamCore<E> {
    /// Shuts the write side down; the peer reads end-of-file. Already-closed is not an error.
    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        match self.io.shutdown(Shutdown::Write) {
            Err(error) if error.kind() == io::ErrorKind::NotConnected => Ok(()),
            result => result,
        }
    }
}

/// Implements `AsyncRead` for `$ty`, reading through the [`StreamCore`] that `$core` (an
/// expression of `$this: &$ty`) names.
macro_rules! impl_async_read {
    ($ty:ty, |$this:ident| $core:expr) => {
        impl ::eddy_io::AsyncRead for $ty {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut ::eddy_io::ReadBuf<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                let $this = &*self;
                $core.poll_read(cx, buf)
            }
        }
    };
}
pub(crate) use impl_async_read;

/// Implements `AsyncWrite` for `$ty`, writing through the [`StreamCore`] that `$core` (an
/// expression of `$this: &$ty`) names. Writes go straight to the kernel, so flushing is a
/// no-op. Shutting down runs `$shutdown` (given `$this: &mut $ty`), by default the core's
/// `shutdown_write`.
macro_rules! impl_async_write {
    ($ty:ty, |$this:ident| $core:expr) => {
        $crate::stream_core::impl_async_write!($ty, |$this| $core, shutdown: $core.shutdown_write());
    };
    ($ty:ty, |$this:ident| $core:expr, shutdown: $shutdown:expr) => {
        impl ::eddy_io::AsyncWrite for $ty {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $core.poll_write(cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let $this = &*self;
                $core.poll_write_vectored(cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            fn poll_flush(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(Ok(()))
            }

            fn poll_shutdown(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                let $this = self.get_mut();
                ::std::task::Poll::Ready($shutdown)
            }
        }
    };
}
pub(crate) use impl_async_write;

/// The readiness, `try_*` and `*_io` methods of a stream type whose `core` field is a
/// [`StreamCore`], written once for `TcpStream` and `UnixStream`. Invoke it inside the type's
/// `impl` block.
macro_rules! stream_readiness_methods {
    () => {
        /// Waits for any of the readiness in `interest`. Readiness can be a false positive: the
        /// following `try_*` call may still return `WouldBlock`.
        pub async fn ready(
            &self,
            interest: ::eddy_reactor::Interest,
        ) -> ::std::io::Result<::eddy_reactor::Ready> {
            self.core.ready(interest).await
        }

        /// Waits until the stream may be readable.
        pub async fn readable(&self) -> ::std::io::Result<()> {
            self.ready(::eddy_reactor::Interest::READABLE)
                .await
                .map(drop)
        }

        /// Waits until the stream may be writable.
        pub async fn writable(&self) -> ::std::io::Result<()> {
            self.ready(::eddy_reactor::Interest::WRITABLE)
                .await
                .map(drop)
        }

        /// Polls for read readiness (one polling task at a time).
        pub fn poll_read_ready(
            &self,
            cx: &mut ::std::task::Context<'_>,
        ) -> ::std::task::Poll<::std::io::Result<()>> {
            self.core.poll_read_ready(cx)
        }

        /// Polls for write readiness (one polling task at a time).
        pub fn poll_write_ready(
            &self,
            cx: &mut ::std::task::Context<'_>,
        ) -> ::std::task::Poll<::std::io::Result<()>> {
            self.core.poll_write_ready(cx)
        }

        /// Reads what is there without waiting; `WouldBlock` if nothing is.
        pub fn try_read(&self, buf: &mut [u8]) -> ::std::io::Result<usize> {
            self.core.try_read(buf)
        }

        /// Like [`try_read`](Self::try_read), into several buffers.
        pub fn try_read_vectored(
            &self,
            bufs: &mut [::std::io::IoSliceMut<'_>],
        ) -> ::std::io::Result<usize> {
            self.core.try_read_vectored(bufs)
        }

        /// Reads what is there into the free room of `buf` (which grows by the bytes read)
        /// without waiting; `WouldBlock` if nothing is there.
        #[cfg(feature = "util")]
        pub fn try_read_buf<B: ::bytes::BufMut>(&self, buf: &mut B) -> ::std::io::Result<usize> {
            self.core.try_read_buf(buf)
        }

        /// Writes what fits without waiting; `WouldBlock` if nothing does.
        pub fn try_write(&self, buf: &[u8]) -> ::std::io::Result<usize> {
            self.core.try_write(buf)
        }

        /// Like [`try_write`](Self::try_write), from several buffers.
        pub fn try_write_vectored(
            &self,
            bufs: &[::std::io::IoSlice<'_>],
        ) -> ::std::io::Result<usize> {
            self.core.try_write_vectored(bufs)
        }

        /// Runs `f` if the stream is ready for `interest`, clearing the readiness if `f` returns
        /// `WouldBlock`. `f` must do the I/O on this stream's descriptor.
        pub fn try_io<R>(
            &self,
            interest: ::eddy_reactor::Interest,
            f: impl FnOnce() -> ::std::io::Result<R>,
        ) -> ::std::io::Result<R> {
            self.core.try_io(interest, f)
        }

        /// Runs `f` until it does not return `WouldBlock`, waiting for `interest` in between.
        pub async fn async_io<R>(
            &self,
            interest: ::eddy_reactor::Interest,
            f: impl FnMut() -> ::std::io::Result<R>,
        ) -> ::std::io::Result<R> {
            self.core.async_io(interest, f).await
        }
    };
}
pub(crate) use stream_readiness_methods;
