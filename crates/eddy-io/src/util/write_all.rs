//! The [`WriteAll`] future behind [`AsyncWriteExt::write_all`](crate::AsyncWriteExt::write_all).

use super::interrupted::retry;
use crate::AsyncWrite;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Writes a whole slice, however many writes it takes.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct WriteAll<'a, W: ?Sized> {
        writer: &'a mut W,
        buf: &'a [u8],
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn write_all<'a, W: AsyncWrite + Unpin + ?Sized>(
    writer: &'a mut W,
    buf: &'a [u8],
) -> WriteAll<'a, W> {
    WriteAll {
        writer,
        buf,
        _pin: PhantomPinned,
    }
}

/// The error for a writer that accepted no bytes while some were left to write.
pub(crate) fn write_zero() -> io::Error {
    io::Error::new(
        io::ErrorKind::WriteZero,
        "the writer accepted zero bytes before the whole buffer was written",
    )
}

impl<W: AsyncWrite + Unpin + ?Sized> Future for WriteAll<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.project();
        while !this.buf.is_empty() {
            let n = ready!(retry(
                || Pin::new(&mut **this.writer).poll_write(cx, this.buf)
            ))?;
            if n == 0 {
                return Poll::Ready(Err(write_zero()));
            }
            let written: &[u8] = this.buf;
            *this.buf = &written[n..];
        }
        Poll::Ready(Ok(()))
    }
}
