//! [`UnixSocket`]: a Unix domain socket configured before it connects, listens or becomes a
//! datagram socket.

use crate::sys;
use crate::unix::{UnixDatagram, UnixListener, UnixStream};
use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::path::Path;

/// A Unix domain socket that is neither connected nor listening yet: `bind` it if needed,
/// then turn it into a [`UnixListener`] ([`listen`](UnixSocket::listen)), a [`UnixStream`]
/// ([`connect`](UnixSocket::connect)) or a [`UnixDatagram`] ([`datagram`](UnixSocket::datagram)).
///
/// The socket is created non-blocking and close-on-exec. A stream socket cannot become a
/// datagram socket, nor the reverse: those calls fail.
pub struct UnixSocket {
    fd: OwnedFd,
}

impl UnixSocket {
    /// A new datagram socket (`SOCK_DGRAM`).
    pub fn new_datagram() -> io::Result<UnixSocket> {
        sys::unix_socket(libc::SOCK_DGRAM).map(|fd| UnixSocket { fd })
    }

    /// A new stream socket (`SOCK_STREAM`).
    pub fn new_stream() -> io::Result<UnixSocket> {
        sys::unix_socket(libc::SOCK_STREAM).map(|fd| UnixSocket { fd })
    }

    /// Binds the socket to the file `path`, which must not exist yet.
    pub fn bind(&self, path: impl AsRef<Path>) -> io::Result<()> {
        sys::bind_unix(self.fd.as_fd(), path.as_ref())
    }

    /// Starts listening, with room for `backlog` pending connections.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn listen(self, backlog: u32) -> io::Result<UnixListener> {
        self.expect_type(
            libc::SOCK_STREAM,
            "listen cannot be called on a datagram socket",
        )?;
        sys::listen_on(self.fd.as_fd(), backlog)?;
        let listener = std::os::unix::net::UnixListener::from(self.fd);
        UnixListener::new(mio::net::UnixListener::from_std(listener))
    }

    /// Connects to the socket at `path` and waits until the connection is established.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    pub async fn connect(self, path: impl AsRef<Path>) -> io::Result<UnixStream> {
        self.expect_type(
            libc::SOCK_STREAM,
            "connect cannot be called on a datagram socket",
        )?;
        sys::connect_unix(self.fd.as_fd(), path.as_ref())?;
        let stream = std::os::unix::net::UnixStream::from(self.fd);
        UnixStream::connect_mio(mio::net::UnixStream::from_std(stream)).await
    }

    /// Turns the socket into a datagram socket (bound if [`bind`](UnixSocket::bind) was
    /// called).
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn datagram(self) -> io::Result<UnixDatagram> {
        self.expect_type(
            libc::SOCK_DGRAM,
            "datagram cannot be called on a stream socket",
        )?;
        let socket = std::os::unix::net::UnixDatagram::from(self.fd);
        UnixDatagram::new(mio::net::UnixDatagram::from_std(socket))
    }

    /// Fails with `message` (as Tokio does) unless the socket's type is `ty`.
    fn expect_type(&self, ty: std::ffi::c_int, message: &'static str) -> io::Result<()> {
        if sys::socket_type(self.fd.as_fd())? == ty {
            Ok(())
        } else {
            Err(io::Error::other(message))
        }
    }
}

impl AsRawFd for UnixSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for UnixSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl IntoRawFd for UnixSocket {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}

impl FromRawFd for UnixSocket {
    /// # Safety
    ///
    /// `fd` must be an open Unix domain socket that the caller owns and gives up.
    unsafe fn from_raw_fd(fd: RawFd) -> UnixSocket {
        UnixSocket {
            // SAFETY: the caller hands over ownership of an open socket (this fn's contract).
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        }
    }
}

impl fmt::Debug for UnixSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixSocket").field("fd", &self.fd).finish()
    }
}
