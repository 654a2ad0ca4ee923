//! Reading a registered socket into a `ReadBuf` or a `BufMut`, shared by every socket type.

use crate::sys;
use eddy_io::ReadBuf;
use eddy_reactor::PollEvented;
use std::io;
use std::os::fd::AsFd;
use std::task::{ready, Context, Poll};

/// Receives into `buf`, waiting for readability as needed.
///
/// A stream read that returns fewer bytes than there was room for has drained the socket, so
/// the readiness is cleared at once: the next read waits for the driver instead of spending a
/// syscall to learn `WouldBlock`. Datagram reads and peeks keep the readiness (a short datagram
/// says nothing about the next one; a peek consumes nothing).
pub(crate) fn poll_recv<E: mio::event::Source + AsFd>(
    io: &PollEvented<E>,
    cx: &mut Context<'_>,
    buf: &mut ReadBuf<'_>,
    kind: Recv,
) -> Poll<io::Result<usize>> {
    loop {
        let event = ready!(io.registration().poll_read_ready(cx))?;
        let room = buf.remaining();
        match sys::recv_into(io.as_fd(), buf, kind.flags()) {
            Ok(n) => {
                if kind == Recv::Stream && n > 0 && n < room {
                    io.registration().clear_readiness(event);
                }
                return Poll::Ready(Ok(n));
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                io.registration().clear_readiness(event);
            }
            Err(error) => return Poll::Ready(Err(error)),
        }
    }
}

/// What kind of receive [`poll_recv`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recv {
    /// A stream read.
    Stream,
    /// A datagram receive.
    Datagram,
    /// A peek: the data stays queued.
    Peek,
}

impl Recv {
    fn flags(self) -> std::ffi::c_int {
        match self {
            Recv::Stream | Recv::Datagram => 0,
            Recv::Peek => sys::MSG_PEEK,
        }
    }
}

/// Receives one datagram (or a stream's next bytes) into the free room of `buf`.
#[cfg(feature = "util")]
pub(crate) fn recv_buf<E: AsFd, B: bytes::BufMut + ?Sized>(
    io: &E,
    buf: &mut B,
) -> io::Result<usize> {
    sys::fill_buf_mut(buf, |read_buf| sys::recv_into(io.as_fd(), read_buf, 0))
}

/// Receives one datagram and its sender into the free room of `buf`, through `recv_from` (a
/// socket's own, which takes initialized bytes: the room is zeroed first).
#[cfg(feature = "util")]
pub(crate) fn recv_buf_from<A, B: bytes::BufMut + ?Sized>(
    buf: &mut B,
    recv_from: impl FnOnce(&mut [u8]) -> io::Result<(usize, A)>,
) -> io::Result<(usize, A)> {
    sys::fill_buf_mut(buf, |read_buf| {
        let (n, addr) = recv_from(read_buf.initialize_unfilled())?;
        read_buf.advance(n);
        Ok((n, addr))
    })
}
