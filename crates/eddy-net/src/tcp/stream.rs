//! [`TcpStream`]: a TCP connection.

use crate::addr::{each_addr, ToSocketAddrs};
use crate::stream_core::{impl_async_read, impl_async_write, stream_readiness_methods, StreamCore};
use eddy_io::ReadBuf;
use eddy_reactor::driver::Handle;
use eddy_reactor::{Interest, PollEvented, Ready};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::task::{Context, Poll};
use std::time::Duration;

/// A TCP connection between a local and a remote socket.
///
/// Read and write it with the `AsyncRead`/`AsyncWrite` traits (and their `Ext` methods from
/// `eddy-io`), or with the `try_*` methods after waiting for [`ready`](TcpStream::ready).
/// Writing is shut down with `AsyncWriteExt::shutdown`; dropping the stream closes it.
pub struct TcpStream {
    core: StreamCore<mio::net::TcpStream>,
}

impl TcpStream {
    /// Connects to `addr` (each resolved address in turn until one accepts).
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    pub async fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        each_addr(addr, |addr| async move {
            TcpStream::connect_mio(mio::net::TcpStream::connect(addr)?).await
        })
        .await
    }

    /// Registers a socket whose connection is in progress and waits for it to complete.
    pub(crate) async fn connect_mio(stream: mio::net::TcpStream) -> io::Result<TcpStream> {
        let stream = TcpStream::new(stream)?;
        stream.core.wait_connected().await?;
        if let Some(error) = stream.take_error()? {
            return Err(error);
        }
        // `peer_addr` fails with `ENOTCONN` if the connection was refused without `SO_ERROR`.
        stream.peer_addr()?;
        Ok(stream)
    }

    #[track_caller]
    pub(crate) fn new(stream: mio::net::TcpStream) -> io::Result<TcpStream> {
        TcpStream::new_with_handle(stream, Handle::current())
    }

    /// Registers an accepted stream with the same driver as `listener`. It starts out assumed
    /// readable and writable: a client often sends before the server accepts, and its bytes
    /// can be read at once instead of after the driver's first event.
    pub(crate) fn accepted<E: mio::event::Source>(
        stream: mio::net::TcpStream,
        listener: &PollEvented<E>,
    ) -> io::Result<TcpStream> {
        let stream = TcpStream::new_with_handle(stream, listener.registration().handle().clone())?;
        stream.core.assume_ready(Ready::READABLE | Ready::WRITABLE);
        Ok(stream)
    }

    fn new_with_handle(stream: mio::net::TcpStream, handle: Handle) -> io::Result<TcpStream> {
        Ok(TcpStream {
            core: StreamCore::new(stream, handle)?,
        })
    }

    pub(crate) fn stream_core(&self) -> &StreamCore<mio::net::TcpStream> {
        &self.core
    }

    /// Wraps a connected std stream, switching it to non-blocking mode.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::new(mio::net::TcpStream::from_std(stream))
    }

    /// Deregisters the stream and returns it as a std stream (still non-blocking).
    pub fn into_std(self) -> io::Result<std::net::TcpStream> {
        Ok(self.core.into_inner()?.into())
    }

    /// The local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.core.io().local_addr()
    }

    /// The remote address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.core.io().peer_addr()
    }

    /// Takes the pending socket error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.core.io().take_error()
    }

    /// Whether Nagle's algorithm is off.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.core.io().nodelay()
    }

    /// Turns Nagle's algorithm off (`true`) or on.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.core.io().set_nodelay(nodelay)
    }

    /// The `SO_LINGER` timeout, if set.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        crate::sys::linger(self.as_fd())
    }

    /// Sets `SO_LINGER`: how long a close waits to send unsent data (`None`: in the background).
    /// A non-zero timeout makes dropping the stream block the thread: prefer
    /// [`set_zero_linger`](Self::set_zero_linger) or no linger at all.
    #[deprecated = "`SO_LINGER` with a timeout blocks the thread that drops the socket"]
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        crate::sys::set_linger(self.as_fd(), linger)
    }

    /// Sets `SO_LINGER` to zero: dropping the stream discards unsent data and resets the
    /// connection (the peer sees `ECONNRESET`) instead of closing it gracefully.
    pub fn set_zero_linger(&self) -> io::Result<()> {
        crate::sys::set_linger(self.as_fd(), Some(Duration::ZERO))
    }

    /// Whether `TCP_QUICKACK` is on (acknowledgements sent at once rather than delayed).
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "fuchsia"))]
    pub fn quickack(&self) -> io::Result<bool> {
        let (level, name) = crate::sys::TCP_QUICKACK;
        crate::sys::int_option(self.as_fd(), level, name).map(|value| value != 0)
    }

    /// Turns `TCP_QUICKACK` on or off. The kernel may turn it off again by itself: it is not
    /// a permanent setting.
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "fuchsia"))]
    pub fn set_quickack(&self, quickack: bool) -> io::Result<()> {
        let (level, name) = crate::sys::TCP_QUICKACK;
        crate::sys::set_int_option(self.as_fd(), level, name, quickack.into())
    }

    /// The IP time-to-live.
    pub fn ttl(&self) -> io::Result<u32> {
        self.core.io().ttl()
    }

    /// Sets the IP time-to-live.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.core.io().set_ttl(ttl)
    }

    stream_readiness_methods!();

    /// Receives data without removing it from the queue.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        let io = self.core.io();
        self.core
            .async_io(Interest::READABLE, || io.peek(buf))
            .await
    }

    /// Polls to peek into `buf` (one polling task at a time); returns the bytes peeked.
    pub fn poll_peek(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<usize>> {
        self.core.poll_peek(cx, buf)
    }
}

impl_async_read!(TcpStream, |this| this.core);
impl_async_write!(TcpStream, |this| this.core);

impl TryFrom<std::net::TcpStream> for TcpStream {
    type Error = io::Error;

    fn try_from(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        TcpStream::from_std(stream)
    }
}

impl AsRawFd for TcpStream {
    fn as_raw_fd(&self) -> RawFd {
        self.core.io().as_raw_fd()
    }
}

impl AsFd for TcpStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.io().as_fd()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("fd", &self.as_raw_fd())
            .field("local_addr", &self.local_addr().ok())
            .field("peer_addr", &self.peer_addr().ok())
            .finish()
    }
}
