//! The [`ReadExact`] future behind [`AsyncReadExt::read_exact`](crate::AsyncReadExt::read_exact).

use super::interrupted::retry;
use crate::{AsyncRead, ReadBuf};
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads until a slice is full; resolves to its length, or `UnexpectedEof` if the reader ends
    /// first.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct ReadExact<'a, R: ?Sized> {
        reader: &'a mut R,
        buf: ReadBuf<'a>,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read_exact<'a, R: AsyncRead + Unpin + ?Sized>(
    reader: &'a mut R,
    buf: &'a mut [u8],
) -> ReadExact<'a, R> {
    ReadExact {
        reader,
        buf: ReadBuf::new(buf),
        _pin: PhantomPinned,
    }
}

pub(crate) fn early_eof() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the reader ended before the buffer was full",
    )
}

impl<R: AsyncRead + Unpin + ?Sized> Future for ReadExact<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        while this.buf.remaining() > 0 {
            let before = this.buf.remaining();
            ready!(retry(
                || Pin::new(&mut **this.reader).poll_read(cx, this.buf)
            ))?;
            if this.buf.remaining() == before {
                return Poll::Ready(Err(early_eof()));
            }
        }
        Poll::Ready(Ok(this.buf.capacity()))
    }
}
