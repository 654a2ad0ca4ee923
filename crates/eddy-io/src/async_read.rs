//! [`AsyncRead`]: reading bytes without blocking the thread.
//!
//! The contract, shared by every implementation in eddy: `poll_read` either puts at least one
//! byte into the buffer and returns `Ready(Ok(()))`, returns `Ready(Ok(()))` with nothing added
//! to signal end of file (or because the buffer had no room), returns an error, or returns
//! `Pending` after arranging for the task to be woken when it may make progress. An
//! implementation never un-fills bytes that were filled before the call.

use crate::ReadBuf;
use std::io;
use std::ops::DerefMut;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Reads bytes from a source asynchronously.
///
/// This is the asynchronous twin of [`std::io::Read`]. Use the methods of
/// [`AsyncReadExt`](crate::AsyncReadExt) (feature `util`) rather than calling `poll_read` by hand.
pub trait AsyncRead {
    /// Attempts to read into the unfilled part of `buf`.
    ///
    /// * `Ready(Ok(()))` with `buf.filled()` longer than before: data was read.
    /// * `Ready(Ok(()))` with nothing added: end of file (or `buf` had no room).
    /// * `Pending`: nothing to read now; the task in `cx` will be woken when there may be.
    /// * `Ready(Err(e))`: an I/O error.
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>>;
}

impl<T: ?Sized + AsyncRead + Unpin> AsyncRead for Box<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut **self).poll_read(cx, buf)
    }
}

impl<T: ?Sized + AsyncRead + Unpin> AsyncRead for &mut T {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut **self).poll_read(cx, buf)
    }
}

impl<P> AsyncRead for Pin<P>
where
    P: DerefMut + Unpin,
    P::Target: AsyncRead,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_mut().as_mut().poll_read(cx, buf)
    }
}

/// Reading from a slice takes bytes off its front; an empty slice is at end of file.
impl AsyncRead for &[u8] {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = self.len().min(buf.remaining());
        let (head, tail) = self.split_at(n);
        buf.put_slice(head);
        *self = tail;
        Poll::Ready(Ok(()))
    }
}

/// Reads from the cursor's position and moves the position forward.
impl<T: AsRef<[u8]> + Unpin> AsyncRead for io::Cursor<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let data = self.get_ref().as_ref();
        let start = clamp_position(self.position(), data.len());
        let n = (data.len() - start).min(buf.remaining());
        buf.put_slice(&data[start..start + n]);
        let position = self.position() + n as u64;
        self.set_position(position);
        Poll::Ready(Ok(()))
    }
}

/// A cursor position as an index into `len` bytes (a position past the end reads nothing).
pub(crate) fn clamp_position(position: u64, len: usize) -> usize {
    usize::try_from(position).map_or(len, |position| position.min(len))
}
