//! [`TcpListener`]: accepting TCP connections.

use crate::addr::{each_addr, ToSocketAddrs};
use crate::tcp::TcpStream;
use eddy_reactor::{Interest, PollEvented};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::task::{ready, Context, Poll};

/// A TCP socket listening for connections.
///
/// `accept` waits for a connection. If the process is out of descriptors (`EMFILE`, `ENFILE`)
/// the error is returned at once; the pending connection stays queued in the kernel and the
/// listener stays ready, so the next `accept` tries again. A server loop must therefore neither
/// give up on that error (`?` would stop the server) nor retry at once (that spins): it backs
/// off, a short sleep, and retries, serving the queued clients once connections close and
/// descriptors are free. `examples/echo.rs` shows such a loop, and its test runs it out of
/// descriptors.
pub struct TcpListener {
    io: PollEvented<mio::net::TcpListener>,
}

impl TcpListener {
    /// Binds a listener to `addr` (the first address that works, if it resolves to several).
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        each_addr(addr, |addr| async move {
            TcpListener::new(mio::net::TcpListener::bind(addr)?)
        })
        .await
    }

    #[track_caller]
    pub(crate) fn new(listener: mio::net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            io: PollEvented::new_with_interest(listener, Interest::READABLE)?,
        })
    }

    /// Waits for a connection and returns it with the peer's address.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, addr) = self
            .io
            .registration()
            .async_io(Interest::READABLE, || self.io.accept())
            .await?;
        Ok((TcpStream::accepted(stream, &self.io)?, addr))
    }

    /// Polls for a connection (one polling task at a time).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        let (stream, addr) = ready!(self.io.registration().poll_read_io(cx, || self.io.accept()))?;
        Poll::Ready(TcpStream::accepted(stream, &self.io).map(|stream| (stream, addr)))
    }

    /// Wraps a std listener, switching it to non-blocking mode.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::new(mio::net::TcpListener::from_std(listener))
    }

    /// Deregisters the listener and returns it as a std listener (still non-blocking).
    pub fn into_std(self) -> io::Result<std::net::TcpListener> {
        Ok(self.io.into_inner()?.into())
    }

    /// The local address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr()
    }

    /// Takes the pending socket error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.take_error()
    }

    /// The IP time-to-live of accepted connections' packets.
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.ttl()
    }

    /// Sets the IP time-to-live.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.set_ttl(ttl)
    }
}

impl TryFrom<std::net::TcpListener> for TcpListener {
    type Error = io::Error;

    fn try_from(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        TcpListener::from_std(listener)
    }
}

impl AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.as_raw_fd()
    }
}

impl AsFd for TcpListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.as_fd()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("fd", &self.as_raw_fd())
            .field("local_addr", &self.local_addr().ok())
            .finish()
    }
}
