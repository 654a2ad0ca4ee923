//! [`BufWriter`]: an in-memory buffer in front of a writer.
//!
//! Small writes collect in `buf` until the next one would not fit, which writes the buffer out
//! first. A write at least as large as the capacity skips the buffer (after flushing it, so the
//! order of bytes is kept). `written` counts the buffer's prefix already handed to the inner
//! writer during a flush that returned `Pending`, so no byte is written twice or skipped.

use super::buf_reader::DEFAULT_BUF_SIZE;
use super::interrupted::retry;
use super::write_all::write_zero;
use crate::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};
use pin_project_lite::pin_project;
use std::io::{self, IoSlice, SeekFrom};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Adds a buffer to a writer, so that many small writes cost few writes of the inner
    /// writer.
    ///
    /// Buffered bytes reach the inner writer on [`flush`](crate::AsyncWriteExt::flush),
    /// [`shutdown`](crate::AsyncWriteExt::shutdown), a seek, or when the buffer fills up.
    /// **Dropping a `BufWriter` loses whatever is still buffered**: there is no asynchronous
    /// drop, so flush or shut down first.
    ///
    /// Reads, if the inner type is also a reader, pass straight through.
    #[derive(Debug)]
    pub struct BufWriter<W> {
        #[pin]
        inner: W,
        buf: Vec<u8>,
        capacity: usize,
        written: usize,
        seek_state: SeekState,
    }
}

#[derive(Debug, Clone, Copy)]
enum SeekState {
    /// No seek in flight.
    Idle,
    /// `start_seek` was called; the buffer is being flushed before the inner seek starts.
    Start(SeekFrom),
    /// The inner seek is in flight.
    Pending,
}

impl<W: AsyncWrite> BufWriter<W> {
    /// Wraps `inner` with an 8 KiB buffer.
    pub fn new(inner: W) -> BufWriter<W> {
        BufWriter::with_capacity(DEFAULT_BUF_SIZE, inner)
    }

    /// Wraps `inner` with a buffer of `capacity` bytes (zero means every write goes straight
    /// through).
    pub fn with_capacity(capacity: usize, inner: W) -> BufWriter<W> {
        BufWriter {
            inner,
            buf: Vec::with_capacity(capacity),
            capacity,
            written: 0,
            seek_state: SeekState::Idle,
        }
    }

    /// Writes the whole buffer to the inner writer.
    ///
    /// On error the bytes written so far leave the buffer and the rest stay.
    fn flush_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut this = self.project();
        let mut result = Ok(());
        while *this.written < this.buf.len() {
            let rest = &this.buf[*this.written..];
            match retry(|| this.inner.as_mut().poll_write(cx, rest)) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(0)) => {
                    result = Err(write_zero());
                    break;
                }
                Poll::Ready(Ok(n)) => *this.written += n,
                Poll::Ready(Err(e)) => {
                    result = Err(e);
                    break;
                }
            }
        }
        this.buf.drain(..*this.written);
        *this.written = 0;
        Poll::Ready(result)
    }
}

impl<W> BufWriter<W> {
    /// The inner writer. Writing to it directly bypasses (and may reorder around) the buffer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The inner writer, mutably.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// The inner writer, pinned.
    pub fn get_pin_mut(self: Pin<&mut Self>) -> Pin<&mut W> {
        self.project().inner
    }

    /// Returns the inner writer; buffered bytes are lost.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// The bytes buffered and not yet written.
    pub fn buffer(&self) -> &[u8] {
        &self.buf[self.written..]
    }

    /// The buffer's size.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }
}

impl<W: AsyncWrite> AsyncWrite for BufWriter<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.buf.len() + buf.len() > self.capacity {
            ready!(self.as_mut().flush_buf(cx))?;
        }
        let this = self.project();
        if buf.len() >= *this.capacity {
            this.inner.poll_write(cx, buf)
        } else {
            this.buf.extend_from_slice(buf);
            Poll::Ready(Ok(buf.len()))
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let total = bufs
            .iter()
            .fold(0usize, |sum, buf| sum.saturating_add(buf.len()));
        if self.buf.len().saturating_add(total) > self.capacity {
            ready!(self.as_mut().flush_buf(cx))?;
        }
        let this = self.project();
        if total >= *this.capacity {
            if this.inner.is_write_vectored() {
                return this.inner.poll_write_vectored(cx, bufs);
            }
            let first = bufs.iter().find(|buf| !buf.is_empty());
            let first = first.map_or(&[][..], |buf| &**buf);
            if first.len() >= *this.capacity {
                return this.inner.poll_write(cx, first);
            }
        }
        let mut taken = 0;
        for buf in bufs {
            let room = *this.capacity - this.buf.len();
            let n = room.min(buf.len());
            this.buf.extend_from_slice(&buf[..n]);
            taken += n;
            if n < buf.len() {
                break;
            }
        }
        Poll::Ready(Ok(taken))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().flush_buf(cx))?;
        self.get_pin_mut().poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().flush_buf(cx))?;
        self.get_pin_mut().poll_shutdown(cx)
    }
}

impl<W: AsyncWrite + AsyncSeek> AsyncSeek for BufWriter<W> {
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        // The buffer must reach the inner writer before it moves, which takes polling; the
        // seek itself starts in `poll_complete`.
        *self.project().seek_state = SeekState::Start(position);
        Ok(())
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        if let SeekState::Start(position) = self.seek_state {
            let flushed = ready!(self.as_mut().flush_buf(cx));
            let started = flushed.and_then(|()| self.as_mut().get_pin_mut().start_seek(position));
            if let Err(e) = started {
                *self.as_mut().project().seek_state = SeekState::Idle;
                return Poll::Ready(Err(e));
            }
            *self.as_mut().project().seek_state = SeekState::Pending;
        }
        // With no seek started, the position is the inner one plus what is still buffered.
        let buffered = if matches!(self.seek_state, SeekState::Idle) {
            self.buffer().len() as u64
        } else {
            0
        };
        let result = ready!(self.as_mut().get_pin_mut().poll_complete(cx));
        *self.as_mut().project().seek_state = SeekState::Idle;
        Poll::Ready(result.map(|position| position + buffered))
    }
}

impl<W: AsyncWrite + AsyncRead> AsyncRead for BufWriter<W> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_pin_mut().poll_read(cx, buf)
    }
}

impl<W: AsyncWrite + AsyncBufRead> AsyncBufRead for BufWriter<W> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.get_pin_mut().poll_fill_buf(cx)
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        self.get_pin_mut().consume(amt)
    }
}
