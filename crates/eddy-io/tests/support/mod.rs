//! Streams shared by the integration tests: two real (if slow) stream implementations that
//! exercise partial progress, and deterministic test data. (`block_on` and the wakers come
//! from eddy-test-support.)
#![allow(dead_code)] // Each test file uses a different subset.

use eddy_io::{AsyncRead, AsyncWrite, ReadBuf};
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Moves at most one byte per poll, and answers every other poll with `Pending` (after waking
/// the task, as a resource that becomes ready at once would). The slowest legal stream.
#[derive(Debug)]
pub struct Trickle<T> {
    inner: T,
    pending_next: bool,
}

impl<T> Trickle<T> {
    pub fn new(inner: T) -> Trickle<T> {
        Trickle {
            inner,
            pending_next: true,
        }
    }

    pub fn into_inner(self) -> T {
        self.inner
    }

    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// Returns `Pending` on every other call.
    fn alternate(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.pending_next = !self.pending_next;
        if self.pending_next {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Trickle<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.alternate(cx));
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        let mut one = [0u8; 1];
        let mut one_buf = ReadBuf::new(&mut one);
        ready!(Pin::new(&mut this.inner).poll_read(cx, &mut one_buf))?;
        buf.put_slice(one_buf.filled());
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Trickle<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.alternate(cx));
        let one = &buf[..buf.len().min(1)];
        Pin::new(&mut this.inner).poll_write(cx, one)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.alternate(cx));
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.alternate(cx));
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// Records the size of every read and write that reaches the inner stream, and every flush.
#[derive(Debug, Default)]
pub struct Recorder<T> {
    pub inner: T,
    pub reads: Vec<usize>,
    pub writes: Vec<usize>,
    pub flushes: usize,
    pub shutdowns: usize,
}

impl<T> Recorder<T> {
    pub fn new(inner: T) -> Recorder<T> {
        Recorder {
            inner,
            reads: Vec::new(),
            writes: Vec::new(),
            flushes: 0,
            shutdowns: 0,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Recorder<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        this.reads.push(buf.filled().len() - before);
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Recorder<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let n = ready!(Pin::new(&mut this.inner).poll_write(cx, buf))?;
        this.writes.push(n);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(Pin::new(&mut this.inner).poll_flush(cx))?;
        this.flushes += 1;
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(Pin::new(&mut this.inner).poll_shutdown(cx))?;
        this.shutdowns += 1;
        Poll::Ready(Ok(()))
    }
}

/// Deterministic test data: `len` bytes that are not a repeating short pattern.
pub fn pattern(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}
