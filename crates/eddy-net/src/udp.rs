//! [`UdpSocket`]: datagrams over UDP.

use crate::addr::{each_addr, resolve, ToSocketAddrs};
#[cfg(feature = "util")]
use crate::socket_recv::recv_buf_from;
use crate::socket_recv::{poll_recv, Recv};
use eddy_io::ReadBuf;
use eddy_reactor::{Interest, PollEvented};
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::task::{ready, Context, Poll};

/// A UDP socket.
///
/// All methods take `&self`: share the socket (e.g. in an `Arc`) between a sending and a
/// receiving task. The `poll_*` methods support one polling task per direction.
pub struct UdpSocket {
    io: PollEvented<mio::net::UdpSocket>,
}

impl UdpSocket {
    /// Binds a socket to `addr` (the first resolved address that works).
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket> {
        each_addr(addr, |addr| async move {
            UdpSocket::new(mio::net::UdpSocket::bind(addr)?)
        })
        .await
    }

    #[track_caller]
    fn new(socket: mio::net::UdpSocket) -> io::Result<UdpSocket> {
        Ok(UdpSocket {
            io: PollEvented::new(socket)?,
        })
    }

    /// Wraps a std socket, switching it to non-blocking mode.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        socket.set_nonblocking(true)?;
        UdpSocket::new(mio::net::UdpSocket::from_std(socket))
    }

    /// Deregisters the socket and returns it as a std socket (still non-blocking).
    pub fn into_std(self) -> io::Result<std::net::UdpSocket> {
        Ok(self.io.into_inner()?.into())
    }

    /// Sets the default destination of `send` and the only source `recv` accepts.
    pub async fn connect<A: ToSocketAddrs>(&self, addr: A) -> io::Result<()> {
        each_addr(addr, |addr| async move { self.io.connect(addr) }).await
    }

    /// The local address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr()
    }

    /// The address the socket is connected to.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.peer_addr()
    }

    crate::datagram_methods::datagram_methods!();

    /// Receives through `op`, waiting for readability or an error: a datagram socket's pending
    /// error (an ICMP "port unreachable" after a send) arrives as `EPOLLERR` without
    /// readability, and the receive must run to report it (as Tokio's do).
    async fn read_io<R>(&self, op: impl FnMut() -> io::Result<R>) -> io::Result<R> {
        self.io
            .registration()
            .async_io(Interest::READABLE | Interest::ERROR, op)
            .await
    }

    async fn write_io<R>(&self, op: impl FnMut() -> io::Result<R>) -> io::Result<R> {
        self.io
            .registration()
            .async_io(Interest::WRITABLE, op)
            .await
    }

    fn try_read_io<R>(&self, op: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.io.registration().try_io(Interest::READABLE, op)
    }

    fn try_write_io<R>(&self, op: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.io.registration().try_io(Interest::WRITABLE, op)
    }

    /// Sends `buf` to the connected peer.
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.write_io(|| self.io.send(buf)).await
    }

    /// Sends `buf` to the connected peer without waiting.
    pub fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
        self.try_write_io(|| self.io.send(buf))
    }

    /// Polls to send `buf` to the connected peer.
    pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io
            .registration()
            .poll_write_io(cx, || self.io.send(buf))
    }

    /// Receives a datagram from the connected peer. Bytes that do not fit are discarded.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_io(|| self.io.recv(buf)).await
    }

    /// Receives a datagram from the connected peer without waiting.
    pub fn try_recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.try_read_io(|| self.io.recv(buf))
    }

    /// Polls to receive a datagram from the connected peer into `buf`.
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        poll_recv(&self.io, cx, buf, Recv::Datagram).map_ok(drop)
    }

    /// Receives a datagram and its sender's address into the free room of `buf` without
    /// waiting.
    #[cfg(feature = "util")]
    pub fn try_recv_buf_from<B: bytes::BufMut>(
        &self,
        buf: &mut B,
    ) -> io::Result<(usize, SocketAddr)> {
        self.try_read_io(|| recv_buf_from(buf, |bytes| self.io.recv_from(bytes)))
    }

    /// Receives a datagram and its sender's address into the free room of `buf`.
    #[cfg(feature = "util")]
    pub async fn recv_buf_from<B: bytes::BufMut>(
        &self,
        buf: &mut B,
    ) -> io::Result<(usize, SocketAddr)> {
        self.read_io(|| recv_buf_from(buf, |bytes| self.io.recv_from(bytes)))
            .await
    }

    /// Sends `buf` to `target` (the first resolved address).
    pub async fn send_to<A: ToSocketAddrs>(&self, buf: &[u8], target: A) -> io::Result<usize> {
        let target = resolve(&target).await?.next().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "no addresses to send data to")
        })?;
        self.write_io(|| self.io.send_to(buf, target)).await
    }

    /// Sends `buf` to `target` without waiting.
    pub fn try_send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        self.try_write_io(|| self.io.send_to(buf, target))
    }

    /// Polls to send `buf` to `target`.
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        self.io
            .registration()
            .poll_write_io(cx, || self.io.send_to(buf, target))
    }

    /// Receives a datagram and its sender's address.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.read_io(|| self.io.recv_from(buf)).await
    }

    /// Receives a datagram and its sender's address without waiting.
    pub fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.try_read_io(|| self.io.recv_from(buf))
    }

    /// Polls to receive a datagram into `buf`; returns the sender's address.
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        self.poll_from(cx, buf, |socket, bytes| socket.recv_from(bytes))
    }

    /// Receives a datagram and its sender's address, leaving it queued.
    pub async fn peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.read_io(|| self.io.peek_from(buf)).await
    }

    /// Like [`peek_from`](Self::peek_from), without waiting.
    pub fn try_peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.try_read_io(|| self.io.peek_from(buf))
    }

    /// Polls to peek at a datagram into `buf`; returns the sender's address.
    pub fn poll_peek_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        self.poll_from(cx, buf, |socket, bytes| socket.peek_from(bytes))
    }

    /// Receives the next datagram's sender address, leaving the datagram queued.
    pub async fn peek_sender(&self) -> io::Result<SocketAddr> {
        self.read_io(|| self.peek_sender_now()).await
    }

    /// Receives a datagram from the connected peer, leaving it queued.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_io(|| self.io.peek(buf)).await
    }

    /// Polls for the next datagram's sender address, leaving the datagram queued.
    pub fn poll_peek_sender(&self, cx: &mut Context<'_>) -> Poll<io::Result<SocketAddr>> {
        self.io
            .registration()
            .poll_read_io(cx, || self.peek_sender_now())
    }

    /// The next datagram's sender address, without waiting; the datagram stays queued.
    pub fn try_peek_sender(&self) -> io::Result<SocketAddr> {
        self.try_read_io(|| self.peek_sender_now())
    }

    /// One peek with no room for data: only the sender's address comes back.
    fn peek_sender_now(&self) -> io::Result<SocketAddr> {
        self.io.peek_from(&mut []).map(|(_, addr)| addr)
    }

    /// Polls to peek at a datagram from the connected peer into `buf`, leaving it queued.
    pub fn poll_peek(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        poll_recv(&self.io, cx, buf, Recv::Peek).map_ok(drop)
    }

    /// Peeks at a datagram from the connected peer without waiting.
    pub fn try_peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.try_read_io(|| self.io.peek(buf))
    }

    /// Runs `f` if the socket is ready for `interest`, clearing the readiness if `f` returns
    /// `WouldBlock`. `f` must do the I/O on this socket's descriptor.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.registration().try_io(interest, f)
    }

    /// Runs `f` until it does not return `WouldBlock`, waiting for `interest` in between.
    pub async fn async_io<R>(
        &self,
        interest: Interest,
        f: impl FnMut() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.registration().async_io(interest, f).await
    }

    fn poll_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
        mut op: impl FnMut(&mio::net::UdpSocket, &mut [u8]) -> io::Result<(usize, SocketAddr)>,
    ) -> Poll<io::Result<SocketAddr>> {
        let bytes = buf.initialize_unfilled();
        let (n, addr) = ready!(self
            .io
            .registration()
            .poll_read_io(cx, || op(&self.io, bytes)))?;
        buf.advance(n);
        Poll::Ready(Ok(addr))
    }

    /// Whether broadcast sends are allowed.
    pub fn broadcast(&self) -> io::Result<bool> {
        self.io.broadcast()
    }

    /// Allows or forbids broadcast sends (`SO_BROADCAST`).
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.io.set_broadcast(on)
    }

    /// Whether IPv4 multicast is looped back to this host.
    pub fn multicast_loop_v4(&self) -> io::Result<bool> {
        self.io.multicast_loop_v4()
    }

    /// Sets IPv4 multicast loopback.
    pub fn set_multicast_loop_v4(&self, on: bool) -> io::Result<()> {
        self.io.set_multicast_loop_v4(on)
    }

    /// The IPv4 multicast time-to-live.
    pub fn multicast_ttl_v4(&self) -> io::Result<u32> {
        self.io.multicast_ttl_v4()
    }

    /// Sets the IPv4 multicast time-to-live.
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> io::Result<()> {
        self.io.set_multicast_ttl_v4(ttl)
    }

    /// Whether IPv6 multicast is looped back to this host.
    pub fn multicast_loop_v6(&self) -> io::Result<bool> {
        self.io.multicast_loop_v6()
    }

    /// Sets IPv6 multicast loopback.
    pub fn set_multicast_loop_v6(&self, on: bool) -> io::Result<()> {
        self.io.set_multicast_loop_v6(on)
    }

    /// Joins an IPv4 multicast group on the interface with address `interface`.
    pub fn join_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.join_multicast_v4(&multiaddr, &interface)
    }

    /// Joins an IPv6 multicast group on interface number `interface` (0: any).
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.join_multicast_v6(multiaddr, interface)
    }

    /// Leaves an IPv4 multicast group.
    pub fn leave_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.leave_multicast_v4(&multiaddr, &interface)
    }

    /// Leaves an IPv6 multicast group.
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.leave_multicast_v6(multiaddr, interface)
    }

    crate::ip_options::ip_option_methods!();

    /// The IP time-to-live.
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.ttl()
    }

    /// Sets the IP time-to-live.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.set_ttl(ttl)
    }

    /// Takes the pending socket error (`SO_ERROR`), if any.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.take_error()
    }
}

impl TryFrom<std::net::UdpSocket> for UdpSocket {
    type Error = io::Error;

    fn try_from(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        UdpSocket::from_std(socket)
    }
}

impl AsRawFd for UdpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.io.as_raw_fd()
    }
}

impl AsFd for UdpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.as_fd()
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket")
            .field("fd", &self.as_raw_fd())
            .field("local_addr", &self.local_addr().ok())
            .finish()
    }
}
