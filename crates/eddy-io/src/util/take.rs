//! [`Take`]: a reader cut off after a number of bytes.

use crate::{AsyncBufRead, AsyncRead, ReadBuf};
use pin_project_lite::pin_project;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads at most `limit` bytes from the inner reader, then reports end of file.
    ///
    /// Made by [`AsyncReadExt::take`](crate::AsyncReadExt::take).
    #[derive(Debug)]
    #[must_use = "readers do nothing unless polled"]
    pub struct Take<R> {
        #[pin]
        inner: R,
        limit: u64,
    }
}

pub(crate) fn take<R: AsyncRead>(inner: R, limit: u64) -> Take<R> {
    Take { inner, limit }
}

impl<R: AsyncRead> Take<R> {
    /// How many more bytes may be read before end of file is reported.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Sets how many more bytes may be read.
    pub fn set_limit(&mut self, limit: u64) {
        self.limit = limit;
    }

    /// The inner reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The inner reader, mutably. Reading from it directly does not count against the limit.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The inner reader, pinned.
    pub fn get_pin_mut(self: Pin<&mut Self>) -> Pin<&mut R> {
        self.project().inner
    }

    /// Returns the inner reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

fn limit_as_usize(limit: u64) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX)
}

impl<R: AsyncRead> AsyncRead for Take<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.limit == 0 {
            return Poll::Ready(Ok(()));
        }
        let this = self.project();
        let len = limit_as_usize(*this.limit).min(buf.remaining());
        // Zeroes whatever of the window was uninitialized, so no unsafe code is needed to
        // carry the inner reader's bytes over; buffers made by `ReadBuf::new` pay nothing.
        let mut limited = ReadBuf::new(buf.initialize_unfilled_to(len));
        let start = limited.filled().as_ptr();
        ready!(this.inner.poll_read(cx, &mut limited))?;
        // A reader that swapped in a buffer of its own would have its bytes counted as read
        // here while they sit elsewhere: refuse it, as Tokio does.
        assert_eq!(
            limited.filled().as_ptr(),
            start,
            "the inner reader replaced the ReadBuf it was given"
        );
        let n = limited.filled().len();
        buf.advance(n);
        *this.limit -= n as u64;
        Poll::Ready(Ok(()))
    }
}

impl<R: AsyncBufRead> AsyncBufRead for Take<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.project();
        if *this.limit == 0 {
            return Poll::Ready(Ok(&[]));
        }
        let available = ready!(this.inner.poll_fill_buf(cx))?;
        let n = available.len().min(limit_as_usize(*this.limit));
        Poll::Ready(Ok(&available[..n]))
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        let this = self.project();
        let amt = (amt as u64).min(*this.limit);
        *this.limit -= amt;
        this.inner.consume(amt as usize);
    }
}
