//! [`Lines`]: the lines of an [`AsyncBufRead`], one `String` at a time.

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
    /// Reads lines from an [`AsyncBufRead`], without their `\n` or `\r\n` ending.
    ///
    /// Made by [`AsyncBufReadExt::lines`](crate::AsyncBufReadExt::lines). The bytes of a line
    /// still being read are kept here, so [`next_line`](Self::next_line) may be cancelled and
    /// called again without losing anything.
    ///
    /// `Lines` is also a [`futures_core::Stream`] of `io::Result<String>`. Tokio leaves that to
    /// the `LinesStream` wrapper in `tokio-stream`; eddy implements it directly, so
    /// `while let Some(line) = lines.next().await` works with any stream combinator crate.
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct Lines<R> {
        #[pin]
        reader: R,
        bytes: Vec<u8>,
        read: usize,
    }
}

pub(crate) fn lines<R: AsyncBufRead>(reader: R) -> Lines<R> {
    Lines {
        reader,
        bytes: Vec::new(),
        read: 0,
    }
}

impl<R: AsyncBufRead + Unpin> Lines<R> {
    /// Returns the next line, or `None` at end of file.
    ///
    /// A last line without a newline is returned as it is. A line that is not valid UTF-8 is an
    /// `InvalidData` error (the line is dropped, and reading goes on with the next one).
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe: a partly read line stays buffered in `self`.
    pub async fn next_line(&mut self) -> io::Result<Option<String>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next_line(cx)).await
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The underlying reader, mutably.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.reader
    }

    /// Returns the underlying reader. A partly read line buffered here is lost.
    pub fn into_inner(self) -> R {
        self.reader
    }
}

impl<R: AsyncBufRead> Lines<R> {
    /// Polls for the next line: `Ready(Ok(Some(line)))`, `Ready(Ok(None))` at end of file,
    /// an error, or `Pending` (only the waker of the latest call is woken).
    pub fn poll_next_line(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Option<String>>> {
        let this = self.project();
        let n = ready!(poll_read_until(
            this.reader,
            cx,
            b'\n',
            this.bytes,
            this.read
        ))?;
        if n == 0 && this.bytes.is_empty() {
            return Poll::Ready(Ok(None));
        }
        let mut line = mem::take(this.bytes);
        strip_line_ending(&mut line);
        // An invalid line is consumed and reported once, carrying its bytes (the
        // `FromUtf8Error`, as in Tokio); the next call reads the next line.
        match String::from_utf8(line) {
            Ok(line) => Poll::Ready(Ok(Some(line))),
            Err(error) => Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, error))),
        }
    }
}

fn strip_line_ending(line: &mut Vec<u8>) {
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
}

impl<R: AsyncBufRead> Stream for Lines<R> {
    type Item = io::Result<String>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_next_line(cx).map(Result::transpose)
    }
}
