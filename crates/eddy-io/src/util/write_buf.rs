//! The [`WriteBuf`] future behind [`AsyncWriteExt::write_buf`](crate::AsyncWriteExt::write_buf).

use super::write_all_buf::poll_write_chunks;
use crate::AsyncWrite;
use bytes::Buf;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Writes once from a [`Buf`] and advances it; resolves to the number of bytes written.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct WriteBuf<'a, W: ?Sized, B: ?Sized> {
        writer: &'a mut W,
        buf: &'a mut B,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn write_buf<'a, W, B>(writer: &'a mut W, buf: &'a mut B) -> WriteBuf<'a, W, B>
where
    W: AsyncWrite + Unpin + ?Sized,
    B: Buf + ?Sized,
{
    WriteBuf {
        writer,
        buf,
        _pin: PhantomPinned,
    }
}

impl<W, B> Future for WriteBuf<'_, W, B>
where
    W: AsyncWrite + Unpin + ?Sized,
    B: Buf + ?Sized,
{
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        if !this.buf.has_remaining() {
            return Poll::Ready(Ok(0));
        }
        // A writer that prefers vectored writes gets several chunks at once, as in Tokio.
        let n = ready!(poll_write_chunks(
            Pin::new(&mut **this.writer),
            cx,
            &*this.buf
        ))?;
        this.buf.advance(n);
        Poll::Ready(Ok(n))
    }
}
