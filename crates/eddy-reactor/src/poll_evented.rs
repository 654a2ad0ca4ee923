//! A mio source owned together with its registration: what socket types build on.

use crate::driver::Handle;
use crate::interest::Interest;
use crate::registration::Registration;
use std::fmt;
use std::io::{self, IoSlice, Read, Write};
use std::ops::Deref;
use std::task::{ready, Context, Poll};

/// A mio source registered with a reactor for its whole life.
///
/// Dropping it deregisters the source and then closes it. [`PollEvented::poll_read`] and
/// friends implement the readiness protocol of [`Registration`] with one more saving: a read or
/// write that moves fewer bytes than asked has drained the socket buffer (or filled it), so the
/// readiness is cleared right away and no extra syscall is spent to learn `WouldBlock`.
pub struct PollEvented<E: mio::event::Source> {
    io: Option<E>,
    registration: Registration,
}

impl<E: mio::event::Source> PollEvented<E> {
    /// Registers `io` for reads and writes with the current thread's reactor.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn new(io: E) -> io::Result<Self> {
        PollEvented::new_with_interest(io, Interest::READABLE | Interest::WRITABLE)
    }

    /// Registers `io` for `interest` with the current thread's reactor.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn new_with_interest(io: E, interest: Interest) -> io::Result<Self> {
        PollEvented::new_with_interest_and_handle(io, interest, Handle::current())
    }

    /// Registers `io` for `interest` with the driver of `handle`.
    pub fn new_with_interest_and_handle(
        mut io: E,
        interest: Interest,
        handle: Handle,
    ) -> io::Result<Self> {
        let registration = Registration::new_with_handle(&mut io, interest, handle)?;
        Ok(PollEvented {
            io: Some(io),
            registration,
        })
    }

    /// The registration: readiness, waiting and clearing.
    pub fn registration(&self) -> &Registration {
        &self.registration
    }

    /// Deregisters the source and returns it.
    pub fn into_inner(mut self) -> io::Result<E> {
        let mut io = self
            .io
            .take()
            .expect("eddy: the source is present until drop");
        self.registration.deregister(&mut io)?;
        Ok(io)
    }

    fn source(&self) -> &E {
        self.io
            .as_ref()
            .expect("eddy: the source is present until drop")
    }
}

impl<E: mio::event::Source> PollEvented<E>
where
    for<'a> &'a E: Read,
{
    /// Reads into `buf`, waiting for readability as needed.
    pub fn poll_read(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        loop {
            let event = ready!(self.registration.poll_read_ready(cx))?;
            match self.source().read(buf) {
                Ok(n) => {
                    if n > 0 && n < buf.len() {
                        self.registration.clear_readiness(event);
                    }
                    return Poll::Ready(Ok(n));
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration.clear_readiness(event);
                }
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
    }
}

impl<E: mio::event::Source> PollEvented<E>
where
    for<'a> &'a E: Write,
{
    /// Writes from `buf`, waiting for writability as needed.
    pub fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.poll_write_with(cx, buf.len(), |mut io| io.write(buf))
    }

    /// Writes from `bufs`, waiting for writability as needed.
    pub fn poll_write_vectored(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let len = bufs.iter().map(|buf| buf.len()).sum();
        self.poll_write_with(cx, len, |mut io| io.write_vectored(bufs))
    }

    fn poll_write_with(
        &self,
        cx: &mut Context<'_>,
        len: usize,
        mut write: impl FnMut(&E) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        loop {
            let event = ready!(self.registration.poll_write_ready(cx))?;
            match write(self.source()) {
                Ok(n) => {
                    if n > 0 && n < len {
                        self.registration.clear_readiness(event);
                    }
                    return Poll::Ready(Ok(n));
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration.clear_readiness(event);
                }
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
    }
}

impl<E: mio::event::Source> Deref for PollEvented<E> {
    type Target = E;

    fn deref(&self) -> &E {
        self.source()
    }
}

impl<E: mio::event::Source> Drop for PollEvented<E> {
    fn drop(&mut self) {
        if let Some(mut io) = self.io.take() {
            // Deregister before the source closes. The error is ignored: the fd closes next,
            // which removes it from epoll anyway, and a late event finds a freed slot.
            let _ = self.registration.deregister(&mut io);
        }
    }
}

impl<E: mio::event::Source + fmt::Debug> fmt::Debug for PollEvented<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollEvented").field("io", &self.io).finish()
    }
}
