//! [`BufReader`]: an in-memory buffer in front of a reader.
//!
//! The buffer holds `buf[pos..cap]`, bytes read from the inner reader but not yet handed out.
//! Reads that would empty the buffer anyway and are at least as large as it go straight to the
//! inner reader. A seek throws the buffer away, and `SeekFrom::Current` is corrected by the
//! buffered bytes, so the position a caller sees is always the logical one.

use crate::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};
use pin_project_lite::pin_project;
use std::io::{self, IoSlice, SeekFrom};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The buffer size of `new` constructors (8 KiB, as in Tokio).
pub(crate) const DEFAULT_BUF_SIZE: usize = 8 * 1024;

pin_project! {
    /// Adds a buffer to a reader, so that many small reads cost few reads of the inner reader,
    /// and makes it an [`AsyncBufRead`] (for `lines`, `read_line`, ...).
    ///
    /// Writes, if the inner type is also a writer, pass straight through.
    ///
    /// A capacity of zero is allowed: reads then always go to the inner reader, and
    /// [`AsyncBufRead::poll_fill_buf`] always returns an empty slice (end of file), as with
    /// `std::io::BufReader`.
    #[derive(Debug)]
    pub struct BufReader<R> {
        #[pin]
        inner: R,
        buf: Box<[u8]>,
        pos: usize,
        cap: usize,
        seek_state: SeekState,
    }
}

#[derive(Debug, Clone, Copy)]
enum SeekState {
    /// No seek in flight.
    Idle,
    /// `start_seek` was called; the inner seek has not started.
    Start(SeekFrom),
    /// A relative seek too far back for one step: the inner reader is moving back over the
    /// buffered bytes first, and the requested offset follows.
    PendingOverflowed(i64),
    /// The inner seek is in flight.
    Pending,
}

impl<R: AsyncRead> BufReader<R> {
    /// Wraps `inner` with an 8 KiB buffer.
    pub fn new(inner: R) -> BufReader<R> {
        BufReader::with_capacity(DEFAULT_BUF_SIZE, inner)
    }

    /// Wraps `inner` with a buffer of `capacity` bytes.
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is zero: a reader with no room could never fill its buffer.
    #[track_caller]
    pub fn with_capacity(capacity: usize, inner: R) -> BufReader<R> {
        assert!(capacity > 0, "capacity must be greater than zero");
        BufReader {
            inner,
            buf: vec![0; capacity].into_boxed_slice(),
            pos: 0,
            cap: 0,
            seek_state: SeekState::Idle,
        }
    }
}

impl<R> BufReader<R> {
    /// The inner reader. Reading from it directly skips the buffered bytes.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The inner reader, mutably. Reading from it directly skips the buffered bytes.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The inner reader, pinned.
    pub fn get_pin_mut(self: Pin<&mut Self>) -> Pin<&mut R> {
        self.project().inner
    }

    /// Returns the inner reader; buffered bytes are lost.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The bytes buffered and not yet read.
    pub fn buffer(&self) -> &[u8] {
        &self.buf[self.pos..self.cap]
    }

    /// The buffer's size.
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }

    fn discard_buffer(self: Pin<&mut Self>) {
        let this = self.project();
        *this.pos = 0;
        *this.cap = 0;
    }
}

impl<R: AsyncRead> AsyncRead for BufReader<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.pos == self.cap && buf.remaining() >= self.buf.len() {
            let result = ready!(self.as_mut().get_pin_mut().poll_read(cx, buf));
            self.discard_buffer();
            return Poll::Ready(result);
        }
        let available = ready!(self.as_mut().poll_fill_buf(cx))?;
        let n = available.len().min(buf.remaining());
        buf.put_slice(&available[..n]);
        self.consume(n);
        Poll::Ready(Ok(()))
    }
}

impl<R: AsyncRead> AsyncBufRead for BufReader<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.project();
        if *this.pos >= *this.cap {
            let mut read_buf = ReadBuf::new(this.buf);
            ready!(this.inner.poll_read(cx, &mut read_buf))?;
            *this.cap = read_buf.filled().len();
            *this.pos = 0;
        }
        Poll::Ready(Ok(&this.buf[*this.pos..*this.cap]))
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        let this = self.project();
        *this.pos = (*this.pos + amt).min(*this.cap);
    }
}

impl<R: AsyncRead + AsyncSeek> AsyncSeek for BufReader<R> {
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        *self.project().seek_state = SeekState::Start(position);
        Ok(())
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let result = ready!(self.as_mut().poll_seek_state(cx));
        *self.project().seek_state = SeekState::Idle;
        Poll::Ready(result)
    }
}

impl<R: AsyncRead + AsyncSeek> BufReader<R> {
    /// Drives the seek state machine until the seek completes (or fails).
    fn poll_seek_state(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        loop {
            let buffered = (self.cap - self.pos) as i64;
            match self.seek_state {
                SeekState::Idle => {
                    // The logical position is the inner one minus what is still buffered.
                    let inner = ready!(self.as_mut().get_pin_mut().poll_complete(cx))?;
                    return Poll::Ready(Ok(inner.saturating_sub(buffered as u64)));
                }
                SeekState::Start(SeekFrom::Current(offset)) => {
                    let inner = self.as_mut().get_pin_mut();
                    let next = match offset.checked_sub(buffered) {
                        Some(corrected) => {
                            inner.start_seek(SeekFrom::Current(corrected))?;
                            SeekState::Pending
                        }
                        None => {
                            inner.start_seek(SeekFrom::Current(-buffered))?;
                            SeekState::PendingOverflowed(offset)
                        }
                    };
                    *self.as_mut().project().seek_state = next;
                }
                SeekState::Start(position) => {
                    self.as_mut().get_pin_mut().start_seek(position)?;
                    *self.as_mut().project().seek_state = SeekState::Pending;
                }
                SeekState::PendingOverflowed(offset) => {
                    ready!(self.as_mut().get_pin_mut().poll_complete(cx))?;
                    self.as_mut().discard_buffer();
                    self.as_mut()
                        .get_pin_mut()
                        .start_seek(SeekFrom::Current(offset))?;
                    *self.as_mut().project().seek_state = SeekState::Pending;
                }
                SeekState::Pending => {
                    let position = ready!(self.as_mut().get_pin_mut().poll_complete(cx))?;
                    self.as_mut().discard_buffer();
                    return Poll::Ready(Ok(position));
                }
            }
        }
    }
}

impl<R: AsyncRead + AsyncWrite> AsyncWrite for BufReader<R> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_pin_mut().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_pin_mut().poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_pin_mut().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_pin_mut().poll_shutdown(cx)
    }
}
