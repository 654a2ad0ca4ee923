//! The [`ReadLine`] future behind [`AsyncBufReadExt::read_line`](crate::AsyncBufReadExt::read_line).

use super::read_until::poll_read_until;
use super::utf8_output::Utf8Output;
use crate::AsyncBufRead;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads up to and including a newline (or to end of file), appending to a string; resolves to
    /// the number of bytes appended.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct ReadLine<'a, R: ?Sized> {
        reader: &'a mut R,
        output: Utf8Output<'a>,
        read: usize,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read_line<'a, R: AsyncBufRead + Unpin + ?Sized>(
    reader: &'a mut R,
    output: &'a mut String,
) -> ReadLine<'a, R> {
    ReadLine {
        reader,
        output: Utf8Output::new(output),
        read: 0,
        _pin: PhantomPinned,
    }
}

impl<R: AsyncBufRead + Unpin + ?Sized> Future for ReadLine<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        let reader = Pin::new(&mut **this.reader);
        let bytes = this.output.bytes_mut();
        let read = ready!(poll_read_until(reader, cx, b'\n', bytes, this.read));
        let finished = this.output.finish();
        Poll::Ready(read.and(finished))
    }
}
