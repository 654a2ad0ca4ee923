//! [`Split`]: the segments of an [`AsyncBufRead`] between occurrences of a delimiter byte.

use super::read_until::poll_read_until;
use crate::AsyncBufRead;
use futures_core::Stream;
use pin_project_lite::pin_project;
use std::future::poll_fn;
use std::io;
use std::mem;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads the segments of an [`AsyncBufRead`] separated by a delimiter byte, without the
    /// delimiter.
    ///
    /// Made by [`AsyncBufReadExt::split`](crate::AsyncBufReadExt::split). A partly read segment
    /// is kept here, so [`next_segment`](Self::next_segment) is cancel safe.
    ///
    /// `Split` is also a [`futures_core::Stream`] of `io::Result<Vec<u8>>` (see
    /// [`Lines`](crate::Lines) for why eddy implements it directly).
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct Split<R> {
        #[pin]
        reader: R,
        delimiter: u8,
        bytes: Vec<u8>,
        read: usize,
    }
}

pub(crate) fn split<R: AsyncBufRead>(reader: R, delimiter: u8) -> Split<R> {
    Split {
        reader,
        delimiter,
        bytes: Vec::new(),
        read: 0,
    }
}

impl<R: AsyncBufRead + Unpin> Split<R> {
    /// Returns the next segment, or `None` at end of file.
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe: a partly read segment stays buffered in `self`.
    pub async fn next_segment(&mut self) -> io::Result<Option<Vec<u8>>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next_segment(cx)).await
    }
}

impl<R: AsyncBufRead> Split<R> {
    /// Polls for the next segment: `Ready(Ok(Some(segment)))`, `Ready(Ok(None))` at end of
    /// file, an error, or `Pending`.
    pub fn poll_next_segment(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Option<Vec<u8>>>> {
        let this = self.project();
        let delimiter = *this.delimiter;
        let n = ready!(poll_read_until(
            this.reader,
            cx,
            delimiter,
            this.bytes,
            this.read
        ))?;
        if n == 0 && this.bytes.is_empty() {
            return Poll::Ready(Ok(None));
        }
        let mut segment = mem::take(this.bytes);
        if segment.last() == Some(&delimiter) {
            segment.pop();
        }
        Poll::Ready(Ok(Some(segment)))
    }
}

impl<R: AsyncBufRead> Stream for Split<R> {
    type Item = io::Result<Vec<u8>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_next_segment(cx).map(Result::transpose)
    }
}
