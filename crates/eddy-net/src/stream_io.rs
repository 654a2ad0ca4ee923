//! Reading a registered socket into a `ReadBuf`, shared by every socket type.

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
