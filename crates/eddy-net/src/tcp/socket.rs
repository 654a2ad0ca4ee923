//! [`TcpSocket`]: a TCP socket configured before it connects or listens.

use crate::sys;
use crate::tcp::{TcpListener, TcpStream};
use std::ffi::c_int;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::time::Duration;

/// A TCP socket that is neither connected nor listening yet: set options, `bind`, then
/// [`connect`](TcpSocket::connect) or [`listen`](TcpSocket::listen).
///
/// The socket is created non-blocking and close-on-exec.
pub struct TcpSocket {
    fd: OwnedFd,
}

impl TcpSocket {
    /// A new IPv4 TCP socket.
    pub fn new_v4() -> io::Result<TcpSocket> {
        Ok(TcpSocket {
            fd: sys::tcp_socket(sys::AF_INET)?,
        })
    }

    /// A new IPv6 TCP socket.
    pub fn new_v6() -> io::Result<TcpSocket> {
        Ok(TcpSocket {
            fd: sys::tcp_socket(sys::AF_INET6)?,
        })
    }

    fn set_flag(&self, level: c_int, name: c_int, on: bool) -> io::Result<()> {
        sys::set_int_option(self.fd.as_fd(), level, name, c_int::from(on))
    }

    fn flag(&self, level: c_int, name: c_int) -> io::Result<bool> {
        sys::int_option(self.fd.as_fd(), level, name).map(|value| value != 0)
    }

    fn set_size(&self, name: c_int, size: u32) -> io::Result<()> {
        let size = c_int::try_from(size).unwrap_or(c_int::MAX);
        sys::set_int_option(self.fd.as_fd(), sys::SOL_SOCKET, name, size)
    }

    fn size(&self, name: c_int) -> io::Result<u32> {
        sys::int_option(self.fd.as_fd(), sys::SOL_SOCKET, name)
            .map(|size| u32::try_from(size).unwrap_or(0))
    }

    /// Allows binding to an address in `TIME_WAIT` (`SO_REUSEADDR`).
    pub fn set_reuseaddr(&self, reuseaddr: bool) -> io::Result<()> {
        self.set_flag(sys::SOL_SOCKET, sys::SO_REUSEADDR, reuseaddr)
    }

    /// Whether `SO_REUSEADDR` is set.
    pub fn reuseaddr(&self) -> io::Result<bool> {
        self.flag(sys::SOL_SOCKET, sys::SO_REUSEADDR)
    }

    /// Allows several sockets to bind the same address (`SO_REUSEPORT`).
    pub fn set_reuseport(&self, reuseport: bool) -> io::Result<()> {
        self.set_flag(sys::SOL_SOCKET, sys::reuseport_option()?, reuseport)
    }

    /// Whether `SO_REUSEPORT` is set.
    pub fn reuseport(&self) -> io::Result<bool> {
        self.flag(sys::SOL_SOCKET, sys::reuseport_option()?)
    }

    /// Sets the send buffer size (`SO_SNDBUF`; the kernel may round or double it).
    pub fn set_send_buffer_size(&self, size: u32) -> io::Result<()> {
        self.set_size(sys::SO_SNDBUF, size)
    }

    /// The send buffer size.
    pub fn send_buffer_size(&self) -> io::Result<u32> {
        self.size(sys::SO_SNDBUF)
    }

    /// Sets the receive buffer size (`SO_RCVBUF`; the kernel may round or double it).
    pub fn set_recv_buffer_size(&self, size: u32) -> io::Result<()> {
        self.set_size(sys::SO_RCVBUF, size)
    }

    /// The receive buffer size.
    pub fn recv_buffer_size(&self) -> io::Result<u32> {
        self.size(sys::SO_RCVBUF)
    }

    /// Turns keep-alive probes on or off (`SO_KEEPALIVE`).
    pub fn set_keepalive(&self, keepalive: bool) -> io::Result<()> {
        self.set_flag(sys::SOL_SOCKET, sys::SO_KEEPALIVE, keepalive)
    }

    /// Whether `SO_KEEPALIVE` is set.
    pub fn keepalive(&self) -> io::Result<bool> {
        self.flag(sys::SOL_SOCKET, sys::SO_KEEPALIVE)
    }

    /// Turns Nagle's algorithm off (`true`) or on.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.set_flag(sys::IPPROTO_TCP, sys::TCP_NODELAY, nodelay)
    }

    /// Whether Nagle's algorithm is off.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.flag(sys::IPPROTO_TCP, sys::TCP_NODELAY)
    }

    /// Sets `SO_LINGER`. A non-zero timeout makes closing the socket block the thread until
    /// the data is sent or the timeout passes, which stalls a runtime's worker: prefer
    /// [`set_zero_linger`](Self::set_zero_linger) or no linger at all.
    #[deprecated = "`SO_LINGER` with a timeout blocks the thread that drops the socket"]
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        sys::set_linger(self.fd.as_fd(), linger)
    }

    /// Sets `SO_LINGER` to zero: closing the socket discards unsent data and resets the
    /// connection (the peer sees `ECONNRESET`) instead of a graceful close.
    pub fn set_zero_linger(&self) -> io::Result<()> {
        sys::set_linger(self.fd.as_fd(), Some(Duration::ZERO))
    }

    /// The `SO_LINGER` timeout, if set.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        sys::linger(self.fd.as_fd())
    }

    crate::ip_options::ip_option_methods!();

    /// Binds the socket to `addr`.
    pub fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        sys::bind_addr(self.fd.as_fd(), &addr)
    }

    /// The local address (after `bind`, or the one the OS chose).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.with_std(|socket| socket.local_addr())
    }

    /// Takes the pending socket error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.with_std(|socket| socket.take_error())
    }

    /// Runs `f` on a std view of (a duplicate of) the socket, for calls std already wraps.
    fn with_std<R>(&self, f: impl FnOnce(&std::net::TcpStream) -> io::Result<R>) -> io::Result<R> {
        let fd = self.fd.try_clone()?;
        f(&std::net::TcpStream::from(fd))
    }

    /// Connects to `addr` and waits until the connection is established.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    pub async fn connect(self, addr: SocketAddr) -> io::Result<TcpStream> {
        sys::start_connect(self.fd.as_fd(), &addr)?;
        let stream = mio::net::TcpStream::from(self.fd);
        TcpStream::connect_mio(stream).await
    }

    /// Starts listening, with room for `backlog` pending connections.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn listen(self, backlog: u32) -> io::Result<TcpListener> {
        sys::listen_on(self.fd.as_fd(), backlog)?;
        TcpListener::new(mio::net::TcpListener::from(self.fd))
    }

    /// Wraps a std stream's socket (switched to non-blocking mode).
    pub fn from_std_stream(stream: std::net::TcpStream) -> TcpSocket {
        // Cannot fail on a valid socket; if it somehow does, later calls report the error.
        let _ = stream.set_nonblocking(true);
        TcpSocket {
            fd: OwnedFd::from(stream),
        }
    }
}

impl AsRawFd for TcpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for TcpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl IntoRawFd for TcpSocket {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}

impl FromRawFd for TcpSocket {
    /// # Safety
    ///
    /// `fd` must be an open TCP socket that the caller owns and gives up.
    unsafe fn from_raw_fd(fd: RawFd) -> TcpSocket {
        TcpSocket {
            // SAFETY: the caller hands over ownership of an open socket (this fn's contract).
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        }
    }
}

impl fmt::Debug for TcpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpSocket").field("fd", &self.fd).finish()
    }
}
