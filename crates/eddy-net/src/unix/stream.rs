//! [`UnixStream`]: a Unix domain stream connection.

use crate::stream_core::{impl_async_read, impl_async_write, stream_readiness_methods, StreamCore};
use crate::unix::ucred::{self, UCred};
use crate::unix::SocketAddr;
use eddy_reactor::driver::Handle;
use eddy_reactor::Ready;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::path::Path;

/// A connected Unix domain stream socket.
pub struct UnixStream {
    core: StreamCore<mio::net::UnixStream>,
}

impl UnixStream {
    /// Connects to the socket at `path` (on Linux, a path starting with a NUL byte names the
    /// rest in the abstract namespace).
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    pub async fn connect(path: impl AsRef<Path>) -> io::Result<UnixStream> {
        let addr = crate::unix::socket_addr::from_path(path.as_ref())?;
        UnixStream::connect_mio(mio::net::UnixStream::connect_addr(&addr)?).await
    }

    /// Connects to the socket at `addr` (a path, or on Linux an abstract name).
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    pub async fn connect_addr(addr: &std::os::unix::net::SocketAddr) -> io::Result<UnixStream> {
        UnixStream::connect_mio(mio::net::UnixStream::connect_addr(addr)?).await
    }

    /// Registers a socket whose connection is in progress and waits for it to complete.
    pub(crate) async fn connect_mio(stream: mio::net::UnixStream) -> io::Result<UnixStream> {
        let stream = UnixStream::new(stream)?;
        stream.core.wait_connected().await?;
        if let Some(error) = stream.take_error()? {
            return Err(error);
        }
        Ok(stream)
    }

    /// A pair of connected streams.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = mio::net::UnixStream::pair()?;
        let (a, b) = (UnixStream::new(a)?, UnixStream::new(b)?);
        // Fresh buffers are empty: both ends can write now, and read once the other writes.
        a.core.assume_ready(Ready::WRITABLE);
        b.core.assume_ready(Ready::WRITABLE);
        Ok((a, b))
    }

    #[track_caller]
    fn new(stream: mio::net::UnixStream) -> io::Result<UnixStream> {
        UnixStream::new_with_handle(stream, Handle::current())
    }

    pub(crate) fn new_with_handle(
        stream: mio::net::UnixStream,
        handle: Handle,
    ) -> io::Result<UnixStream> {
        Ok(UnixStream {
            core: StreamCore::new(stream, handle)?,
        })
    }

    /// Registers an accepted stream with `handle`, assumed readable and writable (see
    /// `TcpStream`'s accepted streams).
    pub(crate) fn accepted(stream: mio::net::UnixStream, handle: Handle) -> io::Result<UnixStream> {
        let stream = UnixStream::new_with_handle(stream, handle)?;
        stream.core.assume_ready(Ready::READABLE | Ready::WRITABLE);
        Ok(stream)
    }

    pub(crate) fn stream_core(&self) -> &StreamCore<mio::net::UnixStream> {
        &self.core
    }

    /// Wraps a std stream, switching it to non-blocking mode.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(true)?;
        UnixStream::new(mio::net::UnixStream::from_std(stream))
    }

    /// Deregisters the stream and returns it as a std stream (still non-blocking).
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixStream> {
        Ok(self.core.into_inner()?.into())
    }

    /// The local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.core.io().local_addr().map(SocketAddr)
    }

    /// The peer's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.core.io().peer_addr().map(SocketAddr)
    }

    /// The peer's credentials (`SO_PEERCRED` on Linux, `getpeereid` on the BSDs and macOS).
    pub fn peer_cred(&self) -> io::Result<UCred> {
        ucred::peer_cred(self.as_fd())
    }

    /// Takes the pending socket error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.core.io().take_error()
    }

    stream_readiness_methods!();
}

impl_async_read!(UnixStream, |this| this.core);
impl_async_write!(UnixStream, |this| this.core);

impl TryFrom<std::os::unix::net::UnixStream> for UnixStream {
    type Error = io::Error;

    fn try_from(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        UnixStream::from_std(stream)
    }
}

impl AsRawFd for UnixStream {
    fn as_raw_fd(&self) -> RawFd {
        self.core.io().as_raw_fd()
    }
}

impl AsFd for UnixStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.io().as_fd()
    }
}

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixStream")
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
